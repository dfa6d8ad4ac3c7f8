"""R9 manual decisions: unavailable, ban (禁配) and pin (指定)."""

from __future__ import annotations

from collections import defaultdict

from ..domain.models import DecisionKind
from .base import Placed, VerifierBase
from .normalise import person_key


class DecisionChecks(VerifierBase):
    """The 人工决定 of the input against the seats."""

    def _decisions(self) -> None:
        seats_of: dict[str, list[Placed]] = defaultdict(list)
        for s in self.placed:
            seats_of[self.person[s.cadre]].append(s)
        for d in self.p.book.decisions:
            i = self._index(d.cadre_id)
            if i is None:
                continue  # the reader reports decisions about unknown cadres
            mine = seats_of.get(self.person[i], [])
            if d.kind is DecisionKind.UNAVAILABLE:
                for s in mine:
                    self._seat_add(
                        s,
                        "R9",
                        "已被决定本轮不可用，不得抽取（R9 人工决定）",
                        "was declared unavailable this round (R9 decision)",
                    )
            elif d.kind is DecisionKind.BAN:
                for s in mine:
                    for o in seats_of.get(person_key(d.other_cadre_id), []):
                        if o.team is s.team and o.cadre != s.cadre:
                            self._seat_add(
                                s,
                                "R9",
                                f"与{self._who(o.cadre)}被禁止同组（R9 人工决定）",
                                f"may not sit with {self._who_en(o.cadre)} (R9 ban)",
                            )
            elif d.kind is DecisionKind.PIN:
                j = self.target_ix.get(d.target_id)
                if j is None:
                    continue
                ok = any(s.target == j and (d.role is None or s.seat.role is d.role) for s in mine)
                if not ok:
                    target = self.p.targets[j]
                    role_zh = f"任{d.role.zh}" if d.role else ""
                    role_en = f" as {d.role.value}" if d.role else ""
                    now_zh = "、".join(f"第{s.team.team_id}组任{s.seat.role.zh}" for s in mine)
                    now_zh = f"实际在{now_zh}" if mine else "但未入选"
                    now_en = ", ".join(f"team {s.team.team_id} as {s.seat.role.value}" for s in mine) or "not seated"
                    self._add(
                        "R9",
                        f"{self._who(i)} 被指定到巡察{target.name}的组{role_zh}，{now_zh}（R9 人工决定）",
                        f"{self._who_en(i)} is pinned to the team for {target.name}{role_en}, but is {now_en} (R9 pin)",
                        mine[0].team.team_id if mine else None,
                        d.cadre_id,
                    )
