"""What a solve hands back: the plan (teams and seats), its status and its report."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .models import Role


class Seat(BaseModel):
    """One cadre in one role on one team."""

    model_config = ConfigDict(frozen=True)

    team_id: str
    target_id: str
    cadre_id: str
    role: Role


class Team(BaseModel):
    """A team (巡察组) formed for one target."""

    model_config = ConfigDict(frozen=True)

    team_id: str
    target_id: str
    seats: tuple[Seat, ...]


class Arc(BaseModel):
    """Rotation arc (推磨式): the pool of ``source`` staffs the teams in ``dest``."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="county code of the sending pool")
    dest: str = Field(description="county code of the receiving county")
    source_name: str
    dest_name: str


class Plan(BaseModel):
    """A roster: which cadre sits where. Produced by ``solve`` or read back from a workbook."""

    model_config = ConfigDict(frozen=True)

    teams: tuple[Team, ...]
    arcs: tuple[Arc, ...] = ()

    def seats(self) -> list[Seat]:
        return [s for t in self.teams for s in t.seats]

    @classmethod
    def from_seats(cls, seats: list[Seat], arcs: tuple[Arc, ...] = ()) -> Plan:
        by_team: dict[str, list[Seat]] = {}
        target_of: dict[str, str] = {}
        for s in seats:
            by_team.setdefault(s.team_id, []).append(s)
            target_of.setdefault(s.team_id, s.target_id)
        teams = tuple(
            Team(team_id=t, target_id=target_of[t], seats=tuple(by_team[t])) for t in sorted(by_team, key=_team_key)
        )
        return cls(teams=teams, arcs=arcs)


def _team_key(team_id: str) -> tuple[int, str]:
    return (int(team_id), "") if team_id.isdigit() else (10**9, team_id)


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven best under the soft goals, lottery applied
    FEASIBLE = "feasible"  # a verified roster, optimality not proven in the time limit
    INFEASIBLE = "infeasible"  # proven: no roster satisfies the hard rules
    UNKNOWN = "unknown"  # time ran out before any roster or proof was found
    INTERRUPTED = "interrupted"  # stopped by the user; plan is the best so far, if any


class ObjectiveTerm(BaseModel):
    """One soft goal (R10) in the result, reported separately."""

    model_config = ConfigDict(frozen=True)

    name: str
    zh: str
    weight: int
    value: int
    weighted: int


class Violation(BaseModel):
    """A broken hard rule found by the verifier."""

    model_config = ConfigDict(frozen=True)

    rule: str = Field(description="R1 … R9, or PLAN for a roster that does not fit the input")
    zh: str
    en: str
    team_id: str | None = None
    cadre_id: str | None = None

    def render(self, lang: str = "zh") -> str:
        return f"[{self.rule}] {self.zh if lang == 'zh' else self.en}"


class Sanction(BaseModel):
    """A cadre suspended from leading or excluded altogether (R8), with the reason."""

    model_config = ConfigDict(frozen=True)

    cadre_id: str
    kind: str = Field(description="suspended | excluded")
    zh: str
    en: str


class Progress(BaseModel):
    """A progress report during a solve, for a display outside the library."""

    model_config = ConfigDict(frozen=True)

    phase: str
    objective: float | None
    bound: float | None
    elapsed: float
    solutions: int
    #: the run's safety stop (seconds), its effort and the effort used so far (units)
    time_limit: float | None = None
    effort: float | None = None
    effort_used: float | None = None

    @property
    def time_left(self) -> float | None:
        return None if self.time_limit is None else max(0.0, self.time_limit - self.elapsed)


class SolveResult(BaseModel):
    """Everything a solve produced: status, plan, objective terms, bound, gap, timings."""

    status: Status
    plan: Plan | None = None
    objective: int | None = None
    bound: float | None = None
    gap: float | None = None
    runtime: float = 0.0
    terms: tuple[ObjectiveTerm, ...] = ()
    lottery: int | None = None
    lottery_optimal: bool = False
    #: False when the time limit or a stop, not the effort, ended a search: the roster is
    #: valid but another run may draw a different one (see docs/model.md), and why
    reproducible: bool = True
    not_reproducible_zh: str = ""
    not_reproducible_en: str = ""
    #: the lottery seed, verbatim (R11)
    seed: str = "0"
    #: the search effort (deterministic units) and how much of it was used
    effort: float = 0.0
    effort_used: float = 0.0
    #: seconds to the first verified roster, from the start of the search
    first_roster_s: float | None = None
    workers: int = 1
    violations: tuple[Violation, ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    timings: dict[str, float] = Field(default_factory=dict)
    explanation: object | None = None

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.violations

    def summary(self, lang: str = "zh") -> str:
        lines = []
        if lang == "zh":
            lines.append(
                f"状态：{self.status.value}  目标值：{self.objective}  下界：{self.bound}  "
                f"差距：{_pct(self.gap)}  用时：{self.runtime:.2f}秒  "
                f"搜索工作量：{self.effort_used:g}/{self.effort:g}"
            )
            for t in self.terms:
                lines.append(f"  {t.zh}：{t.value} × 权重{t.weight} = {t.weighted}")
            lines.append(
                "可复现：同一输入、规则、种子和软件版本在任何电脑上得到同一名单"
                if self.reproducible
                else f"不可复现：{self.not_reproducible_zh}"
            )
        else:
            lines.append(
                f"status: {self.status.value}  objective: {self.objective}  bound: {self.bound}  "
                f"gap: {_pct(self.gap)}  time: {self.runtime:.2f}s  "
                f"effort: {self.effort_used:g}/{self.effort:g}"
            )
            for t in self.terms:
                lines.append(f"  {t.name}: {t.value} x weight {t.weight} = {t.weighted}")
            lines.append(
                "reproducible: the same input, rules, seed and software versions give this roster on any machine"
                if self.reproducible
                else f"not reproducible: {self.not_reproducible_en}"
            )
        return "\n".join(lines)


def _pct(gap: float | None) -> str:
    return "-" if gap is None else f"{gap * 100:.1f}%"
