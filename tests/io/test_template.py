"""The blank input template: sheets, headers, drop-downs, and that it reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from crossinspect.domain.errors import InputError
from crossinspect.io.columns import CADRES, DECISIONS, HISTORY, SHEETS, TARGETS, Sheet
from crossinspect.io.read import read_input
from crossinspect.io.template import write_template


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    write_template(path)
    return path


def validation_on(ws: Any, sheet: Sheet, key: str) -> Any:
    """The data validation covering row 2 of a column, or None."""
    letter = get_column_letter([c.key for c in sheet.columns].index(key) + 1)
    for dv in ws.data_validations.dataValidation:
        if f"{letter}2" in dv.sqref:
            return dv
    return None


def test_sheets_and_headers(template: Path) -> None:
    """The instructions sheet comes first, then every input sheet with its Chinese headers."""
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["说明", *(s.zh for s in SHEETS)]
    for sheet in SHEETS:
        ws = wb[sheet.zh]
        assert [c.value for c in ws[1]] == [c.zh for c in sheet.columns]
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
    guide = wb["说明"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for sheet in SHEETS:
        assert f"工作表「{sheet.zh}」" in text
    assert "、 , ， ; ； / ／ 换行" in text and "team_size" in text


def test_empty_template_reads_back_as_no_cadres_no_targets(template: Path) -> None:
    """Reading the blank template fails only because it has no cadres and no targets."""
    with pytest.raises(InputError) as info:
        read_input(template)
    assert sorted((i.code, i.sheet) for i in info.value.issues) == [
        ("empty-sheet", "巡察对象"),
        ("empty-sheet", "干部"),
    ]
    assert info.value.warnings == []


def test_filled_template_reads(template: Path) -> None:
    """A template with one cadre and one target filled in reads without problems."""
    wb = openpyxl.load_workbook(template)
    wb["干部"].append(["001", "张三", "男", "芗城区", "", "正科", "组长、组员"])
    wb["巡察对象"].append(["T1", "漳浦县", "漳浦县", 5])
    wb.save(template)
    book = read_input(template)
    assert book.cadres[0].id == "001" and book.targets[0].size == 5


@pytest.mark.parametrize(
    "sheet, key, values, strict",
    [
        (CADRES, "gender", "男,女", True),
        (CADRES, "roles", "组长,副组长,联络员,组员", False),
        (CADRES, "rank", "正处,副处,正科,副科,科员", False),
        (CADRES, "available", "是,否", True),
        (HISTORY, "last_ranked", "是,否", True),
        (HISTORY, "role", "组长,副组长,联络员,组员", True),
        (DECISIONS, "kind", "指定,禁配,不可用", True),
    ],
)
def test_validations_on_the_right_columns(template: Path, sheet: Sheet, key: str, values: str, strict: bool) -> None:
    """Drop-downs sit on their columns; 可任角色 (multi-valued) and 职级 accept other text."""
    ws = openpyxl.load_workbook(template)[sheet.zh]
    dv = validation_on(ws, sheet, key)
    assert dv is not None and dv.type == "list"
    assert dv.formula1 == f'"{values}"'
    blocks = bool(dv.showErrorMessage) and dv.errorStyle in ("stop", "warning", None)
    assert blocks is strict


def test_no_validation_on_free_text(template: Path) -> None:
    """Free-text columns such as 姓名 and 所在地 have no drop-down."""
    wb = openpyxl.load_workbook(template)
    assert validation_on(wb["干部"], CADRES, "name") is None
    assert validation_on(wb["巡察对象"], TARGETS, "location") is None


def test_id_columns_are_text(template: Path) -> None:
    """Id columns are formatted as text so Excel keeps a typed 001."""
    ws = openpyxl.load_workbook(template)["干部"]
    assert ws.column_dimensions["A"].number_format == "@"


def test_write_is_atomic_and_replaces(tmp_path: Path) -> None:
    """Writing twice replaces the file only with force, and leaves no temporary file behind."""
    from crossinspect.io.safety import OutputError

    path = tmp_path / "t.xlsx"
    write_template(path)
    with pytest.raises(OutputError):
        write_template(path)
    write_template(path, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]
