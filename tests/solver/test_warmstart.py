"""The staged first roster of large rounds: sound (verified), honours pins, and stands in
for the whole-round model when that finds nothing in its time."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossinspect.domain.models import Role
from crossinspect.domain.plan import Status
from crossinspect.problem import Problem
from crossinspect.problem.eligibility import allowed_seats
from crossinspect.solver import SolveParams
from crossinspect.solver.search import cpsat, monolithic
from crossinspect.solver.search import polish as polish_module
from crossinspect.solver.search.assemble import make_plan
from crossinspect.solver.search.monolithic import solve_monolithic
from crossinspect.solver.search.polish import polish
from crossinspect.solver.search.staged import staged_roster
from crossinspect.verify import verify
from factories import make_problem, mixed_problem, pin, pool, search_of, target
from strategies import mixed_round, rotation_round

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks.baselines: the soft-goal recount

COUNTIES = ("芗城区", "龙文区", "漳浦县", "云霄县", "南靖县")


def _mixed(teams_per_county: int = 2) -> Problem:
    # Room to spare: stages choose one group at a time, so a round that needs every last
    # leader, in the right counties, may defeat them (the whole-round model then runs alone).
    return mixed_problem(teams_per_county)


def _forbid_whole_round_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*a: object, **k: object) -> None:
        raise AssertionError("the whole-round model must not be built")

    monkeypatch.setattr(monolithic, "build_model", never)


#: Every round is staged first.
STAGED = SolveParams(warm_start_seats=0)
#: ... and its whole-round model counts as too big to build.
TOO_BIG = STAGED.replace(too_big_seats=0)
#: Far away: these tests are about effort, not the clock.
LATER = 600.0


def _rotation(teams_per_county: int = 3) -> Problem:
    cadres = [
        c for n, county in enumerate(COUNTIES) for c in pool(county, "ABCDE"[n], leaders=4, deputies=4, members=6)
    ]
    targets = [target(f"T{n}{k}", county) for n, county in enumerate(COUNTIES) for k in range(teams_per_county)]
    return make_problem(cadres, targets, team_size=[3, 4])


def _staged(problem: Problem, effort: float = 2.5):
    return staged_roster(
        problem, allowed_seats(problem), seed=7, effort=effort, params=SolveParams(), deadline=time.monotonic() + LATER
    )


@pytest.mark.parametrize("build", [_mixed, _rotation])
def test_staged_roster_verifies_and_sums_its_terms(build) -> None:
    problem = build()
    staged = _staged(problem)
    assert staged is not None
    plan = make_plan(problem, staged.seats, staged.arcs)
    assert verify(problem, plan) == []
    assert {s.target_id for s in plan.seats()} == {t.id for t in problem.targets}
    assert set(staged.terms) == {"balance", "department", "travel", "novelty", "workload"}
    # Same seed, same effort: the same roster (every stage runs on one worker, deterministic time).
    again = _staged(problem)
    assert again is not None and sorted(again.seats) == sorted(staged.seats)


def test_staged_rotation_honours_a_pin_that_fixes_the_arc() -> None:
    """A pinned cadre sent to a far county forces his pool's arc in the chosen cycle (R9)."""
    base = _rotation()
    pinned = make_problem(
        list(base.cadres), list(base.targets), team_size=[3, 4], decisions=[pin("A1", "T30", Role.LEADER)]
    )
    arc = (pinned.cadre_county[pinned.cadre_index["A1"]], pinned.target_county[pinned.target_index["T30"]])
    unpinned = _staged(base)
    assert unpinned is not None and arc not in unpinned.arcs  # the pin changes the cycle
    staged = _staged(pinned)
    assert staged is not None
    assert arc in staged.arcs
    seats = make_plan(pinned, staged.seats, staged.arcs).seats()
    assert any(s.cadre_id == "A1" and s.target_id == "T30" and s.role is Role.LEADER for s in seats)
    assert verify(pinned, make_plan(pinned, staged.seats, staged.arcs)) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mixed_round(), rotation_round()))
def test_staged_rosters_of_random_rounds_always_verify(problem: Problem) -> None:
    """Whenever stages find a roster, the independent verifier accepts it."""
    staged = _staged(problem, effort=1.0)
    if staged is not None:
        assert verify(problem, make_plan(problem, staged.seats, staged.arcs)) == []


def test_solve_falls_back_to_the_staged_roster(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large round, whole-round model finds nothing in its effort: the verified staged roster stands."""
    problem = _mixed()
    real_solver = cpsat.new_solver

    def no_search(**kw: Any) -> Any:
        solver = real_solver(**kw)
        solver.parameters.stop_after_presolve = True  # the whole-round model gets no search at all
        return solver

    monkeypatch.setattr(cpsat, "new_solver", no_search)
    seen: list[str] = []
    result = solve_monolithic(search_of(problem, params=STAGED, progress=lambda p: seen.append(p.phase)))
    assert result.status is Status.FEASIBLE
    assert result.plan is not None and result.violations == ()
    assert verify(problem, result.plan) == []
    assert result.bound is None and result.gap is None
    assert result.objective == sum(t.weighted for t in result.terms)
    assert seen == ["warmstart"]


def test_solve_improves_on_the_staged_roster() -> None:
    """With effort, the whole-round model starts from the staged roster and never does worse."""
    problem = _mixed()
    search = search_of(problem, params=STAGED)
    staged = _staged(problem, effort=min(search.effort * STAGED.stage_share, STAGED.stage_max))
    assert staged is not None
    result = solve_monolithic(search)
    assert result.plan is not None and verify(problem, result.plan) == []
    assert result.objective is not None
    assert result.objective <= search.weighted(staged.terms)


@pytest.mark.parametrize("streams", [1, 2])
def test_polish_never_worsens_and_keeps_its_terms_right(streams: int) -> None:
    """Polishing re-staffs windows of teams; the roster verifies and its terms match a recount,
    also with two steps at a time (each has its own free cadres: nobody is seated twice)."""
    from benchmarks.baselines import soft_goals

    problem = _mixed(teams_per_county=3)
    seats = allowed_seats(problem)
    staged = _staged(problem)
    assert staged is not None
    polished = polish(
        problem,
        seats,
        staged,
        seed=7,
        effort=2.5,
        workers=streams,
        params=SolveParams(),
        deadline=time.monotonic() + LATER,
    )
    assert len({k[0] for k in polished.seats}) == len(polished.seats)
    plan = make_plan(problem, polished.seats, [])
    assert verify(problem, plan) == []
    recount = soft_goals(problem, plan)
    assert {k: recount[k] for k in polished.terms} == polished.terms
    search = search_of(problem)
    assert search.weighted(polished.terms) <= search.weighted(staged.terms)


def test_a_round_too_big_to_build_keeps_its_staged_roster(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the whole-round model could not be built in the time, it is not built at all."""
    problem = _mixed()
    _forbid_whole_round_model(monkeypatch)
    result = solve_monolithic(search_of(problem, params=TOO_BIG))
    assert result.status is Status.FEASIBLE and result.bound is None
    assert result.plan is not None and verify(problem, result.plan) == []


def test_a_round_too_big_to_build_gives_its_stages_most_of_the_effort(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its staged roster is its only way to a roster: the stages get 80 % of the effort, not 10 %."""
    problem = _mixed()
    efforts: list[float] = []
    real = monolithic.staged_roster

    def spy(*a: object, effort: float, **k: object):  # type: ignore[no-untyped-def]
        efforts.append(effort)
        return real(*a, effort=effort, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(monolithic, "staged_roster", spy)
    solve_monolithic(search_of(problem, params=STAGED, effort=10))
    solve_monolithic(search_of(problem, params=TOO_BIG, effort=10))
    assert efforts == [min(10 * STAGED.stage_share, STAGED.stage_max), 10 * STAGED.too_big_stage_share]


def test_a_round_too_big_to_build_without_a_staged_roster_says_so_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """No staged roster and no time to build the whole-round model: status unknown, at once,
    not a multi-GB model that overruns the limit."""
    problem = _mixed()
    monkeypatch.setattr(monolithic, "staged_roster", lambda *a, **k: None)
    _forbid_whole_round_model(monkeypatch)
    result = solve_monolithic(search_of(problem, params=TOO_BIG))
    assert result.status is Status.UNKNOWN and result.plan is None
    assert result.runtime < 5


def test_an_error_in_the_whole_round_search_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-round model runs on a thread; what goes wrong there is raised to the caller, not lost."""
    problem = _mixed()

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("search failed")

    monkeypatch.setattr(cpsat, "run", broken)
    with pytest.raises(RuntimeError, match="search failed"):
        solve_monolithic(search_of(problem))


def test_polish_widens_its_windows_at_each_local_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass without a gain widens the windows by half a window, up to the widest; only a
    pass without a gain at the widest ends polishing (converged, so reproducible)."""
    problem = _mixed(teams_per_county=3)
    seats = allowed_seats(problem)
    staged = _staged(problem)
    assert staged is not None
    params = SolveParams(window=2, widest=5)
    sizes: list[int] = []
    units: list[float] = []
    real = polish_module._restaff

    def spy(problem: Problem, by_target: Any, local: Any, own: dict[int, Any], scope: Any, **kw: Any) -> Any:
        sizes.append(len(own))
        units.append(kw["units"])
        return real(problem, by_target, local, own, scope, **kw)

    monkeypatch.setattr(polish_module, "_restaff", spy)
    polished = polish(problem, seats, staged, seed=7, effort=1000.0, params=params, deadline=time.monotonic() + LATER)
    assert polished.reproducible  # converged, well within the effort
    # 15 teams: windows of 2 (and a last one of 1), then 3, 4 (and a last of 3), then 5.
    first = {w: sizes.index(w) for w in (2, 3, 4, 5)}
    assert first[2] == 0 and first[2] < first[3] < first[4] < first[5]
    assert max(sizes) == 5 and 2 not in sizes[first[5] :]
    # A wider window's step gets effort in proportion.
    assert all(u == pytest.approx(params.polish_step * n / 2) for n, u in zip(sizes, units, strict=True))
    assert verify(problem, make_plan(problem, polished.seats, [])) == []


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_polish_is_the_same_with_any_number_of_workers(workers: int) -> None:
    """Steps are prepared in batches and committed in order: the polished roster does not
    depend on how many run at once."""
    problem = _mixed(teams_per_county=3)
    seats = allowed_seats(problem)
    staged = _staged(problem)
    assert staged is not None
    one = polish(
        problem, seats, staged, seed=7, effort=3.0, params=SolveParams(), workers=1, deadline=time.monotonic() + LATER
    )
    many = polish(
        problem,
        seats,
        staged,
        seed=7,
        effort=3.0,
        params=SolveParams(),
        workers=workers,
        deadline=time.monotonic() + LATER,
    )
    assert sorted(one.seats) == sorted(many.seats) and one.terms == many.terms
    assert one.units == many.units and one.reproducible
