"""A roster drawn under relaxed rules says so inside the file, not only on the page.

When no roster meets the rules, ``explain`` offers relaxations, each solved and verified,
and the web page can draw a roster under one of them. Printed and signed, that roster must
not pass for a draw under the rules the office adopted. ``Relaxed`` holds what was relaxed,
from what to what; ``write_roster`` (``RosterExtras.relaxed``) prints it on the overview's
note line and at the top of 运行信息.

The rules a roster records (运行信息's hidden record, ``run_record``) are always those of its
problem, so a roster drawn under relaxed rules keys records the relaxed rules and
``verify --reproduce`` redraws it under them. A change to the input itself (a cadre added,
a manual decision dropped) exists only in the relaxed problem: the input file cannot give
that roster again, so ``Relaxed.result`` marks the draw not reproducible, and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..diagnose.explain import Relaxation
from ..domain.commitment import NOT_COMMITTED
from ..domain.plan import SolveResult
from ..domain.rule_words import value_in_words, zh_name
from ..domain.rules import Rules


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class RuleChange:
    """One rules key, as the office adopted it and as the roster was drawn."""

    key: str  # weights.balance for a weight
    before: Any  # as ``Rules.model_dump(mode="json")`` gives it
    after: Any

    def name(self, lang: str) -> str:
        return zh_name(self.key) if lang == "zh" else self.key

    def values(self, lang: str) -> str:
        """原值 → 新值, in words: 纪检监察3人 → 纪检监察2人."""
        return f"{value_in_words(self.key, self.before, lang)} → {value_in_words(self.key, self.after, lang)}"

    def text(self, lang: str) -> str:
        before, after = (value_in_words(self.key, v, lang) for v in (self.before, self.after))
        return _t(lang, f"{self.name(lang)}由{before}改为{after}", f"{self.key} from {before} to {after}")


@dataclass(frozen=True)
class Relaxed:
    """What was relaxed before a roster was drawn: rules keys, changes to the input, soft goals."""

    rules: tuple[RuleChange, ...] = ()
    #: changes to the input itself, as the explanation worded them (Chinese, English)
    input_changes: tuple[tuple[str, str], ...] = ()
    #: the soft goals were switched off (a relaxation applied to the problem only asks for a roster)
    soft_goals_off: bool = False

    @classmethod
    def of(cls, original: Rules, drawn: Rules, relaxations: Sequence[Relaxation]) -> Relaxed:
        """The difference between the rules adopted (``original``) and those a roster was drawn
        with (``drawn``), and the relaxations behind it that changed the input itself."""
        before, after = original.model_dump(mode="json"), drawn.model_dump(mode="json")
        weights_before, weights_after = before.pop("weights"), after.pop("weights")
        changes = [
            RuleChange(key, before[key], after[key])
            for key in before
            if key not in NOT_COMMITTED and before[key] != after[key]
        ]
        off = not any(weights_after.values()) and any(weights_before.values())
        if not off:
            changes += [
                RuleChange(f"weights.{key}", weights_before[key], weights_after[key])
                for key in weights_before
                if weights_before[key] != weights_after[key]
            ]
        return cls(
            rules=tuple(changes),
            input_changes=tuple((r.zh, r.en) for r in relaxations if not r.rules_only),
            soft_goals_off=off,
        )

    @property
    def input_changed(self) -> bool:
        return bool(self.input_changes)

    def items(self, lang: str) -> list[str]:
        """Each change in a few words: 必备专长由纪检监察3人改为纪检监察2人."""
        out = [c.text(lang) for c in self.rules]
        out += [zh if lang == "zh" else en for zh, en in self.input_changes]
        if self.soft_goals_off:
            out.append(_t(lang, "未优化软目标（权重均按0计）", "soft goals not optimised (every weight 0)"))
        return out

    def note(self, lang: str) -> str:
        """The line under the overview's title."""
        items = ("；" if lang == "zh" else "; ").join(self.items(lang))
        return _t(
            lang,
            f"已放宽规则编组（原规则下无法编组；本名单不符合原规则，须经批准方可使用）：{items}",
            f"Drawn under relaxed rules (no roster meets the rules adopted; this one does not, and needs "
            f"approval before use): {items}",
        )

    def rows(self, lang: str) -> list[tuple[str, str, str]]:
        """Rows of 运行信息: item, value, meaning."""
        basis_zh, basis_en = (
            ("这些规则和调整后的输入", "them and from the input as changed")
            if self.input_changed
            else ("这些规则", "them")
        )
        out = [
            (
                _t(lang, "放宽规则", "Relaxed rules"),
                _t(lang, "是：原规则下无法编组", "yes: no roster meets the rules adopted"),
                _t(
                    lang,
                    "本名单按放宽后的规则编组，不符合原规则，须经批准方可使用。下列「规则：」各行是编组时实际执行的规则；"
                    f"承诺值按{basis_zh}计算，与按原规则公布的承诺值不同",
                    "this roster was drawn under relaxed rules and does not meet those adopted; it needs approval "
                    f"before use. The Rule rows below are the rules it was drawn with; the commitment is computed "
                    f"from {basis_en}, so it differs from the one published for the rules adopted",
                ),
            )
        ]
        for change in self.rules:
            out.append(
                (
                    _t(lang, f"放宽：{change.name(lang)}", f"Relaxed: {change.key}"),
                    change.values(lang),
                    _t(lang, "原规则 → 编组时执行的规则", "rule adopted → rule drawn with"),
                )
            )
        for zh, en in self.input_changes:
            out.append(
                (
                    _t(lang, "调整输入", "Input changed"),
                    _t(lang, zh, en),
                    _t(
                        lang,
                        "只在本次编组中生效，输入文件未改动；仅凭输入文件不能重新抽出本名单",
                        "for this draw only; the input file is unchanged and cannot give this roster again",
                    ),
                )
            )
        if self.soft_goals_off:
            out.append(
                (
                    _t(lang, "软目标", "Soft goals"),
                    _t(lang, "未优化", "not optimised"),
                    _t(lang, "放宽后只求得到一份名单，各软目标权重均按0计", "the relaxed draw asked only for a roster"),
                )
            )
        return out

    def result(self, result: SolveResult) -> SolveResult:
        """``result`` as the roster must report it: not reproducible when the input was changed."""
        if not self.input_changed:
            return result
        changes = [zh for zh, _ in self.input_changes], [en for _, en in self.input_changes]
        zh = f"编组时输入经过调整（{'；'.join(changes[0])}），仅凭输入文件不能重新抽出本名单"
        en = f"the input was changed for this draw ({'; '.join(changes[1])}); the input file cannot give it again"
        if not result.reproducible:
            zh, en = f"{result.not_reproducible_zh}；{zh}", f"{result.not_reproducible_en}; {en}"
        return result.model_copy(update={"reproducible": False, "not_reproducible_zh": zh, "not_reproducible_en": en})
