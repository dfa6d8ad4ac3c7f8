"""The shipped examples: deterministic, the stated sizes, and comfortably feasible.

The feasibility checks here read the written workbooks, not the generator's
internals, with a deliberately small place matcher of their own (a county's name
without its suffix, after folding the few traditional characters the examples use).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.io.examples import EXAMPLES, write_example

DATA = Path(__file__).resolve().parents[1] / "data" / "examples"
ZHANGZHOU = (
    "芗城区",
    "龙文区",
    "龙海区",
    "长泰区",
    "云霄县",
    "漳浦县",
    "诏安县",
    "东山县",
    "南靖县",
    "平和县",
    "华安县",
)
LONGYAN = ("新罗区", "永定区", "上杭县", "武平县", "长汀县", "连城县", "漳平市")
LEADER_RANKS = ("正处", "副处", "正科")
PLACE_COLUMNS = ("居住地", "工作地", "任职地", "成长地")
SEPARATORS = re.compile(r"[、,，;；/\n]")
TRADITIONAL = str.maketrans("龍華縣區雲東長詔薌羅連", "龙华县区云东长诏芗罗连")


def sheet_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


def records(path: Path) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for title, rows in sheet_values(path).items():
        out[title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return out


def tokens(cell: Any) -> list[str]:
    if cell is None:
        return []
    parts = (p.replace(" ", "").replace("\u3000", "") for p in SEPARATORS.split(str(cell)))
    return [p for p in parts if p]


def county_of(token: str, counties: tuple[str, ...]) -> str | None:
    folded = token.translate(TRADITIONAL)
    hits = [c for c in counties if c[:-1] in folded]
    assert len(hits) <= 1, token
    return hits[0] if hits else None


@dataclass
class Person:
    id: str
    county: str
    female: bool
    rank: str
    roles: set[str]
    skills: set[str]
    links: set[str]
    declared: list[str]
    usable: bool


@dataclass
class Goal:
    id: str
    name: str
    county: str
    size: int | None
    skills: set[str]


@dataclass
class Example:
    counties: tuple[str, ...]
    people: list[Person]
    targets: list[Goal]
    suspended: set[str]
    visited: set[tuple[str, str]]
    past_arcs: set[tuple[str, str]]
    bans: list[set[str]]
    pins: dict[str, str] = field(default_factory=dict)

    def pool(self, county: str) -> list[Person]:
        return [p for p in self.people if p.county == county and p.usable]

    def declared_conflict(self, p: Person, t: Goal) -> bool:
        return any(tok in (t.id, t.name) or county_of(tok, self.counties) == t.county for tok in p.declared)

    def conflict(self, p: Person, t: Goal) -> bool:
        return t.county in p.links or self.declared_conflict(p, t) or (p.id, t.county) in self.visited

    def can_lead(self, p: Person) -> bool:
        return "组长" in p.roles and p.rank in LEADER_RANKS and p.id not in self.suspended

    def banned(self, team: list[Person]) -> bool:
        ids = {p.id for p in team}
        return any(pair <= ids for pair in self.bans)


def load(path: Path, counties: tuple[str, ...]) -> Example:
    book = records(path)
    decisions = book["人工决定"]
    off = {str(d["干部编号"]) for d in decisions if d["类型"] == "不可用"}
    people = []
    for r in book["干部"]:
        home = county_of(str(r["所属县区"]), counties) or ""
        links = {county_of(tok, counties) for col in PLACE_COLUMNS for tok in tokens(r[col])}
        people.append(
            Person(
                id=str(r["编号"]),
                county=home,
                female=r["性别"] == "女",
                rank=str(r["职级"]),
                roles=set(tokens(r["可任角色"])),
                skills=set(tokens(r["专长"])),
                links={c for c in links if c} | {home},
                declared=tokens(r["回避"]),
                usable=r["可用"] != "否" and str(r["编号"]) not in off,
            )
        )
    targets = [
        Goal(
            str(r["编号"]),
            str(r["名称"]),
            county_of(str(r["所在地"]), counties) or "",
            r["人数"],
            set(tokens(r["所需专长"])),
        )
        for r in book["巡察对象"]
    ]
    last = Counter(str(h["干部编号"]) for h in book["往轮记录"] if h["末位"] == "是")
    visited = {(str(h["干部编号"]), county_of(str(h["巡察地"]), counties) or "") for h in book["往轮记录"]}
    past_arcs = {
        (county_of(str(h["来源县区"]), counties) or "", county_of(str(h["巡察地"]), counties) or "")
        for h in book["往轮记录"]
    }
    return Example(
        counties,
        people,
        targets,
        {c for c, n in last.items() if n >= 2},
        visited,
        past_arcs,
        [{str(d["干部编号"]), str(d["另一干部编号"])} for d in decisions if d["类型"] == "禁配"],
        {str(d["巡察对象编号"]): str(d["干部编号"]) for d in decisions if d["类型"] == "指定"},
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("examples")
    write_example(directory)
    return directory


# --------------------------------------------------------------------------- determinism


def test_write_example_returns_the_files_it_writes(tmp_path: Path) -> None:
    """write_example returns input.xlsx and rules.toml per example, and they exist."""
    paths = write_example(tmp_path)
    assert paths == [tmp_path / n / f for n in EXAMPLES for f in ("input.xlsx", "rules.toml")]
    assert all(p.is_file() for p in paths)
    assert write_example(tmp_path / "one", "mixed") == [
        tmp_path / "one/mixed/input.xlsx",
        tmp_path / "one/mixed/rules.toml",
    ]


def test_unknown_example_is_refused(tmp_path: Path) -> None:
    """An unknown example name raises ValueError and writes nothing."""
    with pytest.raises(ValueError, match="rotation"):
        write_example(tmp_path, "pyramid")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("name", EXAMPLES)
def test_generation_is_deterministic(generated: Path, tmp_path: Path, name: str) -> None:
    """Generating twice gives the same cells in every sheet and the same rules text."""
    write_example(tmp_path, name)
    assert sheet_values(tmp_path / name / "input.xlsx") == sheet_values(generated / name / "input.xlsx")
    assert (tmp_path / name / "rules.toml").read_bytes() == (generated / name / "rules.toml").read_bytes()


@pytest.mark.parametrize("name", EXAMPLES)
def test_shipped_data_matches_the_generator(generated: Path, name: str) -> None:
    """data/examples holds exactly what the generator writes today."""
    shipped, fresh = DATA / name, generated / name
    assert sheet_values(shipped / "input.xlsx") == sheet_values(fresh / "input.xlsx")
    assert (shipped / "rules.toml").read_bytes() == (fresh / "rules.toml").read_bytes()


@pytest.mark.parametrize("name", EXAMPLES)
def test_rules_are_valid(generated: Path, name: str) -> None:
    """rules.toml parses and validates against Rules with the intended mode."""
    from crossinspect.domain.rules import Rules

    data = tomllib.loads((generated / name / "rules.toml").read_text(encoding="utf-8"))
    rules = Rules.model_validate(data)
    assert rules.mode.value == name
    assert rules.leader_min_rank == "正科"
    assert rules.required_skills == {"纪检监察": 1}


@pytest.mark.parametrize("name", EXAMPLES)
def test_headers_are_the_spec_headers(generated: Path, name: str) -> None:
    """Every sheet has the SPEC §3 Chinese headers, in bold, and ids are text."""
    wb = openpyxl.load_workbook(generated / name / "input.xlsx")
    assert wb.sheetnames == ["干部", "巡察对象", "往轮记录", "人工决定", "地名"]
    assert [c.value for c in wb["巡察对象"][1]] == ["编号", "名称", "所在地", "人数", "所需专长", "部门类别"]
    assert [c.value for c in wb["往轮记录"][1]] == ["轮次", "干部编号", "巡察地", "角色", "末位", "来源县区"]
    for ws in wb:
        assert all(c.font.b for c in ws[1])
    assert all(isinstance(r[0], str) for r in wb["干部"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[0], str) for r in wb["巡察对象"].iter_rows(min_row=2, values_only=True))


# --------------------------------------------------------------------------- contents


def test_rotation_counts(generated: Path) -> None:
    """漳州: 11 real counties, 9 cadres each, one target each, ~40 history rows."""
    book = records(generated / "rotation" / "input.xlsx")
    per_county = Counter(county_of(r["所属县区"], ZHANGZHOU) for r in book["干部"])
    assert set(per_county) == set(ZHANGZHOU)
    assert all(n == 9 for n in per_county.values())
    assert 90 <= len(book["干部"]) <= 110
    women = sum(r["性别"] == "女" for r in book["干部"])
    assert 0.3 <= women / len(book["干部"]) <= 0.4
    assert sum(r["可用"] == "否" for r in book["干部"]) == 3
    assert sorted(county_of(r["所在地"], ZHANGZHOU) for r in book["巡察对象"]) == sorted(ZHANGZHOU)
    assert [r["人数"] for r in book["巡察对象"] if r["人数"] is not None] == [6]
    assert 35 <= len(book["往轮记录"]) <= 45
    assert {r["类型"] for r in book["人工决定"]} == {"指定", "禁配", "不可用"}
    empty = sum(r[c] in (None, "") for r in book["干部"] for c in PLACE_COLUMNS)
    assert 4 <= empty <= 6


def test_rotation_pools_have_leaders_and_skills(generated: Path) -> None:
    """Every 漳州 county has ≥3 leader-eligible (正科+), ≥3 deputies, ≥3 纪检监察, ≥3 财务/审计."""
    for county in ZHANGZHOU:
        pool = [
            r
            for r in records(generated / "rotation" / "input.xlsx")["干部"]
            if county_of(r["所属县区"], ZHANGZHOU) == county
        ]
        leaders = [r for r in pool if "组长" in tokens(r["可任角色"]) and r["职级"] in LEADER_RANKS]
        assert len(leaders) >= 3, county
        assert sum("副组长" in tokens(r["可任角色"]) for r in pool) >= 3, county
        assert sum("纪检监察" in tokens(r["专长"]) for r in pool) >= 3, county
        assert sum(bool({"财务", "审计"} & set(tokens(r["专长"]))) for r in pool) >= 3, county


def test_mixed_counts(generated: Path) -> None:
    """龙岩: 7 real counties, 10-13 cadres each, two targets each, local roles available."""
    book = records(generated / "mixed" / "input.xlsx")
    per_county = Counter(county_of(r["所属县区"], LONGYAN) for r in book["干部"])
    assert set(per_county) == set(LONGYAN)
    assert all(10 <= n <= 13 for n in per_county.values())
    assert 70 <= len(book["干部"]) <= 90
    women = sum(r["性别"] == "女" for r in book["干部"])
    assert 0.3 <= women / len(book["干部"]) <= 0.4
    assert Counter(county_of(r["所在地"], LONGYAN) for r in book["巡察对象"]) == dict.fromkeys(LONGYAN, 2)
    for county in LONGYAN:
        pool = [r for r in book["干部"] if county_of(r["所属县区"], LONGYAN) == county and r["可用"] != "否"]
        assert sum("副组长" in tokens(r["可任角色"]) for r in pool) >= 2, county
        assert sum("联络员" in tokens(r["可任角色"]) for r in pool) >= 2, county


@pytest.mark.parametrize(("name", "counties"), [("rotation", ZHANGZHOU), ("mixed", LONGYAN)])
def test_about_a_fifth_of_place_cells_are_loose(generated: Path, name: str, counties: tuple[str, ...]) -> None:
    """Roughly 20% of the filled avoidance cells are written some loose way."""
    # 龙岩市永定区 is the proper form: a bare 永定区 could also be 张家界's.
    canonical = re.compile(rf"^({'|'.join(counties)}|龙岩市永定区)(\w+(镇|街道))?$")
    book = records(generated / name / "input.xlsx")
    cells = [str(r[c]) for r in book["干部"] for c in PLACE_COLUMNS if r[c]]
    strict = [
        c for c in cells if all(canonical.match(t) or county_of(t, counties) is None for t in SEPARATORS.split(c))
    ]
    assert 0.12 <= 1 - len(strict) / len(cells) <= 0.35


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_place_resolves_to_one_place(generated: Path, name: str) -> None:
    """Every place written in the example resolves, unambiguously, to a county or finer."""
    from crossinspect.domain.models import PlaceRecord
    from crossinspect.places import Gazetteer, PlaceLevel, extend, resolve

    book = records(generated / name / "input.xlsx")
    extra = [
        PlaceRecord(name=r["地名"], parent=r["上级"] or "", aliases=tuple(tokens(r["别名"]))) for r in book["地名"]
    ]
    gaz, issues = extend(Gazetteer.builtin(), extra)
    assert not issues
    target_ids = {r["编号"] for r in book["巡察对象"]}
    target_names = {r["名称"] for r in book["巡察对象"]}
    texts = [r["所属县区"] for r in book["干部"]]
    texts += [
        t
        for r in book["干部"]
        for c in (*PLACE_COLUMNS, "回避")
        for t in tokens(r[c])
        if t not in target_ids and t not in target_names
    ]
    texts += [r["所在地"] for r in book["巡察对象"]]
    texts += [r[c] for r in book["往轮记录"] for c in ("巡察地", "来源县区")]
    for text in sorted(set(texts)):
        found = resolve(gaz, text)
        assert found.resolved and not found.ambiguous, (text, found.codes)
        assert gaz.node(found.codes[0]).level >= PlaceLevel.COUNTY, text


# --------------------------------------------------------------------------- feasibility


def can_staff(ex: Example, pool: list[Person], target: Goal) -> bool:
    """Whether this pool alone can fill every seat of the target's team (rotation)."""
    pinned = ex.pins.get(target.id)
    elsewhere = {c for t, c in ex.pins.items() if t != target.id}
    fit = [p for p in pool if not ex.conflict(p, target) and p.id not in elsewhere]
    leaders = [p for p in fit if ex.can_lead(p) and (pinned is None or p.id == pinned)]
    size = target.size or 5
    for leader in leaders:
        for deputy in fit:
            if deputy is leader or "副组长" not in deputy.roles:
                continue
            rest = [p for p in fit if p not in (leader, deputy) and "组员" in p.roles]
            for members in combinations(rest, size - 2):
                team = [leader, deputy, *members]
                skills = set().union(*(p.skills for p in team))
                if "纪检监察" in skills and target.skills <= skills and not ex.banned(team):
                    return True
    return False


def hamiltonian_cycle(nodes: tuple[str, ...], arcs: set[tuple[str, str]]) -> list[str] | None:
    path = [nodes[0]]

    def extend() -> bool:
        if len(path) == len(nodes):
            return (path[-1], path[0]) in arcs
        for nxt in nodes:
            if nxt not in path and (path[-1], nxt) in arcs:
                path.append(nxt)
                if extend():
                    return True
                path.pop()
        return False

    return path if extend() else None


def test_rotation_is_comfortably_feasible(generated: Path) -> None:
    """Each pool can staff ≥6 other counties, and a single history-free cycle exists."""
    ex = load(generated / "rotation" / "input.xlsx", ZHANGZHOU)
    assert len(ex.suspended) == 1
    assert len(ex.past_arcs) == 22
    target_in = {t.county: t for t in ex.targets}

    def usable_arcs() -> set[tuple[str, str]]:
        return {
            (a, b)
            for a in ZHANGZHOU
            for b in ZHANGZHOU
            if a != b and (a, b) not in ex.past_arcs and can_staff(ex, ex.pool(a), target_in[b])
        }

    pins, ex.pins = ex.pins, {}
    arcs = usable_arcs()
    for county in ZHANGZHOU:
        assert sum(a == county for a, _ in arcs) >= 6, county
        assert sum(b == county for _, b in arcs) >= 6, county
    ex.pins = pins
    cycle = hamiltonian_cycle(ZHANGZHOU, usable_arcs())
    assert cycle is not None
    # can_staff keeps the pinned leader's target for his own pool, so the cycle honours it.
    [(pinned_target, pinned_cadre)] = ex.pins.items()
    home = next(p.county for p in ex.people if p.id == pinned_cadre)
    there = next(t.county for t in ex.targets if t.id == pinned_target)
    assert (home, there) in set(zip(cycle, cycle[1:] + cycle[:1], strict=True))


def staff_mixed(ex: Example, seats: int) -> bool:
    """Whether all mixed teams can be staffed at once with ``seats`` seats each (CP-SAT)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    seat: dict[tuple[str, str, str], Any] = {}
    for t in ex.targets:
        for p in ex.people:
            if not p.usable:
                continue
            local = p.county == t.county
            roles = {"联络员", "副组长"} & p.roles if local else {"组员"} & p.roles
            if not local and ex.can_lead(p):
                roles = roles | {"组长"}
            clash = ex.declared_conflict(p, t) if local else ex.conflict(p, t)
            for role in sorted(roles) if not clash else ():
                seat[p.id, t.id, role] = model.new_bool_var(f"{p.id}-{t.id}-{role}")
    person = {p.id: p for p in ex.people}
    for p in ex.people:
        model.add(sum(v for (pid, _, _), v in seat.items() if pid == p.id) <= 1)
    for t in ex.targets:
        mine = {k: v for k, v in seat.items() if k[1] == t.id}
        for role in ("组长", "副组长", "联络员"):
            model.add(sum(v for k, v in mine.items() if k[2] == role) == 1)
        model.add(sum(mine.values()) == seats)
        for county in ex.counties:
            if county != t.county:
                model.add(sum(v for k, v in mine.items() if person[k[0]].county == county) <= 2)
        model.add(sum(v for k, v in mine.items() if person[k[0]].female) >= 1)
        for skill in {"纪检监察"} | t.skills:
            model.add(sum(v for k, v in mine.items() if skill in person[k[0]].skills) >= 1)
        for pair in ex.bans:
            model.add(sum(v for k, v in mine.items() if k[0] in pair) <= 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_mixed_is_comfortably_feasible(generated: Path) -> None:
    """All 14 mixed teams can be staffed at once even at the largest team size (6)."""
    ex = load(generated / "mixed" / "input.xlsx", LONGYAN)
    assert all(t.size is None for t in ex.targets)
    assert staff_mixed(ex, 6)
