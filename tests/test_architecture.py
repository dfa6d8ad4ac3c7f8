"""The package's layers: every import points down, and OR-Tools stays in the solver.

    domain < places < problem < solver, verify < diagnose < workflows < io < (public names) < web < cli

``docs/architecture.md`` draws them. A module may import its own layer and the layers
below it, never one above, and the solver and the verifier never import each other
(the verifier shares no code with the model). Imports inside functions and under
``TYPE_CHECKING`` count too. The package's own ``__init__`` (the public names, loaded
lazily) sits with the web page, which uses it; the command line sits on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "crossinspect"

#: Layer of each top-level part of the package, bottom first.
LAYERS: dict[str, int] = {
    "domain": 0,
    "places": 1,
    "problem": 2,
    "solver": 3,
    "verify": 3,
    "diagnose": 4,
    "workflows": 5,
    "io": 6,
    "__init__": 7,
    "web": 8,
    "cli": 9,
}


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(parts), path))
    return out


def _is_part(name: str) -> bool:
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").exists()


def _imports(module: str, path: Path) -> list[str]:
    """Every crossinspect module (or name) this file imports, anywhere in it."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("crossinspect")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "crossinspect":
                # from crossinspect import io (a part) or solve (the public facade)
                found += [f"crossinspect.{a.name}" if _is_part(a.name) else "crossinspect" for a in node.names]
            elif target.startswith("crossinspect"):
                found.append(target)
        if (
            isinstance(node, ast.Import | ast.ImportFrom) and any(a.name.startswith("ortools") for a in node.names)
        ) or (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ortools")):
            found.append("ortools")
    return found


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_point_down(module: str, path: Path) -> None:
    here = _part(module)
    assert here in LAYERS, f"{module}: a part of the package with no layer; add it to LAYERS and the docs"
    for target in _imports(module, path):
        if target == "ortools":
            assert here == "solver", f"{module} imports OR-Tools outside solver/"
            continue
        there = _part(target)
        if there == here:
            continue
        assert LAYERS[there] < LAYERS[here], f"{module} imports {target}: {there} is not below {here}"


def _private_imports(module: str, path: Path) -> list[tuple[str, str]]:
    """Names starting with one underscore this file imports from crossinspect, with their module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")
            target = ".".join(base[: len(base) - (node.level - 1)] + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target.startswith("crossinspect"):
            found += [(target, a.name) for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    return found


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_private_name_crosses_a_part(module: str, path: Path) -> None:
    """A part uses another part only through its public names, so either can change inside."""
    here = _part(module)
    crossing = [f"{target}.{name}" for target, name in _private_imports(module, path) if _part(target) != here]
    assert not crossing, f"{module} imports private names of another part: {crossing}"


def test_the_layers_cover_the_package() -> None:
    assert {_part(m) for m, _ in MODULES} <= set(LAYERS)


#: The longest a module may grow before it is split by job (CI's limit, with McCabe 20).
MAX_LINES = 700


def test_no_module_is_too_long_to_read() -> None:
    long = {m: n for m, p in MODULES if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines, to split by job: {long}"
