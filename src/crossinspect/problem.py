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
from pathlib import Path

from .errors import InputError, Issue, Severity
from .history_check import history_contradictions
from .models import (
    FOUR_AVOIDANCES,
    AvoidanceField,
    Cadre,
    DecisionKind,
    Gender,
    HistoryRecord,
    InputBook,
    Role,
    Target,
)
from .numerals import CHARS, chinese_to_int
from .places import Gazetteer, Overlap, PlaceLevel, Resolution, display_path, overlap, resolve
from .plan import Sanction
from .rules import Rules


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
    def blocks(self) -> dict[tuple[int, int], tuple[Block, ...]]:
        """(cadre, target) pairs barred for a non-local seat, with every reason (R1, R2, R7)."""
        out: dict[tuple[int, int], tuple[Block, ...]] = {}
        level = self.rules.level
        cache: dict[tuple[tuple[str, ...], tuple[str, ...]], Overlap] = {}

        def hits(res: Resolution, loc: Resolution) -> Overlap:
            key = (res.codes, loc.codes)
            if key not in cache:
                cache[key] = overlap(self.gazetteer, res, loc, level)
            return cache[key]

        history_by_cadre: dict[int, list[tuple[HistoryRecord, Resolution]]] = {}
        for rec, res in self.history_places:
            if rec.cadre_id in self.cadre_index:
                history_by_cadre.setdefault(self.cadre_index[rec.cadre_id], []).append((rec, res))
        target_names: dict[str, set[int]] = {}
        for j, t in enumerate(self.targets):
            target_names.setdefault(_norm_unit(t.name), set()).add(j)
        locations = self.target_location
        n_targets = len(self.targets)
        # Targets a place conflicts with, computed once per distinct place rather than
        # per cadre and target: cadres share few distinct places, and this runs for
        # every (cadre, target) pair of a township round (10⁵ pairs).
        conflicting: dict[tuple[str, ...], list[int]] = {}

        def conflicts_of(res: Resolution) -> list[int]:
            if res.codes not in conflicting:
                conflicting[res.codes] = [j for j in range(n_targets)
                                          if hits(res, locations[j]) is Overlap.CONFLICT]
            return conflicting[res.codes]

        for i, places in enumerate(self.cadre_places):
            found: dict[int, list[Block]] = {}
            for fld in FOUR_AVOIDANCES:
                for text, res in places.get(fld, ()):
                    if res.codes:
                        for j in conflicts_of(res):
                            found.setdefault(j, []).append(Block("R1", fld.value, text, res.ambiguous))
            for text, res in places.get(AvoidanceField.CONFLICTS, ()):
                named = {j for j, t in enumerate(self.targets) if text == t.id}
                named |= target_names.get(_norm_unit(text), set())
                by_place = set(conflicts_of(res)) if res.codes else set()
                for j in sorted(named | by_place):
                    ambiguous = False if j in named else res.ambiguous
                    found.setdefault(j, []).append(Block("R2", "conflicts", text, ambiguous))
            for rec, res in history_by_cadre.get(i, ()):
                for j in conflicts_of(res):
                    found.setdefault(j, []).append(Block("R7", "history", f"{rec.round}：{rec.place}"))
            for j in sorted(found):
                out[(i, j)] = tuple(found[j])
        return out

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


def _norm_unit(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


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
        gaz, extra = gaz.extend(book.places, file=book.path)
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

    # Cadres: pool county, rank, avoidance places.
    cadre_county: list[str] = []
    cadre_places: list[dict[AvoidanceField, tuple[tuple[str, Resolution], ...]]] = []
    unfilled = 0
    coarse: list[Issue] = []
    for cadre in book.cadres:
        src = cadre.source
        pool = resolve(gaz, cadre.county)
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
        for fld in (*FOUR_AVOIDANCES, AvoidanceField.CONFLICTS):
            entries = []
            texts = cadre.places(fld)
            if not texts and fld is not AvoidanceField.CONFLICTS:
                unfilled += 1
            for text in texts:
                res = resolve(gaz, text)
                if not res.codes and fld is not AvoidanceField.CONFLICTS:
                    unresolved(text, res, src, fld.value, fld.zh, "地名", "place")
                elif res.codes and _coarser_than(gaz, res, rules) and fld is not AvoidanceField.CONFLICTS:
                    coarse.append(Issue(
                        code="coarse-place", severity=Severity.ERROR if rules.strict else Severity.WARNING,
                        zh=f"「{text}」比回避层级粗，无法判定是否冲突（无法判定）",
                        en=f"'{text}' is coarser than the avoidance level; conflict cannot be decided",
                        file=file, sheet=src.sheet, row=src.row, column=col(src.columns, fld.value, fld.zh)))
                entries.append((text, res))
            places[fld] = tuple(entries)
        cadre_places.append(places)
    issues.extend(coarse)
    if unfilled:
        issues.append(Issue(code="unfilled", severity=Severity.WARNING,
                            zh=f"共有{unfilled}个回避地点单元格未填报，审查表中标为「未填报」",
                            en=f"{unfilled} avoidance cells are empty; shown as 'not declared' in the audit",
                            file=file, sheet=book.cadres[0].source.sheet if book.cadres else None))

    # Targets: each must sit in exactly one county.
    target_location: list[Resolution] = []
    target_county: list[str] = []
    for target in book.targets:
        src = target.source
        res = resolve(gaz, target.location)
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

    errors = [i for i in issues if i.severity is Severity.ERROR]
    if errors:
        raise InputError(issues)
    return Problem(
        book=book, rules=rules, gazetteer=gaz, cadres=book.cadres, targets=book.targets,
        cadre_county=tuple(cadre_county), target_county=tuple(target_county),
        target_location=tuple(target_location), cadre_places=tuple(cadre_places),
        window_rounds=window, history_places=tuple(history_places),
        past_arcs=frozenset(past_arcs),
        sanctions={index[s.cadre_id]: s for s in sanctions if s.cadre_id in index},
        pins=tuple(pins), bans=tuple(sorted(set(bans))), unavailable=frozenset(unavailable),
        warnings=[i for i in issues if i.severity is Severity.WARNING],
    )


def _pool_code(gaz: Gazetteer, res: Resolution) -> str | None:
    """The pool's node: its county, or the node itself when coarser (市直 pools)."""
    codes = set()
    for c in res.codes:
        node = gaz.ancestor_at(c, PlaceLevel.COUNTY)
        codes.add(node.code if node is not None else c)
    return next(iter(codes)) if len(codes) == 1 else None


def _coarser_than(gaz: Gazetteer, res: Resolution, rules: Rules) -> bool:
    """A place no finer than a city cannot decide a county-level conflict (无法判定).

    At township level a county-only place is also coarse, but only against targets
    inside that county; the audit marks those seats, so no blanket warning is given.
    """
    return all(gaz.node(c).level < PlaceLevel.COUNTY for c in res.codes)


def _closest(word: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    from .rules import did_you_mean

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


def load_problem(path: str | Path, rules: Rules | None = None, *, rules_file: str | Path | None = None,
                 overrides: dict | None = None) -> Problem:
    """Read a workbook and build its problem.

    ``rules`` given explicitly wins over everything. Otherwise the rules are the
    defaults, then the workbook's 规则 sheet, then ``rules_file``, then ``overrides``.
    """
    from .io.reader import read_input_report
    from .rules import merge_rules, parse_sheet_rows, read_rules_toml

    book, read_issues = read_input_report(path)
    if book is None:
        raise InputError(read_issues)
    if rules is None:
        layers = []
        if book.rules_rows:
            layers.append(parse_sheet_rows(book.rules_rows, file=book.path))
        if rules_file is not None:
            layers.append(read_rules_toml(rules_file))
        if overrides:
            layers.append(overrides)
        rules = merge_rules(*layers, file=str(rules_file) if rules_file else book.path)
    read_errors = [i for i in read_issues if i.severity is Severity.ERROR]
    try:
        problem = build_problem(book, rules)
    except InputError as exc:
        # Report the reader's and the builder's problems together: one pass, one list.
        raise InputError(read_issues + exc.issues + exc.warnings) from None
    if read_errors:
        raise InputError(read_issues + problem.warnings)
    problem.warnings[:0] = read_issues
    return problem


# Gender is re-exported for callers that build problems by hand.
__all__ = ["Block", "Gender", "Pin", "Problem", "build_problem", "compute_sanctions", "load_problem"]
