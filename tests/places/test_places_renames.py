"""County-level renamings since 1981 resolve to the places their area went to.

``tests/data/county_renames.tsv`` is derived from the areacodes dataset (CC0 1.0; see
``src/crossinspect/data/GAZETTEER_SOURCES.md``) by ``scripts/build_gazetteer.py``,
together with the gazetteer: one line per old record and current node.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from crossinspect.places import Gazetteer, PlaceLevel, resolve
from crossinspect.places.names import stem

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "tests" / "data" / "county_renames.tsv"

#: (old code, old name, year) -> (link, current codes)
Renames = dict[tuple[str, str, int], tuple[str, frozenset[str]]]


def _load() -> Renames:
    lines = [line for line in TABLE.read_text("utf-8").splitlines() if not line.startswith("#")]
    assert lines[0].split("\t") == ["old_code", "old_name", "year", "new_code", "new_name", "link"]
    links: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str, int], str] = {}
    for line in lines[1:]:
        old_code, old_name, year, new_code, _, link = line.split("\t")
        key = (old_code, old_name, int(year))
        assert kinds.setdefault(key, link) == link
        links[key].add(new_code)
    return {key: (kinds[key], frozenset(codes)) for key, codes in links.items()}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.builtin()


@pytest.fixture(scope="module")
def renames() -> Renames:
    return _load()


def test_table_covers_the_dataset(renames: Renames) -> None:
    """Thousands of records from 1981 on, most of them added as former names."""
    assert len(renames) > 3000
    assert min(year for _, _, year in renames) <= 1982
    assert sum(link == "former" for link, _ in renames.values()) > 1000
    assert {link for link, _ in renames.values()} == {"former", "current", "namesake"}


def test_every_old_name_resolves(gaz: Gazetteer, renames: Renames) -> None:
    """Each old name resolves: to every node its area went to, as a former name, or to
    the place still called so; one that another place carries today means only the
    places answering to it (its candidates are among those the table names)."""
    wrong: list[str] = []
    for (old_code, old_name, year), (link, codes) in sorted(renames.items()):
        found = set(resolve(gaz, old_name).codes)
        if not found or not (found <= codes if link == "namesake" else codes <= found):
            wrong.append(f"{old_code} {old_name} {year} {link} -> {sorted(codes)}: {sorted(found)}")
        if link == "former":
            for code in codes:
                assert old_name in gaz.node(code).former, (old_name, code)
    assert not wrong, wrong[:20]


@pytest.mark.parametrize(
    ("old", "codes"),
    [
        ("永定县", ("350803",)),  # 龙岩市永定区, 2014; not 张家界's 永定区
        ("许昌县", ("411003",)),  # 建安区, 2016
        ("邢台县", ("130502", "130503")),  # 2020: mostly 信都区, part to 襄都区
        ("户县", ("610118",)),  # 鄠邑区, 2016
        ("龙海市", ("350604",)),  # 龙海区, 2021; a part given to 龙文区 in 1996 does not count
        ("闸北区", ("310106",)),  # merged into 静安区, 2015
        ("崇安区", ("320213",)),  # merged into 梁溪区, 2015
        ("星子县", ("360483",)),  # 庐山市, 2016
    ],
)
def test_named_renames(gaz: Gazetteer, renames: Renames, old: str, codes: tuple[str, ...]) -> None:
    """Renamings that change the stem, and merged districts, reach today's place."""
    assert resolve(gaz, old).codes == codes
    assert any(name == old and link == "former" for (_, name, _), (link, _) in renames.items())


def test_name_in_a_path_of_its_successor(gaz: Gazetteer) -> None:
    """An old name written under its city narrows to the successor there."""
    assert resolve(gaz, "邢台市邢台县").codes == ("130502", "130503")
    assert resolve(gaz, "西安户县").codes == ("610118",)
    assert resolve(gaz, "福建省龙岩市永定县").codes == ("350803",)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("西城区", "110102"),  # 成都 had a 西城区 until 1990
        ("金牛区", "510106"),  # 成都's 金牛区 of 1990 was split between five districts
        ("邯郸市", "1304"),  # the county-level 邯郸市 of 1981 is districts of the city now
        ("桥东区", "130702"),  # 石家庄's and 邢台's 桥东区 are gone
    ],
)
def test_old_names_do_not_dilute_current_names(gaz: Gazetteer, renames: Renames, name: str, code: str) -> None:
    """A name still carried today means only the place that carries it."""
    assert any(old == name for _, old, _ in renames)
    assert resolve(gaz, name).codes == (code,)


def test_current_names_resolve_to_their_carriers(gaz: Gazetteer) -> None:
    """Every current name of a county or coarser place resolves only to places called so,
    and its short name to no other county or coarser place: 上海 stays the city although
    上海县 is a former name of 闵行区, 许昌 the city although 许昌县 is now 建安区."""
    wrong: list[tuple[str, str]] = []
    for node in gaz:
        if node.level > PlaceLevel.COUNTY:
            continue
        wrong.extend((node.name, other) for other in resolve(gaz, node.name).codes if gaz.node(other).name != node.name)
        short = stem(node.name, node.level)
        if short:
            wrong.extend(
                (short, other)
                for other in resolve(gaz, short).codes
                if gaz.node(other).level <= PlaceLevel.COUNTY
                and short not in (gaz.node(other).name, stem(gaz.node(other).name, gaz.node(other).level))
            )
    assert not wrong, wrong[:20]
    assert resolve(gaz, "上海").codes == ("31",)
    assert resolve(gaz, "许昌").codes == ("4110",)


def test_no_county_or_city_has_another_places_name_as_former(gaz: Gazetteer) -> None:
    """The gazetteer never gives a county or city a former name some place carries today."""
    current = {node.name for node in gaz}
    clashes = [
        (node.code, name) for node in gaz if node.level <= PlaceLevel.COUNTY for name in node.former if name in current
    ]
    assert not clashes, clashes[:20]
