"""A round whose both phases are proven optimal has one roster: the model's, not the search's.

The rotation example's roster is kept in tests/data/golden. Restructuring the code, or
changing how the search runs, must give it seat for seat; only a change to the model,
the lottery or the example may change it, and then the file is regenerated on purpose.
"""

from __future__ import annotations

from pathlib import Path

import crossinspect as ci

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden" / "rotation-example.tsv"


def _golden() -> set[tuple[str, ...]]:
    lines = [ln for ln in GOLDEN.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    return {tuple(ln.split("\t")) for ln in lines[1:]}


def test_rotation_example_roster_is_unchanged() -> None:
    example = ROOT / "data" / "examples" / "rotation"
    problem = ci.load_problem(example / "input.xlsx", rules_file=example / "rules.toml")
    result = ci.solve(problem, workers=2)
    assert result.status.value == "optimal" and result.lottery_optimal
    assert result.plan is not None
    seats = {(s.team_id, s.target_id, s.cadre_id, s.role.value) for s in result.plan.seats()}
    assert seats == _golden()
