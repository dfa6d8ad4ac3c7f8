"""The picture of a rotation (推磨式): counties on a circle, an arrow from each sending
pool to the county it inspects.

Drawn with Pillow, which openpyxl already needs for images; a plotting library would
cost a second of imports for one small picture. The labels are Chinese county names,
so they are drawn with a font shipped in ``data/`` (a subset of Noto Sans CJK SC, OFL;
see ``data/FONT-LICENSE.txt``). A fresh machine, a CI runner or an office PC without
CJK fonts still gets readable labels instead of empty boxes. Installed fonts are only
a fallback, character by character, for what the subset lacks (a rare character in an
office-defined place name).
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.plan import Arc

if TYPE_CHECKING:
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont

#: Family name inside the shipped font file (renamed from Noto as the OFL asks).
FONT_FAMILY = "Crossinspect Sans SC"
FONT_FILE = "CrossinspectSansSC-Regular.otf"

#: Installed font files tried, in order, for a character the shipped font lacks; all
#: optional. Pillow looks a bare file name up in the system's font folders.
_FALLBACK_FILES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "wqy-zenhei.ttc",
    "msyh.ttc",
    "simhei.ttf",
    "simsun.ttc",
    "PingFang.ttc",
    "DejaVuSans.ttf",
)

#: A code point no font maps: what it renders as is the font's "missing glyph" box.
_UNMAPPED = "\U0010ffff"

_BOX_FILL, _BOX_EDGE, _ARROW, _INK = "#f3f6fb", "#1f3b73", "#b22222", "#000000"

#: Drawn this many times larger, then scaled down: Pillow's shapes have no
#: anti-aliasing of their own, and jagged arrows look broken in print.
_SUPERSAMPLE = 2

#: Plot coordinates span ±_EXTENT, the circle of counties has radius 1.
_EXTENT = 1.32

#: Bow of each arrow, as a fraction of its chord; negative bows outward on a clockwise ring.
_BOW = -0.2

_DRAWING = threading.Lock()


@cache
def font_path() -> Path:
    """Path of the shipped CJK font file."""
    resource = files("crossinspect").joinpath("data", FONT_FILE)
    # Installed from a wheel or a source tree, the data file is a real file; as_file
    # also covers a zipped install by extracting it once.
    with as_file(resource) as path:
        return Path(path)


@cache
def _font(file: str, size: int) -> FreeTypeFont | None:
    """The font at ``size`` pixels, None when an installed fallback is not there."""
    from PIL import ImageFont

    try:
        # Basic layout: Chinese labels need no shaping, and it does not depend on libraqm.
        return ImageFont.truetype(file, size, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        return None


def _shipped(size: int) -> FreeTypeFont:
    font = _font(str(font_path()), size)
    if font is None:  # pragma: no cover - the file is part of the package
        raise FileNotFoundError(font_path())
    return font


@cache
def _covers(file: str, ch: str) -> bool:
    """Whether the font has a glyph for ``ch``: an unmapped character draws as its box."""
    font = _font(file, 24)
    if font is None:
        return False
    if ch.isspace():
        return True
    glyph, box = font.getmask(ch), font.getmask(_UNMAPPED)
    return glyph.size != box.size or bytes(glyph) != bytes(box)


def missing_chars(text: str) -> str:
    """The characters of ``text`` the shipped font cannot draw (each once, in order)."""
    shipped = str(font_path())
    with _DRAWING:
        return "".join(dict.fromkeys(ch for ch in text if not _covers(shipped, ch)))


def _runs(text: str, size: int) -> list[tuple[str, FreeTypeFont]]:
    """``text`` cut into runs drawn with one font each: the shipped one where it can."""
    shipped = str(font_path())
    runs: list[tuple[str, FreeTypeFont]] = []
    for ch in text:
        font = _shipped(size)
        if not _covers(shipped, ch):
            # Fallbacks are looked up only here, so the usual chart never searches
            # the system's font folders. No font at all draws the shipped box.
            for file in _FALLBACK_FILES:
                other = _font(file, size)
                if other is not None and _covers(file, ch):
                    font = other
                    break
        if runs and runs[-1][1] is font:
            runs[-1] = (runs[-1][0] + ch, font)
        else:
            runs.append((ch, font))
    return runs


class _Label:
    """A line of text laid out in runs, measured once, drawn centred on a point."""

    def __init__(self, text: str, size: int) -> None:
        self.runs = _runs(text, size)
        self.width = sum(font.getlength(run) for run, font in self.runs)
        # Centred on the ink of a full-height ideograph, not on each label's own ink,
        # so every label sits on the same baseline relative to its box.
        _, top, _, bottom = _shipped(size).getbbox("国", anchor="ls")
        self.baseline_offset = -(top + bottom) / 2

    def draw(self, draw: ImageDraw, cx: float, cy: float) -> None:
        x = cx - self.width / 2
        for run, font in self.runs:
            draw.text((x, cy + self.baseline_offset), run, font=font, fill=_INK, anchor="ls")
            x += font.getlength(run)


def _bezier(
    p0: tuple[float, float], c: tuple[float, float], p1: tuple[float, float], steps: int
) -> list[tuple[float, float]]:
    out = []
    for k in range(steps + 1):
        t = k / steps
        u = 1 - t
        out.append((u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1]))
    return out


def _inside(p: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    return box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]


def _arrow(
    draw: ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    boxes: tuple[tuple[float, float, float, float], tuple[float, float, float, float]],
    width: int,
    head_length: float,
    head_half_width: float,
) -> None:
    """A bowed arrow from box to box: the curve is cut where it leaves and meets the boxes."""
    (x0, y0), (x1, y1) = start, end
    # In image coordinates y points down, which mirrors the bow: the sign flips to keep
    # the arrows outside the ring, as on a page read clockwise.
    dx, dy = x1 - x0, y1 - y0
    control = ((x0 + x1) / 2 - _BOW * dy, (y0 + y1) / 2 + _BOW * dx)
    points = [p for p in _bezier(start, control, end, 240) if not _inside(p, boxes[0]) and not _inside(p, boxes[1])]
    if len(points) < 2:
        return  # the boxes touch: no room for an arrow
    tip = points[-1]
    # Direction at the tip from a point about one head length back along the curve.
    back = next((p for p in reversed(points) if math.dist(p, tip) >= head_length), points[0])
    ux, uy = tip[0] - back[0], tip[1] - back[1]
    norm = math.hypot(ux, uy) or 1.0
    ux, uy = ux / norm, uy / norm
    base = (tip[0] - ux * head_length, tip[1] - uy * head_length)
    # The shaft stops inside the head, so its blunt end never shows beside the point.
    shaft = [p for p in points if math.dist(p, tip) >= head_length / 2]
    if len(shaft) >= 2:
        draw.line(shaft, fill=_ARROW, width=width, joint="curve")
    draw.polygon(
        [
            tip,
            (base[0] - uy * head_half_width, base[1] + ux * head_half_width),
            (base[0] + uy * head_half_width, base[1] - ux * head_half_width),
        ],
        fill=_ARROW,
    )


def rotation_png(arcs: Sequence[Arc], *, title: str = "", dpi: int = 150, size_inches: float = 6.0) -> bytes:
    """PNG bytes of the rotation cycle; counties on a circle, arrows sender → receiver."""
    # The fonts are cached and shared, and a FreeType face must not be used by two
    # threads at once: a library called from a server may draw two charts together.
    with _DRAWING:
        return _draw(arcs, title, dpi, size_inches)


def _draw(arcs: Sequence[Arc], title: str, dpi: int, size_inches: float) -> bytes:
    from PIL import Image, ImageDraw

    ordered = cycle_order(arcs)
    nodes: list[str] = []
    names: dict[str, str] = {}
    for a in ordered:
        for code, name in ((a.source, a.source_name), (a.dest, a.dest_name)):
            if code not in names:
                names[code] = name
                nodes.append(code)

    scale = _SUPERSAMPLE
    side = round(size_inches * dpi)
    canvas = side * scale

    def px(points: float) -> float:  # typographic points to canvas pixels
        return points * dpi / 72 * scale

    img = Image.new("RGB", (canvas, canvas), "white")
    draw = ImageDraw.Draw(img)
    # The plot area: the whole picture, or below a title band of 8 %.
    top = 0.08 * canvas if title else 0.0
    radius = min(canvas, canvas - top) / (2 * _EXTENT)
    cx, cy = canvas / 2, top + (canvas - top) / 2
    if title:
        _Label(title, round(px(15))).draw(draw, canvas / 2, 0.045 * canvas)

    n = max(len(nodes), 1)
    longest = max((len(names[c]) for c in nodes), default=2)
    size = round(px(17 if n <= 8 and longest <= 5 else (15 if n <= 12 else 11)))
    pad = 0.45 * size
    centres: dict[str, tuple[float, float]] = {}
    boxes: dict[str, tuple[float, float, float, float]] = {}
    labels: dict[str, _Label] = {}
    for k, code in enumerate(nodes):
        # Start at the top and go clockwise, the way a reader follows 甲→乙→丙.
        angle = math.pi / 2 - 2 * math.pi * k / n
        x, y = cx + radius * math.cos(angle), cy - radius * math.sin(angle)
        label = labels[code] = _Label(names[code], size)
        half_w, half_h = label.width / 2 + pad, size * 0.52 + pad
        centres[code] = (x, y)
        boxes[code] = (x - half_w, y - half_h, x + half_w, y + half_h)
        draw.rounded_rectangle(boxes[code], radius=pad, fill=_BOX_FILL, outline=_BOX_EDGE, width=max(1, round(px(1.4))))
        label.draw(draw, x, y)
    gap = px(3)
    for a in ordered:
        # Drawn after the boxes, so the arrow heads, which end at a box's edge, are
        # never hidden by it; the bow keeps A→B and B→A apart when both exist.
        grown = tuple((b[0] - gap, b[1] - gap, b[2] + gap, b[3] + gap) for b in (boxes[a.source], boxes[a.dest]))
        _arrow(
            draw,
            centres[a.source],
            centres[a.dest],
            (grown[0], grown[1]),
            width=max(1, round(px(1.8))),
            head_length=px(9.6),
            head_half_width=px(4.8),
        )
    if not nodes:
        _Label("—", round(px(14))).draw(draw, cx, cy)

    # reduce() averages each block of pixels: the anti-aliasing, at a tenth of a resampling filter's cost.
    out = img.reduce(scale) if scale != 1 else img
    buf = io.BytesIO()
    out.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def cycle_order(arcs: Sequence[Arc]) -> list[Arc]:
    """Arcs in the order the pools travel: 甲→乙, 乙→丙, …, each cycle in turn.

    A single cycle reads as one chain; several cycles (``single_cycle = false``) are
    listed one after another, each starting at its first arc in the input order. Arcs of a
    hand-edited plan that form no cycle (one pool sent to two counties) follow, so every
    arc is listed.
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
    return out + [a for a in arcs if a not in out]
