"""The ``crossinspect`` command: a thin layer over the library.

Exit codes (SPEC §4): 0 success, 1 infeasible or violations, 2 bad input.

This module makes the typer ``app`` (the console entry ``crossinspect.cli:app``) and
registers the commands, each written in the module named for what it does. Names with a
leading underscore in these modules are the command line's own: shared between them, not
part of the library's API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from . import check, commit, getting_started, history, rewrite, serve, solve, term, verify
from .chinese_help import _Command, _Group
from .console import out

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    cls=_Group,
    help="交叉巡察组编组工具 crossinspect — staff cross-inspection teams with CP-SAT.",
)


def _version(value: bool) -> None:
    if value:
        from ..domain.versions import distribution_version

        out.print(
            f"crossinspect {distribution_version('crossinspect')}（OR-Tools {distribution_version('ortools')}）",
            markup=False,
        )
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本并退出。Show the version.", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """交叉巡察组编组工具 crossinspect — staff cross-inspection teams with CP-SAT."""


#: Every command with its name when it is not the function's, in the order help lists them.
_COMMANDS: tuple[tuple[Callable[..., Any], str | None], ...] = (
    (getting_started.template, None),
    (getting_started.example, None),
    (getting_started.rules_cmd, "rules"),
    (check.check, None),
    (solve.solve, None),
    (verify.verify, None),
    (commit.commit, None),
    (rewrite.render, None),
    (rewrite.replan, None),
    (history.history, None),
    (term.plan_term_cmd, "plan-term"),
    (term.verify_term_cmd, "verify-term"),
    (serve.serve, None),
)
for _command, _name in _COMMANDS:
    app.command(_name, cls=_Command)(_command)


def main() -> None:  # pragma: no cover - console entry
    app()
