"""``crossinspect solve``: build the teams and write the roster."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain.plan import Status
from ..io.safety import OutputError
from .collector import _skip_final_collection, _start_up_spared
from .console import EXIT_INFEASIBLE, _check_lang, _ensure_folder, _fail_input, _Report, _t, _write_report, err
from .options import JsonOpt, Lang, RulesOpt, _inputs, _load, _overrides
from .outcome import _print_result, _report_infeasible
from .progress import _Display


def solve(
    path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出名单 .xlsx")],
    rules: RulesOpt = None,
    json_out: JsonOpt = None,
    seed: Annotated[str | None, typer.Option("--seed", help="抽签种子：任意文字，如公开开奖结果")] = None,
    effort: Annotated[float | None, typer.Option("--effort", help="搜索工作量（决定名单）")] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="时限（秒），整个运行的安全上限")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="求解线程数（只影响速度）")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="地名粒度不足视为错误")] = False,
    alternates: Annotated[bool, typer.Option("--alternates/--no-alternates", help="附备选人员表（默认附）")] = True,
    redact: Annotated[bool, typer.Option("--redact", help="遮盖干部编号（供传阅；脱敏名单不能用于 verify）")] = False,
    lang: Lang = "zh",
) -> None:
    """编组并写出名单。Build the teams and write the roster."""
    from ..io.safety import check_output_path

    started_at = time.monotonic()  # the time limit covers the whole run: reading to writing
    lang = _check_lang(lang)
    inputs = _inputs(path, rules)
    overrides = _overrides(seed, time_limit, workers, strict, effort)
    report = _Report(
        "solve", json_out, input_path=path, rules_file=rules, inputs=inputs, force=force, overrides=overrides
    )
    try:
        # Every output check happens before the solve, so a long solve is never wasted.
        _ensure_folder(output, lang)
        check_output_path(output, inputs, force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    report.check(lang, output)
    _skip_final_collection()
    with _start_up_spared() as started:
        problem = _load(path, rules, overrides, lang, report)
        if redact:
            report.redact_ids = [c.id for c in problem.cadres]
        for w in problem.warnings:
            err.print(_t(lang, "警告：", "warning: ") + w.render(lang), style="yellow", markup=False)
        from ..diagnose.precheck import precheck
        from ..workflows import round as _round  # noqa: F401 -- OR-Tools and pandas, before the freeze

        started()  # what start-up made now lives until the command ends
        findings = precheck(problem)
        if findings:
            _report_infeasible(problem, findings, output, lang, force, inputs, report=report)

        stop = threading.Event()
        previous = signal.getsignal(signal.SIGTERM)

        def _on_term(signum: int, frame: object) -> None:
            stop.set()

        # Installed until the roster is written: a SIGTERM after the search (while the
        # alternates are checked or the file is saved) must not throw the roster away.
        signal.signal(signal.SIGTERM, _on_term)
        try:
            _solve_and_write(
                problem,
                inputs,
                output,
                report,
                lang,
                force,
                alternates,
                redact,
                stop,
                started_at + problem.rules.time_limit,
            )
        finally:
            signal.signal(signal.SIGTERM, previous)


def _writing_reserve(problem: Any, limit: float) -> float:
    """Seconds kept back from the search for the alternates and writing the roster."""
    return min(max(1.0, 0.1 * limit), 5.0 + len(problem.targets) * 0.02)


def _solve_and_write(
    problem: Any,
    inputs: list[Path],
    output: Path,
    report: _Report,
    lang: str,
    force: bool,
    alternates: bool,
    redact: bool,
    stop: threading.Event,
    deadline: float,
) -> None:
    from ..io.roster import write_roster
    from ..workflows.round import solve as run_solve

    display = _Display(lang)
    reserve = _writing_reserve(problem, problem.rules.time_limit)
    with display.status:
        result = run_solve(
            problem, progress=display, stop=stop, time_limit=max(0.5, deadline - reserve - time.monotonic())
        )
    if result.status is Status.INFEASIBLE:
        _report_infeasible(problem, [], output, lang, force, inputs, result.explanation, report=report, result=result)
    if result.plan is None:
        _write_report(report, result.status.value, lang, problem=problem, result=result)
        err.print(
            _t(
                lang,
                "在时限内未找到名单（未证明无解）。可加大 --time-limit 后重试。",
                "No roster found within the time limit (infeasibility not proven). Try a larger --time-limit.",
            ),
            style="bold red",
        )
        raise typer.Exit(EXIT_INFEASIBLE)
    if result.violations:
        # A model bug, not a user error: never write a roster that breaks a rule.
        _write_report(report, "internal-error", lang, problem=problem, result=result)
        err.print(
            _t(
                lang,
                "内部错误：求得的名单未通过独立校验，未写出名单：",
                "internal error: the roster failed independent verification; nothing written:",
            ),
            style="bold red",
        )
        for v in result.violations:
            err.print("  • " + v.render(lang), markup=False)
        raise typer.Exit(3)
    extras = None
    # Interrupted: write the best roster now rather than spend more time on alternates.
    if alternates and not stop.is_set():
        from ..diagnose.alternates import find_alternates
        from ..io.roster import RosterExtras

        with err.status(_t(lang, "正在逐一校验备选人员…", "verifying alternates…")):
            # The alternates get what the search left, keeping a little for the writing.
            found = tuple(find_alternates(problem, result.plan, deadline=deadline - min(2.0, reserve / 2)))
        extras = RosterExtras(
            alternates=found, alternates_partial=len(found) < sum(len(t.seats) for t in result.plan.teams)
        )
    try:
        if redact:
            from ..io.redact import write_redacted_roster

            write_redacted_roster(problem, result, output, lang=lang, force=force, input_paths=inputs, extras=extras)
        else:
            write_roster(problem, result, output, lang=lang, force=force, input_paths=inputs, extras=extras)
        report.write(result.status.value, problem=problem, result=result)
    except OutputError as exc:
        _fail_input(exc, lang)
    _print_result(result, output, lang)
    if result.status is Status.INTERRUPTED:
        raise typer.Exit(130)
