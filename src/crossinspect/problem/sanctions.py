"""Quality sanctions (R8, 质量评估) from the history sheet, and the natural order of round labels."""

from __future__ import annotations

import re

from ..domain.models import InputBook, Role
from ..domain.numerals import CHARS, chinese_to_int
from ..domain.plan import Sanction


def round_sort_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of round labels: 2024年第二轮 < 2025年第一轮 < 2025年第十轮."""
    parts: list[tuple[int, int | str]] = []
    for m in re.finditer(rf"\d+|[{CHARS}]+|[^\d{CHARS}]+", label):
        tok = m.group(0)
        if tok.isdigit() or tok[0] in CHARS:
            parts.append((0, chinese_to_int(tok)))
        else:
            parts.append((1, tok))
    return tuple(parts)


def compute_sanctions(book: InputBook, rounds: list[str]) -> list[Sanction]:
    """Quality sanctions (R8, 质量评估) from the history sheet.

    A round is *evaluated* when any leader in it has a 末位 value. A leader ranked
    last in three evaluated rounds in all is not drawn; one whose two latest
    evaluations were both last, in consecutive evaluated rounds, may not lead.
    """
    evaluated = [
        r
        for r in rounds
        if any(h.round == r and h.last_ranked is not None and h.role is Role.LEADER for h in book.history)
    ]
    position = {r: k for k, r in enumerate(evaluated)}
    # One mark per cadre and round, even if a round lists the cadre twice: R8 counts rounds.
    by_round: dict[str, dict[int, tuple[int, bool, str]]] = {}
    for h in book.history:
        if h.role is Role.LEADER and h.last_ranked is not None and h.round in position:
            k = position[h.round]
            seen = by_round.setdefault(h.cadre_id, {})
            last = h.last_ranked or (k in seen and seen[k][1])
            seen[k] = (k, last, h.round)
    out: list[Sanction] = []
    for cadre_id, per_round in sorted(by_round.items()):
        entries = sorted(per_round.values())
        lasts = [e for e in entries if e[1]]
        if len(lasts) >= 3:
            names = "、".join(e[2] for e in lasts)
            out.append(
                Sanction(
                    cadre_id=cadre_id,
                    kind="excluded",
                    zh=f"累计三次末位（{names}），本轮不予抽取",
                    en=f"ranked last three times ({', '.join(e[2] for e in lasts)}); not drawn",
                )
            )
        elif len(entries) >= 2 and entries[-1][1] and entries[-2][1] and entries[-1][0] == entries[-2][0] + 1:
            out.append(
                Sanction(
                    cadre_id=cadre_id,
                    kind="suspended",
                    zh=f"连续两轮末位（{entries[-2][2]}、{entries[-1][2]}），暂停担任组长",
                    en=f"ranked last in two consecutive rounds ({entries[-2][2]}, "
                    f"{entries[-1][2]}); suspended from leading",
                )
            )
    return out
