"""Typed input records: cadres, targets, history, places and manual decisions.

These are the rows of the input workbook after reading and cleaning, before any
place is resolved. ``problem.build_problem`` turns them into an indexed problem.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """A seat in a team. 组长 leader, 副组长 deputy, 联络员 liaison, 组员 member."""

    LEADER = "leader"
    DEPUTY = "deputy"
    LIAISON = "liaison"
    MEMBER = "member"

    @property
    def zh(self) -> str:
        return ROLE_ZH[self]


ROLE_ZH: dict[Role, str] = {
    Role.LEADER: "组长",
    Role.DEPUTY: "副组长",
    Role.LIAISON: "联络员",
    Role.MEMBER: "组员",
}

#: Every spelling of a role the input may use, already lower-cased.
ROLE_NAMES: dict[str, Role] = {
    "组长": Role.LEADER,
    "leader": Role.LEADER,
    "副组长": Role.DEPUTY,
    "deputy": Role.DEPUTY,
    "联络员": Role.LIAISON,
    "liaison": Role.LIAISON,
    "组员": Role.MEMBER,
    "member": Role.MEMBER,
    "成员": Role.MEMBER,
}

#: Seat order on the roster: leader first, then deputies, liaisons, members.
ROLE_ORDER: tuple[Role, ...] = (Role.LEADER, Role.DEPUTY, Role.LIAISON, Role.MEMBER)


def parse_role(text: str) -> Role | None:
    return ROLE_NAMES.get(text.strip().lower())


class Gender(StrEnum):
    MALE = "M"
    FEMALE = "F"

    @property
    def zh(self) -> str:
        return "男" if self is Gender.MALE else "女"


GENDER_NAMES: dict[str, Gender] = {
    "男": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}


class AvoidanceField(StrEnum):
    """The four avoidances (四回避) plus declared conflicts (其他回避)."""

    RESIDENCE = "residence"
    WORKPLACE = "workplace"
    POSTINGS = "postings"
    UPBRINGING = "upbringing"
    CONFLICTS = "conflicts"

    @property
    def zh(self) -> str:
        return {
            "residence": "居住地",
            "workplace": "工作地",
            "postings": "任职地",
            "upbringing": "成长地",
            "conflicts": "回避",
        }[self.value]


FOUR_AVOIDANCES: tuple[AvoidanceField, ...] = (
    AvoidanceField.RESIDENCE,
    AvoidanceField.WORKPLACE,
    AvoidanceField.POSTINGS,
    AvoidanceField.UPBRINGING,
)


class SourceRef(BaseModel):
    """Where a record came from, so later messages can point at the cell."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    #: header text as written in the input, keyed by english column key
    columns: dict[str, str] = Field(default_factory=dict)


class Cadre(BaseModel):
    """An inspection cadre (巡察干部) in a county pool."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    gender: Gender
    county: str = Field(description="the county pool, as written")
    unit: str = ""
    rank: str = ""
    roles: frozenset[Role] = frozenset({Role.MEMBER})
    skills: tuple[str, ...] = ()
    department: str = ""
    residence: tuple[str, ...] = ()
    workplace: tuple[str, ...] = ()
    postings: tuple[str, ...] = ()
    upbringing: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    available: bool = True
    source: SourceRef = Field(default_factory=SourceRef)

    def places(self, field: AvoidanceField) -> tuple[str, ...]:
        return tuple(getattr(self, field.value))


class Target(BaseModel):
    """A place or unit to inspect (巡察对象); one team is formed for each."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    location: str
    size: int | None = None
    skills: tuple[str, ...] = ()
    department: str = ""
    source: SourceRef = Field(default_factory=SourceRef)


class HistoryRecord(BaseModel):
    """One cadre's seat in an earlier round (往轮记录)."""

    model_config = ConfigDict(frozen=True)

    round: str
    cadre_id: str
    place: str
    role: Role | None = None
    last_ranked: bool | None = None
    from_county: str = ""
    source: SourceRef = Field(default_factory=SourceRef)


class PlaceRecord(BaseModel):
    """An office-defined place (地名 sheet): a township, unit or renamed county."""

    model_config = ConfigDict(frozen=True)

    name: str
    parent: str = ""
    aliases: tuple[str, ...] = ()
    source: SourceRef = Field(default_factory=SourceRef)


class DecisionKind(StrEnum):
    """Manual decisions (R9): 指定 pin, 禁配 ban, 不可用 unavailable."""

    PIN = "pin"
    BAN = "ban"
    UNAVAILABLE = "unavailable"


DECISION_NAMES: dict[str, DecisionKind] = {
    "指定": DecisionKind.PIN,
    "固定": DecisionKind.PIN,
    "pin": DecisionKind.PIN,
    "禁配": DecisionKind.BAN,
    "ban": DecisionKind.BAN,
    "不可用": DecisionKind.UNAVAILABLE,
    "unavailable": DecisionKind.UNAVAILABLE,
}


class Decision(BaseModel):
    """A manual decision by the leadership, honoured as a hard rule.

    - pin: ``cadre_id`` sits on the team for ``target_id`` (in ``role`` if given);
    - ban: ``cadre_id`` and ``other_cadre_id`` never sit on the same team;
    - unavailable: ``cadre_id`` is not drawn this round.
    """

    model_config = ConfigDict(frozen=True)

    kind: DecisionKind
    cadre_id: str
    target_id: str = ""
    role: Role | None = None
    other_cadre_id: str = ""
    note: str = ""
    source: SourceRef = Field(default_factory=SourceRef)


class InputBook(BaseModel):
    """Everything read from one input workbook (or folder of CSV files)."""

    model_config = ConfigDict(frozen=True)

    path: str
    sha256: str
    cadres: tuple[Cadre, ...]
    targets: tuple[Target, ...]
    history: tuple[HistoryRecord, ...] = ()
    places: tuple[PlaceRecord, ...] = ()
    decisions: tuple[Decision, ...] = ()
    #: raw key/value rows of the 规则 sheet, with their source rows
    rules_rows: tuple[tuple[str, str, int], ...] = ()
