"""How the roster reads a plan: seats in print order, their digest, the overview's role
columns, the rotation arcs the seats imply."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from ...domain.models import ROLE_ORDER, Role
from ...domain.plan import Arc, Plan, Seat
from ...problem import Problem
from ..strokes import surname_stroke_key


def seat_order(problem: Problem, seats: Iterable[Seat]) -> list[Seat]:
    """Leader first, then deputies, liaisons and members; each role in 姓氏笔画 order."""

    def key(seat: Seat) -> tuple[Any, ...]:
        i = problem.cadre_index.get(seat.cadre_id)
        name = problem.cadres[i].name if i is not None else seat.cadre_id
        return (ROLE_ORDER.index(seat.role), surname_stroke_key(name), seat.cadre_id)

    return sorted(seats, key=key)


def plan_digest(seats: Iterable[Seat]) -> str:
    """SHA-256 of the seats, order-free: tells ``read_plan`` which copy was edited by hand."""
    lines = sorted(f"{s.team_id}\t{s.target_id}\t{s.cadre_id}\t{s.role.value}" for s in seats)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def overview_roles(plan: Plan) -> list[Role]:
    """The role columns of 总表: 组长 and 组员 always, 副组长 and 联络员 when someone holds them."""
    held = {s.role for s in plan.seats()}
    return [r for r in ROLE_ORDER if r in (Role.LEADER, Role.MEMBER) or r in held]


def derive_arcs(problem: Problem, plan: Plan) -> tuple[Arc, ...]:
    """Rotation arcs implied by the seats (for plans read back without arcs)."""
    pairs: dict[tuple[str, str], None] = {}
    for seat in plan.seats():
        i = problem.cadre_index.get(seat.cadre_id)
        j = problem.target_index.get(seat.target_id)
        if i is None or j is None or problem.is_local_role(seat.role):
            continue
        src, dst = problem.cadre_county[i], problem.target_county[j]
        if src and dst and src != dst:
            pairs[(src, dst)] = None
    return tuple(
        Arc(source=s, dest=d, source_name=problem.county_name(s), dest_name=problem.county_name(d)) for s, d in pairs
    )
