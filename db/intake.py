"""The one check on everything that enters the journal: Keel JSON, jrnl and Day One
imports, and restored backups.

Three layers, all ending in ONE line (:class:`Refused`) and never a traceback:

1. **Reading** (:func:`parse_json`): limits on size, nesting depth and digits per number;
   ``NaN``/``Infinity`` refused.
2. **Rows** (:func:`check_tables`): every value converted by its column's type, in the
   range SQLite and Python hold (whole numbers within ±2**53-1, finite floats, dates and
   times within :data:`FIRST_DAY`–:data:`LAST_DAY` so every time zone can show them),
   text storable as UTF-8, enums (answer kinds, cadences, option fields), JSON kept in
   text columns (settings, the profile, own prompts' specs, decision alternatives, drafts),
   no duplicate keys, and every reference resolved **inside the same file** (a merge
   never attaches a row to one of the user's own rows by a coincidence of ids).
3. **Use** (:func:`prove_usable`): the written rows, before the transaction commits,
   are read back the way ``keel due``, ``keel export`` and Today read them. Anything
   that would break them is refused and rolled back.

The limits are Keel's own choices, documented in docs/JSON_FORMAT.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from db.access import SqlSession
from desktop.core.errors import UserError

MAX_FILE_BYTES = 512 * 1024 * 1024
"""An import file larger than this is refused before it is read (Keel's limit)."""
MAX_DEPTH = 64
"""JSON nested deeper than this is refused (a Keel export is 4 levels deep)."""
MAX_DIGITS = 20
"""Digits in one JSON number (2**63 has 19)."""
MAX_INT = 2**53 - 1
"""Whole numbers (ids, scores) within ±this: exact in JSON readers and in SQLite."""
MAX_FLOAT = 1e15
"""Amounts and scores within ±this."""
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""Dates and times Keel accepts (Keel's range): far enough from year 1 and 9999 that
any time-zone offset and any schedule arithmetic stays representable."""
MAX_TEXT = 5_000_000


class Refused(UserError, ValueError):
    """Something Keel will not take into the journal; the message is one line and names
    the file, key or row at fault, never its text."""


def fail(where: str, problem: str) -> Refused:
    return Refused(f"{where}: {problem}. Nothing was imported.")


# --------------------------------------------------------------------------- reading


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Refused(f"a number has more than {MAX_DIGITS} digits")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > 64:
        raise Refused("a number is written with more than 64 characters")
    value = float(text)
    if not math.isfinite(value):
        raise Refused("a number is too large")
    return value


def _parse_constant(name: str) -> Any:
    raise Refused(f"{name} is not a number Keel accepts")


def _depth_ok(text: str) -> bool:
    """Whether brackets (outside strings) nest at most MAX_DEPTH deep: a linear scan run
    before the parser, so a 100,000-deep file never reaches Python's recursion limit."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


def parse_json(text: str, name: str) -> Any:
    """Parse import text under Keel's limits; :class:`Refused` (one line) otherwise."""
    if len(text) > MAX_FILE_BYTES:
        raise Refused(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MiB. Nothing was imported.")
    if ("[" * 8 in text or "{" * 8 in text or text.count("[") + text.count("{") > MAX_DEPTH) \
            and not _depth_ok(text):
        raise Refused(f"{name} is nested more than {MAX_DEPTH} levels deep. Nothing was imported.")
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_parse_constant)
    except Refused as exc:
        raise Refused(f"{name}: {exc}. Nothing was imported.") from None
    except json.JSONDecodeError as exc:
        raise Refused(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
            "Nothing was imported.") from None
    except (RecursionError, ValueError, MemoryError) as exc:
        raise Refused(f"{name} cannot be read ({type(exc).__name__}). Nothing was imported.") \
            from None


# --------------------------------------------------------------------------- values


def check_text(value: Any, where: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise fail(where, "must be text")
    if len(value) > limit:
        raise fail(where, f"is longer than {limit:,} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise fail(where, "contains a character that cannot be stored") from None
    return value


def check_moment(value: datetime, where: str) -> datetime:
    """A datetime, made naive UTC, inside Keel's range (in every time zone)."""
    if value.tzinfo is not None:
        try:
            value = value.astimezone(UTC).replace(tzinfo=None)
        except (OverflowError, ValueError):
            raise fail(where, "is outside the dates Keel accepts") from None
    check_day(value.date(), where)
    return value


def check_day(value: date, where: str) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise fail(where, f"is outside the dates Keel accepts ({FIRST_DAY.year}–{LAST_DAY.year})")
    return value


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError
    return datetime.fromisoformat(value)


def convert(table: Any, column_name: str, value: Any, where: str, stored: bool = False) -> Any:
    """*value* as column *column_name* of SQLAlchemy *table* stores it, checked.

    ``stored=True``: the value was read from a SQLite file (booleans are 0/1)."""
    from sqlalchemy import Boolean, Date, DateTime, Float, Integer

    column = table.columns[column_name]
    if value is None:
        if not column.nullable and not column.primary_key:
            raise fail(where, "must not be null")
        return None
    kind = column.type
    try:
        if isinstance(kind, DateTime):
            return check_moment(_moment(value), where)
        if isinstance(kind, Date):
            if isinstance(value, datetime) or not isinstance(value, str | date):
                raise ValueError
            day = value if isinstance(value, date) else date.fromisoformat(value)
            return check_day(day, where)
        if isinstance(kind, Boolean):
            if stored and value in (0, 1) and not isinstance(value, float):
                return bool(value)
            if not isinstance(value, bool):
                raise ValueError
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError
            if column.primary_key and value < 1:
                raise fail(where, "must be an id of 1 or more")
            if abs(value) > MAX_INT:
                raise fail(where, "is a larger number than Keel stores")
            return value
        if isinstance(kind, Float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError
            if not math.isfinite(value) or abs(value) > MAX_FLOAT:
                raise fail(where, "is a larger number than Keel stores")
            return float(value)
        return check_text(value, where)
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, Refused):
            raise
        shown = type(value).__name__
        raise fail(where, f"has the wrong type for a {kind.__class__.__name__} value "
                          f"(a {shown})") from None


# --------------------------------------------------------------------------- rows


REFERENCES: dict[tuple[str, str], str] = {
    ("entry_tags", "entry_id"): "entries",
    ("answers", "checkin_id"): "checkins",
    ("tripwire_versions", "tripwire_id"): "tripwires",
    ("assessment_answers", "option_id"): "job_options",
    ("decisions", "chosen_option_id"): "job_options",
}
"""Columns that point at a row of another table (by that row's id in the same file)."""


def _enums() -> dict[tuple[str, str], tuple[str, ...]]:
    from desktop.core.records import (
        CADENCES,
        EVENT_CADENCES,
        OPTION_FUNCTIONS,
        OPTION_SENIORITIES,
        OPTION_STATUSES,
        OPTION_WORK_KINDS,
        AnswerKind,
    )

    kinds = tuple(k.value for k in AnswerKind)
    cadences = CADENCES + EVENT_CADENCES
    return {
        ("answers", "kind"): kinds,
        ("custom_prompts", "answer"): kinds,
        ("custom_prompts", "cadence"): cadences,
        ("prompt_states", "cadence_override"): cadences,
        ("job_options", "function"): OPTION_FUNCTIONS,
        ("job_options", "seniority"): OPTION_SENIORITIES,
        ("job_options", "work_kind"): OPTION_WORK_KINDS,
        ("job_options", "status"): OPTION_STATUSES,
    }


def _json_text(value: str | None, where: str, kind: type | tuple[type, ...]) -> Any:
    if value is None:
        return None
    try:
        parsed = parse_json(value, where)
    except Refused:
        raise fail(where, "is not valid JSON") from None
    if not isinstance(parsed, kind):
        raise fail(where, "holds JSON of the wrong shape")
    return parsed


def _check_row_meaning(name: str, row: Mapping[str, Any], where: str,
                       enums: Mapping[tuple[str, str], tuple[str, ...]]) -> None:
    """Enums and the JSON kept in text columns, read the way Keel reads them."""
    for (table, column), allowed in enums.items():
        if table == name and row.get(column) is not None and row[column] not in allowed:
            raise fail(f"{where}.{column}", "is not one of " + ", ".join(allowed))
    if name == "settings":
        value = _json_text(row.get("value"), f"{where}.value", (dict, list, str, int, float,
                                                                 bool, type(None)))
        if row.get("key") == "profile":
            from db.rows import profile_from_value

            if not isinstance(value, dict | type(None)):
                raise fail(f"{where}.value", "the profile must be a JSON object")
            try:
                profile_from_value(value)
            except (TypeError, ValueError):
                raise fail(f"{where}.value", "is not a profile Keel can read") from None
    elif name == "custom_prompts":
        spec = _json_text(row.get("spec") or "{}", f"{where}.spec", dict)
        labels = spec.get("labels", ())
        if not isinstance(labels, list | tuple) or not all(isinstance(x, str) for x in labels):
            raise fail(f"{where}.spec", "its labels must be a list of text")
        if not isinstance(spec.get("unit", ""), str):
            raise fail(f"{where}.spec", "its unit must be text")
        for bound in ("min", "max"):
            given = spec.get(bound)
            if given is not None and (isinstance(given, bool) or not isinstance(given, int | float)):
                raise fail(f"{where}.spec", f"its {bound} must be a number")
    elif name == "decisions":
        alternatives = _json_text(row.get("alternatives") or "[]", f"{where}.alternatives", list)
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in alternatives):
            raise fail(f"{where}.alternatives", "must be a list of option ids")
    elif name == "drafts":
        _json_text(row.get("payload"), f"{where}.payload", (dict, list, str, int, float, bool))


def check_rows(table: Any, rows: list[Mapping[str, Any]], name: str, stored: bool = False,
               enums: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
               ) -> list[dict[str, Any]]:
    """Every row of *table* (a SQLAlchemy Table) converted and checked; keys unique."""
    enums = _enums() if enums is None else enums
    columns = set(table.columns.keys())
    pk_names = [c.name for c in table.primary_key.columns]
    seen: set[tuple[Any, ...]] = set()
    unique = [c.name for c in table.columns if c.unique]
    seen_unique: dict[str, set[Any]] = {c: set() for c in unique}
    out = []
    for i, row in enumerate(rows):
        where = f"{name}[{i}]"
        if not isinstance(row, Mapping):
            raise fail(where, "is not an object")
        unknown = set(row) - columns
        if unknown:
            raise fail(f"{where}.{sorted(map(str, unknown))[0][:60]}", "is not a column of " + table.name)
        values: dict[str, Any] = {}
        for column in table.columns:
            if column.name not in row:
                if column.primary_key or not column.nullable:
                    if column.primary_key or column.default is None:
                        raise fail(f"{where}.{column.name}", "missing")
                    continue
                values[column.name] = None
                continue
            values[column.name] = convert(table, column.name, row[column.name],
                                          f"{where}.{column.name}", stored)
        key = tuple(values.get(k) for k in pk_names)
        if None not in key:
            if key in seen:
                raise fail(where, "repeats the key of an earlier row")
            seen.add(key)
        for column_name in unique:
            value = values.get(column_name)
            if value is not None:
                if value in seen_unique[column_name]:
                    raise fail(f"{where}.{column_name}", "repeats the value of an earlier row")
                seen_unique[column_name].add(value)
        _check_row_meaning(table.name, values, where, enums)
        out.append(values)
    return out


def check_tables(tables: Mapping[str, Any], stored: bool = False,
                 prefix: str = "tables.") -> dict[str, list[dict[str, Any]]]:
    """Every table of a Keel export (or of a backup read with sqlite3) checked; the
    references resolved inside these rows only. Returns the converted rows."""
    from db import models

    known = {t.name: t for t in models.Base.metadata.sorted_tables}
    enums = _enums()
    result: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        if name not in known:
            raise fail(f"{prefix}{str(name)[:60]}", "is not a table Keel knows")
        if not isinstance(rows, list):
            raise fail(f"{prefix}{name}", "is not a list")
        result[name] = check_rows(known[name], rows, f"{prefix}{name}", stored, enums)
    ids = {name: {r.get("id") for r in rows} for name, rows in result.items()}
    for (name, column), target in REFERENCES.items():
        for i, row in enumerate(result.get(name, ())):
            ref = row.get(column)
            if ref is not None and ref not in ids.get(target, ()):
                raise fail(f"{prefix}{name}[{i}].{column}",
                           f"refers to {target} id {ref}, which is not in the file")
    for i, row in enumerate(result.get("decisions", ())):
        for ref in json.loads(row.get("alternatives") or "[]"):
            if ref not in ids.get("job_options", ()):
                raise fail(f"{prefix}decisions[{i}].alternatives",
                           f"refers to job_options id {ref}, which is not in the file")
    return result


# --------------------------------------------------------------------------- use


class _OnConnection:
    """A :class:`db.access.Journal` whose reads run on a DB-API connection already inside
    a transaction (so uncommitted rows are seen)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.path = Path()

    @contextmanager
    def read(self) -> Iterator[SqlSession]:
        yield SqlSession(self._conn)

    def write(self) -> Any:
        raise PermissionError("An import's check only reads.")

    def close(self) -> None:
        pass


PROBE_ZONES = ("UTC", "Pacific/Kiritimati", "Etc/GMT+12")
"""The time zones furthest ahead of and behind UTC: what is accepted shows in each."""


def prove_usable(conn: Any, now: datetime | None = None) -> None:
    """Read the journal on *conn* (a DB-API connection, the import's transaction still
    open) the way ``keel due``, ``keel export`` and Today do; :class:`Refused` if that fails."""
    from zoneinfo import ZoneInfo

    from db.export_data import gather
    from db.journal import read_entries_between
    from db.snapshot import read_custom_prompts, read_snapshot
    from desktop.core.export_compose import Period
    from desktop.core.flags import active_flags
    from desktop.core.prompt_library import load_library
    from desktop.core.schedule import due_prompts, one_checkin_per_period

    moment = now or datetime.now(UTC)
    try:
        session = SqlSession(conn)
        snapshot = read_snapshot(session)
        prompts = [*load_library().prompts, *read_custom_prompts(session, include_archived=True)]
        states = {s.prompt_id: s for s in snapshot.prompt_states}
        done = max((c.completed_at for c in snapshot.checkins if c.completed_at), default=None)
        entries = read_entries_between(session)
        for name in PROBE_ZONES:
            zone = ZoneInfo(name)
            plan = due_prompts(prompts, states, snapshot.profile, moment, zone,
                               events=list(snapshot.events), decisions=list(snapshot.decisions))
            one_checkin_per_period(plan, done, snapshot.profile, moment, zone)
            for entry in entries:
                entry.created_at.astimezone(zone)
        active_flags(snapshot, moment)
        first = min((e.created_at for e in entries), default=moment)
        start = (first - timedelta(days=1)).date()
        gather(_OnConnection(conn), Period(start, moment.date() + timedelta(days=1)), moment, UTC)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable": refuse it
        raise Refused(f"Keel could not read the file's contents back ({type(exc).__name__}). "
                      "Nothing was imported.") from None


# --------------------------------------------------------------------------- journal files


def check_journal_file(path: Any, passphrase: str | None = None, now: datetime | None = None,
                       ) -> str:
    """Refuse (one line naming *path*) anything that is not a sound Keel journal this Keel
    can use: a missing, empty, non-SQLite, non-Keel, newer-schema or damaged file, or one
    whose rows fail :func:`check_tables` / :func:`prove_usable`. Returns its revision.

    Used before a restore; reads the file only (read-only connection)."""
    from pathlib import Path

    from db import models
    from db.opener import open_any
    from db.sqlfile import HEAD_REVISION, KNOWN_REVISIONS, SQLITE_HEADER, all_errors

    path = Path(path)
    nothing = "Nothing was changed."
    try:
        if not path.is_file():
            raise Refused(f"{path} {'is not a file' if path.exists() else 'does not exist'}. "
                          f"{nothing}")
        if path.stat().st_size == 0:
            raise Refused(f"{path} is empty: it is not a Keel journal. {nothing}")
        with path.open("rb") as handle:
            plain = handle.read(16) == SQLITE_HEADER
    except OSError as exc:
        raise Refused(f"Cannot read {path}: {exc.strerror or type(exc).__name__}. {nothing}") \
            from None
    if not plain and passphrase is None:
        raise Refused(f"{path} is not a Keel journal (not a SQLite file; if it is an encrypted "
                      f"backup, encrypt this journal first). {nothing}")
    try:
        conn = open_any(path, None if plain else passphrase, readonly=True)
    except Exception as exc:  # noqa: BLE001 - a wrong key, an unreadable file
        raise Refused(f"{path} cannot be opened ({type(exc).__name__}). {nothing}") from None
    errors = all_errors()
    try:
        try:
            problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except errors as exc:
            raise Refused(f"{path} is not a Keel journal or is damaged "
                          f"({_reason(exc)}). {nothing}") from None
        if problems != ["ok"]:
            first = problems[0].strip().splitlines()[-1][:100]
            raise Refused(f"{path} is damaged ({first}). {nothing}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables or "entries" not in tables:
            raise Refused(f"{path} is a SQLite file but not a Keel journal. {nothing}")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
        if revision not in KNOWN_REVISIONS:
            raise Refused(f"{path} was written by a newer Keel (schema {str(revision)[:20]}); "
                          f"update Keel to use it. {nothing}")
        if revision != HEAD_REVISION:
            return str(revision)  # older: migrated (with a backup) when next opened
        found: dict[str, list[dict[str, Any]]] = {}
        for table in models.Base.metadata.sorted_tables:
            if table.name not in tables:
                raise Refused(f"{path} lacks the table {table.name}. {nothing}")
            cursor = conn.execute(f'SELECT * FROM "{table.name}"')
            names = [d[0] for d in cursor.description]
            found[table.name] = [dict(zip(names, values, strict=True)) for values in cursor]
        try:
            check_tables(found, stored=True, prefix=f"{path.name}: ")
            prove_usable(conn, now)
        except Refused as exc:
            raise Refused(str(exc).replace("Nothing was imported.", nothing)) from None
        return str(revision)
    except errors as exc:
        raise Refused(f"{path} cannot be read ({_reason(exc)}). {nothing}") from None
    finally:
        conn.close()


def _reason(exc: BaseException) -> str:
    """A database error's reason in a few words, never any value it quotes."""
    return str(exc).split(":")[0].splitlines()[0][:80] if str(exc) else type(exc).__name__
