"""Which seats exist at all: the four avoidances (四回避, R1), declared conflicts (R2),
local roles (R5), eligibility and sanctions (R6, R8) and history (R7).

Rather than adding constraints that forbid seats, the model never creates a
variable for a forbidden seat. That keeps the model small and makes these rules
impossible to break: a seat without a variable cannot be chosen.

When explaining infeasibility, seats barred only by a *relaxable* rule (the leader's
minimum rank, R7 history, R8 sanctions) are created after all, each tied to that
rule's guard, so the core can say that the rule is part of the collision. The four
avoidances and declared conflicts are never relaxed.
"""

from __future__ import annotations

from .models import ROLE_ORDER, Role
from .problem import Problem
from .rules import Mode

SeatKey = tuple[int, int, Role]


def allowed_seats(problem: Problem) -> tuple[list[SeatKey], set[SeatKey]]:
    """Every (cadre, target, role) seat the hard seat-level rules allow, and the local ones."""
    seats, local, _ = _seats(problem, relax=False)
    return seats, local


def relaxable_seats(problem: Problem) -> tuple[list[SeatKey], set[SeatKey], dict[SeatKey, list[str]]]:
    """Allowed seats plus those barred only by relaxable rules, with the rules that bar them."""
    return _seats(problem, relax=True)


def _relaxable_role_bars(problem: Problem, i: int, role: Role) -> list[str] | None:
    """Relaxable reasons the cadre may not take the role anywhere; None if a hard rule bars it."""
    cadre = problem.cadres[i]
    if not cadre.available or i in problem.unavailable or role not in cadre.roles:
        return None
    bars = []
    sanction = problem.sanctions.get(i)
    if sanction is not None and (sanction.kind == "excluded" or role is Role.LEADER):
        bars.append("sanction")
    if role is Role.LEADER and problem.rules.leader_min_rank:
        idx = problem.rules.rank_index(cadre.rank)
        limit = problem.rules.rank_index(problem.rules.leader_min_rank)
        if idx is None or limit is None or idx > limit:
            bars.append("leader_rank")
    return bars


def _seats(problem: Problem, *, relax: bool
           ) -> tuple[list[SeatKey], set[SeatKey], dict[SeatKey, list[str]]]:
    seats: list[SeatKey] = []
    local: set[SeatKey] = set()
    guarded: dict[SeatKey, list[str]] = {}
    blocks = problem.blocks
    past_arcs = problem.past_arcs if problem.rules.mode is Mode.ROTATION and not relax else frozenset()
    target_county = problem.target_county
    n_targets = len(problem.targets)
    local_roles = {r for r in ROLE_ORDER if problem.is_local_role(r)}
    # Runs cadres × targets × roles times (10⁵–10⁶ at township level), so every lookup
    # the inner loop needs is hoisted out of it.
    for i in range(len(problem.cadres)):
        roles: list[tuple[Role, list[str]]] = []
        for r in ROLE_ORDER:
            if problem.can_take_role(i, r):
                roles.append((r, []))
            elif relax and (bars := _relaxable_role_bars(problem, i, r)):
                roles.append((r, bars))
        if not roles:
            continue
        home = problem.cadre_county[i]
        sent = [(role, bars) for role, bars in roles if role not in local_roles]
        at_home = [(role, bars) for role, bars in roles if role in local_roles]
        for j in range(n_targets):
            dest = target_county[j]
            if home == dest:
                if not at_home or problem.declared_block(i, j):
                    continue
                # R5: a local seat is filled from the inspected county's own pool;
                # R1/R3/R4/R7 do not apply to it, declared conflicts (R2) still do.
                for role, bars in at_home:
                    key = (i, j, role)
                    seats.append(key)
                    local.add(key)
                    if bars:
                        guarded[key] = bars
                continue
            if not sent:
                continue
            reasons = blocks.get((i, j), ())
            history_bar = False
            if reasons:
                if not relax or any(b.rule != "R7" for b in reasons):
                    continue
                history_bar = True
            if (home, dest) in past_arcs:
                continue  # R3: this pool went to that county in a looked-back round
            for role, bars in sent:
                key = (i, j, role)
                seats.append(key)
                seat_bars = [*bars, "history_place"] if history_bar else bars
                if seat_bars:
                    guarded[key] = list(seat_bars)
    return seats, local, guarded
