"""``crossinspect serve``: the local web page and HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from .console import EXIT_BAD_INPUT, _check_lang, err, out
from .options import Lang


def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址（默认只限本机）")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option("--port", help="端口（默认 8765，被占用时顺延）")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="允许在本机以外的地址上监听")] = False,
    lang: Lang = "zh",
) -> None:
    """打开本机编组网页和 HTTP 接口。Serve the local web page and HTTP API (loopback only by default)."""
    from ..web.server import Refused
    from ..web.server import serve as run_serve

    lang = _check_lang(lang)
    try:
        run_serve(
            host,
            port,
            open_browser=not no_browser,
            allow_remote=allow_remote,
            lang=lang,
            echo=lambda text: out.print(text, markup=False),
        )
    except Refused as exc:
        err.print(exc.render(lang), style="bold red", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from exc
