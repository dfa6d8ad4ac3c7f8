"""Safe files: formula-injection neutralising, atomic never-over-the-input writes, and
reading only regular files."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: A cell starting with one of these may be run as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
#: Characters an .xlsx cannot hold (openpyxl raises IllegalCharacterError on them).
_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def set_cell(cell: Any, value: Any) -> None:
    """Write a value into an openpyxl cell so that it can never run as a formula.

    Text a spreadsheet could take for a formula is stored as a string cell with
    Excel's own quote-prefix flag: it shows exactly as written (a cadre really named
    ``=cmd|...`` keeps that name on the roster) and editing it keeps it text.
    """
    if isinstance(value, str) and _ILLEGAL_RE.search(value):
        # The reader refuses such characters in the input, but a title from a rules file
        # can still carry one; U+FFFD shows where it was instead of failing the write.
        value = _ILLEGAL_RE.sub("\ufffd", value)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


class NotARegularFile(OSError):
    """An input path that is a FIFO, a device, a socket or a folder: refused before reading.

    Reading a FIFO would wait for a writer forever and a device such as /dev/zero never
    ends, so such a path is refused at once. ``zh`` and ``en`` say what it is.
    """

    def __init__(self, path: str | Path, mode: int) -> None:
        kinds = ((stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
                 (stat.S_ISCHR, "字符设备", "a character device"),
                 (stat.S_ISBLK, "块设备", "a block device"),
                 (stat.S_ISSOCK, "套接字", "a socket"),
                 (stat.S_ISDIR, "文件夹", "a folder"))
        what_zh, what_en = next(((zh, en) for test, zh, en in kinds if test(mode)),
                                ("特殊文件", "a special file"))
        self.zh = f"不是普通文件，而是{what_zh}，拒绝读取"
        self.en = f"is {what_en}, not a regular file; refused"
        super().__init__(errno.EINVAL, self.en, str(path))


class FileTooLarge(OSError):
    """A regular file larger than the reader's limit; ``size`` is its size in bytes."""

    def __init__(self, path: str | Path, size: int) -> None:
        self.size = size
        super().__init__(errno.EFBIG, f"{size} bytes", str(path))


def read_regular_file(path: str | Path, *, limit: int | None = None) -> bytes:
    """The bytes of ``path``, refusing at once anything but a regular file.

    The type is checked with ``stat`` before opening (opening a FIFO would block, opening a
    device may act on it), then again on the open descriptor, so a path swapped between
    the two checks is refused too. ``limit`` refuses a larger file before reading it.
    Raises ``NotARegularFile``, ``FileTooLarge`` or another ``OSError``.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotARegularFile(path, st.st_mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(path, st.st_mode)
        if limit is not None and st.st_size > limit:
            raise FileTooLarge(path, st.st_size)
        data = fh.read() if limit is None else fh.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise FileTooLarge(path, len(data))  # it grew while being read
    return data


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
    if target.is_dir():
        raise OutputError(f"输出路径 {target} 是一个文件夹。", f"output {target} is a directory.")
    if target.exists() and not force:
        raise OutputError(f"输出文件 {target} 已存在；如需替换请加 --force。",
                          f"output {target} already exists; pass --force to replace it.")
    return target


def _os_error(exc: OSError, target: Path, directory: Path) -> OutputError:
    """A clerk's message for a failed write; the file that was at ``target`` is untouched."""
    kept_zh = "（原有文件未改动）" if target.exists() else ""
    kept_en = " (the existing file is unchanged)" if target.exists() else ""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"磁盘空间不足，无法写入 {target}{kept_zh}；请清理磁盘或换一个位置保存。",
                           f"the disk is full: cannot write {target}{kept_en}; free some space or "
                           "save elsewhere.")
    if code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        return OutputError(f"没有权限写入 {directory}{kept_zh}；请换一个有写权限的文件夹，"
                           "或先关闭在 Excel/WPS 中打开的同名文件。",
                           f"no permission to write in {directory}{kept_en}; choose a folder you "
                           "can write to, or close the file if Excel/WPS has it open.")
    if code == errno.EROFS:
        return OutputError(f"文件夹 {directory} 是只读的，无法写入{kept_zh}。",
                           f"folder {directory} is read-only; cannot write{kept_en}.")
    if isinstance(exc, FileNotFoundError):
        return OutputError(f"输出文件夹不存在：{directory}", f"output folder does not exist: {directory}")
    reason = exc.strerror or str(exc)
    return OutputError(f"写入 {target} 失败：{reason}{kept_zh}",
                       f"writing {target} failed: {reason}{kept_en}")


#: Signals that end the process by default and would otherwise strike mid-write.
_DEFERRED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                          if hasattr(signal, name))


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGTERM (and SIGHUP) until the block ends, then deliver them.

    The default action of SIGTERM kills the process at once, which would leave the
    temporary file behind; held for the second or so a save takes, the signal then
    acts as it would have, on a file that is either complete or absent. Ctrl-C is
    not held: it raises KeyboardInterrupt, and the cleanup below removes the file.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    # Re-arm Python's own Ctrl-C handler: a C library may have replaced it underneath
    # Python (CP-SAT's catch_sigint_signal leaves SIGINT at its default, kill without
    # cleanup, after a solve), and getsignal() cannot tell.
    with contextlib.suppress(ValueError, OSError, TypeError):
        current = signal.getsignal(signal.SIGINT)
        if current is not None:
            signal.signal(signal.SIGINT, current)
    pending: list[int] = []
    previous: dict[int, Any] = {}

    def hold(signum: int, frame: object) -> None:
        pending.append(signum)

    for sig in _DEFERRED_SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            previous[sig] = signal.signal(sig, hold)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in dict.fromkeys(pending):
            os.kill(os.getpid(), signum)


@contextlib.contextmanager
def atomic_path(out: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success rename it over ``out`` in one step.

    A crash, Ctrl-C, a full disk or a permission error before the rename leaves
    whatever was at ``out`` untouched and removes the temporary file, so a reader
    never sees a half-written roster; SIGTERM is held until the rename is done. Two
    runs writing the same ``out`` each write their own temporary file, and each
    rename is atomic, so the result is one complete file, never a mix.
    """
    target = Path(out)
    directory = target.parent if str(target.parent) else Path(".")
    with _signals_deferred():
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.",
                                            suffix=target.suffix + ".tmp", dir=directory)
        except OSError as exc:
            raise _os_error(exc, target, directory) from exc
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            # mkstemp creates 0600 files; a roster should get the permissions any new file gets.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            yield tmp
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise _os_error(exc, target, directory) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise
        # The rename is durable only once the folder entry is on disk too.
        with contextlib.suppress(OSError):
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
