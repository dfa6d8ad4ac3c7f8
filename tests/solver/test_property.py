"""Property tests: every plan the solver returns passes the independent verifier, and on
tiny mixed rounds an 'infeasible' verdict is confirmed by brute force through the verifier."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, event, given, settings

from crossinspect import solve
from crossinspect.domain.models import ROLE_ORDER, Role
from crossinspect.domain.plan import Plan, Seat, Status
from crossinspect.problem import Problem
from crossinspect.verify import verify
from strategies import mixed_round, rotation_round

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
        seats = [
            Seat(team_id=problem.team_id(j), target_id=problem.targets[j].id, cadre_id=problem.cadres[i].id, role=r)
            for i, pick in enumerate(choice)
            if pick is not None
            for j, r in [pick]
        ]
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
    from crossinspect.solver.search.arcs import solve_by_arcs
    from crossinspect.solver.search.monolithic import solve_monolithic
    from factories import search_of

    by_arcs = solve_by_arcs(search_of(problem, seed="1"))
    whole = solve_monolithic(search_of(problem, seed="1"))
    assert (by_arcs.status is Status.INFEASIBLE) == (whole.status is Status.INFEASIBLE)
    if whole.status is Status.OPTIMAL and by_arcs.status is Status.OPTIMAL:
        assert by_arcs.objective == whole.objective
        assert by_arcs.plan is not None and verify(problem, by_arcs.plan) == []
