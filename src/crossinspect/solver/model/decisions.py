"""Manual decisions (R9): pins and bans are hard rules; unavailability removes seats earlier."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...domain.catalogue import Kind
from ...problem import Problem
from .guards import Guards, enforce
from .variables import Variables


def add_decisions(model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None) -> None:
    for n, pin in enumerate(problem.pins):
        in_scope = (pin.target in v.targets, v.cadres is None or pin.cadre in v.cadres)
        if in_scope == (False, False):
            continue  # a sub-model that neither holds the cadre nor forms the team
        # A sub-model holding only one side of a pin cannot honour it: its sum is empty.
        lits = [
            v.x[k]
            for k in v.by_cadre.get(pin.cadre, ())
            if k[1] == pin.target and (pin.role is None or k[2] is pin.role)
        ]
        # An empty sum makes the model infeasible, which is right: the pin asks for a
        # seat that another hard rule forbids. The explanation names both.
        enforce(model.add(sum(lits) == 1), guards, Kind.PIN, pin.target, str(n))
    for n, (a, b) in enumerate(problem.bans):
        for j in v.targets:
            la, lb = v.on_team(a, j), v.on_team(b, j)
            if la and lb:
                enforce(model.add(sum(la) + sum(lb) <= 1), guards, Kind.BAN, -1, str(n))
