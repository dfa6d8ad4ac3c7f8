"""Property tests: every plan the solver returns passes the independent verifier, and on
tiny mixed rounds an 'infeasible' verdict is confirmed by brute force through the verifier."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from crossinspect.models import ROLE_ORDER, Cadre, Role
from crossinspect.plan import Plan, Seat, Status
from crossinspect.problem import Problem
from crossinspect.solver import solve
from crossinspect.verify import verify
from factories import cadre, make_problem, target

COUNTIES = ("芗城区", "龙文区", "漳浦县", "云霄县")
ROLE_SETS = (("组长",), ("副组长",), ("组员",), ("组长", "组员"), ("副组长", "组员"), ("联络员", "组员"))


@st.composite
def cadres_st(draw: st.DrawFn, counties: tuple[str, ...], max_per: int) -> list[Cadre]:
    out = []
    for c in counties:
        for n in range(draw(st.integers(1, max_per))):
            others = [x for x in COUNTIES if x != c]
            out.append(cadre(
                f"{c[:1]}{n}", c, roles=draw(st.sampled_from(ROLE_SETS)),
                rank=draw(st.sampled_from(("正科", "副科", "科员"))),
                gender=draw(st.sampled_from("MF")),
                skills=draw(st.lists(st.sampled_from(("审计", "纪检监察")), max_size=1)),
                upbringing=draw(st.lists(st.sampled_from(others), max_size=1)),
            ))
    return out


@st.composite
def rotation_round(draw: st.DrawFn) -> Problem:
    counties = COUNTIES[: draw(st.integers(2, 4))]
    cadres = draw(cadres_st(counties, 4))
    targets = [target(f"T{n}", c) for n, c in enumerate(counties, 1)]
    return make_problem(
        cadres, targets, team_size=[2, draw(st.integers(2, 3))], deputies=[0, 1],
        forbid_reciprocal=draw(st.booleans()), single_cycle=draw(st.booleans()),
        min_women=draw(st.integers(0, 1)), leader_min_rank=draw(st.sampled_from(("", "正科"))),
        required_skills=draw(st.sampled_from(({}, {"审计": 1}))),
    )


@st.composite
def mixed_round(draw: st.DrawFn) -> Problem:
    counties = COUNTIES[: draw(st.integers(2, 3))]
    cadres = draw(cadres_st(counties, 2))
    targets = [target(f"T{n}", c) for n, c in enumerate(counties[: draw(st.integers(1, 2))], 1)]
    return make_problem(
        cadres, targets, mode="mixed", team_size=[2, draw(st.integers(2, 3))], deputies=[0, 1],
        liaisons=[0, 1], max_from_same_county=draw(st.integers(1, 2)),
        local_roles=draw(st.sampled_from(([], ["联络员"]))), min_women=draw(st.integers(0, 1)),
        required_skills=draw(st.sampled_from(({}, {"纪检监察": 1}))),
    )


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(rotation_round())
def test_rotation_plans_always_verify(problem: Problem) -> None:
    """Random small rotation rounds: a returned plan verifies; otherwise the round is infeasible."""
    result = solve(problem, time_limit=5, workers=1, explain=False)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE)
    if result.plan is not None:
        assert verify(problem, result.plan) == []


def _brute_force_feasible(problem: Problem) -> bool:
    """Is there any plan the verifier accepts? Enumerates every seat choice of every cadre."""
    options: list[list[tuple[int, Role] | None]] = []
    for c in problem.cadres:
        opts: list[tuple[int, Role] | None] = [None]
        opts += [(j, r) for j in range(len(problem.targets)) for r in ROLE_ORDER if r in c.roles]
        options.append(opts)
    for choice in itertools.product(*options):
        seats = [Seat(team_id=problem.team_id(j), target_id=problem.targets[j].id,
                      cadre_id=problem.cadres[i].id, role=r)
                 for i, pick in enumerate(choice) if pick is not None for j, r in [pick]]
        if {s.target_id for s in seats} != {t.id for t in problem.targets}:
            continue
        if not verify(problem, Plan.from_seats(seats)):
            return True
    return False


@FAST
@given(mixed_round())
def test_mixed_verdicts_match_brute_force(problem: Problem) -> None:
    """Tiny mixed rounds: the solver's plan verifies, and 'infeasible' means brute force finds none."""
    result = solve(problem, time_limit=5, workers=1, explain=False)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE)
    event(f"status: {result.status.value}")
    if result.plan is not None:
        assert verify(problem, result.plan) == []
    else:
        assert not _brute_force_feasible(problem)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rotation_round())
def test_arc_decomposition_matches_monolithic_model(problem: Problem) -> None:
    """Rotation by arcs finds the same optimal soft-goal value as the single whole-round model."""
    import threading

    from crossinspect.solver import decompose
    from crossinspect.solver.run import solve_monolithic

    by_arcs = decompose.solve_by_arcs(problem, seed=1, time_limit=10, workers=1, progress=None,
                                      stop=threading.Event(), explain=False)
    whole = solve_monolithic(problem, seed=1, time_limit=10, workers=1, progress=None,
                             stop=threading.Event(), explain=False)
    assert (by_arcs.status is Status.INFEASIBLE) == (whole.status is Status.INFEASIBLE)
    if whole.status is Status.OPTIMAL and by_arcs.status is Status.OPTIMAL:
        assert by_arcs.objective == whole.objective
        assert by_arcs.plan is not None and verify(problem, by_arcs.plan) == []
