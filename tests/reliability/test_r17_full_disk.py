"""R17: a full disk (a 2 MB tmpfs) during save, backup and migration — the user is told,
nothing is silently lost, the typed text stays."""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.backup import BackupError, integrity_errors, make_backup
from tests.reliability.helpers import ROOT, fill_disk, make_journal, small_tmpfs


@pytest.fixture
def small_disk() -> Iterator[Path]:
    with small_tmpfs("2m") as mount:
        yield mount


def test_full_disk_save_backup_migration(small_disk: Path, qtbot, caplog, figure) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from db.journal import count_entries
    from desktop.context import AppContext
    from desktop.ui.application import create_application
    from desktop.ui.main_window import MainWindow

    silent = 0
    paths = make_journal(small_disk / "data", years=0.05)
    create_application()
    context = AppContext(paths)
    context.open()
    window = MainWindow(context, settings=QSettings(str(small_disk / "w.ini"),
                                                    QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.journal_opened()
    window.show_page("journal")
    page = window.pages["journal"]
    page.new_entry()
    before = count_entries(context.db)
    text = "Words typed while the disk is full. " * 40
    page.editor.body_edit.setPlainText(text)
    filler = fill_disk(small_disk)
    with caplog.at_level(logging.WARNING):
        page.save_entry()
    told = any("error shown to user" in r.getMessage() and "disk is full" in r.getMessage()
               for r in caplog.records)
    kept = page.editor.body_edit.toPlainText() == text
    saved = count_entries(context.db) > before
    silent += 0 if (saved or (told and kept)) else 1
    figure("R17", "save on a full disk: told / text kept",
           f"{'yes' if told else 'no'} / {'yes' if kept else 'no'}", "yes / yes")

    # Backup on the full disk: a clear error, no partial file.
    with pytest.raises(BackupError):
        make_backup(paths.database, paths.backups, "manual")
    partial = list(paths.backups.glob("*.part*"))
    silent += len(partial)
    figure("R17", "backup on a full disk: partial files", len(partial), "0")

    filler.unlink()
    page.save_entry()
    assert count_entries(context.db) == before + 1  # the text was saved once space returned
    window.close()
    context.close()
    assert not integrity_errors(paths.database)

    # Migration on a full disk: refused cleanly, the old journal still opens.
    from db.schema import SchemaState, migrate, state
    from desktop.paths import Paths, prepare

    old = Paths(small_disk / "old")
    prepare(old)
    src = sqlite3.connect(ROOT / "tests" / "fixtures" / "db" / "rev0001.sqlite3")
    dst = sqlite3.connect(old.database)
    src.backup(dst)
    dst.close()
    src.close()
    (paths.data_dir / "keel.sqlite3").unlink()  # make room for the fixture, then fill again
    filler = fill_disk(small_disk)
    try:
        migrate(old.database, old.backups)
        migrated = True
    except (BackupError, OSError, sqlite3.Error) as exc:
        migrated = False
        assert str(exc)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy wraps the disk-full error
        migrated = False
        assert "full" in str(exc).lower() or getattr(exc, "orig", None) is not None
    filler.unlink()
    intact = state(old.database) in (SchemaState.BEHIND, SchemaState.CURRENT) and \
        not integrity_errors(old.database)
    silent += 0 if intact else 1
    figure("R17", "migration on a full disk: journal intact",
           "yes" if intact else "no", "yes")
    figure("R17", "migration on a full disk: migrated anyway", "yes" if migrated else "no", "")
    figure("R17", "silent losses", silent, "0")
    assert told and kept and silent == 0
    assert errno.ENOSPC  # (documented: the errors above are ENOSPC)
