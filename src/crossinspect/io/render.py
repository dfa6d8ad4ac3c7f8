"""Edit, then render: rewrite every sheet of a hand-edited roster from its plan.

The office moves people on the ``assignments`` sheet or on the team sheets (see
``roster_reader``); 总表, 回避审查, 轮换 and the other copy of the plan then still show the
roster as it was written. ``render`` reads the edited plan as ``verify`` does, checks it
with the independent verifier, and writes a new roster in which every sheet shows that
plan. The new roster says 已人工调整, prints the verifier's result (and a 校验结果 sheet
listing each violation), and lists on a 变更 sheet who moved compared with the plan the
roster was written with. It is never written over the input or the roster read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnose.alternates import find_alternates
from ..domain.plan import Plan, Violation
from ..problem import Problem
from ..verify import verify
from ..workflows.replan import Change, diff
from .roster import HAND_EDIT_ITEMS, HAND_EDIT_YES, SHEET_RUN, HandEdit, RosterExtras, write_roster
from .roster_reader import _rows, read_roster


@dataclass(frozen=True)
class Rendered:
    """What ``render`` wrote: the roster's path, its plan and what the verifier found."""

    path: Path
    plan: Plan
    violations: tuple[Violation, ...]
    #: who moved compared with the roster as first written; None when that cannot be told
    changes: tuple[Change, ...] | None
    #: the seats differ from the roster as the draw wrote it (now or in an earlier render)
    edited: bool

    @property
    def ok(self) -> bool:
        return not self.violations


def render(
    problem: Problem,
    roster: str | Path,
    output: str | Path,
    *,
    lang: str = "zh",
    force: bool = False,
    input_paths: Sequence[str | Path] = (),
    alternates: bool = True,
) -> Rendered:
    """Read the plan in ``roster`` (also after a hand edit), verify it, and write every sheet
    of a new roster at ``output`` from it.

    The roster is written whether or not the plan breaks a rule: the violations are printed
    on it and returned. ``alternates`` adds the 备选 sheet for a plan that breaks none.
    Raises ``InputError`` for a roster that cannot be read and ``OutputError`` for an output
    over an input or an existing file without ``force``.
    """
    read = read_roster(roster, problem)
    plan = read.plan
    violations = tuple(verify(problem, plan))
    changes = tuple(diff(read.recorded, plan)) if read.recorded is not None else None
    edited = read.edited or _marked_edited(read.workbook)
    hand = HandEdit(source=Path(roster).name, edited=edited, violations=violations, changes_known=changes is not None)
    alts = tuple(find_alternates(problem, plan)) if alternates and not violations else None
    extras = RosterExtras(changes=(changes or ()) if read.edited else None, alternates=alts, hand_edit=hand)
    path = write_roster(
        problem, plan, output, lang=lang, force=force, input_paths=[*input_paths, roster], extras=extras
    )
    return Rendered(path=path, plan=plan, violations=violations, changes=changes, edited=edited)


def _marked_edited(wb: Any) -> bool:
    """An earlier ``render`` wrote this roster from a hand-edited plan."""
    if SHEET_RUN not in wb.sheetnames:
        return False
    for _, row in _rows(wb[SHEET_RUN]):
        if len(row) >= 2 and row[0] in HAND_EDIT_ITEMS:
            return row[1].startswith(HAND_EDIT_YES)
    return False
