"""Sparing the cyclic garbage collector the objects a command starts up with, and its last
pass at exit."""

from __future__ import annotations

import atexit
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache


@contextmanager
def _start_up_spared() -> Iterator[Callable[[], None]]:
    """Keep the cyclic garbage collector off the objects a command starts up with.

    Reading the workbook and importing openpyxl, OR-Tools and pandas make some 200,000
    objects that live until the command ends, and the collector would walk them again
    at each of its older-generation passes: 0.1-0.2 s of an S solve. It is paused until
    the caller calls the function this yields; everything alive then is frozen (left out
    of every later pass) until the command ends. What reading left behind (openpyxl's
    workbook is a web of cycles) is frozen with it and freed after the command, as a
    later full pass would have done. A process whose collector is already off or frozen
    is left as it is.
    """
    if not gc.isenabled() or gc.get_freeze_count():
        yield lambda: None
        return
    frozen = False

    def started() -> None:
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            gc.enable()

    gc.disable()
    try:
        yield started
    finally:
        if frozen:
            gc.unfreeze()
        gc.enable()


@cache
def _skip_final_collection() -> None:
    """Leave out, at exit, the collector's last pass over every object.

    As it shuts down, CPython collects the whole heap once more and frees what it finds
    object by object, memory the operating system takes back anyway: 0.1-0.2 s of an S
    solve. Frozen objects are left out of that pass. Registered with atexit (once), so a
    process that runs commands in-process, such as the tests, keeps its collector
    until it ends. Files are closed when written, so none waits on that pass.
    """
    atexit.register(gc.freeze)
