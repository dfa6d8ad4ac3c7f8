"""History from rosters (issue 18): `history` writes next round's input with this round's seats in
往轮记录, and the next solve repeats no rotation arc and sends nobody back where they inspected."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from crossinspect.domain.models import Role
from crossinspect.io.history_book import round_rows
from crossinspect.io.load import load_problem
from crossinspect.io.roster import write_roster
from crossinspect.places import PlaceLevel, resolve
from crossinspect.problem import Problem
from crossinspect.workflows.history import history_rows
from crossinspect.workflows.round import solve
from factories import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
IN = EXAMPLES / "rotation" / "input.xlsx"
RULES = EXAMPLES / "rotation" / "rules.toml"
BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def values(path: Path, sheet: str) -> list[tuple[object, ...]]:
    return [r for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True) if any(r)]


def test_history_rows_one_per_seat(example_roster: Path, example_problem: Problem) -> None:
    """One row per seat: label, cadre, the target's place and the cadre's pool as full paths,
    the role; 末位 left empty."""
    from crossinspect.io.roster_reader import read_plan

    plan = read_plan(example_roster, example_problem)
    rows = history_rows(example_problem, plan, "2026年第四轮")
    assert len(rows) == len(plan.seats())
    by_id = {r.cadre_id: r for r in rows}
    gaz = example_problem.gazetteer
    for seat in plan.seats():
        rec = by_id[seat.cadre_id]
        j = example_problem.target_index[seat.target_id]
        i = example_problem.cadre_index[seat.cadre_id]
        assert rec.round == "2026年第四轮" and rec.role is seat.role and rec.last_ranked is None
        # a full path that reads back, on its own, as exactly the place the round resolved
        assert rec.place.startswith("福建省漳州市")
        assert resolve(gaz, rec.place).codes == example_problem.target_location[j].codes
        assert resolve(gaz, rec.from_county).codes == (example_problem.cadre_county[i],)


def test_history_then_solve_repeats_no_arc(example_roster: Path, example_problem: Problem, tmp_path: Path) -> None:
    """`history` adds the round to a copy of the input; solving that copy (last round's manual
    decisions cleared) repeats no arc of the round and returns nobody to a county they inspected."""
    new = tmp_path / "下一轮.xlsx"
    code, text = run_cli("history", IN, example_roster, "--round", "2026年第四轮", "-o", new, "--rules", RULES)
    assert code == 0, text
    before, after = values(IN, "往轮记录"), values(new, "往轮记录")
    seats = len(example_problem.book.cadres) and len(values(example_roster, "assignments")) - 1
    assert after[: len(before)] == before and len(after) == len(before) + seats
    assert {r[0] for r in after[len(before) :]} == {"2026年第四轮"}
    assert all(r[4] is None for r in after[len(before) :])  # 末位 is the office's to fill
    for sheet in ("干部", "巡察对象", "地名", "人工决定"):
        assert values(new, sheet) == values(IN, sheet), sheet

    wb = openpyxl.load_workbook(new)
    del wb["人工决定"]  # last round's pins are not this round's
    wb.save(new)
    problem = load_problem(new, rules_file=RULES)
    result = solve(problem, explain=False)
    assert result.plan is not None and not result.violations
    first = load_problem(IN, rules_file=RULES)
    from crossinspect.io.roster import derive_arcs
    from crossinspect.io.roster_reader import read_plan

    old_arcs = {(a.source, a.dest) for a in derive_arcs(first, read_plan(example_roster, first))}
    new_arcs = {(a.source, a.dest) for a in (result.plan.arcs or derive_arcs(problem, result.plan))}
    assert old_arcs and not old_arcs & new_arcs
    gaz = problem.gazetteer

    def county(text: str) -> str:
        (code,) = resolve(gaz, text).codes
        node = gaz.ancestor_at(code, PlaceLevel.COUNTY)
        return node.code if node is not None else code

    inspected: dict[str, set[str]] = {}
    for rec in problem.book.history:
        if rec.cadre_id in problem.cadre_index:
            inspected.setdefault(rec.cadre_id, set()).add(county(rec.place))
    for seat in result.plan.seats():
        j = problem.target_index[seat.target_id]
        assert problem.target_county[j] not in inspected.get(seat.cadre_id, set()), seat


def test_same_round_twice_is_refused(example_roster: Path, tmp_path: Path) -> None:
    """A label already in the history, also written another way (第1轮 for 第一轮), is refused."""
    existing = str(values(IN, "往轮记录")[1][0])
    other = existing.replace("第一轮", "第1轮").replace("第二轮", "第2轮")
    for label in (existing, other):
        code, text = run_cli(
            "history", IN, example_roster, "--round", label, "-o", tmp_path / "x.xlsx", "--rules", RULES
        )
        assert code == 2 and "已在往轮记录中" in text, text
    assert not (tmp_path / "x.xlsx").exists()


def test_one_cadre_on_two_rosters_is_refused(example_roster: Path, example_problem: Problem, tmp_path: Path) -> None:
    """Two rosters of one round must not seat one person twice."""
    second = tmp_path / "第二份.xlsx"
    shutil.copy(example_roster, second)
    with pytest.raises(Exception) as info:
        round_rows(example_problem, [example_roster, second], "2026年第四轮")
    assert "同时在两份名单中" in info.value.issues[0].zh  # type: ignore[attr-defined]


def test_never_over_the_input_or_a_roster(example_roster: Path, tmp_path: Path) -> None:
    """-o naming the input or the roster is refused, even with --force; nothing changes."""
    book = tmp_path / "input.xlsx"
    shutil.copy(IN, book)
    roster = tmp_path / "名单.xlsx"
    shutil.copy(example_roster, roster)
    before = book.read_bytes(), roster.read_bytes()
    for out in (book, roster):
        code, _ = run_cli("history", book, roster, "--round", "2026年第四轮", "-o", out, "--rules", RULES, "--force")
        assert code == 2
    assert (book.read_bytes(), roster.read_bytes()) == before


def test_history_sheet_created_and_columns_completed(three_counties_rotation: object, tmp_path: Path) -> None:
    """A workbook without 往轮记录 gets the sheet; one without 来源县区 gets the column."""
    problem = load_problem(BAD / "ok.xlsx", rules_file=BAD / "base.toml")
    result = solve(problem, explain=False)
    assert result.plan is not None
    roster = write_roster(problem, result, tmp_path / "名单.xlsx")
    assert "往轮记录" not in openpyxl.load_workbook(BAD / "ok.xlsx").sheetnames
    new = tmp_path / "next.xlsx"
    assert (
        run_cli("history", BAD / "ok.xlsx", roster, "--round", "第一轮", "-o", new, "--rules", BAD / "base.toml")[0]
        == 0
    )
    rows = values(new, "往轮记录")
    assert rows[0] == ("轮次", "干部编号", "巡察地", "角色", "末位", "来源县区")
    assert len(rows) == 1 + len(result.plan.seats())
    assert {r[3] for r in rows[1:]} <= {Role.LEADER.zh, Role.DEPUTY.zh, Role.MEMBER.zh}

    # An office sheet without 来源县区: the column is added after the last one.
    wb = openpyxl.load_workbook(new)
    ws = wb["往轮记录"]
    ws.delete_cols(6)
    wb.save(tmp_path / "partial.xlsx")
    again = tmp_path / "again.xlsx"
    assert (
        run_cli(
            "history", tmp_path / "partial.xlsx", roster, "--round", "第二轮", "-o", again, "--rules", BAD / "base.toml"
        )[0]
        == 0
    )
    rows = values(again, "往轮记录")
    assert rows[0][5] == "来源县区" and rows[-1][5] and rows[1][5] is None


def test_csv_folder_gets_a_new_history_csv(tmp_path: Path) -> None:
    """For a CSV folder input the output is the new 往轮记录.csv, in the folder's encoding."""
    folder = tmp_path / "输入"
    shutil.copytree(BAD / "ok_csv", folder)
    problem = load_problem(folder, rules_file=BAD / "base.toml")
    result = solve(problem, explain=False)
    assert result.plan is not None
    roster = write_roster(problem, result, tmp_path / "名单.xlsx")
    out = tmp_path / "往轮记录.csv"
    code, text = run_cli("history", folder, roster, "--round", "第一轮", "-o", out, "--rules", BAD / "base.toml")
    assert code == 0, text
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("轮次,干部编号,巡察地") and len(lines) == 1 + len(result.plan.seats())
    shutil.copy(out, folder / "往轮记录.csv")
    assert len(load_problem(folder, rules_file=BAD / "base.toml").book.history) == len(result.plan.seats())
    code, _ = run_cli(
        "history", folder, roster, "--round", "第二轮", "-o", tmp_path / "x.xlsx", "--rules", BAD / "base.toml"
    )
    assert code == 2
