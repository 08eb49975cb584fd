"""R1: SIGKILL a process saving entries at random moments; every acknowledged save survives."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import PYTHON, ROOT, child_env, entry_rows, make_journal

CYCLES = 200


@pytest.mark.slow
def test_acknowledged_saves_survive_sigkill(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=0.1)
    zygote = subprocess.Popen(
        [PYTHON, str(ROOT / "tests" / "reliability" / "_kill_writer.py"), str(paths.database)],
        cwd=ROOT, env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        bufsize=1)
    rng = random.Random(1)
    acknowledged: dict[int, str] = {}
    integrity_failures = missing = mismatches = 0
    try:
        for cycle in range(CYCLES):
            assert zygote.stdin is not None and zygote.stdout is not None
            zygote.stdin.write(f"go {cycle}\n")
            zygote.stdin.flush()
            pid = None
            lines = []
            deadline = None
            while True:
                line = zygote.stdout.readline()
                assert line, "the writer zygote died"
                if line.startswith("pid ") and pid is None:
                    pid = int(line.split()[1])
                elif line.strip() == "done":
                    break
                else:
                    lines.append(line)
                    if deadline is None:  # the writer is saving: kill it at a random moment
                        assert pid is not None
                        time.sleep(rng.uniform(0.0, 0.06))
                        os.kill(pid, signal.SIGKILL)
                        deadline = time.monotonic()
            assert deadline is not None
            for line in lines:
                ident, digest = line.split()
                acknowledged[int(ident)] = digest
            conn = sqlite3.connect(paths.database)
            try:
                if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    integrity_failures += 1
            finally:
                conn.close()
            if cycle % 20 == 19 or cycle == CYCLES - 1:
                stored = entry_rows(paths.database)
                missing = sum(1 for i in acknowledged if i not in stored)
                mismatches = sum(1 for i, d in acknowledged.items()
                                 if i in stored and stored[i] != d)
    finally:
        if zygote.stdin:
            zygote.stdin.close()
        zygote.wait(timeout=10)
    figure("R1", "kill cycles", CYCLES, "≥200")
    figure("R1", "acknowledged saves", len(acknowledged), ">0")
    figure("R1", "integrity failures", integrity_failures, "0")
    figure("R1", "acknowledged-but-missing", missing, "0")
    figure("R1", "hash mismatches", mismatches, "0")
    assert len(acknowledged) >= CYCLES  # every writer saved before it was killed
    assert (integrity_failures, missing, mismatches) == (0, 0, 0)
