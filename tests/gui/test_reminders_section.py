"""Settings ▸ Reminders: the switch for reminders while Keel is closed, and start at login."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.context import AppContext
from desktop.paths import Paths
from desktop.ui.application import create_application
from desktop.ui.settings.reminders_section import RemindersSection


@pytest.fixture
def section(qtbot, data_dir: Path) -> RemindersSection:  # type: ignore[no-untyped-def]
    create_application()
    context = AppContext(Paths(data_dir))
    context.open()
    made = RemindersSection(context)
    qtbot.addWidget(made)
    made.journal_opened()
    yield made
    context.close()


def _timer() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user" / "keel-remind.timer"


def test_the_switch_installs_and_removes_the_timer(
        section: RemindersSection, fake_systemctl, data_dir: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert not section.closed_box.isChecked()
    assert "never asks for your passphrase" in section.closed_note.text()
    said: list[str] = []
    section.status_message.connect(said.append)
    section.closed_box.setChecked(True)
    qtbot.waitUntil(section.closed_box.isEnabled, timeout=10_000)  # done off the UI thread
    assert _timer().is_file()
    service = _timer().with_suffix(".service").read_text(encoding="utf-8")
    assert str(data_dir) in service
    assert section.closed_box.isChecked()
    assert "keel-remind.timer is installed" in section.closed_note.text()
    assert said and "while Keel is closed" in said[-1]

    section.closed_box.setChecked(False)
    qtbot.waitUntil(section.closed_box.isEnabled, timeout=10_000)
    assert not _timer().exists()
    assert not section.closed_box.isChecked()


def test_a_refusal_is_said_under_the_switch_and_nothing_stays_installed(
        section: RemindersSection, fake_systemctl, qtbot) -> None:  # type: ignore[no-untyped-def]
    fake_systemctl.refuse()
    section.closed_box.setChecked(True)
    qtbot.waitUntil(section.closed_box.isEnabled, timeout=10_000)
    assert not section.closed_box.isChecked()
    assert "Could not change it: systemd did not take" in section.closed_note.text()
    assert not _timer().exists()


def test_start_at_login_is_described_as_optional(section: RemindersSection) -> None:
    assert "Optional" in section.autostart_note.text()
    assert section.autostart_box.text().endswith("(hidden in the tray)")


def test_showing_the_section_runs_no_scheduler_tool(
        section: RemindersSection, fake_systemctl, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Refreshes happen on the UI thread (every settings change): files are read, systemctl
    is not run."""
    from desktop.core.changes import Change

    section.closed_box.setChecked(True)
    qtbot.waitUntil(section.closed_box.isEnabled, timeout=10_000)
    before = len(fake_systemctl.calls)
    section.refresh(Change.REMINDERS)
    section.journal_opened()
    assert len(fake_systemctl.calls) == before
    assert section.closed_box.isChecked()
