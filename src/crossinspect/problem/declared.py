"""Reading declared conflicts (回避, R2) against the round's targets and places.

A clerk writes a 回避 entry as a target id, a target's name (a unit), a place, or a unit
after its place, and writes it loosely. Each entry is read, in this order:

1. **Exactly**, after normalising width, case, spaces, punctuation and invisible
   characters: a target id, a target name, or a place the gazetteer resolves.
2. **Closely**, when nothing matches exactly, toward safety:
   - an id with a look-alike character (LY1O for LY10), or one character off (ids of
     three or more characters);
   - a name with an administrative suffix dropped or added (长汀水利局 for 长汀县水利局),
     or one character off (names of four or more characters);
   - a unit after its place (福建省长汀县水利局, 长汀水利局): the targets of that place
     whose names end with the unit, or else the place itself, since the unit lies in it.
   A close reading bars the seats it names, and is a warning naming the cell and what
   it was taken to mean (an error with ``strict``).
3. **Not at all**: a warning naming the cell; the audit shows 未匹配, never 通过 (an
   error with ``strict``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import Levenshtein

from ..domain.models import Target
from ..places import Gazetteer, Resolution, display_path, leading_place, resolve

#: Characters clerks confuse in ids, folded to one form before comparing.
_LOOK_ALIKE = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1", "s": "5", "z": "2", "b": "8"})

#: Administrative suffixes a clerk drops or adds inside a unit's name (长汀水利局 for
#: 长汀县水利局). Removed everywhere from both sides, so names compare symmetrically.
_ADMIN_CHARS = str.maketrans("", "", "省市县区旗")

#: Shortest id and name compared by edit distance: shorter ones are all one character
#: apart (T1, T2 …), and an entry would match every target.
MIN_ID_CHARS = 3
MIN_NAME_CHARS = 4


class Reading(StrEnum):
    EXACT = "exact"
    CLOSE = "close"
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class DeclaredConflict:
    """How one 回避 entry was read: the targets it names and the place it names, if any."""

    text: str
    reading: Reading
    #: targets named by id or name (indices into the round's targets)
    targets: frozenset[int] = frozenset()
    #: a place (or the place a unit was written after); conflicts by overlap, like R1
    place: Resolution | None = None
    #: for a close reading: what the entry was taken to mean
    zh: str = ""
    en: str = ""


def key(text: str) -> str:
    """Comparable form of an id or name: NFKC, lower case, no spaces, punctuation or
    invisible characters."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "ZCP")


class DeclaredReader:
    """Reads the 回避 entries of one round against its targets (see the module)."""

    def __init__(self, gaz: Gazetteer, targets: Sequence[Target], locations: Sequence[Resolution]) -> None:
        self.gaz = gaz
        self.targets = targets
        self.locations = locations
        self.ids: dict[str, set[int]] = {}
        self.names: dict[str, set[int]] = {}
        self.loose: dict[str, set[int]] = {}
        for j, t in enumerate(targets):
            self.ids.setdefault(key(t.id), set()).add(j)
            self.names.setdefault(key(t.name), set()).add(j)
            self.loose.setdefault(key(t.name).translate(_ADMIN_CHARS), set()).add(j)
        self._cache: dict[str, DeclaredConflict] = {}

    def read(self, text: str) -> DeclaredConflict:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._read(text)
        return found

    def _label(self, j: int) -> str:
        t = self.targets[j]
        return f"{t.id}（{t.name}）"

    def _label_en(self, j: int) -> str:
        t = self.targets[j]
        return f"{t.id} ({t.name})"

    def _read(self, text: str) -> DeclaredConflict:
        k = key(text)
        if not k:
            return DeclaredConflict(text, Reading.UNMATCHED)
        named = self.ids.get(k, set()) | self.names.get(k, set())
        place = resolve(self.gaz, text)
        if named or place.codes:
            return DeclaredConflict(text, Reading.EXACT, frozenset(named), place if place.codes else None)
        close = self._close_targets(k)
        if close:
            labels = "、".join(self._label(j) for j in sorted(close))
            return DeclaredConflict(
                text,
                Reading.CLOSE,
                frozenset(close),
                zh=f"按巡察对象{labels}处理",
                en=f"taken to mean target {', '.join(self._label_en(j) for j in sorted(close))}",
            )
        return self._unit_after_place(text)

    def _close_targets(self, k: str) -> set[int]:
        folded = k.translate(_LOOK_ALIKE)
        found = {j for ident, js in self.ids.items() if ident.translate(_LOOK_ALIKE) == folded for j in js}
        if found:
            return found
        if len(k) >= MIN_ID_CHARS:
            found = {
                j
                for ident, js in self.ids.items()
                if len(ident) >= MIN_ID_CHARS and Levenshtein.distance(ident, k, score_cutoff=1) <= 1
                for j in js
            }
        found |= self.loose.get(k.translate(_ADMIN_CHARS), set())
        if len(k) >= MIN_NAME_CHARS:
            found |= {
                j
                for name, js in self.names.items()
                if len(name) >= MIN_NAME_CHARS and Levenshtein.distance(name, k, score_cutoff=1) <= 1
                for j in js
            }
        return found

    def _unit_after_place(self, text: str) -> DeclaredConflict:
        codes, unit = leading_place(self.gaz, text)
        if not codes or not unit:
            return DeclaredConflict(text, Reading.UNMATCHED)
        place = Resolution(text=text, codes=codes)
        loose_unit = unit.translate(_ADMIN_CHARS)
        named = {
            j
            for j, t in enumerate(self.targets)
            if key(t.name).translate(_ADMIN_CHARS).endswith(loose_unit)
            and any(self.gaz.is_within(c, p) for c in self.locations[j].codes for p in codes)
        }
        where = "、".join(display_path(self.gaz, c) for c in codes)
        if named:
            labels = "、".join(self._label(j) for j in sorted(named))
            return DeclaredConflict(
                text,
                Reading.CLOSE,
                frozenset(named),
                zh=f"按{where}的巡察对象{labels}处理",
                en=f"taken to mean target {', '.join(self._label_en(j) for j in sorted(named))} in {where}",
            )
        return DeclaredConflict(
            text,
            Reading.CLOSE,
            frozenset(),
            place,
            zh=f"按{where}内的单位处理，回避{where}",
            en=f"taken to mean a unit in {where}: {where} is avoided",
        )


__all__ = ["DeclaredConflict", "DeclaredReader", "Reading", "key"]
