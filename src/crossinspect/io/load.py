"""Load a round: read the workbook and the rules, then build the indexed problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..domain.errors import InputError, Issue, Severity
from ..domain.rules import Rules, placeholder_title
from ..problem import Problem, build_problem
from .read import read_input_report
from .rules_reader import RulesLayer, merge_rules, parse_sheet_rows, read_rules_toml


def load_problem(
    path: str | Path, rules: Rules | None = None, *, rules_file: str | Path | None = None, overrides: dict | None = None
) -> Problem:
    """Read a workbook and build its problem.

    ``rules`` given explicitly wins over everything. Otherwise the rules are the
    defaults, then the workbook's 规则 sheet, then ``rules_file``, then ``overrides``.
    """
    book, read_issues = read_input_report(path)
    if book is None:
        raise InputError(read_issues)
    layers: list[dict[str, Any]] = []
    if rules is None:
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
        raise InputError([*read_issues, *problem.warnings])
    after = [_title_warning(rules.title, layers, rules_file, book.path)] if placeholder_title(rules.title) else []
    return problem.with_warnings(before=read_issues, after=after)


def load_rules(path: str | Path, *, rules_file: str | Path | None = None, overrides: dict | None = None) -> Rules:
    """The rules in force for an input, as ``load_problem`` layers them, without building the
    problem: for reporting the rules of an input whose other sheets are bad.

    Raises ``InputError`` when the input cannot be read at all or the rules are bad.
    """
    book, issues = read_input_report(path)
    if book is None:  # a 规则 sheet in it, if any, cannot be read either
        raise InputError(issues)
    layers: list[dict[str, Any]] = []
    if book.rules_rows:
        layers.append(parse_sheet_rows(book.rules_rows, file=book.path))
    if rules_file is not None:
        layers.append(read_rules_toml(rules_file))
    if overrides:
        layers.append(overrides)
    return merge_rules(*layers, file=str(rules_file) if rules_file else str(path))


def _title_warning(title: str, layers: list[dict[str, Any]], rules_file: str | Path | None, book_path: str) -> Issue:
    """A missing or placeholder title would be printed on every page of the roster."""
    written = next(
        (layer.at("title") for layer in reversed(layers) if isinstance(layer, RulesLayer) and "title" in layer), None
    )
    if written is not None:
        where = {"file": written.file, "sheet": written.sheet, "row": written.row, "column": written.column}
    else:
        where = {"file": str(rules_file) if rules_file is not None else book_path}
    if not title.strip():
        zh, en = "规则未填标题（title / 标题）", "the rules give no title (title / 标题)"
    else:
        zh = f"标题「{title}」像是占位文字（如「某市委」），会印在名单每一页上"
        en = f"the title '{title}' looks like a placeholder (such as 某市委); it is printed on every page"
    return Issue(
        code="placeholder-title",
        severity=Severity.WARNING,
        zh=f"{zh}；请在规则中写明本轮标题，如「漳州市委第四轮交叉巡察」",
        en=f"{en}; give this round's title in the rules",
        **where,
    )
