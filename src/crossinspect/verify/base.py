"""Independent verifier: re-checks a plan against every hard rule (R1–R9).

The verifier reads only the raw input (the book, the rules, the gazetteer and the
place resolutions of the input cells) and re-derives every rule from it. It
deliberately shares no code with the CP-SAT model — no OR-Tools, no
``places.overlap`` and none of the derived ``Problem`` members the model is built
from (``blocks``, ``sanctions``, ``pins`` …) — so that a bug in the model cannot
hide in both places. It also accepts rosters edited by hand, so nothing about the
plan is trusted: unknown ids, duplicate seats and missing teams are reported too.
Ids are compared as persons (``person_key``, its own normalisation, not the reader's):
one person seated under two spellings of an id holds two seats.

Each ``Violation`` carries the rule id (``R1`` … ``R9``, or ``PLAN`` for a roster
that does not even fit the input), the team and cadre concerned, and one sentence
in Chinese and English that names the people and places, e.g.
``第3组（漳浦县农业农村局）：张三 成长地「漳浦」在巡察地漳浦县内（R1 成长地回避）``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..domain.models import FOUR_AVOIDANCES, AvoidanceField, Cadre, DecisionKind, Gender, Role, Target
from ..domain.plan import Plan, Seat, Team, Violation
from ..domain.rules import CoarsePlaces, Level, Mode
from ..places import PlaceLevel, Resolution, resolve
from ..problem import Problem

#: Rule id of a roster that does not fit the input (unknown ids, missing teams …).
PLAN_RULE = "PLAN"

_FIELD_EN: dict[AvoidanceField, str] = {
    AvoidanceField.RESIDENCE: "residence",
    AvoidanceField.WORKPLACE: "workplace",
    AvoidanceField.POSTINGS: "posting",
    AvoidanceField.UPBRINGING: "upbringing",
    AvoidanceField.CONFLICTS: "declared conflict",
}


# ---- small pure helpers ---------------------------------------------------------------


_CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_TOKEN = re.compile(r"\d+|[零〇一二两三四五六七八九十百]+|[^\d零〇一二两三四五六七八九十百]+")


def _chinese_int(text: str) -> int:
    """Value of a Chinese numeral below 1000 (十二 → 12, 二十 → 20, 一百零五 → 105)."""
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            # Plain digit strings such as 二〇二四 read positionally.
            digit = digit * 10 + _CN_NUM[ch] if digit else _CN_NUM[ch]
    return total + digit


def natural_round_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of round labels, own implementation: 第二轮 < 第十轮, 2024年 < 2025年."""
    key: list[tuple[int, int | str]] = []
    for tok in _TOKEN.findall(label.strip()):
        if tok.isdigit():
            key.append((0, int(tok)))
        elif tok[0] in _CN_NUM or tok[0] in "十百":
            key.append((0, _chinese_int(tok)))
        else:
            key.append((1, tok))
    return tuple(key)


def _norm(text: str) -> str:
    # Clerks type ids and unit names with stray spaces, full-width letters, mixed case and
    # invisible characters copied along from other documents.
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "ZCP")


def _fold_look_alike(text: str) -> str:
    return text.translate(str.maketrans("oilsz|b", "0115218"))


def _loose(text: str) -> str:
    """A unit name with its administrative suffixes gone (长汀县水利局 → 长汀水利局)."""
    return re.sub("[省市县区旗]", "", _norm(text))


def _one_edit(a: str, b: str) -> bool:
    """Whether two texts differ by at most one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _how_zh(how: str, area: _Area, res: Resolution) -> str:
    if how == "contains":
        return f"含巡察地{area.label}（地名比回避层级粗，从严按冲突处理）"
    return f"在巡察地{area.label}内{_ambiguous_zh(res)}"


def _how_en(how: str, area: _Area, res: Resolution) -> str:
    if how == "contains":
        return f"contains {area.label} (coarser than the avoidance level: a conflict, to be safe)"
    return f"lies within {area.label}{_ambiguous_en(res)}"


#: Characters that show nothing but are not format characters or spaces by category.
_BLANK_NAMES = ("HANGUL FILLER", "HANGUL CHOSEONG FILLER", "HANGUL JUNGSEONG FILLER", "VARIATION SELECTOR",
                "COMBINING GRAPHEME JOINER", "BRAILLE PATTERN BLANK", "KHMER VOWEL INHERENT")


def _blank(ch: str) -> bool:
    if unicodedata.category(ch) in ("Cf", "Cc", "Cn", "Zs", "Zl", "Zp"):
        return True
    name = unicodedata.name(ch, "")
    return any(part in name for part in _BLANK_NAMES)


def person_key(cadre_id: str) -> str:
    """The person an id stands for, derived here and not taken from the reader.

    NFKC, then every character that shows nothing (format and control characters,
    spaces, Hangul fillers, variation selectors) dropped: ``X1``, ``Ｘ１`` and ``X1`` with
    a right-to-left mark are one person, however the roster or the input spelt them.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", cadre_id) if not _blank(ch))


@dataclass(frozen=True)
class _Area:
    """The area a target occupies at the avoidance level, as gazetteer codes."""

    codes: frozenset[str]
    label: str


@dataclass(frozen=True)
class _Placed:
    """A seat the verifier can check: the plan's seat plus indices into the input."""

    seat: Seat
    team: Team
    cadre: int
    target: int


# ---- the verifier ------------------------------------------------------------------------


class _Verifier:
    """Checks plans of one problem. Input-derived facts are kept between ``run`` calls;
    everything about the plan is re-derived on each."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.plan = Plan(teams=())
        self.rules = problem.rules
        self.gaz = problem.gazetteer
        self.out: list[Violation] = []
        self.cadre_ix = {c.id: i for i, c in enumerate(problem.cadres)}
        #: one person's key per cadre, and the cadres (rows) of each person
        self.person = [person_key(c.id) for c in problem.cadres]
        self.rows_of: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self.person):
            self.rows_of[key].append(i)
        self.target_ix = {t.id: j for j, t in enumerate(problem.targets)}
        names = Counter(c.name for c in problem.cadres)
        # A name alone is what a clerk reads; the id is added only where names clash.
        self.dup_names = {n for n, k in names.items() if k > 1}
        self._resolved: dict[str, Resolution] = {}
        self.pool = [self._pool_of(i) for i in range(len(problem.cadres))]
        self.tcounty = [self._county_of_target(j) for j in range(len(problem.targets))]
        self.areas = [self._area_of(j) for j in range(len(problem.targets))]
        self.placed: list[_Placed] = []
        # Derived from the input on first use, then kept for the next plans.
        self._targets_by_name: dict[str, set[int]] | None = None
        self._history: dict[int, list[tuple[str, str, Resolution]]] | None = None
        self._past: dict[tuple[str, str], list[str]] | None = None
        self._evaluated: tuple[dict[str, int], dict[str, dict[str, bool]]] | None = None
        #: (cadre, target, local seat, team id) -> that seat's R1/R2/R7 findings
        self._seat_findings: dict[tuple[int, int, bool, str], tuple[Violation, ...]] = {}
        self._near: dict[str, set[int]] = {}

    def run(self, plan: Plan) -> list[Violation]:
        self.plan = plan
        self.out = []
        self.placed = []
        # Sanity first: it decides which seats the rule checks can look at.
        self._sanity()
        self._avoidance()
        if self.rules.mode is Mode.ROTATION:
            self._rotation()
        else:
            self._mixed()
        self._local()
        self._composition()
        self._sanctions()
        self._decisions()
        return self.out

    # ---- reporting ----------------------------------------------------------------

    def _add(self, rule: str, zh: str, en: str, team_id: str | None = None,
             cadre_id: str | None = None) -> None:
        self.out.append(Violation(rule=rule, zh=zh, en=en, team_id=team_id, cadre_id=cadre_id))

    def _who(self, i: int) -> str:
        c = self.p.cadres[i]
        return f"{c.name}（{c.id}）" if c.name in self.dup_names else c.name

    def _who_en(self, i: int) -> str:
        c = self.p.cadres[i]
        return f"{c.name} ({c.id})"

    @staticmethod
    def _team_zh(team: Team, target: Target | None) -> str:
        return f"第{team.team_id}组（{target.name}）" if target else f"第{team.team_id}组"

    @staticmethod
    def _team_en(team: Team, target: Target | None) -> str:
        return f"Team {team.team_id} ({target.name})" if target else f"Team {team.team_id}"

    def _seat_add(self, s: _Placed, rule: str, zh: str, en: str) -> None:
        target = self.p.targets[s.target]
        self._add(rule, f"{self._team_zh(s.team, target)}：{self._who(s.cadre)} {zh}",
                  f"{self._team_en(s.team, target)}: {self._who_en(s.cadre)} {en}",
                  s.team.team_id, s.seat.cadre_id)

    def _name(self, code: str) -> str:
        try:
            return self.gaz.node(code).name
        except KeyError:
            return code

    def _is_local(self, role: Role) -> bool:
        return role in self.rules.local_roles

    def _index(self, cadre_id: str) -> int | None:
        """The cadre an id names: exactly as written, else the first row of that person."""
        i = self.cadre_ix.get(cadre_id)
        if i is None:
            rows = self.rows_of.get(person_key(cadre_id))
            i = rows[0] if rows else None
        return i

    # ---- places, re-derived from the gazetteer -------------------------------------

    def _resolve(self, text: str) -> Resolution:
        # Pools and 来源县区 repeat the same few county names across many rows.
        if text not in self._resolved:
            self._resolved[text] = resolve(self.gaz, text)
        return self._resolved[text]

    def _ancestor(self, code: str, level: PlaceLevel) -> str | None:
        for node in self.gaz.ancestors(code):
            if node.level == level:
                return node.code
        return None

    def _unique_county(self, res: Resolution, *, keep_coarse: bool) -> str | None:
        """The one county all candidate codes lie in (or, for pools, the coarser node itself)."""
        found: set[str] = set()
        for code in res.codes:
            county = self._ancestor(code, PlaceLevel.COUNTY)
            if county is None and keep_coarse:
                county = code  # a 市直 pool sits above every county
            if county is not None:
                found.add(county)
        return next(iter(found)) if len(found) == 1 else None

    def _pool_of(self, i: int) -> str:
        derived = self._unique_county(self._resolve(self.p.cadres[i].county), keep_coarse=True)
        return derived or self.p.cadre_county[i]

    def _county_of_target(self, j: int) -> str:
        derived = self._unique_county(self.p.target_location[j], keep_coarse=False)
        return derived or self.p.target_county[j]

    def _area_of(self, j: int) -> _Area:
        """Target area at the level: county, or township when the location is that fine."""
        codes: set[str] = set()
        for code in self.p.target_location[j].codes:
            area = None
            if (self.rules.level is Level.TOWNSHIP
                    and self.gaz.node(code).level >= PlaceLevel.TOWNSHIP):
                area = self._ancestor(code, PlaceLevel.TOWNSHIP)
            area = area or self._ancestor(code, PlaceLevel.COUNTY)
            if area is None:
                # No county in the chain (a township directly under 东莞市): on the safe
                # side the area is the nearest coarser place, so its whole city counts.
                area = next((n.code for n in self.gaz.ancestors(code)
                             if n.level < PlaceLevel.COUNTY), code)
            codes.add(area)
        return _Area(frozenset(codes), "、".join(self._path(c) for c in sorted(codes)))

    def _path(self, code: str) -> str:
        """County and township names, e.g. 漳浦县绥安镇, so the clerk knows which one."""
        out, previous = "", ""
        for node in reversed(self.gaz.ancestors(code)):
            if node.level < PlaceLevel.COUNTY:
                continue
            # An office unit usually repeats its county: 漳浦县 > 漳浦县民政局.
            out += node.name[len(previous):] if previous and node.name.startswith(previous) \
                else node.name
            previous = node.name
        return out or self._name(code)

    def _within(self, res: Resolution, area: _Area) -> bool:
        """Any candidate of the place is the area or inside it (ambiguity counts as a conflict)."""
        return any(
            node.code in area.codes
            for code in res.codes if code in self.gaz
            for node in self.gaz.ancestors(code)
        )

    def _contains(self, res: Resolution, area: _Area) -> bool:
        """Any candidate of the place lies above the area: 政和县 written against one of its
        townships, 漯河市 against one of its counties."""
        return any(
            node.code in res.codes
            for code in area.codes
            for node in self.gaz.ancestors(code)[1:]
        )

    def _touches(self, res: Resolution, area: _Area) -> str | None:
        """How a place bars a seat in ``area``: 'in' (lies in it), 'contains' (and containment
        bars, ``coarse_places = "conflict"``), or None."""
        if self._within(res, area):
            return "in"
        if self.rules.coarse_places is CoarsePlaces.CONFLICT and self._contains(res, area):
            return "contains"
        return None

    # ---- PLAN and one-seat-each -----------------------------------------------------

    def _sanity(self) -> None:
        teams_of_target: dict[str, list[Team]] = defaultdict(list)
        seen_team_ids: Counter[str] = Counter()
        #: seats per person: two rows or spellings of one id are one person (R6)
        seats_of_person: dict[str, list[_Placed]] = defaultdict(list)
        for team in self.plan.teams:
            seen_team_ids[team.team_id] += 1
            j = self.target_ix.get(team.target_id)
            if j is None:
                self._add(PLAN_RULE,
                          f"第{team.team_id}组的巡察对象编号「{team.target_id}」不在输入中",
                          f"Team {team.team_id}: target id '{team.target_id}' is not in the input",
                          team.team_id)
                continue
            teams_of_target[team.target_id].append(team)
            target = self.p.targets[j]
            for seat in team.seats:
                if seat.team_id != team.team_id or seat.target_id != team.target_id:
                    self._add(PLAN_RULE,
                              f"{self._team_zh(team, target)}：干部编号「{seat.cadre_id}」"
                              f"的席位记为第{seat.team_id}组/巡察对象「{seat.target_id}」，"
                              "与所在组不一致",
                              f"{self._team_en(team, target)}: the seat of cadre id "
                              f"'{seat.cadre_id}' says team {seat.team_id} / target "
                              f"'{seat.target_id}'", team.team_id, seat.cadre_id)
                i = self._index(seat.cadre_id)
                if i is None:
                    self._add(PLAN_RULE,
                              f"{self._team_zh(team, target)}：干部编号「{seat.cadre_id}」"
                              "不在干部名单中",
                              f"{self._team_en(team, target)}: cadre id '{seat.cadre_id}' "
                              "is not in the input", team.team_id, seat.cadre_id)
                    continue
                placed = _Placed(seat, team, i, j)
                self.placed.append(placed)
                seats_of_person[self.person[i]].append(placed)
        for team_id, n in seen_team_ids.items():
            if n > 1:
                self._add(PLAN_RULE, f"组别「{team_id}」出现{n}次",
                          f"team id '{team_id}' is used {n} times", team_id)
        for target in self.p.targets:
            teams = teams_of_target.get(target.id, [])
            if not teams:
                self._add("R6", f"巡察对象「{target.name}」（{target.id}）没有组建巡察组",
                          f"target '{target.name}' ({target.id}) has no team")
            elif len(teams) > 1:
                ids = "、".join(t.team_id for t in teams)
                self._add("R6", f"巡察对象「{target.name}」（{target.id}）有多个巡察组：第{ids}组",
                          f"target '{target.name}' ({target.id}) has several teams: "
                          f"{', '.join(t.team_id for t in teams)}", teams[1].team_id)
        for seats in seats_of_person.values():
            if len(seats) > 1:
                i = seats[0].cadre
                # repr shows an invisible character as its escape, e.g. C2\u200f
                spellings = [repr(x)[1:-1] for x in dict.fromkeys(s.seat.cadre_id for s in seats)]
                same_zh = same_en = ""
                if len(spellings) > 1:
                    same_zh = (f"；编号{'、'.join(f'「{x}」' for x in spellings)}去掉全角、空格和看不见的字符后"
                               "是同一人")
                    same_en = ("; ids " + ", ".join(f"'{x}'" for x in spellings) + " are one person without "
                               "width, spaces and invisible characters")
                where_zh = "、".join(
                    f"{self._team_zh(s.team, self.p.targets[s.target])}{s.seat.role.zh}"
                    for s in seats)
                where_en = "; ".join(
                    f"{self._team_en(s.team, self.p.targets[s.target])} as {s.seat.role.value}"
                    for s in seats)
                self._add("R6",
                          f"{self._who(i)} 同时在多个席位：{where_zh}（R6 每人每轮只进一个组{same_zh}）",
                          f"{self._who_en(i)} holds several seats: {where_en} "
                          f"(R6 one team per cadre{same_en})", seats[1].team.team_id, self.p.cadres[i].id)

    # ---- R1, R2, R7 -------------------------------------------------------------

    def _avoidance(self) -> None:
        if self._targets_by_name is None:
            self._targets_by_name = defaultdict(set)
            for j, t in enumerate(self.p.targets):
                self._targets_by_name[_norm(t.name)].add(j)
        if self._history is None:
            self._history = self._history_by_cadre()
        for s in self.placed:
            # A seat's findings depend on nothing else in the plan: a roster with one
            # seat changed re-checks that seat only.
            key = (s.cadre, s.target, self._is_local(s.seat.role), s.team.team_id)
            found = self._seat_findings.get(key)
            if found is None:
                start = len(self.out)
                self._seat_avoidance(s, self._targets_by_name, self._history)
                self._seat_findings[key] = tuple(self.out[start:])
            else:
                self.out.extend(found)

    def _seat_avoidance(self, s: _Placed, targets_by_name: dict[str, set[int]],
                        history: dict[int, list[tuple[str, str, Resolution]]]) -> None:
        places = self.p.cadre_places[s.cadre]
        area = self.areas[s.target]
        local = self._is_local(s.seat.role)
        if not local:  # R5: a local seat is exempt from the four avoidances
            for fld in FOUR_AVOIDANCES:
                for text, res in places.get(fld, ()):
                    how = self._touches(res, area)
                    if how is not None:
                        self._seat_add(s, "R1", f"{fld.zh}「{text}」{_how_zh(how, area, res)}（R1 {fld.zh}回避）",
                                       f"{_FIELD_EN[fld]} '{text}' {_how_en(how, area, res)} "
                                       f"(R1 {_FIELD_EN[fld]} avoidance)")
            for rnd, text, res in history.get(s.cadre, ()):
                # A place inspected as a whole was inspected with every place inside it.
                if self._within(res, area) or self._contains(res, area):
                    self._seat_add(
                        s, "R7",
                        f"曾于{rnd}巡察「{text}」，与巡察地{area.label}重合（R7 往轮巡察地回避）",
                        f"inspected '{text}' in round {rnd}, which overlaps {area.label} (R7 history)")
        for text in self.p.cadres[s.cadre].conflicts:
            self._declared(s, text, area, targets_by_name)

    def _declared(self, s: _Placed, text: str, area: _Area, targets_by_name: dict[str, set[int]]) -> None:
        """R2 for one 回避 entry, read exactly or, failing that, closely (toward safety)."""
        target = self.p.targets[s.target]
        k = _norm(text)
        named = {j for j, t in enumerate(self.p.targets) if _norm(t.id) == k} | targets_by_name.get(k, set())
        place = self._resolve(text)
        if named or place.codes:
            if s.target in named:
                self._seat_add(s, "R2", f"申报回避「{text}」即巡察对象{target.name}（R2 其他回避）",
                               f"declared conflict '{text}' is the target {target.name} (R2 declared conflict)")
                return
            how = self._touches(place, area)
            if how is not None:
                self._seat_add(s, "R2", f"申报回避「{text}」{_how_zh(how, area, place)}（R2 其他回避）",
                               f"declared conflict '{text}' {_how_en(how, area, place)} (R2 declared conflict)")
            return
        near = self._near_targets(k)
        if near:
            if s.target in near:
                self._seat_add(s, "R2",
                               f"申报回避「{text}」与巡察对象{target.id}（{target.name}）仅差一字或县市区等字，"
                               "从严视为同一（R2 其他回避）",
                               f"declared conflict '{text}' is one character or suffix away from the target "
                               f"{target.id} ({target.name}); counted as the same (R2 declared conflict)")
            return
        unit = self._unit_place(text)
        if unit is None:
            return
        codes, rest = unit
        named = {j for j, t in enumerate(self.p.targets)
                 if _loose(t.name).endswith(_loose(rest))
                 and any(self.gaz.is_within(c, p) for c in self.p.target_location[j].codes for p in codes)}
        if named:
            if s.target in named:
                self._seat_add(s, "R2", f"申报回避「{text}」即{target.name}（单位前写了所在地；R2 其他回避）",
                               f"declared conflict '{text}' is {target.name} (unit after its place; "
                               "R2 declared conflict)")
            return
        unit_place = Resolution(text=text, codes=codes)
        how = self._touches(unit_place, area)
        if how is not None:
            self._seat_add(s, "R2", f"申报回避「{text}」是{_how_zh(how, area, unit_place)}的单位（R2 其他回避）",
                           f"declared conflict '{text}' is a unit that {_how_en(how, area, unit_place)} "
                           "(R2 declared conflict)")

    def _near_targets(self, k: str) -> set[int]:
        """Targets a 回避 entry that matches none exactly names closely (the verifier's own
        reading): a look-alike id; else an id or a name one edit away, or a name with an
        administrative suffix dropped or added."""
        found = self._near.get(k)
        if found is None:
            targets = self.p.targets
            found = {j for j, t in enumerate(targets) if _fold_look_alike(_norm(t.id)) == _fold_look_alike(k)}
            if not found:
                for j, t in enumerate(targets):
                    tid, name = _norm(t.id), _norm(t.name)
                    if ((len(k) >= 3 and len(tid) >= 3 and _one_edit(k, tid)) or _loose(k) == _loose(name)
                            or (len(k) >= 4 and len(name) >= 4 and _one_edit(k, name))):
                        found.add(j)
            self._near[k] = found
        return found

    def _unit_place(self, text: str) -> tuple[tuple[str, ...], str] | None:
        """(place codes, unit) when ``text`` is a unit written after its place."""
        k = _norm(text)
        for cut in range(len(k) - 1, 1, -1):
            res = resolve(self.gaz, k[:cut], suggestions=False)
            if res.codes:
                return res.codes, k[cut:]
        return None

    def _history_by_cadre(self) -> dict[int, list[tuple[str, str, Resolution]]]:
        window = set(self.p.window_rounds)
        out: dict[int, list[tuple[str, str, Resolution]]] = defaultdict(list)
        for rec, res in self.p.history_places:
            if rec.round in window:
                for i in self.rows_of.get(person_key(rec.cadre_id), ()):
                    out[i].append((rec.round, rec.place, res))
        return out

    # ---- R3 rotation -------------------------------------------------------------

    def _rotation(self) -> None:
        rules = self.rules
        # Arcs as the seats show them: (pool, dest) -> seats that travel along it.
        by_arc: dict[tuple[str, str], list[_Placed]] = defaultdict(list)
        for s in self.placed:
            if self._is_local(s.seat.role):
                continue  # R5: local seats are not part of the rotation
            src, dst = self.pool[s.cadre], self.tcounty[s.target]
            if src == dst:
                self._seat_add(s, "R3",
                               f"来自被巡察县区{self._name(dst)}本身（R3 推磨式不得巡察本县区）",
                               f"comes from {self._name(dst)}, the inspected county itself "
                               "(R3 rotation)")
                continue
            by_arc[(src, dst)].append(s)
        declared = {(a.source, a.dest) for a in self.plan.arcs}
        if declared:
            for (src, dst), seats in by_arc.items():
                if (src, dst) not in declared:
                    self._add("R3",
                              f"轮换表未列出{self._name(src)}→{self._name(dst)}，但{self._seats_zh(seats)}"
                              "按此派出（R3 轮换表须与名单一致）",
                              f"the rotation sheet lacks {self._name(src)}→{self._name(dst)}, yet "
                              f"{self._seats_en(seats)} travel that way "
                              "(R3 arcs must match the seats)",
                              seats[0].team.team_id)
            for src, dst in sorted(declared):
                if src == dst:
                    self._add("R3",
                              f"轮换表中{self._name(src)}派往本县区（R3 推磨式不得巡察本县区）",
                              f"the rotation sheet sends {self._name(src)} to itself "
                              "(R3 rotation)")
        arcs = (set(by_arc) | declared) - {(a, b) for a, b in declared if a == b}
        self._arc_degrees(arcs, by_arc)
        self._arc_history(arcs)
        if rules.forbid_reciprocal:
            for src, dst in sorted(arcs):
                if src < dst and (dst, src) in arcs:
                    self._add("R3", f"{self._name(src)}与{self._name(dst)}互派（R3 禁止两县互派）",
                              f"{self._name(src)} and {self._name(dst)} inspect each other "
                              "(R3 no reciprocal arcs)")
        self._cycle(arcs, complete=rules.single_cycle or bool(declared))

    def _seats_zh(self, seats: list[_Placed]) -> str:
        by_team: dict[str, list[str]] = defaultdict(list)
        for s in seats:
            by_team[s.team.team_id].append(self._who(s.cadre))
        return "；".join(f"第{t}组{'、'.join(names)}" for t, names in by_team.items())

    def _seats_en(self, seats: list[_Placed]) -> str:
        by_team: dict[str, list[str]] = defaultdict(list)
        for s in seats:
            by_team[s.team.team_id].append(self._who_en(s.cadre))
        return "; ".join(f"team {t}: {', '.join(names)}" for t, names in by_team.items())

    def _arc_degrees(self, arcs: set[tuple[str, str]],
                     by_arc: dict[tuple[str, str], list[_Placed]]) -> None:
        dests: dict[str, list[str]] = defaultdict(list)
        sources: dict[str, list[str]] = defaultdict(list)
        for src, dst in sorted(arcs):
            dests[src].append(dst)
            sources[dst].append(src)

        def detail(src: str, dst: str) -> tuple[str, str]:
            seats = by_arc.get((src, dst))
            if not seats:
                return "（轮换表）", " (rotation sheet)"
            return f"（{self._seats_zh(seats)}）", f" ({self._seats_en(seats)})"

        for src, ds in dests.items():
            if len(ds) > 1:
                parts = [(self._name(d), *detail(src, d)) for d in ds]
                self._add("R3",
                          f"{self._name(src)}的干部被派往多个县区："
                          + "、".join(n + z for n, z, _ in parts)
                          + "（R3 推磨式须成建制派往一个县区）",
                          f"the pool of {self._name(src)} goes to several counties: "
                          + "; ".join(n + e for n, _, e in parts) + " (R3 a pool goes as a body)")
        for dst, ss in sources.items():
            if len(ss) > 1:
                parts = [(self._name(s), *detail(s, dst)) for s in ss]
                self._add("R3",
                          f"{self._name(dst)}接收了多个县区的干部："
                          + "、".join(n + z for n, z, _ in parts)
                          + "（R3 每个县区只接收一个县区的干部）",
                          f"{self._name(dst)} receives several pools: "
                          + "; ".join(n + e for n, _, e in parts) + " (R3 one pool per county)")

    def _past_arcs(self) -> dict[tuple[str, str], list[str]]:
        """Arcs used in the looked-back rounds, from 来源县区 to the county of 巡察地."""
        window = set(self.p.window_rounds)
        out: dict[tuple[str, str], list[str]] = defaultdict(list)
        for rec, res in self.p.history_places:
            if rec.round not in window or not rec.from_county.strip():
                continue
            src = self._unique_county(self._resolve(rec.from_county), keep_coarse=True)
            dst = self._unique_county(res, keep_coarse=False)
            if src and dst and src != dst and rec.round not in out[(src, dst)]:
                out[(src, dst)].append(rec.round)
        return out

    def _arc_history(self, arcs: set[tuple[str, str]]) -> None:
        if self._past is None:
            self._past = self._past_arcs()
        past = self._past
        for src, dst in sorted(arcs):
            rounds = past.get((src, dst))
            if rounds:
                self._add("R3",
                          f"{self._name(src)}→{self._name(dst)}在往轮（{'、'.join(rounds)}）已轮换过"
                          "（R3 不得重复往轮轮换）",
                          f"{self._name(src)}→{self._name(dst)} was already used in "
                          f"{', '.join(rounds)} (R3 no repeated arc)")

    def _cycle(self, arcs: set[tuple[str, str]], *, complete: bool) -> None:
        """Every county sends and receives (``complete``); one cycle with ``single_cycle``.

        Seats alone cannot show where a pool with nobody seated went, so completeness
        is demanded only under ``single_cycle`` or when the plan lists its arcs.
        """
        counties = set(self.pool) | set(self.tcounty)
        counties.discard("")
        succ: dict[str, str] = {}
        pred: dict[str, str] = {}
        for src, dst in sorted(arcs):
            succ.setdefault(src, dst)
            pred.setdefault(dst, src)
        outside = sorted({c for arc in arcs for c in arc} - counties)
        if outside:
            names = [self._name(c) for c in outside]
            self._add("R3", f"轮换涉及未参加本轮的县区：{'、'.join(names)}",
                      f"the rotation involves counties outside this round: {', '.join(names)}")
        if not complete:
            return
        why_zh = "单一循环" if self.rules.single_cycle else "轮换"
        why_en = "single cycle" if self.rules.single_cycle else "every pool goes somewhere"
        for c in sorted(counties):
            if c not in succ:
                self._add("R3", f"{self._name(c)}的干部未派往任何县区（R3 推磨式{why_zh}）",
                          f"the pool of {self._name(c)} is sent nowhere (R3 {why_en})")
            if c not in pred:
                self._add("R3", f"{self._name(c)}未接收任何县区的干部（R3 推磨式{why_zh}）",
                          f"{self._name(c)} receives no pool (R3 {why_en})")
        if (not self.rules.single_cycle or len(counties) < 2
                or any(c not in succ or c not in pred for c in counties)):
            return
        # Every county has one successor; the arcs form one cycle when a walk visits all.
        cycles: list[list[str]] = []
        todo = set(counties)
        while todo:
            start = min(todo)
            cycle, c = [], start
            while c in todo:
                todo.discard(c)
                cycle.append(c)
                c = succ[c]
            cycles.append(cycle)
        if len(cycles) > 1:
            zh = "；".join("→".join(self._name(c) for c in [*cy, cy[0]]) for cy in cycles)
            self._add("R3", f"轮换分成{len(cycles)}个循环：{zh}（R3 须为贯穿所有县区的单一循环）",
                      f"the rotation splits into {len(cycles)} cycles: {zh} (R3 single cycle)")

    # ---- R4 mixed -------------------------------------------------------------------

    def _mixed(self) -> None:
        cap = self.rules.max_from_same_county
        per_team: dict[int, dict[str, list[_Placed]]] = defaultdict(lambda: defaultdict(list))
        for s in self.placed:
            if self._is_local(s.seat.role):
                continue
            src, dst = self.pool[s.cadre], self.tcounty[s.target]
            if src == dst:
                self._seat_add(s, "R4",
                               f"来自被巡察县区{self._name(dst)}本身（R4 混编不得有本县区干部）",
                               f"comes from {self._name(dst)}, the inspected county itself "
                               "(R4 mixed teams)")
            per_team[id(s.team)][src].append(s)
        for counties in per_team.values():
            for county, seats in counties.items():
                if len(seats) > cap:
                    s0 = seats[0]
                    target = self.p.targets[s0.target]
                    names_zh = "、".join(self._who(s.cadre) for s in seats)
                    names_en = ", ".join(self._who_en(s.cadre) for s in seats)
                    self._add("R4",
                              f"{self._team_zh(s0.team, target)}：来自{self._name(county)}的有"
                              f"{len(seats)}人（{names_zh}），超过{cap}人（R4 同一县区人数上限）",
                              f"{self._team_en(s0.team, target)}: {len(seats)} members from "
                              f"{self._name(county)} ({names_en}), more than {cap} "
                              "(R4 per-county cap)", s0.team.team_id)

    # ---- R5 local seats -------------------------------------------------------------

    def _local(self) -> None:
        for s in self.placed:
            if not self._is_local(s.seat.role):
                continue
            src, dst = self.pool[s.cadre], self.tcounty[s.target]
            if src != dst:
                role = s.seat.role
                self._seat_add(
                    s, "R5",
                    f"任{role.zh}，须由被巡察县区{self._name(dst)}的干部担任，但其来自{self._name(src)}"
                    "（R5 本地联络角色）",
                    f"is {role.value}, a local role for {self._name(dst)} cadres, but comes from "
                    f"{self._name(src)} (R5 local role)")

    # ---- R6 composition ------------------------------------------------------------

    def _composition(self) -> None:
        rules = self.rules
        by_team: dict[int, list[_Placed]] = defaultdict(list)
        for s in self.placed:
            by_team[id(s.team)].append(s)
        for team in self.plan.teams:
            j = self.target_ix.get(team.target_id)
            if j is None:
                continue
            self._team_composition(team, self.p.targets[j], by_team.get(id(team), []))
        for s in self.placed:
            cadre = self.p.cadres[s.cadre]
            if s.seat.role not in cadre.roles:
                allowed_zh = "、".join(r.zh for r in _ordered(cadre.roles)) or "无"
                allowed_en = ", ".join(r.value for r in _ordered(cadre.roles)) or "nothing"
                self._seat_add(s, "R6",
                               f"任{s.seat.role.zh}，但其可任角色为{allowed_zh}（R6 角色资格）",
                               f"sits as {s.seat.role.value} but may only be {allowed_en} "
                               "(R6 eligible roles)")
            if not cadre.available:
                self._seat_add(s, "R6", "标记为不可用，不得抽取（R6 可用）",
                               "is marked unavailable (R6 availability)")
            if s.seat.role is Role.LEADER and rules.leader_min_rank:
                self._leader_rank(s, cadre)

    def _leader_rank(self, s: _Placed, cadre: Cadre) -> None:
        order = self.rules.rank_order
        need = order.index(self.rules.leader_min_rank)
        has = order.index(cadre.rank) if cadre.rank in order else None
        if has is None or has > need:
            rank, need_rank = cadre.rank or "未填", self.rules.leader_min_rank
            self._seat_add(s, "R6",
                           f"任组长，职级「{rank}」低于要求的{need_rank}（R6 组长职级）",
                           f"leads with rank '{cadre.rank or 'none'}', below the minimum "
                           f"{need_rank} (R6 leader rank)")

    def _team_composition(self, team: Team, target: Target, seats: list[_Placed]) -> None:
        rules = self.rules
        zh_t, en_t = self._team_zh(team, target), self._team_en(team, target)

        def add(zh: str, en: str) -> None:
            self._add("R6", f"{zh_t}：{zh}", f"{en_t}: {en}", team.team_id)

        # Size counts the plan's seats, unknown cadre ids included: they occupy a line too.
        n = len(team.seats)
        lo, hi = (target.size, target.size) if target.size else rules.team_size
        if not lo <= n <= hi:
            want_zh = f"{lo}人" if lo == hi else f"{lo}至{hi}人"
            want_en = f"{lo}" if lo == hi else f"{lo} to {hi}"
            add(f"共{n}人，应为{want_zh}（R6 组内人数）",
                f"{n} seats, expected {want_en} (R6 team size)")
        counts = Counter(seat.role for seat in team.seats)
        for role, (rlo, rhi) in ((Role.LEADER, (rules.leaders, rules.leaders)),
                                 (Role.DEPUTY, rules.deputies), (Role.LIAISON, rules.liaisons)):
            k = counts.get(role, 0)
            if not rlo <= k <= rhi:
                want_zh = f"{rlo}名" if rlo == rhi else f"{rlo}至{rhi}名"
                want_en = f"{rlo}" if rlo == rhi else f"{rlo} to {rhi}"
                add(f"{role.zh}{k}名，应为{want_zh}（R6 {role.zh}人数）",
                    f"{k} {role.value}(s), expected {want_en} (R6 role count)")
        need = dict(rules.required_skills)
        for skill in target.skills:
            need[skill] = max(need.get(skill, 0), 1)
        for skill, k in need.items():
            have = sum(1 for s in seats if skill in self.p.cadres[s.cadre].skills)
            if have < k:
                add(f"具备「{skill}」专长的{have}人，至少需要{k}人（R6 专长要求）",
                    f"{have} member(s) with skill '{skill}', at least {k} needed (R6 skills)")
        women = sum(1 for s in seats if self.p.cadres[s.cadre].gender is Gender.FEMALE)
        if women < rules.min_women:
            add(f"女干部{women}名，至少需要{rules.min_women}名（R6 女干部人数）",
                f"{women} women, at least {rules.min_women} needed (R6 women)")

    # ---- R8 quality sanctions -------------------------------------------------------

    def _evaluations(self) -> tuple[dict[str, int], dict[str, dict[str, bool]]]:
        """Position of each evaluated round, and cadre id -> round -> ranked last."""
        history = self.p.book.history
        evaluated = sorted(
            {h.round for h in history if h.role is Role.LEADER and h.last_ranked is not None},
            key=natural_round_key)
        pos = {r: k for k, r in enumerate(evaluated)}
        marks: dict[str, dict[str, bool]] = defaultdict(dict)
        for h in history:
            if h.role is Role.LEADER and h.last_ranked is not None:
                # Two rows for one round count once; last wins over not-last for safety.
                who = person_key(h.cadre_id)
                marks[who][h.round] = marks[who].get(h.round, False) or h.last_ranked
        return pos, marks

    def _sanctions(self) -> None:
        if self._evaluated is None:
            self._evaluated = self._evaluations()
        pos, marks = self._evaluated
        for s in self.placed:
            rounds = sorted(marks.get(self.person[s.cadre], {}).items(), key=lambda kv: pos[kv[0]])
            lasts = [r for r, last in rounds if last]
            if len(lasts) >= 3:
                self._seat_add(s, "R8",
                               f"累计{len(lasts)}次末位（{'、'.join(lasts)}），本轮不得抽取"
                               "（R8 质量评估）",
                               f"was ranked last {len(lasts)} times ({', '.join(lasts)}) and "
                               "may not be drawn (R8 sanctions)")
                continue
            if s.seat.role is not Role.LEADER or len(rounds) < 2:
                continue
            (a, a_last), (b, b_last) = rounds[-2], rounds[-1]
            if a_last and b_last and pos[b] == pos[a] + 1:
                self._seat_add(s, "R8", f"连续两轮末位（{a}、{b}），暂停担任组长（R8 质量评估）",
                               f"was ranked last in consecutive rounds {a} and {b} and may not "
                               "lead (R8 sanctions)")

    # ---- R9 manual decisions -----------------------------------------------------

    def _decisions(self) -> None:
        seats_of: dict[str, list[_Placed]] = defaultdict(list)
        for s in self.placed:
            seats_of[self.person[s.cadre]].append(s)
        for d in self.p.book.decisions:
            i = self._index(d.cadre_id)
            if i is None:
                continue  # the reader reports decisions about unknown cadres
            mine = seats_of.get(self.person[i], [])
            if d.kind is DecisionKind.UNAVAILABLE:
                for s in mine:
                    self._seat_add(s, "R9", "已被决定本轮不可用，不得抽取（R9 人工决定）",
                                   "was declared unavailable this round (R9 decision)")
            elif d.kind is DecisionKind.BAN:
                for s in mine:
                    for o in seats_of.get(person_key(d.other_cadre_id), []):
                        if o.team is s.team and o.cadre != s.cadre:
                            self._seat_add(s, "R9",
                                           f"与{self._who(o.cadre)}被禁止同组（R9 人工决定）",
                                           f"may not sit with {self._who_en(o.cadre)} (R9 ban)")
            elif d.kind is DecisionKind.PIN:
                j = self.target_ix.get(d.target_id)
                if j is None:
                    continue
                ok = any(s.target == j and (d.role is None or s.seat.role is d.role) for s in mine)
                if not ok:
                    target = self.p.targets[j]
                    role_zh = f"任{d.role.zh}" if d.role else ""
                    role_en = f" as {d.role.value}" if d.role else ""
                    now_zh = "、".join(f"第{s.team.team_id}组任{s.seat.role.zh}" for s in mine)
                    now_zh = f"实际在{now_zh}" if mine else "但未入选"
                    now_en = ", ".join(f"team {s.team.team_id} as {s.seat.role.value}"
                                       for s in mine) or "not seated"
                    self._add("R9",
                              f"{self._who(i)} 被指定到巡察{target.name}的组{role_zh}，"
                              f"{now_zh}（R9 人工决定）",
                              f"{self._who_en(i)} is pinned to the team for "
                              f"{target.name}{role_en}, but is {now_en} (R9 pin)",
                              mine[0].team.team_id if mine else None, d.cadre_id)


def _ordered(roles: Iterable[Role]) -> list[Role]:
    order = [Role.LEADER, Role.DEPUTY, Role.LIAISON, Role.MEMBER]
    return sorted(roles, key=order.index)


def _ambiguous_zh(res: Resolution) -> str:
    return "（同名地名，按冲突处理）" if res.ambiguous else ""


def _ambiguous_en(res: Resolution) -> str:
    return " (ambiguous name, treated as a conflict)" if res.ambiguous else ""
