"""History that contradicts itself (往轮记录自相矛盾) is an input error naming both rows.

A cadre sits on one team in a round. Two rows for one cadre and round that name
places neither of which contains the other, different roles, 末位 是 and 否, or
different 来源县区 cannot both be true, and each choice changes who may be drawn or
lead (R7, R8, R3); nothing is guessed. One round written two ways (2024年第一轮 and
2024年第1轮) would count as two rounds, so that is an error too.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.errors import Issue
from ..domain.models import HistoryRecord, InputBook
from ..places import Gazetteer, Resolution, resolve


def _header(rec: HistoryRecord, key: str, zh: str) -> str:
    return rec.source.columns.get(key, zh)


def _issue(rec: HistoryRecord, key: str, header_zh: str, zh: str, en: str) -> Issue:
    return Issue(
        code="history-contradiction",
        zh=zh,
        en=en,
        file=rec.source.file,
        sheet=rec.source.sheet,
        row=rec.source.row,
        column=_header(rec, key, header_zh),
    )


def _row(rec: HistoryRecord) -> str:
    return str(rec.source.row) if rec.source.row is not None else "?"


def history_contradictions(book: InputBook, gazetteer: Gazetteer, round_key: Callable[[str], object]) -> list[Issue]:
    """Every pair of history rows that cannot both hold, reported on the later row.

    ``round_key`` is the natural order key of round labels: labels with equal keys are
    one round.
    """
    issues: list[Issue] = []
    label_of: dict[object, HistoryRecord] = {}
    spellings: set[str] = set()
    for rec in book.history:
        first = label_of.setdefault(round_key(rec.round), rec)
        # each other spelling is reported once, at its first row
        if first.round != rec.round and rec.round not in spellings:
            spellings.add(rec.round)
            issues.append(
                _issue(
                    rec,
                    "round",
                    "轮次",
                    f"轮次「{rec.round}」与第{_row(first)}行的「{first.round}」是同一轮，写法须一致"
                    "（否则会被当作两轮，影响回看轮数和末位处理）",
                    f"round '{rec.round}' is round '{first.round}' of row {_row(first)} written another "
                    "way; write it the same way (else it counts as two rounds for the look-back window "
                    "and the last-ranked rule)",
                )
            )
    groups: dict[tuple[str, object], list[HistoryRecord]] = {}
    for rec in book.history:
        groups.setdefault((rec.cadre_id, round_key(rec.round)), []).append(rec)
    resolved: dict[str, Resolution] = {}

    def place(text: str) -> Resolution:
        if text not in resolved:
            resolved[text] = resolve(gazetteer, text)
        return resolved[text]

    for records in groups.values():
        first = records[0]
        for rec in records[1:]:
            issues.extend(_contradictions(first, rec, gazetteer, place))
    return issues


def _same_place(gazetteer: Gazetteer, a: Resolution, b: Resolution) -> bool:
    """One place contains the other (or they are one); unresolved places are not compared."""
    if not a.codes or not b.codes:
        return True  # the unknown place is reported on its own
    for x in a.codes:
        for y in b.codes:
            if x in gazetteer and y in gazetteer:
                if any(n.code == y for n in gazetteer.ancestors(x)):
                    return True
                if any(n.code == x for n in gazetteer.ancestors(y)):
                    return True
    return False


def _contradictions(
    first: HistoryRecord, rec: HistoryRecord, gazetteer: Gazetteer, place: Callable[[str], Resolution]
) -> list[Issue]:
    out: list[Issue] = []
    who_zh = f"干部「{rec.cadre_id}」在「{rec.round}」"
    who_en = f"cadre '{rec.cadre_id}' in round '{rec.round}'"
    row = _row(first)
    if not _same_place(gazetteer, place(first.place), place(rec.place)):
        out.append(
            _issue(
                rec,
                "place",
                "巡察地",
                f"{who_zh}既在第{row}行记为巡察「{first.place}」，又在本行记为巡察「{rec.place}」；"
                "一轮只能在一个组，请删除或改正其中一行",
                f"{who_en} inspected '{first.place}' on row {row} and '{rec.place}' on this row; a "
                "cadre sits on one team per round: delete or correct one of the rows",
            )
        )
    if first.role is not None and rec.role is not None and first.role is not rec.role:
        out.append(
            _issue(
                rec,
                "role",
                "角色",
                f"{who_zh}既在第{row}行任{first.role.zh}，又在本行任{rec.role.zh}；请改正其中一行",
                f"{who_en} was {first.role.value} on row {row} and {rec.role.value} on this row; "
                "correct one of the rows",
            )
        )
    if first.last_ranked is not None and rec.last_ranked is not None and first.last_ranked is not rec.last_ranked:
        yes_no = {True: "是", False: "否"}
        out.append(
            _issue(
                rec,
                "last_ranked",
                "末位",
                f"{who_zh}的末位既在第{row}行为「{yes_no[first.last_ranked]}」，又在本行为"
                f"「{yes_no[rec.last_ranked]}」；这决定其能否任组长，请改正其中一行",
                f"{who_en} is last-ranked '{first.last_ranked}' on row {row} and "
                f"'{rec.last_ranked}' on this row; this decides whether they may lead: correct one "
                "of the rows",
            )
        )
    if (
        first.from_county
        and rec.from_county
        and not _same_place(gazetteer, place(first.from_county), place(rec.from_county))
    ):
        out.append(
            _issue(
                rec,
                "from_county",
                "来源县区",
                f"{who_zh}既在第{row}行记为从「{first.from_county}」派出，又在本行记为从"
                f"「{rec.from_county}」派出；请改正其中一行",
                f"{who_en} was sent from '{first.from_county}' on row {row} and from "
                f"'{rec.from_county}' on this row; correct one of the rows",
            )
        )
    return out
