"""Load a round: read the workbook and the rules, then build the indexed problem."""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import InputError, Severity
from ..domain.rules import Rules
from ..problem import Problem, build_problem
from .read import read_input_report
from .rules_reader import merge_rules, parse_sheet_rows, read_rules_toml


def load_problem(path: str | Path, rules: Rules | None = None, *, rules_file: str | Path | None = None,
                 overrides: dict | None = None) -> Problem:
    """Read a workbook and build its problem.

    ``rules`` given explicitly wins over everything. Otherwise the rules are the
    defaults, then the workbook's 规则 sheet, then ``rules_file``, then ``overrides``.
    """
    book, read_issues = read_input_report(path)
    if book is None:
        raise InputError(read_issues)
    if rules is None:
        layers = []
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
    return problem.with_warnings(before=read_issues)
