"""A first roster for a large round, built in stages of small CP-SAT models.

The whole-round model of a township round (~1,000 cadres, ~140 teams, ~160,000 seat
literals) spends ~10 s in presolve before its search starts, and its first-solution
heuristics then often need tens of seconds more. A roster found early matters more to
an office than the last percent of the soft goals, so large rounds first build one in
stages (relax-and-fix): the teams are split into groups, and each group is staffed by a
small CP-SAT model over the cadres no earlier group took, minimising the soft goals of
that group's teams. Every stage is a CP-SAT model of the same rules (``build_model``
with a scope): nothing here is hand-written search.

The stages see only their own teams, so a later stage can find the scarce cadres (team
leaders, women, required skills) already used: each stage therefore keeps back, for the
teams still to come, as many cadres of each scarce kind as those teams need at least.
A stage that still finds no staffing gives up the warm start; the whole-round model
then runs as before. The result seeds the whole-round model as a solution hint, which
CP-SAT then improves; and if the whole-round model finds nothing in its time, the
staged roster (verified like any other) is returned.

Groups: in mixed mode, the teams of one inspected county each; in rotation mode, the
arcs of a cycle chosen by a small circuit model on county distances (a pool staffs its
destination's teams, as in ``arcs``), trying another cycle if an arc cannot be
staffed.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from ...domain.models import Gender, Role
from ...domain.rules import Mode
from ...problem import Problem
from ...problem.eligibility import SeatKey
from ..model import build_model
from ..model.mixed import add_mixed
from ..model.rotation import add_cycle_cover, add_no_reciprocal
from ..params import SolveParams
from .assemble import Roster
from .cpsat import cut_by_wall, deterministic_time, found, new_solver


class Meter:
    """Effort of small single-worker searches: their budget in units, what they used, the
    wall-clock safety stop, and whether it (or ``stop``) ever cut one short."""

    def __init__(self, effort: float, deadline: float, stop: threading.Event | None) -> None:
        self.effort = effort
        self.deadline = deadline
        self.stop = stop
        self.used = 0.0
        self.cut = False
        self.lock = threading.Lock()

    def left(self) -> float:
        return max(self.effort - self.used, 0.0)

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def solver(self, units: float, seed: int) -> cp_model.CpSolver:
        """A one-worker solver for a small model with ``units`` of effort, light presolve."""
        return new_solver(seed=seed, units=units, seconds=self.deadline - time.monotonic(), light=True)

    def account(self, solver: cp_model.CpSolver, status: object) -> None:
        with self.lock:
            self.used += deterministic_time(solver)
            self.cut = self.cut or cut_by_wall(solver, status) or self.stopped()


def staged_roster(
    problem: Problem,
    seats: tuple[list[SeatKey], set[SeatKey]],
    *,
    seed: int,
    effort: float,
    params: SolveParams,
    deadline: float,
    stop: threading.Event | None = None,
) -> Roster | None:
    """A roster built group by group with ``effort`` units in all, or None if a stage finds no
    staffing in its share. ``deadline`` (``time.monotonic()``) is only the safety stop."""
    start = time.monotonic()
    meter = Meter(effort, deadline, stop)
    keys, local = seats
    by_target: dict[int, list[SeatKey]] = defaultdict(list)
    for k in keys:
        by_target[k[1]].append(k)
    targets_in = problem.teams_by_county()
    if problem.rules.mode is Mode.ROTATION:
        return _rotation(problem, by_target, local, targets_in, seed=seed, meter=meter, params=params, start=start)
    order = sorted(targets_in, key=lambda c: _slack(problem, by_target, targets_in[c]))
    # Small groups keep each stage small: a whole county's 22 teams against a 1,000-cadre
    # pool needed ~2.5 s to a first staffing, a handful of teams a fraction of that.
    size = params.stage_teams
    groups = [targets_in[c][n : n + size] for c in order for n in range(0, len(targets_in[c]), size)]
    pools = [set(range(len(problem.cadres)))] * len(groups)
    return _stages(problem, by_target, local, groups, pools, [], seed=seed, params=params, meter=meter, start=start)


def _slack(problem: Problem, by_target: dict[int, list[SeatKey]], targets: list[int]) -> float:
    """Candidate cadres per seat to fill: the scarcest groups are staffed first."""
    cadres = {k[0] for j in targets for k in by_target.get(j, ())}
    need = sum(problem.target_size(j)[0] for j in targets) or 1
    return len(cadres) / need


def _rotation(
    problem: Problem,
    by_target: dict[int, list[SeatKey]],
    local: set[SeatKey],
    targets_in: dict[str, list[int]],
    *,
    seed: int,
    meter: Meter,
    params: SolveParams,
    start: float,
) -> Roster | None:
    pools = problem.pools()
    banned: set[tuple[str, str]] = set()
    for _ in range(params.max_cycles):
        cycle = _cycle(problem, by_target, targets_in, pools, banned, seed, params, meter)
        if cycle is None or meter.stopped():
            return None
        # A pool staffs its destination's non-local seats; the destination's own pool
        # fills the local ones (R5), so both are in that stage's scope.
        groups = [targets_in.get(w, []) for _, w in cycle]
        stage_pools = [pools[u] | pools[w] for u, w in cycle]
        if meter.left() <= 0:
            return None
        failed: list[tuple[str, str]] = []
        staffed = _stages(
            problem,
            by_target,
            local,
            groups,
            stage_pools,
            cycle,
            seed=seed,
            params=params,
            meter=meter,
            start=start,
            failed=failed,
        )
        if staffed is not None:
            return staffed
        banned.update(failed)
        if not failed:
            return None
    return None


def _cycle(
    problem: Problem,
    by_target: dict[int, list[SeatKey]],
    targets_in: dict[str, list[int]],
    pools: dict[str, set[int]],
    banned: set[tuple[str, str]],
    seed: int,
    params: SolveParams,
    meter: Meter,
) -> list[tuple[str, str]] | None:
    """The shortest cycle (or cycle cover) over arcs whose pool has enough candidates for the teams."""
    rules = problem.rules
    counties = problem.counties
    model = cp_model.CpModel()
    lit: dict[tuple[str, str], cp_model.IntVar] = {}
    cost: dict[tuple[str, str], int] = {}
    for u in counties:
        for w in counties:
            if u == w or (u, w) in problem.past_arcs or (u, w) in banned:
                continue
            teams = targets_in.get(w, [])
            if not _may_staff(problem, by_target, teams, pools[u]):
                continue
            lit[(u, w)] = model.new_bool_var(f"arc_{u}_{w}")
            cost[(u, w)] = problem.travel_km(u, teams[0]) if teams else 0
    if not lit:
        return None
    add_cycle_cover(model, counties, lit, single=rules.single_cycle)
    if rules.forbid_reciprocal:
        add_no_reciprocal(model, lit)
    # A pinned cadre sent elsewhere fixes his pool's arc (R9).
    for pin in problem.pins:
        arc = (problem.cadre_county[pin.cadre], problem.target_county[pin.target])
        if arc[0] != arc[1]:
            if arc not in lit:
                return None
            model.add(lit[arc] == 1)
    model.minimize(cp_model.LinearExpr.weighted_sum(list(lit.values()), list(cost.values())))
    solver = meter.solver(params.cycle_effort, seed)
    status = solver.solve(model)
    meter.account(solver, status)
    if not found(status):
        return None
    return [k for k, x in lit.items() if solver.boolean_value(x)]


def _may_staff(problem: Problem, by_target: dict[int, list[SeatKey]], teams: list[int], pool: set[int]) -> bool:
    """A necessary condition for a pool to staff some teams: enough cadres, and enough for each role."""
    seats = [k for j in teams for k in by_target.get(j, ()) if k[0] in pool]
    if len({k[0] for k in seats}) < sum(problem.target_size(j)[0] for j in teams):
        return False
    for role in (Role.LEADER, Role.DEPUTY):
        lo = (problem.rules.role_range(role) or (0, 0))[0]
        if len({k[0] for k in seats if k[2] is role}) < lo * len(teams):
            return False
    women = problem.rules.min_women * len(teams)
    return len({k[0] for k in seats if problem.cadres[k[0]].gender is Gender.FEMALE}) >= women


def _scarce(problem: Problem) -> dict[str, tuple[set[int], dict[int, int]]]:
    """Scarce kinds of cadre, each with who has it and how many each team needs at least."""
    rules = problem.rules
    kinds: dict[str, tuple[set[int], dict[int, int]]] = {}
    n = len(problem.targets)
    for role in (Role.LEADER, Role.DEPUTY):
        lo = (rules.role_range(role) or (0, 0))[0]
        if lo:
            kinds[role.value] = (
                {i for i in range(len(problem.cadres)) if problem.can_take_role(i, role)},
                {j: lo for j in range(n)},
            )
    # Local roles (R5) are filled from the inspected county's own pool: a reserve per county.
    for role in rules.local_roles:
        lo = (rules.role_range(role) or (0, 0))[0]
        if not lo:
            continue
        able = [i for i in range(len(problem.cadres)) if problem.can_take_role(i, role)]
        for county in set(problem.target_county):
            kinds[f"local:{role.value}:{county}"] = (
                {i for i in able if problem.cadre_county[i] == county},
                {j: lo for j in range(n) if problem.target_county[j] == county},
            )
    if rules.min_women:
        kinds["women"] = (
            {i for i, c in enumerate(problem.cadres) if c.gender is Gender.FEMALE},
            {j: rules.min_women for j in range(n)},
        )
    for j in range(n):
        for skill, need in problem.target_skills(j).items():
            key = f"skill:{skill}"
            if key not in kinds:
                kinds[key] = ({i for i, c in enumerate(problem.cadres) if skill in c.skills}, {})
            kinds[key][1][j] = need
    return kinds


def _stages(
    problem: Problem,
    by_target: dict[int, list[SeatKey]],
    local: set[SeatKey],
    groups: list[list[int]],
    pools: list[set[int]],
    arcs: list[tuple[str, str]],
    *,
    seed: int,
    params: SolveParams,
    meter: Meter,
    start: float,
    failed: list[tuple[str, str]] | None = None,
) -> Roster | None:
    pinned = {p.cadre: p.target for p in problem.pins}
    # In rotation each stage has its own pool, so a round-wide reserve means nothing there.
    scarce = _scarce(problem) if problem.rules.mode is Mode.MIXED else {}
    used: set[int] = set()
    chosen: list[SeatKey] = []
    terms: dict[str, int] = defaultdict(int)
    reproducible = True
    later = [set().union(*groups[n + 1 :]) if n + 1 < len(groups) else set() for n in range(len(groups))]
    budget = meter.left()
    spent = 0.0  # effort units, so the split of the budget is the same everywhere
    for n, (targets, pool) in enumerate(zip(groups, pools, strict=True)):
        # An equal part of what is left: a stage that needed its fallback borrows from the rest.
        share = max(params.min_stage, (budget - spent) / (len(groups) - n))
        if meter.stopped():
            return None
        if not targets:
            continue
        inside = set(targets)
        # A pinned cadre waits for the stage holding the pin's team (R9).
        scope = {i for i in pool if i not in used and (i not in pinned or pinned[i] in inside)}
        picked = None
        if len(scope) > params.shortlist * len(targets):
            # A shortlist first (a stage's presolve grows with its pool), the whole pool if it fails.
            short = shortlist(problem, by_target, targets, scope, params.shortlist)
            picked = _stage(
                problem, by_target, local, targets, short, scarce, used, later[n], share=share, seed=seed, meter=meter
            )
        if picked is None:
            # The whole pool is a much bigger model, whose first staffing can need far more
            # than a stage's share: a large budget lends it more.
            picked = _stage(
                problem,
                by_target,
                local,
                targets,
                scope,
                scarce,
                used,
                later[n],
                share=max(share, params.fallback_stage, params.fallback_share * (budget - spent)),
                seed=seed,
                meter=meter,
            )
        if picked is None:
            if failed is not None and arcs:
                failed.append(arcs[n])
            return None
        seats_n, terms_n, exact, used_time = picked
        spent += used_time
        reproducible = reproducible and exact
        chosen += seats_n
        used.update(k[0] for k in seats_n)
        for name, value in terms_n.items():
            terms[name] += value
    return Roster(
        seats=chosen,
        arcs=list(arcs),
        terms=dict(terms),
        wall=time.monotonic() - start,
        units=meter.used,
        reproducible=reproducible and not meter.cut,
    )


def shortlist(
    problem: Problem, by_target: dict[int, list[SeatKey]], targets: list[int], scope: set[int], per_team: int
) -> set[int]:
    """The group's nearest cadres, plus the nearest holding each scarce role or trait it needs."""
    roles: dict[int, set[Role]] = defaultdict(set)
    for j in targets:
        for i, _, role in by_target.get(j, ()):
            if i in scope:
                roles[i].add(role)
    ranked = sorted(
        roles,
        key=lambda i: (min(problem.travel_km(problem.cadre_county[i], j) for j in targets), problem.past_load[i], i),
    )
    size = len(targets)
    # Nearest first, but only a few from each county: at most ``max_from_same_county``
    # of them may sit on one team (R4), so one county's nearest would not do.
    out: set[int] = set()
    per_county: dict[str, int] = defaultdict(int)
    room = 3 * problem.rules.max_from_same_county * size
    for i in ranked:
        county = problem.cadre_county[i]
        if len(out) < per_team * size and per_county[county] < room:
            per_county[county] += 1
            out.add(i)
    kinds = [[i for i in ranked if r in roles[i]] for r in (Role.LEADER, Role.DEPUTY, Role.LIAISON)]
    kinds.append([i for i in ranked if problem.cadres[i].gender is Gender.FEMALE])
    skills = {s for j in targets for s in problem.target_skills(j)}
    kinds += [[i for i in ranked if s in problem.cadres[i].skills] for s in sorted(skills)]
    for kind in kinds:
        out.update(kind[: 5 * size])
    return out


def _stage(
    problem: Problem,
    by_target: dict[int, list[SeatKey]],
    local: set[SeatKey],
    targets: list[int],
    scope: set[int],
    scarce: dict[str, tuple[set[int], dict[int, int]]],
    used: set[int],
    later: set[int],
    *,
    share: float,
    seed: int,
    meter: Meter,
) -> tuple[list[SeatKey], dict[str, int], bool, float] | None:
    """Staff one group of teams from ``scope``.

    Returns the seats, the soft-goal terms, whether no wall clock cut the search, and
    the deterministic time used; None if no staffing was found.
    """
    stage_seats = [k for j in targets for k in by_target.get(j, ()) if k[0] in scope]
    built = build_model(problem, scope=(scope, targets), seats=(stage_seats, local))
    model = built.model
    if problem.rules.mode is Mode.MIXED:
        add_mixed(model, problem, built.vars)
    # Keep back, for the teams of later stages, the scarce cadres they need at least.
    for have, need in scarce.values():
        future = sum(need.get(j, 0) for j in later)
        spare = len(have - used) - future
        lits = [x for k, x in built.vars.x.items() if k[0] in have]
        if future and lits and spare < len(lits):
            model.add(cp_model.LinearExpr.sum(lits) <= max(spare, 0))
    # First any staffing (the soft goals slow the first one down several times over),
    # then the soft goals from it: a stage that finds a staffing always keeps one.
    first = meter.solver(share / 2, seed)
    first.parameters.stop_after_first_solution = True
    status = first.solve(model)
    meter.account(first, status)
    if not found(status):
        return None
    # (Stopping at the first staffing is deterministic on one worker: no wall-clock check.)
    built.vars.warmstart(model, {k for k, x in built.vars.x.items() if first.boolean_value(x)})
    model.minimize(built.main_objective)
    solver = meter.solver(share / 2, seed)
    status = solver.solve(model)
    meter.account(solver, status)
    if not found(status):  # the hint is complete: not expected
        return None
    picked = [k for k, x in built.vars.x.items() if solver.boolean_value(x)]
    return (
        picked,
        {t.name: round(solver.value(t.expr)) for t in built.terms},
        not cut_by_wall(solver, status),
        deterministic_time(first) + deterministic_time(solver),
    )
