"""Suffixes of Chinese administrative names and the short form (stem) left without them.

Standard library only: ``scripts/build_gazetteer.py`` loads this file directly, so
the stems used to link former names at build time are the very stems the resolver
matches at run time.
"""

from __future__ import annotations

#: The 56 ethnic groups as they appear inside 自治州/自治县/民族乡 names.
ETHNIC_GROUPS: tuple[str, ...] = (
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
    "高山族",
)


#: Forms an ethnic group takes inside a name, longest first. Official names drop 族
#: for some multi-character groups (伊犁哈萨克自治州, 新疆维吾尔自治区); those short
#: forms are only stripped before 自治…, where they cannot be part of the place name.
_WITH_ZU: tuple[str, ...] = tuple(sorted(ETHNIC_GROUPS, key=len, reverse=True))
_WITHOUT_ZU: tuple[str, ...] = tuple(sorted((g[:-1] for g in ETHNIC_GROUPS if len(g) > 2), key=len, reverse=True))

#: Level (1 province, 2 city, 3 county, 4 township) -> suffixes, longest first.
SUFFIXES: dict[int, tuple[str, ...]] = {
    1: ("特别行政区", "自治区", "省", "市"),
    2: ("自治州", "地区", "盟", "市"),
    3: ("自治县", "自治旗", "特区", "林区", "县", "市", "区", "旗"),
    4: ("街道办事处", "街道", "地区", "苏木", "镇", "乡"),
}

#: A stem shorter than this is not a usable name (城区 -> 城, 义县 -> 义).
MIN_STEM = 2


def _strip_ethnic(base: str, autonomous: bool) -> str:
    forms = (*_WITH_ZU, *_WITHOUT_ZU) if autonomous else _WITH_ZU
    while True:
        for form in forms:
            if base.endswith(form) and len(base) > len(form):
                base = base[: -len(form)]
                break
        else:
            return base


#: Level -> last character -> the suffixes ending with it: one lookup instead of
#: trying every suffix, since the resolver stems every name it indexes.
_BY_LAST: dict[int, dict[str, tuple[str, ...]]] = {
    level: {last: tuple(s for s in suffixes if s[-1] == last) for last in {s[-1] for s in suffixes}}
    for level, suffixes in SUFFIXES.items()
}


def split_suffix(name: str, level: int) -> tuple[str, str] | None:
    """(stem, suffix) of a name at this level, or None when no usable stem is left."""
    table = _BY_LAST.get(level)
    if table is None or not name:
        return None
    for suffix in table.get(name[-1], ()):
        if not name.endswith(suffix):
            continue
        base = name[: -len(suffix)]
        autonomous = suffix.startswith("自治")
        if autonomous or base.endswith("族"):
            stripped = _strip_ethnic(base, autonomous)
            # 内蒙古自治区, 鄂伦春自治旗: when the group is the place name, it stays.
            if len(stripped) >= MIN_STEM:
                base = stripped
            elif base.endswith("族") and len(base) > MIN_STEM:
                base = base[:-1]  # 鄂温克族自治旗 -> 鄂温克
        if len(base) < MIN_STEM:
            return None
        return base, name[len(base) :]
    return None


def stem(name: str, level: int) -> str | None:
    """The name without its administrative suffix, or None when nothing usable is left."""
    found = split_suffix(name, level)
    return None if found is None else found[0]
