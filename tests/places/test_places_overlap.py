"""The four-avoidance overlap test between a cadre's place and a target's location."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossinspect.domain.rules import Level
from crossinspect.places import Gazetteer, Overlap, overlap, resolve
from crossinspect.places.office import extend

COUNTY = Level.COUNTY
TOWNSHIP = Level.TOWNSHIP


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.builtin()


def check(gaz: Gazetteer, place: str, location: str, level: Level) -> Overlap:
    return overlap(gaz, resolve(gaz, place), resolve(gaz, location), level)


def test_township_inside_target_county_conflicts(gaz: Gazetteer) -> None:
    """Grew up in 旧镇镇: may not inspect 漳浦县 at county level, may inspect 云霄县."""
    assert check(gaz, "漳浦县旧镇镇", "漳浦县", COUNTY) is Overlap.CONFLICT
    assert check(gaz, "漳浦县旧镇镇", "云霄县", COUNTY) is Overlap.PASS


def test_township_level(gaz: Gazetteer) -> None:
    """At township level only the same township conflicts; a county target is its own area."""
    assert check(gaz, "漳浦县旧镇镇", "漳浦县绥安镇", TOWNSHIP) is Overlap.PASS
    assert check(gaz, "漳浦县旧镇镇", "漳浦县旧镇镇", TOWNSHIP) is Overlap.CONFLICT
    assert check(gaz, "漳浦县旧镇镇", "漳浦县", TOWNSHIP) is Overlap.CONFLICT
    assert check(gaz, "漳浦县旧镇镇", "漳浦县绥安镇", COUNTY) is Overlap.CONFLICT


def test_coarser_place_contains_the_target(gaz: Gazetteer) -> None:
    """A place that contains the target area (漳州市 against 漳浦县, 政和县 against one of its
    townships) is a containment at every level, never a pass; a place elsewhere passes."""
    assert check(gaz, "漳州市", "漳浦县", COUNTY) is Overlap.CONTAINS
    assert check(gaz, "漳浦县", "漳浦县旧镇镇", TOWNSHIP) is Overlap.CONTAINS
    assert check(gaz, "政和县", "政和县熊山街道", TOWNSHIP) is Overlap.CONTAINS
    assert check(gaz, "福建省", "漳浦县", COUNTY) is Overlap.CONTAINS
    assert check(gaz, "漯河市", "郾城区", COUNTY) is Overlap.CONTAINS
    assert check(gaz, "福建省", "北京市东城区", COUNTY) is Overlap.PASS
    assert check(gaz, "建阳区", "政和县熊山街道", TOWNSHIP) is Overlap.PASS


def test_ambiguous_place_conflicts_on_the_safe_side(gaz: Gazetteer) -> None:
    """A bare 鼓楼区 conflicts with 福州市鼓楼区; written with another city it passes."""
    assert check(gaz, "鼓楼区", "福州市鼓楼区", COUNTY) is Overlap.CONFLICT
    assert check(gaz, "南京市鼓楼区", "福州市鼓楼区", COUNTY) is Overlap.PASS
    assert check(gaz, "鼓楼区", "漳浦县", COUNTY) is Overlap.PASS


def test_ambiguous_location_conflicts_with_any_candidate(gaz: Gazetteer) -> None:
    """Each candidate of an ambiguous location counts."""
    assert check(gaz, "福州市鼓楼区", "鼓楼区", COUNTY) is Overlap.CONFLICT


def test_former_and_traditional_names(gaz: Gazetteer) -> None:
    """龙海市 (former) and 龍海 (traditional) overlap today's 龙海区."""
    assert check(gaz, "龙海市", "龙海区", COUNTY) is Overlap.CONFLICT
    assert check(gaz, "龍海", "漳州市龙海区海澄镇", COUNTY) is Overlap.CONFLICT


def test_unresolved_is_never_a_pass(gaz: Gazetteer) -> None:
    """An unknown place or location cannot clear a conflict."""
    assert check(gaz, "漳埔县", "漳浦县", COUNTY) is Overlap.UNDETERMINED
    assert check(gaz, "漳浦县", "漳埔县", COUNTY) is Overlap.UNDETERMINED


def test_office_unit(gaz: Gazetteer) -> None:
    """A workplace defined on the 地名 sheet lies within its county."""
    from crossinspect.domain.models import PlaceRecord

    extended, issues = extend(gaz, [PlaceRecord(name="漳浦县民政局", parent="漳浦县")])
    assert issues == []
    assert check(extended, "漳浦县民政局", "漳浦县", COUNTY) is Overlap.CONFLICT
    assert check(extended, "漳浦县民政局", "云霄县", COUNTY) is Overlap.PASS


def test_labels() -> None:
    """Each outcome has the Chinese label the audit prints."""
    assert [o.zh for o in Overlap] == ["冲突", "含巡察地", "通过", "无法判定"]


_PLACE_CHARS = "漳浦县龙海区鼓楼福州市建省旧镇乡街道州自治族龍縣　，。·()（）-x1"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    place=st.text(alphabet=_PLACE_CHARS, max_size=12) | st.text(max_size=30),
    location=st.text(alphabet=_PLACE_CHARS, max_size=12) | st.text(max_size=30),
    level=st.sampled_from(list(Level)),
)
def test_never_raises(gaz: Gazetteer, place: str, location: str, level: Level) -> None:
    """resolve() and overlap() accept any text without raising."""
    p = resolve(gaz, place)
    q = resolve(gaz, location)
    assert len(p.suggestions) <= 3
    assert all(code in gaz for code in p.codes)
    assert overlap(gaz, p, q, level) in set(Overlap)
