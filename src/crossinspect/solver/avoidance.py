"""Which seats exist at all: the four avoidances (四回避, R1), declared conflicts (R2),
local roles (R5), eligibility and sanctions (R6, R8) and history (R7).

Rather than adding constraints that forbid seats, the model never creates a
variable for a forbidden seat. That keeps the model small and makes these rules
impossible to break: a seat without a variable cannot be chosen.
"""

from __future__ import annotations

from ..models import ROLE_ORDER, Role
from ..problem import Problem
from ..rules import Mode

SeatKey = tuple[int, int, Role]


def allowed_seats(problem: Problem) -> tuple[list[SeatKey], set[SeatKey]]:
    """Every (cadre, target, role) seat the hard seat-level rules allow, and the local ones."""
    seats: list[SeatKey] = []
    local: set[SeatKey] = set()
    rules = problem.rules
    blocks = problem.blocks
    for i in range(len(problem.cadres)):
        roles = [r for r in ROLE_ORDER if problem.can_take_role(i, r)]
        if not roles:
            continue
        home = problem.cadre_county[i]
        for j in range(len(problem.targets)):
            dest = problem.target_county[j]
            for role in roles:
                if problem.is_local_role(role):
                    # R5: a local seat is filled from the inspected county's own pool;
                    # R1/R3/R4/R7 do not apply to it, declared conflicts (R2) still do.
                    if home == dest and not problem.declared_block(i, j):
                        seats.append((i, j, role))
                        local.add((i, j, role))
                    continue
                if home == dest or (i, j) in blocks:
                    continue
                if rules.mode is Mode.ROTATION and (home, dest) in problem.past_arcs:
                    continue  # R3: this pool went to that county in a looked-back round
                seats.append((i, j, role))
    return seats, local
