"""One person, one id: how ids and names read from any file are normalised.

A row copied from a web page, a PDF or a chat window can carry characters that show
nothing: a right-to-left mark, a soft hyphen, a zero-width space, a Hangul filler, a
variation selector. Full-width letters and compatibility characters (Ｘ１, the Kangxi
radical ⼀ for 一) look like their plain forms. Left in, each makes a second person out
of one. Every id and name is therefore read through these functions: the input
sheets, the history and decisions, and the rosters read back.

The verifier (verify.py) does not use this module: it normalises ids with its own
function, so a slip here cannot hide a seat given twice.
"""

from __future__ import annotations

import re
import unicodedata

#: Every format character (general category Cf) and every other default-ignorable code
#: point of Unicode 15: they show nothing, or only change how the next character is drawn.
#: tests/test_text.py checks the list against the running Python's Unicode database.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x0600, 0x0605),
    (0x061C, 0x061C),  # Arabic letter mark
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, joiners, left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidirectional embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidirectional isolates
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # byte order mark / zero-width no-break space
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFF0, 0xFFFB),  # unassigned specials and interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
)
_IGNORABLE_RE = re.compile(
    "[" + "".join(f"\\U{a:08X}-\\U{b:08X}" if a != b else f"\\U{a:08X}" for a, b in _IGNORABLE_RANGES) + "]"
)

#: Whitespace of any kind, and the Braille blank, which looks like a space but is a letter.
_SPACE_RE = re.compile(r"[\s\u2800]+")


def strip_invisible(text: str) -> str:
    """``text`` without format characters and other code points that show nothing."""
    return _IGNORABLE_RE.sub("", text)


def _nfkc(text: str) -> str:
    # Invisible characters go before NFKC (they can block composition) and after it
    # (NFKC turns the Hangul filler U+3164 into U+1160, also a filler).
    return strip_invisible(unicodedata.normalize("NFKC", strip_invisible(text)))


def normalize_id(text: str) -> str:
    """An id as one person is known by: NFKC, nothing invisible, no whitespace at all.

    A space inside an id is never meaningful and cannot be seen at a cell's edge, so
    ``C 001``, ``C\u3000001`` and ``C001`` are one id.
    """
    return _SPACE_RE.sub("", _nfkc(text))


def normalize_text(text: str) -> str:
    """A name or label: NFKC, nothing invisible, each run of whitespace one plain space."""
    return _SPACE_RE.sub(" ", _nfkc(text)).strip()
