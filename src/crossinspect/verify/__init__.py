"""The independent verifier: re-checks a plan against every hard rule, sharing no code with the solver."""

from .base import PLAN_RULE, natural_round_key
from .verifier import verifier, verify

__all__ = ["PLAN_RULE", "natural_round_key", "verifier", "verify"]
