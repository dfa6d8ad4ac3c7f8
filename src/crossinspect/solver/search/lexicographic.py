"""Lexicographic optimisation: minimise one objective, keep it, then minimise the next.

Every solve in this package is lexicographic: the soft goals first, then the lottery
among rosters as good (R11); a re-plan's changed seats first, then the soft goals. Each
phase after the first keeps the previous objective at its value, with ``==`` when that
value was proven optimal and ``<=`` otherwise (a roster at least as good), and starts
from the previous phase's roster as a hint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from .cpsat import found


@dataclass
class Phase:
    """One phase's outcome: its status, the solver holding its roster, the value reached."""

    status: Any
    solver: cp_model.CpSolver
    interrupted: bool = False

    @property
    def found(self) -> bool:
        return found(self.status)

    @property
    def optimal(self) -> bool:
        return bool(self.status == cp_model.OPTIMAL)

    @property
    def value(self) -> int:
        return round(self.solver.objective_value)


#: Runs phase k on the model as it stands: a (status, solver, interrupted) triple, or None
#: to stop before phase k (no time left, or the search was interrupted).
PhaseRunner = Callable[[int, cp_model.CpModel], "tuple[Any, cp_model.CpSolver, bool] | None"]


def lexicographic(model: cp_model.CpModel, objectives: Sequence[cp_model.LinearExprT],
                  run_phase: PhaseRunner, hint: Callable[[cp_model.CpSolver], None]) -> list[Phase]:
    """Minimise each objective in turn, keeping the earlier ones (see the module).

    ``hint`` puts a phase's roster into the model as the next phase's hint. Returns the
    phases run, in order; the last one that found a roster holds the answer. A phase
    that finds nothing ends the sequence.
    """
    phases: list[Phase] = []
    for k, objective in enumerate(objectives):
        if phases:
            previous, expr = phases[-1], objectives[k - 1]
            model.add(expr == previous.value if previous.optimal else expr <= previous.value)
            hint(previous.solver)
        model.minimize(objective)
        ran = run_phase(k, model)
        if ran is None:
            break
        status, solver, interrupted = ran
        phases.append(Phase(status, solver, interrupted))
        if not phases[-1].found or interrupted:
            break
    return phases


def answer(phases: Sequence[Phase]) -> Phase | None:
    """The last phase that found a roster."""
    return next((p for p in reversed(phases) if p.found), None)
