"""Fixtures for the roster tests: tiny problems on real 漳州 places, and a roster writer.

The shared cases ``three_counties_rotation`` and ``mixed_two_targets`` (a problem and
a valid hand-made plan each) come from ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crossinspect.domain.models import Role
from crossinspect.domain.plan import Plan, Seat, SolveResult
from crossinspect.io.roster import write_roster
from crossinspect.problem import Problem
from factories import cadre, make_problem, target

WriteRoster = Callable[..., Path]


@dataclass
class Made:
    """A problem and a plan for it."""

    problem: Problem
    plan: Plan


@pytest.fixture
def write(tmp_path: Path) -> WriteRoster:
    """Write the roster of a case (anything with .problem and .plan) into tmp_path."""

    def _write(
        case: Any, result: SolveResult | Plan | None = None, *, name: str = "roster.xlsx", **options: Any
    ) -> Path:
        return write_roster(case.problem, result if result is not None else case.plan, tmp_path / name, **options)

    return _write


def seats(team_id: str, target_id: str, *pairs: tuple[str, str]) -> list[Seat]:
    return [Seat(team_id=team_id, target_id=target_id, cadre_id=c, role=Role(r)) for c, r in pairs]


@pytest.fixture
def stroke_team() -> Made:
    """One team of seven from 芗城区 inspecting 龙文区; members chosen to test 姓氏笔画 order."""
    members = {"M1": "王五", "M2": "毛泽东", "M3": "方明", "M4": "丁一", "M5": "马力"}
    cadres = [
        cadre("L", "芗城区", name="张伟", roles=("组长",), rank="副处", skills=("纪检监察",)),
        cadre("D", "芗城区", name="李娜", roles=("副组长",), gender="F"),
        *(cadre(cid, "芗城区", name=name) for cid, name in members.items()),
    ]
    problem = make_problem(
        cadres,
        [target("T1", "龙文区")],
        mode="mixed",
        team_size=[7, 7],
        max_from_same_county=7,
        title="漳州市委第四轮交叉巡察",
    )
    plan = Plan.from_seats(
        seats(
            "1",
            "T1",
            ("M1", "member"),
            ("M2", "member"),
            ("D", "deputy"),
            ("M3", "member"),
            ("L", "leader"),
            ("M4", "member"),
            ("M5", "member"),
        )
    )
    return Made(problem, plan)


@pytest.fixture
def twelve_teams() -> Made:
    """Twelve one-person-deep teams of three, so team sheets run past 第十组 to 第十二组."""
    counties = (
        "芗城区",
        "龙文区",
        "龙海区",
        "长泰区",
        "漳浦县",
        "云霄县",
        "诏安县",
        "东山县",
        "南靖县",
        "平和县",
        "华安县",
        "漳浦县",
    )
    cadres = []
    all_seats: list[Seat] = []
    targets = []
    for k in range(12):
        home = counties[(k + 1) % 11]
        tid = f"T{k + 1}"
        targets.append(target(tid, counties[k % 11]))
        ids = [f"C{k}a", f"C{k}b", f"C{k}c"]
        cadres += [cadre(ids[0], home, roles=("组长",)), cadre(ids[1], home, roles=("副组长",)), cadre(ids[2], home)]
        all_seats += seats(str(k + 1), tid, (ids[0], "leader"), (ids[1], "deputy"), (ids[2], "member"))
    problem = make_problem(cadres, targets, mode="mixed", max_from_same_county=3)
    return Made(problem, Plan.from_seats(all_seats))


EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


@pytest.fixture(scope="session")
def example_problem() -> Problem:
    """The shipped rotation example with its rules."""
    from crossinspect.io.load import load_problem

    return load_problem(EXAMPLES / "rotation" / "input.xlsx", rules_file=EXAMPLES / "rotation" / "rules.toml")


@pytest.fixture(scope="session")
def example_roster(example_problem: Problem, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rotation example solved and written as ``crossinspect solve`` writes it (with 备选)."""
    from crossinspect.diagnose.alternates import find_alternates
    from crossinspect.io.roster import RosterExtras
    from crossinspect.workflows.round import solve

    result = solve(example_problem, explain=False)
    assert result.plan is not None and not result.violations
    extras = RosterExtras(alternates=tuple(find_alternates(example_problem, result.plan)))
    return write_roster(example_problem, result, tmp_path_factory.mktemp("roster") / "名单.xlsx", extras=extras)
