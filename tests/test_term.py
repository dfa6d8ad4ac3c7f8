"""Whole-term plans (全覆盖): every target once, no repeated arc or county, rounds verified."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from crossinspect.domain.errors import InputError
from crossinspect.domain.models import HistoryRecord, Role
from crossinspect.domain.plan import Status
from crossinspect.io.load import load_problem
from crossinspect.io.roster_reader import read_plan
from crossinspect.io.safety import OutputError
from crossinspect.io.term_files import verify_term, write_term
from crossinspect.io.term_overview import SHEET_NOTES, SHEET_OVERVIEW, SHEET_WORKLOAD, build_term_overview
from crossinspect.places import PlaceLevel
from crossinspect.problem import Problem, build_problem
from crossinspect.verify import verify
from crossinspect.workflows.term import TermPlan, plan_term, split_targets, term_labels
from factories import make_problem, pool, target

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "rotation"


@pytest.fixture(scope="module")
def example() -> Problem:
    return load_problem(EXAMPLE / "input.xlsx", rules_file=EXAMPLE / "rules.toml")


@pytest.fixture(scope="module")
def term(example: Problem) -> TermPlan:
    return plan_term(example, 4, time_limit=10)


@pytest.fixture(scope="module")
def written(term: TermPlan, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_term(term, tmp_path_factory.mktemp("term") / "out")


def _dispatches(problem: Problem, term: TermPlan) -> list[tuple[int, str, str]]:
    """(round, pool county, target county) of every non-local seat, from the base problem's indices."""
    out = []
    for r in term.rounds:
        for s in r.plan.seats():
            i, j = problem.cadre_index[s.cadre_id], problem.target_index[s.target_id]
            out.append((r.number, problem.cadre_county[i], problem.target_county[j]))
    return out


def _county(problem: Problem, codes: tuple[str, ...]) -> str:
    node = problem.gazetteer.ancestor_at(codes[0], PlaceLevel.COUNTY)
    assert node is not None
    return node.code


def test_four_round_term_is_produced(term: TermPlan) -> None:
    """The rotation example is planned over 4 rounds, each solved, balanced in size."""
    assert term.ok, term.summary()
    assert [r.number for r in term.rounds] == [1, 2, 3, 4]
    sizes = sorted(len(r.target_ids) for r in term.rounds)
    assert sizes[-1] - sizes[0] <= 1
    assert all(r.result.status in (Status.OPTIMAL, Status.FEASIBLE) for r in term.rounds)


def test_every_target_exactly_once(example: Problem, term: TermPlan) -> None:
    """Each target of the input is inspected in exactly one round, by exactly one team."""
    seen = Counter(t.target_id for r in term.rounds for t in r.plan.teams)
    assert seen == Counter(t.id for t in example.targets)
    assert Counter(t for r in term.rounds for t in r.target_ids) == seen


def test_no_arc_repeats(example: Problem, term: TermPlan) -> None:
    """No pool→county arc sends a team twice in the term, nor repeats the book's history."""
    arcs: dict[tuple[str, str], set[int]] = {}
    for k, src, dst in _dispatches(example, term):
        arcs.setdefault((src, dst), set()).add(k)
    assert all(len(ks) == 1 for ks in arcs.values())
    assert not set(arcs) & example.past_arcs
    assert term.stats.repeated_arcs == ()
    assert term.stats.arcs_per_round == tuple(
        len({(s, d) for k, s, d in _dispatches(example, term) if k == r.number}) for r in term.rounds
    )


def test_no_cadre_visits_a_county_twice(example: Problem, term: TermPlan) -> None:
    """No cadre inspects one county twice, in the term or after the book's history."""
    visits: Counter[tuple[str, str]] = Counter()
    for r in term.rounds:
        for s in r.plan.seats():
            visits[(s.cadre_id, example.target_county[example.target_index[s.target_id]])] += 1
    assert max(visits.values()) == 1
    for rec, res in example.history_places:
        assert (rec.cadre_id, _county(example, res.codes)) not in visits
    assert term.stats.repeated_visits == ()


def test_each_round_verifies_with_earlier_rounds_as_history(example: Problem, term: TermPlan) -> None:
    """Round k's plan passes verify on a problem rebuilt with rounds 1..k-1 as history."""
    labels = term_labels(example.book, 4)
    history = list(example.book.history)
    for r in term.rounds:
        book = example.book.model_copy(
            update={"targets": tuple(t for t in example.targets if t.id in r.target_ids), "history": tuple(history)}
        )
        rebuilt = build_problem(book, r.problem.rules, example.gazetteer)
        assert verify(rebuilt, r.plan) == []
        assert {h.round for h in r.problem.book.history} >= set(labels[: r.number - 1])
        for s in r.plan.seats():
            cadre = example.cadres[example.cadre_index[s.cadre_id]]
            place = example.targets[example.target_index[s.target_id]].location
            history.append(
                HistoryRecord(
                    round=labels[r.number - 1], cadre_id=s.cadre_id, place=place, role=s.role, from_county=cadre.county
                )
            )


def test_leaders_rest_and_workload_is_reported(example: Problem, term: TermPlan) -> None:
    """Nobody leads two rounds in a row here, and the workload statistics match the plans."""
    leaders = [{s.cadre_id for s in r.plan.seats() if s.role is Role.LEADER} for r in term.rounds]
    assert all(not (a & b) for a, b in itertools.pairwise(leaders))
    assert term.stats.repeat_leaders == ()
    assert all(r.rested == tuple(sorted(leaders[r.number - 2])) for r in term.rounds[1:] if not r.leader_fallback)
    served = Counter(c for r in term.rounds for c in {s.cadre_id for s in r.plan.seats()})
    drawable = [c.id for i, c in enumerate(example.cadres) if example.drawable[i]]
    assert term.stats.max_rounds == max(served[c] for c in drawable)
    assert term.stats.min_rounds == min(served[c] for c in drawable)
    assert term.stats.mean_rounds == pytest.approx(sum(served[c] for c in drawable) / len(drawable))


def test_write_term_writes_rosters_and_overview(term: TermPlan, written: list[Path]) -> None:
    """write_term writes one roster per round, readable and verified, and the term overview."""
    paths = written
    assert [p.name for p in paths] == ["第1轮.xlsx", "第2轮.xlsx", "第3轮.xlsx", "第4轮.xlsx", "全期总览.xlsx"]
    for r, p in zip(term.rounds, paths, strict=False):
        assert set(read_plan(p, r.problem).seats()) == set(r.plan.seats())
    assert verify_term(term.problem, paths[:-1]).ok
    wb = openpyxl.load_workbook(paths[-1])
    assert wb.sheetnames == [
        SHEET_OVERVIEW,
        SHEET_WORKLOAD,
        "第1轮轮换",
        "第2轮轮换",
        "第3轮轮换",
        "第4轮轮换",
        SHEET_NOTES,
    ]
    ws = wb[SHEET_OVERVIEW]
    assert [c.value for c in ws[3]] == ["轮次", "组别", "巡察对象", "所在地", "组长", "成员"]
    assert ws.max_row == 3 + sum(len(r.target_ids) for r in term.rounds)
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert all(len(wb[f"第{k}轮轮换"]._images) == 1 for k in range(1, 5))
    with pytest.raises(OutputError):
        write_term(term, paths[0].parent)
    english = build_term_overview(term, lang="en")[SHEET_OVERVIEW]
    assert [c.value for c in english[3]] == ["Round", "Team", "Target", "Location", "Leader", "Members"]


def test_verify_term_catches_a_repeated_round(term: TermPlan, written: list[Path]) -> None:
    """A round's roster given twice breaks R3/R7 history and leaves targets uninspected."""
    paths = written
    check = verify_term(term.problem, [paths[0], paths[0], paths[2], paths[3]])
    assert not check.ok
    assert check.rounds[0] == ()
    assert {v.rule for v in check.rounds[1]} >= {"R3", "R7"}
    assert len(check.term) == len(term.rounds[0].target_ids) + len(term.rounds[1].target_ids)


def test_split_is_balanced_spread_and_seeded(example: Problem) -> None:
    """The deal gives balanced rounds, spreads a county, and depends only on the seed."""
    doubled = make_problem(
        pool("芗城区", "A") + pool("龙文区", "B") + pool("漳浦县", "C"),
        [target(f"T{n}", c) for n, c in enumerate(["芗城区", "芗城区", "芗城区", "龙文区", "漳浦县"])],
    )
    rounds = split_targets(doubled, 3, seed=7)
    assert sorted(len(r) for r in rounds) == [1, 2, 2]
    assert all(sum(doubled.target_county[j] == doubled.target_county[0] for j in r) == 1 for r in rounds)
    assert split_targets(example, 4, seed=1) == split_targets(example, 4, seed=1)
    assert split_targets(example, 4, seed=1, attempt=1) != split_targets(example, 4, seed=1)


def _three_counties(leaders: int, per_county: int) -> Problem:
    counties = ("芗城区", "龙文区", "漳浦县")
    cadres = [c for n, county in enumerate(counties) for c in pool(county, "ABC"[n], leaders=leaders)]
    targets = [target(f"{county}{k}", county) for county in counties for k in range(per_county)]
    return make_problem(cadres, targets, time_limit=5)


def test_two_round_term_uses_the_other_cycle() -> None:
    """With three counties the second round must run the cycle the other way round."""
    problem = _three_counties(leaders=2, per_county=2)
    term = plan_term(problem, 2)
    assert term.ok, term.summary()
    first, second = ({(a.source, a.dest) for a in r.dispatch_arcs()} for r in term.rounds)
    assert second == {(w, u) for u, w in first}
    assert term.stats.repeat_leaders == ()
    assert term.rounds[1].rested and not term.rounds[1].leader_fallback


def test_leader_leads_twice_only_when_unavoidable() -> None:
    """With one leader per pool, round 2 falls back and records who led twice in a row."""
    problem = _three_counties(leaders=1, per_county=2)
    term = plan_term(problem, 2)
    assert term.ok, term.summary()
    r2 = term.rounds[1]
    assert r2.leader_fallback and r2.rested == ()
    assert set(r2.repeat_leaders) == {"A1", "B1", "C1"}
    assert {c for _, c in term.stats.repeat_leaders} == {"A1", "B1", "C1"}


def test_impossible_term_names_the_round_and_why(tmp_path: Path) -> None:
    """Three counties have two cycles only: a third round fails, named, with an explanation."""
    problem = _three_counties(leaders=2, per_county=3)
    term = plan_term(problem, 3, attempts=2)
    assert not term.ok
    assert term.failure is not None and term.failure.round == 3
    assert term.failure.status is Status.INFEASIBLE
    assert "第3轮" in term.failure.render("zh") and "round 3" in term.failure.render("en")
    assert term.failure.explanation is not None
    assert len(term.rounds) == 2 and term.retries
    with pytest.raises(OutputError):
        write_term(term, tmp_path)


def test_given_split_is_kept_and_checked() -> None:
    """An explicit split is used as given; one that misses a target is an input error."""
    problem = _three_counties(leaders=2, per_county=2)
    split = [["芗城区0", "龙文区1", "漳浦县0"], ["芗城区1", "龙文区0", "漳浦县1"]]
    term = plan_term(problem, 2, split=split)
    assert [list(r.target_ids) for r in term.rounds] == split
    with pytest.raises(InputError):
        plan_term(problem, 2, split=[["芗城区0"], ["芗城区1"]])
    with pytest.raises(InputError):
        plan_term(problem, 7)


def test_term_labels_sort_after_undated_history() -> None:
    """Round labels of the term sort after the book's rounds even when those are undated."""
    problem = make_problem(
        pool("芗城区", "A") + pool("龙文区", "B") + pool("漳浦县", "C"),
        [target("T1", "芗城区")],
        hist=[HistoryRecord(round="第三轮", cadre_id="A1", place="龙文区")],
    )
    labels = term_labels(problem.book, 2)
    assert labels[0] != "本期第1轮" and labels[0].endswith("本期第1轮")
    assert term_labels(make_problem(pool("芗城区", "A"), [target("T1", "龙文区")]).book, 2) == [
        "本期第1轮",
        "本期第2轮",
    ]
