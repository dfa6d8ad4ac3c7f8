"""The ``mixed`` example: 龙岩市, 混编 with local 副组长 and 联络员."""

from __future__ import annotations

import random

from .common import (
    CADRE_HEADER,
    DECISION_HEADER,
    HISTORY_HEADER,
    LONGYAN,
    OUTSIDE_LONGYAN,
    PLACE_HEADER,
    SURNAMES_LONGYAN,
    TARGET_HEADER,
    Book,
    Cell,
    Names,
    Person,
    Spot,
    blank_some,
    cadre_row,
    make_person,
    place_rows,
    write_spot,
)

_MIXED_SEED = 2_2026_0007


def build_mixed() -> Book:
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
    names = Names(rng, SURNAMES_LONGYAN)
    sizes = {"新罗区": 13, "永定区": 12, "上杭县": 13, "武平县": 12, "长汀县": 12, "连城县": 12, "漳平市": 13}
    total = sum(sizes.values())
    women = set(rng.sample(range(total), round(0.35 * total)))
    people: list[Person] = []
    idx = 0
    for county in city:
        used_units: set[str] = set()
        slots = [
            ("L", "纪检监察", ["组长"] + (["组员"] if rng.random() < 0.5 else [])),
            ("L", rng.choice(("组织", "审计", "政法")), ["组长"] + (["组员"] if rng.random() < 0.5 else [])),
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
            people.append(
                make_person(
                    rng,
                    names,
                    pid=f"{idx:03d}",
                    county=county,
                    city=city,
                    outside=OUTSIDE_LONGYAN,
                    slot=slot,
                    department=dept,
                    female=idx - 1 in women,
                    roles=roles,
                    used_units=used_units,
                )
            )
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
    town_spots: list[Spot] = []
    target_of: dict[str, list[tuple[str, str]]] = {}
    for county in city:
        for name, town, skills, dept in plan[county.name]:
            tid = f"LY{len(target_rows) + 1:02d}"
            spot = Spot(county, town)
            town_spots.append(spot)
            target_of.setdefault(county.name, []).append((tid, name))
            location = write_spot(rng, spot, 0.25)
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
    veterans = rng.sample([p for p in people if p.slot == "L"], 3) + rng.sample([p for p in people if p.slot == "M"], 5)
    last = veterans[0]
    for p in veterans:
        county = rng.choice([c for c in city if c.name not in p.linked_counties()])
        leader = p.slot == "L"
        history.append(
            [
                "2025年第一轮",
                p.id,
                county.label,
                "组长" if leader else "组员",
                ("是" if p is last else "否") if leader else None,
                p.county.label,
            ]
        )

    off = rng.choice([p for p in by_county[rng.choice(city).name] if p.slot == "M"])
    off.available = False
    pool_a, pool_b = rng.sample(list(city), 2)
    ban = (
        rng.choice([p for p in by_county[pool_a.name] if p.slot == "M" and p is not off]),
        rng.choice([p for p in by_county[pool_b.name] if p.slot == "M" and p is not off]),
    )
    decisions: list[list[Cell]] = [
        ["禁配", ban[0].id, None, None, ban[1].id, "近亲属关系，不宜同组"],
    ]

    blank_some(rng, people, 3)
    cadre_rows = [cadre_row(rng, p) for p in people]
    places = place_rows(people, town_spots, city)
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
    return Book(
        [
            ("干部", CADRE_HEADER, cadre_rows),
            ("巡察对象", TARGET_HEADER, target_rows),
            ("往轮记录", HISTORY_HEADER, history),
            ("人工决定", DECISION_HEADER, decisions),
            ("地名", PLACE_HEADER, places),
        ],
        rules,
    )
