"""The roster workbook (名单) an inspection office prints, signs and files (SPEC §5).

Sheets, in order, with names fixed in both languages (only headers and titles are
translated, so tools and ``read_plan`` find them whatever the language):

- ``总表``: one row per team;
- ``第一组``, ``第二组`` …: one sheet per team, the office's own format, leader first,
  then deputies, liaisons and members, each role in 姓氏笔画 order;
- ``回避审查``: one row per seat, every avoidance judged against the target;
- ``轮换`` (rotation mode): the arcs and a picture of the cycle;
- ``运行信息``: input checksum, every rule in force, seed, solver report, versions;
- ``assignments``: machine-readable ``team_id, target_id, cadre_id, role``.

Every cell goes through ``set_cell`` (formula neutralising) and the file is written
atomically beside its destination, never over an input.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.commitment import short
from ..domain.models import ROLE_ORDER, Cadre, DecisionKind, Role, Target
from ..domain.plan import Arc, Plan, Seat, SolveResult, Status, Team, Violation
from ..domain.rule_words import value_in_words, zh_name
from ..domain.rules import RULE_HELP, Mode, Weights
from ..domain.versions import distribution_version
from ..problem import Problem
from .audit import AuditRow, Verdict, audit_rows, place_label
from .relaxed import Relaxed
from .rotation_chart import cycle_order, rotation_png
from .run_record import run_record, write_record
from .safety import OutputError, atomic_path, check_output_path, set_cell
from .sheet_style import (
    _BORDER,
    _CENTER,
    _CONFLICT_FILL,
    _LEFT,
    _RIGHT,
    _WARN_FILL,
    TableWriter,
    _t,
)
from .strokes import surname_stroke_key

# ---- fixed names (SPEC §5) -------------------------------------------------------------

SHEET_OVERVIEW = "总表"
SHEET_AUDIT = "回避审查"
SHEET_ROTATION = "轮换"
SHEET_RUN = "运行信息"
SHEET_ASSIGNMENTS = "assignments"
SHEET_CHANGES = "变更"  # replan: who left, who came in, who moved
SHEET_ALTERNATES = "备选"  # ranked, verified alternates per seat
SHEET_DECISIONS = "人工决定"  # pins, bans and who is not drawn (R9), with their notes
SHEET_VIOLATIONS = "校验结果"  # render: the rules a hand-edited plan breaks
ASSIGNMENT_HEADERS: tuple[str, ...] = ("team_id", "target_id", "cadre_id", "role")
#: Item of the 运行信息 row holding the digest of the seats as written (both languages).
DIGEST_ITEMS = ("名单校验码", "Roster digest")
#: Item of the 运行信息 row saying the roster was edited by hand (both languages), and its
#: value's first word when it was.
HAND_EDIT_ITEMS = ("人工调整", "Hand-edited")
HAND_EDIT_YES = ("是", "yes")

LANGS = ("zh", "en")

_ROLE_EN = {Role.LEADER: "Leader", Role.DEPUTY: "Deputy leader", Role.LIAISON: "Liaison",
            Role.MEMBER: "Member"}

_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "overview": {
        "zh": ("组别", "巡察对象", "所在地", "组长", "副组长", "联络员", "组员", "人数"),
        "en": ("Team", "Target", "Location", "Leader", "Deputy leader", "Liaison", "Members",
               "Size"),
    },
    "team": {
        "zh": ("序号", "姓名", "性别", "组内职务", "单位职务", "所属县区", "专长"),
        "en": ("No.", "Name", "Gender", "Role", "Unit and post", "County", "Skills"),
    },
    "audit": {
        "zh": ("组别", "姓名", "组内职务", "巡察地", "居住地", "工作地", "任职地", "成长地", "回避",
               "结论"),
        "en": ("Team", "Name", "Role", "Inspected place", "Residence", "Workplace", "Postings",
               "Upbringing", "Declared conflicts", "Conclusion"),
    },
    "rotation": {
        "zh": ("序号", "派出县区", "接收县区", "巡察对象"),
        "en": ("No.", "Sending county", "Receiving county", "Targets"),
    },
    "run": {
        "zh": ("项目", "内容", "说明"),
        "en": ("Item", "Value", "Meaning"),
    },
    "changes": {
        "zh": ("序号", "变更", "姓名", "所属县区", "原组别及职务", "现组别及职务"),
        "en": ("No.", "Change", "Name", "County", "Before", "After"),
    },
    "decisions": {
        "zh": ("序号", "类型", "姓名", "所属县区", "决定内容", "说明"),
        "en": ("No.", "Kind", "Name", "County", "Decision", "Note"),
    },
    "alternates": {
        "zh": ("组别", "组内职务", "现任", "备选一", "备选二", "备选三"),
        "en": ("Team", "Role", "Holder", "Alternate 1", "Alternate 2", "Alternate 3"),
    },
    "violations": {
        "zh": ("序号", "规则", "组别", "说明"),
        "en": ("No.", "Rule", "Team", "Finding"),
    },
}


@dataclass(frozen=True)
class HandEdit:
    """A roster rewritten by ``render`` from a plan the office edited by hand."""

    source: str  # the edited roster's file name
    edited: bool  # the seats differ from those the roster was first written with
    violations: tuple[Violation, ...]  # the verifier's findings on the edited plan
    changes_known: bool = True  # False when the roster could not tell what it was written with


@dataclass(frozen=True)
class RosterExtras:
    """Optional sheets: changes after a re-plan or a hand edit, alternates per seat, and
    what ``render`` found about a hand-edited plan."""

    changes: tuple[Any, ...] | None = None  # replan.Change
    alternates: tuple[Any, ...] | None = None  # alternates.Alternates
    #: the time limit stopped the alternates before every seat was checked
    alternates_partial: bool = False
    hand_edit: HandEdit | None = None
    #: drawn under relaxed rules: said on the overview and on 运行信息 (io/relaxed.py)
    relaxed: Relaxed | None = None

_CN_DIGITS = "零一二三四五六七八九"


# ---- small helpers ----------------------------------------------------------------------


def cn_numeral(n: int) -> str:
    """Chinese numeral as used in team names: 1 → 一, 10 → 十, 12 → 十二, 105 → 一百零五."""
    if n < 0:
        return "负" + cn_numeral(-n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _CN_DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _CN_DIGITS[rest]
        if rest < 20:
            return head + "一" + cn_numeral(rest)  # 一百一十二, not 一百十二
        return head + cn_numeral(rest)
    return str(n)


def team_number(team: Team, position: int) -> int:
    """The team's number on the roster: its id when numeric, else its 1-based position."""
    return int(team.team_id) if team.team_id.isdigit() else position + 1


def team_sheet_name(number: int) -> str:
    """第一组, 第二组 …: the sheet of a team, the same in both languages."""
    return f"第{cn_numeral(number)}组"


def team_label(number: int, lang: str) -> str:
    return team_sheet_name(number) if lang == "zh" else f"Team {number}"


def role_label(role: Role, lang: str) -> str:
    return role.zh if lang == "zh" else _ROLE_EN[role]


def seat_order(problem: Problem, seats: Iterable[Seat]) -> list[Seat]:
    """Leader first, then deputies, liaisons and members; each role in 姓氏笔画 order."""

    def key(seat: Seat) -> tuple[Any, ...]:
        i = problem.cadre_index.get(seat.cadre_id)
        name = problem.cadres[i].name if i is not None else seat.cadre_id
        return (ROLE_ORDER.index(seat.role), surname_stroke_key(name), seat.cadre_id)

    return sorted(seats, key=key)


def plan_digest(seats: Iterable[Seat]) -> str:
    """SHA-256 of the seats, order-free: tells ``read_plan`` which copy was edited by hand."""
    lines = sorted(f"{s.team_id}\t{s.target_id}\t{s.cadre_id}\t{s.role.value}" for s in seats)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def overview_roles(plan: Plan) -> list[Role]:
    """The role columns of 总表: 组长 and 组员 always, 副组长 and 联络员 when someone holds them."""
    held = {s.role for s in plan.seats()}
    return [r for r in ROLE_ORDER if r in (Role.LEADER, Role.MEMBER) or r in held]


def derive_arcs(problem: Problem, plan: Plan) -> tuple[Arc, ...]:
    """Rotation arcs implied by the seats (for plans read back without arcs)."""
    pairs: dict[tuple[str, str], None] = {}
    for seat in plan.seats():
        i = problem.cadre_index.get(seat.cadre_id)
        j = problem.target_index.get(seat.target_id)
        if i is None or j is None or problem.is_local_role(seat.role):
            continue
        src, dst = problem.cadre_county[i], problem.target_county[j]
        if src and dst and src != dst:
            pairs[(src, dst)] = None
    return tuple(Arc(source=s, dest=d, source_name=problem.county_name(s),
                     dest_name=problem.county_name(d)) for s, d in pairs)


# ---- the public entry point -----------------------------------------------------------


def write_roster(problem: Problem, result: SolveResult | Plan, path: str | Path, *,
                 lang: str = "zh", force: bool = False,
                 input_paths: Sequence[str | Path] = (), extras: RosterExtras | None = None) -> Path:
    """Write the print-ready roster of ``result`` to ``path``; returns the path written.

    Refuses to write over any of ``input_paths`` or the problem's own input file, and
    over an existing file unless ``force``. Raises ``OutputError`` for those and for a
    result without a plan.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    plan = result.plan if isinstance(result, SolveResult) else result
    if plan is None:
        raise OutputError("没有可写出的名单（求解未得到编组）。",
                          "there is no roster to write (the solve found no plan).")
    inputs: list[str | Path] = [*input_paths]
    if problem.book.path:
        inputs.append(problem.book.path)
    target = check_output_path(path, inputs, force=force)
    wb = build_roster(problem, result, lang=lang, extras=extras)
    with atomic_path(target, overwrite=force) as tmp:
        wb.save(tmp)
    return target


def build_roster(problem: Problem, result: SolveResult | Plan, *, lang: str = "zh",
                 extras: RosterExtras | None = None) -> Workbook:
    """The roster workbook in memory (``write_roster`` saves it)."""
    plan = result.plan if isinstance(result, SolveResult) else result
    if plan is None:
        raise OutputError("没有可写出的名单。", "there is no roster to write.")
    solve = result if isinstance(result, SolveResult) else None
    writer = _Writer(problem, plan, solve, lang, extras or RosterExtras())
    return writer.build()


# ---- the writer ------------------------------------------------------------------------


class _Writer(TableWriter):
    def __init__(self, problem: Problem, plan: Plan, solve: SolveResult | None, lang: str,
                 extras: RosterExtras) -> None:
        super().__init__(lang)
        self.p = problem
        self.extras = extras
        self.plan = plan
        # A draw from a changed input cannot be made again from the input file: say so.
        self.solve = extras.relaxed.result(solve) if extras.relaxed is not None and solve is not None else solve
        self.lang = lang
        self.numbers = {t.team_id: team_number(t, k) for k, t in enumerate(plan.teams)}
        if len(set(self.numbers.values())) < len(self.numbers):
            # Hand-made ids that collide (2 and a non-numeric id in second place) would
            # give two sheets one name: number the teams by position instead.
            self.numbers = {t.team_id: k + 1 for k, t in enumerate(plan.teams)}
        self.title = problem.rules.title

    # -- lookups

    def cadre(self, cadre_id: str) -> Cadre | None:
        i = self.p.cadre_index.get(cadre_id)
        return self.p.cadres[i] if i is not None else None

    def target(self, target_id: str) -> Target | None:
        j = self.p.target_index.get(target_id)
        return self.p.targets[j] if j is not None else None

    def name(self, cadre_id: str) -> str:
        c = self.cadre(cadre_id)
        return c.name if c is not None else cadre_id

    def location(self, target_id: str) -> str:
        j = self.p.target_index.get(target_id)
        if j is None:
            return ""
        return place_label(self.p, self.p.target_location[j], self.p.targets[j].location)

    def pool(self, cadre_id: str) -> str:
        i = self.p.cadre_index.get(cadre_id)
        if i is None:
            return ""
        code = self.p.cadre_county[i]
        return self.p.county_name(code) if code else self.p.cadres[i].county

    def label(self, team: Team) -> str:
        return team_label(self.numbers[team.team_id], self.lang)

    # -- workbook

    def build(self) -> Workbook:
        wb = Workbook()
        default = wb.active
        assert default is not None
        wb.remove(default)
        self.overview(wb.create_sheet(SHEET_OVERVIEW))
        for team in self.plan.teams:
            self.team_sheet(wb.create_sheet(team_sheet_name(self.numbers[team.team_id])), team)
        self.audit(wb.create_sheet(SHEET_AUDIT))
        if self.p.book.decisions or any(not c.available for c in self.p.cadres):
            self.decisions(wb.create_sheet(SHEET_DECISIONS))
        if self.p.rules.mode is Mode.ROTATION:
            self.rotation(wb.create_sheet(SHEET_ROTATION))
        if self.extras.hand_edit is not None and self.extras.hand_edit.violations:
            self.violations(wb.create_sheet(SHEET_VIOLATIONS))
        if self.extras.changes is not None:
            self.changes(wb.create_sheet(SHEET_CHANGES))
        if self.extras.alternates is not None:
            self.alternates(wb.create_sheet(SHEET_ALTERNATES))
        run = wb.create_sheet(SHEET_RUN)
        self.run_info(run)
        write_record(run, run_record(self.p, self.solve))
        self.assignments(wb.create_sheet(SHEET_ASSIGNMENTS))
        wb.active = 0
        return wb

    # -- sheets

    def overview(self, ws: Worksheet) -> None:
        roles = overview_roles(self.plan)
        all_headers = _HEADERS["overview"][self.lang]
        keep = [0, 1, 2, *(3 + ROLE_ORDER.index(r) for r in roles), 7]
        headers = [all_headers[k] for k in keep]
        caps = [(12, 26, 16, 12, 14, 14, 40, 7)[k] for k in keep]
        note = self.fingerprint()
        hrow = self.heading(ws, len(headers),
                            _t(self.lang, f"{self.title}编组总表", f"{self.title}: overview"), note)
        self.header_row(ws, hrow, headers)
        row = hrow
        total = 0
        for team in self.plan.teams:
            row += 1
            target = self.target(team.target_id)
            by_role: dict[Role, list[str]] = {r: [] for r in ROLE_ORDER}
            for seat in seat_order(self.p, team.seats):
                by_role[seat.role].append(self.name(seat.cadre_id))
            values = [self.label(team), target.name if target else team.target_id,
                      self.location(team.target_id),
                      *("、".join(by_role[r]) if self.lang == "zh" else ", ".join(by_role[r])
                        for r in roles),
                      len(team.seats)]
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
            note = (_t(self.lang, f"与「{hand.source}」写出时的名单相比，共调整{len(items)}人",
                       f"{len(items)} change(s) against the roster {hand.source} as first written")
                    if hand.changes_known else
                    _t(self.lang, f"「{hand.source}」的分组表和 assignments 表都已修改，无法与写出时的名单比对",
                       f"both copies of the plan in {hand.source} were edited; the roster as first written "
                       "is not known"))
        hrow = self.heading(ws, len(headers), _t(self.lang, f"{self.title}人员变更表", f"{self.title}: changes"),
                            note)
        self.header_row(ws, hrow, headers)
        names = {"left": _t(self.lang, "调出", "left"), "came": _t(self.lang, "调入", "came in"),
                 "moved": _t(self.lang, "调整", "moved")}
        row = hrow
        for k, ch in enumerate(items, start=1):
            row += 1
            values = [k, names[ch.kind], self.name(ch.cadre_id), self.pool(ch.cadre_id),
                      self.seat_text(ch.before), self.seat_text(ch.after)]
            for c, v in enumerate(values, start=1):
                self.put(ws, row, c, v, align=_CENTER if c in (1, 2) else _LEFT)
        widths = self.fit(ws, hrow, (7, 9, 12, 14, 22, 22))
        self.fit_rows(ws, hrow, widths)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def decisions(self, ws: Worksheet) -> None:
        """Every manual decision (R9) and every cadre marked unavailable, with its note."""
        headers = _HEADERS["decisions"][self.lang]
        rows: list[tuple[str, str, str, str]] = []  # kind, cadre id, decision, note
        kinds = {DecisionKind.PIN: _t(self.lang, "指定", "pin"), DecisionKind.BAN: _t(self.lang, "禁配", "ban"),
                 DecisionKind.UNAVAILABLE: _t(self.lang, "不可用", "unavailable")}
        for d in self.p.book.decisions:
            if d.kind is DecisionKind.PIN:
                target = self.target(d.target_id)
                seat = next((s for t in self.plan.teams for s in t.seats
                             if s.cadre_id == d.cadre_id and s.target_id == d.target_id), None)
                tname = target.name if target else d.target_id
                role_zh = f"任{d.role.zh}" if d.role else ""
                role_en = f" as {d.role.value}" if d.role else ""
                team = self.label(self.team_of(seat.team_id)) if seat is not None else ""
                what = _t(self.lang, f"指定到巡察{tname}的组{role_zh}" + (f"（{team}）" if team else ""),
                          f"pinned to the team for {tname}{role_en}" + (f" ({team})" if team else ""))
            elif d.kind is DecisionKind.BAN:
                what = _t(self.lang, f"不得与{self.name(d.other_cadre_id)}同组",
                          f"never on a team with {self.name(d.other_cadre_id)}")
            else:
                what = _t(self.lang, "本轮不抽取", "not drawn this round")
            rows.append((kinds[d.kind], d.cadre_id, what, d.note))
        for cadre in self.p.cadres:
            if not cadre.available:
                rows.append((kinds[DecisionKind.UNAVAILABLE], cadre.id,
                             _t(self.lang, "本轮不抽取", "not drawn this round"),
                             _t(self.lang, "干部表「可用」为否", "marked unavailable on the cadre sheet")))
        hrow = self.heading(ws, len(headers), _t(self.lang, f"{self.title}人工决定", f"{self.title}: manual decisions"),
                            _t(self.lang, f"共{len(rows)}项，均作为硬性规则执行（R9）。",
                               f"{len(rows)} decision(s), each honoured as a hard rule (R9)."))
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
        hrow = self.heading(ws, len(headers), _t(self.lang, f"{self.title}校验结果", f"{self.title}: violations"),
                            _t(self.lang, f"手工调整后的名单经独立校验，共{len(found)}处违规，须改正后方可使用。",
                               f"The hand-edited roster breaks {len(found)} rule(s); correct them before use."))
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

    def team_of(self, team_id: str) -> Team:
        return next(t for t in self.plan.teams if t.team_id == team_id)

    def alternates(self, ws: Worksheet) -> None:
        items = self.extras.alternates or ()
        # As many 备选 columns as the longest list fills (one at least, so the sheet says 无).
        shown = max(1, min(3, max((len(a.candidate_ids) for a in items), default=0)))
        headers = _HEADERS["alternates"][self.lang][:3 + shown]
        note = _t(self.lang, "每名备选人员均已逐一代入名单，经独立校验符合全部规则，且无需调动他人。",
                  "Each alternate was substituted into the roster and passed the independent "
                  "verifier without moving anyone else.")
        if self.extras.alternates_partial:
            note += _t(self.lang, "时限已到，未列出的席位未及校验备选人员。",
                       " The time limit came first: seats not listed were not checked for alternates.")
        hrow = self.heading(ws, len(headers), _t(self.lang, f"{self.title}备选人员表", f"{self.title}: alternates"),
                            note)
        self.header_row(ws, hrow, headers)
        row = hrow
        sep = "、" if self.lang == "zh" else ", "
        for alt in items:
            row += 1
            number = self.numbers.get(alt.team_id)
            cells = [team_label(number, self.lang) if number is not None else alt.team_id,
                     role_label(alt.role, self.lang), self.name(alt.holder_id)]
            candidates = list(alt.candidate_ids)[:shown]
            for cid in candidates + [""] * (shown - len(candidates)):
                who = self.cadre(cid) if cid else None
                cells.append(f"{who.name}（{self.pool(cid)}{sep if who.unit else ''}{who.unit}）" if who else "")
            if not candidates:
                cells[3] = _t(self.lang, "无", "none")
            for col, v in enumerate(cells, start=1):
                self.put(ws, row, col, v, align=_CENTER if col <= 3 else _LEFT)
        widths = self.fit(ws, hrow, (10, 10, 10, 34, 34, 34)[:len(headers)])
        self.fit_rows(ws, hrow, widths)
        self.page(ws, landscape=True, title_rows=f"1:{hrow}")

    def fingerprint(self) -> str:
        """R11: the seed and input checksum printed where the roster is signed."""
        seed = self.solve.seed if self.solve is not None else self.p.rules.seed
        sha = self.p.book.sha256
        name = Path(self.p.book.path).name
        text = _t(self.lang,
                  f"抽签种子：{seed}　输入文件：{name}　SHA-256：{sha}",
                  f"Lottery seed: {seed}   Input: {name}   SHA-256: {sha}")
        if self.extras.hand_edit is not None:
            text = f"{self.hand_edit_text()}\n{text}"
        if self.extras.relaxed is not None:
            text = f"{self.extras.relaxed.note(self.lang)}\n{text}"
        return text

    def hand_edit_text(self) -> str:
        """已人工调整 and the verifier's verdict, as the overview prints them."""
        return _t(self.lang, f"{self.hand_edit_mark()}；独立校验：{self.check_verdict()}",
                  f"{self.hand_edit_mark()}; independent check: {self.check_verdict()}")

    def hand_edit_mark(self) -> str:
        hand = self.extras.hand_edit
        assert hand is not None
        if hand.edited:
            return _t(self.lang, "已人工调整（不再是抽签结果）", "edited by hand (no longer the draw's result)")
        return _t(self.lang, "由已有名单重新生成，未发现人工调整", "rewritten; no hand edit found")

    def check_verdict(self) -> str:
        hand = self.extras.hand_edit
        assert hand is not None
        n = len(hand.violations)
        if not n:
            return _t(self.lang, "通过，全部规则均符合", "every rule holds")
        return _t(self.lang, f"未通过，{n}处违规，见「{SHEET_VIOLATIONS}」表",
                  f"{n} violation(s), see sheet {SHEET_VIOLATIONS}")

    def team_sheet(self, ws: Worksheet, team: Team) -> None:
        headers = _HEADERS["team"][self.lang]
        number = self.numbers[team.team_id]
        target = self.target(team.target_id)
        tname = target.name if target else team.target_id
        title = _t(self.lang, f"{self.title}{team_sheet_name(number)}人员名单",
                   f"{self.title}: Team {number} members")
        note = _t(self.lang, f"巡察对象：{tname}　所在地：{self.location(team.target_id)}"
                             f"　人数：{len(team.seats)}",
                  f"Target: {tname}   Location: {self.location(team.target_id)}   "
                  f"Size: {len(team.seats)}")
        hrow = self.heading(ws, len(headers), title, note)
        self.header_row(ws, hrow, headers)
        row = hrow
        sep = "、" if self.lang == "zh" else ", "
        for k, seat in enumerate(seat_order(self.p, team.seats), start=1):
            row += 1
            c = self.cadre(seat.cadre_id)
            gender = "" if c is None else (c.gender.zh if self.lang == "zh" else
                                           ("Male" if c.gender.value == "M" else "Female"))
            values = [k, c.name if c else seat.cadre_id, gender, role_label(seat.role, self.lang),
                      c.unit if c else "", self.pool(seat.cadre_id),
                      sep.join(c.skills) if c else ""]
            for col, v in enumerate(values, start=1):
                self.put(ws, row, col, v, align=_CENTER if col in (1, 2, 3, 4, 6) else _LEFT)
        widths = self.fit(ws, hrow, (7, 12, 11, 16, 36, 14, 20))
        self.fit_rows(ws, hrow, widths, minimum=26)
        self.note_height(ws, 2, note, widths)
        ws.freeze_panes = ws.cell(row=hrow + 1, column=1)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

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
            "four avoidances, declared conflicts still apply.")
        hrow = self.heading(ws, len(headers),
                            _t(self.lang, f"{self.title}回避审查表",
                               f"{self.title}: avoidance audit"), note)
        self.header_row(ws, hrow, headers)
        row = hrow
        numbers = self.numbers
        rows = audit_rows(self.p, self.plan)
        order = {id(s): k for k, s in enumerate(
            s for t in self.plan.teams for s in seat_order(self.p, t.seats))}
        seat_rank = {(s.team_id, s.cadre_id): order[id(s)] for t in self.plan.teams
                     for s in t.seats}
        rows.sort(key=lambda a: seat_rank.get((a.team_id, a.cadre_id), 0))
        for a in rows:
            row += 1
            number = numbers.get(a.team_id, 0)
            values: list[Any] = [team_label(number, self.lang), self.name(a.cadre_id),
                                 role_label(a.role, self.lang), a.location]
            for col, v in enumerate(values, start=1):
                self.put(ws, row, col, v, align=_CENTER if col in (1, 2, 3) else _LEFT)
            for k, f in enumerate(a.fields, start=len(values) + 1):
                self.put(ws, row, k, self.field_text(a, f.field), align=_LEFT,
                         fill=_fill(f.verdict))
            self.put(ws, row, len(headers), a.zh if self.lang == "zh" else a.en, align=_LEFT,
                     fill=_fill(a.verdict))
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

    def rotation(self, ws: Worksheet) -> None:
        headers = _HEADERS["rotation"][self.lang]
        arcs = cycle_order(self.plan.arcs or derive_arcs(self.p, self.plan))
        chain = "→".join([a.source_name for a in arcs] + ([arcs[0].source_name] if arcs else []))
        note = _t(self.lang, f"轮换顺序：{chain}", f"Rotation: {chain}")
        hrow = self.heading(ws, len(headers),
                            _t(self.lang, f"{self.title}推磨式轮换", f"{self.title}: rotation"),
                            note)
        self.header_row(ws, hrow, headers)
        row = hrow
        sep = "、" if self.lang == "zh" else ", "
        for k, arc in enumerate(arcs, start=1):
            row += 1
            targets = [t.name for j, t in enumerate(self.p.targets)
                       if self.p.target_county[j] == arc.dest]
            for col, v in enumerate((k, arc.source_name, arc.dest_name, sep.join(targets)),
                                    start=1):
                self.put(ws, row, col, v, align=_CENTER if col < 4 else _LEFT)
        widths = self.fit(ws, hrow, (7, 16, 16, 46), minimum=12)
        self.fit_rows(ws, hrow, widths)
        self.note_height(ws, 2, note, widths)
        if arcs:
            png = rotation_png(arcs, title=_t(self.lang, "推磨式轮换示意图", "Rotation cycle"))
            img = Image(io.BytesIO(png))
            # About 12 cm square: fits the portrait page beside nothing, readable in print.
            img.width = img.height = 460
            ws.add_image(img, f"A{row + 2}")
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def run_info(self, ws: Worksheet) -> None:
        headers = _HEADERS["run"][self.lang]
        hrow = self.heading(ws, len(headers), _t(self.lang, "运行信息", "Run information"))
        self.header_row(ws, hrow, headers)
        lang = self.lang
        rows: list[tuple[str, Any, str]] = []
        book = self.p.book
        s = self.solve
        rows.append((_t(lang, "标题", "Title"), self.title, ""))
        if self.extras.relaxed is not None:
            rows += self.extras.relaxed.rows(lang)
        rows.append((_t(lang, "输入文件", "Input file"), Path(book.path).name, ""))
        rows.append(("SHA-256", book.sha256, _t(lang, "输入文件校验值", "checksum of the input")))
        record = run_record(self.p, s)
        rows.append((_t(lang, "承诺值", "Commitment"), short(record["commitment"]),
                     _t(lang, f"输入与规则（种子除外）的SHA-256，抽签前公布：{record['commitment']}",
                        f"SHA-256 of the input and the rules but the seed, published before the draw: "
                        f"{record['commitment']}")))
        rows.append((_t(lang, "抽签种子", "Lottery seed"), record["seed"],
                     _t(lang, f"原样记录；其SHA-256：{record['seed_sha256']}",
                        f"as given; its SHA-256: {record['seed_sha256']}")))
        if s is not None:
            rows.append((_t(lang, "搜索工作量", "Search effort"), f"{s.effort_used:g} / {s.effort:g}",
                         _t(lang, "已用 / 规定，确定性计时单位；决定名单的是工作量而非时间",
                            "used / given, in deterministic units: the effort, not the time, decides the roster")))
            if s.reproducible:
                rows.append((_t(lang, "可复现", "Reproducible"), _t(lang, "是", "yes"),
                             _t(lang, "同一输入、规则、种子、工作量和软件版本，在任何电脑上得到同一名单；"
                                      "可用 crossinspect verify --reproduce 复核",
                                "the same input, rules, seed, effort and software versions give this roster on "
                                "any machine; check with crossinspect verify --reproduce")))
            else:
                rows.append((_t(lang, "可复现", "Reproducible"), _t(lang, "不可复现", "not reproducible"),
                             s.not_reproducible_zh if lang == "zh" else s.not_reproducible_en))
        if s is not None:
            rows.append((_t(lang, "求解状态", "Solver status"), _status(s.status, lang), ""))
            rows.append((_t(lang, "目标值", "Objective"), _blank(s.objective),
                         _t(lang, "越小越好，为各目标项加权之和", "lower is better; sum of terms")))
            for term in s.terms:
                rows.append((_t(lang, f"目标项：{term.zh}", f"Term: {term.name}"),
                             f"{term.value} × {term.weight} = {term.weighted}",
                             _t(lang, "取值 × 权重 = 加权值", "value × weight = weighted")))
            rows.append((_t(lang, "下界", "Bound"), _blank(s.bound), ""))
            rows.append((_t(lang, "差距", "Gap"),
                         "—" if s.gap is None else f"{s.gap * 100:.1f}%", ""))
            rows.append((_t(lang, "用时（秒）", "Runtime (s)"), round(s.runtime, 2), ""))
            rows.append((_t(lang, "求解线程数", "Workers"), s.workers, ""))
            rows.append((_t(lang, "抽签值", "Lottery value"), _blank(s.lottery), ""))
            rows.append((_t(lang, "抽签已最优", "Lottery optimal"),
                         _t(lang, "是" if s.lottery_optimal else "否",
                            "yes" if s.lottery_optimal else "no"),
                         _t(lang, "同分名单中按种子抽取的结果是否已证明",
                            "whether the seeded draw among equal rosters is proven")))
        elif self.extras.hand_edit is not None:
            hand = self.extras.hand_edit
            rows.append((_t(lang, "求解状态", "Solver status"),
                         _t(lang, f"未求解（由「{hand.source}」重新生成）",
                            f"not solved here (rewritten from {hand.source})"), ""))
            rows.append((_t(lang, *HAND_EDIT_ITEMS),
                         _t(lang, "是" if hand.edited else "否", "yes" if hand.edited else "no"),
                         _t(lang, "名单的席位与抽签写出时不同", "the seats differ from the roster the draw wrote")))
            rows.append((_t(lang, "独立校验", "Independent check"), self.check_verdict(), ""))
        else:
            rows.append((_t(lang, "求解状态", "Solver status"),
                         _t(lang, "未求解（由已有名单写出）", "not solved here (plan given)"), ""))
        rows.append(("crossinspect", distribution_version("crossinspect"), ""))
        rows.append(("OR-Tools", distribution_version("ortools"), ""))
        sanctions = dict(self.p.sanctions)
        extra = s.sanctions if s is not None else ()
        listed = {x.cadre_id for x in sanctions.values()}
        reasons = [*sanctions.values(), *(x for x in extra if x.cadre_id not in listed)]
        if reasons:
            for x in reasons:
                rows.append((_t(lang, "质量评估（R8）", "Sanction (R8)"),
                             f"{self.name(x.cadre_id)}（{x.cadre_id}）" if lang == "zh"
                             else f"{self.name(x.cadre_id)} ({x.cadre_id})",
                             x.zh if lang == "zh" else x.en))
        else:
            rows.append((_t(lang, "质量评估（R8）", "Sanctions (R8)"), _t(lang, "无", "none"), ""))
        rows.append((_t(lang, *DIGEST_ITEMS), plan_digest(self.plan.seats()),
                     _t(lang, "名单席位的校验值；复核时用于判断手工修改的是哪一处",
                        "checksum of the seats; tells verify which copy was edited by hand")))
        rows.append((_t(lang, "输入警告", "Input warnings"), len(self.p.warnings),
                     _t(lang, "条，详见 check 命令输出", "see the output of `check`")))
        rows.extend(self.rule_rows())
        row = hrow
        for item, value, meaning in rows:
            row += 1
            if isinstance(value, bool):  # printed in words, never as true/false
                value = _t(lang, "是" if value else "否", "yes" if value else "no")
            self.put(ws, row, 1, item, align=_LEFT)
            self.put(ws, row, 2, value, align=_LEFT)
            self.put(ws, row, 3, meaning, align=_LEFT)
        self.fit_rows(ws, hrow, self.fit(ws, hrow, (28, 42, 50)), minimum=18)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def rule_rows(self) -> list[tuple[str, Any, str]]:
        """Every rule in force, one row per key, in words (推磨式, 5至7人, 是) that a 规则 sheet reads back."""
        out: list[tuple[str, Any, str]] = []
        data = self.p.rules.model_dump(mode="json")
        weights = data.pop("weights")
        for key, value in data.items():
            zh, en = RULE_HELP.get(key, ("", ""))
            out.append((_t(self.lang, f"规则：{zh_name(key)}", f"Rule: {key}"),
                        value_in_words(key, value, self.lang), zh if self.lang == "zh" else en))
        for key, value in weights.items():
            desc = Weights.model_fields[key].description or ""
            out.append((_t(self.lang, f"规则：{zh_name(f'weights.{key}')}", f"Rule: weights.{key}"),
                        value_in_words(f"weights.{key}", value, self.lang),
                        desc if self.lang == "zh" else f"soft-goal weight: {key}"))
        return out

    def assignments(self, ws: Worksheet) -> None:
        for c, h in enumerate(ASSIGNMENT_HEADERS, start=1):
            set_cell(ws.cell(row=1, column=c), h)
            ws.cell(row=1, column=c).font = Font(bold=True)
        row = 1
        for team in self.plan.teams:
            for seat in seat_order(self.p, team.seats):
                row += 1
                for c, v in enumerate((seat.team_id, seat.target_id, seat.cadre_id,
                                       seat.role.value), start=1):
                    set_cell(ws.cell(row=row, column=c), v)
        for c, w in enumerate((10, 14, 14, 10), start=1):
            ws.column_dimensions[get_column_letter(c)].width = w
        ws.freeze_panes = "A2"
        self.page(ws, landscape=False, title_rows="1:1")
        # For other programs, not for people: printing the whole workbook leaves it out.
        ws.sheet_state = "hidden"


def _fill(verdict: Verdict) -> PatternFill | None:
    if verdict is Verdict.CONFLICT:
        return _CONFLICT_FILL
    if verdict in (Verdict.REVIEW, Verdict.UNDECLARED, Verdict.UNMATCHED):
        return _WARN_FILL
    return None


def _blank(value: Any) -> Any:
    return "—" if value is None else value


_STATUS_ZH = {
    Status.OPTIMAL: "最优（已证明）",
    Status.FEASIBLE: "可行（时限内未证明最优）",
    Status.INFEASIBLE: "无解",
    Status.UNKNOWN: "未知（时限内未找到）",
    Status.INTERRUPTED: "已中断（目前最好的名单）",
}
_STATUS_EN = {
    Status.OPTIMAL: "optimal (proven)",
    Status.FEASIBLE: "feasible (optimality not proven in the time limit)",
    Status.INFEASIBLE: "infeasible",
    Status.UNKNOWN: "unknown (nothing found in the time limit)",
    Status.INTERRUPTED: "interrupted (best roster so far)",
}


def _status(status: Status, lang: str) -> str:
    return (_STATUS_ZH if lang == "zh" else _STATUS_EN)[status]
