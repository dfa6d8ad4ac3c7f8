"""Dealing a term's targets over its rounds: drawn from the seed, or as the office gives them."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..domain.errors import InputError, Issue
from ..problem import Problem


def _draw(seed: str, attempt: int, county: str) -> bytes:
    # SHA-256, not hash(): the split is part of the published lottery and must not depend
    # on the interpreter's hash salt.
    return hashlib.sha256(f"term\0{seed}\0{attempt}\0{county}".encode()).digest()


def split_targets(
    problem: Problem, rounds: int, *, seed: str, attempt: int = 0, among: Sequence[int] | None = None
) -> list[list[int]]:
    """Deal targets (indices) over ``rounds`` rounds: balanced counts, each county spread.

    Targets are grouped by county; the counties are put in an order drawn from the seed
    (so a published seed fixes the split, R11); the targets, county after county, are
    dealt to the rounds like cards: 1, 2, …, K, 1, 2, … Hence

    - round sizes differ by at most one;
    - a county with n targets has at most ⌈n/K⌉ of them in any round.

    Spreading, not grouping, is what keeps rounds feasible: in rotation mode a county's
    teams are all staffed by the *one* pool sent there, so two teams in one county in one
    round need twice the pool (a 9-person pool cannot staff two teams of 5); in mixed mode
    spreading a county's targets spreads the demand on the other counties' pools. Later
    rounds carry more history (places visited, arcs used), so no round should be heavier
    than it must. ``attempt`` > 0 draws another order, for re-dealing after a round turned
    out infeasible; ``among`` restricts the deal to some targets (the rounds not yet solved).
    """
    idx = list(range(len(problem.targets))) if among is None else list(among)
    by_county: dict[str, list[int]] = defaultdict(list)
    for j in sorted(idx):
        by_county[problem.target_county[j]].append(j)
    out: list[list[int]] = [[] for _ in range(rounds)]
    position = 0
    for county in sorted(by_county, key=lambda c: _draw(seed, attempt, c)):
        for j in by_county[county]:
            out[position % rounds].append(j)
            position += 1
    return [sorted(r) for r in out]


def given_split(problem: Problem, rounds: int, split: Sequence[Sequence[str]]) -> list[list[int]]:
    """Validate an explicit split (target ids per round): every target exactly once."""
    issues: list[Issue] = []
    if len(split) != rounds:
        issues.append(
            Issue(
                code="bad-split",
                zh=f"分轮方案有{len(split)}轮，应为{rounds}轮",
                en=f"the split has {len(split)} rounds, not {rounds}",
            )
        )
    seen: Counter[str] = Counter(t for r in split for t in r)
    for tid in sorted(seen):
        if tid not in problem.target_index:
            issues.append(
                Issue(
                    code="bad-split",
                    zh=f"分轮方案中的巡察对象编号「{tid}」不存在",
                    en=f"unknown target id '{tid}' in the split",
                )
            )
        elif seen[tid] > 1:
            issues.append(
                Issue(
                    code="bad-split",
                    zh=f"巡察对象「{tid}」在分轮方案中出现{seen[tid]}次",
                    en=f"target '{tid}' appears {seen[tid]} times in the split",
                )
            )
    for t in problem.targets:
        if t.id not in seen:
            issues.append(
                Issue(
                    code="bad-split",
                    zh=f"巡察对象「{t.id}」（{t.name}）未分到任何一轮",
                    en=f"target '{t.id}' ({t.name}) is in no round",
                )
            )
    for k, r in enumerate(split, start=1):
        if not r:
            issues.append(Issue(code="bad-split", zh=f"第{k}轮没有巡察对象", en=f"round {k} has no target"))
    if issues:
        raise InputError(issues)
    return [sorted(problem.target_index[t] for t in r) for r in split]
