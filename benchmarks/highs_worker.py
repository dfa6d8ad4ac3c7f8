"""Solve a MIP (or its LP relaxation) saved by ``baselines`` with HiGHS, in a process of its own.

Prints one JSON line: status, objective, dual bound, and the improving solutions' times.
Imports nothing from crossinspect (and so no OR-Tools), see ``baselines._solve_highs``.
"""

from __future__ import annotations

import argparse
import json
import time

import highspy
import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--target", type=float, default=None)
    ap.add_argument("--relax", action="store_true")
    ap.add_argument("--solution", default=None, help="save the best solution's column values here (.npy)")
    args = ap.parse_args()
    d = np.load(args.path)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", args.time_limit)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    n = len(d["lb"])
    h.addVars(n, d["lb"], d["ub"])
    h.changeColsCost(n, np.arange(n, dtype=np.int32), d["cost"])
    if args.relax:
        h.setOptionValue("solver", "ipm")  # interior point: far faster than simplex on the big relaxations
    else:
        ints = np.flatnonzero(d["integer"]).astype(np.int32)
        h.changeColsIntegrality(len(ints), ints, np.full(len(ints), highspy.HighsVarType.kInteger))
    h.addRows(
        len(d["row_lo"]),
        d["row_lo"],
        d["row_hi"],
        len(d["index"]),
        d["starts"].astype(np.int32),
        d["index"],
        d["value"],
    )
    events: list[tuple[float, float]] = []
    best: list[np.ndarray] = []
    t0 = time.perf_counter()

    def improving(e: object) -> None:
        out = e.data_out  # type: ignore[attr-defined]
        events.append((time.perf_counter() - t0, float(out.objective_function_value)))
        if args.solution:
            best[:] = [np.array(out.mip_solution, dtype=np.float64)]

    def interrupt(e: object) -> None:
        if args.target is not None and events and events[-1][1] <= args.target + 1e-6:
            e.interrupt()  # type: ignore[attr-defined]

    if not args.relax:
        h.cbMipImprovingSolution.subscribe(improving)
        h.cbMipInterrupt.subscribe(interrupt)
    h.run()
    seconds = time.perf_counter() - t0
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    if args.relax:
        objective = float(info.objective_function_value) if status == "Optimal" else None
        dual = objective
    else:
        objective = events[-1][1] if events else None
        dual = float(info.mip_dual_bound)
    if args.solution and best:
        np.save(args.solution, best[0])
    reached = next((t for t, v in events if args.target is not None and v <= args.target + 1e-6), None)
    print(
        json.dumps(
            {
                "status": status,
                "objective": objective,
                "dual_bound": dual,
                "seconds": seconds,
                "first_seconds": events[0][0] if events else None,
                "reached_seconds": reached,
                "solutions": len(events),
                "events": events[:200],
            }
        )
    )


if __name__ == "__main__":
    main()
