"""Issue 15, part 7: backups keep working when the clock jumps.

- A backup dated in the future (the clock was once ahead) no longer stops daily backups.
- With the clock behind, ``keel backup`` writes a backup that rotation keeps, and the
  command ends cleanly (before: the new backup was deleted at once, then AttributeError).
- A ``.part`` left by a killed backup is removed by rotation and by ``backup --list``."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from db.backup import list_backups, make_backup
from desktop.ui.backup_scheduler import _backup_if_due
from tests.reliability.helpers import NOW, keel, make_journal


def test_a_future_backup_does_not_stop_daily_backups(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "data", years=0.1)
    make_backup(paths.database, paths.backups, "daily", NOW + timedelta(days=300))
    made = _backup_if_due(paths.database, paths.backups, NOW)
    assert made is not None and made.created_at == NOW
    assert _backup_if_due(paths.database, paths.backups, NOW + timedelta(hours=1)) is None
    assert _backup_if_due(paths.database, paths.backups, NOW + timedelta(days=1, hours=1))


def test_clock_behind_keeps_the_backup_just_written(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "data", years=0.1)
    for month in range(8):  # backups in eight months of 2030: every rotation bucket full
        make_backup(paths.database, paths.backups, "daily",
                    NOW.replace(year=2030, month=1, day=1) + timedelta(days=31 * month))
    made = make_backup(paths.database, paths.backups, "manual", NOW)  # the clock is behind
    assert made is not None and made.path.exists()
    done = keel("backup", data_dir=paths.data_dir)  # the real clock is behind 2030 too
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    written = Path(done.stdout.strip().split(": ", 1)[1])
    assert written.exists()


def test_leftover_part_is_removed_by_rotation_and_list(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "data", years=0.1)
    make_backup(paths.database, paths.backups, "daily", NOW)
    for name in ("keel-manual-20261126T100000000000Z.sqlite3.part",
                 "keel-manual-20261125T100000000000Z.sqlite3.part"):
        part = paths.backups / name
        part.write_bytes(paths.database.read_bytes())
        old = time.time() - 3600
        os.utime(part, (old, old))
    fresh = paths.backups / "keel-manual-20261127T100000000000Z.sqlite3.part"
    fresh.write_bytes(b"being written right now")
    done = keel("backup", "--list", data_dir=paths.data_dir)
    assert done.returncode == 0 and "partial" in done.stdout
    assert sorted(p.name for p in paths.backups.glob("*.part")) == [fresh.name]
    part = paths.backups / "keel-manual-20261124T100000000000Z.sqlite3.part"
    part.write_bytes(b"x")
    os.utime(part, (time.time() - 3600,) * 2)
    make_backup(paths.database, paths.backups, "daily", NOW + timedelta(days=1))
    assert not part.exists() and fresh.exists()
    assert len(list_backups(paths.backups)) == 2
