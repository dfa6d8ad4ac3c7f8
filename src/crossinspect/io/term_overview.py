"""The term overview workbook (全期总览) of a whole-term plan.

Sheets, names fixed in both languages (only titles and headers are translated):

- ``总览``: one row per target — 轮次, 组别, 巡察对象, 所在地, 组长, 成员;
- ``工作量``: one row per cadre — rounds served in the term, rounds led, the seat of
  each round, with max / min / mean and the leaders who led twice in a row;
- ``第1轮轮换`` … (rotation mode): the arcs that sent a team in that round, and the
  picture of them;
- ``计划说明``: seed, input checksum, how the targets were split, each round's status,
  leaders kept from leading, re-deals.

Print-ready like the roster: A4, titles repeated on each page, fitted to the page
width, page numbers. Every cell goes through ``set_cell``; the file is written
atomically and never over an input.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.models import Role
from ..domain.rules import Mode
from ..workflows.term import TermPlan, TermRound
from .audit import place_label
from .roster import LANGS, role_label, seat_order, team_label, team_number
from .rotation_chart import cycle_order, rotation_png
from .safety import atomic_path, check_output_path
from .sheet_style import _BODY_SIZE, _CENTER, _LEFT, _WARN_FILL, TableWriter, _t, _width

SHEET_OVERVIEW = "总览"
SHEET_WORKLOAD = "工作量"
SHEET_ROTATION = "第{k}轮轮换"
SHEET_NOTES = "计划说明"

_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "overview": {
        "zh": ("轮次", "组别", "巡察对象", "所在地", "组长", "成员"),
        "en": ("Round", "Team", "Target", "Location", "Leader", "Members"),
    },
    "workload": {
        "zh": ("编号", "姓名", "所属县区", "往轮次数", "本期轮次", "担任组长"),
        "en": ("ID", "Name", "County", "Past rounds", "Term rounds", "Rounds led"),
    },
    "rotation": {
        "zh": ("序号", "派出县区", "接收县区", "巡察对象", "组长"),
        "en": ("No.", "Sending county", "Receiving county", "Targets", "Leaders"),
    },
    "notes": {"zh": ("项目", "内容"), "en": ("Item", "Value")},
}

#: Solver statuses as the roster prints them (short forms for a cell of several lines).
_STATUS_ZH = {"optimal": "最优（已证明）", "feasible": "可行（时限内未证明最优）", "interrupted": "已中断"}


def round_label(number: int, lang: str) -> str:
    return f"第{number}轮" if lang == "zh" else f"Round {number}"


def write_term_overview(
    term: TermPlan, path: str | Path, *, lang: str = "zh", force: bool = False, input_paths: Sequence[str | Path] = ()
) -> Path:
    """Write the term overview workbook to ``path``; returns the path written."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    inputs: list[str | Path] = [*input_paths]
    if term.problem.book.path:
        inputs.append(term.problem.book.path)
    target = check_output_path(path, inputs, force=force)
    wb = build_term_overview(term, lang=lang)
    with atomic_path(target, overwrite=force) as tmp:
        wb.save(tmp)
    return target


def build_term_overview(term: TermPlan, *, lang: str = "zh") -> Workbook:
    """The term overview workbook in memory (``write_term_overview`` saves it)."""
    return _Writer(term, lang).build()


class _Writer(TableWriter):
    def __init__(self, term: TermPlan, lang: str) -> None:
        super().__init__(lang)
        self.term = term
        self.p = term.problem
        self.title = self.p.rules.title
        self.sep = "、" if lang == "zh" else ", "

    def build(self) -> Workbook:
        wb = Workbook()
        default = wb.active
        assert default is not None
        wb.remove(default)
        self.overview(wb.create_sheet(SHEET_OVERVIEW))
        self.workload(wb.create_sheet(SHEET_WORKLOAD))
        if self.p.rules.mode is Mode.ROTATION:
            for r in self.term.rounds:
                self.rotation(wb.create_sheet(SHEET_ROTATION.format(k=r.number)), r)
        self.notes(wb.create_sheet(SHEET_NOTES))
        wb.active = 0
        return wb

    # -- names

    def name(self, cadre_id: str) -> str:
        i = self.p.cadre_index.get(cadre_id)
        return self.p.cadres[i].name if i is not None else cadre_id

    def target_name(self, r: TermRound, target_id: str) -> str:
        j = r.problem.target_index.get(target_id)
        return r.problem.targets[j].name if j is not None else target_id

    def fit_table(
        self, ws: Worksheet, header_row: int, caps: Sequence[float], minimum: float = 6.0, last_row: int | None = None
    ) -> list[float]:
        """Column widths that fit the longest content (capped: long text wraps), and row heights.

        Neither Excel nor LibreOffice re-measures rows written by openpyxl, so wrapped
        cells would print clipped: each row's height is set from its line count.
        """
        end = last_row or ws.max_row
        widths: list[float] = []
        for c, cap in enumerate(caps, start=1):
            longest = 0.0
            for r in range(header_row, end + 1):
                value = ws.cell(row=r, column=c).value
                if value is not None:
                    longest = max(longest, _width(str(value)) * (1.2 if r == header_row else 1.0))
            width = min(cap, max(minimum, longest * 1.15 + 2.5))
            ws.column_dimensions[get_column_letter(c)].width = round(width, 1)
            widths.append(width)
        for r in range(header_row, end + 1):
            lines = 1
            for c, width in enumerate(widths, start=1):
                value = ws.cell(row=r, column=c).value
                if value is not None:
                    room = max(2.0, (7 * width + 1) / 8)
                    lines = max(lines, sum(max(1, math.ceil(_width(part) / room)) for part in str(value).split("\n")))
            ws.row_dimensions[r].height = max(22.0, lines * _BODY_SIZE * 1.35 + 6)
        return widths

    def fingerprint(self) -> str:
        book = self.p.book
        name = Path(book.path).name
        return _t(
            self.lang,
            f"共{self.term.requested}轮，巡察对象{len(self.p.targets)}个　抽签种子：{self.term.seed}"
            f"　输入文件：{name}　SHA-256：{book.sha256}",
            f"{self.term.requested} rounds, {len(self.p.targets)} targets   Lottery seed: "
            f"{self.term.seed}   Input: {name}   SHA-256: {book.sha256}",
        )

    # -- sheets

    def overview(self, ws: Worksheet) -> None:
        headers = _HEADERS["overview"][self.lang]
        note = self.fingerprint()
        hrow = self.heading(
            ws, len(headers), _t(self.lang, f"{self.title}全期巡察总览", f"{self.title}: term overview"), note
        )
        self.header_row(ws, hrow, headers)
        row = hrow
        for r in self.term.rounds:
            for k, team in enumerate(r.plan.teams):
                row += 1
                j = r.problem.target_index.get(team.target_id)
                location = (
                    place_label(r.problem, r.problem.target_location[j], r.problem.targets[j].location)
                    if j is not None
                    else ""
                )
                seats = seat_order(r.problem, team.seats)
                leaders = [self.name(s.cadre_id) for s in seats if s.role is Role.LEADER]
                others = [
                    self.name(s.cadre_id)
                    + (
                        ""
                        if s.role is Role.MEMBER
                        else _t(
                            self.lang, f"（{role_label(s.role, self.lang)}）", f" ({role_label(s.role, self.lang)})"
                        )
                    )
                    for s in seats
                    if s.role is not Role.LEADER
                ]
                values = (
                    round_label(r.number, self.lang),
                    team_label(team_number(team, k), self.lang),
                    self.target_name(r, team.target_id),
                    location,
                    self.sep.join(leaders),
                    self.sep.join(others),
                )
                for c, v in enumerate(values, start=1):
                    self.put(ws, row, c, v, align=_CENTER if c <= 2 else _LEFT)
        widths = self.fit_table(ws, hrow, (10, 12, 28, 16, 12, 56))
        self.note_height(ws, 2, note, widths)
        ws.freeze_panes = ws.cell(row=hrow + 1, column=1)
        self.page(ws, landscape=True, title_rows=f"1:{hrow}")

    def workload(self, ws: Worksheet) -> None:
        s = self.term.stats
        lang = self.lang
        rounds = self.term.rounds
        headers = (*_HEADERS["workload"][lang], *(round_label(r.number, lang) for r in rounds))
        repeat = (
            "、".join(f"第{k}轮{self.name(c)}" for k, c in s.repeat_leaders)
            if lang == "zh"
            else ", ".join(f"round {k}: {self.name(c)}" for k, c in s.repeat_leaders)
        )
        note = _t(
            lang,
            f"可抽取的{len(s.drawable)}名干部本期参加轮次：最多{s.max_rounds}轮，最少{s.min_rounds}轮，"
            f"平均{s.mean_rounds:.2f}轮。连续两轮担任组长：{repeat or '无'}。",
            f"Rounds served by the {len(s.drawable)} drawable cadres: max {s.max_rounds}, "
            f"min {s.min_rounds}, mean {s.mean_rounds:.2f}. Leaders leading twice in a row: "
            f"{repeat or 'none'}.",
        )
        hrow = self.heading(ws, len(headers), _t(lang, f"{self.title}全期工作量", f"{self.title}: workload"), note)
        self.header_row(ws, hrow, headers)
        seat_of: list[dict[str, str]] = []
        for r in rounds:
            where: dict[str, str] = {}
            for s_ in r.plan.seats():
                where[s_.cadre_id] = (
                    f"{role_label(s_.role, lang)}｜{self.target_name(r, s_.target_id)}"
                    if lang == "zh"
                    else f"{role_label(s_.role, lang)}: {self.target_name(r, s_.target_id)}"
                )
            seat_of.append(where)
        past = self.p.past_load
        repeaters = {(k, c) for k, c in s.repeat_leaders}
        drawable = set(s.drawable)
        row = hrow
        for i, c in enumerate(self.p.cadres):
            row += 1
            county = self.p.county_name(self.p.cadre_county[i]) if self.p.cadre_county[i] else c.county
            served = s.rounds_per_cadre.get(c.id, 0) if c.id in drawable else _t(lang, "不可抽取", "not drawable")
            values: list[Any] = [c.id, c.name, county, past[i], served, s.leads_per_cadre.get(c.id, 0)]
            values += [where.get(c.id, "") for where in seat_of]
            for col, v in enumerate(values, start=1):
                fill = None
                if col > 6 and (rounds[col - 7].number, c.id) in repeaters:
                    fill = _WARN_FILL  # led this round and the one before
                self.put(ws, row, col, v, align=_CENTER if col in (1, 4, 5, 6) else _LEFT, fill=fill)
        widths = self.fit_table(ws, hrow, (10, 10, 10, 10, 10, 10, *(30 for _ in rounds)))
        self.note_height(ws, 2, note, widths)
        ws.freeze_panes = ws.cell(row=hrow + 1, column=3)
        self.page(ws, landscape=True, title_rows=f"1:{hrow}")

    def rotation(self, ws: Worksheet, r: TermRound) -> None:
        lang = self.lang
        headers = _HEADERS["rotation"][lang]
        arcs = cycle_order(r.dispatch_arcs())
        note = _t(
            lang,
            f"第{r.number}轮巡察{len(r.target_ids)}个对象，{len(arcs)}个县区派出巡察组。"
            f"图中只画实际派出巡察组的县区；贯穿全部县区的完整轮换循环见《第{r.number}轮》名单的「轮换」表。",
            f"Round {r.number} inspects {len(r.target_ids)} targets; {len(arcs)} pools send teams. "
            f"Only pools that send a team are drawn; the full cycle through every county is on the "
            f"rotation sheet of the round {r.number} roster.",
        )
        hrow = self.heading(
            ws, len(headers), _t(lang, f"第{r.number}轮推磨式轮换", f"Round {r.number}: rotation"), note
        )
        self.header_row(ws, hrow, headers)
        p = r.problem
        row = hrow
        for k, arc in enumerate(arcs, start=1):
            row += 1
            teams = [
                t
                for t in r.plan.teams
                if (j := p.target_index.get(t.target_id)) is not None and p.target_county[j] == arc.dest
            ]
            targets = [self.target_name(r, t.target_id) for t in teams]
            leaders = [self.name(s.cadre_id) for t in teams for s in t.seats if s.role is Role.LEADER]
            for col, v in enumerate(
                (k, arc.source_name, arc.dest_name, self.sep.join(targets), self.sep.join(leaders)), start=1
            ):
                self.put(ws, row, col, v, align=_CENTER if col < 4 else _LEFT)
        widths = self.fit_table(ws, hrow, (7, 14, 14, 34, 16), minimum=11)
        self.note_height(ws, 2, note, widths)
        if arcs:
            png = rotation_png(arcs, title=_t(lang, f"第{r.number}轮轮换示意图", f"Round {r.number} rotation"))
            img = Image(io.BytesIO(png))
            # About 12 cm square, like the roster's: fits a portrait A4 page, readable in print.
            img.width = img.height = 460
            ws.add_image(img, f"A{row + 2}")
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def notes(self, ws: Worksheet) -> None:
        lang = self.lang
        term = self.term
        headers = _HEADERS["notes"][lang]
        hrow = self.heading(ws, len(headers), _t(lang, "计划说明", "About this plan"))
        self.header_row(ws, hrow, headers)
        rows: list[tuple[str, Any]] = [
            (_t(lang, "标题", "Title"), self.title),
            (_t(lang, "输入文件", "Input file"), Path(self.p.book.path).name),
            ("SHA-256", self.p.book.sha256),
            (_t(lang, "抽签种子", "Lottery seed"), term.seed),
            (_t(lang, "轮数", "Rounds"), term.requested),
            (
                _t(lang, "分轮方法", "Split"),
                _t(
                    lang,
                    "按县区分组，县区顺序由抽签种子决定，依次轮流分到各轮：各轮对象数相差不超过1个，"
                    "同一县区的对象尽量分在不同轮次（推磨式下一个县区的各组由同一县区派出，分散才可编组）。",
                    "targets grouped by county, counties in an order drawn from the seed, dealt to the rounds "
                    "in turn: round sizes differ by at most one and a county's targets fall in different "
                    "rounds (in rotation one pool staffs all of a county's teams, so spreading keeps rounds "
                    "feasible).",
                ),
            ),
            (
                _t(lang, "跨轮规则", "Across rounds"),
                _t(
                    lang,
                    "前几轮作为往轮记录：同一派出关系全期不重复（R3），同一干部不重复巡察同一县区（R7），"
                    "工作量软目标优先抽取参加轮次少的干部；上一轮的组长本轮尽量不再担任组长。",
                    "earlier rounds are history: no pool→county arc repeats in the term (R3), no cadre "
                    "inspects a county twice (R7), the workload goal prefers cadres who served less; a leader "
                    "of the previous round does not lead again where that can be avoided.",
                ),
            ),
        ]
        for r in term.rounds:
            res = r.result
            rested = self.sep.join(self.name(c) for c in r.rested) or _t(lang, "无", "none")
            repeat = self.sep.join(self.name(c) for c in r.repeat_leaders) or _t(lang, "无", "none")
            status = _STATUS_ZH.get(res.status.value, res.status.value)
            text = _t(
                lang,
                f"巡察对象：{self.sep.join(self.target_name(r, t) for t in r.target_ids)}\n"
                f"求解状态：{status}，用时{res.runtime:.1f}秒，抽签已最优："
                f"{'是' if res.lottery_optimal else '否'}\n"
                f"上一轮组长本轮不任组长：{rested}"
                + ("（不任组长则无解，已放开）" if r.leader_fallback else "")
                + f"\n连续两轮担任组长：{repeat}",
                f"targets: {self.sep.join(self.target_name(r, t) for t in r.target_ids)}\n"
                f"status: {res.status.value}, {res.runtime:.1f}s, lottery optimal: "
                f"{'yes' if res.lottery_optimal else 'no'}\n"
                f"previous leaders not leading: {rested}"
                + (" (infeasible that way; the exclusion was dropped)" if r.leader_fallback else "")
                + f"\nleading twice in a row: {repeat}",
            )
            rows.append((round_label(r.number, lang), text))
        for t in term.retries:
            rows.append((_t(lang, f"重新分配（第{t.round}轮）", f"Re-dealt (round {t.round})"), _t(lang, t.zh, t.en)))
        row = hrow
        for item, value in rows:
            row += 1
            self.put(ws, row, 1, item)
            self.put(ws, row, 2, value)
        self.fit_table(ws, hrow, (18, 80))
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")


__all__ = [
    "SHEET_NOTES",
    "SHEET_OVERVIEW",
    "SHEET_ROTATION",
    "SHEET_WORKLOAD",
    "build_term_overview",
    "round_label",
    "write_term_overview",
]
