"""R2: kill a real Keel window mid-typing; the restarted app finds the autosaved draft."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.reliability.helpers import PYTHON, ROOT, child_env

RUNS = 3


def _run_and_kill(data_dir: Path) -> tuple[int, int]:
    """Type, wait past autosave, type more, SIGKILL; return (chars typed, tail length)."""
    proc = subprocess.Popen(
        [PYTHON, str(ROOT / "tests" / "reliability" / "_gui_typist.py"), str(data_dir)],
        cwd=ROOT, env=child_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    typed = tail = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("typed "):
                typed = int(line.split()[1])
            elif line.startswith("tail "):
                tail = int(line.split()[1])
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=30)
    assert typed, proc.stderr.read() if proc.stderr else "the child typed nothing"
    return typed + tail, tail


@pytest.mark.slow
def test_draft_survives_sigkill(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    from db import drafts
    from db.journal_file import open_database
    from desktop.paths import Paths

    recovered = 0
    worst_lost = 0
    worst_allowed = 0
    for run in range(RUNS):
        data_dir = tmp_path / f"data{run}"
        typed, tail = _run_and_kill(data_dir)
        paths = Paths(data_dir)
        db = open_database(paths.database, paths.backups)
        try:
            found = drafts.list_drafts(db, prefix="entry:")
        finally:
            db.close()
        body = found[0].payload.get("body", "") if found else ""
        if body:
            recovered += 1
        lost = typed - len(body)
        worst_lost = max(worst_lost, lost)
        worst_allowed = max(worst_allowed, tail)
        assert body and "optimiser work" in body
    figure("R2", "drafts recovered", f"{100 * recovered // RUNS}%", "100%")
    figure("R2", "characters lost (max)", worst_lost,
           f"≤ {worst_allowed} typed since the last autosave")
    assert recovered == RUNS and worst_lost <= worst_allowed
