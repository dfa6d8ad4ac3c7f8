"""Privacy (issue 7): no network, no personal data in logs, and redacted rosters.

docs/privacy.md lists what personal data the tool reads and where it writes it;
these tests hold the code to that page.
"""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect import solve
from crossinspect.domain.plan import SolveResult
from crossinspect.io.load import load_problem
from crossinspect.io.redact import mask_id, redact_data, redact_workbook, write_redacted_roster
from crossinspect.io.roster import SHEET_ASSIGNMENTS, SHEET_RUN, write_roster
from crossinspect.problem import Problem
from crossinspect.verify import verify
from factories import run_cli

ROOT = Path(__file__).resolve().parents[1]
ROTATION = ROOT / "data" / "examples" / "rotation" / "input.xlsx"
ROTATION_RULES = ROOT / "data" / "examples" / "rotation" / "rules.toml"
SMALL = ROOT / "tests" / "data" / "bad" / "ok.xlsx"
SMALL_RULES = ROOT / "tests" / "data" / "bad" / "base.toml"

run = run_cli


@pytest.fixture(scope="module")
def rotation() -> tuple[Problem, SolveResult]:
    problem = load_problem(ROTATION, rules_file=ROTATION_RULES)
    result = solve(problem, time_limit=20)
    assert result.plan is not None and not result.violations
    return problem, result


# ---- nothing goes over the network ---------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way of opening a network connection fail loudly, and record attempts."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise AssertionError(f"network use during a crossinspect run: {name}{args!r}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_blocker_works(no_network: list[str]) -> None:
    """The guard itself: a connection attempt is caught (so the tests below mean something)."""
    with pytest.raises(AssertionError):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    assert no_network


def test_whole_pipeline_opens_no_socket(tmp_path: Path, no_network: list[str]) -> None:
    """template, example, check, solve (roster + JSON), verify: not one connection attempt."""
    assert run("template", tmp_path / "模板.xlsx")[0] == 0
    assert run("example", tmp_path / "ex")[0] == 0
    assert run("check", SMALL, "--rules", SMALL_RULES)[0] == 0
    roster = tmp_path / "roster.xlsx"
    code, text = run("solve", SMALL, "--rules", SMALL_RULES, "-o", roster, "--json", tmp_path / "roster.json")
    assert code == 0, text
    assert run("verify", SMALL, roster, "--rules", SMALL_RULES)[0] == 0
    assert no_network == []


# ---- logs and console hold no personal data ---------------------------------------------


def test_library_logs_and_prints_nothing_personal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """At DEBUG level, reading, solving, writing and verifying log no name or id, and print nothing."""
    with caplog.at_level(logging.DEBUG):
        problem = load_problem(SMALL, rules_file=SMALL_RULES)
        result = solve(problem, workers=1)
        assert result.plan is not None
        write_roster(problem, result, tmp_path / "r.xlsx")
        verify(problem, result.plan)
    personal = [c.name for c in problem.cadres] + [c.id for c in problem.cadres]
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert [p for p in personal if p in logged] == []
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # the library never prints (SPEC §6)


def test_library_defines_no_logging_handlers() -> None:
    """No handler or file log is set up on import: nothing is written to a log by default."""
    import crossinspect  # noqa: F401

    for name, logger in logging.Logger.manager.loggerDict.items():
        if name.startswith("crossinspect") and isinstance(logger, logging.Logger):
            assert not logger.handlers


# ---- redaction ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cid", "masked"),
    [
        ("ZZ001", "Z***1"),
        ("110101199001011234", "1" + "*" * 16 + "4"),
        ("001", "0*1"),
        ("C1", "**"),
        ("7", "*"),
        ("", ""),
        ("张三丰", "张*丰"),
    ],
)
def test_mask_id(cid: str, masked: str) -> None:
    """First and last character kept; ids of two characters or fewer masked whole."""
    assert mask_id(cid) == masked


def _all_text(path: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    return [
        (ws.title, str(c.value)) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]


def test_redacted_roster_masks_every_id(tmp_path: Path, rotation: tuple[Problem, SolveResult]) -> None:
    """No cadre id survives anywhere in a redacted roster; names and teams do."""
    problem, result = rotation
    plain = write_roster(problem, result, tmp_path / "plain.xlsx")
    redacted = write_redacted_roster(problem, result, tmp_path / "redacted.xlsx")
    ids = {c.id for c in problem.cadres}
    plain_text = _all_text(plain)
    # the unredacted roster has ids (assignments, and the R8 sanction in 运行信息) …
    assert any(v in ids for _, v in plain_text)
    assert any(s == SHEET_RUN and any(f"（{i}）" in v for i in ids) for s, v in plain_text)
    # … the redacted one has none, not even inside text
    leaks = [(s, v) for s, v in _all_text(redacted) if any(i in v for i in ids)]
    assert leaks == []
    wb = openpyxl.load_workbook(redacted)
    seated = [c.value for c in next(wb[SHEET_ASSIGNMENTS].iter_cols(min_col=3, max_col=3, min_row=2))]
    assert sorted(seated) == sorted(mask_id(s.cadre_id) for s in result.plan.seats())  # type: ignore[union-attr]
    names = {v for _, v in _all_text(redacted)}
    seated_names = {problem.cadres[problem.cadre_index[s.cadre_id]].name for s in result.plan.seats()}  # type: ignore[union-attr]
    assert all(any(n in v for v in names) for n in seated_names)
    assert any("已脱敏" in v for _, v in _all_text(redacted))


def test_redacted_roster_is_not_taken_for_the_real_one(tmp_path: Path, rotation: tuple[Problem, SolveResult]) -> None:
    """verify on a redacted roster never passes it off as checked against ids: no crash either."""
    problem, result = rotation
    redacted = write_redacted_roster(problem, result, tmp_path / "redacted.xlsx")
    code, text = run("verify", ROTATION, redacted, "--rules", ROTATION_RULES)
    assert code in (0, 1, 2) and "Traceback" not in text


def test_redact_workbook_leaves_numbers_alone(rotation: tuple[Problem, SolveResult]) -> None:
    """Ids such as 1, 2, 3 must not mask team numbers and counts that happen to be equal."""
    from crossinspect.io.roster import build_roster

    problem, result = rotation
    wb = build_roster(problem, result)
    before = {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if ws.title != SHEET_ASSIGNMENTS
    }
    redact_workbook(wb, [str(k) for k in range(1, 100)])
    after = {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if ws.title != SHEET_ASSIGNMENTS
    }
    changed = [k for k in before if before[k] != after.get(k)]
    assert changed == []


def test_redact_json(rotation: tuple[Problem, SolveResult]) -> None:
    """The JSON of a result, redacted: no id left, structure kept."""
    problem, result = rotation
    data = result.model_dump(mode="json", exclude={"explanation"})
    out = redact_data(data, [c.id for c in problem.cadres])
    text = json.dumps(out, ensure_ascii=False)
    assert not any(f'"{c.id}"' in text for c in problem.cadres)
    assert len(out["plan"]["teams"]) == len(data["plan"]["teams"])
