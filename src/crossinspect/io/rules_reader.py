"""Reading rules: the --rules TOML file and the 规则 sheet's key/value rows, layered into ``Rules``.

Precedence, lowest first: built-in defaults, the workbook's ``规则`` sheet, the TOML
file given with ``--rules``, then command-line options. Keys and values may be written
in Chinese (SPEC §3.2: 编组方式 = 推磨式, 每组人数 = 5-7); ``domain.rule_words`` turns
them into the English ones before validation. A rules file is UTF-8 (with or without
BOM), UTF-16 with a BOM, or GB18030; a Chinese key may stand bare in it, as TOML 1.1
allows (``编组方式 = "推磨式"``). An unknown key is an error with a did-you-mean, and
every error, in Chinese and English, names the file and line, or the sheet and row.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..domain.errors import InputError, Issue
from ..domain.rule_words import all_names, english_key, english_weight, enum_words, read_value, zh_name
from ..domain.rules import RULE_KEYS, WEIGHT_KEYS, Rules, did_you_mean, shown_value
from .safety import NotARegularFile, read_regular_file


@dataclass(frozen=True)
class _Where:
    """Where a rules key was written: a file, and a 规则 sheet row or a TOML line; and how."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    #: the key as written (编组方式), when it differs from the English key
    written: str | None = None


class RulesLayer(dict[str, Any]):
    """A layer of rules as read, remembering where each key (``weights.x`` too) was written."""

    def __init__(self, data: dict[str, Any], where: dict[str, _Where], default: _Where) -> None:
        super().__init__(data)
        self.where = where
        self.default = default

    def at(self, key: str) -> _Where:
        return self.where.get(key) or self.where.get(key.partition(".")[0]) or self.default


def _named(key: str, w: _Where) -> tuple[str, str]:
    """The key as a message names it, in Chinese and English: 每组人数（team_size）."""
    written = w.written if w.written and w.written != key else None
    if written:
        return f"{written}（{key}）", f"'{key}' (written {written})"
    zh = zh_name(key)
    return (f"{key}（{zh}）" if zh != key else key), f"'{key}'"


# ---- Chinese keys ------------------------------------------------------------------------


def _translate(data: dict[str, Any], at: Any) -> tuple[dict[str, Any], list[Issue], dict[str, str]]:
    """``data`` with Chinese keys made English; duplicates (mode and 编组方式) are errors.

    Returns the data, the issues, and the written name of each translated key.
    """
    out: dict[str, Any] = {}
    written: dict[str, str] = {}
    issues: list[Issue] = []

    def put(target: dict[str, Any], key: str, name: str, value: Any, path: str) -> None:
        if key in target:
            first = written.get(path, key)
            w = at(path)
            issues.append(
                Issue(
                    code="duplicate-rule",
                    zh=f"规则项「{name}」与「{first}」是同一项，只能写一次",
                    en=f"rules key '{name}' is the same as '{first}'; write it once",
                    file=w.file,
                    sheet=w.sheet,
                    row=w.row,
                    column="键" if w.sheet else None,
                )
            )
            return
        target[key] = value
        if name != key:
            written[path] = name

    for name, value in data.items():
        key = english_key(name)
        if key == "weights" and isinstance(value, dict) and isinstance(out.get("weights", {}), dict):
            weights: dict[str, Any] = out.setdefault("weights", {})
            if name != key:
                written.setdefault("weights", name)
            for wname, wvalue in value.items():
                wkey = english_weight(wname)
                put(weights, wkey, f"{name}.{wname}", wvalue, f"weights.{wkey}")
            continue
        put(out, key, name, value, key)
    return out, issues, written


def _check_keys(data: dict[str, Any], at: Any) -> list[Issue]:
    """Unknown keys; ``at(key)`` gives the ``_Where`` of a key."""
    issues: list[Issue] = []
    names = all_names()
    for key in data:
        if key not in RULE_KEYS:
            w = at(key)
            shown = w.written or key
            issues.append(
                Issue(
                    code="unknown-rule",
                    zh=f"未知的规则项「{shown}」",
                    en=f"unknown rules key '{shown}'",
                    file=w.file,
                    sheet=w.sheet,
                    row=w.row,
                    column="键" if w.sheet else None,
                    suggestions=did_you_mean(shown, names),
                )
            )
    weights = data.get("weights")
    if isinstance(weights, dict):
        for key in weights:
            if key not in WEIGHT_KEYS:
                w = at(f"weights.{key}")
                shown = w.written or f"weights.{key}"
                issues.append(
                    Issue(
                        code="unknown-rule",
                        zh=f"未知的权重项「{shown}」",
                        en=f"unknown rules key '{shown}'",
                        file=w.file,
                        sheet=w.sheet,
                        row=w.row,
                        column="键" if w.sheet else None,
                        suggestions=tuple(did_you_mean(shown, [n for n in names if "." in n])),
                    )
                )
    return issues


# ---- the TOML file -------------------------------------------------------------------------

_TOML_TABLE_RE = re.compile(r"^(\s*)\[\s*([^\[\]#=]+?)\s*\](\s*(?:#.*)?)$")
_TOML_KEY_RE = re.compile(r"^(\s*)([^\s=#\[\]][^=#\[\]]*?)(\s*=)")
_BARE_PART_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_TOML_AT_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _unquoted(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def _toml_lines(text: str) -> dict[str, int]:
    """The line each key is set on (``weights.balance`` inside ``[weights]`` too), keys made
    English; the first wins.

    Only what messages need: plain and dotted keys and ``[table]`` headers, no multi-line
    strings inside which a line could look like a key.
    """
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _TOML_TABLE_RE.match(line):
            table = english_key(_unquoted(m.group(2)))
            continue
        if m := _TOML_KEY_RE.match(line):
            key = _unquoted(m.group(2))
            full = english_key(f"{table}.{key}" if table else key)
            lines.setdefault(full, number)
    return lines


def _written_keys(text: str) -> dict[str, str]:
    """The English key of each key written in Chinese, with the name as written."""
    out: dict[str, str] = {}
    table, table_written = "", ""
    for line in text.splitlines():
        if m := _TOML_TABLE_RE.match(line):
            table_written = _unquoted(m.group(2))
            table = english_key(table_written)
            continue
        if m := _TOML_KEY_RE.match(line):
            key = _unquoted(m.group(2))
            name = f"{table_written}.{key}" if table else key
            full = english_key(f"{table}.{key}" if table else key)
            if name != full:
                out.setdefault(full, name)
    return out


def _quote_part(part: str) -> str:
    part = part.strip()
    if _BARE_PART_RE.match(part) or part.startswith(('"', "'")):
        return part
    return '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_bare_keys(text: str) -> str:
    """Bare keys outside ASCII (编组方式 = …, [权重]) quoted, as TOML 1.0 requires; lines keep their numbers."""
    out = []
    for line in text.split("\n"):
        if (m := _TOML_TABLE_RE.match(line)) and not m.group(2).startswith("["):
            parts = ".".join(_quote_part(p) for p in m.group(2).split("."))
            line = f"{m.group(1)}[{parts}]{m.group(3)}"
        elif m := _TOML_KEY_RE.match(line):
            parts = ".".join(_quote_part(p) for p in m.group(2).split("."))
            line = m.group(1) + parts + m.group(3) + line[m.end() :]
        out.append(line)
    return "\n".join(out)


def _decode(raw: bytes) -> str | None:
    """A rules file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw:
        return None  # UTF-16 without a BOM, or not text at all
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _toml_error(exc: tomllib.TOMLDecodeError, text: str, file: str) -> Issue:
    """A TOML syntax error in both languages, at its line, with a hint for the usual slip."""
    m = _TOML_AT_RE.search(str(exc))
    line = int(m.group(1)) if m else None
    column = int(m.group(2)) if m else None
    hint_zh = hint_en = ""
    if line is not None:
        source = text.splitlines()[line - 1] if line <= len(text.splitlines()) else ""
        key, eq, value = source.partition("=")
        value = value.split("#")[0].strip()
        if eq and value and not value.startswith(("[", "{", '"', "'")) and not re.match(r"^[-+\d.]", value):
            hint_zh = f'；文字须加英文双引号，如 {key.strip()} = "{value}"'
            hint_en = f'; text needs double quotes, e.g. {key.strip()} = "{value}"'
    where_zh = f"第{column}列" if column is not None else ""
    return Issue(
        code="bad-toml",
        zh=f"规则文件{where_zh}不是有效的 TOML 写法{hint_zh}",
        en=f"rules file is not valid TOML: {exc}{hint_en}",
        file=file,
        row=line,
    )


def read_rules_toml(path: str | Path) -> dict[str, Any]:
    """Read a rules TOML file into a dict (a ``RulesLayer``), raising ``InputError`` on any problem."""

    p = Path(path)
    try:
        raw = read_regular_file(p, limit=MAX_RULES_BYTES)
    except NotARegularFile as exc:
        raise InputError(
            [Issue(code="not-a-file", zh=f"规则文件{exc.zh}", en=f"rules file: {exc.en}", file=str(p))]
        ) from exc
    except OSError as exc:
        raise InputError(
            [
                Issue(
                    code="unreadable",
                    zh=f"无法读取规则文件：{exc.strerror}",
                    en=f"cannot read rules file: {exc.strerror}",
                    file=str(p),
                )
            ]
        ) from exc
    text = _decode(raw)
    if text is None:
        raise InputError(
            [
                Issue(
                    code="bad-toml",
                    zh="规则文件的编码无法识别；请另存为 UTF-8 或 GB18030 编码的文本",
                    en="the rules file's text encoding is unknown; save it as UTF-8 or GB18030",
                    file=str(p),
                )
            ]
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        try:
            data = tomllib.loads(_quote_bare_keys(text))
        except tomllib.TOMLDecodeError:
            raise InputError([_toml_error(exc, text, str(p))]) from exc
    names = _written_keys(text)
    where = {key: _Where(file=str(p), row=line, written=names.get(key)) for key, line in _toml_lines(text).items()}
    default = _Where(file=str(p))

    def at(key: str) -> _Where:
        return where.get(key) or where.get(key.partition(".")[0]) or default

    data, issues, _ = _translate(data, at)
    layer = RulesLayer(data, where, default)
    issues += _check_keys(data, layer.at)
    if issues:
        raise InputError(issues)
    return layer


def rules_from_toml(text: str, *, source: str) -> Rules:
    """Rules from TOML text that crossinspect itself wrote (``Rules.to_toml``), e.g. the rules
    a roster records; ``source`` names where the text came from in any error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            [
                Issue(
                    code="bad-toml",
                    zh=f"记录的规则格式错误：{exc}",
                    en=f"the recorded rules are not valid TOML: {exc}",
                    file=source,
                )
            ]
        ) from exc
    return merge_rules(RulesLayer(data, {}, _Where(file=source)), file=source)


#: A rules file is a page of text; anything near this is not one.
MAX_RULES_BYTES = 1024 * 1024

#: Keys whose value is text: a 规则 sheet cell holding 2024 or a date is that text (a seed
#: such as 2026-12-05 or 1e3 is kept verbatim).
_TEXT_KEYS = frozenset({"title", "leader_min_rank", "issuer", "region", "seed"})


# ---- the 规则 sheet --------------------------------------------------------------------------


def parse_sheet_rows(
    rows: tuple[tuple[str, str, int], ...], *, file: str | None, sheet: str = "规则"
) -> dict[str, Any]:
    """Turn key/value rows of the 规则 sheet into a dict (a ``RulesLayer``); values are TOML
    literals, words (推磨式, 5至7, 是) or text."""
    data: dict[str, Any] = {}
    where: dict[str, _Where] = {}
    issues: list[Issue] = []
    column = "值" if sheet == "规则" else "value"
    for name, value, row in rows:
        name = name.strip()
        key = english_key(name)
        here = _Where(file=file, sheet=sheet, row=row, column=column, written=name if name != key else None)
        if key in where:
            first = where[key]
            issues.append(
                Issue(
                    code="duplicate-rule",
                    zh=f"规则项「{name}」与第{first.row}行的「{first.written or key}」是同一项，只能写一次",
                    en=f"rules key '{name}' repeats row {first.row} ('{first.written or key}'); write it once",
                    file=file,
                    sheet=sheet,
                    row=row,
                    column="键" if sheet == "规则" else "key",
                )
            )
            continue
        where[key] = here
        text = value.strip()
        try:
            parsed = tomllib.loads(f"v = {text}")["v"] if text else ""
        except tomllib.TOMLDecodeError:
            parsed = text  # bare text such as 某市委第四轮交叉巡察, 正科 or 推磨式
        if key in _TEXT_KEYS and not isinstance(parsed, str | bool):
            parsed = text  # a title of 2024 is text; TRUE (a logical cell) stays an error
        if key.startswith("weights."):
            data.setdefault("weights", {})[key.removeprefix("weights.")] = parsed
        else:
            data[key] = parsed
    layer = RulesLayer(data, where, _Where(file=file, sheet=sheet))
    issues += _check_keys(data, lambda k: where.get(k, layer.default))
    if issues:
        raise InputError(issues)
    return layer


# ---- validation ----------------------------------------------------------------------------


def _problem(err: Any, key: str) -> tuple[str, str]:
    """What is wrong with a value, in Chinese and English, from a pydantic error."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "rule_value":
        return str(ctx["zh"]), str(ctx["en"])
    given = err.get("input")
    logical_zh = "（true/false 是逻辑值，不是数字或文字）" if isinstance(given, bool) else ""
    logical_en = " (true/false is a yes/no value, not a number or text)" if isinstance(given, bool) else ""
    simple = {
        "int_type": ("应为整数", "must be a whole number"),
        "float_type": ("应为数字", "must be a number"),
        "bool_type": ("应为 是 或 否（true 或 false）", "must be true or false"),
        "string_type": ("应为文字", "must be text"),
        "tuple_type": ("应为人数范围，如 5-7 或 [5, 7]", "must be a range such as [5, 7]"),
        "dict_type": ("应为专长及人数，如「纪检监察1人、财务1人」", 'must be a table such as { "纪检监察" = 1 }'),
        "model_type": ("应为表", "must be a table"),
        "too_short": ("项数不对", "has the wrong number of items"),
        "too_long": ("项数不对", "has the wrong number of items"),
    }
    if kind in simple:
        zh, en = simple[kind]
        if kind == "tuple_type" and key == "rank_order":
            zh, en = "应为职级列表，如「正处、副处、正科」", "must be a list of ranks"
        return zh + logical_zh, en + logical_en
    bounds = {
        "greater_than_equal": ("ge", "不小于", "at least"),
        "greater_than": ("gt", "大于", "more than"),
        "less_than_equal": ("le", "不大于", "at most"),
        "less_than": ("lt", "小于", "less than"),
    }
    if kind in bounds:
        name, zh, en = bounds[kind]
        return f"应{zh} {ctx.get(name)}", f"must be {en} {ctx.get(name)}"
    if kind == "enum":
        words = "、".join(enum_words(key))
        zh = f"应为 {words}（或 {ctx.get('expected')}）之一" if words else f"应为 {ctx.get('expected')} 之一"
        return zh, f"must be one of {ctx.get('expected')}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"取值无效（{msg}）", msg


def merge_rules(*layers: dict[str, Any], file: str | None = None) -> Rules:
    """Validate layered rules dicts (later layers win) into ``Rules``.

    Keys and values may be written in Chinese in any layer. A problem is reported
    where its key was written (the 规则 sheet row, the TOML line) when the layer is a
    ``RulesLayer``; otherwise at ``file``.
    """
    merged: dict[str, Any] = {}
    origin: dict[str, _Where] = {}
    pending: list[Issue] = []
    for layer in layers:

        def at(key: str, layer: dict[str, Any] = layer) -> _Where:
            return layer.at(key) if isinstance(layer, RulesLayer) else _Where(file=file)

        data, issues, written = _translate(dict(layer), at)
        pending += issues

        def located(key: str, at: Any = at, written: dict[str, str] = written) -> _Where:
            w = at(key)
            name = written.get(key)
            if name and not w.written:
                w = _Where(file=w.file, sheet=w.sheet, row=w.row, column=w.column, written=name)
            return w

        for key, value in data.items():
            if key == "weights" and isinstance(value, dict):
                earlier = merged.setdefault("weights", {})
                # An earlier layer that wrote weights as a single value (a 规则 sheet row
                # "weights = 5") is kept, so validation reports it, rather than crashing.
                if isinstance(earlier, dict):
                    earlier.update({k: read_value(f"weights.{k}", v) for k, v in value.items()})
                    origin.update({f"weights.{k}": located(f"weights.{k}") for k in value})
            else:
                merged[key] = read_value(key, value)
                origin[key] = located(key)
    if pending:
        raise InputError(pending)

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
            blamed = str((err.get("ctx") or {}).get("key") or "")
            if not loc and not blamed:
                zh, en = _problem(err, "")
                out.append(Issue(code="bad-rule", zh=f"规则有误：{zh}", en=f"invalid rules: {en}", file=file))
                continue
            key = blamed or (".".join(loc[:2]) if loc[0] == "weights" else loc[0])
            zh, en = _problem(err, key)
            w = where(key)
            name_zh, name_en = _named(key, w)
            if not loc:  # a rule about several keys, blamed on one of them
                out.append(
                    Issue(
                        code="bad-rule",
                        zh=f"规则「{name_zh}」有误：{zh}",
                        en=f"invalid rules key {name_en}: {en}",
                        file=w.file,
                        sheet=w.sheet,
                        row=w.row,
                        column=w.column,
                    )
                )
                continue
            given = err["input"]
            shown = shown_value(given) if err["type"] != "missing" else ""
            shown_zh = given if isinstance(given, str) else shown
            out.append(
                Issue(
                    code="bad-rule",
                    zh=f"规则「{name_zh}」的值「{shown_zh}」无效：{zh}",
                    en=f"invalid value {shown} for rules key {name_en}: {en}",
                    file=w.file,
                    sheet=w.sheet,
                    row=w.row,
                    column=w.column,
                )
            )
        raise InputError(out) from exc
