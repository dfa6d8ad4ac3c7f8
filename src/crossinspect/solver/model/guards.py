"""Enforcement literals that label rule instances, for explaining infeasibility.

In an ordinary solve there are no guards and every rule is unconditional. To explain
an infeasible round, each rule instance (per target × rule, per pool × rule, per
rules key) is made conditional on its own literal; solving under the assumption that
all of them hold, CP-SAT returns a subset that cannot hold together: the core.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True, order=True)
class GuardKey:
    """One rule instance: the rule family, and the target or detail it applies to."""

    rule: str
    target: int = -1
    detail: str = ""


class Guards:
    """Creates one literal per rule instance on first use."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model
        self.lits: dict[GuardKey, cp_model.IntVar] = {}

    def __call__(self, rule: str, target: int = -1, detail: str = "") -> cp_model.IntVar:
        key = GuardKey(rule, target, detail)
        if key not in self.lits:
            self.lits[key] = self.model.new_bool_var(f"guard_{rule}_{target}_{detail}")
        return self.lits[key]

    def key_of(self) -> dict[int, GuardKey]:
        """Literal index to its key, to read back a core."""
        return {lit.index: key for key, lit in self.lits.items()}


def enforce(ct: cp_model.Constraint, guards: Guards | None, rule: str, target: int = -1,
            detail: str = "") -> None:
    """Make ``ct`` conditional on the rule instance's literal, when explaining."""
    if guards is not None:
        ct.only_enforce_if(guards(rule, target, detail))
