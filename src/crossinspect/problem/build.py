"""Build the indexed problem: resolve every place, read 回避 entries, window the history.

Every problem found is collected in one pass and raised together as an ``InputError``;
warnings stay on the problem.
"""

from __future__ import annotations

from ..domain.errors import InputError, Issue, Severity
from ..domain.models import (
    FOUR_AVOIDANCES,
    AvoidanceField,
    Cadre,
    DecisionKind,
    HistoryRecord,
    InputBook,
    SourceRef,
)
from ..domain.rules import CoarsePlaces, Rules, did_you_mean
from ..places import Gazetteer, PlaceLevel, Resolution, display_path, extend, resolve
from .declared import DeclaredConflict, DeclaredReader, Reading
from .history_check import history_contradictions
from .problem import Pin, Problem
from .sanctions import compute_sanctions, round_sort_key


def build_problem(book: InputBook, rules: Rules, gazetteer: Gazetteer | None = None) -> Problem:
    """Resolve places, validate against the rules and index everything.

    Raises ``InputError`` with every problem found; warnings are kept on the problem.
    """
    return _Build(book, rules, gazetteer or Gazetteer.builtin()).problem()


class _Build:
    """One pass over an input book, collecting every problem it finds."""

    def __init__(self, book: InputBook, rules: Rules, gaz: Gazetteer) -> None:
        self.book, self.rules = book, rules
        self.file = book.path
        self.issues: list[Issue] = []
        if book.places:
            gaz, extra = extend(gaz, book.places, file=book.path)
            self.issues.extend(extra)
        self.gaz = gaz

    def problem(self) -> Problem:
        book, rules = self.book, self.rules
        # Target locations and county pools are read in the round's region (SPEC §3.1).
        target_res = [resolve(self.gaz, t.location) for t in book.targets]
        pool_res = {c.county: resolve(self.gaz, c.county) for c in book.cadres}
        region = _region(self.gaz, rules, [*target_res, *pool_res.values()], self.issues)
        self.regional = _Regional(self.gaz, region, self.file, self.issues)
        locations, target_county = self.targets(target_res)
        cadre_county, cadre_places, declared = self.cadres(pool_res, locations)
        window, history_places, past_arcs = self.history()
        self.regional.finish()  # after every place read in the region: targets, pools, history
        self.issues.extend(history_contradictions(book, self.gaz, round_sort_key))
        rounds = sorted({r.round for r in book.history}, key=round_sort_key)
        sanctions = compute_sanctions(book, rounds)
        pins, bans, unavailable = self.decisions()
        if any(i.severity is Severity.ERROR for i in self.issues):
            raise InputError(self.issues)
        index = {c.id: i for i, c in enumerate(book.cadres)}
        problem = Problem(
            book=book,
            rules=rules,
            gazetteer=self.gaz,
            cadres=book.cadres,
            targets=book.targets,
            cadre_county=tuple(cadre_county),
            target_county=tuple(target_county),
            target_location=tuple(locations),
            cadre_places=tuple(cadre_places),
            declared=tuple(declared),
            window_rounds=window,
            history_places=tuple(history_places),
            past_arcs=frozenset(past_arcs),
            sanctions={index[s.cadre_id]: s for s in sanctions if s.cadre_id in index},
            pins=tuple(pins),
            bans=tuple(sorted(set(bans))),
            unavailable=frozenset(unavailable),
            warnings=tuple(i for i in self.issues if i.severity is Severity.WARNING),
        )
        coarse = _coarse_issues(problem)
        if any(i.severity is Severity.ERROR for i in coarse):
            raise InputError(self.issues + coarse)
        return problem.with_warnings(after=coarse)

    # -- reporting

    def issue(
        self, src: SourceRef, key: str, header: str, code: str, zh: str, en: str, suggestions: tuple[str, ...] = ()
    ) -> None:
        self.issues.append(
            Issue(
                code=code,
                zh=zh,
                en=en,
                file=self.file,
                sheet=src.sheet,
                row=src.row,
                column=src.columns.get(key, header),
                suggestions=suggestions,
            )
        )

    def unresolved(
        self, text: str, res: Resolution, src: SourceRef, key: str, header: str, what_zh: str, what_en: str
    ) -> None:
        self.issue(
            src,
            key,
            header,
            "unknown-place",
            f"无法识别的{what_zh}「{text}」",
            f"unknown {what_en} '{text}'",
            res.suggestions,
        )

    # -- the sheets

    def targets(self, resolved: list[Resolution]) -> tuple[list[Resolution], list[str]]:
        """Each target's location, and the one county it lies in."""
        locations: list[Resolution] = []
        counties: list[str] = []
        for target, res in zip(self.book.targets, resolved, strict=True):
            src = target.source
            res = self.regional.read(res, src, "location", "所在地")
            county = _county_of(self.gaz, res) if res.codes else None
            if not res.codes:
                self.unresolved(target.location, res, src, "location", "所在地", "所在地", "location")
            elif res.ambiguous:
                self.issue(
                    src,
                    "location",
                    "所在地",
                    "ambiguous-location",
                    f"所在地「{target.location}」有多个同名地方，请写明所在市",
                    f"location '{target.location}' is ambiguous; write it with its city",
                    tuple(display_path(self.gaz, c) for c in res.codes[:3]),
                )
            elif county is None:
                self.issue(
                    src,
                    "location",
                    "所在地",
                    "location-too-coarse",
                    f"所在地「{target.location}」须具体到县区或乡镇",
                    f"location '{target.location}' must be a county or township",
                )
            locations.append(res)
            counties.append(county or "")
        return locations, counties

    def cadres(
        self, pool_res: dict[str, Resolution], locations: list[Resolution]
    ) -> tuple[
        list[str], list[dict[AvoidanceField, tuple[tuple[str, Resolution], ...]]], list[tuple[DeclaredConflict, ...]]
    ]:
        """Each cadre's pool county, avoidance places and declared conflicts."""
        reader = DeclaredReader(self.gaz, self.book.targets, locations)
        counties: list[str] = []
        places: list[dict[AvoidanceField, tuple[tuple[str, Resolution], ...]]] = []
        declared: list[tuple[DeclaredConflict, ...]] = []
        unfilled: list[tuple[Cadre, AvoidanceField]] = []
        for cadre in self.book.cadres:
            counties.append(self.pool(cadre, pool_res[cadre.county]))
            self.rank(cadre)
            mine: dict[AvoidanceField, tuple[tuple[str, Resolution], ...]] = {}
            for fld in FOUR_AVOIDANCES:
                texts = cadre.places(fld)
                if not texts:
                    unfilled.append((cadre, fld))
                mine[fld] = tuple(self.place(cadre.source, fld, text) for text in texts)
            readings = tuple(reader.read(text) for text in cadre.conflicts)
            mine[AvoidanceField.CONFLICTS] = tuple((d.text, d.place or Resolution(text=d.text)) for d in readings)
            self.issues.extend(_declared_issues(cadre, readings, self.rules, self.file))
            declared.append(readings)
            places.append(mine)
        if unfilled:
            self.issues.append(_unfilled_issue(unfilled, self.file))
        return counties, places, declared

    def pool(self, cadre: Cadre, res: Resolution) -> str:
        src = cadre.source
        pool = self.regional.read(res, src, "county", "所属县区", who=cadre.name)
        code = _pool_code(self.gaz, pool)
        if not pool.codes:
            self.unresolved(cadre.county, pool, src, "county", "所属县区", "县区", "county")
        elif code is None:
            example = display_path(self.gaz, pool.codes[0])
            self.issue(
                src,
                "county",
                "所属县区",
                "ambiguous-county",
                f"所属县区「{cadre.county}」有多个同名地方，请写明所在市，如{example}",
                f"county '{cadre.county}' is ambiguous; write it with its city",
                tuple(display_path(self.gaz, c) for c in pool.codes[:3]),
            )
        return code or ""

    def rank(self, cadre: Cadre) -> None:
        if cadre.rank and self.rules.rank_index(cadre.rank) is None:
            self.issue(
                cadre.source,
                "rank",
                "职级",
                "unknown-rank",
                f"未知的职级「{cadre.rank}」",
                f"unknown rank '{cadre.rank}'",
                did_you_mean(cadre.rank, self.rules.rank_order),
            )

    def place(self, src: SourceRef, fld: AvoidanceField, text: str) -> tuple[str, Resolution]:
        res = resolve(self.gaz, text)
        if not res.codes:
            self.unresolved(text, res, src, fld.value, fld.zh, "地名", "place")
        return text, res

    def history(self) -> tuple[tuple[str, ...], list[tuple[HistoryRecord, Resolution]], set[tuple[str, str]]]:
        """The looked-back rounds, the places inspected in them, and the arcs they used."""
        rounds = sorted({r.round for r in self.book.history}, key=round_sort_key)
        window = tuple(rounds[-self.rules.history_rounds :] if self.rules.history_rounds else rounds)
        places: list[tuple[HistoryRecord, Resolution]] = []
        arcs: set[tuple[str, str]] = set()
        for rec in self.book.history:
            src = rec.source
            res = resolve(self.gaz, rec.place)
            if not res.codes:
                self.unresolved(rec.place, res, src, "place", "巡察地", "巡察地", "place")
                continue
            if rec.round not in window:
                continue
            places.append((rec, res))
            if rec.from_county:
                origin = self.regional.read(resolve(self.gaz, rec.from_county), src, "from_county", "来源县区")
                o_code, d_code = _pool_code(self.gaz, origin), _county_of(self.gaz, res)
                if not origin.codes:
                    self.unresolved(rec.from_county, origin, src, "from_county", "来源县区", "来源县区", "county")
                elif o_code and d_code and o_code != d_code:
                    arcs.add((o_code, d_code))
        return window, places, arcs

    def decisions(self) -> tuple[list[Pin], list[tuple[int, int]], set[int]]:
        """Pins, bans and unavailable cadres, by index (the reader reported unknown ids)."""
        index = {c.id: i for i, c in enumerate(self.book.cadres)}
        tindex = {t.id: j for j, t in enumerate(self.book.targets)}
        pins: list[Pin] = []
        bans: list[tuple[int, int]] = []
        unavailable: set[int] = set()
        for d in self.book.decisions:
            i = index.get(d.cadre_id)
            if i is None:
                continue
            if d.kind is DecisionKind.PIN and d.target_id in tindex:
                pins.append(Pin(i, tindex[d.target_id], d.role))
            elif d.kind is DecisionKind.BAN and d.other_cadre_id in index:
                bans.append((min(i, index[d.other_cadre_id]), max(i, index[d.other_cadre_id])))
            elif d.kind is DecisionKind.UNAVAILABLE:
                unavailable.add(i)
        return pins, bans, unavailable


def _county_of(gaz: Gazetteer, res: Resolution) -> str | None:
    nodes = {n.code for c in res.codes if (n := gaz.ancestor_at(c, PlaceLevel.COUNTY)) is not None}
    return next(iter(nodes)) if len(nodes) == 1 else None


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
        issues.append(
            Issue(
                code="bad-region",
                zh=f"规则 region（所属地区）「{rules.region}」{zh}",
                en=f"rules key region '{rules.region}' {en}",
                suggestions=tuple(display_path(gaz, c) for c in res.codes[:3]) or res.suggestions,
            )
        )
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
        _, _, people = self.read_as.setdefault(
            (src.sheet, column, res.text), (display_path(self.gaz, inside[0]), src.row, [])
        )
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
            self.issues.append(
                Issue(
                    code="read-in-region",
                    severity=Severity.WARNING,
                    zh=zh,
                    en=en,
                    file=self.file,
                    sheet=sheet,
                    row=row,
                    column=column,
                )
            )


def named_rows(people: list[tuple[str, int | None]], lang: str, limit: int | None = None) -> str:
    """张三（第3行）、李四（第5行）等12人: who and where, the first ``limit``, then a count."""
    limit = NAMED_IN_WARNING if limit is None else limit
    shown = people[:limit]
    if lang == "zh":
        text = "、".join(f"{name}（第{row}行）" if row is not None else name for name, row in shown)
        return text + (f"等{len(people)}人" if len(people) > len(shown) else "")
    text = ", ".join(f"{name} (row {row})" if row is not None else name for name, row in shown)
    return text + (f" and {len(people) - len(shown)} more" if len(people) > len(shown) else "")


def _declared_issues(cadre: Cadre, readings: tuple[DeclaredConflict, ...], rules: Rules, file: str) -> list[Issue]:
    """A warning (an error with ``strict``) for each 回避 entry read closely or not at all."""
    src = cadre.source
    severity = Severity.ERROR if rules.strict else Severity.WARNING
    column = src.columns.get("conflicts", "回避")
    out: list[Issue] = []
    for d in readings:
        if d.reading is Reading.CLOSE:
            out.append(
                Issue(
                    code="declared-close",
                    severity=severity,
                    zh=f"{cadre.name}的回避「{d.text}」与巡察对象或地名不完全一致，{d.zh}（从严按冲突处理）",
                    en=f"{cadre.name}'s declared conflict '{d.text}' matches nothing exactly; {d.en} "
                    "(counted as a conflict, to be safe)",
                    file=file,
                    sheet=src.sheet,
                    row=src.row,
                    column=column,
                )
            )
        elif d.reading is Reading.UNMATCHED:
            out.append(
                Issue(
                    code="declared-unmatched",
                    severity=severity,
                    zh=f"{cadre.name}的回避「{d.text}」未匹配任何巡察对象编号、名称或地名，无法据此回避（审查表标为未匹配）",
                    en=f"{cadre.name}'s declared conflict '{d.text}' matches no target id, target name or place; "
                    "it cannot bar any seat (shown as unmatched in the audit)",
                    file=file,
                    sheet=src.sheet,
                    row=src.row,
                    column=column,
                )
            )
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

    def row_zh(c: Cadre) -> str:
        return f"（第{c.source.row}行）" if c.source.row is not None else ""

    def row_en(c: Cadre) -> str:
        return f" (row {c.source.row})" if c.source.row is not None else ""

    zh = "；".join(f"{first[c].name}{row_zh(first[c])}{'、'.join(by_cadre[c])}" for c in shown)
    en = "; ".join(f"{first[c].name}{row_en(first[c])} {', '.join(by_cadre[c])}" for c in shown)
    more = len(by_cadre) - len(shown)
    zh += f"等{len(by_cadre)}人" if more else ""
    en += f" and {more} more" if more else ""
    return Issue(
        code="unfilled",
        severity=Severity.WARNING,
        zh=f"{len(unfilled)}个回避地点单元格未填报：{zh}；审查表中标为待核实",
        en=f"{len(unfilled)} avoidance cells are empty: {en}; marked for review in the audit",
        file=file,
        sheet=unfilled[0][0].source.sheet,
    )


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
            out.append(
                Issue(
                    code="coarse-place",
                    zh=f"{cadre.name}的{header}「{text}」比回避层级粗，含{len(targets)}个巡察对象的所在地；请写明具体地方",
                    en=f"{cadre.name}'s {fld} '{text}' is coarser than the avoidance level and contains "
                    f"{len(targets)} targets' locations; write it precisely",
                    file=problem.book.path,
                    sheet=src.sheet,
                    row=src.row,
                    column=column,
                )
            )
        elif rules.coarse_places is CoarsePlaces.REVIEW:
            out.append(
                Issue(
                    code="coarse-place-review",
                    severity=Severity.WARNING,
                    zh=f"{cadre.name}的{header}「{text}」含{len(targets)}个巡察对象的所在地，相关席位须人工核实（待核实）",
                    en=f"{cadre.name}'s {fld} '{text}' contains {len(targets)} targets' locations; "
                    "such seats need review",
                    file=problem.book.path,
                    sheet=src.sheet,
                    row=src.row,
                    column=column,
                )
            )
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
            out.append(
                Issue(
                    code="coarse-place",
                    severity=Severity.WARNING,
                    zh=f"{cadre.name}的{header}「{text}」比回避层级粗，含巡察地，按冲突处理后其不能参加"
                    f"{len(targets)}/{n_targets}个巡察对象；请写明具体地方",
                    en=f"{cadre.name}'s {fld} '{text}' is coarser than the avoidance level; counted as a "
                    f"conflict it bars them from {len(targets)} of {n_targets} targets; write it precisely",
                    file=problem.book.path,
                    sheet=src.sheet,
                    row=src.row,
                    column=src.columns.get(fld, header),
                )
            )
    return out
