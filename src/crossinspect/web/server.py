"""``crossinspect serve``: the page on this computer, in the browser, until the window closes."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import signal
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from typing import Any

DEFAULT_PORT = 8765
#: Ports tried after the default when it is taken and no ``--port`` was given.
FALLBACK_PORTS = 20


class Refused(Exception):
    """The server cannot start as asked; carries the message in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def render(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this computer only: ``localhost`` or a loopback address.

    Other names are not resolved: a name that resolves to loopback today may not
    tomorrow, so anything but these needs ``--allow-remote``.
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> None:
    """Refuse an address reachable from other computers unless ``allow_remote``."""
    if not is_loopback(host) and not allow_remote:
        raise Refused(
            f"拒绝在 {host} 上开放网页：这个地址能被其他电脑访问，上传的干部信息和名单会暴露在网络上。"
            "本机使用无需指定 --host；确需让其他电脑访问，请加 --allow-remote（没有登录验证，只在可信的内网中使用）。",
            f"refusing to listen on {host}: other computers can reach it, and the uploaded cadre data and "
            "rosters would be exposed on the network. Leave out --host to use this computer only; to let "
            "other computers in, add --allow-remote (there is no login: use it only on a trusted network).",
        )


def bind(host: str, port: int | None) -> socket.socket:
    """A listening socket on ``host``: ``port``, or the default port or one of the next few when free."""
    bind_host = "127.0.0.1" if host.lower() == "localhost" else host.strip("[]")
    family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
    candidates = [port] if port is not None else [DEFAULT_PORT + k for k in range(FALLBACK_PORTS)]
    last: OSError | None = None
    for candidate in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if sys.platform != "win32":
                # Lets a restarted server take its port back at once; on Windows the
                # same option would let two servers share the port.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((bind_host, candidate))
            sock.listen(128)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
                break
    shown = port if port is not None else f"{DEFAULT_PORT}–{DEFAULT_PORT + FALLBACK_PORTS - 1}"
    reason = last.strerror if last is not None and last.strerror else str(last)
    raise Refused(
        f"无法在 {host} 的端口 {shown} 上开放网页（{reason}）。可用 --port 指定另一个端口。",
        f"cannot listen on {host} port {shown} ({reason}). Choose another with --port.",
    )


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host.lower() == "localhost" else host.strip("[]")
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def allowed_hosts(sock: socket.socket, host: str, allow_remote: bool) -> frozenset[str] | None:
    """The Host headers to answer: this computer's names for a loopback server, any for a remote one."""
    if allow_remote and not is_loopback(host):
        return None
    port = sock.getsockname()[1]
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"})


def serve(
    host: str = "127.0.0.1",
    port: int | None = None,
    *,
    open_browser: bool = True,
    allow_remote: bool = False,
    lang: str = "zh",
    echo: Callable[[str], None] = print,
) -> None:
    """Run the page until interrupted; the private upload folder is removed on the way out.

    Raises ``Refused`` (before anything listens) for a host beyond this computer without
    ``allow_remote``, or a port that cannot be had.
    """
    check_host(host, allow_remote)
    sock = bind(host, port)
    import uvicorn

    from .app import create_app
    from .workspace import Workspace

    workspace = Workspace()
    url = url_of(sock, host)
    app = create_app(workspace, allowed_hosts=allowed_hosts(sock, host, allow_remote))
    # No access log: request lines name job ids and downloads, and nothing a request
    # carries is to be logged. Errors are logged by the application without message text.
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    page = url if lang == "zh" else url + "?lang=en"

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            echo(
                f"crossinspect 网页已启动：{page}  （按 Ctrl+C 或关闭本窗口即退出）"
                if lang == "zh"
                else f"crossinspect page running at {page}  (Ctrl+C or close this window to quit)"
            )
            if open_browser:
                with contextlib.suppress(Exception):
                    webbrowser.open(page)

    threading.Thread(target=announce, name="crossinspect-announce", daemon=True).start()
    previous = _stop_on_signals()
    try:
        server.run(sockets=[sock])
    except (KeyboardInterrupt, _Stopped):
        pass  # Ctrl-C or a termination signal is how a server is meant to end
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        app.state.web.jobs.close()
        workspace.remove()
        sock.close()


class _Stopped(Exception):
    pass


def _raise_stopped(signum: int, frame: object) -> None:
    raise _Stopped


def _stop_on_signals() -> dict[int, Any]:
    """Make a termination signal unwind the stack, so the private folder is removed.

    uvicorn shuts down gracefully on SIGTERM (and SIGBREAK, Ctrl+Break on Windows) and
    then raises the signal again with the handler it found.
    With the default handler that ends the process at once, before any clean-up; with
    this one it raises, and ``serve`` cleans up and returns.
    """
    if threading.current_thread() is not threading.main_thread():
        return {}
    signals = [getattr(signal, name) for name in ("SIGTERM", "SIGBREAK") if hasattr(signal, name)]
    return {sig: signal.signal(sig, _raise_stopped) for sig in signals}
