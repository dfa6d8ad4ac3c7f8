"""The search entry point: choose the strategy for the round and run it."""

from __future__ import annotations

import os
import threading

from ...domain.plan import SolveResult
from ...problem import Problem
from ..params import DEFAULT_PARAMS, SolveParams
from .arcs import applies, solve_by_arcs
from .context import Check, Search
from .cpsat import ProgressFn
from .monolithic import solve_monolithic


def search(
    problem: Problem,
    *,
    check: Check,
    params: SolveParams | None = None,
    seed: str | None = None,
    effort: float | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
) -> SolveResult:
    """Build teams for ``problem``; ``check`` (the independent verifier) checks every roster
    before it is returned, and its findings are the result's ``violations``.

    ``seed`` (any text), ``effort`` (deterministic units), ``time_limit`` (seconds, a
    safety stop) and ``workers`` default to the rules (``workers`` 0 means one per core, at
    most 8). The roster depends on the input, the rules, the seed, the effort and the
    software versions alone: ``workers`` changes only the speed, and a roster the time
    limit or ``stop`` cut short says it is not reproducible. ``progress`` receives a
    ``Progress`` on every improving roster. Setting ``stop`` (or Ctrl-C) ends the search
    with the best roster so far.
    """
    rules = problem.rules
    params = params or DEFAULT_PARAMS
    n_workers = workers if workers is not None else rules.workers
    ctx = Search(
        problem=problem,
        params=params,
        seed=rules.seed if seed is None else str(seed),
        effort=rules.effort if effort is None else effort,
        workers=n_workers or max(1, min(8, os.cpu_count() or 1)),
        limit=rules.time_limit if time_limit is None else time_limit,
        stop=stop or threading.Event(),
        progress=progress,
        check=check,
    )
    if applies(problem, params):
        return solve_by_arcs(ctx)
    return solve_monolithic(ctx)
