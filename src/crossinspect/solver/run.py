"""Run the model: soft goals first, then the lottery among equally good rosters.

Two lexicographic phases. Phase 1 minimises the weighted soft goals. Phase 2 keeps
the soft goals at phase 1's value and minimises the seeded lottery weights, so
the published seed, not the solver's search order, picks among equally good
rosters (R11). When phase 2 is proven optimal the roster depends only on the
input, the rules and the seed: not on the machine, thread timing or worker count
(barring an exact tie in the lottery sum, which the 10⁴-wide weights make rare).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from ..plan import ObjectiveTerm, Plan, Progress, SolveResult, Status
from ..problem import Problem
from ..rules import Mode
from . import decompose
from .assemble import make_plan
from .avoidance import SeatKey, allowed_seats
from .model import CrossModel, build_model
from .objectives import TERM_ZH
from .subsolve import cut_by_wall
from .warmstart import WarmStart, polish, staged_roster

ProgressFn = Callable[[Progress], None]


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving roster. ``proves`` = False for a model that restricts the
    round (the core search): its bound holds for that model only, so none is reported."""

    def __init__(self, phase: str, start: float, progress: ProgressFn | None, *, proves: bool = True) -> None:
        super().__init__()
        self.phase = phase
        self.start = start
        self.progress = progress
        self.proves = proves
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.progress is not None:
            self.progress(Progress(phase=self.phase, objective=self.objective_value,
                                   bound=self.best_objective_bound if self.proves else None,
                                   elapsed=time.monotonic() - self.start, solutions=self.count))


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, reporter: _Reporter,
         stop: threading.Event) -> tuple[int, bool]:
    """Solve in a worker thread so Ctrl-C and ``stop`` reach ``StopSearch`` at once."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["s"] = solver.solve(model, reporter)
        finally:
            done.set()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    interrupted = False
    # Wait on an Event, not on thread.join()/is_alive(): on Python 3.11 a join()
    # interrupted by Ctrl-C can leave is_alive() False while the solve still runs,
    # and the caller then reads a solver that has no response yet.
    while not done.is_set():
        try:
            done.wait(0.05)
            if stop.is_set() and not interrupted:
                interrupted = True
                solver.stop_search()
        except KeyboardInterrupt:
            interrupted = True
            stop.set()
            solver.stop_search()
    thread.join()
    return box.get("s", cp_model.UNKNOWN), interrupted


#: Deterministic seconds allowed per wall-clock second of budget. Interleaved search
#: is reproducible only when it stops on deterministic time (or proves optimality);
#: on this project's 2-core machine one wall second buys about 0.4–0.5 deterministic
#: seconds, so the deterministic limit normally binds first.
DETERMINISTIC_SHARE = 0.4


#: Above this many seat variables a round counts as large (a township-level round of
#: ~1,000 cadres and ~140 teams has ~160,000). Measured on such a round: interleaved
#: (deterministic) search found no roster in 45 s and full presolve alone took 35 s,
#: while parallel search after a light presolve found the first roster 1.4 s into the
#: search. Large rounds therefore trade bit-for-bit reproducibility for a roster; the
#: result says so (``reproducible = false``) and the lottery is still seeded.
LARGE_MODEL_SEATS = 20_000


#: Rounds with more seat literals than this get a staged first roster (``warmstart``)
#: before the whole-round model: a generated province's city rounds (5–6 teams per
#: county, ~20,000 seats) found no roster in 25 s without one.
WARM_START_SEATS = 5_000

#: Share of the time limit the staged roster may take, and at most this many seconds:
#: measured on 2 cores, a 140-team township round is staged in ~6 s and a 59-team city
#: rotation in ~6 s; more budget buys a few percent of objective, and a later first roster.
WARM_START_SHARE = 0.25
WARM_START_MAX = 6.0



#: Share of the time limit for the staged roster of a round too big to build (below):
#: it is that round's only way to a roster.
TOO_BIG_STAGE_SHARE = 0.8

#: Share of the time limit that polishing (and the LP bound beside it) may use: the
#: rest is for verifying and returning the roster.
POLISH_SHARE = 0.95

#: Share of the time limit given to the core search (``core``), at the end of a large
#: mixed round's polishing, once the LP is solved. Measured on a township round
#: (2 cores): polishing gains little after ~30 s, and the core search then found 4–9
#: more points in 25 s.
CORE_SHARE = 0.3

#: Python time to build the whole-round model, per seat literal: 6.9 s for 160,000 seats
#: and 160 s for 3.8 million (benchmarks M and scale, 2 cores). A round whose model would
#: take more than half its time limit to build (and several GB) keeps its staged roster.
BUILD_SECONDS_PER_SEAT = 45e-6


def stages_first(problem: Problem, n_seats: int) -> bool:
    """Whether a round is large enough for a staged first roster to pay for itself."""
    return n_seats > WARM_START_SEATS and not decompose.applies(problem)


def _weighted(problem: Problem, terms: dict[str, int]) -> int:
    weights = problem.rules.weights.model_dump()
    return sum(weights[name] * value for name, value in terms.items())


def _staged_result(problem: Problem, staged: WarmStart, start: float, timings: dict[str, float], *,
                   interrupted: bool, reproducible: bool, bound: float | None, **base: Any) -> SolveResult:
    """The staged roster as the round's result, with the whole-round model's bound if it has one."""
    from ..verify import verify

    plan = make_plan(problem, staged.seats, staged.arcs)
    weights = problem.rules.weights.model_dump()
    terms = tuple(ObjectiveTerm(name=n, zh=TERM_ZH[n], weight=weights[n], value=staged.terms.get(n, 0),
                                weighted=weights[n] * staged.terms.get(n, 0))
                  for n in TERM_ZH if weights[n])
    t0 = time.monotonic()
    violations = tuple(verify(problem, plan))
    timings["verify"] = time.monotonic() - t0
    objective = sum(t.weighted for t in terms)
    gap = None if bound is None else max(0.0, (objective - bound) / max(1.0, abs(objective)))
    return SolveResult(
        status=Status.INTERRUPTED if interrupted else Status.FEASIBLE, plan=plan,
        objective=objective, bound=bound, gap=gap,
        runtime=time.monotonic() - start, terms=terms, lottery=None, lottery_optimal=False,
        reproducible=reproducible and not interrupted, violations=violations, timings=timings, **base)


def _params(solver: cp_model.CpSolver, *, seed: int, workers: int, time_limit: float,
            large: bool = False) -> None:
    solver.parameters.random_seed = seed % (2**31 - 1)
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
    if large:
        solver.parameters.max_presolve_iterations = 1
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
    else:
        # Interleaved search runs the portfolio in a fixed order, so the same input, seed
        # and worker count give the same search, and the same roster, on every run.
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = max(time_limit * DETERMINISTIC_SHARE, 0.01)
    # CP-SAT's own SIGINT handler aborts the process (std::bad_function_call) when the
    # solve runs in a worker thread, and leaves SIGINT at its default after a solve;
    # Ctrl-C is Python's to handle (_run turns it into stop_search).
    solver.parameters.catch_sigint_signal = False


def solve(problem: Problem, *, seed: int | None = None, time_limit: float | None = None,
          workers: int | None = None, progress: ProgressFn | None = None,
          stop: threading.Event | None = None, explain: bool = True) -> SolveResult:
    """Build teams for ``problem``; every returned plan has been checked by ``verify``.

    ``seed``, ``time_limit`` and ``workers`` default to the rules (``workers`` 0
    means one per core). ``progress`` receives a ``Progress`` on every improving
    roster. Setting ``stop`` (or Ctrl-C) ends the search with the best roster so far.
    """

    rules = problem.rules
    seed = rules.seed if seed is None else seed
    limit = rules.time_limit if time_limit is None else time_limit
    n_workers = workers if workers is not None else rules.workers
    n_workers = n_workers or max(1, min(8, os.cpu_count() or 1))
    stop = stop or threading.Event()
    if decompose.applies(problem):
        return decompose.solve_by_arcs(problem, seed=seed, time_limit=limit, workers=n_workers,
                                       progress=progress, stop=stop, explain=explain)
    return solve_monolithic(problem, seed=seed, time_limit=limit, workers=n_workers,
                            progress=progress, stop=stop, explain=explain)


def solve_monolithic(problem: Problem, *, seed: int, time_limit: float, workers: int,
                     progress: ProgressFn | None, stop: threading.Event, explain: bool = True) -> SolveResult:
    """One CP-SAT model of the whole round (mixed mode, or rotation with local roles)."""
    from ..verify import verify

    limit, n_workers = time_limit, workers
    start = time.monotonic()
    timings: dict[str, float] = {}
    base = dict(seed=seed, workers=n_workers,
                sanctions=tuple(problem.sanctions[i] for i in sorted(problem.sanctions)))

    seats = allowed_seats(problem)
    timings["seats"] = time.monotonic() - start
    large = len(seats[0]) > LARGE_MODEL_SEATS
    # A round whose whole-round model could not even be built in the time (and would
    # need gigabytes) has only the staged roster: it gets most of the time for it.
    staging = stages_first(problem, len(seats[0]))
    too_big = staging and len(seats[0]) * BUILD_SECONDS_PER_SEAT > 0.5 * limit
    staged: WarmStart | None = None
    # A large mixed round will be polished, with the LP bound beside it: the LP starts
    # now, so the bound and the core search (which needs the LP's solution) have it in time.
    lp: _LpBound | None = None
    if staging and large and not too_big and problem.rules.mode is Mode.MIXED:
        lp = _LpBound(problem, seats, deadline=start + limit * POLISH_SHARE)
    if staging:
        t0 = time.monotonic()
        budget = limit * TOO_BIG_STAGE_SHARE if too_big else min(limit * WARM_START_SHARE, WARM_START_MAX)
        staged = staged_roster(problem, seats, seed=seed, budget=budget, stop=stop)
        timings["warmstart"] = time.monotonic() - t0
        if staged is not None and verify(problem, make_plan(problem, staged.seats, staged.arcs)):
            staged = None  # never expected; the whole-round model still runs
        if staged is not None and progress is not None:
            progress(Progress(phase="warmstart", objective=_weighted(problem, staged.terms), bound=None,
                              elapsed=time.monotonic() - start, solutions=1))

    if too_big and staged is None:
        # Not building the whole-round model anyway: at 5,000 cadres that took 117-156 s
        # and 7.5-8.5 GB against a 20 s limit, and still found nothing. Say so in time.
        return SolveResult(status=Status.INTERRUPTED if stop.is_set() else Status.UNKNOWN,
                           runtime=time.monotonic() - start, timings=timings, **base)
    if too_big:
        assert staged is not None
        # Keep improving the staged roster instead, and say there is no bound.
        if large and problem.rules.mode is Mode.MIXED:
            t0 = time.monotonic()
            polished = polish(problem, seats, staged, seed=seed, stop=stop,
                              budget=start + limit * POLISH_SHARE - time.monotonic(), streams=n_workers)
            timings["polish"] = time.monotonic() - t0
            if not verify(problem, make_plan(problem, polished.seats, polished.arcs)):
                staged = polished
        return _staged_result(problem, staged, start, timings, interrupted=stop.is_set(), bound=None,
                              reproducible=staged.reproducible, **base)

    if staged is not None and lp is not None:
        return _polished(problem, seats, staged, lp, start=start, limit=limit, seed=seed, workers=n_workers,
                         stop=stop, progress=progress, timings=timings, base=base)
    if lp is not None:
        lp.cancel.set()  # no staged roster to polish: the whole-round model runs instead

    t0 = time.monotonic()
    built = build_model(problem, seats=seats)
    timings["build"] = time.monotonic() - t0
    main = built.main_objective
    built.model.minimize(main)
    if staged is not None:
        built.vars.warmstart(built.model, set(staged.seats), set(staged.arcs))

    # Phase 1: the soft goals. Leave a quarter of the time for the lottery.
    solver = cp_model.CpSolver()
    remaining = limit - (time.monotonic() - start)
    _params(solver, seed=seed, workers=n_workers, time_limit=remaining * 0.75, large=large)
    raw_status, interrupted = _run(solver, built.model, _Reporter("goals", start, progress), stop)
    status = int(raw_status)
    interrupted = interrupted or stop.is_set()
    timings["goals"] = solver.wall_time
    if status == cp_model.INFEASIBLE:
        explanation = None
        if explain:
            from ..explain import explain as run_explain

            t0 = time.monotonic()
            explanation = run_explain(problem)
            timings["explain"] = time.monotonic() - t0
        return SolveResult(status=Status.INFEASIBLE, runtime=time.monotonic() - start,
                           timings=timings, explanation=explanation, **base)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if staged is not None and (not found or _weighted(problem, staged.terms) < solver.objective_value):
        # The whole-round model found nothing better in its time: the staged roster stands,
        # with the whole-round model's bound if it got as far as one.
        return _staged_result(problem, staged, start, timings, interrupted=interrupted,
                              bound=solver.best_objective_bound if found else None,
                              reproducible=staged.reproducible and not large and not cut_by_wall(solver, status),
                              **base)
    if not found:
        return SolveResult(status=Status.INTERRUPTED if interrupted else Status.UNKNOWN,
                           runtime=time.monotonic() - start, timings=timings,
                           **base)
    goals_optimal = status == cp_model.OPTIMAL
    wall_cut = large or cut_by_wall(solver, status)
    best = round(solver.objective_value)
    bound = solver.best_objective_bound
    chosen = {k for k, x in built.vars.x.items() if solver.boolean_value(x)}
    final = solver
    lottery_value: int | None = None
    lottery_optimal = False

    remaining = limit - (time.monotonic() - start)
    if not interrupted and remaining > 0.05:
        # Phase 2: the lottery among rosters as good as the best found.
        if goals_optimal:
            built.model.add(main == best)
        else:
            built.model.add(main <= best)
        built.vars.warmstart(built.model, chosen, {k for k, lit in built.vars.arc.items()
                                                   if solver.boolean_value(lit)})
        built.model.minimize(built.lottery_objective(problem, seed))
        solver2 = cp_model.CpSolver()
        _params(solver2, seed=seed, workers=n_workers, time_limit=remaining, large=large)
        status2, interrupted = _run(solver2, built.model, _Reporter("lottery", start, progress), stop)
        timings["lottery"] = solver2.wall_time
        wall_cut = wall_cut or cut_by_wall(solver2, status2)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            final = solver2
            lottery_value = round(solver2.objective_value)
            lottery_optimal = status2 == cp_model.OPTIMAL

    plan = extract_plan(problem, built, final)
    terms = tuple(
        ObjectiveTerm(name=t.name, zh=t.zh, weight=t.weight, value=round(final.value(t.expr)),
                      weighted=t.weight * round(final.value(t.expr)))
        for t in built.terms
    )
    objective = sum(t.weighted for t in terms)
    t0 = time.monotonic()
    violations = tuple(verify(problem, plan))
    timings["verify"] = time.monotonic() - t0
    gap = (objective - bound) / max(1.0, abs(objective)) if objective else 0.0
    if interrupted:
        out_status = Status.INTERRUPTED
    elif goals_optimal:
        out_status = Status.OPTIMAL
    else:
        out_status = Status.FEASIBLE
    return SolveResult(
        status=out_status, plan=plan, objective=objective, bound=bound, gap=max(0.0, gap),
        runtime=time.monotonic() - start, terms=terms, lottery=lottery_value,
        lottery_optimal=lottery_optimal, reproducible=not (wall_cut or interrupted),
        violations=violations, timings=timings,
        **base,
    )


class _LpBound:
    """The LP bound of a round, computed on a thread of its own (``bound.lp_bound``).

    When ``finished`` is set, the thread is done: ``value`` holds the bound and ``mass``
    the LP's (cadre, team) preferences that the core search is built from (each None if
    the LP gave none), and ``failure`` the error, if any, for the caller to raise.
    Setting ``cancel`` interrupts the LP (where OR-Tools can: 9.15, not 9.12).
    """

    def __init__(self, problem: Problem, seats: tuple[list[SeatKey], set[SeatKey]], *, deadline: float) -> None:
        self.mass: Mapping[tuple[int, int], float] | None = None
        self.finished = threading.Event()
        self.cancel = threading.Event()
        self.failure: list[BaseException] = []
        self.value: float | None = None
        #: merged into the result's timings only once the thread is done with it
        self.clock: dict[str, float] = {}
        threading.Thread(target=self._run, args=(problem, seats, deadline), daemon=True).start()

    def _run(self, problem: Problem, seats: tuple[list[SeatKey], set[SeatKey]], deadline: float) -> None:
        # Imported here: it loads OR-Tools' MathOpt and protobuf, ~0.1 s that a city
        # rotation (the CLI's common case) never needs.
        from .bound import lp_bound, round_model, team_mass

        try:
            t0 = time.monotonic()
            built = round_model(problem, seats)
            self.clock["bound_build"] = time.monotonic() - t0
            found = lp_bound(built.model, deadline=deadline, stop=self.cancel)
            self.clock["bound"] = time.monotonic() - t0
            self.value = None if found is None else found.value
            self.mass = None if found is None or found.values is None else team_mass(built, found.values)
        except BaseException as exc:  # re-raised in the caller's thread, not lost in this one
            self.failure.append(exc)
        finally:
            self.finished.set()


def _polished(problem: Problem, seats: tuple[list[SeatKey], set[SeatKey]], staged: WarmStart, lp: _LpBound, *,
              start: float, limit: float, seed: int, workers: int, stop: threading.Event,
              progress: ProgressFn | None,
              timings: dict[str, float], base: dict[str, Any]) -> SolveResult:
    """Large mixed rounds: polish the staged roster on every worker, and prove a bound beside it.

    The whole-round CP-SAT model is not solved here. Measured on a 140-team township
    round (2 cores), it spent ~47 s of a 60 s limit in presolve, never improved on the
    polished roster, and its bound (1,795) stayed far below the LP relaxation's (1,953)
    while it held ~1 GB. Small CP-SAT steps over a few teams at a time improve the
    roster (``warmstart.polish``); the LP relaxation, solved by PDLP and certified by
    Lagrangian duality (``bound.lp_bound``), proves how far from optimal it can be;
    once solved, its solution also gives the seats of the core search (``core``).
    On ``stop`` this returns without waiting for the bound: its LP is interrupted (OR-Tools
    9.15; not 9.12) or ends by its own deadline.
    """
    from ..verify import verify

    deadline = start + limit * POLISH_SHARE
    rosters = [staged]  # each better than the one before; the last that verifies is returned
    try:
        t0 = time.monotonic()
        # Polish until the core search is due (or polishing converges first). The core
        # search needs the LP's solution: without it, polishing simply goes on.
        rosters.append(polish(problem, seats, staged, seed=seed, stop=stop, streams=workers,
                              budget=deadline - limit * CORE_SHARE - time.monotonic()))
        # Polishing that converged early waits for the LP, whose core search goes further.
        while not lp.finished.is_set() and not stop.is_set() and time.monotonic() < deadline - 1.0:
            lp.finished.wait(0.05)
        mass = lp.mass if lp.finished.is_set() else None
        if mass and not stop.is_set():
            t1 = time.monotonic()
            rosters.append(_core_search(problem, seats, rosters[-1], mass, budget=deadline - time.monotonic(),
                                        seed=seed, workers=workers, stop=stop,
                                        reporter=_Reporter("goals", start, progress, proves=False)))
            timings["core"] = time.monotonic() - t1
        if time.monotonic() < deadline - 0.5 and not stop.is_set():
            rosters.append(polish(problem, seats, rosters[-1], seed=seed, stop=stop, streams=workers,
                                  budget=deadline - time.monotonic()))
        timings["polish"] = time.monotonic() - t0 - timings.get("core", 0.0)
    except KeyboardInterrupt:
        stop.set()
    best = next(r for r in reversed(rosters)
                if r is staged or not verify(problem, make_plan(problem, r.seats, r.arcs)))
    if best is not staged and progress is not None:
        progress(Progress(phase="warmstart", objective=_weighted(problem, best.terms), bound=None,
                          elapsed=time.monotonic() - start, solutions=len(rosters)))
    # Wait on an Event, not join(): see _run (an interrupted join can report a live thread dead).
    while not lp.finished.is_set() and not stop.is_set():
        try:
            lp.finished.wait(0.05)
        except KeyboardInterrupt:
            stop.set()
    if stop.is_set():
        lp.cancel.set()
    if lp.failure:
        raise lp.failure[0]
    if lp.finished.is_set():
        timings.update(lp.clock)
    return _staged_result(problem, best, start, timings, interrupted=stop.is_set(), bound=lp.value,
                          reproducible=best.reproducible and not stop.is_set(), **base)


def _core_search(problem: Problem, seats: tuple[list[SeatKey], set[SeatKey]], roster: WarmStart,
                 mass: Mapping[tuple[int, int], float], *, budget: float, seed: int, workers: int,
                 stop: threading.Event, reporter: _Reporter) -> WarmStart:
    """``roster`` improved by CP-SAT over the round's core (``core``), or ``roster`` itself."""
    from .core import core_model

    built = core_model(problem, seats, mass, roster.seats)
    solver = cp_model.CpSolver()
    _params(solver, seed=seed, workers=workers, time_limit=budget, large=True)
    status, _ = _run(solver, built.model, reporter, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return roster
    terms = {t.name: round(solver.value(t.expr)) for t in built.terms}
    if _weighted(problem, terms) >= _weighted(problem, roster.terms):
        return roster
    return WarmStart(seats=[k for k, x in built.vars.x.items() if solver.boolean_value(x)], arcs=[],
                     terms=terms, wall=roster.wall + solver.wall_time, reproducible=False)


def extract_plan(problem: Problem, built: CrossModel, solver: cp_model.CpSolver) -> Plan:
    """Read the chosen seats and arcs into a ``Plan``."""
    seats = [k for k, x in built.vars.x.items() if solver.boolean_value(x)]
    arcs = [k for k, lit in built.vars.arc.items() if solver.boolean_value(lit)]
    return make_plan(problem, seats, arcs)
