"""``python -m benchmarks scale``: time and memory against the number of cadres, both modes.

Each point runs in a child process (peak memory is its own) and is given up after
``--timeout`` seconds. Results are merged into ``benchmarks/results/scale.json``, so the
sweep can be run in parts; the table is printed and the plot drawn from all saved points.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .run import RESULTS, child, cores, fmt, md_table

CADRES = (100, 250, 500, 1000, 2500, 5000)
#: Address-space cap of one point's process: a point that would need more fails instead.
MEMORY_CAP_MB = 12_000
PLOT = Path(__file__).resolve().parent.parent / "docs" / "images" / "bench-scaling.png"


def _load() -> dict[str, Any]:
    path = RESULTS / "scale.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"points": []}


def main(
    *, modes: list[str], cadres: list[int] | None, time_limit: float, timeout: float, seed: int, plot_only: bool
) -> int:
    data = _load()
    if not plot_only:
        for mode in modes:
            for n in cadres or CADRES:
                print(f"scale: {mode} {n} cadres ...", file=sys.stderr, flush=True)
                point = child(
                    "scale",
                    {"mode": mode, "cadres": n, "seed": seed, "time_limit": time_limit},
                    timeout=timeout,
                    memory_mb=MEMORY_CAP_MB,
                )
                point.update(mode=mode, cadres=n, cores=cores(), time_limit=time_limit, timeout=timeout)
                data["points"] = [p for p in data["points"] if (p["mode"], p["cadres"]) != (mode, n)] + [point]
                RESULTS.mkdir(exist_ok=True)
                (RESULTS / "scale.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(data["points"]))
    plot(data["points"])
    print(f"\nplot: {PLOT}")
    return 0


def table(points: list[dict[str, Any]]) -> str:
    rows = []
    for p in sorted(points, key=lambda p: (p["mode"], p["cadres"])):
        inst = p.get("instance", {})
        if "error" in p:
            rows.append(
                [
                    p["mode"],
                    p["cadres"],
                    inst.get("teams"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    f"gave up: {p['error']} after {p['child_wall_s']:.0f} s",
                    None,
                    None,
                ]
            )
            continue
        t = p.get("timings", {})
        rows.append(
            [
                p["mode"],
                p["cadres"],
                inst.get("teams"),
                p.get("seats"),
                p.get("problem_s"),
                t.get("build", t.get("arcs")),
                p.get("first_roster_s"),
                p.get("solve_wall_s"),
                p["status"] + (f", gap {100 * p['gap']:.1f}%" if p.get("gap") is not None else ""),
                p.get("peak_rss_mb"),
                p.get("child_wall_s"),
            ]
        )
    header = [
        "mode",
        "cadres",
        "teams",
        "seats (variables)",
        "problem build (s)",
        "model build (s) [rotation: all arcs, built and solved]",
        "first roster (s)",
        "solve() wall (s)",
        "status",
        "peak MiB",
        "process wall (s)",
    ]
    return md_table(header, rows)


def plot(points: list[dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.2))
    for mode, color in (("rotation", "tab:blue"), ("mixed", "tab:orange")):
        pts = sorted((p for p in points if p["mode"] == mode and "error" not in p), key=lambda p: p["cadres"])
        if not pts:
            continue
        n = [p["cadres"] for p in pts]
        build = [p["problem_s"] + p["timings"].get("build", 0) for p in pts]
        first = [p["problem_s"] + (p["first_roster_s"] or float("nan")) for p in pts]
        total = [p["problem_s"] + p["solve_wall_s"] for p in pts]
        ax_t.plot(n, build, "o--", color=color, label=f"{mode}: problem + model build")
        ax_t.plot(n, first, "s-", color=color, label=f"{mode}: first roster")
        ax_t.plot(n, total, "^:", color=color, alpha=0.6, label=f"{mode}: whole solve (time limit)")
        ax_m.plot(n, [p["peak_rss_mb"] for p in pts], "o-", color=color, label=mode)
        failed = [p for p in points if p["mode"] == mode and "error" in p]
        for p in failed:
            ax_t.axvline(p["cadres"], color=color, alpha=0.3, linestyle=":")
    limit = next((p["time_limit"] for p in points), None)
    ax_t.set(
        xscale="log",
        yscale="log",
        xlabel="cadres",
        ylabel="seconds",
        title=f"time (time limit {fmt(limit, 0)} s, {cores()} cores)",
    )
    ax_m.set(xscale="log", xlabel="cadres", ylabel="MiB", title="peak memory (one process per point)")
    ax_m.axhline(2048, color="grey", linestyle="--", linewidth=0.8)
    ax_m.text(110, 2100, "2 GB target (M)", color="grey", fontsize=8)
    for ax in (ax_t, ax_m):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT, dpi=110)
    plt.close(fig)
