"""Polishing a mixed round's roster a few teams at a time (fix-and-optimize).

Each step frees the seats of a window of teams and re-staffs them by a small CP-SAT
model of the same rules over their own cadres and everyone not seated elsewhere,
hinted with the teams as they stand, so a step never makes the roster worse.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from ...domain import lottery
from ...domain.rules import Mode
from ...problem import Problem
from ...problem.eligibility import SeatKey
from ..model import build_model
from ..model.mixed import add_mixed
from ..params import SolveParams
from .assemble import Roster
from .cpsat import cut_by_wall, found, small_solver
from .staged import shortlist


def polish(problem: Problem, seats: tuple[list[SeatKey], set[SeatKey]], staged: Roster, *,
           seed: int, budget: float, params: SolveParams, stop: threading.Event | None = None,
           streams: int = 1) -> Roster:
    """Improve a mixed-mode staged roster a window of teams at a time (fix-and-optimize).

    Each step frees the seats of a few teams and re-staffs those teams by a small CP-SAT
    model over their own cadres and everyone not seated elsewhere, hinted with the teams
    as they stand, so a step never makes the roster worse. A step may not seat together
    two members of a past team whom the roster keeps apart (``_restaff``). The first pass
    takes the teams county by county, later passes in a seeded shuffle so cadres can move
    between counties' teams. A whole pass without a gain is a local optimum for windows
    of that size: the windows then grow by half of ``params.window``, up to ``params.widest`` teams
    (a variable neighbourhood search). Each step stops on deterministic time, but the
    steps go on until the wall-clock ``budget`` is spent or the widest windows gain
    nothing, so a polished roster is reproducible only if polishing converged first, on
    one stream. Rotation rounds are returned as they are: each arc was already staffed
    from its whole pool.

    With ``streams`` > 1, that many steps run at once on disjoint windows of the same
    pass (a step's CP-SAT search releases the GIL). A step claims the free cadres it may
    use until it commits, so concurrent steps never seat one cadre twice; which step
    gets a contested cadre depends on timing, so such a roster is not reproducible.

    Measured on a township round (2 cores, 40 s from the staged roster, no other work):
    widening from 8 to 16 teams gave 1,978 and 1,985 where 8-team windows converged at
    1,996.
    """
    if problem.rules.mode is not Mode.MIXED or budget <= 0:
        return staged
    start = time.monotonic()
    keys, local = seats
    by_target: dict[int, list[SeatKey]] = defaultdict(list)
    for k in keys:
        by_target[k[1]].append(k)
    current: dict[int, list[SeatKey]] = defaultdict(list)
    for k in staged.seats:
        current[k[1]].append(k)
    teams = sorted(current, key=lambda j: (problem.target_county[j], j))
    terms = dict(staged.terms)
    deadline = start + budget
    reproducible = staged.reproducible and streams == 1
    lock = threading.Lock()
    claimed: set[int] = set()  # free cadres some running step may seat

    def step(window: list[int]) -> bool:
        """One fix-and-optimize step; True if it improved the roster."""
        nonlocal reproducible
        if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
            return False
        with lock:
            own = {j: list(current[j]) for j in window}
            scope, fresh = _scope(problem, by_target, current, window, claimed, params.shortlist)
            claimed.update(fresh)
        try:
            # A wider window is a bigger model: its step gets a budget in proportion.
            result = _restaff(problem, by_target, local, own, scope, seed=seed, params=params,
                              limit=params.polish_step * len(window) / params.window)
        finally:
            with lock:
                claimed.difference_update(fresh)
        if result is None:
            return False
        picked, delta, gain, exact = result
        with lock:
            reproducible = reproducible and exact
            if gain <= 0:
                return False
            for j in window:
                current[j] = [k for k in picked if k[1] == j]
            for name, value in delta.items():
                terms[name] = terms.get(name, 0) + value
        return True

    n_pass = 0
    converged = False
    size = params.window
    pool = ThreadPoolExecutor(max_workers=streams) if streams > 1 else None
    try:
        while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
            if n_pass:
                teams = sorted(teams, key=lambda j: lottery.weight(seed, "polish", str(n_pass), problem.targets[j].id))
            windows = [teams[w:w + size] for w in range(0, len(teams), size)]
            # A pass ends before the next begins: its windows are disjoint, the next pass's are not.
            gains = list(pool.map(step, windows)) if pool is not None else [step(w) for w in windows]
            n_pass += 1
            # A local optimum for windows of this size: a whole pass without a gain, after
            # the first (county by county), and not cut short by the clock or ``stop``.
            # Wider windows reach exchanges among more teams.
            cut = time.monotonic() >= deadline or (stop is not None and stop.is_set())
            if not any(gains) and n_pass > 1 and not cut:
                if size >= params.widest:
                    converged = True
                    break
                size = min(params.widest, size + max(1, params.window // 2))
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return Roster(seats=[k for j in sorted(current) for k in current[j]], arcs=[], terms=terms,
                     wall=staged.wall + time.monotonic() - start, reproducible=reproducible and converged)


def _scope(problem: Problem, by_target: dict[int, list[SeatKey]], current: dict[int, list[SeatKey]],
           window: list[int], claimed: set[int], per_team: int) -> tuple[set[int], set[int]]:
    """The cadres a step over ``window`` may seat, and which of them are free (not seated)."""
    inside = set(window)
    elsewhere = {k[0] for j, ks in current.items() if j not in inside for k in ks}
    here = {k[0] for j in window for k in current[j]}
    free = {i for i in range(len(problem.cadres)) if i not in elsewhere and i not in here and i not in claimed}
    # The window's own cadres and a shortlist of the free ones: a step's presolve grows
    # with its pool, and the nearest free cadres are the ones a better staffing would use.
    fresh = shortlist(problem, by_target, window, free, per_team) if len(free) > per_team * len(window) else free
    return here | fresh, fresh


def _restaff(problem: Problem, by_target: dict[int, list[SeatKey]], local: set[SeatKey],
             own: dict[int, list[SeatKey]], scope: set[int], *, seed: int, limit: float,
             params: SolveParams) -> tuple[list[SeatKey], dict[str, int], int, bool] | None:
    """Re-staff the teams of ``own`` (team -> its seats now) from ``scope``: new seats,
    change of each term, gain, and whether no wall clock cut it."""
    window = list(own)
    stage_seats = [k for j in window for k in by_target.get(j, ()) if k[0] in scope]
    now = [k for j in window for k in own[j]]
    # No new repeated pairings (a restriction of the step, see objectives._novelty): the
    # step's model loses most of its rows, and its search gets ~20 % faster.
    built = build_model(problem, scope=(scope, window), seats=(stage_seats, local), keep_apart=now)
    add_mixed(built.model, problem, built.vars)
    built.model.minimize(built.main_objective)
    built.vars.warmstart(built.model, set(now))
    # The window's terms as they stand: the same model with every variable at its hint.
    before = small_solver(1.0, seed, params)
    before.parameters.fix_variables_to_their_hinted_value = True
    if not found(before.solve(built.model)):
        return None  # not expected: the hint is the current, verified roster
    solver = small_solver(limit, seed, params)
    # No presolve at all: a step's model is small and hinted, and presolve was most of
    # its wall time. On a township round (2 cores, 30 s of polishing) steps went from
    # 0.85 s to 0.19 s each and the roster from 2,181 to 2,027.
    solver.parameters.cp_model_presolve = False
    status = solver.solve(built.model)
    if not found(status):
        return None
    gain = round(before.objective_value - solver.objective_value)
    delta = {t.name: round(solver.value(t.expr)) - round(before.value(t.expr)) for t in built.terms}
    picked = [k for k, x in built.vars.x.items() if solver.boolean_value(x)]
    return picked, delta, gain, not cut_by_wall(solver, status)
