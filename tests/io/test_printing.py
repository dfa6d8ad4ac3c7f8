"""Printing the workbook prints only what people read (issue 18): the machine sheet is hidden,
run information is in words, the title page follows GB/T 9704, empty columns are left out.

The example roster is printed through LibreOffice (``soffice --headless --convert-to pdf``)
and its PDF text is checked: no English page and no TOML syntax.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.diagnose.alternates import Alternates
from crossinspect.domain.models import Role
from crossinspect.io.roster import RosterExtras, build_roster
from crossinspect.io.roster_reader import read_plan
from printing import pdf_pages, to_pdf

#: What a page of TOML or of the machine sheet would show.
TOML_SYNTAX = re.compile(
    r'\[\s*"|"\s*\]|\{\s*"|\[\s*\d+\s*,\s*\d+\s*\]|\btrue\b|\bfalse\b|\b[A-Za-z_][A-Za-z0-9_.]*\s*='
)
ENGLISH_WORDS = re.compile(
    r"\b(assignments|team_id|target_id|cadre_id|leader|deputy|liaison|member|"
    r"rotation|mixed|county|township|conflict|review|Rule|Team)\b"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def example_pages(example_roster: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return pdf_pages(to_pdf(example_roster, tmp_path_factory.mktemp("pdf")))


def test_printed_example_has_no_english_page_and_no_toml(example_pages: list[str], example_roster: Path) -> None:
    """Every printed page of the example roster is Chinese; none shows TOML syntax or the
    machine-readable assignments."""
    visible = [ws for ws in openpyxl.load_workbook(example_roster).worksheets if ws.sheet_state == "visible"]
    assert len(example_pages) >= len(visible)
    for k, page in enumerate(example_pages, start=1):
        assert len(CJK.findall(page)) >= 20, f"page {k} is not a Chinese page:\n{page}"
        assert not ENGLISH_WORDS.search(page), f"page {k}: {ENGLISH_WORDS.search(page)}\n{page}"
        assert not TOML_SYNTAX.search(page), f"page {k}: {TOML_SYNTAX.search(page)}\n{page}"
    text = "\n".join(example_pages)
    for words in ("推磨式", "5至7人", "纪检监察1人", "单一循环"):
        assert words in text


def test_printed_example_numbers_each_sheet_and_signs_the_overview(
    example_pages: list[str], example_roster: Path
) -> None:
    """Page numbers read — 1 — on the first page of every sheet; the overview ends with the
    issuer and the date."""
    visible = [ws for ws in openpyxl.load_workbook(example_roster).worksheets if ws.sheet_state == "visible"]
    firsts = [p for p in example_pages if re.search(r"—\s*1\s*—", p)]
    assert len(firsts) == len(visible)
    assert "中共漳州市委巡察工作领导小组办公室" in example_pages[0]
    assert "2026年11月22日" in example_pages[0]


def test_machine_sheet_is_hidden_and_still_read(example_roster: Path, example_problem: Any) -> None:
    """assignments stays in the file, hidden, with its fixed headers; read_plan still reads it."""
    wb = openpyxl.load_workbook(example_roster)
    ws = wb["assignments"]
    assert ws.sheet_state == "hidden"
    assert [c.value for c in ws[1]] == ["team_id", "target_id", "cadre_id", "role"]
    assert all(other.sheet_state == "visible" for other in wb.worksheets if other is not ws)
    assert len(read_plan(example_roster, example_problem).seats()) == ws.max_row - 1


def test_run_information_is_in_words(example_roster: Path) -> None:
    """运行信息 shows rules as words (推磨式, 5至7人, 是, 纪检监察1人), never TOML syntax."""
    ws = openpyxl.load_workbook(example_roster)["运行信息"]
    items = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert items["规则：编组方式"] == "推磨式"
    assert items["规则：每组人数"] == "5至7人"
    assert items["规则：必备专长"] == "纪检监察1人"
    assert items["规则：单一循环"] == "是"
    assert items["规则：职级顺序"] == "正处、副处、正科、副科、科员"
    assert items["规则：落款单位"] == "中共漳州市委巡察工作领导小组办公室"
    for value in items.values():
        assert not TOML_SYNTAX.search(str(value)), value


def test_liaison_column_only_when_someone_liaises(mixed_two_targets: Any, three_counties_rotation: Any) -> None:
    """总表 has a 联络员 column in a round with liaisons and none in a round without."""
    with_liaisons = build_roster(mixed_two_targets.problem, mixed_two_targets.plan)["总表"]
    without = build_roster(three_counties_rotation.problem, three_counties_rotation.plan)["总表"]
    assert "联络员" in [c.value for c in with_liaisons[3]]
    assert "联络员" not in [c.value for c in without[3]]


def test_unused_alternate_columns_are_dropped(three_counties_rotation: Any) -> None:
    """备选 has as many 备选 columns as the longest list needs; a seat with none says 无."""
    case = three_counties_rotation
    alts = (
        Alternates(team_id="1", target_id="T1", role=Role.MEMBER, holder_id="Z3", candidate_ids=("Z4",)),
        Alternates(team_id="2", target_id="T2", role=Role.MEMBER, holder_id="X3", candidate_ids=()),
    )
    ws = build_roster(case.problem, case.plan, extras=RosterExtras(alternates=alts))["备选"]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "组别")
    assert [v for v in header if v] == ["组别", "组内职务", "现任", "备选一"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] in ("第一组", "第二组")]
    assert rows[1][3] == "无"


def test_signature_lines_from_issuer_and_date(three_counties_rotation: Any) -> None:
    """落款单位 and 成文日期 close the overview, right-aligned; without them no empty lines."""
    case = three_counties_rotation.with_rules(issuer="中共漳州市委巡察办", date="2025年3月1日")
    ws = build_roster(case.problem, case.plan)["总表"]
    cells = [c for row in ws.iter_rows() for c in row if c.value in ("中共漳州市委巡察办", "2025年3月1日")]
    assert [c.value for c in cells] == ["中共漳州市委巡察办", "2025年3月1日"]
    assert all(c.alignment.horizontal == "right" for c in cells)
    plain = build_roster(three_counties_rotation.problem, three_counties_rotation.plan)["总表"]
    last = max(r for r in range(1, plain.max_row + 1) if plain.cell(row=r, column=1).value)
    assert plain.cell(row=last, column=1).value == "合计"
