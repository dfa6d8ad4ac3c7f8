"""Why there is no roster: pre-check findings, an infeasible core, checked relaxations."""

from __future__ import annotations

from dataclasses import dataclass, field

from .precheck import Finding
from .problem import Problem


@dataclass(frozen=True)
class Relaxation:
    """A change to the rules or input that was solved and found to restore a roster."""

    key: str
    zh: str
    en: str
    verified: bool


@dataclass
class Explanation:
    """Everything known about an infeasible round, in Chinese and English."""

    findings: list[Finding] = field(default_factory=list)
    core: list[Finding] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)

    def render(self, lang: str = "zh") -> str:
        lines = [("  • " + f.render(lang)) for f in self.findings]
        if self.core:
            lines.append("冲突的规则组合：" if lang == "zh" else "Rules that collide:")
            lines += [("  • " + f.render(lang)) for f in self.core]
        if not self.findings and not self.core:
            lines.append("  • " + ("各项规则合在一起无解，但没有单一规则可以指认。"
                                   if lang == "zh" else
                                   "the rules together admit no roster; no single rule can be named."))
        if self.relaxations:
            lines.append("可恢复编组的调整（已逐项求解验证）：" if lang == "zh"
                         else "Relaxations that restore a roster (each solved and verified):")
            lines += [f"  • {r.zh if lang == 'zh' else r.en}" for r in self.relaxations]
        return "\n".join(lines)


def explain(problem: Problem, findings: list[Finding] | None = None) -> Explanation:
    """Explain an infeasible problem, starting from the pre-check's findings."""
    from .precheck import precheck

    found = list(findings) if findings else precheck(problem)
    return Explanation(findings=found)
