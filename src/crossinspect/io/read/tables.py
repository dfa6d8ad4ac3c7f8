"""The row tables the decoders hand to the book builder, and the helpers they share.

A decoder (``xlsx``, ``csv``) turns a file into ``Table`` rows of cleaned text; the
builder (``book``) never sees openpyxl or the csv module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...domain.errors import Issue, Severity
from ...domain.text import strip_invisible

# Full-width letters and digits become ASCII so Ｃ００１ and C001 are one id; full-width
# punctuation is left alone because it is part of Chinese text (unit names, titles).
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
# Vertical tab and form feed are Word's manual line breaks pasted into a cell: line breaks.
# The Braille blank is a letter that looks like a space: a space.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2800": " "})


def clean(value: Any) -> str:
    """A cell's value as trimmed text; ids stay text (``001``), ``12.0`` becomes ``12``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        # lower case so the 规则 sheet's TOML parsing and the 是/否 parsing both accept it
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    # Characters pasted from web pages and Word that show nothing but break matching.
    text = strip_invisible(str(value)).translate(_FULLWIDTH_ALNUM).translate(_LINE_BREAKS)
    return text.strip()


@dataclass
class Table:
    """One sheet's non-blank rows, each with its 1-based spreadsheet row number."""

    file: str
    name: str  # as written: sheet name, or CSV file stem
    rows: list[tuple[int, list[str]]]
    #: "visible", "hidden" or "veryHidden" (Excel's sheet states; CSV is always visible)
    state: str = "visible"
    #: rows and 1-based columns hidden in Excel (hidden by hand or by a filter)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    #: (row, 0-based column) -> what is wrong with the raw cell behind the text:
    #: "formula" (never calculated), "error" (#REF! …), "date", "float", "bignum", "bool" (TRUE/FALSE)
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    #: the text encoding a CSV file was decoded with ("" for a workbook)
    encoding: str = ""


@dataclass
class Loaded:
    tables: list[Table]
    sha256: str
    #: the name under which issues about a missing sheet are reported
    file: str


def make_issue(
    code: str,
    zh: str,
    en: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    severity: Severity = Severity.ERROR,
    suggestions: Iterable[str] = (),
) -> Issue:
    return Issue(
        code=code,
        zh=zh,
        en=en,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        severity=severity,
        suggestions=tuple(suggestions),
    )


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out
