"""Settings shared by the small single-worker CP-SAT models: arcs, stages, polishing steps."""

from __future__ import annotations

from ortools.sat.python import cp_model

#: Deterministic seconds per wall second of a small model's budget. A single-worker
#: search stopped by deterministic time is the same search on every machine; the wall
#: limit (three times longer) is only a safety net for a very slow machine.
DETERMINISTIC_SHARE = 0.5


def single_worker(limit: float, seed: int) -> cp_model.CpSolver:
    """A one-worker solver for a small model: deterministic, light presolve, Ctrl-C left to Python."""
    solver = cp_model.CpSolver()
    # One worker per model: deterministic by construction, and models run side by side.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed % (2**31 - 1)
    solver.parameters.max_deterministic_time = max(limit * DETERMINISTIC_SHARE, 0.01)
    solver.parameters.max_time_in_seconds = max(limit * 3, 0.05)
    # Small models want a good answer soon, not a proof from presolve: a light presolve
    # cut the arcs' total time by about a third on the S benchmark (same optimum), and
    # full probing alone took ~6 s on a 22-team stage of a township round.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.max_presolve_iterations = 1
    # Ctrl-C is Python's to handle; CP-SAT's own handler aborts from a worker thread.
    solver.parameters.catch_sigint_signal = False
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
