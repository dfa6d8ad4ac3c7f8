"""Large mixed rounds: polish the staged roster, prove a bound beside it, and draw the lottery.

The whole-round CP-SAT model is not solved here: on a township round of 140 teams its
presolve alone would use most of the budget (docs/benchmarks.md). Instead, in order:

1. polishing steps over a few teams at a time improve the roster (``polish``);
2. the LP relaxation, solved by PDLP on a thread of its own for a fixed number of
   iterations and certified by Lagrangian duality (``bound``), proves how far from
   optimal the roster can be, and its solution gives the seats of the core search;
3. the core search (``core``) improves the roster over those seats;
4. polishing goes on with what effort is left;
5. a last pass draws the lottery window by window among staffings as good (R11).

Each step has a fixed share of the effort, so the roster is the same on every machine;
the LP runs beside the steps only to save wall time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from ...domain.plan import SolveResult
from ...problem.eligibility import SeatKey
from .assemble import Roster, Seats, chosen_seats, make_plan, term_values
from .context import Search
from .cpsat import Reporter, best, portfolio
from .polish import polish

#: Share of a large mixed round's effort left for the lottery pass at the end.
LOTTERY_SHARE = 0.1


class LpBound:
    """The LP bound of a round, computed on a thread of its own (``bound.lp_bound``).

    When ``finished`` is set, the thread is done: ``value`` holds the bound and ``mass``
    the LP's (cadre, team) preferences that the core search is built from (each None if
    the LP gave none), ``cut`` whether the clock ended it, and ``failure`` the error, if
    any, for the caller to raise. Setting ``cancel`` interrupts the LP (where OR-Tools
    can: 9.15, not 9.12).
    """

    def __init__(self, search: Search, seats: Seats) -> None:
        self.mass: Mapping[tuple[int, int], float] | None = None
        self.finished = threading.Event()
        self.cancel = threading.Event()
        self.failure: list[BaseException] = []
        self.value: float | None = None
        self.cut = False
        #: merged into the result's timings only once the thread is done with it
        self.clock: dict[str, float] = {}
        threading.Thread(target=self._run, args=(search, seats), daemon=True).start()

    def _run(self, search: Search, seats: Seats) -> None:
        # Imported here: it loads OR-Tools' MathOpt and protobuf, ~0.1 s that a city
        # rotation (the CLI's common case) never needs.
        from .bound import lp_bound, round_model, team_mass

        try:
            t0 = time.monotonic()
            built = round_model(search.problem, seats)
            self.clock["bound_build"] = time.monotonic() - t0
            lp = lp_bound(
                built.model,
                deadline=search.deadline,
                threads=search.params.pdlp_threads,
                iterations=search.params.lp_iterations,
                stop=self.cancel,
            )
            self.clock["bound"] = time.monotonic() - t0
            self.value = None if lp is None else lp.value
            self.cut = lp is not None and lp.cut
            if lp is not None and lp.values is not None:
                self.mass = team_mass(built, lp.values, search.params.mass_floor)
        except BaseException as exc:  # re-raised in the caller's thread, not lost in this one
            self.failure.append(exc)
        finally:
            self.finished.set()

    def wait(self, stop: threading.Event) -> None:
        """Wait on the Event, not join(): an interrupted join can report a live thread dead."""
        while not self.finished.is_set() and not stop.is_set():
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
        better = _polish(search, seats, staged, max(search.effort - search.used, 0.0))
        search.timings["polish"] = time.monotonic() - t0
        if not search.check(make_plan(search.problem, better.seats, better.arcs)):
            best = better
    return search.roster_result(best, bound=None)


def _polish(search: Search, seats: Seats, roster: Roster, effort: float, *, draw: bool = False) -> Roster:
    out = polish(
        search.problem,
        seats,
        roster,
        seed=search.search_seed,
        effort=effort,
        params=search.params,
        deadline=search.deadline,
        stop=search.stop,
        workers=search.workers,
        lottery_seed=search.seed if draw else None,
    )
    search.spend(out.units)
    if not out.reproducible and roster.reproducible:
        search.cut_by_clock("抽签" if draw else "逐组优化", "the lottery" if draw else "polishing")
    return out


def polished(search: Search, seats: Seats, staged: Roster, lp: LpBound) -> SolveResult:
    """The five steps of the module docstring, each with its share of the effort."""
    problem, params, stop = search.problem, search.params, search.stop
    left = max(search.effort - search.used, 0.0)
    shares = {"polish": left * params.polish_share, "core": left * params.core_share, "lottery": left * LOTTERY_SHARE}
    rosters = [staged]  # each at least as good as the one before; the last that verifies is returned
    t0 = time.monotonic()
    try:
        rosters.append(_polish(search, seats, staged, shares["polish"]))
        search.report("warmstart", objective=search.weighted(rosters[-1].terms))
        # The core search needs the LP's solution: it is waited for, whatever the clock says,
        # so the roster never depends on how fast the LP ran.
        lp.wait(stop)
        if lp.cut:
            search.cut_by_clock("线性规划下界", "the LP bound")
        if lp.mass and not stop.is_set():
            t1 = time.monotonic()
            rosters.append(_core_search(search, seats, rosters[-1], lp.mass, units=shares["core"]))
            search.timings["core"] = time.monotonic() - t1
        rest = max(search.effort - search.used - shares["lottery"], 0.0)
        if rest > 0 and not stop.is_set():
            rosters.append(_polish(search, seats, rosters[-1], rest))
        if not stop.is_set():
            rosters.append(_polish(search, seats, rosters[-1], shares["lottery"], draw=True))
    except KeyboardInterrupt:
        stop.set()
    search.timings["polish"] = time.monotonic() - t0 - search.timings.get("core", 0.0)
    best = next(r for r in reversed(rosters) if r is staged or not search.check(make_plan(problem, r.seats, r.arcs)))
    search.report("warmstart", objective=search.weighted(best.terms), solutions=len(rosters))
    lp.wait(stop)
    if stop.is_set():
        lp.cancel.set()
    if lp.failure:
        raise lp.failure[0]
    if lp.finished.is_set():
        search.timings.update(lp.clock)
    return search.roster_result(best, bound=lp.value)


def _core_search(
    search: Search, seats: Seats, roster: Roster, mass: Mapping[tuple[int, int], float], *, units: float
) -> Roster:
    """``roster`` improved by CP-SAT over the round's core (``core``), or ``roster`` itself."""
    from .core import core_model

    problem, params = search.problem, search.params
    built = core_model(problem, seats, mass, roster.seats)
    # The core restricts the round: its CP-SAT bound proves nothing about the round.
    outcomes = portfolio(
        built.model.clone,
        params.portfolio,
        seed=search.search_seed,
        units=units / len(params.portfolio),
        seconds=search.left,
        workers=search.workers,
        stop=search.stop,
        light=True,
        reporter=lambda: Reporter("goals", search.report, proves=False),
    )
    for o in outcomes:
        search.spend(o.units)
        if o.wall_cut:
            search.cut_by_clock("核心区域搜索", "the core search")
    chosen = best(outcomes)
    if chosen is None:
        return roster
    terms = term_values(built, chosen.solver)
    if search.weighted(terms) >= search.weighted(roster.terms):
        return roster
    picked: list[SeatKey] = chosen_seats(built, chosen.solver)
    return Roster(
        seats=picked, arcs=[], terms=terms, wall=roster.wall + chosen.solver.wall_time, reproducible=roster.reproducible
    )
