"""The commitment an office publishes before a draw (R11): SHA-256 over the input and the rules.

It is taken over what the workbook *says*, not over its bytes: every record of every
sheet in input order (their content, not where they were written), and every rule that
decides the roster. Saving the workbook again, in WPS or as CSV, keeps the commitment;
changing a cell, a row's order or a rule changes it. The seed is left out, because it is
drawn after the commitment is published; so are the time limit and the worker count,
which never decide the roster.
"""

from __future__ import annotations

import hashlib
import json
from enum import Enum
from typing import Any

from .models import InputBook
from .rules import Rules

#: Rules keys that do not decide the roster, or are drawn after the commitment.
NOT_COMMITTED = frozenset({"seed", "time_limit", "workers"})

#: Characters of the commitment printed for people (the whole digest is in the JSON).
SHORT = 16


def commitment(book: InputBook, rules: Rules) -> str:
    """The full SHA-256 commitment (hex) of an input and its rules."""
    data: dict[str, Any] = {
        "format": 1,
        "book": {
            name: [_canon(r.model_dump(exclude={"source"})) for r in getattr(book, name)]
            for name in ("cadres", "targets", "history", "places", "decisions")
        },
        "rules": {k: _canon(v) for k, v in rules.model_dump().items() if k not in NOT_COMMITTED},
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canon(value: Any) -> Any:
    """A JSON value whatever the process: sets sorted (their order is not), enums as values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_canon(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    return value


def short(digest: str) -> str:
    """The commitment as people read and publish it: its first characters, in groups of four."""
    head = digest[:SHORT]
    return " ".join(head[k : k + 4] for k in range(0, len(head), 4))
