"""--json on every command (issue 18): one document whatever the outcome, carrying the status,
errors, warnings, plan, input checksum, rules and versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from crossinspect.io.load import load_problem
from crossinspect.io.result_json import KEYS, input_checksum
from factories import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
IN = EXAMPLES / "rotation" / "input.xlsx"
RULES = EXAMPLES / "rotation" / "rules.toml"
BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def document(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data)[: len(KEYS)] == list(KEYS)
    assert data["versions"]["crossinspect"] and data["versions"]["ortools"]
    return data


def test_check_ok(tmp_path: Path) -> None:
    """check --json: status ok, the input's checksum as the roster prints it, every rule."""
    out = tmp_path / "check.json"
    code, _ = run_cli("check", IN, "--rules", RULES, "--json", out)
    assert code == 0
    data = document(out)
    problem = load_problem(IN, rules_file=RULES)
    assert data["status"] == "ok" and data["input_sha256"] == problem.book.sha256
    assert data["rules"] == problem.rules.model_dump(mode="json")
    assert data["seed"] == "20261122" and data["plan"] is None and data["findings"] == []
    assert {w["code"] for w in data["warnings"]} == {w.code for w in problem.warnings}


def test_check_bad_input(tmp_path: Path) -> None:
    """A bad cell: exit 2, and the document names it by file, sheet, row and column."""
    out = tmp_path / "check.json"
    code, _ = run_cli("check", BAD / "bad_gender.xlsx", "--rules", BAD / "base.toml", "--json", out)
    assert code == 2
    data = document(out)
    assert data["status"] == "bad-input" and data["errors"]
    error = data["errors"][0]
    assert {"file", "sheet", "row", "column", "zh", "en", "code"} <= set(error)
    assert error["sheet"] == "干部" and error["row"] and error["column"]
    assert data["input_sha256"] == input_checksum(BAD / "bad_gender.xlsx")
    assert data["rules"]["title"] == "坏输入样例（第7号议题）"


def test_bad_rules_leave_the_rules_null(tmp_path: Path) -> None:
    """When the rules themselves are bad there are no rules in force to report."""
    out = tmp_path / "check.json"
    code, _ = run_cli("check", BAD / "ok.xlsx", "--rules", BAD / "rules" / "rules-typo.toml", "--json", out)
    assert code == 2
    data = document(out)
    assert data["rules"] is None and data["errors"][0]["code"] == "unknown-rule" and data["input_sha256"]


def test_infeasible_solve_writes_its_json(tmp_path: Path) -> None:
    """An infeasible solve writes the document too: status, the explanation, no plan."""
    out = tmp_path / "solve.json"
    code, _ = run_cli(
        "solve",
        BAD / "ok.xlsx",
        "--rules",
        BAD / "rules" / "rules-team-larger-than-pool.toml",
        "-o",
        tmp_path / "r.xlsx",
        "--json",
        out,
    )
    assert code == 1
    data = document(out)
    assert data["status"] == "infeasible" and data["plan"] is None
    assert data["explanation"]["zh"] and data["explanation"]["findings"]
    assert data["rules"]["team_size"] == [30, 30]


def test_solve_verify_replan_render(tmp_path: Path) -> None:
    """solve, verify, replan and render each write the document with the plan and status."""
    roster, solved = tmp_path / "名单.xlsx", tmp_path / "solve.json"
    assert run_cli("solve", IN, "--rules", RULES, "-o", roster, "--json", solved, "--no-alternates")[0] == 0
    data = document(solved)
    assert data["status"] in ("optimal", "feasible") and data["plan"]["teams"]
    assert data["objective"] is not None and data["terms"] and "runtime" in data and "lottery" in data

    checked = tmp_path / "verify.json"
    assert run_cli("verify", IN, roster, "--rules", RULES, "--json", checked)[0] == 0
    data = document(checked)
    assert data["status"] == "clean" and data["violations"] == [] and data["plan"]["teams"]

    leaver = data["plan"]["teams"][0]["seats"][-1]["cadre_id"]
    replanned = tmp_path / "replan.json"
    code, text = run_cli(
        "replan",
        IN,
        roster,
        "--drop",
        leaver,
        "-o",
        tmp_path / "新.xlsx",
        "--rules",
        RULES,
        "--json",
        replanned,
        "--no-alternates",
    )
    assert code == 0, text
    data = document(replanned)
    assert any(c["cadre_id"] == leaver and c["kind"] == "left" for c in data["changes"])
    assert data["changed_seats"] >= 1

    rendered = tmp_path / "render.json"
    assert run_cli("render", IN, roster, "--rules", RULES, "-o", tmp_path / "重写.xlsx", "--json", rendered)[0] == 0
    data = document(rendered)
    assert data["status"] == "clean" and data["edited"] is False


def test_json_never_over_an_input(tmp_path: Path) -> None:
    """--json naming the rules file is refused before any work, even with --force."""
    rules = tmp_path / "rules.toml"
    shutil.copy(RULES, rules)
    before = rules.read_bytes()
    code, _ = run_cli("check", IN, "--rules", rules, "--json", rules, "--force")
    assert code == 2 and rules.read_bytes() == before


@pytest.mark.parametrize("source", ["ok.xlsx", "ok_csv"])
def test_checksum_is_the_readers(source: str) -> None:
    """The checksum computed for an unreadable input is the one the reader gives a good one."""
    problem = load_problem(BAD / source, rules_file=BAD / "base.toml")
    assert input_checksum(BAD / source) == problem.book.sha256


def test_redacted_json_masks_ids_in_messages_too(tmp_path: Path) -> None:
    """solve --redact --json: no cadre id is left, whether a value or quoted in a message."""
    from crossinspect.io.redact import redact_messages

    data = {"warnings": [{"zh": "干部编号「ZZ064」不在干部表中", "en": "王五 (ZZ064) left"}], "cadre_id": "ZZ064"}
    assert "ZZ064" not in json.dumps(redact_messages(data, ["ZZ064"]), ensure_ascii=False)
    out = tmp_path / "solve.json"
    code, _ = run_cli(
        "solve", IN, "--rules", RULES, "-o", tmp_path / "r.xlsx", "--json", out, "--redact", "--no-alternates"
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    ids = [c.id for c in load_problem(IN, rules_file=RULES).cadres]
    assert [i for i in ids if f'"{i}"' in text or f"（{i}）" in text or f"「{i}」" in text] == []
