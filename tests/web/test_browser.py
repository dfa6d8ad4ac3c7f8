"""The page in a real browser: headless Chromium (Debian's chromium and chromium-driver) via Selenium.

Each test starts ``crossinspect serve`` as the clerk's 启动.bat does, and drives the page
at 1366×768 as a clerk would: upload, check, solve, stop, download, re-check. No browser
is downloaded at run time. Off CI a missing browser skips these tests; with ``CI`` set
(``.ci/run``) it fails them.

With ``CROSSINSPECT_SCREENSHOTS=DIR`` set, the tests also save the PNG screenshots that
docs/guide.md shows (``CROSSINSPECT_SCREENSHOTS=docs/images pytest tests/web/test_browser.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import crossinspect as ci
from crossinspect.io.roster_reader import read_plan
from web_helpers import BROKEN_ROW, ROTATION, start_server, stop_server

WIDTH, HEIGHT = 1366, 768
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=zh-CN",
)


def _browser_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    missing = "chromium" if not browser else "chromedriver (Debian package chromium-driver)"
    message = f"{missing} not found: apt-get install chromium chromium-driver"
    if os.environ.get("CI"):
        pytest.fail(message + " (.ci/run installs them; on CI these tests must run)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A ``crossinspect serve`` process for this module's tests; its URL."""
    proc, url = start_server(tmp_path_factory.mktemp("serve"))
    yield url
    stop_server(proc)


class Page:
    """A Chromium tab on the page, with the waits and downloads the tests need."""

    def __init__(self, driver: Any, url: str, downloads: Path) -> None:
        self.driver = driver
        self.url = url
        self.downloads = downloads

    def open(self, query: str = "") -> None:
        self.driver.get(self.url + query)
        self.fit()

    def fit(self) -> None:
        """The viewport of a 1366×768 screen (the CSS pixels a page has, exactly)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        self.driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads)}
        )

    def find(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def until(self, condition: Callable[[], Any], timeout: float = 60, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = condition()
            except Exception:  # an element not there yet, or replaced while read
                value = None
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what or condition}: notice={self.text('#notice')!r}")

    def text(self, css: str) -> str:
        try:
            return str(self.find(css).text)
        except Exception:
            return ""

    def visible(self, css: str) -> bool:
        return bool(self.find(css).is_displayed())

    def status(self) -> str:
        return str(self.find("#job").get_attribute("data-status") or "")

    def wait_status(self, *states: str, timeout: float = 120) -> str:
        return str(self.until(lambda: self.status() in states and self.status(), timeout, f"job status {states}"))

    def upload(self, css: str, path: Path) -> None:
        self.find(css).send_keys(str(path))

    def download(self, css: str, timeout: float = 30) -> Path:
        """Click a download link and wait for the finished file."""
        link = self.find(css)
        name = link.get_attribute("download")
        assert name, "the link names the file it downloads"
        target = self.downloads / name
        link.click()
        self.until(
            lambda: target.exists() and not list(self.downloads.glob("*.crdownload")), timeout, f"download {name}"
        )
        return target

    def no_sideways_scrolling(self) -> None:
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= WIDTH, f"the page is {width} px wide at {WIDTH}×{HEIGHT}"

    def shot(self, name: str) -> None:
        folder = os.environ.get("CROSSINSPECT_SCREENSHOTS")
        if folder:
            self.fit()
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(Path(folder) / name))


@pytest.fixture
def page(server: str, tmp_path: Path) -> Iterator[Page]:
    browser, driver_path = _browser_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    profile = tempfile.mkdtemp(prefix="crossinspect-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}"):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    # LANGUAGE, not --lang, sets the browser's own words (the file chooser's 选择文件) on Linux.
    service = Service(driver_path, log_output=subprocess.DEVNULL, env={**os.environ, "LANGUAGE": "zh_CN"})
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield Page(driver, server, downloads)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _verifies(workbook: Path, rules: Path, roster: Path) -> list[Any]:
    problem = ci.load_problem(workbook, rules_file=rules)
    return ci.verify(problem, read_plan(roster, problem))


def test_example_check_solve_download_and_verify(page: Page) -> None:
    """Upload the example, check it, solve, download the roster, and re-check it on the page."""
    page.open()
    assert page.driver.title.startswith("交叉巡察编组")
    page.upload("#workbook", ROTATION / "input.xlsx")
    page.upload("#rules", ROTATION / "rules.toml")
    page.find("#check-btn").click()
    page.until(lambda: page.visible("#summary-block"), what="the check's summary")
    assert "输入有效，预检通过" in page.text("#check-message")
    assert "共 99 名干部、11 个县区干部池、11 个巡察对象" in page.text("#summary-line")
    assert len(page.find_all("#summary tbody tr")) == 11
    page.no_sideways_scrolling()
    page.shot("web-check.png")

    page.find("#solve-btn").click()
    page.wait_status("done")
    assert "已通过独立校验" in page.text("#job-message")
    assert len(page.find_all("#teams tbody tr")) == 11
    assert "最优（已证明）" in page.text("#result-line")
    page.no_sideways_scrolling()
    page.shot("web-done.png")

    roster = page.download("#download")
    assert roster.name == "input-名单.xlsx"
    assert _verifies(ROTATION / "input.xlsx", ROTATION / "rules.toml", roster) == []

    page.upload("#roster", roster)
    page.find("#verify-btn").click()
    page.until(lambda: "复核通过" in page.text("#verify-message"), what="the page's verify")
    assert "11 个组、57 个席位全部符合规则" in page.text("#verify-message")

    # A hand edit that leaves a team without a leader is rewritten too, its violation printed on it.
    wb = openpyxl.load_workbook(roster)
    leader = next(r for r in wb["assignments"].iter_rows(min_row=2) if r[3].value == "leader")
    leader[3].value = "member"
    edited = roster.parent / "改过的名单.xlsx"
    wb.save(edited)
    page.upload("#roster", edited)
    page.find("#render-btn").click()
    page.until(lambda: page.visible("#render-row"), what="the rewritten roster's link")
    message = page.text("#verify-message")
    assert "1 处违规" in message and "校验结果" in message and "调整 1 人" in message, message
    assert "R6" in page.text("#violations")
    rewritten = page.download("#render-download")
    assert rewritten.name == "改过的名单-重新生成.xlsx"
    sheets = openpyxl.load_workbook(rewritten).sheetnames
    assert "校验结果" in sheets and "变更" in sheets


def test_broken_workbook_names_the_cell(page: Page, broken_workbook: Path) -> None:
    """A cadre's gender written 其他: the table names the file, sheet 干部, the row and 性别."""
    page.open()
    page.upload("#workbook", broken_workbook)
    page.find("#check-btn").click()
    page.until(lambda: page.visible("#errors-block"), what="the error table")
    rows = [[td.text for td in tr.find_elements("css selector", "td")] for tr in page.find_all("#errors tbody tr")]
    assert [broken_workbook.name, "干部", str(BROKEN_ROW), "性别", "不认识的性别「其他」，应为 男 或 女"] in rows
    assert "输入有误" in page.text("#check-message")
    page.no_sideways_scrolling()
    page.shot("web-errors.png")

    page.find("#lang-link").click()
    page.until(lambda: page.text("h1") == "Cross-inspection teams", what="the English page")
    page.fit()
    page.upload("#workbook", broken_workbook)
    page.find("#check-btn").click()
    page.until(lambda: page.visible("#errors-block"), what="the English error table")
    assert "Sheet" in page.text("#errors thead") and "其他" in page.text("#errors tbody")


def test_infeasible_round_is_explained_and_a_relaxation_applies(page: Page, infeasible_rules: Path) -> None:
    """Three 纪检监察 per team: the page says why, offers verified changes, and one click solves."""
    page.open()
    page.upload("#workbook", ROTATION / "input.xlsx")
    page.upload("#rules", infeasible_rules)
    page.find("#solve-btn").click()
    page.wait_status("infeasible")
    assert page.visible("#explanation") and not page.visible("#result")
    assert "纪检监察" in page.text("#why")
    buttons = {b.get_attribute("data-key"): b for b in page.find_all(".relax-btn")}
    assert "required_skills.纪检监察=2" in buttons
    page.no_sideways_scrolling()
    page.shot("web-infeasible.png")

    buttons["required_skills.纪检监察=2"].click()
    page.until(lambda: page.visible("#relaxed-note"), what="the relaxed note")
    page.wait_status("done")
    note = page.text("#relaxed-note")
    assert "放宽" in note and "每组「纪检监察」专长最少2人" in note
    roster = page.download("#download")
    assert roster.name == "input-名单（已放宽规则）.xlsx"
    relaxed = infeasible_rules.parent / "relaxed.toml"
    relaxed.write_text(infeasible_rules.read_text("utf-8").replace('"纪检监察" = 3', '"纪检监察" = 2'), "utf-8")
    assert _verifies(ROTATION / "input.xlsx", relaxed, roster) == []
    assert _verifies(ROTATION / "input.xlsx", infeasible_rules, roster) != []
    overview = openpyxl.load_workbook(roster)["总表"]
    assert "已放宽规则编组" in str(overview["A2"].value) and "必备专长由纪检监察3人改为纪检监察2人" in str(
        overview["A2"].value
    )


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The benchmarks' township round (140 teams, 1,000 cadres) as a workbook and rules: a
    search that runs long enough to be watched, reloaded and stopped."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.generate import generate
    from benchmarks.workbook import write_input

    return write_input(generate("M")[0], tmp_path_factory.mktemp("township"))


def test_two_tabs_a_reload_and_stop(page: Page, township: tuple[Path, Path]) -> None:
    """Tab A solves a township round while tab B solves the rotation example; a reload of A
    finds its job still running, and Stop keeps the best roster so far, which verifies."""
    book, rules = township
    page.open()
    tab_a = page.driver.current_window_handle
    page.upload("#workbook", book)
    page.upload("#rules", rules)
    page.find(".advanced summary").click()
    page.find("#time-limit").send_keys("120")
    page.find("#solve-btn").click()
    page.until(lambda: page.text("#p-objective") not in ("", "—"), 60, "a first roster in tab A")
    job_a = page.driver.execute_script("return sessionStorage.getItem('crossinspect-job')")

    page.driver.switch_to.new_window("tab")
    page.open()
    assert not page.visible("#job")  # a new tab has no job of its own
    page.upload("#workbook", ROTATION / "input.xlsx")
    page.upload("#rules", ROTATION / "rules.toml")
    page.find("#solve-btn").click()
    page.wait_status("done")
    job_b = page.driver.execute_script("return sessionStorage.getItem('crossinspect-job')")
    assert job_b and job_b != job_a
    assert job_b in (page.find("#download").get_attribute("href") or "")

    page.driver.switch_to.window(tab_a)
    page.driver.refresh()
    page.fit()
    page.wait_status("running", timeout=10)
    assert page.driver.execute_script("return sessionStorage.getItem('crossinspect-job')") == job_a
    page.until(lambda: page.text("#p-objective") not in ("", "—"), 10, "progress after the reload")
    assert page.visible("#stop-btn")
    left = float(page.text("#p-left").split()[0])
    assert 0 < left < 120
    page.no_sideways_scrolling()
    page.shot("web-progress.png")

    page.find("#stop-btn").click()
    page.wait_status("stopped", timeout=30)
    assert "目前最好的" in page.text("#job-message")
    assert "不可复现" in page.text("#reproducible-note") and "停止" in page.text("#reproducible-note")
    roster = page.download("#download")
    assert _verifies(book, rules, roster) == []
