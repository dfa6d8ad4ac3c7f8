"""The options the commands share, and reading the input they name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain.errors import InputError
from .console import _fail_input, _Report

Lang = Annotated[str, typer.Option("--lang", help="zh 中文（默认）或 en English")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", "-r", help="规则文件 rules TOML")]
JsonOpt = Annotated[Path | None, typer.Option("--json", help="另存 JSON 结果（无论成败都写出）")]


def _overrides(
    seed: str | None, time_limit: float | None, workers: int | None, strict: bool, effort: float | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if seed is not None:
        data["seed"] = seed
    if effort is not None:
        data["effort"] = float(effort)
    if time_limit is not None:
        data["time_limit"] = time_limit
    if workers is not None:
        data["workers"] = workers
    if strict:
        data["strict"] = True
    return data


def _inputs(path: Path, rules: Path | None, *more: Path) -> list[Path]:
    """What no output may overwrite: the workbook (or CSV folder), the rules file, a roster read."""
    return [path, *([rules] if rules is not None else []), *more]


def _load(path: Path, rules: Path | None, overrides: dict[str, Any], lang: str, report: _Report | None = None):
    from ..io.load import load_problem

    try:
        return load_problem(path, rules_file=rules, overrides=overrides)
    except InputError as exc:
        _fail_input(exc, lang, report)
