"""A roster drawn under relaxed rules says so inside the file (io/relaxed.py): on the overview's
note line and on 运行信息, in Chinese or English; it records the rules it was drawn with, and one
drawn from a changed input is not reproducible from the input file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect import solve
from crossinspect.diagnose.explain import Relaxation, apply_relaxation, explain
from crossinspect.io.relaxed import Relaxed
from crossinspect.io.roster import RosterExtras, write_roster
from crossinspect.io.rules_reader import rules_from_toml
from crossinspect.io.run_record import read_record
from crossinspect.problem import Problem, build_problem
from factories import cadre, make_problem, pool, target


def _women_short() -> tuple[Problem, Relaxation]:
    """Two women per team asked, one in reach: relaxing min_women to 1 gives a roster."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("B1", "龙文区", gender="F"),
        cadre("B2", "龙文区"),
    ]
    problem = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", min_women=2)
    relaxation = next(r for r in explain(problem).relaxations if r.key == "min_women=1")
    return problem, relaxation


def _leader_short() -> tuple[Problem, Relaxation]:
    """芗城区's only leader candidate held office in both other counties: a leader is added."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",), postings=("龙文区", "漳浦县")),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("A3", "芗城区"),
        *pool("龙文区", "B"),
        *pool("漳浦县", "C"),
    ]
    problem = make_problem(cadres, [target(f"T{n}", c) for n, c in enumerate(("芗城区", "龙文区", "漳浦县"), 1)])
    relaxation = next(r for r in explain(problem).relaxations if r.key.startswith("add-leader"))
    return problem, relaxation


def _run_info(path: Path) -> dict[str, tuple[Any, Any]]:
    ws = openpyxl.load_workbook(path)["运行信息"]
    return {str(r[0]): (r[1], r[2]) for r in ws.iter_rows(values_only=True, max_col=3) if r[0]}


def _note(path: Path) -> str:
    """The overview's title and note lines."""
    ws = openpyxl.load_workbook(path)["总表"]
    return "\n".join(str(r[0]) for r in ws.iter_rows(max_row=3, max_col=1, values_only=True) if r[0])


def test_a_rules_key_relaxed_is_stated_with_its_old_and_new_value(tmp_path: Path) -> None:
    problem, relaxation = _women_short()
    assert relaxation.rules_only
    data = problem.rules.model_dump()
    data.update(relaxation.changes)
    drawn = build_problem(problem.book, type(problem.rules).model_validate(data), problem.gazetteer)
    result = solve(drawn, time_limit=10, workers=1)
    assert result.ok
    relaxed = Relaxed.of(problem.rules, drawn.rules, [relaxation])
    assert [(c.key, c.before, c.after) for c in relaxed.rules] == [("min_women", 2, 1)]
    assert not relaxed.input_changed and not relaxed.soft_goals_off
    assert relaxed.result(result) is result  # the input file gives this draw again

    zh = write_roster(drawn, result, tmp_path / "zh.xlsx", extras=RosterExtras(relaxed=relaxed))
    note = _note(zh)
    assert "已放宽规则编组" in note and "不符合原规则" in note and "女干部最少人数由2人改为1人" in note
    info = _run_info(zh)
    assert info["放宽规则"][0] == "是：原规则下无法编组"
    assert info["放宽：女干部最少人数"][0] == "2人 → 1人"
    assert info["规则：女干部最少人数"][0] == "1人"  # the rule in force is the relaxed one
    assert info["可复现"][0] == "是"
    recorded = rules_from_toml(read_record(openpyxl.load_workbook(zh))["rules_toml"], source="zh.xlsx")
    assert recorded.min_women == 1

    en = write_roster(drawn, result, tmp_path / "en.xlsx", lang="en", extras=RosterExtras(relaxed=relaxed))
    assert "Drawn under relaxed rules" in _note(en) and "min_women from 2 to 1" in _note(en)
    assert _run_info(en)["Relaxed: min_women"][0] == "2 → 1"


def test_a_changed_input_is_stated_and_the_draw_is_not_reproducible(tmp_path: Path) -> None:
    problem, relaxation = _leader_short()
    assert not relaxation.rules_only
    drawn = apply_relaxation(problem, relaxation)
    result = solve(drawn, time_limit=10, workers=1)
    assert result.ok and result.reproducible
    relaxed = Relaxed.of(problem.rules, drawn.rules, [relaxation])
    assert relaxed.input_changed and relaxed.soft_goals_off and relaxed.rules == ()
    marked = relaxed.result(result)
    assert not marked.reproducible and "增补" in marked.not_reproducible_zh

    # Given the draw's own result, the writer still does not print it as reproducible.
    path = write_roster(drawn, result, tmp_path / "zh.xlsx", extras=RosterExtras(relaxed=relaxed))
    note = _note(path)
    assert "已放宽规则编组" in note and relaxation.zh in note and "未优化软目标" in note
    info = _run_info(path)
    assert info["调整输入"][0] == relaxation.zh
    assert info["软目标"][0] == "未优化"
    assert info["可复现"][0] == "不可复现" and "仅凭输入文件不能重新抽出本名单" in info["可复现"][1]
    record = read_record(openpyxl.load_workbook(path))
    assert record is not None and record["reproducible"] == "false"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_roster_drawn_under_the_adopted_rules_says_nothing_of_relaxing(tmp_path: Path, lang: str) -> None:
    problem, relaxation = _leader_short()
    drawn = apply_relaxation(problem, relaxation)
    result = solve(drawn, time_limit=10, workers=1)
    path = write_roster(drawn, result, tmp_path / "plain.xlsx", lang=lang)
    text = _note(path) + " ".join(map(str, _run_info(path)))
    assert "放宽" not in text and "relaxed" not in text.lower()
