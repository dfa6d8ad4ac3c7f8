"""Soft goals (R10), each an integer term with its own weight, reported separately."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..problem import Problem
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


def objective_terms(model: cp_model.CpModel, problem: Problem, v: Variables) -> list[Term]:
    """Build every soft-goal term whose weight is positive."""
    weights = problem.rules.weights.model_dump()
    build = {
        "balance": lambda: _balance(model, problem, v),
        "department": lambda: _department(problem, v),
        "travel": lambda: _travel(problem, v),
        "novelty": lambda: _novelty(model, problem, v),
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
    rho = round(sum(problem.strength(i) for i in drawable) / len(drawable))
    devs = []
    for j in v.targets:
        keys = v.by_target.get(j, [])
        if not keys:
            continue
        gap = sum((problem.strength(k[0]) - rho) * v.x[k] for k in keys)
        cap = sum(abs(problem.strength(k[0]) - rho) for k in keys) or 1
        dev = model.new_int_var(0, cap, f"balance_{j}")
        model.add(dev >= gap)
        model.add(dev >= -gap)
        devs.append(dev)
    return sum(devs)


def _department(problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Non-local seats whose cadre's department differs from the target's (同一部门异地交叉)."""
    return sum(
        v.x[k] for k in v.x
        if k not in v.local and problem.targets[k[1]].department
        and problem.cadres[k[0]].department != problem.targets[k[1]].department
    )


def _travel(problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Distance from each sent cadre's county seat to the target, in units of 10 km."""
    cost: dict[tuple[str, int], int] = {}
    expr = []
    for k, x in v.x.items():
        if k in v.local:
            continue
        key = (problem.cadre_county[k[0]], k[1])
        if key not in cost:
            cost[key] = round(problem.travel_km(*key) / 10)
        if cost[key]:
            expr.append(cost[key] * x)
    return sum(expr)


def _novelty(model: cp_model.CpModel, problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Pairs who already sat on one team together and would again.

    One literal per past pair, not per pair and team: a cadre sits on at most one team,
    so the pair can be together on at most one, and z ≥ y_a,j + y_b,j − 1 for every team
    j says the same with far fewer variables (a city round has ~10⁵ pair × team terms).
    """
    again = []
    for a, b in sorted(problem.past_teammates):
        shared = [j for j in v.targets if (a, j) in v.pair and (b, j) in v.pair]
        if not shared:
            continue
        z = model.new_bool_var(f"again_{a}_{b}")
        for j in shared:
            model.add(z >= sum(v.pair[(a, j)]) + sum(v.pair[(b, j)]) - 1)
        again.append(z)
    return sum(again)


def _workload(problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Past rounds served by each cadre drawn again (fairness across rounds)."""
    return sum(problem.past_load[k[0]] * x for k, x in v.x.items() if problem.past_load[k[0]])
