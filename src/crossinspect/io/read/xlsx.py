"""Decode an .xlsx workbook into row tables: cell text as Excel shows it, merged blocks filled.

The file has passed the checks of ``limits`` before openpyxl reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ...domain.errors import Issue
from .limits import MAX_CELLS, MAX_COLUMNS, SheetScan, read_bytes, scan_xlsx
from .tables import Loaded, Table, clean, column_letters, make_issue

_ZERO_FORMAT_RE = re.compile(r"0+")


# OOXML stores characters XML cannot hold as _xHHHH_ (a CR of a Windows line break as
# _x000D_, a pasted control character as _x0007_); Excel shows the character, openpyxl
# leaves the escape in the text. _x005F_ is the escaped underscore itself.
_OOXML_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        # a lone surrogate cannot be printed or saved: show that something was there
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)

    return _OOXML_ESCAPE_RE.sub(char, text)


def _xlsx_cell(cell: Any) -> str:
    value = cell.value
    if isinstance(value, str) and "_x" in value:
        value = _unescape(value)
    # A number formatted "000" shows as 001 in Excel; the clerk means the text 001.
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and float(value).is_integer()
        and _ZERO_FORMAT_RE.fullmatch(str(cell.number_format or ""))
    ):
        return str(int(value)).zfill(len(cell.number_format))
    return clean(value)


def load_xlsx(path: Path, issues: list[Issue]) -> Loaded | None:
    file = str(path)
    data = read_bytes(path, issues)
    if data is None:
        return None
    package = scan_xlsx(data, file, issues)
    if package is None:
        return None
    import openpyxl  # deferred: importing openpyxl is slow and CSV input does not need it

    try:
        # read_only=False so merged cells can be filled; data_only=True gives formula results.
        # openpyxl's own warnings (unsupported extensions) are noise for a clerk.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except zipfile.BadZipFile:
        issues.append(
            make_issue(
                "corrupt-file",
                "文件已损坏或不是 .xlsx 工作簿，无法打开",
                "the file is damaged or not an .xlsx workbook",
                file=file,
            )
        )
        return None
    except Exception as exc:  # any parser failure on a damaged file is an input problem
        issues.append(
            make_issue(
                "corrupt-file",
                f"工作簿已损坏，无法打开：{exc}",
                f"the workbook is damaged and cannot be opened: {exc}",
                file=file,
            )
        )
        return None
    tables = []
    try:
        for ws in wb.worksheets:
            tables.append(_xlsx_table(file, ws, package.get(ws.title), issues))
    except Exception as exc:  # same: a damaged sheet must not become a traceback
        issues.append(
            make_issue(
                "corrupt-file",
                f"工作簿内容无法读取：{exc}",
                f"the workbook's contents cannot be read: {exc}",
                file=file,
            )
        )
        return None
    finally:
        wb.close()
    return Loaded(tables=tables, sha256=hashlib.sha256(data).hexdigest(), file=file)


def _note(cell: Any) -> str | None:
    """What is wrong with a cell's raw value, if anything, before it becomes text."""
    if cell.data_type == "e":
        return "error"  # a formula whose result is #REF!, #N/A …
    value = cell.value
    if isinstance(value, bool):
        return "bool"  # TRUE/FALSE: a checkbox, a formula's result or a typed "true"
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return "date"
    if isinstance(value, float):
        if abs(value) >= 1e15:
            return "bignum"  # Excel keeps 15 digits: the rest of the number is lost
        if not value.is_integer():
            return "float"
    return None


def _xlsx_table(file: str, ws: Any, scan: SheetScan | None, issues: list[Issue]) -> Table:
    uncalculated = scan.uncalculated if scan is not None else set()
    notes: dict[tuple[int, int], str] = {}
    grid: dict[int, dict[int, str]] = {}
    too_wide: tuple[int, int] | None = None
    # ws._cells holds only the cells the file has. ws.iter_rows() would instead create
    # every cell of the rectangle up to the farthest one: a single stray value in
    # XFD1048576 would mean 17 billion cells.
    for (r, c), cell in list(ws._cells.items()):
        if cell.value is None and (r, c) not in uncalculated:
            continue
        text = _xlsx_cell(cell)
        if c > MAX_COLUMNS:
            if text and (too_wide is None or (r, c) < too_wide):
                too_wide = (r, c)
            continue
        note = "formula" if (r, c) in uncalculated else _note(cell)
        if note:
            notes[(r, c - 1)] = note
            grid.setdefault(r, {})
        if text:
            grid.setdefault(r, {})[c] = text
    if too_wide is not None:
        letters = column_letters(too_wide[1])
        issues.append(
            make_issue(
                "too-many-columns",
                f"单元格 {letters}{too_wide[0]} 超出了 {MAX_COLUMNS} 列的上限；请删除表格右侧多余的内容",
                f"cell {letters}{too_wide[0]} is beyond the limit of {MAX_COLUMNS} columns; delete "
                "the stray content to the right of the table",
                file=file,
                sheet=ws.title,
                row=too_wide[0],
                column=letters,
            )
        )
    _fill_merged(ws, grid, file, issues)
    noted: dict[int, int] = {}  # row -> rightmost 1-based column with a note
    for r, c0 in notes:
        noted[r] = max(noted.get(r, 0), c0 + 1)
    rows: list[tuple[int, list[str]]] = []
    for r in sorted(grid):
        cells = grid[r]
        width = max(max(cells, default=0), noted.get(r, 0))
        rows.append((r, [cells.get(c, "") for c in range(1, width + 1)]))
    hidden_rows = frozenset(r for r, d in ws.row_dimensions.items() if d.hidden and r in grid)
    hidden_cols: set[int] = set()
    for d in ws.column_dimensions.values():
        if d.hidden and d.min:
            hidden_cols.update(range(d.min, min(d.max or d.min, MAX_COLUMNS) + 1))
    return Table(
        file=file,
        name=ws.title,
        rows=rows,
        state=ws.sheet_state or "visible",
        hidden_rows=hidden_rows,
        hidden_columns=frozenset(hidden_cols),
        notes=notes,
    )


def _fill_merged(ws: Any, grid: dict[int, dict[int, str]], file: str, issues: list[Issue]) -> None:
    """Give every cell of a merged block the block's value.

    Clerks merge cells of a column (the same 所属县区 for a block of cadres); every cell
    of the block means the block's value, not a blank. Blocks are clipped to the rows
    and columns that hold values, so merging a whole column costs nothing.
    """
    if not grid:
        return
    last_row = max(grid)
    last_col = min(max((max(c) for c in grid.values() if c), default=0), MAX_COLUMNS)
    budget = MAX_CELLS
    for rng in ws.merged_cells.ranges:
        value = grid.get(rng.min_row, {}).get(rng.min_col, "")
        if not value:
            continue  # a blank block adds nothing
        rows = range(rng.min_row, min(rng.max_row, last_row) + 1)
        cols = range(rng.min_col, min(rng.max_col, last_col) + 1)
        budget -= len(rows) * len(cols)
        if budget < 0:
            issues.append(
                make_issue(
                    "too-many-cells",
                    f"合并单元格过大，展开后超过 {MAX_CELLS:,} 个单元格的上限",
                    f"merged cells are too large: they span more than the limit of {MAX_CELLS:,} cells",
                    file=file,
                    sheet=ws.title,
                    row=rng.min_row,
                    column=column_letters(rng.min_col),
                )
            )
            return
        for r in rows:
            row = grid.setdefault(r, {})
            for c in cols:
                row[c] = value
