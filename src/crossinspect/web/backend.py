"""The web layer's one door into the library.

Everything the page and the HTTP API use from crossinspect is imported here, and only
here, so that moving a module inside the library changes this file alone. The public
``crossinspect`` names are used where they exist.
"""

from __future__ import annotations

from typing import Any

import crossinspect as ci

from ..diagnose.alternates import find_alternates
from ..diagnose.explain import Relaxation, apply_relaxation
from ..diagnose.precheck import Finding, precheck
from ..domain.errors import Severity
from ..domain.models import ROLE_ORDER, Role
from ..domain.plan import Progress
from ..io.audit import place_label
from ..io.examples import EXAMPLES, write_example
from ..io.printed import printed_disagreements
from ..io.relaxed import Relaxed
from ..io.roster import RosterExtras, role_label, seat_order, team_label, team_number
from ..io.roster_reader import read_roster
from ..io.safety import OutputError
from ..io.template import write_template

Change = ci.Change
Explanation = ci.Explanation
InputError = ci.InputError
Issue = ci.Issue
Plan = ci.Plan
Problem = ci.Problem
Rendered = ci.Rendered
Rules = ci.Rules
SolveResult = ci.SolveResult
Status = ci.Status
Violation = ci.Violation
explain = ci.explain
load_problem = ci.load_problem
render = ci.render
solve = ci.solve
verify = ci.verify
write_roster = ci.write_roster

__all__ = [
    "EXAMPLES",
    "ROLE_ORDER",
    "Change",
    "Explanation",
    "Finding",
    "InputError",
    "Issue",
    "OutputError",
    "Plan",
    "Problem",
    "Progress",
    "Relaxation",
    "Relaxed",
    "Rendered",
    "Role",
    "RosterExtras",
    "Rules",
    "Severity",
    "SolveResult",
    "Status",
    "Violation",
    "apply_relaxation",
    "explain",
    "find_alternates",
    "load_problem",
    "place_label",
    "precheck",
    "printed_disagreements",
    "read_roster",
    "relaxation_overrides",
    "render",
    "role_label",
    "seat_order",
    "solve",
    "team_label",
    "team_number",
    "verify",
    "write_example",
    "write_roster",
    "write_template",
]


def relaxation_overrides(relaxation: Relaxation) -> dict[str, Any] | None:
    """The rules keys that make up ``relaxation``, or None when it also changes the input.

    A relaxation that only changes rules keys is re-solved by reloading the input with
    those keys set, soft goals included: the roster is then the one the command line
    gives with the same keys in the rules file. One that adds a cadre or drops a manual
    decision can only be applied to the problem (``apply_relaxation``).
    """
    return dict(relaxation.changes) if relaxation.rules_only else None
