"""Does a cadre's place overlap a target's location at the avoidance level (R1, R2)?"""

from __future__ import annotations

from enum import StrEnum

from ..domain.rules import Level
from .gazetteer import Gazetteer, PlaceLevel
from .resolver import Resolution


class Overlap(StrEnum):
    #: the place lies in the target area (or one candidate of an ambiguous name does)
    CONFLICT = "conflict"
    #: the place contains the target area: it is coarser than the level (政和县 against a
    #: township of 政和县, 漯河市 against a county of 漯河市). Containment is a conflict
    #: unless the rules say ``coarse_places = "review"``.
    CONTAINS = "contains"
    PASS = "pass"
    #: the place or the location did not resolve: nothing can be decided, never a pass
    UNDETERMINED = "undetermined"

    @property
    def zh(self) -> str:
        return {"conflict": "冲突", "contains": "含巡察地", "pass": "通过", "undetermined": "无法判定"}[self.value]


_LEVEL_DEPTH: dict[Level, PlaceLevel] = {
    Level.COUNTY: PlaceLevel.COUNTY,
    Level.TOWNSHIP: PlaceLevel.TOWNSHIP,
}


def _target_area(gaz: Gazetteer, code: str, depth: PlaceLevel) -> str | None:
    """The location's ancestor-or-self at the avoidance level.

    A location above the level (a county at township level) is its own area; a
    location with no node at that level (a township of 东莞市, which has no county)
    falls back to its nearest coarser ancestor.
    """
    node = gaz.get(code)
    if node is None:
        return None
    for up in gaz.ancestors(code):
        if up.level <= depth:
            return up.code
    return None


def overlap(gaz: Gazetteer, place: Resolution, location: Resolution, level: Level) -> Overlap:
    """Compare a cadre's place with a target's location at ``level``.

    Every pair of candidates counts, on the safe side: one conflicting pair is a
    conflict (a bare 鼓楼区 against 福州市鼓楼区); otherwise one place that contains the
    target area is a containment; otherwise it is a pass. An unresolved place or
    location is undetermined, never a pass.
    """
    if not place.codes or not location.codes:
        return Overlap.UNDETERMINED
    depth = _LEVEL_DEPTH[level]
    areas = [a for a in (_target_area(gaz, c, depth) for c in location.codes) if a is not None]
    if not areas:
        return Overlap.UNDETERMINED
    result = Overlap.PASS
    for area in areas:
        for code in place.codes:
            if code not in gaz:
                result = Overlap.UNDETERMINED
            elif gaz.is_within(code, area):
                return Overlap.CONFLICT
            elif gaz.is_within(area, code) and result is Overlap.PASS:
                result = Overlap.CONTAINS
    return result
