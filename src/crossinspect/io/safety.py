"""Safe files: formula-injection neutralising, atomic never-over-the-input writes, and
reading only regular files."""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
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
        kinds = (
            (stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
            (stat.S_ISCHR, "字符设备", "a character device"),
            (stat.S_ISBLK, "块设备", "a block device"),
            (stat.S_ISSOCK, "套接字", "a socket"),
            (stat.S_ISDIR, "文件夹", "a folder"),
        )
        what_zh, what_en = next(((zh, en) for test, zh, en in kinds if test(mode)), ("特殊文件", "a special file"))
        self.zh = f"不是普通文件，而是{what_zh}，拒绝读取"
        self.en = f"is {what_en}, not a regular file; refused"
        super().__init__(errno.EINVAL, self.en, str(path))


class FileTooLarge(OSError):
    """A regular file larger than the reader's limit; ``size`` is its size in bytes."""

    def __init__(self, path: str | Path, size: int) -> None:
        self.size = size
        super().__init__(errno.EFBIG, f"file too large ({size} bytes)", str(path))


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


def input_files(inputs: Sequence[str | Path]) -> list[Path]:
    """Every file the inputs stand for: a workbook or rules file itself, and for a CSV
    input (a folder, or one .csv file of it) every CSV file of that folder, since the
    folder's CSV files form one input."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        folder = p if p.is_dir() else p.parent if p.suffix.lower() == ".csv" else None
        if folder is None:
            out.append(p)
            continue
        out.append(p)
        with contextlib.suppress(OSError):
            out.extend(sorted(c for c in folder.iterdir() if c.suffix.lower() == ".csv"))
    return out


def _csv_folders(inputs: Sequence[str | Path]) -> list[Path]:
    folders = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            folders.append(p)
        elif p.suffix.lower() == ".csv":
            folders.append(p.parent)
    return folders


def _same_file(a: Path, b: Path) -> bool:
    """One file under two names: equal once symlinks and ``..`` are resolved, or a hard link."""
    with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: a symlink loop
        if a.resolve() == b.resolve():
            return True
    with contextlib.suppress(OSError):
        return a.exists() and b.exists() and os.path.samefile(a, b)
    return False


def check_output_path(out: str | Path, inputs: Sequence[str | Path], *, force: bool) -> Path:
    """Refuse to write over an input, or over an existing file without ``force``.

    An input is the workbook, every CSV file of a CSV input folder and the rules file;
    the output is refused if it is one of them under any name (a symlink, ``..``, a hard
    link), and a new .csv file in a CSV input folder is refused because it would become
    part of the input. ``force`` only allows replacing a file that is not an input.
    """
    target = Path(out)
    for p in input_files(inputs):
        if _same_file(p, target):
            raise OutputError(
                f"输出文件 {target} 就是输入文件 {p}（同一文件、符号链接或硬链接），拒绝覆盖输入。",
                f"output {target} is the input file {p} (the same file, a symlink or a hard "
                "link); refusing to overwrite it.",
            )
    if target.suffix.lower() == ".csv":
        for folder in _csv_folders(inputs):
            if _same_file(folder, target.parent):
                raise OutputError(
                    f"输出文件 {target} 在 CSV 输入文件夹 {folder} 中，会成为输入的一部分，拒绝写出。",
                    f"output {target} is in the CSV input folder {folder} and would become part of the input; refused.",
                )
    if target.is_dir():
        raise OutputError(f"输出路径 {target} 是一个文件夹。", f"output {target} is a directory.")
    if target.exists() and not force:
        raise OutputError(
            f"输出文件 {target} 已存在；如需替换请加 --force。",
            f"output {target} already exists; pass --force to replace it.",
        )
    return target


def _os_error(exc: OSError, target: Path, directory: Path) -> OutputError:
    """A clerk's message for a failed write; the file that was at ``target`` is untouched."""
    kept_zh = "（原有文件未改动）" if target.exists() else ""
    kept_en = " (the existing file is unchanged)" if target.exists() else ""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(
            f"磁盘空间不足，无法写入 {target}{kept_zh}；请清理磁盘或换一个位置保存。",
            f"the disk is full: cannot write {target}{kept_en}; free some space or save elsewhere.",
        )
    if code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        return OutputError(
            f"没有权限写入 {directory}{kept_zh}；请换一个有写权限的文件夹，或先关闭在 Excel/WPS 中打开的同名文件。",
            f"no permission to write in {directory}{kept_en}; choose a folder you "
            "can write to, or close the file if Excel/WPS has it open.",
        )
    if code == errno.EROFS:
        return OutputError(
            f"文件夹 {directory} 是只读的，无法写入{kept_zh}。",
            f"folder {directory} is read-only; cannot write{kept_en}.",
        )
    if isinstance(exc, FileNotFoundError):
        return OutputError(f"输出文件夹不存在：{directory}", f"output folder does not exist: {directory}")
    reason = exc.strerror or str(exc)
    return OutputError(f"写入 {target} 失败：{reason}{kept_zh}", f"writing {target} failed: {reason}{kept_en}")


#: Signals that end the process by default and would otherwise strike mid-write.
_DEFERRED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


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


#: Private folders of writes in progress, removed at exit if a write never got to.
_LIVE: set[Path] = set()
#: tempfile.tempdir is one setting for the process: writes that redirect it take turns.
_TEMPDIR_LOCK = threading.RLock()


@atexit.register
def _remove_private_folders() -> None:
    for folder in list(_LIVE):
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def private_folder(directory: str | Path) -> Iterator[Path]:
    """A new folder inside ``directory`` that only this user can open (0700), removed on exit.

    Temporary files holding personal data (a roster before it is renamed into place, the
    sheets openpyxl spools while saving) live here, and nowhere else: while the block runs
    the process's temporary folder (``tempfile.tempdir``) is this folder too.
    """
    folder = Path(tempfile.mkdtemp(prefix=".crossinspect-", dir=directory))  # mkdtemp: 0700
    _LIVE.add(folder)
    try:
        with _TEMPDIR_LOCK:
            previous = tempfile.tempdir
            tempfile.tempdir = str(folder)
            try:
                yield folder
            finally:
                tempfile.tempdir = previous
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _LIVE.discard(folder)


def _create(tmp: Path, target: Path) -> None:
    """Give the finished ``tmp`` the name ``target``, failing if ``target`` exists by now.

    A hard link is created only if the name is free, in one step, so of two runs writing
    the same new output one wins and the other is told. Where the file system has no
    hard links (FAT, some network shares) the name is reserved with O_EXCL instead.
    """
    exists = OutputError(
        f"输出文件 {target} 已存在（可能刚由另一个同时运行的任务写出）；如需替换请加 --force。",
        f"output {target} already exists (perhaps another run has just written it); pass --force to replace it.",
    )
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise exists from None
    except OSError:
        pass  # no hard links here
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise exists from None
    os.close(fd)
    os.replace(tmp, target)


@contextlib.contextmanager
def atomic_path(out: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path for ``out``; on success it becomes ``out`` in one step.

    The temporary file is in a private folder beside ``out`` (same file system, so the
    last step is atomic). Without ``overwrite`` the output is created only if nothing has
    the name by then (``OutputError`` otherwise), so two runs cannot both write it; with
    ``overwrite`` it replaces whatever is there. A crash, Ctrl-C, a full disk or a
    permission error before that leaves ``out`` untouched and removes the private folder,
    so a reader never sees a half-written roster; SIGTERM is held until the end.
    """
    target = Path(out)
    directory = target.parent if str(target.parent) else Path(".")
    with _signals_deferred():
        stack = contextlib.ExitStack()
        try:
            folder = stack.enter_context(private_folder(directory))
        except OSError as exc:
            raise _os_error(exc, target, directory) from exc
        with stack:
            tmp = folder / (target.name or "output")
            try:
                yield tmp
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                # A roster gets the permissions any new file gets, not the private folder's.
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
                if overwrite:
                    os.replace(tmp, target)
                else:
                    _create(tmp, target)
            except OSError as exc:
                raise _os_error(exc, target, directory) from exc
        # The new name is durable only once the folder entry is on disk too.
        with contextlib.suppress(OSError):
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
