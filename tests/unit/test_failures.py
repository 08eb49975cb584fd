"""The one error boundary: every failure is one line with the documented exit code, and
the log gets the details without journal text."""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

import pytest

from db.failures import EXIT_CODES, Kind, classify, log_failure


def _sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(("exc", "kind"), [
    (_sqlite_error("database is locked", 5), Kind.BUSY),
    (sqlite3.OperationalError("database is locked"), Kind.BUSY),
    (_sqlite_error("database or disk is full", 13), Kind.DISK_FULL),
    (_sqlite_error("disk I/O error", 4874), Kind.DISK_FULL),
    (_sqlite_error("disk I/O error", 10), Kind.DISK_ERROR),
    (_sqlite_error("attempt to write a readonly database", 8), Kind.READ_ONLY),
    (sqlite3.DatabaseError("file is not a database"), Kind.DAMAGED),
    (sqlite3.DatabaseError("database disk image is malformed"), Kind.DAMAGED),
    (OSError(errno.ENOSPC, "No space left on device"), Kind.DISK_FULL),
    (OSError(errno.EROFS, "Read-only file system"), Kind.READ_ONLY),
    (PermissionError(errno.EACCES, "Permission denied", "/x/keel.sqlite3"), Kind.PERMISSION),
    (KeyError("some private words"), Kind.UNEXPECTED),
])
def test_classify(exc: BaseException, kind: Kind) -> None:
    failure = classify(exc)
    assert failure.kind is kind
    assert "\n" not in failure.message and failure.message
    assert failure.exit_code == EXIT_CODES[kind]
    assert "private words" not in failure.message


def test_sqlalchemy_wrapped_errors_and_hidden_parameters(tmp_path: Path) -> None:
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(tmp_path / "x.sqlite3")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (v TEXT)"))
    engine.dispose()
    holder = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO t VALUES ('x')")
    with pytest.raises(Exception) as caught, engine.connect() as conn:  # noqa: PT011
        conn.exec_driver_sql("PRAGMA busy_timeout=50")
        conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": "very private words"})
    holder.close()
    engine.dispose()
    assert classify(caught.value).kind is Kind.BUSY
    assert "very private words" not in str(caught.value)


def test_user_errors_keep_their_words_and_take_the_code_underneath() -> None:
    from db.backup import BackupError
    from db.crypto import WrongPassphrase
    from db.exclusive import JournalBusy
    from desktop.paths import EmptyDataDir

    try:
        raise BackupError("Keel could not write a backup: the disk is full.") \
            from OSError(errno.ENOSPC, "No space left on device")
    except BackupError as exc:
        failure = classify(exc)
    assert failure.kind is Kind.DISK_FULL and failure.message.startswith("Keel could not")
    try:
        raise WrongPassphrase("That passphrase does not open this journal.") \
            from sqlite3.DatabaseError("file is not a database")
    except WrongPassphrase as exc:
        assert classify(exc).kind is Kind.USER
    assert classify(JournalBusy("busy")).kind is Kind.BUSY
    assert classify(EmptyDataDir("empty")).exit_code == 2


def test_the_log_gets_no_journal_text(caplog: pytest.LogCaptureFixture) -> None:
    def fail() -> None:
        words = ["my", "secret", "journal", "sentence"]
        raise ValueError(" ".join(words))  # built, so the stack's source line lacks it

    with caplog.at_level(logging.ERROR):
        try:
            fail()
        except ValueError as exc:
            log_failure("saving", exc)
    assert "secret journal sentence" not in caplog.text
    assert "ValueError" in caplog.text and "in fail" in caplog.text
