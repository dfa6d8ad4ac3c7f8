"""What a draw was made from, recorded with its roster so anyone can make it again (R11).

The roster carries it twice on its 运行信息 sheet: in words for the people who sign it, and
machine-readable in two hidden columns far to the right for ``verify --reproduce``. Hidden
columns survive a clerk's re-save in Excel or WPS and keep the sheet list exactly as SPEC §5
names it. The JSON of every command carries the same record.
"""

from __future__ import annotations

from typing import Any

from ..domain.commitment import commitment
from ..domain.lottery import seed_digest
from ..domain.plan import SolveResult
from ..domain.versions import distribution_version
from ..problem import Problem

#: The sheet holding the record, and its first (hidden) column: AA, out of the printed area.
SHEET_RUN_RECORD = "运行信息"
RECORD_COLUMN = 27
RECORD_HEADERS = ("crossinspect.run.key", "crossinspect.run.value")
#: Version of the record's layout.
RECORD_FORMAT = "1"


def run_record(problem: Problem, result: SolveResult | None = None) -> dict[str, str]:
    """Everything a draw depends on, as text: the input's checksum and commitment, the rules,
    the seed, the effort and the versions; and whether this draw is reproducible."""
    rules = problem.rules
    seed = result.seed if result is not None else rules.seed
    effort = result.effort if result is not None else rules.effort
    out = {
        "format": RECORD_FORMAT,
        "input_sha256": problem.book.sha256,
        "commitment": commitment(problem.book, rules),
        "seed": seed,
        "seed_sha256": seed_digest(seed),
        "effort": repr(float(effort)),
        "rules_toml": rules.model_copy(update={"seed": seed, "effort": float(effort)}).to_toml(),
        "crossinspect": distribution_version("crossinspect"),
        "ortools": distribution_version("ortools"),
    }
    if result is not None:
        out["reproducible"] = "true" if result.reproducible else "false"
        out["not_reproducible"] = result.not_reproducible_en
    return out


def write_record(ws: Any, record: dict[str, str]) -> None:
    """The record as key/value rows in the hidden columns of the 运行信息 worksheet."""
    from openpyxl.utils import get_column_letter

    from .safety import set_cell

    for offset, name in enumerate(RECORD_HEADERS):
        column = RECORD_COLUMN + offset
        set_cell(ws.cell(row=1, column=column), name)
        ws.column_dimensions[get_column_letter(column)].hidden = True
    for row, (key, value) in enumerate(record.items(), start=2):
        set_cell(ws.cell(row=row, column=RECORD_COLUMN), key)
        set_cell(ws.cell(row=row, column=RECORD_COLUMN + 1), value)


def read_record(wb: Any) -> dict[str, str] | None:
    """The record of a roster workbook, or None when it has none (an older or a hand-made roster)."""
    if SHEET_RUN_RECORD not in wb.sheetnames:
        return None
    ws = wb[SHEET_RUN_RECORD]
    if ws.cell(row=1, column=RECORD_COLUMN).value != RECORD_HEADERS[0]:
        return None
    out: dict[str, str] = {}
    for key, value in ws.iter_rows(min_row=2, min_col=RECORD_COLUMN, max_col=RECORD_COLUMN + 1, values_only=True):
        if key is not None:
            out[str(key)] = "" if value is None else str(value)
    return out
