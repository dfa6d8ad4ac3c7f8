"""A proven lower bound on a round's objective, from the LP relaxation of its CP-SAT model.

On a township round (~160,000 seat literals) CP-SAT's own bound lags far behind the
LP relaxation: its presolve alone took most of a minute, and after it the bound
climbed slowly (1,795 after 60 s, against an LP optimum of 1,953). GLOP's simplex
needs ~40 s for that LP. PDLP, OR-Tools' first-order LP solver, reaches it in ~7 s on
one core, but its duals are only approximately optimal, so its objective is no proof.
PDLP is called through MathOpt, whose solve lets other Python threads run meanwhile.

The proof is Lagrangian duality: for any row multipliers y,

    L(y) = offset + Σ_r (y_r·lo_r if y_r > 0 else y_r·hi_r) + Σ_k min(rc_k·l_k, rc_k·u_k),

with rc = c − Aᵀy, is at most the LP's optimum, hence at most every roster's
objective. So PDLP's duals, however rough (even from a run stopped by the clock), give
a valid bound, and its numerical tolerances cannot make the bound wrong: only the
arithmetic of L(y) itself matters, done here in float64 with a margin before rounding
up. Near PDLP's optimum, L(y) is within a fraction of a unit of the LP optimum.

The relaxation is taken from the model's proto, so it relaxes exactly the model that
is solved; a constraint it does not translate (enforced, circuit, …) is dropped,
which only weakens the bound.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import numpy as np
from ortools.math_opt import callback_pb2, model_parameters_pb2, model_pb2, parameters_pb2, result_pb2
from ortools.math_opt.core.python import solver as math_opt_solver
from ortools.sat.python import cp_model

from ...problem import Problem
from ...problem.eligibility import SeatKey
from ..model import CrossModel, build_model

#: Relative margin taken off a float bound before rounding it up to an integer.
MARGIN = 1e-7


@dataclass(frozen=True)
class Relaxation:
    """min cost·x + offset s.t. row_lo ≤ A x ≤ row_hi, lower ≤ x ≤ upper (A as COO)."""

    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray
    offset: float
    row_lo: np.ndarray
    row_hi: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    #: every objective coefficient and the offset are integers: so is every roster's value
    integral: bool

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        return len(self.row_lo)

    def reduced_costs(self, y: np.ndarray) -> np.ndarray:
        return self.cost - np.bincount(self.cols, weights=y[self.rows] * self.vals, minlength=self.n_cols)

    def lagrangian(self, y: np.ndarray) -> float:
        """L(y): a lower bound on the LP optimum for any multipliers y (see module docstring)."""
        # A multiplier that would price an infinite row bound gives −∞; zero it instead,
        # which is just another choice of y.
        y = np.where((y > 0) & ~np.isfinite(self.row_lo), 0.0, y)
        y = np.where((y < 0) & ~np.isfinite(self.row_hi), 0.0, y)
        rows = np.where(
            y > 0, y * np.nan_to_num(self.row_lo, neginf=0.0), y * np.nan_to_num(self.row_hi, posinf=0.0)
        ).sum()
        rc = self.reduced_costs(y)
        cols = np.where(rc >= 0, rc * self.lower, rc * self.upper).sum()
        return float(self.offset + rows + cols)


def relaxation(model: cp_model.CpModel) -> Relaxation | None:
    """The LP relaxation of a minimisation model, or None when it cannot be bounded so."""
    proto = model.proto
    obj = proto.objective
    if _has(proto, "floating_point_objective") or not len(obj.vars):
        return None
    if obj.scaling_factor not in (0.0, 1.0):
        return None  # a maximisation, or a scaled objective: not what this bound is for
    n = len(proto.variables)
    lower = np.empty(n)
    upper = np.empty(n)
    for v, var in enumerate(proto.variables):
        domain = var.domain  # the hull: holes only weaken the relaxation
        lower[v], upper[v] = domain[0], domain[len(domain) - 1]
    cost = np.zeros(n)
    offset = float(obj.offset)
    for ref, c in zip(obj.vars, obj.coeffs, strict=True):
        if ref >= 0:
            cost[ref] += c
        else:  # ¬x = 1 − x
            cost[-ref - 1] -= c
            offset += c
    integral = bool(np.all(cost == np.round(cost))) and offset == round(offset)

    # One flat list per COO array, turned into numpy once: ~10⁵ rows on a township round.
    row_lo: list[float] = []
    row_hi: list[float] = []
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []

    def add(refs: list[int], coefs: list[int], lo: float, hi: float) -> None:
        if refs and min(refs) < 0:  # a·¬x = a − a·x: move the constant to the bounds
            shift = sum(a for r, a in zip(refs, coefs, strict=True) if r < 0)
            lo, hi = lo - shift, hi - shift
            coefs = [-a if r < 0 else a for r, a in zip(refs, coefs, strict=True)]
            refs = [-r - 1 if r < 0 else r for r in refs]
        rows.extend([len(row_lo)] * len(refs))
        cols.extend(refs)
        vals.extend(coefs)
        row_lo.append(lo)
        row_hi.append(hi)

    big = 2**62
    for ct in proto.constraints:
        if len(ct.enforcement_literal):
            continue  # dropping a constraint relaxes the model: the bound stays valid
        kind = _kind(ct)
        if kind == "linear":
            domain = ct.linear.domain
            first, last = domain[0], domain[len(domain) - 1]
            add(
                list(ct.linear.vars),
                list(ct.linear.coeffs),
                -math.inf if first <= -big else float(first),
                math.inf if last >= big else float(last),
            )
        elif kind == "at_most_one":
            lits = list(ct.at_most_one.literals)
            add(lits, [1] * len(lits), -math.inf, 1.0)
        elif kind == "exactly_one":
            lits = list(ct.exactly_one.literals)
            add(lits, [1] * len(lits), 1.0, 1.0)
        elif kind == "bool_or":
            lits = list(ct.bool_or.literals)
            add(lits, [1] * len(lits), 1.0, math.inf)
    return Relaxation(
        lower=lower,
        upper=upper,
        cost=cost,
        offset=offset,
        row_lo=np.asarray(row_lo, dtype=np.float64),
        row_hi=np.asarray(row_hi, dtype=np.float64),
        rows=np.asarray(rows, dtype=np.int64),
        cols=np.asarray(cols, dtype=np.int64),
        vals=np.asarray(vals, dtype=np.float64),
        integral=integral,
    )


# OR-Tools ≤ 9.12 exposes the model as a protobuf message, later versions as their own
# wrapper (has_linear() instead of HasField/WhichOneof); both are read the same way.


def _has(message: Any, field: str) -> bool:
    has = getattr(message, f"has_{field}", None)
    return bool(has()) if has is not None else message.HasField(field)


def _kind(ct: Any) -> str | None:
    which = getattr(ct, "WhichOneof", None)
    if which is not None:
        return cast(str | None, which("constraint"))
    return next((k for k in ("linear", "at_most_one", "exactly_one", "bool_or") if _has(ct, k)), None)


@dataclass(frozen=True)
class Bound:
    """A proven lower bound, and how it was reached."""

    value: float
    #: PDLP reported its LP solution optimal (within its tolerances)
    lp_optimal: bool
    seconds: float
    #: PDLP's (approximate) primal solution, one value per model variable: not part of
    #: the proof, only a guide to where good rosters are (see ``team_mass``)
    values: np.ndarray | None = None
    #: the clock or an interruption, not optimality or the iteration count, ended PDLP:
    #: its solution then depends on the machine
    cut: bool = False


def lp_bound(
    model: cp_model.CpModel,
    *,
    deadline: float,
    threads: int = 1,
    iterations: int | None = None,
    stop: threading.Event | None = None,
) -> Bound | None:
    """A lower bound on ``model``'s objective: L(y) at PDLP's duals (see the module docstring).

    PDLP stops at its optimum or at ``deadline`` (``time.monotonic()``), whichever is
    first, or soon after ``stop`` is set (on OR-Tools versions that can interrupt it).
    None when the model has no linear relaxation to bound or PDLP returned no duals.
    """
    start = time.monotonic()
    lp = relaxation(model)
    if lp is None or lp.n_rows == 0 or deadline <= time.monotonic():
        return None
    params = parameters_pb2.SolveParametersProto()
    params.threads = threads
    params.time_limit.FromTimedelta(timedelta(seconds=max(deadline - time.monotonic(), 0.01)))
    if iterations is not None:
        # A fixed iteration count, not the clock, ends PDLP: its iterates on one thread are
        # the same on every machine, so what the core search is built from is too.
        params.iteration_limit = iterations
    # MathOpt's solve releases the GIL while PDLP runs; MPSolver's SolveWithProto holds it
    # throughout, and every polishing thread would stand still until the LP is done.
    with _interruptible(stop) as interrupter:
        result = math_opt_solver.solve(
            _model_proto(lp),
            parameters_pb2.SOLVER_TYPE_PDLP,
            parameters_pb2.SolverInitializerProto(),
            params,
            model_parameters_pb2.ModelSolveParametersProto(),
            None,
            callback_pb2.CallbackRegistrationProto(),
            None,
            interrupter,
        )
    solution = next((s for s in result.solutions if s.HasField("dual_solution")), None)
    if solution is None:
        return None
    y = _dense(solution.dual_solution.dual_values, lp.n_rows)
    best = lp.lagrangian(y)
    if not math.isfinite(best):
        return None
    proven = best - MARGIN * max(1.0, abs(best))
    values = (
        _dense(solution.primal_solution.variable_values, lp.n_cols) if solution.HasField("primal_solution") else None
    )
    return Bound(
        value=float(math.ceil(proven)) if lp.integral else proven,
        lp_optimal=result.termination.reason == result_pb2.TERMINATION_REASON_OPTIMAL,
        seconds=time.monotonic() - start,
        values=values,
        cut=result.termination.limit in (result_pb2.LIMIT_TIME, result_pb2.LIMIT_INTERRUPTED),
    )


def team_mass(built: CrossModel, values: np.ndarray, floor: float = 0.02) -> dict[tuple[int, int], float]:
    """How much of each cadre the LP puts on each team, in any role: (cadre, team) -> mass.

    Only pairs at or above ``floor`` are kept: below it a pair is noise of PDLP's
    tolerances, not a preference. ``values`` are the LP's column values for
    ``built.model`` (``Bound.values``).
    """
    mass: dict[tuple[int, int], float] = defaultdict(float)
    for (i, j, _), x in built.vars.x.items():
        value = float(values[x.index])
        if value > 0:
            mass[(i, j)] += value
    return {pair: m for pair, m in mass.items() if m >= floor}


def round_model(problem: Problem, seats: tuple[list[SeatKey], set[SeatKey]]) -> CrossModel:
    """The whole-round model to relax (``.model``), soft goals as the objective.

    Novelty is left out: it is never negative, so the relaxed model's optimum is still
    at most every roster's objective, and its ~10⁵ cut rows would make the LP
    25 times taller for a term that is 0 on good rosters.
    """
    weights = problem.rules.weights.model_copy(update={"novelty": 0})
    relaxed = dataclasses.replace(problem, rules=problem.rules.model_copy(update={"weights": weights}))
    built = build_model(relaxed, seats=seats)
    built.model.minimize(built.main_objective)
    return built


def _model_proto(lp: Relaxation) -> model_pb2.ModelProto:
    """The relaxation as a MathOpt model, every field filled by slices (not per coefficient)."""
    proto = model_pb2.ModelProto()
    columns = proto.variables
    columns.ids.extend(range(lp.n_cols))
    columns.lower_bounds.extend(lp.lower.tolist())
    columns.upper_bounds.extend(lp.upper.tolist())
    columns.integers.extend([False] * lp.n_cols)
    priced = np.flatnonzero(lp.cost)
    proto.objective.linear_coefficients.ids.extend(priced.tolist())
    proto.objective.linear_coefficients.values.extend(lp.cost[priced].tolist())
    proto.objective.offset = lp.offset
    proto.linear_constraints.ids.extend(range(lp.n_rows))
    proto.linear_constraints.lower_bounds.extend(lp.row_lo.tolist())
    proto.linear_constraints.upper_bounds.extend(lp.row_hi.tolist())
    # MathOpt wants the matrix row-major, each (row, column) once: merge repeats.
    cells, where = np.unique(lp.rows * lp.n_cols + lp.cols, return_inverse=True)
    coefficients = np.bincount(where, weights=lp.vals)
    kept = coefficients != 0
    matrix = proto.linear_constraint_matrix
    matrix.row_ids.extend((cells[kept] // lp.n_cols).tolist())
    matrix.column_ids.extend((cells[kept] % lp.n_cols).tolist())
    matrix.coefficients.extend(coefficients[kept].tolist())
    return proto


def _dense(vector: Any, n: int) -> np.ndarray:
    """A MathOpt sparse vector (ids, values) as a dense array of length n."""
    out = np.zeros(n)
    out[np.asarray(vector.ids, dtype=np.int64)] = np.asarray(vector.values, dtype=np.float64)
    return out


@contextmanager
def _interruptible(stop: threading.Event | None) -> Iterator[Any]:
    """A MathOpt interrupter tripped when ``stop`` is set, for as long as the block runs.

    OR-Tools 9.12 and earlier have no such interrupter for Python (9.15 has): PDLP then runs
    to its own deadline.
    """
    try:
        from ortools.util.python import solve_interrupter
    except ImportError:
        solve_interrupter = None
    if stop is None or solve_interrupter is None:
        yield None
        return
    interrupter = solve_interrupter.SolveInterrupter()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if stop.is_set():
                interrupter.interrupt()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield interrupter.pybind_interrupter
    finally:
        done.set()
        watcher.join()
