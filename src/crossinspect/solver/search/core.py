"""The core problem: the whole round restricted to the seats its LP relaxation uses.

A classic of integer programming (the "core" of a knapsack or set-covering problem):
an optimal roster mostly sits where the LP optimum puts its mass, so the round's own
CP-SAT model, built over those seats only, holds most of the good rosters at a tenth of
the size. On a township round the LP spreads over ~17,500 of ~160,000 seat literals;
the whole-round model over all of them spent most of a minute in presolve, the core
model builds in ~0.5 s and presolves in ~3 s.

The core is a restriction, not a relaxation: it proves nothing, it only searches. Its
own CP-SAT search (all of CP-SAT's neighbourhoods, over the whole round at once) finds
exchanges that the polishing steps, a few teams at a time, cannot: on that round,
after polishing had stalled at 1,989, 25 s of it gave 1,980–1,985 (2 cores).
"""

from __future__ import annotations

from collections.abc import Mapping

from ...problem import Problem
from ...problem.eligibility import SeatKey
from ..model import CrossModel, build_model


def core_seats(seats: list[SeatKey], mass: Mapping[tuple[int, int], float], roster: list[SeatKey]) -> list[SeatKey]:
    """The seats of (cadre, team) pairs the LP uses, in any role, plus the roster's own."""
    keep = set(roster)
    return [k for k in seats if (k[0], k[1]) in mass or k in keep]


def core_model(
    problem: Problem,
    seats: tuple[list[SeatKey], set[SeatKey]],
    mass: Mapping[tuple[int, int], float],
    roster: list[SeatKey],
) -> CrossModel:
    """The round's model over its core seats, soft goals as the objective, ``roster`` as a complete hint.

    The roster's seats are always in the core, so the hint is a roster of the core model
    and the search can only improve on it.
    """
    keys, local = seats
    built = build_model(problem, seats=(core_seats(keys, mass, roster), local))
    built.model.minimize(built.main_objective)
    built.vars.warmstart(built.model, set(roster))
    return built
