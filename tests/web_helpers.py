"""Paths and helpers shared by the web tests (tests/web)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
ROTATION = ROOT / "data" / "examples" / "rotation"
MIXED = ROOT / "data" / "examples" / "mixed"
#: The row of the rotation example's 干部 sheet that ``broken_workbook`` spoils.
BROKEN_ROW = 12


def assignments(source: Path | bytes) -> list[tuple[str, ...]]:
    """The machine-readable seats of a roster workbook, as rows of text."""
    wb = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, read_only=True)
    rows = [tuple("" if v is None else str(v) for v in row) for row in wb["assignments"].iter_rows(values_only=True)]
    wb.close()
    return rows
