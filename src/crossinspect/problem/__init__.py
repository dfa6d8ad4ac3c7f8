"""The indexed problem: places resolved, rules checked, eligibility and avoidance decided.

``build_problem`` turns an input book and rules into a ``Problem``; the solver only ever
sees the ``Problem``, and the verifier reads the same resolved input but re-derives every
rule itself.
"""

from .build import build_problem
from .problem import Block, Pin, Problem
from .sanctions import compute_sanctions, round_sort_key

__all__ = ["Block", "Pin", "Problem", "build_problem", "compute_sanctions", "round_sort_key"]
