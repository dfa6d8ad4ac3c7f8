"""Read the input workbook (``.xlsx`` or a folder of ``.csv`` files) into ``InputBook``.

Every problem is collected in one pass and raised together, each located by file,
sheet, row and column as the clerk sees them, so one run tells the clerk
everything to fix. Places and ranks are kept as written: resolving places and
checking ranks against ``rank_order`` happen in later stages.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Issue, Severity
from ..models import (
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
    SourceRef,
    Target,
    parse_role,
)
from ..rules import did_you_mean
from .columns import (
    CADRES,
    SHEETS,
    TARGETS,
    Sheet,
    is_instructions,
    match_sheet,
    norm,
    split_multi,
)

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_SUFFIXES = (".xls", ".et", ".ett", ".xlt")

_YES = frozenset({"是", "yes", "y", "true", "1"})
_NO = frozenset({"否", "no", "n", "false", "0"})

# Characters pasted from web pages and Word that look like nothing but break matching.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Full-width letters and digits become ASCII so Ｃ００１ and C001 are one id; full-width
# punctuation is left alone because it is part of Chinese text (unit names, titles).
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
_ZERO_FORMAT_RE = re.compile(r"0+")
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


# --------------------------------------------------------------------------- cells


def clean(value: Any) -> str:
    """A cell's value as trimmed text; ids stay text (``001``), ``12.0`` becomes ``12``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        # lower case so the 规则 sheet's TOML parsing and the 是/否 parsing both accept it
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = _INVISIBLE_RE.sub("", str(value)).translate(_FULLWIDTH_ALNUM)
    return text.strip()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _xlsx_cell(cell: Any) -> str:
    value = cell.value
    # A number formatted "000" shows as 001 in Excel; the clerk means the text 001.
    if (isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
            and _ZERO_FORMAT_RE.fullmatch(str(cell.number_format or ""))):
        return str(int(value)).zfill(len(cell.number_format))
    return clean(value)


# --------------------------------------------------------------------------- loading


@dataclass
class _Table:
    """One sheet's non-blank rows, each with its 1-based spreadsheet row number."""

    file: str
    name: str  # as written: sheet name, or CSV file stem
    rows: list[tuple[int, list[str]]]


@dataclass
class _Loaded:
    tables: list[_Table]
    sha256: str
    #: the name under which issues about a missing sheet are reported
    file: str


def _issue(code: str, zh: str, en: str, *, file: str | None = None, sheet: str | None = None,
           row: int | None = None, column: str | None = None,
           severity: Severity = Severity.ERROR, suggestions: Iterable[str] = ()) -> Issue:
    return Issue(code=code, zh=zh, en=en, file=file, sheet=sheet, row=row, column=column,
                 severity=severity, suggestions=tuple(suggestions))


def _load(path: Path, issues: list[Issue]) -> _Loaded | None:
    file = str(path)
    if not path.exists():
        issues.append(_issue("not-found", "找不到输入文件或文件夹",
                             "input file or folder not found", file=file))
        return None
    if path.is_dir():
        return _load_csv_dir(path, issues, given=None)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _load_csv_dir(path.parent, issues, given=path)
    if suffix in OLD_EXCEL_SUFFIXES:
        issues.append(_issue(
            "old-excel-format",
            "不支持旧版 Excel/WPS 格式（.xls/.et）；"
            "请在 Excel 或 WPS 中「另存为」.xlsx 工作簿后再试",
            "old Excel/WPS formats (.xls/.et) are not supported; please save the file as an "
            ".xlsx workbook and try again", file=file))
        return None
    if suffix in XLSX_SUFFIXES:
        return _load_xlsx(path, issues)
    issues.append(_issue(
        "unsupported-format",
        f"不支持的文件类型「{path.suffix or '无扩展名'}」；"
        "请提供 .xlsx 工作簿、.csv 文件或存放 .csv 文件的文件夹",
        f"unsupported file type '{path.suffix or 'no extension'}'; give an .xlsx workbook, "
        "a .csv file or a folder of .csv files", file=file))
    return None


def _read_bytes(path: Path, issues: list[Issue]) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        issues.append(_issue("unreadable", f"无法读取文件：{reason}", f"cannot read file: {reason}",
                             file=str(path)))
        return None


def _load_xlsx(path: Path, issues: list[Issue]) -> _Loaded | None:
    file = str(path)
    data = _read_bytes(path, issues)
    if data is None:
        return None
    if not data:
        issues.append(_issue("empty-file", "文件是空的（0 字节）", "the file is empty (0 bytes)",
                             file=file))
        return None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # An old binary workbook renamed to .xlsx: openpyxl's message would be obscure.
        issues.append(_issue(
            "old-excel-format",
            "该文件实际是旧版 Excel（.xls）格式；"
            "请在 Excel 或 WPS 中「另存为」.xlsx 工作簿后再试",
            "this file is really an old Excel (.xls) workbook; "
            "please save it as .xlsx and try again",
            file=file))
        return None
    import openpyxl  # deferred: importing openpyxl is slow and CSV input does not need it

    try:
        # read_only=False so merged cells can be filled; data_only=True gives formula results
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except zipfile.BadZipFile:
        issues.append(_issue("corrupt-file", "文件已损坏或不是 .xlsx 工作簿，无法打开",
                             "the file is damaged or not an .xlsx workbook", file=file))
        return None
    except Exception as exc:  # any parser failure on a damaged file is an input problem
        issues.append(_issue("corrupt-file", f"工作簿已损坏，无法打开：{exc}",
                             f"the workbook is damaged and cannot be opened: {exc}", file=file))
        return None
    tables = []
    try:
        for ws in wb.worksheets:
            tables.append(_Table(file=file, name=ws.title, rows=_xlsx_rows(ws)))
    except Exception as exc:  # same: a damaged sheet must not become a traceback
        issues.append(_issue("corrupt-file", f"工作簿内容无法读取：{exc}",
                             f"the workbook's contents cannot be read: {exc}", file=file))
        return None
    finally:
        wb.close()
    return _Loaded(tables=tables, sha256=hashlib.sha256(data).hexdigest(), file=file)


def _xlsx_rows(ws: Any) -> list[tuple[int, list[str]]]:
    # Clerks merge cells of a column (the same 所属县区 for a block of cadres); every
    # cell of a merged block means the block's value, not a blank.
    # Clipped to the used area: a whole merged column must not make a million entries.
    merged: dict[tuple[int, int], str] = {}
    for rng in ws.merged_cells.ranges:
        value = _xlsx_cell(ws.cell(rng.min_row, rng.min_col))
        for r in range(rng.min_row, min(rng.max_row, ws.max_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, ws.max_column) + 1):
                merged[(r, c)] = value
    rows: list[tuple[int, list[str]]] = []
    for r, cells in enumerate(ws.iter_rows(), start=1):
        values = [merged.get((r, c), _xlsx_cell(cell)) if merged else _xlsx_cell(cell)
                  for c, cell in enumerate(cells, start=1)]
        if any(values):
            rows.append((r, values))
    return rows


def _decode_csv(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export is UTF-16 with a byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Tab-separated text (Excel's "Unicode text") has no commas in its header line.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows: list[tuple[int, list[str]]] = []
    # A quoted cell may span lines; the spreadsheet row is the record number, as Excel shows it.
    for r, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                               start=1):
        values = [clean(v) for v in record]
        if any(values):
            rows.append((r, values))
    return rows


def _load_csv_dir(folder: Path, issues: list[Issue], given: Path | None) -> _Loaded | None:
    try:
        files = sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv"),
                       key=lambda p: p.name)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        issues.append(_issue("unreadable", f"无法读取文件夹：{reason}",
                             f"cannot read folder: {reason}", file=str(folder)))
        return None
    if given is not None and match_sheet(given.stem) is None:
        names = "、".join(f"{s.zh}.csv" for s in SHEETS)
        issues.append(_issue(
            "csv-not-a-sheet",
            f"CSV 文件名须是工作表名（{names}，或对应英文名），同一文件夹中的 CSV 文件组成一个输入",
            "a CSV file must be named after its sheet (cadres.csv, targets.csv, history.csv, "
            "places.csv, decisions.csv, rules.csv, or the Chinese names); the CSV files in one "
            "folder form one input", file=str(given),
            suggestions=did_you_mean(given.stem, [s.zh for s in SHEETS] + [s.en for s in SHEETS])))
        return None
    tables: list[_Table] = []
    digest = hashlib.sha256()
    ok = True
    for p in files:
        if match_sheet(p.stem) is None:
            continue  # another CSV in the same folder is not part of the book
        data = _read_bytes(p, issues)
        if data is None:
            ok = False
            continue
        # Name-prefixed so renaming or swapping two sheet files changes the checksum.
        digest.update(p.name.encode("utf-8") + b"\n")
        digest.update(data)
        if data.startswith(b"PK\x03\x04"):
            issues.append(_issue("not-csv",
                                 "该文件实际是 .xlsx 工作簿而不是 CSV；请直接使用 .xlsx 文件",
                                 "this file is really an .xlsx workbook, not CSV; use it as .xlsx",
                                 file=str(p)))
            ok = False
            continue
        text = _decode_csv(data)
        if text is None:
            issues.append(_issue("bad-encoding",
                                 "无法识别文件编码；请另存为 UTF-8 或 GB18030 编码的 CSV",
                                 "unknown text encoding; save the CSV as UTF-8 or GB18030",
                                 file=str(p)))
            ok = False
            continue
        tables.append(_Table(file=str(p), name=p.stem, rows=_csv_rows(text)))
    if not ok:
        return None
    return _Loaded(tables=tables, sha256=digest.hexdigest(), file=str(given or folder))


# --------------------------------------------------------------------------- sheets


@dataclass
class _Row:
    """One data row: cleaned text by column key, and where each column came from."""

    number: int
    values: dict[str, str]
    sheet: _SheetData

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def column(self, key: str) -> str:
        return self.sheet.header_of(key)

    def multi(self, key: str) -> tuple[str, ...]:
        return split_multi(self.get(key))

    def source(self) -> SourceRef:
        return SourceRef(file=self.sheet.table.file, sheet=self.sheet.table.name, row=self.number,
                         columns=dict(self.sheet.headers))


@dataclass
class _SheetData:
    spec: Sheet
    table: _Table
    header_row: int = 0
    #: english key -> header as written
    headers: dict[str, str] = field(default_factory=dict)
    #: english key -> 0-based column index
    index: dict[str, int] = field(default_factory=dict)
    #: False when a required column is missing: rows are then not checked cell by cell
    complete: bool = True

    @property
    def english(self) -> bool:
        return norm(self.table.name) == norm(self.spec.en)

    def header_of(self, key: str) -> str:
        col = self.spec.column(key)
        return self.headers.get(key) or (col.en if self.english else col.zh)

    def rows(self) -> Iterator[_Row]:
        for number, cells in self.table.rows:
            if number <= self.header_row:
                continue
            values = {key: (cells[i] if i < len(cells) else "") for key, i in self.index.items()}
            # Rows with text only in unknown columns (a pre-numbered 序号 column) are blank.
            if any(values.values()):
                yield _Row(number=number, values=values, sheet=self)


class _Builder:
    def __init__(self, loaded: _Loaded, issues: list[Issue]) -> None:
        self.loaded = loaded
        self.issues = issues

    def add(self, code: str, zh: str, en: str, *, row: _Row | None = None, key: str | None = None,
            sheet: _SheetData | None = None, line: int | None = None,
            severity: Severity = Severity.ERROR, suggestions: Iterable[str] = ()) -> None:
        data = row.sheet if row is not None else sheet
        self.issues.append(_issue(
            code, zh, en,
            file=data.table.file if data else self.loaded.file,
            sheet=data.table.name if data else None,
            row=row.number if row is not None else line,
            column=(data.header_of(key) if (data and key) else None),
            severity=severity, suggestions=suggestions))

    # ---- sheets and headers

    def _sheets(self) -> dict[str, _SheetData]:
        found: dict[str, _SheetData] = {}
        for table in self.loaded.tables:
            spec = match_sheet(table.name)
            if spec is None:
                if not is_instructions(table.name):
                    names = [s.zh for s in SHEETS] + [s.en for s in SHEETS]
                    self.issues.append(_issue(
                        "unknown-sheet", f"工作表「{table.name}」不是输入表，已忽略",
                        f"sheet '{table.name}' is not an input sheet and was ignored",
                        file=table.file, sheet=table.name, severity=Severity.WARNING,
                        suggestions=did_you_mean(table.name, names)))
                continue
            if spec.key in found:
                other = found[spec.key].table
                self.issues.append(_issue(
                    "duplicate-sheet",
                    f"「{spec.zh}」表出现了两次（「{other.name}」和「{table.name}」），只能保留一个",
                    f"sheet '{spec.en}' is given twice ('{other.name}' and '{table.name}'); "
                    "keep one",
                    file=table.file, sheet=table.name))
                continue
            found[spec.key] = self._headers(spec, table)
        for spec in SHEETS:
            if spec.required and spec.key not in found:
                written = [t.name for t in self.loaded.tables]
                self.issues.append(_issue(
                    "missing-sheet", f"缺少必需的工作表「{spec.zh}」（或「{spec.en}」）",
                    f"required sheet '{spec.en}' ('{spec.zh}') is missing",
                    file=self.loaded.file, sheet=spec.zh,
                    suggestions=did_you_mean(spec.zh, written) + did_you_mean(spec.en, written)))
        return found

    def _headers(self, spec: Sheet, table: _Table) -> _SheetData:
        """Map the header row's cells to columns; the header may sit below title rows."""
        data = _SheetData(spec=spec, table=table)
        if not table.rows:
            return data  # an empty sheet: the required sheets report it as having no rows
        data.header_row, cells = _find_header(spec, table.rows)
        for i, header in enumerate(cells):
            if not header:
                continue
            col = spec.match_column(header)
            if col is None:
                self.issues.append(_issue(
                    "unknown-column", f"不认识的列「{header}」，已忽略",
                    f"unknown column '{header}' was ignored", file=table.file, sheet=table.name,
                    row=data.header_row, column=header, severity=Severity.WARNING,
                    suggestions=did_you_mean(header, spec.header_names())))
                continue
            if col.key in data.index:
                self.issues.append(_issue(
                    "duplicate-column",
                    f"列「{header}」与列「{data.headers[col.key]}」是同一列（{col.zh}/{col.en}），只能保留一个",
                    f"column '{header}' repeats column '{data.headers[col.key]}' "
                    f"({col.en}); keep one",
                    file=table.file, sheet=table.name, row=data.header_row, column=header))
                data.complete = False
                continue
            data.index[col.key] = i
            data.headers[col.key] = header
        missing = [c for c in spec.columns if c.required and c.key not in data.index]
        # A single text in the first row is almost always a title above the real header.
        looks_like_title = len({c for c in cells if c}) == 1 and len(missing) > 1
        hint_zh = "（第一个非空行须是表头，请删除表头上方的标题行）" if looks_like_title else ""
        hint_en = (" (the first non-empty row must be the header; delete the title row above it)"
                   if looks_like_title else "")
        for col in missing:
            self.issues.append(_issue(
                "missing-column", f"缺少必需的列「{col.zh}」（或「{col.en}」）{hint_zh}",
                f"required column '{col.en}' ('{col.zh}') is missing{hint_en}",
                file=table.file, sheet=table.name, row=data.header_row,
                column=col.en if data.english else col.zh))
        if missing:
            data.complete = False
        return data

    # ---- cells

    def required(self, row: _Row, key: str) -> str | None:
        value = row.get(key)
        if value:
            return value
        header = row.column(key)
        self.add("missing-cell", f"「{header}」不能为空", f"'{header}' must not be empty",
                 row=row, key=key)
        return None

    def yes_no(self, row: _Row, key: str) -> bool | None:
        text = row.get(key)
        if not text:
            return None
        value = _nfkc(text).lower()
        if value in _YES:
            return True
        if value in _NO:
            return False
        self.add("bad-yes-no", f"「{text}」应为 是 或 否", f"'{text}' should be 是/否 (yes/no)",
                 row=row, key=key)
        return None

    def role(self, row: _Row, key: str, text: str) -> Role | None:
        role = parse_role(_nfkc(text))
        if role is None:
            self.add("unknown-role", f"不认识的角色「{text}」；可选：组长、副组长、联络员、组员",
                     f"unknown role '{text}'; use leader, deputy, liaison or member",
                     row=row, key=key, suggestions=did_you_mean(text, list(ROLE_NAMES)))
        return role

    def unique(self, row: _Row, key: str, value: str, seen: dict[str, int], what_zh: str,
               what_en: str) -> None:
        if value in seen:
            first = seen[value]
            self.add("duplicate-id", f"{what_zh}「{value}」与第{first}行重复",
                     f"{what_en} '{value}' repeats row {first}", row=row, key=key)
        else:
            seen[value] = row.number

    def known(self, row: _Row, key: str, value: str, ids: dict[str, int] | None,
              what_zh: str, what_en: str, sheet: Sheet) -> None:
        if ids is None or not value or value in ids:
            return  # without the other sheet there is nothing to check against
        self.add(f"unknown-{sheet.key.rstrip('s')}",
                 f"{what_zh}「{value}」不在「{sheet.zh}」表中",
                 f"{what_en} '{value}' is not in the '{sheet.en}' sheet",
                 row=row, key=key, suggestions=did_you_mean(value, list(ids)))

    # ---- records

    def build(self, path: str) -> InputBook:
        sheets = self._sheets()
        cadres, cadre_ids = self._cadres(sheets.get("cadres"))
        targets, target_ids = self._targets(sheets.get("targets"))
        history = self._history(sheets.get("history"), cadre_ids)
        places = self._places(sheets.get("places"))
        decisions = self._decisions(sheets.get("decisions"), cadre_ids, target_ids)
        rules_rows = self._rules(sheets.get("rules"))
        return InputBook(path=path, sha256=self.loaded.sha256, cadres=tuple(cadres),
                         targets=tuple(targets), history=tuple(history), places=tuple(places),
                         decisions=tuple(decisions), rules_rows=tuple(rules_rows))

    def _no_rows(self, data: _SheetData, zh: str, en: str) -> None:
        name = data.table.name
        self.add("empty-sheet", f"「{name}」表中没有{zh}", f"sheet '{name}' has no {en}",
                 sheet=data, line=data.header_row or None)

    def _cadres(self, data: _SheetData | None) -> tuple[list[Cadre], dict[str, int] | None]:
        if data is None:
            return [], None
        out: list[Cadre] = []
        seen: dict[str, int] = {}
        rows = list(data.rows()) if data.index else []
        if data.complete and not rows:
            self._no_rows(data, "干部", "cadres")
        for row in rows:
            cid = _nfkc(row.get("id"))
            if cid:
                self.unique(row, "id", cid, seen, "干部编号", "cadre id")
            if not data.complete:
                continue  # the missing column is reported once, not on every row
            if not cid:
                self.required(row, "id")
            name = self.required(row, "name")
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
                out.append(Cadre(
                    id=cid, name=name, gender=gender, county=county, unit=row.get("unit"),
                    rank=row.get("rank"), roles=frozenset(roles or {Role.MEMBER}),
                    skills=row.multi("skills"), department=row.get("department"),
                    residence=row.multi("residence"), workplace=row.multi("workplace"),
                    postings=row.multi("postings"), upbringing=row.multi("upbringing"),
                    conflicts=row.multi("conflicts"),
                    available=True if available is None else available, source=row.source()))
        return out, seen

    def _gender(self, row: _Row) -> Gender | None:
        text = self.required(row, "gender")
        if text is None:
            return None
        gender = GENDER_NAMES.get(_nfkc(text).lower())
        if gender is None:
            self.add("bad-gender", f"不认识的性别「{text}」，应为 男 或 女",
                     f"unknown gender '{text}'; use 男/女 (M/F)", row=row, key="gender")
        return gender

    def _targets(self, data: _SheetData | None) -> tuple[list[Target], dict[str, int] | None]:
        if data is None:
            return [], None
        out: list[Target] = []
        seen: dict[str, int] = {}
        rows = list(data.rows()) if data.index else []
        if data.complete and not rows:
            self._no_rows(data, "巡察对象", "targets")
        for row in rows:
            tid = _nfkc(row.get("id"))
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
                if size is None or size <= 0:
                    size_ok = False
                    self.add("bad-size", f"人数「{row.get('size')}」应为正整数",
                             f"size '{row.get('size')}' must be a positive whole number",
                             row=row, key="size")
            if tid and name and location and size_ok:
                out.append(Target(id=tid, name=name, location=location, size=size,
                                  skills=row.multi("skills"), department=row.get("department"),
                                  source=row.source()))
        return out, seen

    def _history(self, data: _SheetData | None, cadre_ids: dict[str, int] | None
                 ) -> list[HistoryRecord]:
        if data is None or not data.complete:
            return []
        out: list[HistoryRecord] = []
        for row in data.rows():
            rnd = self.required(row, "round")
            cid = self.required(row, "cadre_id")
            place = self.required(row, "place")
            if cid:
                cid = _nfkc(cid)
                self.known(row, "cadre_id", cid, cadre_ids, "干部编号", "cadre id", CADRES)
            role: Role | None = None
            role_ok = True
            if row.get("role"):
                role = self.role(row, "role", row.get("role"))
                role_ok = role is not None
            last = self.yes_no(row, "last_ranked")
            if rnd and cid and place and role_ok:
                out.append(HistoryRecord(round=_nfkc(rnd), cadre_id=cid, place=place, role=role,
                                         last_ranked=last, from_county=row.get("from_county"),
                                         source=row.source()))
        return out

    def _places(self, data: _SheetData | None) -> list[PlaceRecord]:
        if data is None or not data.complete:
            return []
        out: list[PlaceRecord] = []
        for row in data.rows():
            name = self.required(row, "name")
            if name:
                out.append(PlaceRecord(name=name, parent=row.get("parent"),
                                       aliases=row.multi("aliases"), source=row.source()))
        return out

    def _decisions(self, data: _SheetData | None, cadre_ids: dict[str, int] | None,
                   target_ids: dict[str, int] | None) -> list[Decision]:
        if data is None or not data.complete:
            return []
        out: list[Decision] = []
        for row in data.rows():
            kind: DecisionKind | None = None
            kind_text = self.required(row, "kind")
            if kind_text:
                kind = DECISION_NAMES.get(_nfkc(kind_text).lower())
                if kind is None:
                    self.add("unknown-decision",
                             f"不认识的决定类型「{kind_text}」；可选：指定、禁配、不可用",
                             f"unknown decision kind '{kind_text}'; use pin, ban or unavailable",
                             row=row, key="kind",
                             suggestions=did_you_mean(kind_text, list(DECISION_NAMES)))
            cid = _nfkc(self.required(row, "cadre_id") or "")
            tid = _nfkc(row.get("target_id"))
            other = _nfkc(row.get("other_cadre_id"))
            ok = kind is not None and bool(cid)
            self.known(row, "cadre_id", cid, cadre_ids, "干部编号", "cadre id", CADRES)
            self.known(row, "target_id", tid, target_ids, "巡察对象编号", "target id", TARGETS)
            self.known(row, "other_cadre_id", other, cadre_ids, "干部编号", "cadre id", CADRES)
            if kind is DecisionKind.PIN and not tid:
                ok = False
                self.add("decision-needs-target", "「指定」须填写巡察对象编号",
                         "a pin needs the target id", row=row, key="target_id")
            if kind is DecisionKind.BAN and not other:
                ok = False
                self.add("decision-needs-other", "「禁配」须填写另一干部编号",
                         "a ban needs the other cadre's id", row=row, key="other_cadre_id")
            if kind is DecisionKind.BAN and other and other == cid:
                ok = False
                self.add("decision-self-ban", "「禁配」的两名干部不能是同一人",
                         "a ban needs two different cadres", row=row, key="other_cadre_id")
            role: Role | None = None
            if row.get("role"):
                role = self.role(row, "role", row.get("role"))
                ok = ok and role is not None
            if ok and kind is not None:
                out.append(Decision(kind=kind, cadre_id=cid, target_id=tid, role=role,
                                    other_cadre_id=other, note=row.get("note"),
                                    source=row.source()))
        return out

    def _rules(self, data: _SheetData | None) -> list[tuple[str, str, int]]:
        if data is None or not data.complete:
            return []
        out: list[tuple[str, str, int]] = []
        for row in data.rows():
            key = self.required(row, "key")
            if key:
                # keys are lower-case ASCII; NFKC and lower() forgive Ｍode or Mode
                out.append((_nfkc(key).lower(), row.get("value"), row.number))
        return out


#: How far down a sheet the header row is looked for: offices put a title, a date or a
#: "填报单位" line above the table, but never pages of text.
HEADER_SEARCH_ROWS = 10


def _find_header(spec: Sheet, rows: list[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The first of the leading rows that names at least two known columns, else the first row.

    Requiring two known headers keeps a title such as 「某市巡察干部名单」 from being taken
    for the header, while a real header always has several.
    """
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        if sum(1 for c in cells if c and spec.match_column(c) is not None) >= 2:
            return number, cells
    return rows[0]

