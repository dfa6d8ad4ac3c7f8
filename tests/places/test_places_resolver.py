"""Resolving places as clerks write them."""

from __future__ import annotations

import pytest

from crossinspect.places import Gazetteer, Resolution, display_path, normalize, resolve

ZHANGPU = "350623"
LONGHAI = "350604"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.builtin()


def test_normalize() -> None:
    """Full-width spaces, punctuation and traditional characters are folded away."""
    assert normalize("　漳浦 縣，") == "漳浦县"
    assert normalize("漳州市·(漳浦县)。") == "漳州市漳浦县"
    assert normalize("龍海") == "龙海"
    assert normalize("") == ""


@pytest.mark.parametrize(
    "text",
    [
        "漳浦县",
        "漳浦",
        "漳浦縣",
        "漳州漳浦",
        "福建省漳州市漳浦县",
        "漳州市 漳浦县",
        "福建 漳浦",
        "　漳浦县，",
    ],
)
def test_spellings_of_zhangpu(gaz: Gazetteer, text: str) -> None:
    """Short names, paths, spaces, traditional characters all reach 漳浦县."""
    res = resolve(gaz, text)
    assert res.codes == (ZHANGPU,)
    assert res.resolved and not res.ambiguous
    assert res.text == text


@pytest.mark.parametrize("text", ["龙海区", "龙海", "龙海市", "龍海", "龍海市", "漳州市龙海区"])
def test_spellings_of_longhai(gaz: Gazetteer, text: str) -> None:
    """The former name 龙海市 and the traditional 龍海 reach today's 龙海区."""
    assert resolve(gaz, text).codes == (LONGHAI,)


def test_paths_to_cities_and_townships(gaz: Gazetteer) -> None:
    """Partial paths resolve to their deepest place."""
    assert resolve(gaz, "福建漳州").codes == ("3506",)
    assert resolve(gaz, "漳州").codes == ("3506",)
    assert resolve(gaz, "福建").codes == ("35",)
    township = resolve(gaz, "漳州市龙海区海澄镇")
    assert len(township.codes) == 1
    assert display_path(gaz, township.codes[0]) == "福建省漳州市龙海区海澄镇"
    assert resolve(gaz, "漳浦县旧镇").codes == ("350623101",)
    assert resolve(gaz, "漳浦旧镇镇").codes == ("350623101",)


def test_ambiguous_bare_name(gaz: Gazetteer) -> None:
    """鼓楼区 exists in several cities: every one is a candidate, unless the city is given."""
    res = resolve(gaz, "鼓楼区")
    assert res.ambiguous and len(res.codes) >= 3
    assert "350102" in res.codes
    assert resolve(gaz, "福州市鼓楼区").codes == ("350102",)
    assert resolve(gaz, "福州鼓楼").codes == ("350102",)


def test_exact_county_name_beats_township_short_names(gaz: Gazetteer) -> None:
    """唐县 is the county, not 唐县镇; 龙海 is 龙海区, not the 龙海镇 of other provinces."""
    assert resolve(gaz, "唐县").codes == ("130627",)
    assert resolve(gaz, "龙海").codes == (LONGHAI,)


def test_all_exact_matches_are_kept(gaz: Gazetteer) -> None:
    """A county and a township sharing an exact name are both candidates."""
    codes = resolve(gaz, "东城区").codes
    assert "110101" in codes and len(codes) >= 2


def test_short_names_of_provinces_and_autonomous_areas(gaz: Gazetteer) -> None:
    """Provinces, cities and autonomous areas answer to their short names."""
    assert resolve(gaz, "广西").codes == ("45",)
    assert resolve(gaz, "内蒙古").codes == ("15",)
    assert resolve(gaz, "黔南").codes == ("5227",)
    assert resolve(gaz, "北京东城区").codes == ("110101",)


def test_city_repeated_as_its_own_county_is_one_place(gaz: Gazetteer) -> None:
    """东莞市 is listed as a city and again as its only county; it resolves once."""
    assert resolve(gaz, "东莞市").codes == ("441900",)


def test_unresolved_with_suggestions(gaz: Gazetteer) -> None:
    """A misspelt name resolves to nothing and suggests the closest places."""
    res = resolve(gaz, "漳埔县")
    assert not res.resolved and res.codes == ()
    assert "福建省漳州市漳浦县" in res.suggestions
    assert len(res.suggestions) <= 3
    scoped = resolve(gaz, "漳州市漳埔县")
    assert scoped.suggestions[0] == "福建省漳州市漳浦县"


def test_other_suffix_is_only_suggested(gaz: Gazetteer) -> None:
    """芗城县 (never a name of 芗城区) is not guessed into 芗城区; it is the first suggestion."""
    res = resolve(gaz, "芗城县")
    assert not res.resolved
    assert res.suggestions[0] == "福建省漳州市芗城区"


def test_empty_and_garbage(gaz: Gazetteer) -> None:
    """Empty text and text without any place resolve to nothing, without error."""
    assert resolve(gaz, "") == Resolution(text="")
    assert not resolve(gaz, "，。 ").resolved
    assert not resolve(gaz, "xyz").resolved


def test_results_are_cached_per_text(gaz: Gazetteer) -> None:
    """Resolving the same text twice gives the same object."""
    assert resolve(gaz, "漳州漳浦") is resolve(gaz, "漳州漳浦")


# ---- the index, built a group of names at a time, on demand -----------------------------


def fresh(gaz: Gazetteer) -> Gazetteer:
    """The same places with no index yet, as at the start of a process."""
    return Gazetteer({node.code: node for node in gaz})


def test_first_resolve_indexes_only_what_it_needs(gaz: Gazetteer) -> None:
    """One lookup leaves almost every node unindexed: start-up does not pay for 45,000 nodes."""
    from crossinspect.places import resolver

    new = fresh(gaz)
    assert resolve(new, "福建省漳州市漳浦县").codes == (ZHANGPU,)
    idx = new._index
    waiting = {node.code for nodes in idx.pending.values() for node in nodes}
    assert len(waiting) > 0.9 * len(gaz)
    assert ZHANGPU not in waiting and "350000" not in waiting
    assert isinstance(idx, resolver._Index)


def test_lazy_index_holds_every_key_of_the_full_index(gaz: Gazetteer) -> None:
    """Completed bucket by bucket, the index has exactly the keys of indexing each node whole."""
    from crossinspect.places import resolver

    idx = resolver._Index.build(fresh(gaz))
    idx.complete()
    assert not idx.pending
    exact: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for node in gaz:
        for key in resolver._exact_keys(node, node.names):
            exact.setdefault(key, set()).add(node.code)
        for key in resolver._stem_keys(node, node.names):
            stems.setdefault(key, set()).add(node.code)
    assert {k: set(v) for k, v in idx.exact.items()} == exact
    assert {k: set(v) for k, v in idx.stems.items()} == stems
    longest: dict[str, int] = {}
    for key in (*exact, *stems):
        prefix = key[: resolver.PREFIX]
        longest[prefix] = max(longest.get(prefix, 0), len(key))
    assert idx.longest == longest
    assert len(idx.levels) == len(gaz)


def test_lazy_and_complete_index_resolve_alike(gaz: Gazetteer) -> None:
    """Former names, traditional forms, short names and paths resolve the same either way."""
    from crossinspect.places import resolver

    texts = [
        "龍海",
        "龙海市",
        "漳州漳浦",
        "旧镇",
        "鼓楼区",
        "福建 漳浦",
        "三星镇（叠石桥家纺产业园区）",
        "庐山区",
        "城关镇",
        "内蒙古",
        "xyz",
        "漳埔县",
    ]
    for node in gaz:
        if node.level <= 3 or node.former:
            texts.extend(node.names)
    complete = fresh(gaz)
    resolver._index(complete).complete()
    lazy = fresh(gaz)
    for text in texts:
        a, b = resolve(lazy, text), resolve(complete, text)
        assert (a.codes, a.suggestions) == (b.codes, b.suggestions), text


def test_lazy_index_is_safe_across_threads(gaz: Gazetteer) -> None:
    """Threads resolving on one new gazetteer at once all see whole buckets."""
    import threading

    texts = [node.name for node in gaz if node.level == 3][:400]
    expected = {t: resolve(gaz, t).codes for t in texts}
    new = fresh(gaz)
    barrier = threading.Barrier(4)
    wrong: list[str] = []

    def work(offset: int) -> None:
        barrier.wait()
        for text in texts[offset:] + texts[:offset]:
            if resolve(new, text).codes != expected[text]:
                wrong.append(text)

    threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong


def test_suggestions_compare_with_every_key(gaz: Gazetteer) -> None:
    """A misspelt name is compared with every exact key, as if the index were complete."""
    from crossinspect.places import resolver

    new = fresh(gaz)
    idx = resolver._index(new)
    keys = resolver._fuzzy_choices(new, idx)
    assert len(keys) == len(set(keys))
    full = resolver._Index.build(fresh(gaz))
    full.complete()
    assert {k for k in keys if idx.codes(k)} == set(full.exact)


def test_text_sharing_no_character_with_any_name_is_not_compared(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A declared conflict such as a target id resolves to nothing, quickly: no fuzzy pass."""
    from crossinspect.places import resolver

    def no_fuzzy(*args: object, **kwargs: object) -> list[object]:
        raise AssertionError("compared with every name")

    new = fresh(gaz)
    monkeypatch.setattr(resolver.process, "extract", no_fuzzy)
    assert resolve(new, "T35070005") == Resolution(text="T35070005")
    with pytest.raises(AssertionError, match="every name"):
        resolve(new, "县财政局")


def test_key_characters_cover_every_key(gaz: Gazetteer) -> None:
    """The quick no-common-character check sees every character a key can have."""
    from crossinspect.places import resolver

    new = fresh(gaz)
    idx = resolver._index(new)
    characters = set(resolver._key_characters(new, idx))
    assert set("".join(resolver._fuzzy_choices(new, idx))) <= characters


def test_former_name_counts_only_as_written(gaz: Gazetteer) -> None:
    """梅列区 (now 三元区) resolves; its short form 梅列 is only a suggestion, and 大厂
    stays the 大厂回族自治县 of today although 大厂区 is a former name of 六合区."""
    assert resolve(gaz, "梅列区").codes == ("350404",)
    short = resolve(gaz, "梅列")
    assert not short.resolved and short.suggestions[0] == "福建省三明市三元区"
    assert resolve(gaz, "大厂").codes == ("131028",)
