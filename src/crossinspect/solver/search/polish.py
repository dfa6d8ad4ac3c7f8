"""Polishing a mixed round's roster a few teams at a time (fix-and-optimize).

Each step frees the seats of a window of teams and re-staffs them by a small CP-SAT
model of the same rules over their own cadres and free cadres, hinted with the teams as
they stand, so a step never makes the roster worse. Steps are prepared in batches of
``polish_batch`` disjoint windows, each given its own free cadres, run side by side when
there are workers for it, and committed in window order: the roster depends on the
effort, never on how many steps ran at once or how fast.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ...domain import lottery
from ...domain.rules import Mode
from ...problem import Problem
from ...problem.eligibility import SeatKey
from ..model import build_model
from ..model.mixed import add_mixed
from ..params import SolveParams
from .assemble import Roster
from .cpsat import cut_by_wall, deterministic_time, found
from .staged import Meter, shortlist


@dataclass
class _Step:
    """One prepared step: its teams with their seats, and the cadres it may seat."""

    window: list[int]
    own: dict[int, list[SeatKey]]
    scope: set[int]


@dataclass
class _Restaffed:
    """A step's outcome: the new seats, the change of each term and the gain (None when the
    step found nothing), and the effort its searches used."""

    seats: list[SeatKey] | None
    delta: dict[str, int]
    gain: int
    units: float
    cut: bool


def polish(
    problem: Problem,
    seats: tuple[list[SeatKey], set[SeatKey]],
    staged: Roster,
    *,
    seed: int,
    effort: float,
    params: SolveParams,
    deadline: float,
    stop: threading.Event | None = None,
    workers: int = 1,
    lottery_seed: str | None = None,
) -> Roster:
    """Improve a mixed-mode roster with ``effort`` units of polishing steps.

    The first pass takes the teams county by county, later passes in a seeded shuffle so
    cadres can move between counties' teams. A pass that gains little (below
    ``params.widen_below`` of the soft goals) is near a local optimum for windows of that
    size: the windows then grow by half a window, up to ``params.widest`` teams (a
    variable neighbourhood search); a pass without a gain at the widest ends polishing.
    A step may not seat together two members of a past team whom the roster keeps apart
    (``_restaff``). Each step is charged ``params.step_charge`` besides its searches'
    deterministic time, so effort follows the work of building the steps too.

    With ``lottery_seed``, each step instead keeps its window's soft goals as they are and
    draws the lottery among staffings as good (R11). Rotation rounds are returned as they
    are: each arc was already staffed from its whole pool.
    """
    if problem.rules.mode is not Mode.MIXED or effort <= 0:
        return staged
    start = time.monotonic()
    meter = Meter(effort, deadline, stop)
    keys, local = seats
    by_target: dict[int, list[SeatKey]] = defaultdict(list)
    for k in keys:
        by_target[k[1]].append(k)
    current: dict[int, list[SeatKey]] = defaultdict(list)
    for k in staged.seats:
        current[k[1]].append(k)
    teams = sorted(current, key=lambda j: (problem.target_county[j], j))
    terms = dict(staged.terms)
    size = params.window
    n_pass = 0
    converged = False
    with ThreadPoolExecutor(max_workers=max(1, min(workers, params.polish_batch))) as pool:
        while meter.left() > 0 and not meter.stopped() and time.monotonic() < deadline:
            if n_pass:
                teams = sorted(
                    teams, key=lambda j: lottery.weight(str(seed), "polish", str(n_pass), problem.targets[j].id)
                )
            windows = [teams[w : w + size] for w in range(0, len(teams), size)]
            gained = 0
            for b in range(0, len(windows), params.polish_batch):
                if meter.left() <= 0 or meter.stopped():
                    break
                steps = _prepare(problem, by_target, current, windows[b : b + params.polish_batch], params.shortlist)
                run = _runner(problem, by_target, local, seed, params, meter, lottery_seed)
                # Accounted and committed in window order, whatever order the steps ended in.
                for step, done in zip(steps, pool.map(run, steps), strict=True):
                    if done is None:
                        continue
                    meter.used += done.units
                    meter.cut = meter.cut or done.cut
                    if done.seats is not None and done.gain > 0:
                        gained += done.gain
                        for j in step.window:
                            current[j] = [k for k in done.seats if k[1] == j]
                        for name, value in done.delta.items():
                            terms[name] = terms.get(name, 0) + value
            n_pass += 1
            cut = meter.left() <= 0 or meter.stopped() or time.monotonic() >= deadline
            if lottery_seed is not None and n_pass >= 1 and not cut:
                converged = True
                break  # the draw is one pass over every window
            if n_pass > 1 and not cut and gained <= params.widen_below * _goals(problem, terms):
                if size >= params.widest and not gained:
                    converged = True
                    break
                size = min(params.widest, size + max(1, params.window // 2))
    if time.monotonic() >= deadline and not converged and meter.left() > 0:
        meter.cut = True  # the safety stop, not the effort, ended polishing
    return Roster(
        seats=[k for j in sorted(current) for k in current[j]],
        arcs=[],
        terms=terms,
        wall=staged.wall + time.monotonic() - start,
        units=meter.used,
        reproducible=staged.reproducible and not meter.cut,
    )


def _goals(problem: Problem, terms: dict[str, int]) -> int:
    """The weighted soft goals of ``terms``."""
    weights = problem.rules.weights.model_dump()
    return sum(weights[name] * value for name, value in terms.items())


def _prepare(
    problem: Problem,
    by_target: dict[int, list[SeatKey]],
    current: dict[int, list[SeatKey]],
    windows: list[list[int]],
    per_team: int,
) -> list[_Step]:
    """The batch's steps: each window's seats, and free cadres shared out in window order,
    so no two steps of a batch may seat the same cadre."""
    seated = {k[0] for ks in current.values() for k in ks}
    free = set(range(len(problem.cadres))) - seated
    steps = []
    for window in windows:
        own = {j: list(current[j]) for j in window}
        here = {k[0] for j in window for k in own[j]}
        many = len(free) > per_team * len(window)
        fresh = shortlist(problem, by_target, window, free, per_team) if many else set(free)
        free -= fresh
        steps.append(_Step(window, own, here | fresh))
    return steps


def _runner(
    problem: Problem,
    by_target: dict[int, list[SeatKey]],
    local: set[SeatKey],
    seed: int,
    params: SolveParams,
    meter: Meter,
    lottery_seed: str | None,
) -> Callable[[_Step], _Restaffed | None]:
    def run(step: _Step) -> _Restaffed | None:
        if meter.stopped() or time.monotonic() >= meter.deadline:
            return None
        # A wider window is a bigger model: its step gets effort in proportion.
        units = params.polish_step * len(step.window) / params.window
        done = _restaff(
            problem,
            by_target,
            local,
            step.own,
            step.scope,
            seed=seed,
            units=units,
            meter=meter,
            lottery_seed=lottery_seed,
        )
        done.units += params.step_charge
        return done

    return run


def _restaff(
    problem: Problem,
    by_target: dict[int, list[SeatKey]],
    local: set[SeatKey],
    own: dict[int, list[SeatKey]],
    scope: set[int],
    *,
    seed: int,
    units: float,
    meter: Meter,
    lottery_seed: str | None = None,
) -> _Restaffed:
    """Re-staff the teams of ``own`` (team -> its seats now) from ``scope``."""
    window = list(own)
    stage_seats = [k for j in window for k in by_target.get(j, ()) if k[0] in scope]
    now = [k for j in window for k in own[j]]
    # No new repeated pairings (a restriction of the step, see objectives._novelty): the
    # step's model loses most of its rows, and its search gets faster.
    built = build_model(problem, scope=(scope, window), seats=(stage_seats, local), keep_apart=now)
    add_mixed(built.model, problem, built.vars)
    objective = built.main_objective
    built.model.minimize(objective)
    built.vars.warmstart(built.model, set(now))
    # The window's terms as they stand: the same model with every variable at its hint.
    before = meter.solver(1.0, seed)
    before.parameters.fix_variables_to_their_hinted_value = True
    status = before.solve(built.model)
    spent = deterministic_time(before)
    if not found(status):
        return _Restaffed(None, {}, 0, spent, meter.stopped())  # not expected: the hint is a verified roster
    if lottery_seed is not None:
        # The draw (R11): the window's soft goals stay as they are, the lottery chooses.
        built.model.add(objective <= round(before.objective_value))
        draw = built.lottery_objective(problem, lottery_seed)
        built.model.minimize(draw)
        baseline = round(before.value(draw))
    else:
        baseline = round(before.objective_value)
    solver = meter.solver(units, seed)
    # No presolve at all: a step's model is small and hinted, and presolve would be most of its time.
    solver.parameters.cp_model_presolve = False
    status = solver.solve(built.model)
    spent += deterministic_time(solver)
    cut = cut_by_wall(solver, status) or meter.stopped()
    if not found(status):
        return _Restaffed(None, {}, 0, spent, cut)
    delta = {t.name: round(solver.value(t.expr)) - round(before.value(t.expr)) for t in built.terms}
    picked = [k for k, x in built.vars.x.items() if solver.boolean_value(x)]
    return _Restaffed(picked, delta, baseline - round(solver.objective_value), spent, cut)
