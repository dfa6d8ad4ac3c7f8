"""Each rule family: a case where it binds (and the solver obeys it) and one where it must fail."""

from __future__ import annotations

from crossinspect import solve
from crossinspect.domain.models import Role
from crossinspect.domain.plan import Plan, Status
from crossinspect.problem import Problem
from crossinspect.verify import verify
from factories import ban, cadre, history, make_problem, pin, pool, target


def _seats(plan: Plan | None) -> dict[str, tuple[str, Role]]:
    assert plan is not None
    return {s.cadre_id: (s.target_id, s.role) for s in plan.seats()}


def _solved(problem: Problem):
    result = solve(problem, time_limit=10, workers=1)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.status
    assert result.plan is not None
    assert verify(problem, result.plan) == []
    assert result.violations == ()
    return result


def test_rotation_forms_single_cycle(three_counties_rotation: Problem) -> None:
    """R3: each pool goes as a body to one other county, in one cycle through all three."""
    result = _solved(three_counties_rotation)
    plan = result.plan
    assert plan is not None and len(plan.arcs) == 3
    sources = {a.source for a in plan.arcs}
    dests = {a.dest for a in plan.arcs}
    assert sources == dests == set(three_counties_rotation.counties)
    county = dict(
        zip((c.id for c in three_counties_rotation.cadres), three_counties_rotation.cadre_county, strict=True)
    )
    tcounty = dict(
        zip((t.id for t in three_counties_rotation.targets), three_counties_rotation.target_county, strict=True)
    )
    arc = {a.source: a.dest for a in plan.arcs}
    for s in plan.seats():
        assert arc[county[s.cadre_id]] == tcounty[s.target_id]


def test_rotation_two_counties_reciprocal_is_infeasible() -> None:
    """R3: two counties can only swap, which forbid_reciprocal rules out."""
    cadres = pool("芗城区", "A") + pool("龙文区", "B")
    p = make_problem(cadres, [target("T1", "芗城区"), target("T2", "龙文区")])
    assert solve(p, time_limit=5, workers=1).status is Status.INFEASIBLE
    q = make_problem(cadres, [target("T1", "芗城区"), target("T2", "龙文区")], forbid_reciprocal=False)
    assert solve(q, time_limit=5, workers=1).status is Status.OPTIMAL


def test_rotation_history_arc_not_repeated() -> None:
    """R3: an arc used last round is not used again; with all arcs of one cycle used, the other is taken."""
    cadres = pool("芗城区", "A") + pool("龙文区", "B") + pool("漳浦县", "C")
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    hist = [
        history("第一轮", "A1", "龙文区", source="芗城区"),
        history("第一轮", "B1", "漳浦县", source="龙文区"),
        history("第一轮", "C1", "芗城区", source="漳浦县"),
    ]
    p = make_problem(cadres, targets, hist=hist, weights={"workload": 0})
    result = _solved(p)
    assert result.plan is not None
    names = {(a.source_name, a.dest_name) for a in result.plan.arcs}
    assert names == {("芗城区", "漳浦县"), ("漳浦县", "龙文区"), ("龙文区", "芗城区")}


def test_rotation_history_blocks_every_cycle_is_infeasible() -> None:
    """R3: when history used arcs of both possible 3-cycles, no rotation is left."""
    cadres = pool("芗城区", "A") + pool("龙文区", "B") + pool("漳浦县", "C")
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    hist = [history("第一轮", "A1", "龙文区", source="芗城区"), history("第二轮", "A2", "漳浦县", source="芗城区")]
    p = make_problem(cadres, targets, hist=hist)
    assert solve(p, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_avoidance_steers_the_cycle() -> None:
    """R1: the only leader of 芗城区 grew up in 龙文区, so 芗城区's pool must go to 漳浦县."""
    cadres = pool("芗城区", "A", upbringing=("龙文区",)) + pool("龙文区", "B") + pool("漳浦县", "C")
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    result = _solved(make_problem(cadres, targets))
    assert _seats(result.plan)["A1"] == ("T3", Role.LEADER)


def test_avoidance_blocks_every_destination_is_infeasible() -> None:
    """R1: the only leader of 芗城区 held office in both other counties; no roster exists."""
    cadres = pool("芗城区", "A", postings=("龙文区", "漳州漳浦")) + pool("龙文区", "B") + pool("漳浦县", "C")
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    assert solve(make_problem(cadres, targets), time_limit=5, workers=1).status is Status.INFEASIBLE


def test_declared_conflict_by_target_id() -> None:
    """R2: a declared conflict naming a target id keeps the cadre off that team."""
    cadres = pool("芗城区", "A", conflicts=("T2",)) + pool("龙文区", "B") + pool("漳浦县", "C")
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    result = _solved(make_problem(cadres, targets))
    assert _seats(result.plan)["A1"][0] == "T3"


def test_mixed_cap_per_county_binds() -> None:
    """R4: with max_from_same_county = 1, a 3-seat team needs three other counties."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区"),
        cadre("C1", "云霄县"),
        cadre("C2", "云霄县"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", max_from_same_county=1)
    result = _solved(p)
    counties = [p.cadre_county[p.cadre_index[s.cadre_id]] for s in result.plan.seats()]  # type: ignore[union-attr]
    assert len(set(counties)) == 3
    q = make_problem(cadres[:4], [target("T1", "漳浦县")], mode="mixed", max_from_same_county=1)
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_mixed_never_sends_own_county() -> None:
    """R4: cadres of the target's own county never sit on its team (non-local seats)."""
    cadres = [cadre("A1", "漳浦县", roles=("组长",)), cadre("A2", "漳浦县", roles=("副组长",)), cadre("A3", "漳浦县")]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed")
    assert solve(p, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_local_role_filled_from_inspected_county() -> None:
    """R5: a local 副组长 comes from the inspected county, R1 notwithstanding."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区"),
        cadre("L1", "漳浦县", roles=("副组长",)),
        cadre("X1", "龙文区", roles=("副组长",)),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", local_roles=["副组长"])
    result = _solved(p)
    assert _seats(result.plan)["L1"] == ("T1", Role.DEPUTY)
    assert "X1" not in _seats(result.plan)


def test_local_role_still_honours_declared_conflicts() -> None:
    """R5 + R2: the only local deputy declared a conflict with the target, so no roster."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区"),
        cadre("L1", "漳浦县", roles=("副组长",), conflicts=("T1",)),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", local_roles=["副组长"])
    assert solve(p, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_leader_min_rank_binds() -> None:
    """R6: only the 正科 leader candidate may lead when leader_min_rank = 正科."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",), rank="副科"),
        cadre("A2", "芗城区", roles=("组长", "组员"), rank="正科"),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", leader_min_rank="正科")
    assert _seats(_solved(p).plan)["A2"] == ("T1", Role.LEADER)
    q = make_problem(cadres[:1] + cadres[2:], [target("T1", "漳浦县")], mode="mixed", leader_min_rank="正科")
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_required_skill_and_women_bind() -> None:
    """R6: the team must include the auditor and a woman, though others are available."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区"),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区", skills=("审计",)),
        cadre("C1", "云霄县", gender="F"),
        cadre("C2", "云霄县"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县", size=4)], mode="mixed", required_skills={"审计": 1}, min_women=1)
    seats = _seats(_solved(p).plan)
    assert "B2" in seats and "C1" in seats
    q = make_problem(
        [c for c in cadres if c.id != "B2"], [target("T1", "漳浦县", size=4)], mode="mixed", required_skills={"审计": 1}
    )
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_team_size_override_per_target() -> None:
    """R6: a target's 人数 overrides the rules' team size."""
    cadres = [cadre(f"A{n}", "芗城区", roles=("组长", "副组长", "组员")) for n in range(6)]
    p = make_problem(cadres, [target("T1", "漳浦县", size=5)], mode="mixed", max_from_same_county=9)
    assert len(_solved(p).plan.teams[0].seats) == 5  # type: ignore[union-attr]


def test_unavailable_never_drawn() -> None:
    """R6/R9: an unavailable cadre is never seated; if they were needed, no roster."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",), available=False),
        cadre("A2", "芗城区", roles=("组长",)),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed")
    assert "A1" not in _seats(_solved(p).plan)
    q = make_problem(cadres[:1] + cadres[2:], [target("T1", "漳浦县")], mode="mixed")
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_history_place_not_revisited() -> None:
    """R7: a cadre who inspected 漳浦县 last round is not sent there again."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("组长",)),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区"),
    ]
    hist = [history("2025年第一轮", "A1", "漳浦县", role="组长")]
    p = make_problem(cadres, [target("T1", "漳浦县")], hist=hist, mode="mixed")
    assert _seats(_solved(p).plan)["A2"] == ("T1", Role.LEADER)
    q = make_problem(cadres[:1] + cadres[2:], [target("T1", "漳浦县")], hist=hist, mode="mixed")
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_history_window_limits_lookback() -> None:
    """R7: with history_rounds = 1 only the latest round counts."""
    cadres = [cadre("A1", "芗城区", roles=("组长",)), cadre("B1", "龙文区", roles=("副组长",)), cadre("B2", "龙文区")]
    hist = [history("2024年第一轮", "A1", "漳浦县", role="组长"), history("2025年第一轮", "A1", "云霄县", role="组长")]
    p = make_problem(cadres, [target("T1", "漳浦县")], hist=hist, mode="mixed", history_rounds=1)
    assert _seats(_solved(p).plan)["A1"] == ("T1", Role.LEADER)


def test_sanctions_suspend_and_exclude() -> None:
    """R8: last-ranked twice running may not lead; three times in all is not drawn."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长", "组员")),
        cadre("A2", "芗城区", roles=("组长",)),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区"),
    ]
    hist = [
        history("第一轮", "A1", "云霄县", role="组长", last=True),
        history("第二轮", "A1", "南靖县", role="组长", last=True),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], hist=hist, mode="mixed", weights={"workload": 0})
    assert p.sanctions[0].kind == "suspended"
    seats = _seats(_solved(p).plan)
    assert seats["A2"] == ("T1", Role.LEADER)
    q = make_problem(cadres[:1] + cadres[2:], [target("T1", "漳浦县")], hist=hist, mode="mixed")
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE
    hist3 = [
        *hist,
        history("第三轮", "A1", "华安县", role="组长", last=False),
        history("第四轮", "A1", "平和县", role="组长", last=True),
    ]
    r = make_problem(cadres, [target("T1", "漳浦县")], hist=hist3, mode="mixed")
    assert r.sanctions[0].kind == "excluded"
    assert "A1" not in _seats(_solved(r).plan)


def test_pin_is_honoured_and_impossible_pin_fails() -> None:
    """R9: a pin puts the cadre on the named team; a pin against R1 makes it infeasible."""
    cadres = pool("芗城区", "A", leaders=2) + pool("龙文区", "B") + pool("漳浦县", "C")
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    p = make_problem(cadres, targets, decisions=[pin("A2", "T2", Role.LEADER)])
    assert _seats(_solved(p).plan)["A2"] == ("T2", Role.LEADER)
    q = make_problem(cadres, targets, decisions=[pin("A2", "T1")])
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_ban_keeps_pair_apart() -> None:
    """R9: two banned cadres never share a team, even when that costs a better roster."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区", roles=("副组长",)),
        cadre("C1", "云霄县"),
    ]
    p = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", decisions=[ban("A1", "B1")])
    seats = _seats(_solved(p).plan)
    assert "B1" not in seats and "B2" in seats
    q = make_problem(cadres[:2] + cadres[3:], [target("T1", "漳浦县")], mode="mixed", decisions=[ban("A1", "B1")])
    assert solve(q, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_same_seed_same_roster_twice(three_counties_rotation: Problem) -> None:
    """R11: the same input, rules and seed give the same roster on every run."""
    a = solve(three_counties_rotation, seed=42, time_limit=10, workers=2)
    b = solve(three_counties_rotation, seed=42, time_limit=10, workers=2)
    assert a.lottery_optimal and b.lottery_optimal
    assert a.plan == b.plan


def test_seed_changes_the_draw() -> None:
    """R11: among equally good rosters, different seeds draw different ones."""
    cadres = []
    for county, prefix in (("芗城区", "A"), ("龙文区", "B"), ("漳浦县", "C")):
        cadres += pool(county, prefix, leaders=2, deputies=2, members=3)
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    p = make_problem(cadres, targets, weights={"balance": 0, "travel": 0})
    plans = {solve(p, seed=s, time_limit=10, workers=1).plan for s in range(6)}
    assert len(plans) > 1


def test_novelty_counts_past_pairs_per_past_team() -> None:
    """R10 novelty: pairs from one past team seated together again, once per shared past team."""
    only_novelty = {"balance": 0, "department": 0, "travel": 0, "workload": 0, "novelty": 1}
    cadres = [cadre("L1", "芗城区", roles=("组长",)), cadre("D1", "龙文区", roles=("副组长",)), cadre("M1", "漳浦县")]
    past = [history("第一轮", c, "南靖县") for c in ("L1", "D1", "M1")]

    def novelty(result) -> int:
        return next(t.value for t in result.terms if t.name == "novelty")

    # The only possible team is the past team again: all three pairs.
    p = make_problem(cadres, [target("T1", "云霄县")], hist=past, mode="mixed", weights=only_novelty)
    assert novelty(_solved(p)) == 3
    # A fresh member breaks two of the pairs, and the solver takes him.
    fresh = [*cadres, cadre("M2", "漳浦县")]
    q = make_problem(fresh, [target("T1", "云霄县")], hist=past, mode="mixed", weights=only_novelty)
    result = _solved(q)
    assert novelty(result) == 1
    assert _seats(result.plan)["M2"][0] == "T1"
    # L1 and D1 also shared a second past team: their pair now counts twice.
    twice = [*past, history("第二轮", "L1", "南靖县"), history("第二轮", "D1", "南靖县")]
    r = make_problem(fresh, [target("T1", "云霄县")], hist=twice, mode="mixed", weights=only_novelty)
    assert novelty(_solved(r)) == 2


def test_keep_apart_forbids_new_repeated_pairings_and_counts_the_kept_ones_exactly() -> None:
    """Polishing steps build their model with ``keep_apart`` (the roster as it stands): where
    that roster seats at most one member of a past team on a team, a second is forbidden;
    where it seats more, the pairs are counted as usual."""
    from ortools.sat.python import cp_model

    from crossinspect.solver.model import build_model

    only_novelty = {"balance": 0, "department": 0, "travel": 0, "workload": 0, "novelty": 1}
    cadres = [
        cadre("L1", "芗城区", roles=("组长",)),
        cadre("D1", "龙文区", roles=("副组长",)),
        cadre("D2", "龙文区", roles=("副组长",)),
        cadre("M1", "漳浦县"),
        cadre("M2", "漳浦县"),
    ]
    past = [history("第一轮", c, "南靖县") for c in ("L1", "D1", "M1")]
    p = make_problem(cadres, [target("T1", "云霄县")], hist=past, mode="mixed", weights=only_novelty)
    index = {c.id: i for i, c in enumerate(p.cadres)}

    def seat(cid: str, role: Role) -> tuple[int, int, Role]:
        return (index[cid], 0, role)

    def novelty_with(roster: list[tuple[int, int, Role]] | None, *forced: tuple[int, int, Role]) -> int | None:
        built = build_model(p, keep_apart=roster)
        for key in forced:
            built.model.add(built.vars.x[key] == 1)
        built.model.minimize(built.main_objective)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        if solver.solve(built.model) != cp_model.OPTIMAL:
            return None
        return round(solver.value(built.terms[0].expr))

    apart = [seat("L1", Role.LEADER), seat("D2", Role.DEPUTY), seat("M2", Role.MEMBER)]  # one of the past team
    together = [seat("L1", Role.LEADER), seat("D1", Role.DEPUTY), seat("M2", Role.MEMBER)]  # two of it
    # Unrestricted, D1 beside L1 is allowed and costs one pair.
    assert novelty_with(None, seat("D1", Role.DEPUTY)) == 1
    # Kept apart by a roster that seats only L1 of that team: no roster with D1 (or M1) remains.
    assert novelty_with(apart, seat("D1", Role.DEPUTY)) is None
    assert novelty_with(apart, seat("M1", Role.MEMBER)) is None
    assert novelty_with(apart, seat("D2", Role.DEPUTY)) == 0
    # A roster that already seats L1 and D1 keeps its pairs, counted exactly: M1 makes three.
    assert novelty_with(together, seat("D1", Role.DEPUTY), seat("M1", Role.MEMBER)) == 3
    assert novelty_with(together, seat("D1", Role.DEPUTY), seat("M2", Role.MEMBER)) == 1


def test_a_pool_that_can_staff_nowhere_makes_a_rotation_infeasible_not_a_shorter_cycle() -> None:
    """R3: 龙文区's pool (one cadre) can staff no team of two, and everyone else grew up in
    龙文区 (R1), so no arc touches 龙文区 and no single cycle exists. CP-SAT's circuit
    leaves a county with no arc at all out of the cycle; the solver must still say
    infeasible, not return the cycle of the other three without 龙文区's team.
    (Found by the rotation property test.)"""
    from crossinspect.solver import SolveParams
    from crossinspect.solver.search import arcs

    sizes = {"芗城区": (3, 1), "龙文区": (1, 0), "漳浦县": (2, 1), "云霄县": (1, 1)}  # leaders, deputies
    cadres = [
        c
        for county, (lead, dep) in sizes.items()
        for c in pool(
            county,
            county[0],
            leaders=lead,
            deputies=dep,
            members=0,
            upbringing=() if county == "龙文区" else ("龙文区",),
        )
    ]
    targets = [target(f"T{n}", c) for n, c in enumerate(("芗城区", "龙文区", "漳浦县", "云霄县"))]
    p = make_problem(cadres, targets, team_size=[2, 2], deputies=[0, 1], forbid_reciprocal=False)
    assert arcs.applies(p, SolveParams())
    result = solve(p, time_limit=10, workers=1, explain=False)
    assert result.status is Status.INFEASIBLE and result.plan is None


def test_cycle_cover_keeps_a_county_without_arcs_in_the_circuit() -> None:
    from ortools.sat.python import cp_model

    from crossinspect.solver.model.rotation import add_cycle_cover

    counties = ("a", "b", "c", "d")
    for single in (True, False):
        model = cp_model.CpModel()
        arcs = {(u, w): model.new_bool_var(f"{u}{w}") for u in "abc" for w in "abc" if u != w}  # none touch d
        add_cycle_cover(model, counties, arcs, single=single)
        assert cp_model.CpSolver().solve(model) == cp_model.INFEASIBLE
    model = cp_model.CpModel()
    arcs = {(u, w): model.new_bool_var(f"{u}{w}") for u in counties for w in counties if u != w}
    add_cycle_cover(model, counties, arcs, single=True)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert sum(solver.boolean_value(x) for x in arcs.values()) == 4
