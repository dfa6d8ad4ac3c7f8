"""Command line of the benchmarks: ``python -m benchmarks run|scale|profile|write``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _worker(task: str, params: dict[str, Any]) -> dict[str, Any]:
    from . import measure

    if task == "cpsat":
        inst = measure.instance_of(
            params["size"],
            params["seed"],
            params.get("city"),
            params.get("time_limit"),
            params.get("local_roles", False),
        )
        return measure.cpsat(inst, workers=params.get("workers"), presolve=params.get("presolve", True))
    if task == "baselines":
        inst = measure.instance_of(
            params["size"],
            params["seed"],
            params.get("city"),
            params.get("time_limit"),
            params.get("local_roles", False),
        )
        return measure.baselines(
            inst,
            target=params.get("target"),
            office_runs=params.get("office_runs", 20),
            mip_time_limit=params.get("mip_time_limit", 120.0),
            with_mip=params.get("with_mip", True),
            with_lp=params.get("with_lp", True),
        )
    if task == "plain":
        inst = measure.instance_of(params["size"], params["seed"])
        return measure.plain_feasibility(inst, seconds=params.get("seconds", 300.0))
    if task == "scale":
        return measure.scale_point(
            params["mode"], params["cadres"], seed=params["seed"], time_limit=params["time_limit"]
        )
    raise SystemExit(f"unknown worker task {task!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="sizes S, M, L with baselines: medians and ratios")
    run.add_argument(
        "--size", action="append", choices=["XS", "S", "M", "L"], help="size to run (repeatable); default S, M and L"
    )
    run.add_argument("--repeat", type=int, default=3, help="solver runs per size (medians over them)")
    run.add_argument("--seed", type=int, default=1, help="instance and lottery seed")
    run.add_argument("--no-baselines", action="store_true", help="skip the office draw, MIP and LP")
    run.add_argument("--mip-time-limit", type=float, default=120.0, help="HiGHS time limit (s)")
    run.add_argument("--office-runs", type=int, default=20, help="independent clerks for the office draw")
    run.add_argument("--processes", type=int, default=None, help="L: parallel city processes (default: cores)")
    run.add_argument("--save", action="store_true", help="also write benchmarks/results/run-<size>.json")
    run.add_argument(
        "--local-roles", action="store_true", help="L: a local 联络员 per team (the rotation no longer splits by arc)"
    )

    scale = sub.add_parser("scale", help="time and memory against the number of cadres, both modes")
    scale.add_argument("--mode", action="append", choices=["rotation", "mixed"])
    scale.add_argument("--cadres", type=int, action="append", help="cadre counts (repeatable)")
    scale.add_argument("--time-limit", type=float, default=20.0, help="solver time limit per point (s)")
    scale.add_argument("--timeout", type=float, default=420.0, help="give a point up after this long (s)")
    scale.add_argument("--seed", type=int, default=1)
    scale.add_argument("--plot-only", action="store_true", help="redraw table and plot from saved results")

    prof = sub.add_parser("profile", help="cProfile of problem and model building for a size")
    prof.add_argument("--size", default="M", choices=["XS", "S", "M", "L"])
    prof.add_argument("--seed", type=int, default=1)
    prof.add_argument("--top", type=int, default=25)
    prof.add_argument("--cli", action="store_true", help="profile the whole `crossinspect solve` on the workbook")

    write = sub.add_parser("write", help="write a size's input workbook(s) and rules to a folder")
    write.add_argument("--size", default="S", choices=["XS", "S", "M", "L"])
    write.add_argument("--seed", type=int, default=1)
    write.add_argument("directory", type=Path)

    worker = sub.add_parser("worker", help=argparse.SUPPRESS)
    worker.add_argument("task")
    worker.add_argument("params")

    args = ap.parse_args(argv)
    if args.command == "worker":
        print(json.dumps(_worker(args.task, json.loads(args.params)), ensure_ascii=False))
        return 0
    if args.command == "run":
        from .run import main as run_main

        return run_main(
            args.size or ["S", "M", "L"],
            repeat=args.repeat,
            seed=args.seed,
            baselines=not args.no_baselines,
            mip_limit=args.mip_time_limit,
            office_runs=args.office_runs,
            processes=args.processes,
            save=args.save,
            local_roles=args.local_roles,
        )
    if args.command == "scale":
        from .scale import main as scale_main

        return scale_main(
            modes=args.mode or ["rotation", "mixed"],
            cadres=args.cadres,
            time_limit=args.time_limit,
            timeout=args.timeout,
            seed=args.seed,
            plot_only=args.plot_only,
        )
    if args.command == "profile":
        from .generate import generate
        from .measure import instance_of, profile_build

        inst = generate("L", args.seed)[0] if args.size == "L" else instance_of(args.size, args.seed)
        if args.cli:
            from .measure import profile_cli

            print(profile_cli(inst, args.top))
        else:
            print(profile_build(inst, args.top))
        return 0
    if args.command == "write":
        from .generate import generate
        from .workbook import write_input

        for inst in generate(args.size, args.seed):
            paths = write_input(inst, args.directory / inst.name)
            print(*paths)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
