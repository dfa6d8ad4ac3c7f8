"""The decision variables: one Boolean per allowed (cadre, target, role) seat, plus arcs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ...problem.eligibility import SeatKey


@dataclass
class Variables:
    """Seat and arc literals of one model.

    ``x[(i, j, role)]`` is true when cadre i takes ``role`` on target j's team. Only
    seats that the avoidances, eligibility and history allow exist at all.
    ``arc[(u, v)]`` is true when county u's pool staffs county v (rotation mode).
    """

    x: dict[SeatKey, cp_model.IntVar] = field(default_factory=dict)
    arc: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    by_cadre: dict[int, list[SeatKey]] = field(default_factory=dict)
    by_target: dict[int, list[SeatKey]] = field(default_factory=dict)
    local: set[SeatKey] = field(default_factory=set)
    #: the targets whose teams this model forms (all of them, or one county's in a sub-model)
    targets: list[int] = field(default_factory=list)
    #: the cadres this model may seat; None for every cadre
    cadres: set[int] | None = None
    #: seat literals of one cadre on one team, any role (built once: asked for very often)
    pair: dict[tuple[int, int], list[cp_model.IntVar]] = field(default_factory=dict)
    #: auxiliary variables of the soft goals, each with its value as a function of the
    #: chosen seats, so a hinted roster can be a complete hint (CP-SAT does not complete
    #: a seats-only hint on a city round into a roster)
    derived: list[tuple[cp_model.IntVar, Callable[[set[SeatKey]], int]]] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        model: cp_model.CpModel,
        seats: list[SeatKey],
        local: set[SeatKey],
        targets: list[int],
        cadres: set[int] | None = None,
    ) -> Variables:
        v = cls(local=local, targets=targets, cadres=cadres)
        for key in seats:
            i, j, role = key
            v.x[key] = model.new_bool_var(f"x_{i}_{j}_{role.value}")
            v.by_cadre.setdefault(i, []).append(key)
            v.by_target.setdefault(j, []).append(key)
            v.pair.setdefault((i, j), []).append(v.x[key])
        return v

    def on_team(self, i: int, j: int) -> list[cp_model.IntVar]:
        """Literals of cadre i sitting on target j's team, in any role."""
        return self.pair.get((i, j), [])

    def warmstart(
        self, model: cp_model.CpModel, chosen: set[SeatKey], arcs: set[tuple[str, str]] | None = None
    ) -> None:
        """Hint a known roster (and its arcs); old hints are cleared first so hints never mix."""
        model.clear_hints()
        # Hints as ints: OR-Tools 9.10's protobuf field refuses a bool.
        for key, var in self.x.items():
            model.add_hint(var, int(key in chosen))
        for var, value in self.derived:
            model.add_hint(var, value(chosen))
        if arcs is not None:
            for arc, lit in self.arc.items():
                model.add_hint(lit, int(arc in arcs))
