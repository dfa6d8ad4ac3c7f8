"""What a local server owes its user: no outside URL, no cross-site requests, no leftovers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from crossinspect.web.app import HERE, create_app
from crossinspect.web.workspace import Workspace, safe_name, sweep_stale
from web_helpers import ROTATION

# Anything that would make the browser reach beyond this server: an absolute or
# protocol-relative URL (http://, https://, //host), or a url()/src/href not starting at "/".
OUTSIDE = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*:)?//[a-z0-9\[]")
LINK = re.compile(r"""(?i)(?:src|href|action)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^"')]*)""")


def outside_urls(text: str) -> list[str]:
    found = [m.group(0) for m in OUTSIDE.finditer(text)]
    for m in LINK.finditer(text):
        target = m.group(1) if m.group(1) is not None else m.group(2)
        if target and not target.startswith(("/", "#", "data:")):
            found.append(target)
    return found


def test_the_check_itself_finds_outside_urls() -> None:
    """The pattern catches each way a page could load something from elsewhere."""
    for bad in (
        '<script src="https://unpkg.com/htmx.org"></script>',
        "<link href='//cdn.example/x.css'>",
        "@import url(http://fonts.example/a.css);",
        'fetch("https://api.example/x")',
        "<img src='pic.png'>",
        "background: url(fonts/x.woff)",
    ):
        assert outside_urls(bad), bad
    assert outside_urls('<script src="/static/app.js"></script> <a href="#top">') == []


def test_every_served_page_script_and_style_is_local(client: TestClient) -> None:
    """The page, in both languages, and every asset it links, name no outside URL."""
    for lang in ("zh", "en"):
        page = client.get(f"/?lang={lang}")
        assert page.status_code == 200
        assert outside_urls(page.text) == []
        assets = re.findall(r"""(?:src|href)="(/static/[^"]+)""", page.text)
        assert {"/static/app.js", "/static/app.css"} <= set(assets)
        for asset in assets:
            answer = client.get(asset)
            assert answer.status_code == 200, asset
            assert outside_urls(answer.text) == [], asset


def test_no_file_shipped_with_the_page_names_an_outside_url() -> None:
    """Every template and static file, including any not linked from the page today."""
    files = [p for p in (HERE / "templates").rglob("*") if p.is_file()]
    files += [p for p in (HERE / "static").rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert outside_urls(path.read_text("utf-8")) == [], path


def test_responses_forbid_outside_resources_and_framing(client: TestClient) -> None:
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert "server" not in headers or "uvicorn" not in headers["server"].lower()


def _files() -> dict[str, tuple[str, bytes]]:
    return {"workbook": ("input.xlsx", (ROTATION / "input.xlsx").read_bytes())}


def test_cross_origin_posts_are_refused(client: TestClient) -> None:
    """A page on another site cannot make the user's browser post to this server."""
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        for path in ("/api/check", "/api/solve", "/api/verify", "/api/jobs/x/stop"):
            answer = client.post(path, files=_files(), headers=headers)
            assert answer.status_code == 403, (path, headers)


def test_the_page_token_is_required_from_a_browser(client: TestClient) -> None:
    """Same-origin posts still need the token the page carries; tools without Origin need none."""
    page = client.get("/").text
    token = re.search(r'name="crossinspect-token" content="([^"]+)"', page)
    assert token is not None
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/check", files=_files(), headers=same).status_code == 403
    wrong = {**same, "X-Crossinspect-Token": token.group(1) + "x"}
    assert client.post("/api/check", files=_files(), headers=wrong).status_code == 403
    right = {**same, "X-Crossinspect-Token": token.group(1)}
    assert client.post("/api/check", files=_files(), headers=right).json()["ok"] is True
    assert client.post("/api/check", files=_files()).json()["ok"] is True  # curl: no Origin


def test_other_host_names_are_refused(client: TestClient) -> None:
    """A site that rebinds its name to 127.0.0.1 sends its own Host; it gets nothing."""
    for path in ("/", "/api/jobs/x", "/static/app.js"):
        assert client.get(path, headers={"Host": "evil.example"}).status_code == 421


def test_oversized_uploads_are_refused(workspace: Workspace) -> None:
    app = create_app(workspace, allowed_hosts=frozenset({"testserver"}), max_upload=100_000)
    with TestClient(app) as small:
        answer = small.post("/api/check", files={"workbook": ("big.xlsx", b"x" * 200_000)})
        assert answer.status_code == 413
        # Without a Content-Length header the body is counted as it arrives.
        chunks = (b"x" * 50_000 for _ in range(4))
        answer = small.post("/api/check", content=chunks, headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert answer.status_code == 413
    app.state.web.jobs.close()


def test_uploads_live_in_a_private_folder_and_go(client: TestClient, workspace: Workspace) -> None:
    """The workspace is 0700; a check's upload is gone when the answer comes; remove() empties it."""
    assert workspace.root.stat().st_mode & 0o777 == 0o700
    client.post("/api/check", files=_files())
    leftovers = [p for p in workspace.root.rglob("*") if p.is_file() and p.name != "owner.pid"]
    assert leftovers == []
    workspace.remove()
    assert not workspace.root.exists()


def test_stale_workspaces_of_dead_servers_are_swept(tmp_path: Path) -> None:
    """A folder whose server died (a closed console window) goes when the next server starts."""
    dead = tmp_path / "crossinspect-web-dead"
    dead.mkdir()
    (dead / "owner.pid").write_text("999999999", encoding="ascii")  # above any real pid
    (dead / "jobs").mkdir()
    live = Workspace(tmp_path)
    sweep_stale(tmp_path)
    assert not dead.exists()
    assert live.root.exists()  # this process's own folder stays
    live.remove()


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("第四轮干部名册.xlsx", "第四轮干部名册.xlsx"),
        ("C:\\Users\\clerk\\Desktop\\名单.xlsx", "名单.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b<c>.xlsx", "abc.xlsx"),
        ("..", "fallback.xlsx"),
        ("", "fallback.xlsx"),
    ],
)
def test_upload_names_lose_folders_and_odd_characters(given: str, kept: str) -> None:
    assert safe_name(given, "fallback.xlsx") == kept
