"""What every search strategy is given: the round, its effort, the safety stop, and the verifier.

Reproducibility (R11) is kept by construction here. Every search step is given a budget in
effort units (CP-SAT's deterministic time) fixed by the rules and the round alone, never by
the clock, the machine or the worker count; its result is then a function of the input,
the rules, the seed and the software versions. The wall clock only enters as the safety
stop (``deadline``): a step it cuts short, or a ``stop`` from the user, is recorded as a
reason the roster is not reproducible, and the result says so.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...domain import lottery
from ...domain.plan import ObjectiveTerm, Plan, Progress, SolveResult, Status, Violation
from ...problem import Problem
from ..model.objectives import TERM_ZH
from ..params import SolveParams
from .assemble import Roster, make_plan
from .cpsat import ProgressFn

#: The independent verifier, given by the caller: the solver never imports it, and every
#: roster it returns has been checked by it.
Check = Callable[[Plan], Sequence[Violation]]


@dataclass
class Search:
    """One solve: the round, the parameters, the seed text, the effort (in units), the
    worker count (speed only), the wall-clock safety stop, the stop signal, the progress
    callback and the verifier."""

    problem: Problem
    params: SolveParams
    seed: str
    effort: float
    workers: int
    limit: float
    stop: threading.Event
    progress: ProgressFn | None
    check: Check
    start: float = field(default_factory=time.monotonic)
    timings: dict[str, float] = field(default_factory=dict)
    #: effort units spent so far (deterministic: the same on every machine)
    used: float = 0.0
    #: why the roster is not reproducible, if it is not: (zh, en) reasons, first one first
    reasons: list[tuple[str, str]] = field(default_factory=list)
    #: seconds from the start to the first verified roster
    first_roster: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def search_seed(self) -> int:
        return lottery.search_seed(self.seed)

    @property
    def deadline(self) -> float:
        return self.start + self.limit

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def left(self) -> float:
        """Wall seconds before the safety stop."""
        return self.limit - self.elapsed()

    def spend(self, units: float) -> None:
        with self.lock:
            self.used += units

    def cut(self, zh: str, en: str) -> None:
        """Record that the clock or the user, not the effort, ended a step."""
        with self.lock:
            if (zh, en) not in self.reasons:
                self.reasons.append((zh, en))

    def cut_by_clock(self, step_zh: str, step_en: str) -> None:
        if self.stop.is_set():
            self.cut("搜索被中途停止", "the search was stopped")
        else:
            self.cut(
                f"时限（{self.limit:g}秒）先于搜索工作量用完，{step_zh}被截断",
                f"the time limit ({self.limit:g} s) ran out before the effort: {step_en} was cut short",
            )

    @property
    def reproducible(self) -> bool:
        return not self.reasons and not self.stop.is_set()

    def report(
        self, phase: str, objective: float | None = None, bound: float | None = None, solutions: int = 1
    ) -> None:
        if objective is not None and self.first_roster is None:
            self.first_roster = self.elapsed()
        if self.progress is not None:
            self.progress(
                Progress(
                    phase=phase,
                    objective=objective,
                    bound=bound,
                    elapsed=self.elapsed(),
                    solutions=solutions,
                    time_limit=self.limit,
                    effort=self.effort,
                    effort_used=self.used,
                )
            )

    def weighted(self, terms: Mapping[str, int]) -> int:
        """The soft-goal objective of a roster's terms."""
        weights = self.problem.rules.weights.model_dump()
        return sum(weights[name] * value for name, value in terms.items())

    def terms(self, values: Mapping[str, int]) -> tuple[ObjectiveTerm, ...]:
        """Every soft goal with a positive weight, with its value in ``values``."""
        weights = self.problem.rules.weights.model_dump()
        return tuple(
            ObjectiveTerm(
                name=n, zh=TERM_ZH[n], weight=weights[n], value=values.get(n, 0), weighted=weights[n] * values.get(n, 0)
            )
            for n in TERM_ZH
            if weights[n]
        )

    def result(self, status: Status, **fields: Any) -> SolveResult:
        """A result of this solve, with its seed, effort, reproducibility, sanctions and timings."""
        problem = self.problem
        if self.stop.is_set() and not self.reasons:
            self.cut("搜索被中途停止", "the search was stopped")
        reproducible = fields.pop("reproducible", True) and self.reproducible
        zh = "；".join(z for z, _ in self.reasons)
        en = "; ".join(e for _, e in self.reasons)
        return SolveResult(
            status=status,
            runtime=self.elapsed(),
            timings=self.timings,
            seed=self.seed,
            workers=self.workers,
            effort=self.effort,
            effort_used=round(self.used, 3),
            first_roster_s=self.first_roster,
            reproducible=reproducible,
            not_reproducible_zh=zh if not reproducible else "",
            not_reproducible_en=en if not reproducible else "",
            sanctions=tuple(problem.sanctions[i] for i in sorted(problem.sanctions)),
            **fields,
        )

    def verified(self, plan: Plan) -> tuple[Violation, ...]:
        t0 = time.monotonic()
        found = tuple(self.check(plan))
        self.timings["verify"] = self.timings.get("verify", 0.0) + time.monotonic() - t0
        return found

    def roster_result(self, roster: Roster, *, bound: float | None) -> SolveResult:
        """A roster found by staging or polishing as the round's result, verified."""
        plan = make_plan(self.problem, roster.seats, roster.arcs)
        terms = self.terms(roster.terms)
        violations = self.verified(plan)
        objective = sum(t.weighted for t in terms)
        gap = None if bound is None else max(0.0, (objective - bound) / max(1.0, abs(objective)))
        status = Status.INTERRUPTED if self.stop.is_set() else Status.FEASIBLE
        return self.result(
            status,
            plan=plan,
            objective=objective,
            bound=bound,
            gap=gap,
            terms=terms,
            lottery=None,
            lottery_optimal=False,
            violations=violations,
        )
