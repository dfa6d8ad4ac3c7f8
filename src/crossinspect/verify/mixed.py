"""R4 mixed teams (混编): nobody from the inspected county, at most so many from one county."""

from __future__ import annotations

from collections import defaultdict

from .base import Placed, VerifierBase


class MixedChecks(VerifierBase):
    """Each team's non-local seats by the county they come from."""

    def _mixed(self) -> None:
        cap = self.rules.max_from_same_county
        per_team: dict[int, dict[str, list[Placed]]] = defaultdict(lambda: defaultdict(list))
        for s in self.placed:
            if self._is_local(s.seat.role):
                continue
            src, dst = self.pool[s.cadre], self.tcounty[s.target]
            if src == dst:
                self._seat_add(
                    s,
                    "R4",
                    f"来自被巡察县区{self._name(dst)}本身（R4 混编不得有本县区干部）",
                    f"comes from {self._name(dst)}, the inspected county itself (R4 mixed teams)",
                )
            per_team[id(s.team)][src].append(s)
        for counties in per_team.values():
            for county, seats in counties.items():
                if len(seats) > cap:
                    s0 = seats[0]
                    target = self.p.targets[s0.target]
                    names_zh = "、".join(self._who(s.cadre) for s in seats)
                    names_en = ", ".join(self._who_en(s.cadre) for s in seats)
                    self._add(
                        "R4",
                        f"{self._team_zh(s0.team, target)}：来自{self._name(county)}的有"
                        f"{len(seats)}人（{names_zh}），超过{cap}人（R4 同一县区人数上限）",
                        f"{self._team_en(s0.team, target)}: {len(seats)} members from "
                        f"{self._name(county)} ({names_en}), more than {cap} "
                        "(R4 per-county cap)",
                        s0.team.team_id,
                    )
