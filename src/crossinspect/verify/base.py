"""What every rule family of the verifier works with: the input's facts, places re-derived
from the gazetteer, and how a violation is worded.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..domain.models import Role, Target
from ..domain.plan import Plan, Seat, Team, Violation
from ..domain.rules import CoarsePlaces, Level
from ..places import PlaceLevel, Resolution, resolve
from ..problem import Problem
from .normalise import person_key


@dataclass(frozen=True)
class Area:
    """The area a target occupies at the avoidance level, as gazetteer codes."""

    codes: frozenset[str]
    label: str


@dataclass(frozen=True)
class Placed:
    """A seat the verifier can check: the plan's seat plus indices into the input."""

    seat: Seat
    team: Team
    cadre: int
    target: int


class VerifierBase:
    """The verifier's state for one problem, and the helpers the rule checks share.

    Facts derived from the input are kept between plans; ``placed`` and ``out`` are
    the seats and violations of the plan being checked.
    """

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
        self.placed: list[Placed] = []
        # Derived from the input on first use, then kept for the next plans.
        self._targets_by_name: dict[str, set[int]] | None = None
        self._history: dict[int, list[tuple[str, str, Resolution]]] | None = None
        self._past: dict[tuple[str, str], list[str]] | None = None
        self._evaluated: tuple[dict[str, int], dict[str, dict[str, bool]]] | None = None
        #: (cadre, target, local seat, team id) -> that seat's R1/R2/R7 findings
        self._seat_findings: dict[tuple[int, int, bool, str], tuple[Violation, ...]] = {}
        self._near: dict[str, set[int]] = {}

    # ---- reporting ----------------------------------------------------------------

    def _add(self, rule: str, zh: str, en: str, team_id: str | None = None, cadre_id: str | None = None) -> None:
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

    def _seat_add(self, s: Placed, rule: str, zh: str, en: str) -> None:
        target = self.p.targets[s.target]
        self._add(
            rule,
            f"{self._team_zh(s.team, target)}：{self._who(s.cadre)} {zh}",
            f"{self._team_en(s.team, target)}: {self._who_en(s.cadre)} {en}",
            s.team.team_id,
            s.seat.cadre_id,
        )

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

    def _area_of(self, j: int) -> Area:
        """Target area at the level: county, or township when the location is that fine."""
        codes: set[str] = set()
        for code in self.p.target_location[j].codes:
            area = None
            if self.rules.level is Level.TOWNSHIP and self.gaz.node(code).level >= PlaceLevel.TOWNSHIP:
                area = self._ancestor(code, PlaceLevel.TOWNSHIP)
            area = area or self._ancestor(code, PlaceLevel.COUNTY)
            if area is None:
                # No county in the chain (a township directly under 东莞市): on the safe
                # side the area is the nearest coarser place, so its whole city counts.
                area = next((n.code for n in self.gaz.ancestors(code) if n.level < PlaceLevel.COUNTY), code)
            codes.add(area)
        return Area(frozenset(codes), "、".join(self._path(c) for c in sorted(codes)))

    def _path(self, code: str) -> str:
        """County and township names, e.g. 漳浦县绥安镇, so the clerk knows which one."""
        out, previous = "", ""
        for node in reversed(self.gaz.ancestors(code)):
            if node.level < PlaceLevel.COUNTY:
                continue
            # An office unit usually repeats its county: 漳浦县 > 漳浦县民政局.
            out += node.name[len(previous) :] if previous and node.name.startswith(previous) else node.name
            previous = node.name
        return out or self._name(code)

    def _within(self, res: Resolution, area: Area) -> bool:
        """Any candidate of the place is the area or inside it (ambiguity counts as a conflict)."""
        return any(
            node.code in area.codes for code in res.codes if code in self.gaz for node in self.gaz.ancestors(code)
        )

    def _contains(self, res: Resolution, area: Area) -> bool:
        """Any candidate of the place lies above the area: 政和县 written against one of its
        townships, 漯河市 against one of its counties."""
        return any(node.code in res.codes for code in area.codes for node in self.gaz.ancestors(code)[1:])

    def _touches(self, res: Resolution, area: Area) -> str | None:
        """How a place bars a seat in ``area``: 'in' (lies in it), 'contains' (and containment
        bars, ``coarse_places = "conflict"``), or None."""
        if self._within(res, area):
            return "in"
        if self.rules.coarse_places is CoarsePlaces.CONFLICT and self._contains(res, area):
            return "contains"
        return None
