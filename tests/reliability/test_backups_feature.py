"""Backups as the user meets them: rotation, `keel backup/check/restore`, the Settings list."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from db.backup import BackupInfo, keep_set, list_backups, make_backup
from desktop.cli import main
from tests.reliability.helpers import NOW, entry_rows, make_journal


def test_rotation_keeps_7_daily_4_weekly_6_monthly_and_5_pre_migration() -> None:
    daily = [BackupInfo(Path(f"d{i}"), "daily", NOW - timedelta(days=i), 1) for i in range(400)]
    pre = [BackupInfo(Path(f"p{i}"), "pre-migration", NOW - timedelta(days=i), 1)
           for i in range(9)]
    kept = keep_set(daily + pre)
    kept_daily = sorted(int(p.name[1:]) for p in kept if p.name.startswith("d"))
    assert kept_daily[:7] == list(range(7))  # the last 7 days
    assert len(kept_daily) <= 7 + 4 + 6 and max(kept_daily) >= 150  # months reach back
    assert sorted(p.name for p in kept if p.name.startswith("p")) == [f"p{i}" for i in range(5)]


def test_cli_backup_check_restore(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=0.2)
    d = str(paths.data_dir)
    assert main(["--data-dir", d, "backup"]) == 0
    backup = list_backups(paths.backups)[0]
    assert os.stat(backup.path).st_mode & 0o777 == 0o600
    assert os.stat(paths.backups).st_mode & 0o777 == 0o700
    wanted = entry_rows(backup.path)
    assert main(["--data-dir", d, "write", "written after the backup"]) == 0
    assert main(["--data-dir", d, "check"]) == 0
    assert "Sound" in capsys.readouterr().out

    # A live Keel holding the lock: restore refuses and changes nothing.
    paths.lock_file.write_text(f"{os.getppid()}\nkeel\nhost\n")
    assert main(["--data-dir", d, "restore", str(backup.path)]) == 1
    assert "running" in capsys.readouterr().err
    paths.lock_file.write_text("999999999\nkeel\nhost\n")  # stale: its process is gone
    assert main(["--data-dir", d, "restore", str(backup.path)]) == 0
    assert entry_rows(paths.database) == wanted
    assert any(b.kind == "pre-restore" for b in list_backups(paths.backups))

    with open(paths.database, "r+b") as handle:  # damage the header
        handle.write(b"XXXX")
    assert main(["--data-dir", d, "check"]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("Damaged")


def test_backups_model_and_section(tmp_path: Path, qtbot, qtmodeltester, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from desktop.context import AppContext
    from desktop.ui.application import create_application
    from desktop.ui.settings.backups_section import BackupsSection, BackupTableModel
    from desktop.ui.widgets.confirm import Confirm

    paths = make_journal(tmp_path / "data", years=0.2)
    first = make_backup(paths.database, paths.backups, "daily", NOW - timedelta(days=1))
    make_backup(paths.database, paths.backups, "pre-migration", NOW)

    model = BackupTableModel()
    model.set_backups(list_backups(paths.backups))
    assert model.rowCount() == 2 and model.columnCount() == 3
    assert model.data(model.index(0, 1)) == "Before an update"
    assert model.data(model.index(1, 1)) == "Automatic"
    assert model.data(model.index(1, 2)).endswith("KB")
    qtmodeltester.check(model)

    create_application()
    context = AppContext(paths)
    context.open()
    section = BackupsSection(context)
    qtbot.addWidget(section)
    section.show()
    section.journal_opened()
    assert section.model.rowCount() == 2
    qtbot.mouseClick(section.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.model.rowCount() == 3, timeout=5000)
    # The folder's size is shown beside the journal's (issue 20).
    from db.backup import folder_size
    from desktop.core.sizes import human_size

    qtbot.waitUntil(lambda: "3 backups" in section.folder_label.text(), timeout=5000)
    assert human_size(folder_size(paths.backups)) in section.folder_label.text()
    journal = human_size(paths.database.stat().st_size)
    assert f"× the journal ({journal}); kept within 3 ×" in section.folder_label.text()

    from db.journal import count_entries, create_entry

    at_backup = count_entries(context.db)
    create_entry(context.db, "after the backup")
    row = next(r for r in range(section.proxy.rowCount())
               if section.model.backup_at(section.proxy.mapToSource(
                   section.proxy.index(r, 0)).row()).path == first.path)
    section.view.selectRow(row)
    asked: list[str] = []
    monkeypatch.setattr(Confirm, "ask", classmethod(
        lambda cls, parent, title, text, **kw: asked.append(text) or True))
    qtbot.mouseClick(section.restore_button, Qt.MouseButton.LeftButton)
    assert asked and "backs up the journal as it is now" in asked[0]
    assert count_entries(context.db) == at_backup
    assert any(b.kind == "pre-restore" for b in list_backups(paths.backups))
    context.close()
