"""A whole term: ``plan-term`` plans K rounds, ``verify-term`` re-checks them round by round."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from ..domain.errors import InputError
from ..domain.plan import Status
from ..io.safety import OutputError
from .console import EXIT_BAD_INPUT, EXIT_INFEASIBLE, _check_lang, _fail_input, _t, err, out
from .options import Lang, RulesOpt, _inputs, _load, _overrides
from .progress import _TermDisplay


def plan_term_cmd(
    path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
    rounds: Annotated[int, typer.Option("--rounds", "-k", help="全期轮数")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹")],
    rules: RulesOpt = None,
    seed: Annotated[str | None, typer.Option("--seed", help="抽签种子：任意文字")] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="每轮时限（秒）")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="求解线程数")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="地名粒度不足视为错误")] = False,
    lang: Lang = "zh",
) -> None:
    """全期计划：K轮内每个巡察对象恰好巡察一次。Plan a whole term: every target once in K rounds."""
    from ..io.safety import check_output_path
    from ..io.term_files import write_term
    from ..workflows.term import OVERVIEW_FILE, ROUND_FILE, plan_term

    lang = _check_lang(lang)
    try:
        # Every output is checked before the solve, so a long term is never wasted.
        if output.exists() and not output.is_dir():
            raise OutputError(f"输出路径 {output} 不是文件夹。", f"output {output} is not a folder.")
        for name in [*(ROUND_FILE.format(k=k) for k in range(1, max(rounds, 0) + 1)), OVERVIEW_FILE]:
            check_output_path(output / name, _inputs(path, rules), force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    problem = _load(path, rules, _overrides(seed, time_limit, workers, strict), lang)
    for w in problem.warnings:
        err.print(_t(lang, "警告：", "warning: ") + w.render(lang), style="yellow", markup=False)
    stop = threading.Event()
    previous = signal.getsignal(signal.SIGTERM)

    def _on_term(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_term)
    display = _TermDisplay(lang)
    try:
        with display.status:
            term = plan_term(problem, rounds, progress=display, stop=stop)
    except InputError as exc:
        _fail_input(exc, lang)
    except AssertionError as exc:
        # A model bug, not a user error: never write a roster that breaks a rule.
        err.print(
            _t(
                lang,
                "内部错误：某轮名单未通过独立校验，未写出：",
                "internal error: a round failed independent verification; nothing written:",
            ),
            style="bold red",
        )
        err.print(str(exc), markup=False)
        raise typer.Exit(3) from exc
    finally:
        signal.signal(signal.SIGTERM, previous)
    if term.failure is not None:
        err.print(_t(lang, "无法完成全期计划：", "The term cannot be planned:"), style="bold red")
        err.print(term.failure.render(lang), markup=False)
        raise typer.Exit(130 if term.failure.status is Status.INTERRUPTED else EXIT_INFEASIBLE)
    try:
        output.mkdir(parents=True, exist_ok=True)
        paths = write_term(term, output, lang=lang, force=force, input_paths=_inputs(path, rules))
    except (OutputError, OSError) as exc:
        if isinstance(exc, OutputError):
            _fail_input(exc, lang)
        err.print(_t(lang, f"无法写入 {output}：{exc}", f"cannot write {output}: {exc}"), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    out.print(term.summary(lang), markup=False)
    for p in paths:
        out.print(str(p), markup=False)
    out.print(
        _t(
            lang,
            "全期名单已写出（各轮均以前几轮为往轮记录，通过独立校验）。",
            "term rosters written (each round independently verified with the earlier rounds as history).",
        ),
        style="green",
    )


def verify_term_cmd(
    path: Annotated[Path, typer.Argument(help="输入工作簿")],
    directory: Annotated[Path, typer.Argument(help="全期名单所在文件夹（第1轮.xlsx …）")],
    rules: RulesOpt = None,
    lang: Lang = "zh",
) -> None:
    """逐轮复核全期名单（前几轮作为往轮记录）。Re-check a term's rosters round by round."""
    import re

    from ..io.term_files import verify_term

    lang = _check_lang(lang)
    problem = _load(path, rules, {}, lang)
    found = {
        int(m.group(1)): p for p in directory.glob("第*轮.xlsx") if (m := re.fullmatch(r"第(\d+)轮\.xlsx", p.name))
    }
    if not found or sorted(found) != list(range(1, len(found) + 1)):
        err.print(
            _t(
                lang,
                f"{directory} 中没有连续编号的 第1轮.xlsx、第2轮.xlsx……",
                f"{directory} holds no consecutively numbered 第1轮.xlsx, 第2轮.xlsx, …",
            ),
            style="bold red",
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        check = verify_term(problem, [found[k] for k in sorted(found)])
    except InputError as exc:
        _fail_input(exc, lang)
    for k, violations in enumerate(check.rounds, start=1):
        mark = (
            _t(lang, "通过", "clean")
            if not violations
            else _t(lang, f"{len(violations)}处违规", f"{len(violations)} violation(s)")
        )
        out.print(_t(lang, f"第{k}轮：{mark}", f"round {k}: {mark}"), markup=False)
        for v in violations:
            out.print("  • " + v.render(lang), markup=False)
    for v in check.term:
        out.print("  • " + v.render(lang), markup=False)
    if not check.ok:
        raise typer.Exit(EXIT_INFEASIBLE)
    out.print(_t(lang, "全期名单复核通过。", "every round of the term is clean."), style="green")
