"""Rules keys are strictly typed, and a bad value is reported where it was written (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crossinspect.domain.errors import InputError, Issue
from crossinspect.domain.rules import Rules
from crossinspect.io.rules_reader import merge_rules, parse_sheet_rows, read_rules_toml


def problems(*layers: dict[str, Any]) -> list[Issue]:
    with pytest.raises(InputError) as info:
        merge_rules(*layers, file="rules.toml")
    return info.value.issues


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("seed", True),  # a boolean where text or a number is expected
        ("leaders", False),
        ("min_women", True),
        ("time_limit", True),
        ("team_size", [True, 7]),
        ("title", True),  # a boolean where text is expected
        ("leader_min_rank", False),
        ("rank_order", ["正处", True]),
        ("required_skills", {"纪检监察": True}),
        ("weights", {"balance": True}),
    ],
)
def test_boolean_is_not_a_number_or_text(key: str, value: Any) -> None:
    """true/false is never read as 1/0 or as text: an error naming the key and the value."""
    (issue,) = problems({key: value})
    assert issue.code == "bad-rule"
    assert key in issue.zh and key in issue.en
    assert "true" in issue.en or "false" in issue.en


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("leaders", 1.0),  # a whole float is not quietly an int
        ("time_limit", "60"),
        ("single_cycle", 1),  # a number where true/false is expected
        ("forbid_reciprocal", "yes"),
        ("title", 2024),
        ("local_roles", 3),
    ],
)
def test_lax_values_are_errors(key: str, value: Any) -> None:
    """Values pydantic would convert in lax mode are errors naming the key."""
    (issue,) = problems({key: value})
    assert issue.code == "bad-rule" and f"'{key}'" in issue.en


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("required_skills", {"": 1}),
        ("required_skills", {"  ": 1}),
        ("rank_order", ["正处", ""]),
    ],
)
def test_empty_names_are_errors(key: str, value: Any) -> None:
    """An empty skill or rank name is an error, not a skill nobody has."""
    (issue,) = problems({key: value})
    assert "empty" in issue.en and key in issue.en


def test_proper_values_still_read() -> None:
    """Integers for floats, single counts for ranges and role names stay accepted."""
    rules = merge_rules(
        {"time_limit": 5, "team_size": 6, "local_roles": "联络员", "required_skills": {" 财务 ": 1}, "seed": 7}
    )
    assert rules.time_limit == 5.0 and rules.team_size == (6, 6)
    assert rules.required_skills == {"财务": 1} and rules.seed == "7"  # a number is its text


def test_toml_errors_name_the_line(tmp_path: Path) -> None:
    """A bad value in a rules file is reported at its line, inside [weights] too."""
    path = tmp_path / "rules.toml"
    path.write_text('title = "x"\n\nseed = true\n\n[weights]\nbalance = 1.5\n', encoding="utf-8")
    found = problems(read_rules_toml(path))
    assert sorted((Path(i.file or "").name, i.row) for i in found) == [("rules.toml", 3), ("rules.toml", 6)]
    assert any("weights.balance" in i.en for i in found)


def test_sheet_errors_name_the_row() -> None:
    """A bad value on the 规则 sheet is reported at its row and the value column; a later
    layer that sets the key takes the blame only for its own value."""
    sheet = parse_sheet_rows((("team_size", "[3, 3]", 2), ("seed", "true", 3), ("title", "2024", 4)), file="in.xlsx")
    (issue,) = problems(sheet)
    assert (issue.file, issue.sheet, issue.row, issue.column) == ("in.xlsx", "规则", 3, "值")
    assert merge_rules(sheet, {"seed": 5}).title == "2024"  # a title cell of 2024 is text


def test_cli_types_are_accepted() -> None:
    """The values the command line and the defaults give validate."""
    assert Rules.model_validate(Rules().model_dump()) == Rules()
    assert merge_rules({"seed": 3, "time_limit": 2.5, "workers": 1, "strict": True}).strict
