"""The journal's snapshot read with the standard library's ``sqlite3``: no SQLAlchemy.

Keel's window is ready when Today shows what is due and which flags apply. That needs
one read of the journal (:class:`desktop.core.records.JournalSnapshot`), and importing
SQLAlchemy costs more than everything else on the way (docs/PERFORMANCE.md). So the first
Today is built from this read-only ``sqlite3`` view, through the same record builders as
:func:`db.snapshot.load_snapshot` (:mod:`db.rows`), while SQLAlchemy loads afterwards.

Values are converted by the columns' declared types (``DATETIME``, ``DATE``,
``BOOLEAN``), read from the file itself, so a new column needs no change here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.rows import (
    PROFILE_KEY,
    answers_from_rows,
    assessment_from_row,
    baseline_from_row,
    checkin_from_row,
    custom_prompt_from_row,
    decision_from_row,
    entries_from_rows,
    flag_action_from_row,
    option_from_row,
    profile_from_value,
    snapshot_from_row,
    state_from_row,
    tripwire_from_row,
)
from db.timeutil import STORED_TIME, from_stored, to_db
from desktop.core.records import AssessmentAnswer, Entry, JournalSnapshot, Prompt

ANSWER_COLUMN_NAMES = ("id", "checkin_id", "prompt_id", "answered_at", "kind", "value_text",
                       "value_number", "skipped", "skip_reason")
"""The columns of :data:`db.checkins.ANSWER_COLUMNS`, in order (a test keeps them equal)."""
CHECKIN_COLUMN_NAMES = ("id", "started_at", "completed_at", "adhoc", "reflection")
"""The columns of :data:`db.checkins.CHECKIN_COLUMNS`, in order."""
ASSESSMENT_COLUMN_NAMES = ("option_id", "question_id", "answered_at", "value_text",
                           "value_number")
"""The columns of :data:`db.options.ASSESSMENT_COLUMNS`, in order."""


class StoredRow:
    """One stored row with its columns as attributes, as the ORM objects have them."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _convert_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _convert_bool(value: Any) -> Any:
    return None if value is None else bool(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "DATETIME": from_stored,
    "DATE": _convert_date,
    "BOOLEAN": _convert_bool,
}


class RawReader:
    """Reads stored rows: from its own read-only ``sqlite3`` connection to *database*, or
    from a DB-API *connection* someone else opened (and closes), such as the one under a
    SQLAlchemy session (:func:`reading_connection`)."""

    def __init__(self, database: Path | None = None, connection: Any = None) -> None:
        if connection is not None:
            self.conn, self._owned = connection, False
        else:
            assert database is not None
            from db.opener import connect

            self.conn = connect(database, readonly=True, threads=False)
            self._owned = True
        self._types: dict[str, dict[str, Callable[[Any], Any]]] = {}

    def close(self) -> None:
        if self._owned:
            self.conn.close()

    def _converters(self, table: str) -> dict[str, Callable[[Any], Any]]:
        found = self._types.get(table)
        if found is None:
            found = {}
            for _cid, name, declared, *_rest in self.conn.execute(f'PRAGMA table_info("{table}")'):
                converter = _CONVERTERS.get(str(declared).upper())
                if converter is not None:
                    found[name] = converter
            self._types[table] = found
        return found

    def rows(self, table: str, order_by: str, where: str = "") -> list[StoredRow]:
        """Every row of *table* (``WHERE`` *where*) in *order_by* order, converted."""
        converters = self._converters(table)
        cursor = self.conn.execute(
            f'SELECT * FROM "{table}"{f" WHERE {where}" if where else ""} ORDER BY {order_by}')
        names = [d[0] for d in cursor.description]
        out = []
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            for name, convert in converters.items():
                row[name] = convert(row[name])
            out.append(StoredRow(row))
        return out

    def tuples(self, table: str, columns: tuple[str, ...], order_by: str, where: str = "",
               params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Plain tuples of *columns* (times left as stored text) for the bulk tables."""
        return self.conn.execute(
            f'SELECT {", ".join(columns)} FROM "{table}"{f" WHERE {where}" if where else ""} '
            f"ORDER BY {order_by}", params).fetchall()


def load_snapshot_raw(reader: RawReader, since: datetime | None = None) -> JournalSnapshot:
    """The whole journal as core logic sees it, read in one transaction (the caller's,
    when its connection is already in one). :func:`db.snapshot.load_snapshot` runs this
    on a SQLAlchemy session's connection, so there is one implementation.

    ``since`` limits answers, check-ins and events to those at or after it (flags and
    scheduling look back a few months at most); everything else is always complete.
    """
    cutoff = () if since is None else (_stored(since),)
    conn = reader.conn
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")
    try:
        stored = conn.execute("SELECT value FROM settings WHERE key = ?", (PROFILE_KEY,)).fetchone()
        profile = profile_from_value(None if stored is None else json.loads(stored[0]))
        answers = answers_from_rows(reader.tuples(
            "answers", ANSWER_COLUMN_NAMES, "answered_at, id",
            "answered_at >= ?" if cutoff else "", cutoff))
        checkins = [checkin_from_row(r) for r in reader.tuples(
            "checkins", CHECKIN_COLUMN_NAMES, "started_at DESC, id DESC",
            "started_at >= ?" if cutoff else "", cutoff)]
        versions: dict[int, list[StoredRow]] = {}
        for version in reader.rows("tripwire_versions", "id"):
            versions.setdefault(version.tripwire_id, []).append(version)
        tripwires = reader.rows("tripwires", "created_at, id")
        for tripwire in tripwires:
            tripwire.versions = versions.get(tripwire.id, [])
        events = [(kind, from_stored(when)) for kind, when in reader.tuples(
            "events", ("kind", "occurred_at"), "occurred_at, id",
            "occurred_at >= ?" if cutoff else "", cutoff)]
        return JournalSnapshot(
            profile=profile,
            answers=tuple(answers),
            checkins=tuple(checkins),
            prompt_states=tuple(state_from_row(r)
                                for r in reader.rows("prompt_states", "prompt_id")),
            baselines=tuple(baseline_from_row(r)
                            for r in reader.rows("baseline_versions", "created_at, id")),
            tripwires=tuple(tripwire_from_row(r) for r in tripwires),  # type: ignore[arg-type]
            snapshots=tuple(snapshot_from_row(r)
                            for r in reader.rows("financial_snapshots", "taken_at, id")),
            options=tuple(option_from_row(r)
                          for r in reader.rows("job_options", "updated_at DESC, id DESC")),
            decisions=tuple(decision_from_row(r)
                            for r in reader.rows("decisions", "decided_at DESC, id DESC")),
            flag_actions=tuple(flag_action_from_row(r)
                               for r in reader.rows("flag_actions", "created_at DESC, id DESC")),
            events=tuple(events),  # type: ignore[arg-type]
            assessments=tuple(assessment_from_row(row) for row in reader.tuples(
                "assessment_answers", ASSESSMENT_COLUMN_NAMES, "answered_at, id")),
        )
    finally:
        if own_transaction:
            conn.execute("COMMIT")


def load_due_inputs_raw(reader: RawReader) -> JournalSnapshot:
    """The part of the snapshot that decides what is due (profile, prompt states,
    check-ins, events, decisions): what ``keel remind`` reads, without the answers that
    make up most of a long journal. Feed it to :func:`desktop.due_now.due_from_snapshot`."""
    conn = reader.conn
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")
    try:
        stored = conn.execute("SELECT value FROM settings WHERE key = ?", (PROFILE_KEY,)).fetchone()
        profile = profile_from_value(None if stored is None else json.loads(stored[0]))
        checkins = [checkin_from_row(r) for r in reader.tuples(
            "checkins", CHECKIN_COLUMN_NAMES, "started_at DESC, id DESC",
            "completed_at IS NOT NULL")]
        events = [(kind, from_stored(when)) for kind, when in reader.tuples(
            "events", ("kind", "occurred_at"), "occurred_at, id")]
        return JournalSnapshot(
            profile=profile,
            checkins=tuple(checkins),
            prompt_states=tuple(state_from_row(r)
                                for r in reader.rows("prompt_states", "prompt_id")),
            decisions=tuple(decision_from_row(r)
                            for r in reader.rows("decisions", "decided_at DESC, id DESC")),
            events=tuple(events),  # type: ignore[arg-type]
        )
    finally:
        if own_transaction:
            conn.execute("COMMIT")


def custom_prompts_raw(reader: RawReader, include_archived: bool = False) -> list[Prompt]:
    """The user's own prompts, oldest first; archived ones only when asked (as
    :func:`db.prompts_state.list_custom_prompts`)."""
    where = "" if include_archived else "archived = 0"
    return [custom_prompt_from_row(r)  # type: ignore[arg-type]
            for r in reader.rows("custom_prompts", "created_at", where=where)]


def entries_between_raw(reader: RawReader, start: datetime | None,
                        end: datetime | None) -> list[Entry]:
    """Entries created in [start, end), oldest first (as :func:`db.journal.entries_between`)."""
    clauses, params = [], []
    if start is not None:
        clauses.append("e.created_at >= ?")
        params.append(_stored(start))
    if end is not None:
        clauses.append("e.created_at < ?")
        params.append(_stored(end))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return entries_from_rows(reader.conn.execute(
        "SELECT e.id, e.title, e.body, e.created_at, e.updated_at, "
        "(SELECT group_concat(t.tag, char(31)) FROM entry_tags t WHERE t.entry_id = e.id) "
        f"FROM entries e{where} ORDER BY e.created_at, e.id", params))


def assessment_answers_raw(reader: RawReader) -> dict[int, list[AssessmentAnswer]]:
    """Every option's assessment answers, oldest first, by option id (as
    :func:`db.options.all_assessment_answers`)."""
    grouped: dict[int, list[AssessmentAnswer]] = {}
    for row in reader.tuples("assessment_answers", ASSESSMENT_COLUMN_NAMES, "answered_at, id"):
        grouped.setdefault(row[0], []).append(assessment_from_row(row))
    return grouped


FIRST_DAY_COLUMNS = (("entries", "created_at"), ("checkins", "started_at"),
                     ("job_options", "created_at"), ("baseline_versions", "created_at"),
                     ("decisions", "decided_at"))
"""Where the oldest thing in a journal can be (for an export of "everything")."""


def oldest_time(reader: RawReader) -> datetime | None:
    """The time of the oldest entry, check-in, option, baseline or decision (aware UTC)."""
    found = []
    for table, column in FIRST_DAY_COLUMNS:
        value = reader.conn.execute(f'SELECT min({column}) FROM "{table}"').fetchone()[0]
        if value is not None:
            found.append(from_stored(value))
    return min(found, default=None)  # type: ignore[type-var]


def get_setting(conn: Any, key: str, default: Any = None) -> Any:
    """A stored setting's value (JSON), or *default* (as :func:`db.settings.get_value`)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def set_setting(conn: Any, key: str, value: Any) -> None:
    """Store a setting inside the caller's write transaction (as
    :func:`db.settings.set_value`)."""
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (key, json.dumps(value, ensure_ascii=False)))


def _stored(when: datetime) -> str:
    return to_db(when).strftime(STORED_TIME)  # type: ignore[union-attr]


@contextmanager
def reading_connection(db: Any) -> Iterator[Any]:
    """The DB-API connection under *db* inside one read transaction: a SQLAlchemy
    :class:`db.engine.Database` (plain or SQLCipher) or a :class:`db.raw.RawJournal`.
    Bulk reads written once in SQL serve both."""
    with db.reading() as session:
        yield _driver_connection(db, session)


@contextmanager
def writing_connection(db: Any) -> Iterator[Any]:
    """As :func:`reading_connection`, inside one write transaction (committed on success)."""
    with db.transaction() as session:
        yield _driver_connection(db, session)


def _driver_connection(db: Any, session: Any) -> Any:
    if hasattr(db, "engine"):  # SQLAlchemy: the session's connection, its transaction begun
        return session.connection().connection.driver_connection
    return session.connection  # db.raw.RawSession
