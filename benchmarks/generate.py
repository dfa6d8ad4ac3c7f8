"""Seeded, reproducible benchmark instances on real places.

Counties, townships and their coordinates come from the built-in gazetteer; cadres,
targets, history and decisions are invented. The conflict shares follow practice:
every cadre lives and works in their home county, about a quarter held office in one
or two other counties of the city, about one in seven grew up in another county of the
city and a few grew up outside it. History has rotation arcs (or mixed teams), a few
末位 leaders ranked last often enough to be suspended (R8) or not drawn at all, and
the decisions sheet has a pin, bans and unavailable cadres.

Sizes (issue 6):

* ``S``  — 南平市, 推磨式 (rotation), 10 counties, 200 cadres, one team per county;
* ``M``  — 福州市, 混编 (mixed) at township level, 140 township teams, 1,000 cadres;
* ``L``  — 福建省, its 9 cities each rotating on its own, 446 teams, 3,343 cadres
  (``local_roles``: with a local 联络员 per team, 3,122 cadres);
* ``XS`` — a tiny rotation (莆田市, 5 counties, 50 cadres) for the smoke test.

Everything random comes from one ``random.Random(seed)`` and nothing iterates over a
set, so the same seed gives the same book on every machine.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from typing import Any

from crossinspect.domain.models import (
    Cadre,
    Decision,
    DecisionKind,
    Gender,
    HistoryRecord,
    InputBook,
    Role,
    Target,
)
from crossinspect.io.rules_reader import merge_rules
from crossinspect.places import Gazetteer, Node, PlaceLevel
from crossinspect.problem import Problem, build_problem

SIZES: tuple[str, ...] = ("XS", "S", "M", "L")

#: Counties left out of every city: 金门县 is listed under 泉州市 but sends no cadres.
_SKIP_COUNTIES = frozenset({"金门县"})

_ROUNDS = ("2024年第一轮", "2024年第二轮", "2025年第一轮")

_SURNAMES = "林林林陈陈陈黄黄张张吴郑郑王李杨蔡许曾谢郭洪庄刘罗钟邱赖魏叶朱潘傅江游何苏"
_MALE = "伟建志明强俊斌辉鹏海荣文华国龙清峰鑫杰勇晨昊毅忠德锦福添振耀宏宇泽坤煌炜彬金"
_FEMALE = "丽娟芳敏静燕婷雪红萍玲霞琳瑜颖慧梅莉晓佳雯琴秀惠蓉洁倩璐菁"

#: Department -> (main skill, second skill, share of the department with the second).
_DEPARTMENTS: dict[str, tuple[str, str, float]] = {
    "纪检监察": ("纪检监察", "政法", 0.15),
    "组织": ("组织", "宣传", 0.3),
    "审计": ("审计", "财务", 0.4),
    "财政": ("财务", "审计", 0.3),
    "政法": ("政法", "纪检监察", 0.2),
}
_POSTS = {"纪检监察": "纪委监委", "组织": "委组织部", "审计": "审计局", "财政": "财政局", "政法": "委政法委"}

#: Slot kinds: L leader-eligible, D deputy, I liaison, M member. Ranks and weights per slot.
_RANKS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "L": (("正处", "副处", "正科"), (1, 3, 14)),
    "D": (("正科", "副科"), (3, 7)),
    "I": (("副科", "科员"), (4, 6)),
    "M": (("正科", "副科", "科员"), (1, 5, 4)),
}
_SLOT_DEPARTMENTS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "L": (("纪检监察", "组织", "审计", "政法"), (5, 2, 1, 2)),
    "D": (("纪检监察", "审计", "财政", "组织", "政法"), (4, 2, 2, 1, 1)),
    "I": (("纪检监察", "组织", "财政"), (2, 2, 1)),
    "M": (("纪检监察", "审计", "财政", "组织", "政法"), (3, 2, 2, 2, 2)),
}
_UNITS = (
    "住房和城乡建设局",
    "教育局",
    "农业农村局",
    "自然资源局",
    "卫生健康局",
    "人民政府办公室",
    "公安局",
    "文化和旅游局",
    "财政局",
    "水利局",
    "交通运输局",
    "市场监督管理局",
    "民政局",
    "人力资源和社会保障局",
    "林业局",
    "生态环境局",
    "商务局",
    "应急管理局",
    "医疗保障局",
    "统计局",
    "司法局",
    "发展和改革局",
    "工业和信息化局",
    "退役军人事务局",
)
_TOWN_UNITS = ("党委", "财政所", "卫生院", "中心小学", "村镇建设服务中心", "农业服务中心")
_UNIT_DEPARTMENT = {"财政局": "财政", "公安局": "政法", "司法局": "政法", "统计局": "审计"}


@dataclass(frozen=True)
class Instance:
    """One generated round: the input book, its rules dict and a label."""

    name: str
    book: InputBook
    rules: dict[str, Any]

    def problem(self, gazetteer: Gazetteer | None = None) -> Problem:
        return build_problem(self.book, merge_rules(self.rules), gazetteer)

    @property
    def teams(self) -> int:
        return len(self.book.targets)


@dataclass(frozen=True)
class CitySpec:
    """What to generate for one city."""

    province: str
    city: str
    mode: str  # rotation | mixed
    level: str  # county | township
    cadres: int
    targets: int
    team_size: tuple[int, int] = (5, 7)
    local_liaison: bool = False
    time_limit: float = 60.0
    #: the rules' search effort; None leaves the default
    effort: float | None = None
    max_counties: int | None = None
    #: mixed rounds of the scaling sweep: pools hold only their share of leaders and deputies
    lean_pools: bool = False


# --------------------------------------------------------------------------- places


class _City:
    """A real city of the gazetteer with its counties and their townships."""

    def __init__(self, gaz: Gazetteer, province: str, city: str, max_counties: int | None) -> None:
        prov = next((n for n in gaz if n.level == PlaceLevel.PROVINCE and n.name == province), None)
        if prov is None:
            raise ValueError(f"no province {province!r} in the gazetteer")
        node = next((n for n in gaz.children(prov.code) if n.name == city), None)
        if node is None:
            raise ValueError(f"no city {city!r} in {province}")
        self.gaz = gaz
        self.province = prov
        self.node = node
        counties = [
            c
            for c in gaz.children(node.code)
            if c.level == PlaceLevel.COUNTY and c.name not in _SKIP_COUNTIES and gaz.children(c.code)
        ]
        self.counties: list[Node] = counties[:max_counties] if max_counties else counties
        self.towns: dict[str, list[Node]] = {c.code: _unique_towns(gaz, c) for c in self.counties}

    def county_text(self, county: Node) -> str:
        return f"{self.node.name}{county.name}"

    def town_text(self, county: Node, town: Node) -> str:
        return f"{self.node.name}{county.name}{town.name}"


def _unique_towns(gaz: Gazetteer, county: Node) -> list[Node]:
    """Townships of a county whose name no other township of the county shares."""
    towns = [t for t in gaz.children(county.code) if t.level == PlaceLevel.TOWNSHIP]
    names = [t.name for t in towns]
    return [t for t in towns if names.count(t.name) == 1]


def _outside_places(gaz: Gazetteer, city: _City) -> list[str]:
    """Counties of the same province outside the city, written with their city."""
    out = []
    for other in gaz.children(city.province.code):
        if other.code == city.node.code:
            continue
        for county in gaz.children(other.code):
            if county.level == PlaceLevel.COUNTY and county.name not in _SKIP_COUNTIES:
                out.append(f"{other.name}{county.name}")
    return out


# --------------------------------------------------------------------------- people


@dataclass
class _Person:
    cid: str
    name: str
    female: bool
    county: Node
    slot: str
    rank: str
    roles: list[Role]
    department: str
    skills: list[str]
    residence: list[str]
    workplace: list[str]
    postings: list[str]
    upbringing: list[str]
    #: counties of the city this person is linked to (home first)
    links: list[str]
    conflicts: list[str]
    available: bool = True

    def cadre(self, city: _City) -> Cadre:
        return Cadre(
            id=self.cid,
            name=self.name,
            gender=Gender.FEMALE if self.female else Gender.MALE,
            county=city.county_text(self.county),
            unit=f"{self.county.name}{_POSTS[self.department]}",
            rank=self.rank,
            roles=frozenset(self.roles),
            skills=tuple(self.skills),
            department=self.department,
            residence=tuple(self.residence),
            workplace=tuple(self.workplace),
            postings=tuple(self.postings),
            upbringing=tuple(self.upbringing),
            conflicts=tuple(self.conflicts),
            available=self.available,
        )


def _name(rng: random.Random, female: bool) -> str:
    chars = _FEMALE if female else _MALE
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def _slots(size: int, teams_abroad: int, teams_home: int, liaison: bool, spare_leaders: bool = True) -> list[str]:
    """Slot kinds of one pool: enough leaders and deputies for the teams it may staff.

    A rotation pool staffs every team of one county by itself and needs spares; a mixed
    pool shares the teams with the others (``spare_leaders=False``: only its share).
    """
    need = max(teams_abroad, 1)
    spare = math.ceil(1.3 * need) + 1 if spare_leaders else need
    n_lead = max(spare, round(0.2 * size))
    n_dep = max(spare, round(0.2 * size))
    n_liaison = max(teams_home + 1, round(0.12 * size)) if liaison else 0
    n_member = size - n_lead - n_dep - n_liaison
    if n_member < need:
        raise ValueError(f"a pool of {size} cadres cannot staff {need} teams; raise the cadre count")
    return ["L"] * n_lead + ["D"] * n_dep + ["I"] * n_liaison + ["M"] * n_member


def _roles(rng: random.Random, slot: str) -> list[Role]:
    if slot == "L":
        roles = [Role.LEADER]
        if rng.random() < 0.5:
            roles.append(Role.MEMBER)
        if rng.random() < 0.2:
            roles.append(Role.DEPUTY)
        return roles
    if slot == "D":
        return [Role.DEPUTY, Role.MEMBER] if rng.random() < 0.6 else [Role.DEPUTY]
    if slot == "I":
        return [Role.LIAISON, Role.MEMBER] if rng.random() < 0.7 else [Role.LIAISON]
    return [Role.MEMBER]


def _make_person(
    rng: random.Random, city: _City, county: Node, slot: str, cid: str, township_level: bool, outside: list[str]
) -> _Person:
    female = rng.random() < 0.35
    ranks, weights = _RANKS[slot]
    rank = rng.choices(ranks, weights)[0]
    departments, dweights = _SLOT_DEPARTMENTS[slot]
    department = rng.choices(departments, dweights)[0]
    main, second, p_second = _DEPARTMENTS[department]
    skills = [main] + ([second] if rng.random() < p_second else [])
    towns = city.towns[county.code]
    others = [c for c in city.counties if c.code != county.code]

    def home(p_town: float) -> str:
        if towns and rng.random() < p_town:
            return city.town_text(county, rng.choice(towns))
        return city.county_text(county)

    def elsewhere(other: Node) -> str:
        # At township level a township pins the conflict down; a bare county there is
        # 无法判定 against its townships, as clerks' cells sometimes are.
        other_towns = city.towns[other.code]
        if other_towns and rng.random() < (0.7 if township_level else 0.25):
            return city.town_text(other, rng.choice(other_towns))
        return city.county_text(other)

    links = [county.code]
    residence = [home(0.4)]
    workplace = [home(0.3)]
    postings = [home(0.15)]
    if others and rng.random() < 0.25:
        for other in rng.sample(others, min(len(others), rng.choice((1, 1, 2)))):
            postings.append(elsewhere(other))
            links.append(other.code)
    draw = rng.random()
    if draw < 0.05 and outside:
        upbringing = [rng.choice(outside)]
    elif draw < 0.19 and others:
        other = rng.choice(others)
        upbringing = [elsewhere(other)]
        links.append(other.code)
    else:
        upbringing = [home(0.3)]
    return _Person(
        cid,
        _name(rng, female),
        female,
        county,
        slot,
        rank,
        _roles(rng, slot),
        department,
        skills,
        residence,
        workplace,
        postings,
        upbringing,
        list(dict.fromkeys(links)),
        [],
    )


# --------------------------------------------------------------------------- targets


@dataclass
class _Goal:
    tid: str
    name: str
    county: Node
    town: Node | None
    location: str
    department: str = ""
    skills: tuple[str, ...] = ()


def _targets(rng: random.Random, city: _City, spec: CitySpec) -> list[_Goal]:
    """Teams to form: townships (township level, mixed) or units spread over the counties."""
    prefix = city.node.code
    goals: list[_Goal] = []
    if spec.level == "township":
        pool = [(c, t) for c in city.counties for t in city.towns[c.code]]
        rng.shuffle(pool)
        chosen = pool[: spec.targets]
        while len(chosen) < spec.targets:  # more teams than townships: units in townships
            chosen.append(rng.choice(pool))
        chosen.sort(key=lambda ct: (ct[0].code, ct[1].code))
        seen: dict[str, int] = {}
        for county, town in chosen:
            seen[town.code] = seen.get(town.code, 0) + 1
            name = town.name if seen[town.code] == 1 else town.name + rng.choice(_TOWN_UNITS)
            goals.append(_Goal("", f"{county.name}{name}", county, town, city.town_text(county, town)))
    else:
        per = _spread(spec.targets, len(city.counties))
        for county, k in zip(city.counties, per, strict=True):
            units = rng.sample(_UNITS, min(k, len(_UNITS)))
            towns = city.towns[county.code]
            for n in range(k):
                unit = units[n % len(units)] + ("" if n < len(units) else f"（{n // len(units) + 1}）")
                town = rng.choice(towns) if towns and k > 1 else None
                location = city.town_text(county, town) if town else city.county_text(county)
                goals.append(
                    _Goal(
                        "",
                        f"{county.name}{unit}",
                        county,
                        town,
                        location,
                        department=_UNIT_DEPARTMENT.get(units[n % len(units)], ""),
                    )
                )
    for n, g in enumerate(goals):
        g.tid = f"T{prefix}{n + 1:04d}"
        if rng.random() < 0.1:
            g.skills = ("审计",)
    return goals


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


# --------------------------------------------------------------------------- history


def _cycle(rng: random.Random, codes: list[str], banned: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """A random Hamiltonian cycle over the counties using no banned arc (best effort)."""
    best: list[tuple[str, str]] = []
    for _ in range(2000):
        order = codes[:]
        rng.shuffle(order)
        arcs = [(order[k], order[(k + 1) % len(order)]) for k in range(len(order))]
        if not any(a in banned for a in arcs):
            return arcs
        if not best:
            best = arcs
    return best


@dataclass
class _HistoryPlan:
    records: list[HistoryRecord]
    window_arcs: set[tuple[str, str]]
    #: (cadre id, county code) pairs inspected in the look-back window
    visited: set[tuple[str, str]]


def _history(
    rng: random.Random, city: _City, spec: CitySpec, people: list[_Person], goals: list[_Goal]
) -> _HistoryPlan:
    """Three earlier rounds; the last two are inside the look-back window (history_rounds = 2)."""
    by_pool: dict[str, list[_Person]] = {c.code: [] for c in city.counties}
    for p in people:
        by_pool[p.county.code].append(p)
    leaders = [p for p in people if p.slot == "L"]
    # R8: a few leaders ranked last in the two latest rounds (suspended), fewer in all three
    # (not drawn at all). Everyone else is ranked last now and then, never twice running.
    n_excl = max(1, round(0.01 * len(leaders)))
    n_susp = max(1, round(0.03 * len(leaders)))
    marked = rng.sample(leaders, n_excl + n_susp)
    last_in: dict[str, tuple[int, ...]] = {}
    for p in marked[:n_excl]:
        last_in[p.cid] = (0, 1, 2)
    for p in marked[n_excl:]:
        last_in[p.cid] = (1, 2)
    records: list[HistoryRecord] = []
    window_arcs: set[tuple[str, str]] = set()
    visited: set[tuple[str, str]] = set()
    codes = [c.code for c in city.counties]
    county_of = {c.code: c for c in city.counties}
    goals_in: dict[str, list[_Goal]] = {}
    for g in goals:
        goals_in.setdefault(g.county.code, []).append(g)
    previous: list[tuple[str, str]] = []
    for k, label in enumerate(_ROUNDS):
        # Teams of this round: (from pool or "", place text, place county, members).
        teams: list[tuple[str, str, str, list[_Person]]] = []
        must_lead = [p for p in marked if k in last_in[p.cid]]
        if spec.mode == "rotation":
            banned = set(previous) | {(b, a) for a, b in previous} if k == 2 else set()
            arcs = _cycle(rng, codes, banned)
            previous = arcs
            for u, w in arcs:
                pool = by_pool[u][:]
                rng.shuffle(pool)
                pool = [p for p in pool if w not in p.links]
                heads = [p for p in must_lead if p.county.code == u]
                heads += [p for p in pool if p.slot == "L" and p not in heads and p.cid not in last_in]
                rest = [p for p in pool if p.slot != "L"]
                for g in goals_in.get(w, []) or [None]:
                    if not heads or len(rest) < 3:
                        break
                    size = rng.choice((2, 3, 3, 4))
                    members = [heads.pop(0)] + [rest.pop() for _ in range(min(size, len(rest)))]
                    place = g.location if g is not None else city.county_text(county_of[w])
                    teams.append((u, place, w, members))
                if k >= 1:
                    window_arcs.add((u, w))
        else:
            free = people[:]
            rng.shuffle(free)
            heads = must_lead + [p for p in free if p.slot == "L" and p.cid not in last_in]
            for _ in range(max(1, round(0.6 * len(goals)))):
                if not heads:
                    break
                g = rng.choice(goals)
                head = next((p for p in heads if p.county.code != g.county.code and g.county.code not in p.links), None)
                if head is None:
                    continue
                heads.remove(head)
                members = [head]
                per_county = {head.county.code: 1}
                for p in free:
                    if len(members) >= rng.choice((4, 5)):
                        break
                    if (
                        p.slot == "L"
                        or p in members
                        or g.county.code in p.links
                        or per_county.get(p.county.code, 0) >= 2
                    ):
                        continue
                    members.append(p)
                    per_county[p.county.code] = per_county.get(p.county.code, 0) + 1
                used = {m.cid for m in members}
                free = [p for p in free if p.cid not in used]
                teams.append(("", g.location, g.county.code, members))
        for u, place, w, members in teams:
            head = members[0]
            last = k in last_in.get(head.cid, ()) or (head.cid not in last_in and rng.random() < 0.08)
            records.append(
                HistoryRecord(
                    round=label,
                    cadre_id=head.cid,
                    place=place,
                    role=Role.LEADER,
                    last_ranked=last,
                    from_county=city.county_text(county_of[u]) if u else "",
                )
            )
            for n, m in enumerate(members[1:]):
                role = Role.DEPUTY if n == 0 and Role.DEPUTY in m.roles else Role.MEMBER
                records.append(
                    HistoryRecord(
                        round=label,
                        cadre_id=m.cid,
                        place=place,
                        role=role,
                        from_county=city.county_text(county_of[u]) if u else "",
                    )
                )
            if k >= 1:
                visited.update((m.cid, w) for m in members)
    return _HistoryPlan(records, window_arcs, visited)


# --------------------------------------------------------------------------- a city


def city_instance(spec: CitySpec, seed: int, name: str = "") -> Instance:
    """Generate one city's round from ``spec``; the same seed gives the same instance."""
    gaz = Gazetteer.builtin()
    city = _City(gaz, spec.province, spec.city, spec.max_counties)
    rng = random.Random(f"{seed}:{spec.province}:{spec.city}:{spec.mode}:{spec.cadres}")
    outside = _outside_places(gaz, city)
    goals = _targets(rng, city, spec)
    n_counties = len(city.counties)
    teams_in = {c.code: sum(1 for g in goals if g.county.code == c.code) for c in city.counties}
    # Rotation: a pool staffs every team of the county it is sent to.
    abroad = max(teams_in.values()) if spec.mode == "rotation" else math.ceil(len(goals) / n_counties)
    prefix = city.node.code
    people: list[_Person] = []
    for county, size in zip(city.counties, _spread(spec.cadres, n_counties), strict=True):
        slots = _slots(size, abroad, teams_in[county.code], spec.local_liaison, not spec.lean_pools)
        for slot in slots:
            cid = f"{prefix}{len(people) + 1:05d}"
            people.append(_make_person(rng, city, county, slot, cid, spec.level == "township", outside))
    hist = _history(rng, city, spec, people, goals)
    decisions = _decisions(rng, spec, people, goals, hist)
    # 其他回避: about 2% declare a target id or a township of another county.
    for p in rng.sample(people, max(1, round(0.02 * len(people)))):
        foreign = [g for g in goals if g.county.code not in p.links]
        if not foreign:
            continue
        g = rng.choice(foreign)
        p.conflicts.append(g.tid if rng.random() < 0.5 or g.town is None else g.location)
    targets = tuple(
        Target(id=g.tid, name=g.name, location=g.location, skills=g.skills, department=g.department) for g in goals
    )
    cadres = tuple(p.cadre(city) for p in people)
    lo, hi = spec.team_size
    rules: dict[str, Any] = {
        "title": f"{city.node.name}委交叉巡察（基准 {name or spec.mode}）",
        "mode": spec.mode,
        "level": spec.level,
        "team_size": [lo, hi],
        "deputies": [1, 1],
        "leader_min_rank": "正科",
        "required_skills": {"纪检监察": 1},
        "history_rounds": 2,
        "seed": seed,
        "time_limit": spec.time_limit,
    }
    if spec.effort is not None:
        rules["effort"] = spec.effort
    if spec.local_liaison:
        rules["liaisons"] = [1, 1]
        rules["local_roles"] = ["联络员"]
    if spec.mode == "mixed":
        rules["max_from_same_county"] = 2
        rules["min_women"] = 1
    label = name or f"{city.node.name}-{spec.mode}-{spec.cadres}"
    digest = hashlib.sha256(f"{label}:{seed}:{len(cadres)}:{len(targets)}".encode()).hexdigest()
    book = InputBook(
        path=f"<generated {label} seed={seed}>",
        sha256=digest,
        cadres=cadres,
        targets=targets,
        history=tuple(hist.records),
        decisions=tuple(decisions),
    )
    return Instance(name=label, book=book, rules=rules)


def _decisions(
    rng: random.Random, spec: CitySpec, people: list[_Person], goals: list[_Goal], hist: _HistoryPlan
) -> list[Decision]:
    """About 1% unavailable, one ban per ~150 cadres, and one pinned leader."""
    out: list[Decision] = []
    sanctioned = {r.cadre_id for r in hist.records if r.last_ranked}
    plain = [p for p in people if p.slot == "M"]
    for p in rng.sample(plain, max(1, round(0.01 * len(people)))):
        p.available = False
        out.append(Decision(kind=DecisionKind.UNAVAILABLE, cadre_id=p.cid, note="借调专案组"))
    for _ in range(max(1, len(people) // 150)):
        a = rng.choice(plain)
        mates = [p for p in plain if p.county.code == a.county.code and p is not a]
        if mates:
            b = rng.choice(mates)
            out.append(
                Decision(kind=DecisionKind.BAN, cadre_id=a.cid, other_cadre_id=b.cid, note="近亲属关系，不宜同组")
            )
    clean = [
        p
        for p in people
        if p.slot == "L"
        and p.links == [p.county.code]
        and p.cid not in sanctioned
        and p.available
        and p.rank in ("正处", "副处", "正科")
    ]
    if clean:
        p = rng.choice(clean)
        fits = [
            g
            for g in goals
            if g.county.code != p.county.code
            and (p.cid, g.county.code) not in hist.visited
            and (spec.mode != "rotation" or (p.county.code, g.county.code) not in hist.window_arcs)
        ]
        if fits:
            g = rng.choice(fits)
            out.append(
                Decision(
                    kind=DecisionKind.PIN, cadre_id=p.cid, target_id=g.tid, role=Role.LEADER, note="领导小组研究确定"
                )
            )
    return out


# --------------------------------------------------------------------------- sizes

#: The 9 cities of 福建省 for size L, in gazetteer order.
FUJIAN_CITIES = ("福州市", "厦门市", "莆田市", "三明市", "泉州市", "漳州市", "南平市", "龙岩市", "宁德市")

#: Teams per county at size L: about 450 teams over Fujian's 84 counties (金门县 left out); 446 after rounding.
L_TEAMS_PER_COUNTY = 452 / 84
#: A province office drawing nine cities at once on two cores gives each city less effort
#: than the default, so that all nine end by their effort (reproducible) within minutes.
L_EFFORT = 15.0


def specs(size: str, time_limit: float | None = None, local_roles: bool = False) -> list[CitySpec]:
    """The city specs of a size; ``time_limit`` overrides each spec's.

    ``local_roles`` (size L only) adds a local 联络员 per team, filled from the inspected
    county: the rotation no longer splits by arc and the solver takes its one-model path.
    """
    size = size.upper()
    if size == "XS":
        out = [CitySpec("福建省", "莆田市", "rotation", "county", cadres=50, targets=5, time_limit=10)]
    elif size == "S":
        out = [CitySpec("福建省", "南平市", "rotation", "county", cadres=200, targets=10)]
    elif size == "M":
        out = [
            CitySpec(
                "福建省", "福州市", "mixed", "township", cadres=1000, targets=140, team_size=(4, 6), local_liaison=True
            )
        ]
    elif size == "L":
        gaz = Gazetteer.builtin()
        out = []
        for name in FUJIAN_CITIES:
            n = len(_City(gaz, "福建省", name, None).counties)
            teams = round(n * L_TEAMS_PER_COUNTY)
            if local_roles:
                out.append(
                    CitySpec(
                        "福建省",
                        name,
                        "rotation",
                        "county",
                        cadres=teams * 7,
                        targets=teams,
                        team_size=(4, 6),
                        local_liaison=True,
                        effort=L_EFFORT,
                    )
                )
            else:
                out.append(
                    CitySpec(
                        "福建省", name, "rotation", "county", cadres=round(teams * 7.5), targets=teams, effort=L_EFFORT
                    )
                )
    else:
        raise ValueError(f"unknown size {size!r}; choose from {', '.join(SIZES)}")
    if time_limit is not None:
        out = [CitySpec(**{**s.__dict__, "time_limit": time_limit}) for s in out]
    return out


def generate(size: str, seed: int = 1, time_limit: float | None = None, local_roles: bool = False) -> list[Instance]:
    """The instances of a size: one for XS, S and M, one per city for L."""
    size = size.upper()
    spec_list = specs(size, time_limit, local_roles)
    if len(spec_list) == 1:
        return [city_instance(spec_list[0], seed, name=size)]
    return [city_instance(spec, seed, name=f"{size}-{spec.city}") for spec in spec_list]


def scale_instance(mode: str, cadres: int, seed: int = 1, time_limit: float = 30.0) -> Instance:
    """An instance for the scaling sweep: S-like rotation or M-like mixed with ``cadres`` cadres."""
    if mode == "rotation":
        # 南平市's 10 counties; one team per ~7.5 cadres, at least one per county.
        return city_instance(
            CitySpec(
                "福建省",
                "南平市",
                "rotation",
                "county",
                cadres=cadres,
                targets=max(10, round(cadres / 7.5)),
                time_limit=time_limit,
            ),
            seed,
            name=f"rotation-{cadres}",
        )
    if mode == "mixed":
        # Small rounds take fewer of 福州市's 13 counties, so every pool has a few leaders.
        counties = min(13, max(4, cadres // 40))
        return city_instance(
            CitySpec(
                "福建省",
                "福州市",
                "mixed",
                "township",
                cadres=cadres,
                targets=round(cadres / 7.2),
                team_size=(4, 6),
                local_liaison=True,
                time_limit=time_limit,
                max_counties=counties,
                lean_pools=True,
            ),
            seed,
            name=f"mixed-{cadres}",
        )
    raise ValueError(f"unknown mode {mode!r}")
