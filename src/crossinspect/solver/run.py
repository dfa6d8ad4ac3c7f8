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
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from ..plan import ObjectiveTerm, Plan, Progress, SolveResult, Status
from ..problem import Problem
from . import decompose
from .assemble import make_plan
from .model import CrossModel, build_model

ProgressFn = Callable[[Progress], None]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, phase: str, start: float, progress: ProgressFn | None) -> None:
        super().__init__()
        self.phase = phase
        self.start = start
        self.progress = progress
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        if self.progress is not None:
            self.progress(Progress(phase=self.phase, objective=self.objective_value,
                                   bound=self.best_objective_bound,
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


def _stopped_by_wall(solver: cp_model.CpSolver, status: int) -> bool:
    """True when the wall clock, not deterministic time or a proof, ended the search."""
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        return False
    return solver.deterministic_time < solver.parameters.max_deterministic_time * 0.999


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

    built = build_model(problem)
    timings["build"] = time.monotonic() - start
    main = built.main_objective
    built.model.minimize(main)

    # Phase 1: the soft goals. Leave a quarter of the time for the lottery.
    solver = cp_model.CpSolver()
    large = len(built.vars.x) > LARGE_MODEL_SEATS
    _params(solver, seed=seed, workers=n_workers, time_limit=limit * 0.75, large=large)
    status, interrupted = _run(solver, built.model, _Reporter("goals", start, progress), stop)
    timings["goals"] = solver.wall_time
    base = dict(seed=seed, workers=n_workers,
                sanctions=tuple(problem.sanctions[i] for i in sorted(problem.sanctions)))
    if status == cp_model.INFEASIBLE:
        explanation = None
        if explain:
            from ..explain import explain as run_explain

            t0 = time.monotonic()
            explanation = run_explain(problem)
            timings["explain"] = time.monotonic() - t0
        return SolveResult(status=Status.INFEASIBLE, runtime=time.monotonic() - start,
                           timings=timings, explanation=explanation, **base)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SolveResult(status=Status.INTERRUPTED if interrupted else Status.UNKNOWN,
                           runtime=time.monotonic() - start, timings=timings,
                           **base)
    goals_optimal = status == cp_model.OPTIMAL
    wall_cut = large or _stopped_by_wall(solver, status)
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
        built.vars.warmstart(built.model, chosen)
        built.model.minimize(built.lottery_objective(problem, seed))
        solver2 = cp_model.CpSolver()
        _params(solver2, seed=seed, workers=n_workers, time_limit=remaining, large=large)
        status2, interrupted = _run(solver2, built.model, _Reporter("lottery", start, progress), stop)
        timings["lottery"] = solver2.wall_time
        wall_cut = wall_cut or _stopped_by_wall(solver2, status2)
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


def extract_plan(problem: Problem, built: CrossModel, solver: cp_model.CpSolver) -> Plan:
    """Read the chosen seats and arcs into a ``Plan``."""
    seats = [k for k, x in built.vars.x.items() if solver.boolean_value(x)]
    arcs = [k for k, lit in built.vars.arc.items() if solver.boolean_value(lit)]
    return make_plan(problem, seats, arcs)
