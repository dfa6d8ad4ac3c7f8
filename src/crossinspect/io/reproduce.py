"""Make a roster's draw again from what it records, and say whether it is the same (R11).

``crossinspect verify IN ROSTER --reproduce``: the roster's 运行信息 sheet records (in hidden columns)
the seed, the effort, the rules, the commitment and both versions. The draw is made again
from the input and those, and the roster's seats are compared with the new ones. Anyone
holding the input and the roster can do this, on any machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..domain.commitment import commitment
from ..domain.errors import InputError, Issue
from ..domain.models import Target
from ..domain.plan import Plan, Progress, SolveResult
from ..domain.rules import Rules
from ..domain.versions import distribution_version
from ..workflows.round import solve
from .load import load_problem
from .roster_reader import open_roster, read_plan
from .rules_reader import rules_from_toml
from .run_record import read_record

ProgressFn = Callable[[Progress], None]


class Verdict(StrEnum):
    SAME = "same"  # the roster is exactly the draw: exit 0
    DIFFERENT = "different"  # the draw gives other seats: exit 1
    CANNOT = "cannot"  # other versions, another input, or nothing recorded: exit 2


@dataclass
class Reproduction:
    """The outcome: the verdict, what differs (sentences in both languages), and the new draw."""

    verdict: Verdict
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    result: SolveResult | None = None


def recorded_rules(roster_path: str | Path) -> Rules | None:
    """The rules a roster records it was drawn with, or None when it records no run."""
    record = read_record(open_roster(Path(roster_path)))
    if record is None or "rules_toml" not in record:
        return None
    return rules_from_toml(record["rules_toml"], source=f"{Path(roster_path).name}: 运行信息")


def reproduce(
    input_path: str | Path,
    roster_path: str | Path,
    *,
    workers: int | None = None,
    time_limit: float | None = None,
    progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
) -> Reproduction:
    """Draw the roster again from its record (see the module); never raises for a difference.

    Raises ``InputError`` when the input or the roster cannot be read.
    """
    record = read_record(open_roster(Path(roster_path)))
    if record is None:
        return Reproduction(
            Verdict.CANNOT,
            ["名单中没有运行记录（由旧版本或手工制作），无法重新抽签"],
            ["the roster records no run (an older version or made by hand): it cannot be redrawn"],
        )
    zh: list[str] = []
    en: list[str] = []
    for name, dist in (("crossinspect", "crossinspect"), ("OR-Tools", "ortools")):
        recorded, installed = record.get(dist, ""), distribution_version(dist)
        if recorded != installed:
            zh.append(f"{name} 版本不同：名单记录 {recorded}，本机 {installed}")
            en.append(f"{name} version differs: the roster records {recorded}, this machine has {installed}")
    if zh:
        return Reproduction(Verdict.CANNOT, zh, en)
    rules = rules_from_toml(record.get("rules_toml", ""), source=f"{Path(roster_path).name}: 运行信息")
    problem = load_problem(input_path, rules)
    if commitment(problem.book, rules) != record.get("commitment"):
        return Reproduction(
            Verdict.CANNOT,
            ["输入与名单记录的承诺值不符：输入工作簿或规则已改变"],
            ["the input does not match the roster's commitment: the workbook or the rules changed"],
        )
    limit = time_limit if time_limit is not None else max(rules.time_limit * 3, 600.0)
    result = solve(
        problem,
        seed=record["seed"],
        effort=float(record["effort"]),
        time_limit=limit,
        workers=workers,
        progress=progress,
        stop=stop,
        explain=False,
    )
    if result.plan is None:
        return Reproduction(Verdict.DIFFERENT, ["重新抽签未得到名单"], ["the new draw found no roster"], result)
    roster = read_plan(roster_path, problem)
    differ_zh, differ_en = _differences(problem.targets, roster, result.plan)
    if not result.reproducible:
        differ_zh.insert(0, f"重新抽签本身被截断（{result.not_reproducible_zh}），结果不能作准")
        differ_en.insert(0, f"the new draw was itself cut short ({result.not_reproducible_en}); it decides nothing")
    if not differ_zh:
        return Reproduction(Verdict.SAME, result=result)
    if record.get("reproducible") == "false":
        differ_zh.append(f"原名单本身标为不可复现：{record.get('not_reproducible', '')}")
        differ_en.append(f"the roster itself says it is not reproducible: {record.get('not_reproducible', '')}")
    return Reproduction(Verdict.DIFFERENT, differ_zh, differ_en, result)


def _differences(targets: tuple[Target, ...], roster: Plan, draw: Plan) -> tuple[list[str], list[str]]:
    """Seats on one plan and not the other, team by team (by target: teams are numbered the same)."""
    names = {t.id: t.name for t in targets}

    def seats(plan: Plan) -> dict[str, set[tuple[str, str]]]:
        out: dict[str, set[tuple[str, str]]] = {}
        for s in plan.seats():
            out.setdefault(s.target_id, set()).add((s.cadre_id, s.role.value))
        return out

    a, b = seats(roster), seats(draw)
    zh: list[str] = []
    en: list[str] = []
    for tid in sorted(set(a) | set(b)):
        only_roster = sorted(a.get(tid, set()) - b.get(tid, set()))
        only_draw = sorted(b.get(tid, set()) - a.get(tid, set()))
        if not only_roster and not only_draw:
            continue
        name = names.get(tid, tid)
        zh.append(
            f"巡察{name}的组：名单有 {_listed(only_roster, '、', '无')}，重新抽签为 {_listed(only_draw, '、', '无')}"
        )
        en.append(
            f"team for {name}: the roster has {_listed(only_roster, ', ', 'nobody')}, "
            f"the draw gives {_listed(only_draw, ', ', 'nobody')}"
        )
    return zh, en


def _listed(seats: list[tuple[str, str]], sep: str, none: str) -> str:
    return sep.join(f"{cadre} ({role})" for cadre, role in seats) or none


__all__ = ["InputError", "Issue", "Reproduction", "Verdict", "recorded_rules", "reproduce"]
