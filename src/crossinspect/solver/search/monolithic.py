"""One CP-SAT model of the whole round: soft goals first, then the lottery among equally good rosters.

Two lexicographic phases. Phase 1 minimises the weighted soft goals. Phase 2 keeps the
soft goals at phase 1's value and minimises the seeded lottery weights, so the
published seed, not the solver's search order, picks among equally good rosters (R11).
Each phase runs a portfolio of single-worker searches side by side, each stopped by its
share of the effort, so the roster does not depend on the machine or the worker count.

Large rounds first get a staged roster (``staged``) that hints the whole-round model;
large mixed rounds are polished instead (``polished``), and a round whose model would be
too big to build keeps its staged roster.
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from ...domain.plan import SolveResult, Status
from ...domain.rules import Mode
from ...problem.eligibility import allowed_seats
from ..model import CrossModel, build_model
from .arcs import applies
from .assemble import Roster, Seats, chosen_arcs, chosen_seats, extract_plan, make_plan
from .context import Search
from .cpsat import Outcome, Reporter, best, portfolio
from .lexicographic import answer, lexicographic
from .polished import LpBound, polish_too_big, polished
from .staged import staged_roster


def solve_monolithic(search: Search) -> SolveResult:
    """One CP-SAT model of the whole round (mixed mode, or rotation that does not decompose)."""
    problem, params = search.problem, search.params
    seats = allowed_seats(problem)
    search.timings["seats"] = search.elapsed()
    n_seats = len(seats[0])
    large = n_seats > params.large_model_seats
    staging = n_seats > params.warm_start_seats and not applies(problem, params)
    too_big = staging and n_seats > params.too_big_seats
    mixed = problem.rules.mode is Mode.MIXED
    staged = _staged(search, seats, too_big=too_big) if staging else None
    # A large mixed round is polished, with the LP bound beside it. The LP starts once the
    # first roster is out: building it in Python would slow the staging down, and the core
    # search, which needs the LP's solution, comes only after the first polish.
    lp = LpBound(search, seats) if staged is not None and large and mixed and not too_big else None
    if too_big:
        if staged is None:
            return search.result(Status.INTERRUPTED if search.stop.is_set() else Status.UNKNOWN)
        return polish_too_big(search, seats, staged, polish_it=large and mixed)
    if staged is not None and lp is not None:
        return polished(search, seats, staged, lp)
    return _whole_round(search, seats, staged, large=large)


def _staged(search: Search, seats: Seats, *, too_big: bool) -> Roster | None:
    """The staged first roster, reported; None if staging found none (or one that fails
    verification, never expected)."""
    problem, params = search.problem, search.params
    t0 = time.monotonic()
    effort = (
        search.effort * params.too_big_stage_share
        if too_big
        else min(search.effort * params.stage_share, params.stage_max)
    )
    staged = staged_roster(
        problem,
        seats,
        seed=search.search_seed,
        effort=effort,
        params=params,
        deadline=search.deadline,
        stop=search.stop,
    )
    search.timings["warmstart"] = time.monotonic() - t0
    if staged is not None:
        search.spend(staged.units)
        if not staged.reproducible:
            search.cut_by_clock("分组求首个名单", "the staged first roster")
    if staged is not None and search.check(make_plan(problem, staged.seats, staged.arcs)):
        staged = None
    if staged is not None:
        search.report("warmstart", objective=search.weighted(staged.terms))
    return staged


def _whole_round(search: Search, seats: Seats, staged: Roster | None, *, large: bool) -> SolveResult:
    """The whole-round model, hinted with the staged roster if there is one.

    Below ``large_model_seats`` the soft goals and the lottery are one objective
    (``drawn_objective``), searched once; larger rounds take the two phases in turn.
    """
    problem, params = search.problem, search.params
    t0 = time.monotonic()
    built = build_model(problem, seats=seats)
    search.timings["build"] = time.monotonic() - t0
    if staged is not None:
        built.vars.warmstart(built.model, set(staged.seats), set(staged.arcs))
    left = max(search.effort - search.used, 0.0)
    if large:
        return _two_phases(search, built, staged, left)
    drawn, base = built.drawn_objective(problem, search.seed)
    built.model.minimize(drawn)
    if search.stop.is_set():
        return search.result(Status.INTERRUPTED)
    outcome = _phase(
        search, built.model, left * (params.goals_share + params.lottery_share), "goals", light=False, scale=base
    )
    if outcome.status == cp_model.INFEASIBLE:
        return search.result(Status.INFEASIBLE)
    if staged is not None and (
        not outcome.found or search.weighted(staged.terms) < round(outcome.solver.objective_value) // base
    ):
        staged_bound = None if not outcome.found or outcome.bound is None else _main_bound(outcome.bound, base)
        return search.roster_result(staged, bound=staged_bound)
    if not outcome.found:
        return search.result(Status.INTERRUPTED if search.stop.is_set() else Status.UNKNOWN)
    value = round(outcome.solver.objective_value)
    bound = float(_main_bound(outcome.bound, base)) if outcome.bound is not None else None
    return _result(
        search,
        built,
        outcome,
        bound=bound,
        optimal=outcome.optimal,
        lottery=value % base,
        lottery_optimal=outcome.optimal,
    )


def _main_bound(drawn_bound: float, base: int) -> int:
    """A lower bound on the soft goals from one on ``main · base + lottery`` (lottery < base)."""
    return max(0, math.ceil((drawn_bound - (base - 1)) / base))


def _phase(search: Search, model: cp_model.CpModel, units: float, name: str, *, light: bool, scale: int = 1) -> Outcome:
    """One phase: the portfolio side by side, its effort accounted, the best outcome with the
    best bound and the proof of any search behind it."""
    params = search.params
    t1 = time.monotonic()
    outcomes = portfolio(
        model.clone,
        params.portfolio,
        seed=search.search_seed,
        units=units / len(params.portfolio),
        seconds=search.left,
        workers=search.workers,
        stop=search.stop,
        light=light,
        reporter=lambda: Reporter(name, search.report, scale=scale),
    )
    search.timings[name] = search.timings.get(name, 0.0) + time.monotonic() - t1
    for o in outcomes:
        search.spend(o.units)
        if o.wall_cut:
            search.cut_by_clock(
                "整体模型求解" if name == "goals" else "抽签",
                "the whole-round search" if name == "goals" else "the lottery",
            )
    chosen = best(outcomes)
    if chosen is None:
        return next((o for o in outcomes if not o.superseded), outcomes[0])
    # The best roster and the best proof may come from different searches.
    proven = [o for o in outcomes if o.optimal]
    if proven and chosen.solver.objective_value <= min(o.solver.objective_value for o in proven):
        chosen.status = cp_model.OPTIMAL
    chosen.bound = max(o.bound for o in outcomes if o.found and o.bound is not None)
    return chosen


def _two_phases(search: Search, built: CrossModel, staged: Roster | None, left: float) -> SolveResult:
    """Soft goals, then the lottery among rosters as good: for rounds too large for one objective."""
    problem, params = search.problem, search.params
    shares = (left * params.goals_share, left * params.lottery_share)
    names = ("goals", "lottery")

    def run_phase(k: int, model: cp_model.CpModel) -> Outcome | None:
        if search.stop.is_set():
            return None
        return _phase(search, model, shares[k], names[k], light=True)

    def hint(solver: cp_model.CpSolver) -> None:
        built.vars.warmstart(built.model, set(chosen_seats(built, solver)), set(chosen_arcs(built, solver)))

    phases = lexicographic(
        built.model, [built.main_objective, built.lottery_objective(problem, search.seed)], run_phase, hint
    )
    if not phases:
        return search.result(Status.INTERRUPTED)
    goals = phases[0]
    if goals.status == cp_model.INFEASIBLE:
        return search.result(Status.INFEASIBLE)
    if staged is not None and (not goals.found or search.weighted(staged.terms) < goals.solver.objective_value):
        # The whole-round model found nothing better: the staged roster stands, with the
        # whole-round model's bound if it got as far as one.
        return search.roster_result(staged, bound=goals.bound if goals.found else None)
    if not goals.found:
        return search.result(Status.INTERRUPTED if search.stop.is_set() else Status.UNKNOWN)
    final = answer(phases)
    assert final is not None
    lottery = phases[1] if len(phases) > 1 and phases[1].found else None
    return _result(
        search,
        built,
        final,
        bound=goals.bound,
        optimal=goals.optimal,
        lottery=round(lottery.solver.objective_value) if lottery is not None else None,
        lottery_optimal=lottery is not None and lottery.optimal,
    )


def _result(
    search: Search,
    built: CrossModel,
    final: Outcome,
    *,
    bound: float | None,
    optimal: bool,
    lottery: int | None,
    lottery_optimal: bool,
) -> SolveResult:
    problem = search.problem
    plan = extract_plan(problem, built, final.solver)
    terms = search.terms({t.name: round(final.solver.value(t.expr)) for t in built.terms})
    objective = sum(t.weighted for t in terms)
    violations = search.verified(plan)
    search.report("lottery", objective=objective, bound=bound)
    gap = (objective - bound) / max(1.0, abs(objective)) if objective and bound is not None else 0.0
    status = Status.INTERRUPTED if search.stop.is_set() else (Status.OPTIMAL if optimal else Status.FEASIBLE)
    return search.result(
        status,
        plan=plan,
        objective=objective,
        bound=bound,
        gap=max(0.0, gap),
        terms=terms,
        lottery=lottery,
        lottery_optimal=lottery_optimal,
        violations=violations,
    )
