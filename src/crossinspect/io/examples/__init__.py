"""Two realistic example inputs for ``crossinspect example`` (SPEC §4).

* ``rotation`` — 漳州市, 推磨式 (each county pool goes as a body to one other county);
* ``mixed`` — 龙岩市, 混编 with local 副组长 and 联络员.

Places are real: the county-level divisions as of 2023 and only townships that are
well known to lie in the county given. Cadres are invented. About a fifth of the place
cells are written the loose way clerks write them (no suffix, city prefix, former name,
traditional characters, full-width spaces, assorted separators), so the examples also
exercise place matching. Every run writes the same cell contents: all randomness comes
from a ``random.Random`` with a fixed seed and nothing iterates over a set.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..safety import atomic_path
from .common import Cell
from .mixed import build_mixed
from .rotation import build_rotation

EXAMPLES: tuple[str, ...] = ("rotation", "mixed")

#: Fixed workbook timestamp, so nothing but openpyxl's save time varies between runs.
_CREATED = datetime(2026, 1, 1, 9, 0, 0)

_BUILDERS = {"rotation": build_rotation, "mixed": build_mixed}


def _save_workbook(path: Path, sheets: list[tuple[str, list[str], list[list[Cell]]]], *, force: bool) -> None:
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        id_columns = [i + 1 for i, h in enumerate(header) if "编号" in h]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                if c in id_columns:
                    cell.number_format = "@"  # ids such as 001 stay text when edited
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = wrap
        for c, h in enumerate(header, start=1):
            longest = max([len(h)] + [len(str(row[c - 1]).split("\n")[0]) for row in rows if row[c - 1] is not None])
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = min(40, 4 + 2 * longest)
        ws.freeze_panes = "A2"
    wb.properties.creator = "crossinspect"
    wb.properties.created = _CREATED
    with atomic_path(path, overwrite=force) as tmp:
        wb.save(tmp)


def write_example(directory: Path, name: str | None = None, *, force: bool = False) -> list[Path]:
    """Write ``<directory>/<name>/input.xlsx`` and ``rules.toml`` (both examples if no name).

    Returns the paths written. The contents are the same on every run. An existing file
    (perhaps an example the clerk has since filled in) is replaced only with ``force``:
    every path is checked first, so a refusal (``OutputError``) writes nothing.
    """
    from ..safety import check_output_path

    names = EXAMPLES if name is None else (name,)
    for n in names:
        if n not in _BUILDERS:
            raise ValueError(f"unknown example {n!r}; choose from {', '.join(EXAMPLES)}")
    for n in names:
        for file in ("input.xlsx", "rules.toml"):
            check_output_path(Path(directory) / n / file, [], force=force)
    written: list[Path] = []
    for n in names:
        book = _BUILDERS[n]()
        folder = Path(directory) / n
        folder.mkdir(parents=True, exist_ok=True)
        xlsx = folder / "input.xlsx"
        _save_workbook(xlsx, book.sheets, force=force)
        toml = folder / "rules.toml"
        with atomic_path(toml, overwrite=force) as tmp:
            tmp.write_text(book.rules, encoding="utf-8")
        written += [xlsx, toml]
    return written
