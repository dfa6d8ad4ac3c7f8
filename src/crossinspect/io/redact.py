"""Redacted rosters for circulation (``solve --redact``): cadre ids masked.

A roster says who goes where, so names stay: the teams must be announced by name.
What is masked is the cadre id (编号), which offices often take from a staff
number or an ID-card number and which links the roster back to the personnel
files. Each id keeps its first and last character with the middle masked
(``110101199001011234`` → ``1****************4``), enough for the office to tell
people apart on a printed page, not enough to recover the number.

Masked ids are for reading, not for checking: ``crossinspect verify`` needs the
unredacted roster, whose ids match the input. The redacted copy says so in its
运行信息 sheet. The 回避审查 sheet still lists each cadre's declared places, which
the audit needs; docs/privacy.md says who should receive which copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..domain.plan import Plan, SolveResult
from ..problem import Problem
from .roster import ASSIGNMENT_HEADERS, SHEET_ASSIGNMENTS, SHEET_RUN, RosterExtras, build_roster
from .safety import atomic_path, check_output_path, set_cell

MASK = "*"

#: The row added to 运行信息 so that a reader knows the ids are not the real ones.
REDACTED_ITEM = ("已脱敏", "Redacted")
REDACTED_NOTE = (
    "干部编号已部分遮盖，本名单仅供传阅，不能用于 verify 复核",
    "cadre ids are partly masked: this copy is for circulation and cannot be checked with verify",
)


def mask_id(cadre_id: str) -> str:
    """The id with all but its first and last character masked; short ids are masked whole.

    Ids of one or two characters are masked completely: keeping both ends would keep
    the whole id.
    """
    n = len(cadre_id)
    if n <= 2:
        return MASK * n
    return cadre_id[0] + MASK * (n - 2) + cadre_id[-1]


def redact_workbook(wb: Any, ids: Iterable[str], *, lang: str = "zh") -> int:
    """Mask the cadre ids of a roster workbook in place; returns the number of cells changed.

    Ids are masked where the roster writes them: the ``cadre_id`` column of
    ``assignments``, and a sanction's ``张三（C001）`` in ``运行信息``. Nowhere else is
    searched on purpose: offices number cadres 1, 2, 3 …, and masking every cell that
    equals an id would also mask team numbers and counts.
    """
    wanted = {i for i in ids if i}
    changed = 0
    if wanted and SHEET_ASSIGNMENTS in wb.sheetnames:
        ws = wb[SHEET_ASSIGNMENTS]
        col = ASSIGNMENT_HEADERS.index("cadre_id") + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if isinstance(cell.value, str) and cell.value in wanted:
                set_cell(cell, mask_id(cell.value))
                changed += 1
    if wanted and SHEET_RUN in wb.sheetnames:
        # longest first, so an id that is a prefix of another (C1, C12) cannot mask part of it
        alternatives = "|".join(re.escape(i) for i in sorted(wanted, key=len, reverse=True))
        bracketed = re.compile(rf"([（(])({alternatives})([）)])$")
        for (cell,) in wb[SHEET_RUN].iter_rows(min_col=2, max_col=2):
            if isinstance(cell.value, str):
                new = bracketed.sub(lambda m: m.group(1) + mask_id(m.group(2)) + m.group(3), cell.value)
                if new != cell.value:
                    set_cell(cell, new)
                    changed += 1
    _mark(wb, lang)
    return changed


def _mark(wb: Any, lang: str) -> None:
    """Add the 已脱敏 row to the 运行信息 sheet, if the workbook has one."""
    if SHEET_RUN not in wb.sheetnames:
        return
    ws = wb[SHEET_RUN]
    row = ws.max_row + 1
    k = 0 if lang == "zh" else 1
    set_cell(ws.cell(row=row, column=1), REDACTED_ITEM[k])
    set_cell(ws.cell(row=row, column=2), "是" if lang == "zh" else "yes")
    set_cell(ws.cell(row=row, column=3), REDACTED_NOTE[k])


def redact_data(data: Any, ids: Iterable[str]) -> Any:
    """A copy of JSON-like data (``SolveResult.model_dump``) with every id value masked.

    Only whole string values equal to an id are masked (``cadre_id`` fields), as in
    :func:`redact_workbook`.
    """
    wanted = frozenset(i for i in ids if i)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return mask_id(value) if value in wanted else value
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return walk(data)


def redact_messages(data: Any, ids: Iterable[str]) -> Any:
    """``redact_data``, and also ids quoted inside message text (王五（ZZ064）, 编号「ZZ064」),
    as the warnings and errors of a ``--json`` document write them."""
    wanted = sorted((i for i in frozenset(ids) if i), key=len, reverse=True)
    if not wanted:
        return data
    quoted = re.compile(r"(?<=[（「(『'\"])(" + "|".join(map(re.escape, wanted)) + r")(?=[）」)』'\"])")

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return quoted.sub(lambda m: mask_id(m.group(1)), value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return walk(redact_data(data, wanted))


def write_redacted_roster(
    problem: Problem,
    result: SolveResult | Plan,
    path: str | Path,
    *,
    lang: str = "zh",
    force: bool = False,
    input_paths: Sequence[str | Path] = (),
    extras: RosterExtras | None = None,
) -> Path:
    """Write the roster of ``result`` with cadre ids masked; the same checks as ``write_roster``.

    Takes the same arguments as ``write_roster``, so the CLI can call one or the
    other. Refuses to write over an input, or over an existing file without
    ``force``, and writes atomically; raises ``OutputError`` as ``write_roster`` does.
    """
    inputs: list[str | Path] = [*input_paths]
    if problem.book.path:
        inputs.append(problem.book.path)
    target = check_output_path(path, inputs, force=force)
    wb = build_roster(problem, result, lang=lang, extras=extras)
    redact_workbook(wb, (c.id for c in problem.cadres), lang=lang)
    with atomic_path(target, overwrite=force) as tmp:
        wb.save(tmp)
    return target
