"""Alternates (备选人员): who can take a seat if its holder declines, moving nobody else.

For every seat the candidates are the cadres not on the roster. Each is checked by
substitution: the roster with the holder replaced by the candidate must pass the
independent verifier. The model's seat filter narrows the candidates first, only to
save time; a candidate it lets through still has to pass the verifier. Candidates are
tried in rank order (same pool, closest in strength to the holder, same department as
the target, shorter travel, then the lottery weight, so the order is reproducible from
the seed) until enough pass.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..domain import lottery
from ..domain.models import Role
from ..domain.plan import Plan, Seat
from ..domain.rules import Mode
from ..problem import Problem


@dataclass(frozen=True)
class Alternates:
    """Ranked, verified alternates for one seat."""

    team_id: str
    target_id: str
    role: Role
    holder_id: str
    candidate_ids: tuple[str, ...]


def find_alternates(
    problem: Problem, plan: Plan, *, per_seat: int = 3, max_tries: int = 12, deadline: float | None = None
) -> list[Alternates]:
    """Up to ``per_seat`` verified alternates for every seat of ``plan``, seat by seat in
    roster order; at ``deadline`` (``time.monotonic()``) it stops, and the seats not reached
    are left out (fewer entries than seats)."""
    from ..problem.eligibility import allowed_seats
    from ..verify import verifier

    # The model's seat filter only narrows the search; the verifier decides.
    allowed = set(allowed_seats(problem)[0])
    seated = {s.cadre_id for s in plan.seats()}
    free = [i for i, c in enumerate(problem.cadres) if c.id not in seated and problem.drawable[i]]
    seed = problem.rules.seed
    rotation = problem.rules.mode is Mode.ROTATION
    # Every trial roster is verified in full; only what depends on the input alone is
    # derived once for all of them, instead of once per trial.
    verify = verifier(problem)
    out: list[Alternates] = []
    for team in plan.teams:
        j = problem.target_index[team.target_id]
        for seat in team.seats:
            if deadline is not None and time.monotonic() >= deadline:
                return out
            holder = problem.cadre_index.get(seat.cadre_id)
            if holder is None:
                continue
            eligible = [i for i in free if (i, j, seat.role) in allowed]
            if rotation and not problem.is_local_role(seat.role):
                # A rotation team is one pool's: only the holder's pool can fill the seat.
                eligible = [i for i in eligible if problem.cadre_county[i] == problem.cadre_county[holder]]
            ranked = sorted(eligible, key=lambda i: _rank(problem, i, holder, j, seat, seed))
            found: list[str] = []
            for i in ranked[:max_tries]:
                trial = _substitute(plan, seat, problem.cadres[i].id)
                if not verify(trial):
                    found.append(problem.cadres[i].id)
                    if len(found) == per_seat:
                        break
            out.append(Alternates(team.team_id, team.target_id, seat.role, seat.cadre_id, tuple(found)))
    return out


def _rank(problem: Problem, i: int, holder: int, j: int, seat: Seat, seed: str) -> tuple[int, ...]:
    same_pool = problem.cadre_county[i] == problem.cadre_county[holder]
    department = problem.targets[j].department
    return (
        0 if same_pool else 1,  # keeps the team's county mix as it was
        abs(problem.strength(i) - problem.strength(holder)),
        0 if department and problem.cadres[i].department == department else 1,
        problem.travel_km(problem.cadre_county[i], j),
        lottery.weight(seed, problem.cadres[i].id, seat.target_id, seat.role.value),
    )


def _substitute(plan: Plan, seat: Seat, cadre_id: str) -> Plan:
    seats = [s if s != seat else s.model_copy(update={"cadre_id": cadre_id}) for s in plan.seats()]
    return Plan.from_seats(seats, plan.arcs)
