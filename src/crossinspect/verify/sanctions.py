"""R8 quality sanctions: ranked last three times, a cadre is not drawn; ranked last as
leader in two consecutive evaluated rounds, a cadre does not lead.
"""

from __future__ import annotations

from collections import defaultdict

from ..domain.models import Role
from .base import VerifierBase
from .normalise import natural_round_key, person_key


class SanctionChecks(VerifierBase):
    """Each seat against its person's past evaluations."""

    def _evaluations(self) -> tuple[dict[str, int], dict[str, dict[str, bool]]]:
        """Position of each evaluated round, and cadre id -> round -> ranked last."""
        history = self.p.book.history
        evaluated = sorted(
            {h.round for h in history if h.role is Role.LEADER and h.last_ranked is not None}, key=natural_round_key
        )
        pos = {r: k for k, r in enumerate(evaluated)}
        marks: dict[str, dict[str, bool]] = defaultdict(dict)
        for h in history:
            if h.role is Role.LEADER and h.last_ranked is not None:
                # Two rows for one round count once; last wins over not-last for safety.
                who = person_key(h.cadre_id)
                marks[who][h.round] = marks[who].get(h.round, False) or h.last_ranked
        return pos, marks

    def _sanctions(self) -> None:
        if self._evaluated is None:
            self._evaluated = self._evaluations()
        pos, marks = self._evaluated
        for s in self.placed:
            rounds = sorted(marks.get(self.person[s.cadre], {}).items(), key=lambda kv: pos[kv[0]])
            lasts = [r for r, last in rounds if last]
            if len(lasts) >= 3:
                self._seat_add(
                    s,
                    "R8",
                    f"累计{len(lasts)}次末位（{'、'.join(lasts)}），本轮不得抽取（R8 质量评估）",
                    f"was ranked last {len(lasts)} times ({', '.join(lasts)}) and may not be drawn (R8 sanctions)",
                )
                continue
            if s.seat.role is not Role.LEADER or len(rounds) < 2:
                continue
            (a, a_last), (b, b_last) = rounds[-2], rounds[-1]
            if a_last and b_last and pos[b] == pos[a] + 1:
                self._seat_add(
                    s,
                    "R8",
                    f"连续两轮末位（{a}、{b}），暂停担任组长（R8 质量评估）",
                    f"was ranked last in consecutive rounds {a} and {b} and may not lead (R8 sanctions)",
                )
