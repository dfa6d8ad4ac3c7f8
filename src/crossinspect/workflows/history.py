"""History from rosters (往轮记录): the rows a round's plan adds for the rounds after it.

One row per seat: the round label, the cadre, the inspected place, the role and the county
pool the cadre came from. Places and pools are written as full paths (福建省漳州市漳浦县),
so the next round reads them exactly, whatever region it is read in; 末位 (last ranked) is
left for the office to fill after the quality evaluation.

With these rows as history the next solve repeats no rotation arc of this round (R3) and
sends nobody back to a place they inspected (R7).
"""

from __future__ import annotations

from ..domain.models import HistoryRecord
from ..domain.plan import Plan
from ..places import display_path
from ..problem import Problem


def history_rows(problem: Problem, plan: Plan, round_label: str) -> list[HistoryRecord]:
    """The 往轮记录 rows of ``plan`` as round ``round_label``, one per seat, in seat order.

    Raises ``KeyError`` for a seat whose cadre or target is not in ``problem`` (plans from
    ``solve`` and ``read_plan`` have none).
    """
    out = []
    for seat in plan.seats():
        i = problem.cadre_index[seat.cadre_id]
        j = problem.target_index[seat.target_id]
        cadre, target = problem.cadres[i], problem.targets[j]
        location = problem.target_location[j]
        place = display_path(problem.gazetteer, location.codes[0]) if len(location.codes) == 1 else target.location
        pool = problem.cadre_county[i]
        county = display_path(problem.gazetteer, pool) if pool else cadre.county
        out.append(
            HistoryRecord(
                round=round_label,
                cadre_id=seat.cadre_id,
                place=place,
                role=seat.role,
                last_ranked=None,
                from_county=county,
            )
        )
    return out
