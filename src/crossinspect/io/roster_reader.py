"""Read a roster workbook back into a ``Plan``, also after the office edited it by hand.

Two copies of the plan are in a roster: the machine-readable ``assignments`` sheet
and the printed team sheets (第一组, 第二组 …). Offices edit either one:

- ``assignments``: swap two ``cadre_id`` values, change a row's ``team_id`` (and
  ``target_id``, or clear one of the two and it is derived), change ``role``, add or
  delete rows. Ids are exact, so this is the reliable way to edit.
- team sheets: move a row to another team's sheet, swap two names, change 组内职务.
  People are found by 姓名 + 所属县区, so this works as long as the name is spelt as
  in the input; namesakes in one county are told apart only through ``assignments``.

``write_roster`` stores a digest of the seats in ``运行信息`` (名单校验码). When the two
copies disagree, the one whose digest no longer matches is the edited one and wins;
when both were edited differently, or there is no digest to tell, the roster is
refused with an explanation rather than guessed. A roster without ``assignments``
(or with an empty one) is read from its team sheets alone.

Problems that make the roster unusable (unreadable file, unknown ids or names, an
unknown role, a team that maps to no target) raise ``InputError`` naming file,
sheet, row and column. Rule violations are not checked here: ``verify`` does that.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.errors import InputError, Issue
from ..domain.models import ROLE_NAMES, Role, parse_role
from ..domain.numerals import chinese_to_int
from ..domain.plan import Plan, Seat
from ..domain.text import normalize_id
from ..places import PlaceLevel, resolve
from ..problem import Problem
from .read.limits import MAX_FILE_BYTES
from .read.tables import clean
from .roster import (
    ASSIGNMENT_HEADERS,
    DIGEST_ITEMS,
    SHEET_ASSIGNMENTS,
    SHEET_RUN,
    plan_digest,
)
from .safety import FileTooLarge, NotARegularFile, read_regular_file

_TEAM_SHEET = re.compile(r"^\s*第\s*([零〇一二两三四五六七八九十百\d]+)\s*组\s*$")

#: Role labels as either language's roster prints them, plus every input spelling,
#: without spaces and lower-cased ("Deputy leader" -> "deputyleader").
_ROLE_LABELS: dict[str, Role] = {
    **{re.sub(r"\s+", "", k): v for k, v in ROLE_NAMES.items()},
    "deputyleader": Role.DEPUTY,
}

_NAME_HEADERS = ("姓名", "name")
_COUNTY_HEADERS = ("所属县区", "county")
_ROLE_HEADERS = ("组内职务", "role")


@dataclass(frozen=True)
class RosterRead:
    """A roster as read back: the plan it holds now, and the plan it was written with.

    ``plan`` is the copy ``verify`` checks: the edited one when only one was edited.
    ``recorded`` is the plan the roster was written with (the copy whose seats still
    match the stored 名单校验码), or None when the roster cannot tell (no digest, or both
    copies edited alike). ``source`` says which copy ``plan`` came from; ``workbook`` is
    the open workbook, for checking the printed sheets against ``plan``.
    """

    plan: Plan
    recorded: Plan | None
    source: str  # "assignments" | "team sheets"
    workbook: Any
    file: str

    @property
    def edited(self) -> bool:
        """The seats differ from those the roster was written with (or that cannot be told)."""
        return self.recorded is None or not _same_plan(self.plan, self.recorded)


def read_plan(path: str | Path, problem: Problem) -> Plan:
    """The plan written in roster ``path``, checked against ``problem``'s ids."""
    return read_roster(path, problem).plan


def read_roster(path: str | Path, problem: Problem) -> RosterRead:
    """Read roster ``path`` (also after a hand edit): the plan, the plan it was written with,
    and the workbook. Raises ``InputError`` when it cannot be read or its copies disagree
    with nothing to tell which was edited."""
    file = str(path)
    wb = _open(Path(path))
    digest = _stored_digest(wb)

    def read(seats: list[Seat], source: str, other: list[Seat] | None) -> RosterRead:
        plan = Plan.from_seats(seats)
        if digest is not None and plan_digest(seats) == digest:
            recorded: Plan | None = plan
        elif digest is not None and other and plan_digest(other) == digest:
            recorded = Plan.from_seats(other)
        else:
            recorded = None
        return RosterRead(plan=plan, recorded=recorded, source=source, workbook=wb, file=file)

    assignments = _read_assignments(wb, problem, file)
    if assignments is None:
        seats, issues = _read_team_sheets(wb, problem, file, hint=None)
        if issues:
            raise InputError(issues)
        if not seats:
            raise InputError(
                [
                    Issue(
                        code="empty-roster",
                        zh="名单中既没有 assignments 表，也没有可读的分组表（第一组、第二组……）",
                        en="the roster has neither an assignments sheet nor readable team sheets (第一组, 第二组 …)",
                        file=file,
                    )
                ]
            )
        return read(seats, "team sheets", None)
    team_seats, issues = _read_team_sheets(wb, problem, file, hint=assignments)
    a_digest = plan_digest(assignments)
    if issues:
        # The team sheets cannot be read. If assignments is untouched the team sheets
        # are what was edited, and reading assignments would ignore that edit.
        if digest is not None and digest == a_digest:
            raise InputError(issues)
        return read(assignments, "assignments", None)
    if not team_seats or _same(team_seats, assignments):
        return read(assignments, "assignments", team_seats)
    t_digest = plan_digest(team_seats)
    if digest is not None and a_digest == digest and t_digest != digest:
        return read(team_seats, "team sheets", assignments)
    if digest is not None and t_digest == digest and a_digest != digest:
        return read(assignments, "assignments", team_seats)
    raise InputError([_disagreement(file, team_seats, assignments, problem, both_edited=digest is not None)])


def _same_plan(a: Plan, b: Plan) -> bool:
    return _same(a.seats(), b.seats())


# ---- workbook access --------------------------------------------------------------------


def open_roster(path: str | Path) -> Any:
    """A roster workbook, read only if it is a regular file of a sensible size."""
    return _open(Path(path))


def _open(path: Path) -> Any:
    import openpyxl

    try:
        data = read_regular_file(path, limit=MAX_FILE_BYTES)
    except NotARegularFile as exc:
        raise InputError(
            [Issue(code="not-a-file", zh=f"名单文件{exc.zh}", en=f"the roster {exc.en}", file=str(path))]
        ) from exc
    except FileTooLarge as exc:
        raise InputError(
            [
                Issue(
                    code="too-big",
                    zh=f"名单文件过大（{exc.size} 字节），不是本工具写出的名单",
                    en=f"the roster is too large ({exc.size} bytes) to be one this tool wrote",
                    file=str(path),
                )
            ]
        ) from exc
    except OSError as exc:
        raise InputError(
            [
                Issue(
                    code="unreadable",
                    zh=f"无法读取名单文件：{exc.strerror or exc}",
                    en=f"cannot read the roster: {exc.strerror or exc}",
                    file=str(path),
                )
            ]
        ) from exc
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            [
                Issue(
                    code="unreadable",
                    zh="名单文件不是可读的 .xlsx 工作簿",
                    en=f"the roster is not a readable .xlsx workbook ({exc})",
                    file=str(path),
                )
            ]
        ) from exc


def _rows(ws: Any) -> Iterator[tuple[int, list[str]]]:
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        texts = [clean(v) for v in values]
        if any(texts):
            yield r, texts


def _key(text: str) -> str:
    """A name, header or label for matching: normalised as ids are, and lower-cased."""
    return normalize_id(text).lower()


def _stored_digest(wb: Any) -> str | None:
    if SHEET_RUN not in wb.sheetnames:
        return None
    for _, row in _rows(wb[SHEET_RUN]):
        if len(row) >= 2 and row[0] in DIGEST_ITEMS:
            return row[1] or None
    return None


def _same(a: list[Seat], b: list[Seat]) -> bool:
    return sorted(map(_seat_tuple, a)) == sorted(map(_seat_tuple, b))


def _seat_tuple(s: Seat) -> tuple[str, str, str, str]:
    return (s.team_id, s.target_id, s.cadre_id, s.role.value)


def _parse_role(text: str) -> Role | None:
    return parse_role(text) or _ROLE_LABELS.get(_key(text))


def _team_of_target(problem: Problem) -> tuple[dict[str, str], dict[str, str]]:
    """team_id -> target_id and back, as the solver numbers teams."""
    by_team = {problem.team_id(j): t.id for j, t in enumerate(problem.targets)}
    return by_team, {v: k for k, v in by_team.items()}


# ---- assignments ------------------------------------------------------------------------


def _read_assignments(wb: Any, problem: Problem, file: str) -> list[Seat] | None:
    """Seats of the assignments sheet; None when it is missing or has no data rows."""
    if SHEET_ASSIGNMENTS not in wb.sheetnames:
        return None
    rows = list(_rows(wb[SHEET_ASSIGNMENTS]))
    if len(rows) < 2:
        return None
    sheet = SHEET_ASSIGNMENTS
    header_row, header = rows[0]
    col = {_key(h): k for k, h in enumerate(header) if h}
    missing = [h for h in ASSIGNMENT_HEADERS if h not in col]
    if missing:
        raise InputError(
            [
                Issue(
                    code="missing-column",
                    zh=f"assignments 表缺少列：{'、'.join(missing)}",
                    en=f"the assignments sheet lacks column(s): {', '.join(missing)}",
                    file=file,
                    sheet=sheet,
                    row=header_row,
                )
            ]
        )
    team_to_target, target_to_team = _team_of_target(problem)
    issues: list[Issue] = []
    seats: list[Seat] = []

    def cell(row: list[str], name: str) -> str:
        k = col[name]
        return row[k] if k < len(row) else ""

    for r, row in rows[1:]:
        # Ids are read as the input's are, so a pasted invisible character cannot make
        # a second person (or an unknown one) of a seated cadre.
        team_id, target_id = normalize_id(cell(row, "team_id")), normalize_id(cell(row, "target_id"))
        cadre_id, role_text = normalize_id(cell(row, "cadre_id")), cell(row, "role")

        def bad(code: str, column: str, zh: str, en: str, r: int = r) -> None:
            issues.append(Issue(code=code, zh=zh, en=en, file=file, sheet=sheet, row=r, column=column))

        if cadre_id not in problem.cadre_index:
            bad(
                "unknown-cadre",
                "cadre_id",
                f"干部编号「{cadre_id}」不在输入的干部名单中",
                f"cadre id '{cadre_id}' is not in the input",
            )
        role = _parse_role(role_text)
        if role is None:
            bad(
                "unknown-role",
                "role",
                f"角色「{role_text}」无法识别，应为 leader、deputy、liaison 或 member",
                f"unknown role '{role_text}'; use leader, deputy, liaison or member",
            )
        if target_id and target_id not in problem.target_index:
            bad(
                "unknown-target",
                "target_id",
                f"巡察对象编号「{target_id}」不在输入中",
                f"target id '{target_id}' is not in the input",
            )
            continue
        if team_id and team_id not in team_to_target:
            bad(
                "unknown-team",
                "team_id",
                f"组别「{team_id}」不存在（应为 1 至 {len(problem.targets)}）",
                f"team '{team_id}' does not exist (expected 1 to {len(problem.targets)})",
            )
            continue
        if not team_id and not target_id:
            bad(
                "missing-team",
                "team_id",
                "team_id 与 target_id 都为空，无法确定所在组",
                "both team_id and target_id are empty",
            )
            continue
        if team_id and target_id and team_to_target[team_id] != target_id:
            bad(
                "team-target-mismatch",
                "target_id",
                f"team_id {team_id} 对应巡察对象「{team_to_target[team_id]}」，但 target_id 写的是"
                f"「{target_id}」；移动人员时请同时修改两列，或清空其中一列",
                f"team_id {team_id} belongs to target '{team_to_target[team_id]}' but target_id "
                f"says '{target_id}'; change both, or clear one of them",
            )
            continue
        team_id = team_id or target_to_team[target_id]
        target_id = target_id or team_to_target[team_id]
        if role is not None and cadre_id in problem.cadre_index:
            seats.append(Seat(team_id=team_id, target_id=target_id, cadre_id=cadre_id, role=role))
    if issues:
        raise InputError(issues)
    return seats


# ---- team sheets ------------------------------------------------------------------------


def _read_team_sheets(wb: Any, problem: Problem, file: str, hint: list[Seat] | None) -> tuple[list[Seat], list[Issue]]:
    """Seats of the 第N组 sheets, people found by 姓名 + 所属县区.

    ``hint`` (the assignments) only breaks ties between namesakes of one county: the
    one assignments puts in that team is taken.
    """
    team_to_target, _ = _team_of_target(problem)
    if hint:
        team_to_target = {**team_to_target, **{s.team_id: s.target_id for s in hint}}
    by_name: dict[str, list[int]] = {}
    for i, c in enumerate(problem.cadres):
        by_name.setdefault(_key(c.name), []).append(i)
    hinted = {(s.team_id, s.cadre_id) for s in hint or ()}
    seats: list[Seat] = []
    issues: list[Issue] = []
    for sheet in wb.sheetnames:
        m = _TEAM_SHEET.match(sheet)
        if not m:
            continue
        team_id = str(chinese_to_int(m.group(1)))
        if team_id not in team_to_target:
            issues.append(
                Issue(
                    code="unknown-team",
                    zh=f"工作表「{sheet}」没有对应的巡察对象",
                    en=f"sheet '{sheet}' matches no target",
                    file=file,
                    sheet=sheet,
                )
            )
            continue
        target_id = team_to_target[team_id]
        rows = list(_rows(wb[sheet]))
        header_found = _find_header(rows)
        if header_found is None:
            issues.append(
                Issue(
                    code="missing-column",
                    zh="找不到表头（姓名、所属县区、组内职务）",
                    en="no header row with 姓名/Name, 所属县区/County, 组内职务/Role",
                    file=file,
                    sheet=sheet,
                )
            )
            continue
        header_row, header, (c_name, c_county, c_role) = header_found
        for r, row in rows:
            if r <= header_row:
                continue
            name = row[c_name] if c_name < len(row) else ""
            if not name:
                continue
            county = row[c_county] if c_county < len(row) else ""
            role_text = row[c_role] if c_role < len(row) else ""
            role = _parse_role(role_text)
            if role is None:
                issues.append(
                    Issue(
                        code="unknown-role",
                        zh=f"组内职务「{role_text}」无法识别",
                        en=f"unknown role '{role_text}'",
                        file=file,
                        sheet=sheet,
                        row=r,
                        column=header[c_role],
                    )
                )
                continue
            found = _match_cadre(problem, by_name.get(_key(name), []), county, team_id, hinted)
            if isinstance(found, str):
                zh, en = _match_problem(found, name, county)
                column = header[c_county] if found == "county" else header[c_name]
                issues.append(Issue(code=f"{found}-cadre", zh=zh, en=en, file=file, sheet=sheet, row=r, column=column))
                continue
            seats.append(Seat(team_id=team_id, target_id=target_id, cadre_id=problem.cadres[found].id, role=role))
    return seats, issues


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, list[str], tuple[int, int, int]] | None:
    for r, row in rows[:8]:
        keys = [_key(h) for h in row]

        def index(names: tuple[str, ...], keys: list[str] = keys) -> int | None:
            return next((k for k, h in enumerate(keys) if h in names), None)

        c_name, c_county, c_role = (index(_NAME_HEADERS), index(_COUNTY_HEADERS), index(_ROLE_HEADERS))
        if c_name is not None and c_county is not None and c_role is not None:
            return r, row, (c_name, c_county, c_role)
    return None


def _match_cadre(
    problem: Problem, candidates: list[int], county: str, team_id: str, hinted: set[tuple[str, str]]
) -> int | str:
    """The cadre index for a name and county, or 'unknown', 'county' or 'ambiguous'."""
    if not candidates:
        return "unknown"
    if county:
        wanted = _county_code(problem, county)
        narrowed = [
            i
            for i in candidates
            if _key(problem.cadres[i].county) == _key(county)
            or (problem.cadre_county[i] and _key(problem.county_name(problem.cadre_county[i])) == _key(county))
            or (wanted is not None and problem.cadre_county[i] == wanted)
        ]
        if not narrowed:
            return "county"
        candidates = narrowed
    if len(candidates) == 1:
        return candidates[0]
    in_team = [i for i in candidates if (team_id, problem.cadres[i].id) in hinted]
    if len(in_team) == 1:
        return in_team[0]
    return "ambiguous"


def _county_code(problem: Problem, text: str) -> str | None:
    res = resolve(problem.gazetteer, text)
    codes = set()
    for c in res.codes:
        node = problem.gazetteer.ancestor_at(c, PlaceLevel.COUNTY)
        codes.add(node.code if node is not None else c)
    return next(iter(codes)) if len(codes) == 1 else None


def _match_problem(kind: str, name: str, county: str) -> tuple[str, str]:
    if kind == "unknown":
        return (f"干部名单中没有「{name}」", f"no cadre named '{name}' in the input")
    if kind == "county":
        return (
            f"干部名单中没有所属县区为「{county}」的「{name}」",
            f"no cadre '{name}' of county '{county}' in the input",
        )
    return (
        f"「{county}」有多名干部叫「{name}」，分组表无法区分；请改在 assignments 表中按编号修改",
        f"several cadres of '{county}' are named '{name}'; edit the assignments sheet by id instead",
    )


def _disagreement(
    file: str, team_seats: list[Seat], assignments: list[Seat], problem: Problem, *, both_edited: bool
) -> Issue:
    a = set(map(_seat_tuple, assignments))
    t = set(map(_seat_tuple, team_seats))
    diff = sorted(t ^ a)[:3]

    def show(x: tuple[str, str, str, str]) -> str:
        i = problem.cadre_index.get(x[2])
        name = problem.cadres[i].name if i is not None else x[2]
        where = "分组表" if x in t else "assignments"
        return f"{where}：第{x[0]}组 {name}（{x[2]}）{Role(x[3]).zh}"

    why_zh = (
        "assignments 表与分组表都被修改且内容不一致"
        if both_edited
        else "assignments 表与分组表内容不一致，且名单中没有校验码可判断改的是哪一处"
    )
    why_en = (
        "both the assignments sheet and the team sheets were edited and they disagree"
        if both_edited
        else "the assignments sheet and the team sheets disagree, and the roster has no digest to tell which was edited"
    )
    return Issue(
        code="roster-disagrees",
        zh=f"{why_zh}（例如 {'；'.join(show(x) for x in diff)}）；请只在一处修改，或让两处一致",
        en=f"{why_en}; edit one copy only, or make them agree",
        file=file,
        sheet=SHEET_ASSIGNMENTS,
    )
