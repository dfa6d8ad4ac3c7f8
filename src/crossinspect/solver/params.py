"""How the search spends its effort: every threshold and share in one place, passed explicitly.

The model (``solver.model``) says what a roster is; these parameters only say how hard,
and in what order, the search looks for a good one. None of them changes which rosters
are valid. Budgets are in *effort units*: CP-SAT's deterministic time, about a second of
one core's work, counted the same way on every machine (``search.context.Search.spend``). Nothing
here is in wall-clock seconds: the time limit is only a safety stop. The defaults are
what docs/benchmarks.md measured; a benchmark or an experiment passes its own
``SolveParams`` (``SolveParams.load`` reads them from a TOML file).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SolveParams:
    """Strategy thresholds and effort shares of one solve (see each field)."""

    # -- which strategy runs (by the round's size, never by the clock) --------------------

    #: rotation rounds decompose by arc only when no county has more teams than this: an
    #: arc staffing several teams from one pool is itself a hard packing problem
    max_teams_per_arc: int = 2
    #: seat literals above which a round counts as large: its whole-round model gets a
    #: light presolve, and a mixed round is polished instead of solved whole
    large_model_seats: int = 20_000
    #: seat literals above which a round first gets a staged roster (``staged``)
    warm_start_seats: int = 5_000
    #: seat literals above which the whole-round model is not even built (it would take
    #: minutes and gigabytes): the staged roster, polished if mixed, is the answer
    too_big_seats: int = 600_000

    # -- shares of the run's effort -------------------------------------------------------

    #: the staged roster's share of the effort, and at most this many units
    stage_share: float = 0.1
    stage_max: float = 3.0
    #: the staged roster's share when it is the round's only way to a roster (too big)
    too_big_stage_share: float = 0.8
    #: shares of what staging left for the whole-round model's two phases (soft goals, lottery)
    goals_share: float = 0.6
    lottery_share: float = 0.4
    #: large mixed rounds: shares of what staging left for the first polish and the core
    #: search; the second polish gets the rest
    polish_share: float = 0.65
    core_share: float = 0.1
    #: decomposed rotation: the arcs' share of the effort (each arc's two phases split it
    #: evenly), each phase at most ``arc_effort`` units
    arcs_share: float = 0.8
    arc_effort: float = 1.0
    #: the cycle model of a decomposed rotation, per phase
    master_effort: float = 5.0
    #: a re-plan: the share of its effort for the fewest changes (the soft goals get the rest)
    changes_share: float = 0.5

    # -- the whole-round model ----------------------------------------------------------------

    #: single-worker CP-SAT configurations run side by side on each phase, each with an
    #: equal part of the phase's effort; the best roster wins, ties going to the first.
    #: Names: "lp2" (linearization level 2: tight LP, strong on small rounds), "lp1"
    #: (CP-SAT's default), "core" (core-based lower bounds)
    portfolio: tuple[str, ...] = ("lp2", "lp1")

    # -- staged roster ------------------------------------------------------------------

    #: teams per stage in mixed mode
    stage_teams: int = 3
    #: least effort of a stage, and of a stage's second try with its whole pool
    min_stage: float = 0.05
    fallback_stage: float = 1.0
    #: ... or this share of what is left of the staged roster's effort, if more
    fallback_share: float = 0.1
    #: rotation cycles tried before giving up the staged roster
    max_cycles: int = 4
    #: cadres per team on a stage's shortlist
    shortlist: int = 25
    #: effort of the staged rotation's cycle model
    cycle_effort: float = 2.5

    # -- polishing (fix-and-optimize) ------------------------------------------------------

    #: teams re-staffed by one polishing step at first, and the widest window it grows to
    window: int = 8
    widest: int = 16
    #: a pass whose gain is below this share of the soft goals is taken as converged for its
    #: window size: the windows widen (most of a pass's gains come in its first passes)
    widen_below: float = 0.005
    #: effort of one polishing step over ``window`` teams (wider windows in proportion)
    polish_step: float = 0.3
    #: effort charged for each polishing step besides its searches' deterministic time: a
    #: step's model is built in Python and searched without presolve, work CP-SAT's clock
    #: does not see, so a step is counted as a fixed cost and effort follows the real work
    step_charge: float = 0.1
    #: polishing steps prepared together on disjoint windows and free cadres; they run side
    #: by side when there are workers for it, and commit in order, so the roster does not
    #: depend on how many run at once
    polish_batch: int = 2

    # -- LP bound ---------------------------------------------------------------------------

    #: PDLP iterations: a fixed count, so the LP's solution (which seats the core search) is
    #: the same on every machine; any count gives a valid bound
    lp_iterations: int = 30_000
    #: least LP mass for a (cadre, team) pair to enter the core search
    mass_floor: float = 0.02
    #: PDLP threads: its iterates are the same on one thread whatever else runs
    pdlp_threads: int = 1

    @classmethod
    def load(cls, path: str | Path) -> SolveParams:
        """Parameters from a TOML file of ``name = value`` lines; unknown names are an error."""
        data = tomllib.loads(Path(path).read_text("utf-8"))
        if "portfolio" in data:
            data["portfolio"] = tuple(data["portfolio"])
        return cls().replace(**data)

    def replace(self, **changes: Any) -> SolveParams:
        """A copy with some fields changed; unknown names are an error."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown solve parameters: {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)


DEFAULT_PARAMS = SolveParams()
