"""Library objects as the JSON the HTTP API answers with, in one language."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath
from typing import Any

from . import backend as lib


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def issue(item: lib.Issue, lang: str) -> dict[str, Any]:
    """An input problem located by file, sheet, row and column (the file by its name only)."""
    text = item.zh if lang == "zh" else item.en
    if item.suggestions:
        joined = "、".join(item.suggestions) if lang == "zh" else ", ".join(item.suggestions)
        text += f"（是否指：{joined}？）" if lang == "zh" else f" (did you mean: {joined}?)"
    return {
        # The upload's own name, never the private folder it was saved in.
        "file": PurePath(item.file).name if item.file else None,
        "sheet": item.sheet,
        "row": item.row,
        "column": item.column,
        "message": text,
        "code": item.code,
    }


def field_error(field: str, zh: str, en: str, lang: str) -> dict[str, Any]:
    """A problem with a form field rather than a file (the field's name goes in ``column``)."""
    return {"file": None, "sheet": None, "row": None, "column": field, "message": _t(lang, zh, en), "code": "bad-field"}


_MODES = {"rotation": ("推磨式", "rotation"), "mixed": ("混编", "mixed")}
_LEVELS = {"county": ("县区", "county"), "township": ("乡镇", "township")}


def summary(problem: lib.Problem, lang: str) -> dict[str, Any]:
    """What ``check`` prints: the pools per county, the round's size, mode and rules in force."""
    rules = problem.rules
    names = [problem.county_name(c) for c in problem.cadre_county]
    targets = Counter(problem.county_name(c) for c in problem.target_county)
    pools = []
    for name in sorted(set(names) | set(targets)):
        members = [c for c, n in zip(problem.cadres, names, strict=True) if n == name]
        pools.append(
            {
                "county": name,
                "cadres": len(members),
                "roles": {role.value: sum(role in c.roles for c in members) for role in lib.ROLE_ORDER},
                "targets": targets.get(name, 0),
            }
        )
    return {
        "title": rules.title,
        "cadres": len(problem.cadres),
        "counties": len(set(names)),
        "targets": len(problem.targets),
        "mode": rules.mode.value,
        "level": rules.level.value,
        "mode_text": _t(lang, *_MODES[rules.mode.value]),
        "level_text": _t(lang, *_LEVELS[rules.level.value]),
        "seed": rules.seed,
        "effort": rules.effort,
        "time_limit": rules.time_limit,
        "pools": pools,
        "roles": [{"key": r.value, "label": lib.role_label(r, lang)} for r in lib.ROLE_ORDER],
        "sanctions": [
            {"cadre_id": s.cadre_id, "message": s.zh if lang == "zh" else s.en} for s in problem.sanctions.values()
        ],
    }


def finding(item: lib.Finding, lang: str) -> dict[str, Any]:
    return {"rule": item.rule, "message": item.zh if lang == "zh" else item.en}


def explanation(item: lib.Explanation, lang: str) -> dict[str, Any]:
    """Why there is no roster, and the changes that were solved and verified to restore one."""
    return {
        "findings": [finding(f, lang) for f in item.findings],
        "core": [finding(f, lang) for f in item.core],
        "core_minimal": item.core_minimal,
        "relaxations": [
            {"key": r.key, "message": r.zh if lang == "zh" else r.en, "verified": r.verified}
            for r in item.relaxations
            if r.verified
        ],
        "text": item.render(lang),
    }


def violation(item: lib.Violation, lang: str) -> dict[str, Any]:
    return {
        "rule": item.rule,
        "message": item.zh if lang == "zh" else item.en,
        "team_id": item.team_id,
        "cadre_id": item.cadre_id,
    }


def change(item: lib.Change) -> dict[str, Any]:
    """One person's change against the roster as first written, as ``crossinspect render --json`` gives it."""
    return {"kind": item.kind, "cadre_id": item.cadre_id, "before": item.before, "after": item.after}


def teams(problem: lib.Problem, plan: lib.Plan, lang: str) -> list[dict[str, Any]]:
    """The overview of a plan, one row per team, as the roster's 总表 shows it."""
    sep = "、" if lang == "zh" else ", "
    rows = []
    for position, team in enumerate(plan.teams):
        j = problem.target_index.get(team.target_id)
        by_role: dict[str, list[str]] = {r.value: [] for r in lib.ROLE_ORDER}
        for seat in lib.seat_order(problem, team.seats):
            i = problem.cadre_index.get(seat.cadre_id)
            by_role[seat.role.value].append(problem.cadres[i].name if i is not None else seat.cadre_id)
        rows.append(
            {
                "team": lib.team_label(lib.team_number(team, position), lang),
                "target": problem.targets[j].name if j is not None else team.target_id,
                "location": lib.place_label(problem, problem.target_location[j], problem.targets[j].location)
                if j is not None
                else "",
                "roles": {k: sep.join(v) for k, v in by_role.items()},
                "size": len(team.seats),
            }
        )
    return rows


STATUS_TEXT = {
    "optimal": ("最优（已证明）", "optimal (proven)"),
    "feasible": ("可行（时限内未证明最优）", "feasible (optimality not proven in the time limit)"),
    "infeasible": ("无解", "infeasible"),
    "unknown": ("未知（时限内未找到）", "unknown (nothing found in the time limit)"),
    "interrupted": ("已中断（目前最好的名单）", "interrupted (best roster so far)"),
}


def result(problem: lib.Problem, item: lib.SolveResult, lang: str) -> dict[str, Any]:
    """The solver's report on a roster: status, objective and its terms, bound, gap, seed."""
    zh, en = STATUS_TEXT[item.status.value]
    return {
        "status": item.status.value,
        "status_text": _t(lang, zh, en),
        "objective": item.objective,
        "bound": item.bound,
        "gap": item.gap,
        "runtime": round(item.runtime, 2),
        "seed": item.seed,
        "workers": item.workers,
        "reproducible": item.reproducible,
        "not_reproducible": _t(lang, item.not_reproducible_zh, item.not_reproducible_en),
        "effort": item.effort,
        "effort_used": item.effort_used,
        "first_roster_s": item.first_roster_s,
        "lottery_optimal": item.lottery_optimal,
        "terms": [
            {
                "name": t.name,
                "label": t.zh if lang == "zh" else t.name,
                "value": t.value,
                "weight": t.weight,
                "weighted": t.weighted,
            }
            for t in item.terms
        ],
        "teams": teams(problem, item.plan, lang) if item.plan is not None else [],
        "summary": item.summary(lang),
    }


PHASES = {
    "warmstart": ("分组求得首个名单", "first roster by stages"),
    "goals": ("优化软目标", "soft goals"),
    "lottery": ("抽签", "lottery"),
    "arcs": ("逐一求解派出关系", "pool→county arcs"),
    "load": ("读取输入", "reading the input"),
    "explain": ("分析无解原因", "explaining why there is no roster"),
    "write": ("写出名单", "writing the roster"),
}


def progress(
    last: lib.Progress | None, phase: str, elapsed: float, time_limit: float | None, lang: str
) -> dict[str, Any]:
    """Live progress: the phase, the best objective and bound so far, time used and left."""
    name = last.phase if phase == "search" and last is not None else phase
    zh, en = PHASES.get(name, (name, name))
    return {
        "phase": name,
        "phase_text": _t(lang, zh, en),
        "objective": last.objective if last is not None else None,
        "bound": last.bound if last is not None else None,
        "solutions": last.solutions if last is not None else 0,
        "elapsed": round(elapsed, 1),
        "time_limit": time_limit,
        "time_left": None if time_limit is None else round(max(time_limit - elapsed, 0.0), 1),
    }
