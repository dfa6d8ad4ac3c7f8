"""Builders for tiny named problems, from records rather than spreadsheets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crossinspect.domain.models import (
    Cadre,
    Decision,
    DecisionKind,
    Gender,
    HistoryRecord,
    InputBook,
    Role,
    Target,
    parse_role,
)
from crossinspect.io.rules_reader import merge_rules
from crossinspect.problem import Problem, build_problem


def cadre(
    cid: str,
    county: str,
    *,
    roles: Iterable[str] = ("组员",),
    rank: str = "正科",
    gender: str = "M",
    skills: Iterable[str] = (),
    upbringing: Iterable[str] = (),
    postings: Iterable[str] = (),
    residence: Iterable[str] | None = None,
    conflicts: Iterable[str] = (),
    department: str = "",
    available: bool = True,
    name: str | None = None,
) -> Cadre:
    parsed = frozenset(r for r in (parse_role(x) for x in roles) if r is not None)
    return Cadre(
        id=cid,
        name=name or f"干部{cid}",
        gender=Gender(gender),
        county=county,
        rank=rank,
        roles=parsed,
        skills=tuple(skills),
        department=department,
        residence=tuple(residence) if residence is not None else (county,),
        workplace=(county,),
        postings=tuple(postings),
        upbringing=tuple(upbringing),
        conflicts=tuple(conflicts),
        available=available,
    )


def target(
    tid: str, location: str, *, size: int | None = None, skills: Iterable[str] = (), department: str = ""
) -> Target:
    return Target(
        id=tid,
        name=f"{location}巡察对象{tid}",
        location=location,
        size=size,
        skills=tuple(skills),
        department=department,
    )


def history(
    round_: str, cid: str, place: str, *, role: str = "组员", last: bool | None = None, source: str = ""
) -> HistoryRecord:
    return HistoryRecord(
        round=round_, cadre_id=cid, place=place, role=parse_role(role), last_ranked=last, from_county=source
    )


def pin(cid: str, tid: str, role: Role | None = None) -> Decision:
    return Decision(kind=DecisionKind.PIN, cadre_id=cid, target_id=tid, role=role)


def ban(a: str, b: str) -> Decision:
    return Decision(kind=DecisionKind.BAN, cadre_id=a, other_cadre_id=b)


def make_problem(
    cadres: list[Cadre],
    targets: list[Target],
    *,
    hist: Iterable[HistoryRecord] = (),
    decisions: Iterable[Decision] = (),
    **rules: object,
) -> Problem:
    book = InputBook(
        path="mem.xlsx",
        sha256="0" * 64,
        cadres=tuple(cadres),
        targets=tuple(targets),
        history=tuple(hist),
        decisions=tuple(decisions),
    )
    base: dict[str, object] = {"team_size": [3, 3], "deputies": [1, 1], "time_limit": 10, "workers": 1}
    base.update(rules)
    return build_problem(book, merge_rules(base))


COUNTIES = ("芗城区", "龙文区", "漳浦县", "云霄县", "南靖县")


def pool(
    county: str, prefix: str, *, leaders: int = 1, deputies: int = 1, members: int = 1, **kw: object
) -> list[Cadre]:
    """A county pool: leaders first, then deputies, then members."""
    out = []
    n = 0
    for roles, count in ((("组长",), leaders), (("副组长",), deputies), (("组员",), members)):
        for _ in range(count):
            n += 1
            out.append(cadre(f"{prefix}{n}", county, roles=roles, **kw))  # type: ignore[arg-type]
    return out


def mixed_problem(teams_per_county: int = 2) -> Problem:
    """A mixed round over ``COUNTIES`` with room to spare: a pool per county with one
    leader and one deputy more than it has teams, and three members a team."""
    cadres = [
        c
        for n, county in enumerate(COUNTIES)
        for c in pool(
            county,
            "ABCDE"[n],
            leaders=teams_per_county + 1,
            deputies=teams_per_county + 1,
            members=3 * teams_per_county,
        )
    ]
    targets = [target(f"T{n}{k}", county) for n, county in enumerate(COUNTIES) for k in range(teams_per_county)]
    return make_problem(cadres, targets, mode="mixed", team_size=[3, 4], max_from_same_county=2)


def search_of(
    problem: Problem,
    *,
    params: object = None,
    seed: str = "7",
    effort: float = 5.0,
    time_limit: float = 60,
    workers: int = 1,
    progress: object = None,
) -> Any:
    """A search context for one strategy, checked by the verifier, as ``crossinspect.solve`` makes it."""
    import threading

    from crossinspect.solver import SolveParams
    from crossinspect.solver.search.context import Search
    from crossinspect.verify import verifier

    return Search(
        problem=problem,
        params=params or SolveParams(),
        seed=seed,
        effort=effort,  # type: ignore[arg-type]
        workers=workers,
        limit=time_limit,
        stop=threading.Event(),
        progress=progress,
        check=verifier(problem),
    )  # type: ignore[arg-type]


def run_cli(*args: object) -> tuple[int, str]:
    """Run the CLI in-process; exit code and everything it printed. A traceback fails the test."""
    from typer.testing import CliRunner

    from crossinspect.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def lp_mass(problem: Problem) -> dict[tuple[int, int], float]:
    """The LP relaxation's (cadre, team) mass for ``problem``, as the bound thread computes it."""
    import time

    from crossinspect.problem.eligibility import allowed_seats
    from crossinspect.solver.search.bound import lp_bound, round_model, team_mass

    built = round_model(problem, allowed_seats(problem))
    found = lp_bound(built.model, deadline=time.monotonic() + 20)
    assert found is not None and found.values is not None
    return team_mass(built, found.values)
