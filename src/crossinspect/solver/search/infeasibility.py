"""An infeasible core: rule instances that cannot all hold together (for ``explain``).

Every rule instance carries an enforcement literal (``model.guards``); solving under the
assumption that all of them hold, CP-SAT's ``SufficientAssumptionsForInfeasibility``
gives a subset that cannot hold together, which is then shrunk by deletion to a minimal
one within a time budget.
"""

from __future__ import annotations

import time
from typing import Any

from ortools.sat.python import cp_model

from ...domain.catalogue import RuleInstance
from ...problem import Problem
from ..model import build_model
from .cpsat import new_solver


def _solve_with(
    model: cp_model.CpModel, assumptions: list[cp_model.IntVar], limit: float
) -> tuple[Any, cp_model.CpSolver]:
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    # One worker: assumption cores are only reported by the sequential search.
    solver = new_solver(seed=1, units=1e9, seconds=max(limit, 0.05))
    return solver.solve(model), solver


def infeasible_core(problem: Problem, *, budget: float = 8.0) -> tuple[list[RuleInstance], bool]:
    """A set of rule instances that cannot all hold, shrunk to a minimal one if time allows.

    Returns the keys (empty when the round is not proven infeasible in the budget) and
    whether minimality was proven (every deletion was tried).
    """
    start = time.monotonic()
    built = build_model(problem, explain=True)
    guards = built.guards
    assert guards is not None
    by_index = guards.key_of()
    lits = dict(guards.lits)
    status, solver = _solve_with(built.model, list(lits.values()), budget / 2)
    if status != cp_model.INFEASIBLE:
        return [], False
    # Some OR-Tools versions return literals that are not ours; keep only our guards.
    core = sorted({by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index})
    minimal = True
    for key in list(core):
        if time.monotonic() - start > budget:
            minimal = False
            break
        trial = [lits[k] for k in core if k != key]
        status, solver = _solve_with(built.model, trial, max(0.2, (budget - (time.monotonic() - start)) / 4))
        if status == cp_model.INFEASIBLE:
            core = sorted(
                {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index}
                & set(core) - {key}
            ) or [k for k in core if k != key]
        elif status != cp_model.FEASIBLE and status != cp_model.OPTIMAL:
            minimal = False
    return core, minimal
