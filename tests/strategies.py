"""Hypothesis strategies for small random rounds, shared by the solver's property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from crossinspect.domain.models import Cadre
from crossinspect.problem import Problem
from factories import cadre, make_problem, target

COUNTIES = ("芗城区", "龙文区", "漳浦县", "云霄县")
ROLE_SETS = (("组长",), ("副组长",), ("组员",), ("组长", "组员"), ("副组长", "组员"), ("联络员", "组员"))


@st.composite
def cadres_st(draw: st.DrawFn, counties: tuple[str, ...], max_per: int) -> list[Cadre]:
    out = []
    for c in counties:
        for n in range(draw(st.integers(1, max_per))):
            others = [x for x in COUNTIES if x != c]
            out.append(
                cadre(
                    f"{c[:1]}{n}",
                    c,
                    roles=draw(st.sampled_from(ROLE_SETS)),
                    rank=draw(st.sampled_from(("正科", "副科", "科员"))),
                    gender=draw(st.sampled_from("MF")),
                    skills=draw(st.lists(st.sampled_from(("审计", "纪检监察")), max_size=1)),
                    upbringing=draw(st.lists(st.sampled_from(others), max_size=1)),
                )
            )
    return out


@st.composite
def rotation_round(draw: st.DrawFn) -> Problem:
    counties = COUNTIES[: draw(st.integers(2, 4))]
    cadres = draw(cadres_st(counties, 4))
    targets = [target(f"T{n}", c) for n, c in enumerate(counties, 1)]
    return make_problem(
        cadres,
        targets,
        team_size=[2, draw(st.integers(2, 3))],
        deputies=[0, 1],
        forbid_reciprocal=draw(st.booleans()),
        single_cycle=draw(st.booleans()),
        min_women=draw(st.integers(0, 1)),
        leader_min_rank=draw(st.sampled_from(("", "正科"))),
        required_skills=draw(st.sampled_from(({}, {"审计": 1}))),
    )


@st.composite
def mixed_round(draw: st.DrawFn) -> Problem:
    counties = COUNTIES[: draw(st.integers(2, 3))]
    cadres = draw(cadres_st(counties, 2))
    targets = [target(f"T{n}", c) for n, c in enumerate(counties[: draw(st.integers(1, 2))], 1)]
    return make_problem(
        cadres,
        targets,
        mode="mixed",
        team_size=[2, draw(st.integers(2, 3))],
        deputies=[0, 1],
        liaisons=[0, 1],
        max_from_same_county=draw(st.integers(1, 2)),
        local_roles=draw(st.sampled_from(([], ["联络员"]))),
        min_women=draw(st.integers(0, 1)),
        required_skills=draw(st.sampled_from(({}, {"纪检监察": 1}))),
    )
