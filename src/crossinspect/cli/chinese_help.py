"""Help in Chinese: typer's panels, a word for each value in place of its type, no type noise."""

from __future__ import annotations

from typing import Any

import typer.rich_utils as typer_rich
from typer.core import TyperCommand, TyperGroup

#: What help shows for a value, in place of typer's <path>, <int>, <list[str]>; flags show none.
_METAVARS = {
    "path": "输入",
    "roster": "名单",
    "rosters": "名单…",
    "directory": "文件夹",
    "output": "文件",
    "rules": "规则文件",
    "json_out": "文件",
    "seed": "种子",
    "time_limit": "秒",
    "workers": "个数",
    "drop": "干部",
    "pin": "干部=组别",
    "round_label": "轮次",
    "lang": "zh|en",
    "rounds": "轮数",
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
