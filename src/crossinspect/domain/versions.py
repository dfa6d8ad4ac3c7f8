"""The versions a roster and a reproducible draw depend on: crossinspect's and OR-Tools'."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def distribution_version(dist: str) -> str:
    """The installed version of a distribution; crossinspect run from a source tree
    without installation is ``0.0.0+local``, anything else missing is ``—``."""
    try:
        return version(dist)
    except PackageNotFoundError:
        return "0.0.0+local" if dist == "crossinspect" else "—"
