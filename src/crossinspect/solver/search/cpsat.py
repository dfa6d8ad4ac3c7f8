"""The one place CP-SAT solvers are made and run: parameters, stopping, progress reports.

Every solver here runs on one worker and stops on deterministic time (``units``): one
worker is deterministic by construction, and deterministic time is counted the same on
every machine, so a search stopped by it is the same search everywhere. Its wall limit is
only the run's safety stop. Several such searches run side by side when there are
workers for them (``portfolio``); which of them runs first never changes what they find.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from ...domain.plan import Progress

ProgressFn = Callable[[Progress], None]

#: CP-SAT parameters of each configuration a portfolio may run (``SolveParams.portfolio``).
CONFIGS: dict[str, dict[str, Any]] = {
    "lp2": {"linearization_level": 2},
    "lp1": {},
    "core": {"optimize_with_core": True},
}


def new_solver(
    *, seed: int, units: float, seconds: float, light: bool = False, config: str = "lp1"
) -> cp_model.CpSolver:
    """A one-worker CP-SAT solver stopping after ``units`` of deterministic time, or at the
    latest after ``seconds`` of wall time (the safety stop).

    ``light`` skips most of presolve (probing, symmetry, repeated passes): for small hinted
    models that want a good answer soon, and for very large ones whose presolve would use
    the whole budget.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = 1
    params.max_deterministic_time = max(units, 0.001)
    params.max_time_in_seconds = max(seconds, 0.01)
    for key, value in CONFIGS[config].items():
        setattr(params, key, value)
    if light:
        params.cp_model_probing_level = 0
        params.symmetry_level = 0
        params.max_presolve_iterations = 1
    # CP-SAT's own SIGINT handler aborts the process (std::bad_function_call) when the
    # solve runs in a worker thread, and leaves SIGINT at its default after a solve;
    # Ctrl-C is Python's to handle (``run`` turns it into stop_search).
    params.catch_sigint_signal = False
    return solver


def deterministic_time(solver: cp_model.CpSolver) -> float:
    """The deterministic time of the solver's last search (OR-Tools ≤ 9.12 has it only in
    the response proto)."""
    value = getattr(solver, "deterministic_time", None)
    return float(value if value is not None else solver.response_proto.deterministic_time)


def cut_by_wall(solver: cp_model.CpSolver, status: object) -> bool:
    """True when the wall clock, not deterministic time or a proof, ended the search."""
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        return False
    return deterministic_time(solver) < solver.parameters.max_deterministic_time * 0.999


def found(status: object) -> bool:
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


class Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving roster. ``proves`` = False for a model that restricts the
    round (the core search): its bound holds for that model only, so none is reported."""

    def __init__(self, phase: str, report: Callable[..., None], *, proves: bool = True, scale: int = 1) -> None:
        super().__init__()
        self.phase = phase
        self.report = report
        self.proves = proves
        #: the objective is ``soft goals · scale + lottery``: the soft goals are reported
        self.scale = scale
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        bound = self.best_objective_bound if self.proves else None
        self.report(
            self.phase,
            objective=self.objective_value // self.scale,
            bound=None if bound is None else max(0.0, (bound - self.scale + 1) // self.scale),
            solutions=self.count,
        )


def run(
    solver: cp_model.CpSolver, model: cp_model.CpModel, reporter: Reporter | None, stop: threading.Event
) -> tuple[Any, bool]:
    """Solve in a worker thread so Ctrl-C and ``stop`` reach ``StopSearch`` at once.

    Returns the status and whether the search was interrupted. An exception raised by
    the search reaches the caller.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["s"] = solver.solve(model, reporter)
        except BaseException as exc:  # raised in the caller's thread below
            box["e"] = exc
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
    if "e" in box:
        raise box["e"]
    return box.get("s", cp_model.UNKNOWN), interrupted


@dataclass
class Outcome:
    """One search's end: its status, its solver, and what ended it."""

    status: Any
    solver: cp_model.CpSolver
    interrupted: bool
    config: str
    #: the best lower bound known when this outcome stands for several searches
    bound: float | None = None
    #: stopped because an earlier search of its portfolio proved its answer: not used
    superseded: bool = False

    def __post_init__(self) -> None:
        if self.superseded:
            self.status = cp_model.UNKNOWN
        elif self.bound is None and found(self.status):
            self.bound = self.solver.best_objective_bound

    @property
    def found(self) -> bool:
        return found(self.status)

    @property
    def optimal(self) -> bool:
        return bool(self.status == cp_model.OPTIMAL)

    @property
    def wall_cut(self) -> bool:
        return not self.superseded and (self.interrupted or cut_by_wall(self.solver, self.status))

    @property
    def units(self) -> float:
        return 0.0 if self.superseded else deterministic_time(self.solver)


class _Either:
    """A stop signal raised by the user (``outer``) or by the portfolio itself (``own``)."""

    def __init__(self, outer: threading.Event) -> None:
        self.outer = outer
        self.own = threading.Event()

    def is_set(self) -> bool:
        return self.outer.is_set() or self.own.is_set()

    def set(self) -> None:
        self.outer.set()


def portfolio(
    models: Callable[[], cp_model.CpModel],
    configs: tuple[str, ...],
    *,
    seed: int,
    units: float,
    seconds: Callable[[], float],
    workers: int,
    stop: threading.Event,
    light: bool = False,
    reporter: Callable[[], Reporter | None] = lambda: None,
) -> list[Outcome]:
    """Each configuration's search on its own copy of the model (``models`` makes one), with
    ``units`` of effort each; side by side on up to ``workers`` threads.

    A search that proves its answer (optimal or infeasible) makes every search after it in
    ``configs`` unnecessary: those are stopped and marked ``superseded``, and their results
    and effort are not used. Searches before it always run to their end. So the outcomes,
    which come back in configuration order, are the same whatever order they ran in.
    """
    signals = [_Either(stop) for _ in configs]

    def one(k: int) -> tuple[Any, cp_model.CpSolver, bool] | None:
        if signals[k].own.is_set():
            return None
        model = models()
        solver = new_solver(seed=seed, units=units, seconds=seconds(), light=light, config=configs[k])
        status, interrupted = run(solver, model, reporter(), signals[k])  # type: ignore[arg-type]
        if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            for later in signals[k + 1 :]:
                later.own.set()  # only saves time: which results count is decided below
        return status, solver, interrupted

    if workers <= 1 or len(configs) == 1:
        ran = [one(k) for k in range(len(configs))]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(configs))) as pool:
            ran = list(pool.map(one, range(len(configs))))
    outcomes: list[Outcome] = []
    proved = False
    for config, done in zip(configs, ran, strict=True):
        if proved or done is None:
            outcomes.append(Outcome(cp_model.UNKNOWN, cp_model.CpSolver(), False, config, superseded=True))
            continue
        status, solver, interrupted = done
        outcomes.append(Outcome(status, solver, interrupted, config))
        proved = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return outcomes


def best(outcomes: list[Outcome]) -> Outcome | None:
    """The outcome with the best roster: the lowest objective, ties to the earliest."""
    done = [o for o in outcomes if o.found]
    return min(done, key=lambda o: o.solver.objective_value) if done else None
