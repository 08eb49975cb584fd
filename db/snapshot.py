"""The bulk readers: one read of everything core logic needs, and its parts.

:func:`read_snapshot` runs a dozen plain ``SELECT``s in one read transaction (so the
picture is consistent) and builds the shared records from rows (:mod:`db.rows`), which
keeps a ten-year journal (~520 check-ins, ~8,000 answers) well under a tenth of a
second. Every reader here is written in SQL against :class:`db.access.Session`, so the
app (SQLAlchemy loaded, plain or encrypted), the first Today and ``keel remind`` (plain
``sqlite3``), the export and the import all run the same code.

Values are converted by the columns' declared types (``DATETIME``, ``DATE``,
``BOOLEAN``), read from the file itself, so a new column needs no change here.

Check-ins in the snapshot carry **no nested answers** (``CheckIn.answers`` is empty):
every answer is in ``JournalSnapshot.answers`` once, with its ``checkin_id``.

Standard library only (no SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from db.assessments import read_assessments
from db.events import read_events
from db.flag_actions import read_flag_actions
from db.options import read_decisions, read_options
from db.profile_history import read_baselines, read_money_snapshots, read_tripwires
from db.prompts_state import read_custom_prompts, read_prompt_states  # noqa: F401 - re-exported
from db.rows import (
    answers_from_rows,
    checkin_from_row,
    profile_from_value,
)
from db.settings import PROFILE_KEY, read_value
from db.timeutil import STORED_TIME, from_stored, to_db
from desktop.core.records import (
    Answer,
    CheckIn,
    JournalSnapshot,
)

if TYPE_CHECKING:
    from db.access import Journal, Session

ANSWER_COLUMN_NAMES = ("id", "checkin_id", "prompt_id", "answered_at", "kind", "value_text",
                       "value_number", "skipped", "skip_reason")
"""The columns of :data:`db.checkins.ANSWER_COLUMNS`, in order (a test keeps them equal)."""
CHECKIN_COLUMN_NAMES = ("id", "started_at", "completed_at", "adhoc", "reflection")
"""The columns of :data:`db.checkins.CHECKIN_COLUMNS`, in order."""
TABLES = ("answers", "checkins", "events", "entries")
"""The tables the readers here name (only these may be put into a statement's text)."""


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


class TableReader:
    """Whole rows of one table at a time on a :class:`db.access.Session`, converted by the
    columns' declared types (looked up once per table)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._types: dict[str, dict[str, Callable[[Any], Any]]] = {}

    def _converters(self, table: str) -> dict[str, Callable[[Any], Any]]:
        found = self._types.get(table)
        if found is None:
            found = {}
            for _cid, name, declared, *_rest in self.session.execute(
                    "SELECT * FROM pragma_table_info(?)", (table,)):
                converter = _CONVERTERS.get(str(declared).upper())
                if converter is not None:
                    found[name] = converter
            self._types[table] = found
        return found

    def rows(self, table: str, order_by: str, where: str = "") -> list[Any]:
        """Every row of *table* (``WHERE`` *where*) in *order_by* order, converted: each a
        :class:`StoredRow` (typed ``Any``: its attributes are the table's columns)."""
        assert table in TABLES, table
        converters = self._converters(table)
        result = self.session.execute(
            f'SELECT * FROM "{table}"{f" WHERE {where}" if where else ""} ORDER BY {order_by}')
        names = result.columns()
        out = []
        for values in result:
            row = dict(zip(names, values, strict=True))
            for name, convert in converters.items():
                row[name] = convert(row[name])
            out.append(StoredRow(row))
        return out

    def tuples(self, table: str, columns: tuple[str, ...], order_by: str, where: str = "",
               params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Plain tuples of *columns* (times left as stored text) for the bulk tables."""
        assert table in TABLES, table
        return self.session.execute(
            f'SELECT {", ".join(columns)} FROM "{table}"{f" WHERE {where}" if where else ""} '
            f"ORDER BY {order_by}", params).all()


def _since(column: str, since: datetime | None) -> tuple[str, tuple[Any, ...]]:
    return (f"{column} >= ?", (_stored(since),)) if since is not None else ("", ())


def read_answers(session: Session, since: datetime | None = None,
                 reader: TableReader | None = None) -> list[Answer]:
    """Every answer and skip (answered at or after *since*), oldest first."""
    where, params = _since("answered_at", since)
    return answers_from_rows((reader or TableReader(session)).tuples(
        "answers", ANSWER_COLUMN_NAMES, "answered_at, id", where, params))


def read_checkins(session: Session, since: datetime | None = None,
                  reader: TableReader | None = None) -> list[CheckIn]:
    """Check-ins (started at or after *since*) newest first, without their answers."""
    where, params = _since("started_at", since)
    return [checkin_from_row(r) for r in (reader or TableReader(session)).tuples(
        "checkins", CHECKIN_COLUMN_NAMES, "started_at DESC, id DESC", where, params)]


def read_snapshot(session: Session, since: datetime | None = None) -> JournalSnapshot:
    """The whole journal as core logic sees it, read in the caller's transaction.

    ``since`` limits answers, check-ins and events to those at or after it (flags and
    scheduling look back a few months at most); everything else is always complete.
    """
    reader = TableReader(session)
    return JournalSnapshot(
        profile=profile_from_value(read_value(session, PROFILE_KEY)),
        answers=tuple(read_answers(session, since, reader)),
        checkins=tuple(read_checkins(session, since, reader)),
        prompt_states=tuple(read_prompt_states(session)),
        baselines=tuple(read_baselines(session)),
        tripwires=tuple(read_tripwires(session, True)),
        snapshots=tuple(read_money_snapshots(session)),
        options=tuple(read_options(session)),
        decisions=tuple(read_decisions(session)),
        flag_actions=tuple(read_flag_actions(session)),
        events=tuple(read_events(session, since)),
        assessments=tuple(read_assessments(session)),
    )


def load_snapshot(db: Journal, since: datetime | None = None) -> JournalSnapshot:
    """:func:`read_snapshot` in a read transaction of its own."""
    with db.read() as session:
        return read_snapshot(session, since)


def read_due_inputs(session: Session) -> JournalSnapshot:
    """The part of the snapshot that decides what is due (profile, prompt states,
    completed check-ins, events, decisions), without the answers that make up most of a
    long journal. :func:`desktop.due_now.due_from_snapshot` decides from it."""
    reader = TableReader(session)
    checkins = [checkin_from_row(r) for r in reader.tuples(
        "checkins", CHECKIN_COLUMN_NAMES, "started_at DESC, id DESC",
        "completed_at IS NOT NULL")]
    return JournalSnapshot(
        profile=profile_from_value(read_value(session, PROFILE_KEY)),
        checkins=tuple(checkins),
        prompt_states=tuple(read_prompt_states(session)),
        decisions=tuple(read_decisions(session)),
        events=tuple(read_events(session)),
    )


OLDEST_TIME_SQL = (
    "SELECT min(t) FROM (SELECT min(created_at) AS t FROM entries "
    "UNION ALL SELECT min(started_at) FROM checkins "
    "UNION ALL SELECT min(created_at) FROM job_options "
    "UNION ALL SELECT min(created_at) FROM baseline_versions "
    "UNION ALL SELECT min(decided_at) FROM decisions)")
"""Where the oldest thing in a journal can be (for an export of "everything")."""


def read_oldest_time(session: Session) -> datetime | None:
    """The time of the oldest entry, check-in, option, baseline or decision (aware UTC)."""
    return from_stored(session.execute(OLDEST_TIME_SQL).scalar())


def _stored(when: datetime) -> str:
    return to_db(when).strftime(STORED_TIME)
