"""crossinspect: staff cross-inspection teams (交叉巡察组) with a CP-SAT model.

The library never prints and never exits. A round, from the input workbook to the
printed roster (the paths are the shipped example, from the repository's root)::

    >>> import crossinspect as ci
    >>> problem = ci.load_problem("data/examples/rotation/input.xlsx",
    ...                           rules_file="data/examples/rotation/rules.toml")
    >>> result = ci.solve(problem)
    >>> result.ok, ci.verify(problem, result.plan)
    (True, [])
    >>> ci.write_roster(problem, result, "roster.xlsx").name
    'roster.xlsx'
    >>> set(ci.read_plan("roster.xlsx", problem).seats()) == set(result.plan.seats())
    True

The functions: ``load_problem`` (read a workbook and its rules), ``solve`` (teams,
verified), ``verify`` (re-check any plan), ``write_roster`` and ``read_plan`` (the roster
workbook), ``render`` (rewrite a hand-edited roster), ``explain`` (why no roster exists),
``replan`` (fewest changes after someone drops out), ``plan_term`` (every target once in
K rounds) and ``history_rows`` (this round's 往轮记录 rows for the next).
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
    from .diagnose.explain import Explanation, explain
    from .domain.errors import InputError, Issue
    from .domain.models import Cadre, Decision, Gender, HistoryRecord, InputBook, PlaceRecord, Role, Target
    from .domain.plan import Plan, Seat, SolveResult, Status, Team, Violation
    from .domain.rules import Rules
    from .io.load import load_problem
    from .io.render import Rendered, render
    from .io.roster import write_roster
    from .io.roster_reader import read_plan
    from .problem import Problem, build_problem
    from .solver import SolveParams
    from .workflows.history import history_rows
    from .workflows.replan import Change, ReplanResult, replan
    from .workflows.round import solve
    from .workflows.term import TermPlan, plan_term

    __version__: str

# The other names are imported on first use (PEP 562): the solver pulls in OR-Tools,
# and with it pandas and numpy, about a second of start-up that `crossinspect rules`,
# `check` or a tool reading only the models should not pay.
_SOURCES: dict[str, str] = {
    "InputError": "domain.errors",
    "Issue": "domain.errors",
    "Cadre": "domain.models",
    "Decision": "domain.models",
    "Gender": "domain.models",
    "HistoryRecord": "domain.models",
    "InputBook": "domain.models",
    "PlaceRecord": "domain.models",
    "Role": "domain.models",
    "Target": "domain.models",
    "Plan": "domain.plan",
    "Seat": "domain.plan",
    "SolveResult": "domain.plan",
    "Status": "domain.plan",
    "Team": "domain.plan",
    "Violation": "domain.plan",
    "Problem": "problem",
    "build_problem": "problem",
    "load_problem": "io.load",
    "Rules": "domain.rules",
    "solve": "workflows.round",
    "replan": "workflows.replan",
    "ReplanResult": "workflows.replan",
    "Change": "workflows.replan",
    "SolveParams": "solver.params",
    "write_roster": "io.roster",
    "read_plan": "io.roster_reader",
    "render": "io.render",
    "Rendered": "io.render",
    "explain": "diagnose.explain",
    "Explanation": "diagnose.explain",
    "plan_term": "workflows.term",
    "TermPlan": "workflows.term",
    "history_rows": "workflows.history",
}

__all__ = [
    "Cadre",
    "Change",
    "Decision",
    "Explanation",
    "Gender",
    "HistoryRecord",
    "InputBook",
    "InputError",
    "Issue",
    "PlaceRecord",
    "Plan",
    "Problem",
    "Rendered",
    "ReplanResult",
    "Role",
    "Rules",
    "Seat",
    "SolveParams",
    "SolveResult",
    "Status",
    "Target",
    "Team",
    "TermPlan",
    "Violation",
    "__version__",
    "build_problem",
    "explain",
    "history_rows",
    "load_problem",
    "plan_term",
    "read_plan",
    "render",
    "replan",
    "solve",
    "verify",
    "write_roster",
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
