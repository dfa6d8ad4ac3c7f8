"""Exact decomposition of a rotation round (推磨式) by arc.

In rotation mode without local roles, every team in county w is staffed by the one
pool sent to w. Fix the cycle and the round splits into independent problems, one
per arc u→w: staff w's teams from u's pool. Every hard rule is local to an arc (each
cadre sits once — a pool serves one arc; bans within a team; pins force their arc),
and so is every soft goal (the balance term compares each team with a fixed
reference; travel, department, novelty, workload and the lottery are per seat).

So the optimum is: staff each arc for the soft goals and, among staffings as good, for
the lottery (one objective, ``drawn_objective``); then choose the cycle minimising the
sum of arc costs, ties going to the lowest lottery of the arcs and their staffings — a
small circuit problem. Both levels are CP-SAT models, each with a fixed effort, and on
city-sized rounds both are solved to proven optimality in a fraction of the whole-round
model's time: the roster is then defined by the input, the rules and the seed alone (R11).

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
from .cpsat import Outcome, new_solver


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
    proven: bool  # infeasibility or optimality proven (not cut by the effort or the clock)
    main: int = 0
    lottery: int = 0
    terms: dict[str, int] = field(default_factory=dict)
    seats: list[SeatKey] = field(default_factory=list)
    wall: float = 0.0
    #: effort units its searches used
    units: float = 0.0
    #: the wall clock or ``stop``, not the effort or a proof, ended a search: not reproducible
    wall_cut: bool = False


def solve_arc(
    problem: Problem,
    u: str,
    w: str,
    targets: list[int],
    pool: set[int],
    *,
    seed: str,
    units: float,
    params: SolveParams,
    deadline: float,
    seats: tuple[list[SeatKey], set[SeatKey]] | None = None,
) -> ArcResult:
    """Staff county w's teams from pool u: the soft goals, and among staffings as good the
    lottery's (one objective, ``drawn_objective``).

    The search has ``units`` of effort, never "what is left": the same work on every
    machine. ``seats`` are the seats of w's teams taken by u's pool (with the local ones),
    when known; ``deadline`` is the safety stop.
    """
    start = time.monotonic()
    if not targets:
        return ArcResult(u, w, True, True)
    built = build_model(problem, scope=(pool, targets), seats=seats)
    drawn, base = built.drawn_objective(problem, seed)
    built.model.minimize(drawn)
    solver = new_solver(seed=lottery.search_seed(seed), units=units, seconds=deadline - time.monotonic(), light=True)
    outcome = Outcome(solver.solve(built.model), solver, False, "lp1")
    if not outcome.found:
        infeasible = outcome.status == cp_model.INFEASIBLE
        return ArcResult(
            u,
            w,
            False,
            infeasible,
            wall=time.monotonic() - start,
            units=outcome.units,
            wall_cut=outcome.wall_cut and not infeasible,
        )
    terms = {t.name: round(solver.value(t.expr)) for t in built.terms}
    picked = sorted(k for k, x in built.vars.x.items() if solver.boolean_value(x))
    return ArcResult(
        u,
        w,
        True,
        outcome.optimal,
        main=sum(t.weight * terms[t.name] for t in built.terms),
        lottery=round(solver.objective_value) % base,
        terms=terms,
        seats=picked,
        wall=time.monotonic() - start,
        units=outcome.units,
        wall_cut=outcome.wall_cut,
    )


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
    # Every arc has the same effort, fixed by the round alone, so a hard arc cannot starve
    # the others and no arc's search depends on the machine or the worker count.
    units = min(params.arc_effort, search.effort * params.arcs_share / max(1, len(arcs)))

    def staff(key: tuple[str, str]) -> ArcResult:
        u, w = key
        if search.stop.is_set() or search.left() <= 0:
            # Not staffed: what the roster would have been depends on the clock or the user.
            return ArcResult(u, w, False, False, wall_cut=True)
        return solve_arc(
            problem,
            u,
            w,
            targets_in.get(w, []),
            pools.get(u, set()),
            seed=seed,
            units=units,
            params=params,
            deadline=search.deadline,
            seats=(arc_seats[key], local),
        )

    results = _staff_all(search, arcs, staff)
    search.timings["arcs"] = search.elapsed()
    search.timings["arc_max"] = max((r.wall for r in results.values()), default=0.0)
    usable = {k: r for k, r in results.items() if r.feasible}
    all_proven = all(r.proven for r in results.values()) and len(results) == len(arcs)

    t0 = time.monotonic()
    chosen, master_status = _master(search, usable)
    search.timings["master"] = time.monotonic() - t0
    if chosen is None:
        status = (
            Status.INFEASIBLE
            if (master_status == "infeasible" and all_proven)
            else (Status.INTERRUPTED if search.stop.is_set() else Status.UNKNOWN)
        )
        return search.result(status)

    return _roster(search, usable, chosen, proven=all_proven and master_status == "optimal")


def _staff_all(
    search: Search, arcs: list[tuple[str, str]], staff: Callable[[tuple[str, str]], ArcResult]
) -> dict[tuple[str, str], ArcResult]:
    """Every arc's best staffing, ``search.workers`` arcs at a time."""
    results: dict[tuple[str, str], ArcResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, search.workers)) as pool_exec:
        futures: dict[Future[ArcResult], tuple[str, str]] = {pool_exec.submit(staff, key): key for key in arcs}
        try:
            for fut, key in futures.items():
                results[key] = fut.result()
                # Accounted in arc order, whatever order the arcs ended in.
                search.spend(results[key].units)
                if results[key].wall_cut:
                    search.cut_by_clock("各派出关系的编组", "staffing the arcs")
                search.report("arcs", solutions=len(results))
        except KeyboardInterrupt:
            search.stop.set()
            for fut in futures:
                fut.cancel()
    return results


def _roster(
    search: Search, usable: dict[tuple[str, str], ArcResult], chosen: list[tuple[str, str]], *, proven: bool
) -> SolveResult:
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
    search.report("master", objective=objective, bound=float(objective) if proven else None)
    interrupted = search.stop.is_set()
    # Interrupted or cut short: the roster is valid but other arcs might have done better.
    status = Status.INTERRUPTED if interrupted else (Status.OPTIMAL if proven else Status.FEASIBLE)
    return search.result(
        status,
        plan=plan,
        objective=objective,
        bound=float(objective) if proven else None,
        gap=0.0 if proven else None,
        terms=terms,
        lottery=lottery_total,
        lottery_optimal=proven,
        violations=violations,
    )


def _master(search: Search, arcs: dict[tuple[str, str], ArcResult]) -> tuple[list[tuple[str, str]] | None, str]:
    """Choose the cycle: least total arc cost, then the seeded arc weights, over the usable arcs."""
    problem, params, seed = search.problem, search.params, search.seed
    rules = problem.rules
    model = cp_model.CpModel()
    lit = {k: model.new_bool_var(f"arc_{k[0]}_{k[1]}") for k in arcs}
    if not lit:
        return None, "infeasible"
    add_cycle_cover(model, problem.counties, lit, single=rules.single_cycle)
    if rules.forbid_reciprocal:
        add_no_reciprocal(model, lit)
    # The cycle's soft goals, then its lottery (the arcs' own and their staffings'), in one
    # objective as for an arc: their sum stays below the base.
    draws = [arcs[k].lottery + lottery.weight(seed, "arc", *k) for k in lit]
    base = sum(draws) + 1
    model.minimize(
        cp_model.LinearExpr.weighted_sum(
            list(lit.values()), [arcs[k].main * base + d for k, d in zip(lit, draws, strict=True)]
        )
    )
    solver = new_solver(seed=search.search_seed, units=params.master_effort, seconds=search.left(), light=True)
    outcome = Outcome(solver.solve(model), solver, False, "lp1")
    search.spend(outcome.units)
    if outcome.wall_cut:
        search.cut_by_clock("选择轮换循环", "choosing the cycle")
    if not outcome.found:
        return None, "infeasible" if outcome.status == cp_model.INFEASIBLE else "unknown"
    chosen = [k for k, x in lit.items() if solver.boolean_value(x)]
    return chosen, "optimal" if outcome.optimal else "feasible"
