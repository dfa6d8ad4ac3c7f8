"""The independent verifier: a valid plan passes, and every planted violation is caught."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Case, book_of, cadre, plan_of, rules_of
from crossinspect.domain.models import Decision, DecisionKind, HistoryRecord, Role, Target
from crossinspect.domain.plan import Arc, Plan, Seat, Team, Violation
from crossinspect.domain.rules import Rules
from crossinspect.places import Gazetteer
from crossinspect.verify import PLAN_RULE, natural_round_key, verify


def rule_ids(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


def check(case: Case, plan: Plan | None = None) -> list[Violation]:
    return verify(case.problem, plan if plan is not None else case.plan)


def replace_seat(plan: Plan, who: str, /, **changes: str) -> Plan:
    """The plan with the seat of cadre ``who`` changed (cadre, role, team or target)."""
    seats = []
    for s in plan.seats():
        if s.cadre_id == who:
            data = s.model_dump()
            data.update(changes)
            s = Seat.model_validate(data)
        seats.append(s)
    return Plan.from_seats(seats, plan.arcs)


def arcs_for(case: Case, pairs: list[tuple[str, str]]) -> tuple[Arc, ...]:
    """Rotation arcs between the pools of the named counties."""
    gaz = case.problem.gazetteer
    code = {gaz.node(c).name: c for c in case.problem.counties}
    return tuple(Arc(source=code[a], dest=code[b], source_name=a, dest_name=b) for a, b in pairs)


# ---- valid plans ------------------------------------------------------------------------


def test_valid_rotation_plan_passes(three_counties_rotation: Case) -> None:
    """The hand-made 芗城→龙文→漳浦→芗城 roster breaks no rule."""
    assert check(three_counties_rotation) == []


def test_valid_mixed_plan_passes(mixed_two_targets: Case) -> None:
    """The hand-made mixed roster breaks no rule, local liaisons included."""
    assert check(mixed_two_targets) == []


def test_declared_arcs_matching_the_seats_pass(three_counties_rotation: Case) -> None:
    """A rotation sheet that lists exactly the arcs the seats travel is accepted."""
    case = three_counties_rotation
    arcs = arcs_for(case, [("芗城区", "龙文区"), ("龙文区", "漳浦县"), ("漳浦县", "芗城区")])
    assert check(case, Plan(teams=case.plan.teams, arcs=arcs)) == []


def test_verify_does_not_use_the_model() -> None:
    """The verifier imports no OR-Tools, solver or overlap code and reads no derived facts,
    in any module of its package."""
    import ast
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("crossinspect.verify")
    assert spec is not None and spec.origin is not None
    modules = sorted(Path(spec.origin).parent.glob("*.py"))
    assert len(modules) > 1
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in modules]
    imported: set[str] = set()
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    attributes = {n.attr for tree in trees for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not {m for m in imported if "ortools" in m or "solver" in m or "overlap" in m}
    assert "round_sort_key" not in imported and "compute_sanctions" not in imported
    # One person, one id: the verifier normalises ids itself, not with the reader's code.
    assert "text" not in imported and "normalize_id" not in imported
    derived = {
        "blocks",
        "declared_block",
        "can_take_role",
        "drawable",
        "target_skills",
        "target_size",
        "past_teammates",
        "sanctions",
        "pins",
        "bans",
        "unavailable",
        "past_arcs",
    }
    assert not attributes & derived


# ---- plan sanity ----------------------------------------------------------------------


def test_unknown_cadre_id_is_reported(three_counties_rotation: Case) -> None:
    """A seat naming a cadre id that is not in the input is a PLAN violation."""
    case = three_counties_rotation
    found = check(case, replace_seat(case.plan, "Z3", cadre_id="Z99"))
    assert rule_ids(found) == {PLAN_RULE}
    assert "Z99" in found[0].zh


def test_team_for_unknown_target_is_reported(three_counties_rotation: Case) -> None:
    """A team for a target id that is not in the input is a PLAN violation."""
    case = three_counties_rotation
    plan = Plan(teams=(*case.plan.teams, Team(team_id="4", target_id="T9", seats=())))
    found = check(case, plan)
    assert rule_ids(found) == {PLAN_RULE}
    assert found[0].team_id == "4"


def test_seat_disagreeing_with_its_team_is_reported(three_counties_rotation: Case) -> None:
    """A seat whose own target id differs from its team's is a PLAN violation."""
    case = three_counties_rotation
    team = case.plan.teams[0]
    bad = team.seats[2].model_copy(update={"target_id": "T2"})
    plan = Plan(teams=(team.model_copy(update={"seats": (*team.seats[:2], bad)}), *case.plan.teams[1:]))
    assert rule_ids(check(case, plan)) == {PLAN_RULE}


def test_target_without_team_is_reported(mixed_two_targets: Case) -> None:
    """Every target must get a team (R6)."""
    case = mixed_two_targets
    plan = Plan(teams=case.plan.teams[:1])
    found = check(case, plan)
    assert rule_ids(found) == {"R6"}
    assert "云霄县农业农村局" in found[0].zh and "has no team" in found[0].en


def test_cadre_in_two_seats_is_reported(mixed_two_targets: Case) -> None:
    """A cadre seated on two teams breaks R6 (each cadre at most one team)."""
    case = mixed_two_targets
    found = check(case, replace_seat(case.plan, "E2", cadre_id="C2"))
    assert rule_ids(found) == {"R6"}
    assert any("杨帆" in v.zh and "多个席位" in v.zh and v.cadre_id == "C2" for v in found)


def with_copied_cadre(case: Case, cid: str, copy_id: str) -> Case:
    """The case with cadre ``cid``'s row copied under ``copy_id``, as a pasted row would be."""
    row = next(c for c in case.book.cadres if c.id == cid)
    book = case.book.model_copy(update={"cadres": (*case.book.cadres, row.model_copy(update={"id": copy_id}))})
    return Case(book, case.rules, case.plan, case.gazetteer)


@pytest.mark.parametrize("alias", ["C2\u200f", "C\u00ad2", "Ｃ２", "C2\u3164", " C 2", "C2\ufe0f"])
def test_one_person_under_two_ids_is_seated_twice(mixed_two_targets: Case, alias: str) -> None:
    """A copied row whose id differs from C2 only by an invisible, full-width or space
    character is C2: seating both rows is R6, never a clean roster (issue 15)."""
    case = with_copied_cadre(mixed_two_targets, "C2", alias)
    found = check(case, replace_seat(case.plan, "E2", cadre_id=alias))
    assert rule_ids(found) == {"R6"}
    (v,) = found
    assert "杨帆" in v.zh and "多个席位" in v.zh and "同一人" in v.zh
    assert v.cadre_id in ("C2", alias) and "one person" in v.en


def test_seat_spelt_with_hidden_characters_is_the_cadre(mixed_two_targets: Case) -> None:
    """A seat whose id carries a right-to-left mark or full-width letters is that cadre."""
    case = mixed_two_targets
    plan = replace_seat(replace_seat(case.plan, "C2", cadre_id="C2\u200f"), "E2", cadre_id="Ｅ２")
    assert check(case, plan) == []
    found = check(case, replace_seat(case.plan, "E2", cadre_id="C\u00ad2"))
    assert rule_ids(found) == {"R6"}


def test_two_teams_for_one_target_are_reported(mixed_two_targets: Case) -> None:
    """Two teams for one target break R6."""
    case = mixed_two_targets
    extra = Team(
        team_id="3",
        target_id="U1",
        seats=tuple(s.model_copy(update={"team_id": "3"}) for s in case.plan.teams[0].seats),
    )
    found = check(case, Plan(teams=(*case.plan.teams, extra)))
    assert any(v.rule == "R6" and "多个巡察组" in v.zh for v in found)


# ---- R1 four avoidances ---------------------------------------------------------------


@pytest.mark.parametrize(
    "field,zh", [("residence", "居住地"), ("workplace", "工作地"), ("postings", "任职地"), ("upbringing", "成长地")]
)
def test_r1_each_avoidance_field(three_counties_rotation: Case, field: str, zh: str) -> None:
    """A place in any of the four fields inside the target county breaks R1."""
    case = three_counties_rotation.with_cadre("X3", **{field: ("龙文",)})
    found = check(case)
    assert rule_ids(found) == {"R1"}
    v = found[0]
    assert (v.team_id, v.cadre_id) == ("2", "X3")
    assert v.zh == f"第2组（龙文区）：王强 {zh}「龙文」在巡察地龙文区内（R1 {zh}回避）"


def test_r1_township_inside_target_county(three_counties_rotation: Case) -> None:
    """At county level a township of the target county is a conflict (郭坑镇 is in 龙文区)."""
    case = three_counties_rotation.with_cadre("X2", upbringing=("龙文区郭坑镇",))
    assert rule_ids(check(case)) == {"R1"}


def test_r1_coarse_place_contains_the_target(three_counties_rotation: Case) -> None:
    """A place coarser than the level (only 漳州市) contains every county of 漳州: a conflict
    under coarse_places = "conflict" (the default), allowed under "review"."""
    case = three_counties_rotation.with_cadre("X2", upbringing=("漳州市",))
    found = check(case)
    assert rule_ids(found) == {"R1"}
    assert "含巡察地" in found[0].zh
    assert check(case.with_rules(coarse_places="review")) == []


def test_r1_ambiguous_name_counts_as_conflict(gazetteer: Gazetteer) -> None:
    """A bare 鼓楼区 (several cities have one) conflicts with 福州's 鼓楼区, marked ambiguous."""
    cadres = [
        cadre("F1", "张伟", "仓山区", rank="副处", roles=("leader",), upbringing=("鼓楼区",)),
        cadre("F2", "林芳", "福州市鼓楼区", roles=("leader",)),
    ]
    targets = [
        Target(id="G1", name="鼓楼区", location="福州市鼓楼区"),
        Target(id="G2", name="仓山区", location="福州市仓山区"),
    ]
    rules = rules_of(mode="mixed", team_size=(1, 1), deputies=(0, 0))
    plan = plan_of({"1": ("G1", [("F1", "leader")]), "2": ("G2", [("F2", "leader")])})
    case = Case(book_of(cadres, targets), rules, plan, gazetteer)
    found = check(case)
    assert rule_ids(found) == {"R1"}
    assert "同名" in found[0].zh


def test_r1_does_not_apply_to_local_seats(mixed_two_targets: Case) -> None:
    """黄磊 grew up in 漳浦县 yet may be its local liaison; not once the role is non-local."""
    case = mixed_two_targets
    assert check(case) == []
    found = check(case.with_rules(local_roles=[]))
    assert any(v.rule == "R1" and v.cadre_id == "D1" for v in found)


def test_r1_township_level(mixed_two_targets: Case) -> None:
    """At township level the target township conflicts, and so does its county (containment)."""
    base = mixed_two_targets.with_rules(level="township").with_target("U1", location="漳浦县绥安镇")
    assert check(base) == []
    assert check(base.with_cadre("E2", upbringing=("漳浦县旧镇镇",))) == []
    county = base.with_cadre("E2", upbringing=("漳浦县",))
    assert rule_ids(check(county)) == {"R1"}  # the county contains its township
    assert check(county.with_rules(coarse_places="review")) == []
    found = check(base.with_cadre("E2", upbringing=("绥安镇",)))
    assert rule_ids(found) == {"R1"}
    assert "漳浦县绥安镇" in found[0].zh


def test_r1_township_level_with_county_target(mixed_two_targets: Case) -> None:
    """At township level a county target's area is still the whole county."""
    case = mixed_two_targets.with_rules(level="township").with_cadre("E2", upbringing=("漳浦县旧镇镇",))
    assert rule_ids(check(case)) == {"R1"}


# ---- R2 declared conflicts ------------------------------------------------------------


@pytest.mark.parametrize("entry", ["U1", " 漳浦县　民政局 ", "漳浦县旧镇镇"])
def test_r2_declared_conflict(mixed_two_targets: Case, entry: str) -> None:
    """A declared target id, target name (spacing ignored) or place in the area breaks R2."""
    found = check(mixed_two_targets.with_cadre("E2", conflicts=(entry,)))
    assert rule_ids(found) == {"R2"}
    assert found[0].cadre_id == "E2" and "其他回避" in found[0].zh


def test_r2_applies_to_local_seats(mixed_two_targets: Case) -> None:
    """A local liaison is still barred by a declared conflict."""
    found = check(mixed_two_targets.with_cadre("D1", conflicts=("漳浦县民政局",)))
    assert rule_ids(found) == {"R2"}
    assert found[0].cadre_id == "D1"


def test_r2_other_target_is_fine(mixed_two_targets: Case) -> None:
    """A declared conflict with a different target does not bar this one."""
    assert check(mixed_two_targets.with_cadre("E2", conflicts=("云霄县农业农村局", "某公司"))) == []


# ---- R3 rotation ---------------------------------------------------------------------


def test_r3_self_arc(three_counties_rotation: Case) -> None:
    """A non-local seat from the inspected county itself breaks R3."""
    case = three_counties_rotation.with_cadre("X4", residence=(), workplace=())
    found = check(case, replace_seat(case.plan, "Z3", cadre_id="X4"))
    assert any(v.rule == "R3" and "本县区" in v.zh and v.cadre_id == "X4" for v in found)


def test_r3_pool_split_over_two_counties(three_counties_rotation: Case) -> None:
    """A pool sent to two counties breaks R3 (a pool goes as a body)."""
    case = three_counties_rotation
    plan = replace_seat(replace_seat(case.plan, "X2", cadre_id="Z2#"), "Z2", cadre_id="X2")
    plan = replace_seat(plan, "Z2#", cadre_id="Z2")
    found = check(case, plan)
    assert any(v.rule == "R3" and "漳浦县的干部被派往多个县区" in v.zh for v in found)
    assert any(v.rule == "R3" and "接收了多个县区" in v.zh for v in found)


def test_r3_repeated_arc_from_history(three_counties_rotation: Case) -> None:
    """An arc used in a looked-back round breaks R3; outside the window it is allowed."""
    old = HistoryRecord(round="2023年第二轮", cadre_id="L9", place="漳浦县", from_county="龙文区")
    case = three_counties_rotation.with_history(old)
    found = check(case)
    assert rule_ids(found) == {"R3"}
    assert "龙文区→漳浦县" in found[0].zh and "2023年第二轮" in found[0].zh
    assert check(case.with_rules(history_rounds=1)) == []


def two_county_case(gazetteer: Gazetteer, **rules: object) -> Case:
    cadres = [
        cadre("X1", "张伟", "芗城区", roles=("leader",)),
        cadre("X2", "李娜", "芗城区"),
        cadre("L1", "陈静", "龙文区", roles=("leader",)),
        cadre("L2", "刘洋", "龙文区"),
    ]
    targets = [Target(id="T1", name="芗城区", location="芗城区"), Target(id="T2", name="龙文区", location="龙文区")]
    plan = plan_of(
        {"1": ("T1", [("L1", "leader"), ("L2", "member")]), "2": ("T2", [("X1", "leader"), ("X2", "member")])}
    )
    return Case(
        book_of(cadres, targets),
        Rules.model_validate({"mode": "rotation", "team_size": 2, "deputies": 0, **rules}),
        plan,
        gazetteer,
    )


def test_r3_reciprocal(gazetteer: Gazetteer) -> None:
    """芗城→龙文 and 龙文→芗城 in one round break R3 unless reciprocity is allowed."""
    found = check(two_county_case(gazetteer))
    assert rule_ids(found) == {"R3"}
    assert "互派" in found[0].zh
    assert check(two_county_case(gazetteer, forbid_reciprocal=False)) == []


def test_r3_single_cycle(gazetteer: Gazetteer) -> None:
    """Two 2-cycles among four counties break single_cycle; without it they are fine."""
    counties = ["芗城区", "龙文区", "龙海区", "漳浦县"]
    cadres = [
        cadre(f"C{k}{n}", f"干部{k}{n}", c, roles=("leader", "member")) for k, c in enumerate(counties) for n in (1, 2)
    ]
    targets = [Target(id=f"T{k}", name=c, location=c) for k, c in enumerate(counties)]
    plan = plan_of(
        {str(k + 1): (f"T{k}", [(f"C{src}1", "leader"), (f"C{src}2", "member")]) for k, src in enumerate([1, 0, 3, 2])}
    )
    rules = rules_of(mode="rotation", team_size=(2, 2), deputies=(0, 0), forbid_reciprocal=False)
    case = Case(book_of(cadres, targets), rules, plan, gazetteer)
    found = check(case)
    assert rule_ids(found) == {"R3"}
    assert "2个循环" in found[0].zh
    assert check(case.with_rules(single_cycle=False)) == []


def test_r3_every_pool_must_go_somewhere(three_counties_rotation: Case) -> None:
    """A pool that sends nobody (龙海区, no target either) leaves the single cycle incomplete."""
    case = three_counties_rotation
    cadres = (*case.book.cadres, cadre("H1", "林涛", "龙海区"))
    extra = case.book.model_copy(update={"cadres": cadres})
    found = check(Case(extra, case.rules, case.plan, case.gazetteer))
    assert rule_ids(found) == {"R3"}
    assert {v.zh for v in found} >= {
        "龙海区的干部未派往任何县区（R3 推磨式单一循环）",
        "龙海区未接收任何县区的干部（R3 推磨式单一循环）",
    }


def test_r3_declared_arcs_must_match_seats(three_counties_rotation: Case) -> None:
    """A rotation sheet that disagrees with the seats breaks R3."""
    case = three_counties_rotation
    arcs = arcs_for(case, [("芗城区", "漳浦县"), ("漳浦县", "龙文区"), ("龙文区", "芗城区")])
    found = check(case, Plan(teams=case.plan.teams, arcs=arcs))
    assert rule_ids(found) == {"R3"}
    assert any("轮换表未列出芗城区→龙文区" in v.zh for v in found)


# ---- R4 mixed ------------------------------------------------------------------------


def test_r4_member_from_target_county(mixed_two_targets: Case) -> None:
    """A non-local member from the target's own county breaks R4."""
    case = mixed_two_targets.with_cadre("D2", residence=("龙海区",), workplace=("龙海区",))
    found = check(case, replace_seat(case.plan, "E2", cadre_id="D2"))
    assert rule_ids(found) == {"R4"}
    assert found[0].cadre_id == "D2" and "周敏" in found[0].zh


def test_r4_county_cap(mixed_two_targets: Case) -> None:
    """More than max_from_same_county members from one county breaks R4."""
    found = check(mixed_two_targets.with_rules(max_from_same_county=1))
    assert rule_ids(found) == {"R4"}
    assert found[0].team_id == "2" and "龙文区" in found[0].zh


# ---- R5 local roles ------------------------------------------------------------------


def test_r5_local_role_from_another_county(mixed_two_targets: Case) -> None:
    """A local liaison must come from the inspected county."""
    case = mixed_two_targets
    plan = replace_seat(replace_seat(case.plan, "D1", team_id="2", target_id="U2"), "E1", team_id="1", target_id="U1")
    found = check(case, plan)
    assert rule_ids(found) == {"R5"}
    assert {v.cadre_id for v in found} == {"D1", "E1"}


# ---- R6 composition -------------------------------------------------------------------


def test_r6_leader_count(three_counties_rotation: Case) -> None:
    """A team without its leader breaks R6."""
    case = three_counties_rotation
    found = check(case, replace_seat(case.plan, "Z1", role="member"))
    assert rule_ids(found) == {"R6"}
    assert "组长0名" in found[0].zh


def test_r6_deputy_count_and_eligibility(three_counties_rotation: Case) -> None:
    """Two deputies and a deputy not eligible for the role both break R6."""
    case = three_counties_rotation
    found = check(case, replace_seat(case.plan, "Z3", role="deputy"))
    assert rule_ids(found) == {"R6"}
    assert any("副组长2名" in v.zh for v in found)
    assert any("可任角色" in v.zh and v.cadre_id == "Z3" for v in found)


def test_r6_target_size_overrides_rules(mixed_two_targets: Case) -> None:
    """A target's own 人数 overrides team_size."""
    found = check(mixed_two_targets.with_target("U1", size=5))
    assert rule_ids(found) == {"R6"}
    assert "应为5人" in found[0].zh


@pytest.mark.parametrize("rank", ["", "正科"])
def test_r6_leader_rank(three_counties_rotation: Case, rank: str) -> None:
    """A leader below leader_min_rank, or without a rank, breaks R6."""
    found = check(three_counties_rotation.with_cadre("Z1", rank=rank))
    assert rule_ids(found) == {"R6"}
    assert "组长职级" in found[0].zh


def test_r6_required_skill(three_counties_rotation: Case) -> None:
    """A team without the globally required skill breaks R6."""
    found = check(three_counties_rotation.with_cadre("Z1", skills=()))
    assert rule_ids(found) == {"R6"}
    assert "纪检监察" in found[0].zh and found[0].team_id == "1"


def test_r6_target_skill(mixed_two_targets: Case) -> None:
    """A team without a skill its target asks for breaks R6."""
    found = check(mixed_two_targets.with_target("U1", skills=("审计",)))
    assert rule_ids(found) == {"R6"}
    assert "审计" in found[0].zh


def test_r6_min_women(three_counties_rotation: Case) -> None:
    """A team with fewer women than min_women breaks R6."""
    case = three_counties_rotation.with_rules(min_women=1)
    assert check(case) == []
    found = check(case.with_cadre("Z2", gender="M"))
    assert rule_ids(found) == {"R6"}
    assert "女干部0名" in found[0].zh


def test_r6_unavailable_cadre(three_counties_rotation: Case) -> None:
    """A cadre marked unavailable in the cadre sheet may not be seated."""
    found = check(three_counties_rotation.with_cadre("Z3", available=False))
    assert rule_ids(found) == {"R6"}
    assert found[0].cadre_id == "Z3"


# ---- R7 history ---------------------------------------------------------------------


def test_r7_history_place(three_counties_rotation: Case) -> None:
    """A cadre who inspected a place inside the target area breaks R7, inside the window only."""
    old = HistoryRecord(round="2023年第二轮", cadre_id="X3", place="龙文区郭坑镇")
    case = three_counties_rotation.with_history(old)
    found = check(case)
    assert rule_ids(found) == {"R7"}
    assert found[0].cadre_id == "X3" and "郭坑镇" in found[0].zh
    assert check(case.with_rules(history_rounds=1)) == []


# ---- R8 sanctions ---------------------------------------------------------------------


def leader_marks(cadre_id: str, marks: dict[str, bool]) -> list[HistoryRecord]:
    return [
        HistoryRecord(round=r, cadre_id=cadre_id, place="龙海区", role=Role.LEADER, last_ranked=last)
        for r, last in marks.items()
    ]


def test_r8_three_times_last_excludes(three_counties_rotation: Case) -> None:
    """A cadre ranked last as leader three times may not be seated at all, not even as member."""
    records = leader_marks("Z3", {"2021年第一轮": True, "2022年第一轮": True, "2023年第一轮": True})
    found = check(three_counties_rotation.with_history(*records))
    assert rule_ids(found) == {"R8"}
    assert found[0].cadre_id == "Z3" and "累计3次末位" in found[0].zh


def test_r8_two_consecutive_lasts_suspend_leading(three_counties_rotation: Case) -> None:
    """Last in 第九轮 and 第十轮 (natural order, not text order) suspends leading."""
    records = leader_marks("Z1", {"第二轮": False, "第九轮": True, "第十轮": True})
    case = three_counties_rotation.with_history(*records)
    found = check(case)
    assert rule_ids(found) == {"R8"}
    assert "连续两轮末位（第九轮、第十轮）" in found[0].zh


def test_r8_non_consecutive_lasts_do_not_suspend(three_counties_rotation: Case) -> None:
    """Two lasts with another evaluated round between them are not consecutive."""
    records = [*leader_marks("Z1", {"第二轮": True, "第十轮": True}), *leader_marks("X1", {"第九轮": False})]
    assert check(three_counties_rotation.with_history(*records)) == []


def test_round_order_is_natural() -> None:
    """Round labels sort by their numbers, Chinese numerals included."""
    labels = ["2025年第一轮", "第十轮", "第二轮", "2024年第十二轮", "第九轮", "2024年第二轮"]
    assert sorted(labels, key=natural_round_key) == [
        "2024年第二轮",
        "2024年第十二轮",
        "2025年第一轮",
        "第二轮",
        "第九轮",
        "第十轮",
    ]


# ---- R9 decisions -------------------------------------------------------------------


def test_r9_pin(three_counties_rotation: Case) -> None:
    """A pinned cadre must sit on the pinned team, in the pinned role if one is given."""
    case = three_counties_rotation
    ok = Decision(kind=DecisionKind.PIN, cadre_id="X1", target_id="T2")
    assert check(case.with_decisions(ok)) == []
    wrong_role = Decision(kind=DecisionKind.PIN, cadre_id="X1", target_id="T2", role=Role.DEPUTY)
    found = check(case.with_decisions(wrong_role))
    assert rule_ids(found) == {"R9"}
    assert "张伟" in found[0].zh and "龙文区" in found[0].zh
    unseated = Decision(kind=DecisionKind.PIN, cadre_id="X4", target_id="T2")
    assert rule_ids(check(case.with_decisions(unseated))) == {"R9"}


def test_r9_ban(three_counties_rotation: Case) -> None:
    """Two banned cadres may not sit on one team; on different teams they may."""
    case = three_counties_rotation
    assert check(case.with_decisions(Decision(kind=DecisionKind.BAN, cadre_id="X1", other_cadre_id="L1"))) == []
    found = check(case.with_decisions(Decision(kind=DecisionKind.BAN, cadre_id="X1", other_cadre_id="X2")))
    assert rule_ids(found) == {"R9"}
    assert "李娜" in found[0].zh and "张伟" in found[0].zh


def test_r9_unavailable(three_counties_rotation: Case) -> None:
    """A cadre declared unavailable by decision may not be seated."""
    found = check(three_counties_rotation.with_decisions(Decision(kind=DecisionKind.UNAVAILABLE, cadre_id="Z3")))
    assert rule_ids(found) == {"R9"}
    assert found[0].cadre_id == "Z3"


# ---- properties -----------------------------------------------------------------------

_FIXTURE_OK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FIXTURE_OK
@given(data=st.data())
def test_order_of_teams_and_seats_does_not_matter(three_counties_rotation: Case, data: st.DataObject) -> None:
    """Shuffling teams and seats of a valid plan keeps it valid."""
    teams = [
        t.model_copy(update={"seats": tuple(data.draw(st.permutations(t.seats)))})
        for t in three_counties_rotation.plan.teams
    ]
    plan = Plan(teams=tuple(data.draw(st.permutations(teams))))
    assert check(three_counties_rotation, plan) == []


MUTATIONS = ("drop", "duplicate", "move", "role", "spare", "swap")


@_FIXTURE_OK
@given(kind=st.sampled_from(MUTATIONS), data=st.data())
def test_planted_violations_are_caught(three_counties_rotation: Case, kind: str, data: st.DataObject) -> None:
    """Every mutation that must break a rule of the rotation instance is reported."""
    case = three_counties_rotation
    seats = case.plan.seats()
    k = data.draw(st.integers(0, len(seats) - 1), label="seat")
    seat = seats[k]
    others = [t for t in case.plan.teams if t.team_id != seat.team_id]
    other = data.draw(st.sampled_from(others), label="other team")
    moved = seat.model_copy(update={"team_id": other.team_id, "target_id": other.target_id})
    expect: set[str]
    if kind == "drop":  # team size and role counts are exact
        mutated, expect = seats[:k] + seats[k + 1 :], {"R6"}
    elif kind == "duplicate":
        mutated, expect = [*seats, moved], {"R6"}
    elif kind == "move":
        mutated, expect = [*seats[:k], moved, *seats[k + 1 :]], {"R6"}
    elif kind == "role":  # one leader, one deputy, one member per team: any change breaks
        role = data.draw(st.sampled_from([r for r in Role if r is not seat.role]), label="role")
        mutated = [*seats[:k], seat.model_copy(update={"role": role}), *seats[k + 1 :]]
        expect = {"R6"}
    elif kind == "spare":  # 郑宇 fits nowhere, 孙丽 is unavailable
        spare = data.draw(st.sampled_from(["X4", "Z4"]), label="spare")
        mutated = [*seats[:k], seat.model_copy(update={"cadre_id": spare}), *seats[k + 1 :]]
        expect = {"R1", "R3", "R6"}
    else:  # swapping two cadres sends one home (3-cycle) or into a role they cannot hold
        m = data.draw(st.integers(0, len(seats) - 1).filter(lambda m: m != k), label="other seat")
        a, b = seats[k], seats[m]
        mutated = list(seats)
        mutated[k] = a.model_copy(update={"cadre_id": b.cadre_id})
        mutated[m] = b.model_copy(update={"cadre_id": a.cadre_id})
        expect = {"R3", "R6"}
    found = check(case, Plan.from_seats(mutated))
    assert found, f"{kind} not caught"
    assert rule_ids(found) & expect, (kind, rule_ids(found))


_HIDDEN = st.sampled_from(
    [
        "\u200f",
        "\u200e",
        "\u00ad",
        "\u200b",
        "\u2060",
        "\u3164",
        "\ufeff",
        "\ufe0f",
        "\u202e",
        "\u2066",
        " ",
        "\u3000",
        "\u00a0",
        "\u2800",
        "\U000e0041",
    ]
)


@st.composite
def alias_of(draw: st.DrawFn, cid: str) -> str:
    """Another spelling of ``cid``: hidden characters or spaces inserted, letters made full width."""
    chars = [chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() and draw(st.booleans()) else ch for ch in cid]
    for _ in range(draw(st.integers(0 if chars != list(cid) else 1, 3))):
        chars.insert(draw(st.integers(0, len(chars))), draw(_HIDDEN))
    return "".join(chars)


@_FIXTURE_OK
@given(data=st.data())
def test_planted_duplicate_person_is_caught(three_counties_rotation: Case, data: st.DataObject) -> None:
    """A second seat for one person under another spelling of the id is R6, whether the
    input holds that spelling as a copied row or not at all."""
    case = three_counties_rotation
    seats = case.plan.seats()
    seat = data.draw(st.sampled_from(seats), label="seat")
    alias = data.draw(alias_of(seat.cadre_id), label="alias")
    assert alias != seat.cadre_id
    if data.draw(st.booleans(), label="copied row in the input"):
        case = with_copied_cadre(case, seat.cadre_id, alias)
    other = data.draw(st.sampled_from([t for t in case.plan.teams if t.team_id != seat.team_id]))
    extra = seat.model_copy(update={"cadre_id": alias, "team_id": other.team_id, "target_id": other.target_id})
    if data.draw(st.booleans(), label="replaces a seat"):  # else an extra seat in that team
        victim = data.draw(st.sampled_from(other.seats))
        seats = [s for s in seats if s != victim]
    found = check(case, Plan.from_seats([*seats, extra]))
    assert any(v.rule == "R6" and "several seats" in v.en and v.cadre_id in (seat.cadre_id, alias) for v in found), (
        found
    )


# ---- one verifier for many plans ------------------------------------------------------


def renumber(plan: Plan, old: str, new: str) -> Plan:
    """The plan with team ``old`` called ``new``, its seats included."""
    seats = [s.model_copy(update={"team_id": new}) if s.team_id == old else s for s in plan.seats()]
    return Plan.from_seats(seats, plan.arcs)


@pytest.mark.parametrize("fixture", ["three_counties_rotation", "mixed_two_targets"])
def test_reused_verifier_matches_a_fresh_one(fixture: str, request: pytest.FixtureRequest) -> None:
    """``verifier`` keeps what the input alone decides; every plan still gets its own findings.

    Every cadre in every seat, and every seat moved to every team, checked in turn by one
    verifier, gives what ``verify`` gives each plan alone: nothing found for one plan
    (a seat's conflicts, a team's shape) carries over to the next.
    """
    from crossinspect.verify import verifier

    case: Case = request.getfixturevalue(fixture)
    problem = case.problem
    seats = case.plan.seats()
    plans = [case.plan]
    for seat in seats:
        plans.extend(
            replace_seat(case.plan, seat.cadre_id, cadre_id=c.id) for c in problem.cadres if c.id != seat.cadre_id
        )
        plans.extend(
            replace_seat(case.plan, seat.cadre_id, team_id=t.team_id, target_id=t.target_id)
            for t in case.plan.teams
            if t.team_id != seat.team_id
        )
        plans.extend(replace_seat(case.plan, seat.cadre_id, role=r.value) for r in Role if r is not seat.role)
    # The same seats under another team number: findings name the team they belong to.
    plans.extend([renumber(plan, case.plan.teams[0].team_id, "9") for plan in plans])
    reused = verifier(problem)
    results = [reused(plan) for plan in plans]
    assert any(results) and not results[0]
    for plan, found in zip(plans, results, strict=True):
        assert found == verify(problem, plan)
    # Backwards too: the first plan checked must not decide what later ones report.
    again = verifier(problem)
    for plan, found in zip(reversed(plans), reversed(results), strict=True):
        assert again(plan) == found


# ---- planted avoidance violations (issue 15) --------------------------------------------

_CONTAINING = ("福建省", "漳州市", "福建省漳州市", "漳州")
_FIELDS = ("residence", "workplace", "postings", "upbringing")


@_FIXTURE_OK
@given(data=st.data())
def test_planted_containing_place_is_caught(three_counties_rotation: Case, data: st.DataObject) -> None:
    """A place that contains the target (the city or the province of every target) planted
    in any avoidance cell of any seated cadre is an R1 conflict for that cadre."""
    case = three_counties_rotation
    seat = data.draw(st.sampled_from(case.plan.seats()), label="seat")
    field = data.draw(st.sampled_from(_FIELDS), label="field")
    place = data.draw(st.sampled_from(_CONTAINING), label="place")
    found = check(case.with_cadre(seat.cadre_id, **{field: (place,)}))
    assert ("R1", seat.cadre_id) in {(v.rule, v.cadre_id) for v in found}


def _near_misses(target: Target) -> list[str]:
    """Ways a clerk misspells a unit target: a look-alike id, a dropped 县, one character
    off, the place written before the unit."""
    return [
        target.id.replace("1", "l").replace("2", "Z"),
        target.name.replace("县", "", 1),
        target.name[:-1] + "所",
        "福建省漳州市" + target.name,
    ]


@_FIXTURE_OK
@given(data=st.data())
def test_planted_near_miss_declared_conflict_is_caught(mixed_two_targets: Case, data: st.DataObject) -> None:
    """A 回避 entry that misses the target of the cadre's own seat by a look-alike, a suffix,
    one character or a place before the unit is still an R2 conflict for that seat."""
    case = mixed_two_targets
    seat = data.draw(st.sampled_from(case.plan.seats()), label="seat")
    target = next(t for t in case.problem.targets if t.id == seat.target_id)
    entry = data.draw(st.sampled_from(_near_misses(target)), label="entry")
    planted = case.with_cadre(seat.cadre_id, conflicts=(entry,))
    found = check(planted)
    assert ("R2", seat.cadre_id) in {(v.rule, v.cadre_id) for v in found}, entry
    # The model reads it the same way: the seat does not exist for the solver.
    i, j = planted.problem.cadre_index[seat.cadre_id], planted.problem.target_index[seat.target_id]
    assert any(b.rule == "R2" for b in planted.problem.blocks.get((i, j), ()))
