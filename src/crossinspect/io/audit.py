"""The avoidance audit (回避审查): why each person may sit where the plan puts them.

One row per seat. Each of the four avoidances (居住地, 工作地, 任职地, 成长地) and the
declared conflicts (回避) is judged against the target's location at the rules'
level, with the same ``places.overlap`` the model uses, and shown as the cadre wrote
it with one verdict: 通过, 冲突, 未填报 or 无法判定. A local seat (R5) is exempt from
the four avoidances, and the row says so; its declared conflicts are still judged.

The audit describes a plan, it does not decide one: for a plan from the solver every
verdict is 通过 (or 未填报 / 无法判定, which the rules allow and the input warnings
already listed); for a plan edited by hand a 冲突 here is what ``verify`` reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..models import FOUR_AVOIDANCES, AvoidanceField, Role
from ..places import Overlap, PlaceLevel, Resolution, overlap
from ..plan import Plan
from ..problem import Problem

#: Columns of the audit, in printed order.
AUDIT_FIELDS: tuple[AvoidanceField, ...] = (*FOUR_AVOIDANCES, AvoidanceField.CONFLICTS)


class Verdict(StrEnum):
    PASS = "pass"
    CONFLICT = "conflict"
    UNDECLARED = "undeclared"  # the cell was left empty (未填报)
    UNDETERMINED = "undetermined"  # the place is too coarse to decide (无法判定)
    LOCAL = "local"  # local seat: the four avoidances do not apply (R5)

    def label(self, lang: str = "zh") -> str:
        return (_LABELS_ZH if lang == "zh" else _LABELS_EN)[self]


_LABELS_ZH = {
    Verdict.PASS: "通过",
    Verdict.CONFLICT: "冲突",
    Verdict.UNDECLARED: "未填报",
    Verdict.UNDETERMINED: "无法判定",
    Verdict.LOCAL: "本地席位（R5 不适用）",
}
_LABELS_EN = {
    Verdict.PASS: "pass",
    Verdict.CONFLICT: "conflict",
    Verdict.UNDECLARED: "not declared",
    Verdict.UNDETERMINED: "undetermined",
    Verdict.LOCAL: "local seat (R5: not applicable)",
}

#: Worst first: the seat's overall verdict is the worst of its fields.
_SEVERITY = (Verdict.CONFLICT, Verdict.UNDETERMINED, Verdict.UNDECLARED, Verdict.PASS,
             Verdict.LOCAL)


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


def _norm_unit(text: str) -> str:
    # Same normalisation as the model's R2 unit match, so the audit and the model agree.
    return re.sub(r"\s+", "", text).lower()


def audit_rows(problem: Problem, plan: Plan) -> list[AuditRow]:
    """The audit of every seat of ``plan``, in team order then seat order."""
    rows: list[AuditRow] = []
    loc_label = {j: place_label(problem, problem.target_location[j], t.location)
                 for j, t in enumerate(problem.targets)}
    for team in plan.teams:
        j = problem.target_index.get(team.target_id)
        for seat in team.seats:
            i = problem.cadre_index.get(seat.cadre_id)
            if i is None or j is None:
                rows.append(_unknown_row(seat.team_id, seat.target_id, seat.cadre_id, seat.role))
                continue
            rows.append(_audit_seat(problem, i, j, seat.team_id, seat.role, loc_label[j]))
    return rows


def _audit_seat(problem: Problem, i: int, j: int, team_id: str, role: Role,
                location: str) -> AuditRow:
    cadre = problem.cadres[i]
    target = problem.targets[j]
    loc = problem.target_location[j]
    local = problem.is_local_role(role)
    places = problem.cadre_places[i]
    fields: list[FieldAudit] = []
    for fld in AUDIT_FIELDS:
        entries = places.get(fld, ())
        texts = tuple(text for text, _ in entries) or cadre.places(fld)
        if local and fld is not AvoidanceField.CONFLICTS:
            fields.append(FieldAudit(fld, texts, Verdict.LOCAL))
            continue
        if not texts:
            # An empty 回避 cell means "nothing to declare"; an empty place cell is a gap
            # in the declaration the office must see.
            verdict = Verdict.PASS if fld is AvoidanceField.CONFLICTS else Verdict.UNDECLARED
            fields.append(FieldAudit(fld, texts, verdict))
            continue
        fields.append(_judge(problem, fld, entries, target.id, target.name, loc, location))
    history = [b for b in problem.blocks.get((i, j), ()) if b.rule == "R7"]
    worst = min((f.verdict for f in fields), key=_SEVERITY.index)
    # 未填报 is a gap to show, not a reason to refuse the seat: the seat passes.
    overall = Verdict.PASS if worst in (Verdict.LOCAL, Verdict.UNDECLARED) else worst
    if history and not local and overall is not Verdict.CONFLICT:
        overall = Verdict.CONFLICT
    zh, en = _conclusion(overall, fields, local, history_texts=[b.text for b in history])
    return AuditRow(team_id=team_id, target_id=target.id, cadre_id=cadre.id, role=role,
                    local=local, location=location, fields=tuple(fields), verdict=overall,
                    zh=zh, en=en)


def _judge(problem: Problem, fld: AvoidanceField, entries: tuple[tuple[str, Resolution], ...],
           target_id: str, target_name: str, loc: Resolution, location: str) -> FieldAudit:
    texts = tuple(text for text, _ in entries)
    conflicts_zh: list[str] = []
    conflicts_en: list[str] = []
    unsure_zh: list[str] = []
    unsure_en: list[str] = []
    for text, res in entries:
        if fld is AvoidanceField.CONFLICTS and (
                text == target_id or _norm_unit(text) == _norm_unit(target_name)):
            conflicts_zh.append(f"申报回避「{text}」即本巡察对象")
            conflicts_en.append(f"declared '{text}' is this target")
            continue
        if not res.codes:
            # A declared conflict that is no place (a person, a unit elsewhere) cannot
            # touch this target; an unresolved place never reaches here (input error).
            continue
        verdict = overlap(problem.gazetteer, res, loc, problem.rules.level)
        if verdict is Overlap.CONFLICT:
            if res.ambiguous:
                conflicts_zh.append(f"「{text}」有同名地方，按冲突处理")
                conflicts_en.append(f"'{text}' is ambiguous; counted as a conflict")
            else:
                conflicts_zh.append(f"「{text}」在巡察地{location}内")
                conflicts_en.append(f"'{text}' lies in {location}")
        elif verdict is Overlap.UNDETERMINED:
            unsure_zh.append(f"「{text}」比回避层级粗")
            unsure_en.append(f"'{text}' is coarser than the avoidance level")
    if conflicts_zh:
        return FieldAudit(fld, texts, Verdict.CONFLICT, "；".join(conflicts_zh),
                          "; ".join(conflicts_en))
    if unsure_zh:
        return FieldAudit(fld, texts, Verdict.UNDETERMINED, "；".join(unsure_zh),
                          "; ".join(unsure_en))
    return FieldAudit(fld, texts, Verdict.PASS)


def _conclusion(overall: Verdict, fields: list[FieldAudit], local: bool,
                history_texts: list[str]) -> tuple[str, str]:
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
    if local:
        zh.append("本地席位：由被巡察县区干部担任，依 R5 四回避不适用，其他回避已审查")
        en.append("local seat filled from the inspected county (R5): the four avoidances "
                  "do not apply; declared conflicts were checked")
    undetermined = [f for f in fields if f.verdict is Verdict.UNDETERMINED]
    undeclared = [f for f in fields if f.verdict is Verdict.UNDECLARED]
    if undetermined:
        zh.append("无法判定：" + "、".join(f.field.zh for f in undetermined) + "，须人工核实")
        en.append("undetermined: " + ", ".join(f.field.value for f in undetermined)
                  + "; check by hand")
    if undeclared:
        zh.append("未填报：" + "、".join(f.field.zh for f in undeclared))
        en.append("not declared: " + ", ".join(f.field.value for f in undeclared))
    head_zh, head_en = overall.label("zh"), overall.label("en")
    if not zh:
        return head_zh, head_en
    return f"{head_zh}（{'；'.join(zh)}）", f"{head_en} ({'; '.join(en)})"


def _unknown_row(team_id: str, target_id: str, cadre_id: str, role: Role) -> AuditRow:
    # Only a hand-edited plan can name an unknown person or target; show it rather
    # than drop the seat, so the audit still has one row per seat.
    fields = tuple(FieldAudit(f, (), Verdict.UNDETERMINED) for f in AUDIT_FIELDS)
    return AuditRow(team_id=team_id, target_id=target_id, cadre_id=cadre_id, role=role,
                    local=False, location="", fields=fields, verdict=Verdict.UNDETERMINED,
                    zh=f"无法判定：编号「{cadre_id}」或巡察对象「{target_id}」不在输入中",
                    en=f"undetermined: id '{cadre_id}' or target '{target_id}' is not in the input")
