"""Tiny named instances shared by the tests, built from real Fujian place names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from crossinspect.domain.models import (
    Cadre,
    Decision,
    Gender,
    HistoryRecord,
    InputBook,
    Role,
    Target,
)
from crossinspect.domain.plan import Plan, Seat
from crossinspect.domain.rules import Rules
from crossinspect.places import Gazetteer
from crossinspect.problem import Problem, build_problem


def cadre(
    cid: str,
    name: str,
    county: str,
    *,
    gender: str = "M",
    rank: str = "科员",
    roles: Iterable[str] = ("member",),
    **extra: Any,
) -> Cadre:
    """A cadre record with the avoidance places a real clerk would fill in."""
    extra.setdefault("residence", (county,))
    extra.setdefault("workplace", (county,))
    return Cadre(
        id=cid,
        name=name,
        gender=Gender(gender),
        county=county,
        rank=rank,
        roles=frozenset(Role(r) for r in roles),
        **extra,
    )


def rules_of(**keys: Any) -> Rules:
    """Rules from plain values, validated as a rules file would be ("mixed", ["liaison"])."""
    return Rules.model_validate(keys)


def book_of(
    cadres: Iterable[Cadre],
    targets: Iterable[Target],
    history: Iterable[HistoryRecord] = (),
    decisions: Iterable[Decision] = (),
) -> InputBook:
    return InputBook(
        path="mem.xlsx",
        sha256="x",
        cadres=tuple(cadres),
        targets=tuple(targets),
        history=tuple(history),
        decisions=tuple(decisions),
    )


def plan_of(teams: dict[str, tuple[str, list[tuple[str, str]]]]) -> Plan:
    """A plan from ``{team_id: (target_id, [(cadre_id, role), ...])}``."""
    return Plan.from_seats(
        [
            Seat(team_id=team_id, target_id=target_id, cadre_id=cid, role=Role(role))
            for team_id, (target_id, seats) in teams.items()
            for cid, role in seats
        ]
    )


@dataclass
class Case:
    """A problem with a hand-made valid plan, and ways to plant one change in it."""

    book: InputBook
    rules: Rules
    plan: Plan
    gazetteer: Gazetteer
    problem: Problem = field(init=False)

    def __post_init__(self) -> None:
        self.problem = build_problem(self.book, self.rules, self.gazetteer)

    def with_rules(self, **changes: Any) -> Case:
        rules = Rules.model_validate({**self.rules.model_dump(), **changes})
        return Case(self.book, rules, self.plan, self.gazetteer)

    def with_cadre(self, cid: str, **changes: Any) -> Case:
        cadres = tuple(c.model_copy(update=changes) if c.id == cid else c for c in self.book.cadres)
        return Case(self.book.model_copy(update={"cadres": cadres}), self.rules, self.plan, self.gazetteer)

    def with_target(self, tid: str, **changes: Any) -> Case:
        targets = tuple(t.model_copy(update=changes) if t.id == tid else t for t in self.book.targets)
        return Case(self.book.model_copy(update={"targets": targets}), self.rules, self.plan, self.gazetteer)

    def with_history(self, *records: HistoryRecord) -> Case:
        book = self.book.model_copy(update={"history": self.book.history + records})
        return Case(book, self.rules, self.plan, self.gazetteer)

    def with_decisions(self, *decisions: Decision) -> Case:
        book = self.book.model_copy(update={"decisions": self.book.decisions + decisions})
        return Case(book, self.rules, self.plan, self.gazetteer)

    def with_plan(self, plan: Plan) -> Case:
        return Case(self.book, self.rules, plan, self.gazetteer)

    def seats(self) -> list[Seat]:
        return self.plan.seats()

    def replan(self, edit: Callable[[list[Seat]], list[Seat]]) -> Plan:
        return Plan.from_seats(edit(self.plan.seats()), self.plan.arcs)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.builtin()


@pytest.fixture
def three_counties_rotation(gazetteer: Gazetteer) -> Case:
    """推磨式 among 芗城区, 龙文区 and 漳浦县: 3 cadres each, one team of 3 per county.

    The only valid cycle is 芗城→龙文→漳浦→芗城: 王强 grew up in 漳浦 and 芗城→漳浦
    was used last round. Two spare cadres never fit anywhere: 郑宇 (芗城, grew up in
    龙文) and 孙丽 (漳浦, unavailable).
    """
    cadres = [
        cadre("X1", "张伟", "芗城区", rank="副处", roles=("leader", "member"), skills=("纪检监察",)),
        cadre("X2", "李娜", "芗城区", gender="F", rank="正科", roles=("deputy", "member")),
        cadre("X3", "王强", "芗城区", upbringing=("漳浦",)),
        cadre(
            "X4",
            "郑宇",
            "芗城区",
            rank="副处",
            roles=("leader", "deputy", "member"),
            upbringing=("龙文区",),
            skills=("纪检监察",),
        ),
        cadre("L1", "陈静", "龙文区", gender="F", rank="正处", roles=("leader",)),
        cadre("L2", "刘洋", "龙文区", rank="副科", roles=("deputy", "member")),
        cadre("L3", "杨帆", "龙文区", skills=("纪检监察",)),
        cadre("Z1", "黄磊", "漳浦县", rank="副处", roles=("leader", "member"), skills=("纪检监察",)),
        cadre("Z2", "周敏", "漳浦县", gender="F", rank="正科", roles=("deputy", "member")),
        cadre("Z3", "吴刚", "漳浦县"),
        cadre("Z4", "孙丽", "漳浦县", gender="F", rank="副处", roles=("leader", "deputy", "member"), available=False),
    ]
    targets = [
        Target(id="T1", name="芗城区", location="芗城区"),
        Target(id="T2", name="龙文区", location="龙文区"),
        Target(id="T3", name="漳浦县", location="漳浦县"),
    ]
    history = [
        HistoryRecord(round="2024年第一轮", cadre_id="Z3", place="龙海区", from_county="漳浦县"),
        HistoryRecord(round="2024年第一轮", cadre_id="X1", place="漳浦县", role=Role.LEADER, from_county="芗城区"),
    ]
    rules = rules_of(
        mode="rotation", team_size=(3, 3), deputies=(1, 1), leader_min_rank="副处", required_skills={"纪检监察": 1}
    )
    plan = plan_of(
        {
            "1": ("T1", [("Z1", "leader"), ("Z2", "deputy"), ("Z3", "member")]),
            "2": ("T2", [("X1", "leader"), ("X2", "deputy"), ("X3", "member")]),
            "3": ("T3", [("L1", "leader"), ("L2", "deputy"), ("L3", "member")]),
        }
    )
    return Case(book_of(cadres, targets, history), rules, plan, gazetteer)


@pytest.fixture
def mixed_two_targets(gazetteer: Gazetteer) -> Case:
    """混编: two units inspected by cadres of five 漳州 counties; 联络员 is a local role."""
    cadres = [
        cadre("A1", "张伟", "芗城区", rank="副处", roles=("leader",), skills=("纪检监察",)),
        cadre("A2", "李强", "芗城区"),
        cadre("B1", "陈静", "龙文区", gender="F", rank="正处", roles=("leader",)),
        cadre("B2", "刘洋", "龙文区", rank="正科", roles=("deputy", "member"), skills=("财务",)),
        cadre("C1", "林芳", "龙海区", gender="F", rank="正科", roles=("deputy",), skills=("纪检监察",)),
        cadre("C2", "杨帆", "龙海区", skills=("纪检监察",)),
        cadre("D1", "黄磊", "漳浦县", roles=("liaison", "member"), upbringing=("漳浦县",)),
        cadre("D2", "周敏", "漳浦县", gender="F"),
        cadre("E1", "吴刚", "云霄县", roles=("liaison", "member")),
        cadre("E2", "孙丽", "云霄县", gender="F"),
    ]
    targets = [
        Target(id="U1", name="漳浦县民政局", location="漳浦县"),
        Target(id="U2", name="云霄县农业农村局", location="云霄县", skills=("财务",)),
    ]
    rules = rules_of(
        mode="mixed",
        team_size=(4, 4),
        deputies=(1, 1),
        liaisons=(1, 1),
        local_roles=["liaison"],
        leader_min_rank="副处",
        max_from_same_county=2,
        required_skills={"纪检监察": 1},
    )
    plan = plan_of(
        {
            "1": ("U1", [("A1", "leader"), ("C1", "deputy"), ("D1", "liaison"), ("E2", "member")]),
            "2": ("U2", [("B1", "leader"), ("B2", "deputy"), ("E1", "liaison"), ("C2", "member")]),
        }
    )
    return Case(book_of(cadres, targets), rules, plan, gazetteer)


@pytest.fixture
def three_counties_rotation_problem() -> Problem:
    """Three 漳州 counties, one target and a leader + deputy + member pool each, as a Problem."""
    from factories import make_problem, pool, target

    cadres = pool("芗城区", "A") + pool("龙文区", "B") + pool("漳浦县", "C")
    return make_problem(cadres, [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")])
