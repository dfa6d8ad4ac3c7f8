"""The offline install bundles (scripts/build_offline_bundle.py, issue 19 item 5).

The ``slow`` tests build both bundles from the package index, then install the Linux one
inside a network namespace with no network at all (``unshare -n``) and solve the example
with it. The others check the wheel-set check, the zip writer and the installer files
without the network.
"""

from __future__ import annotations

import codecs
import email.parser
import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_offline_bundle.py"
PYTHONS = ("3.11", "3.12")

_spec = importlib.util.spec_from_file_location("build_offline_bundle", SCRIPT)
assert _spec is not None and _spec.loader is not None
bundle = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bundle  # dataclasses look their module up while the class is built
_spec.loader.exec_module(bundle)

WINDOWS = {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"}


# ---- the wheel-set check, on wheels made here ------------------------------------------


def make_wheel(
    directory: Path,
    name: str,
    version: str = "1.0",
    tag: str = "py3-none-any",
    requires: tuple[str, ...] = (),
    requires_python: str | None = None,
) -> Path:
    """A minimal wheel: just the METADATA the check reads."""
    path = directory / f"{name}-{version}-{tag}.whl"
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(lines) + "\n")
    return path


def targets(platform: str) -> list:
    return [bundle.Target(platform, python) for python in PYTHONS]


def test_check_finds_a_windows_only_dependency_missing(tmp_path):
    """A requirement whose marker holds only on Windows is needed there, not on Linux.

    This is the requirement pip drops when it downloads for win_amd64 from Linux.
    """
    make_wheel(tmp_path, "crossinspect", requires=('colorama; platform_system == "Windows"',))
    for target in targets("linux"):
        assert bundle.check_wheels(tmp_path, target).problems == ()
    for target in targets("windows"):
        (problem,) = bundle.check_wheels(tmp_path, target).problems
        assert "colorama" in problem and target.python in problem
    make_wheel(tmp_path, "colorama")
    for target in targets("windows"):
        resolution = bundle.check_wheels(tmp_path, target)
        assert resolution.problems == ()
        assert set(resolution.picks) == {"crossinspect", "colorama"}


def test_check_follows_python_version_markers_and_tags(tmp_path):
    """A 3.11-only backport is needed on 3.11 only; a cp312 wheel does not serve 3.11."""
    make_wheel(tmp_path, "crossinspect", requires=('backport; python_version < "3.12"', "fast"))
    make_wheel(tmp_path, "backport")
    make_wheel(tmp_path, "fast", tag="cp312-cp312-win_amd64")
    py311, py312 = targets("windows")
    (problem,) = bundle.check_wheels(tmp_path, py311).problems
    assert "no wheel in the bundle fits fast" in problem
    assert "fast-1.0-cp312-cp312-win_amd64.whl" in problem  # says what is there instead
    resolution = bundle.check_wheels(tmp_path, py312)
    assert resolution.problems == ()
    assert "backport" not in resolution.picks


def test_check_reads_manylinux_tags_down_to_the_oldest(tmp_path):
    """manylinux2014 and manylinux_2_28 wheels serve Linux; a newer glibc's or Windows' do not."""
    make_wheel(tmp_path, "crossinspect", requires=("old", "new", "abi3"))
    make_wheel(tmp_path, "old", tag="cp311-cp311-manylinux2014_x86_64")
    make_wheel(tmp_path, "new", tag="cp311-cp311-manylinux_2_28_x86_64")
    make_wheel(tmp_path, "abi3", tag="cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64")
    py311 = bundle.Target("linux", "3.11")
    assert bundle.check_wheels(tmp_path, py311).problems == ()
    (tmp_path / "new-1.0-cp311-cp311-manylinux_2_28_x86_64.whl").unlink()
    make_wheel(tmp_path, "new", tag="cp311-cp311-manylinux_2_34_x86_64")
    make_wheel(tmp_path, "new", version="0.9", tag="cp311-cp311-win_amd64")
    (problem,) = bundle.check_wheels(tmp_path, py311).problems
    assert "fits new" in problem


def test_check_honours_extras_versions_and_requires_python(tmp_path):
    """An extra's requirements count; the newest wheel every requirer allows is chosen."""
    make_wheel(tmp_path, "crossinspect", requires=("web[fast]", "pinned<2"))
    make_wheel(tmp_path, "web", requires=('speedup; extra == "fast"', 'unused; extra == "other"'))
    make_wheel(tmp_path, "pinned", version="1.5")
    make_wheel(tmp_path, "pinned", version="2.0")
    make_wheel(tmp_path, "speedup", version="3.0", requires_python=">=3.12")
    py311, py312 = targets("linux")
    (problem,) = bundle.check_wheels(tmp_path, py311).problems
    assert "fits speedup" in problem and 'extra == "fast"' in problem
    resolution = bundle.check_wheels(tmp_path, py312)
    assert resolution.problems == ()
    assert str(resolution.picks["pinned"].version) == "1.5"
    assert "unused" not in resolution.picks


def test_check_moves_an_earlier_pick_when_a_later_requirer_limits_it(tmp_path):
    """A limit found deeper in the tree still applies to a package picked earlier."""
    make_wheel(tmp_path, "crossinspect", requires=("numpy", "solver"))
    make_wheel(tmp_path, "numpy", version="1.26")
    make_wheel(tmp_path, "numpy", version="2.0")
    make_wheel(tmp_path, "solver", requires=("numpy<2",))
    resolution = bundle.check_wheels(tmp_path, bundle.Target("linux", "3.12"))
    assert resolution.problems == ()
    assert str(resolution.picks["numpy"].version) == "1.26"


def test_check_refuses_an_sdist(tmp_path):
    """Only wheels may be in the bundle: an sdist would need a compiler and build tools offline."""
    make_wheel(tmp_path, "crossinspect")
    (tmp_path / "purelib-1.0.tar.gz").write_bytes(b"")
    (problem,) = bundle.check_wheels(tmp_path, bundle.Target("linux", "3.11")).problems
    assert "purelib-1.0.tar.gz: not a wheel" in problem


def test_requirements_are_read_from_pyproject(tmp_path):
    """The wheel set starts from [project].dependencies as the file says now."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["ortools>=9.10", "fastapi>=0.110"]\n')
    assert bundle.project_requirements(pyproject) == ["ortools>=9.10", "fastapi>=0.110"]
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["ortools >=>= 9"]\n')
    with pytest.raises(bundle.BundleError, match="ortools"):
        bundle.project_requirements(pyproject)


# ---- the zip and the installer files ---------------------------------------------------


def test_zip_is_sorted_reproducible_and_keeps_modes(tmp_path):
    """Same entries in any order give the same bytes; modes and UTF-8 names survive."""
    wheel = make_wheel(tmp_path, "crossinspect")
    entries = [
        ("b/安装.bat", b"@echo off\r\n", 0o644),
        ("a/install.sh", b"#!/bin/sh\n", 0o755),
        ("b/w.whl", wheel, 0o644),
    ]
    bundle.write_zip(entries, tmp_path / "one.zip")
    bundle.write_zip(list(reversed(entries)), tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["a/install.sh", "b/w.whl", "b/安装.bat"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert [(i.external_attr >> 16) & 0o777 for i in infos] == [0o755, 0o644, 0o644]
        assert infos[2].flag_bits & 0x800  # the name is marked UTF-8, which Explorer and 7-Zip honour
        assert archive.read("b/w.whl") == wheel.read_bytes()
    assert not list(tmp_path.glob("*.part"))


def test_batch_file_outside_gb2312_is_refused(tmp_path):
    """A character beyond GB2312 could put a byte like '|' into the batch file; the build stops."""
    source = tmp_path / "x.bat"
    source.write_text("@echo off\necho 喆\n", encoding="utf-8")  # in GBK, not in GB2312
    with pytest.raises(bundle.BundleError, match="GB2312"):
        bundle.render_launcher(source)


# ---- the real bundles (package index needed) -------------------------------------------


def _build(platform: str, out: Path) -> Path:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--platform", platform, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"building the {platform} bundle failed:\n{result.stdout}\n{result.stderr}"
    print(f"{platform} bundle built in {time.monotonic() - started:.1f} s")
    path = out / f"crossinspect-offline-{platform}.zip"
    assert path.is_file()
    return path


# The bundles, their unpacked copy and the environments take about a gigabyte; each is
# removed once its tests are done rather than left for pytest's retention of old runs.


@pytest.fixture(scope="module")
def linux_zip(tmp_path_factory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("linux-bundle")
    yield _build("linux", out)
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="module")
def windows_zip(tmp_path_factory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("windows-bundle")
    yield _build("windows", out)
    shutil.rmtree(out, ignore_errors=True)


def _wheels(archive: zipfile.ZipFile, folder: str) -> dict[str, tuple]:
    """Wheel file name -> (name, version, build, tags), for every wheel in the bundle."""
    prefix = f"{folder}/wheels/"
    names = [n[len(prefix) :] for n in archive.namelist() if n.startswith(prefix)]
    assert names and all(n.endswith(".whl") for n in names), names
    return {n: parse_wheel_filename(n) for n in names}


def _dependencies() -> list[Requirement]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return [Requirement(r) for r in tomllib.load(handle)["project"]["dependencies"]]


def _has_wheel_for(wheels: dict[str, tuple], name: str, python: str, platform: str) -> bool:
    """Whether a wheel of ``name`` serves ``python`` on ``platform`` ("win_amd64" or "manylinux")."""
    interpreter = "cp" + python.replace(".", "")
    for wheel_name, _version, _build, tags in wheels.values():
        if wheel_name != canonicalize_name(name):
            continue
        for tag in tags:
            on_platform = tag.platform == "win_amd64" if platform == "win_amd64" else tag.platform.startswith(platform)
            if tag.platform == "any" or (on_platform and (tag.interpreter == interpreter or tag.abi == "abi3")):
                return True
    return False


@pytest.mark.slow
def test_windows_bundle_holds_installers_and_win_amd64_wheels(windows_zip):
    """Windows: 安装.bat, 启动.bat and 说明.txt, and wheels for 3.11 and 3.12 on win_amd64.

    The batch files are GBK with CRLF (cmd.exe reads them in code page 936); 说明.txt is
    UTF-8 with a BOM so that Notepad shows it right.
    """
    folder = "crossinspect-offline-windows"
    with zipfile.ZipFile(windows_zip) as archive:
        names = set(archive.namelist())
        for name in ("安装.bat", "启动.bat", "说明.txt"):
            assert f"{folder}/{name}" in names
            assert archive.getinfo(f"{folder}/{name}").flag_bits & 0x800
        wheels = _wheels(archive, folder)
        assert names == {f"{folder}/{n}" for n in ("安装.bat", "启动.bat", "说明.txt")} | {
            f"{folder}/wheels/{w}" for w in wheels
        }

        for name in ("安装.bat", "启动.bat"):
            data = archive.read(f"{folder}/{name}")
            assert data.count(b"\n") > 10 and data.count(b"\n") == data.count(b"\r\n"), f"{name} is not CRLF"
            assert not data.startswith(codecs.BOM_UTF8)
            text = data.decode("gbk")
            assert text.encode("gb2312") == data  # every Chinese byte >= 0xA1, none mistakable for ASCII
            assert text.startswith("@echo off\r\n") and "。" in text
        install = archive.read(f"{folder}/安装.bat").decode("gbk")
        start = archive.read(f"{folder}/启动.bat").decode("gbk")
        assert "--no-index" in install and '--find-links "%~dp0wheels"' in install
        for command in ("py -3.12", "py -3.11", "python"):
            assert f'set "PY={command}"' in install
        assert "python.org" in install  # what to do when no Python is found
        assert r"%~dp0crossinspect-env" in install
        assert r'set "EXE=%~dp0crossinspect-env\Scripts\crossinspect.exe"' in start and '"%EXE%" serve' in start

        readme = archive.read(f"{folder}/说明.txt")
        assert readme.startswith(codecs.BOM_UTF8)
        assert readme.count(b"\n") == readme.count(b"\r\n")
        assert "双击「安装.bat」" in readme.decode("utf-8-sig") and "启动.bat" in readme.decode("utf-8-sig")

    assert "crossinspect" in {w[0] for w in wheels.values()}
    for wheel_name, _version, _build, tags in wheels.values():
        assert all(t.platform in ("any", "win_amd64") for t in tags), f"{wheel_name} is not for win_amd64"
    for requirement in _dependencies():
        for python in PYTHONS:
            assert _has_wheel_for(wheels, requirement.name, python, "win_amd64"), (requirement.name, python)
    for binary in ("ortools", "numpy", "pandas", "pydantic-core"):
        for python in PYTHONS:
            tag = f"cp{python.replace('.', '')}"
            assert any(w[0] == binary and any(t.interpreter == tag for t in w[3]) for w in wheels.values()), (
                binary,
                python,
            )


@pytest.mark.slow
def test_windows_bundle_holds_windows_only_dependencies(windows_zip):
    """A dependency declared for Windows only (typer's colorama) is in the Windows bundle.

    pip's --platform alone would leave it out when the bundle is built on Linux.
    """
    folder = "crossinspect-offline-windows"
    windows_only: set[str] = set()
    with zipfile.ZipFile(windows_zip) as archive:
        wheels = _wheels(archive, folder)
        for file_name in wheels:
            with zipfile.ZipFile(archive.open(f"{folder}/wheels/{file_name}")) as wheel:
                (metadata,) = [n for n in wheel.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
                headers = email.parser.BytesParser().parsebytes(wheel.read(metadata), headersonly=True)
            for text in headers.get_all("Requires-Dist") or ():
                requirement = Requirement(text)
                marker = requirement.marker
                if marker is None or "extra" in str(marker):
                    continue
                linux = {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux"}
                if marker.evaluate(WINDOWS) and not marker.evaluate(linux):
                    windows_only.add(canonicalize_name(requirement.name))
    assert windows_only, "no wheel declares a Windows-only dependency any more; this test has nothing to check"
    present = {w[0] for w in wheels.values()}
    assert windows_only <= present, windows_only - present


@pytest.mark.slow
def test_linux_bundle_holds_install_sh_and_manylinux_wheels(linux_zip):
    """Linux: an executable install.sh with LF endings, manylinux x86_64 wheels for 3.11 and 3.12."""
    folder = "crossinspect-offline-linux"
    with zipfile.ZipFile(linux_zip) as archive:
        info = archive.getinfo(f"{folder}/install.sh")
        assert (info.external_attr >> 16) & 0o777 == 0o755
        script = archive.read(info)
        assert b"\r" not in script and script.startswith(b"#!/bin/sh\n")
        assert b"@GLIBC" not in script and b"--no-index" in script
        wheels = _wheels(archive, folder)
    for wheel_name, _version, _build, tags in wheels.values():
        assert all(t.platform == "any" or t.platform.endswith("_x86_64") for t in tags), wheel_name
        assert all("win" not in t.platform for t in tags), wheel_name
    for requirement in _dependencies():
        for python in PYTHONS:
            assert _has_wheel_for(wheels, requirement.name, python, "manylinux"), (requirement.name, python)


# ---- installing the Linux bundle with no network ---------------------------------------


def _require_unshare() -> None:
    """``unshare -n`` must work; it may be missing only off CI and when not root."""
    problem = None
    if shutil.which("unshare") is None:
        problem = "the unshare command is not installed"
    else:
        probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True, check=False)
        if probe.returncode != 0:
            problem = f"`unshare -n` is not permitted here: {probe.stderr.strip()}"
    if problem is None:
        return
    if os.geteuid() != 0 and not os.environ.get("CI"):
        pytest.skip(f"{problem} (not root and not CI, so the offline install is not tested)")
    pytest.fail(f"{problem}; the offline install test needs a network namespace (run as root)")


def _python(version: str) -> str | None:
    """An interpreter for ``version``: this one, one on PATH, or one pyenv keeps.

    A pyenv shim answers to every installed version's name but runs only the active
    ones, so each candidate is asked for its version.
    """
    candidates = [sys.executable, shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for candidate in candidates:
        if not candidate:
            continue
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


def _offline(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["unshare", "-n", *command], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def unpacked_linux(linux_zip, tmp_path_factory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(linux_zip) as archive:
        archive.extractall(root)
    yield root / "crossinspect-offline-linux"
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def target(tmp_path) -> Iterator[Path]:
    """Where install.sh puts the environment; removed after the test."""
    yield tmp_path / "env"
    shutil.rmtree(tmp_path / "env", ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("version", PYTHONS)
def test_linux_bundle_installs_and_solves_with_no_network(version, unpacked_linux, target, tmp_path):
    """install.sh inside ``unshare -n`` installs crossinspect, which then solves the example.

    Every installed distribution is one of the bundle's wheels: pip's own configuration
    (a find-links on this machine, say) does not leak in.
    """
    _require_unshare()
    python = _python(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine to install the bundle with")

    probe = _offline(
        [sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 443), timeout=5)"], tmp_path
    )
    assert probe.returncode != 0 and "OSError" in probe.stderr, "the namespace should have no network"

    started = time.monotonic()
    install = _offline(["sh", str(unpacked_linux / "install.sh"), str(target)], tmp_path, PYTHON=python)
    assert install.returncode == 0, f"install.sh failed:\n{install.stdout}\n{install.stderr}"
    print(f"offline install on Python {version} took {time.monotonic() - started:.1f} s")
    assert f"{target}/bin/crossinspect" in install.stdout  # it says how to run it

    crossinspect = str(target / "bin" / "crossinspect")
    example = _offline([crossinspect, "example", "ex"], tmp_path)
    assert example.returncode == 0, example.stderr
    assert (tmp_path / "ex" / "rotation" / "input.xlsx").is_file()
    solve = _offline(
        [crossinspect, "solve", "ex/rotation/input.xlsx", "--rules", "ex/rotation/rules.toml", "-o", "out.xlsx"],
        tmp_path,
    )
    assert solve.returncode == 0, f"{solve.stdout}\n{solve.stderr}"
    assert (tmp_path / "out.xlsx").is_file()

    # 启动.bat runs `crossinspect serve`: the web page, its template and assets came with the wheels.
    page = _offline([str(target / "bin" / "python"), "-c", _SERVE_PAGE], tmp_path)
    assert page.returncode == 0 and page.stdout.split() == ["200", "200", "200"], f"{page.stdout}\n{page.stderr}"

    listed = _offline(
        [str(target / "bin" / "python"), "-m", "pip", "--isolated", "list", "--format", "json"],
        tmp_path,
        PIP_CONFIG_FILE=os.devnull,
    )
    assert listed.returncode == 0, listed.stderr
    installed = {(canonicalize_name(d["name"]), d["version"]) for d in json.loads(listed.stdout)}
    offered = {(name, str(v)) for name, v, _b, _t in map(parse_wheel_filename, os.listdir(unpacked_linux / "wheels"))}
    assert ("crossinspect", _version()) in installed
    from_bundle = {(name, v) for name, v in installed if name not in ("pip", "setuptools")}  # venv's own
    assert from_bundle <= offered, from_bundle - offered


# The page and its assets answered by the web application itself, without a socket (the
# namespace has no network): an ASGI call each, as uvicorn would make it.
_SERVE_PAGE = """
import asyncio, uvicorn
from crossinspect.web.app import create_app
from crossinspect.web.workspace import Workspace

async def get(app, path):
    sent, requests = [], [{"type": "http.request", "body": b"", "more_body": False}]
    async def receive():  # the request once, then no disconnect until the answer is sent
        if requests:
            return requests.pop()
        await asyncio.Event().wait()
    async def send(message):
        sent.append(message)
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", b"127.0.0.1:8765")], "scheme": "http", "http_version": "1.1",
             "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 50000), "root_path": ""}
    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert body and b"//cdn" not in body, path
    return sent[0]["status"]

workspace = Workspace()
app = create_app(workspace, allowed_hosts=frozenset({"127.0.0.1:8765"}))
print(*[asyncio.run(get(app, p)) for p in ("/", "/static/app.js", "/static/app.css")])
workspace.remove()
"""


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]
