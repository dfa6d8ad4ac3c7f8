"""One person, one id: the normalisation every id and name is read through."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from crossinspect.domain.text import normalize_id, normalize_text, strip_invisible

#: Default-ignorable code points that are not format characters (DerivedCoreProperties).
_IGNORABLE_NOT_CF = [
    0x034F,
    0x115F,
    0x1160,
    0x17B4,
    0x17B5,
    0x180B,
    0x180C,
    0x180D,
    0x180F,
    0x3164,
    *range(0xFE00, 0xFE10),
    0xFFA0,
    *range(0xE0100, 0xE01F0),
]


def test_every_format_character_is_stripped() -> None:
    """Every Cf code point of the running Python's Unicode, and every other ignorable, goes."""
    format_chars = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(format_chars) > 150
    kept = [f"U+{c:04X}" for c in [*format_chars, *_IGNORABLE_NOT_CF] if strip_invisible(chr(c))]
    assert kept == []


def test_visible_text_is_kept() -> None:
    """Chinese text, letters, digits and punctuation are untouched by strip_invisible."""
    text = "张伟（漳浦县）·A-1、第2轮"
    assert strip_invisible(text) == text


@pytest.mark.parametrize(
    "written",
    [
        "X1\u200f",  # right-to-left mark after a copied id
        "\u200eX1",  # left-to-right mark before it
        "X\u00ad1",  # soft hyphen
        "X1\u2060",  # word joiner
        "\u3164X1",  # Hangul filler
        "X1\uffa0",  # half-width Hangul filler
        "X1\ufe0f",  # variation selector
        "\u202eX1\u202c",  # right-to-left override
        "Ｘ１",  # full width
        "X\u00a01",  # no-break space inside
        "X\u30001",  # ideographic space inside
        "X 1",  # plain space inside
        " X1\t",
        "X\u28001",  # Braille blank
        "X1\U000e0001",  # language tag
    ],
)
def test_ids_equal_after_normalisation(written: str) -> None:
    """An id with invisible, full-width or space characters is the plain id."""
    assert normalize_id(written) == "X1"


def test_compatibility_characters_become_plain() -> None:
    """NFKC: a Kangxi radical pasted from a PDF is the ordinary character; case is kept."""
    assert normalize_id("王\u2f00") == "王一"
    assert normalize_id("x1") != normalize_id("X1")


def test_names_keep_one_space() -> None:
    """Names and labels keep their words apart but lose what cannot be seen."""
    assert normalize_text("  张\u200b伟 ") == "张伟"
    assert normalize_text("Zhang\u3000\u3000Wei") == "Zhang Wei"
    assert normalize_text("2024年\u00a0第一轮\u200f") == "2024年 第一轮"
