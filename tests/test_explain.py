"""Explaining infeasible rounds: each case names the rule that fails, and every proposed
relaxation really yields a roster that passes the verifier."""

from __future__ import annotations

from crossinspect import solve
from crossinspect.diagnose.explain import Explanation, apply_relaxation, explain
from crossinspect.diagnose.precheck import precheck
from crossinspect.domain.plan import Status
from crossinspect.problem import Problem
from crossinspect.verify import verify
from factories import cadre, history, make_problem, pool, target

THREE = ("芗城区", "龙文区", "漳浦县")


def _targets() -> list:
    return [target(f"T{n}", c) for n, c in enumerate(THREE, 1)]


def _text(e: Explanation) -> str:
    return e.render("zh")


def _relaxations_really_work(problem: Problem, e: Explanation) -> None:
    assert e.relaxations, "at least one verified relaxation is expected"
    for r in e.relaxations:
        relaxed = apply_relaxation(problem, r)
        result = solve(relaxed, time_limit=10, workers=1)
        assert result.plan is not None, r.key
        assert verify(relaxed, result.plan) == [], r.key


def test_leader_shortage_is_named() -> None:
    """Every leader candidate of 芗城区 held office in both other counties: R1 and 组长 named."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",), postings=("龙文区", "漳浦县")),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("A3", "芗城区"),
        *pool("龙文区", "B"),
        *pool("漳浦县", "C"),
    ]
    p = make_problem(cadres, _targets())
    result = solve(p, time_limit=5, workers=1)
    assert result.status is Status.INFEASIBLE
    e = result.explanation
    assert isinstance(e, Explanation)
    text = _text(e)
    assert "芗城区" in text and "组长" in text and "任职地回避" in text
    added = [r for r in e.relaxations if "增补" in r.zh and "芗城区" in r.zh]
    assert added and not any(r.rules_only for r in added)  # a cadre added: the input itself changes
    _relaxations_really_work(p, e)


def test_no_cycle_possible_is_named() -> None:
    """Two counties with reciprocal pairs forbidden: the explanation names forbid_reciprocal."""
    cadres = pool("芗城区", "A") + pool("龙文区", "B")
    p = make_problem(cadres, [target("T1", "芗城区"), target("T2", "龙文区")])
    e = explain(p)
    assert "互派" in _text(e)
    assert any(r.key == "forbid_reciprocal=false" for r in e.relaxations)
    _relaxations_really_work(p, e)


def test_cycle_blocked_by_pool_destinations() -> None:
    """芗城区 and 龙文区 can only go to each other, which no single cycle allows: R3 named."""
    away = ("漳浦县", "云霄县")
    cadres = (
        pool("芗城区", "A", upbringing=away)
        + pool("龙文区", "B", upbringing=away)
        + pool("漳浦县", "C")
        + pool("云霄县", "D")
    )
    targets = [target(f"T{n}", c) for n, c in enumerate((*THREE, "云霄县"), 1)]
    p = make_problem(cadres, targets)
    assert solve(p, time_limit=5, workers=1, explain=False).status is Status.INFEASIBLE
    e = explain(p)
    text = _text(e)
    assert "R3" in text and ("循环" in text or "无法派往" in text)


def test_skill_shortage_is_named() -> None:
    """No auditor can go to 漳浦县's team: the skill 审计 and the team are named."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("B1", "龙文区"),
        cadre("B2", "龙文区", skills=("审计",), upbringing=("漳浦",)),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", required_skills={"审计": 1})
    e = explain(p)
    text = _text(e)
    assert "审计" in text and "漳浦县" in text
    assert any(r.key.startswith("required_skills.审计") for r in e.relaxations)
    _relaxations_really_work(p, e)


def test_too_few_women_is_named() -> None:
    """min_women = 2 with one woman in reach: the women rule is named and min_women relaxed."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("B1", "龙文区", gender="F"),
        cadre("B2", "龙文区"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", min_women=2)
    e = explain(p)
    assert "女干部" in _text(e)
    women = next(r for r in e.relaxations if r.key == "min_women=1")
    assert women.rules_only and women.changes == {"min_women": 1}
    _relaxations_really_work(p, e)


def test_history_exhaustion_is_named() -> None:
    """Every leader already inspected 漳浦县 in earlier rounds: R7 is named, look-back relaxed."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("组长",)),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区"),
    ]
    hist = [
        history("2024年第一轮", "A1", "漳浦县", role="组长"),
        history("2025年第一轮", "A2", "漳浦县", role="组长"),
        history("2025年第一轮", "B2", "云霄县"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], hist=hist, mode="mixed")
    e = explain(p)
    text = _text(e)
    assert "R7" in text and "往轮" in text
    assert any(r.key.startswith("history_rounds=") for r in e.relaxations)
    _relaxations_really_work(p, e)


def test_leader_rank_is_named_and_relaxed() -> None:
    """Only 副科 leaders when 正科 is required: leader_min_rank is named and lowered."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",), rank="副科"),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", leader_min_rank="正科")
    e = explain(p)
    assert "leader_min_rank" in _text(e)
    assert any(r.key == "leader_min_rank=副科" for r in e.relaxations)
    _relaxations_really_work(p, e)


def test_local_liaison_from_elsewhere_is_proposed() -> None:
    """The inspected county has no liaison: letting a liaison come from elsewhere is proposed."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("B1", "龙文区", roles=("联络员",)),
        cadre("C1", "漳浦县"),
    ]
    p = make_problem(
        cadres, [target("T1", "漳浦县")], mode="mixed", liaisons=[1, 1], local_roles=["联络员"], team_size=[3, 4]
    )
    e = explain(p)
    assert "联络员" in _text(e)
    assert any(r.key == "local_roles-liaison" for r in e.relaxations)
    _relaxations_really_work(p, e)


def test_precheck_passes_feasible_examples(three_counties_rotation_problem: Problem) -> None:
    """The pre-check finds nothing on a feasible round (it has no false alarms here)."""
    assert precheck(three_counties_rotation_problem) == []
