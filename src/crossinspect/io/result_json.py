"""One JSON document for every command's ``--json`` (SPEC §4): check, solve, verify, replan, render.

Whatever the command and however it ended (a roster, no roster, violations, bad input), the
document has the same keys, so another tool reads every outcome the same way:

- ``command`` and ``status`` (the solver's status, or ``ok``/``clean``/``violations``/
  ``infeasible``/``bad-input``);
- ``errors`` and ``warnings``: every issue with its code, file, sheet, row, column and
  message in both languages; ``violations``: every broken rule;
- ``plan`` (teams and seats, or null), ``objective``, ``terms``, ``bound``, ``gap``, and
  everything else the solve result holds (``runtime``, ``lottery``, ``reproducible``,
  ``workers``, ``sanctions``, ``timings`` …);
- ``seed`` as text, ``input_file``, ``input_sha256`` (the checksum printed on the roster,
  also when the input could not be read), ``rules`` (every rule in force, or null when the
  rules themselves are bad), and ``versions`` of crossinspect and OR-Tools;
- the evidence of a draw (R11): ``seed_sha256``, the ``commitment`` (and its printed
  ``commitment_short``) when the input was read, and with a solve ``reproducible``,
  ``effort``, ``effort_used``, ``first_roster_s`` and, when not reproducible,
  ``not_reproducible`` with the reason in both languages;
- ``explanation`` when there is no roster, and what the command adds (``changes``,
  ``findings``).

``result_json`` builds the document, ``write_json`` writes it atomically, never over an input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..domain.commitment import commitment, short
from ..domain.errors import Issue
from ..domain.lottery import seed_digest
from ..domain.plan import Plan, SolveResult, Violation
from ..domain.rules import Rules
from ..domain.versions import distribution_version
from ..problem import Problem
from .columns import match_sheet
from .safety import atomic_path, check_output_path, read_regular_file

#: Keys every document has, in this order.
KEYS: tuple[str, ...] = (
    "command",
    "status",
    "errors",
    "warnings",
    "violations",
    "plan",
    "objective",
    "terms",
    "bound",
    "gap",
    "seed",
    "input_file",
    "input_sha256",
    "rules",
    "versions",
)


def versions() -> dict[str, str]:
    """The versions a roster depends on."""
    return {"crossinspect": distribution_version("crossinspect"), "ortools": distribution_version("ortools")}


def input_checksum(path: str | Path) -> str | None:
    """SHA-256 of an input as the reader computes it, also for an input it cannot read.

    A workbook: its bytes. A CSV folder (or one of its CSV files): each sheet's file name and
    bytes, in name order. None when nothing can be read.
    """
    p = Path(path)
    try:
        folder = p if p.is_dir() else p.parent if p.suffix.lower() == ".csv" else None
        if folder is None:
            return hashlib.sha256(read_regular_file(p)).hexdigest()
        digest = hashlib.sha256()
        for f in sorted(
            (f for f in folder.iterdir() if f.suffix.lower() == ".csv" and not f.is_dir()), key=lambda f: f.name
        ):
            if match_sheet(f.stem) is not None:
                digest.update(f.name.encode("utf-8") + b"\n")
                digest.update(read_regular_file(f))
        return digest.hexdigest()
    except OSError:
        return None


def _issue(issue: Issue) -> dict[str, Any]:
    return issue.model_dump(mode="json")


def _plan(plan: Plan | None) -> Any:
    return plan.model_dump(mode="json") if plan is not None else None


def _evidence(problem: Problem | None, rules: Rules | None, seed: object, result: SolveResult | None) -> dict[str, Any]:
    """What a draw was made from, so that anyone can make it again (R11)."""
    out: dict[str, Any] = {}
    if seed is not None:
        out["seed_sha256"] = seed_digest(str(seed))
    if problem is not None and rules is not None:
        out["commitment"] = commitment(problem.book, rules)
        out["commitment_short"] = short(out["commitment"])
    if result is not None and not result.reproducible:
        out["not_reproducible"] = {"zh": result.not_reproducible_zh, "en": result.not_reproducible_en}
    return out


def result_json(
    command: str,
    status: str,
    *,
    problem: Problem | None = None,
    input_path: str | Path | None = None,
    rules: Rules | None = None,
    result: SolveResult | None = None,
    plan: Plan | None = None,
    errors: Sequence[Issue] = (),
    warnings: Sequence[Issue] | None = None,
    violations: Sequence[Violation] = (),
    explanation: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    """The JSON document of one command run (see the module docstring).

    ``problem`` gives the input's checksum, the rules and the warnings when the input was
    read; ``input_path`` (and ``rules``) stand in when it was not. ``result`` adds every
    field of a solve; ``plan`` a plan without a solve. ``extra`` keys are added as given.
    """
    rules = rules if rules is not None else problem.rules if problem is not None else None
    if rules is not None and result is not None:  # the seed and effort the draw was made with
        rules = rules.model_copy(update={"seed": result.seed, "effort": result.effort})
    if warnings is None:
        warnings = problem.warnings if problem is not None else ()
    solved = result.model_dump(mode="json", exclude={"explanation", "status", "violations"}) if result else {}
    if result is not None and plan is None:
        plan = result.plan
    source = problem.book.path if problem is not None else str(input_path) if input_path is not None else None
    sha = problem.book.sha256 if problem is not None else input_checksum(input_path) if input_path else None
    seed = result.seed if result is not None else rules.seed if rules is not None else None
    data: dict[str, Any] = {
        "command": command,
        "status": status,
        "errors": [_issue(i) for i in errors],
        "warnings": [_issue(i) for i in warnings],
        "violations": [v.model_dump(mode="json") for v in (result.violations if result else ())]
        + [v.model_dump(mode="json") for v in violations],
        "plan": _plan(plan),
        "objective": solved.get("objective"),
        "terms": solved.get("terms", []),
        "bound": solved.get("bound"),
        "gap": solved.get("gap"),
        "seed": None if seed is None else str(seed),
        "input_file": Path(source).name if source else None,
        "input_sha256": sha,
        "rules": rules.model_dump(mode="json") if rules is not None else None,
        "versions": versions(),
    }
    for key, value in solved.items():
        if key not in data and key not in ("seed", "not_reproducible_zh", "not_reproducible_en"):
            data[key] = value
    data.update(_evidence(problem, rules, seed, result))
    if explanation is not None:
        data["explanation"] = _explanation(explanation)
    data.update(extra)
    return data


def _explanation(explanation: Any) -> dict[str, Any]:
    """Why there is no roster: the rendered text in both languages and each finding."""

    def finding(f: Any) -> dict[str, Any]:
        return {"rule": f.rule, "zh": f.zh, "en": f.en}

    return {
        "zh": explanation.render("zh"),
        "en": explanation.render("en"),
        "findings": [finding(f) for f in getattr(explanation, "findings", [])],
        "core": [finding(f) for f in getattr(explanation, "core", [])],
        "relaxations": [{"zh": r.zh, "en": r.en} for r in getattr(explanation, "relaxations", [])],
    }


def write_json(
    data: dict[str, Any], path: str | Path, *, force: bool = False, input_paths: Sequence[str | Path] = ()
) -> Path:
    """Write ``data`` as UTF-8 JSON to ``path``, atomically and never over an input."""
    target = check_output_path(path, input_paths, force=force)
    with atomic_path(target, overwrite=force) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return target
