"""R3 rotation (推磨式): every pool goes as a body to one other county and every county
receives one pool, along arcs not used in the past rounds, not both ways and in one
cycle when the rules ask for it.
"""

from __future__ import annotations

from collections import defaultdict

from .base import Placed, VerifierBase


class RotationChecks(VerifierBase):
    """The arcs the seats (and the plan's rotation sheet) make, and their shape."""

    def _rotation(self) -> None:
        rules = self.rules
        # Arcs as the seats show them: (pool, dest) -> seats that travel along it.
        by_arc: dict[tuple[str, str], list[Placed]] = defaultdict(list)
        for s in self.placed:
            if self._is_local(s.seat.role):
                continue  # R5: local seats are not part of the rotation
            src, dst = self.pool[s.cadre], self.tcounty[s.target]
            if src == dst:
                self._seat_add(
                    s,
                    "R3",
                    f"来自被巡察县区{self._name(dst)}本身（R3 推磨式不得巡察本县区）",
                    f"comes from {self._name(dst)}, the inspected county itself (R3 rotation)",
                )
                continue
            by_arc[(src, dst)].append(s)
        declared = {(a.source, a.dest) for a in self.plan.arcs}
        if declared:
            for (src, dst), seats in by_arc.items():
                if (src, dst) not in declared:
                    self._add(
                        "R3",
                        f"轮换表未列出{self._name(src)}→{self._name(dst)}，但{self._seats_zh(seats)}"
                        "按此派出（R3 轮换表须与名单一致）",
                        f"the rotation sheet lacks {self._name(src)}→{self._name(dst)}, yet "
                        f"{self._seats_en(seats)} travel that way "
                        "(R3 arcs must match the seats)",
                        seats[0].team.team_id,
                    )
            for src, dst in sorted(declared):
                if src == dst:
                    self._add(
                        "R3",
                        f"轮换表中{self._name(src)}派往本县区（R3 推磨式不得巡察本县区）",
                        f"the rotation sheet sends {self._name(src)} to itself (R3 rotation)",
                    )
        arcs = (set(by_arc) | declared) - {(a, b) for a, b in declared if a == b}
        self._arc_degrees(arcs, by_arc)
        self._arc_history(arcs)
        if rules.forbid_reciprocal:
            for src, dst in sorted(arcs):
                if src < dst and (dst, src) in arcs:
                    self._add(
                        "R3",
                        f"{self._name(src)}与{self._name(dst)}互派（R3 禁止两县互派）",
                        f"{self._name(src)} and {self._name(dst)} inspect each other (R3 no reciprocal arcs)",
                    )
        self._cycle(arcs, complete=rules.single_cycle or bool(declared))

    def _seats_zh(self, seats: list[Placed]) -> str:
        by_team: dict[str, list[str]] = defaultdict(list)
        for s in seats:
            by_team[s.team.team_id].append(self._who(s.cadre))
        return "；".join(f"第{t}组{'、'.join(names)}" for t, names in by_team.items())

    def _seats_en(self, seats: list[Placed]) -> str:
        by_team: dict[str, list[str]] = defaultdict(list)
        for s in seats:
            by_team[s.team.team_id].append(self._who_en(s.cadre))
        return "; ".join(f"team {t}: {', '.join(names)}" for t, names in by_team.items())

    def _arc_degrees(self, arcs: set[tuple[str, str]], by_arc: dict[tuple[str, str], list[Placed]]) -> None:
        dests: dict[str, list[str]] = defaultdict(list)
        sources: dict[str, list[str]] = defaultdict(list)
        for src, dst in sorted(arcs):
            dests[src].append(dst)
            sources[dst].append(src)

        def detail(src: str, dst: str) -> tuple[str, str]:
            seats = by_arc.get((src, dst))
            if not seats:
                return "（轮换表）", " (rotation sheet)"
            return f"（{self._seats_zh(seats)}）", f" ({self._seats_en(seats)})"

        for src, ds in dests.items():
            if len(ds) > 1:
                parts = [(self._name(d), *detail(src, d)) for d in ds]
                self._add(
                    "R3",
                    f"{self._name(src)}的干部被派往多个县区："
                    + "、".join(n + z for n, z, _ in parts)
                    + "（R3 推磨式须成建制派往一个县区）",
                    f"the pool of {self._name(src)} goes to several counties: "
                    + "; ".join(n + e for n, _, e in parts)
                    + " (R3 a pool goes as a body)",
                )
        for dst, ss in sources.items():
            if len(ss) > 1:
                parts = [(self._name(s), *detail(s, dst)) for s in ss]
                self._add(
                    "R3",
                    f"{self._name(dst)}接收了多个县区的干部："
                    + "、".join(n + z for n, z, _ in parts)
                    + "（R3 每个县区只接收一个县区的干部）",
                    f"{self._name(dst)} receives several pools: "
                    + "; ".join(n + e for n, _, e in parts)
                    + " (R3 one pool per county)",
                )

    def _past_arcs(self) -> dict[tuple[str, str], list[str]]:
        """Arcs used in the looked-back rounds, from 来源县区 to the county of 巡察地."""
        window = set(self.p.window_rounds)
        out: dict[tuple[str, str], list[str]] = defaultdict(list)
        for rec, res in self.p.history_places:
            if rec.round not in window or not rec.from_county.strip():
                continue
            src = self._unique_county(self._resolve(rec.from_county), keep_coarse=True)
            dst = self._unique_county(res, keep_coarse=False)
            if src and dst and src != dst and rec.round not in out[(src, dst)]:
                out[(src, dst)].append(rec.round)
        return out

    def _arc_history(self, arcs: set[tuple[str, str]]) -> None:
        if self._past is None:
            self._past = self._past_arcs()
        past = self._past
        for src, dst in sorted(arcs):
            rounds = past.get((src, dst))
            if rounds:
                self._add(
                    "R3",
                    f"{self._name(src)}→{self._name(dst)}在往轮（{'、'.join(rounds)}）已轮换过（R3 不得重复往轮轮换）",
                    f"{self._name(src)}→{self._name(dst)} was already used in {', '.join(rounds)} (R3 no repeated arc)",
                )

    def _cycle(self, arcs: set[tuple[str, str]], *, complete: bool) -> None:
        """Every county sends and receives (``complete``); one cycle with ``single_cycle``.

        Seats alone cannot show where a pool with nobody seated went, so completeness
        is demanded only under ``single_cycle`` or when the plan lists its arcs.
        """
        counties = set(self.pool) | set(self.tcounty)
        counties.discard("")
        succ: dict[str, str] = {}
        pred: dict[str, str] = {}
        for src, dst in sorted(arcs):
            succ.setdefault(src, dst)
            pred.setdefault(dst, src)
        outside = sorted({c for arc in arcs for c in arc} - counties)
        if outside:
            names = [self._name(c) for c in outside]
            self._add(
                "R3",
                f"轮换涉及未参加本轮的县区：{'、'.join(names)}",
                f"the rotation involves counties outside this round: {', '.join(names)}",
            )
        if not complete:
            return
        why_zh = "单一循环" if self.rules.single_cycle else "轮换"
        why_en = "single cycle" if self.rules.single_cycle else "every pool goes somewhere"
        for c in sorted(counties):
            if c not in succ:
                self._add(
                    "R3",
                    f"{self._name(c)}的干部未派往任何县区（R3 推磨式{why_zh}）",
                    f"the pool of {self._name(c)} is sent nowhere (R3 {why_en})",
                )
            if c not in pred:
                self._add(
                    "R3",
                    f"{self._name(c)}未接收任何县区的干部（R3 推磨式{why_zh}）",
                    f"{self._name(c)} receives no pool (R3 {why_en})",
                )
        if not self.rules.single_cycle or len(counties) < 2 or any(c not in succ or c not in pred for c in counties):
            return
        # Every county has one successor; the arcs form one cycle when a walk visits all.
        cycles: list[list[str]] = []
        todo = set(counties)
        while todo:
            start = min(todo)
            cycle, c = [], start
            while c in todo:
                todo.discard(c)
                cycle.append(c)
                c = succ[c]
            cycles.append(cycle)
        if len(cycles) > 1:
            zh = "；".join("→".join(self._name(c) for c in [*cy, cy[0]]) for cy in cycles)
            self._add(
                "R3",
                f"轮换分成{len(cycles)}个循环：{zh}（R3 须为贯穿所有县区的单一循环）",
                f"the rotation splits into {len(cycles)} cycles: {zh} (R3 single cycle)",
            )
