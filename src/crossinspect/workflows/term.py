"""Whole-term plans (全覆盖): every target inspected exactly once over K rounds.

``plan_term`` spreads the targets over K rounds and solves the rounds one after the
other. Round k is an ordinary round — ``build_problem`` on the input book with only
round k's targets — whose history is the book's own history *plus* one record per
seat of rounds 1 … k-1 of this plan (round label ``本期第k轮``, the cadre, the target's
location as written, the role, the cadre's county as written). The ordinary rules then
carry the term:

- R3 history arcs: no pool→county arc that sent a team repeats across the term (nor
  repeats the book's history);
- R7 history places: no cadre inspects the same county twice (at ``level = county``;
  at township level R7, and so this guarantee, works per township);
- the ``workload`` soft goal counts rounds already served, so later rounds prefer
  cadres who have served less; ``TermStats`` reports max, min and mean per cadre.

With ``history_rounds = N > 0`` each round looks back N rounds of the book *plus every
earlier round of the term* (``history_rounds = N + k - 1`` for round k): the term's
guarantees are about the whole term, whatever window the office uses for the past.

"No leader leads twice in a row where that can be avoided" is a preference the solver
does not know, so it is imposed from outside without touching the model: round k is
first solved with the leader role taken away from the cadres who led round k-1 (a copy
of their ``Cadre.roles``; cadres pinned to a team of round k keep theirs). If that
round has no roster, it is solved again without the exclusion and the leaders who
then lead twice in a row are recorded. Either way the roster is verified against the
round's real problem (the real roles), which is what is written and reported.

Each round's plan is checked with ``verify`` against that round's problem, with the
earlier rounds as history; a plan that fails is a bug and raises ``AssertionError``.
``verify_term`` does the same for rosters written to disk (also after hand edits).

Every pool takes part in every round, so in rotation mode the solver's cycle runs
through all counties even when a round inspects only some of them; a pool sent to a
county with no target that round goes nowhere. Only arcs that carry a team are
inspections (``TermRound.dispatch_arcs``): they become history and must not repeat.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..diagnose.explain import Explanation
from ..diagnose.precheck import Finding, precheck
from ..domain.errors import InputError, Issue
from ..domain.models import DecisionKind, HistoryRecord, InputBook, Role
from ..domain.plan import Arc, Plan, Progress, SolveResult, Status
from ..domain.rules import Mode, Rules
from ..problem import Problem, build_problem, round_sort_key
from ..verify import natural_round_key
from ..verify import verify as verify_plan
from .history import history_rows
from .term_split import given_split, split_targets

#: Prefix of the history label of a round of this plan: 本期第1轮, 本期第2轮 …
ROUND_LABEL = "本期第{k}轮"
#: File names written by ``write_term`` (fixed in both languages, like sheet names).
ROUND_FILE = "第{k}轮.xlsx"
OVERVIEW_FILE = "全期总览.xlsx"


# ---- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TermProgress:
    """A progress report of a term solve: which round, which attempt, and the solver's own."""

    round: int  # 1-based
    rounds: int
    attempt: int  # 0 for the first split, 1 … for the re-deals after an infeasible round
    step: str  # "solve": with previous leaders resting; "fallback": without; "retry"
    solve: Progress | None = None


ProgressFn = Callable[[TermProgress], None]


@dataclass(frozen=True)
class TermRound:
    """One solved round of the term: its problem (earlier rounds as history) and roster."""

    number: int  # 1-based
    label: str  # the history label later rounds see, e.g. 本期第1轮
    target_ids: tuple[str, ...]
    problem: Problem
    result: SolveResult
    #: leaders of the previous round kept from leading this round
    rested: tuple[str, ...] = ()
    #: keeping them from leading left no roster, so the round was solved without that
    leader_fallback: bool = False
    #: cadres who led the previous round and lead this one too
    repeat_leaders: tuple[str, ...] = ()

    @property
    def plan(self) -> Plan:
        assert self.result.plan is not None  # a TermRound is only made from a solved round
        return self.result.plan

    def leaders(self) -> set[str]:
        return {s.cadre_id for s in self.plan.seats() if s.role is Role.LEADER}

    def dispatch_arcs(self) -> tuple[Arc, ...]:
        """Rotation arcs that send a team, in the cycle's order.

        In a round that inspects only some counties, the solver's cycle still runs
        through every county, but a pool sent to a county with no target this round
        goes nowhere: only the arcs carrying seats are inspections, are recorded as
        history and count as "used" for the rest of the term.
        """
        p = self.problem
        carried = set()
        for s in self.plan.seats():
            i, j = p.cadre_index.get(s.cadre_id), p.target_index.get(s.target_id)
            if i is None or j is None or p.is_local_role(s.role):
                continue
            carried.add((p.cadre_county[i], p.target_county[j]))
        listed = [a for a in self.plan.arcs if (a.source, a.dest) in carried]
        missing = sorted(carried - {(a.source, a.dest) for a in listed})
        return tuple(listed) + tuple(
            Arc(source=u, dest=w, source_name=p.county_name(u), dest_name=p.county_name(w)) for u, w in missing
        )


@dataclass(frozen=True)
class TermRetry:
    """A round that had no roster under one split, after which the targets were re-dealt."""

    round: int
    attempt: int
    target_ids: tuple[str, ...]
    status: Status
    zh: str
    en: str


@dataclass(frozen=True)
class TermFailure:
    """Why the term could not be completed: the round, its targets and the explanation."""

    round: int
    target_ids: tuple[str, ...]
    status: Status
    problem: Problem
    findings: tuple[Finding, ...] = ()
    explanation: Explanation | None = None

    def render(self, lang: str = "zh") -> str:
        names = "、".join(self.problem.targets[self.problem.target_index[t]].name for t in self.target_ids)
        if self.status is Status.INTERRUPTED:
            head = (
                f"第{self.round}轮求解时被中断。" if lang == "zh" else f"interrupted while solving round {self.round}."
            )
        elif self.status is Status.UNKNOWN:
            head = (
                f"第{self.round}轮（{names}）在时限内未找到名单（未证明无解），可加大时限后重试。"
                if lang == "zh"
                else f"round {self.round} ({names}): no roster found within the time limit "
                "(infeasibility not proven); try a larger time limit."
            )
        else:
            head = (
                f"第{self.round}轮（{names}）无法编组："
                if lang == "zh"
                else f"round {self.round} ({names}) has no roster:"
            )
        lines = [head]
        if self.explanation is not None:
            lines.append(self.explanation.render(lang))
        elif self.findings:
            lines += ["  • " + f.render(lang) for f in self.findings]
        return "\n".join(lines)


@dataclass(frozen=True)
class TermStats:
    """Term statistics: workload per cadre, arcs per round, leaders leading twice in a row."""

    #: rounds of the term each cadre of the input sits in (0 for those never drawn)
    rounds_per_cadre: dict[str, int]
    leads_per_cadre: dict[str, int]
    #: cadres who could be drawn at all (available, not excluded by R8): min, max and
    #: mean are taken over them, since an unavailable cadre's 0 says nothing about fairness
    drawable: tuple[str, ...]
    min_rounds: int
    max_rounds: int
    mean_rounds: float
    arcs_per_round: tuple[int, ...]
    #: (round, cadre id): led the round before and this round too
    repeat_leaders: tuple[tuple[int, str], ...]
    #: pool→county arcs sending a team more than once in the term or again after the
    #: book's history; empty whenever R3 history holds (rotation mode)
    repeated_arcs: tuple[tuple[str, str], ...]
    #: (cadre id, county code, rounds): a cadre sent to one county in two rounds of the
    #: term; empty at ``level = county``
    repeated_visits: tuple[tuple[str, str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class TermPlan:
    """A whole-term plan: the rounds solved, statistics, retries, and a failure if any."""

    problem: Problem
    requested: int
    seed: str
    rounds: tuple[TermRound, ...]
    stats: TermStats
    retries: tuple[TermRetry, ...] = ()
    failure: TermFailure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and len(self.rounds) == self.requested

    def summary(self, lang: str = "zh") -> str:
        s = self.stats
        zh = lang == "zh"
        lines = []
        for r in self.rounds:
            names = ("、" if zh else ", ").join(r.problem.targets[r.problem.target_index[t]].name for t in r.target_ids)
            lines.append(
                f"第{r.number}轮（{len(r.target_ids)}个）：{names}"
                if zh
                else f"round {r.number} ({len(r.target_ids)}): {names}"
            )
            arcs = r.dispatch_arcs() if self.problem.rules.mode is Mode.ROTATION else ()
            if arcs:
                chain = "；".join(f"{a.source_name}→{a.dest_name}" for a in arcs)
                lines.append(f"  派出：{chain}" if zh else f"  sent: {chain}")
            lines.append(
                f"  求解状态：{_STATUS_ZH.get(r.result.status, r.result.status.value)}，用时{r.result.runtime:.1f}秒"
                if zh
                else f"  status: {r.result.status.value}, {r.result.runtime:.1f}s"
            )
        if zh:
            lines.append(
                f"每人参加轮次（可抽取干部）：最多{s.max_rounds}轮，最少{s.min_rounds}轮，平均{s.mean_rounds:.2f}轮"
            )
            lines.append(
                "连续两轮担任组长：" + ("、".join(f"第{k}轮 {self._name(c)}" for k, c in s.repeat_leaders) or "无")
            )
        else:
            lines.append(f"rounds per drawable cadre: max {s.max_rounds}, min {s.min_rounds}, mean {s.mean_rounds:.2f}")
            lines.append(
                "leaders leading twice in a row: "
                + (", ".join(f"round {k} {self._name(c)}" for k, c in s.repeat_leaders) or "none")
            )
        for t in self.retries:
            lines.append(f"重新分配：第{t.round}轮{t.zh}" if zh else f"re-dealt: round {t.round} {t.en}")
        if self.failure is not None:
            lines.append(self.failure.render(lang))
        return "\n".join(lines)

    def _name(self, cadre_id: str) -> str:
        i = self.problem.cadre_index.get(cadre_id)
        return self.problem.cadres[i].name if i is not None else cadre_id


_STATUS_ZH = {Status.OPTIMAL: "最优", Status.FEASIBLE: "可行（时限内未证明最优）"}


# ---- the rounds' books ------------------------------------------------------------------


def term_labels(book: InputBook, rounds: int) -> list[str]:
    """History labels of the term's rounds, sorting after every round of the book.

    Both the problem builder and the verifier order rounds by their labels (the window
    of ``history_rounds`` is the last N). ``本期第k轮`` sorts after dated labels such as
    ``2025年第一轮``, but before undated ones such as ``第三轮`` (本 < 第); then the book's
    latest label is put in front, which makes every term label sort after it in both
    orders while still reading as "after that round".
    """
    plain = [ROUND_LABEL.format(k=k) for k in range(1, rounds + 1)]
    past = {h.round for h in book.history}
    if not past:
        return plain

    def after_all(labels: list[str]) -> bool:
        return all(
            key(lab) > key(p) for key in (round_sort_key, natural_round_key) for lab in labels for p in past
        ) and not past & set(labels)

    if after_all(plain):
        return plain
    latest = max(past, key=round_sort_key)
    prefixed = [f"{latest}后·{lab}" for lab in plain]
    if after_all(prefixed):
        return prefixed
    raise InputError(
        [
            Issue(
                code="round-labels",
                zh="往轮记录的轮次名称无法排序，无法为全期计划的各轮命名",
                en="the history's round labels do not sort; cannot name the term's rounds",
            )
        ]
    )


def _history(label: str, problem: Problem, plan: Plan) -> list[HistoryRecord]:
    """One history record per seat of a term round, as the next rounds see it."""
    return history_rows(problem, plan, label)


def _round_book(
    base: InputBook, targets: list[int], history: Sequence[HistoryRecord], roles_off: frozenset[str] = frozenset()
) -> InputBook:
    """The book of one round: its targets, and the earlier rounds of the term as history."""
    cadres = base.cadres
    if roles_off:
        cadres = tuple(
            c.model_copy(update={"roles": c.roles - {Role.LEADER}}) if c.id in roles_off else c for c in cadres
        )
    return base.model_copy(
        update={
            "targets": tuple(base.targets[j] for j in targets),
            "history": base.history + tuple(history),
            "cadres": cadres,
        }
    )


def _round_rules(rules: Rules, k: int, rounds: int, seed: str, limit: float) -> Rules:
    """The rules of round k: the term's window, the seed and time limit in force, a titled round."""
    window = min(1000, rules.history_rounds + k) if rules.history_rounds else 0
    return rules.model_copy(
        update={
            "history_rounds": window,
            "seed": seed,
            "time_limit": limit,
            "title": f"{rules.title}（本期第{k + 1}轮，共{rounds}轮）",
        }
    )


def _pinned(book: InputBook, target_ids: set[str]) -> set[str]:
    return {d.cadre_id for d in book.decisions if d.kind is DecisionKind.PIN and d.target_id in target_ids}


# ---- solving ------------------------------------------------------------------------------


@dataclass
class _Attempt:
    """What one round's solve came to when it gave no roster."""

    status: Status
    problem: Problem
    findings: list[Finding] = field(default_factory=list)


def _solve_round(
    base: Problem,
    k: int,
    rounds: int,
    targets: list[int],
    done: Sequence[TermRound],
    label: str,
    *,
    seed: str,
    limit: float,
    workers: int | None,
    attempt: int,
    progress: ProgressFn | None,
    stop: threading.Event,
) -> TermRound | _Attempt:
    from .round import solve

    rules_k = _round_rules(base.rules, k, rounds, seed, limit)
    history = [h for r in done for h in _history(r.label, r.problem, r.plan)]
    book_k = _round_book(base.book, targets, history)
    problem_k = build_problem(book_k, rules_k, base.gazetteer)
    target_ids = tuple(base.targets[j].id for j in targets)
    previous = done[-1].leaders() if done else set()
    rest = frozenset(previous - _pinned(base.book, set(target_ids)))

    def relay(step: str) -> Callable[[Progress], None] | None:
        if progress is None:
            return None
        report = progress
        return lambda p: report(TermProgress(round=k + 1, rounds=rounds, attempt=attempt, step=step, solve=p))

    result: SolveResult | None = None
    if rest:
        problem_rest = build_problem(_round_book(base.book, targets, history, rest), rules_k, base.gazetteer)
        # The pre-check proves infeasibility in milliseconds; no solve is wasted on it.
        if not precheck(problem_rest):
            tried = solve(
                problem_rest,
                seed=seed,
                time_limit=limit,
                workers=workers,
                progress=relay("solve"),
                stop=stop,
                explain=False,
            )
            if tried.status is Status.INTERRUPTED:
                return _Attempt(Status.INTERRUPTED, problem_k)
            if tried.plan is not None:
                result = tried
    fallback = bool(rest) and result is None
    if result is None:
        findings = precheck(problem_k)
        if findings:
            return _Attempt(Status.INFEASIBLE, problem_k, findings)
        result = solve(
            problem_k,
            seed=seed,
            time_limit=limit,
            workers=workers,
            progress=relay("fallback" if rest else "solve"),
            stop=stop,
            explain=False,
        )
        if result.plan is None or result.status is Status.INTERRUPTED:
            return _Attempt(result.status, problem_k)
    assert result.plan is not None
    # The roster is judged by the round's real problem (real roles, earlier rounds as
    # history), not by the copy with resting leaders it may have been solved on.
    violations = [*result.violations, *verify_plan(problem_k, result.plan)]
    if violations:
        raise AssertionError(
            f"round {k + 1} of the term failed verification: " + "; ".join(v.render("en") for v in violations)
        )
    leaders = {s.cadre_id for s in result.plan.seats() if s.role is Role.LEADER}
    return TermRound(
        number=k + 1,
        label=label,
        target_ids=target_ids,
        problem=problem_k,
        result=result,
        rested=tuple(sorted(rest)) if not fallback else (),
        leader_fallback=fallback,
        repeat_leaders=tuple(sorted(leaders & previous)),
    )


def _reason(attempt: _Attempt) -> tuple[str, str]:
    """One line, both languages, on why a round had no roster (for the retries list)."""
    if attempt.findings:
        f = attempt.findings[0]
        more_zh = f"等{len(attempt.findings)}项" if len(attempt.findings) > 1 else ""
        more_en = f" (+{len(attempt.findings) - 1} more)" if len(attempt.findings) > 1 else ""
        return f"无解：{f.zh}{more_zh}", f"infeasible: {f.en}{more_en}"
    if attempt.status is Status.INFEASIBLE:
        return "无解（求解器已证明）", "infeasible (proven by the solver)"
    return "时限内未找到名单", "no roster within the time limit"


def plan_term(
    problem: Problem,
    rounds: int,
    *,
    seed: str | int | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
    split: Sequence[Sequence[str]] | None = None,
    attempts: int = 3,
    explain: bool = True,
) -> TermPlan:
    """Plan a whole term: every target of ``problem`` inspected exactly once in ``rounds`` rounds.

    ``seed``, ``time_limit`` (per round's solve) and ``workers`` default to the rules.
    ``split`` fixes which targets (ids) each round inspects; without it the targets are
    dealt by ``split_targets``. When a round has no roster, the targets of the rounds not
    yet solved are re-dealt with another draw (the last round, having nothing left to
    re-deal, is re-dealt together with the round before it), up to ``attempts`` splits in
    all; a given ``split`` is never changed. If the term still cannot be completed, the
    returned plan has ``failure`` set: the round, its targets and — with ``explain`` —
    the explanation of why it has no roster. Raises ``InputError`` for a bad ``rounds``
    or ``split``.
    """
    n = len(problem.targets)
    if rounds < 1 or rounds > n:
        raise InputError(
            [
                Issue(
                    code="bad-rounds",
                    zh=f"轮数须在1到{n}之间（共{n}个巡察对象，每轮至少巡察一个）",
                    en=f"rounds must be between 1 and {n} ({n} targets, at least one per round)",
                )
            ]
        )
    seed_text = problem.rules.seed if seed is None else str(seed)
    limit = problem.rules.time_limit if time_limit is None else time_limit
    stop = stop or threading.Event()
    labels = term_labels(problem.book, rounds)
    plan_split = (
        given_split(problem, rounds, split) if split is not None else split_targets(problem, rounds, seed=seed_text)
    )
    done: list[TermRound] = []
    retries: list[TermRetry] = []
    failure: TermFailure | None = None
    attempt = 0
    draw = 0
    while len(done) < rounds:
        k = len(done)
        outcome = _solve_round(
            problem,
            k,
            rounds,
            plan_split[k],
            done,
            labels[k],
            seed=seed_text,
            limit=limit,
            workers=workers,
            attempt=attempt,
            progress=progress,
            stop=stop,
        )
        if isinstance(outcome, TermRound):
            done.append(outcome)
            continue
        target_ids = tuple(problem.targets[j].id for j in plan_split[k])
        # The last round alone has nothing to re-deal; re-deal it with the round before.
        start = k if rounds - k > 1 else k - 1
        if outcome.status is Status.INTERRUPTED or split is not None or attempt + 1 >= attempts or start < 0:
            explanation = None
            if explain and outcome.status is Status.INFEASIBLE:
                from ..diagnose.explain import explain as run_explain

                explanation = run_explain(outcome.problem, outcome.findings or None)
            failure = TermFailure(
                round=k + 1,
                target_ids=target_ids,
                status=outcome.status,
                problem=outcome.problem,
                findings=tuple(outcome.findings),
                explanation=explanation,
            )
            break
        zh, en = _reason(outcome)
        retries.append(
            TermRetry(round=k + 1, attempt=attempt, target_ids=target_ids, status=outcome.status, zh=zh, en=en)
        )
        attempt += 1
        remaining = [j for r in plan_split[start:] for j in r]
        # Draw until the failed round's targets are not dealt to it again (a bounded
        # search: with few targets left every deal may be the same, then it is retried as is).
        for _ in range(20):
            draw += 1
            new = split_targets(problem, rounds - start, seed=seed_text, attempt=draw, among=remaining)
            if new[k - start] != plan_split[k]:
                break
        plan_split = plan_split[:start] + new
        del done[start:]
        if progress is not None:
            progress(TermProgress(round=k + 1, rounds=rounds, attempt=attempt, step="retry"))
    return TermPlan(
        problem=problem,
        requested=rounds,
        seed=seed_text,
        rounds=tuple(done),
        stats=term_stats(problem, done),
        retries=tuple(retries),
        failure=failure,
    )


# ---- statistics -------------------------------------------------------------------------


def term_stats(problem: Problem, rounds: Sequence[TermRound]) -> TermStats:
    """Workload, arcs and repeats over the solved rounds, from their verified plans."""
    served: Counter[str] = Counter()
    led: Counter[str] = Counter()
    visits: dict[tuple[str, str], list[int]] = defaultdict(list)
    arc_rounds: dict[tuple[str, str], list[int]] = defaultdict(list)
    repeat: list[tuple[int, str]] = []
    for r in rounds:
        p = r.problem
        for cid in {s.cadre_id for s in r.plan.seats()}:
            served[cid] += 1
        for s in r.plan.seats():
            if s.role is Role.LEADER:
                led[s.cadre_id] += 1
            if not p.is_local_role(s.role):
                visits[(s.cadre_id, p.target_county[p.target_index[s.target_id]])].append(r.number)
        for a in r.dispatch_arcs():
            arc_rounds[(a.source, a.dest)].append(r.number)
        repeat += [(r.number, c) for c in r.repeat_leaders]
    # Mixed teams draw on many pools for many counties, round after round: arcs are a
    # rotation notion only.
    rotation = problem.rules.mode is Mode.ROTATION
    repeated_arcs = tuple(
        sorted(a for a, ks in arc_rounds.items() if rotation and (len(ks) > 1 or a in problem.past_arcs))
    )
    drawable = tuple(c.id for i, c in enumerate(problem.cadres) if problem.drawable[i])
    counts = [served[c] for c in drawable] or [0]
    return TermStats(
        rounds_per_cadre={c.id: served[c.id] for c in problem.cadres},
        leads_per_cadre={c.id: led[c.id] for c in problem.cadres},
        drawable=drawable,
        min_rounds=min(counts),
        max_rounds=max(counts),
        mean_rounds=sum(counts) / len(counts),
        arcs_per_round=tuple(len(r.dispatch_arcs()) for r in rounds),
        repeat_leaders=tuple(repeat),
        repeated_arcs=repeated_arcs,
        repeated_visits=tuple((c, w, tuple(ks)) for (c, w), ks in sorted(visits.items()) if len(ks) > 1),
    )


# ---- checking written rosters -----------------------------------------------------------


def round_problem(
    problem: Problem, k: int, rounds: int, targets: Sequence[int], history: Sequence[HistoryRecord]
) -> Problem:
    """Round k's problem (0-based) of a term of ``rounds``: the term's input with only
    ``targets`` and, as history, the earlier rounds' seats."""
    rules_k = _round_rules(problem.rules, k, rounds, problem.rules.seed, problem.rules.time_limit)
    return build_problem(_round_book(problem.book, list(targets), history), rules_k, problem.gazetteer)


def round_history(label: str, problem: Problem, plan: Plan) -> list[HistoryRecord]:
    """A round's seats as 往轮记录 rows for the rounds after it."""
    return _history(label, problem, plan)


__all__ = [
    "OVERVIEW_FILE",
    "ROUND_FILE",
    "TermFailure",
    "TermPlan",
    "TermProgress",
    "TermRetry",
    "TermRound",
    "TermStats",
    "plan_term",
    "round_history",
    "round_problem",
    "split_targets",
    "term_labels",
    "term_stats",
]
