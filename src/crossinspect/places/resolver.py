"""Resolve a place as a clerk writes it to the gazetteer node(s) it can mean.

Accepted: current names, former names and office aliases; current names and aliases
without their suffix (漳浦 for 漳浦县); full or partial paths, run together or spaced
(福建省漳州市漳浦县, 漳州漳浦, 漳州市 漳浦县); traditional characters (龍海); full-width spaces and
punctuation. A name that can mean several places keeps all of them, so the caller can
treat the ambiguity on the safe side. A name that means nothing comes back unresolved
with the closest names as suggestions.

Precedence among the places a bare name can mean, best first:

1. exact names (current, former, alias) when one of them is a county or coarser
   (唐县 is the county, not 唐县镇);
2. names without suffix of counties and coarser (龙海 is 龙海区, not 龙海镇 in Hunan),
   together with any township or unit of exactly that name;
3. exact names and names without suffix of townships and units (旧镇 for 旧镇镇).

A former name counts only as written (上海县 is today's 闵行区): without its suffix it
is often the short name of a current place (上海, the city; 北城, a 街道 in twenty
counties), which it must neither dilute nor hide. Within a tier, current and former
names rank alike; the built-in gazetteer gives no county or city a former name that
another place carries today (see ``data/GAZETTEER_SOURCES.md``).

Nothing else resolves. In particular the same stem with another suffix (芗城县,
旧镇乡) is only a suggestion, the first one offered: such a name may be a place that
was merged or renamed differently (庐山区 is today's 濂溪区 and a town of 庐山市, not
庐山市 alone), and a wrong guess would silently clear a conflict.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterable
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

#: The longest administrative suffix (特别行政区, 街道办事处).
_LONGEST_SUFFIX = max(len(s) for suffixes in SUFFIXES.values() for s in suffixes)


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
        keys = frozenset(line.split("\t", 1)[0] for line in table.read_text("utf-8").splitlines() if line)
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


#: Keys are indexed in groups by their first characters, this many (see ``_Index``).
PREFIX = 2


class _Index:
    """Name -> codes tables for one gazetteer, with a cache of resolutions.

    Built on demand, a group of names at a time: a roster names a few hundred places,
    and indexing all 45,000 nodes up front cost half a second on every run. A clean
    name (two or more letters, unchanged by NFKC, lower() and OpenCC) yields keys that
    all start with its own first two characters: the name, its office forms (the name
    plus 办事处 …) and its stem, a prefix at least two long. Its node waits in
    ``pending`` under those two characters until a lookup starts with them. Any other
    name is indexed at once: its keys may start anywhere.
    """

    __slots__ = ("cache", "characters", "exact", "fuzzy", "levels", "lock", "longest", "pending", "screen", "stems")

    def __init__(self, screen: frozenset[str] | None = None) -> None:
        self.exact: dict[str, tuple[str, ...]] = {}
        self.stems: dict[str, tuple[str, ...]] = {}
        self.levels: dict[str, PlaceLevel] = {}
        #: prefix (a key's first PREFIX characters, or all of a shorter key) -> length
        #: of the longest key with that prefix
        self.longest: dict[str, int] = {}
        #: prefix -> nodes with a clean name of that prefix, not indexed yet
        self.pending: dict[str, list[Node]] = {}
        #: the characters OpenCC may change (None: unknown, so no name counts as clean)
        self.screen = screen
        # The built-in index is shared by every caller in the process: a lookup in
        # another thread must never see a prefix half indexed (a place found under
        # one of its meanings only would look unambiguous).
        self.lock = threading.Lock()
        self.cache: dict[str, Resolution] = {}
        #: for suggestions only: every exact key (``_fuzzy_choices``), and a text with
        #: all their characters (``_key_characters``)
        self.fuzzy: list[str] | None = None
        self.characters: str | None = None

    @classmethod
    def build(cls, gaz: Gazetteer) -> _Index:
        idx = cls(_converter()[1])
        pending = idx.pending
        clean = idx._clean
        for node in gaz:
            if not node.former and not node.aliases:
                # Most of the 45,000 nodes: one name, so no tuple of names is made.
                name = node.name
                if clean(name):
                    bucket = pending.get(name[:PREFIX])
                    if bucket is None:
                        pending[name[:PREFIX]] = [node]
                    else:
                        bucket.append(node)
                else:
                    idx._put(node, _exact_keys(node, (name,)), _stem_keys(node, (name,)))
                continue
            names = node.names
            irregular = tuple(n for n in names if not clean(n))
            for prefix in dict.fromkeys(n[:PREFIX] for n in names if clean(n)):
                pending.setdefault(prefix, []).append(node)
            if irregular:
                idx._put(node, _exact_keys(node, irregular), _stem_keys(node, irregular))
        return idx

    def _clean(self, name: str) -> bool:
        """Whether ``name`` is its own key and heads a group (see the class)."""
        return (
            self.screen is not None
            and len(name) >= PREFIX
            and name.isalnum()
            and name.lower() == name
            and self.screen.isdisjoint(name)
            and unicodedata.is_normalized("NFKC", name)
        )

    def _put(self, node: Node, exact_keys: Iterable[str], stem_keys: Iterable[str]) -> None:
        code = node.code
        self.levels[code] = node.level
        longest = self.longest
        for table, keys in ((self.exact, exact_keys), (self.stems, stem_keys)):
            for key in keys:
                codes = table.get(key, ())
                if code not in codes:
                    table[key] = (*codes, code)
                if longest.get(key[:PREFIX], 0) < len(key):
                    longest[key[:PREFIX]] = len(key)

    def _index_clean(self, prefix: str, nodes: list[Node]) -> None:
        for node in nodes:
            names = (
                (node.name,)
                if not node.former and not node.aliases
                else tuple(n for n in node.names if n[:PREFIX] == prefix and self._clean(n))
            )
            exact_keys: list[str] = []
            stem_keys: list[str] = []
            for name in names:
                exact_keys.extend(_clean_exact_keys(node, name))
                short = stem(name, node.level) if name not in node.former else None
                if short:
                    stem_keys.append(short)
            self._put(node, exact_keys, stem_keys)

    def ready(self, prefix: str) -> None:
        """Index the clean names with this prefix, if not done yet."""
        if prefix in self.pending:
            with self.lock:
                nodes = self.pending.get(prefix)
                if nodes is not None:
                    self._index_clean(prefix, nodes)
                    # Removed only once indexed: another thread that finds the
                    # prefix gone may read its keys.
                    del self.pending[prefix]

    def complete(self) -> None:
        """Index everything (for checks; lookups never need it)."""
        for prefix in list(self.pending):
            self.ready(prefix)

    def longest_from(self, text: str, start: int) -> int:
        """Length of the longest key ``text`` could hold at ``start`` (0: none)."""
        two, one = text[start : start + PREFIX], text[start]
        self.ready(two)
        # A one-character key (never clean, so indexed from the start) has its own prefix.
        return max(self.longest.get(two, 0), self.longest.get(one, 0))

    def codes(self, key: str) -> tuple[str, ...]:
        """The places with this exact key (none for a text that is no key)."""
        self.ready(key[:PREFIX])
        return self.exact.get(key, ())

    def stem_codes(self, key: str) -> tuple[str, ...]:
        """The places whose name without suffix is this key."""
        self.ready(key[:PREFIX])
        return self.stems.get(key, ())

    def known(self, piece: str) -> bool:
        self.ready(piece[:PREFIX])
        return piece in self.exact or piece in self.stems

    def copy(self) -> _Index:
        # Values are tuples and pending lists are never changed in place, so sharing
        # them between copies is safe.
        other = _Index(self.screen)
        with self.lock:
            other.exact = dict(self.exact)
            other.stems = dict(self.stems)
            other.levels = dict(self.levels)
            other.longest = dict(self.longest)
            other.pending = dict(self.pending)
        return other

    def add(self, node: Node, names: Iterable[str]) -> None:
        names = tuple(names)
        exact_keys, stem_keys = _exact_keys(node, names), _stem_keys(node, names)
        with self.lock:
            self._put(node, exact_keys, stem_keys)
        self.cache.clear()
        self.fuzzy = self.characters = None


def _clean_exact_keys(node: Node, name: str) -> list[str]:
    """``_exact_keys`` of one clean name (see ``_Index``), without the general folding."""
    if node.level == PlaceLevel.TOWNSHIP and name[-2:] in _OFFICE_FORMS:
        return [name, *(name[:-2] + form for form in _OFFICE_FORMS[name[-2:]])]
    return [name]


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
    """Keys of ``names`` without suffix; former names have none (see the module)."""
    keys: set[str] = set()
    for name in names:
        if name in node.former:
            continue
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
        for code in (*idx.stem_codes(short), *idx.codes(short)):
            if idx.levels[code] == level and code not in found:
                found.append(code)
    return found


def _candidates(
    gaz: Gazetteer, idx: _Index, piece: str, parents: frozenset[str] | None, approximate: bool
) -> tuple[str, ...]:
    """The places one piece of text can mean below ``parents``, by the module's precedence.

    With ``approximate``, a piece that matches nothing may match with another suffix.
    """
    known = idx.known(piece)
    if not known and not approximate:
        return ()  # most pieces tried while splitting a path are no name at all
    exact: list[str] = []
    stems: list[str] = []
    if known:
        exact = list(idx.codes(piece))
        stems = list(idx.stem_codes(piece))
        if parents is not None:
            exact = [c for c in exact if _is_below(gaz, c, parents)]
            stems = [c for c in stems if _is_below(gaz, c, parents)]
    levels = idx.levels
    exact_high = [c for c in exact if levels[c] <= PlaceLevel.COUNTY]
    stem_high = [c for c in stems if levels[c] <= PlaceLevel.COUNTY]
    found = _first(
        [
            exact if exact_high else [],
            [*stem_high, *exact] if stem_high else [],
            [*exact, *stems],
        ]
    )
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
    # Every key a piece can match starts as the piece does; an approximate piece is
    # such a key with a suffix added.
    extra = _LONGEST_SUFFIX if approximate else 0

    def walk(start: int, parents: frozenset[str] | None) -> tuple[str, ...]:
        if (start, parents) in failed:
            return ()
        longest = idx.longest_from(text, start)
        for end in range(min(n, start + longest + extra) if longest else start, start, -1):
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


def resolve(gaz: Gazetteer, text: str, *, suggestions: bool = True) -> Resolution:
    """Resolve a written place; unresolved ones carry up to three suggestions.

    ``suggestions=False`` skips them, for callers that only ask whether a text is a place:
    finding the closest names is the slow part of an unresolved text.
    """
    idx = _index(gaz)
    hit = idx.cache.get(text)
    if hit is not None:
        return hit
    key = normalize(text)
    if not suggestions:
        return Resolution(text=text, codes=_collapse(gaz, _parse(gaz, idx, key, approximate=False)) if key else ())
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


def leading_place(gaz: Gazetteer, text: str) -> tuple[tuple[str, ...], str]:
    """The places the longest resolvable start of ``text`` names, and the rest of the text.

    For a unit written after its place (长汀县水利局 → 长汀县 and 水利局; 福建省长汀县水利局
    likewise). Both parts are normalised (see ``normalize``). No codes when no start of
    two or more characters is a place; the whole text counts as a start.
    """
    idx = _index(gaz)
    key = normalize(text)
    for cut in range(min(len(key), MAX_PATH_CHARS), 1, -1):
        codes = _parse(gaz, idx, key[:cut], approximate=False)
        if codes:
            return _collapse(gaz, codes), key[cut:]
    return (), key


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


def _fuzzy_choices(gaz: Gazetteer, idx: _Index) -> list[str]:
    """The names a misspelt text is compared with, each once.

    Every exact key of the index: written names and their office forms in gazetteer
    order, then the folded keys of names that are not clean (indexed from the start).
    A written name that is no key (it had punctuation) finds no codes and is skipped.
    Listed from the nodes rather than the index, which would have to index every
    name first: that pass is what the lazy index saves.
    """
    choices = idx.fuzzy
    if choices is None:
        with idx.lock:
            folded = list(idx.exact)
        township = PlaceLevel.TOWNSHIP
        by_node = [(node, _written(node)) for node in gaz]
        written = [n for _, names in by_node for n in names]
        offices = [
            n[:-2] + form
            for node, names in by_node
            for n in names
            if n[-2:] in _OFFICE_FORMS and node.level == township
            for form in _OFFICE_FORMS[n[-2:]]
        ]
        choices = idx.fuzzy = list(dict.fromkeys([*written, *offices, *folded]))
    return choices


def _key_characters(gaz: Gazetteer, idx: _Index) -> str:
    """A text holding every character of every exact key (and a few more): the written
    names, the office forms' suffixes and the folded keys, joined. Cheaper to make than
    the list of keys, and all a text with nothing in common with any name needs."""
    text = idx.characters
    if text is None:
        with idx.lock:
            folded = "\n".join(idx.exact)
        written = "\n".join(n for node in gaz for n in _written(node))
        forms = "\n".join(f for group in _OFFICE_FORMS.values() for f in group)
        text = idx.characters = "\n".join((written, forms, folded))
    return text


def _written(node: Node) -> tuple[str, ...]:
    # Most nodes have one name: no tuple of names is made for them.
    return (node.name,) if not node.former and not node.aliases else node.names


def suggest(gaz: Gazetteer, text: str, limit: int = _SUGGESTIONS) -> tuple[str, ...]:
    """Display paths of the places whose names are closest to ``text`` (already normalised).

    First the places the text names with another suffix (芗城县 -> 芗城区), then names
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

    if len(out) >= limit:
        return tuple(out)
    keys: list[str]
    codes_of: Callable[[str], tuple[str, ...]]
    if scope:
        local: dict[str, list[str]] = {}
        for top in scope:
            for node in gaz.descendants(top):
                for name in node.names:
                    for key in _name_keys(name):
                        local.setdefault(key, []).append(node.code)
        choices = {k: tuple(v) for k, v in local.items()}
        keys, codes_of = list(choices), choices.__getitem__
    else:
        characters = _key_characters(gaz, idx)
        if not any(ch in characters for ch in set(rest)):
            # Similarity is 1 - edits / longer length: a name with no character in
            # common scores 0, below any cutoff. Such texts (a target id among the
            # declared conflicts) are common; comparing costs more than this check.
            return tuple(out)
        keys, codes_of = _fuzzy_choices(gaz, idx), idx.codes
    if not keys:
        return tuple(out)

    matches = process.extract(
        rest,
        keys,
        scorer=Levenshtein.normalized_similarity,
        limit=_POOL,
        score_cutoff=_MIN_SIMILARITY,
    )
    ranked: list[tuple[float, int, int, str]] = []
    for key, score, _ in matches:
        for code in codes_of(key):
            ranked.append((-score, abs(len(key) - len(rest)), int(gaz.node(code).level), code))
    ranked.sort()
    for *_, code in ranked:
        if len(out) >= limit:
            break
        path = display(gaz, code)
        if path not in out:
            out.append(path)
    return tuple(out)
