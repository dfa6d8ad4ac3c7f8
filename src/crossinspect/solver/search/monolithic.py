"""One CP-SAT model of the whole round: soft goals first, then the lottery among equally good rosters.

Two lexicographic phases. Phase 1 minimises the weighted soft goals. Phase 2 keeps the
soft goals at phase 1's value and minimises the seeded lottery weights, so the
published seed, not the solver's search order, picks among equally good rosters
(R11). When phase 2 is proven optimal the roster depends only on the input, the rules
and the seed: not on the machine, thread timing or worker count (barring an exact tie
in the lottery sum, which the 10⁴-wide weights make rare).

Large rounds first get a staged roster (``staged``) that hints the whole-round model;
large mixed rounds are polished instead (``polished``), and a round whose model could
not even be built in the time keeps its staged roster.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from ...domain.plan import SolveResult, Status
from ...domain.rules import Mode
from ...problem.eligibility import allowed_seats
from ..model import CrossModel, build_model
from .arcs import applies
from .assemble import Roster, Seats, chosen_arcs, chosen_seats, extract_plan, make_plan
from .context import Search
from .cpsat import Reporter, cut_by_wall, new_solver, run
from .lexicographic import Phase, answer, lexicographic
from .polished import LpBound, polish_too_big, polished
from .staged import staged_roster


def stages_first(search: Search, n_seats: int) -> bool:
    """Whether a round is large enough for a staged first roster to pay for itself."""
    return n_seats > search.params.warm_start_seats and not applies(search.problem, search.params)


def _staged(search: Search, seats: Seats, *, too_big: bool) -> Roster | None:
    """The staged first roster, reported; None if staging found none (or one that fails
    verification, never expected)."""
    problem, params = search.problem, search.params
    t0 = time.monotonic()
    budget = (search.limit * params.too_big_stage_share if too_big
              else min(search.limit * params.warm_start_share, params.warm_start_max))
    staged = staged_roster(problem, seats, seed=search.seed, budget=budget, params=params, stop=search.stop)
    search.timings["warmstart"] = time.monotonic() - t0
    if staged is not None and search.check(make_plan(problem, staged.seats, staged.arcs)):
        staged = None
    if staged is not None:
        search.report("warmstart", objective=search.weighted(staged.terms))
    return staged


def solve_monolithic(search: Search) -> SolveResult:
    """One CP-SAT model of the whole round (mixed mode, or rotation that does not decompose)."""
    problem, params = search.problem, search.params
    seats = allowed_seats(problem)
    search.timings["seats"] = search.elapsed()
    n_seats = len(seats[0])
    large = n_seats > params.large_model_seats
    staging = stages_first(search, n_seats)
    # A round whose whole-round model could not even be built in the time (and would
    # need gigabytes) has only the staged roster: it gets most of the time for it.
    too_big = staging and n_seats * params.build_seconds_per_seat > 0.5 * search.limit
    mixed = problem.rules.mode is Mode.MIXED
    # A large mixed round will be polished, with the LP bound beside it: the LP starts
    # now, so the bound and the core search (which needs the LP's solution) have it in time.
    lp = LpBound(search, seats) if staging and large and mixed and not too_big else None
    staged = _staged(search, seats, too_big=too_big) if staging else None
    if too_big:
        if staged is None:
            # Not building the whole-round model anyway: it would take minutes and
            # gigabytes, and still find nothing in time. Say so in time.
            return search.result(Status.INTERRUPTED if search.stop.is_set() else Status.UNKNOWN)
        return polish_too_big(search, seats, staged, polish_it=large and mixed)
    if staged is not None and lp is not None:
        return polished(search, seats, staged, lp)
    if lp is not None:
        lp.cancel.set()  # no staged roster to polish: the whole-round model runs instead
    return _whole_round(search, seats, staged, large=large)


def _whole_round(search: Search, seats: Seats, staged: Roster | None, *, large: bool) -> SolveResult:
    """Both phases on the whole-round model, hinted with the staged roster if there is one."""
    problem, params = search.problem, search.params
    t0 = time.monotonic()
    built = build_model(problem, seats=seats)
    search.timings["build"] = time.monotonic() - t0
    if staged is not None:
        built.vars.warmstart(built.model, set(staged.seats), set(staged.arcs))
    solvers: list[cp_model.CpSolver] = []

    def run_phase(k: int, model: cp_model.CpModel) -> tuple[object, cp_model.CpSolver, bool] | None:
        remaining = search.left()
        if k == 0:
            remaining *= params.goals_share  # the rest is the lottery's
        elif search.stop.is_set() or remaining <= 0.05:
            return None
        solver = new_solver(seed=search.seed, seconds=remaining, workers=search.workers,
                            deterministic=None if large else remaining * params.deterministic_share, light=large)
        status, interrupted = run(solver, model, Reporter(("goals", "lottery")[k], search.start, search.progress),
                                  search.stop)
        search.timings[("goals", "lottery")[k]] = solver.wall_time
        solvers.append(solver)
        return status, solver, interrupted or search.stop.is_set()

    def hint(solver: cp_model.CpSolver) -> None:
        built.vars.warmstart(built.model, set(chosen_seats(built, solver)), set(chosen_arcs(built, solver)))

    phases = lexicographic(built.model, [built.main_objective, built.lottery_objective(problem, search.seed)],
                           run_phase, hint)
    goals = phases[0]
    if goals.status == cp_model.INFEASIBLE:
        return search.result(Status.INFEASIBLE)
    if staged is not None and (not goals.found or search.weighted(staged.terms) < goals.solver.objective_value):
        # The whole-round model found nothing better in its time: the staged roster stands,
        # with the whole-round model's bound if it got as far as one.
        return search.roster_result(staged, bound=goals.solver.best_objective_bound if goals.found else None,
                             reproducible=staged.reproducible and not large
                             and not cut_by_wall(goals.solver, goals.status))
    if not goals.found:
        return search.result(Status.INTERRUPTED if search.stop.is_set() else Status.UNKNOWN)
    return _two_phase_result(search, built, phases, large=large)


def _two_phase_result(search: Search, built: CrossModel, phases: list[Phase], *, large: bool) -> SolveResult:
    goals, final = phases[0], answer(phases)
    assert final is not None
    problem = search.problem
    plan = extract_plan(problem, built, final.solver)
    terms = search.terms({t.name: round(final.solver.value(t.expr)) for t in built.terms})
    objective = sum(t.weighted for t in terms)
    violations = search.verified(plan)
    bound = goals.solver.best_objective_bound
    gap = (objective - bound) / max(1.0, abs(objective)) if objective else 0.0
    interrupted = any(p.interrupted for p in phases) or search.stop.is_set()
    lottery = phases[1] if len(phases) > 1 and phases[1].found else None
    wall_cut = large or any(cut_by_wall(p.solver, p.status) for p in phases)
    status = Status.INTERRUPTED if interrupted else (Status.OPTIMAL if goals.optimal else Status.FEASIBLE)
    return search.result(
        status, plan=plan, objective=objective, bound=bound, gap=max(0.0, gap), terms=terms,
        lottery=lottery.value if lottery is not None else None,
        lottery_optimal=lottery is not None and lottery.optimal,
        reproducible=not (wall_cut or interrupted), violations=violations)
