"""Two realistic example inputs for ``crossinspect example`` (SPEC §4)."""

from .common import EXAMPLES, write_example

__all__ = ["EXAMPLES", "write_example"]
