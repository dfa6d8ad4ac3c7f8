"""Rosters as the search holds them (seat keys and arcs), and as the library returns them (``Plan``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ...domain.models import ROLE_ORDER
from ...domain.plan import Arc, Plan, Seat
from ...problem import Problem
from ...problem.eligibility import SeatKey
from ..model import CrossModel

_ROLE_RANK = {r: n for n, r in enumerate(ROLE_ORDER)}

#: The round's allowed seats and, among them, the local ones (``allowed_seats``).
Seats = tuple[list[SeatKey], set[SeatKey]]


@dataclass
class Roster:
    """A roster found by a search step: its seats, arcs, and each soft-goal term's value."""

    seats: list[SeatKey]
    arcs: list[tuple[str, str]]
    terms: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    #: effort units the searches behind it used
    units: float = 0.0
    #: every search behind it stopped on its effort or a proof, never the wall clock or ``stop``
    reproducible: bool = True


def make_plan(problem: Problem, seats: list[SeatKey], arcs: list[tuple[str, str]]) -> Plan:
    """Seats by team then role; arcs along the cycle(s), 甲→乙→丙→甲, each from its smallest code."""
    ordered = sorted(seats, key=lambda k: (k[1], _ROLE_RANK[k[2]], problem.cadres[k[0]].id))
    plan_seats = [
        Seat(team_id=problem.team_id(j), target_id=problem.targets[j].id, cadre_id=problem.cadres[i].id, role=role)
        for i, j, role in ordered
    ]
    nxt = dict(arcs)
    walk: list[tuple[str, str]] = []
    for first in sorted(nxt):
        u = first
        while u in nxt and (u, nxt[u]) not in walk:
            walk.append((u, nxt[u]))
            u = nxt[u]
    return Plan.from_seats(
        plan_seats,
        tuple(
            Arc(source=u, dest=w, source_name=problem.county_name(u), dest_name=problem.county_name(w)) for u, w in walk
        ),
    )


def chosen_seats(built: CrossModel, solver: cp_model.CpSolver) -> list[SeatKey]:
    return [k for k, x in built.vars.x.items() if solver.boolean_value(x)]


def chosen_arcs(built: CrossModel, solver: cp_model.CpSolver) -> list[tuple[str, str]]:
    return [k for k, lit in built.vars.arc.items() if solver.boolean_value(lit)]


def term_values(built: CrossModel, solver: cp_model.CpSolver) -> dict[str, int]:
    return {t.name: round(solver.value(t.expr)) for t in built.terms}


def extract_plan(problem: Problem, built: CrossModel, solver: cp_model.CpSolver) -> Plan:
    """Read the chosen seats and arcs into a ``Plan``."""
    return make_plan(problem, chosen_seats(built, solver), chosen_arcs(built, solver))
