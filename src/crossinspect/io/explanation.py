"""The workbook written when no roster exists: findings, core and checked relaxations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..diagnose.explain import Explanation
from ..problem import Problem
from .safety import atomic_path, check_output_path, set_cell


def explanation_path(roster_path: str | Path) -> Path:
    """Where the explanation goes: beside the roster, never at the roster's own path,
    so a script that waits for the roster never mistakes an explanation for one."""
    p = Path(roster_path)
    return p.with_name(f"{p.stem}.infeasible.xlsx")


def write_explanation(
    problem: Problem,
    explanation: Explanation,
    roster_path: str | Path,
    *,
    lang: str = "zh",
    force: bool = False,
    input_paths: Sequence[str | Path] = (),
) -> Path:
    """Write the explanation beside ``roster_path``; never over an input (``input_paths``
    and the problem's workbook), nor over an existing file without ``force``."""
    path = check_output_path(explanation_path(roster_path), [*input_paths, problem.book.path], force=force)
    wb = Workbook()
    ws = wb.active
    ws.title = "无解说明" if lang == "zh" else "explanation"
    head = (
        ["类别", "规则", "说明", "涉及巡察对象", "涉及县区", "涉及干部编号"]
        if lang == "zh"
        else ["kind", "rule", "explanation", "targets", "counties", "cadre ids"]
    )
    for c, text in enumerate(head, 1):
        set_cell(ws.cell(1, c), text)
        ws.cell(1, c).font = Font(bold=True)
    row = 2
    kinds = (
        ("预检" if lang == "zh" else "pre-check", explanation.findings),
        ("冲突核心" if lang == "zh" else "core", explanation.core),
    )
    for kind, items in kinds:
        for f in items:
            values = [
                kind,
                f.rule,
                f.zh if lang == "zh" else f.en,
                "、".join(f.targets),
                "、".join(f.counties),
                "、".join(f.cadres),
            ]
            for c, v in enumerate(values, 1):
                set_cell(ws.cell(row, c), v)
                ws.cell(row, c).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    for r in explanation.relaxations:
        values = [
            "可行调整" if lang == "zh" else "relaxation",
            r.key,
            r.zh if lang == "zh" else r.en,
            "",
            "",
            "已验证" if r.verified else "",
        ]
        for c, v in enumerate(values, 1):
            set_cell(ws.cell(row, c), v)
        row += 1
    for col, width in zip("ABCDEF", (10, 8, 90, 30, 20, 20), strict=True):
        ws.column_dimensions[col].width = width
    with atomic_path(path, overwrite=force) as tmp:
        wb.save(tmp)
    return path
