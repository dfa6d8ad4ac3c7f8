"""``python -m benchmarks experiment``: evidence for the model changes proposed in docs/benchmarks.md.

Nothing here changes crossinspect. Each variant builds the solver's own model with the
novelty weight set to 0 (so ``objectives._novelty`` is skipped), then adds a novelty
term of its own, and reports build time, model size, presolve time and the first
roster and gap of a time-limited solve with the solver's own parameters:

* ``current``  — the solver as it is (``_novelty`` with ``Variables.on_team`` scans);
* ``indexed``  — the same z[a, b, j] encoding, with the (cadre, team) → literals index
  built once instead of scanning a cadre's seats for every pair and team;
* ``grouped``  — one integer per (past team, new team): pairs_Gj ≥ k·n_Gj − k(k+1)/2 for
  k = 1 … size−1, where n_Gj counts G's members on team j. Since C(n, 2) is the maximum of
  those lines over integer k, pairs_Gj = C(n_Gj, 2) at the optimum: the same pair count
  (a pair that shared two past teams counts twice);
* ``none``     — no novelty term at all: the most any encoding could save;
* ``tuned``    — ``grouped``, solved with CP-SAT's default portfolio (no interleaved
  search, no deterministic limit) and ``cp_model_probing_level = 0``;
* ``hinted``   — ``tuned``, plus a roster from the draw in its ``smart`` form (local seats
  first, members chosen to cover missing skills and women; up to 200 lots a seat) as a
  solution hint; the draw's time is reported and counted in "first roster".
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from .generate import Instance
from .measure import instance_of, peak_rss_mb

VARIANTS = ("current", "indexed", "grouped", "none", "tuned", "hinted")


def _problem(instance: Instance, novelty: bool) -> Any:
    from crossinspect.io.rules_reader import merge_rules
    from crossinspect.problem import build_problem

    rules = dict(instance.rules)
    if not novelty:
        rules["weights"] = {**rules.get("weights", {}), "novelty": 0}
    return build_problem(instance.book, merge_rules(rules))


def build_variant(instance: Instance, variant: str) -> tuple[Any, Any, float]:
    """(problem, CrossModel, build seconds) for one variant."""
    from crossinspect.solver import build_model

    problem = _problem(instance, novelty=variant == "current")
    t0 = time.perf_counter()
    built = build_model(problem)
    if variant in ("indexed", "grouped", "tuned", "hinted"):
        weight = _problem(instance, novelty=True).rules.weights.novelty
        expr = _indexed(built, problem) if variant == "indexed" else _grouped(built, problem)
        from crossinspect.solver.model.objectives import Term

        built.terms.append(Term("novelty", "往轮同组再同组", weight, expr))
    return problem, built, time.perf_counter() - t0


def _on_team_index(built: Any) -> dict[tuple[int, int], list[Any]]:
    index: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for (i, j, _), x in built.vars.x.items():
        index[(i, j)].append(x)
    return index


def _indexed(built: Any, problem: Any) -> Any:
    model = built.model
    index = _on_team_index(built)
    again = []
    for a, b in problem.past_teammates:
        for j in built.vars.targets:
            la, lb = index.get((a, j)), index.get((b, j))
            if la and lb:
                z = model.new_bool_var(f"again_{a}_{b}_{j}")
                model.add(z >= sum(la) + sum(lb) - 1)
                again.append(z)
    return sum(again)


def _grouped(built: Any, problem: Any) -> Any:
    from ortools.sat.python import cp_model

    model = built.model
    index = _on_team_index(built)
    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    for rec in problem.book.history:
        if rec.cadre_id in problem.cadre_index:
            groups[(rec.round, rec.place)].add(problem.cadre_index[rec.cadre_id])
    terms = []
    for members in groups.values():
        if len(members) < 2:
            continue
        ordered = sorted(members)
        for j in built.vars.targets:
            lits = [x for a in ordered for x in index.get((a, j), ())]
            present = sum(1 for a in ordered if index.get((a, j)))
            if present < 2:
                continue
            most = min(present, problem.target_size(j)[1])
            n = cp_model.LinearExpr.sum(lits)
            pairs = model.new_int_var(0, most * (most - 1) // 2, f"pairs_{j}")
            for k in range(1, most):
                model.add(pairs >= k * n - k * (k + 1) // 2)
            terms.append(pairs)
    return cp_model.LinearExpr.sum(terms) if terms else 0


def run_variant(instance: Instance, variant: str, *, time_limit: float, workers: int) -> dict[str, Any]:
    """Build, presolve alone, then solve phase 1 with the solver's parameters."""
    from ortools.sat.python import cp_model

    from crossinspect.solver.search.cpsat import new_solver

    problem, built, build_s = build_variant(instance, variant)
    proto = built.model.proto
    out: dict[str, Any] = {"variant": variant, "build_s": build_s, "variables": len(proto.variables),
                           "constraints": len(proto.constraints), "seats": len(built.vars.x)}
    built.model.minimize(built.main_objective)
    pre = cp_model.CpSolver()
    pre.parameters.stop_after_presolve = True
    pre.parameters.num_workers = 1
    pre.solve(built.model)
    out["presolve_s"] = pre.wall_time
    first: list[float] = []

    class _First(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if not first:
                first.append(self.wall_time)

    draw_s = 0.0
    if variant == "hinted":
        from .baselines import office_method

        t0 = time.perf_counter()
        run = office_method(problem, seed=int(instance.rules["seed"]), tries=50, redraws=200, smart=True)
        draw_s = time.perf_counter() - t0
        out["draw_s"] = draw_s
        out["draw_found"] = run.found
        out["draw_objective"] = run.objective
        if run.plan is not None:
            chosen = {(problem.cadre_index[st.cadre_id], problem.target_index[st.target_id], st.role)
                      for st in run.plan.seats()}
            built.vars.warmstart(built.model, chosen)
    solver = new_solver(seed=int(instance.rules["seed"]), seconds=time_limit, workers=workers,
                        deterministic=time_limit * 0.4)
    if variant in ("tuned", "hinted"):
        solver.parameters.interleave_search = False
        solver.parameters.max_deterministic_time = float("inf")
        solver.parameters.cp_model_probing_level = 0
    status = solver.solve(built.model, _First())
    out["status"] = solver.status_name(status)
    out["first_roster_s"] = first[0] + draw_s if first else None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        obj, bound = solver.objective_value, solver.best_objective_bound
        out.update(objective=obj, bound=bound, gap=(obj - bound) / max(1.0, abs(obj)))
    out["solve_s"] = solver.wall_time
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def main(size: str, variants: list[str], *, seed: int, time_limit: float, workers: int) -> int:
    from .run import child, fmt, md_table

    rows = []
    for variant in variants:
        r = child("experiment", {"size": size, "seed": seed, "variant": variant, "time_limit": time_limit,
                                 "workers": workers})
        if "error" in r:
            rows.append([variant, r["error"], *[None] * 8])
            continue
        status = r["status"] + (f"; draw {r['draw_s']:.1f} s, found {fmt(r['draw_found'])}" if "draw_s" in r else "")
        rows.append([variant, r["build_s"], r["variables"], r["constraints"], r["presolve_s"],
                     r["first_roster_s"], r.get("objective"), None if r.get("gap") is None else 100 * r["gap"],
                     status, r["peak_rss_mb"]])
    print(f"## Novelty encodings, size {size}, phase 1 only, time limit {time_limit:.0f} s, {workers} workers\n")
    print(md_table(["variant", "model build (s)", "variables", "constraints", "presolve alone (s)",
                    "first roster (s)", "objective", "gap %", "status", "peak MiB"], rows))
    return 0


def worker(params: dict[str, Any]) -> dict[str, Any]:
    inst = instance_of(params["size"], params["seed"])
    return run_variant(inst, params["variant"], time_limit=params["time_limit"], workers=params["workers"])


def arc_times(size: str, city: str | None, *, seed: int, arcs: int, limit: float) -> dict[str, Any]:
    """Solve a sample of a rotation round's per-arc sub-problems alone (``decompose.solve_arc``).

    Shows how long one arc takes with one worker when it is given ``limit`` seconds, which
    is what the decomposition's time budget has to cover for every usable arc.
    """
    import random

    from crossinspect.solver import SolveParams
    from crossinspect.solver.search import arcs as decompose

    problem = instance_of(size, seed, city).problem()
    targets_in = problem.teams_by_county()
    pools = problem.pools()
    every = [(u, w) for u in problem.counties for w in problem.counties if u != w and (u, w) not in problem.past_arcs]
    sample = random.Random(seed).sample(every, min(arcs, len(every)))
    rows = []
    for u, w in sample:
        r = decompose.solve_arc(problem, u, w, targets_in.get(w, []), pools.get(u, set()), seed=seed, limit=limit,
                                params=SolveParams())
        rows.append({"arc": f"{problem.county_name(u)}→{problem.county_name(w)}", "teams": len(targets_in.get(w, [])),
                     "feasible": r.feasible, "proven": r.proven, "wall_s": r.wall})
    return {"size": size, "city": city, "arcs_total": len(every), "limit": limit, "rows": rows}
