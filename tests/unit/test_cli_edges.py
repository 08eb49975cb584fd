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
