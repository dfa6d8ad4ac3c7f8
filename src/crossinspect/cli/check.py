"""``crossinspect check``: validate the input and pre-check it, without solving."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..domain.models import ROLE_ORDER
from .console import EXIT_INFEASIBLE, _check_lang, _Report, _t, _write_report, err, out
from .options import JsonOpt, Lang, RulesOpt, _inputs, _load, _overrides


def _summary(problem: Any, lang: str) -> None:
    from ..domain.rule_words import value_in_words

    counties = Counter(problem.county_name(c) for c in problem.cadre_county)
    table = Table(title=_t(lang, "干部池", "Cadre pools"))
    table.add_column(_t(lang, "县区", "county"))
    table.add_column(_t(lang, "干部", "cadres"), justify="right")
    for role in ROLE_ORDER:
        table.add_column(role.zh if lang == "zh" else role.value, justify="right")
    table.add_column(_t(lang, "巡察对象", "targets"), justify="right")
    targets = Counter(problem.county_name(c) for c in problem.target_county)
    for name in sorted(set(counties) | set(targets)):
        members = [
            c for c, k in zip(problem.cadres, problem.cadre_county, strict=True) if problem.county_name(k) == name
        ]
        row = [name, str(len(members))]
        for role in ROLE_ORDER:
            row.append(str(sum(role in c.roles for c in members)))
        row.append(str(targets.get(name, 0)))
        table.add_row(*row)
    out.print(table)
    out.print(
        _t(
            lang,
            f"共 {len(problem.cadres)} 名干部、{len(counties)} 个县区干部池、{len(problem.targets)} 个巡察对象；"
            f"编组方式 {value_in_words('mode', problem.rules.mode.value)}，"
            f"回避层级 {value_in_words('level', problem.rules.level.value)}。",
            f"{len(problem.cadres)} cadres in {len(counties)} pools, {len(problem.targets)} targets; "
            f"mode {problem.rules.mode.value}, level {problem.rules.level.value}.",
        )
    )
    for i, s in problem.sanctions.items():
        name = problem.cadres[i].name
        out.print(_t(lang, f"  R8 {name}（{s.cadre_id}）：{s.zh}", f"  R8 {name} ({s.cadre_id}): {s.en}"), markup=False)
    for w in problem.warnings:
        err.print(_t(lang, "  警告：", "  warning: ") + w.render(lang), style="yellow", markup=False)


def check(
    path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
    rules: RulesOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="地名粒度不足视为错误")] = False,
    json_out: JsonOpt = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的 JSON 输出")] = False,
    lang: Lang = "zh",
) -> None:
    """校验输入并做可行性预检，不求解。Validate input and pre-check feasibility."""
    lang = _check_lang(lang)
    overrides = _overrides(None, None, None, strict)
    report = _Report(
        "check",
        json_out,
        input_path=path,
        rules_file=rules,
        inputs=_inputs(path, rules),
        force=force,
        overrides=overrides,
    )
    report.check(lang)
    problem = _load(path, rules, overrides, lang, report)
    _summary(problem, lang)
    from ..diagnose.precheck import precheck

    findings = precheck(problem)
    _write_report(
        report,
        "infeasible" if findings else "ok",
        lang,
        problem=problem,
        findings=[{"rule": f.rule, "zh": f.zh, "en": f.en} for f in findings],
    )
    if findings:
        err.print(_t(lang, "预检发现无法编组的原因：", "Pre-check found why no roster exists:"), style="bold red")
        for f in findings:
            err.print("  • " + f.render(lang), markup=False)
        raise typer.Exit(EXIT_INFEASIBLE)
    out.print(_t(lang, "输入有效，预检通过。", "Input is valid; pre-check passed."), style="green")
