"""The ``rotation`` example: 漳州市, 推磨式 (each county pool goes as a body to one
other county).
"""

from __future__ import annotations

import random

from .common import (
    CADRE_HEADER,
    DECISION_HEADER,
    HISTORY_HEADER,
    OUTSIDE_ZHANGZHOU,
    PLACE_HEADER,
    SURNAMES_ZHANGZHOU,
    TARGET_HEADER,
    ZHANGZHOU,
    Book,
    Cell,
    County,
    Names,
    Person,
    blank_some,
    cadre_row,
    make_person,
    place_rows,
)

_ROTATION_SEED = 4_2026_1122


def build_rotation() -> Book:
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
    names = Names(rng, SURNAMES_ZHANGZHOU)
    people: list[Person] = []
    n_per_county = 9
    women = set(rng.sample(range(n_per_county * len(city)), round(0.35 * n_per_county * len(city))))
    for ci, county in enumerate(city):
        used_units: set[str] = set()
        deputy_roles = [["副组长"], ["副组长", "组员"], ["副组长", "组员"]]
        rng.shuffle(deputy_roles)
        slots = [
            ("L", "纪检监察", ["组长"] + (["副组长"] if rng.random() < 0.35 else [])),
            # Leader-eligible cadres who may also serve as members give each pool slack:
            # any one cadre can drop out and the pool can still staff a team.
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
            people.append(
                make_person(
                    rng,
                    names,
                    pid=f"ZZ{idx + 1:03d}",
                    county=county,
                    city=city,
                    outside=OUTSIDE_ZHANGZHOU,
                    slot=slot,
                    department=dept,
                    female=idx in women,
                    roles=roles,
                    used_units=used_units,
                )
            )
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
    def cycle() -> list[tuple[County, County]]:
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

    def clean(p: Person) -> bool:
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
            history.append([round_name, leader.id, place, "组长", "是" if leader is suspended else "否", a.label])
            if ai in with_member:
                other = rng.choice([p for p in fit if p.slot != "L"])
                role = "副组长" if other.slot == "D" and rng.random() < 0.5 else "组员"
                history.append([round_name, other.id, place, role, None, a.label])
    history_cadres = {str(row[1]) for row in history}

    rng.choice([p for p in by_county[off_leader_pool.name] if p.slot == "L" and p is not suspended]).available = False
    rng.choice([p for p in by_county[off_a.name] if p.slot == "M"]).available = False
    rng.choice([p for p in by_county[off_b.name] if p.slot == "D" and "组员" in p.roles]).available = False
    unavailable = rng.choice([p for p in by_county[unavail_pool.name] if p.slot == "M"])
    spouses = [p for p in by_county[ban_pool.name] if p.slot in "DM"]
    husband = rng.choice([p for p in spouses if p.gender == "男"])
    ban_pair = [husband, rng.choice([p for p in spouses if p.gender == "女"])]
    pinned = next(p for p in by_county[pin_pool.name] if p.slot == "L" and clean(p) and p.id not in history_cadres)
    pin_county = rng.choice([c for c in city if c is not pin_pool and (pin_pool.name, c.name) not in past_arcs])

    # Declared conflicts (其他回避): two target ids and two places, on ordinary members.
    declaring = rng.sample(
        [p for p in people if p.slot == "M" and p.available and p is not unavailable and p not in ban_pair], 4
    )
    for p in declaring[:2]:
        county = rng.choice([c for c in city if c.name not in p.linked_counties()])
        p.conflicts.append(target_ids[county.name])
    declaring[2].conflicts.append(rng.choice([c for c in city if c.name not in declaring[2].linked_counties()]).label)
    far = rng.choice([c for c in city if c.name not in declaring[3].linked_counties()])
    declaring[3].conflicts.append(far.name + rng.choice(far.townships))

    blank_some(rng, people, 5)

    cadre_rows = [cadre_row(rng, p) for p in people]
    target_rows: list[list[Cell]] = []
    for county, (name, size, skills, dept) in zip(city, targets, strict=True):
        location = county.label if rng.random() < 0.75 else rng.choice(county.loose)
        target_rows.append([target_ids[county.name], name, location, size, skills or None, dept or None])
    decisions: list[list[Cell]] = [
        ["指定", pinned.id, target_ids[pin_county.name], "组长", None, "市委巡察工作领导小组研究确定"],
        ["禁配", ban_pair[0].id, None, None, ban_pair[1].id, "夫妻关系，不宜同组"],
        ["不可用", unavailable.id, None, None, None, "借调市纪委监委专案组"],
    ]
    places = place_rows(people, [], city)
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
