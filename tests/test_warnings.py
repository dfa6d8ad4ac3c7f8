"""Warnings that name people (issue 18): every warning about cadres names them and their cells,
the first few, then a count."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl

from crossinspect.io.load import load_problem
from crossinspect.problem.build import NAMED_IN_WARNING, named_rows
from factories import cadre, make_problem, run_cli, target

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
#: The warnings about cadres' own cells.
CADRE_WARNINGS = {
    "unfilled",
    "declared-close",
    "declared-unmatched",
    "coarse-place",
    "coarse-place-review",
    "read-in-region",
}


def edited_example(tmp_path: Path) -> tuple[Path, dict[int, str]]:
    """The rotation example with cells a clerk leaves loose: 12 empty 成长地, a 回避 one character
    off a target, one naming nothing, a 任职地 written as the whole city. Returns the book and
    the name on each data row."""
    book = tmp_path / "input.xlsx"
    shutil.copy(EXAMPLES / "rotation" / "input.xlsx", book)
    wb = openpyxl.load_workbook(book)
    ws = wb["干部"]
    head = {c.value: c.column for c in ws[1]}
    names = {r: str(ws.cell(r, head["姓名"]).value) for r in range(2, ws.max_row + 1)}
    for r in range(2, 14):
        ws.cell(r, head["成长地"]).value = None
    ws.cell(20, head["回避"]).value = "龙文区教育厅"  # one character off 龙文区教育局
    ws.cell(21, head["回避"]).value = "表哥的公司"
    ws.cell(22, head["任职地"]).value = "漳州市"
    wb.save(book)
    return book, names


def test_every_cadre_warning_names_people_and_cells(tmp_path: Path) -> None:
    """Each warning about cadres carries the sheet and row of a cell and the cadre's name."""
    book, names = edited_example(tmp_path)
    problem = load_problem(book, rules_file=EXAMPLES / "rotation" / "rules.toml")
    found = [w for w in problem.warnings if w.code in CADRE_WARNINGS]
    assert {w.code for w in found} >= {"unfilled", "declared-close", "declared-unmatched", "coarse-place"}
    for w in found:
        assert w.sheet == "干部" and w.file, w
        assert any(name in w.zh and name in w.en for name in names.values()), w.zh
        assert w.row is not None or "第" in w.zh, w.zh
    unfilled = next(w for w in found if w.code == "unfilled")
    shown = [names[r] for r in range(2, 2 + NAMED_IN_WARNING)]
    assert all(f"{name}（第{r}行）" in unfilled.zh for r, name in zip(range(2, 14), shown, strict=False))
    # 12 emptied here and the example's own few: the first ten by name, then the count
    m = re.search(r"等(\d+)人", unfilled.zh)
    assert m and int(m.group(1)) >= 12 and f"and {int(m.group(1)) - NAMED_IN_WARNING} more" in unfilled.en
    for code, row in (("declared-close", 20), ("declared-unmatched", 21), ("coarse-place", 22)):
        w = next(w for w in found if w.code == code)
        assert w.row == row and names[row] in w.zh, (code, w.zh)


def test_check_prints_the_names(tmp_path: Path) -> None:
    """`check` prints each warning with the names and rows, as the clerk reads it."""
    book, names = edited_example(tmp_path)
    code, text = run_cli("check", book, "--rules", EXAMPLES / "rotation" / "rules.toml")
    assert code == 0
    assert f"{names[2]}（第2行）" in text and names[20] in text and names[21] in text


def test_pool_read_in_the_region_names_the_cadres() -> None:
    """A shared pool name read in the round's region names the cadres whose cells say it."""
    cadres = [cadre(f"P{k}", "永定区", roles=("组长",), name=f"永定干部{k}") for k in range(12)]
    cadres.append(cadre("Q1", "连城县", roles=("组长",), name="连城干部"))
    problem = make_problem(
        cadres, [target("T1", "武平县"), target("T2", "长汀县")], mode="mixed", team_size=[1, 1], deputies=[0, 0]
    )
    (warning,) = [w for w in problem.warnings if w.code == "read-in-region"]
    assert "永定干部0" in warning.zh and "等12人" in warning.zh and "and 2 more" in warning.en


def test_named_rows_limits_the_list() -> None:
    """Up to the limit by name and row, then a count."""
    people = [(f"人{k}", k + 2) for k in range(4)]
    assert named_rows(people, "zh", limit=3) == "人0（第2行）、人1（第3行）、人2（第4行）等4人"
    assert named_rows(people[:2], "en") == "人0 (row 2), 人1 (row 3)"


def test_sanctions_are_printed_with_names(tmp_path: Path) -> None:
    """`check` names a cadre suspended or excluded by R8, not only the id."""
    code, text = run_cli("check", EXAMPLES / "rotation" / "input.xlsx", "--rules", EXAMPLES / "rotation" / "rules.toml")
    assert code == 0
    problem = load_problem(EXAMPLES / "rotation" / "input.xlsx", rules_file=EXAMPLES / "rotation" / "rules.toml")
    for i, sanction in problem.sanctions.items():
        assert f"{problem.cadres[i].name}（{sanction.cadre_id}）" in text
