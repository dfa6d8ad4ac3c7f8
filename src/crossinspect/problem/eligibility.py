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

from dataclasses import dataclass

from ..domain.catalogue import AVOIDANCE_KINDS, Kind
from ..domain.models import ROLE_ORDER, Role
from ..domain.rules import Mode
from .problem import Block, Problem

SeatKey = tuple[int, int, Role]


def allowed_seats(problem: Problem) -> tuple[list[SeatKey], set[SeatKey]]:
    """Every (cadre, target, role) seat the hard seat-level rules allow, and the local ones."""
    seats, local, _ = _seats(problem, relax=False)
    return seats, local


def relaxable_seats(problem: Problem) -> tuple[list[SeatKey], set[SeatKey], dict[SeatKey, list[Kind]]]:
    """Allowed seats plus those barred only by relaxable rules, with the rules that bar them."""
    return _seats(problem, relax=True)


def _relaxable_role_bars(problem: Problem, i: int, role: Role) -> list[Kind] | None:
    """Relaxable reasons the cadre may not take the role anywhere; None if a hard rule bars it."""
    cadre = problem.cadres[i]
    if not cadre.available or i in problem.unavailable or role not in cadre.roles:
        return None
    bars: list[Kind] = []
    sanction = problem.sanctions.get(i)
    if sanction is not None and (sanction.kind == "excluded" or role is Role.LEADER):
        bars.append(Kind.SANCTION)
    if role is Role.LEADER and problem.rules.leader_min_rank:
        idx = problem.rules.rank_index(cadre.rank)
        limit = problem.rules.rank_index(problem.rules.leader_min_rank)
        if idx is None or limit is None or idx > limit:
            bars.append(Kind.LEADER_RANK)
    return bars


def _seats(problem: Problem, *, relax: bool) -> tuple[list[SeatKey], set[SeatKey], dict[SeatKey, list[Kind]]]:
    seats: list[SeatKey] = []
    local: set[SeatKey] = set()
    guarded: dict[SeatKey, list[Kind]] = {}
    blocks = problem.blocks
    past_arcs = problem.past_arcs if problem.rules.mode is Mode.ROTATION and not relax else frozenset()
    target_county = problem.target_county
    n_targets = len(problem.targets)
    local_roles = {r for r in ROLE_ORDER if problem.is_local_role(r)}
    # Runs cadres × targets × roles times (10⁵–10⁶ at township level), so every lookup
    # the inner loop needs is hoisted out of it.
    for i in range(len(problem.cadres)):
        roles: list[tuple[Role, list[Kind]]] = []
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
                seat_bars = [*bars, Kind.HISTORY_PLACE] if history_bar else bars
                if seat_bars:
                    guarded[key] = list(seat_bars)
    return seats, local, guarded


@dataclass(frozen=True)
class Bar:
    """Why one seat does not exist: the rule, and a sentence naming the place or the person."""

    kind: Kind
    zh: str
    en: str


def seat_bars(problem: Problem, i: int, j: int, role: Role | None = None) -> list[Bar]:
    """Every reason cadre i may not sit on target j's team (in ``role``, or in any role).

    The sentences name what the cadre wrote and the place it touches, e.g.
    其任职地「政和县」含巡察地; empty when some role of that team is open to the cadre.
    """
    cadre, target = problem.cadres[i], problem.targets[j]
    roles = [role] if role is not None else sorted(cadre.roles, key=ROLE_ORDER.index)
    out: list[Bar] = []
    if not cadre.available or i in problem.unavailable:
        kind = Kind.AVAILABLE if not cadre.available else Kind.UNAVAILABLE
        return [Bar(kind, "本轮不可用", "is unavailable this round")]
    sanction = problem.sanctions.get(i)
    if sanction is not None and sanction.kind == "excluded":
        return [Bar(Kind.SANCTION, sanction.zh, sanction.en)]
    if role is not None and role not in cadre.roles:
        allowed = "、".join(r.zh for r in sorted(cadre.roles, key=ROLE_ORDER.index)) or "无"
        return [
            Bar(
                Kind.ROLE,
                f"可任角色为{allowed}，不含{role.zh}",
                f"may be {', '.join(r.value for r in cadre.roles) or 'nothing'}, not {role.value}",
            )
        ]
    if Role.LEADER in roles and not problem.can_take_role(i, Role.LEADER) and len(roles) == 1:
        if sanction is not None:
            out.append(Bar(Kind.SANCTION, sanction.zh, sanction.en))
        else:
            rank = cadre.rank or "未填"
            out.append(
                Bar(
                    Kind.LEADER_RANK,
                    f"职级「{rank}」低于组长要求的{problem.rules.leader_min_rank}",
                    f"rank '{cadre.rank}' is below {problem.rules.leader_min_rank} for a leader",
                )
            )
    local = [r for r in roles if problem.is_local_role(r)]
    sent = [r for r in roles if not problem.is_local_role(r)]
    home, dest = problem.cadre_county[i], problem.target_county[j]
    where = problem.county_name(dest) if dest else target.location
    if local and home != dest:
        out.append(
            Bar(
                Kind.LOCAL_ROLE,
                f"{'、'.join(r.zh for r in local)}须由{where}本地干部担任",
                f"{', '.join(r.value for r in local)} must come from {where}",
            )
        )
    if sent and home == dest:
        out.append(Bar(Kind.OWN_COUNTY, f"来自被巡察的{where}本身", f"comes from {where}, the inspected county"))
    for b in problem.blocks.get((i, j), ()):
        if b.rule == "R2" or sent:
            out.append(_block_bar(b, target.location))
    if sent and home != dest and problem.rules.mode is Mode.ROTATION and (home, dest) in problem.past_arcs:
        out.append(Bar(Kind.HISTORY_ARC, f"其所在县区往轮已派往{where}", f"their pool was sent to {where} before"))
    return out


def _block_bar(b: Block, location: str) -> Bar:
    kind = AVOIDANCE_KINDS[b.field]
    name = kind.entry.zh.removesuffix("回避")
    if b.rule == "R7":
        return Bar(kind, f"往轮（{b.text}）曾巡察该地", f"inspected it in an earlier round ({b.text})")
    if b.rule == "R2" and not b.contains and b.reading:
        return Bar(kind, f"其回避「{b.text}」{b.reading}", f"declared conflict '{b.text}': {b.reading}")
    if b.contains:
        return Bar(kind, f"其{name}「{b.text}」含巡察地{location}", f"their {b.field} '{b.text}' contains {location}")
    same = "（同名地名，从严按冲突处理）" if b.ambiguous else ""
    return Bar(
        kind, f"其{name}「{b.text}」在巡察地{location}内{same}", f"their {b.field} '{b.text}' lies in {location}"
    )
