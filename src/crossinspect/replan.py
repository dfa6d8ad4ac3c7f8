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
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .errors import InputError, Issue
from .models import Decision, DecisionKind
from .plan import ObjectiveTerm, Plan, SolveResult, Status
from .problem import Problem, build_problem
from .rules import Mode
from .solver.avoidance import SeatKey
from .solver.model import build_model
from .solver.run import _params, extract_plan
from .text import normalize_id


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
           pins: Iterable[tuple[str, str]] = (), seed: int | None = None,
           time_limit: float | None = None, workers: int | None = None,
           stop: threading.Event | None = None) -> ReplanResult:
    """Re-solve with the fewest changed seats first, the soft goals second; verify the result."""
    from .verify import verify

    start = time.monotonic()
    new_problem = with_decisions(problem, drop, pins)
    rules = new_problem.rules
    seed = rules.seed if seed is None else seed
    limit = rules.time_limit if time_limit is None else time_limit
    n_workers = workers if workers is not None else (rules.workers or 2)
    old = seat_keys(new_problem, previous)
    base = dict(seed=seed, workers=n_workers,
                sanctions=tuple(new_problem.sanctions[i] for i in sorted(new_problem.sanctions)))

    keep_cycle = rules.mode is Mode.ROTATION and bool(previous.arcs)
    for attempt_keep in ((True, False) if keep_cycle else (False,)):
        built = build_model(new_problem)
        v = built.vars
        if attempt_keep:
            for arc in previous.arcs:
                lit = v.arc.get((arc.source, arc.dest))
                if lit is None:
                    built.model.add_bool_or([])  # the old arc is no longer allowed at all
                else:
                    built.model.add(lit == 1)
        gone = sum(1 for k in old if k not in v.x)  # old seats that can no longer exist
        changes = gone + sum(1 - x for k, x in v.x.items() if k in old) + sum(
            x for k, x in v.x.items() if k not in old)
        v.warmstart(built.model, old)
        built.model.minimize(changes)
        solver = cp_model.CpSolver()
        _params(solver, seed=seed, workers=n_workers, time_limit=limit * 0.5)
        status = solver.solve(built.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if status != cp_model.INFEASIBLE:
            break
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out = Status.INFEASIBLE if status == cp_model.INFEASIBLE else Status.UNKNOWN
        explanation = None
        if out is Status.INFEASIBLE:
            from .explain import explain

            explanation = explain(new_problem)
        return ReplanResult(new_problem, SolveResult(status=out, runtime=time.monotonic() - start,
                                        explanation=explanation, **base),
                            cycle_kept=False)
    fewest = round(solver.objective_value)
    proven = status == cp_model.OPTIMAL
    chosen = {k for k, x in v.x.items() if solver.boolean_value(x)}
    # Second: the soft goals among rosters with that few changes.
    built.model.add(changes == fewest if proven else changes <= fewest)
    v.warmstart(built.model, chosen)
    built.model.minimize(built.main_objective)
    second = cp_model.CpSolver()
    _params(second, seed=seed, workers=n_workers, time_limit=max(limit - (time.monotonic() - start), 0.1))
    status2 = second.solve(built.model)
    final = second if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE) else solver
    plan = extract_plan(new_problem, built, final)
    terms = tuple(ObjectiveTerm(name=t.name, zh=t.zh, weight=t.weight, value=round(final.value(t.expr)),
                                weighted=t.weight * round(final.value(t.expr))) for t in built.terms)
    optimal = proven and status2 == cp_model.OPTIMAL
    result = SolveResult(
        status=Status.OPTIMAL if optimal else Status.FEASIBLE,
        plan=plan, objective=sum(t.weighted for t in terms),
        bound=second.best_objective_bound if final is second else None, gap=0.0 if optimal else None,
        runtime=time.monotonic() - start, terms=terms, violations=tuple(verify(new_problem, plan)),
        reproducible=proven, **base)
    return ReplanResult(new_problem, result, diff(previous, plan), round(final.value(changes)),
                        cycle_kept=attempt_keep or not keep_cycle, changes_proven=proven)
