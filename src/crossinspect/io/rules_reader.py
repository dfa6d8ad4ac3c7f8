"""Reading rules: the --rules TOML file and the 规则 sheet's key/value rows, layered into ``Rules``.

Precedence, lowest first: built-in defaults, the workbook's ``规则`` sheet, the TOML
file given with ``--rules``, then command-line options. An unknown key is an error with
a did-you-mean, and every error names the file and line, or the sheet and row.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..domain.errors import InputError, Issue
from ..domain.rules import RULE_KEYS, WEIGHT_KEYS, Rules, _shown, did_you_mean
from .safety import NotARegularFile, read_regular_file


@dataclass(frozen=True)
class _Where:
    """Where a rules key was written: a file, and a 规则 sheet row or a TOML line."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


class RulesLayer(dict[str, Any]):
    """A layer of rules as read, remembering where each key (``weights.x`` too) was written."""

    def __init__(self, data: dict[str, Any], where: dict[str, _Where], default: _Where) -> None:
        super().__init__(data)
        self.where = where
        self.default = default

    def at(self, key: str) -> _Where:
        return self.where.get(key) or self.where.get(key.partition(".")[0]) or self.default


_TOML_TABLE_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_\-.\"' ]+?)\s*\]\s*(#.*)?$")
_TOML_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _toml_lines(text: str) -> dict[str, int]:
    """The line each key is set on (``weights.balance`` inside ``[weights]`` too); the first wins.

    Only what messages need: plain and dotted keys and ``[table]`` headers, no multi-line
    strings inside which a line could look like a key.
    """
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _TOML_TABLE_RE.match(line):
            table = m.group(1).replace('"', "").replace("'", "").replace(" ", "")
            continue
        if m := _TOML_KEY_RE.match(line):
            key = m.group(1).replace('"', "").replace("'", "").replace(" ", "")
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def _check_keys(data: dict[str, Any], at: Any) -> list[Issue]:
    """Unknown keys; ``at(key)`` gives the ``_Where`` of a key."""
    issues: list[Issue] = []
    for key in data:
        if key not in RULE_KEYS:
            w = at(key)
            issues.append(Issue(
                code="unknown-rule", zh=f"未知的规则项「{key}」", en=f"unknown rules key '{key}'",
                file=w.file, sheet=w.sheet, row=w.row, column="键" if w.sheet else None,
                suggestions=did_you_mean(key, RULE_KEYS),
            ))
    weights = data.get("weights")
    if isinstance(weights, dict):
        for key in weights:
            if key not in WEIGHT_KEYS:
                w = at(f"weights.{key}")
                issues.append(Issue(
                    code="unknown-rule", zh=f"未知的权重项「weights.{key}」",
                    en=f"unknown rules key 'weights.{key}'", file=w.file, sheet=w.sheet, row=w.row,
                    column="键" if w.sheet else None,
                    suggestions=tuple(f"weights.{s}" for s in did_you_mean(key, WEIGHT_KEYS)),
                ))
    return issues


def read_rules_toml(path: str | Path) -> dict[str, Any]:
    """Read a rules TOML file into a dict (a ``RulesLayer``), raising ``InputError`` on any problem."""

    p = Path(path)
    try:
        raw = read_regular_file(p, limit=MAX_RULES_BYTES)
    except NotARegularFile as exc:
        raise InputError([Issue(code="not-a-file", zh=f"规则文件{exc.zh}", en=f"rules file: {exc.en}",
                                file=str(p))]) from exc
    except OSError as exc:
        raise InputError([Issue(code="unreadable", zh=f"无法读取规则文件：{exc.strerror}",
                                en=f"cannot read rules file: {exc.strerror}", file=str(p))]) from exc
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Issue(code="bad-toml", zh=f"规则文件格式错误：{exc}",
                                en=f"rules file is not valid TOML: {exc}", file=str(p))]) from exc
    where = {key: _Where(file=str(p), row=line) for key, line in _toml_lines(text).items()}
    layer = RulesLayer(data, where, _Where(file=str(p)))
    issues = _check_keys(data, layer.at)
    if issues:
        raise InputError(issues)
    return layer


def rules_from_toml(text: str, *, source: str) -> Rules:
    """Rules from TOML text that crossinspect itself wrote (``Rules.to_toml``), e.g. the rules
    a roster records; ``source`` names where the text came from in any error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Issue(code="bad-toml", zh=f"记录的规则格式错误：{exc}",
                                en=f"the recorded rules are not valid TOML: {exc}", file=source)]) from exc
    return merge_rules(RulesLayer(data, {}, _Where(file=source)), file=source)


#: A rules file is a page of text; anything near this is not one.
MAX_RULES_BYTES = 1024 * 1024

#: Keys whose value is text: a 规则 sheet cell holding 2024 or a date is that text.
_TEXT_KEYS = frozenset({"title", "leader_min_rank"})


def parse_sheet_rows(rows: tuple[tuple[str, str, int], ...], *, file: str | None,
                     sheet: str = "规则") -> dict[str, Any]:
    """Turn key/value rows of the 规则 sheet into a dict (a ``RulesLayer``); values are TOML
    literals or text."""
    data: dict[str, Any] = {}
    where: dict[str, _Where] = {}
    for key, value, row in rows:
        key = key.strip()
        where[key] = _Where(file=file, sheet=sheet, row=row, column="值" if sheet == "规则" else "value")
        text = value.strip()
        try:
            parsed = tomllib.loads(f"v = {text}")["v"] if text else ""
        except tomllib.TOMLDecodeError:
            parsed = text  # bare text such as 某市委第四轮交叉巡察 or 正科
        if key in _TEXT_KEYS and not isinstance(parsed, str | bool):
            parsed = text  # a title of 2024 is text; TRUE (a logical cell) stays an error
        if key.startswith("weights."):
            data.setdefault("weights", {})[key.removeprefix("weights.")] = parsed
        else:
            data[key] = parsed
    layer = RulesLayer(data, where, _Where(file=file, sheet=sheet))
    issues = _check_keys(data, lambda k: where.get(k, layer.default))
    if issues:
        raise InputError(issues)
    return layer


def _problem(err: Any) -> tuple[str, str]:
    """What is wrong with a value, in Chinese and English, from a pydantic error."""
    kind, ctx = err["type"], err.get("ctx") or {}
    given = err.get("input")
    logical_zh = "（true/false 是逻辑值，不是数字或文字）" if isinstance(given, bool) else ""
    logical_en = " (true/false is a yes/no value, not a number or text)" if isinstance(given, bool) else ""
    simple = {
        "int_type": ("应为整数", "must be a whole number"),
        "float_type": ("应为数字", "must be a number"),
        "bool_type": ("应为 true 或 false", "must be true or false"),
        "string_type": ("应为文字", "must be text"),
        "tuple_type": ("应为两个整数的列表，如 [5, 7]", "must be a list such as [5, 7]"),
        "dict_type": ('应为表，如 { "纪检监察" = 1 }', 'must be a table such as { "纪检监察" = 1 }'),
        "model_type": ("应为表", "must be a table"),
        "too_short": ("项数不对", "has the wrong number of items"),
        "too_long": ("项数不对", "has the wrong number of items"),
    }
    if kind in simple:
        zh, en = simple[kind]
        return zh + logical_zh, en + logical_en
    bounds = {"greater_than_equal": ("ge", "不小于", "at least"), "greater_than": ("gt", "大于", "more than"),
              "less_than_equal": ("le", "不大于", "at most"), "less_than": ("lt", "小于", "less than")}
    if kind in bounds:
        name, zh, en = bounds[kind]
        return f"应{zh} {ctx.get(name)}", f"must be {en} {ctx.get(name)}"
    if kind == "enum":
        return f"应为 {ctx.get('expected')} 之一", f"must be one of {ctx.get('expected')}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return msg, msg


def merge_rules(*layers: dict[str, Any], file: str | None = None) -> Rules:
    """Validate layered rules dicts (later layers win) into ``Rules``.

    A problem is reported where its key was written (the 规则 sheet row, the TOML line)
    when the layer is a ``RulesLayer``; otherwise at ``file``.
    """
    merged: dict[str, Any] = {}
    origin: dict[str, _Where] = {}
    for layer in layers:

        def at(key: str, layer: dict[str, Any] = layer) -> _Where:
            return layer.at(key) if isinstance(layer, RulesLayer) else _Where(file=file)

        for key, value in layer.items():
            if key == "weights" and isinstance(value, dict):
                earlier = merged.setdefault("weights", {})
                # An earlier layer that wrote weights as a single value (a 规则 sheet row
                # "weights = 5") is kept, so validation reports it, rather than crashing.
                if isinstance(earlier, dict):
                    earlier.update(value)
                    origin.update({f"weights.{k}": at(f"weights.{k}") for k in value})
            else:
                merged[key] = value
                origin[key] = at(key)

    def where(key: str) -> _Where:
        return origin.get(key) or origin.get(key.partition(".")[0]) or _Where(file=file)

    issues = _check_keys(merged, where)
    if issues:
        raise InputError(issues)
    try:
        return Rules.model_validate(merged)
    except ValidationError as exc:
        out: list[Issue] = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            zh, en = _problem(err)
            if not loc:  # a rule about several keys (the leader's rank is not in rank_order)
                out.append(Issue(code="bad-rule", zh=f"规则有误：{zh}", en=f"invalid rules: {en}", file=file))
                continue
            key = ".".join(loc[:2]) if loc[0] == "weights" else loc[0]
            w = where(key)
            shown = _shown(err["input"]) if err["type"] != "missing" else ""
            out.append(Issue(code="bad-rule", zh=f"规则「{key}」的值「{shown}」无效：{zh}",
                             en=f"invalid value {shown} for rules key '{key}': {en}",
                             file=w.file, sheet=w.sheet, row=w.row, column=w.column))
        raise InputError(out) from exc


