"""Rosters written again from a roster: ``render`` after a hand edit, ``replan`` after
people drop out or are pinned."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..domain.errors import InputError
from ..domain.plan import Status
from ..io.safety import OutputError
from .console import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    _check_lang,
    _ensure_folder,
    _fail_input,
    _Report,
    _t,
    _write_report,
    err,
    out,
)
from .options import JsonOpt, Lang, RulesOpt, _inputs, _load, _overrides
from .outcome import _print_changes, _print_result, _report_infeasible


def render(
    path: Annotated[Path, typer.Argument(help="输入工作簿")],
    roster: Annotated[Path, typer.Argument(help="手工修改后的名单 .xlsx")],
    output: Annotated[Path, typer.Option("--output", "-o", help="重新生成的名单 .xlsx")],
    rules: RulesOpt = None,
    json_out: JsonOpt = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
    lang: Lang = "zh",
) -> None:
    """按手工修改后的名单重新生成全部工作表，并独立校验。Rewrite every sheet from a hand-edited plan."""
    from ..io.render import render as run_render
    from ..io.safety import check_output_path

    lang = _check_lang(lang)
    inputs = _inputs(path, rules, roster)
    report = _Report("render", json_out, input_path=path, rules_file=rules, inputs=inputs, force=force)
    try:
        _ensure_folder(output, lang)
        check_output_path(output, inputs, force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    report.check(lang, output)
    problem = _load(path, rules, {}, lang, report)
    try:
        with err.status(_t(lang, "正在校验并重新生成名单…", "checking and rewriting the roster…")):
            done = run_render(problem, roster, output, lang=lang, force=force, input_paths=inputs)
    except InputError as exc:
        _fail_input(exc, lang, report)
    except OutputError as exc:
        _fail_input(exc, lang)
    _write_report(
        report,
        "violations" if done.violations else "clean",
        lang,
        problem=problem,
        plan=done.plan,
        violations=done.violations,
        edited=done.edited,
        roster_file=done.path.name,
        changes=None if done.changes is None else [vars(c) for c in done.changes],
    )
    if done.changes is None:
        out.print(
            _t(
                lang,
                "名单的两处都已修改，无法与写出时的名单比对。",
                "both copies of the plan were edited; the changes cannot be listed.",
            ),
            style="yellow",
        )
    elif done.changes:
        out.print(
            _t(
                lang,
                f"与写出时的名单相比，调整 {len(done.changes)} 人：",
                f"{len(done.changes)} change(s) against the roster as written:",
            )
        )
        _print_changes(problem, done.changes, lang)
    else:
        out.print(_t(lang, "未发现人工调整。", "no hand edit found."))
    if done.violations:
        err.print(
            _t(
                lang,
                f"独立校验发现 {len(done.violations)} 处违规（已印在名单的「校验结果」表上）：",
                f"{len(done.violations)} violation(s), printed on the roster's 校验结果 sheet:",
            ),
            style="bold red",
        )
        for v in done.violations:
            err.print("  • " + v.render(lang), markup=False)
        out.print(
            _t(
                lang,
                f"名单已写出：{done.path}（未通过独立校验）",
                f"roster written: {done.path} (it breaks the rules above)",
            ),
            style="yellow",
        )
        raise typer.Exit(EXIT_INFEASIBLE)
    out.print(
        _t(
            lang,
            f"名单已写出：{done.path}（已通过独立校验，各表均按修改后的名单生成）",
            f"roster written: {done.path} (independently verified; every sheet shows the edited plan)",
        ),
        style="green",
    )


def replan(
    path: Annotated[Path, typer.Argument(help="输入工作簿")],
    roster: Annotated[Path, typer.Argument(help="原名单 .xlsx")],
    output: Annotated[Path, typer.Option("--output", "-o", help="新名单 .xlsx")],
    drop: Annotated[
        list[str] | None, typer.Option("--drop", help="不再参加的干部：编号，或不重名时的姓名；可重复")
    ] = None,
    pin: Annotated[
        list[str] | None, typer.Option("--pin", help="指定 干部=组别，如 张三=第三组 或 ZZ012=3；可重复")
    ] = None,
    rules: RulesOpt = None,
    seed: Annotated[str | None, typer.Option("--seed", help="抽签种子：任意文字")] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="时限（秒）")] = None,
    json_out: JsonOpt = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
    alternates: Annotated[bool, typer.Option("--alternates/--no-alternates", help="附备选人员表（默认附）")] = True,
    lang: Lang = "zh",
) -> None:
    """人员变动后以最少变更重新编组，并写出「变更」表。Re-plan with the fewest changed seats."""
    from ..io.roster import RosterExtras, write_roster
    from ..io.roster_reader import read_plan
    from ..io.safety import check_output_path
    from ..workflows.replan import replan as run_replan

    lang = _check_lang(lang)
    pins: list[tuple[str, str]] = []
    for item in pin or []:
        who, sep, team = item.replace("＝", "=").partition("=")
        if not sep or not who.strip() or not team.strip():
            err.print(
                _t(
                    lang,
                    f"--pin 须写成 干部=组别（如 张三=第三组），而不是「{item}」",
                    f"--pin must be CADRE=TEAM (e.g. ZZ012=3), not '{item}'",
                ),
                markup=False,
            )
            raise typer.Exit(EXIT_BAD_INPUT)
        pins.append((who.strip(), team.strip()))
    inputs = _inputs(path, rules, roster)
    overrides = _overrides(seed, time_limit, None, False)
    report = _Report(
        "replan", json_out, input_path=path, rules_file=rules, inputs=inputs, force=force, overrides=overrides
    )
    try:
        _ensure_folder(output, lang)
        check_output_path(output, inputs, force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    report.check(lang, output)
    problem = _load(path, rules, overrides, lang, report)
    try:
        previous = read_plan(roster, problem)
        with err.status(_t(lang, "正在以最少变更重新编组…", "re-planning with the fewest changes…")):
            outcome = run_replan(problem, previous, drop=drop or [], pins=pins)
    except InputError as exc:
        _fail_input(exc, lang, report)
    result = outcome.result
    if result.plan is None:
        if result.status is Status.INFEASIBLE:
            _report_infeasible(
                outcome.problem, [], output, lang, force, inputs, result.explanation, report=report, result=result
            )
        _write_report(report, result.status.value, lang, problem=outcome.problem, result=result)
        err.print(
            _t(
                lang,
                "在时限内未找到新名单（未证明无解）。可加大 --time-limit 后重试。",
                "No new roster within the time limit (infeasibility not proven).",
            ),
            style="bold red",
        )
        raise typer.Exit(EXIT_INFEASIBLE)
    if result.violations:
        _write_report(report, "internal-error", lang, problem=outcome.problem, result=result)
        err.print(
            _t(
                lang,
                "内部错误：新名单未通过独立校验，未写出。",
                "internal error: the new roster failed verification; nothing written.",
            ),
            style="bold red",
        )
        raise typer.Exit(3)
    if previous.arcs and not outcome.cycle_kept:
        err.print(
            _t(
                lang,
                "注意：原轮换循环已无法保持，新名单采用了新的循环。",
                "note: the previous rotation cycle could not be kept; the new roster uses a new one.",
            ),
            style="yellow",
        )
    extras = RosterExtras(changes=tuple(outcome.changes))
    if alternates:
        from ..diagnose.alternates import find_alternates

        with err.status(_t(lang, "正在逐一校验备选人员…", "verifying alternates…")):
            extras = RosterExtras(
                changes=tuple(outcome.changes), alternates=tuple(find_alternates(outcome.problem, result.plan))
            )
    try:
        write_roster(outcome.problem, result, output, lang=lang, force=force, input_paths=inputs, extras=extras)
        report.write(
            result.status.value,
            problem=outcome.problem,
            result=result,
            changes=[vars(c) for c in outcome.changes],
            changed_seats=outcome.changed_seats,
            cycle_kept=outcome.cycle_kept,
        )
    except OutputError as exc:
        _fail_input(exc, lang)
    out.print(
        _t(
            lang,
            f"变更 {outcome.changed_seats} 个席位（{len(outcome.changes)} 人）：",
            f"{outcome.changed_seats} seat(s) changed ({len(outcome.changes)} people):",
        )
    )
    _print_changes(outcome.problem, outcome.changes, lang)
    _print_result(result, output, lang)
