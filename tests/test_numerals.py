"""Chinese numerals in round labels and sheet names."""

from __future__ import annotations

import pytest

from crossinspect.domain.numerals import chinese_to_int
from crossinspect.problem import round_sort_key


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("一百一十二", 112),
        ("二〇二四", 2024),
        ("两", 2),
        ("12", 12),
    ],
)
def test_chinese_to_int(text: str, value: int) -> None:
    """Numerals with 十 and 百, positional year digits, and ASCII digits."""
    assert chinese_to_int(text) == value


def test_round_labels_sort_naturally() -> None:
    """2024年第二轮 < 2025年第一轮 < 2025年第二轮 < 2025年第十轮, not string order."""
    labels = ["2025年第十轮", "2024年第二轮", "2025年第一轮", "2025年第二轮"]
    assert sorted(labels, key=round_sort_key) == ["2024年第二轮", "2025年第一轮", "2025年第二轮", "2025年第十轮"]
