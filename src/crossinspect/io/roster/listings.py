"""The sheets a roster carries only when there is something to list: 人工决定 (R9),
校验结果 (a hand edit's violations), 变更 (after a re-plan or a hand edit), 备选."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from ...domain.models import DecisionKind, Role
from ..sheet_style import _CENTER, _CONFLICT_FILL, _LEFT, _t
from .labels import _HEADERS, role_label, team_label
from .writer import RosterWriter


class ListingSheets(RosterWriter):
    """人工决定, 校验结果, 变更 and 备选."""

    def seat_text(self, team_role: str) -> str:
        """'3/leader' as 第三组 组长."""
        if not team_role:
            return ""
        team_id, _, role = team_role.partition("/")
        number = self.numbers.get(team_id)
        team = team_label(number, self.lang) if number is not None else team_id
        return f"{team} {role_label(Role(role), self.lang)}"

    def changes(self, ws: Worksheet) -> None:
        headers = _HEADERS["changes"][self.lang]
        items = self.extras.changes or ()
        note = _t(self.lang, f"共变更{len(items)}人", f"{len(items)} change(s)")
        hand = self.extras.hand_edit
        if hand is not None:
            note = (
                _t(
                    self.lang,
                    f"与「{hand.source}」写出时的名单相比，共调整{len(items)}人",
                    f"{len(items)} change(s) against the roster {hand.source} as first written",
                )
                if hand.changes_known
                else _t(
                    self.lang,
                    f"「{hand.source}」的分组表和 assignments 表都已修改，无法与写出时的名单比对",
                    f"both copies of the plan in {hand.source} were edited; the roster as first written is not known",
                )
            )
        hrow = self.heading(ws, len(headers), _t(self.lang, f"{self.title}人员变更表", f"{self.title}: changes"), note)
        self.header_row(ws, hrow, headers)
        names = {
            "left": _t(self.lang, "调出", "left"),
            "came": _t(self.lang, "调入", "came in"),
            "moved": _t(self.lang, "调整", "moved"),
        }
        row = hrow
        for k, ch in enumerate(items, start=1):
            row += 1
            values = [
                k,
                names[ch.kind],
                self.name(ch.cadre_id),
                self.pool(ch.cadre_id),
                self.seat_text(ch.before),
                self.seat_text(ch.after),
            ]
            for c, v in enumerate(values, start=1):
                self.put(ws, row, c, v, align=_CENTER if c in (1, 2) else _LEFT)
        widths = self.fit(ws, hrow, (7, 9, 12, 14, 22, 22))
        self.fit_rows(ws, hrow, widths)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def decisions(self, ws: Worksheet) -> None:
        """Every manual decision (R9) and every cadre marked unavailable, with its note."""
        headers = _HEADERS["decisions"][self.lang]
        rows: list[tuple[str, str, str, str]] = []  # kind, cadre id, decision, note
        kinds = {
            DecisionKind.PIN: _t(self.lang, "指定", "pin"),
            DecisionKind.BAN: _t(self.lang, "禁配", "ban"),
            DecisionKind.UNAVAILABLE: _t(self.lang, "不可用", "unavailable"),
        }
        for d in self.p.book.decisions:
            if d.kind is DecisionKind.PIN:
                target = self.target(d.target_id)
                seat = next(
                    (
                        s
                        for t in self.plan.teams
                        for s in t.seats
                        if s.cadre_id == d.cadre_id and s.target_id == d.target_id
                    ),
                    None,
                )
                tname = target.name if target else d.target_id
                role_zh = f"任{d.role.zh}" if d.role else ""
                role_en = f" as {d.role.value}" if d.role else ""
                team = self.label(self.team_of(seat.team_id)) if seat is not None else ""
                what = _t(
                    self.lang,
                    f"指定到巡察{tname}的组{role_zh}" + (f"（{team}）" if team else ""),
                    f"pinned to the team for {tname}{role_en}" + (f" ({team})" if team else ""),
                )
            elif d.kind is DecisionKind.BAN:
                what = _t(
                    self.lang,
                    f"不得与{self.name(d.other_cadre_id)}同组",
                    f"never on a team with {self.name(d.other_cadre_id)}",
                )
            else:
                what = _t(self.lang, "本轮不抽取", "not drawn this round")
            rows.append((kinds[d.kind], d.cadre_id, what, d.note))
        for cadre in self.p.cadres:
            if not cadre.available:
                rows.append(
                    (
                        kinds[DecisionKind.UNAVAILABLE],
                        cadre.id,
                        _t(self.lang, "本轮不抽取", "not drawn this round"),
                        _t(self.lang, "干部表「可用」为否", "marked unavailable on the cadre sheet"),
                    )
                )
        hrow = self.heading(
            ws,
            len(headers),
            _t(self.lang, f"{self.title}人工决定", f"{self.title}: manual decisions"),
            _t(
                self.lang,
                f"共{len(rows)}项，均作为硬性规则执行（R9）。",
                f"{len(rows)} decision(s), each honoured as a hard rule (R9).",
            ),
        )
        self.header_row(ws, hrow, headers)
        row = hrow
        for k, (kind, cadre_id, what, note) in enumerate(rows, start=1):
            row += 1
            values = [k, kind, self.name(cadre_id), self.pool(cadre_id), what, note]
            for c, v in enumerate(values, start=1):
                self.put(ws, row, c, v, align=_CENTER if c in (1, 2, 3) else _LEFT)
        widths = self.fit(ws, hrow, (7, 9, 12, 14, 34, 30))
        self.fit_rows(ws, hrow, widths)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def violations(self, ws: Worksheet) -> None:
        """The rules the hand-edited plan breaks, as ``verify`` reports them."""
        headers = _HEADERS["violations"][self.lang]
        found = self.extras.hand_edit.violations if self.extras.hand_edit is not None else ()
        hrow = self.heading(
            ws,
            len(headers),
            _t(self.lang, f"{self.title}校验结果", f"{self.title}: violations"),
            _t(
                self.lang,
                f"手工调整后的名单经独立校验，共{len(found)}处违规，须改正后方可使用。",
                f"The hand-edited roster breaks {len(found)} rule(s); correct them before use.",
            ),
        )
        self.header_row(ws, hrow, headers)
        row = hrow
        for k, v in enumerate(found, start=1):
            row += 1
            number = self.numbers.get(v.team_id or "")
            team = team_label(number, self.lang) if number is not None else ""
            for c, value in enumerate((k, v.rule, team, v.zh if self.lang == "zh" else v.en), start=1):
                self.put(ws, row, c, value, align=_CENTER if c < 4 else _LEFT, fill=_CONFLICT_FILL if c == 2 else None)
        widths = self.fit(ws, hrow, (7, 8, 11, 70))
        self.fit_rows(ws, hrow, widths)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def alternates(self, ws: Worksheet) -> None:
        items = self.extras.alternates or ()
        # As many 备选 columns as the longest list fills (one at least, so the sheet says 无).
        shown = max(1, min(3, max((len(a.candidate_ids) for a in items), default=0)))
        headers = _HEADERS["alternates"][self.lang][: 3 + shown]
        note = _t(
            self.lang,
            "每名备选人员均已逐一代入名单，经独立校验符合全部规则，且无需调动他人。",
            "Each alternate was substituted into the roster and passed the independent "
            "verifier without moving anyone else.",
        )
        if self.extras.alternates_partial:
            note += _t(
                self.lang,
                "时限已到，未列出的席位未及校验备选人员。",
                " The time limit came first: seats not listed were not checked for alternates.",
            )
        hrow = self.heading(
            ws, len(headers), _t(self.lang, f"{self.title}备选人员表", f"{self.title}: alternates"), note
        )
        self.header_row(ws, hrow, headers)
        row = hrow
        sep = "、" if self.lang == "zh" else ", "
        for alt in items:
            row += 1
            number = self.numbers.get(alt.team_id)
            cells = [
                team_label(number, self.lang) if number is not None else alt.team_id,
                role_label(alt.role, self.lang),
                self.name(alt.holder_id),
            ]
            candidates = list(alt.candidate_ids)[:shown]
            for cid in candidates + [""] * (shown - len(candidates)):
                who = self.cadre(cid) if cid else None
                cells.append(f"{who.name}（{self.pool(cid)}{sep if who.unit else ''}{who.unit}）" if who else "")
            if not candidates:
                cells[3] = _t(self.lang, "无", "none")
            for col, v in enumerate(cells, start=1):
                self.put(ws, row, col, v, align=_CENTER if col <= 3 else _LEFT)
        widths = self.fit(ws, hrow, (10, 10, 10, 34, 34, 34)[: len(headers)])
        self.fit_rows(ws, hrow, widths)
        self.page(ws, landscape=True, title_rows=f"1:{hrow}")
