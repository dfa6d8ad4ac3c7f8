"""Minimal-change re-planning: someone drops out, or the leadership moves someone.

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

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain.errors import InputError, Issue
from ..domain.models import Decision, DecisionKind
from ..domain.numerals import chinese_to_int
from ..domain.plan import Plan, SolveResult, Status
from ..domain.rules import Mode
from ..domain.text import normalize_id, normalize_text
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


def cadre_of(problem: Problem, text: str, what: str = "--drop") -> str | Issue:
    """The cadre id ``text`` names: an id, or a name only one cadre has; else the problem."""
    cid = normalize_id(text)
    if cid in problem.cadre_index:
        return cid
    name = normalize_text(text)
    found = [c for c in problem.cadres if normalize_text(c.name) == name]
    if len(found) == 1:
        return found[0].id
    if found:
        who_zh = "、".join(f"{c.id}（{c.county}）" for c in found)
        who_en = ", ".join(f"{c.id} ({c.county})" for c in found)
        return Issue(
            code="ambiguous-cadre",
            zh=f"{what} 指定的「{text}」有{len(found)}人同名：{who_zh}；请写干部编号",
            en=f"{what}: {len(found)} cadres are named '{text}': {who_en}; give the id",
            suggestions=tuple(c.id for c in found),
        )
    return Issue(
        code="unknown-cadre",
        zh=f"{what} 指定的「{text}」既不是干部编号也不是干部姓名",
        en=f"{what}: '{text}' is neither a cadre id nor a cadre's name",
    )


_TEAM_LABEL = re.compile(r"^(?:第\s*)?([零〇一二两三四五六七八九十百\d]+)\s*组?$|^team\s*(\d+)$", re.IGNORECASE)


def team_of(problem: Problem, text: str, what: str = "--pin") -> str | Issue:
    """The team id ``text`` names: 3, 第三组 or Team 3 as the roster prints it, or its target's
    id or name; else the problem."""
    team_ids = {problem.team_id(j) for j in range(len(problem.targets))}
    key = normalize_text(text)
    m = _TEAM_LABEL.match(key.replace(" ", ""))
    if m:
        number = str(chinese_to_int(m.group(1)) if m.group(1) else int(m.group(2)))
        if number in team_ids:
            return number
    for j, t in enumerate(problem.targets):
        if normalize_id(text) == t.id or key == normalize_text(t.name):
            return problem.team_id(j)
    return Issue(
        code="unknown-team",
        zh=f"{what} 指定的组别「{text}」不存在（应为 1 至 {len(team_ids)} 组，如「第三组」，或巡察对象的编号、名称）",
        en=f"{what}: no team '{text}' (expected 1 to {len(team_ids)}, 第一组…, or a target's id or name)",
    )


def with_decisions(problem: Problem, drop: Iterable[str], pins: Iterable[tuple[str, str]]) -> Problem:
    """The problem with dropped cadres unavailable and new pins added.

    Cadres are given by id or by a name only one cadre has; teams by number, by the label
    the roster prints (第三组, Team 3), or by their target's id or name.
    """
    team_target = {problem.team_id(j): t.id for j, t in enumerate(problem.targets)}
    issues: list[Issue] = []
    extra: list[Decision] = []
    dropped: list[str] = []
    for text in drop:
        cid = cadre_of(problem, text, "--drop")
        if isinstance(cid, Issue):
            issues.append(cid)
            continue
        dropped.append(cid)
        extra.append(Decision(kind=DecisionKind.UNAVAILABLE, cadre_id=cid, note="replan --drop"))
    for who, which in pins:
        cid = cadre_of(problem, who, "--pin")
        team = team_of(problem, which, "--pin")
        for found in (cid, team):
            if isinstance(found, Issue):
                issues.append(found)
        if isinstance(cid, Issue) or isinstance(team, Issue):
            continue
        extra.append(Decision(kind=DecisionKind.PIN, cadre_id=cid, target_id=team_target[team], note="replan --pin"))
    if issues:
        raise InputError(issues)
    # A pin of someone who has dropped out is moot: the leadership pinned a person who can
    # no longer go. Keeping it would only make every re-plan infeasible.
    gone = set(dropped)
    kept = tuple(d for d in problem.book.decisions if not (d.kind is DecisionKind.PIN and d.cadre_id in gone))
    book = problem.book.model_copy(update={"decisions": kept + tuple(extra)})
    return build_problem(book, problem.rules, problem.gazetteer)


def replan(
    problem: Problem,
    previous: Plan,
    *,
    drop: Iterable[str] = (),
    pins: Iterable[tuple[str, str]] = (),
    seed: str | int | None = None,
    effort: float | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
    params: SolveParams | None = None,
) -> ReplanResult:
    """Re-solve with the fewest changed seats first, the soft goals second; verify the result.

    ``drop``: cadre ids no longer available; ``pins``: (cadre id, team id) to place. When
    no roster exists the result carries the explanation.
    """
    new_problem = with_decisions(problem, drop, pins)
    rules = new_problem.rules
    ctx = Search(
        problem=new_problem,
        params=params or DEFAULT_PARAMS,
        seed=rules.seed if seed is None else str(seed),
        effort=rules.effort if effort is None else effort,
        workers=workers if workers is not None else (rules.workers or 2),
        limit=rules.time_limit if time_limit is None else time_limit,
        stop=threading.Event(),
        progress=None,
        check=verifier(new_problem),
    )
    keep = [(a.source, a.dest) for a in previous.arcs] if rules.mode is Mode.ROTATION else []
    found = nearest(ctx, seat_keys(new_problem, previous), keep)
    result = found.result
    if result.status is Status.INFEASIBLE:
        from ..diagnose.explain import explain

        result = result.model_copy(update={"explanation": explain(new_problem)})
    if result.plan is None:
        return ReplanResult(new_problem, result, cycle_kept=False)
    return ReplanResult(
        new_problem,
        result,
        diff(previous, result.plan),
        found.changed_seats,
        cycle_kept=found.cycle_kept,
        changes_proven=found.changes_proven,
    )
