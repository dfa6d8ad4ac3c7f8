"""The one place CP-SAT solvers are made and run: parameters, stopping, progress reports."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from ...domain.plan import Progress
from ..params import SolveParams

ProgressFn = Callable[[Progress], None]


def new_solver(*, seed: int, seconds: float, workers: int = 1, deterministic: float | None = None,
               interleave: bool = True, light: bool = False) -> cp_model.CpSolver:
    """A CP-SAT solver stopping after ``seconds`` of wall time.

    ``deterministic`` (deterministic seconds) also stops it on deterministic time; with
    ``interleave`` the portfolio then runs in a fixed order, so the same input, seed and
    worker count give the same search. ``light`` skips most of presolve (probing,
    symmetry, repeated passes): for small hinted models that want a good answer soon, and
    for very large ones whose presolve would use the whole budget.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed % (2**31 - 1)
    params.num_workers = workers
    params.max_time_in_seconds = max(seconds, 0.01)
    if deterministic is not None:
        params.max_deterministic_time = max(deterministic, 0.01)
        params.interleave_search = interleave
    if light:
        params.cp_model_probing_level = 0
        params.symmetry_level = 0
        params.max_presolve_iterations = 1
    # CP-SAT's own SIGINT handler aborts the process (std::bad_function_call) when the
    # solve runs in a worker thread, and leaves SIGINT at its default after a solve;
    # Ctrl-C is Python's to handle (``run`` turns it into stop_search).
    params.catch_sigint_signal = False
    return solver


def small_solver(budget: float, seed: int, params: SolveParams) -> cp_model.CpSolver:
    """A one-worker solver for a small model (an arc, a stage, a polishing step).

    It stops on deterministic time, so it is the same search on every machine; its wall
    limit, several times longer, is only a safety net for a very slow machine. One worker
    makes it deterministic by construction, and lets such models run side by side. A light
    presolve: these models want a good answer soon, not a proof from presolve.
    """
    return new_solver(seed=seed, seconds=budget * params.small_wall_factor,
                      deterministic=budget * params.small_deterministic_share, interleave=False, light=True)


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


def run(solver: cp_model.CpSolver, model: cp_model.CpModel, reporter: Reporter | None,
        stop: threading.Event) -> tuple[Any, bool]:
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
