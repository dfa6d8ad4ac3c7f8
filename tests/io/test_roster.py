"""The print-ready roster: sheets, audit, formula safety, atomic writes, print setup, PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from crossinspect.domain.plan import ObjectiveTerm, Plan, Sanction, SolveResult, Status
from crossinspect.io.audit import Verdict, audit_rows
from crossinspect.io.roster import (
    ASSIGNMENT_HEADERS,
    build_roster,
    cn_numeral,
    team_sheet_name,
    write_roster,
)
from crossinspect.io.run_record import RECORD_COLUMN
from crossinspect.io.safety import OutputError
from printing import pdf_pages, to_pdf

ROTATION_SHEETS = ["总表", "第一组", "第二组", "第三组", "回避审查", "人工决定", "轮换", "运行信息", "assignments"]
MIXED_SHEETS = ["总表", "第一组", "第二组", "回避审查", "运行信息", "assignments"]
FORMULA_NAME = "=cmd|' /C calc'!A0"


def data_rows(ws: Any, header_row: int) -> list[list[Any]]:
    """Values of the rows below the header, stopping at the first empty row."""
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if not any(v is not None for v in row):
            break
        out.append(list(row))
    return out


def header_row_of(ws: Any, first: str) -> int:
    for r in range(1, 6):
        if ws.cell(row=r, column=1).value == first:
            return r
    raise AssertionError(f"no header starting with {first!r} in {ws.title}")


def solved(plan: Plan, **extra: Any) -> SolveResult:
    return SolveResult(
        status=Status.OPTIMAL,
        plan=plan,
        objective=42,
        bound=42.0,
        gap=0.0,
        runtime=1.5,
        seed="20261122",
        lottery=7,
        lottery_optimal=True,
        terms=(
            ObjectiveTerm(name="balance", zh="均衡", weight=10, value=3, weighted=30),
            ObjectiveTerm(name="travel", zh="路程", weight=1, value=12, weighted=12),
        ),
        **extra,
    )


# ---- sheets ------------------------------------------------------------------------------


def test_rotation_roster_has_every_sheet_in_order(three_counties_rotation: Any, write: Any) -> None:
    """A rotation roster has exactly the SPEC §5 sheets, team sheets named 第一组 …."""
    wb = openpyxl.load_workbook(write(three_counties_rotation))
    assert wb.sheetnames == ROTATION_SHEETS


def test_mixed_roster_has_no_rotation_sheet(mixed_two_targets: Any, write: Any) -> None:
    """轮换 appears only in rotation mode."""
    wb = openpyxl.load_workbook(write(mixed_two_targets))
    assert wb.sheetnames == MIXED_SHEETS


def test_english_roster_keeps_sheet_names_and_translates_headers(three_counties_rotation: Any, write: Any) -> None:
    """lang="en" keeps the fixed sheet names; titles and headers are English."""
    wb = openpyxl.load_workbook(write(three_counties_rotation, lang="en"))
    assert wb.sheetnames == ROTATION_SHEETS
    assert [c.value for c in wb["总表"][3]] == [
        "Team",
        "Target",
        "Location",
        "Leader",
        "Deputy leader",
        "Members",
        "Size",
    ]
    assert "Team 1" in wb["第一组"]["A1"].value
    assert [c.value for c in wb["assignments"][1]] == list(ASSIGNMENT_HEADERS)


def test_unknown_language_is_refused(three_counties_rotation: Any, write: Any) -> None:
    """Only zh and en exist."""
    with pytest.raises(ValueError):
        write(three_counties_rotation, lang="fr")


def test_chinese_numerals_for_team_names() -> None:
    """Teams are 第一组 … 第十组, 第十二组, 第二十一组, 第一百零五组."""
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 112)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零五",
        "一百一十二",
    ]
    assert team_sheet_name(12) == "第十二组"


def test_twelve_teams_get_twelve_sheets(twelve_teams: Any, write: Any) -> None:
    """Team sheets run 第一组 … 第十组, 第十一组, 第十二组, in team order."""
    wb = openpyxl.load_workbook(write(twelve_teams))
    teams = [n for n in wb.sheetnames if n.startswith("第")]
    assert teams == [team_sheet_name(k) for k in range(1, 13)]


def test_overview_lists_each_team(three_counties_rotation: Any, write: Any) -> None:
    """总表 has the SPEC headers, one row per team, and the total of seats; 联络员 is left out
    when nobody holds it."""
    ws = openpyxl.load_workbook(write(three_counties_rotation))["总表"]
    hrow = header_row_of(ws, "组别")
    assert [c.value for c in ws[hrow]] == ["组别", "巡察对象", "所在地", "组长", "副组长", "组员", "人数"]
    rows = data_rows(ws, hrow)
    assert [r[0] for r in rows] == ["第一组", "第二组", "第三组", "合计"]
    assert rows[0][1:5] == ["芗城区", "芗城区", "黄磊", "周敏"]
    assert rows[-1][-1] == 9


def test_team_sheet_title_and_seat_order(stroke_team: Any, write: Any) -> None:
    """Title line, then leader, deputy and members in 姓氏笔画 order (丁 于/马 王 毛 方)."""
    ws = openpyxl.load_workbook(write(stroke_team))["第一组"]
    assert ws["A1"].value == "漳州市委第四轮交叉巡察第一组人员名单"
    hrow = header_row_of(ws, "序号")
    assert [c.value for c in ws[hrow]] == ["序号", "姓名", "性别", "组内职务", "单位职务", "所属县区", "专长"]
    rows = data_rows(ws, hrow)
    assert [r[1] for r in rows] == ["张伟", "李娜", "丁一", "马力", "王五", "毛泽东", "方明"]
    assert [r[3] for r in rows] == ["组长", "副组长", "组员", "组员", "组员", "组员", "组员"]
    assert [r[0] for r in rows] == list(range(1, 8))
    assert rows[1][2] == "女"


# ---- audit -------------------------------------------------------------------------------


def test_audit_has_exactly_one_row_per_seat(three_counties_rotation: Any, write: Any) -> None:
    """回避审查 holds one row per seat, no more, no fewer."""
    case = three_counties_rotation
    ws = openpyxl.load_workbook(write(case))["回避审查"]
    hrow = header_row_of(ws, "组别")
    assert [c.value for c in ws[hrow]] == [
        "组别",
        "姓名",
        "组内职务",
        "巡察地",
        "居住地",
        "工作地",
        "任职地",
        "成长地",
        "回避",
        "结论",
    ]
    rows = data_rows(ws, hrow)
    assert len(rows) == len(case.plan.seats()) == len(audit_rows(case.problem, case.plan))
    assert sorted(r[1] for r in rows) == sorted(
        case.problem.cadres[case.problem.cadre_index[s.cadre_id]].name for s in case.plan.seats()
    )


def test_audit_shows_text_and_verdict(three_counties_rotation: Any, write: Any) -> None:
    """Each cell shows what the cadre declared, and a second line only when it does not pass;
    empty places read 未填报 and 待核实, and the seat then reads 待核实, never 通过."""
    ws = openpyxl.load_workbook(write(three_counties_rotation))["回避审查"]
    hrow = header_row_of(ws, "组别")
    row = next(r for r in data_rows(ws, hrow) if r[1] == "王强")
    assert row[3] == "龙文区"
    assert row[4] == "芗城区"  # residence
    assert row[6] == "未填报\n待核实"  # postings left empty
    assert row[7] == "漳浦"  # grew up in 漳浦, inspects 龙文区
    assert row[8] == "无"
    assert row[9].startswith("待核实")
    assert "未填报：任职地" in row[9]


def test_audit_flags_a_conflict_in_a_hand_edited_plan(three_counties_rotation: Any) -> None:
    """王强 grew up in 漳浦: moved onto the 漳浦县 team, his 成长地 is 冲突."""
    case = three_counties_rotation

    def swap(seats: list[Any]) -> list[Any]:
        out = []
        for s in seats:
            if s.cadre_id == "X3":
                s = s.model_copy(update={"team_id": "3", "target_id": "T3"})
            elif s.cadre_id == "L3":
                s = s.model_copy(update={"team_id": "2", "target_id": "T2"})
            out.append(s)
        return out

    rows = audit_rows(case.problem, case.replan(swap))
    row = next(a for a in rows if a.cadre_id == "X3")
    assert row.verdict is Verdict.CONFLICT
    assert row.field(row.fields[3].field).verdict is Verdict.CONFLICT
    assert "漳浦" in row.zh and row.zh.startswith("冲突")


def test_local_seat_explains_the_exception(mixed_two_targets: Any, write: Any) -> None:
    """A local liaison (R5) shows 本地席位（R5 不适用） for the four avoidances."""
    ws = openpyxl.load_workbook(write(mixed_two_targets))["回避审查"]
    hrow = header_row_of(ws, "组别")
    row = next(r for r in data_rows(ws, hrow) if r[1] == "黄磊")  # grew up in 漳浦县
    assert row[2] == "联络员"
    assert all(cell.endswith("本地席位（R5 不适用）") for cell in row[4:8])
    assert row[8] == "无"  # declared conflicts are still judged, and pass
    assert "R5" in row[9] and row[9].startswith("通过")


# ---- formula safety ----------------------------------------------------------------------


def test_formula_like_name_is_written_as_text(three_counties_rotation: Any, write: Any) -> None:
    """A cadre named =cmd|' /C calc'!A0 is a text cell everywhere, never a formula."""
    case = three_counties_rotation.with_cadre("X3", name=FORMULA_NAME, unit="+SUM(1,2)", skills=("@纪检",))
    wb = openpyxl.load_workbook(write(case))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "@")):
                    found.append(cell)
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
    assert {c.value for c in found} >= {FORMULA_NAME, "+SUM(1,2)", "@纪检"}
    assert any(c.parent.title == "第二组" for c in found)


# ---- safe writing -----------------------------------------------------------------------


def test_atomic_write_leaves_no_temporary_files(three_counties_rotation: Any, tmp_path: Path, write: Any) -> None:
    """Only the roster is left in the folder."""
    out = write(three_counties_rotation)
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_failed_write_keeps_the_old_file_and_no_temp(
    three_counties_rotation: Any, tmp_path: Path, write: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while saving leaves the previous roster untouched and no temporary file."""
    out = write(three_counties_rotation)
    before = out.read_bytes()

    def boom(self: Any, filename: Any) -> None:
        Path(filename).write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(RuntimeError):
        write(three_counties_rotation, force=True)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_refuses_to_overwrite_the_input(three_counties_rotation: Any, tmp_path: Path) -> None:
    """-o equal to the input path is refused and the input is unchanged."""
    source = tmp_path / "input.xlsx"
    source.write_bytes(b"the clerk's input")
    with pytest.raises(OutputError):
        write_roster(
            three_counties_rotation.problem, three_counties_rotation.plan, source, force=True, input_paths=[source]
        )
    assert source.read_bytes() == b"the clerk's input"


def test_refuses_existing_output_without_force(three_counties_rotation: Any, write: Any) -> None:
    """An existing roster is replaced only with force."""
    out = write(three_counties_rotation)
    with pytest.raises(OutputError):
        write(three_counties_rotation)
    assert write(three_counties_rotation, force=True) == out


def test_result_without_plan_is_refused(three_counties_rotation: Any, write: Any) -> None:
    """An infeasible result has no roster to write."""
    with pytest.raises(OutputError):
        write(three_counties_rotation, SolveResult(status=Status.INFEASIBLE))


# ---- run information and rotation ----------------------------------------------------------


def test_run_information_lists_checksum_rules_report_and_sanctions(three_counties_rotation: Any, write: Any) -> None:
    """运行信息 has the SHA-256, seed, every rule, each objective term, versions and sanctions."""
    case = three_counties_rotation
    result = solved(
        case.plan,
        sanctions=(Sanction(cadre_id="X4", kind="suspended", zh="连续两轮末位，暂停担任组长", en="suspended"),),
    )
    ws = openpyxl.load_workbook(write(case, result))["运行信息"]
    items = {r[0]: r[1:] for r in ws.iter_rows(min_row=3, max_col=3, values_only=True) if r[0]}
    assert items["SHA-256"][0] == case.problem.book.sha256
    assert items["抽签种子"][0] == "20261122"  # the seed is text, as given
    assert items["求解状态"][0].startswith("最优")
    assert items["目标项：均衡"][0] == "3 × 10 = 30"
    assert items["抽签已最优"][0] == "是"
    assert items["质量评估（R8）"] == ("郑宇（X4）", "连续两轮末位，暂停担任组长")
    assert "OR-Tools" in items and "crossinspect" in items
    for name in ("编组方式", "回避层级", "每组人数", "抽签种子", "权重.均衡"):
        assert f"规则：{name}" in items
    assert items["规则：编组方式"][0] == "推磨式"
    assert items["规则：每组人数"][0] == "3人"
    assert items["规则：单一循环"][0] == "是"
    # What people read, not the machine-readable record in the hidden columns.
    values = [str(v) for r in ws.iter_rows(max_col=RECORD_COLUMN - 1, values_only=True) for v in r if v is not None]
    assert not [v for v in values if v in ("true", "false") or v.startswith(("[", "{"))]
    assert all(ws.column_dimensions[get_column_letter(RECORD_COLUMN + k)].hidden for k in (0, 1))


def test_rotation_sheet_has_arcs_and_picture(three_counties_rotation: Any) -> None:
    """轮换 lists the cycle's arcs (derived from the seats when the plan has none) and a PNG."""
    case = three_counties_rotation
    ws = build_roster(case.problem, case.plan)["轮换"]
    hrow = header_row_of(ws, "序号")
    rows = data_rows(ws, hrow)
    arcs = {(r[1], r[2]) for r in rows}
    assert arcs == {("漳浦县", "芗城区"), ("芗城区", "龙文区"), ("龙文区", "漳浦县")}
    assert len(ws._images) == 1


def test_rotation_picture_needs_no_system_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cycle PNG draws every county name with the shipped font alone (no missing glyph)."""
    import io

    from PIL import Image

    from crossinspect.domain.plan import Arc
    from crossinspect.io import rotation_chart

    # No installed font may stand in: what the picture shows comes from the shipped file.
    monkeypatch.setattr(rotation_chart, "_FALLBACK_FILES", ())
    names = [
        "芗城区",
        "龙文区",
        "龙海区",
        "长泰区",
        "漳浦县",
        "云霄县",
        "诏安县",
        "东山县",
        "南靖县",
        "平和县",
        "华安县",
        "鼓楼区",
        "晋江市",
        "鲤城区",
    ]
    title = "推磨式轮换示意图"
    assert rotation_chart.missing_chars("".join(names) + title + "Rotation cycle—") == ""
    arcs = [
        Arc(source=str(k), dest=str((k + 1) % len(names)), source_name=names[k], dest_name=names[(k + 1) % len(names)])
        for k in range(len(names))
    ]
    png = rotation_chart.rotation_png(arcs, title=title)
    fonts = {font.path for name in names for _, font in rotation_chart._runs(name, 30)}
    assert fonts == {str(rotation_chart.font_path())}
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.width >= 600


# ---- printing ----------------------------------------------------------------------------


def test_print_setup_is_a4_fitted_with_titles_and_page_numbers(three_counties_rotation: Any, write: Any) -> None:
    """Every sheet: A4, one page wide, repeated title rows, page numbers in the footer."""
    wb = openpyxl.load_workbook(write(three_counties_rotation))
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows, ws.title
        # GB/T 9704 page numbers, each sheet from 1
        assert ws.oddFooter.center.text == "— &P —", ws.title
        assert ws.page_setup.firstPageNumber == 1 and ws.page_setup.useFirstPageNumber, ws.title
    assert wb["第一组"].page_setup.orientation == "portrait"
    assert wb["第一组"].print_title_rows == "$1:$3"


def test_fonts_and_column_widths(stroke_team: Any, write: Any) -> None:
    """Body cells use 仿宋, titles 2号 小标宋 (GB/T 9704), headers bold 黑体, and columns are wide
    enough for their text."""
    ws = openpyxl.load_workbook(write(stroke_team))["第一组"]
    assert ws["A1"].font.name == "方正小标宋简体" and ws["A1"].font.size == 22
    assert ws["A3"].font.name == "黑体" and ws["A3"].font.bold
    assert ws["B5"].font.name == "仿宋"
    assert ws["B5"].border.left.style == "thin"
    # 毛泽东: three CJK characters, six display columns.
    assert ws.column_dimensions["B"].width >= 6


# ---- LibreOffice ------------------------------------------------------------------------


def test_roster_converts_to_a_readable_pdf(three_counties_rotation: Any, write: Any, tmp_path: Path) -> None:
    """LibreOffice prints the roster: at least a page per visible sheet, Chinese text extractable."""
    roster = write(three_counties_rotation)
    pages = pdf_pages(to_pdf(roster, tmp_path))
    wb = openpyxl.load_workbook(roster)
    assert len(pages) >= len([ws for ws in wb.worksheets if ws.sheet_state == "visible"])
    text = "".join(pages)
    for needle in ("编组总表", "第一组人员名单", "回避审查表", "推磨式轮换", "运行信息", "黄磊"):
        assert needle in text
