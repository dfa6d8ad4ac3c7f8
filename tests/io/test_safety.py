"""No input or user file is ever overwritten, and only regular files are read (issue 15)."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.io import safety
from crossinspect.io.safety import NotARegularFile, OutputError, atomic_path, check_output_path, read_regular_file
from factories import run_cli

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A workbook, a rules file and a CSV input folder, as a clerk's folder holds them."""
    shutil.copy(BAD / "ok.xlsx", tmp_path / "in.xlsx")
    shutil.copy(BAD / "base.toml", tmp_path / "rules.toml")
    shutil.copytree(BAD / "ok_csv", tmp_path / "csv")
    (tmp_path / "sub").mkdir()
    return tmp_path


def refused(out: Path, ins: list[Path]) -> bool:
    try:
        check_output_path(out, [*ins], force=True)
    except OutputError:
        return True
    return False


# ---- outputs never over an input -----------------------------------------------------------


@posix_only
def test_output_aliases_of_the_workbook_are_refused(inputs: Path) -> None:
    """A symlink, a path through .., and a hard link to the workbook are the workbook, even with force."""
    book = inputs / "in.xlsx"
    (inputs / "link.xlsx").symlink_to(book)
    os.link(book, inputs / "hard.xlsx")
    for out in (inputs / "link.xlsx", inputs / "sub" / ".." / "in.xlsx", inputs / "hard.xlsx"):
        assert refused(out, [book]), out
    assert not refused(inputs / "roster.xlsx", [book])


@posix_only
def test_every_csv_file_of_an_input_folder_is_an_input(inputs: Path) -> None:
    """Given the folder, or one CSV file of it, every CSV file in the folder is protected,
    and a new .csv file there (which would join the input) is refused."""
    folder = inputs / "csv"
    (inputs / "cadres_link.csv").symlink_to(folder / "干部.csv")
    for given in (folder, folder / "巡察对象.csv"):
        assert refused(folder / "干部.csv", [given])
        assert refused(inputs / "cadres_link.csv", [given])
        assert refused(folder / "往轮记录.csv", [given])
        assert not refused(folder / "roster.xlsx", [given])


@posix_only
def test_rules_file_is_an_input(inputs: Path) -> None:
    """The rules file is refused as roster, --json and explanation path, also through a symlink."""
    (inputs / "r.json").symlink_to(inputs / "rules.toml")
    before = (inputs / "rules.toml").read_bytes()
    for args in (["-o", inputs / "rules.toml"], ["-o", inputs / "roster.xlsx", "--json", inputs / "r.json"]):
        code, text = run_cli("solve", inputs / "in.xlsx", "--rules", inputs / "rules.toml", *args, "--force")
        assert code == 2 and "rules.toml" in text and "拒绝覆盖输入" in text, text
    assert (inputs / "rules.toml").read_bytes() == before
    assert not (inputs / "roster.xlsx").exists()


def test_explanation_never_over_an_input(inputs: Path) -> None:
    """An explanation whose path is the rules file is refused, with force too."""
    from crossinspect.diagnose.explain import Explanation
    from crossinspect.io.explanation import write_explanation
    from crossinspect.io.load import load_problem

    problem = load_problem(inputs / "in.xlsx", rules_file=inputs / "rules.toml")
    rules = inputs / "r.infeasible.xlsx"
    shutil.copy(inputs / "rules.toml", rules)
    with pytest.raises(OutputError):
        write_explanation(problem, Explanation(), inputs / "r.xlsx", force=True, input_paths=[rules])
    assert rules.read_bytes() == (inputs / "rules.toml").read_bytes()


def test_example_does_not_replace_files_without_force(tmp_path: Path) -> None:
    """`example DIR` over an earlier (perhaps edited) example is refused; --force replaces it."""
    assert run_cli("example", tmp_path)[0] == 0
    edited = tmp_path / "rotation" / "rules.toml"
    edited.write_text("# the clerk's own rules\n", encoding="utf-8")
    code, text = run_cli("example", tmp_path)
    assert code == 2 and "--force" in text
    assert edited.read_text(encoding="utf-8") == "# the clerk's own rules\n"
    assert run_cli("example", tmp_path, "--force")[0] == 0
    assert edited.read_text(encoding="utf-8") != "# the clerk's own rules\n"


# ---- creating an output is atomic ----------------------------------------------------------


def test_output_created_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    """Without overwrite, a file that appears at the path during the write wins; the write fails."""
    out = tmp_path / "roster.xlsx"
    with pytest.raises(OutputError) as info, atomic_path(out) as tmp:
        tmp.write_bytes(b"mine")
        out.write_bytes(b"the other run's")
    assert "--force" in info.value.zh
    assert out.read_bytes() == b"the other run's"
    assert [p.name for p in tmp_path.iterdir()] == ["roster.xlsx"]


def test_two_writers_of_a_new_output_one_wins(tmp_path: Path) -> None:
    """Two threads creating one new output without overwrite: exactly one writes it."""
    out = tmp_path / "roster.xlsx"
    outcome: list[str] = []
    start = threading.Barrier(2)

    def write(payload: bytes) -> None:
        start.wait()
        try:
            with atomic_path(out) as tmp:
                tmp.write_bytes(payload)
            outcome.append("wrote")
        except OutputError:
            outcome.append("refused")

    threads = [threading.Thread(target=write, args=(bytes([k]) * 1000,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcome) == ["refused", "wrote"]
    assert out.read_bytes() in (bytes([0]) * 1000, bytes([1]) * 1000)


def test_without_hard_links_the_name_is_reserved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system without hard links (FAT), creation still refuses an existing name."""

    def no_links(*args: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(safety.os, "link", no_links)
    out = tmp_path / "a.bin"
    with atomic_path(out) as tmp:
        tmp.write_bytes(b"first")
    assert out.read_bytes() == b"first"
    with pytest.raises(OutputError), atomic_path(out) as tmp:
        tmp.write_bytes(b"second")
    assert out.read_bytes() == b"first"
    with atomic_path(out, overwrite=True) as tmp:
        tmp.write_bytes(b"third")
    assert out.read_bytes() == b"third"


# ---- temporary files with personal data ----------------------------------------------------


def test_temporary_files_live_in_a_private_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a roster is saved, the file itself and openpyxl's spooled sheets are in one 0700
    folder beside the output, which is gone afterwards; the system temp folder is not used."""
    import openpyxl.worksheet._writer as sheet_writer

    spooled: list[Path] = []
    original: Callable[..., str] = sheet_writer.create_temporary_file

    def spy(*args: Any, **kwargs: Any) -> str:
        name = original(*args, **kwargs)
        spooled.append(Path(name))
        return name

    monkeypatch.setattr(sheet_writer, "create_temporary_file", spy)
    system_temp = tempfile.gettempdir()
    wb = openpyxl.Workbook()
    wb.active.append(["张伟", "X1"])  # type: ignore[union-attr]
    out = tmp_path / "roster.xlsx"
    with atomic_path(out) as tmp:
        private = tmp.parent
        assert private.parent == tmp_path and stat.S_IMODE(private.stat().st_mode) == 0o700
        assert tempfile.gettempdir() == str(private)
        wb.save(tmp)
    assert spooled and all(p.parent == private for p in spooled)
    assert not private.exists() and tempfile.gettempdir() == system_temp
    assert [p.name for p in tmp_path.iterdir()] == ["roster.xlsx"]


def test_private_folder_removed_when_the_write_fails(tmp_path: Path) -> None:
    """An error inside the write removes the private folder and leaves no output."""
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "x.xlsx") as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


# ---- only regular files are read -----------------------------------------------------------


def _finishes(fn: Callable[[], Any], unblock: Path | None = None) -> Any:
    """Run ``fn`` in a thread; it must finish within 20 s (a FIFO read would block forever)."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    thread.start()
    thread.join(20)
    if thread.is_alive() and unblock is not None:
        fd = os.open(unblock, os.O_WRONLY | os.O_NONBLOCK)  # lets the blocked reader go
        os.close(fd)
        thread.join(5)
    assert result, "blocked reading a non-regular file"
    return result[0]


@posix_only
def test_fifo_and_device_are_refused_at_once(tmp_path: Path) -> None:
    """A FIFO, a device and a folder are NotARegularFile, whatever their name."""
    fifo = tmp_path / "in.xlsx"
    os.mkfifo(fifo)
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")

    def attempt(path: Path) -> str:
        try:
            read_regular_file(path)
        except NotARegularFile as exc:
            return exc.en
        return "read"

    assert "FIFO" in _finishes(lambda: attempt(fifo), unblock=fifo)
    assert "character device" in attempt(tmp_path / "zero.xlsx")
    assert "folder" in attempt(tmp_path)


@posix_only
@pytest.mark.parametrize("where", ["workbook", "csv", "rules", "roster"])
def test_cli_refuses_non_regular_inputs(inputs: Path, where: str) -> None:
    """check and verify exit 2 at once, naming the file, for a FIFO as workbook, as a sheet
    of a CSV folder, as rules file or as roster."""
    args: list[object]
    if where == "workbook":
        fifo = inputs / "fifo.xlsx"
        args = ["check", fifo]
    elif where == "csv":
        fifo = inputs / "csv" / "往轮记录.csv"
        args = ["check", inputs / "csv", "--rules", inputs / "rules.toml"]
    elif where == "rules":
        fifo = inputs / "fifo.toml"
        args = ["check", inputs / "in.xlsx", "--rules", fifo]
    else:
        fifo = inputs / "roster.xlsx"
        args = ["verify", inputs / "in.xlsx", fifo, "--rules", inputs / "rules.toml"]
    os.mkfifo(fifo)
    code, text = _finishes(lambda: run_cli(*args), unblock=fifo)
    assert code == 2, text
    assert fifo.name in text and "命名管道" in text
