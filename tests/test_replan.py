"""Re-planning with the fewest changes, and alternates verified by substitution."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from crossinspect import solve
from crossinspect.diagnose.alternates import find_alternates
from crossinspect.domain.models import ROLE_ORDER
from crossinspect.domain.plan import Plan, Seat, SolveResult, Status
from crossinspect.io.load import load_problem
from crossinspect.problem import Problem
from crossinspect.verify import verify
from crossinspect.workflows.replan import diff, replan, with_decisions
from factories import cadre, make_problem, pool, target

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"


@pytest.fixture(scope="module")
def rotation_example() -> tuple[Problem, SolveResult]:
    """The shipped rotation example, solved once."""
    problem = load_problem(EXAMPLES / "rotation" / "input.xlsx", rules_file=EXAMPLES / "rotation" / "rules.toml")
    result = solve(problem, time_limit=20)
    assert result.plan is not None
    return problem, result


def _symmetric(a: Plan, b: Plan) -> int:
    sa = {(s.cadre_id, s.team_id, s.role) for s in a.seats()}
    sb = {(s.cadre_id, s.team_id, s.role) for s in b.seats()}
    return len(sa ^ sb)


def test_dropping_any_one_cadre_changes_only_what_must(rotation_example: tuple[Problem, SolveResult]) -> None:
    """Dropping any seated cadre of the example: a verified roster with a proven-minimal change count."""
    problem, result = rotation_example
    assert result.plan is not None
    seats = result.plan.seats()
    for seat in seats:
        outcome = replan(problem, result.plan, drop=[seat.cadre_id], time_limit=20)
        new = outcome.result.plan
        assert new is not None and outcome.result.violations == (), seat.cadre_id
        assert verify(outcome.problem, new) == []
        assert seat.cadre_id not in {s.cadre_id for s in new.seats()}
        assert outcome.changed_seats == _symmetric(result.plan, new)
        assert outcome.cycle_kept and outcome.changes_proven
        # Only the dropped cadre's own team can change: a stand-in and perhaps a promotion.
        kept = {(s.cadre_id, s.team_id, s.role) for s in new.seats()}
        assert all((s.cadre_id, s.team_id, s.role) in kept for s in seats if s.team_id != seat.team_id)
        assert 1 <= outcome.changed_seats <= 4


def _all_verified_plans(problem: Problem) -> list[Plan]:
    options = []
    for c in problem.cadres:
        opts: list[tuple[int, object] | None] = [None]
        opts += [(j, r) for j in range(len(problem.targets)) for r in ROLE_ORDER if r in c.roles]
        options.append(opts)
    plans = []
    for choice in itertools.product(*options):
        seats = [
            Seat(team_id=problem.team_id(j), target_id=problem.targets[j].id, cadre_id=problem.cadres[i].id, role=r)  # type: ignore[arg-type]
            for i, pick in enumerate(choice)
            if pick is not None
            for j, r in [pick]
        ]
        if {s.target_id for s in seats} != {t.id for t in problem.targets}:
            continue
        plan = Plan.from_seats(seats)
        if not verify(problem, plan):
            plans.append(plan)
    return plans


def test_change_count_matches_brute_force_minimum() -> None:
    """On a tiny mixed round, the re-plan's change count equals the brute-force minimum."""
    cadres = [
        cadre("A1", "芗城区", roles=("组长",)),
        cadre("A2", "芗城区", roles=("组长", "组员")),
        cadre("B1", "龙文区", roles=("副组长",)),
        cadre("B2", "龙文区", roles=("副组长", "组员")),
        cadre("C1", "云霄县"),
        cadre("C2", "云霄县", roles=("组长", "组员")),
    ]
    problem = make_problem(cadres, [target("T1", "漳浦县")], mode="mixed", team_size=[3, 3], max_from_same_county=2)
    first = solve(problem, time_limit=5, workers=1)
    assert first.plan is not None
    for gone in [s.cadre_id for s in first.plan.seats()]:
        outcome = replan(problem, first.plan, drop=[gone], time_limit=5, workers=1)
        reduced = with_decisions(problem, [gone], [])
        candidates = _all_verified_plans(reduced)
        if not candidates:
            assert outcome.result.status is Status.INFEASIBLE
            continue
        best = min(_symmetric(first.plan, p) for p in candidates)
        assert outcome.result.plan is not None
        assert outcome.changed_seats == best == _symmetric(first.plan, outcome.result.plan)


def test_pin_moves_a_cadre_and_diff_reports_it() -> None:
    """A --pin to another team moves that cadre; the diff lists the move."""
    cadres = []
    for county, prefix in (("芗城区", "A"), ("龙文区", "B"), ("漳浦县", "C")):
        cadres += pool(county, prefix, leaders=2, deputies=1, members=2)
    targets = [target("T1", "芗城区"), target("T2", "龙文区"), target("T3", "漳浦县")]
    problem = make_problem(cadres, targets, single_cycle=False, forbid_reciprocal=False)
    first = solve(problem, time_limit=5, workers=1)
    assert first.plan is not None
    seat = first.plan.teams[0].seats[0]
    home = problem.cadre_county[problem.cadre_index[seat.cadre_id]]
    other_team = next(
        t.team_id for t in first.plan.teams[1:] if problem.target_county[problem.target_index[t.target_id]] != home
    )
    outcome = replan(problem, first.plan, pins=[(seat.cadre_id, other_team)], time_limit=5, workers=1)
    assert outcome.result.plan is not None
    moved = [c for c in outcome.changes if c.cadre_id == seat.cadre_id]
    assert moved and moved[0].kind == "moved"
    assert diff(first.plan, outcome.result.plan) == outcome.changes


def test_cycle_change_is_reported_when_unavoidable() -> None:
    """If the old cycle cannot be kept (the only leader who could go there drops), it says so."""
    cadres = (
        pool("芗城区", "A", leaders=2)
        + pool("龙文区", "B", upbringing=("漳浦县",))
        + pool("漳浦县", "C")
        + pool("云霄县", "D")
    )
    targets = [target(f"T{n}", c) for n, c in enumerate(("芗城区", "龙文区", "漳浦县", "云霄县"), 1)]
    problem = make_problem(cadres, targets)
    first = solve(problem, time_limit=5, workers=1)
    assert first.plan is not None
    # Drop every member of the pool that currently goes to 漳浦县 but one: it can no longer staff a team.
    to_zhangpu = next(a for a in first.plan.arcs if a.dest_name == "漳浦县")
    index = problem.cadre_index
    pool_ids = [c.id for c in problem.cadres if problem.cadre_county[index[c.id]] == to_zhangpu.source]
    outcome = replan(problem, first.plan, drop=pool_ids, time_limit=5, workers=1)
    if outcome.result.plan is not None:
        assert not outcome.cycle_kept
        assert verify(outcome.problem, outcome.result.plan) == []


def test_alternates_verified_by_substitution(rotation_example: tuple[Problem, SolveResult]) -> None:
    """Every listed alternate, put in the holder's seat, gives a roster the verifier accepts."""
    problem, result = rotation_example
    assert result.plan is not None
    alternates = find_alternates(problem, result.plan)
    assert len(alternates) == len(result.plan.seats())
    assert sum(len(a.candidate_ids) for a in alternates) > 0
    seated = {s.cadre_id for s in result.plan.seats()}
    for alt in alternates:
        for cid in alt.candidate_ids:
            assert cid not in seated
            seats = [
                s.model_copy(update={"cadre_id": cid}) if s.cadre_id == alt.holder_id else s
                for s in result.plan.seats()
            ]
            assert verify(problem, Plan.from_seats(seats, result.plan.arcs)) == []
