"""The rotation picture (轮换示意图): drawn with Pillow and the shipped font, nothing heavier."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest
from PIL import Image

from crossinspect.domain.plan import Arc
from crossinspect.io import rotation_chart

NAMES = ["芗城区", "龙文区", "龙海区", "长泰区", "漳浦县"]


def ring(names: list[str]) -> list[Arc]:
    return [
        Arc(source=str(k), dest=str((k + 1) % len(names)), source_name=names[k], dest_name=names[(k + 1) % len(names)])
        for k in range(len(names))
    ]


def count(img: Image.Image, box: tuple[int, int, int, int], test: Callable[[tuple[int, ...]], bool]) -> int:
    """Pixels of an RGB picture inside ``box`` that pass ``test``."""
    data = img.crop(box).tobytes()
    return sum(1 for k in range(0, len(data), 3) if test(tuple(data[k : k + 3])))


def is_arrow(px: tuple[int, ...]) -> bool:
    return px[0] > 150 and px[1] < 90 and px[2] < 90


def is_ink(px: tuple[int, ...]) -> bool:
    return max(px) < 80


def test_picture_has_title_boxes_and_arrows() -> None:
    """A square PNG at 150 dpi with title ink on top, a label box at each county, red arrows."""
    png = rotation_chart.rotation_png(ring(NAMES), title="推磨式轮换示意图")
    assert len(png) > 10_000
    with Image.open(io.BytesIO(png)) as raw:
        assert raw.format == "PNG" and raw.size == (900, 900)
        assert raw.info["dpi"] == pytest.approx((150, 150), abs=0.1)
        img = raw.convert("RGB")
    assert count(img, (250, 0, 650, 70), is_ink) > 500  # the title
    # The first county sits at the top of the ring: its box is filled and labelled.
    assert count(img, (380, 140, 520, 210), lambda px: px == (0xF3, 0xF6, 0xFB)) > 2_000
    assert count(img, (380, 140, 520, 210), is_ink) > 300
    # One arrow per arc, between neighbouring boxes; none through the middle of the ring.
    assert count(img, (0, 0, 900, 900), is_arrow) > 2_000
    assert count(img, (350, 350, 550, 550), is_arrow) == 0
    assert count(img, (560, 220, 680, 320), is_arrow) > 100  # 芗城区 → 龙文区, top right


def test_picture_without_title_or_arcs() -> None:
    """No title leaves the top blank; no arcs still gives a picture (a dash), not an error."""
    with Image.open(io.BytesIO(rotation_chart.rotation_png(ring(NAMES)))) as raw:
        assert count(raw.convert("RGB"), (250, 0, 650, 40), is_ink) == 0
    with Image.open(io.BytesIO(rotation_chart.rotation_png([]))) as raw:
        img = raw.convert("RGB")
    assert count(img, (0, 0, 900, 900), is_arrow) == 0
    assert count(img, (400, 400, 500, 500), is_ink) > 20


def test_missing_glyph_is_detected_and_still_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """A character outside the subset is found; with no fallback font it draws as a box."""
    rare = "\U0002133a"  # a CJK Extension B character, outside GB 2312 and the gazetteer
    assert rotation_chart.missing_chars(f"{rare}溪县") == rare
    monkeypatch.setattr(rotation_chart, "_FALLBACK_FILES", ())
    runs = rotation_chart._runs(f"龙海区{rare}溪县", 30)
    assert [run for run, _ in runs] == ["龙海区" + rare + "溪县"]
    png = rotation_chart.rotation_png(ring(["龙海区", f"{rare}溪县"]))
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (900, 900)


def test_drawing_imports_no_plotting_library() -> None:
    """The picture costs Pillow only: matplotlib is no dependency of the roster."""
    code = textwrap.dedent("""
        import sys
        from crossinspect.io.rotation_chart import rotation_png
        from crossinspect.domain.plan import Arc
        rotation_png([Arc(source="a", dest="b", source_name="甲县", dest_name="乙县"),
                      Arc(source="b", dest="a", source_name="乙县", dest_name="甲县")], title="轮换")
        print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
