"""The staged first roster of large rounds: sound (verified), honours pins, and stands in
for the whole-round model when that finds nothing in its time."""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossinspect.models import Role
from crossinspect.plan import Status
from crossinspect.problem import Problem
from crossinspect.solver import run, warmstart
from crossinspect.solver.assemble import make_plan
from crossinspect.solver.avoidance import allowed_seats
from crossinspect.solver.warmstart import polish, staged_roster
from crossinspect.verify import verify
from factories import lp_mass, make_problem, mixed_problem, pin, pool, target
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

    monkeypatch.setattr(run, "build_model", never)


def _rotation(teams_per_county: int = 3) -> Problem:
    cadres = [c for n, county in enumerate(COUNTIES)
              for c in pool(county, "ABCDE"[n], leaders=4, deputies=4, members=6)]
    targets = [target(f"T{n}{k}", county) for n, county in enumerate(COUNTIES) for k in range(teams_per_county)]
    return make_problem(cadres, targets, team_size=[3, 4])


def _staged(problem: Problem, budget: float = 5.0):
    return staged_roster(problem, allowed_seats(problem), seed=7, budget=budget)


@pytest.mark.parametrize("build", [_mixed, _rotation])
def test_staged_roster_verifies_and_sums_its_terms(build) -> None:
    problem = build()
    staged = _staged(problem)
    assert staged is not None
    plan = make_plan(problem, staged.seats, staged.arcs)
    assert verify(problem, plan) == []
    assert {s.target_id for s in plan.seats()} == {t.id for t in problem.targets}
    assert set(staged.terms) == {"balance", "department", "travel", "novelty", "workload"}
    # Same seed, same budget: the same roster (every stage runs on one worker, deterministic time).
    again = _staged(problem)
    assert again is not None and sorted(again.seats) == sorted(staged.seats)


def test_staged_rotation_honours_a_pin_that_fixes_the_arc() -> None:
    """A pinned cadre sent to a far county forces his pool's arc in the chosen cycle (R9)."""
    base = _rotation()
    pinned = make_problem(list(base.cadres), list(base.targets), team_size=[3, 4],
                          decisions=[pin("A1", "T30", Role.LEADER)])
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
    staged = _staged(problem, budget=2.0)
    if staged is not None:
        assert verify(problem, make_plan(problem, staged.seats, staged.arcs)) == []


def test_solve_falls_back_to_the_staged_roster(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large round, whole-round model finds nothing in its time: the verified staged roster stands."""
    problem = _mixed()
    monkeypatch.setattr(run, "WARM_START_SEATS", 0)
    real_params = run._params

    def no_time(solver, **kw) -> None:
        real_params(solver, **kw)
        solver.parameters.stop_after_presolve = True  # the whole-round model gets no search at all

    monkeypatch.setattr(run, "_params", no_time)
    seen: list[str] = []
    result = run.solve_monolithic(problem, seed=7, time_limit=10, workers=1,
                                  progress=lambda p: seen.append(p.phase), stop=threading.Event())
    assert result.status is Status.FEASIBLE
    assert result.plan is not None and result.violations == ()
    assert verify(problem, result.plan) == []
    assert result.bound is None and result.gap is None
    assert result.objective == sum(t.weighted for t in result.terms)
    assert seen == ["warmstart"]


def test_solve_improves_on_the_staged_roster(monkeypatch: pytest.MonkeyPatch) -> None:
    """With time, the whole-round model starts from the staged roster and never does worse."""
    problem = _mixed()
    monkeypatch.setattr(run, "WARM_START_SEATS", 0)
    staged = _staged(problem, budget=min(10 * run.WARM_START_SHARE, run.WARM_START_MAX))
    assert staged is not None
    result = run.solve_monolithic(problem, seed=7, time_limit=10, workers=1, progress=None,
                                  stop=threading.Event())
    assert result.plan is not None and verify(problem, result.plan) == []
    assert result.objective is not None
    assert result.objective <= run._weighted(problem, staged.terms)


@pytest.mark.parametrize("guided", [False, True])
@pytest.mark.parametrize("streams", [1, 2])
def test_polish_never_worsens_and_keeps_its_terms_right(streams: int, guided: bool) -> None:
    """Polishing re-staffs windows of teams; the roster verifies and its terms match a recount,
    also with two steps at a time (each claims its free cadres: nobody is seated twice), and
    with windows formed by the LP's solution."""
    from benchmarks.baselines import soft_goals

    problem = _mixed(teams_per_county=3)
    seats = allowed_seats(problem)
    staged = staged_roster(problem, seats, seed=7, budget=5.0)
    assert staged is not None
    polished = polish(problem, seats, staged, seed=7, budget=5.0, streams=streams,
                      guide=_lp_guide(problem) if guided else None)
    assert len({k[0] for k in polished.seats}) == len(polished.seats)
    plan = make_plan(problem, polished.seats, [])
    assert verify(problem, plan) == []
    recount = soft_goals(problem, plan)
    assert {k: recount[k] for k in polished.terms} == polished.terms
    assert run._weighted(problem, polished.terms) <= run._weighted(problem, staged.terms)
    if guided:
        assert not polished.reproducible  # when the guide arrived decided the windows


def test_a_round_too_big_to_build_keeps_its_staged_roster(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the whole-round model could not be built in the time, it is not built at all."""
    problem = _mixed()
    monkeypatch.setattr(run, "WARM_START_SEATS", 0)
    monkeypatch.setattr(run, "BUILD_SECONDS_PER_SEAT", 1.0)
    _forbid_whole_round_model(monkeypatch)
    result = run.solve_monolithic(problem, seed=7, time_limit=10, workers=1, progress=None,
                                  stop=threading.Event())
    assert result.status is Status.FEASIBLE and result.bound is None
    assert result.plan is not None and verify(problem, result.plan) == []


def test_a_round_too_big_to_build_gives_its_stages_most_of_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its staged roster is its only way to a roster: the stages get 80 % of the limit, not 25 %."""
    problem = _mixed()
    monkeypatch.setattr(run, "WARM_START_SEATS", 0)
    budgets: list[float] = []
    real = run.staged_roster

    def spy(*a: object, budget: float, **k: object):  # type: ignore[no-untyped-def]
        budgets.append(budget)
        return real(*a, budget=budget, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "staged_roster", spy)
    run.solve_monolithic(problem, seed=7, time_limit=10, workers=1, progress=None, stop=threading.Event())
    monkeypatch.setattr(run, "BUILD_SECONDS_PER_SEAT", 1.0)
    run.solve_monolithic(problem, seed=7, time_limit=10, workers=1, progress=None, stop=threading.Event())
    assert budgets == [min(10 * run.WARM_START_SHARE, run.WARM_START_MAX), 10 * run.TOO_BIG_STAGE_SHARE]


def test_a_round_too_big_to_build_without_a_staged_roster_says_so_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """No staged roster and no time to build the whole-round model: status unknown, at once,
    not a multi-GB model that overruns the limit (5,000 cadres: 117-156 s against 20 s)."""
    problem = _mixed()
    monkeypatch.setattr(run, "WARM_START_SEATS", 0)
    monkeypatch.setattr(run, "BUILD_SECONDS_PER_SEAT", 1.0)
    monkeypatch.setattr(run, "staged_roster", lambda *a, **k: None)
    _forbid_whole_round_model(monkeypatch)
    result = run.solve_monolithic(problem, seed=7, time_limit=10, workers=1, progress=None,
                                  stop=threading.Event())
    assert result.status is Status.UNKNOWN and result.plan is None
    assert result.runtime < 5


def test_an_error_in_the_whole_round_search_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-round model runs on a thread; what goes wrong there is raised to the caller, not lost."""
    problem = _mixed()

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("search failed")

    monkeypatch.setattr(run, "_run", broken)
    with pytest.raises(RuntimeError, match="search failed"):
        run.solve_monolithic(problem, seed=7, time_limit=5, workers=1, progress=None, stop=threading.Event())


def _lp_guide(problem: Problem) -> Future[Mapping[tuple[int, int], float] | None]:
    """The LP's preferences for ``problem`` as the bound thread hands them to polish."""
    guide: Future[Mapping[tuple[int, int], float] | None] = Future()
    guide.set_result(lp_mass(problem))
    return guide


def test_polish_waits_for_a_pending_guide_and_then_uses_it() -> None:
    """Unguided, this round's polish converges at once (reproducibly); with a guide still
    pending it keeps going, and the guide, once it arrives, forms its windows."""
    problem = _mixed()
    seats = allowed_seats(problem)
    staged = staged_roster(problem, seats, seed=7, budget=5.0)
    assert staged is not None
    alone = polish(problem, seats, staged, seed=7, budget=20.0)
    assert alone.reproducible and alone.wall - staged.wall < 1.0

    lp = _lp_guide(problem).result()
    used: list[int] = []
    real = warmstart._guided_windows

    def spy(*a: Any, **k: Any) -> Any:
        used.append(1)
        return real(*a, **k)

    guide: Future[Mapping[tuple[int, int], float] | None] = Future()
    timer = threading.Timer(1.5, guide.set_result, args=(lp,))
    timer.start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(warmstart, "_guided_windows", spy)
            guided = polish(problem, seats, staged, seed=7, budget=20.0, guide=guide)
    finally:
        timer.cancel()
    assert used and not guided.reproducible
    assert verify(problem, make_plan(problem, guided.seats, [])) == []


def test_a_guide_that_resolves_to_nothing_leaves_polish_as_it_was() -> None:
    problem = _mixed()
    seats = allowed_seats(problem)
    staged = staged_roster(problem, seats, seed=7, budget=5.0)
    assert staged is not None
    none: Future[Mapping[tuple[int, int], float] | None] = Future()
    none.set_result(None)
    alone = polish(problem, seats, staged, seed=7, budget=20.0)
    with_none = polish(problem, seats, staged, seed=7, budget=20.0, guide=none)
    assert with_none.reproducible and with_none.seats == alone.seats


def test_guided_windows_partition_the_teams_and_follow_the_lp() -> None:
    teams = list(range(20))
    current = {j: [(100 + j, j, Role.MEMBER)] for j in teams}  # cadre 100 + j sits on team j
    mass = {
        (115, 0): 0.9,  # the LP wants team 15's cadre on team 0 ...
        (100, 7): 0.5,  # ... and team 0's cadre on team 7
        (999, 0): 1.0,  # a free cadre on team 0
        (998, 12): 1.0,  # and one on team 12, outside the first window
    }
    windows = warmstart._guided_windows(teams, current, mass)
    assert sorted(j for w, _ in windows for j in w) == teams
    assert all(len(w) <= warmstart.WINDOW for w, _ in windows)
    first, wanted = windows[0]
    assert first[:3] == [0, 15, 7]  # strongest pull first, then the other direction
    assert 999 in wanted and 998 not in wanted
    # Without any preference, windows are consecutive runs of ``teams``.
    plain = warmstart._guided_windows(teams, current, {})
    assert [w for w, _ in plain] == [teams[i:i + warmstart.WINDOW] for i in range(0, 20, warmstart.WINDOW)]
