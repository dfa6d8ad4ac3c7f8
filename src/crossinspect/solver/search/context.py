"""What every search strategy is given: the round, its parameters, and how it is watched."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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
    """One solve: the round, the parameters, the seed, the worker count, the wall-clock
    limit, the stop signal, the progress callback and the verifier."""

    problem: Problem
    params: SolveParams
    seed: int
    workers: int
    limit: float
    stop: threading.Event
    progress: ProgressFn | None
    check: Check
    start: float = field(default_factory=time.monotonic)
    timings: dict[str, float] = field(default_factory=dict)

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def left(self) -> float:
        return self.limit - self.elapsed()

    def report(self, phase: str, objective: float | None = None, bound: float | None = None,
               solutions: int = 1) -> None:
        if self.progress is not None:
            self.progress(Progress(phase=phase, objective=objective, bound=bound,
                                   elapsed=self.elapsed(), solutions=solutions))

    def weighted(self, terms: Mapping[str, int]) -> int:
        """The soft-goal objective of a roster's terms."""
        weights = self.problem.rules.weights.model_dump()
        return sum(weights[name] * value for name, value in terms.items())

    def terms(self, values: Mapping[str, int]) -> tuple[ObjectiveTerm, ...]:
        """Every soft goal with a positive weight, with its value in ``values``."""
        weights = self.problem.rules.weights.model_dump()
        return tuple(ObjectiveTerm(name=n, zh=TERM_ZH[n], weight=weights[n], value=values.get(n, 0),
                                   weighted=weights[n] * values.get(n, 0))
                     for n in TERM_ZH if weights[n])

    def result(self, status: Status, **fields: Any) -> SolveResult:
        """A result of this solve, with its seed, worker count, sanctions and timings."""
        problem = self.problem
        return SolveResult(status=status, runtime=self.elapsed(), timings=self.timings, seed=self.seed,
                           workers=self.workers,
                           sanctions=tuple(problem.sanctions[i] for i in sorted(problem.sanctions)),
                           **fields)

    def verified(self, plan: Plan) -> tuple[Violation, ...]:
        t0 = time.monotonic()
        found = tuple(self.check(plan))
        self.timings["verify"] = self.timings.get("verify", 0.0) + time.monotonic() - t0
        return found

    def roster_result(self, roster: Roster, *, bound: float | None, reproducible: bool) -> SolveResult:
        """A roster found by staging or polishing as the round's result, verified."""
        plan = make_plan(self.problem, roster.seats, roster.arcs)
        terms = self.terms(roster.terms)
        violations = self.verified(plan)
        objective = sum(t.weighted for t in terms)
        gap = None if bound is None else max(0.0, (objective - bound) / max(1.0, abs(objective)))
        interrupted = self.stop.is_set()
        return self.result(Status.INTERRUPTED if interrupted else Status.FEASIBLE, plan=plan, objective=objective,
                           bound=bound, gap=gap, terms=terms, lottery=None, lottery_optimal=False,
                           reproducible=reproducible and not interrupted, violations=violations)
