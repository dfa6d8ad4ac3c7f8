"""Exact decomposition of a rotation round (推磨式) by arc.

In rotation mode without local roles, every team in county w is staffed by the one
pool sent to w. Fix the cycle and the round splits into independent problems, one
per arc u→w: staff w's teams from u's pool. Every hard rule is local to an arc (each
cadre sits once — a pool serves one arc; bans within a team; pins force their arc),
and so is every soft goal (the balance term compares each team with a fixed
reference; travel, department, novelty, workload and the lottery are per seat).

So the optimum is: solve each arc's problem for the soft goals, choose the cycle
minimising the sum of arc costs (ties broken by seeded arc weights) — a small circuit
problem — and then, for the chosen arcs only, draw the lottery among each arc's
equally good staffings. Both levels are CP-SAT models and both are solved to proven optimality on
city-sized rounds in a fraction of the monolithic model's time, which is what makes a
published seed reproduce the same roster on any machine (R11).

With local roles, a county's pool both receives (local seats at home) and sends, so
the arcs are coupled; those rounds use the monolithic model.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..plan import ObjectiveTerm, Progress, SolveResult, Status
from ..problem import Problem
from ..rules import Mode
from . import lottery
from .assemble import make_plan
from .avoidance import SeatKey, allowed_seats
from .model import build_model
from .objectives import TERM_ZH
from .rotation import add_cycle_cover
from .subsolve import cut_by_wall, single_worker

#: Above this many teams in one county an arc is itself a hard packing problem (one pool
#: staffing several teams); measured on a generated 厦门 round (5–6 teams per county,
#: pools of 40) single-worker arcs needed ~5 s each just for a first staffing, so 30
#: arcs took longer than the whole-round model took to find a roster (29 s).
MAX_TEAMS_PER_COUNTY = 2


def applies(problem: Problem) -> bool:
    """Whether the round decomposes exactly by arc, and the arcs are small enough to pay."""
    if problem.rules.mode is not Mode.ROTATION or problem.rules.local_roles:
        return False
    per_county: dict[str, int] = defaultdict(int)
    for c in problem.target_county:
        per_county[c] += 1
    return max(per_county.values(), default=0) <= MAX_TEAMS_PER_COUNTY


@dataclass
class ArcResult:
    """The best way for pool u to staff county w, or why it cannot."""

    source: str
    dest: str
    feasible: bool
    proven: bool  # infeasibility or optimality proven (not cut by the time limit)
    main: int = 0
    lottery: int = 0
    terms: dict[str, int] = field(default_factory=dict)
    seats: list[SeatKey] = field(default_factory=list)
    wall: float = 0.0
    #: the wall clock, not deterministic time or a proof, ended a search: not reproducible
    wall_cut: bool = False


def solve_arc(problem: Problem, u: str, w: str, targets: list[int], pool: set[int], *,
              seed: int, limit: float, seats: tuple[list[SeatKey], set[SeatKey]] | None = None,
              draw: bool = True) -> ArcResult:
    """Staff county w's teams from pool u: soft goals first, then (with ``draw``) the lottery.

    ``seats`` are the seats of w's teams taken by u's pool (with the local ones), when known.
    """
    start = time.monotonic()
    if not targets:
        return ArcResult(u, w, True, True)
    built = build_model(problem, scope=(pool, targets), seats=seats)
    main = built.main_objective
    built.model.minimize(main)
    solver = single_worker(limit / 2, seed)
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return ArcResult(u, w, False, True, wall=time.monotonic() - start)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ArcResult(u, w, False, False, wall=time.monotonic() - start,
                         wall_cut=cut_by_wall(solver, status))
    proven = status == cp_model.OPTIMAL
    best = round(solver.objective_value)
    chosen = {k for k, x in built.vars.x.items() if solver.boolean_value(x)}
    if not draw:
        terms = {t.name: round(solver.value(t.expr)) for t in built.terms}
        return ArcResult(u, w, True, proven, main=best, terms=terms, seats=sorted(chosen),
                         wall=time.monotonic() - start, wall_cut=cut_by_wall(solver, status))
    built.model.add(main == best if proven else main <= best)
    built.vars.warmstart(built.model, chosen)
    built.model.minimize(built.lottery_objective(problem, seed))
    # A fixed budget, not "what is left": the same work on every machine.
    second = single_worker(limit / 2, seed)
    status2 = second.solve(built.model)
    final = second if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE) else solver
    proven = proven and status2 == cp_model.OPTIMAL
    picked = [k for k, x in built.vars.x.items() if final.boolean_value(x)]
    terms = {t.name: round(final.value(t.expr)) for t in built.terms}
    return ArcResult(
        u, w, True, proven, main=sum(t.weight * terms[t.name] for t in built.terms),
        lottery=round(second.objective_value) if final is second else 0,
        terms=terms, seats=picked, wall=time.monotonic() - start,
        wall_cut=cut_by_wall(solver, status) or cut_by_wall(second, status2))


def solve_by_arcs(problem: Problem, *, seed: int, time_limit: float, workers: int,
                  progress: Callable[[Progress], None] | None, stop: threading.Event,
                  explain: bool = True) -> SolveResult:
    """Solve a rotation round exactly by arc decomposition (see the module docstring)."""
    from ..verify import verify

    start = time.monotonic()
    rules = problem.rules
    counties = problem.counties
    targets_in = problem.teams_by_county()
    pools = problem.pools()
    arcs = [(u, w) for u in counties for w in counties
            if u != w and (u, w) not in problem.past_arcs]
    # The allowed seats once for the round, split by arc, rather than once per arc.
    all_seats, local = allowed_seats(problem)
    arc_seats: dict[tuple[str, str], list[SeatKey]] = defaultdict(list)
    for k in all_seats:
        arc_seats[(problem.cadre_county[k[0]], problem.target_county[k[1]])].append(k)
    base = dict(seed=seed, workers=workers,
                sanctions=tuple(problem.sanctions[i] for i in sorted(problem.sanctions)))
    deadline = start + 0.85 * time_limit
    # Each arc gets an equal share of the budget, so a hard arc early in the queue cannot
    # starve the others (an arc with no time left could not even be staffed).
    share = max(0.2, 0.85 * time_limit * max(1, workers) / max(1, len(arcs)))
    results: dict[tuple[str, str], ArcResult] = {}
    interrupted = False
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool_exec:
        futures: dict[Future[ArcResult], tuple[str, str]] = {}
        for u, w in arcs:
            futures[pool_exec.submit(_timed_arc, problem, u, w, targets_in.get(w, []), pools.get(u, set()),
                                     seed, deadline, share, stop, (arc_seats[(u, w)], local))] = (u, w)
        try:
            for fut, key in futures.items():
                results[key] = fut.result()
                if progress is not None:
                    progress(Progress(phase="arcs", objective=None, bound=None,
                                      elapsed=time.monotonic() - start, solutions=len(results)))
        except KeyboardInterrupt:
            interrupted = True
            stop.set()
            for fut in futures:
                fut.cancel()
    interrupted = interrupted or stop.is_set()
    timings = {"arcs": time.monotonic() - start,
               "arc_max": max((r.wall for r in results.values()), default=0.0)}
    usable = {k: r for k, r in results.items() if r.feasible}
    all_proven = all(r.proven for r in results.values()) and len(results) == len(arcs)

    t0 = time.monotonic()
    chosen, master_status = _master(problem, usable, seed)
    timings["master"] = time.monotonic() - t0
    if chosen is None:
        status = Status.INFEASIBLE if (master_status == "infeasible" and all_proven) else (
            Status.INTERRUPTED if interrupted else Status.UNKNOWN)
        explanation = None
        if status is Status.INFEASIBLE and explain:
            from ..explain import explain as run_explain

            explanation = run_explain(problem)
        return SolveResult(status=status, runtime=time.monotonic() - start, timings=timings,
                           explanation=explanation, **base)

    if not interrupted:
        # The lottery among each chosen arc's equally good staffings: only the arcs of
        # the cycle need it, so it runs for them alone (the same deterministic search
        # repeats phase 1 exactly, then draws).
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool_exec:
            drawn = list(pool_exec.map(
                lambda k: solve_arc(problem, k[0], k[1], targets_in.get(k[1], []), pools.get(k[0], set()),
                                    seed=seed, limit=share, seats=(arc_seats[k], local)),
                chosen))
        for arc, r in zip(chosen, drawn, strict=True):
            if r.feasible:
                results[arc] = usable[arc] = r
        timings["draw"] = time.monotonic() - t0

    seats: list[SeatKey] = []
    term_totals: dict[str, int] = defaultdict(int)
    lottery_total = 0
    for u, w in chosen:
        r = usable[(u, w)]
        lottery_total += r.lottery + lottery.weight(seed, "arc", u, w)
        for name, value in r.terms.items():
            term_totals[name] += value
        seats += r.seats
    plan = make_plan(problem, seats, chosen)
    weights = rules.weights.model_dump()
    terms = tuple(ObjectiveTerm(name=n, zh=TERM_ZH[n], weight=weights[n], value=term_totals.get(n, 0),
                                weighted=weights[n] * term_totals.get(n, 0))
                  for n in TERM_ZH if weights[n])
    objective = sum(t.weighted for t in terms)
    t0 = time.monotonic()
    violations = tuple(verify(problem, plan))
    timings["verify"] = time.monotonic() - t0
    proven = all_proven and master_status == "optimal" and all(usable[k].proven for k in chosen)
    # Interrupted or cut short: the roster is valid but other arcs might have done better.
    out_status = Status.INTERRUPTED if interrupted else (Status.OPTIMAL if proven else Status.FEASIBLE)
    return SolveResult(
        status=out_status, plan=plan, objective=objective, bound=float(objective) if proven else None,
        gap=0.0 if proven else None, runtime=time.monotonic() - start, terms=terms,
        lottery=lottery_total, lottery_optimal=proven,
        reproducible=not interrupted and not any(r.wall_cut for r in results.values()),
        violations=violations, timings=timings, **base)


def _timed_arc(problem: Problem, u: str, w: str, targets: list[int], pool: set[int], seed: int,
               deadline: float, share: float, stop: threading.Event,
               seats: tuple[list[SeatKey], set[SeatKey]]) -> ArcResult:
    if stop.is_set():
        return ArcResult(u, w, False, False)
    if deadline - time.monotonic() <= 0:
        # Out of time on a slow machine: skipping this arc depends on the clock.
        return ArcResult(u, w, False, False, wall_cut=True)
    # Always the same share (never "what is left"), so the search is the same everywhere.
    return solve_arc(problem, u, w, targets, pool, seed=seed, limit=share, seats=seats, draw=False)


def _master(problem: Problem, arcs: dict[tuple[str, str], ArcResult],
            seed: int) -> tuple[list[tuple[str, str]] | None, str]:
    """Choose the cycle: least total arc cost, then the seeded arc weights, over the usable arcs."""
    rules = problem.rules
    counties = problem.counties
    model = cp_model.CpModel()
    lit = {k: model.new_bool_var(f"arc_{k[0]}_{k[1]}") for k in arcs}
    if not lit:
        return None, "infeasible"
    add_cycle_cover(model, counties, lit, single=rules.single_cycle)
    if rules.forbid_reciprocal:
        for (u, w), x in lit.items():
            back = lit.get((w, u))
            if back is not None and u < w:
                model.add_bool_or([~x, ~back])
    main = sum(arcs[k].main * x for k, x in lit.items())
    model.minimize(main)
    solver = single_worker(30.0, seed)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None, "infeasible"
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, "unknown"
    optimal = status == cp_model.OPTIMAL
    model.add(main == round(solver.objective_value))
    model.minimize(sum((arcs[k].lottery + lottery.weight(seed, "arc", *k)) * x for k, x in lit.items()))
    second = single_worker(30.0, seed)
    status2 = second.solve(model)
    final = second if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE) else solver
    chosen = [k for k, x in lit.items() if final.boolean_value(x)]
    return chosen, "optimal" if optimal and status2 == cp_model.OPTIMAL else "feasible"
