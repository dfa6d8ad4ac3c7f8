"""Safe output: formula-injection neutralising and atomic, never-over-the-input writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: A cell starting with one of these may be run as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def set_cell(cell: Any, value: Any) -> None:
    """Write a value into an openpyxl cell so that it can never run as a formula.

    Text a spreadsheet could take for a formula is stored as a string cell with
    Excel's own quote-prefix flag: it shows exactly as written (a cadre really named
    ``=cmd|...`` keeps that name on the roster) and editing it keeps it text.
    """
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


class OutputError(Exception):
    """The output cannot be written where asked; carries a Chinese and an English message."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(en)

    def render(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def check_output_path(out: str | Path, inputs: list[str | Path], *, force: bool) -> Path:
    """Refuse to write over an input, or over an existing file without ``force``."""
    target = Path(out)
    refuse = OutputError(f"输出文件 {target.name} 就是输入文件，拒绝覆盖输入。",
                         f"output {target.name} is an input file; refusing to overwrite it.")
    for item in inputs:
        p = Path(item)
        if p.resolve() == target.resolve():
            raise refuse
        with contextlib.suppress(OSError):  # hard links and other aliases of the input
            if p.exists() and target.exists() and os.path.samefile(p, target):
                raise refuse
    if target.exists() and not force:
        raise OutputError(f"输出文件 {target} 已存在；如需替换请加 --force。",
                          f"output {target} already exists; pass --force to replace it.")
    if target.exists() and target.is_dir():
        raise OutputError(f"输出路径 {target} 是一个文件夹。", f"output {target} is a directory.")
    return target


@contextlib.contextmanager
def atomic_path(out: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success rename it over ``out`` in one step.

    A crash or Ctrl-C before the rename leaves whatever was at ``out`` untouched and
    removes the temporary file, so a reader never sees a half-written roster.
    """
    target = Path(out)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp",
                                        dir=directory)
    except FileNotFoundError as exc:
        raise OutputError(f"输出文件夹不存在：{directory}",
                          f"output folder does not exist: {directory}") from exc
    except PermissionError as exc:
        raise OutputError(f"没有权限写入文件夹：{directory}",
                          f"no permission to write in: {directory}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600 files; a roster should get the permissions any new file gets.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"写入 {target} 失败：{exc.strerror or exc}",
                          f"writing {target} failed: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
