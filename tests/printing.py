"""Printing a workbook through LibreOffice, as an office would, and reading the PDF's text.

Off CI a machine without LibreOffice skips these tests; on CI (``CI`` set, as ``.ci/run``
does, which also installs LibreOffice, poppler-utils and a CJK font) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

#: Points the faces a roster names (小标宋, 仿宋, 黑体) at installed CJK faces.
FONTCONFIG = Path(__file__).resolve().parents[1] / "scripts" / "fontconfig" / "fonts.conf"


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required on CI (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


def to_pdf(workbook: Path, outdir: Path) -> Path:
    """``soffice --headless --convert-to pdf`` with a private profile; the PDF written."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        _missing("LibreOffice (soffice)")
    assert soffice is not None
    # A private profile: a user's running LibreOffice or a stale lock cannot block the test.
    profile = (outdir / "lo-profile").as_uri()
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env=env,
    )
    pdf = outdir / (workbook.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no {pdf.name}"
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (poppler's pdftotext, else pypdf)."""
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = text.split("\f")
        return pages[:-1] if pages and not pages[-1].strip() else pages
    try:
        from pypdf import PdfReader
    except ImportError:
        _missing("poppler-utils (pdftotext) or pypdf")
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
