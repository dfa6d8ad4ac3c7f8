"""R6 team composition: size, role counts, skills, women, eligible roles, availability,
the leader's rank.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from ..domain.models import Cadre, Gender, Role, Target
from ..domain.plan import Team
from .base import Placed, VerifierBase


class CompositionChecks(VerifierBase):
    """Each team's make-up and each seat's eligibility."""

    def _composition(self) -> None:
        rules = self.rules
        by_team: dict[int, list[Placed]] = defaultdict(list)
        for s in self.placed:
            by_team[id(s.team)].append(s)
        for team in self.plan.teams:
            j = self.target_ix.get(team.target_id)
            if j is None:
                continue
            self._team_composition(team, self.p.targets[j], by_team.get(id(team), []))
        for s in self.placed:
            cadre = self.p.cadres[s.cadre]
            if s.seat.role not in cadre.roles:
                allowed_zh = "、".join(r.zh for r in _ordered(cadre.roles)) or "无"
                allowed_en = ", ".join(r.value for r in _ordered(cadre.roles)) or "nothing"
                self._seat_add(
                    s,
                    "R6",
                    f"任{s.seat.role.zh}，但其可任角色为{allowed_zh}（R6 角色资格）",
                    f"sits as {s.seat.role.value} but may only be {allowed_en} (R6 eligible roles)",
                )
            if not cadre.available:
                self._seat_add(s, "R6", "标记为不可用，不得抽取（R6 可用）", "is marked unavailable (R6 availability)")
            if s.seat.role is Role.LEADER and rules.leader_min_rank:
                self._leader_rank(s, cadre)

    def _leader_rank(self, s: Placed, cadre: Cadre) -> None:
        order = self.rules.rank_order
        need = order.index(self.rules.leader_min_rank)
        has = order.index(cadre.rank) if cadre.rank in order else None
        if has is None or has > need:
            rank, need_rank = cadre.rank or "未填", self.rules.leader_min_rank
            self._seat_add(
                s,
                "R6",
                f"任组长，职级「{rank}」低于要求的{need_rank}（R6 组长职级）",
                f"leads with rank '{cadre.rank or 'none'}', below the minimum {need_rank} (R6 leader rank)",
            )

    def _team_composition(self, team: Team, target: Target, seats: list[Placed]) -> None:
        rules = self.rules
        zh_t, en_t = self._team_zh(team, target), self._team_en(team, target)

        def add(zh: str, en: str) -> None:
            self._add("R6", f"{zh_t}：{zh}", f"{en_t}: {en}", team.team_id)

        # Size counts the plan's seats, unknown cadre ids included: they occupy a line too.
        n = len(team.seats)
        lo, hi = (target.size, target.size) if target.size else rules.team_size
        if not lo <= n <= hi:
            want_zh = f"{lo}人" if lo == hi else f"{lo}至{hi}人"
            want_en = f"{lo}" if lo == hi else f"{lo} to {hi}"
            add(f"共{n}人，应为{want_zh}（R6 组内人数）", f"{n} seats, expected {want_en} (R6 team size)")
        counts = Counter(seat.role for seat in team.seats)
        for role, (rlo, rhi) in (
            (Role.LEADER, (rules.leaders, rules.leaders)),
            (Role.DEPUTY, rules.deputies),
            (Role.LIAISON, rules.liaisons),
        ):
            k = counts.get(role, 0)
            if not rlo <= k <= rhi:
                want_zh = f"{rlo}名" if rlo == rhi else f"{rlo}至{rhi}名"
                want_en = f"{rlo}" if rlo == rhi else f"{rlo} to {rhi}"
                add(
                    f"{role.zh}{k}名，应为{want_zh}（R6 {role.zh}人数）",
                    f"{k} {role.value}(s), expected {want_en} (R6 role count)",
                )
        need = dict(rules.required_skills)
        for skill in target.skills:
            need[skill] = max(need.get(skill, 0), 1)
        for skill, k in need.items():
            have = sum(1 for s in seats if skill in self.p.cadres[s.cadre].skills)
            if have < k:
                add(
                    f"具备「{skill}」专长的{have}人，至少需要{k}人（R6 专长要求）",
                    f"{have} member(s) with skill '{skill}', at least {k} needed (R6 skills)",
                )
        women = sum(1 for s in seats if self.p.cadres[s.cadre].gender is Gender.FEMALE)
        if women < rules.min_women:
            add(
                f"女干部{women}名，至少需要{rules.min_women}名（R6 女干部人数）",
                f"{women} women, at least {rules.min_women} needed (R6 women)",
            )


def _ordered(roles: Iterable[Role]) -> list[Role]:
    order = [Role.LEADER, Role.DEPUTY, Role.LIAISON, Role.MEMBER]
    return sorted(roles, key=order.index)
