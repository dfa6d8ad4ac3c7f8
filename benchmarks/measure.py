"""Measurements that run inside one child process each, so peak memory is per task.

Every function here returns a plain JSON-able dict. ``python -m benchmarks worker``
calls them and prints the dict as the last line of its output.
"""

from __future__ import annotations

import importlib.util
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from .generate import Instance, generate, scale_instance


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def instance_of(
    size: str, seed: int, city: str | None = None, time_limit: float | None = None, local_roles: bool = False
) -> Instance:
    found = [i for i in generate(size, seed, time_limit, local_roles) if city is None or i.name.endswith(city)]
    if len(found) != 1:
        raise ValueError(f"size {size} has no single instance named after {city!r}")
    return found[0]


def describe(instance: Instance) -> dict[str, Any]:
    rules = instance.rules
    pools = len({c.county for c in instance.book.cadres})
    return {
        "name": instance.name,
        "mode": rules["mode"],
        "level": rules["level"],
        "cadres": len(instance.book.cadres),
        "teams": len(instance.book.targets),
        "counties": pools,
        "history": len(instance.book.history),
        "decisions": len(instance.book.decisions),
        "time_limit": rules["time_limit"],
    }


def cpsat(
    instance: Instance, *, workers: int | None = None, write: bool = True, presolve: bool = True
) -> dict[str, Any]:
    """Build the problem, solve (both phases, verified), write the roster; time every step."""
    from crossinspect import solve
    from crossinspect.domain.plan import Progress

    out: dict[str, Any] = {"instance": describe(instance)}
    t0 = time.perf_counter()
    problem = instance.problem()
    out["problem_s"] = time.perf_counter() - t0
    events: list[Progress] = []
    t1 = time.perf_counter()
    result = solve(problem, workers=workers, progress=events.append)
    out["solve_wall_s"] = time.perf_counter() - t1
    out["timings"] = dict(result.timings)
    out["status"] = result.status.value
    out["objective"] = result.objective
    out["bound"] = result.bound
    out["gap"] = result.gap
    out["lottery_optimal"] = result.lottery_optimal
    out["reproducible"] = result.reproducible
    out["not_reproducible"] = result.not_reproducible_en
    out["effort"] = result.effort
    out["effort_used"] = result.effort_used
    out["seats_sha256"] = seats_digest(result.plan)
    out["violations"] = len(result.violations)
    out["workers"] = result.workers
    out["terms"] = {t.name: t.value for t in result.terms}
    if result.plan is not None:
        from .baselines import soft_goals

        # The baselines' soft-goal count must agree with the solver's own report.
        recount = soft_goals(problem, result.plan)
        out["terms_agree"] = all(recount[k] == v for k, v in out["terms"].items())
    out["path"] = solver_path(problem)
    out.update(roster_times(events, result))
    # The library's own count (from the start of the search), as the JSON reports it.
    out["first_roster_s"] = result.first_roster_s
    out["write_s"] = None
    if write and result.plan is not None:
        try:
            from crossinspect.io.roster import write_roster
        except ImportError as exc:  # the roster writer may still be under construction
            out["write_error"] = f"import failed: {exc}"
        else:
            with tempfile.TemporaryDirectory(prefix="bench-roster-") as tmp:
                t2 = time.perf_counter()
                try:
                    write_roster(problem, result, Path(tmp) / "roster.xlsx", force=True)
                    out["write_s"] = time.perf_counter() - t2
                except Exception as exc:  # report, do not hide, a writer failure
                    out["write_error"] = f"{type(exc).__name__}: {exc}"
    out["peak_rss_mb"] = peak_rss_mb()
    if presolve and out["path"] == "monolithic":
        out["presolve_s"] = presolve_seconds(problem)
    return out


def seats_digest(plan: Any) -> str | None:
    """SHA-256 of a plan's seats, to tell whether two runs drew the same roster."""
    import hashlib

    if plan is None:
        return None
    seats = sorted(f"{s.target_id}|{s.cadre_id}|{s.role.value}" for s in plan.seats())
    return hashlib.sha256("\n".join(seats).encode("utf-8")).hexdigest()


def plain_feasibility(instance: Instance, *, seconds: float = 300.0) -> dict[str, Any]:
    """The baseline for the first roster: the round's hard rules as one plain CP-SAT model
    (no soft goals, no objective, no hint), CP-SAT's defaults on every core, stopped at its
    first solution. Timed from the start of model building, as ``first_roster_s`` is from
    the start of the search."""
    import os

    from ortools.sat.python import cp_model

    from crossinspect.solver import build_model

    problem = instance.problem()
    t0 = time.perf_counter()
    built = build_model(problem, goals=False)
    build_s = time.perf_counter() - t0
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    solver.parameters.stop_after_first_solution = True
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(built.model)
    return {
        "instance": describe(instance),
        "build_s": build_s,
        "solve_s": solver.wall_time,
        "first_roster_s": time.perf_counter() - t0,
        "status": solver.status_name(status),
        "found": status in (cp_model.OPTIMAL, cp_model.FEASIBLE),
        "peak_rss_mb": peak_rss_mb(),
    }


def solver_path(problem: Any) -> str:
    """Which model ``solve`` uses: the per-arc decomposition (rotation) or one model."""
    from crossinspect.solver import SolveParams
    from crossinspect.solver.search import arcs

    return "decomposed" if arcs.applies(problem, SolveParams()) else "monolithic"


def roster_times(events: list[Any], result: Any) -> dict[str, Any]:
    """First roster and best roster times, in seconds from the start of ``solve``.

    Progress events of the soft-goal phase carry the objective of each improving roster.
    A solve that reports none (the rotation decomposition has its first roster only when
    the cycle is chosen, at the end) counts its runtime for both.
    """
    goals = [e for e in events if e.objective is not None and e.phase != "lottery"]
    final = result.objective
    if not goals:
        done = result.runtime if result.plan is not None else None
        return {"first_roster_s": done, "first_objective": final, "to_best_s": done, "trajectory": []}
    return {
        "first_roster_s": goals[0].elapsed,
        "first_objective": goals[0].objective,
        "to_best_s": next(
            (e.elapsed for e in goals if final is not None and e.objective <= final + 1e-6), result.runtime
        ),
        "trajectory": [(round(e.elapsed, 3), e.objective, e.bound) for e in goals],
    }


def presolve_seconds(problem: Any) -> float:
    """Wall time of CP-SAT's presolve alone on the phase-1 model (one worker)."""
    from ortools.sat.python import cp_model

    from crossinspect.solver import build_model

    built = build_model(problem)
    built.model.minimize(built.main_objective)
    solver = cp_model.CpSolver()
    solver.parameters.stop_after_presolve = True
    solver.parameters.num_workers = 1
    solver.solve(built.model)
    return float(solver.wall_time)


def baselines(
    instance: Instance,
    *,
    target: float | None,
    office_runs: int = 20,
    office_tries: int = 100,
    mip_time_limit: float = 120.0,
    with_mip: bool = True,
    with_lp: bool = True,
) -> dict[str, Any]:
    """The office's draw, HiGHS on the same model as a MIP, and the LP relaxation."""
    from . import baselines as b

    problem = instance.problem()
    out: dict[str, Any] = {"instance": describe(instance)}
    out["office"] = b.office_summary(problem, runs=office_runs, tries=office_tries, seed=int(instance.rules["seed"]))
    if (with_mip or with_lp) and importlib.util.find_spec("highspy") is None:
        out["mip_skipped"] = "highspy is not installed (pip install -e '.[bench]')"
        with_mip = with_lp = False
    if with_mip or with_lp:
        model = b.mip_model(problem)
        out["mip_build_s"] = model.build_seconds
        if with_lp:
            out["lp"] = b.lp_bound(problem, model)
        if with_mip:
            out["mip"] = b.mip(problem, target=target, time_limit=mip_time_limit, model=model)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def scale_point(mode: str, cadres: int, *, seed: int, time_limit: float) -> dict[str, Any]:
    """One point of the scaling sweep: build times, model size, first roster, gap, memory."""
    from crossinspect import solve
    from crossinspect.problem.eligibility import allowed_seats

    t0 = time.perf_counter()
    instance = scale_instance(mode, cadres, seed=seed, time_limit=time_limit)
    out: dict[str, Any] = {
        "mode": mode,
        "cadres": cadres,
        "instance": describe(instance),
        "generate_s": time.perf_counter() - t0,
    }
    t1 = time.perf_counter()
    problem = instance.problem()
    out["problem_s"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    out["seats"] = len(allowed_seats(problem)[0])  # the monolithic model's Boolean seat variables
    out["seats_s"] = time.perf_counter() - t2
    events: list[Any] = []
    t3 = time.perf_counter()
    result = solve(problem, progress=events.append)
    out["solve_wall_s"] = time.perf_counter() - t3
    out["timings"] = dict(result.timings)
    out["path"] = solver_path(problem)
    out["first_roster_s"] = roster_times(events, result)["first_roster_s"]
    out["status"] = result.status.value
    out["objective"] = result.objective
    out["gap"] = result.gap
    out["lottery_optimal"] = result.lottery_optimal
    out["violations"] = len(result.violations)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def profile_build(instance: Instance, top: int = 25) -> str:
    """cProfile of building the problem and the CP-SAT model (no solving), as text."""
    import cProfile
    import io
    import pstats

    from crossinspect.solver import build_model

    prof = cProfile.Profile()
    prof.enable()
    problem = instance.problem()
    built = build_model(problem)
    built.model.minimize(built.main_objective)
    built.lottery_objective(problem, "0")
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    buf.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def profile_cli(instance: Instance, top: int = 25) -> str:
    """cProfile of the whole ``crossinspect solve`` command (imports included) on the instance's workbook."""
    import subprocess
    import sys

    from .workbook import write_input

    with tempfile.TemporaryDirectory(prefix="bench-cli-prof-") as tmp:
        xlsx, toml = write_input(instance, Path(tmp) / "in")
        stats = Path(tmp) / "cli.prof"
        code = (
            "import sys\n"
            "from crossinspect.cli import app\n"
            f"sys.argv = ['crossinspect', 'solve', {str(xlsx)!r}, '--rules', {str(toml)!r}, "
            f"'-o', {str(Path(tmp) / 'roster.xlsx')!r}, '--force']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
        )
        script = Path(tmp) / "cli_run.py"
        script.write_text(code, encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(stats), str(script)], check=False, capture_output=True
        )
        import io
        import pstats

        buf = io.StringIO()
        pstats.Stats(str(stats), stream=buf).strip_dirs().sort_stats("cumulative").print_stats(top)
        return buf.getvalue()
