"""Start-up: the package and the CLI load the solver's heavy dependencies only when used."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEAVY = ("ortools", "pandas", "numpy", "matplotlib")


def loaded_after(code: str) -> set[str]:
    """Top-level packages among ``HEAVY`` imported by running ``code`` in a fresh interpreter."""
    probe = textwrap.dedent(code) + textwrap.dedent(f"""
        import sys
        print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "import crossinspect",
        "import crossinspect.cli",
        "import crossinspect as ci; ci.Plan, ci.Rules, ci.load_problem, ci.verify",
    ],
)
def test_import_loads_no_solver_dependencies(code: str) -> None:
    """``import crossinspect`` (and the CLI, and the non-solver names) load no OR-Tools or pandas."""
    assert loaded_after(code) == set()


def test_check_runs_without_the_solver(tmp_path: Path) -> None:
    """``crossinspect check`` reads, builds and pre-checks a round in plain Python."""
    rotation = [str(tmp_path / "rotation" / "input.xlsx")]
    mixed = [str(tmp_path / "mixed" / "input.xlsx"), "--rules", str(tmp_path / "mixed" / "rules.toml")]
    code = f"""
        from typer.testing import CliRunner
        from crossinspect.cli import app
        runner = CliRunner()
        assert runner.invoke(app, ["example", {str(tmp_path)!r}]).exit_code == 0
        for args in ({rotation!r}, {mixed!r}):
            done = runner.invoke(app, ["check", *args])
            assert done.exit_code == 0, done.output
    """
    # openpyxl itself loads numpy where it is installed; OR-Tools is the solver's.
    assert "ortools" not in loaded_after(code)


def test_solve_is_loaded_on_first_use() -> None:
    """``crossinspect.solve`` still works: touching it loads the solver, and OR-Tools with it."""
    assert "ortools" in loaded_after("import crossinspect as ci; ci.solve")


def test_public_names_survive_lazy_loading() -> None:
    """Every name in ``__all__`` resolves, and each is what its module defines."""
    import crossinspect as ci
    from crossinspect.domain.plan import Plan
    from crossinspect.workflows.round import solve

    for name in ci.__all__:
        assert getattr(ci, name) is not None, name
    assert ci.solve is solve
    assert ci.Plan is Plan
    assert isinstance(ci.__version__, str) and ci.__version__
    assert set(ci.__all__) <= set(dir(ci))
    with pytest.raises(AttributeError):
        _ = ci.no_such_name  # type: ignore[attr-defined]


def test_verify_stays_the_function_after_its_module_is_imported() -> None:
    """Importing the submodule ``crossinspect.verify`` (the solver does) binds the package
    attribute of the same name; ``crossinspect.verify`` must still be the function."""
    code = """
        import crossinspect.verify
        import crossinspect as ci
        print(callable(ci.verify), ci.verify.__module__)
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "crossinspect.verify.verifier"]


def test_the_solver_leaves_the_lp_solvers_until_a_large_round_needs_them() -> None:
    """The LP bound (OR-Tools' MathOpt and protobuf) is only for large mixed rounds."""
    code = """
        import sys
        import crossinspect.solver.search.run
        lp = ("ortools.math_opt", "ortools.linear_solver", "crossinspect.solver.search.bound")
        print(sorted(m for m in sys.modules if m.startswith(lp)))
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
