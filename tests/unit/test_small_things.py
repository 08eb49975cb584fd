"""Small things a user notices (issue 19): the first install shows progress; ``--demo``
cleans up after itself; the Go shortcuts follow the sidebar."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dev_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("keel_dev", ROOT / "packaging" / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_first_install_is_not_silent() -> None:
    command = _dev_module().pip_install_command("test")
    assert "--quiet" not in command and "-q" not in command
    assert command[command.index("--progress-bar") + 1] == "on"
    assert command[-1].endswith("[test]")


def test_go_shortcuts_follow_the_sidebar_order() -> None:
    from desktop.ui.navigation import PAGES

    numbered = [spec.shortcut for spec in PAGES if re.fullmatch(r"Ctrl\+\d", spec.shortcut)]
    assert numbered == [f"Ctrl+{n}" for n in range(1, len(numbered) + 1)]
    assert [spec.id for spec in PAGES][:3] == ["today", "checkin", "journal"]


def test_demo_removes_its_temporary_folder_on_exit(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path),
               PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "desktop", "--demo", "--startup-report"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(r"Demo journal in (\S+)", result.stderr)
    assert found, result.stderr[-2000:]
    folder = Path(found.group(1))
    assert folder.is_relative_to(tmp_path)
    assert not folder.exists()
    assert not list(tmp_path.glob("keel-demo-*"))
