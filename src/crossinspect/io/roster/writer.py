"""What every sheet of the roster is written with: the plan and its extras, lookups by id,
team numbers, and the words for a hand-edited roster."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...domain.models import Cadre, Target
from ...domain.plan import Plan, SolveResult, Team, Violation
from ...problem import Problem
from ..audit import place_label
from ..relaxed import Relaxed
from ..sheet_style import TableWriter, _t
from .labels import SHEET_VIOLATIONS, team_label, team_number


@dataclass(frozen=True)
class HandEdit:
    """A roster rewritten by ``render`` from a plan the office edited by hand."""

    source: str  # the edited roster's file name
    edited: bool  # the seats differ from those the roster was first written with
    violations: tuple[Violation, ...]  # the verifier's findings on the edited plan
    changes_known: bool = True  # False when the roster could not tell what it was written with


@dataclass(frozen=True)
class RosterExtras:
    """Optional sheets: changes after a re-plan or a hand edit, alternates per seat, and
    what ``render`` found about a hand-edited plan."""

    changes: tuple[Any, ...] | None = None  # replan.Change
    alternates: tuple[Any, ...] | None = None  # alternates.Alternates
    #: the time limit stopped the alternates before every seat was checked
    alternates_partial: bool = False
    hand_edit: HandEdit | None = None
    #: drawn under relaxed rules: said on the overview and on 运行信息 (io/relaxed.py)
    relaxed: Relaxed | None = None


class RosterWriter(TableWriter):
    """The roster being written. Each sheet module extends it with the methods that write its
    sheets; ``_Writer`` in io/roster/__init__.py joins them."""

    def __init__(
        self, problem: Problem, plan: Plan, solve: SolveResult | None, lang: str, extras: RosterExtras
    ) -> None:
        super().__init__(lang)
        self.p = problem
        self.extras = extras
        self.plan = plan
        # A draw from a changed input cannot be made again from the input file: say so.
        self.solve = extras.relaxed.result(solve) if extras.relaxed is not None and solve is not None else solve
        self.lang = lang
        self.numbers = {t.team_id: team_number(t, k) for k, t in enumerate(plan.teams)}
        if len(set(self.numbers.values())) < len(self.numbers):
            # Hand-made ids that collide (2 and a non-numeric id in second place) would
            # give two sheets one name: number the teams by position instead.
            self.numbers = {t.team_id: k + 1 for k, t in enumerate(plan.teams)}
        self.title = problem.rules.title

    # -- lookups

    def cadre(self, cadre_id: str) -> Cadre | None:
        i = self.p.cadre_index.get(cadre_id)
        return self.p.cadres[i] if i is not None else None

    def target(self, target_id: str) -> Target | None:
        j = self.p.target_index.get(target_id)
        return self.p.targets[j] if j is not None else None

    def name(self, cadre_id: str) -> str:
        c = self.cadre(cadre_id)
        return c.name if c is not None else cadre_id

    def location(self, target_id: str) -> str:
        j = self.p.target_index.get(target_id)
        if j is None:
            return ""
        return place_label(self.p, self.p.target_location[j], self.p.targets[j].location)

    def pool(self, cadre_id: str) -> str:
        i = self.p.cadre_index.get(cadre_id)
        if i is None:
            return ""
        code = self.p.cadre_county[i]
        return self.p.county_name(code) if code else self.p.cadres[i].county

    def label(self, team: Team) -> str:
        return team_label(self.numbers[team.team_id], self.lang)

    def team_of(self, team_id: str) -> Team:
        return next(t for t in self.plan.teams if t.team_id == team_id)

    def fingerprint(self) -> str:
        """R11: the seed and input checksum printed where the roster is signed."""
        seed = self.solve.seed if self.solve is not None else self.p.rules.seed
        sha = self.p.book.sha256
        name = Path(self.p.book.path).name
        text = _t(
            self.lang,
            f"抽签种子：{seed}　输入文件：{name}　SHA-256：{sha}",
            f"Lottery seed: {seed}   Input: {name}   SHA-256: {sha}",
        )
        if self.extras.hand_edit is not None:
            text = f"{self.hand_edit_text()}\n{text}"
        if self.extras.relaxed is not None:
            text = f"{self.extras.relaxed.note(self.lang)}\n{text}"
        return text

    def hand_edit_text(self) -> str:
        """已人工调整 and the verifier's verdict, as the overview prints them."""
        return _t(
            self.lang,
            f"{self.hand_edit_mark()}；独立校验：{self.check_verdict()}",
            f"{self.hand_edit_mark()}; independent check: {self.check_verdict()}",
        )

    def hand_edit_mark(self) -> str:
        hand = self.extras.hand_edit
        assert hand is not None
        if hand.edited:
            return _t(self.lang, "已人工调整（不再是抽签结果）", "edited by hand (no longer the draw's result)")
        return _t(self.lang, "由已有名单重新生成，未发现人工调整", "rewritten; no hand edit found")

    def check_verdict(self) -> str:
        hand = self.extras.hand_edit
        assert hand is not None
        n = len(hand.violations)
        if not n:
            return _t(self.lang, "通过，全部规则均符合", "every rule holds")
        return _t(
            self.lang,
            f"未通过，{n}处违规，见「{SHEET_VIOLATIONS}」表",
            f"{n} violation(s), see sheet {SHEET_VIOLATIONS}",
        )
