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
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from db.rows import (
    PROFILE_KEY,
    answers_from_rows,
    baseline_from_row,
    checkin_from_row,
    custom_prompt_from_row,
    decision_from_row,
    flag_action_from_row,
    option_from_row,
    profile_from_value,
    snapshot_from_row,
    state_from_row,
    tripwire_from_row,
)
from db.timeutil import from_stored
from desktop.core.records import JournalSnapshot, Prompt

ANSWER_COLUMN_NAMES = ("id", "checkin_id", "prompt_id", "answered_at", "kind", "value_text",
                       "value_number", "skipped", "skip_reason")
"""The columns of :data:`db.checkins.ANSWER_COLUMNS`, in order (a test keeps them equal)."""
CHECKIN_COLUMN_NAMES = ("id", "started_at", "completed_at", "adhoc", "reflection")
"""The columns of :data:`db.checkins.CHECKIN_COLUMNS`, in order."""


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
    """A read-only ``sqlite3`` connection to the journal, reading stored rows."""

    def __init__(self, database: Path) -> None:
        self.conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True,
                                    timeout=5)
        self._types: dict[str, dict[str, Callable[[Any], Any]]] = {}

    def close(self) -> None:
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

    def tuples(self, table: str, columns: tuple[str, ...], order_by: str) -> list[tuple[Any, ...]]:
        """Plain tuples of *columns* (times left as stored text) for the bulk tables."""
        return self.conn.execute(
            f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY {order_by}').fetchall()


def load_snapshot_raw(reader: RawReader) -> JournalSnapshot:
    """What :func:`db.snapshot.load_snapshot` returns, read in one transaction."""
    conn = reader.conn
    conn.execute("BEGIN")
    try:
        stored = conn.execute("SELECT value FROM settings WHERE key = ?", (PROFILE_KEY,)).fetchone()
        profile = profile_from_value(None if stored is None else json.loads(stored[0]))
        answers = answers_from_rows(
            reader.tuples("answers", ANSWER_COLUMN_NAMES, "answered_at, id"))
        checkins = [checkin_from_row(r) for r in reader.tuples(
            "checkins", CHECKIN_COLUMN_NAMES, "started_at DESC, id DESC")]
        versions: dict[int, list[StoredRow]] = {}
        for version in reader.rows("tripwire_versions", "id"):
            versions.setdefault(version.tripwire_id, []).append(version)
        tripwires = reader.rows("tripwires", "created_at, id")
        for tripwire in tripwires:
            tripwire.versions = versions.get(tripwire.id, [])
        events = [(kind, from_stored(when)) for kind, when in reader.tuples(
            "events", ("kind", "occurred_at"), "occurred_at, id")]
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
        )
    finally:
        conn.execute("COMMIT")


def custom_prompts_raw(reader: RawReader) -> list[Prompt]:
    """The user's own prompts that are not archived, oldest first (as
    :func:`db.prompts_state.list_custom_prompts`)."""
    return [custom_prompt_from_row(r)  # type: ignore[arg-type]
            for r in reader.rows("custom_prompts", "created_at", where="archived = 0")]
