"""The catalogue of rules: every rule instance the model states has one name, and every
finding and explanation prints it, never a raw label."""

from __future__ import annotations

from crossinspect.diagnose.explain import GUARDED_KINDS, describe
from crossinspect.diagnose.precheck import precheck
from crossinspect.domain.catalogue import CATALOGUE, Kind
from crossinspect.domain.models import Role
from crossinspect.solver import build_model
from factories import ban, history, make_problem, pin, pool, target


def test_every_kind_has_an_entry() -> None:
    assert set(CATALOGUE) == set(Kind)
    for kind, entry in CATALOGUE.items():
        assert entry.rule.startswith("R") and entry.zh and entry.en, kind


def _guarded_round(mode: str) -> object:
    """A round that states every guarded kind: pins, bans, skills, women, local roles, history."""
    cadres = [
        c
        for n, county in enumerate(("芗城区", "龙文区", "漳浦县"))
        for c in pool(county, "ABC"[n], leaders=2, deputies=2, members=3, skills=("审计",))
    ]
    targets = [target(f"T{n}", c) for n, c in enumerate(("芗城区", "龙文区", "漳浦县"))]
    extra = {"local_roles": ["联络员"], "liaisons": [0, 1]} if mode == "mixed" else {}
    return make_problem(
        cadres,
        targets,
        mode=mode,
        team_size=[3, 4],
        min_women=0,
        leader_min_rank="正科",
        required_skills={"审计": 1},
        decisions=[pin("A1", "T1"), ban("A2", "B2")],
        hist=[history("2024年第一轮", "A3", "龙文区", role="组长", last=True, source="芗城区")],
        **extra,
    )


def test_every_guard_the_model_states_is_described_with_its_rule_name() -> None:
    """Explaining builds a guard per rule instance; each reads back as a sentence that
    carries the catalogue's name of its rule, in both languages."""
    seen: set[Kind] = set()
    for mode in ("rotation", "mixed"):
        problem = _guarded_round(mode)
        built = build_model(problem, explain=True)  # type: ignore[arg-type]
        assert built.guards is not None
        for key in built.guards.lits:
            assert key.kind in GUARDED_KINDS, key
            finding = describe(problem, key)  # type: ignore[arg-type]
            assert finding.render("zh").startswith(f"[{key.kind.entry.label('zh')}]")
            assert finding.render("en").startswith(f"[{key.kind.entry.label('en')}]")
            seen.add(key.kind)
    assert {
        Kind.PIN,
        Kind.BAN,
        Kind.SKILL,
        Kind.TEAM_SIZE,
        Kind.LEADER,
        Kind.HISTORY_ARC,
        Kind.SINGLE_CYCLE,
        Kind.COUNTY_CAP,
    } <= seen


def test_a_pin_that_avoidance_forbids_names_the_rule_the_place_and_the_person() -> None:
    """Before: 人工指定…但这违反回避或资格规则. Now the finding says which cell forbids it."""
    cadres = [*pool("上杭县", "S", leaders=2), *pool("连城县", "L", leaders=2)]
    cadres[0] = cadres[0].model_copy(update={"name": "王某", "postings": ("武平县",)})
    targets = [target("W1", "武平县"), target("C1", "长汀县")]
    problem = make_problem(cadres, targets, mode="mixed", team_size=[3, 3], decisions=[pin("S1", "W1", Role.LEADER)])
    (finding,) = [f for f in precheck(problem) if f.kind is Kind.PIN]
    text = finding.render("zh")
    assert text.startswith("[R9 人工指定] 王某不能指定到第1组")
    assert "其任职地「武平县」在巡察地武平县内（任职地回避）" in text
    assert finding.cadres == ("S1",)
