"""Write a generated instance as the input workbook and rules file a clerk would hand in.

Headers are the Chinese names of SPEC §3, taken from ``crossinspect.io.columns`` so the
reader accepts them; the whole-CLI benchmark reads this workbook back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from crossinspect.domain.models import ROLE_ZH, InputBook
from crossinspect.io.columns import SHEETS

from .generate import Instance

_SEP = "、"


def _yes(flag: bool | None) -> str | None:
    return None if flag is None else ("是" if flag else "否")


def _rows(book: InputBook) -> dict[str, list[list[Any]]]:
    cadres = [
        [
            c.id,
            c.name,
            c.gender.zh,
            c.county,
            c.unit,
            c.rank,
            _SEP.join(ROLE_ZH[r] for r in sorted(c.roles, key=list(ROLE_ZH).index)),
            _SEP.join(c.skills),
            c.department,
            _SEP.join(c.residence),
            _SEP.join(c.workplace),
            _SEP.join(c.postings),
            _SEP.join(c.upbringing),
            _SEP.join(c.conflicts) or None,
            _yes(c.available),
        ]
        for c in book.cadres
    ]
    targets = [
        [t.id, t.name, t.location, t.size, _SEP.join(t.skills) or None, t.department or None] for t in book.targets
    ]
    history = [
        [h.round, h.cadre_id, h.place, ROLE_ZH[h.role] if h.role else None, _yes(h.last_ranked), h.from_county or None]
        for h in book.history
    ]
    kinds = {"pin": "指定", "ban": "禁配", "unavailable": "不可用"}
    decisions = [
        [
            kinds[d.kind.value],
            d.cadre_id,
            d.target_id or None,
            ROLE_ZH[d.role] if d.role else None,
            d.other_cadre_id or None,
            d.note or None,
        ]
        for d in book.decisions
    ]
    return {"cadres": cadres, "targets": targets, "history": history, "decisions": decisions}


def write_input(instance: Instance, directory: Path) -> tuple[Path, Path]:
    """``input.xlsx`` and ``rules.toml`` for ``instance`` in ``directory``; returns both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = _rows(instance.book)
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    for sheet in SHEETS:
        if sheet.key not in rows:
            continue
        ws = wb.create_sheet(sheet.zh)
        ws.append([c.zh for c in sheet.columns])
        for row in rows[sheet.key]:
            ws.append(row)
    xlsx = directory / "input.xlsx"
    wb.save(xlsx)
    toml = directory / "rules.toml"
    toml.write_text(_toml(instance.rules), encoding="utf-8")
    return xlsx, toml


def _toml(rules: dict[str, Any]) -> str:
    lines = []
    for key, value in rules.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v)}" for k, v in value.items())
            lines.append(f"{key} = {{ {inner} }}" if inner else f"{key} = {{}}")
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
