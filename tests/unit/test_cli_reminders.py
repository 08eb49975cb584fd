"""`keel reminders on|off|status`: the scheduler entry installed, refused, reported, removed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from desktop.cli import EXIT_ERROR, EXIT_OK, main
from desktop.platform.reminder_files import write_last_run

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                                reason="the systemd timer is the Linux entry")


def _units() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"


def test_on_status_off(fake_systemctl, tmp_path: Path,  # type: ignore[no-untyped-def]
                       capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "Keel journal #1"
    assert main(["--data-dir", str(data), "reminders", "on"]) == EXIT_OK
    said = capsys.readouterr().out
    assert "while Keel is closed" in said and "keel-remind.timer" in said
    service = (_units() / "keel-remind.service").read_text(encoding="utf-8")
    assert f'--data-dir "{data}" remind' in service
    assert fake_systemctl.calls[:2] == ["--user daemon-reload",
                                         "--user enable --now keel-remind.timer"]

    write_last_run(data, __import__("datetime").datetime.now().astimezone(),
                   "reminded about 3 due questions", True)
    assert main(["--data-dir", str(data), "reminders", "status"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Reminders while Keel is closed: on"
    assert "installed and enabled" in out
    assert "reminded about 3 due questions (worked)" in out
    assert "Start at login: off" in out

    assert main(["reminders", "off"]) == EXIT_OK
    assert "removed" in capsys.readouterr().out
    assert not (_units() / "keel-remind.timer").exists()
    assert "--user disable --now keel-remind.timer" in fake_systemctl.calls
    assert main(["reminders", "status"]) == EXIT_OK
    assert "Reminders while Keel is closed: off" in capsys.readouterr().out
    assert main(["reminders", "off"]) == EXIT_OK
    assert "were not on" in capsys.readouterr().out


def test_a_scheduler_that_refuses_leaves_nothing_installed(
        fake_systemctl, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    fake_systemctl.refuse()
    assert main(["reminders", "on"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "systemd did not take the reminder timer" in err and "masked" in err
    assert not (_units() / "keel-remind.timer").exists()
    assert not (_units() / "keel-remind.service").exists()
    assert main(["reminders", "status"]) == EXIT_OK
    assert "Reminders while Keel is closed: off" in capsys.readouterr().out


def test_without_systemctl_it_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no systemctl at all
    assert main(["reminders", "on"]) == EXIT_ERROR
    assert "systemctl was not found" in capsys.readouterr().err


def test_a_unit_keel_did_not_write_is_left_alone(
        fake_systemctl, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    _units().mkdir(parents=True)
    mine = _units() / "keel-remind.timer"
    mine.write_text("[Timer]\nOnCalendar=daily\n", encoding="utf-8")
    assert main(["reminders", "on"]) == EXIT_ERROR
    assert "not written by Keel" in capsys.readouterr().err
    assert main(["reminders", "off"]) == EXIT_OK
    assert mine.read_text(encoding="utf-8") == "[Timer]\nOnCalendar=daily\n"
    assert main(["reminders", "status"]) == EXIT_OK
    assert "not written by Keel" in capsys.readouterr().out
