"""The office's own places (地名 sheet): townships, units and renamed counties added to a gazetteer."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain.errors import Issue, Severity
from ..domain.models import PlaceRecord
from .gazetteer import Gazetteer, Node, PlaceLevel, display
from .resolver import Resolution, add_to_index, index_copy, resolve, within_scope


def extend(gaz: Gazetteer, records: Iterable[PlaceRecord], file: str | None = None) -> tuple[Gazetteer, list[Issue]]:
    """A new gazetteer with the office's places added; ``gaz`` is unchanged.

    A row whose name already exists under its parent adds its aliases to that place
    (龙海区 with alias 龙海市); any other row adds a new place below its parent. Rows are
    taken in order, so a row may name an earlier row's place as its parent.
    """
    new = gaz.copy()
    new._index = index_copy(gaz)
    issues: list[Issue] = []
    counters: dict[str, int] = {}

    def attach(code: str, aliases: tuple[str, ...]) -> None:
        fresh = new.add_aliases(code, aliases)
        if fresh:
            add_to_index(new, new.node(code), fresh)

    for record in records:
        name = record.name.strip()
        aliases = tuple(dict.fromkeys(a.strip() for a in record.aliases if a.strip() and a.strip() != name))
        if not name:
            issues.append(_issue(record, file, "name", "place-name-empty", "地名为空", "the place name is empty"))
            continue
        parent_text = record.parent.strip()
        if not parent_text:
            existing = resolve(new, name)
            if len(existing.codes) == 1:
                attach(existing.codes[0], aliases)
                continue
            issues.append(
                _issue(
                    record,
                    file,
                    "parent",
                    "place-parent-missing",
                    f"地名「{name}」未填写上级地名",
                    f"place '{name}' has no parent place",
                    _paths(new, existing),
                )
            )
            continue
        parent = resolve(new, parent_text)
        if not parent.resolved:
            issues.append(
                _issue(
                    record,
                    file,
                    "parent",
                    "place-parent-unknown",
                    f"地名「{name}」的上级「{parent_text}」无法识别",
                    f"parent '{parent_text}' of place '{name}' is not a known place",
                    parent.suggestions,
                )
            )
            continue
        if parent.ambiguous:
            issues.append(
                _issue(
                    record,
                    file,
                    "parent",
                    "place-parent-ambiguous",
                    f"地名「{name}」的上级「{parent_text}」有多个同名地点，请写明所属市县",
                    f"parent '{parent_text}' of place '{name}' matches several places; write its city or county too",
                    _paths(new, parent),
                )
            )
            continue
        parent_code = parent.codes[0]
        same = within_scope(new, name, parent_code)
        if len(same) == 1:
            attach(same[0], aliases)
            continue
        if len(same) > 1:
            issues.append(
                _issue(
                    record,
                    file,
                    "name",
                    "place-name-ambiguous",
                    f"「{parent_text}」下有多个地点名为「{name}」",
                    f"several places under '{parent_text}' are called '{name}'",
                    tuple(display(new, c) for c in same),
                )
            )
            continue
        up = new.node(parent_code)
        counters[parent_code] = counters.get(parent_code, 0) + 1
        code = f"X{parent_code}-{counters[parent_code]}"
        while code in new:
            counters[parent_code] += 1
            code = f"X{parent_code}-{counters[parent_code]}"
        lonlat = new.coordinates(parent_code)
        node = Node(
            code=code,
            name=name,
            level=PlaceLevel(min(up.level + 1, PlaceLevel.UNIT)),
            parent=parent_code,
            lon=None if lonlat is None else lonlat[0],
            lat=None if lonlat is None else lonlat[1],
            aliases=aliases,
            office=True,
        )
        new.add(node)
        add_to_index(new, node, node.names)
    return new, issues


def _paths(gaz: Gazetteer, res: Resolution) -> tuple[str, ...]:
    return tuple(display(gaz, c) for c in res.codes) if res.codes else res.suggestions


def _issue(
    record: PlaceRecord, file: str | None, column: str, code: str, zh: str, en: str, suggestions: tuple[str, ...] = ()
) -> Issue:
    default = {"name": "地名", "parent": "上级", "aliases": "别名"}[column]
    return Issue(
        code=code,
        zh=zh,
        en=en,
        severity=Severity.ERROR,
        file=file if file is not None else record.source.file,
        sheet=record.source.sheet,
        row=record.source.row,
        column=record.source.columns.get(column, default),
        suggestions=suggestions,
    )
