"""One data path (issue 14): the app reads and writes the journal with SQL on
``db.access.Session``; the SQLAlchemy models are the schema's source (migrations, the
import's checks), never a second runtime path. Opening a journal, then every everyday
read and write, must not import the ORM — so start-up does not pay for it either."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path

from db.journal_file import open_database

folder = Path(sys.argv[1])
(folder / "backups").mkdir(parents=True)
db = open_database(folder / "keel.sqlite3", folder / "backups")  # a new journal: migrated
for name in ("sqlalchemy.orm", "db.models"):
    sys.modules.pop(name, None)  # the migration may use them; the runtime below may not
from db import checkins, drafts, journal, options, profile_history, search, settings
from db.checkins import AnswerInput
from desktop.core.records import JobOption
from desktop.today_data import build_today_preview

entry = journal.create_entry(db, "A walk and a think", "Walk", ["a"])
journal.update_entry(db, entry.id, "A long walk", "Walk", ["b"])
checkins.complete_checkin(db, "reflecting",
                          [AnswerInput("drift.values", "text", "fine", None, False, None)],
                          datetime.now(UTC))
option = options.save_option(db, JobOption(id=None, organisation="Lab", role="RE"))
drafts.save_draft(db, "entry:new", {"body": "x"})
profile_history.add_snapshot(db, 1000.0, 100.0, None, None)
settings.set_value(db, "k", 1)
search.search(db, "walk")
journal.delete_entry(db, entry.id)
db.close()
build_today_preview(folder / "keel.sqlite3", folder, datetime.now(UTC), UTC)
print(sorted(n for n in ("sqlalchemy.orm", "db.models") if n in sys.modules))
"""


def test_everyday_reads_and_writes_never_import_the_orm(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]", done.stdout
