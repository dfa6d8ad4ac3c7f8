"""Resolve a place as a clerk writes it to the gazetteer node(s) it can mean.

Accepted: current names, former names and office aliases; names without their
suffix (漳浦 for 漳浦县); full or partial paths, run together or spaced (福建省漳州市漳浦县,
漳州漳浦, 漳州市 漳浦县); traditional characters (龍海); full-width spaces and
punctuation. A name that can mean several places keeps all of them, so the caller can
treat the ambiguity on the safe side. A name that means nothing comes back unresolved
with the closest names as suggestions.

Precedence among the places a bare name can mean, best first:

1. exact names (current, former, alias) when one of them is a county or coarser
   (唐县 is the county, not 唐县镇);
2. names without suffix of counties and coarser (龙海 is 龙海区, not 龙海镇 in Hunan),
   together with any township or unit of exactly that name;
3. exact names and names without suffix of townships and units (旧镇 for 旧镇镇).

Nothing else resolves. In particular the same stem with another suffix (龙海县,
旧镇乡) is only a suggestion, the first one offered: such a name may be a place that
was merged or renamed differently (庐山区 is today's 濂溪区, not 庐山市), and a wrong
guess would silently clear a conflict.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .gazetteer import Gazetteer, Node, PlaceLevel, bulk_load, display
from .names import SUFFIXES, split_suffix, stem

#: Unicode categories dropped from written places: punctuation, separators (spaces of
#: every width), symbols and control characters.
_DROP = frozenset("PZSC")

#: Texts longer than this are not split into paths: no real path is this long, and the
#: search would only cost time.
MAX_PATH_CHARS = 64

#: Township names an old record may carry with the office's title (某某街道办事处).
_OFFICE_FORMS: dict[str, tuple[str, ...]] = {
    "街道": ("街道办事处", "街道办"),
    "地区": ("地区办事处",),
}

_CACHE_LIMIT = 100_000


class Resolution(BaseModel):
    """What a written place resolved to: no codes (unknown), one, or several (ambiguous)."""

    model_config = ConfigDict(frozen=True)

    text: str
    codes: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return bool(self.codes)

    @property
    def ambiguous(self) -> bool:
        return len(self.codes) > 1


# -- normalisation -------------------------------------------------------------


@lru_cache(maxsize=1)
def _converter() -> tuple[Any, frozenset[str] | None]:
    from opencc import OpenCC

    converter = OpenCC("t2s")
    # Only texts holding a character that OpenCC maps can change, and most written
    # places hold none: screening for them skips the slow pure-Python conversion.
    try:
        import opencc

        table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        keys = frozenset(
            line.split("\t", 1)[0] for line in table.read_text("utf-8").splitlines() if line
        )
    except (OSError, ImportError, ValueError):
        keys = None
    return converter, keys


def _t2s(text: str) -> str:
    converter, keys = _converter()
    if keys is not None and keys.isdisjoint(text):
        return text
    return cast(str, converter.convert(text))


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Comparable form of a place: NFKC, simplified characters, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text)
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in _DROP)
    return _t2s(kept.lower())


def _name_keys(name: str) -> tuple[str, ...]:
    """Index keys for a name: its clean form and, if different, that form through t2s.

    OpenCC converts by phrase, so it is not idempotent on names: 乾縣 -> 乾县 but
    乾县 -> 干县. A query is converted once, so the index holds both forms.
    """
    if name.isalnum() and unicodedata.is_normalized("NFKC", name):
        clean = name.lower()  # shipped names are clean: skip the per-character work
    else:
        folded = unicodedata.normalize("NFKC", name)
        clean = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in _DROP).lower()
    converted = _t2s(clean)
    if not clean:
        return ()
    return (clean,) if converted == clean else (clean, converted)


# -- the index -------------------------------------------------------------------


class _Index:
    """Name -> codes tables for one gazetteer, with a cache of resolutions."""

    __slots__ = ("cache", "exact", "keys", "levels", "max_key", "stems")

    def __init__(self) -> None:
        self.exact: dict[str, tuple[str, ...]] = {}
        self.stems: dict[str, tuple[str, ...]] = {}
        self.keys: set[str] = set()
        self.levels: dict[str, PlaceLevel] = {}
        self.max_key = 1
        self.cache: dict[str, Resolution] = {}

    @classmethod
    def build(cls, gaz: Gazetteer) -> _Index:
        idx = cls()
        exact: dict[str, list[str]] = {}
        stems: dict[str, list[str]] = {}
        levels = idx.levels
        screen = _converter()[1]
        township = PlaceLevel.TOWNSHIP
        # One pass over 45,000 nodes on first use. Most are a plain shipped name with
        # nothing for OpenCC to change, so that case skips the general key functions.
        for node in gaz:
            code = node.code
            level = node.level
            name = node.name
            levels[code] = level
            plain = (
                screen is not None
                and not node.former
                and not node.aliases
                and not node.office
                and name.isalnum()
                and screen.isdisjoint(name)
            )
            exact_keys: Iterable[str]
            stem_keys: Iterable[str]
            if plain:
                exact_keys = [name]
                if level == township and name[-2:] in _OFFICE_FORMS:
                    exact_keys.extend(name[:-2] + form for form in _OFFICE_FORMS[name[-2:]])
                short = stem(name, level)
                stem_keys = (short,) if short else ()
            else:
                exact_keys = _exact_keys(node, node.names)
                stem_keys = _stem_keys(node, node.names)
            for key in exact_keys:
                found = exact.get(key)
                if found is None:
                    exact[key] = [code]
                else:
                    found.append(code)
            for key in stem_keys:
                found = stems.get(key)
                if found is None:
                    stems[key] = [code]
                else:
                    found.append(code)
        # Keys of one node are a set, so no code is listed twice under a key.
        idx.exact = {k: tuple(v) for k, v in exact.items()}
        idx.stems = {k: tuple(v) for k, v in stems.items()}
        idx.keys = exact.keys() | stems.keys()
        idx.max_key = max(map(len, idx.keys), default=1)
        return idx

    def copy(self) -> _Index:
        # Values are tuples, so sharing them between copies is safe.
        other = _Index()
        other.exact = dict(self.exact)
        other.stems = dict(self.stems)
        other.keys = set(self.keys)
        other.levels = dict(self.levels)
        other.max_key = self.max_key
        return other

    def add(self, node: Node, names: Iterable[str]) -> None:
        names = tuple(names)
        self.levels[node.code] = node.level
        tables = ((self.exact, _exact_keys(node, names)), (self.stems, _stem_keys(node, names)))
        for table, keys in tables:
            for key in keys:
                codes = table.get(key, ())
                if node.code not in codes:
                    table[key] = (*codes, node.code)
                self.keys.add(key)
                self.max_key = max(self.max_key, len(key))
        self.cache.clear()


def _exact_keys(node: Node, names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    township = node.level == PlaceLevel.TOWNSHIP
    for name in names:
        for key in _name_keys(name):
            keys.add(key)
            if township and key[-2:] in _OFFICE_FORMS:
                keys.update(key[:-2] + form for form in _OFFICE_FORMS[key[-2:]])
        if "（" in name or "(" in name:
            # 三星镇（叠石桥家纺产业园区）: the name before the remark is the place.
            keys.update(_name_keys(name.replace("(", "（").split("（", 1)[0]))
    return keys


def _stem_keys(node: Node, names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        short = stem(name, node.level)
        if short:
            keys.update(_name_keys(short))
    return keys


def _index(gaz: Gazetteer) -> _Index:
    idx = gaz._index
    if idx is None:
        with bulk_load():
            idx = gaz._index = _Index.build(gaz)
    return cast(_Index, idx)


def index_copy(gaz: Gazetteer) -> _Index:
    """A copy of ``gaz``'s index for a gazetteer being extended from it."""
    return _index(gaz).copy()


def add_to_index(gaz: Gazetteer, node: Node, names: Iterable[str]) -> None:
    """Make ``names`` of ``node`` findable in ``gaz`` (used while extending it)."""
    _index(gaz).add(node, names)


# -- matching --------------------------------------------------------------------


def _is_below(gaz: Gazetteer, code: str, parents: frozenset[str]) -> bool:
    up = gaz.node(code).parent
    while up is not None:
        if up in parents:
            return True
        up = gaz.node(up).parent
    return False


def _approximate(idx: _Index, piece: str) -> list[str]:
    found: list[str] = []
    for level in SUFFIXES:
        split = split_suffix(piece, level)
        if split is None:
            continue
        short = split[0]
        for code in (*idx.stems.get(short, ()), *idx.exact.get(short, ())):
            if idx.levels[code] == level and code not in found:
                found.append(code)
    return found


def _candidates(
    gaz: Gazetteer, idx: _Index, piece: str, parents: frozenset[str] | None, approximate: bool
) -> tuple[str, ...]:
    """The places one piece of text can mean below ``parents``, by the module's precedence.

    With ``approximate``, a piece that matches nothing may match with another suffix.
    """
    known = piece in idx.keys
    if not known and not approximate:
        return ()  # most pieces tried while splitting a path are no name at all
    exact: list[str] = []
    stems: list[str] = []
    if known:
        exact = list(idx.exact.get(piece, ()))
        stems = list(idx.stems.get(piece, ()))
        if parents is not None:
            exact = [c for c in exact if _is_below(gaz, c, parents)]
            stems = [c for c in stems if _is_below(gaz, c, parents)]
    levels = idx.levels
    exact_high = [c for c in exact if levels[c] <= PlaceLevel.COUNTY]
    stem_high = [c for c in stems if levels[c] <= PlaceLevel.COUNTY]
    found = _first([
        exact if exact_high else [],
        [*stem_high, *exact] if stem_high else [],
        [*exact, *stems],
    ])
    if found or not approximate:
        return found
    near = _approximate(idx, piece)
    if parents is not None:
        near = [c for c in near if _is_below(gaz, c, parents)]
    return _first([near])


def _first(tiers: list[list[str]]) -> tuple[str, ...]:
    for tier in tiers:
        if tier:
            return tuple(dict.fromkeys(tier))
    return ()


def _parse(gaz: Gazetteer, idx: _Index, text: str, approximate: bool) -> tuple[str, ...]:
    """Split ``text`` into pieces, each below the previous; the last piece's places.

    Longer pieces are tried first, so 漳州市漳浦县 reads as 漳州市 + 漳浦县 rather than
    as 漳州 + 市漳浦县.
    """
    n = len(text)
    if n > MAX_PATH_CHARS:
        return ()
    failed: set[tuple[int, frozenset[str] | None]] = set()

    def walk(start: int, parents: frozenset[str] | None) -> tuple[str, ...]:
        if (start, parents) in failed:
            return ()
        for end in range(min(n, start + idx.max_key), start, -1):
            found = _candidates(gaz, idx, text[start:end], parents, approximate)
            if not found:
                continue
            if end == n:
                return found
            deeper = walk(end, frozenset(found))
            if deeper:
                return deeper
        failed.add((start, parents))
        return ()

    return walk(0, None)


def _collapse(gaz: Gazetteer, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Drop a place that repeats, under the same name, one of its own descendants.

    The data lists 东莞市 as a city and again as its only county; both are one place.
    """
    if len(codes) < 2:
        return codes
    chosen = set(codes)
    for code in codes:
        name = gaz.node(code).name
        for other in codes:
            if other != code and gaz.node(other).name == name and gaz.is_within(other, code):
                chosen.discard(code)
    return tuple(sorted(chosen))


def resolve(gaz: Gazetteer, text: str) -> Resolution:
    """Resolve a written place; unresolved ones carry up to three suggestions."""
    idx = _index(gaz)
    hit = idx.cache.get(text)
    if hit is not None:
        return hit
    key = normalize(text)
    result: Resolution
    if not key:
        result = Resolution(text=text)
    else:
        codes = _parse(gaz, idx, key, approximate=False)
        if codes:
            result = Resolution(text=text, codes=_collapse(gaz, codes))
        else:
            result = Resolution(text=text, suggestions=suggest(gaz, key))
    if len(idx.cache) >= _CACHE_LIMIT:
        idx.cache.clear()
    idx.cache[text] = result
    return result


def within_scope(gaz: Gazetteer, name: str, scope: str) -> tuple[str, ...]:
    """Places strictly below ``scope`` that ``name`` can mean, by the usual precedence."""
    idx = _index(gaz)
    key = normalize(name)
    if not key:
        return ()
    codes = _candidates(gaz, idx, key, frozenset({scope}), approximate=False)
    return _collapse(gaz, codes)


def display_path(gaz: Gazetteer, code: str) -> str:
    """The full path of a place, e.g. 福建省漳州市漳浦县."""
    return display(gaz, code)


# -- suggestions -------------------------------------------------------------------

_SUGGESTIONS = 3
_POOL = 60
_MIN_SIMILARITY = 0.34


def suggest(gaz: Gazetteer, text: str, limit: int = _SUGGESTIONS) -> tuple[str, ...]:
    """Display paths of the places whose names are closest to ``text`` (already normalised).

    First the places the text names with another suffix (龙海县 -> 龙海区), then names
    by edit distance. When the text starts with a place that resolves (漳州市漳埔县),
    only places inside it are considered for the rest (漳埔县).
    """
    idx = _index(gaz)
    if not text or len(text) > MAX_PATH_CHARS:
        return ()
    out: list[str] = []
    for code in _collapse(gaz, _parse(gaz, idx, text, approximate=True)):
        if len(out) < limit:
            out.append(display(gaz, code))
    scope: tuple[str, ...] = ()
    rest = text
    for cut in range(len(text) - 1, 1, -1):
        head = _parse(gaz, idx, text[:cut], approximate=False)
        if head:
            scope, rest = head, text[cut:]
            break

    choices: dict[str, tuple[str, ...]]
    if scope:
        local: dict[str, list[str]] = {}
        for top in scope:
            for node in gaz.descendants(top):
                for name in node.names:
                    for key in _name_keys(name):
                        local.setdefault(key, []).append(node.code)
        choices = {k: tuple(v) for k, v in local.items()}
    else:
        choices = idx.exact
    if not choices or len(out) >= limit:
        return tuple(out)

    matches = process.extract(
        rest,
        list(choices),
        scorer=Levenshtein.normalized_similarity,
        limit=_POOL,
        score_cutoff=_MIN_SIMILARITY,
    )
    ranked: list[tuple[float, int, int, str]] = []
    for key, score, _ in matches:
        for code in choices[key]:
            ranked.append((-score, abs(len(key) - len(rest)), int(gaz.node(code).level), code))
    ranked.sort()
    for *_, code in ranked:
        if len(out) >= limit:
            break
        path = display(gaz, code)
        if path not in out:
            out.append(path)
    return tuple(out)
