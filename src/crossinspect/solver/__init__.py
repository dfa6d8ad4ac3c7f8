"""The CP-SAT model of rules R1–R11, one rule family per module, and its runner."""

from .model import CrossModel, build_model
from .run import extract_plan, solve

__all__ = ["CrossModel", "build_model", "extract_plan", "solve"]
