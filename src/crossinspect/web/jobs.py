"""Solve jobs: each runs the library's solve in a thread of its own, with its own stop event.

A job does what ``crossinspect solve`` does, in the same order and with the same
arguments (load with the seed and time limit as overrides, pre-check, solve, alternates
unless stopped, write the roster), so that the same input, rules and seed give the
same roster through the page, the API and the command line.
"""

from __future__ import annotations

import shutil
import threading
import time
import traceback
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any

from . import backend as lib
from . import views
from .workspace import Workspace


def where(exc: BaseException) -> str:
    """An exception's type and the line that raised it, without its message.

    The message may quote the upload (a name, a cell), so it is neither logged nor shown.
    """
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if not frames:
        return type(exc).__name__
    return f"{type(exc).__name__} @ {PurePath(frames[-1].filename).name}:{frames[-1].lineno}"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    INFEASIBLE = "infeasible"
    FAILED = "failed"
    STOPPED = "stopped"


FINISHED = frozenset({JobState.DONE, JobState.INFEASIBLE, JobState.FAILED, JobState.STOPPED})


@dataclass(frozen=True)
class SolveRequest:
    """What a solve was asked for: saved input files and the overrides typed on the page."""

    workbook: Path
    rules: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    lang: str = "zh"


@dataclass(frozen=True)
class Applied:
    """A relaxation applied before this job's solve, as the explanation offered it."""

    relaxation: lib.Relaxation
    #: True when the rules keys were set and the input reloaded (soft goals kept);
    #: False when the relaxation was applied to the problem (``apply_relaxation``).
    as_rules: bool


class Job:
    """One solve, from upload to roster; its fields are read by the server's thread.

    The problem comes from the request's files, or, when ``relaxation`` is given, from
    applying it to ``base`` (the problem of the job whose explanation offered it).
    ``applied`` lists every relaxation behind this job, for the page, the file name and
    the roster, which states them against ``adopted``: the rules of the first job, before
    any relaxation.
    """

    def __init__(
        self,
        job_id: str,
        folder: Path,
        request: SolveRequest,
        *,
        relaxation: lib.Relaxation | None = None,
        base: lib.Problem | None = None,
        applied: tuple[Applied, ...] = (),
        adopted: lib.Rules | None = None,
    ) -> None:
        self.id = job_id
        self.folder = folder
        self.request = request
        self.stop = threading.Event()
        self.state = JobState.QUEUED
        self.phase = "load"
        self.created = time.monotonic()
        self.phase_started = self.created
        self.finished: float | None = None
        self.run_started: float | None = None
        self.time_limit: float | None = None
        self.last: lib.Progress | None = None
        self.errors: list[lib.Issue] = []
        self.warnings: list[lib.Issue] = []
        self.message: tuple[str, str] = ("排队等候中……", "queued…")
        self.problem: lib.Problem | None = None
        self.explanation: lib.Explanation | None = None
        self.result: lib.SolveResult | None = None
        self.roster: Path | None = None
        self._result_view: dict[str, dict[str, Any]] = {}
        self.relaxation = relaxation
        self.base = base
        self.applied = applied
        self.adopted = adopted
        self._lock = threading.Lock()

    # ---- the worker thread ------------------------------------------------------------

    def run(self) -> None:
        with self._lock:
            if self.state is not JobState.QUEUED:
                return  # stopped while it waited
            self.state = JobState.RUNNING
            self.run_started = time.monotonic()
            self._enter("load", ("正在读取输入……", "reading the input…"))
        try:
            self._run()
        except Exception as exc:  # a bug, not a user error: say so without personal data
            at = where(exc)
            self._finish(
                JobState.FAILED,
                (f"内部错误（{at}），请联系信息技术人员。", f"internal error ({at}); please tell your IT staff."),
            )
        finally:
            with self._lock:
                self.finished = self.finished or time.monotonic()
                if self.state is not JobState.INFEASIBLE:
                    self.problem = None  # kept only to apply a relaxation to
                self.base = None

    def _enter(self, phase: str, message: tuple[str, str]) -> None:
        self.phase = phase
        self.phase_started = time.monotonic()
        self.message = message

    def _on_progress(self, p: lib.Progress) -> None:
        with self._lock:
            self.last = p

    def _load(self) -> lib.Problem | None:
        req = self.request
        if self.relaxation is not None:
            assert self.base is not None
            return lib.apply_relaxation(self.base, self.relaxation)
        try:
            return lib.load_problem(req.workbook, rules_file=req.rules, overrides=req.overrides)
        except lib.InputError as exc:
            with self._lock:
                self.errors, self.warnings = list(exc.issues), list(exc.warnings)
            self._finish(
                JobState.FAILED,
                ("输入有误，请按下表逐项修改后重试。", "The input has errors; fix each one listed and try again."),
            )
            return None

    def _run(self) -> None:
        problem = self._load()
        if problem is None:
            return
        with self._lock:
            self.problem = problem
            self.warnings = list(problem.warnings)
            self.time_limit = problem.rules.time_limit
        findings = lib.precheck(problem)
        if findings:
            self._explain(problem, findings)
            return
        with self._lock:
            self._enter("search", ("正在编组……", "building the teams…"))
        # explain=False: the explanation is its own phase below, so the page can say so.
        result = lib.solve(problem, progress=self._on_progress, stop=self.stop, explain=False)
        with self._lock:
            self.result = result
        if result.status is lib.Status.INFEASIBLE:
            self._explain(problem, None)
            return
        if result.plan is None:
            if result.status is lib.Status.INTERRUPTED:
                self._finish(JobState.STOPPED, ("已停止，尚未得到名单。", "Stopped before any roster was found."))
            else:
                self._finish(
                    JobState.FAILED,
                    (
                        "在时限内未找到名单（未证明无解）。可加大时限后重试。",
                        "No roster found within the time limit (infeasibility not proven). Try a larger time limit.",
                    ),
                )
            return
        if result.violations:
            # A model bug, not a user error: never hand out a roster that breaks a rule.
            self._finish(
                JobState.FAILED,
                (
                    "内部错误：求得的名单未通过独立校验，未写出名单。",
                    "internal error: the roster failed independent verification; nothing written.",
                ),
            )
            return
        self._write(problem, result)

    def _explain(self, problem: lib.Problem, findings: list[lib.Finding] | None) -> None:
        with self._lock:
            self._enter(
                "explain",
                (
                    "无法编组，正在分析原因并逐项试算可行的调整……",
                    "No roster exists; finding out why and trying changes…",
                ),
            )
        explanation = lib.explain(problem, findings)
        with self._lock:
            self.explanation = explanation
        self._finish(JobState.INFEASIBLE, ("按现有规则无法编组。", "No roster satisfies the rules."))

    def _write(self, problem: lib.Problem, result: lib.SolveResult) -> None:
        plan = result.plan
        assert plan is not None
        stopped = self.stop.is_set() or result.status is lib.Status.INTERRUPTED
        with self._lock:
            self._enter("write", ("正在逐一校验备选人员并写出名单……", "verifying alternates and writing the roster…"))
        relaxed = None
        if self.applied:
            assert self.adopted is not None
            relaxed = lib.Relaxed.of(self.adopted, problem.rules, [a.relaxation for a in self.applied])
            result = relaxed.result(result)
            with self._lock:
                self.result = result
        # Stopped: write the best roster now rather than spend more time on alternates.
        alternates = None if stopped else tuple(lib.find_alternates(problem, plan))
        extras = lib.RosterExtras(alternates=alternates, relaxed=relaxed)
        out = self.folder / "roster.xlsx"
        lib.write_roster(
            problem, result, out, lang=self.request.lang, input_paths=[self.request.workbook], extras=extras
        )
        # Both languages now: the problem, which holds the names, is not kept past the job.
        view = {lang: views.result(problem, result, lang) for lang in ("zh", "en")}
        with self._lock:
            self.roster = out
            self._result_view = view
        if stopped:
            self._finish(
                JobState.STOPPED,
                (
                    "已停止：名单是目前最好的、已通过独立校验的名单。",
                    "Stopped: the roster is the best so far, independently verified.",
                ),
            )
        else:
            self._finish(
                JobState.DONE, ("名单已编好，并已通过独立校验。", "The roster is ready and independently verified.")
            )

    def _finish(self, state: JobState, message: tuple[str, str]) -> None:
        with self._lock:
            self.state = state
            self.message = message
            self.finished = time.monotonic()

    # ---- the server's side ------------------------------------------------------------

    def request_stop(self) -> None:
        with self._lock:
            self.stop.set()
            if self.state is JobState.QUEUED:
                self.state = JobState.STOPPED
                self.message = ("已停止，尚未开始编组。", "Stopped before the solve began.")
                self.finished = time.monotonic()

    @property
    def done(self) -> bool:
        return self.state in FINISHED

    def download_name(self, lang: str) -> str:
        stem = self.request.workbook.stem
        relaxed = bool(self.applied)
        if lang == "zh":
            return f"{stem}-名单{'（已放宽规则）' if relaxed else ''}.xlsx"
        return f"{stem}-roster{'-relaxed' if relaxed else ''}.xlsx"

    def snapshot(self, lang: str) -> dict[str, Any]:
        """The job as ``GET /api/jobs/{job}`` answers it."""
        with self._lock:
            now = time.monotonic()
            if self.state is JobState.RUNNING:
                elapsed = now - self.phase_started  # the time limit counts from the search's start
                limit = self.time_limit if self.phase == "search" else None
            else:
                elapsed = (self.finished or now) - (self.run_started or self.created)
                limit = None
            progress = views.progress(self.last, self.phase, elapsed, limit, lang)
            out: dict[str, Any] = {
                "job": self.id,
                "status": self.state.value,
                "message": self.message[0] if lang == "zh" else self.message[1],
                "progress": progress,
                "errors": [views.issue(i, lang) for i in self.errors],
                "warnings": [views.issue(i, lang) for i in self.warnings],
                "explanation": views.explanation(self.explanation, lang) if self.explanation else None,
                "roster": f"/api/jobs/{self.id}/roster" if self.roster is not None else None,
                "filename": self.download_name(lang) if self.roster is not None else None,
                "relaxations": [
                    {
                        "key": a.relaxation.key,
                        "message": a.relaxation.zh if lang == "zh" else a.relaxation.en,
                        "as_rules": a.as_rules,
                    }
                    for a in self.applied
                ],
                "workbook": self.request.workbook.name,
                "rules": self.request.rules.name if self.request.rules else None,
                "result": self._result_view.get(lang) if self.roster is not None else None,
            }
        return out


class JobManager:
    """Every job of this server, by id; at most ``running`` solve at once, the rest queue."""

    def __init__(self, workspace: Workspace, *, running: int = 2, keep: int = 50) -> None:
        self.workspace = workspace
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(running)
        self._keep = keep
        self._threads: list[threading.Thread] = []

    def create(self, job_id: str, folder: Path, request: SolveRequest, **kwargs: Any) -> Job:
        job = Job(job_id, folder, request, **kwargs)
        with self._lock:
            self._evict()
            self._jobs[job_id] = job
            self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=self._work, args=(job,), name=f"crossinspect-job-{job_id[:6]}", daemon=True)
        self._threads.append(thread)
        thread.start()
        return job

    def _work(self, job: Job) -> None:
        with self._slots:
            job.run()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _evict(self) -> None:
        """Drop the oldest finished jobs, and their files, beyond the number kept."""
        finished = sorted((j for j in self._jobs.values() if j.done), key=lambda j: j.created)
        while len(self._jobs) >= self._keep and finished:
            job = finished.pop(0)
            del self._jobs[job.id]
            shutil.rmtree(job.folder, ignore_errors=True)

    def close(self, wait: float = 10.0) -> None:
        """Stop every job and wait (up to ``wait`` seconds in all) for their threads."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.request_stop()
        deadline = time.monotonic() + wait
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0.0))
