"""Lexicographic optimisation: minimise one objective, keep it, then minimise the next.

Every solve in this package is lexicographic: the soft goals first, then the lottery
among rosters as good (R11); a re-plan's changed seats first, then the soft goals. Each
phase after the first keeps the previous objective at its value, with ``==`` when that
value was proven optimal and ``<=`` otherwise (a roster at least as good), and starts
from the previous phase's roster as a hint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from .cpsat import Outcome

#: Runs phase k on the model as it stands and returns its outcome, or None to stop before
#: phase k (the search was stopped, or the safety stop is near).
PhaseRunner = Callable[[int, cp_model.CpModel], "Outcome | None"]


def lexicographic(
    model: cp_model.CpModel,
    objectives: Sequence[cp_model.LinearExprT],
    run_phase: PhaseRunner,
    hint: Callable[[cp_model.CpSolver], None],
) -> list[Outcome]:
    """Minimise each objective in turn, keeping the earlier ones (see the module).

    ``hint`` puts a phase's roster into the model as the next phase's hint. Returns the
    phases run, in order; the last one that found a roster holds the answer. A phase that
    finds nothing, or is interrupted, ends the sequence.
    """
    phases: list[Outcome] = []
    for k, objective in enumerate(objectives):
        if phases:
            previous, expr = phases[-1], objectives[k - 1]
            value = round(previous.solver.objective_value)
            model.add(expr == value if previous.optimal else expr <= value)
            hint(previous.solver)
        model.minimize(objective)
        outcome = run_phase(k, model)
        if outcome is None:
            break
        phases.append(outcome)
        if not outcome.found or outcome.interrupted:
            break
    return phases


def answer(phases: Sequence[Outcome]) -> Outcome | None:
    """The last phase that found a roster."""
    return next((p for p in reversed(phases) if p.found), None)
