"""The CP-SAT model of rules R1–R11 (``model``) and the search for rosters (``search``).

This is the only package that imports OR-Tools.
"""

from .model import CrossModel, build_model
from .params import DEFAULT_PARAMS, SolveParams
from .search import search

__all__ = ["DEFAULT_PARAMS", "CrossModel", "SolveParams", "build_model", "search"]
