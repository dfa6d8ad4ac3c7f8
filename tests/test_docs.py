"""The examples a reader copies run (issue 18): the README's library walk-through and the
package docstring are doctests, and every public function is typed and documented."""

from __future__ import annotations

import doctest
import inspect
from pathlib import Path

import pytest

import crossinspect

ROOT = Path(__file__).resolve().parents[1]
#: The functions SPEC §6 names.
FUNCTIONS = (
    "load_problem",
    "solve",
    "verify",
    "write_roster",
    "read_plan",
    "render",
    "explain",
    "replan",
    "plan_term",
    "history_rows",
)


@pytest.fixture
def in_a_copy_of_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder where ``data/examples`` is the repository's and outputs go to tmp."""
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(text: str, name: str) -> doctest.TestResults:
    test = doctest.DocTestParser().get_doctest(text, {}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.summarize(verbose=False)


def test_readme_library_example_runs(in_a_copy_of_the_repository: Path) -> None:
    """README.md's Python session runs as written."""
    result = _run((ROOT / "README.md").read_text(encoding="utf-8"), "README.md")
    assert result.attempted >= 15 and result.failed == 0
    assert (in_a_copy_of_the_repository / "roster.xlsx").exists()


def test_package_docstring_example_runs(in_a_copy_of_the_repository: Path) -> None:
    """The package docstring's example runs as written."""
    assert crossinspect.__doc__
    result = _run(crossinspect.__doc__, "crossinspect")
    assert result.attempted >= 5 and result.failed == 0


@pytest.mark.parametrize("name", FUNCTIONS)
def test_public_functions_are_exported_typed_and_documented(name: str) -> None:
    """Each function of SPEC §6 is a name of the package, with a docstring and type hints."""
    assert name in crossinspect.__all__
    function = getattr(crossinspect, name)
    assert callable(function) and inspect.getdoc(function), name
    signature = inspect.signature(function)
    assert signature.return_annotation is not inspect.Signature.empty, name
    assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values()), name


def test_the_package_docstring_calls_only_what_exists() -> None:
    """Every ``ci.name`` the docstring and README use is a public name."""
    import re

    for text in (crossinspect.__doc__ or "", (ROOT / "README.md").read_text(encoding="utf-8")):
        for name in set(re.findall(r"\bci\.([a-z_]+)\(", text)):
            assert name in crossinspect.__all__, name
