"""The limits an input file must keep, and the checks that apply them before it is parsed.

A broken or hostile file must not exhaust memory or time: its size is checked before
it is read, and an .xlsx package is scanned (members, decompressed size, DOCTYPEs,
cells and rows per sheet) before openpyxl builds anything from it. Encrypted and old
binary workbooks are recognised here too, with a message a clerk can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ...domain.errors import Issue
from ..safety import FileTooLarge, NotARegularFile, read_regular_file
from .tables import make_issue

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


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def not_a_file(exc: NotARegularFile, path: Path, issues: list[Issue]) -> None:
    issues.append(
        make_issue(
            "not-a-file",
            f"该路径{exc.zh}；请给出 .xlsx 工作簿、.csv 文件或存放 .csv 文件的文件夹",
            f"the path {exc.en}; give an .xlsx workbook, a .csv file or a folder of .csv files",
            file=str(path),
        )
    )


def read_bytes(path: Path, issues: list[Issue]) -> bytes | None:
    try:
        # The size is checked before reading: the whole file is held in memory.
        return read_regular_file(path, limit=MAX_FILE_BYTES)
    except NotARegularFile as exc:
        not_a_file(exc, path, issues)
        return None
    except FileTooLarge as exc:
        issues.append(
            make_issue(
                "too-big",
                f"文件过大（{_mb(exc.size)}），超过上限 {_mb(MAX_FILE_BYTES)}",
                f"the file is too large ({_mb(exc.size)}); the limit is {_mb(MAX_FILE_BYTES)}",
                file=str(path),
            )
        )
        return None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        issues.append(
            make_issue("unreadable", f"无法读取文件：{reason}", f"cannot read file: {reason}", file=str(path))
        )
        return None


def scan_xlsx(data: bytes, file: str, issues: list[Issue]) -> dict[str, SheetScan] | None:
    """Check an .xlsx file's bytes before openpyxl sees them.

    Refuses an empty file, an encrypted or old binary workbook and anything that is not
    a zip package, then scans the package. Returns the scan of each worksheet by sheet
    name, or None after adding an issue.
    """
    if not data:
        issues.append(make_issue("empty-file", "文件是空的（0 字节）", "the file is empty (0 bytes)", file=file))
        return None
    if data.startswith(_OLE_MAGIC[:4]):
        if _ENCRYPTED_STREAM in data:
            # Excel and WPS wrap a workbook with a password to open in an OLE container.
            issues.append(
                make_issue(
                    "encrypted-file",
                    "工作簿设有打开密码（已加密），无法读取；请在 Excel 或 WPS 中打开，取消密码后另存为 .xlsx 再试",
                    "the workbook is protected by a password to open (encrypted); open it in Excel "
                    "or WPS, remove the password, save it as .xlsx and try again",
                    file=file,
                )
            )
            return None
        # An old binary workbook renamed to .xlsx: openpyxl's message would be obscure.
        issues.append(
            make_issue(
                "old-excel-format",
                "该文件实际是旧版 Excel（.xls）格式；请在 Excel 或 WPS 中「另存为」.xlsx 工作簿后再试",
                "this file is really an old Excel (.xls) workbook; please save it as .xlsx and try again",
                file=file,
            )
        )
        return None
    if not data.startswith(b"PK"):
        issues.append(
            make_issue(
                "corrupt-file",
                "该文件不是 .xlsx 工作簿（可能是改了扩展名的其他文件，如网页或文本）；"
                "请在 Excel 或 WPS 中打开后「另存为」.xlsx 再试",
                "this file is not an .xlsx workbook (perhaps another kind of file renamed, such as "
                "a web page or text); open it in Excel or WPS and save it as .xlsx",
                file=file,
            )
        )
        return None
    return _scan_package(data, file, issues)


# ---- the package scan: limits and unsafe XML, before openpyxl sees the file


@dataclass
class SheetScan:
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


def _local(name: str) -> str:
    # Some writers prefix every element (<x:row>); the local name is what counts.
    return name.rpartition(":")[2]


def _scan_package(data: bytes, file: str, issues: list[Issue]) -> dict[str, SheetScan] | None:
    """Check an .xlsx package against the limits and for unsafe XML before it is parsed.

    openpyxl builds every cell in memory and parses with defusedxml only when that is
    installed and not switched off (OPENPYXL_DEFUSEDXML), so the package is checked
    here first, with our own limits: member count, decompressed size (zip bombs), a
    DOCTYPE in any XML part (entity bombs and external entities: Office never writes
    one), cells and rows per sheet. Returns the scan of each worksheet by sheet name,
    or None after adding an issue.
    """

    def refuse(code: str, zh: str, en: str, **where: Any) -> _Refused:
        return _Refused(make_issue(code, zh, en, file=file, **where))

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:
        # BadZipFile, and on damaged headers also NotImplementedError ("zip file version
        # 6.4"), ValueError, OSError … : whatever zipfile makes of it, the file is damaged.
        issues.append(
            make_issue(
                "corrupt-file",
                "文件已损坏或不是 .xlsx 工作簿，无法打开",
                "the file is damaged or not an .xlsx workbook",
                file=file,
            )
        )
        return None
    try:
        if len(infos) > MAX_ZIP_MEMBERS:
            raise refuse(
                "too-big",
                f"工作簿包含 {len(infos)} 个部件，超过上限 {MAX_ZIP_MEMBERS}；文件已损坏或不是正常的工作簿",
                f"the workbook has {len(infos)} parts, more than the limit of "
                f"{MAX_ZIP_MEMBERS}; it is damaged or not a normal workbook",
            )
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise refuse(
                "too-big",
                f"工作簿解压后有 {_mb(declared)}，超过上限 {_mb(MAX_UNCOMPRESSED_BYTES)}（可能是损坏或恶意构造的文件）",
                f"the workbook decompresses to {_mb(declared)}, more than the limit of "
                f"{_mb(MAX_UNCOMPRESSED_BYTES)} (a damaged or malicious file?)",
            )
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
        return _Refused(make_issue(code, zh, en, file=self.file, **where))

    def run(self) -> dict[str, SheetScan]:
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
        out: dict[str, SheetScan] = {}
        for info in self.zf.infolist():
            part = info.filename
            if part in done:
                continue
            if part in parts:
                sheet = SheetScan(title=parts[part])
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
                "write; the file may be malicious (an XML bomb) and was refused",
            )

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
                            f"{_mb(MAX_UNCOMPRESSED_BYTES)} (a damaged or malicious file?)",
                        )
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise self.refuse(
                "corrupt-file",
                f"工作簿已损坏：部件 {part} 不是有效的 XML（{exc}）",
                f"the workbook is damaged: part {part} is not valid XML ({exc})",
            ) from exc
        except _Refused:
            raise
        except Exception as exc:
            # RuntimeError: a zip-level password; BadZipFile, zlib.error, EOFError,
            # NotImplementedError …: damaged headers or compressed data
            raise self.refuse(
                "corrupt-file",
                f"工作簿已损坏，部件 {part} 无法解压（{exc}）",
                f"the workbook is damaged: part {part} cannot be decompressed ({exc})",
            ) from exc

    def _scan_sheet(self, part: str, sheet: SheetScan) -> None:
        # A formula cell is uncalculated when it has no <v>, or an empty <v/> while its type
        # is not text: that is how openpyxl and other libraries write formulas they cannot
        # evaluate, while Excel writes a formula's empty-text result as t="str" with <v></v>.
        state: dict[str, Any] = {
            "row": 0,
            "col": 0,
            "in_cell": False,
            "f": False,
            "v": False,
            "in_v": False,
            "v_text": False,
            "text_type": False,
            "row_value": False,
        }

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
                state.update(
                    in_cell=True, f=False, v=False, v_text=False, text_type=attrs.get("t") in ("str", "s", "inlineStr")
                )
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
                        sheet=sheet.title,
                        row=state["row"] or None,
                    )
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
                        sheet=sheet.title,
                        row=state["row"],
                    )

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
