"""`keel autostart on|off|status`: the XDG entry written, validated, reported and removed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import EXIT_ERROR, EXIT_OK, main
from desktop.core.autostart import APP_ID

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="the XDG writer is used on Linux and BSD"
)


def _entry() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / f"{APP_ID}.desktop"


def test_on_writes_a_valid_entry_that_starts_keel_in_the_tray(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["autostart", "on"]) == EXIT_OK
    entry = _entry()
    assert entry.is_file()
    assert str(entry) in capsys.readouterr().out
    text = entry.read_text(encoding="utf-8")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith("--background")
    tool = shutil.which("desktop-file-validate")
    if tool is not None:
        result = subprocess.run([tool, str(entry)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_status_follows_on_and_off(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["autostart", "status"]) == EXIT_OK
    assert "Start at login: off" in capsys.readouterr().out
    main(["autostart", "on"])
    capsys.readouterr()
    assert main(["autostart", "status"]) == EXIT_OK
    assert "Start at login: on" in capsys.readouterr().out
    assert main(["autostart", "off"]) == EXIT_OK
    assert "no longer start at login" in capsys.readouterr().out
    assert main(["autostart", "status"]) == EXIT_OK
    assert "Start at login: off" in capsys.readouterr().out


def test_off_removes_exactly_what_on_wrote(capsys: pytest.CaptureFixture[str]) -> None:
    autostart_dir = _entry().parent
    autostart_dir.mkdir(parents=True)
    neighbour = autostart_dir / "other-app.desktop"
    neighbour.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    main(["autostart", "on"])
    assert main(["autostart", "off"]) == EXIT_OK
    assert not _entry().exists()
    assert sorted(p.name for p in autostart_dir.iterdir()) == ["other-app.desktop"]
    assert main(["autostart", "off"]) == EXIT_OK
    assert "was not set to start at login" in capsys.readouterr().out


def test_off_removes_the_folder_it_created() -> None:
    main(["autostart", "on"])
    main(["autostart", "off"])
    assert not _entry().parent.exists()


def test_an_entry_keel_did_not_write_is_left_alone(capsys: pytest.CaptureFixture[str]) -> None:
    entry = _entry()
    entry.parent.mkdir(parents=True)
    foreign = "[Desktop Entry]\nType=Application\nName=Mine\nExec=/usr/bin/keel --my-flags\n"
    entry.write_text(foreign)
    assert main(["autostart", "on"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("keel: ") and "not written by Keel" in err
    assert "Traceback" not in err
    assert main(["autostart", "off"]) == EXIT_OK
    assert entry.read_text() == foreign
