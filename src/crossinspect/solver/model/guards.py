"""Enforcement literals that label rule instances, for explaining infeasibility.

In an ordinary solve there are no guards and every rule is unconditional. To explain
an infeasible round, each rule instance (per target × rule, per pool × rule, per
rules key) is made conditional on its own literal; solving under the assumption that
all of them hold, CP-SAT returns a subset that cannot hold together: the core. Each
literal is keyed by a ``catalogue.RuleInstance``, so the core reads back as named rules.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...domain.catalogue import Kind, RuleInstance


class Guards:
    """Creates one literal per rule instance on first use."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model
        self.lits: dict[RuleInstance, cp_model.IntVar] = {}

    def __call__(self, kind: Kind, target: int = -1, detail: str = "") -> cp_model.IntVar:
        key = RuleInstance(kind, target, detail)
        if key not in self.lits:
            self.lits[key] = self.model.new_bool_var(f"guard_{kind.value}_{target}_{detail}")
        return self.lits[key]

    def key_of(self) -> dict[int, RuleInstance]:
        """Literal index to its rule instance, to read back a core."""
        return {lit.index: key for key, lit in self.lits.items()}


def enforce(ct: cp_model.Constraint, guards: Guards | None, kind: Kind, target: int = -1, detail: str = "") -> None:
    """Make ``ct`` conditional on the rule instance's literal, when explaining."""
    if guards is not None:
        ct.only_enforce_if(guards(kind, target, detail))
