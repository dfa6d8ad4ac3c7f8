"""How every printed sheet looks: faces, borders, widths, A4 page setup.

Shared by the roster and the term overview, so that every file an office prints from
crossinspect looks alike.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from copy import copy
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from .safety import set_cell

# 仿宋 / 宋体 and 黑体 are the faces every Chinese office PC has and official documents
# use; LibreOffice on a machine without them substitutes an installed CJK face.
_BODY_FACE = {"zh": "仿宋", "en": "宋体"}
_TITLE_FACE = "黑体"
# GB/T 9704 sets a document's title in 2号 (22 pt) 小标宋. 方正小标宋简体 is the face WPS
# offices install for it; where it is missing, Excel and WPS print 宋体 and LibreOffice
# the fontconfig substitute (Noto Serif CJK SC): docs/guide.md names the fallback.
_DOCUMENT_TITLE_FACE = "方正小标宋简体"
_DOCUMENT_TITLE_SIZE = 22
# GB/T 9704 page numbers: 4号 (14 pt) 宋体 Arabic numerals between one-em dashes.
_PAGE_NUMBER = "— &P —"
_PAGE_NUMBER_FACE = "宋体,常规"
_PAGE_NUMBER_SIZE = 14
_BODY_SIZE = 12
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="E7E6E6")
_CONFLICT_FILL = PatternFill("solid", start_color="F8CBAD")
_WARN_FILL = PatternFill("solid", start_color="FFF2CC")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=False, indent=2)
_TITLE_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Excel's column width unit is the width of "0" in an 11-point font; a 12-point CJK
# character is about 2.3 of them, and _width counts it as 2.
_WIDTH_FACTOR = 1.15
_WIDTH_PAD = 2.5


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _width(text: str) -> float:
    """Display width of the longest line: a CJK character takes two columns.

    Latin letters and digits count 1.2: printed in the CJK face, or in the face a
    machine without it substitutes, they are wider than half a CJK character.
    """
    return max(
        (sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.2 for ch in line) for line in text.split("\n")),
        default=0.0,
    )


class TableWriter:
    """Table-writing helpers for print-ready sheets in the office's faces."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.body = Font(name=_BODY_FACE[lang], size=_BODY_SIZE)
        self.bold = Font(name=_TITLE_FACE, size=_BODY_SIZE, bold=True)
        # family 1 (roman) and charset 134 (GB2312) steer a font mapper without 小标宋 to a Song face.
        self.title_font = (
            Font(name=_DOCUMENT_TITLE_FACE, size=_DOCUMENT_TITLE_SIZE, family=1, charset=134)
            if lang == "zh"
            else Font(name=_TITLE_FACE, size=16, bold=True)
        )
        self.note_font = Font(name=_BODY_FACE[lang], size=10)
        #: (workbook, font, alignment, border, fill), by identity -> the cell style they make
        self._styles: dict[tuple[int, int, int, bool, int], Any] = {}
        #: the objects whose ids key ``_styles``: kept alive, so no id is reused meanwhile
        self._style_keys: list[tuple[Any, ...]] = []

    def put(
        self,
        ws: Worksheet,
        row: int,
        col: int,
        value: Any,
        *,
        font: Font | None = None,
        align: Alignment | None = None,
        border: bool = True,
        fill: PatternFill | None = None,
    ) -> None:
        cell = ws.cell(row=row, column=col)
        font, align = font or self.body, align or _LEFT
        key = (id(ws.parent), id(font), id(align), border, id(fill))
        style = self._styles.get(key)
        fresh = not cell.has_style
        if style is not None and fresh:
            # Assigning font, alignment and border one by one makes openpyxl hash each
            # style object again: half the time of writing a roster. A fresh cell takes
            # the style array the same objects gave an earlier cell (openpyxl's own way
            # of copying a style).
            cell._style = copy(style)
        else:
            cell.font = font
            cell.alignment = align
            if border:
                cell.border = _BORDER
            if fill is not None:
                cell.fill = fill
            if fresh:
                self._styles[key] = copy(cell._style)
                self._style_keys.append((ws.parent, font, align, fill))
        # After the style: set_cell may mark the cell quote-prefixed, a flag of its style.
        set_cell(cell, value)

    def heading(self, ws: Worksheet, ncols: int, title: str, note: str = "") -> int:
        """Title (row 1) and an optional note (row 2) across the table; returns the header row."""
        self.put(ws, 1, 1, title, font=self.title_font, align=_TITLE_ALIGN, border=False)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.row_dimensions[1].height = 40 if self.lang == "zh" else 34
        if not note:
            return 2
        self.put(ws, 2, 1, note, font=self.note_font, align=_LEFT, border=False)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
        return 3

    def header_row(self, ws: Worksheet, row: int, headers: Sequence[str]) -> None:
        for c, text in enumerate(headers, start=1):
            self.put(ws, row, c, text, font=self.bold, align=_CENTER, fill=_HEADER_FILL)
        ws.row_dimensions[row].height = 24

    def fit(self, ws: Worksheet, first_row: int, caps: Sequence[float], minimum: float = 6.0) -> list[float]:
        """Column widths that fit the longest content, each capped (long text wraps)."""
        widths: list[float] = []
        for c, cap in enumerate(caps, start=1):
            longest = 0.0
            for r in range(first_row, ws.max_row + 1):
                value = ws.cell(row=r, column=c).value
                if value is not None:
                    # The header row is bold 黑体, wider than the body face.
                    scale = 1.2 if r == first_row else 1.0
                    longest = max(longest, _width(str(value)) * scale)
            width = min(cap, max(minimum, longest * _WIDTH_FACTOR + _WIDTH_PAD))
            ws.column_dimensions[get_column_letter(c)].width = round(width, 1)
            widths.append(width)
        return widths

    def fit_rows(self, ws: Worksheet, header_row: int, widths: Sequence[float], minimum: float = 22.0) -> None:
        """Row heights for wrapped text.

        Neither LibreOffice nor Excel re-measures rows written by openpyxl, so a cell of
        two lines would print clipped over its neighbour: the height is set from the
        number of lines each cell wraps into at its column's width.
        """
        line = _BODY_SIZE * 1.35
        for r in range(header_row, ws.max_row + 1):
            lines = 1
            scale = 1.2 if r == header_row else 1.0  # the header is bold 黑体
            for c, width in enumerate(widths, start=1):
                value = ws.cell(row=r, column=c).value
                if value is None:
                    continue
                # A width unit is about 7 pixels and a 12-point CJK character 16, i.e.
                # 2 of the _width units: the line holds (7w + 1) / 8 of them.
                room = max(2.0, (7 * width + 1) / 8)
                count = sum(max(1, math.ceil(_width(part) * scale / room)) for part in str(value).split("\n"))
                lines = max(lines, count)
            ws.row_dimensions[r].height = max(minimum, lines * line + 6)

    def note_height(self, ws: Worksheet, row: int, text: str, widths: Sequence[float], size: float = 10) -> None:
        """Height of a merged note row: merged cells are never auto-fitted by Excel or Calc."""
        usable = max(2.0, (7 * sum(widths) + 1) / 8 * _BODY_SIZE / size)
        lines = sum(max(1, math.ceil(_width(part) / usable)) for part in text.split("\n"))
        ws.row_dimensions[row].height = lines * size * 1.45 + 6

    def page(self, ws: Worksheet, *, landscape: bool, title_rows: str) -> None:
        setup = ws.page_setup
        setup.paperSize = ws.PAPERSIZE_A4
        setup.orientation = "landscape" if landscape else "portrait"
        # Fit the width to one page and let the length run on as many pages as it needs.
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        props = ws.sheet_properties.pageSetUpPr
        if props is not None:
            props.fitToPage = True
        ws.print_title_rows = title_rows
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.35)
        # Each sheet numbers its own pages from 1, as a document printed on its own would.
        setup.firstPageNumber = 1
        setup.useFirstPageNumber = True
        if self.lang == "zh":
            ws.oddFooter.center.text = _PAGE_NUMBER
            ws.oddFooter.center.font = _PAGE_NUMBER_FACE
            ws.oddFooter.center.size = _PAGE_NUMBER_SIZE
        else:
            ws.oddFooter.center.text = "Page &P of &N"
            ws.oddFooter.center.size = 10
        ws.oddHeader.right.text = "&A"
        ws.oddHeader.right.size = 9
