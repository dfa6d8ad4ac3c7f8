"""Smoke test of the benchmarks (issue 6): the smallest size runs once and its plan verifies.

Nothing here is about time: CI machines differ. The full benchmark is
``python -m benchmarks run``; see benchmarks/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmarks/ is a top-level package beside src/

from benchmarks import baselines, measure  # noqa: E402
from benchmarks.generate import SIZES, generate  # noqa: E402

from crossinspect import solve  # noqa: E402
from crossinspect.verify import verify  # noqa: E402


@pytest.fixture(scope="module")
def xs():
    """The smallest benchmark instance: 莆田市, five county pools of ten, rotation."""
    (instance,) = generate("XS", seed=1)
    return instance


def test_generator_same_seed_same_book(xs):
    """The generator is reproducible: the same seed gives the same records."""
    (again,) = generate("XS", seed=1)
    assert again.book.cadres == xs.book.cadres
    assert again.book.targets == xs.book.targets
    assert again.book.history == xs.book.history
    assert again.book.decisions == xs.book.decisions
    assert again.rules == xs.rules


def test_every_size_is_known():
    """The sizes the command line offers are the ones the generator makes."""
    assert set(SIZES) == {"XS", "S", "M", "L"}


def test_smallest_size_solves_and_verifies(xs):
    """Solve XS once: a plan comes back, the independent verifier finds nothing wrong."""
    problem = xs.problem()
    assert problem.sanctions, "the history should produce at least one R8 sanction"
    result = solve(problem, time_limit=10, workers=1)
    assert result.plan is not None
    assert verify(problem, result.plan) == []


def test_soft_goal_recount_matches_the_solver(xs):
    """The baselines' own soft-goal count agrees with the solver's report on its roster.

    The office draw and the MIP are scored with ``baselines.soft_goals``; if
    solver/objectives.py changes a definition, this fails until the benchmark follows.
    """
    problem = xs.problem()
    result = solve(problem, time_limit=10, workers=1)
    assert result.plan is not None
    recount = baselines.soft_goals(problem, result.plan)
    assert {t.name: t.value for t in result.terms} == {k: recount[k] for k in (t.name for t in result.terms)}


def test_office_draw_rosters_verify(xs):
    """A roster the office method returns has passed the verifier and is scored."""
    run = baselines.office_method(xs.problem(), seed=3, tries=200)
    if run.found:
        assert run.objective is not None and run.objective >= 0
    else:
        assert run.failures


def test_measure_cpsat_runs_end_to_end(xs):
    """The benchmark's own measurement of XS completes and reports a verified roster."""
    out = measure.cpsat(xs, workers=1, write=False, presolve=False)
    assert out["violations"] == 0
    assert out["objective"] is not None
    assert out["terms_agree"]
