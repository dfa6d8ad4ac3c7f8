"""Reading the input workbook: headers, encodings, cleaning and one-pass error collection."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.domain.errors import InputError, Issue
from crossinspect.domain.models import DecisionKind, Gender, Role
from crossinspect.io.columns import SHEETS, split_multi
from crossinspect.io.read import read_input, read_input_with_warnings

CADRE_HEAD = ["编号", "姓名", "性别", "所属县区", "单位职务", "职级", "可任角色", "专长", "居住地", "可用"]
TARGET_HEAD = ["编号", "名称", "所在地", "人数"]


def cadre(
    cid: str, name: str = "张三", gender: str = "男", county: str = "芗城区", roles: str = "组员", available: str = ""
) -> list[Any]:
    return [cid, name, gender, county, "市纪委", "正科", roles, "纪检监察", "芗城区", available]


def targets() -> list[list[Any]]:
    return [TARGET_HEAD, ["T1", "漳浦县", "漳浦县", 6], ["T2", "龙海区", "龙海区", ""]]


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def basic_book(
    tmp_path: Path, cadre_rows: list[list[Any]] | None = None, extra: dict[str, list[list[Any]]] | None = None
) -> Path:
    rows = cadre_rows if cadre_rows is not None else [cadre("001"), cadre("002", "李四", "女")]
    return write_xlsx(tmp_path / "in.xlsx", {"干部": [CADRE_HEAD, *rows], "巡察对象": targets(), **(extra or {})})


def errors_of(path: Path) -> list[Issue]:
    with pytest.raises(InputError) as info:
        read_input(path)
    return info.value.issues


def only(issues: list[Issue], code: str) -> Issue:
    found = [i for i in issues if i.code == code]
    assert len(found) == 1, issues
    return found[0]


def test_chinese_headers_read(tmp_path: Path) -> None:
    """A workbook with Chinese sheet names and headers reads into typed records."""
    book = read_input(basic_book(tmp_path, [cadre("001", roles="组长、副组长", available="否")]))
    (c,) = book.cadres
    assert (c.id, c.name, c.gender) == ("001", "张三", Gender.MALE)
    assert (c.county, c.rank) == ("芗城区", "正科")
    assert c.roles == frozenset({Role.LEADER, Role.DEPUTY})
    assert c.available is False
    assert c.skills == ("纪检监察",) and c.residence == ("芗城区",)
    assert c.source.sheet == "干部" and c.source.row == 2 and c.source.columns["gender"] == "性别"
    assert [t.id for t in book.targets] == ["T1", "T2"]
    assert book.targets[0].size == 6 and book.targets[1].size is None


def test_english_headers_read(tmp_path: Path) -> None:
    """English sheet names and headers are accepted regardless of case and spacing."""
    path = write_xlsx(
        tmp_path / "in.xlsx",
        {
            "Cadres": [["ID", " Name ", "GENDER", "County", "Roles"], ["7", "Wang", "female", "A", "Leader"]],
            " targets ": [["id", "name", "Location", "Size"], ["t", "B", "B", "5"]],
            "History": [
                ["Round", "Cadre ID", "place", "role", "last_ranked", "from_county"],
                ["2023-1", "7", "C", "leader", "yes", "A"],
            ],
        },
    )
    book = read_input(path)
    assert book.cadres[0].gender is Gender.FEMALE and book.cadres[0].roles == {Role.LEADER}
    assert book.cadres[0].source.columns["name"] == "Name"  # trimmed, case kept
    assert book.history[0].last_ranked is True and book.history[0].role is Role.LEADER
    assert book.targets[0].size == 5


def test_fullwidth_and_blank_rows_before_header(tmp_path: Path) -> None:
    """Blank rows above the header are skipped and full-width spaces in headers ignored."""
    path = write_xlsx(
        tmp_path / "in.xlsx",
        {
            "干部": [[], [None, None], ["编　号", "姓 名", "性别", "所属县区"], ["Ｃ００１", "张三", "男", "甲"]],
            "巡察对象": targets(),
        },
    )
    book = read_input(path)
    assert book.cadres[0].id == "C001" and book.cadres[0].source.row == 4


def test_leading_zeros_kept_in_csv(tmp_path: Path) -> None:
    """An id written 001 in a CSV stays the text 001."""
    write_csv(tmp_path / "干部.csv", [CADRE_HEAD, cadre("001")])
    write_csv(tmp_path / "巡察对象.csv", targets())
    book = read_input(tmp_path)
    assert book.cadres[0].id == "001"
    assert book.cadres[0].source.file == str(tmp_path / "干部.csv")


def test_leading_zeros_and_numbers_in_xlsx(tmp_path: Path) -> None:
    """Text 001 stays 001, a numeric 12.0 becomes 12 and a "000"-formatted 7 becomes 007."""
    path = basic_book(tmp_path, [cadre("001"), cadre(12.0), cadre(7)])  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(path)
    wb["干部"]["A4"].number_format = "000"
    wb.save(path)
    assert [c.id for c in read_input(path).cadres] == ["001", "12", "007"]


def test_all_separators_split(tmp_path: Path) -> None:
    """Multi-valued cells split on 、 , ， ; ； / and newlines, trimming and dropping empties."""
    expected = ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛")
    assert split_multi("甲、乙,丙，丁;戊；己/庚\n辛 ,, 、") == expected
    row = cadre("001")
    row[7] = "纪检监察， 财务\n审计;;"
    book = read_input(basic_book(tmp_path, [row]))
    assert book.cadres[0].skills == ("纪检监察", "财务", "审计")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    """CSV files in UTF-8 with or without BOM and in GB18030 read the same."""
    write_csv(tmp_path / "cadres.csv", [CADRE_HEAD, cadre("001", "欧阳娜娜", "女")], encoding)
    write_csv(tmp_path / "targets.csv", targets(), encoding)
    book = read_input(tmp_path / "cadres.csv")  # a single CSV names its folder
    assert book.cadres[0].name == "欧阳娜娜" and book.cadres[0].county == "芗城区"


def test_csv_sha256_covers_named_sheet_files(tmp_path: Path) -> None:
    """The CSV folder checksum is over the sheet files sorted by name, each prefixed by its name."""
    a = write_csv(tmp_path / "干部.csv", [CADRE_HEAD, cadre("001")])
    b = write_csv(tmp_path / "巡察对象.csv", targets())
    write_csv(tmp_path / "unrelated.csv", [["x"]])
    digest = hashlib.sha256()
    for p in sorted([a, b], key=lambda p: p.name):
        digest.update(p.name.encode() + b"\n" + p.read_bytes())
    assert read_input(tmp_path).sha256 == digest.hexdigest()


def test_xlsx_sha256_is_file_hash(tmp_path: Path) -> None:
    """The checksum of a workbook is the SHA-256 of its bytes."""
    path = basic_book(tmp_path)
    assert read_input(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_duplicate_id(tmp_path: Path) -> None:
    """A repeated cadre id names both rows, in the id column."""
    issue = only(errors_of(basic_book(tmp_path, [cadre("001"), cadre("002"), cadre("001")])), "duplicate-id")
    assert (issue.sheet, issue.row, issue.column) == ("干部", 4, "编号")
    assert "与第2行重复" in issue.zh and "row 2" in issue.en


@pytest.mark.parametrize(
    "copy",
    ["001\u200f", "0\u00ad01", "\u316400 1", "00１\u2060"],
    ids=["rtl-mark", "soft-hyphen", "hangul-filler-and-space", "fullwidth-joiner"],
)
def test_copied_id_with_hidden_characters_is_a_duplicate(tmp_path: Path, copy: str) -> None:
    """A copied row whose id differs only by invisible, full-width or space characters is the
    same person: a duplicate-id error naming both rows, not a second cadre."""
    issue = only(errors_of(basic_book(tmp_path, [cadre("001"), cadre("002"), cadre(copy, "张三")])), "duplicate-id")
    assert (issue.sheet, issue.row, issue.column) == ("干部", 4, "编号")
    assert "「001」与第2行重复" in issue.zh and "repeats row 2" in issue.en


def test_copied_target_id_is_a_duplicate(tmp_path: Path) -> None:
    """Target ids are normalised the same way."""
    rows = [*targets(), ["T\u200f1", "云霄县", "云霄县", ""]]
    path = write_xlsx(tmp_path / "in.xlsx", {"干部": [CADRE_HEAD, cadre("001")], "巡察对象": rows})
    issue = only(errors_of(path), "duplicate-id")
    assert (issue.sheet, issue.row) == ("巡察对象", 4)


def test_ids_and_names_are_read_normalised(tmp_path: Path) -> None:
    """Cadre, history and decision ids and cadre names are stored normalised, so a hidden
    character on any sheet neither makes a new person nor an unknown one."""
    history = [["轮次", "干部编号", "巡察地", "角色"], ["2023年\u200b第一轮", "00\u200f1", "漳浦县", "组长"]]
    decisions = [["类型", "干部编号", "另一干部编号"], ["禁配", "\u00ad001", "002\u2060"]]
    path = basic_book(
        tmp_path,
        [cadre("00１", name="张\u00ad三"), cadre("0 02", "李四", "女")],
        extra={"往轮记录": history, "人工决定": decisions},
    )
    book = read_input(path)
    assert [(c.id, c.name) for c in book.cadres] == [("001", "张三"), ("002", "李四")]
    assert (book.history[0].cadre_id, book.history[0].round) == ("001", "2023年第一轮")
    assert (book.decisions[0].cadre_id, book.decisions[0].other_cadre_id) == ("001", "002")


def test_logical_cells_are_not_text(tmp_path: Path) -> None:
    """A TRUE/FALSE cell where an id or a name is expected is an error at that cell; in a
    是/否 column it means 是/否."""
    rows = [cadre("001"), cadre(True, "李四"), cadre("003", False), cadre("004", "王五", available=True)]  # type: ignore[arg-type]
    issues = errors_of(basic_book(tmp_path, rows))
    assert sorted((i.code, i.row, i.column) for i in issues) == [("bool-cell", 3, "编号"), ("bool-cell", 4, "姓名")]
    assert "TRUE" in issues[0].zh or "TRUE" in issues[1].zh


def test_logical_yes_no_cell_is_read(tmp_path: Path) -> None:
    """可用 written as the logical FALSE reads as 否."""
    book = read_input(basic_book(tmp_path, [cadre("001"), cadre("002", "李四", available=False)]))  # type: ignore[arg-type]
    assert [c.available for c in book.cadres] == [True, False]


def test_missing_column(tmp_path: Path) -> None:
    """A missing required column is reported on the header row, once, not on every row."""
    path = write_xlsx(
        tmp_path / "in.xlsx",
        {
            "干部": [[], ["编号", "姓名", "所属县区"], ["1", "a", "x"], ["2", "b", "y"]],
            "巡察对象": targets(),
        },
    )
    issues = errors_of(path)
    issue = only(issues, "missing-column")
    assert (issue.sheet, issue.row, issue.column) == ("干部", 2, "性别")
    assert len(issues) == 1


def test_missing_cell(tmp_path: Path) -> None:
    """An empty required cell is reported at its row and column."""
    issue = only(errors_of(basic_book(tmp_path, [cadre("001"), cadre("002", county="")])), "missing-cell")
    assert (issue.sheet, issue.row, issue.column) == ("干部", 3, "所属县区")


def test_unknown_gender(tmp_path: Path) -> None:
    """A gender other than 男/女/M/F/male/female is an error; those are accepted in any case."""
    rows = [cadre("1", gender="M"), cadre("2", gender="Female"), cadre("3", gender="未知")]
    issue = only(errors_of(basic_book(tmp_path, rows)), "bad-gender")
    assert (issue.row, issue.column) == (4, "性别")


def test_unknown_role_with_suggestion(tmp_path: Path) -> None:
    """A misspelt role is an error that suggests the closest role name."""
    issue = only(errors_of(basic_book(tmp_path, [cadre("1", roles="组长/付组长")])), "unknown-role")
    assert (issue.sheet, issue.row, issue.column) == ("干部", 2, "可任角色")
    assert "副组长" in issue.suggestions


@pytest.mark.parametrize(
    ("written", "meant"), [("01", "001"), ("0O2", "002"), ("00l", "001"), ("002A", "002"), ("李四", "002")]
)
def test_unknown_history_cadre_close_to_a_known_id(tmp_path: Path, written: str, meant: str) -> None:
    """A history id that is a known id mistyped (zeros dropped, O for 0, l for 1, one extra
    character) or a cadre's name is an error at that cell, suggesting the id meant."""
    history = [
        ["轮次", "干部编号", "巡察地", "角色", "末位"],
        ["2023-1", "001", "漳浦县", "组长", "否"],
        ["2023-1", written, "漳浦县", "组员", ""],
    ]
    issue = only(errors_of(basic_book(tmp_path, extra={"往轮记录": history})), "unknown-cadre")
    assert (issue.sheet, issue.row, issue.column) == ("往轮记录", 3, "干部编号")
    assert issue.suggestions == (meant,)


def test_unknown_history_cadre_close_to_none_is_a_warning(tmp_path: Path) -> None:
    """A history id close to no known id is a cadre who has left: a warning, and the row kept.

    009 is one digit from both 001 and 002: with ids that dense, nearness is no sign of a typo.
    """
    history = [
        ["轮次", "干部编号", "巡察地", "角色", "末位"],
        ["2023-1", "001", "漳浦县", "组长", "否"],
        ["2023-1", "009", "漳浦县", "组员", ""],
        ["2023-1", "Q-77", "漳浦县", "组员", ""],
    ]
    book, warnings = read_input_with_warnings(basic_book(tmp_path, extra={"往轮记录": history}))
    left = [w for w in warnings if w.code == "departed-cadre"]
    assert [(w.sheet, w.row, w.column) for w in left] == [("往轮记录", 3, "干部编号"), ("往轮记录", 4, "干部编号")]
    assert [r.cadre_id for r in book.history] == ["001", "009", "Q-77"]


def test_all_problems_in_one_error(tmp_path: Path) -> None:
    """Several problems on several sheets are raised together in one InputError."""
    rows = [cadre("001"), cadre("001", gender="x"), cadre("003", roles="队长", county="")]
    history = [["轮次", "干部编号", "巡察地"], ["1", "0O3", "甲"]]
    path = basic_book(tmp_path, rows, extra={"往轮记录": history, "巡察对象": [["编号", "名称"], ["T1", "甲"]]})
    codes = sorted(i.code for i in errors_of(path))
    assert codes == sorted(
        ["duplicate-id", "bad-gender", "unknown-role", "missing-cell", "unknown-cadre", "missing-column"]
    )


def test_decisions(tmp_path: Path) -> None:
    """Decisions read with their kind; pins need a target, bans another cadre, ids must exist."""
    head = ["类型", "干部编号", "巡察对象编号", "角色", "另一干部编号", "说明"]
    good = [
        head,
        ["指定", "001", "T1", "组长", "", "领导小组决定"],
        ["禁配", "001", "", "", "002", ""],
        ["不可用", "002", "", "", "", "病假"],
    ]
    book = read_input(basic_book(tmp_path, extra={"人工决定": good}))
    assert [d.kind for d in book.decisions] == [DecisionKind.PIN, DecisionKind.BAN, DecisionKind.UNAVAILABLE]
    assert book.decisions[0].role is Role.LEADER and book.decisions[1].other_cadre_id == "002"
    bad = [
        head,
        ["指定", "001", "", "", "", ""],
        ["禁配", "001", "", "", "", ""],
        ["调走", "001", "", "", "", ""],
        ["指定", "999", "T9", "", "", ""],
    ]
    issues = errors_of(basic_book(tmp_path, extra={"人工决定": bad}))
    got = {(i.code, i.row, i.column) for i in issues}
    assert got == {
        ("decision-needs-target", 2, "巡察对象编号"),
        ("decision-needs-other", 3, "另一干部编号"),
        ("unknown-decision", 4, "类型"),
        ("unknown-cadre", 5, "干部编号"),
        ("unknown-target", 5, "巡察对象编号"),
    }


def test_available_and_size_values(tmp_path: Path) -> None:
    """可用 accepts 是/否/yes/no/1/0 (empty means 是); 人数 must be a positive integer."""
    rows = [cadre("1", available="yes"), cadre("2", available="0"), cadre("3", available="也许")]
    path = basic_book(tmp_path, rows, extra={"巡察对象": [TARGET_HEAD, ["T", "甲", "甲", "0"]]})
    issues = errors_of(path)
    assert {(i.code, i.sheet, i.row) for i in issues} == {("bad-yes-no", "干部", 4), ("bad-size", "巡察对象", 2)}


def test_places_rules_and_unknown_columns(tmp_path: Path) -> None:
    """Places and rules rows are kept as written; unknown columns are ignored with a warning."""
    extra = {
        "地名": [["地名", "上级", "别名"], ["旧镇镇", "漳浦县", "旧镇/旧镇乡"]],
        "规则": [["键", "值", "说明"], ["Mode", "mixed", ""], ["team_size", "[5, 7]", ""]],
    }
    rows = [[*CADRE_HEAD, "备注"], [*cadre("001"), "随便"]]
    path = write_xlsx(tmp_path / "in.xlsx", {"干部": rows, "巡察对象": targets(), **extra})
    book, warnings = read_input_with_warnings(path)
    assert book.places[0].aliases == ("旧镇", "旧镇乡") and book.places[0].parent == "漳浦县"
    assert book.rules_rows == (("mode", "mixed", 2), ("team_size", "[5, 7]", 3))
    assert [(w.code, w.column) for w in warnings] == [("unknown-column", "备注")]


def test_merged_cells_are_filled(tmp_path: Path) -> None:
    """A county cell merged over several cadres applies to each of them."""
    path = basic_book(tmp_path, [cadre("1"), cadre("2", county="")])
    wb = openpyxl.load_workbook(path)
    wb["干部"].merge_cells("D2:D3")
    wb.save(path)
    assert [c.county for c in read_input(path).cadres] == ["芗城区", "芗城区"]


def test_missing_required_sheet(tmp_path: Path) -> None:
    """A workbook without the 巡察对象 sheet names the missing sheet."""
    path = write_xlsx(tmp_path / "in.xlsx", {"干部": [CADRE_HEAD, cadre("1")], "巡察对像": [["编号"]]})
    issue = only(errors_of(path), "missing-sheet")
    assert issue.sheet == "巡察对象" and "巡察对像" in issue.suggestions


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("bad.xlsx", b"this is not a zip file", "corrupt-file"),
        ("empty.xlsx", b"", "empty-file"),
        ("half.xlsx", b"PK\x03\x04garbage", "corrupt-file"),
        ("old.xls", b"\xd0\xcf\x11\xe0anything", "old-excel-format"),
        ("renamed.xlsx", b"\xd0\xcf\x11\xe0anything", "old-excel-format"),
        ("wps.et", b"whatever", "old-excel-format"),
        ("notes.txt", b"hello", "unsupported-format"),
    ],
)
def test_bad_files_are_issues(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    """A damaged, empty, old-format or foreign file gives an Issue naming the file."""
    path = tmp_path / name
    path.write_bytes(content)
    issue = only(errors_of(path), code)
    assert issue.file == str(path)
    if code == "old-excel-format":
        assert ".xlsx" in issue.zh and ".xlsx" in issue.en


def test_truncated_real_workbook_is_an_issue(tmp_path: Path) -> None:
    """A real workbook cut in half is reported as damaged."""
    path = basic_book(tmp_path)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert only(errors_of(path), "corrupt-file").file == str(path)


def test_missing_path_and_misnamed_csv(tmp_path: Path) -> None:
    """A path that does not exist, or a CSV not named after a sheet, is an Issue."""
    assert only(errors_of(tmp_path / "nope.xlsx"), "not-found")
    write_csv(tmp_path / "名单.csv", [CADRE_HEAD])
    assert only(errors_of(tmp_path / "名单.csv"), "csv-not-a-sheet")


def test_bad_csv_encoding(tmp_path: Path) -> None:
    """Bytes that are neither UTF-8 nor GB18030 give an encoding Issue."""
    (tmp_path / "干部.csv").write_bytes(b"\x80\x80\x80\xff\xff")
    write_csv(tmp_path / "巡察对象.csv", targets())
    issue = only(errors_of(tmp_path), "bad-encoding")
    assert issue.file == str(tmp_path / "干部.csv")


def test_every_sheet_has_both_names() -> None:
    """Every sheet and column in the table has a Chinese and an English name."""
    for sheet in SHEETS:
        assert sheet.zh and sheet.en
        for col in sheet.columns:
            assert col.zh and col.en and col.help


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    """A title and a date line above the header are skipped; rows keep their real numbers."""
    path = write_xlsx(
        tmp_path / "in.xlsx",
        {
            "干部": [
                ["某市巡察干部名单"],
                ["填报日期：2026年11月"],
                CADRE_HEAD,
                cadre("001"),
                cadre("002", "李四", "女", county="龙海"),
            ],
            "巡察对象": targets(),
        },
    )
    book = read_input(path)
    assert [c.id for c in book.cadres] == ["001", "002"]
    assert book.cadres[1].source.row == 5


def test_error_below_title_row_names_the_real_row(tmp_path: Path) -> None:
    """An error under a title row still names the spreadsheet row the clerk sees."""
    path = write_xlsx(
        tmp_path / "in.xlsx",
        {
            "干部": [["某市巡察干部名单"], CADRE_HEAD, cadre("001"), cadre("001", "李四")],
            "巡察对象": targets(),
        },
    )
    dup = [i for i in errors_of(path) if i.code == "duplicate-id"]
    assert dup and dup[0].row == 4 and dup[0].column == "编号"
