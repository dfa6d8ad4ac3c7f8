"""Round-robin rotation (推磨式, R3): the solver picks the cycle of county pools.

Every county's pool goes as a body to exactly one other county and every county
receives exactly one pool. With ``single_cycle`` the arcs form one Hamiltonian
circuit (``AddCircuit``); otherwise any permutation without fixed points. Arcs
used in looked-back rounds never exist, so they cannot be repeated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from ...domain.catalogue import Kind
from ...problem import Problem
from .guards import Guards, enforce
from .variables import Variables


def add_rotation(model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None) -> None:
    rules = problem.rules
    counties = problem.counties
    for u in counties:
        for w in counties:
            # When explaining, history arcs exist but are guarded, so the core can name them.
            if u != w and ((u, w) not in problem.past_arcs or guards is not None):
                v.arc[(u, w)] = model.new_bool_var(f"arc_{u}_{w}")
    if not v.arc:
        model.add_bool_or([])  # one county, or history used every arc: no rotation exists
        return
    if guards is not None:
        for (u, w), lit in v.arc.items():
            if (u, w) in problem.past_arcs:
                enforce(model.add(lit == 0), guards, Kind.HISTORY_ARC)
    add_cycle_cover(model, counties, v.arc, single=rules.single_cycle and guards is None)
    if rules.single_cycle and guards is not None:
        # AddCircuit cannot be made conditional; the MTZ order constraints can, and
        # with the in/out constraints above they say the same: one cycle through all.
        _single_cycle_mtz(model, counties, v, guards)
    if rules.forbid_reciprocal:
        for ct in add_no_reciprocal(model, v.arc):
            enforce(ct, guards, Kind.RECIPROCAL)
    # A non-local seat on a team in county w may only be taken by the pool sent to w.
    # Per seat the implication is exact; the aggregated form per (pool, team) is
    # redundant but gives the LP relaxation the link between arcs and seat counts,
    # which is what bounds the travel and balance terms.
    per_pool: dict[tuple[str, int], list[cp_model.IntVar]] = {}
    for key, x in v.x.items():
        if key in v.local:
            continue
        i, j, _ = key
        lit = v.arc[(problem.cadre_county[i], problem.target_county[j])]
        model.add_implication(x, lit)
        per_pool.setdefault((problem.cadre_county[i], j), []).append(x)
    for (u, j), xs in per_pool.items():
        people = len({id(x) for x in xs})
        cap = min(problem.target_size(j)[1], people)
        model.add(sum(xs) <= cap * v.arc[(u, problem.target_county[j])])


def add_cycle_cover(
    model: cp_model.CpModel, counties: Sequence[str], arcs: Mapping[tuple[str, str], cp_model.IntVar], *, single: bool
) -> None:
    """Every county sends its pool along exactly one of ``arcs`` and receives exactly one;
    with ``single``, the chosen arcs also form one circuit through every county.

    The in/out constraints stay beside ``AddCircuit``: CP-SAT leaves a node that has no
    arc literal at all out of the circuit, so a county whose every arc is missing (its
    pool can staff no other county, or history used them all) would silently drop out
    of the cycle, and its teams with it, instead of making the round infeasible.
    """
    for c in counties:
        model.add_exactly_one([x for (u, _), x in arcs.items() if u == c])
        model.add_exactly_one([x for (_, w), x in arcs.items() if w == c])
    if single:
        index = {c: n for n, c in enumerate(counties)}
        model.add_circuit([(index[u], index[w], x) for (u, w), x in arcs.items()])


def add_no_reciprocal(
    model: cp_model.CpModel, arcs: Mapping[tuple[str, str], cp_model.IntVar]
) -> list[cp_model.Constraint]:
    """Never both u→w and w→u (甲乙互派) among ``arcs``; the constraints, for guarding."""
    out = []
    for (u, w), lit in arcs.items():
        back = arcs.get((w, u))
        if back is not None and u < w:
            out.append(model.add_bool_or([~lit, ~back]))
    return out


def _single_cycle_mtz(model: cp_model.CpModel, counties: tuple[str, ...], v: Variables, guards: Guards) -> None:
    n = len(counties)
    order = {c: model.new_int_var(0, n - 1, f"order_{c}") for c in counties}
    root = counties[0]
    model.add(order[root] == 0)
    for (u, w), lit in v.arc.items():
        if w != root:
            model.add(order[w] >= order[u] + 1).only_enforce_if([lit, guards(Kind.SINGLE_CYCLE)])
