"""The independent verifier: re-checks a plan against every hard rule, sharing no code with the solver.

``verifier`` holds the entry points and runs the rule families in order; ``base`` the
state and helpers they share; one module per family (``plan``, ``avoidance``,
``rotation``, ``mixed``, ``local``, ``composition``, ``sanctions``, ``decisions``);
``normalise`` the verifier's own reading of ids, names and round labels.
"""

from .normalise import natural_round_key
from .plan import PLAN_RULE
from .verifier import verifier, verify

__all__ = ["PLAN_RULE", "natural_round_key", "verifier", "verify"]
