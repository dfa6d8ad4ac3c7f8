"""Chinese numerals as offices write them in round labels and sheet names (第十二轮, 第三组)."""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

#: Characters that may make up a Chinese numeral, for building token patterns.
CHARS = "".join(DIGITS) + "十百"


def chinese_to_int(text: str) -> int:
    """Value of a numeral below 1000: 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二四 → 2024.

    Without 十 or 百 the digits read positionally, as years are written; ASCII digits
    pass through.
    """
    if text.isdigit():
        return int(text)
    if "十" not in text and "百" not in text:
        value = 0
        for ch in text:
            value = value * 10 + DIGITS.get(ch, 0)
        return value
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = DIGITS.get(ch, 0)
    return total + digit
