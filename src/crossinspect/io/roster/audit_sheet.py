"""回避审查: one row per seat, every avoidance judged against the target (io/audit.py judges)."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..audit import AuditRow, Verdict, audit_rows
from ..sheet_style import _CENTER, _CONFLICT_FILL, _LEFT, _WARN_FILL, _t
from .labels import _HEADERS, role_label, team_label
from .seats import seat_order
from .writer import RosterWriter


class AuditSheet(RosterWriter):
    """回避审查."""

    def audit(self, ws: Worksheet) -> None:
        headers = _HEADERS["audit"][self.lang]
        level = self.p.rules.level.value
        note = _t(
            self.lang,
            f"判定层级：{'县级' if level == 'county' else '乡镇级'}。"
            "每格为本人填报的内容，与巡察地不重合（通过）的不另注；否则下一行注明判定："
            "冲突＝在巡察地内或含巡察地；待核实＝地名比判定层级粗或本人未填报，"
            "须人工核实；未匹配＝回避内容不是巡察对象或地名；本地席位按 R5 由被巡察县区干部担任，"
            "四回避不适用，其他回避照常审查。",
            f"Level: {level}. Each cell: what the cadre declared; unless it passes (outside the "
            "inspected place), a second line gives the verdict: conflict = inside it or containing it; to review = the "
            "place is coarser than the level, or left empty: check by hand; unmatched = the "
            "declared conflict is no target and no place; a local seat (R5) is exempt from the "
            "four avoidances, declared conflicts still apply.",
        )
        hrow = self.heading(
            ws, len(headers), _t(self.lang, f"{self.title}回避审查表", f"{self.title}: avoidance audit"), note
        )
        self.header_row(ws, hrow, headers)
        row = hrow
        numbers = self.numbers
        rows = audit_rows(self.p, self.plan)
        order = {id(s): k for k, s in enumerate(s for t in self.plan.teams for s in seat_order(self.p, t.seats))}
        seat_rank = {(s.team_id, s.cadre_id): order[id(s)] for t in self.plan.teams for s in t.seats}
        rows.sort(key=lambda a: seat_rank.get((a.team_id, a.cadre_id), 0))
        for a in rows:
            row += 1
            number = numbers.get(a.team_id, 0)
            values: list[Any] = [
                team_label(number, self.lang),
                self.name(a.cadre_id),
                role_label(a.role, self.lang),
                a.location,
            ]
            for col, v in enumerate(values, start=1):
                self.put(ws, row, col, v, align=_CENTER if col in (1, 2, 3) else _LEFT)
            for k, f in enumerate(a.fields, start=len(values) + 1):
                self.put(ws, row, k, self.field_text(a, f.field), align=_LEFT, fill=_fill(f.verdict))
            self.put(ws, row, len(headers), a.zh if self.lang == "zh" else a.en, align=_LEFT, fill=_fill(a.verdict))
        widths = self.fit(ws, hrow, (11, 10, 12, 14, 20, 20, 22, 20, 14, 26))
        self.fit_rows(ws, hrow, widths)
        self.note_height(ws, 2, note, widths)
        ws.freeze_panes = ws.cell(row=hrow + 1, column=3)
        self.page(ws, landscape=True, title_rows=f"1:{hrow}")

    def field_text(self, a: AuditRow, which: Any) -> str:
        f = a.field(which)
        sep = "、" if self.lang == "zh" else ", "
        text = f.text(sep)
        if f.verdict is Verdict.UNDECLARED:
            # Nothing was declared, so nothing could pass: the seat needs a person to check.
            return f"{f.verdict.label(self.lang)}\n{Verdict.REVIEW.label(self.lang)}"
        if not text:
            text = _t(self.lang, "无", "none")
        if f.verdict is Verdict.PASS:
            return text
        return f"{text}\n{f.verdict.label(self.lang)}"


def _fill(verdict: Verdict) -> PatternFill | None:
    if verdict is Verdict.CONFLICT:
        return _CONFLICT_FILL
    if verdict in (Verdict.REVIEW, Verdict.UNDECLARED, Verdict.UNMATCHED):
        return _WARN_FILL
    return None
