"""The server's private folder: every upload and output lives here, and goes when it stops."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

PREFIX = "crossinspect-web-"
_PID_FILE = "owner.pid"


class Workspace:
    """A folder only this user can open (0700), removed by ``remove``.

    Each request or job gets a sub-folder of its own, so two uploads with the same file
    name never meet, and a job's files go when the job is dropped.
    """

    def __init__(self, parent: str | Path | None = None) -> None:
        sweep_stale(parent)
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))  # mode 0700
        (self.root / _PID_FILE).write_text(str(os.getpid()), encoding="ascii")

    def folder(self, kind: str) -> Path:
        """A new empty private sub-folder under ``kind`` (jobs, requests, files)."""
        base = self.root / kind
        base.mkdir(mode=0o700, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=secrets.token_hex(4) + "-", dir=base))

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def safe_name(name: str | None, fallback: str) -> str:
    """An uploaded file's own name, without any folder part, usable on every system.

    Only the last path component is kept (browsers on Windows may send ``C:\\...``),
    control characters and characters Windows forbids are dropped, and the length is
    capped; Chinese names stay as they are, since messages name the file by them.
    """
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*'
    )
    base = base.strip().strip(".")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 120 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else base[:120]
    return base or fallback


def sweep_stale(parent: str | Path | None = None) -> None:
    """Remove folders left by servers that ended without cleaning up.

    Closing the console window on Windows ends the process at once, so a server cannot
    always remove its folder itself; the next one does, when the owner is gone.
    """
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    for folder in where.glob(PREFIX + "*"):
        with contextlib.suppress(OSError, ValueError):
            if not folder.is_dir() or folder.is_symlink() or folder.stat().st_uid != _uid():
                continue
            pid = int((folder / _PID_FILE).read_text(encoding="ascii").strip())
            if pid != os.getpid() and not _alive(pid):
                shutil.rmtree(folder, ignore_errors=True)


def _uid() -> int:
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid is not None else 0  # st_uid is 0 on Windows too


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    # os.kill(pid, 0) would send CTRL_C_EVENT on Windows; ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return bool(ok) and code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
