"""The lottery (抽签, R11): reproducible pseudo-random weights from a published seed.

The seed is any text an office can publish before the draw, for instance a public
lottery's result (``2026-12-05 福彩3D 381``); a number is its decimal text. Weights come
from SHA-256 of the seed and the ids, never from Python's ``hash()`` (which is salted per
process), so the same seed gives the same weights on any machine and in any Python
version. The CP-SAT search seed comes from the same hash, so it too is fixed by the text.
"""

from __future__ import annotations

import hashlib

#: Range of a single weight. Wide enough that two different rosters almost never
#: tie on the lottery sum, narrow enough to keep the objective's coefficients small.
SPAN = 10_000


def weight(seed: str, *parts: str) -> int:
    """A weight in [0, SPAN) fixed by the seed and the parts (cadre id, target id, role)."""
    digest = hashlib.sha256("\x1f".join((seed, *parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % SPAN


def search_seed(seed: str) -> int:
    """The random seed of the solver's searches, fixed by the published seed's text."""
    digest = hashlib.sha256(f"search\x1f{seed}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % (2**31 - 1)


def seed_digest(seed: str) -> str:
    """SHA-256 of the seed text, printed on the roster beside the text itself."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()
