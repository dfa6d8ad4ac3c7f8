"""Team composition (R6): role counts, team size, required skills, women, one seat each."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...domain.catalogue import Kind
from ...domain.models import Gender, Role
from ...problem import Problem
from .guards import Guards, enforce
from .variables import Variables


def add_composition(model: cp_model.CpModel, problem: Problem, v: Variables, guards: Guards | None = None) -> None:
    rules = problem.rules
    total = cp_model.LinearExpr.sum
    skills = [problem.cadres[i].skills for i in range(len(problem.cadres))]
    female = [problem.cadres[i].gender is Gender.FEMALE for i in range(len(problem.cadres))]
    # LinearExpr.sum over a list, not Python's sum(): a township round has ~10⁵ seats and
    # the builtin builds one intermediate expression per term.
    for j in v.targets:
        seats = v.by_target.get(j, [])
        lo, hi = problem.target_size(j)
        enforce(model.add_linear_constraint(total([v.x[k] for k in seats]), lo, hi), guards, Kind.TEAM_SIZE, j)
        for role in (Role.LEADER, Role.DEPUTY, Role.LIAISON):
            rlo, rhi = rules.role_range(role) or (0, 0)
            ct = model.add_linear_constraint(total([v.x[k] for k in seats if k[2] is role]), rlo, rhi)
            enforce(ct, guards, Kind(role.value), j)
        for skill, need in problem.target_skills(j).items():
            ct = model.add(total([v.x[k] for k in seats if skill in skills[k[0]]]) >= need)
            enforce(ct, guards, Kind.SKILL, j, skill)
        if rules.min_women:
            ct = model.add(total([v.x[k] for k in seats if female[k[0]]]) >= rules.min_women)
            enforce(ct, guards, Kind.WOMEN, j)
    # Each cadre sits in at most one seat in the whole round.
    for keys in v.by_cadre.values():
        if len(keys) > 1:
            model.add_at_most_one([v.x[k] for k in keys])
