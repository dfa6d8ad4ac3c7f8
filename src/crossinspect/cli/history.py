"""``crossinspect history``: add a round's seats to the history, for the next round's input."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..domain.errors import InputError
from ..io.safety import OutputError
from .console import _check_lang, _ensure_folder, _fail_input, _t, out
from .options import Lang, RulesOpt, _inputs, _load


def history(
    path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
    rosters: Annotated[list[Path], typer.Argument(help="本轮名单 .xlsx，可多份")],
    round_label: Annotated[str, typer.Option("--round", help="本轮轮次名称，如「2026年第四轮」")],
    output: Annotated[Path, typer.Option("--output", "-o", help="新的输入工作簿 .xlsx")],
    rules: RulesOpt = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出")] = False,
    lang: Lang = "zh",
) -> None:
    """把本轮名单的席位追加到往轮记录，写出下一轮用的输入工作簿。Add this round's seats to the history."""
    from ..io.history_book import add_history
    from ..io.safety import check_output_path

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
    out.print(
        _t(
            lang,
            f"已在往轮记录中追加 {len(added.rows)} 行（轮次「{label}」）；组长的「末位」一栏待质量评估后填写。",
            f"{len(added.rows)} history row(s) added; fill in 末位 for the leaders after the evaluation.",
        )
    )
    out.print(_t(lang, f"已写出：{added.path}", f"written: {added.path}"), style="green")
