"""Minimal-change re-planning: someone drops out, or the leadership moves someone (issue 8).

The new roster changes as few seats as possible first, and optimises the soft goals
second. A seat is identified by (cadre, team, role); the number of changes is the size
of the symmetric difference between the old and new seat sets, so a replacement counts
2 (one leaves, one comes) and a move within the round counts 2 as well. In rotation
mode the previous cycle is kept as a hard rule unless that is impossible, which the
result then says.

The previous roster is a hint to the search *and* the change count is the objective:
hints alone would only start the search near the old roster, not keep it there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain.errors import InputError, Issue
from ..domain.models import Decision, DecisionKind
from ..domain.plan import Plan, SolveResult, Status
from ..domain.rules import Mode
from ..domain.text import normalize_id
from ..problem import Problem, build_problem
from ..problem.eligibility import SeatKey
from ..solver import DEFAULT_PARAMS, SolveParams
from ..solver.search.context import Search
from ..solver.search.replan import nearest
from ..verify import verifier


@dataclass(frozen=True)
class Change:
    """One person's change between two rosters: 调出 left, 调入 came, 调整 moved."""

    kind: str  # left | came | moved
    cadre_id: str
    before: str = ""  # team id and role before, e.g. "3/leader"
    after: str = ""

    @property
    def zh(self) -> str:
        return {"left": "调出", "came": "调入", "moved": "调整"}[self.kind]


@dataclass
class ReplanResult:
    """The new roster's solve result, what changed, and whether the cycle was kept."""

    problem: Problem
    result: SolveResult
    changes: list[Change] = field(default_factory=list)
    changed_seats: int = 0
    cycle_kept: bool = True
    #: the change count is proven minimal (not cut by the time limit)
    changes_proven: bool = False


def seat_keys(problem: Problem, plan: Plan) -> set[SeatKey]:
    """The plan's seats as (cadre index, target index, role); unknown ids are skipped."""
    out = set()
    for s in plan.seats():
        i, j = problem.cadre_index.get(s.cadre_id), problem.target_index.get(s.target_id)
        if i is not None and j is not None:
            out.add((i, j, s.role))
    return out


def diff(before: Plan, after: Plan) -> list[Change]:
    """Who left, who came in and who moved, in cadre id order."""
    old = {s.cadre_id: s for s in before.seats()}
    new = {s.cadre_id: s for s in after.seats()}
    out = []
    for cid in sorted(set(old) | set(new)):
        a, b = old.get(cid), new.get(cid)
        if a and not b:
            out.append(Change("left", cid, before=f"{a.team_id}/{a.role.value}"))
        elif b and not a:
            out.append(Change("came", cid, after=f"{b.team_id}/{b.role.value}"))
        elif a and b and (a.team_id, a.role) != (b.team_id, b.role):
            out.append(Change("moved", cid, f"{a.team_id}/{a.role.value}", f"{b.team_id}/{b.role.value}"))
    return out


def with_decisions(problem: Problem, drop: Iterable[str], pins: Iterable[tuple[str, str]]) -> Problem:
    """The problem with dropped cadres unavailable and new pins (cadre id, team id) added."""
    team_target = {problem.team_id(j): t.id for j, t in enumerate(problem.targets)}
    # Ids typed on the command line are read as the input's are.
    drop = [normalize_id(cid) for cid in drop]
    pins = [(normalize_id(cid), normalize_id(team)) for cid, team in pins]
    issues = []
    extra: list[Decision] = []
    for cid in drop:
        if cid not in problem.cadre_index:
            issues.append(Issue(code="unknown-cadre", zh=f"--drop 指定的干部编号「{cid}」不存在",
                                en=f"--drop: no cadre with id '{cid}'"))
        extra.append(Decision(kind=DecisionKind.UNAVAILABLE, cadre_id=cid, note="replan --drop"))
    for cid, team in pins:
        if cid not in problem.cadre_index:
            issues.append(Issue(code="unknown-cadre", zh=f"--pin 指定的干部编号「{cid}」不存在",
                                en=f"--pin: no cadre with id '{cid}'"))
        if team not in team_target:
            issues.append(Issue(code="unknown-team", zh=f"--pin 指定的组别「{team}」不存在",
                                en=f"--pin: no team '{team}'"))
            continue
        extra.append(Decision(kind=DecisionKind.PIN, cadre_id=cid, target_id=team_target[team],
                              note="replan --pin"))
    if issues:
        raise InputError(issues)
    # A pin of someone who has dropped out is moot: the leadership pinned a person who can
    # no longer go. Keeping it would only make every re-plan infeasible.
    gone = set(drop)
    kept = tuple(d for d in problem.book.decisions
                 if not (d.kind is DecisionKind.PIN and d.cadre_id in gone))
    book = problem.book.model_copy(update={"decisions": kept + tuple(extra)})
    return build_problem(book, problem.rules, problem.gazetteer)


def replan(problem: Problem, previous: Plan, *, drop: Iterable[str] = (),
           pins: Iterable[tuple[str, str]] = (), seed: str | int | None = None, effort: float | None = None,
           time_limit: float | None = None, workers: int | None = None,
           params: SolveParams | None = None) -> ReplanResult:
    """Re-solve with the fewest changed seats first, the soft goals second; verify the result.

    ``drop``: cadre ids no longer available; ``pins``: (cadre id, team id) to place. When
    no roster exists the result carries the explanation.
    """
    new_problem = with_decisions(problem, drop, pins)
    rules = new_problem.rules
    ctx = Search(problem=new_problem, params=params or DEFAULT_PARAMS, seed=rules.seed if seed is None else str(seed),
                 effort=rules.effort if effort is None else effort,
                 workers=workers if workers is not None else (rules.workers or 2),
                 limit=rules.time_limit if time_limit is None else time_limit, stop=threading.Event(),
                 progress=None, check=verifier(new_problem))
    keep = [(a.source, a.dest) for a in previous.arcs] if rules.mode is Mode.ROTATION else []
    found = nearest(ctx, seat_keys(new_problem, previous), keep)
    result = found.result
    if result.status is Status.INFEASIBLE:
        from ..diagnose.explain import explain

        result = result.model_copy(update={"explanation": explain(new_problem)})
    if result.plan is None:
        return ReplanResult(new_problem, result, cycle_kept=False)
    return ReplanResult(new_problem, result, diff(previous, result.plan), found.changed_seats,
                        cycle_kept=found.cycle_kept, changes_proven=found.changes_proven)
