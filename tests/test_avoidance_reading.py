"""Issue 15: nothing slips past the avoidance rules.

Places that contain the target area, 回避 entries written loosely, bare names read in the
round's region, and manual decisions printed on the roster. Each test names the case
that slipped through before: the solver, the audit and the verifier must all agree.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from crossinspect import solve
from crossinspect.domain.errors import InputError, Severity
from crossinspect.domain.models import Cadre, Decision, DecisionKind, Role, Target
from crossinspect.domain.plan import Plan, Seat
from crossinspect.io.audit import Verdict, audit_rows
from crossinspect.io.roster import write_roster
from crossinspect.problem import Problem
from crossinspect.verify import verify
from factories import cadre as _cadre
from factories import make_problem, pin, target


def cadre(cid: str, county: str, **kw: object) -> Cadre:
    """A cadre who declared every place (no 未填报 to get in the way)."""
    kw.setdefault("postings", (county,))
    kw.setdefault("upbringing", (county,))
    return _cadre(cid, county, **kw)  # type: ignore[arg-type]


def codes(problem: Problem, severity: Severity = Severity.WARNING) -> list[str]:
    return [w.code for w in problem.warnings if w.severity is severity]


def seat_plan(problem: Problem, teams: dict[str, list[tuple[str, Role]]]) -> Plan:
    """A plan from {target id: [(cadre id, role), …]}, teams numbered in target order."""
    seats = []
    for j, t in enumerate(problem.targets):
        for cid, role in teams.get(t.id, []):
            seats.append(Seat(team_id=str(j + 1), target_id=t.id, cadre_id=cid, role=role))
    return Plan.from_seats(seats)


# ---- containment is conflict ----------------------------------------------------------------


def zhenghe_township_round(**rules: object) -> Problem:
    """Two township teams in 政和县 and two in 松溪县; 政和's ex-official G1 (任职地 政和县)
    is the only leader from outside 松溪 and 政和 apart from S-side leaders."""
    cadres = [
        cadre("G1", "建瓯市", roles=("组长",), postings=("政和县",), name="王政"),
        cadre("G2", "建瓯市", roles=("组长",), name="李建"),
        cadre("G3", "建瓯市", roles=("组长",), name="陈瓯"),
        cadre("G4", "建瓯市", roles=("组长",), name="林一"),
        *(cadre(f"D{k}", "建阳区", roles=("副组长",)) for k in range(4)),
        *(cadre(f"M{k}", "建阳区") for k in range(4)),
    ]
    targets = [
        target("Z1", "政和县熊山街道"),
        target("Z2", "政和县东平镇"),
        target("S1", "松溪县郑墩镇"),
        target("S2", "松溪县渭田镇"),
    ]
    base: dict[str, object] = {"mode": "mixed", "level": "township", "max_from_same_county": 3}
    base.update(rules)
    return make_problem(cadres, targets, **base)


def test_county_posting_bars_its_townships() -> None:
    """Before: 任职地 政和县 was 无法判定 against a township of 政和县, and its holder could
    lead the team sent there. Now the model bars the seat, the solver keeps him off it,
    and a hand-edited plan that seats him there is a conflict in the audit and the verifier."""
    problem = zhenghe_township_round()
    g1 = problem.cadre_index["G1"]
    for tid in ("Z1", "Z2"):
        (block,) = problem.blocks[(g1, problem.target_index[tid])]
        assert (block.rule, block.field, block.contains) == ("R1", "postings", True)
    assert (g1, problem.target_index["S1"]) not in problem.blocks

    result = solve(problem, seed=3, time_limit=20, workers=1)
    assert result.plan is not None and not result.violations
    placed = {s.cadre_id: s.target_id for s in result.plan.seats()}
    assert placed["G1"] in ("S1", "S2")

    hand = seat_plan(
        problem,
        {
            "Z1": [("G1", Role.LEADER), ("D0", Role.DEPUTY), ("M0", Role.MEMBER)],
            "Z2": [("G2", Role.LEADER), ("D1", Role.DEPUTY), ("M1", Role.MEMBER)],
            "S1": [("G3", Role.LEADER), ("D2", Role.DEPUTY), ("M2", Role.MEMBER)],
            "S2": [("G4", Role.LEADER), ("D3", Role.DEPUTY), ("M3", Role.MEMBER)],
        },
    )
    found = verify(problem, hand)
    assert [(v.rule, v.cadre_id) for v in found] == [("R1", "G1")]
    assert "任职地「政和县」含巡察地" in found[0].zh
    row = next(a for a in audit_rows(problem, hand) if a.cadre_id == "G1")
    assert row.verdict is Verdict.CONFLICT
    assert row.zh.startswith("冲突：任职地：「政和县」含巡察地")


def test_review_mode_allows_the_seat_and_marks_it() -> None:
    """coarse_places = "review": the seat is allowed, its audit reads 待核实, and check
    lists the place (a warning naming the cell)."""
    problem = zhenghe_township_round(coarse_places="review")
    g1 = problem.cadre_index["G1"]
    assert (g1, problem.target_index["Z1"]) not in problem.blocks
    assert problem.containments[(g1, problem.target_index["Z1"])] == (("postings", "政和县"),)
    review = [w for w in problem.warnings if w.code == "coarse-place-review"]
    assert len(review) == 1 and "王政" in review[0].zh and review[0].column == "任职地"
    hand = seat_plan(
        problem,
        {
            "Z1": [("G1", Role.LEADER), ("D0", Role.DEPUTY), ("M0", Role.MEMBER)],
            "Z2": [("G2", Role.LEADER), ("D1", Role.DEPUTY), ("M1", Role.MEMBER)],
            "S1": [("G3", Role.LEADER), ("D2", Role.DEPUTY), ("M2", Role.MEMBER)],
            "S2": [("G4", Role.LEADER), ("D3", Role.DEPUTY), ("M3", Role.MEMBER)],
        },
    )
    assert verify(problem, hand) == []
    row = next(a for a in audit_rows(problem, hand) if a.cadre_id == "G1")
    assert row.verdict is Verdict.REVIEW
    assert row.fields[2].verdict is Verdict.REVIEW and "含巡察地" in row.fields[2].zh


def test_city_residence_bars_every_county_of_the_city() -> None:
    """Before: a 居住地 written only as 漯河市 let its cadre go anywhere in 漯河. Now it bars
    every county of the city, and check names the cadre and the cell (more than half)."""
    cadres = [
        cadre("A1", "源汇区", roles=("组长",), residence=("漯河市",), name="赵城"),
        cadre("A2", "源汇区", roles=("组长",)),
        cadre("B1", "郾城区", roles=("组长",)),
        cadre("C1", "召陵区", roles=("组长",)),
    ]
    targets = [target("T1", "郾城区"), target("T2", "召陵区"), target("T3", "舞阳县")]
    problem = make_problem(cadres, targets, mode="mixed", team_size=[1, 1], deputies=[0, 0])
    a1 = problem.cadre_index["A1"]
    assert all((a1, j) in problem.blocks for j in range(3))
    (warning,) = [w for w in problem.warnings if w.code == "coarse-place"]
    assert "赵城" in warning.zh and "3/3" in warning.zh and warning.column == "居住地"


def test_strict_makes_a_containing_place_an_error() -> None:
    """--strict: a place coarser than the level that contains a target is an input error."""
    with pytest.raises(InputError) as err:
        zhenghe_township_round(strict=True)
    (issue,) = err.value.issues
    assert issue.code == "coarse-place" and "王政" in issue.zh and issue.column == "任职地"


# ---- declared conflicts (回避) read like places ----------------------------------------------


def longyan_units(*conflicts: str, **rules: object) -> Problem:
    """Unit targets in 长汀县 and 武平县, inspected by 上杭县 and 连城县 cadres; Q1 declares
    ``conflicts``."""
    cadres = [
        cadre("Q1", "上杭县", roles=("组长",), conflicts=conflicts, name="钱明"),
        cadre("Q2", "上杭县", roles=("组长",)),
        cadre("Q3", "连城县", roles=("组长",)),
    ]
    targets = [
        Target(id="LY10", name="长汀县水利局", location="长汀县"),
        Target(id="LY11", name="长汀县财政局", location="长汀县"),
        Target(id="LY12", name="武平县水利局", location="武平县"),
    ]
    base: dict[str, object] = {"mode": "mixed", "team_size": [1, 1], "deputies": [0, 0]}
    base.update(rules)
    return make_problem(cadres, targets, **base)


def barred(problem: Problem, cid: str) -> set[str]:
    i = problem.cadre_index[cid]
    return {
        problem.targets[j].id for (k, j), bs in problem.blocks.items() if k == i and any(b.rule == "R2" for b in bs)
    }


@pytest.mark.parametrize(
    ("entry", "meant"),
    [
        ("LY1O", {"LY10"}),  # a look-alike letter O for the digit 0
        ("长汀水利局", {"LY10"}),  # 县 dropped
        ("福建省长汀县水利局", {"LY10"}),  # the unit after its full place
        ("长汀县水务局", {"LY10"}),  # one character off
    ],
)
def test_near_miss_is_a_conflict_and_a_warning(entry: str, meant: set[str]) -> None:
    """Before: each of these matched nothing and was dropped; the cadre could be sent to
    exactly that unit. Now it bars the unit, warns naming the cell and what it was taken
    to mean, and the verifier catches a plan that seats him there."""
    problem = longyan_units(entry)
    assert barred(problem, "Q1") == meant
    (warning,) = [w for w in problem.warnings if w.code == "declared-close"]
    assert entry in warning.zh and "LY10" in warning.zh and warning.column == "回避"
    hand = seat_plan(
        problem, {"LY10": [("Q1", Role.LEADER)], "LY11": [("Q2", Role.LEADER)], "LY12": [("Q3", Role.LEADER)]}
    )
    assert [(v.rule, v.cadre_id) for v in verify(problem, hand)] == [("R2", "Q1")]
    row = next(a for a in audit_rows(problem, hand) if a.cadre_id == "Q1")
    assert row.verdict is Verdict.CONFLICT


def test_unit_of_a_place_without_a_target_bars_the_place() -> None:
    """长汀县林业局 is no target: the unit lies in 长汀县, so 长汀's targets are barred."""
    problem = longyan_units("长汀县林业局")
    assert barred(problem, "Q1") == {"LY10", "LY11"}
    assert codes(problem) == ["declared-close"]


def test_unmatched_entry_is_a_warning_and_never_pass() -> None:
    """An entry that names nothing (a relative's name) is a warning naming the cell; the
    audit shows 未匹配, not 通过, on every seat of that cadre."""
    problem = longyan_units("张三")
    assert barred(problem, "Q1") == set()
    (warning,) = [w for w in problem.warnings if w.code == "declared-unmatched"]
    assert "张三" in warning.zh and "钱明" in warning.zh
    hand = seat_plan(
        problem, {"LY12": [("Q1", Role.LEADER)], "LY10": [("Q2", Role.LEADER)], "LY11": [("Q3", Role.LEADER)]}
    )
    assert verify(problem, hand) == []
    row = next(a for a in audit_rows(problem, hand) if a.cadre_id == "Q1")
    assert row.fields[4].verdict is Verdict.UNMATCHED
    assert row.verdict is Verdict.UNMATCHED and row.zh.startswith("未匹配")


def test_exact_entries_need_no_warning() -> None:
    """An id, a name and a place written exactly (spacing and width aside) are read silently."""
    problem = longyan_units("ＬＹ１２", " 长汀县 财政局", "武平")
    assert barred(problem, "Q1") == {"LY11", "LY12"}
    assert codes(problem) == []


@pytest.mark.parametrize("entry", ["LY1O", "张三"])
def test_strict_makes_near_and_unmatched_entries_errors(entry: str) -> None:
    with pytest.raises(InputError) as err:
        longyan_units(entry, strict=True)
    assert [i.code for i in err.value.issues] in (["declared-close"], ["declared-unmatched"])


# ---- bare names read in the round's region ---------------------------------------------------


def yongding_round(location: str, pool: str = "上杭县", **rules: object) -> Problem:
    cadres = [cadre("P1", pool, roles=("组长",)), cadre("P2", "连城县", roles=("组长",))]
    targets = [target("T1", location), target("T2", "长汀县")]
    base: dict[str, object] = {"mode": "mixed", "team_size": [1, 1], "deputies": [0, 0]}
    base.update(rules)
    return make_problem(cadres, targets, **base)


def test_bare_location_is_read_in_the_inferred_region() -> None:
    """永定区 is in 龙岩 and in 张家界; the other targets and pools are in 龙岩, so it is
    龙岩's, with a warning saying so."""
    problem = yongding_round("永定区")
    assert problem.target_location[0].codes == ("350803",)
    (warning,) = [w for w in problem.warnings if w.code == "read-in-region"]
    assert "福建省龙岩市永定区" in warning.zh and warning.column == "所在地"


def test_region_rule_decides() -> None:
    """``region`` wins over the inference: 湖南省 reads 永定区 as 张家界's."""
    cadres = [cadre("P1", "慈利县", roles=("组长",)), cadre("P2", "桑植县", roles=("组长",))]
    problem = make_problem(
        cadres,
        [target("T1", "永定区"), target("T2", "武陵源区")],
        mode="mixed",
        team_size=[1, 1],
        deputies=[0, 0],
        region="湖南省",
    )
    assert problem.target_location[0].codes == ("430802",)


def test_bare_pool_is_read_in_the_region() -> None:
    """The 所属县区 column is read the same way."""
    problem = yongding_round("武平县", pool="永定区")
    assert problem.cadre_county[0] == "350803"
    assert [w.column for w in problem.warnings if w.code == "read-in-region"] == ["所属县区"]


def test_undecided_region_is_still_an_error() -> None:
    """With a region that holds both (China-wide, inferred from 北京 and 福建), exit 2."""
    cadres = [cadre("P1", "北京市东城区", roles=("组长",)), cadre("P2", "连城县", roles=("组长",))]
    with pytest.raises(InputError) as err:
        make_problem(
            cadres, [target("T1", "永定区"), target("T2", "长汀县")], mode="mixed", team_size=[1, 1], deputies=[0, 0]
        )
    assert [i.code for i in err.value.issues] == ["ambiguous-location"]


def test_unknown_region_is_an_error() -> None:
    with pytest.raises(InputError) as err:
        yongding_round("永定区", region="鼓楼区")
    assert "bad-region" in [i.code for i in err.value.issues]


# ---- manual decisions are printed ------------------------------------------------------------


def test_decisions_are_printed_and_the_pinned_seat_says_so(tmp_path: Path) -> None:
    """Every pin, ban and unavailability, with its 说明, is on the 人工决定 sheet, and the
    audit row of the pinned seat says 指定 with the note."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",), name="甲"),
        cadre("A2", "芗城区", roles=("组长",), name="乙"),
        cadre("B1", "龙文区", roles=("组长",), name="丙"),
        cadre("B2", "龙文区", roles=("组长",), name="丁", available=False),
    ]
    decisions = [
        pin("A1", "T2", Role.LEADER).model_copy(update={"note": "书记办公会决定"}),
        Decision(kind=DecisionKind.BAN, cadre_id="A2", other_cadre_id="B1", note="亲属"),
        Decision(kind=DecisionKind.UNAVAILABLE, cadre_id="A2", note="病假"),
    ]
    problem = make_problem(
        cadres,
        [target("T1", "芗城区"), target("T2", "龙文区")],
        decisions=decisions,
        mode="mixed",
        team_size=[1, 1],
        deputies=[0, 0],
    )
    result = solve(problem, seed=1, time_limit=10, workers=1)
    assert result.plan is not None and not result.violations
    row = next(a for a in audit_rows(problem, result.plan) if a.cadre_id == "A1")
    assert row.zh == "通过（指定：书记办公会决定）"
    path = write_roster(problem, result, tmp_path / "roster.xlsx")
    ws = openpyxl.load_workbook(path)["人工决定"]
    text = "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)
    for expected in ("指定", "书记办公会决定", "禁配", "亲属", "病假", "丁", "干部表「可用」为否"):
        assert expected in text
