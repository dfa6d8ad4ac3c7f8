"""What both examples are built from: real places, invented people, the loose way
clerks write places, and the input sheets' headers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

Cell = str | int | None

CADRE_HEADER = [
    "编号",
    "姓名",
    "性别",
    "所属县区",
    "单位职务",
    "职级",
    "可任角色",
    "专长",
    "部门类别",
    "居住地",
    "工作地",
    "任职地",
    "成长地",
    "回避",
    "可用",
]
TARGET_HEADER = ["编号", "名称", "所在地", "人数", "所需专长", "部门类别"]
HISTORY_HEADER = ["轮次", "干部编号", "巡察地", "角色", "末位", "来源县区"]
DECISION_HEADER = ["类型", "干部编号", "巡察对象编号", "角色", "另一干部编号", "说明"]
PLACE_HEADER = ["地名", "上级", "别名"]

LEADER_RANKS = ("正处", "副处", "正科")


# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class County:
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


ZHANGZHOU: tuple[County, ...] = (
    County("芗城区", "福建省", "漳州市", ("浦南镇", "天宝镇"), "", ("芗城", "漳州市芗城区", "薌城區")),
    County("龙文区", "福建省", "漳州市", ("郭坑镇", "步文街道"), "", ("漳州龙文区", "龍文區", "漳州市\u3000龙文区")),
    County(
        "龙海区",
        "福建省",
        "漳州市",
        ("石码街道", "海澄镇", "角美镇"),
        "石码街道",
        ("龙海", "龙海市", "龍海", "漳州龙海"),
    ),
    County("长泰区", "福建省", "漳州市", ("武安镇", "岩溪镇"), "武安镇", ("长泰", "长泰县", "長泰區", "漳州市长泰县")),
    County("云霄县", "福建省", "漳州市", ("云陵镇", "陈岱镇"), "云陵镇", ("云霄", "雲霄縣", "漳州云霄")),
    County(
        "漳浦县",
        "福建省",
        "漳州市",
        ("绥安镇", "旧镇镇", "佛昙镇"),
        "绥安镇",
        ("漳浦", "漳州漳浦", "福建省漳州市漳浦县", "漳浦縣"),
    ),
    County("诏安县", "福建省", "漳州市", ("南诏镇", "梅岭镇"), "南诏镇", ("诏安", "詔安縣", "漳州市诏安县")),
    County("东山县", "福建省", "漳州市", ("铜陵镇", "西埔镇"), "西埔镇", ("漳州东山县", "東山縣", "漳州市 东山县")),
    County("南靖县", "福建省", "漳州市", ("山城镇", "书洋镇"), "山城镇", ("南靖", "漳州市 南靖县", "南靖縣")),
    County("平和县", "福建省", "漳州市", ("小溪镇", "坂仔镇"), "小溪镇", ("漳州平和县", "漳州市平和县", "平和縣")),
    County("华安县", "福建省", "漳州市", ("华丰镇", "仙都镇"), "华丰镇", ("華安縣", "漳州华安县", "漳州市华安县")),
)

LONGYAN: tuple[County, ...] = (
    County("新罗区", "福建省", "龙岩市", ("适中镇", "雁石镇"), "", ("新罗", "龙岩市新罗区", "龍岩市新羅區")),
    County(
        "永定区",
        "福建省",
        "龙岩市",
        ("湖坑镇", "坎市镇"),
        "",
        ("永定县", "龙岩永定", "龍岩市永定區"),
        written="龙岩市永定区",
    ),
    County("上杭县", "福建省", "龙岩市", ("临城镇", "古田镇", "才溪镇"), "临城镇", ("上杭", "龙岩上杭", "上杭縣")),
    County("武平县", "福建省", "龙岩市", ("十方镇", "岩前镇"), "", ("武平", "龙岩市 武平县", "武平縣")),
    County("长汀县", "福建省", "龙岩市", ("汀州镇", "河田镇", "古城镇"), "汀州镇", ("长汀", "長汀縣", "龙岩长汀")),
    County("连城县", "福建省", "龙岩市", ("莲峰镇", "朋口镇", "姑田镇"), "莲峰镇", ("连城", "連城縣", "龙岩市连城县")),
    County(
        "漳平市",
        "福建省",
        "龙岩市",
        ("菁城街道", "永福镇", "双洋镇"),
        "菁城街道",
        ("漳平", "龙岩漳平市", "漳平市\u3000"),
    ),
)

#: Upbringing outside the example city, written as clerks write them.
OUTSIDE_ZHANGZHOU = ("福建省泉州市安溪县", "厦门市同安区", "福建省龙岩市永定区", "泉州市南安市", "福建省莆田市仙游县")
OUTSIDE_LONGYAN = (
    "福建省三明市宁化县",
    "江西省赣州市瑞金市",
    "广东省梅州市大埔县",
    "漳州市南靖县",
    "福建省三明市清流县",
)

#: Renamed counties the office lists itself in the 地名 sheet (current name, former name).
_RENAMED = {"龙海区": "龙海市", "长泰区": "长泰县", "永定区": "永定县"}


@dataclass(frozen=True)
class Spot:
    """A place in an avoidance cell: a county of the city (maybe a township) or outside."""

    county: County | None
    township: str = ""
    outside: str = ""

    def canonical(self) -> str:
        if self.county is None:
            return self.outside
        return self.county.name + self.township if self.township else self.county.label


# --------------------------------------------------------------------------- people

SURNAMES_ZHANGZHOU = (
    "林林林林林陈陈陈陈陈黄黄黄张张吴吴郑郑郑王李杨蔡蔡许曾谢郭洪庄蓝"
    "钟邱赖罗魏戴薛颜翁阮卢游涂沈苏何叶朱潘傅姚丁方石江韩"
)
SURNAMES_LONGYAN = (
    "林陈陈黄张张李李邱邱钟钟赖赖罗罗温温廖廖饶曾曾江谢吴王刘刘郭卢邓游涂华傅严简丘练兰魏戴薛翁童马卜丁石"
)
_MALE = "伟建志明强俊斌辉鹏海荣文华国龙清峰鑫杰勇晨昊毅忠德锦福添振耀宏宇泽坤煌炜彬金"
_FEMALE = "丽娟芳敏静燕婷雪红萍玲霞琳瑜颖慧梅莉晓佳雯琴秀惠蓉洁倩璐菁"

#: Posts by department and rank; the county's name is put in front.
_POSTS: dict[str, dict[str, tuple[str, ...]]] = {
    "纪检监察": {
        "正处": ("纪委监委二级调研员",),
        "副处": ("纪委监委四级调研员", "委巡察办三级调研员"),
        "正科": (
            "委巡察办主任",
            "纪委副书记、监委副主任",
            "纪委监委第一监督检查室主任",
            "纪委监委第二监督检查室主任",
            "纪委监委党风政风监督室主任",
            "纪委监委一级主任科员",
        ),
        "副科": (
            "委巡察办副主任",
            "纪委监委案件审理室副主任",
            "纪委监委第三监督检查室副主任",
            "纪委监委三级主任科员",
            "纪委监委信访室副主任",
        ),
        "科员": ("纪委监委第一监督检查室科员", "委巡察办一级科员", "纪委监委信访室科员", "纪委监委办公室科员"),
    },
    "组织": {
        "正处": ("委组织部二级调研员",),
        "副处": ("委组织部四级调研员",),
        "正科": ("委组织部副部长", "委组织部一级主任科员", "委老干部局局长"),
        "副科": ("委组织部干部股股长", "委组织部组织股股长", "委组织部三级主任科员", "委组织部公务员股股长"),
        "科员": ("委组织部干部股科员", "委组织部一级科员", "委组织部组织股科员"),
    },
    "审计": {
        "正处": ("审计局二级调研员",),
        "副处": ("审计局四级调研员",),
        "正科": ("审计局局长", "审计局一级主任科员"),
        "副科": ("审计局副局长", "审计局经济责任审计股股长", "审计局财政审计股股长", "审计局三级主任科员"),
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
class Person:
    id: str
    name: str
    gender: str
    county: County
    slot: str
    rank: str
    roles: list[str]
    department: str
    skills: list[str]
    unit: str
    residence: list[Spot]
    workplace: list[Spot]
    postings: list[Spot]
    upbringing: list[Spot]
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


class Names:
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


def make_person(
    rng: random.Random,
    names: Names,
    *,
    pid: str,
    county: County,
    city: tuple[County, ...],
    outside: tuple[str, ...],
    slot: str,
    department: str,
    female: bool,
    roles: list[str],
    used_units: set[str],
) -> Person:
    ranks, weights = _RANK_WEIGHTS[slot]
    rank = rng.choices(ranks, weights)[0]
    posts = [p for p in _POSTS[department][rank] if county.name + p not in used_units]
    unit = county.name + rng.choice(posts or list(_POSTS[department][rank]))
    used_units.add(unit)
    main, second, p_second = _SKILLS[department]
    skills = [main] + ([second] if rng.random() < p_second else [])
    if department == "组织" and "宣传" not in skills and rng.random() < 0.2:
        skills.append("宣传")

    def home(p_town: float, town: str = "") -> Spot:
        if rng.random() < p_town:
            return Spot(county, town or rng.choice(county.townships))
        return Spot(county)

    others = [c for c in city if c is not county]
    residence = [home(0.35)]
    workplace = [home(0.3, county.seat)] if county.seat else [Spot(county)]
    postings = [home(0.15)]
    if rng.random() < 0.3:
        postings += [Spot(c) for c in rng.sample(others, rng.choice((1, 1, 2)))]
        rng.shuffle(postings)
    draw = rng.random()
    if draw < 0.04:
        upbringing = [Spot(None, outside=rng.choice(outside))]
        if rng.random() < 0.5:
            upbringing.append(Spot(county))
    elif draw < 0.19:
        upbringing = [Spot(rng.choice(others))]
        if rng.random() < 0.4:
            upbringing.append(home(0.3))
    else:
        upbringing = [home(0.3)]
    return Person(
        pid,
        names(female),
        "女" if female else "男",
        county,
        slot,
        rank,
        roles,
        department,
        skills,
        unit,
        residence,
        workplace,
        postings,
        upbringing,
    )


# --------------------------------------------------------------------------- loose writing

_SEPARATORS = ("、", "、", "、", "，", ";", "；", "/", "\n", ", ")


def write_spot(rng: random.Random, spot: Spot, loose: float) -> str:
    if spot.county is None:
        return spot.outside
    county = spot.county
    if not rng.random() < loose:
        return spot.canonical()
    if spot.township:
        return rng.choice((county.city + county.name + spot.township, county.name + "\u3000" + spot.township))
    return rng.choice(county.loose)


def _write_list(rng: random.Random, values: list[str]) -> str:
    unique: list[str] = []
    for v in values:
        if v not in unique:
            unique.append(v)
    return rng.choice(_SEPARATORS).join(unique)


def _write_places(rng: random.Random, spots: list[Spot], loose: float = 0.15) -> str:
    text = _write_list(rng, [write_spot(rng, s, loose) for s in spots])
    if rng.random() < 0.04:
        text = "\u3000" + text  # a stray full-width space, as pasted from a form
    return text


def cadre_row(rng: random.Random, p: Person) -> list[Cell]:
    cells: dict[str, str] = {}
    for column, spots in (
        ("居住地", p.residence),
        ("工作地", p.workplace),
        ("任职地", p.postings),
        ("成长地", p.upbringing),
    ):
        cells[column] = "" if column in p.blank else _write_places(rng, spots)
    roles = _write_list(rng, p.roles) if len(p.roles) > 1 else p.roles[0]
    return [
        p.id,
        p.name,
        p.gender,
        p.county.label,
        p.unit,
        p.rank,
        roles,
        _write_list(rng, p.skills),
        p.department,
        cells["居住地"],
        cells["工作地"],
        cells["任职地"],
        cells["成长地"],
        "、".join(p.conflicts) or None,
        "是" if p.available else "否",
    ]


def place_rows(people: list[Person], extra: list[Spot], city: tuple[County, ...]) -> list[list[Cell]]:
    """The 地名 sheet: every township written anywhere, plus renamed counties."""
    towns: list[Spot] = []
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
        rows.append([spot.township, spot.county.province + spot.county.city + spot.county.name, None])
    return rows


def blank_some(rng: random.Random, people: list[Person], count: int) -> None:
    """Leave ``count`` avoidance cells empty (未填报) where they only repeat the home county."""
    candidates = []
    for p in people:
        for column, spots in (("居住地", p.residence), ("任职地", p.postings), ("成长地", p.upbringing)):
            if all(s.county is p.county for s in spots):
                candidates.append((p, column))
    for p, column in rng.sample(candidates, count):
        p.blank.append(column)


@dataclass
class Book:
    sheets: list[tuple[str, list[str], list[list[Cell]]]]
    rules: str
