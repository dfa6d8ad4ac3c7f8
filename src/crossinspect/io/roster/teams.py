"""The sheets a team is named on: 总表 (one row per team, signed) and one sheet per team."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ...domain.models import ROLE_ORDER, Role
from ...domain.plan import Team
from ..sheet_style import _BORDER, _CENTER, _LEFT, _RIGHT, _t
from .labels import _HEADERS, role_label, team_sheet_name
from .seats import overview_roles, seat_order
from .writer import RosterWriter


class TeamSheets(RosterWriter):
    """总表 and the team sheets."""

    def overview(self, ws: Worksheet) -> None:
        roles = overview_roles(self.plan)
        all_headers = _HEADERS["overview"][self.lang]
        keep = [0, 1, 2, *(3 + ROLE_ORDER.index(r) for r in roles), 7]
        headers = [all_headers[k] for k in keep]
        caps = [(12, 26, 16, 12, 14, 14, 40, 7)[k] for k in keep]
        note = self.fingerprint()
        hrow = self.heading(ws, len(headers), _t(self.lang, f"{self.title}编组总表", f"{self.title}: overview"), note)
        self.header_row(ws, hrow, headers)
        row = hrow
        total = 0
        for team in self.plan.teams:
            row += 1
            target = self.target(team.target_id)
            by_role: dict[Role, list[str]] = {r: [] for r in ROLE_ORDER}
            for seat in seat_order(self.p, team.seats):
                by_role[seat.role].append(self.name(seat.cadre_id))
            values = [
                self.label(team),
                target.name if target else team.target_id,
                self.location(team.target_id),
                *("、".join(by_role[r]) if self.lang == "zh" else ", ".join(by_role[r]) for r in roles),
                len(team.seats),
            ]
            total += len(team.seats)
            for c, v in enumerate(values, start=1):
                self.put(ws, row, c, v, align=_CENTER if c in (1, len(values)) else _LEFT)
        row += 1
        self.put(ws, row, 1, _t(self.lang, "合计", "Total"), font=self.bold, align=_CENTER)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers) - 1)
        for c in range(2, len(headers)):
            ws.cell(row=row, column=c).border = _BORDER
        self.put(ws, row, len(headers), total, font=self.bold, align=_CENTER)
        widths = self.fit(ws, hrow, caps)
        self.fit_rows(ws, hrow, widths)
        self.note_height(ws, 2, note, widths)
        self.signature(ws, row + 2, len(headers))
        ws.freeze_panes = ws.cell(row=hrow + 1, column=1)
        self.page(ws, landscape=True, title_rows=f"1:{hrow}")

    def signature(self, ws: Worksheet, row: int, ncols: int) -> None:
        """The issuer (落款) and the date (成文日期) under the overview, right-aligned (GB/T 9704)."""
        font = Font(name=self.body.name, size=14)
        for text in (self.p.rules.issuer, self.p.rules.date):
            if not text:
                continue
            self.put(ws, row, 1, text, font=font, align=_RIGHT, border=False)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            ws.row_dimensions[row].height = 26
            row += 1

    def team_sheet(self, ws: Worksheet, team: Team) -> None:
        headers = _HEADERS["team"][self.lang]
        number = self.numbers[team.team_id]
        target = self.target(team.target_id)
        tname = target.name if target else team.target_id
        title = _t(self.lang, f"{self.title}{team_sheet_name(number)}人员名单", f"{self.title}: Team {number} members")
        note = _t(
            self.lang,
            f"巡察对象：{tname}　所在地：{self.location(team.target_id)}　人数：{len(team.seats)}",
            f"Target: {tname}   Location: {self.location(team.target_id)}   Size: {len(team.seats)}",
        )
        hrow = self.heading(ws, len(headers), title, note)
        self.header_row(ws, hrow, headers)
        row = hrow
        sep = "、" if self.lang == "zh" else ", "
        for k, seat in enumerate(seat_order(self.p, team.seats), start=1):
            row += 1
            c = self.cadre(seat.cadre_id)
            gender = (
                ""
                if c is None
                else (c.gender.zh if self.lang == "zh" else ("Male" if c.gender.value == "M" else "Female"))
            )
            values = [
                k,
                c.name if c else seat.cadre_id,
                gender,
                role_label(seat.role, self.lang),
                c.unit if c else "",
                self.pool(seat.cadre_id),
                sep.join(c.skills) if c else "",
            ]
            for col, v in enumerate(values, start=1):
                self.put(ws, row, col, v, align=_CENTER if col in (1, 2, 3, 4, 6) else _LEFT)
        widths = self.fit(ws, hrow, (7, 12, 11, 16, 36, 14, 20))
        self.fit_rows(ws, hrow, widths, minimum=26)
        self.note_height(ws, 2, note, widths)
        ws.freeze_panes = ws.cell(row=hrow + 1, column=1)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")
