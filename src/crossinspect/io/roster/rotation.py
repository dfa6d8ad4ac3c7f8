"""轮换 (rotation mode): the arcs of the cycle and a picture of it."""

from __future__ import annotations

import io

from openpyxl.drawing.image import Image
from openpyxl.worksheet.worksheet import Worksheet

from ..rotation_chart import cycle_order, rotation_png
from ..sheet_style import _CENTER, _LEFT, _t
from .labels import _HEADERS
from .seats import derive_arcs
from .writer import RosterWriter


class RotationSheet(RosterWriter):
    """轮换."""

    def rotation(self, ws: Worksheet) -> None:
        headers = _HEADERS["rotation"][self.lang]
        arcs = cycle_order(self.plan.arcs or derive_arcs(self.p, self.plan))
        chain = "→".join([a.source_name for a in arcs] + ([arcs[0].source_name] if arcs else []))
        note = _t(self.lang, f"轮换顺序：{chain}", f"Rotation: {chain}")
        hrow = self.heading(ws, len(headers), _t(self.lang, f"{self.title}推磨式轮换", f"{self.title}: rotation"), note)
        self.header_row(ws, hrow, headers)
        row = hrow
        sep = "、" if self.lang == "zh" else ", "
        for k, arc in enumerate(arcs, start=1):
            row += 1
            targets = [t.name for j, t in enumerate(self.p.targets) if self.p.target_county[j] == arc.dest]
            for col, v in enumerate((k, arc.source_name, arc.dest_name, sep.join(targets)), start=1):
                self.put(ws, row, col, v, align=_CENTER if col < 4 else _LEFT)
        widths = self.fit(ws, hrow, (7, 16, 16, 46), minimum=12)
        self.fit_rows(ws, hrow, widths)
        self.note_height(ws, 2, note, widths)
        if arcs:
            png = rotation_png(arcs, title=_t(self.lang, "推磨式轮换示意图", "Rotation cycle"))
            img = Image(io.BytesIO(png))
            # About 12 cm square: fits the portrait page beside nothing, readable in print.
            img.width = img.height = 460
            ws.add_image(img, f"A{row + 2}")
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")
