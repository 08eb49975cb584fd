"""The command line: --version, write from an argument and from stdin, demo, clear failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import desktop


def keel(*args: str, data_dir: Path | None = None, stdin: str | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "desktop"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*cmd, *args], input=stdin, capture_output=True, text=True,
                          env=full_env, timeout=120)


def entries(data_dir: Path):  # type: ignore[no-untyped-def]
    from db import journal
    from db.journal_file import open_database

    database = open_database(data_dir / "keel.sqlite3")
    try:
        return journal.list_entries(database)
    finally:
        database.close()


def test_version() -> None:
    result = keel("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Keel {desktop.__version__}"


def test_write_from_argument_commits_the_entry(tmp_path: Path) -> None:
    result = keel("write", "Spoke up in the design review.", "--tag", "conscience",
                  "--tag", "work", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    stored = entries(tmp_path)
    assert [e.body for e in stored] == ["Spoke up in the design review."]
    assert stored[0].tags == ("conscience", "work")


def test_write_from_stdin(tmp_path: Path) -> None:
    text = "Line one\n\nLine two with émoji 🧭\n"
    result = keel("write", "--title", "From a pipe", data_dir=tmp_path, stdin=text)
    assert result.returncode == 0, result.stderr
    stored = entries(tmp_path)
    assert stored[0].body == text and stored[0].title == "From a pipe"


def test_write_refuses_an_empty_entry(tmp_path: Path) -> None:
    result = keel("write", data_dir=tmp_path, stdin="   \n")
    assert result.returncode == 1
    assert result.stderr.startswith("keel: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unwritable_data_dir_is_a_one_line_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        blocker = tmp_path / "file-not-folder"
        blocker.write_text("x")
        target = blocker / "journal"
    else:
        target = tmp_path / "ro"
        target.mkdir(mode=0o500)
    result = keel("write", "hello", data_dir=target)
    assert result.returncode == 1
    assert "cannot write to its data folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_newer_journal_is_refused_by_the_cli(tmp_path: Path) -> None:
    import sqlite3

    assert keel("write", "first", data_dir=tmp_path).returncode == 0
    conn = sqlite3.connect(tmp_path / "keel.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num='zzzz'")
    conn.commit()
    conn.close()
    result = keel("write", "second", data_dir=tmp_path)
    assert result.returncode == 1
    assert "newer version of Keel" in result.stderr


def test_demo_fills_an_empty_journal_and_refuses_a_full_one(tmp_path: Path) -> None:
    result = keel("demo", "--years", "1", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    count = len(entries(tmp_path))
    assert count > 20
    again = keel("demo", "--years", "1", data_dir=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    assert len(entries(tmp_path)) == count
    forced = keel("demo", "--years", "1", "--force", data_dir=tmp_path)
    assert forced.returncode == 0


@pytest.mark.parametrize("years", ["0", "-1", "abc"])
def test_demo_rejects_bad_years(tmp_path: Path, years: str) -> None:
    result = keel("demo", "--years", years, data_dir=tmp_path)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr


def test_write_and_search_skip_sqlalchemy_on_a_current_journal(tmp_path: Path) -> None:
    """The short commands take the plain-sqlite3 path (docs/PERFORMANCE.md), and what they
    write reads back through the ORM exactly, tags and search index included."""
    assert keel("write", "first, through the full path", data_dir=tmp_path).returncode == 0
    probe = ("import sys, runpy\nsys.argv = ['keel', '--data-dir', sys.argv[1]] + sys.argv[2:]\n"
             "try:\n    runpy.run_module('desktop', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'PLAIN')\n")
    for args in (["write", "Quick note about the vesting cliff", "--tag", "Money"],
                 ["search", "vesting"]):
        out = subprocess.run([sys.executable, "-c", probe, str(tmp_path), *args],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip().endswith("PLAIN"), out.stdout
    stored = entries(tmp_path)
    assert stored[0].body == "Quick note about the vesting cliff" and stored[0].tags == ("money",)
    assert stored[0].created_at.tzinfo is not None
    found = keel("search", "cliff", data_dir=tmp_path)
    assert found.returncode == 0 and "vesting" in found.stdout


@pytest.mark.parametrize("argv", [
    [], ["--data-dir", "/tmp/x"], ["--data-dir=/tmp/x"], ["--demo"], ["--background"],
    ["--startup-report", "--data-dir", "d"], ["--page", "checkin"], ["--page=journal", "--demo"],
    ["--data-dir", "a", "--data-dir", "b"],
])
def test_the_quick_window_launch_reads_arguments_as_the_full_parser(argv: list[str]) -> None:
    # A plain launch skips building the parser (it imports every subcommand module);
    # whatever it reads must be what the parser would read.
    from desktop.cli import _gui_arguments, build_parser

    quick = _gui_arguments(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [
    ["write", "x"], ["--help"], ["--version"], ["--data"], ["--data-dir"], ["--demo", "extra"],
    ["--page"], ["-h"],
])
def test_anything_else_goes_through_the_full_parser(argv: list[str]) -> None:
    from desktop.cli import _gui_arguments

    assert _gui_arguments(argv) is None
