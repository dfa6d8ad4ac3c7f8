"""crossinspect: staff cross-inspection teams (交叉巡察组) with a CP-SAT model.

The library never prints and never exits. A typical call::

    import crossinspect as ci
    problem = ci.load_problem("input.xlsx", rules_file="rules.toml")
    result = ci.solve(problem, seed=20261122, time_limit=30)
    assert not ci.verify(problem, result.plan)
    ci.write_roster(problem, result, "roster.xlsx")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Imported at once, unlike the other names: importing the submodule crossinspect.verify
# (the solver does) binds it to the package attribute ``verify``, which would then hide
# the function from the lazy look-up below. Loading it here and rebinding the name
# keeps ``crossinspect.verify`` the function; it costs no OR-Tools, pandas or numpy.
from .verify import verify

if TYPE_CHECKING:
    from .domain.errors import InputError, Issue
    from .domain.models import Cadre, Decision, Gender, HistoryRecord, InputBook, PlaceRecord, Role, Target
    from .domain.plan import Plan, Seat, SolveResult, Status, Team, Violation
    from .domain.rules import Rules
    from .io.load import load_problem
    from .problem import Problem, build_problem
    from .solver import SolveParams
    from .workflows.replan import replan
    from .workflows.round import solve

    __version__: str

# The other names are imported on first use (PEP 562): the solver pulls in OR-Tools,
# and with it pandas and numpy, about a second of start-up that `crossinspect rules`,
# `check` or a tool reading only the models should not pay.
_SOURCES: dict[str, str] = {
    "InputError": "domain.errors", "Issue": "domain.errors",
    "Cadre": "domain.models", "Decision": "domain.models", "Gender": "domain.models", "HistoryRecord": "domain.models",
    "InputBook": "domain.models", "PlaceRecord": "domain.models", "Role": "domain.models", "Target": "domain.models",
    "Plan": "domain.plan", "Seat": "domain.plan", "SolveResult": "domain.plan", "Status": "domain.plan",
    "Team": "domain.plan", "Violation": "domain.plan",
    "Problem": "problem", "build_problem": "problem", "load_problem": "io.load",
    "Rules": "domain.rules",
    "solve": "workflows.round",
    "replan": "workflows.replan",
    "SolveParams": "solver.params",
}

__all__ = [
    "Cadre", "Decision", "Gender", "HistoryRecord", "InputBook", "InputError", "Issue",
    "PlaceRecord", "Plan", "Problem", "Role", "Rules", "Seat", "SolveParams", "SolveResult", "Status",
    "Target", "Team", "Violation", "__version__", "build_problem", "load_problem", "replan", "solve",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .domain.versions import distribution_version

        value: Any = distribution_version("crossinspect")
    elif name in _SOURCES:
        value = getattr(import_module(f".{_SOURCES[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
