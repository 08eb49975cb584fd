"""Issue 15, part 6: no journal text in the log or in error messages, on any path.

Each failure mode below is provoked with a canary in the journal text it handles; after
each, the log file and stderr are searched for the canary. Before, the log carried the
driver's "[parameters: …]" and exception messages quoting values."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.reliability.helpers import PYTHON, ROOT, child_env, keel, make_journal

CANARY = "canary-91be-quietharbour"

LOGGING_CHILD = """
import logging, sys
from pathlib import Path
from desktop.paths import Paths, prepare
from desktop.logging_setup import setup_logging
paths = Paths(Path(sys.argv[1])); prepare(paths); setup_logging(paths)
log = logging.getLogger("keel.test")
secret = sys.argv[2]
# 1. an unexpected exception quoting a value, logged with its traceback
try:
    raise ValueError("could not parse " + secret)
except ValueError:
    log.exception("import failed")
# 2. the same passed as an argument
try:
    int(secret)
except ValueError as exc:
    log.error("Today could not be built: %s", exc)
# 3. a database error wrapped by SQLAlchemy, parameters shown by the engine
from sqlalchemy import create_engine, text
engine = create_engine("sqlite://")
with engine.connect() as conn:
    conn.execute(text("CREATE TABLE t (x TEXT UNIQUE)"))
    conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": secret})
    try:
        conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": secret})
    except Exception as exc:
        log.exception("saving failed")
        log.warning("saving failed: %s", exc)
# 4. a chained exception
try:
    try:
        raise KeyError(secret)
    except KeyError as inner:
        raise RuntimeError("wrapped " + secret) from inner
except RuntimeError:
    log.exception("chained")
print("logged")
"""


def _log_text(data_dir: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (data_dir / "logs").glob("keel.log*"))


def test_logged_failures_never_carry_journal_text(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    done = subprocess.run([PYTHON, "-c", LOGGING_CHILD, str(folder), CANARY], cwd=ROOT,
                          env=child_env(folder), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "logged" in done.stdout, done.stderr
    log = _log_text(folder)
    assert "import failed" in log and "ValueError" in log and "IntegrityError" in log
    assert log.count("Traceback") >= 3  # the stack is still there for debugging
    assert CANARY not in log, log
    assert CANARY not in done.stderr


def _write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def journal(tmp_path: Path):  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=0.1)
    conn = sqlite3.connect(paths.database)
    conn.execute("UPDATE entries SET body = body || ? WHERE id = (SELECT min(id) FROM entries)",
                 (CANARY,))
    conn.commit()
    conn.close()
    return paths


def test_failure_modes_on_the_command_line(tmp_path: Path, journal) -> None:  # type: ignore[no-untyped-def]
    entry = {"id": 1, "title": CANARY, "body": CANARY, "created_at": "2026-01-01T10:00:00",
             "updated_at": "2026-01-01T10:00:00", "import_key": None}
    bad = [
        ("import", str(_write(tmp_path / "kind.json", {"format": "keel-journal", "version": 1,
            "tables": {"checkins": [{"id": 1, "started_at": "2026-01-01T10:00:00",
                                     "completed_at": None, "adhoc": False, "reflection": CANARY}],
                       "answers": [{"id": 1, "checkin_id": 1, "prompt_id": CANARY,
                                    "answered_at": "2026-01-01T10:00:00", "kind": CANARY,
                                    "value_text": CANARY, "value_number": None,
                                    "skipped": False, "skip_reason": None}]}})), "--merge"),
        ("import", str(_write(tmp_path / "dup.json", {"format": "keel-journal", "version": 1,
            "tables": {"entries": [entry, entry]}})), "--merge"),
        ("import", str(_write(tmp_path / "date.json", {"format": "keel-journal", "version": 1,
            "tables": {"entries": [{**entry, "created_at": CANARY}]}})), "--merge"),
        ("import", str(_write(tmp_path / "jrnl.json", {"tags": {}, "entries": [
            {"date": CANARY, "title": CANARY, "body": CANARY}]}))),
        ("restore", str(_write(tmp_path / "notes.sqlite3", CANARY))),
        ("search", f'"{CANARY}" AND ('),
    ]
    for args in bad:
        done = keel(*args, data_dir=journal.data_dir)
        assert CANARY not in done.stderr, (args[0], done.stderr)
        assert "Traceback" not in done.stderr, (args[0], done.stderr)
    assert CANARY not in _log_text(journal.data_dir)


del logging
