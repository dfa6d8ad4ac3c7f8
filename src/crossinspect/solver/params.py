"""How the search spends its time: every threshold and share in one place, passed explicitly.

The model (``solver.model``) says what a roster is; these parameters only say how hard,
and in what order, the search looks for a good one. None of them changes which rosters
are valid. The defaults are what docs/benchmarks.md measured on a 2-core machine; a
benchmark or an experiment passes its own ``SolveParams`` (``SolveParams.load`` reads
them from a TOML file) rather than changing a module's globals.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SolveParams:
    """Strategy thresholds and budget shares of one solve (see each field)."""

    # -- which strategy runs -------------------------------------------------------------

    #: rotation rounds decompose by arc only when no county has more teams than this: an
    #: arc staffing several teams from one pool is itself a hard packing problem
    max_teams_per_arc: int = 2
    #: seat literals above which a round counts as large: its whole-round model gets a
    #: light presolve and parallel search instead of interleaved search
    large_model_seats: int = 20_000
    #: seat literals above which a round first gets a staged roster (``staged``)
    warm_start_seats: int = 5_000
    #: Python seconds to build the whole-round model, per seat literal: a round whose
    #: model would take more than half the time limit to build keeps its staged roster
    build_seconds_per_seat: float = 45e-6

    # -- shares of the time limit ----------------------------------------------------------

    #: deterministic seconds allowed per wall second of a whole-round phase
    deterministic_share: float = 0.4
    #: share of the time limit for the staged roster, and at most this many seconds
    warm_start_share: float = 0.25
    warm_start_max: float = 6.0
    #: share of the time limit for the staged roster of a round too big to build
    too_big_stage_share: float = 0.8
    #: share of the time limit polishing (with the LP bound beside it) may use
    polish_share: float = 0.95
    #: share of the time limit for the core search at the end of polishing
    core_share: float = 0.3
    #: share of phase 1 (soft goals) in the whole-round model's time; the rest is the lottery's
    goals_share: float = 0.75
    #: share of the time limit for all arcs of a decomposed rotation
    arcs_share: float = 0.85

    # -- small single-worker models (arcs, stages, polishing steps) ---------------------

    #: deterministic seconds per wall second of a small model's budget; the wall limit
    #: (``small_wall_factor`` times the budget) is only a safety net for a slow machine
    small_deterministic_share: float = 0.5
    small_wall_factor: float = 3.0
    #: least budget of one arc of a decomposed rotation (seconds)
    min_arc: float = 0.2
    #: budget of the cycle model of a decomposed rotation (seconds)
    master_limit: float = 30.0

    # -- staged roster ------------------------------------------------------------------

    #: teams per stage in mixed mode
    stage_teams: int = 3
    #: least budget of a stage, and of a stage's second try with its whole pool (seconds)
    min_stage: float = 0.1
    fallback_stage: float = 2.0
    #: ... or this share of what is left of the staged roster's budget, if more
    fallback_share: float = 0.1
    #: rotation cycles tried before giving up the staged roster
    max_cycles: int = 4
    #: cadres per team on a stage's shortlist
    shortlist: int = 25
    #: budget of the staged rotation's cycle model (seconds)
    cycle_limit: float = 5.0

    # -- polishing (fix-and-optimize) ------------------------------------------------------

    #: teams re-staffed by one polishing step at first, and the widest window it grows to
    window: int = 8
    widest: int = 16
    #: budget of one polishing step over ``window`` teams (seconds, half of it deterministic)
    polish_step: float = 0.6

    # -- LP bound ---------------------------------------------------------------------------

    #: least LP mass for a (cadre, team) pair to enter the core search
    mass_floor: float = 0.02
    #: PDLP threads: the bound runs beside the polishing steps, which use the others
    pdlp_threads: int = 1

    @classmethod
    def load(cls, path: str | Path) -> SolveParams:
        """Parameters from a TOML file of ``name = value`` lines; unknown names are an error."""
        data = tomllib.loads(Path(path).read_text("utf-8"))
        return cls().replace(**data)

    def replace(self, **changes: Any) -> SolveParams:
        """A copy with some fields changed; unknown names are an error."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown solve parameters: {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)


DEFAULT_PARAMS = SolveParams()
