"""R10: a second Keel raises the first and writes nothing; a kill -9 leaves a lock the next
start takes over."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import PYTHON, ROOT, child_env, file_sha, keel


def _wait_for_first(proc: subprocess.Popen, data_dir: Path) -> None:
    from desktop.paths import Paths

    socket = Path(tempfile.gettempdir()) / Paths(data_dir.absolute()).instance_key
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the first Keel exited"
        if socket.exists():  # its single-instance server listens: the window is up
            time.sleep(0.5)
            return
        time.sleep(0.1)
    raise AssertionError("the first Keel did not start")


@pytest.mark.slow
def test_second_instance_then_stale_lock(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "data"
    first = subprocess.Popen([PYTHON, "-m", "desktop", "--data-dir", str(data_dir)], cwd=ROOT,
                             env=child_env(data_dir), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        _wait_for_first(first, data_dir)
        before = file_sha(data_dir / "keel.sqlite3")
        started = time.perf_counter()
        second = keel(data_dir=data_dir, timeout=30)
        seconds = time.perf_counter() - started
        raised = second.returncode == 0 and "raised" in second.stderr
        writes = 0 if file_sha(data_dir / "keel.sqlite3") == before else 1
        figure("R10", "writes by the second instance", writes, "0")
        figure("R10", "first window raised", "yes" if raised else "no", "yes")
        figure("R10", "second instance exit seconds", f"{seconds:.2f}", "")
        assert raised, second.stderr
        assert writes == 0
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    assert (data_dir / "keel.lock").exists()  # left behind by the killed process
    third = keel("--startup-report", data_dir=data_dir, timeout=60)
    recovered = third.returncode == 0 and "ready" in third.stdout
    figure("R10", "stale lock recovered", "yes" if recovered else "no", "yes")
    assert recovered, third.stdout + third.stderr
