"""Read the input workbook (``.xlsx`` or a folder of ``.csv`` files) into ``InputBook``.

Every problem is collected in one pass and raised together, each located by file,
sheet, row and column as the clerk sees them, so one run tells the clerk
everything to fix. Places and ranks are kept as written: resolving places and
checking ranks against ``rank_order`` happen in later stages.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ...domain.errors import InputError, Issue, Severity
from ...domain.models import (
    DECISION_NAMES,
    GENDER_NAMES,
    ROLE_NAMES,
    Cadre,
    Decision,
    DecisionKind,
    Gender,
    HistoryRecord,
    InputBook,
    PlaceRecord,
    Role,
    Target,
    parse_role,
)
from ...domain.rules import did_you_mean
from ...domain.text import normalize_id, normalize_text
from ..columns import CADRES, TARGETS, Sheet
from ..safety import NotARegularFile
from .csv import load_csv_dir
from .limits import MAX_TEAM_SIZE, not_a_file
from .sheets import Row, SheetChecks, SheetData
from .tables import Loaded, make_issue
from .xlsx import load_xlsx

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_SUFFIXES = (".xls", ".et", ".ett", ".xlt")

_YES = frozenset({"是", "yes", "y", "true", "1"})
_NO = frozenset({"否", "no", "n", "false", "0"})
_INT_RE = re.compile(r"\+?(\d+)(?:\.0*)?")


def read_input(path: str | Path) -> InputBook:
    """Read an input workbook; raise ``InputError`` carrying every problem found."""
    book, _warnings = read_input_with_warnings(path)
    return book


def read_input_with_warnings(path: str | Path) -> tuple[InputBook, list[Issue]]:
    """Read an input workbook and also return the warnings (ignored sheets and columns).

    Raises ``InputError`` with all errors, and the warnings, if any error was found.
    """
    book, issues = read_input_report(path)
    if book is None or any(i.severity is Severity.ERROR for i in issues):
        raise InputError(issues)
    return book, [i for i in issues if i.severity is Severity.WARNING]


def read_input_report(path: str | Path) -> tuple[InputBook | None, list[Issue]]:
    """Read what can be read and every problem found, without raising.

    The book is None only when the file itself cannot be read. Otherwise it holds the
    rows that could be parsed even if some cells are wrong, so that later checks (places,
    ranks) can report their problems in the same pass as the reader's.
    """
    issues: list[Issue] = []
    loaded = _load(Path(path), issues)
    if loaded is None:
        return None, issues
    return _Builder(loaded, issues).build(str(path)), issues


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _load(path: Path, issues: list[Issue]) -> Loaded | None:
    file = str(path)
    if not path.exists():
        issues.append(make_issue("not-found", "找不到输入文件或文件夹", "input file or folder not found", file=file))
        return None
    if path.is_dir():
        return load_csv_dir(path, issues, given=None)
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IFREG  # reading it reports why it cannot be read
    if not stat.S_ISREG(mode):
        # A FIFO would make the read wait forever, a device never ends: refused unread.
        not_a_file(NotARegularFile(path, mode), path, issues)
        return None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return load_csv_dir(path.parent, issues, given=path)
    if suffix in OLD_EXCEL_SUFFIXES:
        issues.append(
            make_issue(
                "old-excel-format",
                "不支持旧版 Excel/WPS 格式（.xls/.et）；请在 Excel 或 WPS 中「另存为」.xlsx 工作簿后再试",
                "old Excel/WPS formats (.xls/.et) are not supported; please save the file as an "
                ".xlsx workbook and try again",
                file=file,
            )
        )
        return None
    if suffix in XLSX_SUFFIXES:
        return load_xlsx(path, issues)
    issues.append(
        make_issue(
            "unsupported-format",
            f"不支持的文件类型「{path.suffix or '无扩展名'}」；请提供 .xlsx 工作簿、.csv 文件或存放 .csv 文件的文件夹",
            f"unsupported file type '{path.suffix or 'no extension'}'; give an .xlsx workbook, "
            "a .csv file or a folder of .csv files",
            file=file,
        )
    )
    return None


class _Builder(SheetChecks):
    """Builds the book's records from the checked sheets, reporting every bad cell."""

    def __init__(self, loaded: Loaded, issues: list[Issue]) -> None:
        super().__init__(loaded, issues)
        #: (sheet key, normalised id) -> the id as written on its first row
        self.written: dict[tuple[str, str], str] = {}

    def add(
        self,
        code: str,
        zh: str,
        en: str,
        *,
        row: Row | None = None,
        key: str | None = None,
        sheet: SheetData | None = None,
        line: int | None = None,
        severity: Severity = Severity.ERROR,
        suggestions: Iterable[str] = (),
    ) -> None:
        data = row.sheet if row is not None else sheet
        self.issues.append(
            make_issue(
                code,
                zh,
                en,
                file=data.table.file if data else self.loaded.file,
                sheet=data.table.name if data else None,
                row=row.number if row is not None else line,
                column=(data.header_of(key) if (data and key) else None),
                severity=severity,
                suggestions=suggestions,
            )
        )

    # ---- cells

    def required(self, row: Row, key: str) -> str | None:
        value = row.get(key)
        if value:
            return value
        if (row.sheet.table.name, row.number, key) in self.reported:
            return None
        header = row.column(key)
        self.add("missing-cell", f"「{header}」不能为空", f"'{header}' must not be empty", row=row, key=key)
        return None

    def yes_no(self, row: Row, key: str) -> bool | None:
        text = row.get(key)
        if not text:
            return None
        value = _nfkc(text).lower()
        if value in _YES:
            return True
        if value in _NO:
            return False
        self.add("bad-yes-no", f"「{text}」应为 是 或 否", f"'{text}' should be 是/否 (yes/no)", row=row, key=key)
        return None

    def role(self, row: Row, key: str, text: str) -> Role | None:
        role = parse_role(_nfkc(text))
        if role is None:
            self.add(
                "unknown-role",
                f"不认识的角色「{text}」；可选：组长、副组长、联络员、组员",
                f"unknown role '{text}'; use leader, deputy, liaison or member",
                row=row,
                key=key,
                suggestions=did_you_mean(text, list(ROLE_NAMES)),
            )
        return role

    def unique(self, row: Row, key: str, value: str, seen: dict[str, int], what_zh: str, what_en: str) -> None:
        """Report an id already on an earlier row, naming both rows.

        ``value`` is the normalised id: rows equal only after normalisation (a copied
        row with a right-to-left mark, a full-width letter or a space) are one person.
        """
        written = row.get(key)
        if value in seen:
            first = seen[value]
            first_written = self.written.get((row.sheet.spec.key, value), value)
            same_zh = same_en = ""
            if written != first_written:
                same_zh = (
                    f"（第{row.number}行写作「{written}」，第{first}行写作「{first_written}」；"
                    "编号按去掉全角、空格和看不见的字符后比较）"
                )
                same_en = (
                    f" (written '{written}' on row {row.number} and '{first_written}' on "
                    f"row {first}; ids are compared without width, spaces and invisible "
                    "characters)"
                )
            self.add(
                "duplicate-id",
                f"{what_zh}「{value}」与第{first}行重复{same_zh}",
                f"{what_en} '{value}' repeats row {first}{same_en}",
                row=row,
                key=key,
            )
        else:
            seen[value] = row.number
            self.written[(row.sheet.spec.key, value)] = written

    def known(
        self, row: Row, key: str, value: str, ids: dict[str, int] | None, what_zh: str, what_en: str, sheet: Sheet
    ) -> None:
        if ids is None or not value or value in ids:
            return  # without the other sheet there is nothing to check against
        self.add(
            f"unknown-{sheet.key.rstrip('s')}",
            f"{what_zh}「{value}」不在「{sheet.zh}」表中",
            f"{what_en} '{value}' is not in the '{sheet.en}' sheet",
            row=row,
            key=key,
            suggestions=did_you_mean(value, list(ids)),
        )

    # ---- records

    def build(self, path: str) -> InputBook:
        sheets = self._sheets()
        cadres, cadre_ids = self._cadres(sheets.get("cadres"))
        targets, target_ids = self._targets(sheets.get("targets"))
        history = self._history(sheets.get("history"), cadre_ids, cadres)
        places = self._places(sheets.get("places"))
        decisions = self._decisions(sheets.get("decisions"), cadre_ids, target_ids)
        rules_rows = self._rules(sheets.get("rules"))
        return InputBook(
            path=path,
            sha256=self.loaded.sha256,
            cadres=tuple(cadres),
            targets=tuple(targets),
            history=tuple(history),
            places=tuple(places),
            decisions=tuple(decisions),
            rules_rows=tuple(rules_rows),
        )

    def _no_rows(self, data: SheetData, zh: str, en: str) -> None:
        name = data.table.name
        self.add(
            "empty-sheet",
            f"「{name}」表中没有{zh}",
            f"sheet '{name}' has no {en}",
            sheet=data,
            line=data.header_row or None,
        )

    def _cadres(self, data: SheetData | None) -> tuple[list[Cadre], dict[str, int] | None]:
        if data is None:
            return [], None
        out: list[Cadre] = []
        seen: dict[str, int] = {}
        rows = list(data.rows()) if data.index else []
        if data.complete and not rows:
            self._no_rows(data, "干部", "cadres")
        for row in rows:
            cid = normalize_id(row.get("id"))
            if cid:
                self.unique(row, "id", cid, seen, "干部编号", "cadre id")
            if not data.complete:
                continue  # the missing column is reported once, not on every row
            if not cid:
                self.required(row, "id")
            name = normalize_text(self.required(row, "name") or "")
            county = self.required(row, "county")
            gender = self._gender(row)
            roles: set[Role] = set()
            roles_ok = True
            for text in row.multi("roles"):
                role = self.role(row, "roles", text)
                if role is None:
                    roles_ok = False
                else:
                    roles.add(role)
            available = self.yes_no(row, "available")
            if cid and name and county and gender and roles_ok:
                out.append(
                    Cadre(
                        id=cid,
                        name=name,
                        gender=gender,
                        county=county,
                        unit=row.get("unit"),
                        rank=row.get("rank"),
                        roles=frozenset(roles or {Role.MEMBER}),
                        skills=row.multi("skills"),
                        department=row.get("department"),
                        residence=row.multi("residence"),
                        workplace=row.multi("workplace"),
                        postings=row.multi("postings"),
                        upbringing=row.multi("upbringing"),
                        conflicts=row.multi("conflicts"),
                        available=True if available is None else available,
                        source=row.source(),
                    )
                )
        return out, seen

    def _gender(self, row: Row) -> Gender | None:
        text = self.required(row, "gender")
        if text is None:
            return None
        gender = GENDER_NAMES.get(_nfkc(text).lower())
        if gender is None:
            self.add(
                "bad-gender",
                f"不认识的性别「{text}」，应为 男 或 女",
                f"unknown gender '{text}'; use 男/女 (M/F)",
                row=row,
                key="gender",
            )
        return gender

    def _targets(self, data: SheetData | None) -> tuple[list[Target], dict[str, int] | None]:
        if data is None:
            return [], None
        out: list[Target] = []
        seen: dict[str, int] = {}
        rows = list(data.rows()) if data.index else []
        if data.complete and not rows:
            self._no_rows(data, "巡察对象", "targets")
        for row in rows:
            tid = normalize_id(row.get("id"))
            if tid:
                self.unique(row, "id", tid, seen, "巡察对象编号", "target id")
            if not data.complete:
                continue
            if not tid:
                self.required(row, "id")
            name = self.required(row, "name")
            location = self.required(row, "location")
            size: int | None = None
            size_ok = True
            if row.get("size"):
                m = _INT_RE.fullmatch(_nfkc(row.get("size")))
                size = int(m.group(1)) if m else None
                if size is None or size <= 0 or size > MAX_TEAM_SIZE:
                    size_ok = False
                    self.add(
                        "bad-size",
                        f"人数「{row.get('size')}」应为 1 到 {MAX_TEAM_SIZE} 之间的整数",
                        f"size '{row.get('size')}' must be a whole number from 1 to {MAX_TEAM_SIZE}",
                        row=row,
                        key="size",
                    )
            if tid and name and location and size_ok:
                out.append(
                    Target(
                        id=tid,
                        name=name,
                        location=location,
                        size=size,
                        skills=row.multi("skills"),
                        department=row.get("department"),
                        source=row.source(),
                    )
                )
        return out, seen

    def _history(
        self, data: SheetData | None, cadre_ids: dict[str, int] | None, cadres: list[Cadre]
    ) -> list[HistoryRecord]:
        if data is None or not data.complete:
            return []
        out: list[HistoryRecord] = []
        near = _NearIds(cadre_ids, cadres) if cadre_ids is not None else None
        for row in data.rows():
            rnd = self.required(row, "round")
            cid = self.required(row, "cadre_id")
            place = self.required(row, "place")
            if cid:
                cid = normalize_id(cid)
                if near is not None and cid not in near.ids:
                    self._history_stranger(row, cid, near)
            role: Role | None = None
            role_ok = True
            if row.get("role"):
                role = self.role(row, "role", row.get("role"))
                role_ok = role is not None
            last = self.yes_no(row, "last_ranked")
            if rnd and cid and place and role_ok:
                out.append(
                    HistoryRecord(
                        round=normalize_text(rnd),
                        cadre_id=cid,
                        place=place,
                        role=role,
                        last_ranked=last,
                        from_county=row.get("from_county"),
                        source=row.source(),
                    )
                )
        return out

    def _history_stranger(self, row: Row, cid: str, near: _NearIds) -> None:
        """A history cadre not in the cadres sheet: a typo if close to an id, else someone who left.

        A typo would silently drop the row from R7 and R8 for the cadre meant, so an id
        close to a known one (or a cadre's name) is an error; a former cadre is expected
        in a history of several rounds, so an id close to none is only a warning.
        """
        close = near.close_to(cid)
        if close:
            self.add(
                "unknown-cadre",
                f"干部编号「{cid}」不在「{CADRES.zh}」表中，但与其中的编号相近，可能是笔误；"
                "请改为正确的编号（该行决定往轮回避和末位处理）",
                f"cadre id '{cid}' is not in the '{CADRES.en}' sheet but is close to an id "
                "there, perhaps a typo; correct it (the row decides history avoidance and the "
                "last-ranked rule)",
                row=row,
                key="cadre_id",
                suggestions=close,
            )
        else:
            self.add(
                "departed-cadre",
                f"干部编号「{cid}」不在「{CADRES.zh}」表中，也不与其中任何编号相近，按已离开干部库的人员处理："
                "该行不影响本轮任何人的回避和末位处理，只计入往轮轮换方向",
                f"cadre id '{cid}' is neither in the '{CADRES.en}' sheet nor close to any id "
                "there; it is taken as a cadre who has left: the row affects nobody's avoidance "
                "or last-ranked rule this round, only the past rotation arcs",
                row=row,
                key="cadre_id",
                severity=Severity.WARNING,
            )

    def _places(self, data: SheetData | None) -> list[PlaceRecord]:
        if data is None or not data.complete:
            return []
        out: list[PlaceRecord] = []
        for row in data.rows():
            name = self.required(row, "name")
            if name:
                out.append(
                    PlaceRecord(name=name, parent=row.get("parent"), aliases=row.multi("aliases"), source=row.source())
                )
        return out

    def _decisions(
        self, data: SheetData | None, cadre_ids: dict[str, int] | None, target_ids: dict[str, int] | None
    ) -> list[Decision]:
        if data is None or not data.complete:
            return []
        out: list[Decision] = []
        for row in data.rows():
            kind: DecisionKind | None = None
            kind_text = self.required(row, "kind")
            if kind_text:
                kind = DECISION_NAMES.get(_nfkc(kind_text).lower())
                if kind is None:
                    self.add(
                        "unknown-decision",
                        f"不认识的决定类型「{kind_text}」；可选：指定、禁配、不可用",
                        f"unknown decision kind '{kind_text}'; use pin, ban or unavailable",
                        row=row,
                        key="kind",
                        suggestions=did_you_mean(kind_text, list(DECISION_NAMES)),
                    )
            cid = normalize_id(self.required(row, "cadre_id") or "")
            tid = normalize_id(row.get("target_id"))
            other = normalize_id(row.get("other_cadre_id"))
            ok = kind is not None and bool(cid)
            self.known(row, "cadre_id", cid, cadre_ids, "干部编号", "cadre id", CADRES)
            self.known(row, "target_id", tid, target_ids, "巡察对象编号", "target id", TARGETS)
            self.known(row, "other_cadre_id", other, cadre_ids, "干部编号", "cadre id", CADRES)
            if kind is DecisionKind.PIN and not tid:
                ok = False
                self.add(
                    "decision-needs-target",
                    "「指定」须填写巡察对象编号",
                    "a pin needs the target id",
                    row=row,
                    key="target_id",
                )
            if kind is DecisionKind.BAN and not other:
                ok = False
                self.add(
                    "decision-needs-other",
                    "「禁配」须填写另一干部编号",
                    "a ban needs the other cadre's id",
                    row=row,
                    key="other_cadre_id",
                )
            if kind is DecisionKind.BAN and other and other == cid:
                ok = False
                self.add(
                    "decision-self-ban",
                    "「禁配」的两名干部不能是同一人",
                    "a ban needs two different cadres",
                    row=row,
                    key="other_cadre_id",
                )
            role: Role | None = None
            if row.get("role"):
                role = self.role(row, "role", row.get("role"))
                ok = ok and role is not None
            if ok and kind is not None:
                out.append(
                    Decision(
                        kind=kind,
                        cadre_id=cid,
                        target_id=tid,
                        role=role,
                        other_cadre_id=other,
                        note=row.get("note"),
                        source=row.source(),
                    )
                )
        return out

    def _rules(self, data: SheetData | None) -> list[tuple[str, str, int]]:
        if data is None or not data.complete:
            return []
        out: list[tuple[str, str, int]] = []
        for row in data.rows():
            key = self.required(row, "key")
            if key:
                # keys are lower-case ASCII; NFKC and lower() forgive Ｍode or Mode
                out.append((_nfkc(key).lower(), row.get("value"), row.number))
        return out


# Letters read as digits in a hand-typed id.
_CONFUSABLE = str.maketrans({"o": "0", "i": "1", "l": "1"})
_LEADING_ZEROS_RE = re.compile(r"(?<!\d)0+(?=\d)")


def _loose_id(text: str) -> str:
    """An id with what a slip of the hand changes taken out: case, separators, leading
    zeros (Excel drops them), O for 0 and I or l for 1."""
    letters = "".join(ch for ch in normalize_id(text).casefold() if ch.isalnum())
    return _LEADING_ZEROS_RE.sub("", letters.translate(_CONFUSABLE))


class _NearIds:
    """Known cadre ids, to tell a mistyped id from the id of someone no longer listed."""

    def __init__(self, ids: dict[str, int], cadres: list[Cadre]) -> None:
        self.ids = ids
        self.loose: dict[str, list[str]] = {}
        for cid in ids:
            self.loose.setdefault(_loose_id(cid), []).append(cid)
        self.by_name: dict[str, list[str]] = {}
        for c in cadres:
            self.by_name.setdefault(normalize_id(c.name), []).append(c.id)

    def close_to(self, cid: str) -> tuple[str, ...]:
        """Known ids ``cid`` is probably meant to be; () when it is close to none.

        Close: equal but for case, separators, leading zeros and O/0, I/1 look-alikes; a
        cadre's name written in the id column; or the only known id one edit away (a
        changed, missing, extra or swapped character). Where several ids are one edit
        away (a departed 051 beside 050 and 052), ids are dense and nearness says nothing.
        """
        from rapidfuzz.distance import DamerauLevenshtein

        same = self.loose.get(_loose_id(cid)) or self.by_name.get(cid)
        if same:
            return tuple(same[:3])
        near = [k for k in self.ids if DamerauLevenshtein.distance(cid, k, score_cutoff=1) <= 1]
        return (near[0],) if len(near) == 1 else ()
