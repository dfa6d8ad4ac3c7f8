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


def objective_terms(model: cp_model.CpModel, problem: Problem, v: Variables) -> list[Term]:
    """Build every soft-goal term whose weight is positive."""
    w = problem.rules.weights
    terms: list[Term] = []
    if w.balance:
        terms.append(Term("balance", "各组实力差距", w.balance, _balance(model, problem, v)))
    if w.department:
        terms.append(Term("department", "部门不对口席位", w.department, _department(problem, v)))
    if w.travel:
        terms.append(Term("travel", "路程（十公里）", w.travel, _travel(problem, v)))
    if w.novelty:
        terms.append(Term("novelty", "往轮同组再同组", w.novelty, _novelty(model, problem, v)))
    if w.workload:
        terms.append(Term("workload", "往轮出勤再抽中", w.workload, _workload(problem, v)))
    return terms


def _balance(model: cp_model.CpModel, problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Spread between the strongest and the weakest team (rank points plus skills)."""
    if len(problem.targets) < 2:
        return 0
    strengths = [sum(problem.strength(k[0]) * v.x[k] for k in v.by_target.get(j, []))
                 for j in range(len(problem.targets))]
    cap = sum(problem.strength(i) for i in range(len(problem.cadres))) or 1
    hi = model.new_int_var(0, cap, "strength_max")
    lo = model.new_int_var(0, cap, "strength_min")
    for s in strengths:
        model.add(hi >= s)
        model.add(lo <= s)
    return hi - lo


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
    """Pairs who already sat on one team together and would again."""
    again = []
    for a, b in problem.past_teammates:
        for j in range(len(problem.targets)):
            la, lb = v.on_team(a, j), v.on_team(b, j)
            if la and lb:
                z = model.new_bool_var(f"again_{a}_{b}_{j}")
                model.add(z >= sum(la) + sum(lb) - 1)
                again.append(z)
    return sum(again)


def _workload(problem: Problem, v: Variables) -> cp_model.LinearExprT:
    """Past rounds served by each cadre drawn again (fairness across rounds)."""
    return sum(problem.past_load[k[0]] * x for k, x in v.x.items() if problem.past_load[k[0]])
