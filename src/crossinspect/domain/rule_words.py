"""Rules in the office's words (SPEC §3.2): Chinese keys and values beside the English ones.

Reading: ``english_key`` turns 编组方式 into ``mode`` (and 权重.均衡 into
``weights.balance``); ``read_value`` turns 推磨式, ``5-7``, ``5至7``, 纪检监察1人、财务1人
and 是/否 into the values ``Rules`` validates. It runs before validation and converts
only forms that cannot mean anything else, so strictness stays: ``time_limit = "60"``
and ``single_cycle = 1`` are still errors.

Writing: ``value_in_words`` prints a rule as the 运行信息 sheet shows it (推磨式,
5至7人, 是) — never TOML syntax — and ``read_value`` reads those words back to the same
rule.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from .models import ROLE_ORDER, Role

#: The Chinese name of every rules key (SPEC §3.2 fixes them). ``effort`` and ``seed``
#: are named here too, whatever their types become.
RULE_NAMES_ZH: dict[str, str] = {
    "title": "标题",
    "mode": "编组方式",
    "level": "回避层级",
    "team_size": "每组人数",
    "leaders": "组长人数",
    "deputies": "副组长人数",
    "liaisons": "联络员人数",
    "local_roles": "本地担任角色",
    "leader_min_rank": "组长最低职级",
    "rank_order": "职级顺序",
    "required_skills": "必备专长",
    "max_from_same_county": "同一县区最多人数",
    "min_women": "女干部最少人数",
    "single_cycle": "单一循环",
    "forbid_reciprocal": "禁止互派",
    "history_rounds": "回看轮数",
    "seed": "抽签种子",
    "time_limit": "时限",
    "effort": "搜索工作量",
    "workers": "求解线程数",
    "strict": "严格模式",
    "coarse_places": "粗略地名",
    "region": "所属地区",
    "issuer": "落款单位",
    "date": "成文日期",
    "weights": "权重",
}

#: The Chinese name of every soft-goal weight, written 权重.均衡 on the 规则 sheet.
WEIGHT_NAMES_ZH: dict[str, str] = {
    "balance": "均衡",
    "department": "同一部门",
    "travel": "路程",
    "novelty": "新鲜度",
    "workload": "工作量",
}

_ENUM_WORDS: dict[str, dict[str, str]] = {
    # The first spelling of each value is the one printed.
    "mode": {"推磨式": "rotation", "推磨": "rotation", "成建制交叉": "rotation", "混编": "mixed", "混合编组": "mixed"},
    "level": {
        "县级": "county",
        "县区级": "county",
        "县区": "county",
        "县": "county",
        "乡镇级": "township",
        "乡镇": "township",
    },
    "coarse_places": {"视为冲突": "conflict", "冲突": "conflict", "人工核实": "review", "待核实": "review"},
}
_PRINTED_ENUM: dict[str, dict[str, str]] = {
    key: {value: word for word, value in reversed(words.items())} for key, words in _ENUM_WORDS.items()
}
_BOOL_KEYS = frozenset({"single_cycle", "forbid_reciprocal", "strict"})
_RANGE_KEYS = frozenset({"team_size", "deputies", "liaisons"})
_COUNT_KEYS = frozenset({"leaders", "max_from_same_county", "min_women"})
#: Text keys where 无 (or 不限, 自动推断) means "not set".
_EMPTY_WORDS: dict[str, frozenset[str]] = {
    "leader_min_rank": frozenset({"无", "不限"}),
    "region": frozenset({"无", "自动", "自动推断"}),
    "issuer": frozenset({"无"}),
    "date": frozenset({"无"}),
}
_NONE_WORDS = frozenset({"无", "不限", "没有"})

_DASH = r"(?:-|‐|‑|–|—|~|〜|至|到)"
_RANGE_RE = re.compile(rf"^(\d+)\s*人?\s*{_DASH}\s*(\d+)\s*人?$")
_PEOPLE_RE = re.compile(r"^(\d+)\s*[人名]$")
_ROUNDS_RE = re.compile(r"^(\d+)\s*轮$")
_SECONDS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(秒|秒钟|分|分钟|小时)$")
_WORKERS_RE = re.compile(r"^(\d+)\s*个$")
_SKILL_RE = re.compile(r"^(.*?)\s*(?:[:：×xX*]\s*)?(\d+)\s*[人名]?$")
#: Separators of a list written in one cell (the input sheets' ``、 , ， ; ； /`` and new lines).
_LIST_SPLIT = re.compile(r"[、,，;；/\n]+")
_SECONDS = {"秒": 1, "秒钟": 1, "分": 60, "分钟": 60, "小时": 3600}


def _norm(text: str) -> str:
    """Width and spaces as a clerk types them: ５－７ is 5-7, 推磨式 stays."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _name_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_KEY_BY_ZH: dict[str, str] = {_name_key(zh): key for key, zh in RULE_NAMES_ZH.items()}
_WEIGHT_BY_ZH: dict[str, str] = {_name_key(zh): key for key, zh in WEIGHT_NAMES_ZH.items()}


def english_key(name: str) -> str:
    """The English key a written key stands for: 编组方式 → mode, 权重.均衡 → weights.balance.

    English keys and unknown names come back as written (unknown ones are reported by
    the caller, with a did-you-mean).
    """
    head, dot, rest = name.partition(".")
    key = _KEY_BY_ZH.get(_name_key(head), head)
    if not dot:
        return key
    return f"{key}.{english_weight(rest) if key == 'weights' else rest}"


def english_weight(name: str) -> str:
    """The English name of a weight: 均衡 → balance; others as written."""
    return _WEIGHT_BY_ZH.get(_name_key(name), name)


def zh_name(key: str) -> str:
    """The Chinese name of an English key, ``weights.balance`` → 权重.均衡; the key itself if none."""
    head, dot, rest = key.partition(".")
    if dot and head == "weights":
        return f"{RULE_NAMES_ZH['weights']}.{WEIGHT_NAMES_ZH.get(rest, rest)}"
    return RULE_NAMES_ZH.get(key, key)


def all_names() -> list[str]:
    """Every key a rules file or sheet accepts, English and Chinese (for did-you-mean)."""
    names = [*RULE_NAMES_ZH, *RULE_NAMES_ZH.values()]
    names += [f"weights.{w}" for w in WEIGHT_NAMES_ZH] + [zh_name(f"weights.{w}") for w in WEIGHT_NAMES_ZH]
    return names


def enum_words(key: str) -> list[str]:
    """The printed word of each choice of a key: 推磨式、混编 for ``mode``."""
    return list(_PRINTED_ENUM.get(key, {}).values())


# ---- reading ---------------------------------------------------------------------------


def read_value(key: str, value: Any) -> Any:
    """The value ``Rules`` validates for ``value`` written in words; anything else as given.

    ``key`` is the English key (``weights.balance`` for a weight).
    """
    if isinstance(value, dt.date) and key == "date":
        return f"{value.year}年{value.month}月{value.day}日"
    if not isinstance(value, str):
        return value
    text = _norm(value)
    if key in _ENUM_WORDS:
        return _ENUM_WORDS[key].get(text, value)
    if key in _BOOL_KEYS:
        return {"是": True, "否": False}.get(text, value)
    if key in _RANGE_KEYS:
        if m := _RANGE_RE.match(text):
            return [int(m.group(1)), int(m.group(2))]
        if m := _PEOPLE_RE.match(text):
            return int(m.group(1))
        return value
    if key in _COUNT_KEYS:
        return int(m.group(1)) if (m := _PEOPLE_RE.match(text)) else value
    if key == "history_rounds":
        if text == "全部":
            return 0
        return int(m.group(1)) if (m := _ROUNDS_RE.match(text)) else value
    if key == "time_limit":
        if m := _SECONDS_RE.match(text):
            seconds = float(m.group(1)) * _SECONDS[m.group(2)]
            return int(seconds) if seconds.is_integer() else seconds
        return value
    if key == "workers":
        if text == "自动":
            return 0
        return int(m.group(1)) if (m := _WORKERS_RE.match(text)) else value
    if key == "rank_order":
        return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]
    if key == "local_roles":
        return [] if text in _NONE_WORDS else value
    if key == "required_skills":
        return _read_skills(text)
    if key in _EMPTY_WORDS and text in _EMPTY_WORDS[key]:
        return ""
    return value


def _read_skills(text: str) -> dict[str, int] | str:
    """纪检监察1人、财务1人 → {"纪检监察": 1, "财务": 1}; a skill without a count needs one."""
    if text in _NONE_WORDS:
        return {}
    out: dict[str, int] = {}
    for part in _LIST_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        m = _SKILL_RE.match(part)
        # A count with no skill before it (：1) leaves an empty name, which validation refuses.
        name, count = (m.group(1).strip(), int(m.group(2))) if m else (part, 1)
        out[name] = out.get(name, 0) + count
    return out


# ---- writing ---------------------------------------------------------------------------


def value_in_words(key: str, value: Any, lang: str = "zh") -> str:
    """A rule's value as a person reads it: 推磨式, 5至7人, 是, 纪检监察1人 (or English words).

    ``value`` is the rule as ``Rules.model_dump(mode="json")`` gives it.
    """
    zh = lang == "zh"
    if key in _PRINTED_ENUM:
        return _PRINTED_ENUM[key].get(value, str(value)) if zh else str(value)
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if key in _RANGE_KEYS:
        lo, hi = value
        if zh:
            return f"{lo}人" if lo == hi else f"{lo}至{hi}人"
        return f"{lo}" if lo == hi else f"{lo} to {hi}"
    if key in _COUNT_KEYS:
        return f"{value}人" if zh else str(value)
    if key == "history_rounds":
        return ("全部" if zh else "all") if value == 0 else (f"{value}轮" if zh else str(value))
    if key == "time_limit":
        return f"{value:g}秒" if zh else f"{value:g} s"
    if key == "workers":
        return ("自动" if zh else "auto") if value == 0 else (f"{value}个" if zh else str(value))
    if key == "local_roles":
        roles = sorted((Role(r) for r in value), key=ROLE_ORDER.index)
        if not roles:
            return "无" if zh else "none"
        return "、".join(r.zh for r in roles) if zh else ", ".join(r.value for r in roles)
    if key == "rank_order":
        return "、".join(value) if zh else ", ".join(value)
    if key == "required_skills":
        if not value:
            return "无" if zh else "none"
        if zh:
            return "、".join(f"{skill}{n}人" for skill, n in value.items())
        return ", ".join(f"{skill} {n}" for skill, n in value.items())
    if isinstance(value, str):
        if value:
            return value
        if key == "region":
            return "自动推断" if zh else "inferred"
        if key == "leader_min_rank":
            return "不限" if zh else "none"
        return "无" if zh else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
