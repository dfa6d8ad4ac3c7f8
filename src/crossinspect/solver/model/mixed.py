"""Mixed teams (混编, R4): no non-local member from the target's own county (enforced by
seat creation) and at most ``max_from_same_county`` from any one county per team."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ...domain.catalogue import Kind
from ...problem import Problem
from .guards import Guards, enforce
from .variables import Variables


def add_mixed(model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None) -> None:
    cap = problem.rules.max_from_same_county
    for j, keys in v.by_target.items():
        per_county: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for key in keys:
            if key not in v.local:
                per_county[problem.cadre_county[key[0]]].append(v.x[key])
        for lits in per_county.values():
            if len(lits) > cap:
                enforce(model.add(cp_model.LinearExpr.sum(lits) <= cap), guards, Kind.COUNTY_CAP, j)
