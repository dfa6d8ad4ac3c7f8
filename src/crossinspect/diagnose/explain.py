"""Why there is no roster, in words a clerk can act on.

Three layers, cheapest first:

1. the pre-check's necessary conditions (``precheck``), each naming places and people;
2. an infeasible core: every rule instance carries an enforcement literal; solving
   under the assumption that all hold, CP-SAT's ``SufficientAssumptionsForInfeasibility``
   gives a subset that cannot hold together, which is shrunk by deletion to a minimal
   one within a time budget;
3. relaxations: changes to the rules or input suggested by the core, each *solved*
   and the resulting roster *verified* before it is proposed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..domain.catalogue import Kind, RuleInstance
from ..domain.models import Cadre, Gender, Role
from ..domain.rules import Mode
from ..problem import Problem, build_problem
from ..solver.search.infeasibility import infeasible_core
from .precheck import Finding, target_label, why_no_candidates


@dataclass(frozen=True)
class Relaxation:
    """A change that was solved and verified to restore a roster."""

    key: str
    zh: str
    en: str
    verified: bool
    changes: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    candidate: _Candidate | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def rules_only(self) -> bool:
        """The change sets rules keys (``changes``) and nothing else: no cadre added, no
        decision dropped. The input read again with ``changes`` as overrides is then the
        relaxed round, soft goals included; any other change exists only as the problem
        ``apply_relaxation`` returns."""
        cand = self.candidate
        if not self.changes or cand is None:
            return False
        return not cand.extra_cadres and cand.drop_pin is None and cand.drop_ban is None


@dataclass
class Explanation:
    """Everything known about an infeasible round, in Chinese and English."""

    findings: list[Finding] = field(default_factory=list)
    core: list[Finding] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)
    core_minimal: bool = False

    def render(self, lang: str = "zh") -> str:
        lines = [("  • " + f.render(lang)) for f in self.findings]
        if self.core:
            if lang == "zh":
                lines.append("相互冲突的规则（同时满足不了，放宽其中任一条才可能编组）：")
            else:
                lines.append("Rules that cannot all hold together (relaxing any one may help):")
            lines += [("  • " + f.render(lang)) for f in self.core]
        if not self.findings and not self.core:
            lines.append(
                "  • "
                + (
                    "四回避、其他回避和可用性等不可放宽的规则本身已使编组无解。"
                    if lang == "zh"
                    else "the non-relaxable rules (avoidances, availability) alone admit no roster."
                )
            )
        if self.relaxations:
            lines.append(
                "可恢复编组的调整（已逐项求解并通过校验）："
                if lang == "zh"
                else "Changes that restore a roster (each solved and verified):"
            )
            lines += [f"  • {r.zh if lang == 'zh' else r.en}" for r in self.relaxations]
        return "\n".join(lines)


def explain(
    problem: Problem, findings: list[Finding] | None = None, *, budget: float = 20.0, relax: bool = True
) -> Explanation:
    """Explain an infeasible problem: pre-check findings, a minimal core, verified relaxations."""
    from .precheck import precheck

    start = time.monotonic()
    out = Explanation(findings=list(findings) if findings is not None else precheck(problem))
    keys, minimal = infeasible_core(problem, budget=budget * 0.4)
    out.core_minimal = minimal
    out.core = [describe(problem, k) for k in keys]
    if relax:
        remaining = max(budget - (time.monotonic() - start), 2.0)
        out.relaxations = relaxations(problem, keys, out.findings, budget=remaining)
    return out


def describe(problem: Problem, key: RuleInstance) -> Finding:
    """One core element as a sentence naming the rule, the places and the people."""
    j = key.target
    tid = (problem.targets[j].id,) if j >= 0 else ()
    zh, en, cadres = _SENTENCES[key.kind](problem, key)
    return Finding(key.kind, zh, en, targets=tid, cadres=cadres, instance=key)


Sentence = tuple[str, str, tuple[str, ...]]


def _role_count(problem: Problem, key: RuleInstance) -> Sentence:
    j, role = key.target, Role(key.kind.value)
    lo, hi = problem.rules.role_range(role) or (0, 0)
    need = f"{lo}" if lo == hi else f"{lo}至{hi}"
    local = "（本地席位，须由被巡察县区本县干部担任）" if problem.is_local_role(role) else ""
    return (
        f"{target_label(problem, j)}须有{need}名{role.zh}{local}；{why_no_candidates(problem, j, role)}",
        f"{problem.targets[j].name} needs {need} {role.value}(s)",
        (),
    )


def _size(problem: Problem, key: RuleInstance) -> Sentence:
    lo, hi = problem.target_size(key.target)
    return (
        f"{target_label(problem, key.target)}须有{lo}至{hi}人",
        f"{problem.targets[key.target].name} needs {lo}-{hi} members",
        (),
    )


def _skill(problem: Problem, key: RuleInstance) -> Sentence:
    j, skill = key.target, key.detail
    count = problem.target_skills(j).get(skill, 1)
    have = [c.name for i, c in enumerate(problem.cadres) if skill in c.skills and problem.drawable[i]]
    return (
        f"{target_label(problem, j)}须有{count}名具备「{skill}」专长的干部；全部可抽取干部中具备该专长的有"
        f"{len(have)}人",
        f"{problem.targets[j].name} needs {count} with skill {skill}",
        (),
    )


def _women(problem: Problem, key: RuleInstance) -> Sentence:
    n = problem.rules.min_women
    women = sum(1 for i, c in enumerate(problem.cadres) if c.gender is Gender.FEMALE and problem.drawable[i])
    return (
        f"{target_label(problem, key.target)}至少须有{n}名女干部（min_women）；全部可抽取的女干部共{women}人",
        f"{problem.targets[key.target].name} needs {n} women",
        (),
    )


def _county_cap(problem: Problem, key: RuleInstance) -> Sentence:
    cap = problem.rules.max_from_same_county
    return (
        f"{target_label(problem, key.target)}来自同一县区的最多{cap}人（max_from_same_county）",
        f"{problem.targets[key.target].name}: at most {cap} from one county",
        (),
    )


def _history_arc(problem: Problem, key: RuleInstance) -> Sentence:
    arcs = "、".join(f"{problem.county_name(u)}→{problem.county_name(w)}" for u, w in sorted(problem.past_arcs))
    return f"往轮已用过的派出关系不得重复（{arcs}）", "pool→county arcs used in earlier rounds may not repeat", ()


def _history_place(problem: Problem, key: RuleInstance) -> Sentence:
    return (
        f"干部不得再赴往轮（{'、'.join(problem.window_rounds)}）巡察过的地方（history_rounds）",
        "cadres may not return to places they inspected in the looked-back rounds",
        (),
    )


def _leader_rank(problem: Problem, key: RuleInstance) -> Sentence:
    rank = problem.rules.leader_min_rank
    return f"组长须为{rank}及以上（leader_min_rank）", f"leaders must rank {rank} or higher", ()


def _sanction(problem: Problem, key: RuleInstance) -> Sentence:
    names = "、".join(f"{problem.cadres[i].name}（{s.zh}）" for i, s in sorted(problem.sanctions.items()))
    return (
        f"质量评估处理：{names}",
        "quality sanctions remove these cadres",
        tuple(problem.cadres[i].id for i in sorted(problem.sanctions)),
    )


def _pin(problem: Problem, key: RuleInstance) -> Sentence:
    pin = problem.pins[int(key.detail)]
    c = problem.cadres[pin.cadre]
    return (
        f"人工指定{c.name}进入{target_label(problem, pin.target)}",
        f"manual pin of {c.name} to {problem.targets[pin.target].name}",
        (c.id,),
    )


def _ban(problem: Problem, key: RuleInstance) -> Sentence:
    a, b = problem.bans[int(key.detail)]
    ca, cb = problem.cadres[a], problem.cadres[b]
    return f"人工禁配：{ca.name}与{cb.name}不得同组", f"manual ban: {ca.name} and {cb.name} apart", (ca.id, cb.id)


def _fixed(zh: str, en: str) -> Callable[[Problem, RuleInstance], Sentence]:
    return lambda problem, key: (zh, en, ())


#: How each kind of rule instance the model guards is put into words.
_SENTENCES: dict[Kind, Callable[[Problem, RuleInstance], Sentence]] = {
    Kind.LEADER: _role_count,
    Kind.DEPUTY: _role_count,
    Kind.LIAISON: _role_count,
    Kind.TEAM_SIZE: _size,
    Kind.SKILL: _skill,
    Kind.WOMEN: _women,
    Kind.COUNTY_CAP: _county_cap,
    Kind.SINGLE_CYCLE: _fixed(
        "所有县区须构成一个推磨循环（single_cycle）", "all counties must form one rotation cycle (single_cycle)"
    ),
    Kind.RECIPROCAL: _fixed("禁止两县互派（forbid_reciprocal）", "no two counties may swap (forbid_reciprocal)"),
    Kind.HISTORY_ARC: _history_arc,
    Kind.HISTORY_PLACE: _history_place,
    Kind.LEADER_RANK: _leader_rank,
    Kind.SANCTION: _sanction,
    Kind.PIN: _pin,
    Kind.BAN: _ban,
}

#: Kinds that the model states under a guard when explaining: each must have a sentence.
GUARDED_KINDS = frozenset(_SENTENCES)


# ---- relaxations ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    key: str
    zh: str
    en: str
    rules: dict[str, Any] = field(default_factory=dict)
    extra_cadres: tuple[Cadre, ...] = ()
    drop_pin: int | None = None
    drop_ban: int | None = None


def _candidates(problem: Problem, core: list[RuleInstance], findings: list[Finding]) -> list[_Candidate]:
    rules = problem.rules
    out: list[_Candidate] = []
    seen: set[str] = set()

    def add(c: _Candidate) -> None:
        if c.key not in seen:
            seen.add(c.key)
            out.append(c)

    # The pre-check's findings name rule instances too; a core is one minimal collision
    # among possibly several, so both are mined for changes worth trying.
    core = sorted(set(core) | {f.instance for f in findings if f.instance is not None})
    kinds = {k.kind for k in core}
    rotation_stuck = any(f.rule == "R3" for f in findings)
    if Kind.RECIPROCAL in kinds or (rotation_stuck and rules.forbid_reciprocal):
        add(
            _Candidate(
                "forbid_reciprocal=false",
                "允许两县互派（forbid_reciprocal = false）",
                "allow reciprocal pairs (forbid_reciprocal = false)",
                {"forbid_reciprocal": False},
            )
        )
    if Kind.SINGLE_CYCLE in kinds or (rotation_stuck and rules.single_cycle):
        add(
            _Candidate(
                "single_cycle=false",
                "允许分成几个小循环（single_cycle = false）",
                "allow several smaller cycles (single_cycle = false)",
                {"single_cycle": False},
            )
        )
    if (Kind.HISTORY_ARC in kinds or Kind.HISTORY_PLACE in kinds) and len(problem.window_rounds) > 1:
        n = len(problem.window_rounds) - 1
        add(
            _Candidate(
                f"history_rounds={n}",
                f"只回看最近{n}轮（history_rounds = {n}）",
                f"look back only {n} round(s) (history_rounds = {n})",
                {"history_rounds": n},
            )
        )
    if Kind.LEADER_RANK in kinds and rules.leader_min_rank:
        idx = rules.rank_order.index(rules.leader_min_rank)
        if idx + 1 < len(rules.rank_order):
            lower = rules.rank_order[idx + 1]
            add(
                _Candidate(
                    f"leader_min_rank={lower}",
                    f"组长最低职级降为{lower}（leader_min_rank）",
                    f"lower leader_min_rank to {lower}",
                    {"leader_min_rank": lower},
                )
            )
    for k in core:
        for cand in _instance_candidates(problem, k):
            add(cand)
    for cand in _add_leader_candidates(problem, core, findings):
        add(cand)
    return out


def _instance_candidates(problem: Problem, k: RuleInstance) -> list[_Candidate]:
    """Changes worth trying for one rule instance of the core."""
    rules = problem.rules
    out: list[_Candidate] = []
    if k.kind in (Kind.DEPUTY, Kind.LIAISON):
        role = Role(k.kind.value)
        if problem.is_local_role(role):
            rest = sorted(r.value for r in rules.local_roles if r is not role)
            out.append(
                _Candidate(
                    f"local_roles-{role.value}",
                    f"{role.zh}也可由外县区干部担任（从 local_roles 中去掉）",
                    f"let the {role.value} come from another county",
                    {"local_roles": rest},
                )
            )
        lo, hi = rules.role_range(role) or (0, 0)
        if lo > 0:
            key = "deputies" if role is Role.DEPUTY else "liaisons"
            out.append(
                _Candidate(
                    f"{key}={lo - 1}",
                    f"每组{role.zh}最少{lo - 1}人（{key}）",
                    f"allow {lo - 1} {role.value}(s) per team",
                    {key: [lo - 1, hi]},
                )
            )
    elif k.kind is Kind.SKILL:
        need = rules.required_skills.get(k.detail, 0)
        if need > 0:
            changed = dict(rules.required_skills)
            changed[k.detail] = need - 1
            out.append(
                _Candidate(
                    f"required_skills.{k.detail}={need - 1}",
                    f"每组「{k.detail}」专长最少{need - 1}人（required_skills）",
                    f"require {need - 1} with skill {k.detail}",
                    {"required_skills": changed},
                )
            )
    elif k.kind is Kind.WOMEN and rules.min_women > 0:
        out.append(
            _Candidate(
                f"min_women={rules.min_women - 1}",
                f"每组女干部最少{rules.min_women - 1}人（min_women）",
                f"require {rules.min_women - 1} women per team",
                {"min_women": rules.min_women - 1},
            )
        )
    elif k.kind is Kind.COUNTY_CAP:
        cap = rules.max_from_same_county + 1
        out.append(
            _Candidate(
                f"max_from_same_county={cap}",
                f"每组同一县区最多{cap}人（max_from_same_county）",
                f"allow {cap} per county per team",
                {"max_from_same_county": cap},
            )
        )
    elif k.kind is Kind.TEAM_SIZE:
        lo, hi = rules.team_size
        if lo > 1:
            out.append(
                _Candidate(
                    f"team_size={lo - 1}",
                    f"每组人数下限降为{lo - 1}（team_size）",
                    f"lower the minimum team size to {lo - 1}",
                    {"team_size": [lo - 1, hi]},
                )
            )
    elif k.kind is Kind.PIN:
        pin = problem.pins[int(k.detail)]
        name = problem.cadres[pin.cadre].name
        out.append(
            _Candidate(
                f"drop-pin-{k.detail}", f"取消对{name}的人工指定", f"drop the pin of {name}", drop_pin=int(k.detail)
            )
        )
    elif k.kind is Kind.BAN:
        a, b = problem.bans[int(k.detail)]
        out.append(
            _Candidate(
                f"drop-ban-{k.detail}",
                f"取消{problem.cadres[a].name}与{problem.cadres[b].name}的禁配",
                "drop the ban",
                drop_ban=int(k.detail),
            )
        )
    return out


def _add_leader_candidates(problem: Problem, core: list[RuleInstance], findings: list[Finding]) -> list[_Candidate]:
    """Suggest adding a leader-eligible cadre with no avoidance ties to a county that lacks one."""
    short = [k.target for k in core if k.kind is Kind.LEADER]
    short += [problem.target_index[t] for f in findings if "组长" in f.zh for t in f.targets]
    counties: list[str] = []
    if problem.rules.mode is Mode.ROTATION:
        stuck = [f for f in findings if f.rule == "R3" and f.counties]
        names = {problem.county_name(c): c for c in problem.counties}
        counties = [names[n] for f in stuck for n in f.counties if n in names]
    for j in short:
        counties += [c for c in problem.counties if c != problem.target_county[j]]
    out: list[_Candidate] = []
    seen: set[str] = set()
    rank = problem.rules.leader_min_rank or problem.rules.rank_order[0]
    for county in counties:
        if county in seen or len(out) >= 3:
            continue
        seen.add(county)
        name = problem.county_name(county)
        extra = Cadre(
            id=f"增补-{name}",
            name=f"（增补）{name}组长人选",
            gender=Gender.MALE,
            county=name,
            rank=rank,
            roles=frozenset({Role.LEADER}),
            skills=tuple(sorted({s for j2 in range(len(problem.targets)) for s in problem.target_skills(j2)})),
        )
        out.append(
            _Candidate(
                f"add-leader-{county}",
                f"为{name}干部池增补1名可任组长（{rank}及以上、无回避关系）的干部",
                f"add one leader-eligible cadre with no avoidance ties to {name}",
                extra_cadres=(extra,),
            )
        )
    return out


def apply_relaxation(problem: Problem, relaxation: Relaxation) -> Problem:
    """The problem with the relaxation applied (and soft goals off), to re-solve and check."""
    if relaxation.candidate is None:
        raise ValueError("this relaxation carries no change to apply")
    return _apply(problem, relaxation.candidate)


def _apply(problem: Problem, cand: _Candidate) -> Problem:
    book = problem.book
    if cand.extra_cadres:
        book = book.model_copy(update={"cadres": book.cadres + cand.extra_cadres})
    decisions = list(book.decisions)
    if cand.drop_pin is not None or cand.drop_ban is not None:
        pins = [d for d in decisions if d.kind.value == "pin"]
        bans = [d for d in decisions if d.kind.value == "ban"]
        drop = set()
        if cand.drop_pin is not None:
            target = problem.pins[cand.drop_pin]
            drop |= {
                id(d)
                for d in pins
                if d.cadre_id == problem.cadres[target.cadre].id and d.target_id == problem.targets[target.target].id
            }
        if cand.drop_ban is not None:
            a, b = problem.bans[cand.drop_ban]
            ids = {problem.cadres[a].id, problem.cadres[b].id}
            drop |= {id(d) for d in bans if {d.cadre_id, d.other_cadre_id} == ids}
        book = book.model_copy(update={"decisions": tuple(d for d in decisions if id(d) not in drop)})
    data = problem.rules.model_dump()
    data.update(cand.rules)
    # Without soft goals the question is only "is there a roster at all", which is fast.
    data["weights"] = {k: 0 for k in data["weights"]}
    return build_problem(book, type(problem.rules).model_validate(data), problem.gazetteer)


def relaxations(
    problem: Problem, core: list[RuleInstance], findings: list[Finding], *, budget: float = 12.0
) -> list[Relaxation]:
    """Candidate changes, each solved and its roster verified; only those that work are kept."""
    from ..solver import search
    from ..verify import verifier, verify

    start = time.monotonic()
    out: list[Relaxation] = []
    for cand in _candidates(problem, core, findings):
        left = budget - (time.monotonic() - start)
        if left < 0.5 or len(out) >= 4:
            break
        try:
            relaxed = _apply(problem, cand)
        except Exception:
            continue
        result = search(relaxed, check=verifier(relaxed), time_limit=min(left, 10.0), workers=1)
        if result.plan is not None and not verify(relaxed, result.plan):
            out.append(Relaxation(cand.key, cand.zh, cand.en, True, dict(cand.rules), cand))
    return out
