"""One round: search for the roster, verify it independently, explain it when there is none."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..domain.plan import Progress, SolveResult, Status
from ..problem import Problem
from ..solver import SolveParams
from ..solver import search as run_search
from ..verify import verifier


def solve(
    problem: Problem,
    *,
    seed: str | int | None = None,
    effort: float | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    explain: bool = True,
    params: SolveParams | None = None,
) -> SolveResult:
    """Build teams for ``problem``; every returned plan has been checked by ``verify``.

    ``seed`` (any text; a number is its decimal text), ``effort`` (deterministic units),
    ``time_limit`` (seconds, a safety stop) and ``workers`` default to the rules
    (``workers`` 0 means one per core). The same input, rules, seed and effort give the
    same roster on any machine and with any worker count, unless the time limit or
    ``stop`` cut the search short: the result's ``reproducible`` says which.
    ``progress`` receives a ``Progress`` on every improving roster. Setting ``stop`` (or
    Ctrl-C) ends the search with the best roster so far. When no roster exists,
    ``explain`` adds why (``diagnose.explain``) to the result.
    """
    result = run_search(
        problem,
        check=verifier(problem),
        params=params,
        seed=None if seed is None else str(seed),
        effort=effort,
        time_limit=time_limit,
        workers=workers,
        progress=progress,
        stop=stop,
    )
    if result.status is Status.INFEASIBLE and explain:
        from ..diagnose.explain import explain as run_explain

        t0 = time.monotonic()
        explanation = run_explain(problem)
        timings = {**result.timings, "explain": time.monotonic() - t0}
        result = result.model_copy(update={"explanation": explanation, "timings": timings})
    return result
