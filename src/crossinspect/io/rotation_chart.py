"""The picture of a rotation (推磨式): counties on a circle, an arrow from each sending
pool to the county it inspects.

The labels are Chinese county names, so the chart is drawn with a font shipped in
``data/`` (a subset of Noto Sans CJK SC, OFL; see ``data/FONT-LICENSE.txt``). A fresh
machine, a CI runner or an office PC without CJK fonts still gets readable labels
instead of empty boxes. Installed CJK fonts are only a fallback for characters the
subset lacks (a rare character in an office-defined place name).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

from ..plan import Arc

#: Family name inside the shipped font file (renamed from Noto as the OFL asks).
FONT_FAMILY = "Crossinspect Sans SC"
FONT_FILE = "CrossinspectSansSC-Regular.otf"

#: Families tried per glyph after the shipped one; all optional.
_FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei",
                      "WenQuanYi Zen Hei", "DejaVu Sans")


@cache
def font_path() -> Path:
    """Path of the shipped CJK font file."""
    resource = files("crossinspect").joinpath("data", FONT_FILE)
    # Installed from a wheel or a source tree, the data file is a real file; as_file
    # also covers a zipped install by extracting it once.
    with as_file(resource) as path:
        return Path(path)


@cache
def _font_families() -> tuple[str, ...]:
    """The shipped family first, then the installed fallbacks (missing ones would log noise)."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return (FONT_FAMILY, *(f for f in _FALLBACK_FAMILIES if f in installed))


def cycle_order(arcs: Sequence[Arc]) -> list[Arc]:
    """Arcs in the order the pools travel: 甲→乙, 乙→丙, …, each cycle in turn.

    A single cycle reads as one chain; several cycles (``single_cycle = false``) are
    listed one after another, each starting at its first arc in the input order.
    """
    by_source = {a.source: a for a in arcs}
    seen: set[str] = set()
    out: list[Arc] = []
    for start in arcs:
        arc: Arc | None = start
        while arc is not None and arc.source not in seen:
            seen.add(arc.source)
            out.append(arc)
            arc = by_source.get(arc.dest)
    return out


def rotation_png(arcs: Sequence[Arc], *, title: str = "", dpi: int = 150,
                 size_inches: float = 6.0) -> bytes:
    """PNG bytes of the rotation cycle; counties on a circle, arrows sender → receiver."""
    # The object API with an Agg canvas, not pyplot: no global state, no GUI backend,
    # safe in a library called from threads or servers.
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch

    fonts = list(_font_families())
    ordered = cycle_order(arcs)
    nodes: list[str] = []
    names: dict[str, str] = {}
    for a in ordered:
        for code, name in ((a.source, a.source_name), (a.dest, a.dest_name)):
            if code not in names:
                names[code] = name
                nodes.append(code)

    fig = Figure(figsize=(size_inches, size_inches), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.92 if title else 1.0))
    ax.set_xlim(-1.32, 1.32)
    ax.set_ylim(-1.32, 1.32)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        fig.text(0.5, 0.955, title, ha="center", va="center", fontsize=15, family=fonts)

    n = max(len(nodes), 1)
    # Start at the top and go clockwise, the way a reader follows 甲→乙→丙.
    pos = {code: (math.cos(math.pi / 2 - 2 * math.pi * k / n),
                  math.sin(math.pi / 2 - 2 * math.pi * k / n)) for k, code in enumerate(nodes)}
    longest = max((len(names[c]) for c in nodes), default=2)
    fontsize = 17 if n <= 8 and longest <= 5 else (15 if n <= 12 else 11)
    label_boxes = {}
    for code in nodes:
        x, y = pos[code]
        label_boxes[code] = ax.text(
            x, y, names[code], ha="center", va="center", fontsize=fontsize, family=fonts,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.45", "facecolor": "#f3f6fb", "edgecolor": "#1f3b73",
                  "linewidth": 1.4})
    for a in ordered:
        # Bowed outward along the circle so the ring reads as a cycle; the bow also keeps
        # A→B and B→A apart when reciprocal arcs are allowed. Drawn above the boxes so
        # the arrow heads, which end at a box's edge, are never hidden by it.
        arrow = FancyArrowPatch(
            pos[a.source], pos[a.dest], arrowstyle="-|>", mutation_scale=24,
            connectionstyle="arc3,rad=-0.2", color="#b22222", linewidth=1.8, zorder=4,
            patchA=label_boxes[a.source].get_bbox_patch(),
            patchB=label_boxes[a.dest].get_bbox_patch(), shrinkA=3, shrinkB=3)
        ax.add_patch(arrow)
    if not nodes:
        ax.text(0, 0, "—", ha="center", va="center", fontsize=14, family=fonts)

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    buf = io.BytesIO()
    canvas.print_png(buf)
    return buf.getvalue()


def write_rotation_png(arcs: Sequence[Arc], path: str | Path, *, title: str = "") -> Path:
    """Write the rotation picture to ``path`` (for docs and checks; the roster embeds it)."""
    out = Path(path)
    out.write_bytes(rotation_png(arcs, title=title))
    return out
