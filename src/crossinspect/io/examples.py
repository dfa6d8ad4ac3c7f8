"""Two realistic example inputs for ``crossinspect example`` (SPEC §4).

* ``rotation`` — 漳州市, 推磨式 (each county pool goes as a body to one other county);
* ``mixed`` — 龙岩市, 混编 with local 副组长 and 联络员.

Places are real: the county-level divisions as of 2023 and only townships that are
well known to lie in the county given. Cadres are invented. About a fifth of the place
cells are written the loose way clerks write them (no suffix, city prefix, former name,
traditional characters, full-width spaces, assorted separators), so the examples also
exercise place matching. Every run writes the same cell contents: all randomness comes
from a ``random.Random`` with a fixed seed and nothing iterates over a set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .safety import atomic_path

EXAMPLES: tuple[str, ...] = ("rotation", "mixed")

_ROTATION_SEED = 4_2026_1122
_MIXED_SEED = 2_2026_0007
#: Fixed workbook timestamp, so nothing but openpyxl's save time varies between runs.
_CREATED = datetime(2026, 1, 1, 9, 0, 0)

Cell = str | int | None

CADRE_HEADER = ["编号", "姓名", "性别", "所属县区", "单位职务", "职级", "可任角色", "专长",
                "部门类别", "居住地", "工作地", "任职地", "成长地", "回避", "可用"]
TARGET_HEADER = ["编号", "名称", "所在地", "人数", "所需专长", "部门类别"]
HISTORY_HEADER = ["轮次", "干部编号", "巡察地", "角色", "末位", "来源县区"]
DECISION_HEADER = ["类型", "干部编号", "巡察对象编号", "角色", "另一干部编号", "说明"]
PLACE_HEADER = ["地名", "上级", "别名"]

LEADER_RANKS = ("正处", "副处", "正科")


# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class _County:
    """A real county-level division with a few well-known townships."""

    name: str
    province: str
    city: str
    townships: tuple[str, ...]
    seat: str  # township of the county seat, "" where not used
    loose: tuple[str, ...]  # how clerks also write the county
    #: How the office writes the county when it writes it properly: the bare name, or
    #: with its city where the bare name is ambiguous (张家界 also has a 永定区).
    written: str = ""

    @property
    def label(self) -> str:
        return self.written or self.name


ZHANGZHOU: tuple[_County, ...] = (
    _County("芗城区", "福建省", "漳州市", ("浦南镇", "天宝镇"), "",
            ("芗城", "漳州市芗城区", "薌城區")),
    _County("龙文区", "福建省", "漳州市", ("郭坑镇", "步文街道"), "",
            ("漳州龙文区", "龍文區", "漳州市\u3000龙文区")),
    _County("龙海区", "福建省", "漳州市", ("石码街道", "海澄镇", "角美镇"), "石码街道",
            ("龙海", "龙海市", "龍海", "漳州龙海")),
    _County("长泰区", "福建省", "漳州市", ("武安镇", "岩溪镇"), "武安镇",
            ("长泰", "长泰县", "長泰區", "漳州市长泰县")),
    _County("云霄县", "福建省", "漳州市", ("云陵镇", "陈岱镇"), "云陵镇",
            ("云霄", "雲霄縣", "漳州云霄")),
    _County("漳浦县", "福建省", "漳州市", ("绥安镇", "旧镇镇", "佛昙镇"), "绥安镇",
            ("漳浦", "漳州漳浦", "福建省漳州市漳浦县", "漳浦縣")),
    _County("诏安县", "福建省", "漳州市", ("南诏镇", "梅岭镇"), "南诏镇",
            ("诏安", "詔安縣", "漳州市诏安县")),
    _County("东山县", "福建省", "漳州市", ("铜陵镇", "西埔镇"), "西埔镇",
            ("漳州东山县", "東山縣", "漳州市 东山县")),
    _County("南靖县", "福建省", "漳州市", ("山城镇", "书洋镇"), "山城镇",
            ("南靖", "漳州市 南靖县", "南靖縣")),
    _County("平和县", "福建省", "漳州市", ("小溪镇", "坂仔镇"), "小溪镇",
            ("漳州平和县", "漳州市平和县", "平和縣")),
    _County("华安县", "福建省", "漳州市", ("华丰镇", "仙都镇"), "华丰镇",
            ("華安縣", "漳州华安县", "漳州市华安县")),
)

LONGYAN: tuple[_County, ...] = (
    _County("新罗区", "福建省", "龙岩市", ("适中镇", "雁石镇"), "",
            ("新罗", "龙岩市新罗区", "龍岩市新羅區")),
    _County("永定区", "福建省", "龙岩市", ("湖坑镇", "坎市镇"), "",
            ("永定县", "龙岩永定", "龍岩市永定區"), written="龙岩市永定区"),
    _County("上杭县", "福建省", "龙岩市", ("临城镇", "古田镇", "才溪镇"), "临城镇",
            ("上杭", "龙岩上杭", "上杭縣")),
    _County("武平县", "福建省", "龙岩市", ("十方镇", "岩前镇"), "",
            ("武平", "龙岩市 武平县", "武平縣")),
    _County("长汀县", "福建省", "龙岩市", ("汀州镇", "河田镇", "古城镇"), "汀州镇",
            ("长汀", "長汀縣", "龙岩长汀")),
    _County("连城县", "福建省", "龙岩市", ("莲峰镇", "朋口镇", "姑田镇"), "莲峰镇",
            ("连城", "連城縣", "龙岩市连城县")),
    _County("漳平市", "福建省", "龙岩市", ("菁城街道", "永福镇", "双洋镇"), "菁城街道",
            ("漳平", "龙岩漳平市", "漳平市\u3000")),
)

#: Upbringing outside the example city, written as clerks write them.
_OUTSIDE_ZHANGZHOU = ("福建省泉州市安溪县", "厦门市同安区", "福建省龙岩市永定区", "泉州市南安市",
                      "福建省莆田市仙游县")
_OUTSIDE_LONGYAN = ("福建省三明市宁化县", "江西省赣州市瑞金市", "广东省梅州市大埔县",
                    "漳州市南靖县", "福建省三明市清流县")

#: Renamed counties the office lists itself in the 地名 sheet (current name, former name).
_RENAMED = {"龙海区": "龙海市", "长泰区": "长泰县", "永定区": "永定县"}


@dataclass(frozen=True)
class _Spot:
    """A place in an avoidance cell: a county of the city (maybe a township) or outside."""

    county: _County | None
    township: str = ""
    outside: str = ""

    def canonical(self) -> str:
        if self.county is None:
            return self.outside
        return self.county.name + self.township if self.township else self.county.label


# --------------------------------------------------------------------------- people

_SURNAMES_ZHANGZHOU = (
    "林林林林林陈陈陈陈陈黄黄黄张张吴吴郑郑郑王李杨蔡蔡许曾谢郭洪庄蓝"
    "钟邱赖罗魏戴薛颜翁阮卢游涂沈苏何叶朱潘傅姚丁方石江韩"
)
_SURNAMES_LONGYAN = (
    "林陈陈黄张张李李邱邱钟钟赖赖罗罗温温廖廖饶曾曾江谢吴王刘刘"
    "郭卢邓游涂华傅严简丘练兰魏戴薛翁童马卜丁石"
)
_MALE = "伟建志明强俊斌辉鹏海荣文华国龙清峰鑫杰勇晨昊毅忠德锦福添振耀宏宇泽坤煌炜彬金"
_FEMALE = "丽娟芳敏静燕婷雪红萍玲霞琳瑜颖慧梅莉晓佳雯琴秀惠蓉洁倩璐菁"

#: Posts by department and rank; the county's name is put in front.
_POSTS: dict[str, dict[str, tuple[str, ...]]] = {
    "纪检监察": {
        "正处": ("纪委监委二级调研员",),
        "副处": ("纪委监委四级调研员", "委巡察办三级调研员"),
        "正科": ("委巡察办主任", "纪委副书记、监委副主任", "纪委监委第一监督检查室主任",
                 "纪委监委第二监督检查室主任", "纪委监委党风政风监督室主任",
                 "纪委监委一级主任科员"),
        "副科": ("委巡察办副主任", "纪委监委案件审理室副主任", "纪委监委第三监督检查室副主任",
                 "纪委监委三级主任科员", "纪委监委信访室副主任"),
        "科员": ("纪委监委第一监督检查室科员", "委巡察办一级科员", "纪委监委信访室科员",
                 "纪委监委办公室科员"),
    },
    "组织": {
        "正处": ("委组织部二级调研员",),
        "副处": ("委组织部四级调研员",),
        "正科": ("委组织部副部长", "委组织部一级主任科员", "委老干部局局长"),
        "副科": ("委组织部干部股股长", "委组织部组织股股长", "委组织部三级主任科员",
                 "委组织部公务员股股长"),
        "科员": ("委组织部干部股科员", "委组织部一级科员", "委组织部组织股科员"),
    },
    "审计": {
        "正处": ("审计局二级调研员",),
        "副处": ("审计局四级调研员",),
        "正科": ("审计局局长", "审计局一级主任科员"),
        "副科": ("审计局副局长", "审计局经济责任审计股股长", "审计局财政审计股股长",
                 "审计局三级主任科员"),
        "科员": ("审计局财政审计股科员", "审计局一级科员", "审计局经济责任审计股科员"),
    },
    "财政": {
        "正处": ("财政局二级调研员",),
        "副处": ("财政局四级调研员",),
        "正科": ("财政局局长", "财政局一级主任科员"),
        "副科": ("财政局副局长", "财政局预算股股长", "财政局国库股股长", "财政局三级主任科员"),
        "科员": ("财政局预算股科员", "财政局一级科员", "财政局会计股科员"),
    },
    "政法": {
        "正处": ("委政法委二级调研员",),
        "副处": ("委政法委四级调研员",),
        "正科": ("委政法委副书记", "委政法委一级主任科员", "人民检察院第二检察部主任"),
        "副科": ("委政法委执法监督股股长", "人民法院审判管理办公室副主任", "委政法委三级主任科员"),
        "科员": ("委政法委综治股科员", "委政法委一级科员", "人民法院书记员"),
    },
}

#: Main skill of each department, and a second skill some of its cadres also have.
_SKILLS: dict[str, tuple[str, str, float]] = {
    "纪检监察": ("纪检监察", "政法", 0.15),
    "组织": ("组织", "宣传", 0.3),
    "审计": ("审计", "财务", 0.4),
    "财政": ("财务", "审计", 0.3),
    "政法": ("政法", "纪检监察", 0.2),
}

#: Rank weights per slot: L leader-eligible, D deputy, I liaison, M member.
_RANK_WEIGHTS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "L": (("正处", "副处", "正科"), (1, 3, 14)),
    "D": (("正科", "副科"), (3, 7)),
    "I": (("副科", "科员"), (4, 6)),
    "M": (("正科", "副科", "科员"), (1, 5, 4)),
}


@dataclass
class _Person:
    id: str
    name: str
    gender: str
    county: _County
    slot: str
    rank: str
    roles: list[str]
    department: str
    skills: list[str]
    unit: str
    residence: list[_Spot]
    workplace: list[_Spot]
    postings: list[_Spot]
    upbringing: list[_Spot]
    conflicts: list[str] = field(default_factory=list)
    available: bool = True
    blank: list[str] = field(default_factory=list)  # avoidance columns left empty (未填报)

    def linked_counties(self) -> list[str]:
        """Counties of the city this cadre may not inspect, in first-seen order."""
        out: list[str] = []
        for spot in self.residence + self.workplace + self.postings + self.upbringing:
            if spot.county is not None and spot.county.name not in out:
                out.append(spot.county.name)
        return out


class _Names:
    """Invented names, unique within one example."""

    def __init__(self, rng: random.Random, surnames: str) -> None:
        self.rng = rng
        self.surnames = surnames
        self.used: set[str] = set()

    def __call__(self, female: bool) -> str:
        chars = _FEMALE if female else _MALE
        while True:
            given = self.rng.choice(chars)
            if self.rng.random() < 0.7:
                second = self.rng.choice(chars + "文思嘉")
                if second != given:
                    given += second
            name = self.rng.choice(self.surnames) + given
            if name not in self.used:
                self.used.add(name)
                return name


def _make_person(rng: random.Random, names: _Names, *, pid: str, county: _County,
                 city: tuple[_County, ...], outside: tuple[str, ...], slot: str, department: str,
                 female: bool, roles: list[str], used_units: set[str]) -> _Person:
    ranks, weights = _RANK_WEIGHTS[slot]
    rank = rng.choices(ranks, weights)[0]
    posts = [p for p in _POSTS[department][rank] if county.name + p not in used_units]
    unit = county.name + rng.choice(posts or list(_POSTS[department][rank]))
    used_units.add(unit)
    main, second, p_second = _SKILLS[department]
    skills = [main] + ([second] if rng.random() < p_second else [])
    if department == "组织" and "宣传" not in skills and rng.random() < 0.2:
        skills.append("宣传")

    def home(p_town: float, town: str = "") -> _Spot:
        if rng.random() < p_town:
            return _Spot(county, town or rng.choice(county.townships))
        return _Spot(county)

    others = [c for c in city if c is not county]
    residence = [home(0.35)]
    workplace = [home(0.3, county.seat)] if county.seat else [_Spot(county)]
    postings = [home(0.15)]
    if rng.random() < 0.3:
        postings += [_Spot(c) for c in rng.sample(others, rng.choice((1, 1, 2)))]
        rng.shuffle(postings)
    draw = rng.random()
    if draw < 0.04:
        upbringing = [_Spot(None, outside=rng.choice(outside))]
        if rng.random() < 0.5:
            upbringing.append(_Spot(county))
    elif draw < 0.19:
        upbringing = [_Spot(rng.choice(others))]
        if rng.random() < 0.4:
            upbringing.append(home(0.3))
    else:
        upbringing = [home(0.3)]
    return _Person(pid, names(female), "女" if female else "男", county, slot, rank, roles,
                   department, skills, unit, residence, workplace, postings, upbringing)


# --------------------------------------------------------------------------- loose writing

_SEPARATORS = ("、", "、", "、", "，", ";", "；", "/", "\n", ", ")


def _write_spot(rng: random.Random, spot: _Spot, loose: float) -> str:
    if spot.county is None:
        return spot.outside
    county = spot.county
    if not rng.random() < loose:
        return spot.canonical()
    if spot.township:
        return rng.choice((county.city + county.name + spot.township,
                           county.name + "\u3000" + spot.township))
    return rng.choice(county.loose)


def _write_list(rng: random.Random, values: list[str]) -> str:
    unique: list[str] = []
    for v in values:
        if v not in unique:
            unique.append(v)
    return rng.choice(_SEPARATORS).join(unique)


def _write_places(rng: random.Random, spots: list[_Spot], loose: float = 0.15) -> str:
    text = _write_list(rng, [_write_spot(rng, s, loose) for s in spots])
    if rng.random() < 0.04:
        text = "\u3000" + text  # a stray full-width space, as pasted from a form
    return text


def _cadre_row(rng: random.Random, p: _Person) -> list[Cell]:
    cells: dict[str, str] = {}
    for column, spots in (("居住地", p.residence), ("工作地", p.workplace),
                          ("任职地", p.postings), ("成长地", p.upbringing)):
        cells[column] = "" if column in p.blank else _write_places(rng, spots)
    roles = _write_list(rng, p.roles) if len(p.roles) > 1 else p.roles[0]
    return [p.id, p.name, p.gender, p.county.label, p.unit, p.rank, roles,
            _write_list(rng, p.skills), p.department, cells["居住地"], cells["工作地"],
            cells["任职地"], cells["成长地"], "、".join(p.conflicts) or None,
            "是" if p.available else "否"]


def _place_rows(people: list[_Person], extra: list[_Spot],
                city: tuple[_County, ...]) -> list[list[Cell]]:
    """The 地名 sheet: every township written anywhere, plus renamed counties."""
    towns: list[_Spot] = []
    for p in people:
        for spot in p.residence + p.workplace + p.postings + p.upbringing:
            if spot.township and spot not in towns:
                towns.append(spot)
    for spot in extra:
        if spot.township and spot not in towns:
            towns.append(spot)
    order = [c.name for c in city]
    towns.sort(key=lambda s: (order.index(s.county.name) if s.county else 0, s.township))
    rows: list[list[Cell]] = []
    for c in city:
        if c.name in _RENAMED:
            rows.append([c.name, c.province + c.city, _RENAMED[c.name]])
    for spot in towns:
        assert spot.county is not None
        rows.append([spot.township, spot.county.province + spot.county.city + spot.county.name,
                     None])
    return rows


def _blank_some(rng: random.Random, people: list[_Person], count: int) -> None:
    """Leave ``count`` avoidance cells empty (未填报) where they only repeat the home county."""
    candidates = []
    for p in people:
        for column, spots in (("居住地", p.residence), ("任职地", p.postings),
                              ("成长地", p.upbringing)):
            if all(s.county is p.county for s in spots):
                candidates.append((p, column))
    for p, column in rng.sample(candidates, count):
        p.blank.append(column)


@dataclass
class _Book:
    sheets: list[tuple[str, list[str], list[list[Cell]]]]
    rules: str


# --------------------------------------------------------------------------- rotation


def _build_rotation() -> _Book:
    """漳州市, 推磨式: 11 county pools of 9, one target per county.

    Why it is comfortably feasible:
    * A team is 1 组长 + 1 副组长 + 3..5 组员 (5 by default, 6 for the one target with
      人数 6). Each pool has 3 leader-eligible cadres (组长, all 正科 or above), 3
      deputy-eligible (two of them also 组员) and 3 组员: 5 member-eligible, so even the
      6-seat team (4 members) leaves slack in every pool.
    * At most one cadre is withdrawn per pool: the R8-suspended leader, the three
      可用=否 and the 不可用 decision sit in five different pools; the 禁配 pair is in a
      sixth pool and only stops those two sitting together; the pinned leader is from a
      seventh pool and has no link to any county but his own.
    * Links: 30% of cadres held office in 1-2 other counties and ~15% grew up in
      another one, i.e. about 0.5 extra county per cadre, spread over 10 possible
      destinations: per destination, a pool loses about one cadre, rarely a leader, so
      each pool can staff most of the other ten counties (tests check ≥ 6).
    * Arcs: 110 possible, minus the 22 arcs of the two history rounds (two disjoint
      11-cycles). A single 11-cycle can never hold a reciprocal pair. With ~80 usable
      arcs, Hamiltonian cycles are plentiful; the pin fixes one arc outside history.
    """
    rng = random.Random(_ROTATION_SEED)
    city = ZHANGZHOU
    names = _Names(rng, _SURNAMES_ZHANGZHOU)
    people: list[_Person] = []
    n_per_county = 9
    women = set(rng.sample(range(n_per_county * len(city)), round(0.35 * n_per_county * len(city))))
    for ci, county in enumerate(city):
        used_units: set[str] = set()
        deputy_roles = [["副组长"], ["副组长", "组员"], ["副组长", "组员"]]
        rng.shuffle(deputy_roles)
        slots = [
            ("L", "纪检监察", ["组长"] + (["副组长"] if rng.random() < 0.35 else [])),
            # Leader-eligible cadres who may also serve as members give each pool slack:
            # any one cadre can drop out and the pool can still staff a team (issue 8).
            ("L", "纪检监察", ["组长"] + (["副组长"] if rng.random() < 0.35 else []) + ["组员"]),
            ("L", rng.choice(("组织", "审计", "政法", "纪检监察")), ["组长", "组员"]),
            ("D", "纪检监察", deputy_roles[0]),
            ("D", rng.choice(("审计", "财政")), deputy_roles[1]),
            ("D", rng.choice(("组织", "政法", "纪检监察", "财政")), deputy_roles[2]),
            ("M", "审计", ["组员"]),
            ("M", "财政", ["组员"]),
            ("M", rng.choice(("组织", "政法", "政法", "财政", "审计", "纪检监察")), ["组员"]),
        ]
        for si, (slot, dept, roles) in enumerate(slots):
            idx = ci * n_per_county + si
            people.append(_make_person(
                rng, names, pid=f"ZZ{idx + 1:03d}", county=county, city=city,
                outside=_OUTSIDE_ZHANGZHOU, slot=slot, department=dept, female=idx in women,
                roles=roles, used_units=used_units))
    by_county = {c.name: [p for p in people if p.county is c] for c in city}

    targets = [
        ("芗城区住房和城乡建设局", None, "", ""),
        ("龙文区教育局", None, "", ""),
        ("龙海区农业农村局", None, "审计", ""),
        ("长泰区自然资源局", None, "", ""),
        ("云霄县卫生健康局", None, "", ""),
        ("漳浦县人民政府办公室", 6, "", ""),
        ("诏安县公安局", None, "", "政法"),
        ("东山县海洋与渔业局", None, "", ""),
        ("南靖县文化和旅游局", None, "", ""),
        ("平和县财政局", None, "审计", "财政"),
        ("华安县水利局", None, "", ""),
    ]
    target_ids = {c.name: f"{i + 1:02d}" for i, c in enumerate(city)}

    # History: two earlier rounds, each one 11-cycle, sharing no arc in either direction.
    def cycle() -> list[tuple[_County, _County]]:
        order = list(city)
        rng.shuffle(order)
        return [(order[i], order[(i + 1) % len(order)]) for i in range(len(order))]

    first = cycle()
    while True:
        second = cycle()
        seen = {(a.name, b.name) for a, b in first} | {(b.name, a.name) for a, b in first}
        if not any((a.name, b.name) in seen for a, b in second):
            break
    past_arcs = {(a.name, b.name) for a, b in first + second}

    # Who is withdrawn where: one pool each, so no pool loses more than one cadre.
    pools = list(city)
    rng.shuffle(pools)
    suspended_pool, off_leader_pool, off_a, off_b, unavail_pool, ban_pool, pin_pool = pools[:7]

    def clean(p: _Person) -> bool:
        return p.linked_counties() == [p.county.name]

    suspended = next(p for p in by_county[suspended_pool.name] if p.slot == "L" and clean(p))
    history: list[list[Cell]] = []
    for round_name, arcs, members in (("2024年第二轮", first, 7), ("2025年第一轮", second, 11)):
        with_member = set(rng.sample(range(len(arcs)), members))
        for ai, (a, b) in enumerate(arcs):
            fit = [p for p in by_county[a.name] if b.name not in p.linked_counties()]
            leaders = [p for p in fit if p.slot == "L" and p is not suspended]
            leader = suspended if a is suspended_pool else rng.choice(leaders)
            place = b.label if rng.random() < 0.75 else rng.choice(b.loose)
            history.append([round_name, leader.id, place, "组长",
                            "是" if leader is suspended else "否", a.label])
            if ai in with_member:
                other = rng.choice([p for p in fit if p.slot != "L"])
                role = "副组长" if other.slot == "D" and rng.random() < 0.5 else "组员"
                history.append([round_name, other.id, place, role, None, a.label])
    history_cadres = {str(row[1]) for row in history}

    rng.choice([p for p in by_county[off_leader_pool.name]
                if p.slot == "L" and p is not suspended]).available = False
    rng.choice([p for p in by_county[off_a.name] if p.slot == "M"]).available = False
    rng.choice([p for p in by_county[off_b.name] if p.slot == "D" and "组员" in p.roles]
               ).available = False
    unavailable = rng.choice([p for p in by_county[unavail_pool.name] if p.slot == "M"])
    spouses = [p for p in by_county[ban_pool.name] if p.slot in "DM"]
    husband = rng.choice([p for p in spouses if p.gender == "男"])
    ban_pair = [husband, rng.choice([p for p in spouses if p.gender == "女"])]
    pinned = next(p for p in by_county[pin_pool.name]
                  if p.slot == "L" and clean(p) and p.id not in history_cadres)
    pin_county = rng.choice([c for c in city if c is not pin_pool
                             and (pin_pool.name, c.name) not in past_arcs])

    # Declared conflicts (其他回避): two target ids and two places, on ordinary members.
    declaring = rng.sample([p for p in people if p.slot == "M" and p.available
                            and p is not unavailable and p not in ban_pair], 4)
    for p in declaring[:2]:
        county = rng.choice([c for c in city if c.name not in p.linked_counties()])
        p.conflicts.append(target_ids[county.name])
    declaring[2].conflicts.append(
        rng.choice([c for c in city if c.name not in declaring[2].linked_counties()]).label)
    far = rng.choice([c for c in city if c.name not in declaring[3].linked_counties()])
    declaring[3].conflicts.append(far.name + rng.choice(far.townships))

    _blank_some(rng, people, 5)

    cadre_rows = [_cadre_row(rng, p) for p in people]
    target_rows: list[list[Cell]] = []
    for county, (name, size, skills, dept) in zip(city, targets, strict=True):
        location = county.label if rng.random() < 0.75 else rng.choice(county.loose)
        target_rows.append([target_ids[county.name], name, location, size, skills or None,
                            dept or None])
    decisions: list[list[Cell]] = [
        ["指定", pinned.id, target_ids[pin_county.name], "组长", None,
         "市委巡察工作领导小组研究确定"],
        ["禁配", ban_pair[0].id, None, None, ban_pair[1].id, "夫妻关系，不宜同组"],
        ["不可用", unavailable.id, None, None, None, "借调市纪委监委专案组"],
    ]
    places = _place_rows(people, [], city)
    rules = (
        "# 漳州市委第四轮交叉巡察：推磨式（成建制交叉）示例规则\n"
        "# Example rules: rotation (each county pool inspects one other county).\n"
        'title = "漳州市委第四轮交叉巡察"\n'
        'mode = "rotation"\n'
        'level = "county"\n'
        "team_size = [5, 7]\n"
        "deputies = [1, 1]\n"
        'leader_min_rank = "正科"\n'
        'required_skills = { "纪检监察" = 1 }\n'
        "seed = 20261122\n"
        "time_limit = 30\n"
        'issuer = "中共漳州市委巡察工作领导小组办公室"\n'
        'date = "2026年11月22日"\n'
    )
    return _Book([("干部", CADRE_HEADER, cadre_rows), ("巡察对象", TARGET_HEADER, target_rows),
                  ("往轮记录", HISTORY_HEADER, history), ("人工决定", DECISION_HEADER, decisions),
                  ("地名", PLACE_HEADER, places)], rules)


# --------------------------------------------------------------------------- mixed


def _build_mixed() -> _Book:
    """龙岩市, 混编: 7 county pools of 12-13, two targets per county (14 teams).

    Why it is comfortably feasible:
    * A team is 1 组长 + 1 副组长 + 1 联络员 + 2..3 组员 (5..6 seats). 副组长 and 联络员 are
      local: each county fills 2 deputy and 2 liaison seats from its own pool, and has 3
      deputy-eligible and 3 liaison-eligible cadres (one declared conflict at most).
    * Non-local seats: 14 leaders + 28..42 members. Every pool has 3 leader-eligible
      cadres (正科 or above): 21 for 14 seats. Members: 3-4 组员 per pool (24) plus
      the deputies, liaisons and leaders not needed at home who are also 组员: 87 - 28
      local seats - 1 unavailable = 58 cadres for at most 56 non-local seats.
    * Links: a cadre is linked to about 0.5 of the 6 other counties on average; with at
      most 2 per county per team, 6 counties x 2 = 12 places for the 3..4 non-local
      seats of a team.
    * 纪检监察: two of the three deputies per pool are 纪检监察, and deputies are local, so
      every team can have one without using a non-local seat. 女: ~35% of the cadres.
    * Tests staff all 14 teams at once at the largest size (6) with a small CP-SAT model.
    """
    rng = random.Random(_MIXED_SEED)
    city = LONGYAN
    names = _Names(rng, _SURNAMES_LONGYAN)
    sizes = {"新罗区": 13, "永定区": 12, "上杭县": 13, "武平县": 12, "长汀县": 12, "连城县": 12,
             "漳平市": 13}
    total = sum(sizes.values())
    women = set(rng.sample(range(total), round(0.35 * total)))
    people: list[_Person] = []
    idx = 0
    for county in city:
        used_units: set[str] = set()
        slots = [
            ("L", "纪检监察", ["组长"] + (["组员"] if rng.random() < 0.5 else [])),
            ("L", rng.choice(("组织", "审计", "政法")),
             ["组长"] + (["组员"] if rng.random() < 0.5 else [])),
            ("L", rng.choice(("纪检监察", "组织", "审计", "财政", "政法")), ["组长", "组员"]),
            ("D", "纪检监察", ["副组长"]),
            ("D", "纪检监察", ["副组长", "组员"]),
            ("D", rng.choice(("审计", "财政")), ["副组长", "组员"]),
            ("I", "纪检监察", ["联络员"]),
            ("I", "组织", ["联络员", "组员"]),
            ("I", rng.choice(("组织", "纪检监察", "财政")), ["联络员", "组员"]),
            ("M", "审计", ["组员"]),
            ("M", "财政", ["组员"]),
            ("M", rng.choice(("纪检监察", "政法", "组织")), ["组员"]),
        ]
        if sizes[county.name] == 13:
            slots.append(("M", rng.choice(("审计", "财政", "政法", "纪检监察")), ["组员"]))
        for slot, dept, roles in slots:
            idx += 1
            people.append(_make_person(
                rng, names, pid=f"{idx:03d}", county=county, city=city, outside=_OUTSIDE_LONGYAN,
                slot=slot, department=dept, female=idx - 1 in women, roles=roles,
                used_units=used_units))
    by_county = {c.name: [p for p in people if p.county is c] for c in city}

    plan: dict[str, list[tuple[str, str, str | None, str]]] = {
        "新罗区": [("新罗区市场监督管理局", "", None, ""), ("新罗区适中镇", "适中镇", None, "")],
        "永定区": [("永定区湖坑镇", "湖坑镇", None, ""), ("永定区住房和城乡建设局", "", None, "")],
        "上杭县": [("上杭县古田镇", "古田镇", None, ""), ("上杭县教育局", "", None, "")],
        "武平县": [("武平县十方镇", "十方镇", None, ""), ("武平县林业局", "", None, "")],
        "长汀县": [("长汀县河田镇", "河田镇", None, ""), ("长汀县水利局", "", "审计", "")],
        "连城县": [("连城县朋口镇", "朋口镇", None, ""), ("连城县农业农村局", "", None, "")],
        "漳平市": [("漳平市永福镇", "永福镇", None, ""), ("漳平市卫生健康局", "", None, "")],
    }
    target_rows: list[list[Cell]] = []
    town_spots: list[_Spot] = []
    target_of: dict[str, list[tuple[str, str]]] = {}
    for county in city:
        for name, town, skills, dept in plan[county.name]:
            tid = f"LY{len(target_rows) + 1:02d}"
            spot = _Spot(county, town)
            town_spots.append(spot)
            target_of.setdefault(county.name, []).append((tid, name))
            location = _write_spot(rng, spot, 0.25)
            target_rows.append([tid, name, location, None, skills, dept or None])

    # Declared conflicts: a target id, a unit name equal to a target's name, a township;
    # and one local liaison who must not serve on one of the home county's own targets.
    movers = [p for p in people if p.slot == "M"]
    declaring = rng.sample(movers, 3)
    for p, kind in zip(declaring, ("id", "name", "place"), strict=True):
        county = rng.choice([c for c in city if c.name not in p.linked_counties()])
        tid, tname = rng.choice(target_of[county.name])
        if kind == "id":
            p.conflicts.append(tid)
        elif kind == "name":
            p.conflicts.append(tname)
        else:
            p.conflicts.append(county.name + rng.choice(county.townships))
    local = rng.choice([p for p in people if p.slot == "I"])
    local.conflicts.append(target_of[local.county.name][0][0])

    # A small history: last round's teams for a few cadres (R7), one leader last-ranked.
    history: list[list[Cell]] = []
    veterans = (rng.sample([p for p in people if p.slot == "L"], 3)
                + rng.sample([p for p in people if p.slot == "M"], 5))
    last = veterans[0]
    for p in veterans:
        county = rng.choice([c for c in city if c.name not in p.linked_counties()])
        leader = p.slot == "L"
        history.append(["2025年第一轮", p.id, county.label, "组长" if leader else "组员",
                        ("是" if p is last else "否") if leader else None, p.county.label])

    off = rng.choice([p for p in by_county[rng.choice(city).name] if p.slot == "M"])
    off.available = False
    pool_a, pool_b = rng.sample(list(city), 2)
    ban = (rng.choice([p for p in by_county[pool_a.name] if p.slot == "M" and p is not off]),
           rng.choice([p for p in by_county[pool_b.name] if p.slot == "M" and p is not off]))
    decisions: list[list[Cell]] = [
        ["禁配", ban[0].id, None, None, ban[1].id, "近亲属关系，不宜同组"],
    ]

    _blank_some(rng, people, 3)
    cadre_rows = [_cadre_row(rng, p) for p in people]
    places = _place_rows(people, town_spots, city)
    rules = (
        "# 龙岩市委第二轮交叉巡察：混编示例规则（副组长、联络员由被巡察县区本地干部担任）\n"
        "# Example rules: mixed teams; deputies and liaisons come from the inspected county.\n"
        'title = "龙岩市委第二轮交叉巡察"\n'
        'mode = "mixed"\n'
        'level = "county"\n'
        "team_size = [5, 6]\n"
        "deputies = [1, 1]\n"
        "liaisons = [1, 1]\n"
        'local_roles = ["副组长", "联络员"]\n'
        "max_from_same_county = 2\n"
        'leader_min_rank = "正科"\n'
        'required_skills = { "纪检监察" = 1 }\n'
        "min_women = 1\n"
        "seed = 7\n"
        "time_limit = 30\n"
        'issuer = "中共龙岩市委巡察工作领导小组办公室"\n'
        'date = "2026年5月8日"\n'
    )
    return _Book([("干部", CADRE_HEADER, cadre_rows), ("巡察对象", TARGET_HEADER, target_rows),
                  ("往轮记录", HISTORY_HEADER, history), ("人工决定", DECISION_HEADER, decisions),
                  ("地名", PLACE_HEADER, places)], rules)


# --------------------------------------------------------------------------- writing

_BUILDERS = {"rotation": _build_rotation, "mixed": _build_mixed}


def _save_workbook(path: Path, sheets: list[tuple[str, list[str], list[list[Cell]]]], *,
                   force: bool) -> None:
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        id_columns = [i + 1 for i, h in enumerate(header) if "编号" in h]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                if c in id_columns:
                    cell.number_format = "@"  # ids such as 001 stay text when edited
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = wrap
        for c, h in enumerate(header, start=1):
            longest = max([len(h)] + [len(str(row[c - 1]).split("\n")[0]) for row in rows
                                      if row[c - 1] is not None])
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = min(
                40, 4 + 2 * longest)
        ws.freeze_panes = "A2"
    wb.properties.creator = "crossinspect"
    wb.properties.created = _CREATED
    with atomic_path(path, overwrite=force) as tmp:
        wb.save(tmp)


def write_example(directory: Path, name: str | None = None, *, force: bool = False) -> list[Path]:
    """Write ``<directory>/<name>/input.xlsx`` and ``rules.toml`` (both examples if no name).

    Returns the paths written. The contents are the same on every run. An existing file
    (perhaps an example the clerk has since filled in) is replaced only with ``force``:
    every path is checked first, so a refusal (``OutputError``) writes nothing.
    """
    from .safety import check_output_path

    names = EXAMPLES if name is None else (name,)
    for n in names:
        if n not in _BUILDERS:
            raise ValueError(f"unknown example {n!r}; choose from {', '.join(EXAMPLES)}")
    for n in names:
        for file in ("input.xlsx", "rules.toml"):
            check_output_path(Path(directory) / n / file, [], force=force)
    written: list[Path] = []
    for n in names:
        book = _BUILDERS[n]()
        folder = Path(directory) / n
        folder.mkdir(parents=True, exist_ok=True)
        xlsx = folder / "input.xlsx"
        _save_workbook(xlsx, book.sheets, force=force)
        toml = folder / "rules.toml"
        with atomic_path(toml, overwrite=force) as tmp:
            tmp.write_text(book.rules, encoding="utf-8")
        written += [xlsx, toml]
    return written
