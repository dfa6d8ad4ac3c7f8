"""The command line: verbs, exit codes and messages a clerk can act on."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.domain.rules import RULE_KEYS, WEIGHT_KEYS
from factories import run_cli

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
ROTATION = EXAMPLES / "rotation" / "input.xlsx"
ROTATION_RULES = EXAMPLES / "rotation" / "rules.toml"
MIXED = EXAMPLES / "mixed" / "input.xlsx"
MIXED_RULES = EXAMPLES / "mixed" / "rules.toml"
# The bad-input corpus's valid book: solved in about a second.
SMALL = Path(__file__).resolve().parent / "data" / "bad" / "ok.xlsx"
SMALL_RULES = Path(__file__).resolve().parent / "data" / "bad" / "base.toml"

run = run_cli


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


@pytest.fixture(scope="module")
def solved_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rotation example solved once through the CLI (short time limit)."""
    out = tmp_path_factory.mktemp("solve") / "out" / "名单.xlsx"
    code, text = run(
        "solve", ROTATION, "--rules", ROTATION_RULES, "-o", out, "--time-limit", "6", "--json", out.with_suffix(".json")
    )
    assert code == 0, text
    assert "已通过独立校验" in text
    return out


def test_solve_writes_roster_and_json(solved_roster: Path) -> None:
    """`solve` writes the roster (creating its folder) and the JSON result."""
    wb = openpyxl.load_workbook(solved_roster)
    assert {"总表", "assignments", "回避审查", "运行信息", "轮换"} <= set(wb.sheetnames)
    assert solved_roster.with_suffix(".json").exists()


def test_verify_accepts_solved_roster(solved_roster: Path) -> None:
    """`verify` re-reads the roster and finds every rule holding: exit 0."""
    code, text = run("verify", ROTATION, solved_roster, "--rules", ROTATION_RULES)
    assert code == 0, text


def test_verify_reports_hand_edit(solved_roster: Path, tmp_path: Path) -> None:
    """A hand edit that puts a cadre on a team in their own county is reported: exit 1."""
    edited = tmp_path / "edited.xlsx"
    shutil.copy(solved_roster, edited)
    wb = openpyxl.load_workbook(edited)
    ws = wb["assignments"]
    head = {c.value: c.column for c in ws[1]}
    # Move the first seat's cadre onto the team of the target in that cadre's own county.
    book = openpyxl.load_workbook(ROTATION)
    cadres = {r[0]: r for r in book["干部"].iter_rows(min_row=2, values_only=True)}
    targets = {r[0]: r for r in book["巡察对象"].iter_rows(min_row=2, values_only=True)}
    cadre_id = ws.cell(2, head["cadre_id"]).value
    county = cadres[cadre_id][3]
    own = next(t for t, row in targets.items() if str(row[2]).startswith(county[:2]))
    team = next(
        ws.cell(r, head["team_id"]).value
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, head["target_id"]).value == own
    )
    ws.cell(2, head["team_id"]).value = team
    ws.cell(2, head["target_id"]).value = own
    wb.save(edited)
    code, text = run("verify", ROTATION, edited, "--rules", ROTATION_RULES)
    assert code == 1, text
    assert "R" in text and "违规" in text


def test_solve_refuses_to_overwrite_input(tmp_path: Path) -> None:
    """`-o` equal to the input is refused with exit 2 before any solving."""
    copy = tmp_path / "in.xlsx"
    shutil.copy(ROTATION, copy)
    before = copy.read_bytes()
    code, text = run("solve", copy, "--rules", ROTATION_RULES, "-o", copy, "--force")
    assert code == 2 and "输入" in text
    assert copy.read_bytes() == before


def test_county_with_no_leader_able_to_go_exits_1(tmp_path: Path) -> None:
    """Every leader candidate of one county held office in every other county: exit 1, explained."""
    path = tmp_path / "stuck.xlsx"
    shutil.copy(ROTATION, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["干部"]
    head = {c.value: c.column for c in ws[1]}
    counties = sorted({ws.cell(r, head["所属县区"]).value for r in range(2, ws.max_row + 1)})
    stuck = "东山县"
    others = "、".join(c for c in counties if c != stuck)
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, head["所属县区"]).value == stuck and "组长" in str(ws.cell(r, head["可任角色"]).value):
            ws.cell(r, head["任职地"]).value = others
    wb.save(path)
    out = tmp_path / "roster.xlsx"
    code, text = run("solve", path, "--rules", ROTATION_RULES, "-o", out, "--time-limit", "10")
    assert code == 1, text
    assert "东山县" in text and "组长" in text and "任职地回避" in text
    assert not out.exists()
    assert (tmp_path / "roster.infeasible.xlsx").exists()


def test_plan_term_and_verify_term(tmp_path: Path) -> None:
    """`plan-term --rounds 3` writes a roster per round and an overview; `verify-term` passes them."""
    out = tmp_path / "term"
    code, text = run("plan-term", ROTATION, "--rules", ROTATION_RULES, "--rounds", "3", "-o", out, "--time-limit", "10")
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["全期总览.xlsx", "第1轮.xlsx", "第2轮.xlsx", "第3轮.xlsx"]
    code, text = run("verify-term", ROTATION, out, "--rules", ROTATION_RULES)
    assert code == 0, text


def test_replan_writes_changes_sheet(solved_roster: Path, tmp_path: Path) -> None:
    """`replan --drop` writes a new roster with a 变更 sheet naming who left and who came in."""
    ws = openpyxl.load_workbook(solved_roster)["assignments"]
    gone = ws.cell(2, 3).value
    out = tmp_path / "new.xlsx"
    code, text = run("replan", ROTATION, solved_roster, "--rules", ROTATION_RULES, "--drop", gone, "-o", out)
    assert code == 0, text
    wb = openpyxl.load_workbook(out)
    assert "变更" in wb.sheetnames
    cells = [c.value for row in wb["变更"].iter_rows() for c in row]
    assert "调出" in cells


# ---- the garbage collector in a solve: paused at start-up, frozen while solving, skipped at exit


def test_solve_spares_start_up_objects_from_the_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading runs with the collector paused; the solve with it running and the start-up
    objects frozen; afterwards the collector is on and nothing is left frozen."""
    import crossinspect.io.load
    import crossinspect.workflows.round

    seen: dict[str, tuple[bool, int]] = {}

    def spy(name: str, real: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            seen[name] = (gc.isenabled(), gc.get_freeze_count())
            return real(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(crossinspect.io.load, "load_problem", spy("load", crossinspect.io.load.load_problem))
    monkeypatch.setattr(crossinspect.workflows.round, "solve", spy("solve", crossinspect.workflows.round.solve))
    code, text = run("solve", SMALL, "--rules", SMALL_RULES, "-o", tmp_path / "r.xlsx")
    assert code == 0, text
    assert seen["load"] == (False, 0)
    enabled, frozen = seen["solve"]
    assert enabled and frozen > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_solve_turns_the_collector_back_on_after_bad_input(tmp_path: Path) -> None:
    """An input error ends the command during start-up: the collector is on again."""
    code, _ = run("solve", tmp_path / "missing.xlsx", "-o", tmp_path / "r.xlsx")
    assert code == 2
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_solve_leaves_a_collector_already_off_or_frozen_alone(tmp_path: Path) -> None:
    """A process that manages its own collector (off, or objects frozen) keeps it that way."""
    gc.disable()
    try:
        code, _ = run("solve", tmp_path / "missing.xlsx", "-o", tmp_path / "r.xlsx")
        assert code == 2
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    try:
        code, text = run("solve", SMALL, "--rules", SMALL_RULES, "-o", tmp_path / "r.xlsx")
        assert code == 0, text
        # Still frozen (some frozen objects may have been freed since, so not the same count).
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_solve_process_skips_the_last_collection_and_loses_nothing(tmp_path: Path) -> None:
    """As its own process, `solve` freezes the heap at exit, so CPython does not collect it
    once more; the roster and the JSON are complete all the same."""
    # Registered before the CLI's own handler, so it runs after it (atexit is last in, first out).
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0, file=sys.stderr))\n"
        "from crossinspect.cli import app\n"
        "sys.argv[0] = 'crossinspect'\n"
        "app()\n"
    )
    out, result = tmp_path / "r.xlsx", tmp_path / "r.json"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            probe,
            "solve",
            str(SMALL),
            "--rules",
            str(SMALL_RULES),
            "-o",
            str(out),
            "--json",
            str(result),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "frozen at exit: True" in done.stderr
    openpyxl.load_workbook(out).close()  # a complete zip, not a torn one
    assert json.loads(result.read_text(encoding="utf-8"))["status"]
