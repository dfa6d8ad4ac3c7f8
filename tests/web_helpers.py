"""Paths and helpers shared by the web tests (tests/web)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
ROTATION = ROOT / "data" / "examples" / "rotation"
MIXED = ROOT / "data" / "examples" / "mixed"
#: The row of the rotation example's 干部 sheet that ``broken_workbook`` spoils.
BROKEN_ROW = 12


def assignments(source: Path | bytes) -> list[tuple[str, ...]]:
    """The machine-readable seats of a roster workbook, as rows of text."""
    wb = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, read_only=True)
    rows = [tuple("" if v is None else str(v) for v in row) for row in wb["assignments"].iter_rows(values_only=True)]
    wb.close()
    return rows


def start_server(tmp: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """``crossinspect serve --no-browser --port 0`` with its private folder under ``tmp``; the URL it printed."""
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "crossinspect.cli", "serve", "--no-browser", "--port", "0", *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    url = next((word for word in first.replace("：", " ").split() if word.startswith("http://")), "")
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise AssertionError(f"serve did not start: {first}{proc.communicate()[0]}")
    return proc, url


def stop_server(proc: subprocess.Popen[str]) -> str:
    """Ctrl-C the server and return everything it printed after its first line."""
    if proc.stdout is None or proc.stdout.closed:
        return ""  # already stopped and read by the test
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        output, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    return output
