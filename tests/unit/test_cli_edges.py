"""Issue 15: numbers and dates at the edges on the command line end in one line, never a
traceback (each crashed before)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [
    ["search", "x", "--limit", "99999999999999999999"],
    ["search", "x", "--limit", "0"],
    ["demo", "--years", "nan"],
    ["demo", "--years", "inf"],
    ["export", "--from", "0001-01-01", "--format", "md", "-o", "out.md"],
    ["export", "--to", "9999-12-31", "--format", "md", "-o", "out.md"],
])
def test_edge_arguments_give_one_line(tmp_path: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "d"),
                           *args], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode not in (0,), done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("keel"), done.stderr


@pytest.mark.parametrize("argv", [
    ["bogus"],
    ["demo", "--years", "x"],
    ["export", "--format", "x", "-o", "out.md"],
    ["export"],
    ["--data-dir"],
    ["check", "--nope"],
    ["autostart", "maybe"],
    ["search"],
    ["search", "x", "--limit", "ten"],
    ["--no-such-flag"],
])
def test_usage_errors_are_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's usage block plus error (two or more lines) became one line, exit 2."""
    from desktop.cli import EXIT_USAGE, main

    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == EXIT_USAGE == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("keel") and "usage:" not in err and "--help" in lines[0]


def test_help_still_prints_the_usage(capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    for argv, head in ((["--help"], "usage: keel"), (["demo", "--help"], "usage: keel demo")):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 0
        assert capsys.readouterr().out.startswith(head)


@pytest.mark.parametrize("args", [
    [b"search", b"x", b"--tag", b"\xff\xfe"],  # was exit 70, "unexpected problem"
    [b"search", b"caf\xe9"],
    [b"write", b"ab\xffc"],
    [b"write", b"hello", b"--title", b"\x80"],
    [b"export", b"--format", b"md", b"-o", b"out.md", b"--redact-people", b"\xff"],
])
def test_text_arguments_that_are_not_utf8_give_one_line(tmp_path: Path, args: list[bytes]) -> None:
    import os

    done = subprocess.run([sys.executable.encode(), b"-m", b"desktop", b"--data-dir",
                           os.fsencode(tmp_path / "d"), *args], cwd=tmp_path,
                          capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and "not UTF-8" in err, err


def test_a_file_name_that_is_not_utf8_still_works(tmp_path: Path) -> None:
    import os

    folder = os.fsencode(tmp_path) + b"/data \xff\xfe #?%"
    done = subprocess.run([sys.executable.encode(), b"-m", b"desktop", b"--data-dir", folder,
                           b"write", b"hello"], cwd=tmp_path, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert os.path.isfile(folder + b"/keel.sqlite3")
