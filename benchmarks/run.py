"""``python -m benchmarks run``: sizes S, M, L against the baselines, medians and ratios.

Every measurement runs in a child process of its own (``python -m benchmarks worker``),
so peak memory is that task's alone and one task's caches never speed up the next.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

#: The examples shipped in data/examples, run through the whole CLI beside size S.
EXAMPLES = ("rotation", "mixed")


#: What each of ``SolveResult.timings``'s keys measures, for the table.
TIMING_HELP = {
    "build": " — model building in Python",
    "goals": " — phase 1, soft goals (presolve + search)",
    "lottery": " — phase 2, lottery (presolve + search)",
    "verify": " — independent verification",
    "arcs": " — all per-arc sub-models (build + solve)",
    "arc_max": " — slowest single arc",
    "master": " — choosing the cycle",
}


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# --------------------------------------------------------------------------- children


def child(task: str, params: dict[str, Any], timeout: float = 1800.0, memory_mb: int | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its result, wall time and peak memory.

    ``memory_mb`` caps the child's address space, so a point of the scaling sweep that
    would exhaust the machine fails with a MemoryError instead.
    """
    cmd = [sys.executable, "-m", "benchmarks", "worker", task, json.dumps(params, ensure_ascii=False)]

    def cap() -> None:
        if memory_mb is not None:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=cap if memory_mb else None
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        timed_out = True
    wall = time.perf_counter() - t0
    try:
        result = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
    except json.JSONDecodeError:
        result = {}
    if not result:
        result = {"error": "timeout" if timed_out else (stderr.strip().splitlines() or ["no output"])[-1]}
    result["child_wall_s"] = wall
    return result


def cli_once(xlsx: Path, toml: Path, out_dir: Path) -> dict[str, Any]:
    """The whole ``crossinspect solve`` command on a workbook: wall time and peak memory."""
    exe = Path(sys.executable).with_name("crossinspect")
    cmd = [
        str(exe) if exe.exists() else sys.executable,
        *([] if exe.exists() else ["-m", "crossinspect.cli"]),
        "solve",
        str(xlsx),
        "--rules",
        str(toml),
        "-o",
        str(out_dir / "roster.xlsx"),
        "--force",
        "--json",
        str(out_dir / "result.json"),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out: dict[str, Any] = {"wall_s": wall, "exit": proc.returncode, "peak_rss_mb": usage.ru_maxrss / 1024}
    try:
        data = json.loads((out_dir / "result.json").read_text(encoding="utf-8"))
        out.update(
            status=data.get("status"),
            objective=data.get("objective"),
            runtime=data.get("runtime"),
            lottery_optimal=data.get("lottery_optimal"),
            reproducible=data.get("reproducible"),
            seats_sha256=_plan_digest(data.get("plan")),
        )
    except (OSError, ValueError):
        pass
    return out


def _plan_digest(plan: dict[str, Any] | None) -> str | None:
    """SHA-256 of a JSON plan's seats (as ``measure.seats_digest`` of the same plan)."""
    import hashlib

    if not plan:
        return None
    seats = sorted(f"{t['target_id']}|{s['cadre_id']}|{s['role']}" for t in plan["teams"] for s in t["seats"])
    return hashlib.sha256("\n".join(seats).encode("utf-8")).hexdigest()


def cli_examples(repeat: int) -> dict[str, list[dict[str, Any]]]:
    """The whole ``crossinspect solve`` on each shipped example, ``repeat`` times."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in EXAMPLES:
        folder = ROOT / "data" / "examples" / name
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
            out[name] = [cli_once(folder / "input.xlsx", folder / "rules.toml", Path(tmp)) for _ in range(repeat)]
    return out


def startup() -> dict[str, Any]:
    """What every CLI run pays before reading the input: imports, gazetteer, place index."""
    code = (
        "import time, json\n"
        "t0 = time.perf_counter()\n"
        "import crossinspect.cli\n"
        "t1 = time.perf_counter()\n"
        "from crossinspect.places import Gazetteer, resolve\n"
        "g = Gazetteer.builtin()\n"
        "t2 = time.perf_counter()\n"
        "resolve(g, '福建省南平市建阳区')\n"
        "t3 = time.perf_counter()\n"
        "print(json.dumps({'import_s': t1 - t0, 'gazetteer_s': t2 - t1, 'index_s': t3 - t2}))\n"
    )
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["interpreter_total_s"] = time.perf_counter() - t0
    return data


# --------------------------------------------------------------------------- statistics


def median(values: list[Any]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def md_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _spread(values: list[Any]) -> list[Any]:
    vals = [v for v in values if v is not None]
    if not vals:
        return [None, None, None]
    return [statistics.median(vals), min(vals), max(vals)]


# --------------------------------------------------------------------------- S and M


def run_single(
    size: str, *, repeat: int, seed: int, with_baselines: bool, mip_limit: float, office_runs: int, cli: bool
) -> dict[str, Any]:
    params = {"size": size, "seed": seed}
    # CP-SAT's presolve is timed on its own once: it costs a second presolve's time.
    runs = [child("cpsat", {**params, "presolve": k == 0}) for k in range(repeat)]
    report: dict[str, Any] = {"size": size, "seed": seed, "repeat": repeat, "cores": cores(), "runs": runs}
    ok = [r for r in runs if "error" not in r]
    target = median([r.get("objective") for r in ok])
    if with_baselines and ok:
        report["baselines"] = child(
            "baselines", {**params, "target": target, "mip_time_limit": mip_limit, "office_runs": office_runs}
        )
    if cli:
        from .measure import instance_of
        from .workbook import write_input

        with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
            xlsx, toml = write_input(instance_of(size, seed), Path(tmp) / "in")
            report["cli"] = [cli_once(xlsx, toml, Path(tmp)) for _ in range(repeat)]
        report["examples"] = cli_examples(repeat)
        report["startup"] = startup()
    if size == "M":
        # The first roster's baseline, in the same run: a plain feasibility model.
        report["plain"] = [child("plain", params) for _ in range(repeat)]
    return report


def render_single(report: dict[str, Any]) -> str:
    runs = [r for r in report["runs"] if "error" not in r]
    if not runs:
        return f"size {report['size']}: every run failed: {[r.get('error') for r in report['runs']]}"
    inst = runs[0]["instance"]
    lines = [
        f"## Size {report['size']} — {inst['name']}: {inst['mode']}, level {inst['level']}, "
        f"{inst['counties']} county pools, {inst['cadres']} cadres, {inst['teams']} teams; "
        f"time_limit {inst['time_limit']} s, {runs[0]['workers']} CP-SAT workers, "
        f"{report['cores']} cores, repeat {report['repeat']}",
        "",
    ]

    def col(key: str, sub: str | None = None) -> list[Any]:
        return [(r.get(key) or {}).get(sub) if sub else r.get(key) for r in runs]

    timing_keys = list(dict.fromkeys(k for r in runs for k in r.get("timings", {})))
    rows = [["problem build: places, history, sanctions (s)", *_spread(col("problem_s"))]]
    rows += [[f"solve timing `{k}` (s){TIMING_HELP.get(k, '')}", *_spread(col("timings", k))] for k in timing_keys]
    rows += [
        ["CP-SAT presolve alone, monolithic model, 1 worker (s)", *_spread(col("presolve_s"))],
        ["roster writing (s)", *_spread(col("write_s"))],
        ["solve() wall, all phases (s)", *_spread(col("solve_wall_s"))],
        ["first roster, `first_roster_s` from the start of the search (s)", *_spread(col("first_roster_s"))],
        ["effort used (units)", *_spread(col("effort_used"))],
        [
            "first roster, from problem build (s)",
            *_spread(
                [
                    (r["first_roster_s"] or 0) + r["problem_s"] if r.get("first_roster_s") is not None else None
                    for r in runs
                ]
            ),
        ],
        [
            "best roster found, from problem build (s)",
            *_spread(
                [(r["to_best_s"] or 0) + r["problem_s"] if r.get("to_best_s") is not None else None for r in runs]
            ),
        ],
        ["objective", *_spread(col("objective"))],
        ["bound", *_spread(col("bound"))],
        ["gap (%)", *_spread([None if g is None else 100 * g for g in col("gap")])],
        ["peak memory (MiB)", *_spread(col("peak_rss_mb"))],
    ]
    for c in report.get("cli", []):
        c.setdefault("wall_s", None)
    if report.get("cli"):
        rows.append(["whole CLI `crossinspect solve` (s)", *_spread([c["wall_s"] for c in report["cli"]])])
        rows.append(["whole CLI peak memory (MiB)", *_spread([c["peak_rss_mb"] for c in report["cli"]])])
    for name, cli_runs in report.get("examples", {}).items():
        rows.append([f"whole CLI on the {name} example (s)", *_spread([c["wall_s"] for c in cli_runs])])
    plain = [p for p in report.get("plain", []) if "error" not in p]
    if plain:
        rows.append(
            [
                "plain CP-SAT feasibility model: build + first solution (s)",
                *_spread([p["first_roster_s"] if p["found"] else None for p in plain]),
            ]
        )
    lines.append(md_table(["measure", "median", "min", "max"], rows))
    statuses = ", ".join(f"{r['status']}{' +lottery optimal' if r['lottery_optimal'] else ''}" for r in runs)
    same = len({r.get("seats_sha256") for r in runs}) == 1
    reproducible = sum(bool(r.get("reproducible")) for r in runs)
    lines += [
        "",
        f"effort {runs[0].get('effort')} units; reproducible in {reproducible}/{len(runs)} runs; "
        f"the same roster in every run: {fmt(same)}",
    ]
    agree = [r["terms_agree"] for r in runs if "terms_agree" in r]
    lines += [
        "",
        f"solver path: {runs[0].get('path')}; status per run: {statuses}; "
        f"violations: {sum(r['violations'] for r in runs)}; soft-goal recount agrees with the solver: "
        f"{fmt(all(agree)) if agree else 'n/a (no roster)'}",
    ]
    if any(r.get("write_error") for r in runs):
        lines.append(f"roster writing: {runs[0].get('write_error')}")
    if report.get("startup"):
        s = report["startup"]
        lines.append(
            f"CLI start-up before reading the input: import {s['import_s']:.2f} s, gazetteer "
            f"{s['gazetteer_s']:.2f} s, place index {s['index_s']:.2f} s"
        )
    if report.get("baselines"):
        lines += ["", render_baselines(report["baselines"], runs)]
    return "\n".join(lines)


def render_baselines(b: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    if "error" in b:
        return f"baselines failed: {b['error']}"
    obj = median([r.get("objective") for r in runs])
    t_best = median([r.get("to_best_s") for r in runs])
    t_first = median([r.get("first_roster_s") for r in runs])
    proven = sum(1 for r in runs if r["status"] == "optimal")
    found = sum(1 for r in runs if r.get("objective") is not None)
    rows: list[list[Any]] = [
        [
            "crossinspect (CP-SAT)",
            f"{found}/{len(runs)} runs",
            obj,
            "1.00",
            t_best,
            "1.00",
            f"{proven}/{len(runs)} proven optimal; first roster {fmt(t_first)} s",
        ]
    ]
    o = b["office"]
    ratio = None if o["objective_median"] is None or not obj else o["objective_median"] / obj
    rows.append(
        [
            f"office draw ({o['runs']} clerks × ≤{o['tries']} rosters, ≤{o['redraws']} redraws a seat)",
            f"{100 * o['success_rate']:.0f}% of clerks",
            o["objective_median"],
            fmt(ratio),
            o["seconds_median"],
            "—",
            f"best {fmt(o['objective_best'])}; failures {o['failures']}",
        ]
    )
    if "mip" in b:
        m = b["mip"]
        reached = m.get("reached_seconds")
        r_ratio = (
            f"{reached / t_best:.2f}"
            if reached is not None and t_best
            else f"> {m['time_limit'] / t_best:.1f}"
            if t_best
            else "—"
        )
        rows.append(
            [
                f"HiGHS MIP, same model, MTZ cycle ({m.get('columns')} cols × {m.get('rows')} rows)",
                "reached" if reached is not None else f"not within {m['time_limit']:.0f} s",
                m.get("objective"),
                fmt(None if m.get("objective") is None or not obj else m["objective"] / obj),
                reached if reached is not None else m.get("seconds"),
                r_ratio,
                f"{m.get('status')}; first solution {fmt(m.get('first_seconds'))} s; "
                f"dual bound {fmt(m.get('dual_bound'))}",
            ]
        )
    if "lp" in b:
        lp = b["lp"]
        bound = lp.get("bound")
        rows.append(
            [
                "LP relaxation (limit)",
                lp.get("status"),
                bound,
                fmt(None if bound is None or not obj else bound / obj),
                lp.get("seconds"),
                "—",
                "CP-SAT roster is " + (f"{100 * (obj - bound) / obj:.1f}% above it" if bound and obj else "—"),
            ]
        )
    if "mip_skipped" in b:
        rows.append(["HiGHS MIP / LP", "skipped", None, None, None, None, b["mip_skipped"]])
    header = [
        "method",
        "valid roster",
        "objective (median)",
        "÷ CP-SAT objective",
        "time (s)",
        "time ratio to reach CP-SAT's objective",
        "notes",
    ]
    return "### Baselines, same run\n\n" + md_table(header, rows)


# --------------------------------------------------------------------------- L


def run_l(
    *, repeat: int, seed: int, processes: int | None, with_baselines: bool, local_roles: bool = False
) -> dict[str, Any]:
    from .generate import FUJIAN_CITIES

    n_cores = cores()
    procs = processes or n_cores
    workers = max(1, n_cores // procs)
    report: dict[str, Any] = {
        "size": "L",
        "seed": seed,
        "repeat": repeat,
        "cores": n_cores,
        "processes": procs,
        "workers": workers,
        "local_roles": local_roles,
        "rounds": [],
    }
    for _ in range(repeat):
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=procs) as pool:
            cities = list(
                pool.map(
                    lambda c: child(
                        "cpsat",
                        {
                            "size": "L",
                            "seed": seed,
                            "city": c,
                            "workers": workers,
                            "presolve": False,
                            "local_roles": local_roles,
                        },
                    ),
                    FUJIAN_CITIES,
                )
            )
        report["rounds"].append({"wall_s": time.perf_counter() - t0, "cities": cities})
    if with_baselines:
        objective = {
            c["instance"]["name"]: c.get("objective") for c in report["rounds"][0]["cities"] if "error" not in c
        }
        report["baselines"] = [
            child(
                "baselines",
                {
                    "size": "L",
                    "seed": seed,
                    "city": c,
                    "with_mip": False,
                    "target": objective.get(f"L-{c}"),
                    "office_runs": 10,
                    "local_roles": local_roles,
                },
            )
            for c in FUJIAN_CITIES
        ]
    return report


def render_l(report: dict[str, Any]) -> str:
    walls = [r["wall_s"] for r in report["rounds"]]
    first = report["rounds"][0]["cities"]
    ok = [c for c in first if "error" not in c]
    teams = sum(c["instance"]["teams"] for c in ok)
    cadres = sum(c["instance"]["cadres"] for c in ok)
    kind = "with a local 联络员 per team (one-model path)" if report.get("local_roles") else "pure 推磨式"
    lines = [
        f"## Size L — 福建省, 9 cities, {kind}, {teams} teams, {cadres} cadres; {report['processes']} processes × "
        f"{report['workers']} CP-SAT worker(s) on {report['cores']} cores, repeat {report['repeat']}",
        "",
        f"all cities, wall: median {median(walls):.1f} s (min {min(walls):.1f}, max {max(walls):.1f})",
        "",
    ]
    base = {b["instance"]["name"]: b for b in report.get("baselines", []) if "instance" in b}
    rows = []
    for c in first:
        if "error" in c:
            rows.append([c.get("error"), *[None] * 11])
            continue
        name = c["instance"]["name"]
        others = [x for r in report["rounds"] for x in r["cities"] if x.get("instance", {}).get("name") == name]
        b = base.get(name, {})
        office = b.get("office", {})
        lp = (b.get("lp") or {}).get("bound")
        rows.append(
            [
                name,
                c["instance"]["teams"],
                c["instance"]["cadres"],
                median([x["child_wall_s"] for x in others]),
                median([x["first_roster_s"] for x in others]),
                c["status"],
                c["objective"],
                None if c.get("gap") is None else 100 * c["gap"],
                f"{100 * office['success_rate']:.0f}%" if office else "—",
                office.get("objective_median"),
                lp,
                median([x["peak_rss_mb"] for x in others]),
            ]
        )
    header = [
        "city",
        "teams",
        "cadres",
        "process wall (s)",
        "first roster (s)",
        "status",
        "objective",
        "gap %",
        "office found",
        "office objective",
        "LP bound",
        "peak MiB",
    ]
    lines.append(md_table(header, rows))
    return "\n".join(lines)


# --------------------------------------------------------------------------- targets


def verdicts(reports: dict[str, dict[str, Any]]) -> list[list[Any]]:
    """Issue 17's quality targets with determinism on, each met or MISSED."""
    rows: list[list[Any]] = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    def same_and_reproducible(runs: list[dict[str, Any]]) -> bool:
        digests = {r.get("seats_sha256") for r in runs}
        return bool(runs) and all(r.get("reproducible") for r in runs) and len(digests) == 1

    s = reports.get("S")
    if s:
        runs = [r for r in s["runs"] if "error" not in r]
        proven = bool(runs) and all(r["status"] == "optimal" and r["lottery_optimal"] for r in runs)
        cli = median([c["wall_s"] for c in s.get("cli", [])])
        rows.append(
            [
                "S",
                "proven optimal in both phases",
                f"{sum(r['status'] == 'optimal' and r['lottery_optimal'] for r in runs)}/{len(runs)} runs",
                verdict(proven),
            ]
        )
        rows.append(
            [
                "S",
                "reproducible, the same roster every run",
                fmt(same_and_reproducible(runs)),
                verdict(same_and_reproducible(runs)),
            ]
        )
        rows.append(["S", "whole CLI < 2 s", f"{fmt(cli)} s", verdict(cli is not None and cli < 2)])
        for name, cli_runs in s.get("examples", {}).items():
            wall = median([c["wall_s"] for c in cli_runs])
            ok = (
                all(
                    c.get("status") == "optimal" and c.get("lottery_optimal") and c.get("reproducible")
                    for c in cli_runs
                )
                and len({c.get("seats_sha256") for c in cli_runs}) == 1
            )
            rows.append(
                [
                    f"{name} example",
                    "optimal in both phases, reproducible, whole CLI < 2 s",
                    f"{fmt(wall)} s; {'all' if ok else 'not all'} runs optimal, reproducible and the same",
                    verdict(ok and wall is not None and wall < 2),
                ]
            )
    m = reports.get("M")
    if m:
        runs = [r for r in m["runs"] if "error" not in r]
        gap = median([r.get("gap") for r in runs])
        first = median([r.get("first_roster_s") for r in runs])
        plain = median([p["first_roster_s"] if p.get("found") else None for p in m.get("plain", [])])
        mem = median([r.get("peak_rss_mb") for r in runs])
        limit = runs[0]["instance"]["time_limit"] if runs else None
        rows.append(
            [
                "M",
                f"gap ≤ 2 % at the default limit ({fmt(limit, 0)} s)",
                f"{fmt(None if gap is None else 100 * gap)} %",
                verdict(gap is not None and gap <= 0.02),
            ]
        )
        rows.append(
            [
                "M",
                "reproducible, the same roster every run",
                fmt(same_and_reproducible(runs)),
                verdict(same_and_reproducible(runs)),
            ]
        )
        ratio = None if first is None or not plain else first / plain
        rows.append(
            [
                "M",
                "first roster ≤ 0.25 × a plain CP-SAT feasibility model",
                f"{fmt(first)} s ÷ {fmt(plain)} s = {fmt(ratio)}",
                verdict(ratio is not None and ratio <= 0.25),
            ]
        )
        rows.append(["M", "peak memory < 2 GB", f"{fmt(mem, 0)} MiB", verdict(mem is not None and mem < 2048)])
    ll = reports.get("L")
    if ll:
        wall = median([r["wall_s"] for r in ll["rounds"]])
        solved = min(
            sum(1 for c in r["cities"] if c.get("objective") is not None and not c.get("violations"))
            for r in ll["rounds"]
        )
        n = len(ll["rounds"][0]["cities"])
        rows.append(
            [
                "L",
                "every city solved, all < 3 min",
                f"{solved}/{n} cities with a roster; {fmt(wall, 1)} s",
                verdict(wall is not None and wall < 180 and solved == n),
            ]
        )
    return rows


def main(
    sizes: list[str],
    *,
    repeat: int,
    seed: int,
    baselines: bool,
    mip_limit: float,
    office_runs: int,
    processes: int | None,
    save: bool,
    local_roles: bool = False,
) -> int:
    reports: dict[str, dict[str, Any]] = {}
    for size in sizes:
        print(f"running size {size} ...", file=sys.stderr, flush=True)
        if size == "L":
            reports[size] = run_l(
                repeat=repeat, seed=seed, processes=processes, with_baselines=baselines, local_roles=local_roles
            )
            text = render_l(reports[size])
        else:
            reports[size] = run_single(
                size,
                repeat=repeat,
                seed=seed,
                with_baselines=baselines,
                mip_limit=mip_limit,
                office_runs=office_runs,
                cli=size in ("S", "XS"),
            )
            text = render_single(reports[size])
        print(text + "\n", flush=True)
        if save:
            RESULTS.mkdir(exist_ok=True)
            suffix = "-local-roles" if size == "L" and local_roles else ""
            (RESULTS / f"run-{size}{suffix}.json").write_text(
                json.dumps(reports[size], ensure_ascii=False, indent=1), encoding="utf-8"
            )
    rows = verdicts(reports)
    if rows:
        print(
            "## Targets (issue 17: quality with determinism on)\n\n"
            + md_table(["size", "target", "measured (median)", "verdict"], rows)
        )
    failed = [s for s, r in reports.items() if any("error" in x for x in r.get("runs", []))]
    return 1 if failed else 0
