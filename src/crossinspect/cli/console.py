"""Where the command line speaks: its two consoles, the language, exit codes (SPEC §4), bad
input and output, and the ``--json`` document every command can write."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from ..domain.errors import InputError
from ..io.safety import OutputError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT = 0, 1, 2


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


class _Report:
    """``--json``: one document per run, written whatever the outcome (io/result_json.py)."""

    def __init__(
        self,
        command: str,
        path: Path | None,
        *,
        input_path: Path,
        rules_file: Path | None,
        inputs: list[Path],
        force: bool,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self.command, self.path, self.input_path, self.rules_file = command, path, input_path, rules_file
        self.inputs, self.force, self.overrides = inputs, force, overrides or {}
        self.redact_ids: list[str] | None = None

    def check(self, lang: str, *others: Path) -> None:
        """Refuse a --json path over an input or another output before any work is done."""
        if self.path is None:
            return
        from ..io.safety import check_output_path

        try:
            _ensure_folder(self.path, lang)
            check_output_path(self.path, [*self.inputs, *others], force=self.force)
        except OutputError as exc:
            _fail_input(exc, lang)

    def write(self, status: str, **fields: Any) -> None:
        if self.path is None:
            return
        from ..io.result_json import result_json, write_json

        data = result_json(self.command, status, input_path=self.input_path, **fields)
        if self.redact_ids is not None:
            from ..io.redact import redact_messages

            data = redact_messages(data, self.redact_ids)
        write_json(data, self.path, force=self.force, input_paths=self.inputs)

    def bad_input(self, exc: InputError) -> None:
        if self.path is None:
            return
        from ..io.load import load_rules

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
        err.print(
            _t(lang, f"输入有误（{len(exc.issues)}处）：", f"Bad input ({len(exc.issues)} problem(s)):"),
            style="bold red",
        )
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


def _write_report(report: _Report, status: str, lang: str, **fields: Any) -> None:
    """Write the --json document; a file that cannot be written is a bad output (exit 2)."""
    try:
        report.write(status, **fields)
    except OutputError as exc:
        _fail_input(exc, lang)


def _ensure_folder(target: Path, lang: str) -> None:
    """Create the output's folder, as a user giving ``-o out/roster.xlsx`` expects."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"无法创建输出文件夹 {target.parent}：{exc.strerror}",
            f"cannot create output folder {target.parent}: {exc.strerror}",
        ) from exc
