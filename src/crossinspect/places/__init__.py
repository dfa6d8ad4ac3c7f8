"""Places: the gazetteer of administrative divisions, the resolver and the overlap test.

Typical use::

    gaz, issues = extend(Gazetteer.builtin(), book.places, book.path)
    home = resolve(gaz, "漳浦县旧镇镇")
    where = resolve(gaz, "漳浦县")
    overlap(gaz, home, where, Level.COUNTY)   # Overlap.CONFLICT
"""

from .gazetteer import MUNICIPALITIES, Gazetteer, Node, PlaceLevel
from .office import extend
from .overlap import Overlap, overlap
from .resolver import Resolution, display_path, leading_place, normalize, resolve, suggest

__all__ = [
    "MUNICIPALITIES",
    "Gazetteer",
    "Node",
    "Overlap",
    "PlaceLevel",
    "Resolution",
    "display_path",
    "extend",
    "leading_place",
    "normalize",
    "overlap",
    "resolve",
    "suggest",
]
