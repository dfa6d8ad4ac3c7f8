"""Independent verifier: re-checks a plan against every hard rule (R1–R9).

The verifier reads only the raw input (the book, the rules, the gazetteer and the
place resolutions of the input cells) and re-derives every rule from it. It
deliberately shares no code with the CP-SAT model — no OR-Tools, no
``places.overlap`` and none of the derived ``Problem`` members the model is built
from (``blocks``, ``sanctions``, ``pins`` …) — so that a bug in the model cannot
hide in both places. It also accepts rosters edited by hand, so nothing about the
plan is trusted: unknown ids, duplicate seats and missing teams are reported too.
Ids are compared as persons (``person_key``, its own normalisation, not the reader's):
one person seated under two spellings of an id holds two seats.

Each ``Violation`` carries the rule id (``R1`` … ``R9``, or ``PLAN`` for a roster
that does not even fit the input), the team and cadre concerned, and one sentence
in Chinese and English that names the people and places, e.g.
``第3组（漳浦县农业农村局）：张三 成长地「漳浦」在巡察地漳浦县内（R1 成长地回避）``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.plan import Plan, Violation
from ..domain.rules import Mode
from ..problem import Problem
from .avoidance import AvoidanceChecks
from .composition import CompositionChecks
from .decisions import DecisionChecks
from .local import LocalChecks
from .mixed import MixedChecks
from .plan import PlanChecks
from .rotation import RotationChecks
from .sanctions import SanctionChecks


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


class _Verifier(
    PlanChecks,
    AvoidanceChecks,
    RotationChecks,
    MixedChecks,
    LocalChecks,
    CompositionChecks,
    SanctionChecks,
    DecisionChecks,
):
    """Checks plans of one problem. Input-derived facts are kept between ``run`` calls;
    everything about the plan is re-derived on each."""

    def run(self, plan: Plan) -> list[Violation]:
        self.plan = plan
        self.out = []
        self.placed = []
        # Sanity first: it decides which seats the rule checks can look at.
        self._sanity()
        self._avoidance()
        if self.rules.mode is Mode.ROTATION:
            self._rotation()
        else:
            self._mixed()
        self._local()
        self._composition()
        self._sanctions()
        self._decisions()
        return self.out
