"""What a new user starts with: a blank input workbook, the examples, the rules keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..io.safety import OutputError
from .console import EXIT_BAD_INPUT, _check_lang, _fail_input, _t, err, out
from .options import Lang


def template(
    path: Annotated[Path, typer.Argument(help="输出的空白模板 .xlsx")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    lang: Lang = "zh",
) -> None:
    """写出空白输入模板（含表头、下拉选项和填写说明）。Write a blank input workbook."""
    from ..io.safety import check_output_path
    from ..io.template import write_template

    lang = _check_lang(lang)
    try:
        check_output_path(path, [], force=force)
        write_template(path, force=force)
    except OutputError as exc:
        _fail_input(exc, lang)
    out.print(_t(lang, f"已写出模板：{path}", f"template written: {path}"))


def example(
    directory: Annotated[Path, typer.Argument(help="写入示例的文件夹")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的示例文件")] = False,
    lang: Lang = "zh",
) -> None:
    """写出真实地名的示例（推磨式与混编各一）。Write the realistic examples."""
    from ..io.examples import write_example

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


def rules_cmd(lang: Lang = "zh") -> None:
    """列出全部规则项、默认值和含义。Print every rules key, its default and meaning."""
    from ..domain.rules import describe_rules

    lang = _check_lang(lang)
    table = Table(
        title=_t(
            lang,
            "规则项（可写入「规则」工作表或 --rules 的 TOML 文件；中文键、英文键均可）",
            "Rules keys (the 规则 sheet or a TOML file via --rules; Chinese or English keys)",
        )
    )
    # Keys are never cut: a clerk copies them into the 规则 sheet.
    table.add_column(_t(lang, "中文键", "Chinese key"), no_wrap=True)
    table.add_column(_t(lang, "英文键", "key"), no_wrap=True)
    table.add_column(_t(lang, "默认值", "default"), overflow="fold")
    table.add_column(_t(lang, "含义", "meaning"), overflow="fold")
    for doc in describe_rules(lang):
        table.add_row(doc.zh, doc.key, doc.default_words if lang == "zh" else doc.default, doc.meaning)
    out.print(table, markup=False)
