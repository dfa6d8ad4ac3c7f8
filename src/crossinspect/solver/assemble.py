"""Turn chosen seats and arcs into a ``Plan``, in the order the roster prints them."""

from __future__ import annotations

from ..models import ROLE_ORDER
from ..plan import Arc, Plan, Seat
from ..problem import Problem
from .avoidance import SeatKey

_ROLE_RANK = {r: n for n, r in enumerate(ROLE_ORDER)}


def make_plan(problem: Problem, seats: list[SeatKey], arcs: list[tuple[str, str]]) -> Plan:
    """Seats by team then role; arcs along the cycle(s), 甲→乙→丙→甲, each from its smallest code."""
    ordered = sorted(seats, key=lambda k: (k[1], _ROLE_RANK[k[2]], problem.cadres[k[0]].id))
    plan_seats = [Seat(team_id=problem.team_id(j), target_id=problem.targets[j].id,
                       cadre_id=problem.cadres[i].id, role=role) for i, j, role in ordered]
    nxt = dict(arcs)
    walk: list[tuple[str, str]] = []
    for first in sorted(nxt):
        u = first
        while u in nxt and (u, nxt[u]) not in walk:
            walk.append((u, nxt[u]))
            u = nxt[u]
    return Plan.from_seats(plan_seats, tuple(
        Arc(source=u, dest=w, source_name=problem.county_name(u), dest_name=problem.county_name(w))
        for u, w in walk))
