"""姓氏笔画 order: the order of names on official Chinese name lists.

The convention (as in 《姓氏笔画排序规则》 and the 现代汉语通用字笔顺规范 it rests on):

1. the surname with fewer strokes comes first;
2. with equal counts, compare the strokes in writing order, one by one, by shape:
   横 (一, with 提) < 竖 (丨, with 竖钩) < 撇 (丿) < 点 (丶, with 捺) < 折 (乛, every
   turning stroke);
3. with the same surname, compare the following characters of the name likewise;
   a name that is a prefix of another (张三 / 张三丰) comes first.

A compound surname (欧阳, 司马, 诸葛…) is the surname as a whole, so every 欧X comes
before every 欧阳X instead of the two families being interleaved by their given
names. Characters with the same count and stroke sequence (人, 入, 八) are broken by
code point, so the order is total and the same on every machine.

Stroke data: ``data/strokes.tsv`` (from cnchar-order, MIT; see ``STROKES-LICENSE.txt``).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import files

#: Compound surnames (复姓) read as one surname when a given name follows. Pairs that are
#: more often a single surname plus a given name (第五, 百里, 乐正) are left out.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    (
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "夏侯",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "令狐",
        "独孤",
        "南宫",
        "西门",
        "东郭",
        "端木",
        "轩辕",
        "呼延",
        "闻人",
        "申屠",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "淳于",
        "单于",
        "太叔",
        "仲孙",
        "钟离",
        "赫连",
        "拓跋",
        "司空",
        "亓官",
        "左丘",
        "谷梁",
        "梁丘",
        "公羊",
        "段干",
        "巫马",
        "漆雕",
        "壤驷",
        "公良",
        "夹谷",
        "宰父",
        "微生",
        "羊舌",
        "鲜于",
        "闾丘",
        "司寇",
        "颛孙",
        "公西",
        "北宫",
    )
)

#: Characters of a name that carry no strokes of their own (minority-name separators, spaces).
_SEPARATORS = set(" \u3000·•・‧．.-")

#: A character with no stroke data sorts after every known one, then by code point.
_UNKNOWN = 999

CharKey = tuple[int, tuple[int, ...], int]


@cache
def _table() -> dict[str, str]:
    """Character -> stroke classes ('1'..'5') in writing order."""
    text = files("crossinspect").joinpath("data", "strokes.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        ch, _, seq = line.partition("\t")
        out[ch] = seq
    return out


@cache
def _to_simplified(ch: str) -> str:
    # The table holds simplified characters; a name written in traditional form (鄧,
    # 歐陽) must sort where its simplified form does.
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return ch
    converted: str = OpenCC("t2s").convert(ch)
    return converted if len(converted) == 1 else ch


def strokes(ch: str) -> str | None:
    """Stroke classes of one character ('1' 横 … '5' 折), or None when unknown."""
    table = _table()
    seq = table.get(ch)
    if seq is None:
        seq = table.get(_to_simplified(unicodedata.normalize("NFKC", ch)))
    return seq


def stroke_count(ch: str) -> int | None:
    """Number of strokes of one character, or None when unknown."""
    seq = strokes(ch)
    return len(seq) if seq is not None else None


def char_key(ch: str) -> CharKey:
    """Sort key of one character: stroke count, stroke shapes in order, code point."""
    seq = strokes(ch)
    if seq is None:
        return (_UNKNOWN, (), ord(ch))
    return (len(seq), tuple(int(s) for s in seq), ord(ch))


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name); compound surnames are taken whole when a given name follows."""
    clean = _clean(name)
    if len(clean) >= 3 and clean[:2] in COMPOUND_SURNAMES:
        return clean[:2], clean[2:]
    return clean[:1], clean[1:]


def surname_stroke_key(name: str) -> tuple[tuple[CharKey, ...], tuple[CharKey, ...]]:
    """Sort key for 姓氏笔画 order: the surname's characters, then the given name's."""
    surname, given = split_surname(name)
    return (tuple(char_key(c) for c in surname), tuple(char_key(c) for c in given))


def sort_by_surname_strokes(names: list[str]) -> list[str]:
    """Names in 姓氏笔画 order."""
    return sorted(names, key=surname_stroke_key)


def _clean(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", name).strip() if c not in _SEPARATORS)
