"""crossinspect: staff cross-inspection teams (交叉巡察组) with a CP-SAT model.

The library never prints and never exits. A typical call::

    import crossinspect as ci
    problem = ci.load_problem("input.xlsx", rules_file="rules.toml")
    result = ci.solve(problem, seed=20261122, time_limit=30)
    assert not ci.verify(problem, result.plan)
    ci.write_roster(problem, result, "roster.xlsx")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError, Issue
from .models import Cadre, Decision, Gender, HistoryRecord, InputBook, PlaceRecord, Role, Target
from .plan import Plan, Seat, SolveResult, Status, Team, Violation
from .problem import Problem, build_problem, load_problem
from .rules import Rules
from .solver import solve
from .verify import verify

try:
    __version__ = version("crossinspect")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+local"

__all__ = [
    "Cadre", "Decision", "Gender", "HistoryRecord", "InputBook", "InputError", "Issue",
    "PlaceRecord", "Plan", "Problem", "Role", "Rules", "Seat", "SolveResult", "Status",
    "Target", "Team", "Violation", "__version__", "build_problem", "load_problem", "solve",
    "verify",
]
