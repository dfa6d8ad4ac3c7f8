"""The ``crossinspect`` command: a thin layer over the library.

Exit codes (SPEC §4): 0 success, 1 infeasible or violations, 2 bad input.
"""

from __future__ import annotations

import atexit
import gc
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import typer.rich_utils as typer_rich
from rich.console import Console
from rich.table import Table
from typer.core import TyperCommand, TyperGroup

from .domain.errors import InputError
from .domain.models import ROLE_ORDER
from .domain.plan import Progress, SolveResult, Status
from .io.safety import OutputError

#: What help shows for a value, in place of typer's <path>, <int>, <list[str]>; flags show none.
_METAVARS = {
    "path": "输入", "roster": "名单", "rosters": "名单…", "directory": "文件夹", "output": "文件",
    "rules": "规则文件", "json_out": "文件", "seed": "种子", "time_limit": "秒", "workers": "个数",
    "drop": "干部", "pin": "干部=组别", "round_label": "轮次", "lang": "zh|en", "rounds": "轮数",
}


def _plain_help(command: Any) -> None:
    """Chinese help without typer's type noise: a word per value, nothing for a flag."""
    for param in command.params:
        if getattr(param, "is_flag", False):
            param.metavar = ""
            param.show_default = False  # the help says what the default is, in words
        elif param.metavar is None:
            param.metavar = _METAVARS.get(param.name or "", "值")
        if param.param_type_name == "argument":
            # An argument's word is its name on the usage line and in the table; no type after it.
            word = param.metavar + ("…" if param.nargs != 1 and not param.metavar.endswith("…") else "")
            param.display_type_rich = lambda ctx=None: None
            param._usage_display_name = lambda word=word: word


def _help_option(option: Any) -> Any:
    if option is not None:
        option.help, option.metavar = "显示本帮助并退出。Show this help and exit.", ""
    return option


class _Command(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = "[选项]"
        super().__init__(*args, **kwargs)
        _plain_help(self)

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(super().get_help_option(ctx))


class _Group(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = "[选项]"
        kwargs["subcommand_metavar"] = "命令 [参数]…"
        super().__init__(*args, **kwargs)
        _plain_help(self)

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(super().get_help_option(ctx))


# Headings and notes of typer's help panels, read when help is printed.
typer_rich.ARGUMENTS_PANEL_TITLE = "参数 Arguments"
typer_rich.OPTIONS_PANEL_TITLE = "选项 Options"
typer_rich.COMMANDS_PANEL_TITLE = "命令 Commands"
typer_rich.REQUIRED_LONG_STRING = "[必填]"
typer_rich.DEFAULT_STRING = "[默认：{}]"

app = typer.Typer(add_completion=False, no_args_is_help=True, cls=_Group,
                  help="交叉巡察组编组工具 crossinspect — staff cross-inspection teams with CP-SAT.")
_command = app.command


def _chinese_command(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("cls", _Command)
    return _command(*args, **kwargs)


app.command = _chinese_command  # type: ignore[method-assign]


def _version(value: bool) -> None:
    if value:
        from .domain.versions import distribution_version

        out.print(f"crossinspect {distribution_version('crossinspect')}"
                  f"（OR-Tools {distribution_version('ortools')}）", markup=False)
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", "-V", help="显示版本并退出。Show the version.",
                                                callback=_version, is_eager=True)] = False) -> None:
    """交叉巡察组编组工具 crossinspect — staff cross-inspection teams with CP-SAT."""

Lang = Annotated[str, typer.Option("--lang", help="zh 中文（默认）或 en English")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", "-r", help="规则文件 rules TOML")]
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT = 0, 1, 2


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


class _Report:
    """``--json``: one document per run, written whatever the outcome (io/result_json.py)."""

    def __init__(self, command: str, path: Path | None, *, input_path: Path, rules_file: Path | None,
                 inputs: list[Path], force: bool, overrides: dict[str, Any] | None = None) -> None:
        self.command, self.path, self.input_path, self.rules_file = command, path, input_path, rules_file
        self.inputs, self.force, self.overrides = inputs, force, overrides or {}
        self.redact_ids: list[str] | None = None

    def check(self, lang: str, *others: Path) -> None:
        """Refuse a --json path over an input or another output before any work is done."""
        if self.path is None:
            return
        from .io.safety import check_output_path

        try:
            _ensure_folder(self.path, lang)
            check_output_path(self.path, [*self.inputs, *others], force=self.force)
        except OutputError as exc:
            _fail_input(exc, lang)

    def write(self, status: str, **fields: Any) -> None:
        if self.path is None:
            return
        from .io.result_json import result_json, write_json

        data = result_json(self.command, status, input_path=self.input_path, **fields)
        if self.redact_ids is not None:
            from .io.redact import redact_messages

            data = redact_messages(data, self.redact_ids)
        write_json(data, self.path, force=self.force, input_paths=self.inputs)

    def bad_input(self, exc: InputError) -> None:
        if self.path is None:
            return
        from .io.load import load_rules

        try:
            rules = load_rules(self.input_path, rules_file=self.rules_file, overrides=self.overrides)
        except InputError:
            rules = None  # the rules themselves are bad, or the input cannot be read at all
        with suppress(OutputError):  # the input error is what is reported
            self.write("bad-input", errors=exc.issues, warnings=exc.warnings, rules=rules)


def _fail_input(exc: InputError | OutputError, lang: str, report: _Report | None = None) -> NoReturn:
    if report is not None and isinstance(exc, InputError):
        report.bad_input(exc)
    if isinstance(exc, InputError):
        err.print(_t(lang, f"输入有误（{len(exc.issues)}处）：", f"Bad input ({len(exc.issues)} problem(s)):"),
                  style="bold red")
        for issue in exc.issues:
            err.print(f"  • {issue.render(lang)}", markup=False)
    else:
        err.print(exc.render(lang), style="bold red", markup=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def _check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        err.print(f"--lang must be zh or en, not {lang!r}")
        raise typer.Exit(EXIT_BAD_INPUT)
    return lang


def _overrides(seed: str | None, time_limit: float | None, workers: int | None,
               strict: bool, effort: float | None = None) -> dict[str, Any]:
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


def _load(path: Path, rules: Path | None, overrides: dict[str, Any], lang: str, report: _Report | None = None):
    from .io.load import load_problem

    try:
        return load_problem(path, rules_file=rules, overrides=overrides)
    except InputError as exc:
        _fail_input(exc, lang, report)


JsonOpt = Annotated[Path | None, typer.Option("--json", help="另存 JSON 结果（无论成败都写出）")]


@app.command()
def template(path: Annotated[Path, typer.Argument(help="输出的空白模板 .xlsx")],
             force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
             lang: Lang = "zh") -> None:
    """写出空白输入模板（含表头、下拉选项和填写说明）。Write a blank input workbook."""
    from .io.safety import check_output_path
    from .io.template import write_template

    lang = _check_lang(lang)
    try:
        check_output_path(path, [], force=force)
        write_template(path, force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    out.print(_t(lang, f"已写出模板：{path}", f"template written: {path}"))


@app.command()
def example(directory: Annotated[Path, typer.Argument(help="写入示例的文件夹")],
            force: Annotated[bool, typer.Option("--force", help="覆盖已存在的示例文件")] = False,
            lang: Lang = "zh") -> None:
    """写出真实地名的示例（推磨式与混编各一）。Write the realistic examples."""
    from .io.examples import write_example

    lang = _check_lang(lang)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        paths = write_example(directory, force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    except OSError as exc:
        err.print(_t(lang, f"无法写入：{exc}", f"cannot write: {exc}"), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    for p in paths:
        out.print(str(p), markup=False)


@app.command("rules")
def rules_cmd(lang: Lang = "zh") -> None:
    """列出全部规则项、默认值和含义。Print every rules key, its default and meaning."""
    from .domain.rules import describe_rules

    lang = _check_lang(lang)
    table = Table(title=_t(lang, "规则项（可写入「规则」工作表或 --rules 的 TOML 文件；中文键、英文键均可）",
                           "Rules keys (the 规则 sheet or a TOML file via --rules; Chinese or English keys)"))
    # Keys are never cut: a clerk copies them into the 规则 sheet.
    table.add_column(_t(lang, "中文键", "Chinese key"), no_wrap=True)
    table.add_column(_t(lang, "英文键", "key"), no_wrap=True)
    table.add_column(_t(lang, "默认值", "default"), overflow="fold")
    table.add_column(_t(lang, "含义", "meaning"), overflow="fold")
    for doc in describe_rules(lang):
        table.add_row(doc.zh, doc.key, doc.default_words if lang == "zh" else doc.default, doc.meaning)
    out.print(table, markup=False)


def _summary(problem: Any, lang: str) -> None:
    from .domain.rule_words import value_in_words

    counties = Counter(problem.county_name(c) for c in problem.cadre_county)
    table = Table(title=_t(lang, "干部池", "Cadre pools"))
    table.add_column(_t(lang, "县区", "county"))
    table.add_column(_t(lang, "干部", "cadres"), justify="right")
    for role in ROLE_ORDER:
        table.add_column(role.zh if lang == "zh" else role.value, justify="right")
    table.add_column(_t(lang, "巡察对象", "targets"), justify="right")
    targets = Counter(problem.county_name(c) for c in problem.target_county)
    for name in sorted(set(counties) | set(targets)):
        members = [c for c, k in zip(problem.cadres, problem.cadre_county, strict=True)
                   if problem.county_name(k) == name]
        row = [name, str(len(members))]
        for role in ROLE_ORDER:
            row.append(str(sum(role in c.roles for c in members)))
        row.append(str(targets.get(name, 0)))
        table.add_row(*row)
    out.print(table)
    out.print(_t(lang,
                 f"共 {len(problem.cadres)} 名干部、{len(counties)} 个县区干部池、{len(problem.targets)} 个巡察对象；"
                 f"编组方式 {value_in_words('mode', problem.rules.mode.value)}，"
                 f"回避层级 {value_in_words('level', problem.rules.level.value)}。",
                 f"{len(problem.cadres)} cadres in {len(counties)} pools, {len(problem.targets)} targets; "
                 f"mode {problem.rules.mode.value}, level {problem.rules.level.value}."))
    for i, s in problem.sanctions.items():
        name = problem.cadres[i].name
        out.print(_t(lang, f"  R8 {name}（{s.cadre_id}）：{s.zh}", f"  R8 {name} ({s.cadre_id}): {s.en}"),
                  markup=False)
    for w in problem.warnings:
        err.print(_t(lang, "  警告：", "  warning: ") + w.render(lang), style="yellow", markup=False)


@app.command()
def check(path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
          rules: RulesOpt = None,
          strict: Annotated[bool, typer.Option("--strict", help="地名粒度不足视为错误")] = False,
          json_out: JsonOpt = None,
          force: Annotated[bool, typer.Option("--force", help="覆盖已存在的 JSON 输出")] = False,
          lang: Lang = "zh") -> None:
    """校验输入并做可行性预检，不求解。Validate input and pre-check feasibility."""
    lang = _check_lang(lang)
    overrides = _overrides(None, None, None, strict)
    report = _Report("check", json_out, input_path=path, rules_file=rules, inputs=_inputs(path, rules),
                     force=force, overrides=overrides)
    report.check(lang)
    problem = _load(path, rules, overrides, lang, report)
    _summary(problem, lang)
    from .diagnose.precheck import precheck

    findings = precheck(problem)
    _write_report(report, "infeasible" if findings else "ok", lang, problem=problem,
                  findings=[{"rule": f.rule, "zh": f.zh, "en": f.en} for f in findings])
    if findings:
        err.print(_t(lang, "预检发现无法编组的原因：", "Pre-check found why no roster exists:"),
                  style="bold red")
        for f in findings:
            err.print("  • " + f.render(lang), markup=False)
        raise typer.Exit(EXIT_INFEASIBLE)
    out.print(_t(lang, "输入有效，预检通过。", "Input is valid; pre-check passed."), style="green")


def _write_report(report: _Report, status: str, lang: str, **fields: Any) -> None:
    """Write the --json document; a file that cannot be written is a bad output (exit 2)."""
    try:
        report.write(status, **fields)
    except OutputError as exc:
        _fail_input(exc, lang)


class _Display:
    """Live solve progress on stderr: phase, best objective, bound, time used and left, effort."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.status = err.status(_t(lang, "正在建模…", "building model…"))

    def _clock(self, p: Progress) -> str:
        left = p.time_left
        effort = (f"，工作量 {p.effort_used:.1f}/{p.effort:g}" if self.lang == "zh"
                  else f", effort {p.effort_used:.1f}/{p.effort:g}") if p.effort and p.effort_used is not None else ""
        if left is None:
            return _t(self.lang, f"已用 {p.elapsed:.1f} 秒", f"{p.elapsed:.1f}s") + effort
        return _t(self.lang, f"已用 {p.elapsed:.1f} 秒、剩余 {left:.0f} 秒",
                  f"{p.elapsed:.1f}s, {left:.0f}s left") + effort

    def __call__(self, p: Progress) -> None:
        clock = self._clock(p)
        if p.phase == "warmstart" and p.objective is not None:
            self.status.update(_t(
                self.lang, f"已有名单，目标值 {p.objective:g}，{clock}；继续优化…",
                f"a roster, objective {p.objective:g}, {clock}; improving…"))
            return
        if p.objective is None:
            # The rotation solver reports arcs done rather than objective values.
            self.status.update(_t(self.lang, f"逐一求解派出关系：已完成 {p.solutions} 个，{clock}",
                                  f"solving pool→county arcs: {p.solutions} done, {clock}"))
            return
        phase = {"goals": _t(self.lang, "优化软目标", "soft goals"),
                 "lottery": _t(self.lang, "抽签", "lottery")}.get(p.phase, p.phase)
        bound = "" if p.bound is None else _t(self.lang, f"，下界 {p.bound:g}", f", bound {p.bound:g}")
        self.status.update(_t(
            self.lang, f"{phase}：第{p.solutions}个方案，目标值 {p.objective:g}{bound}，{clock}",
            f"{phase}: solution {p.solutions}, objective {p.objective:g}{bound}, {clock}"))


@app.command()
def solve(path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
          output: Annotated[Path, typer.Option("--output", "-o", help="输出名单 .xlsx")],
          rules: RulesOpt = None,
          json_out: JsonOpt = None,
          seed: Annotated[str | None, typer.Option("--seed", help="抽签种子：任意文字，如公开开奖结果")] = None,
          effort: Annotated[float | None, typer.Option("--effort", help="搜索工作量（决定名单）")] = None,
          time_limit: Annotated[float | None,
                                typer.Option("--time-limit", help="时限（秒），整个运行的安全上限")] = None,
          workers: Annotated[int | None, typer.Option("--workers", help="求解线程数（只影响速度）")] = None,
          force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
          strict: Annotated[bool, typer.Option("--strict", help="地名粒度不足视为错误")] = False,
          alternates: Annotated[bool, typer.Option("--alternates/--no-alternates",
                                                   help="附备选人员表（默认附）")] = True,
          redact: Annotated[bool, typer.Option(
              "--redact", help="遮盖干部编号（供传阅；脱敏名单不能用于 verify）")] = False,
          lang: Lang = "zh") -> None:
    """编组并写出名单。Build the teams and write the roster."""
    from .io.safety import check_output_path

    started_at = time.monotonic()  # the time limit covers the whole run: reading to writing
    lang = _check_lang(lang)
    inputs = _inputs(path, rules)
    overrides = _overrides(seed, time_limit, workers, strict, effort)
    report = _Report("solve", json_out, input_path=path, rules_file=rules, inputs=inputs, force=force,
                     overrides=overrides)
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
        from .diagnose.precheck import precheck
        from .workflows import round as _round  # noqa: F401 -- OR-Tools and pandas, before the freeze

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
            _solve_and_write(problem, inputs, output, report, lang, force, alternates, redact, stop,
                             started_at + problem.rules.time_limit)
        finally:
            signal.signal(signal.SIGTERM, previous)


@contextmanager
def _start_up_spared() -> Iterator[Callable[[], None]]:
    """Keep the cyclic garbage collector off the objects a command starts up with.

    Reading the workbook and importing openpyxl, OR-Tools and pandas make some 200,000
    objects that live until the command ends, and the collector would walk them again
    at each of its older-generation passes: 0.1-0.2 s of an S solve. It is paused until
    the caller calls the function this yields; everything alive then is frozen (left out
    of every later pass) until the command ends. What reading left behind (openpyxl's
    workbook is a web of cycles) is frozen with it and freed after the command, as a
    later full pass would have done. A process whose collector is already off or frozen
    is left as it is.
    """
    if not gc.isenabled() or gc.get_freeze_count():
        yield lambda: None
        return
    frozen = False

    def started() -> None:
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            gc.enable()

    gc.disable()
    try:
        yield started
    finally:
        if frozen:
            gc.unfreeze()
        gc.enable()


@cache
def _skip_final_collection() -> None:
    """Leave out, at exit, the collector's last pass over every object.

    As it shuts down, CPython collects the whole heap once more and frees what it finds
    object by object, memory the operating system takes back anyway: 0.1-0.2 s of an S
    solve. Frozen objects are left out of that pass. Registered with atexit (once), so a
    process that runs commands in-process, such as the tests, keeps its collector
    until it ends. Files are closed when written, so none waits on that pass.
    """
    atexit.register(gc.freeze)


def _writing_reserve(problem: Any, limit: float) -> float:
    """Seconds kept back from the search for the alternates and writing the roster."""
    return min(max(1.0, 0.1 * limit), 5.0 + len(problem.targets) * 0.02)


def _solve_and_write(problem: Any, inputs: list[Path], output: Path, report: _Report, lang: str,
                     force: bool, alternates: bool, redact: bool, stop: threading.Event, deadline: float) -> None:
    from .io.roster import write_roster
    from .workflows.round import solve as run_solve

    display = _Display(lang)
    reserve = _writing_reserve(problem, problem.rules.time_limit)
    with display.status:
        result = run_solve(problem, progress=display, stop=stop,
                           time_limit=max(0.5, deadline - reserve - time.monotonic()))
    if result.status is Status.INFEASIBLE:
        _report_infeasible(problem, [], output, lang, force, inputs, result.explanation, report=report,
                           result=result)
    if result.plan is None:
        _write_report(report, result.status.value, lang, problem=problem, result=result)
        err.print(_t(lang, "在时限内未找到名单（未证明无解）。可加大 --time-limit 后重试。",
                     "No roster found within the time limit (infeasibility not proven). "
                     "Try a larger --time-limit."), style="bold red")
        raise typer.Exit(EXIT_INFEASIBLE)
    if result.violations:
        # A model bug, not a user error: never write a roster that breaks a rule.
        _write_report(report, "internal-error", lang, problem=problem, result=result)
        err.print(_t(lang, "内部错误：求得的名单未通过独立校验，未写出名单：",
                     "internal error: the roster failed independent verification; nothing written:"),
                  style="bold red")
        for v in result.violations:
            err.print("  • " + v.render(lang), markup=False)
        raise typer.Exit(3)
    extras = None
    # Interrupted: write the best roster now rather than spend more time on alternates.
    if alternates and not stop.is_set():
        from .diagnose.alternates import find_alternates
        from .io.roster import RosterExtras

        with err.status(_t(lang, "正在逐一校验备选人员…", "verifying alternates…")):
            # The alternates get what the search left, keeping a little for the writing.
            found = tuple(find_alternates(problem, result.plan, deadline=deadline - min(2.0, reserve / 2)))
        extras = RosterExtras(alternates=found,
                              alternates_partial=len(found) < sum(len(t.seats) for t in result.plan.teams))
    try:
        if redact:
            from .io.redact import write_redacted_roster

            write_redacted_roster(problem, result, output, lang=lang, force=force, input_paths=inputs,
                                  extras=extras)
        else:
            write_roster(problem, result, output, lang=lang, force=force, input_paths=inputs,
                         extras=extras)
        report.write(result.status.value, problem=problem, result=result)
    except OutputError as exc:
        _fail_input(exc, lang)
    _print_result(result, output, lang)
    if result.status is Status.INTERRUPTED:
        raise typer.Exit(130)


def _inputs(path: Path, rules: Path | None, *more: Path) -> list[Path]:
    """What no output may overwrite: the workbook (or CSV folder), the rules file, a roster read."""
    return [path, *([rules] if rules is not None else []), *more]


def _ensure_folder(target: Path, lang: str) -> None:
    """Create the output's folder, as a user giving ``-o out/roster.xlsx`` expects."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {target.parent}：{exc.strerror}",
                          f"cannot create output folder {target.parent}: {exc.strerror}") from exc


def _print_result(result: SolveResult, output: Path, lang: str) -> None:
    out.print(result.summary(lang), markup=False)
    if result.plan is not None and result.plan.arcs:
        chain = "→".join([a.source_name for a in result.plan.arcs] + [result.plan.arcs[0].source_name])
        out.print(_t(lang, f"轮换：{chain}", f"rotation: {chain}"), markup=False)
    if result.status is Status.INTERRUPTED:
        out.print(_t(lang, "已中断：写出的是目前最好的、已通过校验的名单。",
                     "interrupted: wrote the best verified roster so far."), style="yellow")
    out.print(_t(lang, f"名单已写出：{output}（已通过独立校验）",
                 f"roster written: {output} (independently verified)"), style="green")


def _report_infeasible(problem: Any, findings: list[Any], output: Path, lang: str,
                       force: bool, inputs: list[Path], explanation: Any = None, *,
                       report: _Report | None = None, result: SolveResult | None = None) -> NoReturn:
    from .diagnose.explain import explain

    if explanation is None:
        with err.status(_t(lang, "正在分析无解原因…", "explaining why there is no roster…")):
            explanation = explain(problem, findings)
    if report is not None:
        _write_report(report, "infeasible", lang, problem=problem, result=result, explanation=explanation)
    err.print(_t(lang, "无法编组：", "No roster satisfies the rules:"), style="bold red")
    err.print(explanation.render(lang), markup=False)
    try:
        from .io.explanation import write_explanation

        written = write_explanation(problem, explanation, output, lang=lang, force=force, input_paths=inputs)
        err.print(_t(lang, f"无解说明已写入：{written}", f"explanation written: {written}"))
    except OutputError as exc:
        err.print(exc.render(lang), markup=False)
    raise typer.Exit(EXIT_INFEASIBLE)


@app.command()
def verify(path: Annotated[Path, typer.Argument(help="输入工作簿")],
           roster: Annotated[Path, typer.Argument(help="要校验的名单 .xlsx（可为手工修改后的）")],
           rules: RulesOpt = None,
           reproduce: Annotated[bool, typer.Option(
               "--reproduce", help="按名单记录的种子、工作量、规则和版本重新抽签，核对名单是否一致")] = False,
           workers: Annotated[int | None, typer.Option("--workers", help="求解线程数（只影响速度）")] = None,
           json_out: JsonOpt = None,
           force: Annotated[bool, typer.Option("--force", help="覆盖已存在的 JSON 输出")] = False,
           lang: Lang = "zh") -> None:
    """按全部规则复核一份名单（包括手工修改过的）。Re-check a roster against every rule."""
    from .io.printed import printed_disagreements
    from .io.roster_reader import read_roster
    from .verify import verify as run_verify

    lang = _check_lang(lang)
    report = _Report("verify", json_out, input_path=path, rules_file=rules, inputs=_inputs(path, rules, roster),
                     force=force)
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
    status = ("violations" if violations or stale
              else "clean" if redraw is None or redraw.verdict.value == "same" else redraw.verdict.value)
    _write_report(report, status, lang, problem=problem, plan=plan, violations=[*violations, *stale],
                  roster_file=roster.name, edited=read.edited, **extra)
    seats = sum(len(t.seats) for t in plan.teams)
    if not violations and not stale:
        out.print(_t(lang, f"校验通过：{len(plan.teams)} 个组、{seats} 个席位全部符合规则，各表与名单一致。",
                     f"clean: {len(plan.teams)} teams, {seats} seats, every rule holds and every sheet "
                     "agrees with the plan."), style="green")
        if redraw is not None:
            _print_redraw(redraw, lang)
        return
    if violations:
        err.print(_t(lang, f"发现 {len(violations)} 处违规：", f"{len(violations)} violation(s):"),
                  style="bold red")
        for v in violations:
            err.print("  • " + v.render(lang), markup=False)
    if stale:
        err.print(_t(lang, f"{len(stale)} 处工作表与所校验的名单不一致（手工修改后未重新生成）：",
                     f"{len(stale)} sheet(s) disagree with the plan checked (edited by hand, not rewritten):"),
                  style="bold red")
        for v in stale:
            err.print("  • " + v.render(lang), markup=False)
    if reproduce:
        err.print(_t(lang, "名单不符合规则，不是任何一次抽签的结果，未重新抽签。",
                     "the roster breaks the rules, so no draw gave it; it was not drawn again."), style="bold red")
    raise typer.Exit(EXIT_INFEASIBLE)


def _recorded_problem(path: Path, roster: Path, lang: str, report: _Report) -> Any:
    """The input read with the rules the roster records it was drawn with (``verify
    --reproduce`` without ``--rules``); the input's own rules when it records none."""
    from .io.load import load_problem
    from .io.reproduce import recorded_rules

    try:
        recorded = recorded_rules(roster)
        if recorded is None:
            return _load(path, None, {}, lang, report)
        return load_problem(path, recorded)
    except InputError as exc:
        _fail_input(exc, lang, report)


def _redraw(path: Path, roster: Path, workers: int | None, lang: str, report: _Report) -> Any:
    """The draw made again from the roster's record (io/reproduce.py), with progress."""
    from .io.reproduce import reproduce

    display = _Display(lang)
    try:
        with display.status:
            return reproduce(path, roster, workers=workers, progress=display)
    except InputError as exc:
        _fail_input(exc, lang, report)


def _print_redraw(outcome: Any, lang: str) -> None:
    """Say whether the draw made again is this roster; exit 1 when it is another, 2 when it
    cannot be made again here."""
    from .io.reproduce import Verdict

    if outcome.verdict is Verdict.SAME:
        out.print(_t(lang, "复现一致：按名单记录的种子、工作量、规则和版本重新抽签，得到的名单与此名单逐席相同。",
                     "reproduced: the draw made again from the roster's record gives this roster, seat for seat."),
                  style="green")
        return
    head = (_t(lang, "重新抽签得到的名单与此名单不同：", "the draw made again gives another roster:")
            if outcome.verdict is Verdict.DIFFERENT else _t(lang, "无法复现：", "cannot reproduce:"))
    err.print(head, style="bold red")
    for line in outcome.zh if lang == "zh" else outcome.en:
        err.print("  • " + line, markup=False)
    raise typer.Exit(EXIT_INFEASIBLE if outcome.verdict is Verdict.DIFFERENT else EXIT_BAD_INPUT)


@app.command()
def commit(path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
           rules: RulesOpt = None,
           lang: Lang = "zh") -> None:
    """打印抽签前公布的承诺值（输入与规则的SHA-256）。Print the commitment to publish before a draw."""
    from .domain.commitment import commitment, short

    lang = _check_lang(lang)
    problem = _load(path, rules, {}, lang)
    digest = commitment(problem.book, problem.rules)
    out.print(short(digest), markup=False)
    out.print(_t(lang, f"完整值（SHA-256）：{digest}", f"full SHA-256: {digest}"), markup=False)
    out.print(_t(lang, "此值由输入工作簿的内容和规则（抽签种子、时限、线程数除外）算出；抽签前公布，"
                       "名单上印有同一值，任何改动都会使其改变。",
                 "computed from the workbook's content and the rules (but the seed, time limit and workers); "
                 "publish it before the draw: the roster prints the same value, and any change alters it."),
              markup=False)


@app.command()
def render(path: Annotated[Path, typer.Argument(help="输入工作簿")],
           roster: Annotated[Path, typer.Argument(help="手工修改后的名单 .xlsx")],
           output: Annotated[Path, typer.Option("--output", "-o", help="重新生成的名单 .xlsx")],
           rules: RulesOpt = None,
           json_out: JsonOpt = None,
           force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
           lang: Lang = "zh") -> None:
    """按手工修改后的名单重新生成全部工作表，并独立校验。Rewrite every sheet from a hand-edited plan."""
    from .io.render import render as run_render
    from .io.safety import check_output_path

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
    _write_report(report, "violations" if done.violations else "clean", lang, problem=problem, plan=done.plan,
                  violations=done.violations, edited=done.edited, roster_file=done.path.name,
                  changes=None if done.changes is None else [vars(c) for c in done.changes])
    if done.changes is None:
        out.print(_t(lang, "名单的两处都已修改，无法与写出时的名单比对。",
                     "both copies of the plan were edited; the changes cannot be listed."), style="yellow")
    elif done.changes:
        out.print(_t(lang, f"与写出时的名单相比，调整 {len(done.changes)} 人：",
                     f"{len(done.changes)} change(s) against the roster as written:"))
        _print_changes(problem, done.changes, lang)
    else:
        out.print(_t(lang, "未发现人工调整。", "no hand edit found."))
    if done.violations:
        err.print(_t(lang, f"独立校验发现 {len(done.violations)} 处违规（已印在名单的「校验结果」表上）：",
                     f"{len(done.violations)} violation(s), printed on the roster's 校验结果 sheet:"),
                  style="bold red")
        for v in done.violations:
            err.print("  • " + v.render(lang), markup=False)
        out.print(_t(lang, f"名单已写出：{done.path}（未通过独立校验）",
                     f"roster written: {done.path} (it breaks the rules above)"), style="yellow")
        raise typer.Exit(EXIT_INFEASIBLE)
    out.print(_t(lang, f"名单已写出：{done.path}（已通过独立校验，各表均按修改后的名单生成）",
                 f"roster written: {done.path} (independently verified; every sheet shows the edited plan)"),
              style="green")


def _print_changes(problem: Any, changes: Any, lang: str) -> None:
    """Who left, came or moved, by name and id: 调整 张三（ZZ012） 第三组 组员 → 第五组 组长."""
    from .domain.models import Role
    from .io.roster import role_label, team_label

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


@app.command()
def replan(path: Annotated[Path, typer.Argument(help="输入工作簿")],
           roster: Annotated[Path, typer.Argument(help="原名单 .xlsx")],
           output: Annotated[Path, typer.Option("--output", "-o", help="新名单 .xlsx")],
           drop: Annotated[list[str] | None, typer.Option(
               "--drop", help="不再参加的干部：编号，或不重名时的姓名；可重复")] = None,
           pin: Annotated[list[str] | None, typer.Option(
               "--pin", help="指定 干部=组别，如 张三=第三组 或 ZZ012=3；可重复")] = None,
           rules: RulesOpt = None,
           seed: Annotated[str | None, typer.Option("--seed", help="抽签种子：任意文字")] = None,
           time_limit: Annotated[float | None, typer.Option("--time-limit", help="时限（秒）")] = None,
           json_out: JsonOpt = None,
           force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
           alternates: Annotated[bool, typer.Option("--alternates/--no-alternates",
                                                    help="附备选人员表（默认附）")] = True,
           lang: Lang = "zh") -> None:
    """人员变动后以最少变更重新编组，并写出「变更」表。Re-plan with the fewest changed seats."""
    from .io.roster import RosterExtras, write_roster
    from .io.roster_reader import read_plan
    from .io.safety import check_output_path
    from .workflows.replan import replan as run_replan

    lang = _check_lang(lang)
    pins: list[tuple[str, str]] = []
    for item in pin or []:
        who, sep, team = item.replace("＝", "=").partition("=")
        if not sep or not who.strip() or not team.strip():
            err.print(_t(lang, f"--pin 须写成 干部=组别（如 张三=第三组），而不是「{item}」",
                         f"--pin must be CADRE=TEAM (e.g. ZZ012=3), not '{item}'"), markup=False)
            raise typer.Exit(EXIT_BAD_INPUT)
        pins.append((who.strip(), team.strip()))
    inputs = _inputs(path, rules, roster)
    overrides = _overrides(seed, time_limit, None, False)
    report = _Report("replan", json_out, input_path=path, rules_file=rules, inputs=inputs, force=force,
                     overrides=overrides)
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
            _report_infeasible(outcome.problem, [], output, lang, force, inputs, result.explanation,
                               report=report, result=result)
        _write_report(report, result.status.value, lang, problem=outcome.problem, result=result)
        err.print(_t(lang, "在时限内未找到新名单（未证明无解）。可加大 --time-limit 后重试。",
                     "No new roster within the time limit (infeasibility not proven)."), style="bold red")
        raise typer.Exit(EXIT_INFEASIBLE)
    if result.violations:
        _write_report(report, "internal-error", lang, problem=outcome.problem, result=result)
        err.print(_t(lang, "内部错误：新名单未通过独立校验，未写出。", "internal error: the new roster failed "
                     "verification; nothing written."), style="bold red")
        raise typer.Exit(3)
    if previous.arcs and not outcome.cycle_kept:
        err.print(_t(lang, "注意：原轮换循环已无法保持，新名单采用了新的循环。",
                     "note: the previous rotation cycle could not be kept; the new roster uses a new one."),
                  style="yellow")
    extras = RosterExtras(changes=tuple(outcome.changes))
    if alternates:
        from .diagnose.alternates import find_alternates

        with err.status(_t(lang, "正在逐一校验备选人员…", "verifying alternates…")):
            extras = RosterExtras(changes=tuple(outcome.changes),
                                  alternates=tuple(find_alternates(outcome.problem, result.plan)))
    try:
        write_roster(outcome.problem, result, output, lang=lang, force=force, input_paths=inputs, extras=extras)
        report.write(result.status.value, problem=outcome.problem, result=result,
                     changes=[vars(c) for c in outcome.changes], changed_seats=outcome.changed_seats,
                     cycle_kept=outcome.cycle_kept)
    except OutputError as exc:
        _fail_input(exc, lang)
    out.print(_t(lang, f"变更 {outcome.changed_seats} 个席位（{len(outcome.changes)} 人）：",
                 f"{outcome.changed_seats} seat(s) changed ({len(outcome.changes)} people):"))
    _print_changes(outcome.problem, outcome.changes, lang)
    _print_result(result, output, lang)


@app.command()
def history(path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
            rosters: Annotated[list[Path], typer.Argument(help="本轮名单 .xlsx，可多份")],
            round_label: Annotated[str, typer.Option("--round", help="本轮轮次名称，如「2026年第四轮」")],
            output: Annotated[Path, typer.Option("--output", "-o", help="新的输入工作簿 .xlsx")],
            rules: RulesOpt = None,
            force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
            lang: Lang = "zh") -> None:
    """把本轮名单的席位追加到往轮记录，写出下一轮用的输入工作簿。Add this round's seats to the history."""
    from .io.history_book import add_history
    from .io.safety import check_output_path

    lang = _check_lang(lang)
    inputs = _inputs(path, rules, *rosters)
    try:
        _ensure_folder(output, lang)
        check_output_path(output, inputs, force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    problem = _load(path, rules, {}, lang)
    try:
        added = add_history(problem, rosters, round_label, output, force=force, input_paths=inputs)
    except (InputError, OutputError) as exc:
        _fail_input(exc, lang)
    label = added.rows[0].round if added.rows else round_label
    out.print(_t(lang, f"已在往轮记录中追加 {len(added.rows)} 行（轮次「{label}」）；"
                       "组长的「末位」一栏待质量评估后填写。",
                 f"{len(added.rows)} history row(s) added; fill in 末位 for the leaders after the evaluation."))
    out.print(_t(lang, f"已写出：{added.path}", f"written: {added.path}"), style="green")


class _TermDisplay:
    """Live progress of a term on stderr: the round, then the solver's own report."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.status = err.status(_t(lang, "正在分配各轮巡察对象…", "dealing the targets over the rounds…"))

    def __call__(self, p: Any) -> None:  # crossinspect.term.TermProgress
        head = _t(self.lang, f"第{p.round}/{p.rounds}轮", f"round {p.round}/{p.rounds}")
        if p.step == "retry":
            self.status.update(_t(self.lang, f"{head}无解，重新分配尚未编组的巡察对象（第{p.attempt + 1}种分配）…",
                                  f"{head} has no roster; re-dealing the remaining targets (split {p.attempt + 1})…"))
            return
        s = p.solve
        if s is None:
            return
        why = _t(self.lang, "（上一轮组长不再任组长则无解，已放开）", " (previous leaders may lead again)") \
            if p.step == "fallback" else ""
        if s.objective is None or s.bound is None:
            text = _t(self.lang, f"已完成 {s.solutions} 个派出关系", f"{s.solutions} arcs done")
        else:
            text = _t(self.lang, f"目标值 {s.objective:g}，下界 {s.bound:g}", f"objective {s.objective:g}, "
                                                                              f"bound {s.bound:g}")
        self.status.update(_t(self.lang, f"{head}{why}：{text}，已用 {s.elapsed:.1f} 秒",
                              f"{head}{why}: {text}, {s.elapsed:.1f}s"))


@app.command("plan-term")
def plan_term_cmd(path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
                  rounds: Annotated[int, typer.Option("--rounds", "-k", help="全期轮数")],
                  output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹")],
                  rules: RulesOpt = None,
                  seed: Annotated[str | None, typer.Option("--seed", help="抽签种子：任意文字")] = None,
                  time_limit: Annotated[float | None, typer.Option("--time-limit", help="每轮时限（秒）")] = None,
                  workers: Annotated[int | None, typer.Option("--workers", help="求解线程数")] = None,
                  force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
                  strict: Annotated[bool, typer.Option("--strict", help="地名粒度不足视为错误")] = False,
                  lang: Lang = "zh") -> None:
    """全期计划：K轮内每个巡察对象恰好巡察一次。Plan a whole term: every target once in K rounds."""
    from .io.safety import check_output_path
    from .io.term_files import write_term
    from .workflows.term import OVERVIEW_FILE, ROUND_FILE, plan_term

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
        err.print(_t(lang, "内部错误：某轮名单未通过独立校验，未写出：", "internal error: a round failed "
                     "independent verification; nothing written:"), style="bold red")
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
    out.print(_t(lang, "全期名单已写出（各轮均以前几轮为往轮记录，通过独立校验）。",
                 "term rosters written (each round independently verified with the earlier rounds as "
                 "history)."), style="green")


@app.command("verify-term")
def verify_term_cmd(path: Annotated[Path, typer.Argument(help="输入工作簿")],
                    directory: Annotated[Path, typer.Argument(help="全期名单所在文件夹（第1轮.xlsx …）")],
                    rules: RulesOpt = None,
                    lang: Lang = "zh") -> None:
    """逐轮复核全期名单（前几轮作为往轮记录）。Re-check a term's rosters round by round."""
    import re

    from .io.term_files import verify_term

    lang = _check_lang(lang)
    problem = _load(path, rules, {}, lang)
    found = {int(m.group(1)): p for p in directory.glob("第*轮.xlsx")
             if (m := re.fullmatch(r"第(\d+)轮\.xlsx", p.name))}
    if not found or sorted(found) != list(range(1, len(found) + 1)):
        err.print(_t(lang, f"{directory} 中没有连续编号的 第1轮.xlsx、第2轮.xlsx……",
                     f"{directory} holds no consecutively numbered 第1轮.xlsx, 第2轮.xlsx, …"), style="bold red")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        check = verify_term(problem, [found[k] for k in sorted(found)])
    except InputError as exc:
        _fail_input(exc, lang)
    for k, violations in enumerate(check.rounds, start=1):
        mark = _t(lang, "通过", "clean") if not violations else _t(lang, f"{len(violations)}处违规",
                                                                   f"{len(violations)} violation(s)")
        out.print(_t(lang, f"第{k}轮：{mark}", f"round {k}: {mark}"), markup=False)
        for v in violations:
            out.print("  • " + v.render(lang), markup=False)
    for v in check.term:
        out.print("  • " + v.render(lang), markup=False)
    if not check.ok:
        raise typer.Exit(EXIT_INFEASIBLE)
    out.print(_t(lang, "全期名单复核通过。", "every round of the term is clean."), style="green")


@app.command()
def serve(host: Annotated[str, typer.Option("--host", help="监听地址（默认只限本机）")] = "127.0.0.1",
          port: Annotated[int | None, typer.Option("--port", help="端口（默认 8765，被占用时顺延）")] = None,
          no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
          allow_remote: Annotated[bool, typer.Option("--allow-remote", help="允许在本机以外的地址上监听")] = False,
          lang: Lang = "zh") -> None:
    """打开本机编组网页和 HTTP 接口。Serve the local web page and HTTP API (loopback only by default)."""
    from .web.server import Refused
    from .web.server import serve as run_serve

    lang = _check_lang(lang)
    try:
        run_serve(host, port, open_browser=not no_browser, allow_remote=allow_remote, lang=lang,
                  echo=lambda text: out.print(text, markup=False))
    except Refused as exc:
        err.print(exc.render(lang), style="bold red", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from exc


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

