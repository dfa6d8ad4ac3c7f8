"""Shared pieces of the web tests: the examples, a broken and an infeasible variant, the app."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from crossinspect.web.app import create_app
from crossinspect.web.workspace import Workspace
from web_helpers import BROKEN_ROW, ROTATION

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 fork for its test client; httpx works the same.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture(scope="session")
def broken_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rotation example with one cadre's gender written as 其他 (neither 男 nor 女)."""
    wb = openpyxl.load_workbook(ROTATION / "input.xlsx")
    ws = wb["干部"]
    column = next(c.column for c in ws[1] if c.value == "性别")
    ws.cell(row=BROKEN_ROW, column=column, value="其他")
    path = tmp_path_factory.mktemp("broken") / "第四轮干部名册.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="session")
def infeasible_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rotation example's rules asking three 纪检监察 cadres per team: the pools have too few."""
    text = (ROTATION / "rules.toml").read_text("utf-8")
    assert 'required_skills = { "纪检监察" = 1 }' in text
    path = tmp_path_factory.mktemp("infeasible") / "rules.toml"
    path.write_text(text.replace('{ "纪检监察" = 1 }', '{ "纪检监察" = 3 }'), "utf-8")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace(tmp_path)
    yield ws
    ws.remove()


@pytest.fixture
def client(workspace: Workspace) -> Iterator[TestClient]:
    """The app as a tool such as curl sees it (no Origin header, so no page token needed)."""
    app = create_app(workspace, allowed_hosts=frozenset({"testserver"}))
    with TestClient(app) as c:
        yield c
    app.state.web.jobs.close()
