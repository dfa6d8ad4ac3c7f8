"""Turn an input book and rules into an indexed, validated problem.

This is where every place is resolved against the gazetteer, ranks are checked
against the rank order, history is windowed and sanctions are computed. The
solver only ever sees the ``Problem``; the verifier reads the same resolved
input but re-derives every rule itself.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..domain.errors import Issue
from ..domain.models import (
    FOUR_AVOIDANCES,
    AvoidanceField,
    Cadre,
    Gender,
    HistoryRecord,
    InputBook,
    Role,
    Target,
)
from ..domain.plan import Sanction
from ..domain.rules import CoarsePlaces, Rules
from ..places import Gazetteer, Overlap, Resolution, overlap
from .declared import DeclaredConflict


@dataclass(frozen=True)
class Block:
    """Why a cadre may not sit (non-locally) on a target's team: one rule instance."""

    rule: str  # R1, R2, R7
    field: str  # residence, workplace, postings, upbringing, conflicts, history
    text: str  # the cell value that caused it
    ambiguous: bool = False
    #: the place contains the target area (coarser than the level: 政和县 against its township)
    contains: bool = False
    #: a declared conflict read closely: what it was taken to mean
    reading: str = ""


@dataclass(frozen=True)
class Pin:
    cadre: int
    target: int
    role: Role | None


@dataclass(frozen=True)
class Problem:
    """An indexed, validated cross-inspection problem.

    Cadres and targets are referred to by their index in ``cadres`` and ``targets``.
    Counties are gazetteer codes; ``county_name`` gives their printed names.
    """

    book: InputBook
    rules: Rules
    gazetteer: Gazetteer
    cadres: tuple[Cadre, ...]
    targets: tuple[Target, ...]
    cadre_county: tuple[str, ...]
    target_county: tuple[str, ...]
    target_location: tuple[Resolution, ...]
    #: resolved avoidance places per cadre: field -> [(text, resolution)]
    cadre_places: tuple[dict[AvoidanceField, tuple[tuple[str, Resolution], ...]], ...]
    #: each cadre's declared conflicts (回避) as read against the targets (``declared``)
    declared: tuple[tuple[DeclaredConflict, ...], ...]
    #: ordered history rounds inside the look-back window
    window_rounds: tuple[str, ...]
    #: resolved place of every history record inside the window
    history_places: tuple[tuple[HistoryRecord, Resolution], ...]
    #: rotation arcs (from county code, to county code) used inside the window
    past_arcs: frozenset[tuple[str, str]]
    sanctions: dict[int, Sanction]
    pins: tuple[Pin, ...]
    bans: tuple[tuple[int, int], ...]
    unavailable: frozenset[int]
    warnings: tuple[Issue, ...] = ()

    def with_warnings(self, *, before: Sequence[Issue] = (), after: Sequence[Issue] = ()) -> Problem:
        """The same problem with more warnings; what was derived from it is kept, not redone."""
        new = dataclasses.replace(self, warnings=(*before, *self.warnings, *after))
        fields = {f.name for f in dataclasses.fields(self)}
        # Cached derived facts depend on the input only, never on the warnings.
        new.__dict__.update({k: v for k, v in self.__dict__.items() if k not in fields})
        return new

    # ---- derived facts the model uses -------------------------------------------------

    @cached_property
    def cadre_index(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.cadres)}

    @cached_property
    def target_index(self) -> dict[str, int]:
        return {t.id: j for j, t in enumerate(self.targets)}

    @cached_property
    def counties(self) -> tuple[str, ...]:
        """Every county taking part: pools and inspected counties, in code order."""
        return tuple(sorted(set(self.cadre_county) | set(self.target_county)))

    def teams_by_county(self) -> defaultdict[str, list[int]]:
        """Target indices per inspected county (a fresh mapping; counties without teams give [])."""
        out: defaultdict[str, list[int]] = defaultdict(list)
        for j, c in enumerate(self.target_county):
            out[c].append(j)
        return out

    def pools(self) -> defaultdict[str, set[int]]:
        """Cadre indices per home county (a fresh mapping; counties without cadres give an empty set)."""
        out: defaultdict[str, set[int]] = defaultdict(set)
        for i, c in enumerate(self.cadre_county):
            out[c].add(i)
        return out

    def county_name(self, code: str) -> str:
        return self.gazetteer.node(code).name

    def team_id(self, j: int) -> str:
        return str(j + 1)

    def is_local_role(self, role: Role) -> bool:
        return role in self.rules.local_roles

    @cached_property
    def drawable(self) -> tuple[bool, ...]:
        """Cadres who may be drawn at all this round (available and not excluded)."""
        return tuple(
            c.available
            and i not in self.unavailable
            and not (i in self.sanctions and self.sanctions[i].kind == "excluded")
            for i, c in enumerate(self.cadres)
        )

    def can_take_role(self, i: int, role: Role) -> bool:
        """Role eligibility (R6) and sanctions (R8), independent of the target."""
        cadre = self.cadres[i]
        if not self.drawable[i] or role not in cadre.roles:
            return False
        if role is Role.LEADER:
            if i in self.sanctions:
                return False
            if self.rules.leader_min_rank:
                idx = self.rules.rank_index(cadre.rank)
                limit = self.rules.rank_index(self.rules.leader_min_rank)
                if idx is None or limit is None or idx > limit:
                    return False
        return True

    @cached_property
    def _avoidance(
        self,
    ) -> tuple[dict[tuple[int, int], tuple[Block, ...]], dict[tuple[int, int], tuple[tuple[str, str], ...]]]:
        """R1, R2 and R7 for every (cadre, target) pair: the blocks, and the places that
        contain the target area (field, text), whatever ``coarse_places`` makes of them."""
        out: dict[tuple[int, int], tuple[Block, ...]] = {}
        contained: dict[tuple[int, int], tuple[tuple[str, str], ...]] = {}
        barred_if_containing = self.rules.coarse_places is CoarsePlaces.CONFLICT
        history_by_cadre: dict[int, list[tuple[HistoryRecord, Resolution]]] = {}
        for rec, res in self.history_places:
            if rec.cadre_id in self.cadre_index:
                history_by_cadre.setdefault(self.cadre_index[rec.cadre_id], []).append((rec, res))
        for i in range(len(self.cadres)):
            found: dict[int, list[Block]] = {}
            wide: dict[int, list[tuple[str, str]]] = {}
            for j, block in self._cadre_blocks(i, history_by_cadre.get(i, ())):
                if block.contains and block.rule != "R7":
                    wide.setdefault(j, []).append((block.field, block.text))
                    if not barred_if_containing:
                        continue
                found.setdefault(j, []).append(block)
            for j in sorted(found):
                out[(i, j)] = tuple(found[j])
            for j in sorted(wide):
                contained[(i, j)] = tuple(wide[j])
        return out, contained

    def _cadre_blocks(self, i: int, history: Sequence[tuple[HistoryRecord, Resolution]]) -> list[tuple[int, Block]]:
        """Every (target, block) of cadre i, containing places included."""
        out: list[tuple[int, Block]] = []
        for fld in FOUR_AVOIDANCES:
            for text, res in self.cadre_places[i].get(fld, ()):
                if res.codes:
                    out += [
                        (j, Block("R1", fld.value, text, res.ambiguous, contains)) for j, contains in self._touches(res)
                    ]
        for d in self.declared[i]:
            out += [(j, Block("R2", "conflicts", d.text, reading=d.zh)) for j in sorted(d.targets)]
            if d.place is not None:
                out += [
                    (j, Block("R2", "conflicts", d.text, d.place.ambiguous, contains, d.zh))
                    for j, contains in self._touches(d.place)
                    if j not in d.targets
                ]
        for rec, res in history:
            # A place inspected before that contains the target area was inspected as a
            # whole, the target with it: a plain R7 bar, whatever ``coarse_places`` says.
            out += [
                (j, Block("R7", "history", f"{rec.round}：{rec.place}", contains=contains))
                for j, contains in self._touches(res)
            ]
        return out

    @cached_property
    def _touched(self) -> dict[tuple[str, ...], list[tuple[int, bool]]]:
        return {}

    def _touches(self, res: Resolution) -> list[tuple[int, bool]]:
        """(target, the place merely contains it) for each target the place conflicts with.

        Computed once per distinct place rather than per cadre and target: cadres share
        few distinct places, and this runs for every (cadre, target) pair of a round.
        """
        found = self._touched.get(res.codes)
        if found is None:
            found = self._touched[res.codes] = [
                (j, o is Overlap.CONTAINS)
                for j, loc in enumerate(self.target_location)
                if (o := overlap(self.gazetteer, res, loc, self.rules.level)) in (Overlap.CONFLICT, Overlap.CONTAINS)
            ]
        return found

    @property
    def blocks(self) -> dict[tuple[int, int], tuple[Block, ...]]:
        """(cadre, target) pairs barred for a non-local seat, with every reason (R1, R2, R7)."""
        return self._avoidance[0]

    @property
    def containments(self) -> dict[tuple[int, int], tuple[tuple[str, str], ...]]:
        """(cadre, target) -> the (field, text) places that contain the target area. Barred
        under ``coarse_places = "conflict"``; marked 待核实 under ``"review"``."""
        return self._avoidance[1]

    def declared_block(self, i: int, j: int) -> bool:
        """R2 only: declared conflicts still bar a local seat (R5)."""
        return any(b.rule == "R2" for b in self.blocks.get((i, j), ()))

    def target_size(self, j: int) -> tuple[int, int]:
        size = self.targets[j].size
        return (size, size) if size else self.rules.team_size

    def target_skills(self, j: int) -> dict[str, int]:
        """Skills the team for target j must cover: global rules plus the target's own."""
        need = dict(self.rules.required_skills)
        for s in self.targets[j].skills:
            need[s] = max(need.get(s, 0), 1)
        return {s: n for s, n in need.items() if n > 0}

    def strength(self, i: int) -> int:
        """A cadre's contribution to team strength: rank points plus skills."""
        idx = self.rules.rank_index(self.cadres[i].rank)
        rank_points = (len(self.rules.rank_order) - idx) if idx is not None else 0
        return 2 * rank_points + len(self.cadres[i].skills)

    @cached_property
    def past_teams(self) -> tuple[tuple[int, ...], ...]:
        """Members (of this round's pool) of each team in a known round, two or more each (for novelty)."""
        groups: dict[tuple[str, str], set[int]] = {}
        for rec in self.book.history:
            if rec.cadre_id in self.cadre_index:
                groups.setdefault((rec.round, rec.place), set()).add(self.cadre_index[rec.cadre_id])
        return tuple(tuple(sorted(members)) for _, members in sorted(groups.items()) if len(members) > 1)

    @cached_property
    def past_teammates(self) -> frozenset[tuple[int, int]]:
        """Pairs of cadres who sat on the same team in a known round."""
        return frozenset(
            (ms[a], ms[b]) for ms in self.past_teams for a in range(len(ms)) for b in range(a + 1, len(ms))
        )

    @cached_property
    def past_load(self) -> tuple[int, ...]:
        """Rounds each cadre has already served (for workload fairness)."""
        seen: dict[str, set[str]] = {}
        for rec in self.book.history:
            seen.setdefault(rec.cadre_id, set()).add(rec.round)
        return tuple(len(seen.get(c.id, ())) for c in self.cadres)

    @cached_property
    def _travel_cache(self) -> dict[tuple[str, int], int]:
        return {}

    def travel_km(self, source_county: str, j: int) -> int:
        # Asked for every (pool, team) pair, many times over by the staged first roster.
        key = (source_county, j)
        km = self._travel_cache.get(key)
        if km is None:
            exact = self.gazetteer.distance_km(source_county, self.target_location[j].codes[0])
            km = self._travel_cache[key] = round(exact) if exact is not None else 0
        return km


# Gender is re-exported for callers that build problems by hand.
__all__ = ["Block", "Gender", "Pin", "Problem"]
