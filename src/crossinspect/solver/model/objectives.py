"""Soft goals (R10), each an integer term with its own weight, reported separately."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from functools import partial

from ortools.sat.python import cp_model

from ...problem import Problem
from ...problem.eligibility import SeatKey
from .variables import Variables


@dataclass
class Term:
    name: str
    zh: str
    weight: int
    expr: cp_model.LinearExprT


#: Every soft goal's key (as in ``[weights]``) and its printed Chinese name, in report order.
TERM_ZH: dict[str, str] = {
    "balance": "各组实力偏离平均",
    "department": "部门不对口席位",
    "travel": "路程（十公里）",
    "novelty": "往轮同组再同组",
    "workload": "往轮出勤再抽中",
}


def objective_terms(
    model: cp_model.CpModel, problem: Problem, v: Variables, keep_apart: Collection[SeatKey] | None = None
) -> list[Term]:
    """Build every soft-goal term whose weight is positive.

    ``keep_apart``, a roster of the model's teams, restricts the model to rosters that
    seat no past pair together where it does not already (see ``_novelty``).
    """
    weights = problem.rules.weights.model_dump()
    build = {
        "balance": lambda: _balance(model, problem, v),
        "department": lambda: _department(problem, v),
        "travel": lambda: _travel(problem, v),
        "novelty": lambda: _novelty(model, problem, v, keep_apart),
        "workload": lambda: _workload(problem, v),
    }
    return [Term(name, zh, weights[name], build[name]()) for name, zh in TERM_ZH.items() if weights[name]]


def _balance(model: cp_model.CpModel, problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """How far each team's strength is from an average team of its size (rank points and skills).

    The reference is the mean strength per cadre of everyone drawable, times the team's
    seat count; each team is compared with it rather than with the other teams. The term
    is then a sum over teams: it keeps the LP bound useful (a max−min spread has an LP
    bound of zero) and lets a rotation split into independent per-arc problems.
    """
    drawable = [i for i in range(len(problem.cadres)) if problem.drawable[i]]
    if not drawable:
        return 0
    strength = [problem.strength(i) for i in range(len(problem.cadres))]
    rho = round(sum(strength[i] for i in drawable) / len(drawable))
    devs = []
    for j in v.targets:
        keys = v.by_target.get(j, [])
        if not keys:
            continue
        coefs = [strength[k[0]] - rho for k in keys]
        gap = cp_model.LinearExpr.weighted_sum([v.x[k] for k in keys], coefs)
        dev = model.new_int_var(0, sum(abs(c) for c in coefs) or 1, f"balance_{j}")
        model.add(dev >= gap)
        model.add(dev >= -gap)
        devs.append(dev)
        v.derived.append((dev, partial(_abs_gap, dict(zip(keys, coefs, strict=True)))))
    return cp_model.LinearExpr.sum(devs)


def _department(problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Non-local seats whose cadre's department differs from the target's (同一部门异地交叉)."""
    return cp_model.LinearExpr.sum(
        [
            v.x[k]
            for k in v.x
            if k not in v.local
            and problem.targets[k[1]].department
            and problem.cadres[k[0]].department != problem.targets[k[1]].department
        ]
    )


def _travel(problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Distance from each sent cadre's county seat to the target, in units of 10 km."""
    cost: dict[tuple[str, int], int] = {}
    lits, coefs = [], []
    for k, x in v.x.items():
        if k in v.local:
            continue
        key = (problem.cadre_county[k[0]], k[1])
        if key not in cost:
            cost[key] = round(problem.travel_km(*key) / 10)
        if cost[key]:
            lits.append(x)
            coefs.append(cost[key])
    return cp_model.LinearExpr.weighted_sum(lits, coefs)


def _novelty(
    model: cp_model.CpModel, problem: Problem, v: Variables, keep_apart: Collection[SeatKey] | None = None
) -> cp_model.LinearExprT:
    """Pairs from one past team who sit on one team again, counted per past team.

    For past team G and team j, with n = G's members seated on j, the pairs are
    C(n, 2) = max over k of (k·n − k(k+1)/2), k = 1 … n−1: one integer and a few
    cuts per (G, j) pair instead of a literal per past pair and team. Being
    minimised, the integer settles on C(n, 2) exactly. A pair who shared two past
    teams counts twice, which is also the fairer count.

    With ``keep_apart`` (a roster), each (G, j) where that roster seats at most one of
    G's members becomes n ≤ 1, an at-most-one with no term: the model then holds only
    rosters that add no repeated pairing, and counts the pairings exactly on those.
    A restriction, for polishing steps: on a township round ~1,400 of a step's ~1,900
    rows were these cuts, and good rosters repeat no pairing anyway.
    """
    roster = None if keep_apart is None else set(keep_apart)
    counts = []
    on_team: dict[int, dict[int, list[SeatKey]]] = {}
    for i, j, role in v.x:
        on_team.setdefault(i, {}).setdefault(j, []).append((i, j, role))
    for members in problem.past_teams:
        # Per team j, the seats of G's members there and how many members can sit there.
        seated: dict[int, list[SeatKey]] = {}
        present: dict[int, int] = {}
        for a in members:
            for j, keys in on_team.get(a, {}).items():
                seated.setdefault(j, []).extend(keys)
                present[j] = present.get(j, 0) + 1
        for j in sorted(seated):
            most = min(present[j], problem.target_size(j)[1])
            if most < 2:
                continue
            # The cuts take the members' seat sum itself, with no integer for n: half the
            # variables, and polishing steps (which run without presolve) propagate faster.
            if roster is not None and sum(k in roster for k in seated[j]) <= 1:
                model.add_at_most_one([v.x[k] for k in seated[j]])
                continue
            n = cp_model.LinearExpr.sum([v.x[k] for k in seated[j]])
            pairs = model.new_int_var(0, most * (most - 1) // 2, f"again_{j}")
            for k in range(1, most):
                model.add(pairs >= k * n - k * (k + 1) // 2)
            counts.append(pairs)
            v.derived.append((pairs, partial(_pairs, frozenset(seated[j]))))
    return cp_model.LinearExpr.sum(counts)


# The values of the auxiliary variables above for a given roster (for complete hints).


def _abs_gap(team: dict[SeatKey, int], chosen: set[SeatKey]) -> int:
    return abs(sum(c for k, c in team.items() if k in chosen))


def _pairs(keys: frozenset[SeatKey], chosen: set[SeatKey]) -> int:
    return math.comb(len(keys & chosen), 2)


def _workload(problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Past rounds served by each cadre drawn again (fairness across rounds)."""
    load = problem.past_load
    keys = [k for k in v.x if load[k[0]]]
    return cp_model.LinearExpr.weighted_sum([v.x[k] for k in keys], [load[k[0]] for k in keys])
