"""A private D-Bus session bus, and the test notification server on it, for the tests.

``dbus-daemon --session`` is started with a configuration that lists no service folders,
so nothing is auto-started on it (a test without a notification server really has none).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def need_dbus() -> str:
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed (Debian package dbus; .ci/run installs it)")
    try:
        import jeepney  # noqa: F401
    except ImportError:
        pytest.skip("jeepney is not installed (a Keel dependency on Linux)")
    return daemon


@contextmanager
def private_bus() -> Iterator[str]:
    """Start a private session bus; yields its address."""
    daemon = need_dbus()
    folder = Path(tempfile.mkdtemp(prefix="keel-bus-"))
    config = folder / "session.conf"
    config.write_text(BUS_CONFIG.format(tmp=folder), encoding="utf-8")
    proc = subprocess.Popen([daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        assert address.startswith("unix:"), address
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


class NotificationServer:
    """The test server (``tests/fake_notification_server.py``) in its own process."""

    def __init__(self, address: str) -> None:
        root = Path(__file__).resolve().parent.parent
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address,
               "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(
            [sys.executable, str(root / "tests" / "fake_notification_server.py"), address],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self._lines: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        ready = self._lines.get(timeout=20)
        assert ready == {"ready": True}, ready

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(json.loads(line))

    def next_call(self, timeout: float = 20) -> dict[str, Any]:
        """The next call the server received (waits for it)."""
        return self._lines.get(timeout=timeout)

    def calls_so_far(self) -> list[dict[str, Any]]:
        out = []
        while not self._lines.empty():
            out.append(self._lines.get_nowait())
        return out

    def invoke(self, notification_id: int, key: str) -> None:
        """Act as a click on the action ``key``."""
        self._send(f"invoke {notification_id} {key}")

    def close(self, notification_id: int, reason: int = 2) -> None:
        self._send(f"close {notification_id} {reason}")

    def _send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@contextmanager
def notification_server(address: str) -> Iterator[NotificationServer]:
    server = NotificationServer(address)
    try:
        yield server
    finally:
        server.stop()


def wait_for(predicate: Any, timeout: float = 20.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
