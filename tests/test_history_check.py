"""History that contradicts itself is an input error naming both rows (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.domain.errors import InputError, Issue
from crossinspect.io.load import load_problem

CADRES = [
    ["编号", "姓名", "性别", "所属县区", "可任角色"],
    ["X1", "张伟", "男", "芗城区", "组长、组员"],
    ["L1", "陈静", "女", "龙文区", "组长、组员"],
    ["Z1", "黄磊", "男", "漳浦县", "组长、组员"],
]
TARGETS = [
    ["编号", "名称", "所在地"],
    ["T1", "芗城区", "芗城区"],
    ["T2", "龙文区", "龙文区"],
    ["T3", "漳浦县", "漳浦县"],
]
HEAD = ["轮次", "干部编号", "巡察地", "角色", "末位", "来源县区"]


def book(tmp_path: Path, *history: list[Any]) -> Path:
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for name, rows in (("干部", CADRES), ("巡察对象", TARGETS), ("往轮记录", [HEAD, *history])):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path = tmp_path / "in.xlsx"
    wb.save(path)
    return path


def contradictions(path: Path) -> list[Issue]:
    with pytest.raises(InputError) as info:
        load_problem(path)
    return [i for i in info.value.issues if i.code == "history-contradiction"]


def test_two_places_in_one_round(tmp_path: Path) -> None:
    """One cadre at 龙文区 and at 漳浦县 in the same round: an error on the second row, naming the first."""
    path = book(
        tmp_path,
        ["2024年第一轮", "X1", "龙文区", "组长", "否", "芗城区"],
        ["2024年第二轮", "X1", "漳浦县", "组长", "否", "芗城区"],
        ["2024年第一轮", "X1", "漳浦县", "组长", "否", "芗城区"],
    )
    (issue,) = contradictions(path)
    assert (issue.sheet, issue.row, issue.column) == ("往轮记录", 4, "巡察地")
    assert "第2行" in issue.zh and "龙文区" in issue.zh and "漳浦县" in issue.zh
    assert "row 2" in issue.en


def test_last_ranked_yes_and_no(tmp_path: Path) -> None:
    """末位 是 and 否 for the same leader and round decides who may lead: an error."""
    path = book(
        tmp_path, ["2024年第一轮", "L1", "漳浦县", "组长", "否"], ["2024年第一轮", "L1", "漳浦县", "组长", "是"]
    )
    (issue,) = contradictions(path)
    assert (issue.row, issue.column) == (3, "末位")
    assert "「否」" in issue.zh and "「是」" in issue.zh


def test_role_and_origin_disagree(tmp_path: Path) -> None:
    """Leader on one row and member on the other, sent from two counties: two errors."""
    path = book(
        tmp_path,
        ["2024年第一轮", "Z1", "芗城区", "组长", "", "漳浦县"],
        ["2024年第一轮", "Z1", "芗城区", "组员", "", "龙文区"],
    )
    found = contradictions(path)
    assert sorted((i.row, i.column) for i in found) == [(3, "来源县区"), (3, "角色")]


def test_one_round_written_two_ways(tmp_path: Path) -> None:
    """2024年第1轮 and 2024年第一轮 are one round: the spellings must agree, and the
    contradiction between the two rows is found across them."""
    path = book(
        tmp_path,
        ["2024年第一轮", "L1", "漳浦县", "组长", "否"],
        ["2024年第1轮", "L1", "漳浦县", "组长", "是"],
        ["2024年第1轮", "X1", "龙文区", "组员", ""],
    )
    found = contradictions(path)
    assert sorted((i.row, i.column) for i in found) == [(3, "末位"), (3, "轮次")]  # each spelling once


def test_agreeing_rows_are_accepted(tmp_path: Path) -> None:
    """A repeated row, a row with less said, and a township inside the same county agree."""
    path = book(
        tmp_path,
        ["2024年第一轮", "X1", "漳浦县", "组长", "否", "芗城区"],
        ["2024年第一轮", "X1", "漳浦县", "组长", "否", "芗城区"],
        ["2024年第一轮", "X1", "漳浦县绥安镇", "", "", ""],
        ["2024年第二轮", "X1", "龙文区", "组员", "", "芗城"],
    )
    problem = load_problem(path)
    assert not problem.sanctions
