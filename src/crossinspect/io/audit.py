"""The avoidance audit (回避审查): why each person may sit where the plan puts them.

One row per seat. Each of the four avoidances (居住地, 工作地, 任职地, 成长地) and the
declared conflicts (回避) is judged against the target's location at the rules'
level, with the same ``places.overlap`` and the same reading of 回避 entries
(``declared``) the model uses, and shown as the cadre wrote it with one verdict:

- 通过: the place is elsewhere;
- 冲突: the place lies in the target area, or contains it (政和县 against one of its
  townships) under ``coarse_places = "conflict"``, or the 回避 entry names the target;
- 待核实: the place contains the target area under ``coarse_places = "review"``, or the
  cell was left empty (未填报): the seat is allowed and a person must check it;
- 未匹配: a 回避 entry that names no target and no place: it can bar nothing.

A local seat (R5) is exempt from the four avoidances, and the row says so; its declared
conflicts are still judged. A seat pinned by a manual decision (R9) says 指定.

The audit describes a plan, it does not decide one: for a plan from the solver no
verdict is 冲突; for a plan edited by hand a 冲突 here is what ``verify`` reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..domain.models import FOUR_AVOIDANCES, AvoidanceField, DecisionKind, Role
from ..domain.plan import Plan
from ..domain.rules import CoarsePlaces
from ..places import Overlap, PlaceLevel, Resolution, overlap
from ..problem import Problem
from ..problem.declared import DeclaredConflict, Reading

#: Columns of the audit, in printed order.
AUDIT_FIELDS: tuple[AvoidanceField, ...] = (*FOUR_AVOIDANCES, AvoidanceField.CONFLICTS)


class Verdict(StrEnum):
    PASS = "pass"
    CONFLICT = "conflict"
    REVIEW = "review"  # allowed, but a person must check it (待核实)
    UNMATCHED = "unmatched"  # a 回避 entry that names nothing (未匹配)
    UNDECLARED = "undeclared"  # the cell was left empty (未填报); the seat reads 待核实
    LOCAL = "local"  # local seat: the four avoidances do not apply (R5)

    def label(self, lang: str = "zh") -> str:
        return (_LABELS_ZH if lang == "zh" else _LABELS_EN)[self]


_LABELS_ZH = {
    Verdict.PASS: "通过",
    Verdict.CONFLICT: "冲突",
    Verdict.REVIEW: "待核实",
    Verdict.UNMATCHED: "未匹配",
    Verdict.UNDECLARED: "未填报",
    Verdict.LOCAL: "本地席位（R5 不适用）",
}
_LABELS_EN = {
    Verdict.PASS: "pass",
    Verdict.CONFLICT: "conflict",
    Verdict.REVIEW: "to review",
    Verdict.UNMATCHED: "unmatched",
    Verdict.UNDECLARED: "not declared",
    Verdict.LOCAL: "local seat (R5: not applicable)",
}

#: Worst first: the seat's overall verdict is the worst of its fields.
_SEVERITY = (Verdict.CONFLICT, Verdict.REVIEW, Verdict.UNDECLARED, Verdict.UNMATCHED, Verdict.PASS, Verdict.LOCAL)


@dataclass(frozen=True)
class FieldAudit:
    """One avoidance of one seat: what the cadre wrote and how it was judged."""

    field: AvoidanceField
    texts: tuple[str, ...]
    verdict: Verdict
    #: why, when it is not a plain pass, e.g. 「漳浦」在巡察地漳浦县内
    zh: str = ""
    en: str = ""

    def text(self, sep: str = "、") -> str:
        return sep.join(self.texts)


@dataclass(frozen=True)
class AuditRow:
    """The audit of one seat."""

    team_id: str
    target_id: str
    cadre_id: str
    role: Role
    local: bool
    #: the target's location as the roster prints it (漳浦县, 漳浦县旧镇镇)
    location: str
    fields: tuple[FieldAudit, ...]
    verdict: Verdict
    zh: str
    en: str

    def field(self, which: AvoidanceField) -> FieldAudit:
        return next(f for f in self.fields if f.field is which)


def place_label(problem: Problem, res: Resolution, fallback: str) -> str:
    """A short printable name of a resolved place: 漳浦县, or 漳浦县旧镇镇 for a township."""
    if len(res.codes) != 1:
        return fallback
    gaz = problem.gazetteer
    node = gaz.node(res.codes[0])
    if node.level > PlaceLevel.COUNTY:
        county = gaz.ancestor_at(node.code, PlaceLevel.COUNTY)
        if county is not None and not node.name.startswith(county.name):
            return county.name + node.name
    return node.name


def audit_rows(problem: Problem, plan: Plan) -> list[AuditRow]:
    """The audit of every seat of ``plan``, in team order then seat order."""
    rows: list[AuditRow] = []
    loc_label = {j: place_label(problem, problem.target_location[j], t.location) for j, t in enumerate(problem.targets)}
    for team in plan.teams:
        j = problem.target_index.get(team.target_id)
        for seat in team.seats:
            i = problem.cadre_index.get(seat.cadre_id)
            if i is None or j is None:
                rows.append(_unknown_row(seat.team_id, seat.target_id, seat.cadre_id, seat.role))
                continue
            rows.append(_audit_seat(problem, i, j, seat.team_id, seat.role, loc_label[j]))
    return rows


def _audit_seat(problem: Problem, i: int, j: int, team_id: str, role: Role, location: str) -> AuditRow:
    cadre = problem.cadres[i]
    target = problem.targets[j]
    loc = problem.target_location[j]
    local = problem.is_local_role(role)
    places = problem.cadre_places[i]
    fields: list[FieldAudit] = []
    for fld in FOUR_AVOIDANCES:
        entries = places.get(fld, ())
        texts = tuple(text for text, _ in entries) or cadre.places(fld)
        if local:
            fields.append(FieldAudit(fld, texts, Verdict.LOCAL))
        elif not texts:
            fields.append(FieldAudit(fld, texts, Verdict.UNDECLARED))
        else:
            fields.append(_judge_places(problem, fld, entries, loc, location))
    fields.append(_judge_declared(problem, problem.declared[i], j, loc, location))
    history = [b for b in problem.blocks.get((i, j), ()) if b.rule == "R7"]
    worst = min((f.verdict for f in fields), key=_SEVERITY.index)
    # An empty cell is a gap a person must close: the seat is allowed and reads 待核实.
    overall = {Verdict.LOCAL: Verdict.PASS, Verdict.UNDECLARED: Verdict.REVIEW}.get(worst, worst)
    if history and not local:
        overall = Verdict.CONFLICT
    pins = [
        d
        for d in problem.book.decisions
        if d.kind is DecisionKind.PIN
        and d.cadre_id == cadre.id
        and d.target_id == target.id
        and (d.role is None or d.role is role)
    ]
    zh, en = _conclusion(
        overall, fields, local, history_texts=[b.text for b in history], pinned=[d.note for d in pins] if pins else None
    )
    return AuditRow(
        team_id=team_id,
        target_id=target.id,
        cadre_id=cadre.id,
        role=role,
        local=local,
        location=location,
        fields=tuple(fields),
        verdict=overall,
        zh=zh,
        en=en,
    )


def _place_verdict(
    problem: Problem, text: str, res: Resolution, loc: Resolution, location: str
) -> tuple[Verdict, str, str]:
    """One place against the target: its verdict and, unless it passes, why."""
    found = overlap(problem.gazetteer, res, loc, problem.rules.level)
    if found is Overlap.CONFLICT:
        if res.ambiguous:
            return (
                Verdict.CONFLICT,
                f"「{text}」有同名地方，按冲突处理",
                f"'{text}' is ambiguous; counted as a conflict",
            )
        return Verdict.CONFLICT, f"「{text}」在巡察地{location}内", f"'{text}' lies in {location}"
    if found is Overlap.CONTAINS:
        if problem.rules.coarse_places is CoarsePlaces.CONFLICT:
            return Verdict.CONFLICT, f"「{text}」含巡察地{location}", f"'{text}' contains {location}"
        return (
            Verdict.REVIEW,
            f"「{text}」含巡察地{location}，地名比回避层级粗，须人工核实",
            f"'{text}' contains {location}: coarser than the level, check by hand",
        )
    if found is Overlap.UNDETERMINED:
        return Verdict.REVIEW, f"「{text}」无法判定", f"'{text}' cannot be decided"
    return Verdict.PASS, "", ""


def _field(fld: AvoidanceField, texts: tuple[str, ...], findings: list[tuple[Verdict, str, str]]) -> FieldAudit:
    worst = min((v for v, _, _ in findings), key=_SEVERITY.index, default=Verdict.PASS)
    if worst is Verdict.PASS:
        return FieldAudit(fld, texts, Verdict.PASS)
    why = [(zh, en) for v, zh, en in findings if v is worst]
    return FieldAudit(fld, texts, worst, "；".join(z for z, _ in why), "; ".join(e for _, e in why))


def _judge_places(
    problem: Problem, fld: AvoidanceField, entries: tuple[tuple[str, Resolution], ...], loc: Resolution, location: str
) -> FieldAudit:
    findings = [_place_verdict(problem, text, res, loc, location) for text, res in entries]
    return _field(fld, tuple(text for text, _ in entries), findings)


def _judge_declared(
    problem: Problem, readings: tuple[DeclaredConflict, ...], j: int, loc: Resolution, location: str
) -> FieldAudit:
    findings: list[tuple[Verdict, str, str]] = []
    for d in readings:
        if j in d.targets:
            if d.reading is Reading.CLOSE:
                findings.append(
                    (
                        Verdict.CONFLICT,
                        f"申报回避「{d.text}」{d.zh}，即本巡察对象",
                        f"declared '{d.text}' was {d.en}: this target",
                    )
                )
            else:
                findings.append(
                    (Verdict.CONFLICT, f"申报回避「{d.text}」即本巡察对象", f"declared '{d.text}' is this target")
                )
        elif d.place is not None:
            verdict, zh, en = _place_verdict(problem, d.text, d.place, loc, location)
            if d.reading is Reading.CLOSE and verdict is not Verdict.PASS:
                zh, en = f"{zh}（{d.zh}）", f"{en} ({d.en})"
            findings.append((verdict, zh, en))
        elif d.reading is Reading.UNMATCHED:
            findings.append(
                (
                    Verdict.UNMATCHED,
                    f"「{d.text}」未匹配任何巡察对象或地名",
                    f"'{d.text}' matches no target and no place",
                )
            )
    return _field(AvoidanceField.CONFLICTS, tuple(d.text for d in readings), findings)


def _conclusion(
    overall: Verdict, fields: list[FieldAudit], local: bool, history_texts: list[str], pinned: list[str] | None = None
) -> tuple[str, str]:
    zh: list[str] = []
    en: list[str] = []
    if overall is Verdict.CONFLICT:
        for f in fields:
            if f.verdict is Verdict.CONFLICT:
                zh.append(f"{f.field.zh}：{f.zh}")
                en.append(f"{f.field.value}: {f.en}")
        for text in history_texts:
            zh.append(f"往轮曾巡察该地（{text}）")
            en.append(f"inspected this place in an earlier round ({text})")
        return "冲突：" + "；".join(zh), "conflict: " + "; ".join(en)
    if pinned is not None:
        notes = "；".join(n for n in pinned if n)
        zh.append("指定" + (f"：{notes}" if notes else "（人工决定）"))
        en.append("pinned" + (f": {notes}" if notes else " (manual decision)"))
    if local:
        zh.append("本地席位：由被巡察县区干部担任，依 R5 四回避不适用，其他回避已审查")
        en.append(
            "local seat filled from the inspected county (R5): the four avoidances "
            "do not apply; declared conflicts were checked"
        )
    for verdict in (Verdict.REVIEW, Verdict.UNMATCHED):
        for f in fields:
            if f.verdict is verdict:
                zh.append(f"{f.field.zh}：{f.zh}")
                en.append(f"{f.field.value}: {f.en}")
    undeclared = [f for f in fields if f.verdict is Verdict.UNDECLARED]
    if undeclared:
        zh.append("未填报：" + "、".join(f.field.zh for f in undeclared) + "，须人工核实")
        en.append("not declared: " + ", ".join(f.field.value for f in undeclared) + "; check by hand")
    head_zh, head_en = overall.label("zh"), overall.label("en")
    if not zh:
        return head_zh, head_en
    return f"{head_zh}（{'；'.join(zh)}）", f"{head_en} ({'; '.join(en)})"


def _unknown_row(team_id: str, target_id: str, cadre_id: str, role: Role) -> AuditRow:
    # Only a hand-edited plan can name an unknown person or target; show it rather
    # than drop the seat, so the audit still has one row per seat.
    fields = tuple(FieldAudit(f, (), Verdict.REVIEW) for f in AUDIT_FIELDS)
    return AuditRow(
        team_id=team_id,
        target_id=target_id,
        cadre_id=cadre_id,
        role=role,
        local=False,
        location="",
        fields=fields,
        verdict=Verdict.REVIEW,
        zh=f"待核实：编号「{cadre_id}」或巡察对象「{target_id}」不在输入中",
        en=f"undetermined: id '{cadre_id}' or target '{target_id}' is not in the input",
    )
