"""Fast necessary conditions, checked before any long solve.

Each finding names the rule, the counties, targets and people involved, so a clerk
can act on it. The checks are necessary, not sufficient: passing them does not
prove a roster exists, but failing one proves it does not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..domain.catalogue import AVOIDANCE_KINDS, Kind, RuleInstance
from ..domain.models import Gender, Role
from ..domain.rules import Mode
from ..problem import Problem
from ..problem.eligibility import SeatKey, allowed_seats, seat_bars


@dataclass(frozen=True)
class Finding:
    """One reason no roster can exist, in Chinese and English, under its rule's name."""

    kind: Kind
    zh: str
    en: str
    targets: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    cadres: tuple[str, ...] = field(default=())
    #: the rule instance, as the model guards it, when the finding is about one
    instance: RuleInstance | None = None

    @property
    def rule(self) -> str:
        return self.kind.entry.rule

    def render(self, lang: str = "zh") -> str:
        return f"[{self.kind.entry.label(lang)}] {self.zh if lang == 'zh' else self.en}"


def _names(problem: Problem, idx: list[int] | set[int], limit: int = 6) -> str:
    names = [problem.cadres[i].name for i in sorted(idx)]
    return "、".join(names[:limit]) + (f"等{len(names)}人" if len(names) > limit else "")


def precheck(problem: Problem) -> list[Finding]:
    """All findings that prove infeasibility; empty when none was found."""
    seats, local = allowed_seats(problem)
    findings: list[Finding] = []
    findings += _per_target(problem, seats)
    if problem.rules.mode is Mode.ROTATION:
        findings += _rotation(problem, seats, local)
    findings += _leader_hall(problem, seats)
    findings += _pins(problem, seats)
    return findings


def target_label(problem: Problem, j: int) -> str:
    """第3组（漳浦县农业农村局）: how findings and explanations name a team."""
    return f"第{problem.team_id(j)}组（{problem.targets[j].name}）"


def why_no_candidates(problem: Problem, j: int, role: Role) -> str:
    """Why the cadres eligible for ``role`` cannot take it on target j, counted by rule."""
    reasons: dict[str, int] = defaultdict(int)
    eligible = 0
    for i, c in enumerate(problem.cadres):
        if role not in c.roles:
            continue
        eligible += 1
        same = problem.cadre_county[i] == problem.target_county[j]
        if not c.available or i in problem.unavailable:
            reasons["不可用"] += 1
        elif i in problem.sanctions and (role is Role.LEADER or problem.sanctions[i].kind == "excluded"):
            reasons["R8 质量评估"] += 1
        elif not problem.can_take_role(i, role):
            reasons["职级不够"] += 1
        elif problem.is_local_role(role):
            if not same:
                reasons["非本县区（本地席位）"] += 1
            elif problem.declared_block(i, j):
                reasons["R2 其他回避"] += 1
        elif same:
            reasons["本县区干部"] += 1
        else:
            for b in problem.blocks.get((i, j), ()):
                reasons[AVOIDANCE_KINDS[b.field].entry.label()] += 1
                break
            else:
                reasons["可以担任"] += 1
    if not eligible:
        return f"没有任何干部可任{role.zh}"
    detail = "，".join(f"{k}{v}人" for k, v in reasons.items())
    return f"可任{role.zh}的干部共{eligible}人：{detail}"


def _per_target(problem: Problem, seats: list[SeatKey]) -> list[Finding]:
    out: list[Finding] = []
    rules = problem.rules
    by_target: dict[int, list[SeatKey]] = defaultdict(list)
    for k in seats:
        by_target[k[1]].append(k)
    for j, target in enumerate(problem.targets):
        keys = by_target.get(j, [])
        label = target_label(problem, j)
        for role in (Role.LEADER, Role.DEPUTY, Role.LIAISON):
            need = (rules.role_range(role) or (0, 0))[0]
            have = {k[0] for k in keys if k[2] is role}
            if len(have) < need:
                extra = why_no_candidates(problem, j, Role.LEADER) if role is Role.LEADER else ""
                kind = Kind(role.value)
                out.append(
                    Finding(
                        kind,
                        f"{label}需要{need}名{role.zh}，符合条件的只有{len(have)}人"
                        + (f"（其余组长人选：{extra}）" if extra else ""),
                        f"{target.name} needs {need} {role.value}(s); only {len(have)} eligible",
                        targets=(target.id,),
                        instance=RuleInstance(kind, j),
                    )
                )
        lo, _ = problem.target_size(j)
        people = {k[0] for k in keys}
        if len(people) < lo:
            out.append(
                Finding(
                    Kind.TEAM_SIZE,
                    f"{label}至少需要{lo}人，回避后可派的只有{len(people)}人",
                    f"{target.name} needs {lo} people; only {len(people)} may go",
                    targets=(target.id,),
                    instance=RuleInstance(Kind.TEAM_SIZE, j),
                )
            )
        for skill, need in problem.target_skills(j).items():
            with_skill = {i for i in people if skill in problem.cadres[i].skills}
            if len(with_skill) < need:
                out.append(
                    Finding(
                        Kind.SKILL,
                        f"{label}需要{need}名具备「{skill}」专长的干部，可派的只有{len(with_skill)}人",
                        f"{target.name} needs {need} with skill {skill}; only {len(with_skill)}",
                        targets=(target.id,),
                        instance=RuleInstance(Kind.SKILL, j, skill),
                    )
                )
        if rules.min_women:
            women = {i for i in people if problem.cadres[i].gender is Gender.FEMALE}
            if len(women) < rules.min_women:
                out.append(
                    Finding(
                        Kind.WOMEN,
                        f"{label}至少需要{rules.min_women}名女干部，可派的只有{len(women)}人",
                        f"{target.name} needs {rules.min_women} women; only {len(women)}",
                        targets=(target.id,),
                        instance=RuleInstance(Kind.WOMEN, j),
                    )
                )
    return out


def _pool_can_staff(
    problem: Problem,
    seats_by: dict[tuple[str, int], list[SeatKey]],
    local_by: dict[int, list[SeatKey]],
    u: str,
    targets: list[int],
) -> str | None:
    """None if pool u could staff every target in its list; else the first reason, in Chinese."""
    rules = problem.rules
    used: set[int] = set()
    needed = 0
    for j in targets:
        keys = seats_by.get((u, j), [])
        local_keys = local_by.get(j, [])
        for role in (Role.LEADER, Role.DEPUTY, Role.LIAISON):
            need = (rules.role_range(role) or (0, 0))[0]
            if problem.is_local_role(role):
                continue
            have = {k[0] for k in keys if k[2] is role}
            if len(have) < need:
                return f"没有足够的{role.zh}人选（需{need}人，可派{len(have)}人）"
        lo, _ = problem.target_size(j)
        local_max = sum(((rules.role_range(r) or (0, 0))[1] for r in rules.local_roles), 0)
        local_avail = len({k[0] for k in local_keys})
        people = {k[0] for k in keys}
        if len(people) + min(local_max, local_avail) < lo:
            return f"可派人数不足（需{lo}人，可派{len(people)}人）"
        needed += lo - min(local_max, local_avail)
        for skill, need in problem.target_skills(j).items():
            n = sum(skill in problem.cadres[i].skills for i in people | {k[0] for k in local_keys})
            if n < need:
                return f"缺少「{skill}」专长"
        used |= people
    if len(used) < needed:
        return f"该县区共有{len(targets)}个巡察组，至少需{needed}人，可派只有{len(used)}人"
    return None


def _rotation(problem: Problem, seats: list[SeatKey], local: set[SeatKey]) -> list[Finding]:
    counties = problem.counties
    if len(counties) < 2:
        return [Finding(Kind.POOL, "推磨式轮换至少需要两个县区", "rotation needs at least two counties")]
    if len(counties) == 2 and problem.rules.forbid_reciprocal:
        a, b = (problem.county_name(c) for c in counties)
        return [
            Finding(
                Kind.RECIPROCAL,
                f"只有{a}、{b}两个县区，互派不可避免，而规则禁止互派（forbid_reciprocal）",
                f"only {a} and {b}: rotation would be reciprocal, which is forbidden",
                counties=(a, b),
                instance=RuleInstance(Kind.RECIPROCAL),
            )
        ]
    seats_by: dict[tuple[str, int], list[SeatKey]] = defaultdict(list)
    local_by: dict[int, list[SeatKey]] = defaultdict(list)
    for k in seats:
        if k in local:
            local_by[k[1]].append(k)
        else:
            seats_by[(problem.cadre_county[k[0]], k[1])].append(k)
    targets_in = problem.teams_by_county()
    can: dict[str, set[str]] = {}
    why: dict[str, dict[str, str]] = {}
    for u in counties:
        can[u] = set()
        why[u] = {}
        for w in counties:
            if w == u:
                continue
            if (u, w) in problem.past_arcs:
                why[u][w] = f"往轮已派往该县区（{Kind.HISTORY_ARC.entry.label()}）"
                continue
            reason = _pool_can_staff(problem, seats_by, local_by, u, targets_in.get(w, []))
            if reason is None:
                can[u].add(w)
            else:
                why[u][w] = reason
    out: list[Finding] = []
    for u in counties:
        if not can[u]:
            name = problem.county_name(u)
            reasons = defaultdict(list)
            for w, r in why[u].items():
                reasons[r].append(problem.county_name(w))
            detail = "；".join(f"派往{'、'.join(ws)}：{r}" for r, ws in reasons.items())
            leaders = [
                i for i, c in enumerate(problem.cadres) if problem.cadre_county[i] == u and Role.LEADER in c.roles
            ]
            out.append(
                Finding(
                    Kind.POOL,
                    f"{name}的干部池无法派往任何其他县区（{detail}）。该县具备组长资格的干部"
                    f"{len(leaders)}人：{_leader_ties(problem, u, leaders) or '无'}。",
                    f"the pool of {name} cannot staff any other county",
                    counties=(name,),
                    cadres=tuple(problem.cadres[i].id for i in leaders),
                    instance=RuleInstance(Kind.POOL, -1, u),
                )
            )
    for w in counties:
        if not any(w in can[u] for u in counties):
            name = problem.county_name(w)
            out.append(
                Finding(
                    Kind.POOL,
                    f"没有任何县区的干部池能够完整承担{name}的巡察组",
                    f"no pool can staff the teams in {name}",
                    counties=(name,),
                )
            )
    if out:
        return out
    if not _has_cycle(counties, can, problem.rules.single_cycle, problem.rules.forbid_reciprocal):
        kind = "单一循环" if problem.rules.single_cycle else "轮换"
        options = "；".join(
            f"{problem.county_name(u)}→{'、'.join(problem.county_name(w) for w in sorted(can[u]))}" for u in counties
        )
        out.append(
            Finding(
                Kind.SINGLE_CYCLE,
                f"各县区可派往的县区组合不成{kind}：{options}",
                "the possible pool→county arcs admit no rotation cycle",
                counties=tuple(problem.county_name(u) for u in counties),
                instance=RuleInstance(Kind.SINGLE_CYCLE),
            )
        )
    return out


def _leader_ties(problem: Problem, u: str, leaders: list[int]) -> str:
    """Each leader candidate of pool u with the rules that keep them from each other county."""
    parts = []
    for i in leaders:
        why: dict[str, set[str]] = defaultdict(set)
        if not problem.can_take_role(i, Role.LEADER):
            label = Kind.SANCTION.entry.label() if i in problem.sanctions else "职级不够或不可用"
            parts.append(f"{problem.cadres[i].name}（{label}）")
            continue
        for j, dest in enumerate(problem.target_county):
            if dest == u:
                continue
            for b in problem.blocks.get((i, j), ()):
                why[AVOIDANCE_KINDS[b.field].entry.label()].add(problem.county_name(dest))
        detail = "；".join(f"{r}：{'、'.join(sorted(ws))}" for r, ws in why.items())
        parts.append(f"{problem.cadres[i].name}（{detail or '无回避关系'}）")
    return "，".join(parts)


def _has_cycle(nodes: tuple[str, ...], can: dict[str, set[str]], single: bool, no_recip: bool) -> bool:
    """Hamiltonian cycle (single) or cycle cover; exact for up to 16 counties, else assumed."""
    n = len(nodes)
    idx = {c: k for k, c in enumerate(nodes)}
    adj = [[idx[w] for w in can[u]] for u in nodes]
    if not single:
        # A cycle cover without fixed points is a perfect matching pools -> counties.
        match: dict[int, int] = {}

        def augment(u: int, seen: set[int]) -> bool:
            for w in adj[u]:
                if w in seen:
                    continue
                seen.add(w)
                if w not in match or augment(match[w], seen):
                    match[w] = u
                    return True
            return False

        return all(augment(u, set()) for u in range(n))
    if n > 16:
        return True  # too large for the exact check; the model will decide
    if n == 2:
        return not no_recip and 1 in adj[0] and 0 in adj[1]
    full = (1 << n) - 1
    reach = [[False] * n for _ in range(1 << n)]
    reach[1][0] = True
    for mask in range(1 << n):
        if not mask & 1:
            continue
        for v in range(n):
            if not reach[mask][v]:
                continue
            for w in adj[v]:
                if not mask & (1 << w):
                    reach[mask | (1 << w)][w] = True
    return any(reach[full][v] and 0 in adj[v] for v in range(n))


def _leader_hall(problem: Problem, seats: list[SeatKey]) -> list[Finding]:
    """Leader slots matched to leader candidates; a deficit names a Hall-violating group."""
    need = problem.rules.leaders
    if need == 0:
        return []
    cands: dict[int, list[int]] = defaultdict(list)
    for i, j, role in seats:
        if role is Role.LEADER:
            cands[j].append(i)
    slots = [(j, s) for j in range(len(problem.targets)) for s in range(need)]
    owner: dict[int, int] = {}

    def augment(slot: int, seen: set[int]) -> bool:
        j = slots[slot][0]
        for i in cands.get(j, ()):
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = slot
                return True
        return False

    unmatched = [s for s in range(len(slots)) if not augment(s, set())]
    if not unmatched:
        return []
    # König: targets reachable from an unmatched slot by alternating paths need
    # more leaders than the cadres who could lead any of them (Hall's condition).
    group: set[int] = set()
    people: set[int] = set()
    stack = list(unmatched)
    while stack:
        s = stack.pop()
        j = slots[s][0]
        if j in group:
            continue
        group.add(j)
        for i in cands.get(j, ()):
            people.add(i)
            if i in owner:
                stack.append(owner[i])
    if len(group) <= 1:
        return []  # a single target's shortage is already reported per target
    labels = "、".join(problem.targets[j].name for j in sorted(group))
    return [
        Finding(
            Kind.LEADER,
            f"{labels}共需{need * len(group)}名组长，而能担任其中任一组组长的只有{len(people)}人"
            f"（{_names(problem, people) or '无'}）",
            f"{len(group)} targets need {need * len(group)} leaders but only {len(people)} can lead any",
            targets=tuple(problem.targets[j].id for j in sorted(group)),
            cadres=tuple(problem.cadres[i].id for i in sorted(people)),
        )
    ]


def _pins(problem: Problem, seats: list[SeatKey]) -> list[Finding]:
    """A pinned seat that another rule forbids, with every rule that forbids it."""
    allowed = set(seats)
    out = []
    for n, pin in enumerate(problem.pins):
        roles = [pin.role] if pin.role else list(Role)
        if any((pin.cadre, pin.target, r) in allowed for r in roles):
            continue
        c = problem.cadres[pin.cadre]
        bars = seat_bars(problem, pin.cadre, pin.target, pin.role)
        why_zh = "；".join(f"{b.zh}（{b.kind.entry.zh}）" for b in bars) or "其他规则不允许"
        why_en = "; ".join(f"{b.en} ({b.kind.entry.en})" for b in bars) or "another rule forbids it"
        role_zh = f"任{pin.role.zh}" if pin.role else ""
        role_en = f" as {pin.role.value}" if pin.role else ""
        out.append(
            Finding(
                Kind.PIN,
                f"{c.name}不能指定到{target_label(problem, pin.target)}{role_zh}：{why_zh}",
                f"{c.name} cannot be pinned to {problem.targets[pin.target].name}{role_en}: {why_en}",
                targets=(problem.targets[pin.target].id,),
                cadres=(c.id,),
                instance=RuleInstance(Kind.PIN, pin.target, str(n)),
            )
        )
    return out
