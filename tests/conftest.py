"""Shared test set-up: headless Qt, and no test ever touches the user's real journal."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property-based tests: no per-example deadline and no "generation is slow" failure, since
# a busy machine (CI, or a laptop building something) slows every example alike; what a
# property test judges is the property. Under CI the examples are derandomized so a run
# can be repeated exactly; locally each run explores new ones.
settings.register_profile(
    "keel",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=bool(os.environ.get("CI")),
    print_blob=True,
)
settings.load_profile("keel")


@pytest.fixture(autouse=True)
def _unfrozen_heap() -> object:
    """A window that finished start-up freezes the heap (``freeze_start_up_heap``); in the
    one test process that would keep every earlier test's objects out of collection."""
    import gc

    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every per-user folder at a temporary one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("KEEL_DATA_DIR", str(home / "keel-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    # No test reaches the user's own session bus (real notifications on a developer's
    # desktop) or their systemd user manager: the bus tests start a private bus.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))



class FakeSystemctl:
    """A ``systemctl`` first on PATH that records its calls.

    Why not the real one: the test machine (a container) runs no systemd user manager, and
    a test must never change the developer's own. The unit files themselves are checked
    with the real ``systemd-analyze verify`` (tests/unit/test_scheduler_entries.py).
    ``refuse`` makes ``enable`` fail the way systemd does when it rejects a unit.
    """

    def __init__(self, folder: os.PathLike[str] | str) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.log = self.folder / "systemctl.log"
        self.refuse_file = self.folder / "refuse"
        script = self.folder / "systemctl"
        script.write_text(
            "#!/bin/sh\n"
            f'echo "$*" >> "{self.log}"\n'
            'case "$*" in\n'
            f'  *enable*--now*) if [ -f "{self.refuse_file}" ]; then\n'
            '      echo "Failed to enable unit: Unit file keel-remind.timer is masked." >&2; exit 1; fi;;\n'
            '  *is-enabled*) echo enabled;;\n'
            "esac\n"
            "exit 0\n", encoding="utf-8")
        script.chmod(0o755)

    def refuse(self) -> None:
        self.refuse_file.write_text("1", encoding="utf-8")

    @property
    def calls(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []


@pytest.fixture
def fake_systemctl(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> FakeSystemctl:
    folder = tmp_path_factory.mktemp("bin")
    fake = FakeSystemctl(folder)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return fake
