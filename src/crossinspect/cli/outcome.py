"""What a roster command prints when it ends: the roster written, the seats changed, or why
there is no roster (also written beside the output)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import typer

from ..domain.plan import SolveResult, Status
from ..io.safety import OutputError
from .console import EXIT_INFEASIBLE, _Report, _t, _write_report, err, out


def _print_result(result: SolveResult, output: Path, lang: str) -> None:
    out.print(result.summary(lang), markup=False)
    if result.plan is not None and result.plan.arcs:
        chain = "→".join([a.source_name for a in result.plan.arcs] + [result.plan.arcs[0].source_name])
        out.print(_t(lang, f"轮换：{chain}", f"rotation: {chain}"), markup=False)
    if result.status is Status.INTERRUPTED:
        out.print(
            _t(
                lang,
                "已中断：写出的是目前最好的、已通过校验的名单。",
                "interrupted: wrote the best verified roster so far.",
            ),
            style="yellow",
        )
    out.print(
        _t(lang, f"名单已写出：{output}（已通过独立校验）", f"roster written: {output} (independently verified)"),
        style="green",
    )


def _report_infeasible(
    problem: Any,
    findings: list[Any],
    output: Path,
    lang: str,
    force: bool,
    inputs: list[Path],
    explanation: Any = None,
    *,
    report: _Report | None = None,
    result: SolveResult | None = None,
) -> NoReturn:
    from ..diagnose.explain import explain

    if explanation is None:
        with err.status(_t(lang, "正在分析无解原因…", "explaining why there is no roster…")):
            explanation = explain(problem, findings)
    if report is not None:
        _write_report(report, "infeasible", lang, problem=problem, result=result, explanation=explanation)
    err.print(_t(lang, "无法编组：", "No roster satisfies the rules:"), style="bold red")
    err.print(explanation.render(lang), markup=False)
    try:
        from ..io.explanation import write_explanation

        written = write_explanation(problem, explanation, output, lang=lang, force=force, input_paths=inputs)
        err.print(_t(lang, f"无解说明已写入：{written}", f"explanation written: {written}"))
    except OutputError as exc:
        err.print(exc.render(lang), markup=False)
    raise typer.Exit(EXIT_INFEASIBLE)


def _print_changes(problem: Any, changes: Any, lang: str) -> None:
    """Who left, came or moved, by name and id: 调整 张三（ZZ012） 第三组 组员 → 第五组 组长."""
    from ..domain.models import Role
    from ..io.roster import role_label, team_label

    def seat(text: str) -> str:
        if not text:
            return "—"
        team_id, _, role = text.partition("/")
        team = team_label(int(team_id), lang) if team_id.isdigit() else team_id
        return f"{team} {role_label(Role(role), lang)}"

    for ch in changes:
        i = problem.cadre_index.get(ch.cadre_id)
        name = problem.cadres[i].name if i is not None else ch.cadre_id
        kind = ch.zh if lang == "zh" else ch.kind
        out.print(f"  {kind} {name}（{ch.cadre_id}） {seat(ch.before)} → {seat(ch.after)}", markup=False)
