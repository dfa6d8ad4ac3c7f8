"""The core search: the round's model over the seats its LP uses, plus the roster's own."""

from __future__ import annotations

import time

from crossinspect.domain.plan import Progress
from crossinspect.problem.eligibility import allowed_seats
from crossinspect.solver import SolveParams
from crossinspect.solver.search.assemble import Roster, make_plan
from crossinspect.solver.search.core import core_model, core_seats
from crossinspect.solver.search.polished import _core_search
from crossinspect.solver.search.staged import staged_roster
from crossinspect.verify import verify
from factories import lp_mass, mixed_problem, search_of


def test_the_core_keeps_the_lp_pairs_and_the_roster() -> None:
    seats = [(0, 0, "a"), (0, 1, "a"), (1, 0, "a"), (1, 0, "b"), (2, 1, "a")]
    mass = {(1, 0): 0.5}
    core = core_seats(seats, mass, roster=[(2, 1, "a")])  # type: ignore[arg-type]
    assert core == [(1, 0, "a"), (1, 0, "b"), (2, 1, "a")]


def test_the_core_search_never_worsens_and_its_roster_verifies() -> None:
    problem = mixed_problem(3)
    seats = allowed_seats(problem)
    staged = staged_roster(problem, seats, seed=7, effort=2.5, params=SolveParams(), deadline=time.monotonic() + 600)
    assert staged is not None
    mass = lp_mass(problem)
    # The roster hinted is a roster of the core model: fixing every variable to it is feasible.
    core = core_model(problem, seats, mass, staged.seats)
    assert len(core.vars.x) < len(seats[0])
    seen: list[Progress] = []
    search = search_of(problem, workers=2, progress=seen.append)
    out = _core_search(search, seats, staged, mass, units=2.5)
    assert verify(problem, make_plan(problem, out.seats, [])) == []
    assert search.weighted(out.terms) <= search.weighted(staged.terms)
    # The core search stops on its effort: what it finds is the same on every machine.
    assert out.reproducible and search.reproducible
    # The core is a restriction of the round: its CP-SAT bound proves nothing about the round.
    assert seen and all(p.bound is None for p in seen)


def test_a_core_search_that_finds_nothing_returns_the_roster() -> None:
    problem = mixed_problem(2)
    seats = allowed_seats(problem)
    staged = staged_roster(problem, seats, seed=7, effort=2.5, params=SolveParams(), deadline=time.monotonic() + 600)
    assert staged is not None
    search = search_of(problem)
    search.stop.set()  # stopped before it starts: no search, the roster stands
    out = _core_search(search, seats, staged, {}, units=2.5)
    assert out is staged or search.weighted(out.terms) < search.weighted(staged.terms)
    assert isinstance(out, Roster)
