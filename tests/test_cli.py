"""The command line: verbs, exit codes and messages a clerk can act on."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from crossinspect.cli import app
from crossinspect.rules import RULE_KEYS, WEIGHT_KEYS

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
ROTATION = EXAMPLES / "rotation" / "input.xlsx"
ROTATION_RULES = EXAMPLES / "rotation" / "rules.toml"
MIXED = EXAMPLES / "mixed" / "input.xlsx"
MIXED_RULES = EXAMPLES / "mixed" / "rules.toml"

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_rules_lists_every_key() -> None:
    """`rules` prints every rules key and every weight with its default."""
    code, text = run("rules")
    assert code == 0
    for key in RULE_KEYS:
        if key != "weights":
            assert key in text
    for key in WEIGHT_KEYS:
        assert f"weights.{key}" in text


def test_template_written_and_not_overwritten(tmp_path: Path) -> None:
    """`template` writes a workbook; a second run without --force refuses with exit 2."""
    out = tmp_path / "模板.xlsx"
    assert run("template", out)[0] == 0
    wb = openpyxl.load_workbook(out)
    assert {"说明", "干部", "巡察对象"} <= set(wb.sheetnames)
    code, text = run("template", out)
    assert code == 2 and "--force" in text
    assert run("template", out, "--force")[0] == 0


def test_example_writes_both_examples(tmp_path: Path) -> None:
    """`example DIR` writes the rotation and mixed examples, each with its rules."""
    code, _ = run("example", tmp_path)
    assert code == 0
    for name in ("rotation", "mixed"):
        assert (tmp_path / name / "input.xlsx").exists()
        assert (tmp_path / name / "rules.toml").exists()


@pytest.mark.parametrize(("book", "rules"), [(ROTATION, ROTATION_RULES), (MIXED, MIXED_RULES)])
def test_check_accepts_examples(book: Path, rules: Path) -> None:
    """`check` accepts both shipped examples with exit 0 and prints the pool summary."""
    code, text = run("check", book, "--rules", rules)
    assert code == 0, text
    assert "预检通过" in text


def _broken_copy(tmp_path: Path) -> Path:
    """The rotation example with a duplicate id, a misspelt place and an unknown role."""
    path = tmp_path / "broken.xlsx"
    shutil.copy(ROTATION, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["干部"]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(3, head["编号"]).value = ws.cell(2, head["编号"]).value
    ws.cell(5, head["居住地"]).value = "漳埔县"
    ws.cell(7, head["可任角色"]).value = "组长、队长"
    wb.save(path)
    return path


def test_check_broken_copy_names_every_error(tmp_path: Path) -> None:
    """A duplicate id, 漳埔县 and an unknown role: exit 2, each named by sheet, row and column."""
    code, text = run("check", _broken_copy(tmp_path), "--rules", ROTATION_RULES)
    assert code == 2, text
    assert "工作表「干部」，第3行，列「编号」" in text
    assert "第5行，列「居住地」" in text and "漳埔县" in text and "漳浦县" in text
    assert "第7行，列「可任角色」" in text and "队长" in text


def test_check_broken_copy_in_english(tmp_path: Path) -> None:
    """--lang en gives the same locations in English."""
    code, text = run("check", _broken_copy(tmp_path), "--rules", ROTATION_RULES, "--lang", "en")
    assert code == 2
    assert "row 5, column '居住地'" in text and "did you mean" in text


def test_check_missing_file_is_bad_input(tmp_path: Path) -> None:
    """A path that does not exist is exit 2 with the file named, not a traceback."""
    code, text = run("check", tmp_path / "nope.xlsx")
    assert code == 2 and "nope.xlsx" in text


def test_unknown_rules_key_suggests(tmp_path: Path) -> None:
    """A typo in a rules key is exit 2 with a did-you-mean."""
    rules = tmp_path / "r.toml"
    rules.write_text('mode = "rotation"\nteam_szie = [5, 7]\n', encoding="utf-8")
    code, text = run("check", ROTATION, "--rules", rules)
    assert code == 2 and "team_szie" in text and "team_size" in text
