"""Live progress on stderr while a roster or a term is solved."""

from __future__ import annotations

from typing import Any

from ..domain.plan import Progress
from .console import _t, err


class _Display:
    """Live solve progress on stderr: phase, best objective, bound, time used and left, effort."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.status = err.status(_t(lang, "正在建模…", "building model…"))

    def _clock(self, p: Progress) -> str:
        left = p.time_left
        effort = (
            (
                f"，工作量 {p.effort_used:.1f}/{p.effort:g}"
                if self.lang == "zh"
                else f", effort {p.effort_used:.1f}/{p.effort:g}"
            )
            if p.effort and p.effort_used is not None
            else ""
        )
        if left is None:
            return _t(self.lang, f"已用 {p.elapsed:.1f} 秒", f"{p.elapsed:.1f}s") + effort
        return (
            _t(self.lang, f"已用 {p.elapsed:.1f} 秒、剩余 {left:.0f} 秒", f"{p.elapsed:.1f}s, {left:.0f}s left")
            + effort
        )

    def __call__(self, p: Progress) -> None:
        clock = self._clock(p)
        if p.phase == "warmstart" and p.objective is not None:
            self.status.update(
                _t(
                    self.lang,
                    f"已有名单，目标值 {p.objective:g}，{clock}；继续优化…",
                    f"a roster, objective {p.objective:g}, {clock}; improving…",
                )
            )
            return
        if p.objective is None:
            # The rotation solver reports arcs done rather than objective values.
            self.status.update(
                _t(
                    self.lang,
                    f"逐一求解派出关系：已完成 {p.solutions} 个，{clock}",
                    f"solving pool→county arcs: {p.solutions} done, {clock}",
                )
            )
            return
        phase = {"goals": _t(self.lang, "优化软目标", "soft goals"), "lottery": _t(self.lang, "抽签", "lottery")}.get(
            p.phase, p.phase
        )
        bound = "" if p.bound is None else _t(self.lang, f"，下界 {p.bound:g}", f", bound {p.bound:g}")
        self.status.update(
            _t(
                self.lang,
                f"{phase}：第{p.solutions}个方案，目标值 {p.objective:g}{bound}，{clock}",
                f"{phase}: solution {p.solutions}, objective {p.objective:g}{bound}, {clock}",
            )
        )


class _TermDisplay:
    """Live progress of a term on stderr: the round, then the solver's own report."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.status = err.status(_t(lang, "正在分配各轮巡察对象…", "dealing the targets over the rounds…"))

    def __call__(self, p: Any) -> None:  # crossinspect.term.TermProgress
        head = _t(self.lang, f"第{p.round}/{p.rounds}轮", f"round {p.round}/{p.rounds}")
        if p.step == "retry":
            self.status.update(
                _t(
                    self.lang,
                    f"{head}无解，重新分配尚未编组的巡察对象（第{p.attempt + 1}种分配）…",
                    f"{head} has no roster; re-dealing the remaining targets (split {p.attempt + 1})…",
                )
            )
            return
        s = p.solve
        if s is None:
            return
        why = (
            _t(self.lang, "（上一轮组长不再任组长则无解，已放开）", " (previous leaders may lead again)")
            if p.step == "fallback"
            else ""
        )
        if s.objective is None or s.bound is None:
            text = _t(self.lang, f"已完成 {s.solutions} 个派出关系", f"{s.solutions} arcs done")
        else:
            text = _t(
                self.lang, f"目标值 {s.objective:g}，下界 {s.bound:g}", f"objective {s.objective:g}, bound {s.bound:g}"
            )
        self.status.update(
            _t(self.lang, f"{head}{why}：{text}，已用 {s.elapsed:.1f} 秒", f"{head}{why}: {text}, {s.elapsed:.1f}s")
        )
