"""Generate the bad-input corpus of issue 7: every file here and ``manifest.toml``.

Run from anywhere: ``python tests/data/bad/make_corpus.py``. The output is byte-for-byte
the same on every run (fixed zip timestamps, no randomness), so the committed files
can be checked against the generator. Files that would be large (100,000 rows, a
package with thousands of parts) are not here: ``tests/test_bad_inputs.py`` builds
them in a temporary folder.

Each case starts from one small valid input (``ok.xlsx`` with ``base.toml``: three
漳州 counties, three cadres each, rotation) and breaks one thing, so the expected
issue is the only reason for the exit code. The manifest gives, per case, the exit
code, the issue code and the file, sheet, row and column the message must name.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

CADRE_HEAD = [
    "编号",
    "姓名",
    "性别",
    "所属县区",
    "单位职务",
    "职级",
    "可任角色",
    "专长",
    "居住地",
    "工作地",
    "任职地",
    "成长地",
    "可用",
]
CADRES = [
    [
        "X1",
        "张伟",
        "男",
        "芗城区",
        "芗城区纪委监委 副主任",
        "副处",
        "组长、组员",
        "纪检监察",
        "芗城区",
        "芗城区",
        "芗城区",
        "芗城区",
        "是",
    ],
    [
        "X2",
        "李娜",
        "女",
        "芗城区",
        "芗城区审计局 科长",
        "正科",
        "副组长、组员",
        "审计",
        "芗城区",
        "芗城区",
        "",
        "芗城区",
        "是",
    ],
    [
        "X3",
        "王强",
        "男",
        "芗城区",
        "芗城区委组织部 科员",
        "科员",
        "组员",
        "组织",
        "芗城区",
        "芗城区",
        "",
        "芗城区",
        "是",
    ],
    [
        "L1",
        "陈静",
        "女",
        "龙文区",
        "龙文区纪委监委 常委",
        "副处",
        "组长、组员",
        "纪检监察",
        "龙文区",
        "龙文区",
        "龙文区",
        "龙文区",
        "是",
    ],
    [
        "L2",
        "刘洋",
        "男",
        "龙文区",
        "龙文区财政局 科长",
        "正科",
        "副组长、组员",
        "财务",
        "龙文区",
        "龙文区",
        "",
        "龙文区",
        "是",
    ],
    [
        "L3",
        "杨帆",
        "男",
        "龙文区",
        "龙文区委巡察办 科员",
        "科员",
        "组员",
        "纪检监察",
        "龙文区",
        "龙文区",
        "",
        "龙文区",
        "是",
    ],
    [
        "Z1",
        "黄磊",
        "男",
        "漳浦县",
        "漳浦县纪委监委 副书记",
        "副处",
        "组长、组员",
        "纪检监察",
        "漳浦县",
        "漳浦县",
        "漳浦县",
        "漳浦县",
        "是",
    ],
    [
        "Z2",
        "周敏",
        "女",
        "漳浦县",
        "漳浦县审计局 副局长",
        "正科",
        "副组长、组员",
        "审计",
        "漳浦县",
        "漳浦县",
        "",
        "漳浦县",
        "是",
    ],
    [
        "Z3",
        "吴刚",
        "男",
        "漳浦县",
        "漳浦县委组织部 科员",
        "科员",
        "组员",
        "组织",
        "漳浦县",
        "漳浦县",
        "",
        "漳浦县",
        "是",
    ],
]
TARGET_HEAD = ["编号", "名称", "所在地", "人数"]
TARGETS = [["T1", "芗城区", "芗城区", ""], ["T2", "龙文区", "龙文区", ""], ["T3", "漳浦县", "漳浦县", ""]]
BASE_RULES = """\
# The valid rules every case starts from: three teams of three, rotation.
title = "坏输入样例（第7号议题）"
mode = "rotation"
team_size = [3, 3]
deputies = [1, 1]
leader_min_rank = "副处"
time_limit = 10
"""

Rows = list[list[Any]]


# ---- writing helpers ---------------------------------------------------------------


def repack(
    data: bytes,
    path: Path | None = None,
    patch: dict[str, Callable[[bytes], bytes]] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """Rewrite a zip with fixed timestamps (and optional part edits) so output is stable."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            content = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", content)
            if patch and info.filename in patch:
                content = patch[info.filename](content)
            zi = zipfile.ZipInfo(info.filename, FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, content)
    if path is not None:
        path.write_bytes(out.getvalue())
    return out.getvalue()


def workbook(sheets: dict[str, Rows]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    fixed = datetime(2024, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


def save(wb: openpyxl.Workbook, path: Path, **kw: Any) -> None:
    buf = io.BytesIO()
    wb.save(buf)
    repack(buf.getvalue(), path, **kw)


def base_sheets(cadres: Rows | None = None, targets: Rows | None = None) -> dict[str, Rows]:
    return {
        "干部": [list(CADRE_HEAD), *[list(r) for r in (cadres or CADRES)]],
        "巡察对象": [list(TARGET_HEAD), *[list(r) for r in (targets or TARGETS)]],
    }


def edited(edits: dict[tuple[int, str], Any], *, sheet: str = "干部") -> dict[str, Rows]:
    """The base sheets with some cells changed: {(spreadsheet row, header): value}."""
    sheets = base_sheets()
    rows = sheets[sheet]
    for (r, header), value in edits.items():
        rows[r - 1][rows[0].index(header)] = value
    return sheets


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8", bom: bytes = b"") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(bom + buf.getvalue().encode(encoding))


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (as .xls, .et and encrypted workbooks are) holding streams.

    Streams are padded to 4096 bytes so they live in regular sectors (no mini stream),
    which keeps this writer small; the result opens in any compound-file reader.
    """
    sector = 512
    names = list(streams)
    data = {n: streams[n].ljust(max(4096, -(-len(streams[n]) // sector) * sector), b"\0") for n in names}
    first = {}
    nxt = 2  # sector 0: FAT, sector 1: directory
    for n in names:
        first[n] = nxt
        nxt += len(data[n]) // sector
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    for n in names:
        count = len(data[n]) // sector
        fat += [first[n] + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", left, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    none = 0xFFFFFFFF
    # Siblings in the directory's red-black tree are ordered by name length, then name.
    order = sorted(range(len(names)), key=lambda k: (len(names[k]), names[k].upper()))
    entries = [entry("Root Entry", 5, none, none, order[0] + 1, 0xFFFFFFFE, 0)]
    for k, n in enumerate(names):
        pos = order.index(k)
        right = order[pos + 1] + 1 if pos + 1 < len(order) else none
        entries.append(entry(n, 2, none, right, none, first[n], len(data[n])))
    while len(entries) < sector // 128:
        entries.append(entry("", 0, none, none, none, 0, 0))
    directory = b"".join(entries)
    assert len(directory) == sector, "at most three streams fit this one-sector directory"
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", 0)
        + b"\xff" * (109 * 4 - 4)
    )
    assert len(header) == sector
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(data[n] for n in names)
    return header + body


def stream_bytes(seed: str, n: int) -> bytes:
    """Deterministic bytes that look random (encrypted data must not compress)."""
    out = b""
    k = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{k}".encode()).digest()
        k += 1
    return out[:n]


# ---- the cases -----------------------------------------------------------------------


@dataclass
class Case:
    name: str
    path: str  # relative to this folder: a file, or a CSV file inside a case folder
    code: str  # the issue code (or "R6" etc. for a pre-check finding with exit 1)
    what: str  # one line: what is wrong
    exit: int = 2
    rules: str = "base.toml"  # "" for none
    file: str = ""  # the file the message must name (default: path's file name)
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    expect: list[str] = field(default_factory=list)  # more text the message must contain
    #: a whole command line instead of `check PATH --rules RULES`, run in a scratch copy of
    #: ok.xlsx, base.toml and ok_csv; paths are relative to that copy
    command: list[str] = field(default_factory=list)
    #: prepared in the copy first: "fifo P", "symlink P TARGET", "hardlink P SOURCE", "copy P SOURCE"
    setup: list[str] = field(default_factory=list)
    #: files of the copy the command must leave byte for byte as they were
    unchanged: list[str] = field(default_factory=list)


CASES: list[Case] = []
BUILDERS: list[Callable[[Path], None]] = []


def case(c: Case) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(c)
        BUILDERS.append(fn)
        return fn

    return register


def xlsx_case(
    c: Case,
    sheets: Callable[[], dict[str, Rows]],
    tweak: Callable[[openpyxl.Workbook], None] | None = None,
    **save_kw: Any,
) -> None:
    def build(root: Path) -> None:
        wb = workbook(sheets())
        if tweak is not None:
            tweak(wb)
        save(wb, root / c.path, **save_kw)

    CASES.append(c)
    BUILDERS.append(build)


# -- workbook structure

xlsx_case(
    Case("missing-sheet", "missing_sheet.xlsx", "missing-sheet", "no 巡察对象 sheet", sheet="巡察对象"),
    lambda: {"干部": base_sheets()["干部"]},
)


def _drop_column(header: str) -> Callable[[], dict[str, Rows]]:
    def make() -> dict[str, Rows]:
        sheets = base_sheets()
        k = CADRE_HEAD.index(header)
        sheets["干部"] = [r[:k] + r[k + 1 :] for r in sheets["干部"]]
        return sheets

    return make


xlsx_case(
    Case(
        "missing-column",
        "missing_column.xlsx",
        "missing-column",
        "干部 has no 性别 column",
        sheet="干部",
        row=1,
        column="性别",
    ),
    _drop_column("性别"),
)


def _duplicate_header() -> dict[str, Rows]:
    sheets = base_sheets()
    sheets["干部"] = [[*r, r[1]] for r in sheets["干部"]]  # 姓名 twice
    return sheets


xlsx_case(
    Case(
        "duplicate-header",
        "duplicate_header.xlsx",
        "duplicate-column",
        "two 姓名 columns",
        sheet="干部",
        row=1,
        column="姓名",
    ),
    _duplicate_header,
)


def _zh_and_en_header() -> dict[str, Rows]:
    sheets = base_sheets()
    sheets["干部"][0].append("ID")
    for r in sheets["干部"][1:]:
        r.append(r[0])
    return sheets


xlsx_case(
    Case(
        "duplicate-header-en",
        "duplicate_header_en.xlsx",
        "duplicate-column",
        "编号 and ID are the same column",
        sheet="干部",
        row=1,
        column="ID",
    ),
    _zh_and_en_header,
)


def _merge(rng: str) -> Callable[[openpyxl.Workbook], None]:
    def tweak(wb: openpyxl.Workbook) -> None:
        wb["干部"].merge_cells(rng)

    return tweak


xlsx_case(
    Case(
        "merged-header",
        "merged_header.xlsx",
        "duplicate-column",
        "姓名 merged over 姓名 and 性别 (B1:C1)",
        sheet="干部",
        row=1,
        column="姓名",
    ),
    base_sheets,
    _merge("B1:C1"),
)
xlsx_case(
    Case(
        "merged-ids",
        "merged_ids.xlsx",
        "duplicate-id",
        "编号 cells A2:A3 merged: row 3 takes X1",
        sheet="干部",
        row=3,
        column="编号",
    ),
    base_sheets,
    _merge("A2:A3"),
)


def _blank_rows() -> dict[str, Rows]:
    sheets = base_sheets()
    rows = sheets["干部"]
    rows[5][2] = "未知"  # L2, spreadsheet row 6 before the blanks are inserted
    sheets["干部"] = [*rows[:4], [], [], [], *rows[4:]]
    return sheets


xlsx_case(
    Case(
        "blank-rows-middle",
        "blank_rows_middle.xlsx",
        "bad-gender",
        "three blank rows (5-7); the bad gender is on spreadsheet row 9",
        sheet="干部",
        row=9,
        column="性别",
    ),
    _blank_rows,
)


def _hide_sheet(wb: openpyxl.Workbook) -> None:
    wb["干部"].sheet_state = "hidden"


xlsx_case(
    Case("hidden-sheet", "hidden_sheet.xlsx", "hidden-sheet", "the 干部 sheet is hidden", sheet="干部"),
    base_sheets,
    _hide_sheet,
)


def _very_hidden(wb: openpyxl.Workbook) -> None:
    wb["巡察对象"].sheet_state = "veryHidden"


xlsx_case(
    Case(
        "very-hidden-sheet",
        "very_hidden_sheet.xlsx",
        "hidden-sheet",
        "巡察对象 is 'very hidden' (only VBA can show it)",
        sheet="巡察对象",
    ),
    base_sheets,
    _very_hidden,
)


def _hide_rows(wb: openpyxl.Workbook) -> None:
    for r in (4, 5):
        wb["干部"].row_dimensions[r].hidden = True


xlsx_case(
    Case(
        "hidden-rows",
        "hidden_rows.xlsx",
        "hidden-rows",
        "rows 4-5 of 干部 are hidden (as a filter leaves them)",
        sheet="干部",
        row=4,
    ),
    base_sheets,
    _hide_rows,
)
xlsx_case(
    Case("duplicate-sheet", "duplicate_sheet.xlsx", "duplicate-sheet", "both 干部 and cadres sheets", sheet="cadres"),
    lambda: {**base_sheets(), "cadres": base_sheets()["干部"]},
)


def _title_rows() -> dict[str, Rows]:
    sheets = base_sheets()
    sheets["干部"] = [[f"说明第{k}行"] for k in range(1, 12)] + sheets["干部"]
    return sheets


xlsx_case(
    Case(
        "header-too-low",
        "header_too_low.xlsx",
        "missing-column",
        "eleven title rows push the header below the first ten rows",
        sheet="干部",
        row=1,
        column="编号",
        expect=["标题行"],
    ),
    _title_rows,
)
xlsx_case(
    Case("header-only", "header_only.xlsx", "empty-sheet", "干部 has a header and no rows", sheet="干部", row=1),
    lambda: {"干部": [list(CADRE_HEAD)], "巡察对象": base_sheets()["巡察对象"]},
)

# -- cell contents


def _formula(wb: openpyxl.Workbook) -> None:
    wb["干部"]["D3"] = "=D2"  # openpyxl writes the formula with no calculated value


xlsx_case(
    Case(
        "formula-no-value",
        "formula_no_value.xlsx",
        "formula-no-value",
        "所属县区 of row 3 is =D2, never calculated (written by a program)",
        sheet="干部",
        row=3,
        column="所属县区",
    ),
    base_sheets,
    _formula,
)


def _error_value(wb: openpyxl.Workbook) -> None:
    wb["干部"]["I4"] = "#N/A"  # a pasted VLOOKUP that found nothing


xlsx_case(
    Case(
        "formula-error",
        "formula_error.xlsx",
        "formula-error",
        "居住地 of row 4 holds the error value #N/A",
        sheet="干部",
        row=4,
        column="居住地",
    ),
    base_sheets,
    _error_value,
)


def _date_id(wb: openpyxl.Workbook) -> None:
    wb["干部"]["A5"] = datetime(2024, 1, 2)  # the clerk typed 1-2, Excel made it a date


xlsx_case(
    Case(
        "id-date",
        "id_date.xlsx",
        "id-not-text",
        "编号 1-2 turned into a date by Excel",
        sheet="干部",
        row=5,
        column="编号",
    ),
    base_sheets,
    _date_id,
)
xlsx_case(
    Case("id-float", "id_float.xlsx", "id-not-text", "编号 is the number 1.5", sheet="干部", row=3, column="编号"),
    lambda: edited({(3, "编号"): 1.5}),
)
xlsx_case(
    Case(
        "id-long-number",
        "id_long_number.xlsx",
        "id-not-text",
        "an 18-digit 编号 stored as a number: its last digits are lost",
        sheet="干部",
        row=2,
        column="编号",
    ),
    lambda: edited({(2, "编号"): 110101199001011234.0}),
)
xlsx_case(
    Case(
        "target-id-date",
        "target_id_date.xlsx",
        "id-not-text",
        "巡察对象 编号 is a date",
        sheet="巡察对象",
        row=3,
        column="编号",
    ),
    lambda: edited({(3, "编号"): datetime(2024, 3, 1)}, sheet="巡察对象"),
)
xlsx_case(
    Case(
        "fullwidth-duplicate-id",
        "fullwidth_duplicate_id.xlsx",
        "duplicate-id",
        "Ｘ１ (full-width) on row 5 is X1 of row 2",
        sheet="干部",
        row=5,
        column="编号",
    ),
    lambda: edited({(5, "编号"): "Ｘ１"}),
)
xlsx_case(
    Case(
        "fullwidth-size-zero",
        "fullwidth_size_zero.xlsx",
        "bad-size",
        "人数 is a full-width ０",
        sheet="巡察对象",
        row=2,
        column="人数",
    ),
    lambda: edited({(2, "人数"): "０"}, sheet="巡察对象"),
)
xlsx_case(
    Case(
        "invisible-duplicate-id",
        "invisible_duplicate_id.xlsx",
        "duplicate-id",
        "X1 followed by a zero-width space on row 6 is X1",
        sheet="干部",
        row=6,
        column="编号",
    ),
    lambda: edited({(6, "编号"): "X1\u200b"}),
)
xlsx_case(
    Case(
        "spaces-duplicate-id",
        "spaces_duplicate_id.xlsx",
        "duplicate-id",
        "'　X2 ' (full-width and plain spaces) on row 7 is X2",
        sheet="干部",
        row=7,
        column="编号",
    ),
    lambda: edited({(7, "编号"): "\u3000X2 "}),
)
xlsx_case(
    Case(
        "control-character",
        "control_character.xlsx",
        "control-character",
        "姓名 holds a BEL character (stored as _x0007_)",
        sheet="干部",
        row=2,
        column="姓名",
        expect=["U+0007"],
    ),
    lambda: edited({(2, "姓名"): "张_x0007_伟"}),
)
xlsx_case(
    Case(
        "long-cell",
        "long_cell.xlsx",
        "cell-too-long",
        "单位职务 of 5,000 characters",
        sheet="干部",
        row=3,
        column="单位职务",
    ),
    lambda: edited({(3, "单位职务"): "纪委监委" * 1250}),
)


def _odd_spaces() -> dict[str, Rows]:
    sheets = base_sheets()
    head = sheets["干部"][0]
    head[0] = "　编 号　"
    head[1] = " 姓名"
    head[6] = "可任 角色 "
    sheets["干部"][3][6] = "队长"  # row 4
    return {" 干部 ": sheets["干部"], "巡察对象 ": sheets["巡察对象"]}


xlsx_case(
    Case(
        "odd-spaces",
        "odd_spaces.xlsx",
        "unknown-role",
        "spaces in sheet names and headers are accepted; the role 队长 on row 4 is not",
        sheet=" 干部 ",
        row=4,
        column="可任 角色",
        expect=["队长"],
    ),
    _odd_spaces,
)
xlsx_case(
    Case("bad-gender", "bad_gender.xlsx", "bad-gender", "性别 is 其他", sheet="干部", row=8, column="性别"),
    lambda: edited({(8, "性别"): "其他"}),
)
xlsx_case(
    Case("bad-yes-no", "bad_yes_no.xlsx", "bad-yes-no", "可用 is 待定", sheet="干部", row=4, column="可用"),
    lambda: edited({(4, "可用"): "待定"}),
)
xlsx_case(
    Case("missing-name", "missing_name.xlsx", "missing-cell", "姓名 left empty", sheet="干部", row=6, column="姓名"),
    lambda: edited({(6, "姓名"): None}),
)
xlsx_case(
    Case(
        "unknown-place",
        "unknown_place.xlsx",
        "unknown-place",
        "居住地 漳埔县 (a typo of 漳浦县)",
        sheet="干部",
        row=9,
        column="居住地",
        expect=["漳浦县"],
    ),
    lambda: edited({(9, "居住地"): "漳埔县"}),
)
xlsx_case(
    Case(
        "ambiguous-location",
        "ambiguous_location.xlsx",
        "ambiguous-location",
        "所在地 鼓楼区 exists in several cities",
        sheet="巡察对象",
        row=4,
        column="所在地",
    ),
    lambda: edited({(4, "所在地"): "鼓楼区"}, sheet="巡察对象"),
)
xlsx_case(
    Case(
        "unknown-history-cadre",
        "unknown_history_cadre.xlsx",
        "unknown-cadre",
        "往轮记录 names cadre x02, not in 干部 but X2 mistyped (an id close to none, "
        "a cadre who has left, is only a warning)",
        sheet="往轮记录",
        row=3,
        column="干部编号",
        expect=["X2"],
    ),
    lambda: {
        **base_sheets(),
        "往轮记录": [
            ["轮次", "干部编号", "巡察地", "角色"],
            ["2025年第一轮", "X1", "龙文区", "组长"],
            ["2025年第一轮", "x02", "龙文区", "组员"],
            ["2025年第一轮", "Q77", "龙文区", "组员"],
        ],
    },
)
xlsx_case(
    Case(
        "history-two-places",
        "history_two_places.xlsx",
        "history-contradiction",
        "往轮记录 puts X1 at 龙文区 on row 2 and at 漳浦县 on row 3 in the same round",
        sheet="往轮记录",
        row=3,
        column="巡察地",
        expect=["第2行"],
    ),
    lambda: {
        **base_sheets(),
        "往轮记录": [
            ["轮次", "干部编号", "巡察地", "角色"],
            ["2025年第一轮", "X1", "龙文区", "组长"],
            ["2025年第一轮", "X1", "漳浦县", "组长"],
        ],
    },
)
xlsx_case(
    Case(
        "history-last-yes-and-no",
        "history_last_yes_and_no.xlsx",
        "history-contradiction",
        "末位 是 on row 2 and 否 on row 3 for leader L1 in the same round",
        sheet="往轮记录",
        row=3,
        column="末位",
        expect=["第2行"],
    ),
    lambda: {
        **base_sheets(),
        "往轮记录": [
            ["轮次", "干部编号", "巡察地", "角色", "末位"],
            ["2025年第一轮", "L1", "漳浦县", "组长", "是"],
            ["2025年第一轮", "L1", "漳浦县", "组长", "否"],
        ],
    },
)
xlsx_case(
    Case(
        "self-ban",
        "self_ban.xlsx",
        "decision-self-ban",
        "禁配 of X1 with X1",
        sheet="人工决定",
        row=2,
        column="另一干部编号",
    ),
    lambda: {**base_sheets(), "人工决定": [["类型", "干部编号", "另一干部编号"], ["禁配", "X1", "X1"]]},
)


def _far_cell(wb: openpyxl.Workbook) -> None:
    wb["干部"]["XFD1048576"] = "x"  # a stray keystroke after Ctrl+End


xlsx_case(
    Case(
        "far-cell",
        "far_cell.xlsx",
        "too-many-columns",
        "a stray value in the last cell of the sheet, XFD1048576",
        sheet="干部",
        row=1048576,
        column="XFD",
    ),
    base_sheets,
    _far_cell,
)

# -- encodings (each CSV case is a folder: the CSV files in one folder form one input)


def csv_case(c: Case, cadres: Rows, encoding: str = "utf-8", bom: bytes = b"") -> None:
    def build(root: Path) -> None:
        folder = (root / c.path).parent
        folder.mkdir(parents=True, exist_ok=True)
        write_csv(folder / "干部.csv", cadres, encoding, bom)
        write_csv(folder / "巡察对象.csv", base_sheets()["巡察对象"])

    CASES.append(c)
    BUILDERS.append(build)


def _cadres_with(edits: dict[tuple[int, str], Any]) -> Rows:
    return edited(edits)["干部"]


csv_case(
    Case(
        "csv-gbk",
        "csv_gbk/干部.csv",
        "unknown-role",
        "GBK without BOM, decoded; the role 队长 on row 3 is reported in Chinese",
        sheet="干部",
        row=3,
        column="可任角色",
        expect=["队长"],
    ),
    _cadres_with({(3, "可任角色"): "队长"}),
    "gbk",
)
csv_case(
    Case(
        "csv-gb18030-bom",
        "csv_gb18030_bom/干部.csv",
        "bad-gender",
        "GB18030 with its own BOM (84 31 95 33); 性别 其他 on row 4",
        sheet="干部",
        row=4,
        column="性别",
    ),
    _cadres_with({(4, "性别"): "其他"}),
    "gb18030",
    codecs.BOM_UTF8.decode().encode("gb18030"),
)
csv_case(
    Case(
        "csv-utf8-bom",
        "csv_utf8_bom/干部.csv",
        "missing-cell",
        "UTF-8 with BOM (Excel's 'CSV UTF-8'); 姓名 empty on row 2",
        sheet="干部",
        row=2,
        column="姓名",
    ),
    _cadres_with({(2, "姓名"): ""}),
    "utf-8",
    codecs.BOM_UTF8,
)
csv_case(
    Case(
        "csv-utf16-no-bom",
        "csv_utf16_no_bom/干部.csv",
        "bad-yes-no",
        "UTF-16LE without BOM, detected from the zero bytes; 可用 也许 on row 5",
        sheet="干部",
        row=5,
        column="可用",
    ),
    _cadres_with({(5, "可用"): "也许"}),
    "utf-16-le",
)


def _big5(root: Path) -> None:
    folder = root / "csv_big5"
    folder.mkdir(parents=True, exist_ok=True)
    from opencc import OpenCC  # a runtime dependency of crossinspect

    to_trad = OpenCC("s2t")
    rows = [[to_trad.convert(str(v)) for v in r] for r in base_sheets()["干部"]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (folder / "干部.csv").write_bytes(buf.getvalue().encode("big5", errors="replace"))
    write_csv(folder / "巡察对象.csv", base_sheets()["巡察对象"])


CASES.append(
    Case(
        "csv-big5",
        "csv_big5/干部.csv",
        "encoding-guess",
        "Big5 (traditional Chinese) decodes as GB18030 without error, into wrong "
        "characters: the reader says the encoding is probably wrong",
        sheet="干部",
        row=1,
    )
)
BUILDERS.append(_big5)
csv_case(
    Case(
        "csv-control-character",
        "csv_control/干部.csv",
        "control-character",
        "an ESC character inside 居住地",
        sheet="干部",
        row=3,
        column="居住地",
        expect=["U+001B"],
    ),
    _cadres_with({(3, "居住地"): "芗城\x1b区"}),
)


def _long_field(root: Path) -> None:
    folder = root / "csv_long_field"
    folder.mkdir(parents=True, exist_ok=True)
    rows = _cadres_with({(2, "单位职务"): "x" * 140_000})
    write_csv(folder / "干部.csv", rows)
    write_csv(folder / "巡察对象.csv", base_sheets()["巡察对象"])


CASES.append(
    Case(
        "csv-long-field",
        "csv_long_field/干部.csv",
        "bad-csv",
        "a 140,000-character field, beyond the csv module's limit",
        sheet="干部",
        row=2,
    )
)
BUILDERS.append(_long_field)


def _misnamed(root: Path) -> None:
    folder = root / "csv_misnamed"
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "人员名单.csv", base_sheets()["干部"])


CASES.append(Case("csv-misnamed", "csv_misnamed/人员名单.csv", "csv-not-a-sheet", "a CSV file not named after a sheet"))
BUILDERS.append(_misnamed)


def _empty_csv(root: Path) -> None:
    folder = root / "csv_empty"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "干部.csv").write_bytes(b"")
    write_csv(folder / "巡察对象.csv", base_sheets()["巡察对象"])


CASES.append(Case("csv-empty", "csv_empty/干部.csv", "empty-sheet", "干部.csv has 0 bytes", sheet="干部"))
BUILDERS.append(_empty_csv)


def _csv_is_xlsx(root: Path) -> None:
    folder = root / "csv_really_xlsx"
    folder.mkdir(parents=True, exist_ok=True)
    save(workbook(base_sheets()), folder / "干部.csv")
    write_csv(folder / "巡察对象.csv", base_sheets()["巡察对象"])


CASES.append(Case("csv-really-xlsx", "csv_really_xlsx/干部.csv", "not-csv", "干部.csv is an .xlsx workbook renamed"))
BUILDERS.append(_csv_is_xlsx)

# -- wrong files


def _ole(name: str, streams: dict[str, bytes]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / name).write_bytes(cfb(streams))

    return build


_BIFF = b"\x09\x08\x10\x00\x00\x06\x05\x00" + stream_bytes("biff", 600)
CASES.append(Case("xls", "old_format.xls", "old-excel-format", "an Excel 97-2003 .xls workbook"))
BUILDERS.append(_ole("old_format.xls", {"Workbook": _BIFF}))
CASES.append(Case("et", "wps_format.et", "old-excel-format", "a WPS .et workbook"))
BUILDERS.append(_ole("wps_format.et", {"Workbook": _BIFF, "WpsContent": stream_bytes("et", 300)}))
CASES.append(Case("xls-renamed", "xls_renamed.xlsx", "old-excel-format", "an .xls workbook renamed to .xlsx"))
BUILDERS.append(_ole("xls_renamed.xlsx", {"Workbook": _BIFF}))
_ENC_INFO = (
    b"\x04\x00\x04\x00\x40\x00\x00\x00"
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
    b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
    b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
    b'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>'
)
CASES.append(
    Case(
        "encrypted",
        "password_protected.xlsx",
        "encrypted-file",
        "a workbook with a password to open (an encrypted OLE container)",
    )
)
BUILDERS.append(
    _ole(
        "password_protected.xlsx",
        {"EncryptionInfo": _ENC_INFO, "EncryptedPackage": struct.pack("<Q", 6000) + stream_bytes("package", 6016)},
    )
)


def _ok_bytes() -> bytes:
    buf = io.BytesIO()
    workbook(base_sheets()).save(buf)
    return repack(buf.getvalue())


def _truncated(root: Path) -> None:
    data = _ok_bytes()
    (root / "truncated.xlsx").write_bytes(data[: len(data) * 3 // 5])


CASES.append(
    Case("truncated", "truncated.xlsx", "corrupt-file", "the first 60% of a workbook (an interrupted download)")
)
BUILDERS.append(_truncated)


def _no_workbook(root: Path) -> None:
    repack(_ok_bytes(), root / "no_workbook_part.xlsx", drop=("xl/workbook.xml",))


CASES.append(Case("no-workbook-part", "no_workbook_part.xlsx", "corrupt-file", "a package without xl/workbook.xml"))
BUILDERS.append(_no_workbook)


def _bad_xml(root: Path) -> None:
    repack(_ok_bytes(), root / "bad_xml.xlsx", patch={"xl/worksheets/sheet1.xml": lambda b: b[: len(b) // 2]})


CASES.append(
    Case("bad-xml", "bad_xml.xlsx", "corrupt-file", "the first sheet's XML is cut in the middle", expect=["sheet1.xml"])
)
BUILDERS.append(_bad_xml)


def _html(root: Path) -> None:
    (root / "web_page.xlsx").write_bytes(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>编号</td><td>姓名</td>"
        "</tr></table></body></html>".encode()
    )


CASES.append(
    Case("web-page", "web_page.xlsx", "corrupt-file", "an HTML table saved by a web system under an .xlsx name")
)
BUILDERS.append(_html)


def _zip_garbage(root: Path) -> None:
    (root / "zip_garbage.xlsx").write_bytes(b"PK\x03\x04" + stream_bytes("garbage", 2000))


CASES.append(Case("zip-garbage", "zip_garbage.xlsx", "corrupt-file", "a zip signature followed by garbage"))
BUILDERS.append(_zip_garbage)
# Billion laughs: nine levels of ten references each, 10^9 "lol"s from a few hundred bytes.
_LOL = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10) for k in range(1, 10))
    + b"]>\n"
)


def _xml_bomb(root: Path) -> None:
    def patch(b: bytes) -> bytes:
        return _LOL + b.replace("<t>张伟</t>".encode(), b"<t>&lol9;</t>", 1)

    repack(_ok_bytes(), root / "xml_bomb.xlsx", patch={"xl/worksheets/sheet1.xml": patch})


CASES.append(
    Case(
        "xml-bomb",
        "xml_bomb.xlsx",
        "unsafe-xml",
        "billion laughs: nine levels of entities in the 干部 sheet's XML",
        expect=["sheet1.xml"],
    )
)
BUILDERS.append(_xml_bomb)


def _xxe(root: Path) -> None:
    def patch(b: bytes) -> bytes:
        decl = b'<?xml version="1.0" encoding="UTF-8"?>'
        body = b.split(b"?>", 1)[1] if b.startswith(b"<?xml") else b
        return (
            decl
            + b'\n<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + body.replace('name="干部"'.encode(), b'name="&xxe;"', 1)
        )

    repack(_ok_bytes(), root / "xxe.xlsx", patch={"xl/workbook.xml": patch})


CASES.append(
    Case(
        "xxe",
        "xxe.xlsx",
        "unsafe-xml",
        "an external entity (file:///etc/passwd) in workbook.xml",
        expect=["workbook.xml"],
    )
)
BUILDERS.append(_xxe)


def _zip_bomb(root: Path) -> None:
    path = root / "zip_bomb.xlsx"
    repack(_ok_bytes(), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zi = zipfile.ZipInfo("xl/media/image1.png", FIXED_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(zi, b"\0" * (150 * 1024 * 1024), compresslevel=9)


CASES.append(Case("zip-bomb", "zip_bomb.xlsx", "too-big", "a 150 KB workbook with a part that decompresses to 150 MB"))
BUILDERS.append(_zip_bomb)


def _empty(root: Path) -> None:
    (root / "empty.xlsx").write_bytes(b"")


CASES.append(Case("empty-file", "empty.xlsx", "empty-file", "a file of 0 bytes"))
BUILDERS.append(_empty)

# -- sizes and ranges

xlsx_case(
    Case(
        "team-larger-than-pool",
        "team_larger_than_pool.xlsx",
        "R6",
        "巡察对象 T1 asks for 20 people; only 6 may go: infeasible, not bad input",
        exit=1,
        expect=["至少需要20人"],
    ),
    lambda: edited({(2, "人数"): 20}, sheet="巡察对象"),
)
xlsx_case(
    Case("size-absurd", "size_absurd.xlsx", "bad-size", "人数 100000", sheet="巡察对象", row=3, column="人数"),
    lambda: edited({(3, "人数"): 100000}, sheet="巡察对象"),
)
xlsx_case(
    Case("size-negative", "size_negative.xlsx", "bad-size", "人数 -3", sheet="巡察对象", row=4, column="人数"),
    lambda: edited({(4, "人数"): -3}, sheet="巡察对象"),
)


def rules_case(c: Case, text: str, encoding: str = "utf-8") -> None:
    def build(root: Path) -> None:
        (root / c.rules).write_bytes(text.encode(encoding))

    CASES.append(c)
    BUILDERS.append(build)


def _line_of(text: str, key: str) -> int:
    """The line of the rules text that sets ``key`` (the message must name it)."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(f"{key} ="))


def _rules(
    name: str,
    code: str,
    what: str,
    text: str,
    *,
    exit: int = 2,
    expect: list[str] | None = None,
    encoding: str = "utf-8",
    key: str | None = None,
) -> None:
    rules_case(
        Case(
            name,
            "ok.xlsx",
            code,
            what,
            exit=exit,
            rules=f"rules/{name}.toml",
            file=f"{name}.toml",
            row=_line_of(text, key) if key else None,
            expect=expect or [],
        ),
        text,
        encoding,
    )


_rules(
    "rules-team-larger-than-pool",
    "R6",
    "team_size = [30, 30] with pools of 3: infeasible",
    BASE_RULES.replace("team_size = [3, 3]", "team_size = [30, 30]"),
    exit=1,
    expect=["至少需要30人"],
)
_rules(
    "rules-negative-team-size",
    "bad-rule",
    "team_size = [-1, 3]",
    BASE_RULES.replace("team_size = [3, 3]", "team_size = [-1, 3]"),
    expect=["team_size"],
    key="team_size",
)
_rules(
    "rules-absurd-team-size",
    "bad-rule",
    "team_size = [3, 100000]",
    BASE_RULES.replace("team_size = [3, 3]", "team_size = [3, 100000]"),
    expect=["team_size"],
    key="team_size",
)
_rules(
    "rules-negative-time-limit",
    "bad-rule",
    "time_limit = -5",
    BASE_RULES.replace("time_limit = 10", "time_limit = -5"),
    expect=["time_limit"],
    key="time_limit",
)
_rules(
    "rules-absurd-time-limit",
    "bad-rule",
    "time_limit = 1e12 seconds",
    BASE_RULES.replace("time_limit = 10", "time_limit = 1e12"),
    expect=["time_limit"],
    key="time_limit",
)
_rules(
    "rules-negative-weight",
    "bad-rule",
    "[weights] balance = -1",
    BASE_RULES + "\n[weights]\nbalance = -1\n",
    expect=["weights.balance"],
    key="balance",
)
_rules(
    "rules-empty-seed",
    "bad-rule",
    'seed = "  ", a lottery seed with no text',
    BASE_RULES + 'seed = "  "\n',
    expect=["seed"],
    key="seed",
)
_rules(
    "rules-negative-women",
    "bad-rule",
    "min_women = -2",
    BASE_RULES + "min_women = -2\n",
    expect=["min_women"],
    key="min_women",
)
_rules(
    "rules-unknown-mode",
    "bad-rule",
    'mode = "round-robin"',
    BASE_RULES.replace('mode = "rotation"', 'mode = "round-robin"'),
    expect=["mode"],
    key="mode",
)
_rules(
    "rules-typo",
    "unknown-rule",
    "team_szie instead of team_size",
    BASE_RULES.replace("team_size", "team_szie"),
    expect=["team_szie", "team_size"],
    key="team_szie",
)
_rules(
    "rules-typo-weight",
    "unknown-rule",
    "[weights] balanse",
    BASE_RULES + "\n[weights]\nbalanse = 3\n",
    expect=["balanse", "weights.balance"],
    key="balanse",
)
_rules(
    "rules-not-toml",
    "bad-toml",
    "mode = rotation without quotes",
    BASE_RULES.replace('"rotation"', "rotation"),
    expect=['mode = "rotation"'],
    key="mode",
)
# -- rules files are read as UTF-8 or GB18030, with Chinese keys and values (SPEC §3.2)
_rules(
    "rules-gbk",
    "bad-rule",
    "a rules file saved in GBK, with Chinese keys: read, and its bad value named",
    BASE_RULES.replace("team_size = [3, 3]", '每组人数 = "3至2"'),
    encoding="gbk",
    expect=["每组人数", "3至2"],
    key="每组人数",
)
_rules(
    "rules-utf16",
    "bad-toml",
    "a rules file saved as UTF-16 without a byte order mark",
    BASE_RULES,
    encoding="utf-16-le",
    expect=["UTF-8", "GB18030"],
)
_rules(
    "rules-chinese-typo",
    "unknown-rule",
    "编组模式 instead of 编组方式",
    BASE_RULES.replace('mode = "rotation"', '编组模式 = "推磨式"'),
    expect=["编组模式", "编组方式"],
    key="编组模式",
)
_rules(
    "rules-chinese-value",
    "bad-rule",
    '单一循环 = "也许": neither 是 nor 否',
    BASE_RULES + '单一循环 = "也许"\n',
    expect=["单一循环", "也许", "是 或 否"],
    key="单一循环",
)
# -- strict types: a lax value is an error naming the key or cell, never converted
_rules(
    "rules-seed-true",
    "bad-rule",
    "seed = true: a boolean where a number is expected",
    BASE_RULES + "seed = true\n",
    expect=["seed", "true"],
    key="seed",
)
_rules(
    "rules-leaders-float",
    "bad-rule",
    "leaders = 1.0: a float where a whole number is expected",
    BASE_RULES + "leaders = 1.0\n",
    expect=["leaders"],
    key="leaders",
)
_rules(
    "rules-time-limit-text",
    "bad-rule",
    'time_limit = "10": text where a number is expected',
    BASE_RULES.replace("time_limit = 10", 'time_limit = "10"'),
    expect=["time_limit"],
    key="time_limit",
)
_rules(
    "rules-empty-skill",
    "bad-rule",
    'required_skills = { "" = 1 }: an empty skill name',
    BASE_RULES + 'required_skills = { "" = 1 }\n',
    expect=["required_skills"],
    key="required_skills",
)
xlsx_case(
    Case(
        "id-true",
        "id_true.xlsx",
        "bool-cell",
        "编号 of row 4 is the logical value TRUE",
        sheet="干部",
        row=4,
        column="编号",
        expect=["TRUE"],
    ),
    lambda: edited({(4, "编号"): True}),
)
xlsx_case(
    Case(
        "rules-sheet-seed-true",
        "rules_sheet_seed_true.xlsx",
        "bad-rule",
        "the 规则 sheet's seed cell is the logical value TRUE",
        rules="",
        sheet="规则",
        row=3,
        column="值",
        expect=["seed"],
    ),
    lambda: {
        **base_sheets(),
        "规则": [["键", "值"], ["team_size", "[3, 3]"], ["seed", True], ["leader_min_rank", "副处"]],
    },
)
CASES.append(
    Case(
        "rules-missing",
        "ok.xlsx",
        "unreadable",
        "--rules names a file that is not there",
        rules="rules/no_such_rules.toml",
        file="no_such_rules.toml",
    )
)
BUILDERS.append(lambda root: None)
xlsx_case(
    Case(
        "rules-sheet-typo",
        "rules_sheet_typo.xlsx",
        "unknown-rule",
        "the 规则 sheet has the key mdoe",
        rules="",
        sheet="规则",
        row=3,
        column="键",
        expect=["mode"],
    ),
    lambda: {
        **base_sheets(),
        "规则": [["键", "值"], ["team_size", "[3, 3]"], ["mdoe", "rotation"], ["deputies", "[1, 1]"]],
    },
)
xlsx_case(
    Case(
        "rules-sheet-absurd",
        "rules_sheet_absurd.xlsx",
        "bad-rule",
        "the 规则 sheet sets team_size to [0, 5000]",
        rules="",
        sheet="规则",
        row=2,
        column="值",
        expect=["team_size"],
    ),
    lambda: {**base_sheets(), "规则": [["键", "值"], ["team_size", "[0, 5000]"]]},
)


# -- outputs never over an input, and inputs that are not regular files (run as commands)


def command_case(c: Case) -> None:
    c.rules = ""  # the command says which rules it reads
    CASES.append(c)
    BUILDERS.append(lambda root: None)  # nothing to commit: the test prepares the copy


_SOLVE = ["solve", "ok.xlsx", "--rules", "base.toml"]
command_case(
    Case(
        "out-is-rules",
        "ok.xlsx",
        "output-is-input",
        "-o names the rules file (--force given)",
        file="base.toml",
        command=[*_SOLVE, "-o", "base.toml", "--force"],
        unchanged=["base.toml"],
        expect=["拒绝覆盖输入"],
    )
)
command_case(
    Case(
        "json-is-workbook",
        "ok.xlsx",
        "output-is-input",
        "--json names the workbook through ok_csv/..",
        file="ok.xlsx",
        command=[*_SOLVE, "-o", "roster.xlsx", "--json", "ok_csv/../ok.xlsx", "--force"],
        unchanged=["ok.xlsx"],
        expect=["拒绝覆盖输入"],
    )
)
command_case(
    Case(
        "out-is-csv-sheet",
        "ok_csv/干部.csv",
        "output-is-input",
        "-o names a CSV file of the input folder",
        file="干部.csv",
        command=["solve", "ok_csv", "--rules", "base.toml", "-o", "ok_csv/干部.csv", "--force"],
        unchanged=["ok_csv/干部.csv"],
        expect=["拒绝覆盖输入"],
    )
)
command_case(
    Case(
        "out-symlink-to-workbook",
        "ok.xlsx",
        "output-is-input",
        "-o names a symlink to the workbook",
        file="link.xlsx",
        setup=["symlink link.xlsx ok.xlsx"],
        command=[*_SOLVE, "-o", "link.xlsx", "--force"],
        unchanged=["ok.xlsx"],
        expect=["拒绝覆盖输入"],
    )
)
command_case(
    Case(
        "out-hardlink-to-rules",
        "ok.xlsx",
        "output-is-input",
        "-o names a hard link to the rules file",
        file="copy.toml",
        setup=["hardlink copy.toml base.toml"],
        command=[*_SOLVE, "-o", "copy.toml", "--force"],
        unchanged=["base.toml"],
        expect=["拒绝覆盖输入"],
    )
)
command_case(
    Case(
        "output-exists",
        "ok.xlsx",
        "output-exists",
        "-o names an existing file and --force is not given",
        file="roster.xlsx",
        setup=["copy roster.xlsx ok.xlsx"],
        command=[*_SOLVE, "-o", "roster.xlsx"],
        unchanged=["roster.xlsx"],
        expect=["--force"],
    )
)
command_case(
    Case(
        "example-existing",
        "ok.xlsx",
        "output-exists",
        "`example ex` where ex/rotation/rules.toml already exists",
        file="rules.toml",
        setup=["copy ex/rotation/rules.toml base.toml"],
        command=["example", "ex"],
        unchanged=["ex/rotation/rules.toml"],
        expect=["--force"],
    )
)
command_case(
    Case(
        "fifo-workbook",
        "fifo.xlsx",
        "not-a-file",
        "the workbook is a FIFO (reading would hang)",
        setup=["fifo fifo.xlsx"],
        command=["check", "fifo.xlsx"],
        expect=["命名管道"],
    )
)
command_case(
    Case(
        "device-workbook",
        "zero.xlsx",
        "not-a-file",
        "the workbook is a link to /dev/zero",
        setup=["symlink zero.xlsx /dev/zero"],
        command=["check", "zero.xlsx"],
        expect=["字符设备"],
    )
)
command_case(
    Case(
        "fifo-csv-sheet",
        "ok_csv/往轮记录.csv",
        "not-a-file",
        "往轮记录.csv of a CSV folder is a FIFO",
        setup=["fifo ok_csv/往轮记录.csv"],
        command=["check", "ok_csv", "--rules", "base.toml"],
        expect=["命名管道"],
    )
)
command_case(
    Case(
        "fifo-rules",
        "ok.xlsx",
        "not-a-file",
        "--rules names a FIFO",
        file="fifo.toml",
        setup=["fifo fifo.toml"],
        command=["check", "ok.xlsx", "--rules", "fifo.toml"],
        expect=["命名管道"],
    )
)


# ---- manifest ------------------------------------------------------------------------


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest() -> str:
    lines = [
        "# The bad-input corpus of issue 7, written by make_corpus.py: do not edit by hand.",
        "# path and rules are relative to this folder; file, sheet, row and column are where",
        "# the message must point; code is the issue code (a rule id for exit 1).",
        "# A case with a command runs it in a scratch copy after its setup steps; the files",
        "# it lists as unchanged must be left as they were.",
        "",
    ]
    for c in CASES:
        lines.append("[[case]]")
        lines.append(f"name = {_toml_str(c.name)}")
        lines.append(f"what = {_toml_str(c.what)}")
        lines.append(f"path = {_toml_str(c.path)}")
        if c.rules:
            lines.append(f"rules = {_toml_str(c.rules)}")
        lines.append(f"exit = {c.exit}")
        lines.append(f"code = {_toml_str(c.code)}")
        lines.append(f"file = {_toml_str(c.file or Path(c.path).name)}")
        if c.sheet is not None:
            lines.append(f"sheet = {_toml_str(c.sheet)}")
        if c.row is not None:
            lines.append(f"row = {c.row}")
        if c.column is not None:
            lines.append(f"column = {_toml_str(c.column)}")
        for key in ("expect", "command", "setup", "unchanged"):
            values = getattr(c, key)
            if values:
                lines.append(f"{key} = [" + ", ".join(_toml_str(e) for e in values) + "]")
        lines.append("")
    return "\n".join(lines)


def main(root: Path = HERE) -> None:
    for child in root.iterdir():
        # everything but this script is generated: start from a clean folder
        if child.name == Path(__file__).name:
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    (root / "rules").mkdir()
    (root / "base.toml").write_text(BASE_RULES, encoding="utf-8")
    save(workbook(base_sheets()), root / "ok.xlsx")
    ok_csv = root / "ok_csv"
    ok_csv.mkdir()
    write_csv(ok_csv / "干部.csv", base_sheets()["干部"])
    write_csv(ok_csv / "巡察对象.csv", base_sheets()["巡察对象"])
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for build in BUILDERS:
        build(root)
    (root / "manifest.toml").write_text(manifest(), encoding="utf-8")


if __name__ == "__main__":
    main()
