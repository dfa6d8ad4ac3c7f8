"""The verifier's own normalisation of ids, names and round labels.

Written here, not taken from the reader or ``domain.text``, so that a slip in the
reader's normalisation cannot hide in the check of its result.
"""

from __future__ import annotations

import re
import unicodedata

_CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TOKEN = re.compile(r"\d+|[零〇一二两三四五六七八九十百]+|[^\d零〇一二两三四五六七八九十百]+")


def _chinese_int(text: str) -> int:
    """Value of a Chinese numeral below 1000 (十二 → 12, 二十 → 20, 一百零五 → 105)."""
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            # Plain digit strings such as 二〇二四 read positionally.
            digit = digit * 10 + _CN_NUM[ch] if digit else _CN_NUM[ch]
    return total + digit


def natural_round_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of round labels, own implementation: 第二轮 < 第十轮, 2024年 < 2025年."""
    key: list[tuple[int, int | str]] = []
    for tok in _TOKEN.findall(label.strip()):
        if tok.isdigit():
            key.append((0, int(tok)))
        elif tok[0] in _CN_NUM or tok[0] in "十百":
            key.append((0, _chinese_int(tok)))
        else:
            key.append((1, tok))
    return tuple(key)


def norm(text: str) -> str:
    # Clerks type ids and unit names with stray spaces, full-width letters, mixed case and
    # invisible characters copied along from other documents.
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "ZCP")


def fold_look_alike(text: str) -> str:
    return text.translate(str.maketrans("oilsz|b", "0115218"))


def loose(text: str) -> str:
    """A unit name with its administrative suffixes gone (长汀县水利局 → 长汀水利局)."""
    return re.sub("[省市县区旗]", "", norm(text))


def one_edit(a: str, b: str) -> bool:
    """Whether two texts differ by at most one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


#: Characters that show nothing but are not format characters or spaces by category.
_BLANK_NAMES = (
    "HANGUL FILLER",
    "HANGUL CHOSEONG FILLER",
    "HANGUL JUNGSEONG FILLER",
    "VARIATION SELECTOR",
    "COMBINING GRAPHEME JOINER",
    "BRAILLE PATTERN BLANK",
    "KHMER VOWEL INHERENT",
)


def _blank(ch: str) -> bool:
    if unicodedata.category(ch) in ("Cf", "Cc", "Cn", "Zs", "Zl", "Zp"):
        return True
    name = unicodedata.name(ch, "")
    return any(part in name for part in _BLANK_NAMES)


def person_key(cadre_id: str) -> str:
    """The person an id stands for, derived here and not taken from the reader.

    NFKC, then every character that shows nothing (format and control characters,
    spaces, Hangul fillers, variation selectors) dropped: ``X1``, ``Ｘ１`` and ``X1`` with
    a right-to-left mark are one person, however the roster or the input spelt them.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", cadre_id) if not _blank(ch))
