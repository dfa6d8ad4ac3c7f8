"""``crossinspect serve``: loopback only unless asked, a clean exit, and nothing personal printed."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from crossinspect.web import server
from factories import run_cli
from web_helpers import ROTATION, start_server, stop_server


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "example.org", "my-pc"])
def test_other_hosts_need_allow_remote(host: str) -> None:
    """Exit 2 with a message naming --allow-remote, before anything listens."""
    code, text = run_cli("serve", "--host", host, "--no-browser")
    assert code == 2
    assert "--allow-remote" in text and "拒绝" in text
    code, text = run_cli("serve", "--host", host, "--no-browser", "--lang", "en")
    assert code == 2 and "refusing to listen" in text


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts_need_no_flag(host: str) -> None:
    assert server.is_loopback(host)
    server.check_host(host, allow_remote=False)


def test_remote_serving_answers_any_host_name_and_loopback_only_its_own() -> None:
    sock = server.bind("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert sock.getsockname()[0] == "127.0.0.1"
        assert server.allowed_hosts(sock, "127.0.0.1", allow_remote=False) == {
            f"127.0.0.1:{port}",
            f"localhost:{port}",
            f"[::1]:{port}",
        }
        assert server.allowed_hosts(sock, "0.0.0.0", allow_remote=True) is None
        assert server.url_of(sock, "localhost") == f"http://127.0.0.1:{port}/"
    finally:
        sock.close()


def test_a_taken_default_port_moves_to_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --port a busy default moves on (a second window); with --port it is an error."""
    taken = server.bind("127.0.0.1", 0)
    port = taken.getsockname()[1]
    monkeypatch.setattr(server, "DEFAULT_PORT", port)
    try:
        moved = server.bind("127.0.0.1", None)
        assert port < moved.getsockname()[1] < port + server.FALLBACK_PORTS
        moved.close()
        with pytest.raises(server.Refused, match="--port"):
            server.bind("127.0.0.1", port)
    finally:
        taken.close()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on ``port``, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """A ``crossinspect serve`` process with its temporary folder under ``tmp_path``."""
    proc, url = start_server(tmp_path)
    yield proc, url, tmp_path
    stop_server(proc)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/net/tcp and sends SIGINT")
def test_serve_listens_on_loopback_logs_nothing_personal_and_cleans_up(
    served: tuple[subprocess.Popen[str], str, Path], broken_workbook: Path
) -> None:
    """One session as a tool would run it: check, solve, download; then Ctrl-C.

    The server listens on 127.0.0.1 only; what it printed names no cadre and no uploaded
    file; its private folder is gone when it exits.
    """
    proc, url, tmp = served
    port = int(url.rsplit(":", 1)[1].strip("/"))
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    folders = list(tmp.glob("crossinspect-web-*"))
    assert len(folders) == 1 and folders[0].stat().st_mode & 0o777 == 0o700

    with httpx.Client(base_url=url, timeout=60) as http:
        files = {"workbook": (broken_workbook.name, broken_workbook.read_bytes())}
        assert http.post("/api/check", files=files).json()["ok"] is False
        files = {
            "workbook": ("input.xlsx", (ROTATION / "input.xlsx").read_bytes()),
            "rules": ("rules.toml", (ROTATION / "rules.toml").read_bytes()),
        }
        job = http.post("/api/solve", files=files).json()["job"]
        for _ in range(600):
            state = http.get(f"/api/jobs/{job}").json()
            if state["status"] != "running" and state["status"] != "queued":
                break
            time.sleep(0.2)
        assert state["status"] == "done"
        roster = http.get(state["roster"])
        assert roster.status_code == 200
        assert http.get("/nothing-here").status_code == 404

    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert list(tmp.glob("crossinspect-web-*")) == []
    names = {name for team in state["result"]["teams"] for name in team["roles"]["leader"].split("、")}
    assert names and not any(name in output for name in names), output
    for text in (broken_workbook.name, "input.xlsx", job, "GET ", "POST "):
        assert text not in output, (text, output)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signal")
def test_sigterm_ends_the_server_cleanly(served: tuple[subprocess.Popen[str], str, Path]) -> None:
    """A service manager's SIGTERM: exit 0 and the private folder removed, like Ctrl-C."""
    proc, url, tmp = served
    assert httpx.get(url).status_code == 200
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert list(tmp.glob("crossinspect-web-*")) == []


def test_web_dependencies_stay_out_of_the_library_and_other_commands(tmp_path: Path) -> None:
    """With starlette, uvicorn, jinja2 and multipart unimportable, the library and the
    CLI's solve still work, and ``import crossinspect.cli`` loads none of them."""
    code = textwrap.dedent(f"""
        import sys
        import crossinspect.cli
        web = ("starlette", "uvicorn", "jinja2", "multipart", "python_multipart")
        assert not [m for m in sys.modules if m.split(".")[0] in web], "the CLI loaded a web package"
        for name in web:
            sys.modules[name] = None  # any import of it now fails
        import crossinspect as ci
        problem = ci.load_problem({str(ROTATION / "input.xlsx")!r}, rules_file={str(ROTATION / "rules.toml")!r})
        result = ci.solve(problem, time_limit=20, workers=1)
        assert result.plan is not None and ci.verify(problem, result.plan) == []
        from typer.testing import CliRunner
        out = CliRunner().invoke(crossinspect.cli.app, ["solve", {str(ROTATION / "input.xlsx")!r}, "--rules",
                                 {str(ROTATION / "rules.toml")!r}, "-o", {str(tmp_path / "r.xlsx")!r}])
        assert out.exit_code == 0, out.output
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


def test_serve_without_the_port_free_exits_2(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        code, text = run_cli("serve", "--no-browser", "--port", taken.getsockname()[1])
        assert code == 2 and "--port" in text
    finally:
        taken.close()
