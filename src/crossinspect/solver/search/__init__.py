"""How rosters are searched for: one module per strategy, each a CP-SAT search over the model."""

from .run import search

__all__ = ["search"]
