"""The roster workbook (名单) an inspection office prints, signs and files (SPEC §5).

Sheets, in order, with names fixed in both languages (only headers and titles are
translated, so tools and ``read_plan`` find them whatever the language):

- ``总表``: one row per team;
- ``第一组``, ``第二组`` …: one sheet per team, the office's own format, leader first,
  then deputies, liaisons and members, each role in 姓氏笔画 order;
- ``回避审查``: one row per seat, every avoidance judged against the target;
- ``轮换`` (rotation mode): the arcs and a picture of the cycle;
- ``运行信息``: input checksum, every rule in force, seed, solver report, versions;
- ``assignments``: machine-readable ``team_id, target_id, cadre_id, role``.

Every cell goes through ``set_cell`` (formula neutralising) and the file is written
atomically beside its destination, never over an input.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...domain.plan import Plan, SolveResult
from ...domain.rules import Mode
from ...problem import Problem
from ..run_record import run_record, write_record
from ..safety import OutputError, atomic_path, check_output_path, set_cell
from .audit_sheet import AuditSheet
from .labels import (
    ASSIGNMENT_HEADERS,
    DIGEST_ITEMS,
    HAND_EDIT_ITEMS,
    HAND_EDIT_YES,
    LANGS,
    SHEET_ALTERNATES,
    SHEET_ASSIGNMENTS,
    SHEET_AUDIT,
    SHEET_CHANGES,
    SHEET_DECISIONS,
    SHEET_OVERVIEW,
    SHEET_ROTATION,
    SHEET_RUN,
    SHEET_VIOLATIONS,
    cn_numeral,
    role_label,
    team_label,
    team_number,
    team_sheet_name,
)
from .listings import ListingSheets
from .rotation import RotationSheet
from .run_info import RunInfoSheet
from .seats import derive_arcs, overview_roles, plan_digest, seat_order
from .teams import TeamSheets
from .writer import HandEdit, RosterExtras

#: Every name the rest of the package imports from here, wherever in io/roster/ it is defined.
__all__ = [
    "ASSIGNMENT_HEADERS",
    "DIGEST_ITEMS",
    "HAND_EDIT_ITEMS",
    "HAND_EDIT_YES",
    "LANGS",
    "SHEET_ALTERNATES",
    "SHEET_ASSIGNMENTS",
    "SHEET_AUDIT",
    "SHEET_CHANGES",
    "SHEET_DECISIONS",
    "SHEET_OVERVIEW",
    "SHEET_ROTATION",
    "SHEET_RUN",
    "SHEET_VIOLATIONS",
    "HandEdit",
    "RosterExtras",
    "build_roster",
    "cn_numeral",
    "derive_arcs",
    "overview_roles",
    "plan_digest",
    "role_label",
    "seat_order",
    "team_label",
    "team_number",
    "team_sheet_name",
    "write_roster",
]


# ---- the public entry point -----------------------------------------------------------


def write_roster(
    problem: Problem,
    result: SolveResult | Plan,
    path: str | Path,
    *,
    lang: str = "zh",
    force: bool = False,
    input_paths: Sequence[str | Path] = (),
    extras: RosterExtras | None = None,
) -> Path:
    """Write the print-ready roster of ``result`` to ``path``; returns the path written.

    Refuses to write over any of ``input_paths`` or the problem's own input file, and
    over an existing file unless ``force``. Raises ``OutputError`` for those and for a
    result without a plan.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    plan = result.plan if isinstance(result, SolveResult) else result
    if plan is None:
        raise OutputError(
            "没有可写出的名单（求解未得到编组）。", "there is no roster to write (the solve found no plan)."
        )
    inputs: list[str | Path] = [*input_paths]
    if problem.book.path:
        inputs.append(problem.book.path)
    target = check_output_path(path, inputs, force=force)
    wb = build_roster(problem, result, lang=lang, extras=extras)
    with atomic_path(target, overwrite=force) as tmp:
        wb.save(tmp)
    return target


def build_roster(
    problem: Problem, result: SolveResult | Plan, *, lang: str = "zh", extras: RosterExtras | None = None
) -> Workbook:
    """The roster workbook in memory (``write_roster`` saves it)."""
    plan = result.plan if isinstance(result, SolveResult) else result
    if plan is None:
        raise OutputError("没有可写出的名单。", "there is no roster to write.")
    solve = result if isinstance(result, SolveResult) else None
    writer = _Writer(problem, plan, solve, lang, extras or RosterExtras())
    return writer.build()


class _Writer(TeamSheets, AuditSheet, RotationSheet, ListingSheets, RunInfoSheet):
    """The whole workbook: every sheet, in the order of SPEC §5."""

    def build(self) -> Workbook:
        wb = Workbook()
        default = wb.active
        assert default is not None
        wb.remove(default)
        self.overview(wb.create_sheet(SHEET_OVERVIEW))
        for team in self.plan.teams:
            self.team_sheet(wb.create_sheet(team_sheet_name(self.numbers[team.team_id])), team)
        self.audit(wb.create_sheet(SHEET_AUDIT))
        if self.p.book.decisions or any(not c.available for c in self.p.cadres):
            self.decisions(wb.create_sheet(SHEET_DECISIONS))
        if self.p.rules.mode is Mode.ROTATION:
            self.rotation(wb.create_sheet(SHEET_ROTATION))
        if self.extras.hand_edit is not None and self.extras.hand_edit.violations:
            self.violations(wb.create_sheet(SHEET_VIOLATIONS))
        if self.extras.changes is not None:
            self.changes(wb.create_sheet(SHEET_CHANGES))
        if self.extras.alternates is not None:
            self.alternates(wb.create_sheet(SHEET_ALTERNATES))
        run = wb.create_sheet(SHEET_RUN)
        self.run_info(run)
        write_record(run, run_record(self.p, self.solve))
        self.assignments(wb.create_sheet(SHEET_ASSIGNMENTS))
        wb.active = 0
        return wb

    def assignments(self, ws: Worksheet) -> None:
        for c, h in enumerate(ASSIGNMENT_HEADERS, start=1):
            set_cell(ws.cell(row=1, column=c), h)
            ws.cell(row=1, column=c).font = Font(bold=True)
        row = 1
        for team in self.plan.teams:
            for seat in seat_order(self.p, team.seats):
                row += 1
                for c, v in enumerate((seat.team_id, seat.target_id, seat.cadre_id, seat.role.value), start=1):
                    set_cell(ws.cell(row=row, column=c), v)
        for c, w in enumerate((10, 14, 14, 10), start=1):
            ws.column_dimensions[get_column_letter(c)].width = w
        ws.freeze_panes = "A2"
        self.page(ws, landscape=False, title_rows="1:1")
        # For other programs, not for people: printing the whole workbook leaves it out.
        ws.sheet_state = "hidden"
