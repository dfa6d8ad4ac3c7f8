"""Fuzzing (issue 7): the reader, the place resolver, the rules and ``verify`` never crash.

Hypothesis generates workbooks (sheet names, headers and cells mixing valid and
hostile values), raw bytes, CSV text in several encodings, rules dicts, place
names and plans. The only acceptable outcomes are a result or ``InputError``.

CI runs a modest number of examples per test. For a long session set
``CROSSINSPECT_FUZZ_EXAMPLES`` (see docs/reliability.md for the command and the
count of the last long run).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crossinspect.domain.errors import InputError, Issue
from crossinspect.domain.models import Role
from crossinspect.domain.plan import Plan, Seat, Violation
from crossinspect.domain.rules import RULE_KEYS, WEIGHT_KEYS
from crossinspect.io.columns import SHEETS
from crossinspect.io.load import load_problem
from crossinspect.io.read import read_input_report
from crossinspect.io.rules_reader import merge_rules
from crossinspect.places import Gazetteer, Resolution, resolve
from crossinspect.problem import Problem, build_problem
from crossinspect.verify import verify

EXAMPLES = int(os.environ.get("CROSSINSPECT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="CROSSINSPECT_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
BAD = Path(__file__).resolve().parent / "data" / "bad"

# ---- building blocks ------------------------------------------------------------------------

PLACES = [
    "芗城区",
    "龙文区",
    "漳浦县",
    "漳浦",
    "漳州市漳浦县",
    "福建省漳州市芗城区",
    "龍海",
    "龙海市",
    "鼓楼区",
    "漳州",
    "福建",
    "旧镇镇",
    "漳浦县旧镇镇",
    "北京",
    "朝阳区",
    "芗城区　天宝镇",
    "漳埔县",
]
HEADERS = [h for s in SHEETS for c in s.columns for h in (c.zh, c.en, c.key)]
SHEET_NAMES = [n for s in SHEETS for n in (s.zh, s.en)] + ["说明", "Sheet1", "干部(旧)"]
NASTY = [
    "",
    " ",
    "\u3000",
    "=1+1",
    "=A1",
    "#N/A",
    "#REF!",
    "+86",
    "-",
    "@x",
    "\u200b",
    "ＣＯＯ１",
    "００１",
    "是",
    "否",
    "男",
    "女",
    "M",
    "F",
    "组长、副组长",
    "leader",
    "队长",
    "[5, 7]",
    "rotation",
    "_x0007_",
    "_x000D_\n",
    "_x000B_",
    "_xD800_",
    "a\u0301",
    "𠀋",
    "\u202e反向",
    "None",
    "nan",
]

texts = st.one_of(
    st.sampled_from(PLACES + HEADERS + NASTY),
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from("漳浦芗城龙文区县镇市省、，,;；/ \n\t0１Ｘ-"), max_size=40),
    st.builds(lambda s, n: s * n, st.sampled_from(["漳", "x", "、"]), st.integers(1, 1500)),
)
cells = st.one_of(
    st.none(),
    texts,
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)


def _storable(value: Any) -> Any:
    """openpyxl refuses control characters and NaN on write; Excel would escape them."""
    if isinstance(value, str):
        return "".join(ch if ch in "\t\n\r" or ord(ch) >= 32 else f"_x{ord(ch):04X}_" for ch in value)
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)
    return value


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """An .xlsx with a few sheets: known or odd names, known or odd headers, hostile cells."""
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    names = draw(
        st.lists(st.one_of(st.sampled_from(SHEET_NAMES), st.text(min_size=1, max_size=12)), min_size=1, max_size=4)
    )
    made = 0
    for name in names:
        title = "".join(ch for ch in name if ch not in "[]:*?/\\'")[:31] or "S"
        if title in wb.sheetnames:
            continue
        ws = wb.create_sheet(title)
        made += 1
        header = draw(st.lists(st.one_of(st.sampled_from(HEADERS), texts), max_size=12))
        ws.append([_storable(h) for h in header])
        for row in draw(st.lists(st.lists(cells, max_size=12), max_size=8)):
            ws.append([_storable(v) for v in row])
        if draw(st.booleans()) and ws.max_row > 1:
            r1 = draw(st.integers(1, ws.max_row))
            c1 = draw(st.integers(1, max(1, ws.max_column)))
            ws.merge_cells(
                start_row=r1,
                start_column=c1,
                end_row=r1 + draw(st.integers(0, 3)),
                end_column=c1 + draw(st.integers(0, 3)),
            )
        if draw(st.integers(0, 9)) == 0:
            ws.row_dimensions[draw(st.integers(1, 10))].hidden = True
        if draw(st.integers(0, 9)) == 0:
            ws[draw(st.sampled_from(["Z99", "XFD1", "A1048576", "IW2"]))] = "stray"
    if made > 1 and draw(st.integers(0, 7)) == 0:
        wb.worksheets[0].sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read_never_crashes(path: Path) -> None:
    book, issues = read_input_report(path)
    assert all(isinstance(i, Issue) for i in issues)
    for issue in issues:
        issue.render("zh")
        issue.render("en")
    try:
        load_problem(path)
    except InputError as exc:
        assert exc.issues or exc.warnings or book is None
        exc.render("zh")


# ---- the reader ----------------------------------------------------------------------------


@FUZZ
@given(data=workbooks())
def test_reader_survives_generated_workbooks(data: bytes) -> None:
    """Any workbook openpyxl can write: read and build, or InputError; nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.xlsx"
        path.write_bytes(data)
        _read_never_crashes(path)


@FUZZ
@given(
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), max_size=6),
    truncate=st.one_of(st.none(), st.integers(0, 10**6)),
)
# Found by the long session: a central directory claiming "zip file version 6.4" made
# zipfile raise NotImplementedError, which the reader did not expect.
@example(cuts=[(5848, b"\x00\x00@")], truncate=None)
def test_reader_survives_damaged_packages(cuts: list[tuple[int, bytes]], truncate: int | None) -> None:
    """The valid corpus workbook with bytes overwritten or cut off: refused, never a crash."""
    data = bytearray((BAD / "ok.xlsx").read_bytes())
    for at, chunk in cuts:
        pos = at % len(data)
        data[pos : pos + len(chunk)] = chunk
    if truncate is not None:
        data = data[: truncate % (len(data) + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.xlsx"
        path.write_bytes(bytes(data))
        _read_never_crashes(path)


@FUZZ
@given(
    part=st.sampled_from(
        [
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "[Content_Types].xml",
            "xl/_rels/workbook.xml.rels",
        ]
    ),
    garbage=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda s: s.encode("utf-8", "replace")),
        st.sampled_from(
            [
                b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
                b"<x>",
                b"",
                b"<worksheet><sheetData><row><c><f>1</f></c></row></sheetData></worksheet>",
            ]
        ),
    ),
)
def test_reader_survives_bad_xml_parts(part: str, garbage: bytes) -> None:
    """One part of the package replaced by garbage, bombs or half an element."""
    src = (BAD / "ok.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, garbage if info.filename == part else zin.read(info.filename))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.xlsx"
        path.write_bytes(out.getvalue())
        _read_never_crashes(path)


@FUZZ
@given(
    rows=st.lists(st.lists(texts, max_size=10), max_size=10),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "big5"]),
    raw=st.one_of(st.none(), st.binary(max_size=400)),
)
def test_reader_survives_csv(rows: list[list[str]], encoding: str, raw: bytes | None) -> None:
    """CSV folders: any text in any of the encodings offices use, or plain random bytes."""
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    data = raw if raw is not None else buf.getvalue().encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "干部.csv").write_bytes(data)
        (folder / "巡察对象.csv").write_text("编号,名称,所在地\nT1,漳浦县,漳浦县\n", encoding="utf-8")
        _read_never_crashes(folder)


# ---- rules ------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=10,
)


@FUZZ
@given(
    layers=st.lists(
        st.dictionaries(
            st.one_of(st.sampled_from(list(RULE_KEYS)), texts),
            st.one_of(json_values, st.dictionaries(st.sampled_from(list(WEIGHT_KEYS)), json_values, max_size=3)),
        ),
        max_size=3,
    )
)
def test_rules_never_crash(layers: list[dict[str, Any]]) -> None:
    """Any layered rules dicts: valid Rules, or InputError naming the key."""
    try:
        rules = merge_rules(*layers, file="rules.toml")
    except InputError as exc:
        assert exc.issues
        exc.render("en")
    else:
        rules.to_toml()


# ---- the place resolver ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.builtin()


@FUZZ
@given(text=st.one_of(texts, st.text(max_size=200), st.lists(st.sampled_from(PLACES), max_size=6).map("".join)))
def test_resolver_never_crashes(gaz: Gazetteer, text: str) -> None:
    """Any text resolves to codes, or to none with suggestions; never an exception."""
    res = resolve(gaz, text)
    assert isinstance(res, Resolution)
    assert all(c in gaz for c in res.codes)


# ---- verify ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> Problem:
    return load_problem(BAD / "ok.xlsx", rules_file=BAD / "base.toml")


@FUZZ
@given(data=st.data())
def test_verify_never_crashes(small: Problem, data: st.DataObject) -> None:
    """Random plans (known and unknown ids, any roles, duplicate seats): a list of Violations."""
    cadre_ids = [c.id for c in small.cadres] + ["X9", "", "Ｘ１", "x1"]
    target_ids = [t.id for t in small.targets] + ["T9", ""]
    team_ids = [small.team_id(j) for j in range(len(small.targets))] + ["99", "第一组", ""]
    seats = data.draw(
        st.lists(
            st.builds(
                Seat,
                team_id=st.sampled_from(team_ids),
                target_id=st.sampled_from(target_ids),
                cadre_id=st.sampled_from(cadre_ids),
                role=st.sampled_from(list(Role)),
            ),
            max_size=14,
        )
    )
    rules = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "mode": st.sampled_from(["rotation", "mixed"]),
                "level": st.sampled_from(["county", "township"]),
                "min_women": st.integers(0, 3),
                "local_roles": st.sampled_from([[], ["deputy"], ["liaison"]]),
                "max_from_same_county": st.integers(1, 3),
            },
        )
    )
    problem = small
    if rules:
        merged = {**small.rules.model_dump(mode="json"), **rules}
        problem = build_problem(small.book, merge_rules(merged), small.gazetteer)
    violations = verify(problem, Plan.from_seats(seats))
    assert all(isinstance(v, Violation) for v in violations)
    for v in violations:
        v.render("zh")
