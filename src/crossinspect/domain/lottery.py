"""The lottery (抽签, R11): reproducible pseudo-random tie-break weights from a published seed.

Weights come from SHA-256 of the seed and the ids, never from Python's ``hash()``
(which is salted per process), so the same seed gives the same weights on any
machine and in any Python version.
"""

from __future__ import annotations

import hashlib

#: Range of a single weight. Wide enough that two different rosters almost never
#: tie on the lottery sum, narrow enough to keep the objective's coefficients small.
SPAN = 10_000


def weight(seed: int, *parts: str) -> int:
    """A weight in [0, SPAN) fixed by the seed and the parts (cadre id, target id, role)."""
    digest = hashlib.sha256("\x1f".join((str(seed), *parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % SPAN
