"""Small things a clerk meets (issue 18): --pin and --drop take what the roster prints, replan
rosters carry 备选, --version, and help without typer's type noise."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from crossinspect import __version__
from crossinspect.domain.errors import Issue
from crossinspect.domain.models import Role
from crossinspect.io.load import load_problem
from crossinspect.problem import Problem
from crossinspect.workflows.replan import cadre_of, team_of
from factories import cadre, make_problem, run_cli, target

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
IN = EXAMPLES / "rotation" / "input.xlsx"
RULES = EXAMPLES / "rotation" / "rules.toml"
COMMANDS = (
    "template",
    "example",
    "rules",
    "check",
    "solve",
    "verify",
    "render",
    "replan",
    "history",
    "plan-term",
    "verify-term",
)


@pytest.fixture(scope="module")
def problem() -> Problem:
    return load_problem(IN, rules_file=RULES)


@pytest.mark.parametrize("text", ["3", "第三组", "第 三 组", "三组", "Team 3", "team3", "03", "龙海区农业农村局"])
def test_team_labels(problem: Problem, text: str) -> None:
    """A team is named as the roster prints it (第三组, Team 3), by number, or by its target."""
    assert team_of(problem, text) == "3"


def test_unknown_team_says_what_is_expected(problem: Problem) -> None:
    found = team_of(problem, "第九十九组")
    assert isinstance(found, Issue) and found.code == "unknown-team" and "第三组" in found.zh


def test_cadres_by_id_or_unique_name(problem: Problem) -> None:
    """A cadre is named by id, or by name when only one cadre has it; namesakes need the id."""
    first = problem.cadres[0]
    assert cadre_of(problem, first.id) == first.id
    assert cadre_of(problem, f" {first.name} ") == first.id
    twins = make_problem(
        [cadre("A1", "芗城区", name="张伟"), cadre("B1", "龙文区", name="张伟")],
        [target("T1", "漳浦县")],
        mode="mixed",
        team_size=[1, 1],
        deputies=[0, 0],
    )
    found = cadre_of(twins, "张伟")
    assert isinstance(found, Issue) and found.code == "ambiguous-cadre" and found.suggestions == ("A1", "B1")
    assert isinstance(cadre_of(problem, "没有这个人"), Issue)


def test_replan_with_printed_labels_carries_alternates(tmp_path: Path, problem: Problem) -> None:
    """`replan --drop 姓名 --pin 姓名=第三组` works as with ids, and the new roster has 备选."""
    roster = tmp_path / "名单.xlsx"
    assert run_cli("solve", IN, "--rules", RULES, "-o", roster, "--no-alternates")[0] == 0
    wb = openpyxl.load_workbook(roster)
    rows = [r for r in wb["assignments"].iter_rows(min_row=2, values_only=True)]
    names = {c.id: c.name for c in problem.cadres}
    counts: dict[str, int] = {}
    for c in problem.cadres:
        counts[c.name] = counts.get(c.name, 0) + 1
    team3 = [r for r in rows if r[0] == "3"]
    stay = next(r[2] for r in team3 if r[3] == Role.LEADER.value)
    leaver = next(r[2] for r in rows if r[0] == "1" and r[3] == Role.MEMBER.value and counts[names[r[2]]] == 1)
    new = tmp_path / "新名单.xlsx"
    code, text = run_cli(
        "replan", IN, roster, "--rules", RULES, "-o", new, "--drop", names[leaver], "--pin", f"{names[stay]}=第三组"
    )
    assert code == 0, text
    assert f"{names[leaver]}（{leaver}）" in text and "调出" in text
    wb = openpyxl.load_workbook(new)
    assert "备选" in wb.sheetnames and "变更" in wb.sheetnames
    seats = {(r[2], r[0]) for r in wb["assignments"].iter_rows(min_row=2, values_only=True)}
    assert (stay, "3") in seats and all(cid != leaver for cid, _ in seats)


def test_bad_pin_is_a_clear_error(tmp_path: Path) -> None:
    """A pin without = or naming no team: exit 2 with the form to use."""
    roster = tmp_path / "名单.xlsx"
    assert run_cli("solve", IN, "--rules", RULES, "-o", roster, "--no-alternates")[0] == 0
    code, text = run_cli("replan", IN, roster, "--rules", RULES, "-o", tmp_path / "x.xlsx", "--pin", "第三组")
    assert code == 2 and "干部=组别" in text
    code, text = run_cli("replan", IN, roster, "--rules", RULES, "-o", tmp_path / "x.xlsx", "--pin", "ZZ001=第99组")
    assert code == 2 and "组别「第99组」不存在" in text


def test_version() -> None:
    """--version prints crossinspect's and OR-Tools' versions."""
    code, text = run_cli("--version")
    assert code == 0 and f"crossinspect {__version__}" in text and "OR-Tools" in text


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_chinese_without_type_noise(command: str | None) -> None:
    """Help names values in words (文件, 秒, 干部=组别) and flags by nothing: no <bool>, <path>."""
    code, text = run_cli(*([command] if command else []), "--help")
    assert code == 0
    assert not re.search(r"<(bool|path|int|float|str|list\[str\])>", text), text
    assert "Show this message and exit" not in text and "显示本帮助并退出" in text
    assert "[默认：False]" not in text and "[默认：True]" not in text
