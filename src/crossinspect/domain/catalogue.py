"""The catalogue of rules (规则目录): every kind of rule instance, named once.

The model states each rule instance under one of these kinds (``solver.model``), the
eligibility code bars seats under them (``eligibility``), and the pre-check, the
explanation of an infeasible round and the audit name them from here, so a rule has one
name in Chinese and in English wherever it is printed, and no raw label can reach a
clerk. Adding a hard rule means: a kind here, a model module that states it, a check in
the independent verifier (which re-derives every rule on its own and does not use this
catalogue to decide anything), and tests.

Standard library only: every layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """One kind of rule instance."""

    # R1 四回避 and R2 其他回避: seat level, never relaxed
    RESIDENCE = "residence"
    WORKPLACE = "workplace"
    POSTINGS = "postings"
    UPBRINGING = "upbringing"
    DECLARED = "conflicts"
    # R3 推磨式 / R4 混编: a non-local seat may not be filled from the inspected county
    OWN_COUNTY = "own_county"
    # R3 推磨式
    POOL = "pool"
    SINGLE_CYCLE = "single_cycle"
    RECIPROCAL = "reciprocal"
    HISTORY_ARC = "history_arc"
    # R4 混编
    COUNTY_CAP = "county_cap"
    # R5 本地联络
    LOCAL_ROLE = "local_role"
    # R6 team composition and eligibility
    TEAM_SIZE = "size"
    LEADER = "leader"
    DEPUTY = "deputy"
    LIAISON = "liaison"
    SKILL = "skill"
    WOMEN = "women"
    LEADER_RANK = "leader_rank"
    ROLE = "role"
    AVAILABLE = "available"
    ONE_SEAT = "one_seat"
    # R7 往轮
    HISTORY_PLACE = "history_place"
    # R8 质量评估
    SANCTION = "sanction"
    # R9 人工决定
    PIN = "pin"
    BAN = "ban"
    UNAVAILABLE = "unavailable"

    @property
    def entry(self) -> Entry:
        return CATALOGUE[self]


@dataclass(frozen=True)
class Entry:
    """A kind of rule instance: its rule (R1–R9), its names, and whether an explanation may
    propose relaxing it (and through which rules key, if any)."""

    rule: str
    zh: str
    en: str
    relaxable: bool = False
    rules_key: str = ""

    def label(self, lang: str = "zh") -> str:
        """The rule as printed after a finding, e.g. R1 任职地回避."""
        return f"{self.rule} {self.zh if lang == 'zh' else self.en}"


CATALOGUE: dict[Kind, Entry] = {
    Kind.RESIDENCE: Entry("R1", "居住地回避", "residence avoidance"),
    Kind.WORKPLACE: Entry("R1", "工作地回避", "workplace avoidance"),
    Kind.POSTINGS: Entry("R1", "任职地回避", "posting avoidance"),
    Kind.UPBRINGING: Entry("R1", "成长地回避", "upbringing avoidance"),
    Kind.DECLARED: Entry("R2", "其他回避", "declared conflict"),
    Kind.OWN_COUNTY: Entry("R3/R4", "不得巡察本县区", "no seat in one's own county"),
    Kind.POOL: Entry("R3", "推磨式成建制派出", "a pool goes as a body"),
    Kind.SINGLE_CYCLE: Entry("R3", "推磨式单一循环", "single rotation cycle", True, "single_cycle"),
    Kind.RECIPROCAL: Entry("R3", "禁止两县互派", "no reciprocal arcs", True, "forbid_reciprocal"),
    Kind.HISTORY_ARC: Entry("R3", "不重复往轮轮换", "no arc repeated from earlier rounds", True, "history_rounds"),
    Kind.COUNTY_CAP: Entry("R4", "同一县区人数上限", "per-county cap", True, "max_from_same_county"),
    Kind.LOCAL_ROLE: Entry("R5", "本地联络角色", "local role"),
    Kind.TEAM_SIZE: Entry("R6", "组内人数", "team size", True, "team_size"),
    Kind.LEADER: Entry("R6", "组长人数", "leader count", True, "leaders"),
    Kind.DEPUTY: Entry("R6", "副组长人数", "deputy count", True, "deputies"),
    Kind.LIAISON: Entry("R6", "联络员人数", "liaison count", True, "liaisons"),
    Kind.SKILL: Entry("R6", "专长要求", "required skill", True, "required_skills"),
    Kind.WOMEN: Entry("R6", "女干部人数", "minimum women", True, "min_women"),
    Kind.LEADER_RANK: Entry("R6", "组长职级", "leader rank", True, "leader_min_rank"),
    Kind.ROLE: Entry("R6", "角色资格", "eligible roles"),
    Kind.AVAILABLE: Entry("R6", "可用", "availability"),
    Kind.ONE_SEAT: Entry("R6", "每人每轮只进一个组", "one team per cadre"),
    Kind.HISTORY_PLACE: Entry("R7", "往轮巡察地回避", "no return to places inspected", True, "history_rounds"),
    Kind.SANCTION: Entry("R8", "质量评估", "quality sanctions", True),
    Kind.PIN: Entry("R9", "人工指定", "manual pin", True),
    Kind.BAN: Entry("R9", "人工禁配", "manual ban", True),
    Kind.UNAVAILABLE: Entry("R9", "人工决定不可用", "declared unavailable"),
}

#: The four avoidances (四回避) by the field of the cadre sheet they come from.
AVOIDANCE_KINDS: dict[str, Kind] = {
    "residence": Kind.RESIDENCE,
    "workplace": Kind.WORKPLACE,
    "postings": Kind.POSTINGS,
    "upbringing": Kind.UPBRINGING,
    "conflicts": Kind.DECLARED,
    "history": Kind.HISTORY_PLACE,
}


@dataclass(frozen=True, order=True)
class RuleInstance:
    """One rule instance as the model guards it: its kind, and the target (index) or
    detail it applies to. Used to read an infeasible core back."""

    kind: Kind
    target: int = -1
    detail: str = ""
