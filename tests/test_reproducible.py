"""The seed decides, at every size (R11, issue 17).

A draw is a function of the input, the rules, the seed, the effort and the two versions:
not of the worker count, the machine's load or the clock. These tests hold the library
and the CLI to that, and to saying 不可复现 when it does not hold (the time-limit case
is in test_faults.py, beside the other limits).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from crossinspect import solve
from crossinspect.domain.plan import Plan, Role
from crossinspect.io.load import load_problem
from crossinspect.io.roster import write_roster
from crossinspect.io.roster_reader import read_plan
from crossinspect.problem import Problem
from crossinspect.verify import verify
from factories import run_cli

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "data" / "examples" / "mixed" / "input.xlsx"
MIXED_RULES = ROOT / "data" / "examples" / "mixed" / "rules.toml"
#: Enough effort for every step of the large mixed strategy (staging, polishing, the LP,
#: the core search, the lottery pass), small enough for a test.
TOWNSHIP_EFFORT = 6.0

Seats = list[tuple[str, str, str]]


def seats_of(plan: Plan | None) -> Seats:
    assert plan is not None
    return sorted((s.target_id, s.cadre_id, s.role.value) for s in plan.seats())


@pytest.fixture(scope="module")
def mixed() -> Problem:
    return load_problem(MIXED, rules_file=MIXED_RULES)


@pytest.fixture(scope="module")
def township() -> Problem:
    """The benchmarks' township round (size M): 140 mixed teams from 1,000 cadres."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    return generate("M")[0].problem()


@pytest.fixture
def burner() -> Iterator[None]:
    """Every core busy with another process while the test runs."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def _draws(problem: Problem, **kw: object) -> dict[str, Seats]:
    out = {}
    for workers in (1, 2, 4):
        result = solve(problem, workers=workers, **kw)  # type: ignore[arg-type]
        assert result.reproducible, result.not_reproducible_en
        assert not result.violations
        out[f"workers={workers}"] = seats_of(result.plan)
    return out


@pytest.mark.parametrize("name", ["mixed", "township"])
def test_same_seed_same_roster_whatever_the_workers_and_the_load(name: str, request: pytest.FixtureRequest) -> None:
    """1, 2 and 4 workers, then 2 workers beside processes burning every core: seat for seat
    the same roster."""
    problem: Problem = request.getfixturevalue(name)
    kw: dict[str, object] = {"seed": "2026-12-05 福彩3D 381", "time_limit": 600.0}
    if name == "township":
        kw["effort"] = TOWNSHIP_EFFORT
    draws = _draws(problem, **kw)
    request.getfixturevalue("burner")
    loaded = solve(problem, workers=2, **kw)  # type: ignore[arg-type]
    assert loaded.reproducible
    draws["workers=2 under load"] = seats_of(loaded.plan)
    first = draws["workers=1"]
    for label, seats in draws.items():
        assert seats == first, f"{label} differs from workers=1 in {len(set(seats) ^ set(first))} seats"


_DRAW_IN_A_PROCESS = """
import hashlib, sys
sys.path.insert(0, {root!r})
from crossinspect import load_problem, solve
which = {which!r}
if which == "township":
    from benchmarks.generate import generate
    problem, effort = generate("M")[0].problem(), {effort!r}
else:
    problem, effort = load_problem({book!r}, rules_file={rules!r}), None
result = solve(problem, effort=effort, time_limit=600.0, workers=2)
seats = sorted(f"{{s.target_id}}|{{s.cadre_id}}|{{s.role.value}}" for s in result.plan.seats())
print(result.reproducible, hashlib.sha256("\\n".join(seats).encode()).hexdigest())
"""


@pytest.mark.parametrize("name", ["mixed", "township"])
def test_same_roster_in_processes_with_other_hash_seeds(name: str) -> None:
    """Python's string hashing (and so the order of a set of strings) changes from process
    to process; the draw must not."""
    code = _DRAW_IN_A_PROCESS.format(
        root=str(ROOT), which=name, effort=TOWNSHIP_EFFORT, book=str(MIXED), rules=str(MIXED_RULES)
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        outputs.add(done.stdout.strip().splitlines()[-1])
    assert len(outputs) == 1, outputs
    assert next(iter(outputs)).startswith("True ")


@pytest.mark.parametrize("name", ["mixed", "township"])
def test_another_seed_draws_another_roster(name: str, request: pytest.FixtureRequest) -> None:
    """Where equally good rosters exist the seed chooses among them, in every strategy."""
    problem: Problem = request.getfixturevalue(name)
    kw: dict[str, object] = {"time_limit": 600.0}
    if name == "township":
        kw["effort"] = TOWNSHIP_EFFORT
    a = solve(problem, seed="甲", **kw)  # type: ignore[arg-type]
    b = solve(problem, seed="乙", **kw)  # type: ignore[arg-type]
    assert a.reproducible and b.reproducible
    assert seats_of(a.plan) != seats_of(b.plan)
    if name == "mixed":  # both proven optimal: the same soft goals, another draw among them
        assert a.objective == b.objective and a.lottery_optimal and b.lottery_optimal


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The mixed example drawn by the CLI with a text seed: the roster and its JSON."""
    folder = tmp_path_factory.mktemp("drawn")
    out, js = folder / "roster.xlsx", folder / "run.json"
    code, text = run_cli(
        "solve", MIXED, "--rules", MIXED_RULES, "-o", out, "--json", js, "--seed", "2026-12-05 福彩3D 381"
    )
    assert code == 0, text
    return out, json.loads(js.read_text(encoding="utf-8"))


def test_roster_and_json_carry_the_evidence(drawn: tuple[Path, dict[str, object]]) -> None:
    """The seed verbatim, the commitment, the effort, reproducible, first_roster_s, both versions."""
    roster, data = drawn
    assert data["seed"] == "2026-12-05 福彩3D 381" and data["reproducible"] is True
    assert data["effort"] > 0 and 0 <= data["effort_used"] <= data["effort"]  # type: ignore[operator]
    assert isinstance(data["first_roster_s"], float) and len(str(data["commitment"])) == 64
    assert set(data["versions"]) == {"crossinspect", "ortools"}  # type: ignore[arg-type]
    code, text = run_cli("commit", MIXED, "--rules", MIXED_RULES)
    assert code == 0 and str(data["commitment"]) in text
    ws = openpyxl.load_workbook(roster)["运行信息"]
    info = {r[0]: r[1] for r in ws.iter_rows(min_row=3, max_col=2, values_only=True) if r[0]}
    assert info["抽签种子"] == "2026-12-05 福彩3D 381"
    assert info["可复现"] == "是"
    assert str(data["commitment"]).startswith(str(info["承诺值"]).replace(" ", ""))  # grouped by four


def test_verify_reproduce_passes_on_the_untouched_roster(drawn: tuple[Path, dict[str, object]]) -> None:
    roster, _ = drawn
    code, text = run_cli("verify", MIXED, roster, "--reproduce")
    assert code == 0, text
    assert "复现一致" in text


def _traded(problem: Problem, plan: Plan) -> tuple[Plan, str, str]:
    """``plan`` with two members of different teams traded, chosen so every rule still holds:
    only the draw can tell the roster is not the one the seed gives."""
    members = [(t, s) for t in plan.teams for s in t.seats if s.role is Role.MEMBER]
    for i, (ta, sa) in enumerate(members):
        for tb, sb in members[i + 1 :]:
            if ta.team_id == tb.team_id:
                continue
            trade = {sa.cadre_id: sb.cadre_id, sb.cadre_id: sa.cadre_id}
            teams = tuple(
                team.model_copy(
                    update={
                        "seats": tuple(
                            s.model_copy(update={"cadre_id": trade.get(s.cadre_id, s.cadre_id)}) for s in team.seats
                        )
                    }
                )
                for team in plan.teams
            )
            traded = plan.model_copy(update={"teams": teams})
            if not verify(problem, traded):
                return traded, sa.cadre_id, sb.cadre_id
    raise AssertionError("no two members can trade teams within the rules")


def test_verify_reproduce_fails_when_two_members_trade_teams(
    drawn: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    roster, data = drawn
    rules = dict(data["rules"])  # type: ignore[call-overload]
    problem = load_problem(MIXED, rules_file=MIXED_RULES, overrides={"seed": rules["seed"]})
    traded, a, b = _traded(problem, read_plan(roster, problem))
    edited = write_roster(problem, traded, tmp_path / "edited.xlsx")
    code, text = run_cli("verify", MIXED, edited, "--reproduce")
    assert code == 1, text
    assert "重新抽签得到的名单与此名单不同" in text
    assert a in text and b in text


def test_verify_reproduce_refuses_another_input(drawn: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    """An input that changed since the draw (one cadre's job title) passes every rule but
    cannot reproduce it: exit 2, naming the commitment."""
    roster, _ = drawn
    wb = openpyxl.load_workbook(MIXED)
    ws = wb["干部"]
    column = [c.value for c in ws[1]].index("单位职务") + 1
    ws.cell(row=2, column=column).value = f"{ws.cell(row=2, column=column).value}（兼）"
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    code, text = run_cli("verify", changed, roster, "--reproduce")
    assert code == 2, text
    assert "承诺值" in text
