"""Edit, then render (issue 18): `verify` reports printed sheets that disagree with the plan it
checks, and `render` rewrites every sheet from a hand-edited plan, verified, marked 已人工调整,
with the changes on a 变更 sheet."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.io.printed import printed_disagreements, team_of_label
from crossinspect.io.render import render
from crossinspect.io.roster_reader import read_roster
from crossinspect.problem import Problem
from factories import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
IN = EXAMPLES / "rotation" / "input.xlsx"
RULES = EXAMPLES / "rotation" / "rules.toml"


def copy(roster: Path, tmp_path: Path, name: str = "改.xlsx") -> Path:
    out = tmp_path / name
    shutil.copy(roster, out)
    return out


def substitute_alternate(roster: Path) -> tuple[str, str]:
    """On the assignments sheet, put a seat's first 备选 in the holder's place: a swap the
    alternates sheet says passes every rule. Returns (holder name, alternate name)."""
    wb = openpyxl.load_workbook(roster)
    row = next(r for r in wb["备选"].iter_rows(values_only=True) if r[0] and team_of_label(str(r[0])) and r[3] != "无")
    holder, candidate = str(row[2]), str(row[3]).partition("（")[0]
    ids = {name: cid for cid, name in _names().items()}
    for cells in wb["assignments"].iter_rows(min_row=2):
        if cells[2].value == ids[holder]:
            cells[2].value = ids[candidate]
    wb.save(roster)
    return holder, candidate


def _names() -> dict[str, str]:
    """Cadre id -> name, from the example's 干部 sheet."""
    wb = openpyxl.load_workbook(IN)
    return {str(r[0]): str(r[1]) for r in wb["干部"].iter_rows(min_row=2, values_only=True) if r[0]}


def sheet_values(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    return [r for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True) if any(r)]


def test_fresh_roster_agrees_with_itself(example_roster: Path, example_problem: Problem) -> None:
    """A roster as written: every printed sheet shows its plan."""
    read = read_roster(example_roster, example_problem)
    assert not read.edited and read.source == "assignments"
    assert printed_disagreements(read, example_problem) == []


def test_verify_reports_an_edited_overview(example_roster: Path, tmp_path: Path) -> None:
    """A 总表 edited to show someone else fails `verify` (it used to pass), naming row and team."""
    roster = copy(example_roster, tmp_path)
    wb = openpyxl.load_workbook(roster)
    ws = wb["总表"]
    leader = next(c for c in ws[4] if c.column == 4)
    leader.value = "张三"
    wb.save(roster)
    code, text = run_cli("verify", IN, roster, "--rules", RULES)
    assert code == 1
    assert "[PLAN] 总表第4行（第一组）" in text and "张三" in text and "crossinspect render" in text


def test_verify_reports_an_edited_audit_sheet(example_roster: Path, tmp_path: Path) -> None:
    """An audit row moved to another team fails `verify`."""
    roster = copy(example_roster, tmp_path)
    wb = openpyxl.load_workbook(roster)
    ws = wb["回避审查"]
    row = next(r for r in ws.iter_rows() if r[0].value == "第一组")
    row[0].value = "第二组"
    wb.save(roster)
    code, text = run_cli("verify", IN, roster, "--rules", RULES)
    assert code == 1 and "回避审查表中第一组" in text and "回避审查表中第二组" in text


def test_verify_reports_stale_sheets_after_a_hand_edit(example_roster: Path, tmp_path: Path) -> None:
    """After an edit of assignments the team sheets, 总表 and the audit still show the old
    roster: `verify` names each of them."""
    roster = copy(example_roster, tmp_path)
    holder, candidate = substitute_alternate(roster)
    code, text = run_cli("verify", IN, roster, "--rules", RULES)
    assert code == 1
    assert "[PLAN] 总表" in text and "[PLAN] 工作表「第" in text and "[PLAN] 回避审查表" in text
    assert holder in text and candidate in text
    assert "[R" not in text  # the swap itself breaks no rule


def test_render_after_an_assignments_edit(example_roster: Path, example_problem: Problem, tmp_path: Path) -> None:
    """A verified swap on assignments, then `render`: exit 0, every sheet shows the new plan,
    the roster says 已人工调整 and lists the swap on 变更; `verify` then passes."""
    roster = copy(example_roster, tmp_path)
    holder, candidate = substitute_alternate(roster)
    new = tmp_path / "新名单.xlsx"
    code, text = run_cli("render", IN, roster, "--rules", RULES, "-o", new)
    assert code == 0, text
    assert holder in text and candidate in text
    read = read_roster(new, example_problem)
    assert printed_disagreements(read, example_problem) == []
    assert read.plan == read_roster(roster, example_problem).plan
    assert run_cli("verify", IN, new, "--rules", RULES)[0] == 0
    wb = openpyxl.load_workbook(new)
    overview = " ".join(str(v) for r in wb["总表"].iter_rows(max_row=2, values_only=True) for v in r if v)
    assert "已人工调整" in overview and "独立校验：通过" in overview
    changes = sheet_values(new, "变更")
    assert {(r[1], r[2]) for r in changes[3:]} == {("调出", holder), ("调入", candidate)}
    run = {r[0]: r[1] for r in sheet_values(new, "运行信息")}
    assert run["人工调整"] == "是" and run["独立校验"].startswith("通过")
    assert "校验结果" not in wb.sheetnames and "备选" in wb.sheetnames
    overview_names = " ".join(str(v) for r in wb["总表"].iter_rows(values_only=True) for v in r if v)
    assert candidate in overview_names


def test_render_prints_violations_of_a_team_sheet_edit(
    example_roster: Path, example_problem: Problem, tmp_path: Path
) -> None:
    """A member made leader on a team sheet: `render` writes the roster with the violations on
    a 校验结果 sheet and exits 1; the new roster's sheets all show the edited plan."""
    roster = copy(example_roster, tmp_path)
    wb = openpyxl.load_workbook(roster)
    ws = wb["第一组"]
    member = next(r for r in ws.iter_rows() if r[3].value == "组员")
    member[3].value = "组长"
    wb.save(roster)
    new = tmp_path / "新名单.xlsx"
    code, text = run_cli("render", IN, roster, "--rules", RULES, "-o", new)
    assert code == 1 and "[R6]" in text and new.exists()
    rows = sheet_values(new, "校验结果")
    assert any(r[1] == "R6" for r in rows)
    read = read_roster(new, example_problem)
    assert printed_disagreements(read, example_problem) == []
    code, text = run_cli("verify", IN, new, "--rules", RULES)
    assert code == 1 and "[R6]" in text and "[PLAN]" not in text
    note = str(sheet_values(new, "总表")[1][0])
    assert "已人工调整" in note and "未通过" in note


def test_render_without_an_edit_and_twice(example_roster: Path, example_problem: Problem, tmp_path: Path) -> None:
    """A roster rendered unedited is not marked and has no 变更 sheet; a rendered, edited roster
    rendered again stays 已人工调整."""
    plain = render(example_problem, example_roster, tmp_path / "重写.xlsx", input_paths=[IN, RULES])
    assert plain.ok and not plain.edited and plain.changes == ()
    assert "变更" not in openpyxl.load_workbook(plain.path).sheetnames
    roster = copy(example_roster, tmp_path)
    substitute_alternate(roster)
    once = render(example_problem, roster, tmp_path / "一次.xlsx", alternates=False)
    twice = render(example_problem, once.path, tmp_path / "两次.xlsx", alternates=False)
    assert once.edited and twice.edited and twice.changes == ()
    run = {r[0]: r[1] for r in sheet_values(twice.path, "运行信息")}
    assert run["人工调整"] == "是"


@pytest.mark.parametrize("target", ["roster", "input"])
def test_render_never_writes_over_its_inputs(example_roster: Path, tmp_path: Path, target: str) -> None:
    """-o naming the roster read or the input workbook is refused (exit 2), even with --force."""
    roster = copy(example_roster, tmp_path)
    book = copy(IN, tmp_path, "input.xlsx")
    before = roster.read_bytes(), book.read_bytes()
    out = roster if target == "roster" else book
    code, _ = run_cli("render", book, roster, "--rules", RULES, "-o", out, "--force")
    assert code == 2
    assert (roster.read_bytes(), book.read_bytes()) == before
