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

import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ...domain import lottery
from ...domain.plan import SolveResult, Status
from ...domain.rules import Mode
from ...problem import Problem
from ...problem.eligibility import SeatKey, allowed_seats
from ..model import build_model
from ..model.rotation import add_cycle_cover, add_no_reciprocal
from ..params import SolveParams
from .assemble import make_plan
from .context import Search
from .cpsat import cut_by_wall, small_solver
from .lexicographic import answer, lexicographic


def applies(problem: Problem, params: SolveParams) -> bool:
    """Whether the round decomposes exactly by arc, and the arcs are small enough to pay."""
    if problem.rules.mode is not Mode.ROTATION or problem.rules.local_roles:
        return False
    per_county: dict[str, int] = defaultdict(int)
    for c in problem.target_county:
        per_county[c] += 1
    return max(per_county.values(), default=0) <= params.max_teams_per_arc


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
              seed: int, limit: float, params: SolveParams,
              seats: tuple[list[SeatKey], set[SeatKey]] | None = None, draw: bool = True) -> ArcResult:
    """Staff county w's teams from pool u: soft goals first, then (with ``draw``) the lottery.

    ``seats`` are the seats of w's teams taken by u's pool (with the local ones), when known.
    Each phase has a fixed budget, not "what is left": the same work on every machine.
    """
    start = time.monotonic()
    if not targets:
        return ArcResult(u, w, True, True)
    built = build_model(problem, scope=(pool, targets), seats=seats)

    def run_phase(k: int, model: cp_model.CpModel) -> tuple[object, cp_model.CpSolver, bool]:
        solver = small_solver(limit / 2, seed, params)
        return solver.solve(model), solver, False

    objectives = [built.main_objective, built.lottery_objective(problem, seed)] if draw else [built.main_objective]
    phases = lexicographic(built.model, objectives, run_phase,
                           lambda s: built.vars.warmstart(built.model, {k for k, x in built.vars.x.items()
                                                                         if s.boolean_value(x)}))
    first, final = phases[0], answer(phases)
    wall_cut = any(cut_by_wall(p.solver, p.status) for p in phases)
    if final is None:
        return ArcResult(u, w, False, first.status == cp_model.INFEASIBLE, wall=time.monotonic() - start,
                         wall_cut=wall_cut and first.status != cp_model.INFEASIBLE)
    proven = all(p.optimal for p in phases)
    terms = {t.name: round(final.solver.value(t.expr)) for t in built.terms}
    picked = sorted(k for k, x in built.vars.x.items() if final.solver.boolean_value(x))
    return ArcResult(u, w, True, proven, main=sum(t.weight * terms[t.name] for t in built.terms),
                     lottery=final.value if draw and len(phases) == 2 and final is phases[1] else 0,
                     terms=terms, seats=picked, wall=time.monotonic() - start, wall_cut=wall_cut)


def solve_by_arcs(search: Search) -> SolveResult:
    """Solve a rotation round exactly by arc decomposition (see the module docstring)."""
    problem, params, seed = search.problem, search.params, search.seed
    counties = problem.counties
    targets_in = problem.teams_by_county()
    pools = problem.pools()
    arcs = [(u, w) for u in counties for w in counties if u != w and (u, w) not in problem.past_arcs]
    # The allowed seats once for the round, split by arc, rather than once per arc.
    all_seats, local = allowed_seats(problem)
    arc_seats: dict[tuple[str, str], list[SeatKey]] = defaultdict(list)
    for k in all_seats:
        arc_seats[(problem.cadre_county[k[0]], problem.target_county[k[1]])].append(k)
    deadline = search.start + params.arcs_share * search.limit
    # Each arc gets an equal share of the budget, so a hard arc early in the queue cannot
    # starve the others (an arc with no time left could not even be staffed).
    share = max(params.min_arc, params.arcs_share * search.limit * max(1, search.workers) / max(1, len(arcs)))

    def staff(key: tuple[str, str], draw: bool) -> ArcResult:
        u, w = key
        if search.stop.is_set():
            return ArcResult(u, w, False, False)
        if not draw and deadline - time.monotonic() <= 0:
            # Out of time on a slow machine: skipping this arc depends on the clock.
            return ArcResult(u, w, False, False, wall_cut=True)
        return solve_arc(problem, u, w, targets_in.get(w, []), pools.get(u, set()), seed=seed, limit=share,
                         params=params, seats=(arc_seats[key], local), draw=draw)

    results = _staff_all(search, arcs, staff)
    interrupted = search.stop.is_set()
    search.timings["arcs"] = search.elapsed()
    search.timings["arc_max"] = max((r.wall for r in results.values()), default=0.0)
    usable = {k: r for k, r in results.items() if r.feasible}
    all_proven = all(r.proven for r in results.values()) and len(results) == len(arcs)

    t0 = time.monotonic()
    chosen, master_status = _master(problem, usable, seed, params)
    search.timings["master"] = time.monotonic() - t0
    if chosen is None:
        status = Status.INFEASIBLE if (master_status == "infeasible" and all_proven) else (
            Status.INTERRUPTED if interrupted else Status.UNKNOWN)
        return search.result(status)

    if not interrupted:
        # The lottery among each chosen arc's equally good staffings: only the arcs of
        # the cycle need it, so it runs for them alone (the same deterministic search
        # repeats phase 1 exactly, then draws).
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, search.workers)) as pool_exec:
            drawn = list(pool_exec.map(lambda k: staff(k, True), chosen))
        for arc, r in zip(chosen, drawn, strict=True):
            if r.feasible:
                results[arc] = usable[arc] = r
        search.timings["draw"] = time.monotonic() - t0
    return _roster(search, usable, chosen, proven=all_proven and master_status == "optimal",
                   wall_cut=any(r.wall_cut for r in results.values()))


def _staff_all(search: Search, arcs: list[tuple[str, str]],
               staff: Callable[[tuple[str, str], bool], ArcResult]) -> dict[tuple[str, str], ArcResult]:
    """Every arc's best staffing without the lottery, ``search.workers`` arcs at a time."""
    results: dict[tuple[str, str], ArcResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, search.workers)) as pool_exec:
        futures: dict[Future[ArcResult], tuple[str, str]] = {pool_exec.submit(staff, key, False): key
                                                             for key in arcs}
        try:
            for fut, key in futures.items():
                results[key] = fut.result()
                search.report("arcs", solutions=len(results))
        except KeyboardInterrupt:
            search.stop.set()
            for fut in futures:
                fut.cancel()
    return results


def _roster(search: Search, usable: dict[tuple[str, str], ArcResult], chosen: list[tuple[str, str]], *,
            proven: bool, wall_cut: bool) -> SolveResult:
    """The chosen arcs' staffings as the round's verified result."""
    problem, seed = search.problem, search.seed
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
    terms = search.terms(term_totals)
    objective = sum(t.weighted for t in terms)
    violations = search.verified(plan)
    proven = proven and all(usable[k].proven for k in chosen)
    interrupted = search.stop.is_set()
    # Interrupted or cut short: the roster is valid but other arcs might have done better.
    status = Status.INTERRUPTED if interrupted else (Status.OPTIMAL if proven else Status.FEASIBLE)
    return search.result(status, plan=plan, objective=objective, bound=float(objective) if proven else None,
                         gap=0.0 if proven else None, terms=terms, lottery=lottery_total, lottery_optimal=proven,
                         reproducible=not interrupted and not wall_cut, violations=violations)


def _master(problem: Problem, arcs: dict[tuple[str, str], ArcResult], seed: int,
            params: SolveParams) -> tuple[list[tuple[str, str]] | None, str]:
    """Choose the cycle: least total arc cost, then the seeded arc weights, over the usable arcs."""
    rules = problem.rules
    model = cp_model.CpModel()
    lit = {k: model.new_bool_var(f"arc_{k[0]}_{k[1]}") for k in arcs}
    if not lit:
        return None, "infeasible"
    add_cycle_cover(model, problem.counties, lit, single=rules.single_cycle)
    if rules.forbid_reciprocal:
        add_no_reciprocal(model, lit)
    main = cp_model.LinearExpr.weighted_sum(list(lit.values()), [arcs[k].main for k in lit])
    draw = cp_model.LinearExpr.weighted_sum(list(lit.values()),
                                            [arcs[k].lottery + lottery.weight(seed, "arc", *k) for k in lit])

    def run_phase(k: int, m: cp_model.CpModel) -> tuple[object, cp_model.CpSolver, bool]:
        solver = small_solver(params.master_limit, seed, params)
        return solver.solve(m), solver, False

    def hint(solver: cp_model.CpSolver) -> None:
        model.clear_hints()
        for x in lit.values():
            model.add_hint(x, int(solver.boolean_value(x)))

    phases = lexicographic(model, [main, draw], run_phase, hint)
    final = answer(phases)
    if final is None:
        return None, "infeasible" if phases[0].status == cp_model.INFEASIBLE else "unknown"
    chosen = [k for k, x in lit.items() if final.solver.boolean_value(x)]
    return chosen, "optimal" if all(p.optimal for p in phases) and len(phases) == 2 else "feasible"
