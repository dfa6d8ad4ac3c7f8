"""Assemble the CP-SAT model: variables, then each rule family in a fixed order."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ...domain import lottery
from ...domain.rules import Mode
from ...problem import Problem
from ...problem.eligibility import SeatKey, allowed_seats, relaxable_seats
from .composition import add_composition
from .decisions import add_decisions
from .guards import Guards
from .mixed import add_mixed
from .objectives import Term, objective_terms
from .rotation import add_rotation
from .variables import Variables


@dataclass
class CrossModel:
    """A built model with its variables, soft-goal terms and lottery expression."""

    model: cp_model.CpModel
    vars: Variables
    terms: list[Term]
    guards: Guards | None = None

    @property
    def main_objective(self) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.weighted_sum([t.expr for t in self.terms], [t.weight for t in self.terms])

    def lottery_span(self, problem: Problem) -> int:
        """One more than the largest lottery sum a roster of this model can have."""
        seats = sum(problem.target_size(j)[1] for j in self.vars.targets)
        return lottery.SPAN * (seats + len(problem.counties)) + 1

    def drawn_objective(self, problem: Problem, seed: str) -> tuple[cp_model.LinearExprT, int]:
        """The soft goals and the lottery as one objective, and its base: ``main · base +
        lottery``. The lottery sum is below the base, so a roster is better exactly when its
        soft goals are, or they are equal and its lottery sum is lower: the two phases of
        the draw (R11) in one search, which proves both at once on small rounds far sooner
        than the second phase alone proves the lottery."""
        base = self.lottery_span(problem)
        terms = [t.expr for t in self.terms] + [self.lottery_objective(problem, seed)]
        weights = [t.weight * base for t in self.terms] + [1]
        return cp_model.LinearExpr.weighted_sum(terms, weights), base

    def lottery_objective(self, problem: Problem, seed: str) -> cp_model.LinearExprT:
        lits, weights = [], []
        for (i, j, role), x in self.vars.x.items():
            lits.append(x)
            weights.append(lottery.weight(seed, problem.cadres[i].id, problem.targets[j].id, role.value))
        for (u, w), lit in self.vars.arc.items():
            lits.append(lit)
            weights.append(lottery.weight(seed, "arc", u, w))
        return cp_model.LinearExpr.weighted_sum(lits, weights)


def build_model(
    problem: Problem,
    *,
    explain: bool = False,
    scope: tuple[set[int], list[int]] | None = None,
    seats: tuple[list[SeatKey], set[SeatKey]] | None = None,
    keep_apart: Collection[SeatKey] | None = None,
    goals: bool = True,
) -> CrossModel:
    """Build the full model of every hard rule plus the soft-goal terms.

    Seat-level rules (R1, R2, R5, R6 eligibility, R7, R8) decide which variables
    exist, so they come first; the families below only see allowed seats. With
    ``explain``, every rule instance is guarded by its own literal (see ``guards``)
    and no soft goals are built: the model is only asked whether a roster exists.
    With ``scope`` = (cadres, targets), only those cadres and those targets' teams are
    modelled and no rotation or mixed-county rules are added: the caller owns those
    (see ``decompose``). ``seats`` = (seats, local seats) from ``allowed_seats``, when
    the caller builds many sub-models of one round and has computed them once already.
    ``keep_apart`` (a roster) restricts the model to rosters adding no repeated pairing
    to it (``objectives._novelty``). ``goals=False`` leaves the soft goals out: the hard
    rules alone (the benchmarks' plain feasibility model).
    """
    model = cp_model.CpModel()
    guards = Guards(model) if explain else None
    targets = list(range(len(problem.targets))) if scope is None else scope[1]
    cadres = None if scope is None else scope[0]
    if guards is None:
        keys, local = allowed_seats(problem) if seats is None else seats
        if scope is not None:
            inside = set(targets)
            keys = [k for k in keys if k[0] in scope[0] and k[1] in inside]
        v = Variables.create(model, keys, local, targets, cadres)
    else:
        keys, local, barred = relaxable_seats(problem)
        v = Variables.create(model, keys, local, targets)
        for key, kinds in barred.items():
            for kind in kinds:
                model.add(v.x[key] == 0).only_enforce_if(guards(kind))
    add_composition(model, problem, v, guards)
    if scope is not None:
        pass  # the caller encodes how pools reach these teams
    elif problem.rules.mode is Mode.ROTATION:
        add_rotation(model, problem, v, guards)
    else:
        add_mixed(model, problem, v, guards)
    add_decisions(model, problem, v, guards)
    terms = [] if explain or not goals else objective_terms(model, problem, v, keep_apart)
    return CrossModel(model=model, vars=v, terms=terms, guards=guards)
