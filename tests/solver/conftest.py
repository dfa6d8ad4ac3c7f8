"""Tiny named instances for the solver tests."""

from __future__ import annotations

import pytest

from crossinspect.problem import Problem
from factories import make_problem, pool, target


@pytest.fixture
def three_counties_rotation() -> Problem:
    """Three 漳州 counties, one target each, a pool of leader + deputy + member each."""
    cadres = pool("芗城区", "A") + pool("龙文区", "B") + pool("漳浦县", "C")
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    return make_problem(cadres, targets)
