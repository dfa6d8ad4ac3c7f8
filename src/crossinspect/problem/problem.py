"""Turn an input book and rules into an indexed, validated problem.

This is where every place is resolved against the gazetteer, ranks are checked
against the rank order, history is windowed and sanctions are computed. The
solver only ever sees the ``Problem``; the verifier reads the same resolved
input but re-derives every rule itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..domain.errors import InputError, Issue, Severity
from ..domain.models import (
    FOUR_AVOIDANCES,
    AvoidanceField,
    Cadre,
    DecisionKind,
    Gender,
    HistoryRecord,
    InputBook,
    Role,
    SourceRef,
    Target,
)
from ..domain.numerals import CHARS, chinese_to_int
from ..domain.plan import Sanction
from ..domain.rules import CoarsePlaces, Rules
from ..places import Gazetteer, Overlap, PlaceLevel, Resolution, display_path, extend, overlap, resolve
from .declared import DeclaredConflict, DeclaredReader, Reading
from .history_check import history_contradictions


def round_sort_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of round labels: 2024年第二轮 < 2025年第一轮 < 2025年第十轮."""
    parts: list[tuple[int, int | str]] = []
    for m in re.finditer(rf"\d+|[{CHARS}]+|[^\d{CHARS}]+", label):
        tok = m.group(0)
        if tok.isdigit() or tok[0] in CHARS:
            parts.append((0, chinese_to_int(tok)))
        else:
            parts.append((1, tok))
    return tuple(parts)


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


@dataclass
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
    warnings: list[Issue] = field(default_factory=list)

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
            c.available and i not in self.unavailable
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
    def _avoidance(self) -> tuple[dict[tuple[int, int], tuple[Block, ...]],
                                  dict[tuple[int, int], tuple[tuple[str, str], ...]]]:
        """R1, R2 and R7 for every (cadre, target) pair: the blocks, and the places that
        contain the target area (field, text), whatever ``coarse_places`` makes of them."""
        out: dict[tuple[int, int], tuple[Block, ...]] = {}
        contained: dict[tuple[int, int], tuple[tuple[str, str], ...]] = {}
        level = self.rules.level
        barred_if_containing = self.rules.coarse_places is CoarsePlaces.CONFLICT
        locations = self.target_location
        n_targets = len(self.targets)
        # Targets a place touches, computed once per distinct place rather than per cadre
        # and target: cadres share few distinct places, and this runs for every (cadre,
        # target) pair of a township round (10⁵ pairs).
        touched: dict[tuple[str, ...], list[tuple[int, bool]]] = {}

        def touches(res: Resolution) -> list[tuple[int, bool]]:
            """(target, the place merely contains it) for each target the place conflicts with."""
            if res.codes not in touched:
                found = []
                for j in range(n_targets):
                    o = overlap(self.gazetteer, res, locations[j], level)
                    if o is Overlap.CONFLICT or o is Overlap.CONTAINS:
                        found.append((j, o is Overlap.CONTAINS))
                touched[res.codes] = found
            return touched[res.codes]

        history_by_cadre: dict[int, list[tuple[HistoryRecord, Resolution]]] = {}
        for rec, res in self.history_places:
            if rec.cadre_id in self.cadre_index:
                history_by_cadre.setdefault(self.cadre_index[rec.cadre_id], []).append((rec, res))
        for i, places in enumerate(self.cadre_places):
            found: dict[int, list[Block]] = {}
            wide: dict[int, list[tuple[str, str]]] = {}

            def add(j: int, block: Block, found: dict[int, list[Block]] = found,
                    wide: dict[int, list[tuple[str, str]]] = wide) -> None:
                if block.contains:
                    wide.setdefault(j, []).append((block.field, block.text))
                    if not barred_if_containing:
                        return
                found.setdefault(j, []).append(block)

            for fld in FOUR_AVOIDANCES:
                for text, res in places.get(fld, ()):
                    if res.codes:
                        for j, contains in touches(res):
                            add(j, Block("R1", fld.value, text, res.ambiguous, contains))
            for d in self.declared[i]:
                for j in sorted(d.targets):
                    add(j, Block("R2", "conflicts", d.text, reading=d.zh))
                if d.place is not None:
                    for j, contains in touches(d.place):
                        if j not in d.targets:
                            add(j, Block("R2", "conflicts", d.text, d.place.ambiguous, contains, d.zh))
            for rec, res in history_by_cadre.get(i, ()):
                # A place inspected before that contains the target area was inspected as a
                # whole, the target with it: a plain R7 bar, whatever ``coarse_places`` says.
                for j, _ in touches(res):
                    found.setdefault(j, []).append(Block("R7", "history", f"{rec.round}：{rec.place}"))
            for j in sorted(found):
                out[(i, j)] = tuple(found[j])
            for j in sorted(wide):
                contained[(i, j)] = tuple(wide[j])
        return out, contained

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


def _county_of(gaz: Gazetteer, res: Resolution) -> str | None:
    nodes = {n.code for c in res.codes if (n := gaz.ancestor_at(c, PlaceLevel.COUNTY)) is not None}
    return next(iter(nodes)) if len(nodes) == 1 else None


def build_problem(book: InputBook, rules: Rules, gazetteer: Gazetteer | None = None) -> Problem:
    """Resolve places, validate against the rules and index everything.

    Raises ``InputError`` with every problem found; warnings are kept on the problem.
    """
    issues: list[Issue] = []
    gaz = gazetteer or Gazetteer.builtin()
    if book.places:
        gaz, extra = extend(gaz, book.places, file=book.path)
        issues.extend(extra)
    file = book.path

    def col(src_columns: dict[str, str], key: str, fallback: str) -> str:
        return src_columns.get(key, fallback)

    def unresolved(text: str, res: Resolution, src, key: str, header: str, what_zh: str,
                   what_en: str) -> None:
        issues.append(Issue(
            code="unknown-place", zh=f"无法识别的{what_zh}「{text}」", en=f"unknown {what_en} '{text}'",
            file=file, sheet=src.sheet, row=src.row, column=col(src.columns, key, header),
            suggestions=res.suggestions,
        ))

    # Target locations and county pools are read in the round's region (SPEC §3.1).
    target_res = [resolve(gaz, t.location) for t in book.targets]
    pool_res = {c.county: resolve(gaz, c.county) for c in book.cadres}
    region = _region(gaz, rules, [*target_res, *pool_res.values()], issues)
    regional = _Regional(gaz, region, file, issues)

    # Targets: each must sit in exactly one county.
    target_location: list[Resolution] = []
    target_county: list[str] = []
    for target, res in zip(book.targets, target_res, strict=True):
        src = target.source
        res = regional.read(res, src, "location", "所在地")
        county = _county_of(gaz, res) if res.codes else None
        if not res.codes:
            unresolved(target.location, res, src, "location", "所在地", "所在地", "location")
        elif res.ambiguous:
            issues.append(Issue(
                code="ambiguous-location", zh=f"所在地「{target.location}」有多个同名地方，请写明所在市",
                en=f"location '{target.location}' is ambiguous; write it with its city",
                file=file, sheet=src.sheet, row=src.row, column=col(src.columns, "location", "所在地"),
                suggestions=tuple(display_path(gaz, c) for c in res.codes[:3])))
        elif county is None:
            issues.append(Issue(
                code="location-too-coarse", zh=f"所在地「{target.location}」须具体到县区或乡镇",
                en=f"location '{target.location}' must be a county or township",
                file=file, sheet=src.sheet, row=src.row, column=col(src.columns, "location", "所在地")))
        target_location.append(res)
        target_county.append(county or "")

    # Cadres: pool county, rank, avoidance places, declared conflicts.
    reader = DeclaredReader(gaz, book.targets, target_location)
    cadre_county: list[str] = []
    cadre_places: list[dict[AvoidanceField, tuple[tuple[str, Resolution], ...]]] = []
    declared: list[tuple[DeclaredConflict, ...]] = []
    unfilled: list[tuple[Cadre, AvoidanceField]] = []
    for cadre in book.cadres:
        src = cadre.source
        pool = regional.read(pool_res[cadre.county], src, "county", "所属县区", who=cadre.name)
        code = _pool_code(gaz, pool)
        if not pool.codes:
            unresolved(cadre.county, pool, src, "county", "所属县区", "县区", "county")
        elif code is None:
            issues.append(Issue(
                code="ambiguous-county",
                zh=f"所属县区「{cadre.county}」有多个同名地方，请写明所在市，如{display_path(gaz, pool.codes[0])}",
                en=f"county '{cadre.county}' is ambiguous; write it with its city",
                file=file, sheet=src.sheet, row=src.row, column=col(src.columns, "county", "所属县区"),
                suggestions=tuple(display_path(gaz, c) for c in pool.codes[:3])))
        cadre_county.append(code or "")
        if cadre.rank and rules.rank_index(cadre.rank) is None:
            issues.append(Issue(
                code="unknown-rank", zh=f"未知的职级「{cadre.rank}」", en=f"unknown rank '{cadre.rank}'",
                file=file, sheet=src.sheet, row=src.row, column=col(src.columns, "rank", "职级"),
                suggestions=_closest(cadre.rank, rules.rank_order)))
        places: dict[AvoidanceField, tuple[tuple[str, Resolution], ...]] = {}
        for fld in FOUR_AVOIDANCES:
            texts = cadre.places(fld)
            if not texts:
                unfilled.append((cadre, fld))
            entries = []
            for text in texts:
                res = resolve(gaz, text)
                if not res.codes:
                    unresolved(text, res, src, fld.value, fld.zh, "地名", "place")
                entries.append((text, res))
            places[fld] = tuple(entries)
        readings = tuple(reader.read(text) for text in cadre.conflicts)
        places[AvoidanceField.CONFLICTS] = tuple(
            (d.text, d.place or Resolution(text=d.text)) for d in readings)
        issues.extend(_declared_issues(cadre, readings, rules, file))
        declared.append(readings)
        cadre_places.append(places)
    if unfilled:
        issues.append(_unfilled_issue(unfilled, file))
    regional.finish()

    # History: windowed rounds, places and arcs.
    rounds = sorted({r.round for r in book.history}, key=round_sort_key)
    window = tuple(rounds[-rules.history_rounds:] if rules.history_rounds else rounds)
    history_places: list[tuple[HistoryRecord, Resolution]] = []
    past_arcs: set[tuple[str, str]] = set()
    for rec in book.history:
        src = rec.source
        res = resolve(gaz, rec.place)
        if not res.codes:
            unresolved(rec.place, res, src, "place", "巡察地", "巡察地", "place")
            continue
        if rec.round not in window:
            continue
        history_places.append((rec, res))
        if rec.from_county:
            origin = resolve(gaz, rec.from_county)
            o_code, d_code = _pool_code(gaz, origin), _county_of(gaz, res)
            if not origin.codes:
                unresolved(rec.from_county, origin, src, "from_county", "来源县区", "来源县区", "county")
            elif o_code and d_code and o_code != d_code:
                past_arcs.add((o_code, d_code))

    issues.extend(history_contradictions(book, gaz, round_sort_key))
    sanctions = compute_sanctions(book, rounds)
    index = {c.id: i for i, c in enumerate(book.cadres)}
    tindex = {t.id: j for j, t in enumerate(book.targets)}
    pins: list[Pin] = []
    bans: list[tuple[int, int]] = []
    unavailable: set[int] = set()
    for d in book.decisions:
        i = index.get(d.cadre_id)
        if i is None:
            continue  # the reader already reported unknown ids
        if d.kind is DecisionKind.PIN and d.target_id in tindex:
            pins.append(Pin(i, tindex[d.target_id], d.role))
        elif d.kind is DecisionKind.BAN and d.other_cadre_id in index:
            bans.append((min(i, index[d.other_cadre_id]), max(i, index[d.other_cadre_id])))
        elif d.kind is DecisionKind.UNAVAILABLE:
            unavailable.add(i)

    if any(i.severity is Severity.ERROR for i in issues):
        raise InputError(issues)
    problem = Problem(
        book=book, rules=rules, gazetteer=gaz, cadres=book.cadres, targets=book.targets,
        cadre_county=tuple(cadre_county), target_county=tuple(target_county),
        target_location=tuple(target_location), cadre_places=tuple(cadre_places), declared=tuple(declared),
        window_rounds=window, history_places=tuple(history_places),
        past_arcs=frozenset(past_arcs),
        sanctions={index[s.cadre_id]: s for s in sanctions if s.cadre_id in index},
        pins=tuple(pins), bans=tuple(sorted(set(bans))), unavailable=frozenset(unavailable),
        warnings=[i for i in issues if i.severity is Severity.WARNING],
    )
    coarse = _coarse_issues(problem)
    if any(i.severity is Severity.ERROR for i in coarse):
        raise InputError(issues + coarse)
    problem.warnings.extend(coarse)
    return problem


def _pool_code(gaz: Gazetteer, res: Resolution) -> str | None:
    """The pool's node: its county, or the node itself when coarser (市直 pools)."""
    codes = set()
    for c in res.codes:
        node = gaz.ancestor_at(c, PlaceLevel.COUNTY)
        codes.add(node.code if node is not None else c)
    return next(iter(codes)) if len(codes) == 1 else None


def _region(gaz: Gazetteer, rules: Rules, places: list[Resolution], issues: list[Issue]) -> str | None:
    """The round's region: the ``region`` rule, or else the smallest division holding every
    unambiguous target location and county pool (None when there is none)."""
    if rules.region:
        res = resolve(gaz, rules.region)
        if len(res.codes) == 1:
            return res.codes[0]
        zh = "有多个同名地方，请写明所在省市" if res.codes else "无法识别"
        en = "is ambiguous; write it with its province" if res.codes else "is not a known place"
        issues.append(Issue(
            code="bad-region", zh=f"规则 region（所属地区）「{rules.region}」{zh}",
            en=f"rules key region '{rules.region}' {en}",
            suggestions=tuple(display_path(gaz, c) for c in res.codes[:3]) or res.suggestions))
        return None
    common: list[str] | None = None
    for res in places:
        if len(res.codes) != 1:
            continue
        chain = [n.code for n in reversed(gaz.ancestors(res.codes[0]))]
        if common is None:
            common = chain
        else:
            n = 0
            while n < min(len(common), len(chain)) and common[n] == chain[n]:
                n += 1
            common = common[:n]
    return common[-1] if common else None


class _Regional:
    """Reads a shared bare name (永定区: 龙岩 and 张家界) as the candidate inside the region.

    Each such reading is one warning per written name and column (pools repeat the same
    name on many rows), issued by ``finish``: at its first row, naming the cadres whose
    cells were read so (the first few, then a count).
    """

    def __init__(self, gaz: Gazetteer, region: str | None, file: str, issues: list[Issue]) -> None:
        self.gaz = gaz
        self.region = region
        self.file = file
        self.issues = issues
        #: (sheet, column, text) -> (place meant, first row, [(name, row)] of the cadres)
        self.read_as: dict[tuple[str | None, str, str], tuple[str, int | None, list[tuple[str, int | None]]]] = {}

    def read(self, res: Resolution, src: SourceRef, key: str, header: str, who: str | None = None) -> Resolution:
        if not res.ambiguous or self.region is None:
            return res
        inside = [c for c in res.codes if self.gaz.is_within(c, self.region)]
        if len(inside) != 1:
            return res
        column = src.columns.get(key, header)
        _, _, people = self.read_as.setdefault((src.sheet, column, res.text),
                                               (display_path(self.gaz, inside[0]), src.row, []))
        if who is not None:
            people.append((who, src.row))
        return Resolution(text=res.text, codes=(inside[0],))

    def finish(self) -> None:
        area = display_path(self.gaz, self.region) if self.region is not None else ""
        for (sheet, column, text), (meant, row, people) in self.read_as.items():
            zh = f"「{text}」有多个同名地方，按本轮所属地区{area}理解为{meant}"
            en = f"'{text}' names several places; read in this round's region {area} as {meant}"
            if people:
                zh += f"，涉及{named_rows(people, 'zh')}"
                en += f", for {named_rows(people, 'en')}"
            self.issues.append(Issue(code="read-in-region", severity=Severity.WARNING, zh=zh, en=en,
                                     file=self.file, sheet=sheet, row=row, column=column))


def named_rows(people: list[tuple[str, int | None]], lang: str, limit: int | None = None) -> str:
    """张三（第3行）、李四（第5行）等12人: who and where, the first ``limit``, then a count."""
    limit = NAMED_IN_WARNING if limit is None else limit
    shown = people[:limit]
    if lang == "zh":
        text = "、".join(f"{name}（第{row}行）" if row is not None else name for name, row in shown)
        return text + (f"等{len(people)}人" if len(people) > len(shown) else "")
    text = ", ".join(f"{name} (row {row})" if row is not None else name for name, row in shown)
    return text + (f" and {len(people) - len(shown)} more" if len(people) > len(shown) else "")


def _declared_issues(cadre: Cadre, readings: tuple[DeclaredConflict, ...], rules: Rules,
                     file: str) -> list[Issue]:
    """A warning (an error with ``strict``) for each 回避 entry read closely or not at all."""
    src = cadre.source
    severity = Severity.ERROR if rules.strict else Severity.WARNING
    column = src.columns.get("conflicts", "回避")
    out: list[Issue] = []
    for d in readings:
        if d.reading is Reading.CLOSE:
            out.append(Issue(
                code="declared-close", severity=severity,
                zh=f"{cadre.name}的回避「{d.text}」与巡察对象或地名不完全一致，{d.zh}（从严按冲突处理）",
                en=f"{cadre.name}'s declared conflict '{d.text}' matches nothing exactly; {d.en} "
                   "(counted as a conflict, to be safe)",
                file=file, sheet=src.sheet, row=src.row, column=column))
        elif d.reading is Reading.UNMATCHED:
            out.append(Issue(
                code="declared-unmatched", severity=severity,
                zh=f"{cadre.name}的回避「{d.text}」未匹配任何巡察对象编号、名称或地名，无法据此回避（审查表标为未匹配）",
                en=f"{cadre.name}'s declared conflict '{d.text}' matches no target id, target name or place; "
                   "it cannot bar any seat (shown as unmatched in the audit)",
                file=file, sheet=src.sheet, row=src.row, column=column))
    return out


#: Cadres named in one summary warning; the rest are counted.
NAMED_IN_WARNING = 10


def _unfilled_issue(unfilled: list[tuple[Cadre, AvoidanceField]], file: str) -> Issue:
    """One warning naming who left which avoidance cell empty (the first few, then a count)."""
    by_cadre: dict[str, list[str]] = {}
    first: dict[str, Cadre] = {}
    for cadre, fld in unfilled:
        by_cadre.setdefault(cadre.id, []).append(fld.zh)
        first.setdefault(cadre.id, cadre)
    shown = list(by_cadre)[:NAMED_IN_WARNING]
    zh = "；".join(f"{first[c].name}（第{first[c].source.row}行）{'、'.join(by_cadre[c])}" for c in shown)
    en = "; ".join(f"{first[c].name} (row {first[c].source.row}) {', '.join(by_cadre[c])}" for c in shown)
    more = len(by_cadre) - len(shown)
    zh += f"等{len(by_cadre)}人" if more else ""
    en += f" and {more} more" if more else ""
    return Issue(code="unfilled", severity=Severity.WARNING,
                 zh=f"{len(unfilled)}个回避地点单元格未填报：{zh}；审查表中标为待核实",
                 en=f"{len(unfilled)} avoidance cells are empty: {en}; marked for review in the audit",
                 file=file, sheet=unfilled[0][0].source.sheet)


def _coarse_issues(problem: Problem) -> list[Issue]:
    """What places containing a target area do to the round (SPEC §3.1).

    With ``strict``, each such place is an error. Otherwise, under ``coarse_places =
    "conflict"``, a warning names each cadre whom such places bar from more than half
    the targets; under ``"review"``, a warning names each place whose seats need review.
    """
    rules = problem.rules
    n_targets = len(problem.targets)
    # (cadre, field, text) -> targets the place contains
    contained: dict[tuple[int, str, str], set[int]] = {}
    for (i, j), fields in problem.containments.items():
        for fld, text in fields:
            contained.setdefault((i, fld, text), set()).add(j)
    out: list[Issue] = []
    barred: dict[int, set[int]] = {}
    for (i, fld, text), targets in sorted(contained.items()):
        cadre = problem.cadres[i]
        src = cadre.source
        header = AvoidanceField(fld).zh
        column = src.columns.get(fld, header)
        if rules.strict:
            out.append(Issue(
                code="coarse-place",
                zh=f"{cadre.name}的{header}「{text}」比回避层级粗，含{len(targets)}个巡察对象的所在地；请写明具体地方",
                en=f"{cadre.name}'s {fld} '{text}' is coarser than the avoidance level and contains "
                   f"{len(targets)} targets' locations; write it precisely",
                file=problem.book.path, sheet=src.sheet, row=src.row, column=column))
        elif rules.coarse_places is CoarsePlaces.REVIEW:
            out.append(Issue(
                code="coarse-place-review", severity=Severity.WARNING,
                zh=f"{cadre.name}的{header}「{text}」含{len(targets)}个巡察对象的所在地，相关席位须人工核实（待核实）",
                en=f"{cadre.name}'s {fld} '{text}' contains {len(targets)} targets' locations; "
                   "such seats need review",
                file=problem.book.path, sheet=src.sheet, row=src.row, column=column))
        else:
            barred.setdefault(i, set()).update(targets)
    for i, targets in sorted(barred.items()):
        if 2 * len(targets) <= n_targets:
            continue
        cadre = problem.cadres[i]
        src = cadre.source
        cells = [(fld, text) for (k, fld, text) in contained if k == i]
        for fld, text in cells:
            header = AvoidanceField(fld).zh
            out.append(Issue(
                code="coarse-place", severity=Severity.WARNING,
                zh=f"{cadre.name}的{header}「{text}」比回避层级粗，含巡察地，按冲突处理后其不能参加"
                   f"{len(targets)}/{n_targets}个巡察对象；请写明具体地方",
                en=f"{cadre.name}'s {fld} '{text}' is coarser than the avoidance level; counted as a "
                   f"conflict it bars them from {len(targets)} of {n_targets} targets; write it precisely",
                file=problem.book.path, sheet=src.sheet, row=src.row, column=src.columns.get(fld, header)))
    return out


def _closest(word: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    from ..domain.rules import did_you_mean

    return did_you_mean(word, choices)


def compute_sanctions(book: InputBook, rounds: list[str]) -> list[Sanction]:
    """Quality sanctions (R8, 质量评估) from the history sheet.

    A round is *evaluated* when any leader in it has a 末位 value. A leader ranked
    last in three evaluated rounds in all is not drawn; one whose two latest
    evaluations were both last, in consecutive evaluated rounds, may not lead.
    """
    evaluated = [r for r in rounds if any(h.round == r and h.last_ranked is not None
                                          and h.role is Role.LEADER for h in book.history)]
    position = {r: k for k, r in enumerate(evaluated)}
    # One mark per cadre and round, even if a round lists the cadre twice: R8 counts rounds.
    by_round: dict[str, dict[int, tuple[int, bool, str]]] = {}
    for h in book.history:
        if h.role is Role.LEADER and h.last_ranked is not None and h.round in position:
            k = position[h.round]
            seen = by_round.setdefault(h.cadre_id, {})
            last = h.last_ranked or (k in seen and seen[k][1])
            seen[k] = (k, last, h.round)
    out: list[Sanction] = []
    for cadre_id, per_round in sorted(by_round.items()):
        entries = sorted(per_round.values())
        lasts = [e for e in entries if e[1]]
        if len(lasts) >= 3:
            names = "、".join(e[2] for e in lasts)
            out.append(Sanction(cadre_id=cadre_id, kind="excluded",
                                zh=f"累计三次末位（{names}），本轮不予抽取",
                                en=f"ranked last three times ({', '.join(e[2] for e in lasts)}); not drawn"))
        elif len(entries) >= 2 and entries[-1][1] and entries[-2][1] and entries[-1][0] == entries[-2][0] + 1:
            out.append(Sanction(cadre_id=cadre_id, kind="suspended",
                                zh=f"连续两轮末位（{entries[-2][2]}、{entries[-1][2]}），暂停担任组长",
                                en=f"ranked last in two consecutive rounds ({entries[-2][2]}, "
                                   f"{entries[-1][2]}); suspended from leading"))
    return out


# Gender is re-exported for callers that build problems by hand.
__all__ = ["Block", "Gender", "Pin", "Problem", "build_problem", "compute_sanctions"]
