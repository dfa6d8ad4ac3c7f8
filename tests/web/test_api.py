"""The HTTP API (SPEC §7) as another tool would call it."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from starlette.testclient import TestClient

import crossinspect as ci
from crossinspect.io.roster_reader import read_plan
from crossinspect.io.rules_reader import rules_from_toml
from crossinspect.io.run_record import read_record
from factories import run_cli
from web_helpers import BROKEN_ROW, MIXED, ROTATION, assignments

FINISHED = {"done", "infeasible", "failed", "stopped"}


def upload(**paths: Path | None) -> dict[str, tuple[str, bytes]]:
    return {field: (path.name, path.read_bytes()) for field, path in paths.items() if path is not None}


def wait(client: TestClient, job: str, *, until: set[str] = FINISHED, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/api/jobs/{job}").json()
        if state["status"] in until:
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {job} still {state['status']} after {timeout} s")


def solve(client: TestClient, workbook: Path, rules: Path | None, **fields: Any) -> dict[str, Any]:
    answer = client.post(
        "/api/solve", files=upload(workbook=workbook, rules=rules), data={k: str(v) for k, v in fields.items()}
    )
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] in ("queued", "running")
    return wait(client, answer.json()["job"])


@pytest.fixture(scope="module")
def cli_rosters(tmp_path_factory: pytest.TempPathFactory) -> dict[int | None, list[tuple[str, ...]]]:
    """The command line's rosters of the rotation example, with its own seed and with seed 4242."""
    out: dict[int | None, list[tuple[str, ...]]] = {}
    folder = tmp_path_factory.mktemp("cli")
    for seed in (None, 4242):
        path = folder / f"roster-{seed}.xlsx"
        args = ["solve", ROTATION / "input.xlsx", "--rules", ROTATION / "rules.toml", "-o", path]
        code, text = run_cli(*args, *(["--seed", seed] if seed is not None else []))
        assert code == 0, text
        out[seed] = assignments(path)
    return out


def test_check_example_answers_summary(client: TestClient) -> None:
    """check on the example: ok, no errors, and the pools the CLI's check prints."""
    answer = client.post("/api/check", files=upload(workbook=ROTATION / "input.xlsx", rules=ROTATION / "rules.toml"))
    assert answer.status_code == 200
    data = answer.json()
    assert data["ok"] is True and data["errors"] == [] and data["findings"] == []
    summary = data["summary"]
    assert (summary["cadres"], summary["counties"], summary["targets"]) == (99, 11, 11)
    assert summary["mode"] == "rotation" and summary["seed"] == "20261122"
    problem = ci.load_problem(ROTATION / "input.xlsx", rules_file=ROTATION / "rules.toml")
    assert summary["effort"] == problem.rules.effort and summary["time_limit"] == problem.rules.time_limit
    assert sum(p["cadres"] for p in summary["pools"]) == 99
    assert any(s["cadre_id"] == "ZZ064" for s in summary["sanctions"])


def test_check_bad_input_is_200_and_names_the_cell(client: TestClient, broken_workbook: Path) -> None:
    """A broken workbook: 200 with ok false, the error naming file, sheet, row and column."""
    data = client.post("/api/check", files=upload(workbook=broken_workbook)).json()
    assert data["ok"] is False and data["summary"] is None
    errors = [e for e in data["errors"] if e["code"] == "bad-gender"]
    assert errors == [
        {
            "file": broken_workbook.name,
            "sheet": "干部",
            "row": BROKEN_ROW,
            "column": "性别",
            "message": "不认识的性别「其他」，应为 男 或 女",
            "code": "bad-gender",
        }
    ]
    english = client.post("/api/check?lang=en", files=upload(workbook=broken_workbook)).json()
    assert "男 or 女" in english["errors"][0]["message"] or "gender" in english["errors"][0]["message"].lower()


def test_check_without_a_workbook_is_bad_input(client: TestClient) -> None:
    data = client.post("/api/check", files=upload(rules=ROTATION / "rules.toml")).json()
    assert data["ok"] is False and data["errors"][0]["column"] == "workbook"


def test_check_reports_precheck_findings(client: TestClient, infeasible_rules: Path) -> None:
    """Valid input whose rules admit no roster: ok false, no input errors, the pre-check's finding."""
    data = client.post("/api/check", files=upload(workbook=ROTATION / "input.xlsx", rules=infeasible_rules)).json()
    assert data["ok"] is False and data["errors"] == []
    assert data["summary"] is not None
    assert any("纪检监察" in f["message"] for f in data["findings"])


def test_solve_through_the_api_gives_the_cli_roster(client: TestClient, cli_rosters: dict) -> None:
    """The same input, rules and seed give, seat for seat, the roster the command line writes."""
    state = solve(client, ROTATION / "input.xlsx", ROTATION / "rules.toml", seed=4242)
    assert state["status"] == "done", state
    assert state["result"]["seed"] == "4242" and state["result"]["status"] == "optimal"
    roster = client.get(state["roster"])
    assert roster.status_code == 200
    assert roster.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert assignments(roster.content) == cli_rosters[4242]
    assert assignments(roster.content) != cli_rosters[None]  # the seed did change the draw


def test_a_text_seed_and_an_effort_are_taken_as_the_command_line_takes_them(client: TestClient, tmp_path: Path) -> None:
    """seed is text, verbatim ("007" is not 7); effort is the search effort: the same roster as
    ``crossinspect solve --seed 007 --effort 5``, and the result reports both."""
    state = solve(client, ROTATION / "input.xlsx", ROTATION / "rules.toml", seed="007", effort="5")
    assert state["status"] == "done", state
    result = state["result"]
    assert result["seed"] == "007" and result["effort"] == 5.0
    assert 0 < result["effort_used"] <= 5.0 and result["first_roster_s"] is not None
    assert result["reproducible"] is True and result["not_reproducible"] == ""
    cli = tmp_path / "cli.xlsx"
    args = ["--rules", ROTATION / "rules.toml", "-o", cli, "--seed", "007", "--effort", "5"]
    code, text = run_cli("solve", ROTATION / "input.xlsx", *args)
    assert code == 0, text
    assert assignments(client.get(state["roster"]).content) == assignments(cli)


def test_two_jobs_at_once_do_not_interfere(client: TestClient, cli_rosters: dict) -> None:
    """Two solves running side by side each give the roster of their own seed."""
    jobs = {}
    for seed in (None, 4242):
        fields = {"seed": str(seed)} if seed is not None else {}
        answer = client.post(
            "/api/solve", files=upload(workbook=ROTATION / "input.xlsx", rules=ROTATION / "rules.toml"), data=fields
        )
        jobs[seed] = answer.json()["job"]
    assert jobs[None] != jobs[4242]
    for seed, job in jobs.items():
        state = wait(client, job)
        assert state["status"] == "done"
        assert assignments(client.get(state["roster"]).content) == cli_rosters[seed]


def test_roster_verifies_and_an_edit_is_caught(client: TestClient, tmp_path: Path) -> None:
    """verify: the solved roster is clean; with its leader made a member, the rule is named."""
    state = solve(client, ROTATION / "input.xlsx", ROTATION / "rules.toml")
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(client.get(state["roster"]).content)
    files = upload(workbook=ROTATION / "input.xlsx", rules=ROTATION / "rules.toml", roster=roster)
    data = client.post("/api/verify", files=files).json()
    assert data == {"ok": True, "errors": [], "warnings": [], "violations": [], "teams": 11, "seats": 57}

    wb = openpyxl.load_workbook(roster)
    ws = wb["assignments"]
    leader = next(r for r in ws.iter_rows(min_row=2) if r[3].value == "leader")
    leader[3].value = "member"
    edited = tmp_path / "改过的名单.xlsx"
    wb.save(edited)
    files = upload(workbook=ROTATION / "input.xlsx", rules=ROTATION / "rules.toml", roster=edited)
    data = client.post("/api/verify", files=files).json()
    assert data["ok"] is False and data["errors"] == []
    assert any(v["rule"] == "R6" and "组长" in v["message"] for v in data["violations"])

    rendered = client.post("/api/render", files=files).json()
    assert rendered["ok"] is False and rendered["file"]  # written, its violations printed on it
    # The rewritten sheets all show the plan: only the broken rules remain.
    assert any(v["rule"] == "PLAN" for v in data["violations"])
    assert rendered["violations"] == [v for v in data["violations"] if v["rule"] != "PLAN"]


def test_render_rewrites_a_clean_roster(client: TestClient, tmp_path: Path) -> None:
    """render: a clean roster comes back rewritten, with the same seats, and still verifies."""
    state = solve(client, ROTATION / "input.xlsx", ROTATION / "rules.toml")
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(client.get(state["roster"]).content)
    files = upload(workbook=ROTATION / "input.xlsx", rules=ROTATION / "rules.toml", roster=roster)
    data = client.post("/api/render", files=files).json()
    assert data["ok"] is True and data["filename"] == "名单-重新生成.xlsx"
    rewritten = client.get(data["file"])
    assert rewritten.status_code == 200
    assert sorted(assignments(rewritten.content)) == sorted(assignments(roster))
    problem = ci.load_problem(ROTATION / "input.xlsx", rules_file=ROTATION / "rules.toml")
    path = tmp_path / "rewritten.xlsx"
    path.write_bytes(rewritten.content)
    assert ci.verify(problem, read_plan(path, problem)) == []


def _cells(source: Path | bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every value of every sheet of a workbook, hidden ones included."""
    wb = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.fixture(scope="module")
def drawn_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rotation example's roster as ``crossinspect solve`` writes it."""
    path = tmp_path_factory.mktemp("drawn") / "名单.xlsx"
    code, text = run_cli("solve", ROTATION / "input.xlsx", "--rules", ROTATION / "rules.toml", "-o", path)
    assert code == 0, text
    return path


@pytest.mark.parametrize("edit", ["none", "leader-and-move"])
def test_render_gives_the_roster_the_cli_renders(
    client: TestClient, drawn_roster: Path, tmp_path: Path, edit: str
) -> None:
    """The same roster, edited the same way, rendered on the page and by ``crossinspect render``:
    the same plan, the same violations and the same workbook, cell for cell (已人工调整, the
    校验结果 and 变更 sheets included); a roster that breaks rules is written too, as on the
    command line, and says so."""
    wb = openpyxl.load_workbook(drawn_roster)
    if edit != "none":
        rows = list(wb["assignments"].iter_rows(min_row=2))
        leader = next(r for r in rows if r[3].value == "leader")
        leader[3].value = "member"  # R6: that team has no leader now
        mover = next(r for r in rows if r[3].value == "member" and r[0].value != leader[0].value)
        mover[0].value, mover[1].value = leader[0].value, leader[1].value  # moved to the leader's team
    edited = tmp_path / "改过的名单.xlsx"
    wb.save(edited)

    cli, report = tmp_path / "cli" / "重新生成.xlsx", tmp_path / "cli.json"
    code, text = run_cli(
        "render", ROTATION / "input.xlsx", edited, "--rules", ROTATION / "rules.toml", "-o", cli, "--json", report
    )
    cli_json = json.loads(report.read_text("utf-8"))
    files = upload(workbook=ROTATION / "input.xlsx", rules=ROTATION / "rules.toml", roster=edited)
    data = client.post("/api/render", files=files).json()

    assert code == (0 if edit == "none" else 1), text
    assert data["errors"] == [] and data["ok"] is (edit == "none")
    assert [(v["rule"], v["message"], v["team_id"], v["cadre_id"]) for v in data["violations"]] == [
        (v["rule"], v["zh"], v["team_id"], v["cadre_id"]) for v in cli_json["violations"]
    ]
    assert any(v["rule"] == "R6" for v in data["violations"]) is (edit != "none")
    assert data["edited"] is cli_json["edited"] is (edit != "none")
    assert data["changes"] == cli_json["changes"]
    assert [c["kind"] for c in data["changes"]] == ([] if edit == "none" else ["moved", "moved"])
    assert data["filename"] == "改过的名单-重新生成.xlsx"
    web = client.get(data["file"]).content
    problem = ci.load_problem(ROTATION / "input.xlsx", rules_file=ROTATION / "rules.toml")
    web_path = tmp_path / "web.xlsx"
    web_path.write_bytes(web)
    assert set(read_plan(web_path, problem).seats()) == set(read_plan(cli, problem).seats())
    assert _cells(web) == _cells(cli)
    overview = " ".join(str(v) for row in _cells(web)["总表"][:3] for v in row if v)
    assert ("已人工调整" in overview) is (edit != "none")
    assert ("校验结果" in _cells(web)) is (edit != "none")


def test_verify_names_a_sheet_that_disagrees_with_the_plan(
    client: TestClient, drawn_roster: Path, tmp_path: Path
) -> None:
    """A name changed on 总表 only: the page's verify fails the roster as ``crossinspect verify`` does."""
    wb = openpyxl.load_workbook(drawn_roster)
    ws = wb["总表"]
    header = next(r for r in ws.iter_rows() if r[0].value == "组别")
    leader_column = next(c.column for c in header if c.value == "组长")
    cell = ws.cell(row=header[0].row + 1, column=leader_column)
    cell.value = "王不在"
    edited = tmp_path / "总表改过.xlsx"
    wb.save(edited)
    report = tmp_path / "verify.json"
    code, text = run_cli(
        "verify", ROTATION / "input.xlsx", edited, "--rules", ROTATION / "rules.toml", "--json", report
    )
    assert code == 1, text
    files = upload(workbook=ROTATION / "input.xlsx", rules=ROTATION / "rules.toml", roster=edited)
    data = client.post("/api/verify", files=files).json()
    assert data["ok"] is False and data["errors"] == []
    assert [(v["rule"], v["message"]) for v in data["violations"]] == [
        (v["rule"], v["zh"]) for v in json.loads(report.read_text("utf-8"))["violations"]
    ]
    assert any("王不在" in v["message"] for v in data["violations"])


def test_verify_unreadable_roster_is_bad_input(client: TestClient) -> None:
    files = upload(workbook=ROTATION / "input.xlsx", roster=ROTATION / "rules.toml")
    data = client.post("/api/verify", files=files).json()
    assert data["ok"] is False and data["errors"] and data["errors"][0]["file"] == "rules.toml"


def test_stop_keeps_the_best_verified_roster(client: TestClient, tmp_path: Path) -> None:
    """Stopped once a roster is found: status stopped, and the roster so far verifies."""
    answer = client.post(
        "/api/solve",
        files=upload(workbook=MIXED / "input.xlsx", rules=MIXED / "rules.toml"),
        data={"time_limit": "120"},
    )
    job = answer.json()["job"]
    deadline = time.monotonic() + 60
    while True:
        state = client.get(f"/api/jobs/{job}").json()
        if state["progress"]["objective"] is not None or state["status"] != "running":
            break
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert state["status"] == "running" and state["progress"]["time_limit"] == 120
    assert 0 < state["progress"]["time_left"] <= 120
    client.post(f"/api/jobs/{job}/stop")
    state = wait(client, job, timeout=30)
    assert state["status"] == "stopped" and state["roster"], state
    assert state["result"]["status"] == "interrupted"
    path = tmp_path / "stopped.xlsx"
    path.write_bytes(client.get(state["roster"]).content)
    problem = ci.load_problem(MIXED / "input.xlsx", rules_file=MIXED / "rules.toml")
    assert ci.verify(problem, read_plan(path, problem)) == []


def test_infeasible_round_is_explained_and_a_relaxation_solves(
    client: TestClient, infeasible_rules: Path, tmp_path: Path
) -> None:
    """No roster: the explanation names the skill and offers a verified relaxation; applying it
    gives the roster the CLI gives with that rules key changed, marked as relaxed."""
    state = solve(client, ROTATION / "input.xlsx", infeasible_rules)
    assert state["status"] == "infeasible" and state["roster"] is None
    explanation = state["explanation"]
    assert any("纪检监察" in f["message"] for f in explanation["findings"])
    keys = [r["key"] for r in explanation["relaxations"]]
    assert "required_skills.纪检监察=2" in keys
    assert client.post(f"/api/jobs/{state['job']}/relax", data={"key": "no-such-change"}).status_code == 409

    answer = client.post(f"/api/jobs/{state['job']}/relax", data={"key": "required_skills.纪检监察=2"})
    assert answer.status_code == 202
    relaxed = wait(client, answer.json()["job"])
    assert relaxed["status"] == "done", relaxed
    assert relaxed["relaxations"] == [
        {
            "key": "required_skills.纪检监察=2",
            "as_rules": True,
            "message": "每组「纪检监察」专长最少2人（required_skills）",
        }
    ]
    assert relaxed["filename"] == "input-名单（已放宽规则）.xlsx"
    content = client.get(relaxed["roster"]).content

    rules = tmp_path / "rules.toml"
    rules.write_text(infeasible_rules.read_text("utf-8").replace('"纪检监察" = 3', '"纪检监察" = 2'), "utf-8")
    cli = tmp_path / "cli.xlsx"
    code, text = run_cli("solve", ROTATION / "input.xlsx", "--rules", rules, "-o", cli)
    assert code == 0, text
    assert assignments(content) == assignments(cli)

    # The file itself says it was drawn under relaxed rules, and records them.
    roster = tmp_path / relaxed["filename"]
    roster.write_bytes(content)
    cells = _cells(roster)
    note = " ".join(str(v) for row in cells["总表"][:3] for v in row if v)
    assert "已放宽规则编组" in note and "不符合原规则" in note and "必备专长由纪检监察3人改为纪检监察2人" in note
    assert ("放宽：必备专长", "纪检监察3人 → 纪检监察2人") in [row[:2] for row in cells["运行信息"]]
    assert ("规则：必备专长", "纪检监察2人") in [row[:2] for row in cells["运行信息"]]
    record = read_record(openpyxl.load_workbook(roster))
    assert record is not None
    assert rules_from_toml(record["rules_toml"], source=roster.name).required_skills == {"纪检监察": 2}
    # verify --reproduce takes the rules it records: the draw made again is this roster.
    code, text = run_cli("verify", ROTATION / "input.xlsx", roster, "--reproduce")
    assert code == 0 and "复现一致" in text, text
    code, text = run_cli("verify", ROTATION / "input.xlsx", roster, "--rules", infeasible_rules)
    assert code == 1 and "纪检监察" in text, text

    english = client.post(f"/api/jobs/{state['job']}/relax", data={"key": "required_skills.纪检监察=2", "lang": "en"})
    state_en = wait(client, english.json()["job"])
    assert state_en["status"] == "done"
    assert client.get(f"/api/jobs/{state_en['job']}?lang=en").json()["filename"] == "input-roster-relaxed.xlsx"
    cells = _cells(client.get(state_en["roster"]).content)
    note = " ".join(str(v) for row in cells["总表"][:3] for v in row if v)
    assert "Drawn under relaxed rules" in note and "required_skills from 纪检监察 3 to 纪检监察 2" in note
    assert ("Relaxed: required_skills", "纪检监察 3 → 纪检监察 2") in [row[:2] for row in cells["运行信息"]]


def test_solve_bad_fields_and_missing_workbook_are_400(client: TestClient) -> None:
    answer = client.post(
        "/api/solve",
        files=upload(workbook=ROTATION / "input.xlsx"),
        data={"seed": "abc", "time_limit": "-1", "effort": "abc", "workers": "1.5"},
    )
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert [e["column"] for e in errors] == ["time_limit", "effort", "workers"]  # any text is a seed
    assert errors[1]["message"] == "「搜索工作量」须是 0.01 至 100000 之间的数，而不是「abc」。"
    answer = client.post("/api/solve", files=upload(workbook=ROTATION / "input.xlsx"), data={"effort": "1e6"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["column"] == "effort"
    answer = client.post("/api/solve", data={"seed": "1"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["column"] == "workbook"


def test_solve_bad_workbook_fails_the_job_with_located_errors(client: TestClient, broken_workbook: Path) -> None:
    state = solve(client, broken_workbook, None)
    assert state["status"] == "failed" and state["roster"] is None
    assert any((e["sheet"], e["row"], e["column"]) == ("干部", BROKEN_ROW, "性别") for e in state["errors"])


def test_unknown_job_and_early_roster(client: TestClient) -> None:
    assert client.get("/api/jobs/nope").status_code == 404
    assert client.post("/api/jobs/nope/stop").status_code == 404
    assert client.get("/api/jobs/nope/roster").status_code == 404
    answer = client.post("/api/solve", files=upload(workbook=MIXED / "input.xlsx", rules=MIXED / "rules.toml"))
    job = answer.json()["job"]
    assert client.get(f"/api/jobs/{job}/roster").status_code == 409
    client.post(f"/api/jobs/{job}/stop")
    wait(client, job, timeout=30)


def test_template_and_examples_download(client: TestClient) -> None:
    template = client.get("/api/template")
    assert template.status_code == 200
    assert (
        "输入模板.xlsx" in template.headers["content-disposition"]
        or "%E8%BE%93" in template.headers["content-disposition"]
    )
    wb = openpyxl.load_workbook(io.BytesIO(template.content))
    assert "干部" in wb.sheetnames
    for name in ("rotation", "mixed"):
        book = client.get(f"/api/examples/{name}/input.xlsx")
        rules = client.get(f"/api/examples/{name}/rules.toml")
        assert book.status_code == rules.status_code == 200
        assert assignments_free(book.content)
        assert rules.text == (ROTATION.parent / name / "rules.toml").read_text("utf-8")
    assert client.get("/api/examples/rotation/../../etc/passwd").status_code == 404
    assert client.get("/api/examples/nope/input.xlsx").status_code == 404


def assignments_free(content: bytes) -> bool:
    """An input workbook (not a roster): it has the cadre sheet and no assignments."""
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "干部" in wb.sheetnames and "assignments" not in wb.sheetnames


def test_a_relaxation_that_changes_the_input_is_applied_to_the_problem(client: TestClient, tmp_path: Path) -> None:
    """Adding a leader to a pool is no rules key: it is applied to the problem itself, and
    the page is told that the soft goals were left out."""
    from crossinspect.diagnose.explain import explain
    from crossinspect.web.jobs import Job, JobState, SolveRequest
    from factories import cadre, make_problem, pool, target

    counties = ("芗城区", "龙文区", "漳浦县")
    cadres = [
        cadre("A1", "芗城区", roles=("组长",), postings=("龙文区", "漳浦县")),
        cadre("A2", "芗城区", roles=("副组长",)),
        cadre("A3", "芗城区"),
        *pool("龙文区", "B"),
        *pool("漳浦县", "C"),
    ]
    problem = make_problem(cadres, [target(f"T{n}", c) for n, c in enumerate(counties, 1)])
    explanation = explain(problem)
    added = next(r for r in explanation.relaxations if r.key.startswith("add-leader"))
    workbook = tmp_path / "三县.xlsx"
    workbook.write_bytes(b"the parent's upload, copied to the new job")
    parent = Job("parent", tmp_path, SolveRequest(workbook=workbook))
    parent.state, parent.problem, parent.explanation = JobState.INFEASIBLE, problem, explanation
    jobs = client.app.state.web.jobs  # type: ignore[attr-defined]
    jobs._jobs["parent"] = parent

    answer = client.post("/api/jobs/parent/relax", data={"key": added.key})
    assert answer.status_code == 202
    state = wait(client, answer.json()["job"])
    assert state["status"] == "done", state
    assert state["relaxations"] == [{"key": added.key, "message": added.zh, "as_rules": False}]
    leaders = [team["roles"]["leader"] for team in state["result"]["teams"]]
    assert any("增补" in name for name in leaders)
    # The input file cannot give this roster again: the answer and the roster both say so.
    assert state["result"]["reproducible"] is False and "增补" in state["result"]["not_reproducible"]
    cells = _cells(client.get(state["roster"]).content)
    info = {row[0]: row[1:3] for row in cells["运行信息"] if row[0]}
    assert info["调整输入"][0] == added.zh and info["软目标"][0] == "未优化"
    assert info["可复现"][0] == "不可复现"
    note = " ".join(str(v) for row in cells["总表"][:3] for v in row if v)
    assert "已放宽规则编组" in note and added.zh in note
