"""Reading a roster back, as written and after the office edited it by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.domain.errors import InputError
from crossinspect.domain.plan import Plan
from crossinspect.io.roster_reader import read_plan


def seat_set(plan: Plan) -> set[tuple[str, str, str, str]]:
    return {(s.team_id, s.target_id, s.cadre_id, s.role.value) for s in plan.seats()}


def edit(path: Path, change: Any) -> Path:
    """Open the roster, let ``change`` edit the workbook, save it in place."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def assignment_row(wb: Any, cadre_id: str) -> int:
    ws = wb["assignments"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=3).value == cadre_id)


def team_row(ws: Any, name: str) -> int:
    return next(r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=2).value == name)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip(three_counties_rotation: Any, write: Any, lang: str) -> None:
    """Writing a plan and reading it back gives the same seats, in either language."""
    case = three_counties_rotation
    plan = read_plan(write(case, lang=lang), case.problem)
    assert seat_set(plan) == seat_set(case.plan)
    assert [t.team_id for t in plan.teams] == ["1", "2", "3"]


def test_round_trip_with_local_roles(mixed_two_targets: Any, write: Any) -> None:
    """Liaisons read back as liaisons."""
    case = mixed_two_targets
    assert seat_set(read_plan(write(case), case.problem)) == seat_set(case.plan)


def test_swapped_ids_in_assignments(three_counties_rotation: Any, write: Any) -> None:
    """Swapping two cadre_id cells swaps the two people."""
    case = three_counties_rotation

    def swap(wb: Any) -> None:
        ws = wb["assignments"]
        a, b = assignment_row(wb, "X3"), assignment_row(wb, "Z3")
        ws.cell(row=a, column=3).value, ws.cell(row=b, column=3).value = "Z3", "X3"

    plan = read_plan(edit(write(case), swap), case.problem)
    assert ("2", "T2", "Z3", "member") in seat_set(plan)
    assert ("1", "T1", "X3", "member") in seat_set(plan)


def test_ids_read_back_are_normalised(three_counties_rotation: Any, write: Any) -> None:
    """A cadre_id retyped with a right-to-left mark or in full width is the same person."""
    case = three_counties_rotation

    def retype(wb: Any) -> None:
        ws = wb["assignments"]
        ws.cell(row=assignment_row(wb, "X3"), column=3).value = "X3\u200f"
        ws.cell(row=assignment_row(wb, "Z3"), column=3).value = "Ｚ３"

    assert seat_set(read_plan(edit(write(case), retype), case.problem)) == seat_set(case.plan)


def test_pasted_second_seat_of_one_person_is_caught(three_counties_rotation: Any, write: Any) -> None:
    """A row pasted into assignments giving X1 (with a soft hyphen) a second team is read as
    X1 twice, and the verifier refuses it."""
    from crossinspect.verify import verify

    case = three_counties_rotation

    def paste(wb: Any) -> None:
        wb["assignments"].append([3, "T3", "X\u00ad1", "member"])

    plan = read_plan(edit(write(case), paste), case.problem)
    assert ("3", "T3", "X1", "member") in seat_set(plan)
    assert any(v.rule == "R6" and "X1" in v.en for v in verify(case.problem, plan))


def test_moved_row_with_team_only(three_counties_rotation: Any, write: Any) -> None:
    """Changing team_id and clearing target_id moves the person; target_id is derived."""
    case = three_counties_rotation

    def move(wb: Any) -> None:
        ws = wb["assignments"]
        r = assignment_row(wb, "X3")
        ws.cell(row=r, column=1).value = 3
        ws.cell(row=r, column=2).value = None

    plan = read_plan(edit(write(case), move), case.problem)
    assert ("3", "T3", "X3", "member") in seat_set(plan)


def test_team_and_target_that_disagree_are_refused(three_counties_rotation: Any, write: Any) -> None:
    """A row saying team 3 but target T1 is ambiguous: refused, naming the cell."""
    case = three_counties_rotation
    path = edit(
        write(case), lambda wb: setattr(wb["assignments"].cell(row=assignment_row(wb, "X3"), column=1), "value", "3")
    )
    with pytest.raises(InputError) as info:
        read_plan(path, case.problem)
    issue = info.value.issues[0]
    assert issue.code == "team-target-mismatch"
    assert (issue.sheet, issue.column) == ("assignments", "target_id")
    assert issue.row is not None and issue.file == str(path)


def test_unknown_cadre_id_names_file_sheet_row_column(three_counties_rotation: Any, write: Any) -> None:
    """An id not in the input is an input error located at its cell."""
    case = three_counties_rotation
    holder: dict[str, int] = {}

    def typo(wb: Any) -> None:
        holder["row"] = assignment_row(wb, "X3")
        wb["assignments"].cell(row=holder["row"], column=3).value = "X99"

    path = edit(write(case), typo)
    with pytest.raises(InputError) as info:
        read_plan(path, case.problem)
    issue = info.value.issues[0]
    assert issue.code == "unknown-cadre"
    assert (issue.file, issue.sheet, issue.row, issue.column) == (str(path), "assignments", holder["row"], "cadre_id")
    assert "X99" in issue.render("zh")


def test_unreadable_file_is_an_input_error(three_counties_rotation: Any, tmp_path: Path) -> None:
    """A file that is no workbook, or no file at all, is an InputError naming it."""
    junk = tmp_path / "roster.xlsx"
    junk.write_text("not a workbook")
    for path in (junk, tmp_path / "missing.xlsx"):
        with pytest.raises(InputError) as info:
            read_plan(path, three_counties_rotation.problem)
        assert info.value.issues[0].file == str(path)


def test_team_sheet_fallback_without_assignments(three_counties_rotation: Any, write: Any) -> None:
    """With the assignments sheet deleted, the plan is read from 第一组, 第二组 …."""
    case = three_counties_rotation
    path = edit(write(case), lambda wb: wb.remove(wb["assignments"]))
    assert seat_set(read_plan(path, case.problem)) == seat_set(case.plan)


def test_team_sheet_fallback_with_empty_assignments(mixed_two_targets: Any, write: Any) -> None:
    """An assignments sheet with only its header counts as missing."""
    case = mixed_two_targets

    def empty(wb: Any) -> None:
        ws = wb["assignments"]
        ws.delete_rows(2, ws.max_row)

    assert seat_set(read_plan(edit(write(case), empty), case.problem)) == seat_set(case.plan)


def test_edit_of_team_sheets_only_is_read(three_counties_rotation: Any, write: Any) -> None:
    """Moving 王强 from 第二组 to 第三组 on the team sheets alone is what read_plan returns."""
    case = three_counties_rotation

    def move(wb: Any) -> None:
        src, dst = wb["第二组"], wb["第三组"]
        r = team_row(src, "王强")
        values = [c.value for c in src[r]]
        src.delete_rows(r)
        dst.append(values)

    plan = read_plan(edit(write(case), move), case.problem)
    assert ("3", "T3", "X3", "member") in seat_set(plan)
    assert all(s.cadre_id != "X3" for s in plan.teams[1].seats)


def test_both_copies_edited_differently_are_refused(three_counties_rotation: Any, write: Any) -> None:
    """If assignments and team sheets were both changed and disagree, nothing is guessed."""
    case = three_counties_rotation

    def both(wb: Any) -> None:
        ws = wb["assignments"]
        r = assignment_row(wb, "X3")
        ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value = "1", "T1"
        src = wb["第二组"]
        src.delete_rows(team_row(src, "王强"))

    with pytest.raises(InputError) as info:
        read_plan(edit(write(case), both), case.problem)
    assert info.value.issues[0].code == "roster-disagrees"


def test_unknown_name_on_a_team_sheet(three_counties_rotation: Any, write: Any) -> None:
    """A name typed on a team sheet that is not in the input is located at its cell."""
    case = three_counties_rotation

    def typo(wb: Any) -> None:
        wb.remove(wb["assignments"])
        ws = wb["第一组"]
        ws.cell(row=team_row(ws, "吴刚"), column=2).value = "吴钢"

    with pytest.raises(InputError) as info:
        read_plan(edit(write(case), typo), case.problem)
    issue = info.value.issues[0]
    assert (issue.sheet, issue.column, issue.code) == ("第一组", "姓名", "unknown-cadre")
