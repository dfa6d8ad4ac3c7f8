"""Build an offline install bundle, ``OUT/crossinspect-offline-<platform>.zip``.

Usage::

    .venv/bin/python scripts/build_offline_bundle.py --platform linux|windows --out DIR [--verbose]

The zip holds one folder, ``crossinspect-offline-<platform>/``, with ``wheels/``: the
crossinspect wheel and every wheel it needs on CPython 3.11 and 3.12 for the platform
(manylinux x86_64 with glibc >= 2.28, or win_amd64). Beside it are the installers made
from ``scripts/offline/``: ``install.sh`` on Linux; ``安装.bat``, ``启动.bat`` and
``说明.txt`` on Windows. Building needs the package index; installing needs no network.

The wheel set follows ``[project].dependencies`` in pyproject.toml as it is when the
bundle is built. pip downloads it once per Python version, wheels only. Then an
independent check walks every requirement from the crossinspect wheel down, with the
target's environment markers, and the build fails unless a wheel in the bundle fits each
one on each Python version. The zip is deterministic: entries sorted, timestamps fixed.
"""

from __future__ import annotations

import argparse
import codecs
import email.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.tags import Tag, compatible_tags, cpython_tags
    from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # pragma: no cover - the dev environment has it (through pytest)
    raise SystemExit("build_offline_bundle needs the 'packaging' library: pip install packaging") from None

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER_DIR = ROOT / "scripts" / "offline"
PROJECT = "crossinspect"

PLATFORMS = ("linux", "windows")
PYTHONS = ("3.11", "3.12")

#: The oldest glibc the Linux bundle supports: OR-Tools, NumPy and Pillow ship x86_64
#: wheels for manylinux_2_28 (RHEL 8, Debian 10, Ubuntu 20.04, Kylin V10, UOS 20) and up.
GLIBC = (2, 28)

#: The zip format's earliest date: every entry carries it, so a rebuild is byte-identical.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# pip evaluates environment markers against the interpreter it runs in, even with
# --platform and --python-version (pypa/pip#11664): built on Linux, a Windows bundle would
# miss ``colorama; platform_system == "Windows"``, and a 3.12 download run by 3.11 would
# follow 3.11's ``python_version`` markers. This runs pip with the target's marker
# environment in place of its own. The check in check_wheels does not rely on it.
_PIP_FOR_TARGET = """
import json, sys
from pip._vendor.packaging import markers
target = json.loads(sys.argv[1])
host = markers.default_environment
def default_environment():
    environment = host()
    environment.update(target)
    return environment
markers.default_environment = default_environment
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


class BundleError(Exception):
    """The bundle cannot be built as asked; the message says why."""


@dataclass(frozen=True)
class Target:
    """One interpreter the bundle must install on: a platform and a CPython version."""

    platform: str  # one of PLATFORMS
    python: str  # one of PYTHONS

    def __str__(self) -> str:
        return f"Python {self.python} on {self.platform}"

    @property
    def version(self) -> tuple[int, int]:
        major, minor = self.python.split(".")
        return int(major), int(minor)

    @property
    def interpreter(self) -> str:
        return "cp{}{}".format(*self.version)

    @property
    def pip_platforms(self) -> tuple[str, ...]:
        """pip's ``--platform`` values, best first (pip does not widen manylinux_2_x itself)."""
        if self.platform == "windows":
            return ("win_amd64",)
        aliases = {17: "manylinux2014_x86_64", 12: "manylinux2010_x86_64", 5: "manylinux1_x86_64"}
        platforms: list[str] = []
        for minor in range(GLIBC[1], 4, -1):
            platforms.append(f"manylinux_{GLIBC[0]}_{minor}_x86_64")
            if minor in aliases:
                platforms.append(aliases[minor])
        return tuple(platforms)

    def tags(self) -> frozenset[Tag]:
        """Every wheel tag this interpreter accepts."""
        platforms = list(self.pip_platforms)
        return frozenset(
            [
                *cpython_tags(self.version, abis=[self.interpreter], platforms=platforms),
                *compatible_tags(self.version, interpreter=self.interpreter, platforms=platforms),
            ]
        )

    def marker_environment(self) -> dict[str, str]:
        """The PEP 508 marker values of this interpreter.

        The patch level is unknown; markers on it are judged for the line's first release
        (``3.11.0``), as pip judges ``Requires-Python`` for ``--python-version 3.11``.
        """
        full = f"{self.python}.0"
        common = {
            "implementation_name": "cpython",
            "implementation_version": full,
            "platform_python_implementation": "CPython",
            "python_version": self.python,
            "python_full_version": full,
            "platform_release": "",
            "platform_version": "",
        }
        if self.platform == "windows":
            system = {
                "os_name": "nt",
                "sys_platform": "win32",
                "platform_system": "Windows",
                "platform_machine": "AMD64",
            }
        else:
            system = {
                "os_name": "posix",
                "sys_platform": "linux",
                "platform_system": "Linux",
                "platform_machine": "x86_64",
            }
        return common | system


@dataclass(frozen=True)
class Wheel:
    """A wheel file with what the check needs from its name and METADATA."""

    path: Path
    name: NormalizedName
    version: Version
    tags: frozenset[Tag]
    requires: tuple[Requirement, ...]
    requires_python: SpecifierSet

    @classmethod
    def read(cls, path: Path) -> Wheel:
        name, version, _build, tags = parse_wheel_filename(path.name)
        with zipfile.ZipFile(path) as archive:
            metadata = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            if len(metadata) != 1:
                raise BundleError(f"{path.name}: expected one .dist-info/METADATA, found {len(metadata)}")
            headers = email.parser.BytesParser().parsebytes(archive.read(metadata[0]), headersonly=True)
        requires = tuple(Requirement(text) for text in headers.get_all("Requires-Dist") or ())
        return cls(path, name, version, frozenset(tags), requires, SpecifierSet(headers.get("Requires-Python") or ""))

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class Resolution:
    """What one interpreter would install from the bundle, and what it could not."""

    target: Target
    picks: Mapping[NormalizedName, Wheel]
    problems: tuple[str, ...]


def project_requirements(pyproject: Path) -> list[str]:
    """``[project].dependencies`` as written in pyproject.toml."""
    with pyproject.open("rb") as handle:
        project = tomllib.load(handle).get("project", {})
    requirements = project.get("dependencies", [])
    if not isinstance(requirements, list) or not all(isinstance(r, str) for r in requirements):
        raise BundleError(f"{pyproject}: [project].dependencies must be a list of strings")
    for text in requirements:
        try:
            Requirement(text)
        except InvalidRequirement as error:  # named here rather than somewhere inside pip
            raise BundleError(f"{pyproject}: [project].dependencies: {text!r} is not a requirement: {error}") from None
    return requirements


def _pick(candidates: Sequence[Wheel], demands: Sequence[tuple[Requirement, str]]) -> Wheel | None:
    """The wheel pip would choose: the newest that fits every demand, finals before pre-releases."""
    fitting = [w for w in candidates if all(r.specifier.contains(w.version, prereleases=True) for r, _ in demands)]
    if any(r.specifier.prereleases for r, _ in demands):
        return fitting[0] if fitting else None
    finals = [w for w in fitting if not w.version.is_prerelease]
    best = finals or fitting
    return best[0] if best else None


def check_wheels(wheel_dir: Path, target: Target, root: str = PROJECT) -> Resolution:
    """Resolve ``root`` for ``target`` from the wheels in ``wheel_dir`` alone.

    Starting from the root's wheel, every requirement whose markers hold for the target
    (including those of requested extras) needs a wheel with a tag the target accepts,
    a ``Requires-Python`` it meets, and a version every requirer allows. Picks are
    redone until they settle, so a requirement found late can still move an earlier pick.
    """
    environment = target.marker_environment()
    accepted = target.tags()
    problems: list[str] = []
    candidates: dict[NormalizedName, list[Wheel]] = defaultdict(list)
    elsewhere: dict[NormalizedName, list[str]] = defaultdict(list)
    for path in sorted(wheel_dir.iterdir()):
        if not path.name.endswith(".whl"):
            problems.append(f"{path.name}: not a wheel; an offline bundle holds wheels only")
            continue
        wheel = Wheel.read(path)
        if wheel.tags & accepted and wheel.requires_python.contains(target.python, prereleases=True):
            candidates[wheel.name].append(wheel)
        else:
            elsewhere[wheel.name].append(path.name)
    for wheels in candidates.values():
        wheels.sort(key=lambda w: w.version, reverse=True)

    root_name = canonicalize_name(root)
    picks: dict[NormalizedName, Wheel] = {}
    extras: dict[NormalizedName, frozenset[str]] = {}
    for _ in range(100):
        demands: dict[NormalizedName, list[tuple[Requirement, str]]] = defaultdict(list)
        demands[root_name].append((Requirement(root), "the bundle"))
        wanted: dict[NormalizedName, set[str]] = defaultdict(set)
        order = [root_name]
        for name in order:  # grows while it is walked: breadth first from the root
            picked = picks.get(name)
            if picked is None:
                continue
            for requirement in picked.requires:
                if requirement.marker is not None and not any(
                    requirement.marker.evaluate(environment | {"extra": extra})
                    for extra in ("", *sorted(extras.get(name, ())))
                ):
                    continue
                dependency = canonicalize_name(requirement.name)
                demands[dependency].append((requirement, str(picked)))
                wanted[dependency].update(requirement.extras)
                if dependency not in order:
                    order.append(dependency)
        chosen = {name: pick for name in order if (pick := _pick(candidates[name], demands[name])) is not None}
        settled = {name: frozenset(values) for name, values in wanted.items()}
        if chosen == picks and settled == extras:
            break
        picks, extras = chosen, settled
    else:
        problems.append(f"{target}: the requirements did not settle on one set of wheels")

    for name in order:
        if name in picks:
            continue
        asked = "; ".join(f"{requirer} requires {requirement}" for requirement, requirer in demands[name])
        present = ", ".join([*(w.path.name for w in candidates[name]), *elsewhere[name]])
        problems.append(
            f"{target}: no wheel in the bundle fits {name} ({asked}); wheels of {name} present: {present or 'none'}"
        )
    return Resolution(target, picks, tuple(problems))


def render_launcher(source: Path) -> tuple[bytes, int]:
    """The installer file as it goes into the bundle: its bytes and Unix mode.

    ``.sh``: UTF-8, LF, executable. ``.bat``: GBK (CP936) with CRLF, because cmd.exe
    reads a batch file in the console code page, which is 936 on Chinese Windows; the
    text is encoded as GB2312, the subset whose bytes are all >= 0xA1, so that no byte
    of a Chinese character can pass for ``|``, ``^`` or ``\\`` under another code page.
    ``.txt``: UTF-8 with a BOM and CRLF, so Notepad shows it right.
    """
    text = source.read_text(encoding="utf-8")
    text = text.replace("@GLIBC_TUPLE@", "{}, {}".format(*GLIBC)).replace("@GLIBC@", "{}.{}".format(*GLIBC))
    lines = text.splitlines()
    if source.suffix == ".sh":
        return ("\n".join(lines) + "\n").encode("utf-8"), 0o755
    crlf = "\r\n".join(lines) + "\r\n"
    if source.suffix == ".bat":
        try:
            return crlf.encode("gb2312"), 0o644
        except UnicodeEncodeError as error:
            bad = crlf[error.start : error.end]
            raise BundleError(f"{source}: {bad!r} is not in GB2312; batch files must stay within it") from None
    if source.suffix == ".txt":
        return codecs.BOM_UTF8 + crlf.encode("utf-8"), 0o644
    raise BundleError(f"{source}: no rule for a {source.suffix} installer file")


#: Installer files per platform: (source under scripts/offline/, name in the bundle).
LAUNCHERS: dict[str, tuple[tuple[str, str], ...]] = {
    "linux": (("install.sh", "install.sh"),),
    "windows": (("install.bat", "安装.bat"), ("start.bat", "启动.bat"), ("README-zh.txt", "说明.txt")),
}


def write_zip(entries: Iterable[tuple[str, bytes | Path, int]], out: Path) -> None:
    """Write ``(name, content or file, mode)`` entries to ``out``, atomically and reproducibly.

    Entries are sorted by name and carry one fixed date; wheels are stored as they are
    (already compressed), text is deflated.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(part, "w") as archive:
            for name, content, mode in sorted(entries, key=lambda entry: entry[0]):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.create_system = 3  # Unix, so that unzip applies the mode below
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_STORED if name.endswith(".whl") else zipfile.ZIP_DEFLATED
                if isinstance(content, bytes):
                    archive.writestr(info, content)
                else:
                    info.file_size = content.stat().st_size
                    with content.open("rb") as source, archive.open(info, "w") as sink:
                        shutil.copyfileobj(source, sink, 1 << 20)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(part, 0o666 & ~umask)  # mkstemp makes it private; the bundle is for sharing
        os.replace(part, out)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise


def _run(command: Sequence[str], what: str, env: Mapping[str, str] | None = None) -> None:
    result = subprocess.run(command, env=None if env is None else {**os.environ, **env}, check=False)
    if result.returncode != 0:
        raise BundleError(f"{what} failed (pip exited with {result.returncode}; its message is above)")


def build_project_wheel(root: Path, dest: Path, *, quiet: bool = True) -> Path:
    """Build the crossinspect wheel from a clean copy of the project into ``dest``.

    The copy holds the top-level files and ``src/`` only: setuptools reuses ``build/``
    in the tree, which can carry modules since deleted from ``src/``.
    """
    with tempfile.TemporaryDirectory(prefix="crossinspect-source-") as scratch:
        source = Path(scratch) / PROJECT
        shutil.copytree(root / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        for path in root.iterdir():
            if path.is_file():
                shutil.copy2(path, source / path.name)
        before = set(dest.glob("*.whl"))
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(dest), str(source)]
        # SOURCE_DATE_EPOCH pins the timestamps inside the wheel, so it too is reproducible.
        env = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "315532800")}
        _run([*command, *(["--quiet"] if quiet else [])], "building the crossinspect wheel", env)
    built = sorted(set(dest.glob("*.whl")) - before)
    if len(built) != 1:
        raise BundleError(f"building the crossinspect wheel gave {len(built)} wheels, expected one")
    return built[0]


def download_wheels(requirements: Sequence[str], target: Target, dest: Path, *, quiet: bool = True) -> None:
    """Download wheels (never sdists) for ``requirements`` and their dependencies on ``target``."""
    command = [
        sys.executable,
        "-c",
        _PIP_FOR_TARGET,
        json.dumps(target.marker_environment()),
        "download",
        "--dest",
        str(dest),
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        target.python,
        "--abi",
        target.interpreter,
        *(arg for platform in target.pip_platforms for arg in ("--platform", platform)),
        "--progress-bar",
        "off",
        *(["--quiet"] if quiet else []),
        *requirements,
    ]
    _run(command, f"downloading wheels for {target} (a dependency without a wheel for it cannot go offline)")


def build(platform: str, out_dir: Path, *, root: Path = ROOT, quiet: bool = True) -> Path:
    """Build ``out_dir/crossinspect-offline-<platform>.zip`` and return its path."""
    if platform not in PLATFORMS:
        raise BundleError(f"unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}")
    requirements = project_requirements(root / "pyproject.toml")
    targets = [Target(platform, python) for python in PYTHONS]
    folder = f"crossinspect-offline-{platform}"
    with tempfile.TemporaryDirectory(prefix="crossinspect-bundle-") as scratch:
        wheels = Path(scratch) / "wheels"
        wheels.mkdir()
        print(f"building the {PROJECT} wheel", flush=True)
        project = build_project_wheel(root, wheels, quiet=quiet)
        for target in targets:
            print(f"downloading wheels for {target}", flush=True)
            download_wheels(requirements, target, wheels, quiet=quiet)

        resolutions = [check_wheels(wheels, target) for target in targets]
        problems = [problem for resolution in resolutions for problem in resolution.problems]
        if problems:
            raise BundleError("the bundle would not install offline:\n  " + "\n  ".join(problems))
        used = {wheel.path.name for resolution in resolutions for wheel in resolution.picks.values()}
        for path in sorted(wheels.iterdir()):
            if path.name not in used:
                print(f"note: {path.name} is needed by no target; it stays in the bundle", flush=True)

        entries: list[tuple[str, bytes | Path, int]] = []
        for source, name in LAUNCHERS[platform]:
            content, mode = render_launcher(LAUNCHER_DIR / source)
            entries.append((f"{folder}/{name}", content, mode))
        wheel_entries = [(f"{folder}/wheels/{path.name}", path, 0o644) for path in wheels.iterdir()]
        out = out_dir / f"{folder}.zip"
        write_zip([*entries, *wheel_entries], out)
    size = out.stat().st_size / 2**20
    print(f"wrote {out}: {project.name} and {len(wheel_entries) - 1} other wheels, {size:.0f} MiB")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", choices=PLATFORMS, required=True)
    parser.add_argument("--out", type=Path, required=True, help="directory to write the zip into")
    parser.add_argument("--verbose", action="store_true", help="show pip's own output")
    args = parser.parse_args(argv)
    try:
        build(args.platform, args.out, quiet=not args.verbose)
    except BundleError as error:
        print(f"build_offline_bundle: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
