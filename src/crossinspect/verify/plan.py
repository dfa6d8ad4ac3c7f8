"""PLAN (a roster that does not fit the input), and R6's one team per target and one seat
per person.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..domain.plan import Team
from .base import Placed, VerifierBase

#: Rule id of a roster that does not fit the input (unknown ids, missing teams …).
PLAN_RULE = "PLAN"


class PlanChecks(VerifierBase):
    """Unknown ids, mismatched and duplicate teams, targets without a team, people with two seats."""

    def _sanity(self) -> None:
        teams_of_target: dict[str, list[Team]] = defaultdict(list)
        seen_team_ids: Counter[str] = Counter()
        #: seats per person: two rows or spellings of one id are one person (R6)
        seats_of_person: dict[str, list[Placed]] = defaultdict(list)
        for team in self.plan.teams:
            seen_team_ids[team.team_id] += 1
            j = self.target_ix.get(team.target_id)
            if j is None:
                self._add(
                    PLAN_RULE,
                    f"第{team.team_id}组的巡察对象编号「{team.target_id}」不在输入中",
                    f"Team {team.team_id}: target id '{team.target_id}' is not in the input",
                    team.team_id,
                )
                continue
            teams_of_target[team.target_id].append(team)
            target = self.p.targets[j]
            for seat in team.seats:
                if seat.team_id != team.team_id or seat.target_id != team.target_id:
                    self._add(
                        PLAN_RULE,
                        f"{self._team_zh(team, target)}：干部编号「{seat.cadre_id}」"
                        f"的席位记为第{seat.team_id}组/巡察对象「{seat.target_id}」，"
                        "与所在组不一致",
                        f"{self._team_en(team, target)}: the seat of cadre id "
                        f"'{seat.cadre_id}' says team {seat.team_id} / target "
                        f"'{seat.target_id}'",
                        team.team_id,
                        seat.cadre_id,
                    )
                i = self._index(seat.cadre_id)
                if i is None:
                    self._add(
                        PLAN_RULE,
                        f"{self._team_zh(team, target)}：干部编号「{seat.cadre_id}」不在干部名单中",
                        f"{self._team_en(team, target)}: cadre id '{seat.cadre_id}' is not in the input",
                        team.team_id,
                        seat.cadre_id,
                    )
                    continue
                placed = Placed(seat, team, i, j)
                self.placed.append(placed)
                seats_of_person[self.person[i]].append(placed)
        for team_id, n in seen_team_ids.items():
            if n > 1:
                self._add(PLAN_RULE, f"组别「{team_id}」出现{n}次", f"team id '{team_id}' is used {n} times", team_id)
        for target in self.p.targets:
            teams = teams_of_target.get(target.id, [])
            if not teams:
                self._add(
                    "R6",
                    f"巡察对象「{target.name}」（{target.id}）没有组建巡察组",
                    f"target '{target.name}' ({target.id}) has no team",
                )
            elif len(teams) > 1:
                ids = "、".join(t.team_id for t in teams)
                self._add(
                    "R6",
                    f"巡察对象「{target.name}」（{target.id}）有多个巡察组：第{ids}组",
                    f"target '{target.name}' ({target.id}) has several teams: {', '.join(t.team_id for t in teams)}",
                    teams[1].team_id,
                )
        for seats in seats_of_person.values():
            if len(seats) > 1:
                i = seats[0].cadre
                # repr shows an invisible character as its escape, e.g. C2\u200f
                spellings = [repr(x)[1:-1] for x in dict.fromkeys(s.seat.cadre_id for s in seats)]
                same_zh = same_en = ""
                if len(spellings) > 1:
                    same_zh = f"；编号{'、'.join(f'「{x}」' for x in spellings)}去掉全角、空格和看不见的字符后是同一人"
                    same_en = (
                        "; ids " + ", ".join(f"'{x}'" for x in spellings) + " are one person without "
                        "width, spaces and invisible characters"
                    )
                where_zh = "、".join(
                    f"{self._team_zh(s.team, self.p.targets[s.target])}{s.seat.role.zh}" for s in seats
                )
                where_en = "; ".join(
                    f"{self._team_en(s.team, self.p.targets[s.target])} as {s.seat.role.value}" for s in seats
                )
                self._add(
                    "R6",
                    f"{self._who(i)} 同时在多个席位：{where_zh}（R6 每人每轮只进一个组{same_zh}）",
                    f"{self._who_en(i)} holds several seats: {where_en} (R6 one team per cadre{same_en})",
                    seats[1].team.team_id,
                    self.p.cadres[i].id,
                )
