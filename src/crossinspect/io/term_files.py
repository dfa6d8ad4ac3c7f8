"""A term's files: every round's roster and the overview written, and written rosters re-checked.

``workflows.term`` plans a term in memory; this module writes it (``第1轮.xlsx`` … and
``全期总览.xlsx``) and reads a written term back to verify it round by round.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from ..domain.errors import InputError, Issue
from ..domain.models import HistoryRecord
from ..domain.plan import Arc, Plan, Violation
from ..domain.text import normalize_id
from ..problem import Problem
from ..verify import verify
from ..workflows.term import OVERVIEW_FILE, ROUND_FILE, TermPlan, round_history, round_problem, term_labels
from .read.limits import MAX_FILE_BYTES
from .read.tables import clean
from .roster import LANGS, SHEET_ASSIGNMENTS, SHEET_ROTATION, write_roster
from .roster_reader import read_plan
from .safety import NotARegularFile, OutputError, check_output_path, read_regular_file
from .term_overview import write_term_overview


@dataclass(frozen=True)
class TermCheck:
    """Violations of written term rosters: per round, and of the term as a whole."""

    rounds: tuple[tuple[Violation, ...], ...]
    #: targets inspected in no round or in several (rule ``PLAN``)
    term: tuple[Violation, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.term and not any(self.rounds)


def verify_term(problem: Problem, rosters: Sequence[str | Path]) -> TermCheck:
    """Re-check written round rosters, in order, each with the earlier rosters as history.

    ``verify`` for a term: round k's problem is rebuilt from the input (``problem``)
    with the targets roster k lists and, as history, the seats of rosters 1 … k-1 *as
    read back* — so a hand edit of an earlier round is carried into the checks of the
    later ones. The rotation arcs are read from each roster's 轮换 sheet: in a round
    that inspects only some counties, the seats alone cannot show where an idle pool
    went, and the single cycle could not be checked. Raises ``InputError`` for a
    roster that cannot be read.
    """
    labels = term_labels(problem.book, len(rosters))
    history: list[HistoryRecord] = []
    per_round: list[tuple[Violation, ...]] = []
    seen: Counter[str] = Counter()
    for k, path in enumerate(rosters):
        wb = _open_roster(path)
        ids = _roster_targets(wb, problem, str(path))
        seen.update(ids)
        targets = sorted(problem.target_index[t] for t in ids)
        problem_k = round_problem(problem, k, len(rosters), targets, history)
        plan = read_plan(path, problem_k)
        arcs = _roster_arcs(wb, problem_k, str(path))
        if arcs:
            plan = Plan(teams=plan.teams, arcs=arcs)
        per_round.append(tuple(verify(problem_k, plan)))
        history += round_history(labels[k], problem_k, plan)
    term: list[Violation] = []
    for t in problem.targets:
        if seen[t.id] != 1:
            term.append(
                Violation(
                    rule="PLAN",
                    zh=f"巡察对象{t.name}在全期中被巡察{seen[t.id]}次（应恰好1次）",
                    en=f"target {t.name} is inspected {seen[t.id]} times in the term (exactly once expected)",
                )
            )
    return TermCheck(rounds=tuple(per_round), term=tuple(term))


def _open_roster(path: str | Path) -> Any:
    try:
        data = read_regular_file(path, limit=MAX_FILE_BYTES)
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except NotARegularFile as exc:
        raise InputError(
            [Issue(code="not-a-file", zh=f"名单文件{exc.zh}", en=f"the roster {exc.en}", file=str(path))]
        ) from exc
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            [
                Issue(
                    code="unreadable",
                    zh="名单文件不是可读的 .xlsx 工作簿",
                    en=f"the roster is not a readable .xlsx workbook ({exc})",
                    file=str(path),
                )
            ]
        ) from exc


def _roster_targets(wb: Any, problem: Problem, file: str) -> list[str]:
    """Target ids of a round roster, from its assignments sheet (ids are exact there)."""
    if SHEET_ASSIGNMENTS not in wb.sheetnames:
        raise InputError(
            [
                Issue(
                    code="no-assignments",
                    zh="名单缺少 assignments 表，无法确定本轮巡察对象",
                    en="the roster has no assignments sheet; cannot tell the round's targets",
                    file=file,
                )
            ]
        )
    rows = [[clean(v) for v in row] for row in wb[SHEET_ASSIGNMENTS].iter_rows(values_only=True)]
    header = [h.lower() for h in rows[0]] if rows else []
    if "target_id" not in header:
        raise InputError(
            [
                Issue(
                    code="missing-column",
                    zh="assignments 表缺少列：target_id",
                    en="the assignments sheet lacks column: target_id",
                    file=file,
                    sheet=SHEET_ASSIGNMENTS,
                    row=1,
                )
            ]
        )
    col = header.index("target_id")
    ids = list(dict.fromkeys(normalize_id(r[col]) for r in rows[1:] if col < len(r) and r[col]))
    unknown = [t for t in ids if t not in problem.target_index]
    if unknown:
        raise InputError(
            [
                Issue(
                    code="unknown-target",
                    zh=f"巡察对象编号「{t}」不在输入中",
                    en=f"target id '{t}' is not in the input",
                    file=file,
                    sheet=SHEET_ASSIGNMENTS,
                    column="target_id",
                )
                for t in unknown
            ]
        )
    return ids


def _roster_arcs(wb: Any, problem: Problem, file: str) -> tuple[Arc, ...]:
    """Arcs listed on the roster's 轮换 sheet (派出县区 → 接收县区), by county name."""
    if SHEET_ROTATION not in wb.sheetnames:
        return ()
    by_name = {problem.county_name(c): c for c in problem.counties}
    arcs: list[Arc] = []
    cols: tuple[int, int] | None = None
    for r, values in enumerate(wb[SHEET_ROTATION].iter_rows(values_only=True), start=1):
        row = [clean(v) for v in values]
        if cols is None:
            keys = [re.sub(r"\s+", "", v).lower() for v in row]
            for src, dst in (("派出县区", "接收县区"), ("sendingcounty", "receivingcounty")):
                if src in keys and dst in keys:
                    cols = (keys.index(src), keys.index(dst))
            continue
        src_name, dst_name = (row[c] if c < len(row) else "" for c in cols)
        if not src_name and not dst_name:
            break  # the table ends; the picture follows
        unknown = [n for n in (src_name, dst_name) if n not in by_name]
        if unknown:
            raise InputError(
                [
                    Issue(
                        code="unknown-county",
                        zh=f"轮换表中的县区「{n}」不在本轮",
                        en=f"county '{n}' on the rotation sheet is not in this round",
                        file=file,
                        sheet=SHEET_ROTATION,
                        row=r,
                    )
                    for n in unknown
                ]
            )
        arcs.append(Arc(source=by_name[src_name], dest=by_name[dst_name], source_name=src_name, dest_name=dst_name))
    return tuple(arcs)


# ---- writing ----------------------------------------------------------------------------


def write_term(
    term: TermPlan,
    directory: str | Path,
    *,
    lang: str = "zh",
    force: bool = False,
    input_paths: Sequence[str | Path] = (),
) -> list[Path]:
    """Write ``第1轮.xlsx`` … (one roster per round) and ``全期总览.xlsx`` into ``directory``.

    Every output path is checked before anything is written, so a refusal (an existing
    file without ``force``, an input in the way) leaves the folder as it was. Each file
    is written atomically. Raises ``OutputError``; a term with a failure is refused.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    if not term.ok:
        raise OutputError("全期计划未完成，不写出名单。", "the term plan is incomplete; nothing written.")
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"无法创建输出文件夹 {folder}：{exc.strerror}", f"cannot create output folder {folder}: {exc.strerror}"
        ) from exc
    inputs: list[str | Path] = [*input_paths, *([term.problem.book.path] if term.problem.book.path else [])]
    paths = [folder / ROUND_FILE.format(k=r.number) for r in term.rounds]
    overview = folder / OVERVIEW_FILE
    for p in [*paths, overview]:
        check_output_path(p, inputs, force=force)
    written = [
        write_roster(r.problem, r.result, p, lang=lang, force=force, input_paths=inputs)
        for r, p in zip(term.rounds, paths, strict=True)
    ]
    written.append(write_term_overview(term, overview, lang=lang, force=force, input_paths=inputs))
    return written
