"""``crossinspect commit``: the commitment an office publishes before a draw."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .console import _check_lang, _t, out
from .options import Lang, RulesOpt, _load


def commit(
    path: Annotated[Path, typer.Argument(help="输入工作簿 .xlsx 或 CSV 文件夹")],
    rules: RulesOpt = None,
    lang: Lang = "zh",
) -> None:
    """打印抽签前公布的承诺值（输入与规则的SHA-256）。Print the commitment to publish before a draw."""
    from ..domain.commitment import commitment, short

    lang = _check_lang(lang)
    problem = _load(path, rules, {}, lang)
    digest = commitment(problem.book, problem.rules)
    out.print(short(digest), markup=False)
    out.print(_t(lang, f"完整值（SHA-256）：{digest}", f"full SHA-256: {digest}"), markup=False)
    out.print(
        _t(
            lang,
            "此值由输入工作簿的内容和规则（抽签种子、时限、线程数除外）算出；抽签前公布，"
            "名单上印有同一值，任何改动都会使其改变。",
            "computed from the workbook's content and the rules (but the seed, time limit and workers); "
            "publish it before the draw: the roster prints the same value, and any change alters it.",
        ),
        markup=False,
    )
