"""Do the sheets people read agree with the plan?

A roster holds the plan twice (``assignments`` and the team sheets) and prints it again in
总表, 回避审查 and 轮换. ``read_roster`` decides which copy holds the plan; after a hand edit
the other sheets still show the roster as it was written. ``printed_disagreements`` names
every team whose 总表 row, team sheet, audit rows or rotation arcs differ from the plan, as
``Violation`` (rule ``PLAN``), so ``verify`` fails such a roster until ``render`` rewrites it.

People are compared by name, as the printed sheets show them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..domain.models import Role
from ..domain.numerals import chinese_to_int
from ..domain.plan import Plan, Seat, Violation
from ..domain.rules import Mode
from ..problem import Problem
from .roster import SHEET_ASSIGNMENTS, SHEET_AUDIT, SHEET_OVERVIEW, SHEET_ROTATION, derive_arcs, team_sheet_name
from .roster_reader import RosterRead, _key, _parse_role, _read_assignments, _read_team_sheets, _rows

_TEAM_LABEL = re.compile(r"^\s*(?:第\s*([零〇一二两三四五六七八九十百\d]+)\s*组|team\s*(\d+))\s*$", re.IGNORECASE)
#: 总表 role columns, both languages (lower-cased, spaces removed).
_OVERVIEW_ROLES = {
    "组长": Role.LEADER,
    "leader": Role.LEADER,
    "副组长": Role.DEPUTY,
    "deputyleader": Role.DEPUTY,
    "联络员": Role.LIAISON,
    "liaison": Role.LIAISON,
    "组员": Role.MEMBER,
    "members": Role.MEMBER,
}
_NAME_SPLIT = re.compile(r"[、,，]\s*")
#: How many names one message lists before it counts the rest.
_SHOWN = 5
_RERENDER_ZH = "请运行 crossinspect render 按名单重新生成各表"
_RERENDER_EN = "run crossinspect render to rewrite the sheets from the plan"


def team_of_label(text: str) -> str | None:
    """The team id a printed label names: 第三组 and Team 3 are team 3."""
    m = _TEAM_LABEL.match(text or "")
    if not m:
        return None
    return str(chinese_to_int(m.group(1)) if m.group(1) else int(m.group(2)))


def printed_disagreements(read: RosterRead, problem: Problem) -> list[Violation]:
    """Every printed sheet of the roster ``read`` that shows other seats than ``read.plan``."""
    wb, plan = read.workbook, read.plan
    out: list[Violation] = []
    out += _overview(wb, problem, plan)
    out += _copy(wb, problem, plan, read)
    out += _audit(wb, problem, plan)
    if problem.rules.mode is Mode.ROTATION:
        out += _rotation(wb, problem, plan)
    return out


# ---- helpers ---------------------------------------------------------------------------------


def _name(problem: Problem, cadre_id: str) -> str:
    i = problem.cadre_index.get(cadre_id)
    return problem.cadres[i].name if i is not None else cadre_id


def _label(team_id: str) -> str:
    return team_sheet_name(int(team_id)) if team_id.isdigit() else team_id


def _listed(names: list[str], lang: str) -> str:
    shown = names[:_SHOWN]
    more = len(names) - len(shown)
    if lang == "zh":
        return "、".join(shown) + (f"等{len(names)}人" if more else "")
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _difference(printed: Counter[Any], planned: Counter[Any], show: Any) -> tuple[str, str] | None:
    """'多了 A；少了 B' for what the sheet has beyond the plan and what it lacks."""
    extra = sorted((printed - planned).elements(), key=str)
    missing = sorted((planned - printed).elements(), key=str)
    if not extra and not missing:
        return None
    zh, en = [], []
    if extra:
        zh.append(f"多了{_listed([show(x, 'zh') for x in extra], 'zh')}")
        en.append(f"shows {_listed([show(x, 'en') for x in extra], 'en')} not in the plan")
    if missing:
        zh.append(f"少了{_listed([show(x, 'zh') for x in missing], 'zh')}")
        en.append(f"lacks {_listed([show(x, 'en') for x in missing], 'en')}")
    return "，".join(zh), "; ".join(en)


def _violation(team_id: str | None, zh: str, en: str) -> Violation:
    return Violation(rule="PLAN", zh=f"{zh}；{_RERENDER_ZH}", en=f"{en}; {_RERENDER_EN}", team_id=team_id)


def _by_team(seats: list[Seat]) -> dict[str, list[Seat]]:
    out: dict[str, list[Seat]] = {}
    for s in seats:
        out.setdefault(s.team_id, []).append(s)
    return out


def _header(rows: list[tuple[int, list[str]]], wanted: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first eight) holding every wanted header, and each header's column."""
    for r, row in rows[:8]:
        keys = {_key(h): k for k, h in enumerate(row) if h}
        if all(w in keys for w in wanted):
            return r, keys
    return None


def _cell(row: list[str], k: int | None) -> str:
    return row[k] if k is not None and k < len(row) else ""


# ---- 总表 ------------------------------------------------------------------------------------


def _overview(wb: Any, problem: Problem, plan: Plan) -> list[Violation]:
    if SHEET_OVERVIEW not in wb.sheetnames:
        return []
    rows = list(_rows(wb[SHEET_OVERVIEW]))
    found = _header(rows, ("组别", "组长")) or _header(rows, ("team", "leader"))
    if found is None:
        return [_violation(None, "总表找不到表头（组别、组长……）", "the overview has no header row (Team, Leader, …)")]
    header_row, cols = found
    roles = {role: cols[key] for key, role in _OVERVIEW_ROLES.items() if key in cols}
    planned = _by_team(plan.seats())
    seen: set[str] = set()
    out: list[Violation] = []
    for r, row in rows:
        if r <= header_row:
            continue
        team_id = team_of_label(row[0] if row else "")
        if team_id is None:
            continue  # the 合计 row, the issuer and the date
        seen.add(team_id)
        printed: Counter[tuple[Role, str]] = Counter()
        for role, k in roles.items():
            for name in _NAME_SPLIT.split(_cell(row, k)):
                if name.strip():
                    printed[(role, name.strip())] += 1
        wanted = Counter((s.role, _name(problem, s.cadre_id)) for s in planned.get(team_id, []))
        # A role column left out (nobody held it when written) shows nobody in that role.
        diff = _difference(
            printed, wanted, lambda x, lang: f"{x[1]}（{x[0].zh}）" if lang == "zh" else f"{x[1]} ({x[0].value})"
        )
        if diff is not None:
            out.append(
                _violation(
                    team_id,
                    f"总表第{r}行（{_label(team_id)}）与名单不一致：{diff[0]}",
                    f"the overview's row {r} ({_label(team_id)}) disagrees with the plan: {diff[1]}",
                )
            )
    for team_id in planned:
        if team_id not in seen:
            out.append(_violation(team_id, f"总表中没有{_label(team_id)}", f"the overview lacks {_label(team_id)}"))
    return out


# ---- the other copy of the plan ----------------------------------------------------------------


def _copy(wb: Any, problem: Problem, plan: Plan, read: RosterRead) -> list[Violation]:
    """The copy of the plan ``read`` did not take: team sheets, or the assignments sheet."""
    planned = _by_team(plan.seats())
    out: list[Violation] = []

    def show(x: tuple[str, Role], lang: str) -> str:
        return f"{_name(problem, x[0])}（{x[1].zh}）" if lang == "zh" else f"{_name(problem, x[0])} ({x[1].value})"

    if read.source == "assignments":
        seats, issues = _read_team_sheets(wb, problem, read.file, hint=plan.seats())
        if issues:
            first = issues[0]
            return [_violation(None, f"分组表读不出：{first.zh}", f"the team sheets cannot be read: {first.en}")]
        sheets = _by_team(seats)
        for team_id, team_seats in sorted(planned.items()):
            name = team_sheet_name(int(team_id)) if team_id.isdigit() else team_id
            if name not in wb.sheetnames:
                out.append(_violation(team_id, f"没有{name}的分组表", f"there is no team sheet {name}"))
                continue
            diff = _difference(
                Counter((s.cadre_id, s.role) for s in sheets.get(team_id, [])),
                Counter((s.cadre_id, s.role) for s in team_seats),
                show,
            )
            if diff is not None:
                out.append(
                    _violation(
                        team_id,
                        f"工作表「{name}」与名单不一致：{diff[0]}",
                        f"sheet {name} disagrees with the plan: {diff[1]}",
                    )
                )
        for team_id in sorted(set(sheets) - set(planned)):
            out.append(
                _violation(
                    team_id,
                    f"工作表「{_label(team_id)}」列出的组不在名单中",
                    f"sheet {_label(team_id)} is a team the plan does not have",
                )
            )
        return out
    if SHEET_ASSIGNMENTS not in wb.sheetnames:
        return []
    written = _read_assignments(wb, problem, read.file) or []
    diff = _difference(
        Counter((s.team_id, s.cadre_id, s.role) for s in written),
        Counter((s.team_id, s.cadre_id, s.role) for s in plan.seats()),
        lambda x, lang: (
            f"{_label(x[0])} {_name(problem, x[1])}（{x[2].zh}）"
            if lang == "zh"
            else f"{_label(x[0])} {_name(problem, x[1])} ({x[2].value})"
        ),
    )
    if diff is not None:
        out.append(
            _violation(
                None,
                f"assignments 表与分组表不一致：{diff[0]}",
                f"the assignments sheet disagrees with the team sheets: {diff[1]}",
            )
        )
    return out


# ---- 回避审查 -----------------------------------------------------------------------------------


def _audit(wb: Any, problem: Problem, plan: Plan) -> list[Violation]:
    if SHEET_AUDIT not in wb.sheetnames:
        return []
    rows = list(_rows(wb[SHEET_AUDIT]))
    found = _header(rows, ("组别", "姓名", "组内职务")) or _header(rows, ("team", "name", "role"))
    if found is None:
        return [
            _violation(
                None,
                "回避审查表找不到表头（组别、姓名、组内职务）",
                "the audit sheet has no header row (Team, Name, Role)",
            )
        ]
    header_row, cols = found
    c_team = cols.get("组别", cols.get("team"))
    c_name = cols.get("姓名", cols.get("name"))
    c_role = cols.get("组内职务", cols.get("role"))
    printed: dict[str, Counter[tuple[str, Role | None]]] = {}
    for r, row in rows:
        if r <= header_row:
            continue
        team_id = team_of_label(_cell(row, c_team))
        if team_id is None:
            continue
        printed.setdefault(team_id, Counter())[(_cell(row, c_name), _parse_role(_cell(row, c_role)))] += 1
    planned = _by_team(plan.seats())
    out: list[Violation] = []
    for team_id in sorted(set(printed) | set(planned), key=lambda t: (len(t), t)):
        wanted = Counter((_name(problem, s.cadre_id), s.role) for s in planned.get(team_id, []))
        diff = _difference(
            printed.get(team_id, Counter()),
            wanted,
            lambda x, lang: (
                f"{x[0]}（{x[1].zh if x[1] else '?'}）" if lang == "zh" else f"{x[0]} ({x[1].value if x[1] else '?'})"
            ),
        )
        if diff is not None:
            out.append(
                _violation(
                    team_id,
                    f"回避审查表中{_label(team_id)}的席位与名单不一致：{diff[0]}",
                    f"the audit's rows of {_label(team_id)} disagree with the plan: {diff[1]}",
                )
            )
    return out


# ---- 轮换 ---------------------------------------------------------------------------------------


def _rotation(wb: Any, problem: Problem, plan: Plan) -> list[Violation]:
    if SHEET_ROTATION not in wb.sheetnames:
        return []
    rows = list(_rows(wb[SHEET_ROTATION]))
    found = _header(rows, ("派出县区", "接收县区")) or _header(rows, ("sendingcounty", "receivingcounty"))
    if found is None:
        return [
            _violation(
                None,
                "轮换表找不到表头（派出县区、接收县区）",
                "the rotation sheet has no header row (Sending county, Receiving county)",
            )
        ]
    header_row, cols = found
    c_from = cols.get("派出县区", cols.get("sendingcounty"))
    c_to = cols.get("接收县区", cols.get("receivingcounty"))
    printed = {
        (_cell(row, c_from), _cell(row, c_to))
        for r, row in rows
        if r > header_row and _cell(row, c_from) and _cell(row, c_to)
    }
    wanted = {(a.source_name, a.dest_name) for a in derive_arcs(problem, plan)}
    # A cycle may pass through a county that receives no team; only arcs into counties the
    # plan sends teams to are compared.
    receiving = {dest for _, dest in wanted}
    printed = {(src, dest) for src, dest in printed if dest in receiving}
    diff = _difference(Counter(printed), Counter(wanted), lambda x, lang: f"{x[0]}→{x[1]}")
    if diff is None:
        return []
    return [
        _violation(
            None,
            f"轮换表与名单的派出关系不一致：{diff[0]}",
            f"the rotation sheet's arcs disagree with the plan: {diff[1]}",
        )
    ]
