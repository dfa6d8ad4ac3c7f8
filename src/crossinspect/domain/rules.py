"""The rules of a round: every key of SPEC §3, its type, its default and its meaning.

Reading them from a TOML file or a 规则 sheet is ``io.rules_reader``'s job.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from rapidfuzz import process

from .models import Role, parse_role
from .rule_words import RULE_NAMES_ZH, value_in_words, zh_name


class Mode(StrEnum):
    ROTATION = "rotation"  # 推磨式: each county pool goes as a body to one other county
    MIXED = "mixed"  # 混编: teams drawn from many counties


class Level(StrEnum):
    COUNTY = "county"
    TOWNSHIP = "township"


class CoarsePlaces(StrEnum):
    """A place that contains the target area (a county posting against one of its townships)."""

    CONFLICT = "conflict"  # 视为冲突: the seat is barred, like any other avoidance
    REVIEW = "review"  # 人工核实: the seat is allowed and marked 待核实 in the audit


class Weights(BaseModel):
    """Weights of the soft goals (R10); 0 switches a goal off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    balance: StrictInt = Field(10, ge=0, le=10_000, description="均衡：各组实力（职级、专长）差距")
    department: StrictInt = Field(5, ge=0, le=10_000, description="同一部门异地交叉：部门不一致的席位数")
    travel: StrictInt = Field(1, ge=0, le=10_000, description="路程：干部所属县区到巡察地的距离（每10公里）")
    novelty: StrictInt = Field(3, ge=0, le=10_000, description="新鲜度：往轮同组过的两人再次同组的次数")
    workload: StrictInt = Field(2, ge=0, le=10_000, description="工作量：往轮出勤次数多的干部再次抽中")


RULE_HELP: dict[str, tuple[str, str]] = {
    "title": ("印在名单上的标题", "title printed on the roster"),
    "mode": ("编组方式：推磨式 或 混编", "rotation | mixed"),
    "level": ("回避判定的层级：县级 或 乡镇级", "granularity of R1/R2"),
    "team_size": ("每组人数范围（含组长）；巡察对象的「人数」优先", "seats per team [min, max]"),
    "leaders": ("每组组长人数", "exactly this many leaders per team"),
    "deputies": ("每组副组长人数范围", "min, max deputies"),
    "liaisons": ("每组联络员人数范围", "min, max liaisons"),
    "local_roles": ("由被巡察县区本地干部担任的角色", "roles filled from the inspected county"),
    "leader_min_rank": ("组长最低职级；空表示不限", "minimum rank of a leader; empty = none"),
    "rank_order": ("职级由高到低", "ranks, highest first"),
    "required_skills": ("每组必须具备的专长及人数", "skills every team needs, with counts"),
    "max_from_same_county": ("混编：每组来自同一县区的最多人数", "mixed: max members per county"),
    "min_women": ("每组女干部最少人数", "minimum women per team"),
    "single_cycle": ("推磨式：所有县区构成一个循环", "rotation: one cycle through all counties"),
    "forbid_reciprocal": ("推磨式：禁止两县互派", "rotation: never A->B and B->A"),
    "history_rounds": ("回看往轮数；0 表示全部", "look-back rounds for R7 and R3; 0 = all"),
    "seed": (
        "抽签种子（公开）：任意文字，如公开开奖结果",
        "lottery seed (R11): any text, e.g. a published lottery result",
    ),
    "effort": (
        "搜索工作量：确定性计时单位，决定名单；同一种子和工作量在任何电脑上得到同一名单",
        "search effort in deterministic units: it decides the roster, the same on any machine",
    ),
    "time_limit": (
        "时限（秒）：整个运行的安全上限；若先于搜索工作量用完则名单标注「不可复现」",
        "a safety stop for the whole run, in seconds; a roster cut short by it is marked not reproducible",
    ),
    "workers": ("求解线程数；0 表示按核数", "CP-SAT workers; 0 = one per core"),
    "strict": (
        "地名粒度不足、回避项近似或未匹配时报错而非警告",
        "coarse places, near-miss and unmatched declared conflicts are errors",
    ),
    "coarse_places": (
        "含巡察地的粗略地名（如只写县名而巡察乡镇）：视为冲突 或 人工核实",
        "a place containing the target area: conflict | review (allowed, marked 待核实)",
    ),
    "region": (
        "本轮所属地区，如「福建省龙岩市」；同名的巡察对象所在地和所属县区在此范围内理解",
        "where bare target locations and pool names are read, e.g. 福建省龙岩市",
    ),
    "issuer": (
        "落款单位，印在总表末尾，如「中共某市委巡察工作领导小组办公室」",
        "issuer printed at the end of the overview (落款)",
    ),
    "date": ("成文日期，印在落款单位下方，如「2025年3月1日」", "date printed under the issuer (成文日期)"),
    "weights": ("软目标权重", "soft-goal weights"),
}


#: Effort of a draw when the rules give none, in deterministic units (about a second of one
#: core each): enough for the benchmark rounds to end by their own proofs or effort well
#: inside the default time limit on two cores (docs/benchmarks.md).
DEFAULT_EFFORT = 35.0

#: The default title: a placeholder that ``placeholder_title`` warns about.
DEFAULT_TITLE = "某市委第四轮交叉巡察"


class Rules(BaseModel):
    """All rules of a round, with the defaults of SPEC §3.

    Types are strict: ``seed = true``, ``leaders = 1.5`` or ``1.0``, ``time_limit = "60"``
    and ``single_cycle = 1`` are errors naming the key, never quietly converted.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: StrictStr = DEFAULT_TITLE
    mode: Mode = Mode.ROTATION
    level: Level = Level.COUNTY
    team_size: tuple[StrictInt, StrictInt] = (5, 7)
    leaders: StrictInt = Field(1, ge=0, le=10)
    deputies: tuple[StrictInt, StrictInt] = (1, 1)
    liaisons: tuple[StrictInt, StrictInt] = (0, 0)
    local_roles: frozenset[Role] = frozenset()
    leader_min_rank: StrictStr = ""
    rank_order: tuple[StrictStr, ...] = ("正处", "副处", "正科", "副科", "科员")
    required_skills: dict[StrictStr, StrictInt] = Field(default_factory=dict)
    max_from_same_county: StrictInt = Field(2, ge=1, le=1000)
    min_women: StrictInt = Field(0, ge=0, le=1000)
    single_cycle: StrictBool = True
    forbid_reciprocal: StrictBool = True
    history_rounds: StrictInt = Field(0, ge=0, le=1000)
    seed: StrictStr = "0"
    effort: StrictFloat = Field(DEFAULT_EFFORT, gt=0, le=100_000)
    time_limit: StrictFloat = Field(60.0, gt=0, le=7 * 24 * 3600)
    workers: StrictInt = Field(0, ge=0, le=256)
    strict: StrictBool = False
    coarse_places: CoarsePlaces = CoarsePlaces.CONFLICT
    region: StrictStr = ""
    issuer: StrictStr = ""
    date: StrictStr = ""
    weights: Weights = Field(default_factory=Weights)

    @field_validator("seed", mode="before")
    @classmethod
    def _seed_text(cls, v: Any) -> Any:
        # A number is its decimal text (20261122 draws as "20261122"); a boolean is a mistake.
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        if isinstance(v, str) and not v.strip():
            raise ValueError("the seed is empty")
        return v

    @field_validator("team_size", "deputies", "liaisons", mode="before")
    @classmethod
    def _range(cls, v: Any) -> Any:
        # A single number means an exact count: team_size = 6 is [6, 6].
        if isinstance(v, int | float | str) and not isinstance(v, bool):
            return (v, v)
        return v

    @field_validator("team_size", "deputies", "liaisons")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        lo, hi = v
        if lo < 0 or hi < lo or hi > 1000:
            raise rule_error(
                f"范围 {lo}至{hi} 须满足 0 ≤ 下限 ≤ 上限 ≤ 1000",
                f"range [{lo}, {hi}] must satisfy 0 <= min <= max <= 1000",
            )
        return v

    @field_validator("local_roles", mode="before")
    @classmethod
    def _roles(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = [s for s in v.replace("，", ",").replace("、", ",").split(",") if s.strip()]
        if not isinstance(v, list | tuple | set | frozenset):
            raise rule_error(
                "应为角色，如「副组长、联络员」", f'{shown_value(v)} is not a list of roles, e.g. ["联络员"]'
            )
        out = []
        for item in v:
            role = item if isinstance(item, Role) else parse_role(item) if isinstance(item, str) else None
            if role is None:
                raise rule_error(
                    f"不认识的角色「{item}」，应为 组长、副组长、联络员 或 组员", f"unknown role {shown_value(item)}"
                )
            out.append(role)
        return frozenset(out)

    @field_validator("rank_order")
    @classmethod
    def _ranks(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not rank.strip() for rank in v):
            raise rule_error("有一个职级名称为空", "a rank name is empty")
        return v

    @field_validator("required_skills")
    @classmethod
    def _skills(cls, v: dict[str, int]) -> dict[str, int]:
        out: dict[str, int] = {}
        for skill, n in v.items():
            if not skill.strip():
                raise rule_error("有一个专长名称为空", "a skill name is empty")
            if n < 0 or n > 1000:
                raise rule_error(
                    f"专长「{skill}」的人数 {n} 超出范围（0至1000）",
                    f"required_skills[{skill!r}] = {n} is out of range",
                )
            out[skill.strip()] = n
        return out

    @model_validator(mode="after")
    def _consistent(self) -> Rules:
        if Role.LEADER in self.local_roles:
            raise rule_error("组长不能由本地干部担任", "the leader cannot be a local role", key="local_roles")
        if self.leader_min_rank and self.leader_min_rank not in self.rank_order:
            raise rule_error(
                f"组长最低职级「{self.leader_min_rank}」不在职级顺序中（{'、'.join(self.rank_order)}）",
                f"leader_min_rank {self.leader_min_rank!r} is not in rank_order",
                key="leader_min_rank",
            )
        if len(set(self.rank_order)) != len(self.rank_order):
            raise rule_error("职级顺序中有重复的职级", "rank_order has duplicates", key="rank_order")
        return self

    def rank_index(self, rank: str) -> int | None:
        """0 for the highest rank; None for an empty or unknown rank."""
        try:
            return self.rank_order.index(rank)
        except ValueError:
            return None

    def role_range(self, role: Role) -> tuple[int, int] | None:
        """Count range of a role per team; None for members, who fill the rest."""
        if role is Role.LEADER:
            return (self.leaders, self.leaders)
        if role is Role.DEPUTY:
            return self.deputies
        if role is Role.LIAISON:
            return self.liaisons
        return None

    def to_toml(self) -> str:
        """The rules in force, as a TOML document that ``--rules`` reads back."""
        lines = []
        data = self.model_dump(mode="json")
        weights = data.pop("weights")
        for key, value in data.items():
            if key == "local_roles":
                value = sorted(value, key=lambda r: [x.value for x in Role].index(r))
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
        lines.append("[weights]")
        for key, value in weights.items():
            lines.append(f"{key} = {_toml_value(value)}")
        return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


_PLACEHOLDER_RE = re.compile(r"某[省市县区州盟旗委]|[×xX*＊?？]{2,}|…|\.\.\.")


def placeholder_title(title: str) -> bool:
    """True for a missing title or one still holding a placeholder (某市委…, ××县委…)."""
    return not title.strip() or title == DEFAULT_TITLE or bool(_PLACEHOLDER_RE.search(title))


def rule_error(zh: str, en: str, *, key: str = "") -> PydanticCustomError:
    """A rules error in both languages; ``key`` names the key a rule about several keys blames."""
    return PydanticCustomError("rule_value", "{en}", {"zh": zh, "en": en, "key": key})


RULE_KEYS: tuple[str, ...] = tuple(Rules.model_fields)
WEIGHT_KEYS: tuple[str, ...] = tuple(Weights.model_fields)


def shown_value(value: Any) -> str:
    """A value as the clerk wrote it, in TOML spelling (true, not True)."""
    text = _toml_value(value) if isinstance(value, bool | int | float | str | list | tuple | dict) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, choices: list[str] | tuple[str, ...], limit: int = 3) -> tuple[str, ...]:
    """Closest choices to a misspelt word, best first."""
    found = process.extract(word, list(choices), limit=limit, score_cutoff=50)
    return tuple(str(m[0]) for m in found)


class RuleDoc(NamedTuple):
    """One rules key as ``crossinspect rules`` and the template list it."""

    key: str
    zh: str  # its Chinese name (SPEC §3.2)
    default: str  # as TOML
    default_words: str  # in words, as the 规则 sheet takes it
    meaning: str


def describe_rules(lang: str = "zh") -> list[RuleDoc]:
    """Every key with its Chinese name, default (as TOML and in words) and meaning."""
    defaults = Rules().model_dump(mode="json")
    out = []
    for key in RULE_KEYS:
        zh, en = RULE_HELP[key]
        if key == "weights":
            for wkey, field in Weights.model_fields.items():
                value = defaults["weights"][wkey]
                out.append(
                    RuleDoc(
                        f"weights.{wkey}",
                        zh_name(f"weights.{wkey}"),
                        _toml_value(value),
                        value_in_words(f"weights.{wkey}", value, lang),
                        field.description if lang == "zh" and field.description else f"weight: {wkey}",
                    )
                )
            continue
        out.append(
            RuleDoc(
                key,
                RULE_NAMES_ZH.get(key, key),
                _toml_value(defaults[key]),
                value_in_words(key, defaults[key], lang),
                zh if lang == "zh" else en,
            )
        )
    return out
