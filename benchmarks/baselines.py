"""What a user would do without crossinspect, measured on the same problem.

1. ``office_method``: the clerk's random draw. Draw the rotation cycle (rotation mode),
   then every seat at random from the right pool; redraw a seat that breaks a rule,
   give up on the roster when a seat cannot be filled after ``redraws`` draws, and on
   the whole job after ``tries`` rosters. The finished roster is checked by
   ``crossinspect.verify.verify``, which shares no code with the solver.
2. ``mip``: the same model (same allowed seats, same constraints, same soft goals and
   weights) as a MIP solved by HiGHS through ``highspy``. Rotation's single cycle is
   encoded with Miller–Tucker–Zemlin ordering variables. Reports when HiGHS first
   reaches a given objective.
3. ``lp_bound``: the LP relaxation of that MIP, the classic lower limit.

``soft_goals`` evaluates the soft-goal terms of any plan exactly as
``crossinspect/solver/objectives.py`` defines them, so rosters from any method compare.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crossinspect.domain.models import Gender, Role
from crossinspect.domain.plan import Plan, Seat
from crossinspect.domain.rules import Mode
from crossinspect.problem import Problem
from crossinspect.problem.eligibility import SeatKey, allowed_seats
from crossinspect.verify import verify

# --------------------------------------------------------------------------- soft goals


def balance_reference(problem: Problem) -> int:
    """Mean strength per cadre over everyone drawable, rounded: the balance term's yardstick."""
    drawable = [i for i in range(len(problem.cadres)) if problem.drawable[i]]
    if not drawable:
        return 0
    return round(sum(problem.strength(i) for i in drawable) / len(drawable))


def soft_goals(problem: Problem, plan: Plan) -> dict[str, int]:
    """Each soft-goal term of ``plan`` and their weighted sum under key ``objective``.

    Mirrors ``solver/objectives.py``: balance = Σ over teams of |Σ (strength − ρ)| with
    ρ the mean strength of a drawable cadre (each team against an average team of its
    size); department = non-local seats whose department differs from the target's;
    travel = Σ round(km / 10) over non-local seats; novelty = for each past team and
    each new team, C(n, 2) for the n past members seated there; workload = Σ rounds
    already served by the cadres drawn. The smoke test checks this against the solver's
    own report, so a change there shows up here.
    """
    ci, ti = problem.cadre_index, problem.target_index
    local_roles = problem.rules.local_roles
    teams: dict[int, list[tuple[int, Role]]] = defaultdict(list)
    for s in plan.seats():
        teams[ti[s.target_id]].append((ci[s.cadre_id], s.role))
    rho = balance_reference(problem)
    balance = sum(abs(sum(problem.strength(i) - rho for i, _ in seats)) for seats in teams.values())
    department = travel = workload = 0
    cost: dict[tuple[str, int], int] = {}
    for j, seats in teams.items():
        tdep = problem.targets[j].department
        for i, role in seats:
            workload += problem.past_load[i]
            if role in local_roles:
                continue
            if tdep and problem.cadres[i].department != tdep:
                department += 1
            key = (problem.cadre_county[i], j)
            if key not in cost:
                cost[key] = round(problem.travel_km(*key) / 10)
            travel += cost[key]
    novelty = 0
    for seats in teams.values():
        members = {i for i, _ in seats}
        for past in problem.past_teams:
            again = len(members.intersection(past))
            novelty += again * (again - 1) // 2
    terms = {"balance": balance, "department": department, "travel": travel, "novelty": novelty, "workload": workload}
    w = problem.rules.weights
    terms["objective"] = sum(getattr(w, k) * v for k, v in terms.items())
    return terms


# --------------------------------------------------------------------------- 1. the office


@dataclass
class OfficeRun:
    """One clerk's attempt at the job: up to ``tries`` rosters."""

    found: bool
    tries: int
    seconds: float
    objective: int | None = None
    terms: dict[str, int] = field(default_factory=dict)
    #: why each failed roster failed, counted
    failures: dict[str, int] = field(default_factory=dict)
    plan: Plan | None = None


class _Office:
    """The per-seat checks a clerk makes with the rules sheet in hand (no solver)."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.rules = problem.rules
        # The clerk filters the sheet by 可用 and 可任角色 first: one list per pool and role.
        self.pool: dict[tuple[str, Role], list[int]] = defaultdict(list)
        for i, county in enumerate(problem.cadre_county):
            if problem.drawable[i]:
                for role in problem.cadres[i].roles:
                    self.pool[(county, role)].append(i)
        self.banned: dict[int, set[int]] = defaultdict(set)
        for a, b in problem.bans:
            self.banned[a].add(b)
            self.banned[b].add(a)
        self.blocks = problem.blocks
        self._elsewhere: dict[tuple[str, Role], list[int]] = {}

    def seat_ok(self, i: int, j: int, role: Role, team: list[tuple[int, Role]]) -> bool:
        p = self.p
        if not p.can_take_role(i, role):
            return False
        if any(m in self.banned[i] for m, _ in team):
            return False
        home, dest = p.cadre_county[i], p.target_county[j]
        if p.is_local_role(role):
            return home == dest and not p.declared_block(i, j)
        if home == dest or (i, j) in self.blocks:
            return False
        if self.rules.mode is Mode.MIXED:
            same = sum(1 for m, r in team if not p.is_local_role(r) and p.cadre_county[m] == home)
            return same < self.rules.max_from_same_county
        return True

    def team_ok(self, j: int, team: list[tuple[int, Role]]) -> bool:
        p = self.p
        for skill, need in p.target_skills(j).items():
            if sum(1 for i, _ in team if skill in p.cadres[i].skills) < need:
                return False
        women = sum(1 for i, _ in team if p.cadres[i].gender is Gender.FEMALE)
        return women >= self.rules.min_women

    def draw_cycle(self, rng: random.Random, redraws: int) -> dict[str, str] | None:
        """The rotation: a random single cycle without past arcs, honouring pinned leaders."""
        p = self.p
        counties = list(p.counties)
        pinned = {(p.cadre_county[pin.cadre], p.target_county[pin.target]) for pin in p.pins}
        for _ in range(redraws):
            rng.shuffle(counties)
            nxt = {counties[k]: counties[(k + 1) % len(counties)] for k in range(len(counties))}
            if any((u, w) in p.past_arcs for u, w in nxt.items()):
                continue
            if any(nxt.get(u) != w for u, w in pinned):
                continue
            return nxt
        return None

    def _wanted(self, j: int) -> list[Role]:
        rules = self.rules
        wanted: list[Role] = [Role.LEADER] * rules.leaders
        wanted += [Role.DEPUTY] * rules.deputies[0] + [Role.LIAISON] * rules.liaisons[0]
        wanted += [Role.MEMBER] * max(0, self.p.target_size(j)[0] - len(wanted))
        return wanted

    def _needed(self, j: int, team: list[tuple[int, Role]], cand: list[int]) -> list[int]:
        """Candidates who bring a skill or a woman the team still lacks (all, when it lacks none)."""
        p = self.p
        lacking = [
            sk for sk, need in p.target_skills(j).items() if sum(1 for i, _ in team if sk in p.cadres[i].skills) < need
        ]
        women = sum(1 for i, _ in team if p.cadres[i].gender is Gender.FEMALE) < self.rules.min_women
        if not lacking and not women:
            return cand
        useful = [
            i
            for i in cand
            if any(sk in p.cadres[i].skills for sk in lacking) or (women and p.cadres[i].gender is Gender.FEMALE)
        ]
        return useful or cand

    def attempt(self, rng: random.Random, redraws: int, smart: bool = False) -> tuple[Plan | None, str]:
        p, rules = self.p, self.rules
        source: dict[str, str] = {}
        if rules.mode is Mode.ROTATION:
            nxt = self.draw_cycle(rng, redraws)
            if nxt is None:
                return None, "cycle"
            source = {w: u for u, w in nxt.items()}
        used: set[int] = set()
        seats: list[Seat] = []
        pins_by_target: dict[int, list[tuple[int, Role]]] = defaultdict(list)  # pinned (and reserved) seats
        for pin in p.pins:
            pins_by_target[pin.target].append((pin.cadre, pin.role or Role.MEMBER))
            used.add(pin.cadre)
        if smart:
            # Local seats first: their candidates are few, and the same people are
            # often also eligible as members elsewhere.
            for j in range(len(p.targets)):
                for role in self._wanted(j):
                    if p.is_local_role(role) and role not in [r for _, r in pins_by_target.get(j, [])]:
                        cadre = self._draw(
                            rng,
                            self._candidates(role, p.target_county[j], source),
                            j,
                            role,
                            pins_by_target[j],
                            used,
                            redraws,
                        )
                        if cadre is None:
                            return None, f"seat:{role.value}"
                        pins_by_target[j].append((cadre, role))
                        used.add(cadre)
        for j in range(len(p.targets)):
            dest = p.target_county[j]
            wanted = self._wanted(j)
            team: list[tuple[int, Role]] = list(pins_by_target.get(j, []))
            for _, role in team:
                if role in wanted:
                    wanted.remove(role)
            for role in wanted:
                cand = self._candidates(role, dest, source)
                if smart and role is Role.MEMBER:
                    cand = self._needed(j, team, cand)
                cadre = self._draw(rng, cand, j, role, team, used, redraws)
                if cadre is None:
                    return None, f"seat:{role.value}"
                team.append((cadre, role))
                used.add(cadre)
            # Team-level rules (skills, women): redraw member seats until they hold.
            tries = 0
            while not self.team_ok(j, team):
                tries += 1
                if tries > redraws:
                    return None, "team"
                movable = [
                    k for k, (i, r) in enumerate(team) if r is Role.MEMBER and (i, r) not in pins_by_target.get(j, [])
                ]
                if not movable:
                    return None, "team"
                k = rng.choice(movable)
                old, role = team.pop(k)
                cand = self._candidates(role, dest, source)
                cadre = self._draw(rng, cand, j, role, team, used, redraws)
                if cadre is None:
                    team.insert(k, (old, role))
                    continue
                used.discard(old)
                used.add(cadre)
                team.insert(k, (cadre, role))
            for i, role in team:
                seats.append(Seat(team_id=p.team_id(j), target_id=p.targets[j].id, cadre_id=p.cadres[i].id, role=role))
        return Plan.from_seats(seats), ""

    def _candidates(self, role: Role, dest: str, source: dict[str, str]) -> list[int]:
        if self.p.is_local_role(role):
            return self.pool[(dest, role)]
        if self.rules.mode is Mode.ROTATION:
            return self.pool[(source.get(dest, ""), role)]
        key = (dest, role)
        if key not in self._elsewhere:
            self._elsewhere[key] = [
                i for (county, r), people in self.pool.items() if r is role and county != dest for i in people
            ]
        return self._elsewhere[key]

    def _draw(
        self,
        rng: random.Random,
        cand: list[int],
        j: int,
        role: Role,
        team: list[tuple[int, Role]],
        used: set[int],
        redraws: int,
    ) -> int | None:
        # Lots are drawn from the box of those not drawn yet (without replacement).
        box = [i for i in cand if i not in used]
        for _ in range(redraws):
            if not box:
                return None
            i = box.pop(rng.randrange(len(box)))
            if self.seat_ok(i, j, role, team):
                return i
        return None


def office_method(
    problem: Problem, *, seed: int = 0, tries: int = 100, redraws: int = 20, smart: bool = False
) -> OfficeRun:
    """One clerk: up to ``tries`` random rosters, each seat redrawn up to ``redraws`` times.

    ``smart`` is not the office's method but a cheap constructive heuristic for a solver
    hint: local seats are drawn first, and member seats go to someone bringing a skill or
    a woman the team still lacks.
    """
    start = time.perf_counter()
    office = _Office(problem)
    rng = random.Random(seed)
    failures: dict[str, int] = defaultdict(int)
    for attempt in range(1, tries + 1):
        plan, why = office.attempt(rng, redraws, smart)
        if plan is None:
            failures[why] += 1
            continue
        violations = verify(problem, plan)
        if violations:
            failures["verify:" + violations[0].rule] += 1
            continue
        terms = soft_goals(problem, plan)
        return OfficeRun(
            True, attempt, time.perf_counter() - start, terms["objective"], terms, plan=plan, failures=dict(failures)
        )
    return OfficeRun(False, tries, time.perf_counter() - start, failures=dict(failures))


def office_summary(
    problem: Problem, *, runs: int = 20, tries: int = 100, redraws: int = 20, seed: int = 0
) -> dict[str, Any]:
    """``runs`` independent clerks: success rate, tries, time and soft goals of what they find."""
    results = [office_method(problem, seed=seed * 1000 + k, tries=tries, redraws=redraws) for k in range(runs)]
    found = [r for r in results if r.found]
    failures: dict[str, int] = defaultdict(int)
    for r in results:
        for k, v in r.failures.items():
            failures[k] += v
    return {
        "runs": runs,
        "tries": tries,
        "redraws": redraws,
        "success_rate": len(found) / runs,
        "tries_median": _median([r.tries for r in found]),
        "seconds_median": _median([r.seconds for r in results]),
        "objective_median": _median([r.objective for r in found if r.objective is not None]),
        "objective_best": min((r.objective for r in found if r.objective is not None), default=None),
        "terms_median": {
            k: _median([r.terms[k] for r in found]) for k in ("balance", "department", "travel", "novelty", "workload")
        }
        if found
        else {},
        "failures": dict(failures),
    }


def _median(values: list[Any]) -> float | None:
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


# --------------------------------------------------------------------------- 2./3. the MIP


class _Matrix:
    """Columns and rows of a MIP, gathered in Python lists and handed to HiGHS in one go."""

    def __init__(self) -> None:
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def var(self, lb: float, ub: float, cost: float = 0.0, integer: bool = False) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.cost.append(cost)
        self.integer.append(1 if integer else 0)
        return len(self.lb) - 1

    def row(self, lo: float, hi: float, terms: list[tuple[int, float]]) -> None:
        self.row_lo.append(lo)
        self.row_hi.append(hi)
        self.starts.append(len(self.index))
        for k, v in terms:
            self.index.append(k)
            self.value.append(v)


INF = float("inf")


@dataclass
class MipModel:
    matrix: _Matrix
    x: dict[SeatKey, int]
    arc: dict[tuple[str, str], int]
    build_seconds: float


def mip_model(problem: Problem) -> MipModel:
    """The CP-SAT model of ``solver/`` restated as a MIP over the same allowed seats."""
    start = time.perf_counter()
    m = _Matrix()
    rules = problem.rules
    w = rules.weights
    seats, local = allowed_seats(problem)
    x: dict[SeatKey, int] = {}
    by_target: dict[int, list[SeatKey]] = defaultdict(list)
    by_cadre: dict[int, list[SeatKey]] = defaultdict(list)
    travel_cost: dict[tuple[str, int], int] = {}
    for key in seats:
        i, j, role = key
        cost = w.workload * problem.past_load[i]
        if key not in local:
            tdep = problem.targets[j].department
            if w.department and tdep and problem.cadres[i].department != tdep:
                cost += w.department
            tk = (problem.cadre_county[i], j)
            if tk not in travel_cost:
                travel_cost[tk] = round(problem.travel_km(*tk) / 10)
            cost += w.travel * travel_cost[tk]
        x[key] = m.var(0, 1, cost, integer=True)
        by_target[j].append(key)
        by_cadre[i].append(key)
    # R6 composition.
    for j in range(len(problem.targets)):
        keys = by_target.get(j, [])
        lo, hi = problem.target_size(j)
        m.row(lo, hi, [(x[k], 1.0) for k in keys])
        for role in (Role.LEADER, Role.DEPUTY, Role.LIAISON):
            rlo, rhi = rules.role_range(role) or (0, 0)
            m.row(rlo, rhi, [(x[k], 1.0) for k in keys if k[2] is role])
        for skill, need in problem.target_skills(j).items():
            m.row(need, INF, [(x[k], 1.0) for k in keys if skill in problem.cadres[k[0]].skills])
        if rules.min_women:
            m.row(rules.min_women, INF, [(x[k], 1.0) for k in keys if problem.cadres[k[0]].gender is Gender.FEMALE])
    for keys in by_cadre.values():
        if len(keys) > 1:
            m.row(-INF, 1, [(x[k], 1.0) for k in keys])
    arc: dict[tuple[str, str], int] = {}
    if rules.mode is Mode.ROTATION:
        _rotation(m, problem, x, local, arc)
    else:
        cap = rules.max_from_same_county
        for keys in by_target.values():
            per: dict[str, list[int]] = defaultdict(list)
            for k in keys:
                if k not in local:
                    per[problem.cadre_county[k[0]]].append(x[k])
            for cols in per.values():
                if len(cols) > cap:
                    m.row(-INF, cap, [(c, 1.0) for c in cols])
    # R9 decisions.
    for pin in problem.pins:
        m.row(
            1,
            1,
            [
                (x[k], 1.0)
                for k in by_cadre.get(pin.cadre, ())
                if k[1] == pin.target and (pin.role is None or k[2] is pin.role)
            ],
        )
    for a, b in problem.bans:
        for j in range(len(problem.targets)):
            la = [x[k] for k in by_cadre.get(a, ()) if k[1] == j]
            lb = [x[k] for k in by_cadre.get(b, ()) if k[1] == j]
            if la and lb:
                m.row(-INF, 1, [(c, 1.0) for c in la + lb])
    # R10 balance: dev_j >= |Σ (strength - ρ) x| for every team.
    if w.balance:
        rho = balance_reference(problem)
        for j in range(len(problem.targets)):
            keys = by_target.get(j, [])
            if not keys:
                continue
            terms = [(x[k], float(problem.strength(k[0]) - rho)) for k in keys]
            dev = m.var(0, INF, w.balance)
            m.row(0, INF, [(dev, 1.0)] + [(c, -v) for c, v in terms])
            m.row(0, INF, [(dev, 1.0)] + [(c, v) for c, v in terms])
    # R10 novelty, as in the solver: per past team G and team j, pairs >= k*n - k(k+1)/2
    # for k = 1 .. size-1, where n counts G's members seated on j.
    if w.novelty:
        for past in problem.past_teams:
            members = set(past)
            for j in range(len(problem.targets)):
                lits = [x[k] for k in by_target.get(j, ()) if k[0] in members]
                most = min(len({k[0] for k in by_target.get(j, ()) if k[0] in members}), problem.target_size(j)[1])
                if most < 2:
                    continue
                pairs = m.var(0, INF, w.novelty)
                for k in range(1, most):
                    m.row(-k * (k + 1) / 2, INF, [(pairs, 1.0)] + [(c, -float(k)) for c in lits])
    return MipModel(m, x, arc, time.perf_counter() - start)


def _rotation(
    m: _Matrix, problem: Problem, x: dict[SeatKey, int], local: set[SeatKey], arc: dict[tuple[str, str], int]
) -> None:
    rules = problem.rules
    counties = problem.counties
    for u in counties:
        for v in counties:
            if u != v and (u, v) not in problem.past_arcs:
                arc[(u, v)] = m.var(0, 1, 0.0, integer=True)
    for c in counties:
        m.row(1, 1, [(col, 1.0) for (u, _), col in arc.items() if u == c])
        m.row(1, 1, [(col, 1.0) for (_, v), col in arc.items() if v == c])
    if rules.single_cycle and len(counties) > 2:
        # Miller–Tucker–Zemlin: order t_c in [1, n-1] for every county but the first;
        # an arc u -> v between two of them forces t_v >= t_u + 1, so no sub-cycle avoids it.
        n = len(counties)
        order = {c: m.var(1, n - 1) for c in counties[1:]}
        for (u, v), col in arc.items():
            if u in order and v in order:
                m.row(-INF, n - 2, [(order[u], 1.0), (order[v], -1.0), (col, float(n - 1))])
    if rules.forbid_reciprocal:
        for (u, v), col in arc.items():
            back = arc.get((v, u))
            if back is not None and u < v:
                m.row(-INF, 1, [(col, 1.0), (back, 1.0)])
    per_pool: dict[tuple[str, int], list[SeatKey]] = defaultdict(list)
    for key, col in x.items():
        if key in local:
            continue
        i, j, _ = key
        a = arc[(problem.cadre_county[i], problem.target_county[j])]
        m.row(-INF, 0, [(col, 1.0), (a, -1.0)])
        per_pool[(problem.cadre_county[i], j)].append(key)
    for (u, j), keys in per_pool.items():
        cap = min(problem.target_size(j)[1], len({k[0] for k in keys}))
        m.row(-INF, 0, [(x[k], 1.0) for k in keys] + [(arc[(u, problem.target_county[j])], -float(cap))])


def _solve_highs(model: MipModel, *, relax: bool, time_limit: float, target: float | None) -> dict[str, Any]:
    """Run HiGHS on the matrix in a fresh process.

    OR-Tools ships its own, older HiGHS inside ``libortools``; loading ``highspy`` into a
    process that has OR-Tools loaded (and the other way round) fails on clashing symbols.
    So the matrix goes to a file and ``benchmarks.highs_worker`` solves it alone.
    """
    import numpy as np

    m = model.matrix
    with tempfile.TemporaryDirectory(prefix="bench-highs-") as tmp:
        path = Path(tmp) / "model.npz"
        np.savez(
            path,
            lb=np.array(m.lb, dtype=np.float64),
            ub=np.array(m.ub, dtype=np.float64),
            cost=np.array(m.cost, dtype=np.float64),
            integer=np.array(m.integer, dtype=np.int8),
            row_lo=np.array(m.row_lo, dtype=np.float64),
            row_hi=np.array(m.row_hi, dtype=np.float64),
            starts=np.array(m.starts, dtype=np.int64),
            index=np.array(m.index, dtype=np.int32),
            value=np.array(m.value, dtype=np.float64),
        )
        cmd = [sys.executable, "-m", "benchmarks.highs_worker", str(path), "--time-limit", str(time_limit)]
        if relax:
            cmd.append("--relax")
        if target is not None:
            cmd += ["--target", repr(float(target))]
        solution = Path(tmp) / "solution.npy"
        if not relax:
            cmd += ["--solution", str(solution)]
        out = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            check=False,
            cwd=str(Path(__file__).resolve().parent.parent),
            timeout=time_limit + 600,
        )
        if out.returncode != 0:
            return {"status": "error", "error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
        res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        if solution.exists():
            res["values"] = np.load(solution)
    return res


def lp_bound(problem: Problem, model: MipModel | None = None, time_limit: float = 300.0) -> dict[str, Any]:
    """The LP relaxation's optimum: a lower bound on every roster's objective."""
    model = model or mip_model(problem)
    res = _solve_highs(model, relax=True, time_limit=time_limit, target=None)
    return {
        **res,
        "bound": res.get("objective") if res.get("status") == "Optimal" else None,
        "build_seconds": model.build_seconds,
        "columns": len(model.matrix.lb),
        "rows": len(model.matrix.row_lo),
    }


def mip(
    problem: Problem, *, target: float | None = None, time_limit: float = 120.0, model: MipModel | None = None
) -> dict[str, Any]:
    """Solve the MIP with HiGHS; with ``target``, stop as soon as a roster that good is found.

    ``reached_seconds`` counts from the start of model building, like CP-SAT's progress
    clock counts from the start of ``solve``, to the first solution at or below ``target``.
    """
    model = model or mip_model(problem)
    res = _solve_highs(model, relax=False, time_limit=time_limit, target=target)
    values = res.pop("values", None)
    if values is not None:
        # The MIP's roster goes through the same independent verifier and soft-goal count.
        chosen = [key for key, col in model.x.items() if values[col] > 0.5]
        plan = Plan.from_seats(
            [
                Seat(
                    team_id=problem.team_id(j),
                    target_id=problem.targets[j].id,
                    cadre_id=problem.cadres[i].id,
                    role=role,
                )
                for i, j, role in chosen
            ]
        )
        res["violations"] = [v.en for v in verify(problem, plan)][:5]
        res["terms"] = soft_goals(problem, plan)
    for key in ("first_seconds", "reached_seconds"):
        if res.get(key) is not None:
            res[key] += model.build_seconds
    return {
        **res,
        "build_seconds": model.build_seconds,
        "time_limit": time_limit,
        "columns": len(model.matrix.lb),
        "rows": len(model.matrix.row_lo),
    }
