"""Minimal-change re-planning: the fewest changed seats first, then the soft goals.

A seat is (cadre, team, role); the number of changes is the size of the symmetric
difference between the old and the new seat sets. The previous roster is a hint to the
search *and* the change count is the objective: hints alone would only start the search
near the old roster, not keep it there. In rotation mode the previous cycle is kept as a
hard rule unless that is impossible.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ...domain.plan import SolveResult, Status
from ...problem.eligibility import SeatKey
from ..model import CrossModel, build_model
from .assemble import chosen_seats, extract_plan, term_values
from .context import Search
from .cpsat import Outcome, best, portfolio
from .lexicographic import PhaseRunner, answer, lexicographic


@dataclass
class Nearest:
    """The re-planned round: its result, how many seats changed, and whether that count is
    proven minimal and the previous cycle kept."""

    result: SolveResult
    changed_seats: int = 0
    changes_proven: bool = False
    cycle_kept: bool = True


def nearest(search: Search, old: set[SeatKey], keep_arcs: Collection[tuple[str, str]]) -> Nearest:
    """The roster closest to ``old`` seats, keeping the ``keep_arcs`` cycle where possible."""
    attempts = (True, False) if keep_arcs else (False,)
    for keep in attempts:
        built, changes = _model(search, old, keep_arcs if keep else ())
        phases = lexicographic(built.model, [changes, built.main_objective], _runner(search), _hinter(built))
        first = phases[0]
        if first.found or first.status != cp_model.INFEASIBLE:
            break
    if not first.found:
        status = Status.INFEASIBLE if first.status == cp_model.INFEASIBLE else Status.UNKNOWN
        return Nearest(search.result(status), cycle_kept=False)
    return _nearest(search, built, changes, phases, cycle_kept=keep or not keep_arcs)


def _model(
    search: Search, old: set[SeatKey], arcs: Collection[tuple[str, str]]
) -> tuple[CrossModel, cp_model.LinearExprT]:
    built = build_model(search.problem)
    v = built.vars
    for arc in arcs:
        lit = v.arc.get(arc)
        if lit is None:
            built.model.add_bool_or([])  # the old arc is no longer allowed at all
        else:
            built.model.add(lit == 1)
    gone = sum(1 for k in old if k not in v.x)  # old seats that can no longer exist
    changes = gone + sum(1 - x for k, x in v.x.items() if k in old) + sum(x for k, x in v.x.items() if k not in old)
    v.warmstart(built.model, old)
    return built, changes


def _hinter(built: CrossModel) -> Callable[[cp_model.CpSolver], None]:
    return lambda solver: built.vars.warmstart(built.model, set(chosen_seats(built, solver)))


def _runner(search: Search) -> PhaseRunner:
    """The fewest changes get ``changes_share`` of the effort, the soft goals the rest; each
    phase runs the portfolio side by side."""
    params = search.params

    def run_phase(k: int, model: cp_model.CpModel) -> Outcome | None:
        if search.stop.is_set():
            return None
        share = params.changes_share if k == 0 else 1 - params.changes_share
        outcomes = portfolio(
            model.clone,
            params.portfolio,
            seed=search.search_seed,
            units=search.effort * share / len(params.portfolio),
            seconds=search.left,
            workers=search.workers,
            stop=search.stop,
        )
        for o in outcomes:
            search.spend(o.units)
            if o.wall_cut:
                search.cut_by_clock("重新编组", "the re-plan")
        chosen = best(outcomes)
        if chosen is None:
            return outcomes[0]
        if any(o.optimal for o in outcomes):
            optimum = min(o.solver.objective_value for o in outcomes if o.optimal)
            if chosen.solver.objective_value <= optimum:
                chosen.status = cp_model.OPTIMAL
        chosen.bound = max(o.bound for o in outcomes if o.found and o.bound is not None)
        return chosen

    return run_phase


def _nearest(
    search: Search, built: CrossModel, changes: cp_model.LinearExprT, phases: list[Outcome], *, cycle_kept: bool
) -> Nearest:
    final = answer(phases)
    assert final is not None
    plan = extract_plan(search.problem, built, final.solver)
    terms = search.terms(term_values(built, final.solver))
    proven = phases[0].optimal
    optimal = proven and len(phases) == 2 and phases[1].optimal
    second = phases[1] if len(phases) == 2 and phases[1] is final else None
    result = search.result(
        Status.OPTIMAL if optimal else Status.FEASIBLE,
        plan=plan,
        objective=sum(t.weighted for t in terms),
        bound=second.bound if second is not None else None,
        gap=0.0 if optimal else None,
        terms=terms,
        violations=search.verified(plan),
    )
    return Nearest(result, round(final.solver.value(changes)), proven, cycle_kept)
