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
import stat
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

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
    SourceRef,
    Target,
    parse_role,
)
from ...domain.rules import did_you_mean
from ...domain.text import normalize_id, normalize_text, strip_invisible
from ..columns import (
    CADRES,
    SHEETS,
    TARGETS,
    Sheet,
    is_instructions,
    match_sheet,
    norm,
    split_multi,
)
from ..safety import FileTooLarge, NotARegularFile, read_regular_file

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL_SUFFIXES = (".xls", ".et", ".ett", ".xlt")

_YES = frozenset({"是", "yes", "y", "true", "1"})
_NO = frozenset({"否", "no", "n", "false", "0"})

# Full-width letters and digits become ASCII so Ｃ００１ and C001 are one id; full-width
# punctuation is left alone because it is part of Chinese text (unit names, titles).
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
_ZERO_FORMAT_RE = re.compile(r"0+")
_INT_RE = re.compile(r"\+?(\d+)(?:\.0*)?")
# Vertical tab and form feed are Word's manual line breaks pasted into a cell: line breaks.
# The Braille blank is a letter that looks like a space: a space.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2800": " "})
# Any other control character is invisible garbage that would make two ids differ
# unseen, and that the roster writer cannot store.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

# --------------------------------------------------------------------------- limits
# Limits that keep a broken or hostile file from exhausting memory or time. A real
# office workbook is far below every one of them (a city's pool is a few hundred
# cadres); docs/reliability.md states them for users and tests/test_bad_inputs.py
# checks each one is refused with a message, not a crash.

#: Bytes of an input file as stored (an .xlsx compressed, a .csv raw).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Parts in an .xlsx package; a workbook has a few dozen.
MAX_ZIP_MEMBERS = 1_000
#: All parts of an .xlsx package together, decompressed (zip bombs).
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
#: Cells in all sheets of a workbook: openpyxl keeps every one in memory.
MAX_CELLS = 500_000
#: Non-empty rows in one sheet or CSV file, header and title rows included.
MAX_ROWS = 10_000
#: Columns with a value in one sheet (the old .xls limit).
MAX_COLUMNS = 256
#: Characters in one cell of an input column; a free-text 说明 may have Excel's maximum.
MAX_CELL_CHARS = 1_000
MAX_NOTE_CHARS = 32_767
#: Team size in the 人数 column, the same bound as the team_size rule.
MAX_TEAM_SIZE = 1_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an Office-encrypted (password-to-open) workbook keeps its package in.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# Columns that hold ids: Excel turns 1-2 into a date and a long number into a float
# that has lost its last digits, so such a value there is never the id the clerk typed.
_ID_COLUMNS = frozenset({("cadres", "id"), ("targets", "id"), ("history", "cadre_id"),
                         ("decisions", "cadre_id"), ("decisions", "target_id"),
                         ("decisions", "other_cadre_id")})


# Columns where TRUE/FALSE means yes/no: the 是/否 columns, and a rules value (TOML
# true/false, checked against the key's type by the rules).
_LOGICAL_COLUMNS = frozenset({("cadres", "available"), ("history", "last_ranked"), ("rules", "value")})


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
    # Characters pasted from web pages and Word that show nothing but break matching.
    text = strip_invisible(str(value)).translate(_FULLWIDTH_ALNUM).translate(_LINE_BREAKS)
    return text.strip()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# OOXML stores characters XML cannot hold as _xHHHH_ (a CR of a Windows line break as
# _x000D_, a pasted control character as _x0007_); Excel shows the character, openpyxl
# leaves the escape in the text. _x005F_ is the escaped underscore itself.
_OOXML_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        # a lone surrogate cannot be printed or saved: show that something was there
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)

    return _OOXML_ESCAPE_RE.sub(char, text)


def _xlsx_cell(cell: Any) -> str:
    value = cell.value
    if isinstance(value, str) and "_x" in value:
        value = _unescape(value)
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
    #: "visible", "hidden" or "veryHidden" (Excel's sheet states; CSV is always visible)
    state: str = "visible"
    #: rows and 1-based columns hidden in Excel (hidden by hand or by a filter)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    #: (row, 0-based column) -> what is wrong with the raw cell behind the text:
    #: "formula" (never calculated), "error" (#REF! …), "date", "float", "bignum", "bool" (TRUE/FALSE)
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    #: the text encoding a CSV file was decoded with ("" for a workbook)
    encoding: str = ""


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
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IFREG  # reading it reports why it cannot be read
    if not stat.S_ISREG(mode):
        # A FIFO would make the read wait forever, a device never ends: refused unread.
        _not_a_file(NotARegularFile(path, mode), path, issues)
        return None
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


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _not_a_file(exc: NotARegularFile, path: Path, issues: list[Issue]) -> None:
    issues.append(_issue("not-a-file", f"该路径{exc.zh}；请给出 .xlsx 工作簿、.csv 文件或存放 .csv 文件的文件夹",
                         f"the path {exc.en}; give an .xlsx workbook, a .csv file or a folder of .csv "
                         "files", file=str(path)))


def _read_bytes(path: Path, issues: list[Issue]) -> bytes | None:
    try:
        # The size is checked before reading: the whole file is held in memory.
        return read_regular_file(path, limit=MAX_FILE_BYTES)
    except NotARegularFile as exc:
        _not_a_file(exc, path, issues)
        return None
    except FileTooLarge as exc:
        issues.append(_issue(
            "too-big", f"文件过大（{_mb(exc.size)}），超过上限 {_mb(MAX_FILE_BYTES)}",
            f"the file is too large ({_mb(exc.size)}); the limit is {_mb(MAX_FILE_BYTES)}",
            file=str(path)))
        return None
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
    if data.startswith(_OLE_MAGIC[:4]):
        if _ENCRYPTED_STREAM in data:
            # Excel and WPS wrap a workbook with a password to open in an OLE container.
            issues.append(_issue(
                "encrypted-file",
                "工作簿设有打开密码（已加密），无法读取；"
                "请在 Excel 或 WPS 中打开，取消密码后另存为 .xlsx 再试",
                "the workbook is protected by a password to open (encrypted); open it in Excel "
                "or WPS, remove the password, save it as .xlsx and try again", file=file))
            return None
        # An old binary workbook renamed to .xlsx: openpyxl's message would be obscure.
        issues.append(_issue(
            "old-excel-format",
            "该文件实际是旧版 Excel（.xls）格式；"
            "请在 Excel 或 WPS 中「另存为」.xlsx 工作簿后再试",
            "this file is really an old Excel (.xls) workbook; "
            "please save it as .xlsx and try again",
            file=file))
        return None
    if not data.startswith(b"PK"):
        issues.append(_issue(
            "corrupt-file",
            "该文件不是 .xlsx 工作簿（可能是改了扩展名的其他文件，如网页或文本）；"
            "请在 Excel 或 WPS 中打开后「另存为」.xlsx 再试",
            "this file is not an .xlsx workbook (perhaps another kind of file renamed, such as "
            "a web page or text); open it in Excel or WPS and save it as .xlsx", file=file))
        return None
    package = _scan_package(data, file, issues)
    if package is None:
        return None
    import openpyxl  # deferred: importing openpyxl is slow and CSV input does not need it

    try:
        # read_only=False so merged cells can be filled; data_only=True gives formula results.
        # openpyxl's own warnings (unsupported extensions) are noise for a clerk.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
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
            tables.append(_xlsx_table(file, ws, package.get(ws.title), issues))
    except Exception as exc:  # same: a damaged sheet must not become a traceback
        issues.append(_issue("corrupt-file", f"工作簿内容无法读取：{exc}",
                             f"the workbook's contents cannot be read: {exc}", file=file))
        return None
    finally:
        wb.close()
    return _Loaded(tables=tables, sha256=hashlib.sha256(data).hexdigest(), file=file)


# ---- the package scan: limits and unsafe XML, before openpyxl sees the file


@dataclass
class _SheetScan:
    """What the scan of one worksheet part found."""

    title: str
    cells: int = 0
    rows: int = 0  # rows holding at least one value
    #: (row, column) of formula cells that hold no calculated value
    uncalculated: set[tuple[int, int]] = field(default_factory=set)


class _Refused(Exception):
    """Raised inside the scan to give up on a package; carries the issue to report."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.en)
        self.issue = issue


_REF_RE = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _local(name: str) -> str:
    # Some writers prefix every element (<x:row>); the local name is what counts.
    return name.rpartition(":")[2]


def _scan_package(data: bytes, file: str, issues: list[Issue]) -> dict[str, _SheetScan] | None:
    """Check an .xlsx package against the limits and for unsafe XML before it is parsed.

    openpyxl builds every cell in memory and parses with defusedxml only when that is
    installed and not switched off (OPENPYXL_DEFUSEDXML), so the package is checked
    here first, with our own limits: member count, decompressed size (zip bombs), a
    DOCTYPE in any XML part (entity bombs and external entities: Office never writes
    one), cells and rows per sheet. Returns the scan of each worksheet by sheet name,
    or None after adding an issue.
    """

    def refuse(code: str, zh: str, en: str, **where: Any) -> _Refused:
        return _Refused(_issue(code, zh, en, file=file, **where))

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:
        # BadZipFile, and on damaged headers also NotImplementedError ("zip file version
        # 6.4"), ValueError, OSError … : whatever zipfile makes of it, the file is damaged.
        issues.append(_issue("corrupt-file", "文件已损坏或不是 .xlsx 工作簿，无法打开",
                             "the file is damaged or not an .xlsx workbook", file=file))
        return None
    try:
        if len(infos) > MAX_ZIP_MEMBERS:
            raise refuse("too-big",
                         f"工作簿包含 {len(infos)} 个部件，超过上限 {MAX_ZIP_MEMBERS}；文件已损坏或不是正常的工作簿",
                         f"the workbook has {len(infos)} parts, more than the limit of "
                         f"{MAX_ZIP_MEMBERS}; it is damaged or not a normal workbook")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise refuse("too-big",
                         f"工作簿解压后有 {_mb(declared)}，超过上限 {_mb(MAX_UNCOMPRESSED_BYTES)}"
                         "（可能是损坏或恶意构造的文件）",
                         f"the workbook decompresses to {_mb(declared)}, more than the limit of "
                         f"{_mb(MAX_UNCOMPRESSED_BYTES)} (a damaged or malicious file?)")
        scan = _PackageScan(zf, file)
        return scan.run()
    except _Refused as exc:
        issues.append(exc.issue)
        return None
    finally:
        zf.close()


class _PackageScan:
    def __init__(self, zf: zipfile.ZipFile, file: str) -> None:
        self.zf = zf
        self.file = file
        self.names = {i.filename: i for i in zf.infolist()}
        self.read = 0  # bytes decompressed so far, counted, not trusted from the headers
        self.cells = 0  # cells in all sheets so far

    def refuse(self, code: str, zh: str, en: str, **where: Any) -> _Refused:
        return _Refused(_issue(code, zh, en, file=self.file, **where))

    def run(self) -> dict[str, _SheetScan]:
        workbook = self._office_document()
        sheets: list[tuple[str, str]] = []  # (name, relationship id)
        if workbook in self.names:
            self._parse(workbook, start=lambda name, attrs: _collect_sheet(name, attrs, sheets))
        rels: dict[str, str] = {}
        folder, _, base = workbook.rpartition("/")
        rels_part = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if rels_part in self.names:
            self._parse(rels_part, start=lambda name, attrs: _collect_rel(name, attrs, rels))
        parts: dict[str, str] = {}  # worksheet part -> sheet name
        for name, rid in sheets:
            target = rels.get(rid)
            if target:
                part = target.lstrip("/") if target.startswith("/") else _join(folder, target)
                parts[part] = name
        done = {workbook, rels_part}
        out: dict[str, _SheetScan] = {}
        for info in self.zf.infolist():
            part = info.filename
            if part in done:
                continue
            if part in parts:
                sheet = _SheetScan(title=parts[part])
                self._scan_sheet(part, sheet)
                out[sheet.title] = sheet
            elif part.lower().endswith((".xml", ".rels")):
                self._parse(part)
        return out

    def _office_document(self) -> str:
        found: list[str] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("Type", "").endswith("/officeDocument"):
                found.append(attrs.get("Target", "").lstrip("/"))

        if "_rels/.rels" in self.names:
            self._parse("_rels/.rels", start=start)
        return found[0] if found else "xl/workbook.xml"

    def _parse(self, part: str, start: Any = None, end: Any = None, text: Any = None) -> None:
        """Stream one XML part through expat, refusing a DOCTYPE and counting bytes."""
        parser = expat.ParserCreate()

        def doctype(*_args: Any) -> None:
            raise self.refuse(
                "unsafe-xml",
                f"工作簿的部件 {part} 含有 DOCTYPE/实体声明（正常的 Excel/WPS 文件不会有），"
                "可能是恶意构造的文件（XML 炸弹），已拒绝读取",
                f"workbook part {part} declares a DOCTYPE or entities, which Excel and WPS never "
                "write; the file may be malicious (an XML bomb) and was refused")

        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        if start is not None:
            parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        try:
            with self.zf.open(part) as fh:
                while chunk := fh.read(1 << 20):
                    self.read += len(chunk)
                    if self.read > MAX_UNCOMPRESSED_BYTES:
                        raise self.refuse(
                            "too-big",
                            f"工作簿解压后超过上限 {_mb(MAX_UNCOMPRESSED_BYTES)}（可能是损坏或恶意构造的文件）",
                            f"the workbook decompresses to more than the limit of "
                            f"{_mb(MAX_UNCOMPRESSED_BYTES)} (a damaged or malicious file?)")
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise self.refuse(
                "corrupt-file", f"工作簿已损坏：部件 {part} 不是有效的 XML（{exc}）",
                f"the workbook is damaged: part {part} is not valid XML ({exc})") from exc
        except _Refused:
            raise
        except Exception as exc:
            # RuntimeError: a zip-level password; BadZipFile, zlib.error, EOFError,
            # NotImplementedError …: damaged headers or compressed data
            raise self.refuse(
                "corrupt-file", f"工作簿已损坏，部件 {part} 无法解压（{exc}）",
                f"the workbook is damaged: part {part} cannot be decompressed ({exc})") from exc

    def _scan_sheet(self, part: str, sheet: _SheetScan) -> None:
        # A formula cell is uncalculated when it has no <v>, or an empty <v/> while its type
        # is not text: that is how openpyxl and other libraries write formulas they cannot
        # evaluate, while Excel writes a formula's empty-text result as t="str" with <v></v>.
        state: dict[str, Any] = {"row": 0, "col": 0, "in_cell": False, "f": False, "v": False,
                                 "in_v": False, "v_text": False, "text_type": False,
                                 "row_value": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "row":
                r = attrs.get("r", "")
                state["row"] = int(r) if r.isdigit() else state["row"] + 1
                state["col"] = 0
                state["row_value"] = False
            elif tag == "c":
                m = _REF_RE.fullmatch(attrs.get("r", ""))
                state["col"] = _column_index(m.group(1)) if m else state["col"] + 1
                state.update(in_cell=True, f=False, v=False, v_text=False,
                             text_type=attrs.get("t") in ("str", "s", "inlineStr"))
                sheet.cells += 1
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise self.refuse(
                        "too-many-cells",
                        f"工作簿单元格过多（超过上限 {MAX_CELLS:,} 个），"
                        f"每个工作表最多 {MAX_ROWS:,} 行；请删除多余的行、列或格式后再试",
                        f"the workbook has too many cells (more than the limit of {MAX_CELLS:,}); "
                        f"a sheet may have at most {MAX_ROWS:,} rows; delete the extra rows, "
                        "columns or formatting and try again",
                        sheet=sheet.title, row=state["row"] or None)
            elif state["in_cell"] and tag == "f":
                state["f"] = True
            elif state["in_cell"] and tag == "v":
                state["v"] = state["in_v"] = True
            elif state["in_cell"] and tag == "is":
                state["v"] = state["v_text"] = True

        def text(data: str) -> None:
            if state["in_v"] and data.strip():
                state["v_text"] = True

        def end(name: str) -> None:
            tag = _local(name)
            if tag == "v":
                state["in_v"] = False
            elif tag == "c":
                state["in_cell"] = False
                calculated = state["v"] and (state["v_text"] or state["text_type"])
                if state["f"] and not calculated:
                    if len(sheet.uncalculated) < 1000:  # enough to report; bounded memory
                        sheet.uncalculated.add((state["row"], state["col"]))
                    state["row_value"] = True  # the row matters: it must be reported
                elif state["v"]:
                    state["row_value"] = True
            elif tag == "row" and state["row_value"]:
                sheet.rows += 1
                if sheet.rows > MAX_ROWS:
                    raise self.refuse(
                        "too-many-rows",
                        f"工作表行数超过上限：最多 {MAX_ROWS:,} 个非空行（含表头），第 {state['row']:,} 行已超出；"
                        "请删除多余的行，或把名单拆小后再试",
                        f"the sheet has more than {MAX_ROWS:,} non-empty rows (header included); "
                        f"row {state['row']:,} is past the limit; delete the extra rows",
                        sheet=sheet.title, row=state["row"])

        self._parse(part, start=start, end=end, text=text)


def _collect_sheet(name: str, attrs: dict[str, str], out: list[tuple[str, str]]) -> None:
    if _local(name) == "sheet":
        rid = next((v for k, v in attrs.items() if ":" in k and _local(k) == "id"), "")
        out.append((attrs.get("name", ""), rid))


def _collect_rel(name: str, attrs: dict[str, str], out: dict[str, str]) -> None:
    if _local(name) == "Relationship":
        out[attrs.get("Id", "")] = attrs.get("Target", "")


def _join(folder: str, target: str) -> str:
    parts = [p for p in (folder.split("/") if folder else [])]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


# ---- worksheet cells


def _note(cell: Any) -> str | None:
    """What is wrong with a cell's raw value, if anything, before it becomes text."""
    if cell.data_type == "e":
        return "error"  # a formula whose result is #REF!, #N/A …
    value = cell.value
    if isinstance(value, bool):
        return "bool"  # TRUE/FALSE: a checkbox, a formula's result or a typed "true"
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return "date"
    if isinstance(value, float):
        if abs(value) >= 1e15:
            return "bignum"  # Excel keeps 15 digits: the rest of the number is lost
        if not value.is_integer():
            return "float"
    return None


def _xlsx_table(file: str, ws: Any, scan: _SheetScan | None, issues: list[Issue]) -> _Table:
    uncalculated = scan.uncalculated if scan is not None else set()
    notes: dict[tuple[int, int], str] = {}
    grid: dict[int, dict[int, str]] = {}
    too_wide: tuple[int, int] | None = None
    # ws._cells holds only the cells the file has. ws.iter_rows() would instead create
    # every cell of the rectangle up to the farthest one: a single stray value in
    # XFD1048576 would mean 17 billion cells.
    for (r, c), cell in list(ws._cells.items()):
        if cell.value is None and (r, c) not in uncalculated:
            continue
        text = _xlsx_cell(cell)
        if c > MAX_COLUMNS:
            if text and (too_wide is None or (r, c) < too_wide):
                too_wide = (r, c)
            continue
        note = "formula" if (r, c) in uncalculated else _note(cell)
        if note:
            notes[(r, c - 1)] = note
            grid.setdefault(r, {})
        if text:
            grid.setdefault(r, {})[c] = text
    if too_wide is not None:
        letters = _column_letters(too_wide[1])
        issues.append(_issue(
            "too-many-columns",
            f"单元格 {letters}{too_wide[0]} 超出了 {MAX_COLUMNS} 列的上限；请删除表格右侧多余的内容",
            f"cell {letters}{too_wide[0]} is beyond the limit of {MAX_COLUMNS} columns; delete "
            "the stray content to the right of the table",
            file=file, sheet=ws.title, row=too_wide[0], column=letters))
    _fill_merged(ws, grid, file, issues)
    noted: dict[int, int] = {}  # row -> rightmost 1-based column with a note
    for r, c0 in notes:
        noted[r] = max(noted.get(r, 0), c0 + 1)
    rows: list[tuple[int, list[str]]] = []
    for r in sorted(grid):
        cells = grid[r]
        width = max(max(cells, default=0), noted.get(r, 0))
        rows.append((r, [cells.get(c, "") for c in range(1, width + 1)]))
    hidden_rows = frozenset(r for r, d in ws.row_dimensions.items() if d.hidden and r in grid)
    hidden_cols: set[int] = set()
    for d in ws.column_dimensions.values():
        if d.hidden and d.min:
            hidden_cols.update(range(d.min, min(d.max or d.min, MAX_COLUMNS) + 1))
    return _Table(file=file, name=ws.title, rows=rows, state=ws.sheet_state or "visible",
                  hidden_rows=hidden_rows, hidden_columns=frozenset(hidden_cols), notes=notes)


def _fill_merged(ws: Any, grid: dict[int, dict[int, str]], file: str, issues: list[Issue]) -> None:
    """Give every cell of a merged block the block's value.

    Clerks merge cells of a column (the same 所属县区 for a block of cadres); every cell
    of the block means the block's value, not a blank. Blocks are clipped to the rows
    and columns that hold values, so merging a whole column costs nothing.
    """
    if not grid:
        return
    last_row = max(grid)
    last_col = min(max((max(c) for c in grid.values() if c), default=0), MAX_COLUMNS)
    budget = MAX_CELLS
    for rng in ws.merged_cells.ranges:
        value = grid.get(rng.min_row, {}).get(rng.min_col, "")
        if not value:
            continue  # a blank block adds nothing
        rows = range(rng.min_row, min(rng.max_row, last_row) + 1)
        cols = range(rng.min_col, min(rng.max_col, last_col) + 1)
        budget -= len(rows) * len(cols)
        if budget < 0:
            issues.append(_issue(
                "too-many-cells", f"合并单元格过大，展开后超过 {MAX_CELLS:,} 个单元格的上限",
                f"merged cells are too large: they span more than the limit of {MAX_CELLS:,} cells",
                file=file, sheet=ws.title, row=rng.min_row, column=_column_letters(rng.min_col)))
            return
        for r in rows:
            row = grid.setdefault(r, {})
            for c in cols:
                row[c] = value


# ---- CSV


def _decode_csv(data: bytes) -> tuple[str, str] | None:
    """The text of a CSV file and the encoding it was read with, or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export is UTF-16 with a byte-order mark
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    head = data[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if max(odd, even) >= 8 and max(odd, even) > 4 * min(odd, even):
        # UTF-16 without a byte-order mark: every ASCII comma, digit and line break has a
        # zero byte beside it, always on the same side, which tells the byte order. Text
        # in UTF-8 or GB18030 has no zero bytes at all.
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(text: str, file: str, sheet: str, issues: list[Issue]) -> list[tuple[int, list[str]]] | None:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Tab-separated text (Excel's "Unicode text") has no commas in its header line.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows: list[tuple[int, list[str]]] = []
    # A quoted cell may span lines; the spreadsheet row is the record number, as Excel shows it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    r = 0
    try:
        for r, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS and any(record[MAX_COLUMNS:]):
                letters = _column_letters(MAX_COLUMNS + 1)
                issues.append(_issue(
                    "too-many-columns", f"该行超过 {MAX_COLUMNS} 列的上限；请删除多余的内容",
                    f"the row has more than the limit of {MAX_COLUMNS} columns; delete the "
                    "stray content", file=file, sheet=sheet, row=r, column=letters))
                return None
            values = [clean(v) for v in record]
            if any(values):
                rows.append((r, values))
                if len(rows) > MAX_ROWS:
                    issues.append(_issue(
                        "too-many-rows",
                        f"文件行数超过上限：最多 {MAX_ROWS:,} 个非空行（含表头），第 {r:,} 行已超出；"
                        "请删除多余的行，或把名单拆小后再试",
                        f"the file has more than {MAX_ROWS:,} non-empty rows (header included); "
                        f"row {r:,} is past the limit; delete the extra rows",
                        file=file, sheet=sheet, row=r))
                    return None
    except csv.Error as exc:
        # e.g. a field longer than the csv module's limit (131,072 characters)
        issues.append(_issue("bad-csv", f"CSV 格式错误：{exc}", f"malformed CSV: {exc}",
                             file=file, sheet=sheet, row=r + 1))
        return None
    return rows


def _load_csv_dir(folder: Path, issues: list[Issue], given: Path | None) -> _Loaded | None:
    try:
        # Not only regular files: a FIFO or a dangling link named 干部.csv is reported when
        # read, rather than skipped as if the sheet were missing.
        files = sorted((p for p in folder.iterdir() if p.suffix.lower() == ".csv" and not p.is_dir()),
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
        decoded = _decode_csv(data)
        if decoded is None:
            issues.append(_issue("bad-encoding",
                                 "无法识别文件编码；请另存为 UTF-8 或 GB18030 编码的 CSV",
                                 "unknown text encoding; save the CSV as UTF-8 or GB18030",
                                 file=str(p)))
            ok = False
            continue
        text, encoding = decoded
        rows = _csv_rows(text, str(p), p.stem, issues)
        if rows is None:
            ok = False
            continue
        tables.append(_Table(file=str(p), name=p.stem, rows=rows, encoding=encoding))
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
        #: (sheet, row, column key) of cells already reported by the cell checks, so an
        #: uncalculated formula is not reported a second time as an empty cell
        self.reported: set[tuple[str, int, str]] = set()
        #: (sheet key, normalised id) -> the id as written on its first row
        self.written: dict[tuple[str, str], str] = {}

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
            if table.state != "visible":
                # The leadership signs a roster built from this sheet; nobody can have
                # checked rows they could not see, so a hidden input sheet is refused.
                self.issues.append(_issue(
                    "hidden-sheet",
                    f"「{table.name}」表是隐藏的（在 Excel/WPS 中看不到），隐藏的表不予读取；"
                    "请取消隐藏并核对内容后再试",
                    f"sheet '{table.name}' is hidden in Excel/WPS; a hidden input sheet is not "
                    "read: unhide it, check it and try again",
                    file=table.file, sheet=table.name))
            data = self._headers(spec, table)
            self._cell_checks(data)
            found[spec.key] = data
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
            if table.encoding == "gb18030" and not data.index:
                # GB18030 decodes almost any bytes without complaint, so a Big5 or other
                # file comes out as wrong characters rather than as a decoding error.
                self.issues.append(_issue(
                    "encoding-guess",
                    "按 GB18030 编码读取后一个表头也认不出，文件可能是其他编码（如 Big5）；"
                    "请另存为 UTF-8 或 GB18030 编码的 CSV 后再试",
                    "read as GB18030 no header is recognised; the file may be in another "
                    "encoding (such as Big5); save it as UTF-8 or GB18030 CSV and try again",
                    file=table.file, sheet=table.name, row=data.header_row or None))
        return data

    def _at(self, code: str, zh: str, en: str, data: _SheetData, row: int, key: str | None,
            severity: Severity = Severity.ERROR) -> None:
        self.issues.append(_issue(code, zh, en, file=data.table.file, sheet=data.table.name,
                                  row=row, column=data.header_of(key) if key else None,
                                  severity=severity))
        if key and severity is Severity.ERROR:
            self.reported.add((data.table.name, row, key))

    def _cell_checks(self, data: _SheetData) -> None:
        """Check the raw cells of an input sheet's columns, and tidy what is reported.

        Runs before the records are built, so a cell reported here is cleaned (control
        characters removed, over-long text cut) and the later stages see sane text.
        """
        table = data.table
        hidden: list[int] = []
        for number, cells in table.rows:
            if number <= data.header_row:
                continue
            if number in table.hidden_rows and any(cells):
                hidden.append(number)
            for key, i in data.index.items():
                note = table.notes.get((number, i))
                if note:
                    self._note_issue(data, number, key, note, cells[i] if i < len(cells) else "")
                if i >= len(cells) or not cells[i]:
                    continue
                text = cells[i]
                if _CONTROL_RE.search(text):
                    codes = sorted({f"U+{ord(ch):04X}" for ch in _CONTROL_RE.findall(text)})
                    self._at("control-character",
                             f"单元格含有看不见的控制字符（{'、'.join(codes)}），请删除后重新输入该单元格",
                             f"the cell contains invisible control characters ({', '.join(codes)}); "
                             "retype the cell", data, number, key)
                    text = _CONTROL_RE.sub("", text)
                limit = MAX_NOTE_CHARS if key == "note" else MAX_CELL_CHARS
                if len(text) > limit:
                    self._at("cell-too-long",
                             f"单元格有 {len(text):,} 个字符，超过上限 {limit:,}",
                             f"the cell has {len(text):,} characters, more than the limit of {limit:,}",
                             data, number, key)
                    text = text[:limit]
                cells[i] = text
        if hidden:
            shown = "、".join(str(r) for r in hidden[:10]) + ("等" if len(hidden) > 10 else "")
            self._at("hidden-rows",
                     f"第{shown}行被隐藏（可能是筛选所致），共 {len(hidden)} 行；隐藏的行同样会被读入。"
                     "请取消隐藏或筛选后核对；不参加本轮的行请删除"
                     + ("，或在「可用」列填「否」" if data.spec.key == "cadres" else ""),
                     f"{len(hidden)} row(s) are hidden (perhaps by a filter), first row "
                     f"{hidden[0]}; hidden rows would be read all the same. Unhide them and "
                     "check; delete the rows that do not take part"
                     + (" or write 否 in 'available'" if data.spec.key == "cadres" else ""),
                     data, hidden[0], None)
        for key, i in data.index.items():
            if i + 1 in table.hidden_columns:
                self._at("hidden-column",
                         "该列被隐藏；隐藏列的内容同样会被读入，请取消隐藏并核对",
                         "the column is hidden; its contents are read all the same: unhide and "
                         "check it", data, data.header_row, key, severity=Severity.WARNING)

    def _note_issue(self, data: _SheetData, row: int, key: str, note: str, text: str) -> None:
        if note == "formula":
            self._at("formula-no-value",
                     "单元格是公式，但文件中没有公式的计算结果（文件可能由程序生成，未在 Excel/WPS 中保存过）；"
                     "请在 Excel 或 WPS 中打开并保存后再试，或把公式换成数值",
                     "the cell is a formula but the file holds no calculated value (it may "
                     "have been made by a program and never saved in Excel/WPS); open and save "
                     "it in Excel or WPS, or replace the formula by its value",
                     data, row, key)
        elif note == "bool":
            if (data.spec.key, key) not in _LOGICAL_COLUMNS:
                self._at("bool-cell",
                         f"单元格是逻辑值 {text.upper()}（可能是复选框、公式结果或被 Excel 转换的输入），"
                         "这里应填写文字或数字",
                         f"the cell holds the logical value {text.upper()} (a checkbox, a formula's "
                         "result or input Excel converted); this column needs text or a number",
                         data, row, key)
        elif note == "error":
            self._at("formula-error",
                     f"单元格的值是 Excel 错误「{text}」（公式出错）；请改正公式或填写数值",
                     f"the cell holds the Excel error '{text}' (a broken formula); fix the "
                     "formula or type the value", data, row, key)
        elif (data.spec.key, key) in _ID_COLUMNS:
            what_zh = {"date": "日期", "float": "小数", "bignum": "超过15位的数字"}[note]
            what_en = {"date": "a date", "float": "a decimal number",
                       "bignum": "a number of more than 15 digits"}[note]
            self._at("id-not-text",
                     f"编号列的单元格被 Excel 存成了{what_zh}（显示为「{text}」），不是输入的编号；"
                     "请把该列设为「文本」格式后重新输入编号",
                     f"Excel stored this id as {what_en} (shown as '{text}'), which is not the id "
                     "as typed; format the column as Text and type the id again", data, row, key)

    # ---- cells

    def required(self, row: _Row, key: str) -> str | None:
        value = row.get(key)
        if value:
            return value
        if (row.sheet.table.name, row.number, key) in self.reported:
            return None
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
                same_zh = (f"（第{row.number}行写作「{written}」，第{first}行写作「{first_written}」；"
                           "编号按去掉全角、空格和看不见的字符后比较）")
                same_en = (f" (written '{written}' on row {row.number} and '{first_written}' on "
                           f"row {first}; ids are compared without width, spaces and invisible "
                           "characters)")
            self.add("duplicate-id", f"{what_zh}「{value}」与第{first}行重复{same_zh}",
                     f"{what_en} '{value}' repeats row {first}{same_en}", row=row, key=key)
        else:
            seen[value] = row.number
            self.written[(row.sheet.spec.key, value)] = written

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
        history = self._history(sheets.get("history"), cadre_ids, cadres)
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
                    self.add("bad-size", f"人数「{row.get('size')}」应为 1 到 {MAX_TEAM_SIZE} 之间的整数",
                             f"size '{row.get('size')}' must be a whole number from 1 to {MAX_TEAM_SIZE}",
                             row=row, key="size")
            if tid and name and location and size_ok:
                out.append(Target(id=tid, name=name, location=location, size=size,
                                  skills=row.multi("skills"), department=row.get("department"),
                                  source=row.source()))
        return out, seen

    def _history(self, data: _SheetData | None, cadre_ids: dict[str, int] | None,
                 cadres: list[Cadre]) -> list[HistoryRecord]:
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
                out.append(HistoryRecord(round=normalize_text(rnd), cadre_id=cid, place=place, role=role,
                                         last_ranked=last, from_county=row.get("from_county"),
                                         source=row.source()))
        return out

    def _history_stranger(self, row: _Row, cid: str, near: _NearIds) -> None:
        """A history cadre not in the cadres sheet: a typo if close to an id, else someone who left.

        A typo would silently drop the row from R7 and R8 for the cadre meant, so an id
        close to a known one (or a cadre's name) is an error; a former cadre is expected
        in a history of several rounds, so an id close to none is only a warning.
        """
        close = near.close_to(cid)
        if close:
            self.add("unknown-cadre",
                     f"干部编号「{cid}」不在「{CADRES.zh}」表中，但与其中的编号相近，可能是笔误；"
                     "请改为正确的编号（该行决定往轮回避和末位处理）",
                     f"cadre id '{cid}' is not in the '{CADRES.en}' sheet but is close to an id "
                     "there, perhaps a typo; correct it (the row decides history avoidance and the "
                     "last-ranked rule)", row=row, key="cadre_id", suggestions=close)
        else:
            self.add("departed-cadre",
                     f"干部编号「{cid}」不在「{CADRES.zh}」表中，也不与其中任何编号相近，按已离开干部库的人员处理："
                     "该行不影响本轮任何人的回避和末位处理，只计入往轮轮换方向",
                     f"cadre id '{cid}' is neither in the '{CADRES.en}' sheet nor close to any id "
                     "there; it is taken as a cadre who has left: the row affects nobody's avoidance "
                     "or last-ranked rule this round, only the past rotation arcs",
                     row=row, key="cadre_id", severity=Severity.WARNING)

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
            cid = normalize_id(self.required(row, "cadre_id") or "")
            tid = normalize_id(row.get("target_id"))
            other = normalize_id(row.get("other_cadre_id"))
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

