"""The local web page and its HTTP API (SPEC §7), as a Starlette application.

Every endpoint is a thin layer over the library (through ``backend``); the page is one
template and one plain script that call the same API as any other tool would.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import backend as lib
from . import views
from .jobs import Applied, JobManager, JobState, SolveRequest, where
from .messages import texts
from .workspace import Workspace, safe_name

_log = logging.getLogger("crossinspect.web")
HERE = Path(__file__).parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN_HEADER = "x-crossinspect-token"
#: Large enough for any real cadre workbook (a thousand cadres is well under 1 MB).
MAX_UPLOAD = 20 * 1024 * 1024

_SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class _TooLarge(Exception):
    pass


class Guard:
    """What a server on this computer needs against other web pages and oversized uploads.

    - The Host header must name this server (``allowed_hosts``): a page on another site
      that rebinds its own name to 127.0.0.1 is refused, so it cannot read answers.
    - A POST from a browser must come from this server's own page: its Origin (and
      Sec-Fetch-Site, where sent) must be this origin, and it must carry the page's
      token. Tools such as curl send neither header and need no token.
    - Request bodies are capped at ``max_body`` bytes.
    - Every response carries a strict Content-Security-Policy (only this server's own
      scripts and styles) and is not cached.
    """

    def __init__(
        self, app: ASGIApp, *, token: str, allowed_hosts: frozenset[str] | None, max_body: int = MAX_UPLOAD
    ) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = allowed_hosts
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "").lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            await _refuse(scope, receive, send, 421, "unknown Host header", "未知的 Host 请求头")
            return
        if scope["method"] not in ("GET", "HEAD"):
            reason = self._cross_site(headers, host)
            if reason is not None:
                await _refuse(scope, receive, send, 403, reason, "拒绝来自其他网页的请求")
                return
            length = headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > self.max_body:
                await _refuse(scope, receive, send, 413, "upload too large", "上传的文件过大")
                return
            receive = self._capped(receive)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except _TooLarge:
            if not started:
                await _refuse(scope, receive, send, 413, "upload too large", "上传的文件过大")
        except Exception as exc:
            # Handled here, not by the server: its traceback log would print the message,
            # which may quote the upload's personal data. One line names the place instead.
            _log.error("internal error: %s", where(exc))
            if not started:
                await _refuse(scope, receive, send, 500, f"internal error ({where(exc)})", "服务内部错误")

    def _cross_site(self, headers: Headers, host: str) -> str | None:
        origin = headers.get("origin")
        site = headers.get("sec-fetch-site")
        if origin is not None and origin.lower() != f"http://{host}":
            return "cross-origin request refused"
        if site is not None and site not in ("same-origin", "none"):
            return "cross-site request refused"
        if (origin is not None or site is not None) and not secrets.compare_digest(
            headers.get(TOKEN_HEADER, "").encode(), self.token.encode()
        ):
            return "missing or wrong page token"
        return None

    def _capped(self, receive: Receive) -> Receive:
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        return capped


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, en: str, zh: str) -> None:
    response = JSONResponse(
        {"ok": False, "error": en, "message": zh},
        status_code=status,
        headers={k.decode(): v.decode() for k, v in _SECURITY_HEADERS},
    )
    await response(scope, receive, send)


def _lang(request: Request, form: FormData | None = None) -> str:
    value = request.query_params.get("lang") or (form.get("lang") if form is not None else None)
    return "en" if value == "en" else "zh"


async def _form(request: Request) -> FormData:
    return await request.form(max_files=4, max_fields=16, max_part_size=64 * 1024)


async def _save(form: FormData, name: str, folder: Path, fallback: str) -> Path | None:
    """Save upload ``name`` under its own (cleaned) file name in a sub-folder of its own."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    target = folder / name
    target.mkdir(mode=0o700, exist_ok=True)
    path = target / safe_name(upload.filename, fallback)
    with path.open("wb") as out:
        while chunk := await upload.read(1 << 16):
            out.write(chunk)
    await upload.close()
    return path


def _missing(field: str, lang: str) -> dict[str, Any]:
    zh = {"workbook": "请选择输入工作簿（表单字段 workbook）。", "roster": "请选择要复核的名单（表单字段 roster）。"}
    en = {"workbook": "no input workbook (form field workbook).", "roster": "no roster (form field roster)."}
    return views.field_error(field, zh[field], en[field], lang)


def _bad_input(
    errors: list[dict[str, Any]], warnings: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"ok": False, "errors": errors, "warnings": warnings or [], **extra}


def _number(
    form: FormData,
    name: str,
    kind: type,
    bounds: tuple[float, float],
    label: tuple[str, str],
    lang: str,
    errors: list[dict[str, Any]],
) -> Any:
    """Form field ``name`` as a number within ``bounds``, None when blank; a bad one is added to ``errors``."""
    raw = form.get(name)
    if not isinstance(raw, str) or not raw.strip():
        return None
    low, high = bounds
    try:
        value = kind(raw.strip())
        if not low <= value <= high:
            raise ValueError
    except ValueError:
        what_zh, what_en = ("整数", "an integer") if kind is int else ("数", "a number")
        errors.append(
            views.field_error(
                name,
                f"「{label[0]}」须是 {low:g} 至 {high:g} 之间的{what_zh}，而不是「{raw}」。",
                f"{label[1]} must be {what_en} from {low:g} to {high:g}, not {raw!r}.",
                lang,
            )
        )
        return None
    return value


#: The form's numbers, within the bounds the rules allow for each key (domain/rules.py).
_SOLVE_NUMBERS: tuple[tuple[str, type, tuple[float, float], tuple[str, str]], ...] = (
    ("time_limit", float, (0.1, 7 * 24 * 3600), ("时限", "time_limit")),
    ("effort", float, (0.01, 100_000), ("搜索工作量", "effort")),
    ("workers", int, (0, 256), ("求解线程数", "workers")),
)


class WebApp:
    """The routes, bound to one workspace and one set of jobs."""

    def __init__(self, workspace: Workspace, jobs: JobManager, token: str) -> None:
        self.ws = workspace
        self.jobs = jobs
        self.token = token
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self._files: dict[str, tuple[Path, str]] = {}
        self._downloads: dict[str, Path] = {}

    # ---- the page ---------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        lang = _lang(request)
        words = texts(lang)
        return self.templates.TemplateResponse(
            request,
            "index.html",
            {
                "lang": lang,
                "t": words,
                "token": self.token,
                "examples": lib.EXAMPLES,
                # "<" escaped: the JSON sits inside a <script> element.
                "words_json": json.dumps(words, ensure_ascii=False).replace("<", "\\u003c"),
            },
        )

    # ---- check and verify (answered at once) --------------------------------------------

    async def check(self, request: Request) -> Response:
        form = await _form(request)
        lang = _lang(request, form)
        folder = self.ws.folder("requests")
        try:
            workbook = await _save(form, "workbook", folder, "workbook.xlsx")
            rules = await _save(form, "rules", folder, "rules.toml")
            if workbook is None:
                return JSONResponse(_bad_input([_missing("workbook", lang)], summary=None, findings=[]))
            return JSONResponse(await run_in_threadpool(_check, workbook, rules, lang))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    async def verify(self, request: Request) -> Response:
        return await self._verify_or_render(request, render=False)

    async def render(self, request: Request) -> Response:
        return await self._verify_or_render(request, render=True)

    async def _verify_or_render(self, request: Request, *, render: bool) -> Response:
        form = await _form(request)
        lang = _lang(request, form)
        folder = self.ws.folder("requests")
        keep = False
        try:
            workbook = await _save(form, "workbook", folder, "workbook.xlsx")
            rules = await _save(form, "rules", folder, "rules.toml")
            roster = await _save(form, "roster", folder, "roster.xlsx")
            missing = [_missing(n, lang) for n, p in (("workbook", workbook), ("roster", roster)) if p is None]
            if missing:
                return JSONResponse(_bad_input(missing, violations=[]))
            assert workbook is not None and roster is not None
            output = folder / "output" / _rendered_name(roster, lang) if render else None
            answer = await run_in_threadpool(_verify, workbook, rules, roster, output, lang)
            if output is not None and answer.get("written"):
                file_id = secrets.token_urlsafe(16)
                self._files[file_id] = (output, output.name)
                answer["file"] = f"/api/files/{file_id}"
                answer["filename"] = output.name
                keep = True
            answer.pop("written", None)
            return JSONResponse(answer)
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)

    async def file(self, request: Request) -> Response:
        entry = self._files.get(request.path_params["file"])
        if entry is None or not entry[0].exists():
            return _not_found()
        return FileResponse(entry[0], media_type=XLSX, filename=entry[1])

    # ---- solve jobs -------------------------------------------------------------------

    async def solve(self, request: Request) -> Response:
        form = await _form(request)
        lang = _lang(request, form)
        errors: list[dict[str, Any]] = []
        overrides: dict[str, Any] = {}
        seed = form.get("seed")
        if isinstance(seed, str) and seed.strip():
            overrides["seed"] = seed  # any text, verbatim, as crossinspect solve --seed takes it
        for name, kind, bounds, label in _SOLVE_NUMBERS:
            value = _number(form, name, kind, bounds, label, lang, errors)
            if value is not None:
                overrides[name] = value
        upload = form.get("workbook")
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors.insert(0, _missing("workbook", lang))
        if errors:
            return JSONResponse(_bad_input(errors), status_code=400)
        folder = self.ws.folder("jobs")
        workbook = await _save(form, "workbook", folder, "workbook.xlsx")
        rules = await _save(form, "rules", folder, "rules.toml")
        assert workbook is not None
        job = self.jobs.create(
            secrets.token_urlsafe(16),
            folder,
            SolveRequest(workbook=workbook, rules=rules, overrides=overrides, lang=lang),
        )
        return JSONResponse({"job": job.id, "status": job.state.value}, status_code=202)

    async def job(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["job"])
        if job is None:
            return _not_found()
        return JSONResponse(job.snapshot(_lang(request)))

    async def stop(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["job"])
        if job is None:
            return _not_found()
        job.request_stop()
        return JSONResponse(job.snapshot(_lang(request)))

    async def roster(self, request: Request) -> Response:
        job = self.jobs.get(request.path_params["job"])
        if job is None:
            return _not_found()
        if job.roster is None or not job.roster.exists():
            return JSONResponse({"ok": False, "error": "no roster", "status": job.state.value}, status_code=409)
        return FileResponse(job.roster, media_type=XLSX, filename=job.download_name(_lang(request)))

    async def relax(self, request: Request) -> Response:
        """Solve again with one of the explanation's verified relaxations applied."""
        parent = self.jobs.get(request.path_params["job"])
        if parent is None:
            return _not_found()
        form = await _form(request)
        lang = _lang(request, form)
        key = form.get("key")
        explanation, problem = parent.explanation, parent.problem
        chosen = None
        if parent.state is JobState.INFEASIBLE and explanation is not None and problem is not None:
            chosen = next((r for r in explanation.relaxations if r.key == key and r.verified), None)
        if chosen is None or problem is None:
            return JSONResponse({"ok": False, "error": "no such verified relaxation for this job"}, status_code=409)
        folder = self.ws.folder("jobs")
        req = parent.request
        workbook = _copy(req.workbook, folder / "workbook")
        rules = _copy(req.rules, folder / "rules") if req.rules is not None else None
        # A change of rules keys alone reloads the input with those keys set, soft goals
        # kept: the roster is the one the CLI gives with the same keys in the rules file.
        # Any other change (or one after such a change) applies to the parent's problem.
        keys = lib.relaxation_overrides(chosen)
        reload = keys is not None and parent.relaxation is None
        overrides = {**req.overrides, **(keys or {})} if reload else req.overrides
        job = self.jobs.create(
            secrets.token_urlsafe(16),
            folder,
            SolveRequest(workbook=workbook, rules=rules, overrides=overrides, lang=lang),
            relaxation=None if reload else chosen,
            base=None if reload else problem,
            applied=(*parent.applied, Applied(chosen, reload)),
            adopted=parent.adopted if parent.adopted is not None else problem.rules,
        )
        return JSONResponse({"job": job.id, "status": job.state.value}, status_code=202)

    # ---- the blank template and the examples --------------------------------------------

    async def template(self, request: Request) -> Response:
        path = await run_in_threadpool(self._download, "template", lambda d: _write_template(d))
        name = "输入模板.xlsx" if _lang(request) == "zh" else "input-template.xlsx"
        return FileResponse(path, media_type=XLSX, filename=name)

    async def example(self, request: Request) -> Response:
        name, file = request.path_params["name"], request.path_params["file"]
        if name not in lib.EXAMPLES or file not in ("input.xlsx", "rules.toml"):
            return _not_found()
        folder = await run_in_threadpool(
            self._download, f"example-{name}", lambda d: (lib.write_example(d, name), d)[1]
        )
        media = XLSX if file.endswith(".xlsx") else "application/toml"
        return FileResponse(folder / name / file, media_type=media, filename=f"{name}-{file}")

    def _download(self, key: str, make: Callable[[Path], Path]) -> Path:
        if key not in self._downloads:
            self._downloads[key] = make(self.ws.folder("downloads"))
        return self._downloads[key]

    # ---- the application ----------------------------------------------------------------

    def routes(self) -> list[Route | Mount]:
        return [
            Route("/", self.index),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
            Route("/api/check", self.check, methods=["POST"]),
            Route("/api/solve", self.solve, methods=["POST"]),
            Route("/api/jobs/{job}", self.job),
            Route("/api/jobs/{job}/stop", self.stop, methods=["POST"]),
            Route("/api/jobs/{job}/roster", self.roster),
            Route("/api/jobs/{job}/relax", self.relax, methods=["POST"]),
            Route("/api/verify", self.verify, methods=["POST"]),
            Route("/api/render", self.render, methods=["POST"]),
            Route("/api/files/{file}", self.file),
            Route("/api/template", self.template),
            Route("/api/examples/{name}/{file}", self.example),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ]


def create_app(
    workspace: Workspace,
    *,
    allowed_hosts: frozenset[str] | None,
    token: str | None = None,
    max_upload: int = MAX_UPLOAD,
    running: int = 2,
) -> Starlette:
    """The page and API, keeping uploads in ``workspace``.

    ``allowed_hosts`` lists the Host headers this server answers to (``None`` for any,
    when it listens beyond this computer). ``running`` solves run at once; later ones queue.
    """
    jobs = JobManager(workspace, running=running)
    web = WebApp(workspace, jobs, token or secrets.token_urlsafe(24))
    app = Starlette(routes=web.routes())
    app.state.web = web
    app.add_middleware(Guard, token=web.token, allowed_hosts=allowed_hosts, max_body=max_upload)
    return app


def _not_found() -> Response:
    return JSONResponse({"ok": False, "error": "not found", "message": "找不到"}, status_code=404)


def _copy(source: Path, folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return Path(shutil.copy2(source, folder / source.name))


def _write_template(folder: Path) -> Path:
    path = folder / "template.xlsx"
    lib.write_template(path)
    return path


def _rendered_name(roster: Path, lang: str) -> str:
    return f"{roster.stem}-{'重新生成' if lang == 'zh' else 'rewritten'}.xlsx"


def _check(workbook: Path, rules: Path | None, lang: str) -> dict[str, Any]:
    try:
        problem = lib.load_problem(workbook, rules_file=rules)
    except lib.InputError as exc:
        return _bad_input(
            [views.issue(i, lang) for i in exc.issues],
            [views.issue(i, lang) for i in exc.warnings],
            summary=None,
            findings=[],
        )
    findings = lib.precheck(problem)
    return {
        "ok": not findings,
        "errors": [],
        "warnings": [views.issue(i, lang) for i in problem.warnings],
        "summary": views.summary(problem, lang),
        "findings": [views.finding(f, lang) for f in findings],
    }


def _verify(workbook: Path, rules: Path | None, roster: Path, output: Path | None, lang: str) -> dict[str, Any]:
    """``crossinspect verify`` (``output`` None) or ``crossinspect render -o output`` of ``roster``.

    A render is written whether or not the plan breaks a rule, as on the command line: the
    violations are printed on its 校验结果 sheet and returned here.
    """
    rendered: lib.Rendered | None = None
    try:
        problem = lib.load_problem(workbook, rules_file=rules)
        if output is None:
            read = lib.read_roster(roster, problem)
            plan = read.plan
            # As crossinspect verify: a sheet still showing other seats than the plan fails too.
            violations = [*lib.verify(problem, plan), *lib.printed_disagreements(read, problem)]
        else:
            output.parent.mkdir(mode=0o700, exist_ok=True)
            inputs = [workbook, *([rules] if rules is not None else [])]
            rendered = lib.render(problem, roster, output, lang=lang, input_paths=inputs)
            plan, violations = rendered.plan, list(rendered.violations)
    except lib.InputError as exc:
        return _bad_input(
            [views.issue(i, lang) for i in exc.issues], [views.issue(i, lang) for i in exc.warnings], violations=[]
        )
    answer: dict[str, Any] = {
        "ok": not violations,
        "errors": [],
        "warnings": [],
        "violations": [views.violation(v, lang) for v in violations],
        "teams": len(plan.teams),
        "seats": len(plan.seats()),
    }
    if rendered is not None:
        answer["edited"] = rendered.edited
        answer["changes"] = None if rendered.changes is None else [views.change(c) for c in rendered.changes]
        answer["written"] = True
    return answer
