"""Next round's history from this round's rosters: a copy of the input with 往轮记录 extended.

``add_history`` reads each roster's plan, turns its seats into 往轮记录 rows
(``workflows.history.history_rows``) and writes a copy of the input workbook with those rows
appended to its 往轮记录 sheet (created when the workbook has none); every other sheet,
cell, format and drop-down is kept as openpyxl reads it, a formula as its last computed
value. The copy is written atomically, never over the input or a roster, and is read back
with the input reader before it takes its name, so a copy the next ``check`` or ``solve``
would refuse is never left behind.

For a folder of CSV files the output is the folder's new 往轮记录.csv (the rows it had and
the new ones, in the encoding it had), to be put in place of the old one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.errors import InputError, Issue
from ..domain.models import HistoryRecord
from ..domain.text import normalize_text
from ..problem import Problem, round_sort_key
from ..workflows.history import history_rows
from .columns import HISTORY, match_sheet
from .read import read_input_report
from .roster_reader import read_plan
from .safety import OutputError, atomic_path, check_output_path, read_regular_file, set_cell

#: Column order of a 往轮记录 sheet this module creates or extends.
_KEYS = ("round", "cadre_id", "place", "role", "last_ranked", "from_county")


@dataclass(frozen=True)
class HistoryAdded:
    """What ``add_history`` wrote: the new workbook (or CSV file) and the rows it added."""

    path: Path
    rows: tuple[HistoryRecord, ...]


def round_rows(problem: Problem, rosters: Sequence[str | Path], round_label: str) -> list[HistoryRecord]:
    """The 往轮记录 rows of the plans in ``rosters`` as round ``round_label``.

    Raises ``InputError`` when the label is empty or already in the history (also written
    another way, 第1轮 for 第一轮), or when one cadre sits in two of the rosters.
    """
    label = normalize_text(round_label)  # as the reader reads a round label
    if not label:
        raise InputError(
            [
                Issue(
                    code="bad-round",
                    zh="--round 须写明轮次，如「2026年第四轮」",
                    en="--round needs the round's label, e.g. 2026年第四轮",
                )
            ]
        )
    key = round_sort_key(label)
    for rec in problem.book.history:
        if round_sort_key(rec.round) == key:
            src = rec.source
            raise InputError(
                [
                    Issue(
                        code="duplicate-round",
                        zh=f"轮次「{label}」已在往轮记录中（写作「{rec.round}」）；请换一个轮次名称",
                        en=f"round '{label}' is already in the history (written '{rec.round}'); use another label",
                        file=src.file or problem.book.path,
                        sheet=src.sheet,
                        row=src.row,
                    )
                ]
            )
    rows: list[HistoryRecord] = []
    seen: dict[str, str] = {}
    issues: list[Issue] = []
    for roster in rosters:
        for rec in history_rows(problem, read_plan(roster, problem), label):
            if rec.cadre_id in seen and seen[rec.cadre_id] != str(roster):
                i = problem.cadre_index[rec.cadre_id]
                issues.append(
                    Issue(
                        code="seat-in-two-rosters",
                        zh=f"{problem.cadres[i].name}（{rec.cadre_id}）同时在两份名单中：{Path(seen[rec.cadre_id]).name}"
                        f"、{Path(roster).name}",
                        en=f"{problem.cadres[i].name} ({rec.cadre_id}) is on two rosters: "
                        f"{Path(seen[rec.cadre_id]).name}, {Path(roster).name}",
                        file=str(roster),
                    )
                )
            seen.setdefault(rec.cadre_id, str(roster))
            rows.append(rec)
    if issues:
        raise InputError(issues)
    return rows


def add_history(
    problem: Problem,
    rosters: Sequence[str | Path],
    round_label: str,
    output: str | Path,
    *,
    force: bool = False,
    input_paths: Sequence[str | Path] = (),
) -> HistoryAdded:
    """Write a copy of the problem's input with the rosters' seats added to 往轮记录 as round
    ``round_label`` (末位 left empty); returns what was written.

    Raises ``InputError`` as ``round_rows`` does, and ``OutputError`` for an output over an
    input or a roster, or an existing file without ``force``.
    """
    source = Path(problem.book.path)
    inputs = [*input_paths, source, *rosters]
    target = check_output_path(output, inputs, force=force)
    rows = round_rows(problem, rosters, round_label)
    if source.is_dir():
        if target.suffix.lower() != ".csv":
            raise OutputError(
                f"输入是 CSV 文件夹，输出应为新的 往轮记录.csv，而不是 {target.name}",
                f"the input is a CSV folder: the output is the new history CSV, not {target.name}",
            )
        data = _csv_history(source, rows)
        with atomic_path(target, overwrite=force) as tmp:
            tmp.write_bytes(data)
        return HistoryAdded(target, tuple(rows))
    wb = _open(source)
    _append(wb, rows)
    with atomic_path(target, overwrite=force) as tmp:
        wb.save(tmp)
        # Read back as the next check would read it: a copy it refuses never takes the name.
        book, issues = read_input_report(tmp)
        errors = [i.model_copy(update={"file": str(target)}) for i in issues if i.severity.value == "error"]
        if book is None or errors:
            raise InputError(
                errors
                or [
                    Issue(
                        code="unreadable",
                        zh="写出的工作簿无法读回",
                        en="the copy cannot be read back",
                        file=str(target),
                    )
                ]
            )
    return HistoryAdded(target, tuple(rows))


def _open(path: Path) -> Any:
    import openpyxl

    data = read_regular_file(path)
    # Formulas are copied as the values Excel last computed: openpyxl writes a formula
    # without its value, which the next check would refuse (formula-no-value).
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def _cells(rec: HistoryRecord) -> dict[str, str]:
    return {
        "round": rec.round,
        "cadre_id": rec.cadre_id,
        "place": rec.place,
        "role": rec.role.zh if rec.role is not None else "",
        "last_ranked": "",
        "from_county": rec.from_county,
    }


def _append(wb: Any, rows: list[HistoryRecord]) -> None:
    """Append ``rows`` to the workbook's 往轮记录 sheet, matching its headers; create it if missing."""
    ws = next((wb[name] for name in wb.sheetnames if (s := match_sheet(name)) is not None and s.key == "history"), None)
    if ws is None:
        ws = wb.create_sheet(HISTORY.zh)
        for c, key in enumerate(_KEYS, start=1):
            set_cell(ws.cell(row=1, column=c), HISTORY.column(key).zh)
    header_row, columns = _header(ws)
    for key in _KEYS:
        if key not in columns:  # a column the office left out, such as 来源县区
            col = max([*columns.values(), ws.max_column if header_row else 0]) + 1
            set_cell(ws.cell(row=header_row or 1, column=col), HISTORY.column(key).zh)
            columns[key] = col
            header_row = header_row or 1
    last = max((c.row for row in ws.iter_rows() for c in row if c.value not in (None, "")), default=header_row)
    for r, rec in enumerate(rows, start=last + 1):
        for key, value in _cells(rec).items():
            cell = ws.cell(row=r, column=columns[key])
            set_cell(cell, value or None)
            cell.number_format = "@"  # ids and labels stay text: 001 stays 001


def _header(ws: Any) -> tuple[int, dict[str, int]]:
    """The 往轮记录 header row and each known column's index (0, {} for an empty sheet)."""
    for row in ws.iter_rows(max_row=20):
        found: dict[str, int] = {}
        for cell in row:
            if isinstance(cell.value, str) and (col := HISTORY.match_column(cell.value)) is not None:
                found.setdefault(col.key, cell.column)
        if found:
            return row[0].row, found
    return 0, {}


def _csv_history(folder: Path, rows: list[HistoryRecord]) -> bytes:
    """The folder's history CSV with ``rows`` appended, in the file's own encoding."""
    existing = next(
        (
            p
            for p in sorted(folder.iterdir())
            if p.suffix.lower() == ".csv" and (s := match_sheet(p.stem)) is not None and s.key == "history"
        ),
        None,
    )
    encoding, table = "utf-8-sig", [[HISTORY.column(k).zh for k in _KEYS]]
    if existing is not None:
        raw = read_regular_file(existing)
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(
                [
                    Issue(
                        code="unreadable",
                        zh="往轮记录的 CSV 文件编码无法识别",
                        en="the history CSV's encoding is unknown",
                        file=str(existing),
                    )
                ]
            )
        table = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)] or table
    header = table[0]
    columns = {col.key: k for k, h in enumerate(header) if (col := HISTORY.match_column(h)) is not None}
    for key in _KEYS:
        if key not in columns:
            columns[key] = len(header)
            header.append(HISTORY.column(key).zh)
    for rec in rows:
        line = [""] * len(header)
        for key, value in _cells(rec).items():
            line[columns[key]] = value
        table.append(line)
    out = io.StringIO()
    csv.writer(out).writerows(row + [""] * (len(header) - len(row)) for row in table)
    return out.getvalue().encode(encoding)
