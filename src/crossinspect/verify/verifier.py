"""The verifier's entry points: check one plan, or many plans of one problem."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.plan import Plan, Violation
from ..problem import Problem
from .base import _Verifier


def verify(problem: Problem, plan: Plan) -> list[Violation]:
    """Every broken hard rule of ``plan`` for ``problem``; an empty list means the plan is valid."""
    return _Verifier(problem).run(plan)


def verifier(problem: Problem) -> Callable[[Plan], list[Violation]]:
    """``verify`` for many plans of one problem, e.g. each roster with one seat changed.

    Every plan is still checked against every rule; what depends on the input alone
    (pools, target areas, past arcs, a seat's avoidance findings) is derived once.
    The problem must not change while the returned function is in use.
    """
    return _Verifier(problem).run
