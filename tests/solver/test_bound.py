"""The LP bound of large rounds: never above a proven optimum, the LP's optimum when
PDLP converges, and valid for any multipliers, as duality says."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from crossinspect import solve
from crossinspect.domain.plan import Status
from crossinspect.problem import Problem
from crossinspect.problem.eligibility import allowed_seats
from crossinspect.solver import SolveParams
from crossinspect.solver.search import bound as bound_module
from crossinspect.solver.search.bound import Relaxation, lp_bound, relaxation, round_model
from crossinspect.solver.search.monolithic import solve_monolithic
from crossinspect.verify import verify
from factories import mixed_problem, search_of
from strategies import mixed_round

_mixed = mixed_problem


def _optimum(problem: Problem) -> int:
    """The proven optimum of the soft goals, from the whole-round CP-SAT model."""
    result = solve(problem, seed=3, time_limit=30, workers=2)
    assert result.status is Status.OPTIMAL and result.objective is not None
    return result.objective


def _full_lp(lp: Relaxation) -> tuple[float, np.ndarray]:
    """The same LP solved by GLOP's simplex instead of PDLP: value and row duals."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    xs = [solver.NumVar(float(lo), float(hi), "") for lo, hi in zip(lp.lower, lp.upper, strict=True)]
    cts = [solver.Constraint(float(lo), float(hi)) for lo, hi in zip(lp.row_lo, lp.row_hi, strict=True)]
    for r, c, a in zip(lp.rows.tolist(), lp.cols.tolist(), lp.vals.tolist(), strict=True):
        cts[r].SetCoefficient(xs[c], cts[r].GetCoefficient(xs[c]) + a)
    objective = solver.Objective()
    for c, cost in enumerate(lp.cost.tolist()):
        objective.SetCoefficient(xs[c], cost)
    objective.SetMinimization()
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return float(objective.Value()) + lp.offset, np.array([ct.dual_value() for ct in cts])


def _bound_of(problem: Problem) -> tuple[float, Relaxation, bool]:
    model = round_model(problem, allowed_seats(problem)).model
    lp = relaxation(model)
    assert lp is not None
    bound = lp_bound(model, deadline=time.monotonic() + 30)
    assert bound is not None
    return bound.value, lp, bound.lp_optimal


def test_bound_is_the_whole_lp_optimum_and_below_the_optimum() -> None:
    problem = _mixed()
    value, lp, lp_optimal = _bound_of(problem)
    assert lp_optimal
    full = _full_lp(lp)[0]  # GLOP's simplex on the same LP, for comparison
    assert full - 0.05 <= value <= math.ceil(full - 1e-6)
    optimum = _optimum(problem)
    assert 0 < value <= optimum


def _inner_minimum(lp: Relaxation, y: np.ndarray) -> float:
    """min over the box of c·x − yᵀ(Ax − s), s within the row bounds, by GLOP: L(y) from its definition."""
    dense = np.zeros((lp.n_rows, lp.n_cols))
    np.add.at(dense, (lp.rows, lp.cols), lp.vals)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    objective = solver.Objective()
    for c, coef in enumerate((lp.cost - dense.T @ y).tolist()):
        objective.SetCoefficient(solver.NumVar(float(lp.lower[c]), float(lp.upper[c]), ""), coef)
    for r in range(lp.n_rows):
        objective.SetCoefficient(solver.NumVar(float(lp.row_lo[r]), float(lp.row_hi[r]), ""), float(y[r]))
    objective.SetMinimization()
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return float(objective.Value()) + lp.offset


def test_lagrangian_matches_its_definition_and_never_exceeds_the_lp() -> None:
    """L(y) is the Lagrangian's inner minimum for any multipliers (signs matching the finite
    row bounds), equals the LP optimum at the optimal duals, and never exceeds it."""
    problem = _mixed()
    _, lp, _ = _bound_of(problem)
    best, duals = _full_lp(lp)
    assert lp.lagrangian(duals) == pytest.approx(best, abs=1e-6)
    rng = np.random.default_rng(11)
    for scale in (0.01, 0.3, 3.0):
        for _ in range(10):
            y = duals + rng.normal(0.0, scale, lp.n_rows)
            y = np.where(np.isfinite(lp.row_lo), y, np.minimum(y, 0.0))
            y = np.where(np.isfinite(lp.row_hi), y, np.maximum(y, 0.0))
            assert lp.lagrangian(y) == pytest.approx(_inner_minimum(lp, y), abs=1e-6)
            assert lp.lagrangian(y) <= best + 1e-6


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_round())
def test_property_bound_never_exceeds_the_proven_optimum(problem: Problem) -> None:
    bound = lp_bound(round_model(problem, allowed_seats(problem)).model, deadline=time.monotonic() + 20)
    result = solve(problem, seed=3, time_limit=20, workers=1)
    if result.status is Status.INFEASIBLE:
        return  # nothing to bound (the LP may still be feasible: it is a relaxation)
    assert result.objective is not None and result.status is Status.OPTIMAL
    assert bound is not None and bound.value <= result.objective


def test_relaxation_reads_each_constraint_kind() -> None:
    m = cp_model.CpModel()
    x, y, z = (m.new_bool_var(n) for n in "xyz")
    n = m.new_int_var(0, 5, "n")
    m.add(2 * x + 3 * y - n <= 4)
    m.add_at_most_one([x, ~y])  # x + (1 − y) ≤ 1  →  x − y ≤ 0
    m.add_exactly_one([y, z])
    m.add_bool_or([~x, z])  # (1 − x) + z ≥ 1  →  −x + z ≥ 0
    m.add(x + y + z >= 3).only_enforce_if(x)  # enforced: dropped, which only relaxes
    m.minimize(x + 2 * y + 3 * z + n + 7)
    lp = relaxation(m)
    assert lp is not None and lp.integral
    assert lp.n_rows == 4 and lp.offset == 7
    assert lp.cost.tolist() == [1, 2, 3, 1]
    dense = np.zeros((lp.n_rows, lp.n_cols))
    np.add.at(dense, (lp.rows, lp.cols), lp.vals)
    assert dense.tolist() == [[2, 3, 0, -1], [1, -1, 0, 0], [0, 1, 1, 0], [-1, 0, 1, 0]]
    assert lp.row_lo[1:].tolist() == [-math.inf, 1, 0] and lp.row_hi.tolist() == [4, 0, 1, math.inf]
    assert lp.upper.tolist() == [1, 1, 1, 5]


def test_a_maximisation_gets_no_bound() -> None:
    m = cp_model.CpModel()
    x = m.new_bool_var("x")
    m.maximize(x)
    assert relaxation(m) is None


#: Every round counts as large: staged, polished, bounded by the LP.
POLISHED = SolveParams(warm_start_seats=0, large_model_seats=0)


def test_large_mixed_rounds_report_the_lp_bound() -> None:
    """The polishing path proves its gap with the LP bound, not with the whole-round model."""
    problem = _mixed()
    optimum = _optimum(problem)
    result = solve_monolithic(search_of(problem, params=POLISHED, effort=6, workers=2))
    assert result.plan is not None and verify(problem, result.plan) == []
    assert result.objective is not None and result.bound is not None and result.gap is not None
    assert result.bound <= optimum <= result.objective
    assert result.gap == pytest.approx((result.objective - result.bound) / result.objective)
    assert "bound" in result.timings
    assert "core" in result.timings  # the LP came back in time, and its core was searched


def test_an_error_in_the_bound_thread_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = _mixed()

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("bound failed")

    monkeypatch.setattr(bound_module, "round_model", broken)
    with pytest.raises(RuntimeError, match="bound failed"):
        solve_monolithic(search_of(problem, params=POLISHED, effort=4, workers=2))


def test_setting_stop_interrupts_the_lp() -> None:
    """``stop`` reaches PDLP through MathOpt's interrupter (OR-Tools 9.15; 9.12 has none), so a stopped
    solve does not leave the LP running to its deadline."""
    pytest.importorskip("ortools.util.python.solve_interrupter")
    stop = threading.Event()
    with bound_module._interruptible(stop) as interrupter:
        assert interrupter is not None and not interrupter.interrupted
        stop.set()
        for _ in range(200):
            if interrupter.interrupted:
                break
            time.sleep(0.01)
        assert interrupter.interrupted
    with bound_module._interruptible(None) as nothing:
        assert nothing is None


def test_an_interrupted_lp_still_gives_only_a_valid_bound() -> None:
    problem = _mixed()
    stop = threading.Event()
    stop.set()
    model = round_model(problem, allowed_seats(problem)).model
    bound = lp_bound(model, deadline=time.monotonic() + 30, stop=stop)
    assert bound is None or bound.value <= _optimum(problem)


def test_team_mass_puts_each_cadre_at_most_once_on_allowed_teams() -> None:
    problem = _mixed(3)
    seats = allowed_seats(problem)
    built = round_model(problem, seats)
    bound = lp_bound(built.model, deadline=time.monotonic() + 30)
    assert bound is not None and bound.values is not None
    mass = bound_module.team_mass(built, bound.values)
    allowed = {(i, j) for i, j, _ in seats[0]}
    assert mass and set(mass) <= allowed
    per_cadre: dict[int, float] = {}
    for (i, _), m in mass.items():
        per_cadre[i] = per_cadre.get(i, 0.0) + m
    assert max(per_cadre.values()) <= 1 + 1e-3
    # Every team is staffed by the LP: at least its smallest size, in mass (all of it,
    # not only the pairs above the floor).
    mass = bound_module.team_mass(built, bound.values, floor=1e-9)
    for j in range(len(problem.targets)):
        staffed = sum(m for (_, t), m in mass.items() if t == j)
        assert staffed >= problem.target_size(j)[0] - 0.05
