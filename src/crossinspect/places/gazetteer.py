"""The hierarchy of places: China's administrative divisions plus the office's own places.

The built-in data (``data/gazetteer.tsv.gz``, see ``data/GAZETTEER_SOURCES.md``) holds
provinces, cities, counties and townships with their current names and codes, former
names and county coordinates. An office extends it with the ``地名`` sheet; extending
returns a new gazetteer, so the shared built-in one is never changed.
"""

from __future__ import annotations

import gc
import gzip
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import IntEnum
from functools import cache
from importlib import resources
from typing import Any, NamedTuple


class PlaceLevel(IntEnum):
    """Depth in the hierarchy; a smaller level is coarser."""

    PROVINCE = 1
    CITY = 2
    COUNTY = 3
    TOWNSHIP = 4
    UNIT = 5

    @property
    def zh(self) -> str:
        return ("省级", "市级", "县级", "乡级", "单位")[self - 1]


_LEVELS: dict[str, PlaceLevel] = {str(int(level)): level for level in PlaceLevel}

#: 直辖市 (北京, 天津, 上海, 重庆): their districts sit directly under them, and the
#: municipality itself stands in for the missing city level.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

#: Earth's mean radius (IUGG), for the great-circle distance.
EARTH_RADIUS_KM = 6371.0088

DATA_FILE = "gazetteer.tsv.gz"


class Node(NamedTuple):
    """One place. ``office`` marks places added from the input's 地名 sheet.

    A named tuple rather than a frozen dataclass: the built-in data makes 45,000 of
    them at start-up, about four times faster this way.
    """

    code: str
    name: str
    level: PlaceLevel
    parent: str | None
    lon: float | None = None
    lat: float | None = None
    former: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    office: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this place answers to: current, former, then aliases."""
        return (self.name, *self.former, *self.aliases)


class Gazetteer:
    """An immutable tree of places keyed by code."""

    __slots__ = ("_children", "_index", "_nodes")

    def __init__(self, nodes: Mapping[str, Node]) -> None:
        self._nodes: dict[str, Node] = dict(nodes)
        #: parent code -> child codes, made on first use: resolving needs only parents
        self._children: dict[str, tuple[str, ...]] | None = None
        #: search structures built and owned by ``resolver``, made on first use
        self._index: Any = None

    def _child_map(self) -> dict[str, tuple[str, ...]]:
        if self._children is None:
            children: dict[str, list[str]] = {}
            for node in self._nodes.values():
                if node.parent is not None:
                    children.setdefault(node.parent, []).append(node.code)
            self._children = {k: tuple(v) for k, v in children.items()}
        return self._children

    @classmethod
    def builtin(cls) -> Gazetteer:
        """The shipped national gazetteer, loaded once per process."""
        return _builtin()

    @classmethod
    def from_tsv(cls, text: str) -> Gazetteer:
        """Parse the shipped TSV layout (header line, then one node per line, parents first)."""
        nodes: dict[str, Node] = {}
        lines = text.split("\n")
        for line in lines[1:]:
            if not line:
                continue
            code, name, level, parent, lon, lat, former = line.split("\t")
            x = float(lon) if lon else None
            y = float(lat) if lat else None
            if level == "4":
                # Townships carry no coordinates of their own: they get their county's.
                up = nodes[parent]
                x, y = up.lon, up.lat
            nodes[code] = Node(
                code,
                name,
                _LEVELS[level],
                parent or None,
                x,
                y,
                tuple(former.split("|")) if former else (),
                (),
                False,
            )
        return cls(nodes)

    # -- lookups -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def __contains__(self, code: object) -> bool:
        return code in self._nodes

    def node(self, code: str) -> Node:
        """The node with this code; KeyError when there is none."""
        return self._nodes[code]

    def get(self, code: str) -> Node | None:
        return self._nodes.get(code)

    def parent(self, code: str) -> Node | None:
        up = self._nodes[code].parent
        return None if up is None else self._nodes[up]

    def ancestors(self, code: str) -> tuple[Node, ...]:
        """The node itself first, then each parent up to the province."""
        chain: list[Node] = []
        node: Node | None = self._nodes[code]
        while node is not None:
            chain.append(node)
            node = None if node.parent is None else self._nodes[node.parent]
        return tuple(chain)

    def ancestor_at(self, code: str, level: PlaceLevel) -> Node | None:
        """The ancestor-or-self at exactly this level, if the chain has one.

        A 直辖市 answers for the city level of its districts (北京市 > 东城区).
        """
        chain = self.ancestors(code)
        for node in chain:
            if node.level == level:
                return node
        top = chain[-1]
        if level == PlaceLevel.CITY and top.code in MUNICIPALITIES and chain[0] is not top:
            return top
        return None

    def children(self, code: str) -> tuple[Node, ...]:
        return tuple(self._nodes[c] for c in self._child_map().get(code, ()))

    def descendants(self, code: str) -> Iterator[Node]:
        """Every node below this one (not itself), depth first."""
        children = self._child_map()
        stack = list(reversed(children.get(code, ())))
        while stack:
            current = stack.pop()
            yield self._nodes[current]
            stack.extend(reversed(children.get(current, ())))

    def is_within(self, code: str, area_code: str) -> bool:
        """Whether ``code`` is the area itself or lies inside it. Unknown codes are not."""
        node = self._nodes.get(code)
        if node is None or area_code not in self._nodes:
            return False
        while node is not None:
            if node.code == area_code:
                return True
            node = None if node.parent is None else self._nodes.get(node.parent)
        return False

    def coordinates(self, code: str) -> tuple[float, float] | None:
        """(lon, lat) of the node or, failing that, of its nearest ancestor that has them."""
        if code not in self._nodes:
            return None
        for node in self.ancestors(code):
            if node.lon is not None and node.lat is not None:
                return node.lon, node.lat
        return None

    def distance_km(self, a_code: str, b_code: str) -> float | None:
        """Great-circle distance between two places, None when either has no coordinates."""
        a = self.coordinates(a_code)
        b = self.coordinates(b_code)
        if a is None or b is None:
            return None
        lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
        h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))

    # -- growing a copy with the office's places (``office``) --------------------

    def copy(self) -> Gazetteer:
        """A gazetteer with the same places, to be extended without changing this one."""
        new = Gazetteer(self._nodes)
        new._children = dict(self._child_map())
        return new

    def add(self, node: Node) -> None:
        """Add a place below its parent (only on a copy being extended)."""
        self._nodes[node.code] = node
        if node.parent is not None:
            children = self._child_map()
            children[node.parent] = (*children.get(node.parent, ()), node.code)

    def add_aliases(self, code: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
        """Give a place more names (only on a copy being extended); the ones it did not have."""
        node = self._nodes[code]
        fresh = tuple(a for a in aliases if a not in node.names)
        if fresh:
            self._nodes[code] = node._replace(aliases=(*node.aliases, *fresh))
        return fresh


@contextmanager
def bulk_load() -> Iterator[None]:
    """Pause the cyclic garbage collector while building tens of thousands of objects.

    None of them form cycles, yet their allocation keeps triggering collections that
    walk the growing heap: about a third of the load time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def _builtin() -> Gazetteer:
    packed = resources.files("crossinspect").joinpath("data", DATA_FILE).read_bytes()
    with bulk_load():
        return Gazetteer.from_tsv(gzip.decompress(packed).decode("utf-8"))


def display(gaz: Gazetteer, code: str) -> str:
    """Full path of a place, coarsest first, without repeating a prefix (福建省漳州市漳浦县)."""
    out = ""
    previous = ""
    for node in reversed(gaz.ancestors(code)):
        # 东莞市 > 东莞市 (county row) and 漳浦县 > 漳浦县民政局 would print twice.
        repeats = bool(previous) and node.name.startswith(previous)
        out += node.name[len(previous) :] if repeats else node.name
        previous = node.name
    return out
