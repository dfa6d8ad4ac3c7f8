"""姓氏笔画 order: stroke count first, then stroke shapes 横竖撇点折, then the given name."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from crossinspect.io.strokes import (
    char_key,
    sort_by_surname_strokes,
    split_surname,
    stroke_count,
    strokes,
    surname_stroke_key,
)

# Stroke classes: 1 横(提) 2 竖(竖钩) 3 撇 4 点(捺) 5 折.


def test_stroke_counts_of_common_surnames() -> None:
    """Counts agree with the dictionary for surnames on every official list."""
    expected = {
        "丁": 2,
        "于": 3,
        "马": 3,
        "王": 4,
        "毛": 4,
        "方": 4,
        "叶": 5,
        "刘": 6,
        "李": 7,
        "张": 7,
        "陈": 7,
        "林": 8,
        "郑": 8,
        "黄": 11,
        "曾": 12,
        "蔡": 14,
        "魏": 17,
    }
    assert {ch: stroke_count(ch) for ch in expected} == expected


def test_stroke_shapes_follow_writing_order() -> None:
    """王 is 横横竖提, 毛 撇横横竖弯钩, 方 点横横折钩撇, 马 横折竖折折钩提."""
    assert strokes("王") == "1121"
    assert strokes("毛") == "3115"
    assert strokes("方") == "4153"
    assert strokes("马") == "551"
    assert strokes("于") == "112"


def test_fewer_strokes_first() -> None:
    """丁 (2 strokes) < 于 (3) < 王 (4) < 叶 (5) < 刘 (6) < 李 (7)."""
    names = ["李明", "刘洋", "王强", "丁一", "叶红", "于飞"]
    assert sort_by_surname_strokes(names) == ["丁一", "于飞", "王强", "叶红", "刘洋", "李明"]


def test_same_count_broken_by_first_stroke() -> None:
    """Four strokes each: 王 starts with 横, 毛 with 撇, 方 with 点, 尹 with 折."""
    assert sort_by_surname_strokes(["尹力", "方明", "毛泽", "王五"]) == ["王五", "毛泽", "方明", "尹力"]


def test_yu_before_ma() -> None:
    """于 (3, starts with 横) comes before 马 (3, starts with 折)."""
    assert sort_by_surname_strokes(["马力", "于飞"]) == ["于飞", "马力"]


def test_same_first_stroke_broken_by_later_strokes() -> None:
    """王 (1121) < 韦 (1152) < 尤 (1354) < 车 (1512): the second stroke decides."""
    assert sort_by_surname_strokes(["车辆", "尤勇", "韦华", "王军"]) == ["王军", "韦华", "尤勇", "车辆"]


def test_five_stroke_surnames_as_on_official_lists() -> None:
    """左 石 龙 卢 叶 田 史 白 冯: the order five-stroke surnames take on official lists."""
    order = ["左权", "石磊", "龙飞", "卢刚", "叶青", "田野", "史杰", "白雪", "冯军"]
    shuffled = order[:]
    random.Random(7).shuffle(shuffled)
    assert sort_by_surname_strokes(shuffled) == order


def test_same_surname_then_given_name() -> None:
    """With one surname the next characters decide, and a shorter name that is a prefix first."""
    assert sort_by_surname_strokes(["张三丰", "张三", "张力", "张大"]) == ["张力", "张三", "张三丰", "张大"]


def test_compound_surname_is_one_surname() -> None:
    """欧阳修 is surname 欧阳: every 欧X comes before every 欧阳X."""
    assert split_surname("欧阳修") == ("欧阳", "修")
    assert split_surname("司马光") == ("司马", "光")
    assert split_surname("诸葛亮") == ("诸葛", "亮")
    assert split_surname("欧阳") == ("欧", "阳")  # a two-character name is surname + given name
    assert sort_by_surname_strokes(["欧阳一", "欧震", "欧阳修", "欧丁"]) == ["欧丁", "欧震", "欧阳一", "欧阳修"]


def test_traditional_characters_sort_as_simplified() -> None:
    """鄧 sorts as 邓 (4 strokes), not after every known character."""
    assert stroke_count("鄧") == stroke_count("邓") == 4
    assert sort_by_surname_strokes(["李四", "鄧小"]) == ["鄧小", "李四"]


def test_spaces_and_middle_dots_are_ignored() -> None:
    """ "王　五" is 王五, and 阿卜杜·热合曼 sorts by its characters."""
    assert surname_stroke_key("王　五") == surname_stroke_key("王五")
    assert surname_stroke_key("阿卜杜·热合曼") == surname_stroke_key("阿卜杜热合曼")


def test_unknown_characters_sort_last_and_deterministically() -> None:
    """A character without stroke data comes after known ones, by code point."""
    assert stroke_count("𠀋") is None
    assert char_key("𠀋")[0] > char_key("鑫")[0]
    assert sort_by_surname_strokes(["𠀋一", "王五"]) == ["王五", "𠀋一"]


@given(st.lists(st.text(alphabet="丁于马王毛方欧阳司张李陈林黄一二三", min_size=1, max_size=4), max_size=12))
def test_order_is_total_and_independent_of_input_order(names: list[str]) -> None:
    """Sorting any shuffle of a list gives the same list."""
    shuffled = names[:]
    random.Random(len(names)).shuffle(shuffled)
    assert sort_by_surname_strokes(shuffled) == sort_by_surname_strokes(names)
