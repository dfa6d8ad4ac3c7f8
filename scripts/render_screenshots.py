"""Regenerate the user guide's pictures of printed roster pages (docs/images/roster-*.png).

Solves the shipped rotation example with its rules, writes the roster as ``solve`` does
(with the 备选 sheet), prints it through LibreOffice to PDF as an office would print the
whole workbook, and renders the first page of the overview, of the first team sheet and of
the audit to PNG with poppler's ``pdftoppm``. Run from anywhere::

    python scripts/render_screenshots.py [--out docs/images]

Needs LibreOffice (``soffice``), poppler-utils and a CJK font (Debian: libreoffice-calc,
poppler-utils, fonts-noto-cjk). ``scripts/fontconfig/fonts.conf`` points the roster's faces
(小标宋, 仿宋, 黑体) at Noto CJK, so the pictures show Song-style titles.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "rotation"
FONTCONFIG = ROOT / "scripts" / "fontconfig" / "fonts.conf"
#: picture file -> text that marks the first page of its sheet
PAGES = {
    "roster-page.png": "编组总表",
    "roster-team.png": "第一组人员名单",
    "roster-audit.png": "回避审查表",
}
DPI = 90


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        sys.exit(f"{program} is not installed (Debian: apt-get install libreoffice-calc poppler-utils fonts-noto-cjk)")
    return found


def write_roster(folder: Path) -> Path:
    """The example's roster, solved and written as ``crossinspect solve`` writes it."""
    from crossinspect.diagnose.alternates import find_alternates
    from crossinspect.io.load import load_problem
    from crossinspect.io.roster import RosterExtras
    from crossinspect.io.roster import write_roster as write

    problem = load_problem(EXAMPLE / "input.xlsx", rules_file=EXAMPLE / "rules.toml")
    from crossinspect.workflows.round import solve

    result = solve(problem, explain=False)
    if result.plan is None:
        sys.exit(f"the example has no roster: {result.status}")
    extras = RosterExtras(alternates=tuple(find_alternates(problem, result.plan)))
    return write(problem, result, folder / "名单.xlsx", extras=extras)


def to_pdf(workbook: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice") or _need("libreoffice")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    return folder / (workbook.stem + ".pdf")


def first_pages(pdf: Path) -> dict[str, int]:
    """The 1-based page on which each picture's sheet starts."""
    text = subprocess.run(
        [_need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    found = {}
    for name, marker in PAGES.items():
        found[name] = next(k for k, page in enumerate(pages, start=1) if marker in page)
    return found


def render(pdf: Path, page: int, target: Path, folder: Path) -> None:
    stem = folder / f"page-{page}"
    subprocess.run(
        [
            _need("pdftoppm"),
            "-r",
            str(DPI),
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shutil.copyfile(stem.with_suffix(".png"), target)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = to_pdf(write_roster(folder), folder)
        for name, page in first_pages(pdf).items():
            render(pdf, page, args.out / name, folder)
            print(args.out / name)


if __name__ == "__main__":
    main()
