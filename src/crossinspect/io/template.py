"""The blank input workbook (``crossinspect template``): headers, drop-downs, instructions.

Headers come from :mod:`crossinspect.io.columns`, the same table the reader uses,
so a filled-in template always reads back.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..domain.models import DECISION_NAMES, ROLE_ORDER, DecisionKind
from ..domain.rules import Rules, describe_rules
from .columns import (
    CADRES,
    DECISIONS,
    HISTORY,
    INSTRUCTIONS_ZH,
    MULTI_SEPARATORS,
    RULES,
    SHEETS,
    Sheet,
)
from .safety import atomic_path, set_cell

#: Validations cover the whole column below the header, however many rows are added.
_LAST_ROW = 1_048_576

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_REQUIRED_FILL = PatternFill("solid", start_color="FCE4D6")  # orange: must be filled
_OPTIONAL_FILL = PatternFill("solid", start_color="DDEBF7")  # blue: may be left empty
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)

_YES_NO = ("是", "否")
_ROLES = tuple(role.zh for role in ROLE_ORDER)
_KINDS = tuple(next(name for name, k in DECISION_NAMES.items() if k is kind) for kind in DecisionKind)


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns of an English one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _list_formula(values: tuple[str, ...]) -> str:
    return '"' + ",".join(values) + '"'


# (sheet key, column key) -> (allowed values or a range formula, error style).
# "information" style shows a hint but accepts other text: ranks are configurable,
# and 可任角色 holds several roles in one cell, which a list validation cannot express.
_VALIDATIONS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("cadres", "gender"): (_list_formula(("男", "女")), "warning"),
    ("cadres", "roles"): (_list_formula(_ROLES), None),
    # model_validate rather than Rules(): mypy without the pydantic plugin wants every field
    ("cadres", "rank"): (_list_formula(Rules.model_validate({}).rank_order), "information"),
    ("cadres", "available"): (_list_formula(_YES_NO), "warning"),
    ("history", "role"): (_list_formula(_ROLES), "warning"),
    ("history", "last_ranked"): (_list_formula(_YES_NO), "warning"),
    ("decisions", "kind"): (_list_formula(_KINDS), "warning"),
    ("decisions", "role"): (_list_formula(_ROLES), "warning"),
}


def write_template(path: Path, *, force: bool = False) -> None:
    """Write the blank input workbook to ``path`` atomically; replace a file only with ``force``."""
    wb = build_template()
    with atomic_path(path, overwrite=force) as tmp:
        wb.save(tmp)


def build_template() -> Workbook:
    """The blank input workbook, in memory."""
    wb = Workbook()
    guide = wb.active
    assert guide is not None  # a new Workbook always has one sheet
    guide.title = INSTRUCTIONS_ZH
    sheets = {sheet.key: wb.create_sheet(sheet.zh) for sheet in SHEETS}
    for sheet in SHEETS:
        _data_sheet(sheets[sheet.key], sheet)
    keys_range = _instructions(guide)
    # The 规则 sheet's 键 column offers the keys listed on the instructions sheet.
    rules_ws = sheets[RULES.key]
    letter = get_column_letter(RULES.columns.index(RULES.column("key")) + 1)
    dv = DataValidation(
        type="list",
        formula1=keys_range,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="information",
        errorTitle="规则项",
        error="该键不在规则项列表中，请核对拼写。",
    )
    dv.add(f"{letter}2:{letter}{_LAST_ROW}")
    rules_ws.add_data_validation(dv)
    return wb


def _data_sheet(ws: Any, sheet: Sheet) -> None:
    for i, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=i)
        set_cell(cell, col.zh)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
        cell.alignment = _HEADER_ALIGN
        cell.border = _BORDER
        if col.help:
            cell.comment = Comment(f"{col.zh}（{col.en}）：{col.help}", "crossinspect", width=260, height=110)
        letter = get_column_letter(i)
        width = 12 if not col.multi else 22
        ws.column_dimensions[letter].width = max(width, _width(col.zh) + 6)
        if col.text:
            # Text format so that Excel keeps a typed 001 instead of turning it into 1.
            ws.column_dimensions[letter].number_format = "@"
        spec = _VALIDATIONS.get((sheet.key, col.key))
        if spec is not None:
            formula, style = spec
            dv = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=style is not None,
                showInputMessage=bool(col.help),
            )
            if style is not None:
                dv.errorStyle = style
                dv.errorTitle = col.zh
                dv.error = f"请从下拉列表中选择：{formula.strip(chr(34))}"
            if col.help:
                dv.promptTitle = col.zh
                dv.prompt = col.help[:250]  # Excel refuses prompts over 255 characters
            dv.add(f"{letter}2:{letter}{_LAST_ROW}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 22


def _instructions(ws: Any) -> str:
    """Fill the instructions sheet; return the range formula of the rules keys it lists."""
    seps = " ".join(s if s != "\n" else "换行" for s in MULTI_SEPARATORS)
    required = "、".join(f"「{s.zh}」" for s in SHEETS if s.required)
    optional = "、".join(f"「{s.zh}」" for s in SHEETS if not s.required)
    notes = [
        f"必需的工作表：{required}；可选的工作表：{optional}（可留空或删除）。",
        "每个工作表的第一行非空行是表头，表头上方不要加标题行；表头可用中文或英文，不区分大小写和空格。",
        "橙色表头的列必须填写；蓝色表头的列可以留空。多余的列会被忽略。",
        f"一个单元格填多个值时，用以下任一符号分隔：{seps}。",
        "编号按文本填写，001 保持为 001；各表中的干部编号、巡察对象编号须一致。",
        "是/否 列填 是 或 否（也可填 yes/no、1/0）；可用 列留空表示 是。",
        "地名尽量写全，如 福建省漳州市漳浦县；写到县区或乡镇。不认识的地名会报错并提示最接近的写法。",
        f"「{CADRES.zh}」表可任角色留空表示只任组员；「{HISTORY.zh}」表用于避免重复派往同一地方和处理末位；"
        f"「{DECISIONS.zh}」表记录领导小组的指定、禁配和不可用决定。",
        "也可把各工作表另存为 CSV 文件（UTF-8 或 GB18030 编码），以工作表名命名（如 干部.csv），放在同一个文件夹中。",
    ]
    row = 1
    set_cell(ws.cell(row=row, column=1), "交叉巡察 输入工作簿 填写说明")
    ws.cell(row=row, column=1).font = _TITLE
    row += 2
    for i, note in enumerate(notes, start=1):
        _wide_line(ws, row, f"{i}. {note}")
        row += 1
    row += 1
    for sheet in SHEETS:
        need = "必需" if sheet.required else "可选"
        _wide_line(ws, row, f"工作表「{sheet.zh}」（{sheet.en}，{need}）：{sheet.help}", bold=True)
        row += 1
        row = _table(
            ws,
            row,
            ("列名", "英文名", "必填", "多值", "说明"),
            [(c.zh, c.en, "是" if c.required else "", "是" if c.multi else "", c.help) for c in sheet.columns],
        )
        row += 1
    set_cell(
        ws.cell(row=row, column=1),
        f"「{RULES.zh}」表可用的规则项（键）：中文键、英文键均可；取值可写文字，如 推磨式、5-7、是",
    )
    ws.cell(row=row, column=1).font = _BOLD
    row += 1
    first = row + 1
    rows = [(doc.zh, doc.key, doc.default_words, doc.meaning) for doc in describe_rules("zh")]
    row = _table(ws, row, ("中文键", "英文键", "默认值", "说明"), rows)
    last = row - 1
    for letter, width in zip("ABCDE", _GUIDE_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    # Printed on A4 the instructions must fit the page width, not spill onto extra pages.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return f"'{INSTRUCTIONS_ZH}'!$A${first}:$A${last}"


_GUIDE_WIDTHS = (22, 16, 8, 8, 60)


def _wide_line(ws: Any, row: int, text: str, *, bold: bool = False) -> None:
    """A line of text across the instructions sheet's columns, wrapped to fit."""
    cell = ws.cell(row=row, column=1)
    set_cell(cell, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_GUIDE_WIDTHS))
    cell.alignment = _WRAP
    if bold:
        cell.font = _BOLD
    lines = -(-_width(text) // int(sum(_GUIDE_WIDTHS) * 0.9))  # merged cells do not auto-fit
    ws.row_dimensions[row].height = 16 * max(1, lines)


def _table(ws: Any, row: int, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """Write a small bordered table starting at ``row``; return the next free row."""
    for i, header in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=i)
        set_cell(cell, header)
        cell.font = _BOLD
        cell.fill = _OPTIONAL_FILL
        cell.border = _BORDER
        cell.alignment = _HEADER_ALIGN
    row += 1
    for values in rows:
        for i, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=i)
            set_cell(cell, value)
            cell.border = _BORDER
            cell.alignment = _WRAP
        row += 1
    return row
