"""Large mixed rounds: polish the staged roster on every worker, and prove a bound beside it.

The whole-round CP-SAT model is not solved here. On a township round of 140 teams it
spent most of its time limit in presolve, never improved on the polished roster, and
its bound stayed far below the LP relaxation's while it held about a gigabyte (see
docs/benchmarks.md). Small CP-SAT steps over a few teams at a time improve the roster
(``polish``); the LP relaxation, solved by PDLP and certified by Lagrangian duality
(``bound``), proves how far from optimal it can be; once solved, its solution also
gives the seats of the core search (``core``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from ...domain.plan import SolveResult
from ...problem.eligibility import SeatKey
from .assemble import Roster, Seats, chosen_seats, make_plan, term_values
from .context import Search
from .cpsat import Reporter, found, new_solver, run
from .polish import polish


class LpBound:
    """The LP bound of a round, computed on a thread of its own (``bound.lp_bound``).

    When ``finished`` is set, the thread is done: ``value`` holds the bound and ``mass``
    the LP's (cadre, team) preferences that the core search is built from (each None if
    the LP gave none), and ``failure`` the error, if any, for the caller to raise.
    Setting ``cancel`` interrupts the LP (where OR-Tools can: 9.15, not 9.12).
    """

    def __init__(self, search: Search, seats: Seats) -> None:
        self.mass: Mapping[tuple[int, int], float] | None = None
        self.finished = threading.Event()
        self.cancel = threading.Event()
        self.failure: list[BaseException] = []
        self.value: float | None = None
        #: merged into the result's timings only once the thread is done with it
        self.clock: dict[str, float] = {}
        deadline = search.start + search.limit * search.params.polish_share
        threading.Thread(target=self._run, args=(search, seats, deadline), daemon=True).start()

    def _run(self, search: Search, seats: Seats, deadline: float) -> None:
        # Imported here: it loads OR-Tools' MathOpt and protobuf, ~0.1 s that a city
        # rotation (the CLI's common case) never needs.
        from .bound import lp_bound, round_model, team_mass

        try:
            t0 = time.monotonic()
            built = round_model(search.problem, seats)
            self.clock["bound_build"] = time.monotonic() - t0
            lp = lp_bound(built.model, deadline=deadline, threads=search.params.pdlp_threads, stop=self.cancel)
            self.clock["bound"] = time.monotonic() - t0
            self.value = None if lp is None else lp.value
            if lp is not None and lp.values is not None:
                self.mass = team_mass(built, lp.values, search.params.mass_floor)
        except BaseException as exc:  # re-raised in the caller's thread, not lost in this one
            self.failure.append(exc)
        finally:
            self.finished.set()

    def wait(self, stop: threading.Event, until: float | None = None) -> None:
        """Wait on the Event, not join(): an interrupted join can report a live thread dead."""
        while not self.finished.is_set() and not stop.is_set() and (until is None or time.monotonic() < until):
            try:
                self.finished.wait(0.05)
            except KeyboardInterrupt:
                stop.set()


def polish_too_big(search: Search, seats: Seats, staged: Roster, *, polish_it: bool) -> SolveResult:
    """A round too big to build keeps its staged roster, polished if it is a large mixed one;
    it has no bound."""
    best = staged
    if polish_it:
        t0 = time.monotonic()
        better = polish(search.problem, seats, staged, seed=search.seed, stop=search.stop, streams=search.workers,
                        params=search.params,
                        budget=search.start + search.limit * search.params.polish_share - time.monotonic())
        search.timings["polish"] = time.monotonic() - t0
        if not search.check(make_plan(search.problem, better.seats, better.arcs)):
            best = better
    return search.roster_result(best, bound=None, reproducible=best.reproducible)


def polished(search: Search, seats: Seats, staged: Roster, lp: LpBound) -> SolveResult:
    """Polish until the core search is due, run it once the LP is back, then polish again.

    On ``stop`` this returns without waiting for the bound: its LP is interrupted (OR-Tools
    9.15; not 9.12) or ends by its own deadline.
    """
    problem, params, stop = search.problem, search.params, search.stop
    deadline = search.start + search.limit * params.polish_share
    rosters = [staged]  # each better than the one before; the last that verifies is returned

    def polish_until(end: float) -> None:
        rosters.append(polish(problem, seats, rosters[-1], seed=search.seed, stop=stop, streams=search.workers,
                              params=params, budget=end - time.monotonic()))

    try:
        t0 = time.monotonic()
        # The core search needs the LP's solution: without it, polishing simply goes on.
        polish_until(deadline - search.limit * params.core_share)
        # Polishing that converged early waits for the LP, whose core search goes further.
        lp.wait(stop, until=deadline - 1.0)
        mass = lp.mass if lp.finished.is_set() else None
        if mass and not stop.is_set():
            t1 = time.monotonic()
            rosters.append(_core_search(search, seats, rosters[-1], mass, budget=deadline - time.monotonic()))
            search.timings["core"] = time.monotonic() - t1
        if time.monotonic() < deadline - 0.5 and not stop.is_set():
            polish_until(deadline)
        search.timings["polish"] = time.monotonic() - t0 - search.timings.get("core", 0.0)
    except KeyboardInterrupt:
        stop.set()
    best = next(r for r in reversed(rosters)
                if r is staged or not search.check(make_plan(problem, r.seats, r.arcs)))
    if best is not staged:
        search.report("warmstart", objective=search.weighted(best.terms), solutions=len(rosters))
    lp.wait(stop)
    if stop.is_set():
        lp.cancel.set()
    if lp.failure:
        raise lp.failure[0]
    if lp.finished.is_set():
        search.timings.update(lp.clock)
    return search.roster_result(best, bound=lp.value, reproducible=best.reproducible and not stop.is_set())


def _core_search(search: Search, seats: Seats, roster: Roster, mass: Mapping[tuple[int, int], float], *,
                 budget: float) -> Roster:
    """``roster`` improved by CP-SAT over the round's core (``core``), or ``roster`` itself."""
    from .core import core_model

    problem = search.problem
    built = core_model(problem, seats, mass, roster.seats)
    solver = new_solver(seed=search.seed, seconds=budget, workers=search.workers, light=True)
    # The core restricts the round: its CP-SAT bound proves nothing about the round.
    status, _ = run(solver, built.model, Reporter("goals", search.start, search.progress, proves=False), search.stop)
    if not found(status):
        return roster
    terms = term_values(built, solver)
    if search.weighted(terms) >= search.weighted(roster.terms):
        return roster
    picked: list[SeatKey] = chosen_seats(built, solver)
    return Roster(seats=picked, arcs=[], terms=terms, wall=roster.wall + solver.wall_time, reproducible=False)
