"""``crossinspect verify``: re-check a roster against every rule, and with ``--reproduce``
make its draw again."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain.errors import InputError
from .console import EXIT_BAD_INPUT, EXIT_INFEASIBLE, _check_lang, _fail_input, _Report, _t, _write_report, err, out
from .options import JsonOpt, Lang, RulesOpt, _inputs, _load
from .progress import _Display


def verify(
    path: Annotated[Path, typer.Argument(help="输入工作簿")],
    roster: Annotated[Path, typer.Argument(help="要校验的名单 .xlsx（可为手工修改后的）")],
    rules: RulesOpt = None,
    reproduce: Annotated[
        bool, typer.Option("--reproduce", help="按名单记录的种子、工作量、规则和版本重新抽签，核对名单是否一致")
    ] = False,
    workers: Annotated[int | None, typer.Option("--workers", help="求解线程数（只影响速度）")] = None,
    json_out: JsonOpt = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的 JSON 输出")] = False,
    lang: Lang = "zh",
) -> None:
    """按全部规则复核一份名单（包括手工修改过的）。Re-check a roster against every rule."""
    from ..io.printed import printed_disagreements
    from ..io.roster_reader import read_roster
    from ..verify import verify as run_verify

    lang = _check_lang(lang)
    report = _Report(
        "verify", json_out, input_path=path, rules_file=rules, inputs=_inputs(path, rules, roster), force=force
    )
    report.check(lang)
    if reproduce and rules is None:
        problem = _recorded_problem(path, roster, lang, report)
    else:
        problem = _load(path, rules, {}, lang, report)
    try:
        read = read_roster(roster, problem)
    except InputError as exc:
        _fail_input(exc, lang, report)
    plan = read.plan
    violations = run_verify(problem, plan)
    stale = printed_disagreements(read, problem)
    # The draw is made again only for a roster that keeps every rule: a broken one is not it.
    redraw = _redraw(path, roster, workers, lang, report) if reproduce and not violations and not stale else None
    extra: dict[str, Any] = {}
    if redraw is not None:
        extra["reproduce"] = {"verdict": redraw.verdict.value, "zh": redraw.zh, "en": redraw.en}
    status = (
        "violations"
        if violations or stale
        else "clean"
        if redraw is None or redraw.verdict.value == "same"
        else redraw.verdict.value
    )
    _write_report(
        report,
        status,
        lang,
        problem=problem,
        plan=plan,
        violations=[*violations, *stale],
        roster_file=roster.name,
        edited=read.edited,
        **extra,
    )
    seats = sum(len(t.seats) for t in plan.teams)
    if not violations and not stale:
        out.print(
            _t(
                lang,
                f"校验通过：{len(plan.teams)} 个组、{seats} 个席位全部符合规则，各表与名单一致。",
                f"clean: {len(plan.teams)} teams, {seats} seats, every rule holds and every sheet "
                "agrees with the plan.",
            ),
            style="green",
        )
        if redraw is not None:
            _print_redraw(redraw, lang)
        return
    if violations:
        err.print(_t(lang, f"发现 {len(violations)} 处违规：", f"{len(violations)} violation(s):"), style="bold red")
        for v in violations:
            err.print("  • " + v.render(lang), markup=False)
    if stale:
        err.print(
            _t(
                lang,
                f"{len(stale)} 处工作表与所校验的名单不一致（手工修改后未重新生成）：",
                f"{len(stale)} sheet(s) disagree with the plan checked (edited by hand, not rewritten):",
            ),
            style="bold red",
        )
        for v in stale:
            err.print("  • " + v.render(lang), markup=False)
    if reproduce:
        err.print(
            _t(
                lang,
                "名单不符合规则，不是任何一次抽签的结果，未重新抽签。",
                "the roster breaks the rules, so no draw gave it; it was not drawn again.",
            ),
            style="bold red",
        )
    raise typer.Exit(EXIT_INFEASIBLE)


def _recorded_problem(path: Path, roster: Path, lang: str, report: _Report) -> Any:
    """The input read with the rules the roster records it was drawn with (``verify
    --reproduce`` without ``--rules``); the input's own rules when it records none."""
    from ..io.load import load_problem
    from ..io.reproduce import recorded_rules

    try:
        recorded = recorded_rules(roster)
        if recorded is None:
            return _load(path, None, {}, lang, report)
        return load_problem(path, recorded)
    except InputError as exc:
        _fail_input(exc, lang, report)


def _redraw(path: Path, roster: Path, workers: int | None, lang: str, report: _Report) -> Any:
    """The draw made again from the roster's record (io/reproduce.py), with progress."""
    from ..io.reproduce import reproduce

    display = _Display(lang)
    try:
        with display.status:
            return reproduce(path, roster, workers=workers, progress=display)
    except InputError as exc:
        _fail_input(exc, lang, report)


def _print_redraw(outcome: Any, lang: str) -> None:
    """Say whether the draw made again is this roster; exit 1 when it is another, 2 when it
    cannot be made again here."""
    from ..io.reproduce import Verdict

    if outcome.verdict is Verdict.SAME:
        out.print(
            _t(
                lang,
                "复现一致：按名单记录的种子、工作量、规则和版本重新抽签，得到的名单与此名单逐席相同。",
                "reproduced: the draw made again from the roster's record gives this roster, seat for seat.",
            ),
            style="green",
        )
        return
    head = (
        _t(lang, "重新抽签得到的名单与此名单不同：", "the draw made again gives another roster:")
        if outcome.verdict is Verdict.DIFFERENT
        else _t(lang, "无法复现：", "cannot reproduce:")
    )
    err.print(head, style="bold red")
    for line in outcome.zh if lang == "zh" else outcome.en:
        err.print("  • " + line, markup=False)
    raise typer.Exit(EXIT_INFEASIBLE if outcome.verdict is Verdict.DIFFERENT else EXIT_BAD_INPUT)
