"""Data that can leave Keel and come back: JSON export/import, jrnl and Day One imports.

The Keel JSON format (documented in ``docs/JSON_FORMAT.md``) is every row of every table,
column by column, so an export read back into an empty journal gives the same rows, ids
included. Imports are checked completely before anything is written, and then written in
ONE transaction: a malformed or truncated file changes nothing and the message names the
line (JSON syntax) or the key (content) at fault.

Imported entries carry an ``import_key`` (``jrnl:<hash>``, ``dayone:<uuid>``, or for Keel
files the entry's own key or ``keel:<hash>``), so importing a file twice never duplicates
an entry. A journal that already holds data is only added to when the caller asks
(``merge=True``); rows then get fresh ids and rows already present are skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Boolean, DateTime, Table

from db import intake, models
from db.access import Journal, Session
from db.assessments import insert_assessment_answer
from db.checkins import AnswerInput, insert_answers, insert_checkin_row
from db.drafts import write_draft
from db.events import insert_event
from db.exclusive import exclusive_operation, folder_of_db
from db.flag_actions import insert_flag_action
from db.intake import Refused as ImportFileError
from db.journal import insert_entry, insert_tags
from db.options import insert_decision, insert_option
from db.profile_history import (
    insert_baseline,
    insert_money_snapshot,
    insert_tripwire,
    insert_tripwire_version,
)
from db.prompts_state import insert_custom_prompt, put_prompt_state
from db.schema import HEAD_REVISION
from db.settings import write_value
from db.timeutil import to_stored
from db.validation import InvalidInput
from desktop.core.errors import UserError
from desktop.core.records import Decision, JobOption, PromptState

FORMAT_NAME = "keel-journal"
FORMAT_VERSION = 1
"""Version of the JSON layout; bumped when a reader of the old layout would misread it."""

IMPORT_FORMATS = ("keel", "jrnl", "dayone")

CONTENT_TABLES = (
    "entries", "entry_tags", "checkins", "answers", "baseline_versions", "tripwires",
    "tripwire_versions", "financial_snapshots", "job_options", "assessment_answers",
    "decisions", "flag_actions", "events",
)
"""Tables with integer ids: a journal with a row in any of them is not empty."""

KEYED_TABLES = ("settings", "prompt_states", "custom_prompts", "drafts")
"""Tables keyed by a name: an import replaces their rows (or, when merging, keeps ours)."""

NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "entries": ("created_at", "title", "body"),
    "checkins": ("started_at",),
    "answers": ("checkin_id", "prompt_id", "answered_at"),
    "baseline_versions": ("created_at", "text"),
    "tripwires": ("created_at",),
    "tripwire_versions": ("tripwire_id", "created_at", "text"),
    "financial_snapshots": ("taken_at",),
    "job_options": ("organisation", "role", "created_at"),
    "assessment_answers": ("option_id", "question_id", "answered_at"),
    "decisions": ("decided_at", "summary"),
    "flag_actions": ("flag_id", "action", "created_at"),
    "events": ("kind", "occurred_at", "ref_id"),
    "entry_tags": ("entry_id", "tag"),
}
"""What makes a row "the same row" when merging into a journal that has data."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    format: str
    added: int
    """Entries (jrnl, Day One) or rows (Keel) written."""
    skipped: int
    """Entries or rows already in the journal, left as they were."""

    def __str__(self) -> str:
        noun = "rows" if self.format == "keel" else "entries"
        text = f"Imported {self.added} {noun}"
        return text + (f"; {self.skipped} already in the journal were skipped." if self.skipped
                       else ".")


# --------------------------------------------------------------------------- export


def _tables() -> list[Table]:
    """Every table of the schema (the SQLAlchemy models are its one source), parents first."""
    return list(models.Base.metadata.sorted_tables)


def _select_all(table: Table) -> str:
    """Every column of *table*, in the models' order, rows by primary key."""
    columns = ", ".join(c.name for c in table.columns)
    order = ", ".join(c.name for c in table.primary_key.columns)
    return f"SELECT {columns} FROM {table.name} ORDER BY {order}"


def _exported(table: Table) -> list[Callable[[Any], Any]]:
    """For each column, how its stored value is written to JSON: a time as ISO 8601
    (``2026-01-01T10:00:00``, naive UTC), a boolean as ``true``/``false``; the rest as
    stored (a day is already ``YYYY-MM-DD``)."""
    def keep(value: Any) -> Any:
        return value

    def moment(value: Any) -> Any:
        return None if value is None else datetime.fromisoformat(value).isoformat()

    def flag(value: Any) -> Any:
        return None if value is None else bool(value)

    return [moment if isinstance(c.type, DateTime) else flag if isinstance(c.type, Boolean)
            else keep for c in table.columns]


def export_data(db: Journal, now: datetime | None = None) -> dict[str, Any]:
    """Every row of every table as a JSON-ready dict (see docs/JSON_FORMAT.md)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.read() as session:
        for table in _tables():
            names = [c.name for c in table.columns]
            writers = _exported(table)
            tables[table.name] = [
                {name: write(value) for name, write, value in zip(names, writers, row, strict=True)}
                for row in session.execute(_select_all(table))]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "schema_revision": HEAD_REVISION,
        "exported_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(),
        "times": "UTC; timestamps without an offset are UTC",
        "tables": tables,
    }


def iter_export_json(db: Journal, now: datetime | None = None) -> Iterable[str]:
    """The JSON export as text chunks (for writing to a file)."""
    yield json.dumps(export_data(db, now), ensure_ascii=False, indent=1)
    yield "\n"


# --------------------------------------------------------------------------- reading


def _load_json(text: str, name: str) -> Any:
    return intake.parse_json(text, name)


def read_file(path: Path) -> Any:
    """Parse an import file; a clear message for unreadable, non-UTF-8, malformed or
    oversized files (the limits of :mod:`db.intake`)."""
    try:
        if path.stat().st_size > intake.MAX_FILE_BYTES:
            raise ImportFileError(f"{path} is larger than {intake.MAX_FILE_BYTES // 2**20} MiB. "
                                  "Nothing was imported.")
        if not path.is_file():
            raise ImportFileError(f"{path} is not a regular file. Nothing was imported.")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror or type(exc).__name__}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path.name} is not UTF-8 text (byte {exc.start}). Nothing was imported."
        ) from None
    return _load_json(text, path.name)


def detect_format(data: Any) -> str:
    """``keel``, ``jrnl`` or ``dayone`` from the shape of parsed JSON."""
    if isinstance(data, dict):
        if data.get("format") == FORMAT_NAME:
            return "keel"
        entries = data.get("entries")
        if isinstance(entries, list):
            sample = next((e for e in entries if isinstance(e, dict)), {})
            if "creationDate" in sample or "uuid" in sample or "metadata" in data:
                return "dayone"
            return "jrnl"
    raise ImportFileError(
        "This file is not a Keel, jrnl or Day One JSON export "
        "(expected a top-level \"format\" or \"entries\" key). Nothing was imported."
    )


def _fail(where: str, problem: str) -> ImportFileError:
    return intake.fail(where, problem)


def _keel_rows(data: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Validate a Keel export completely (:func:`db.intake.check_tables`)."""
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _fail("version", "missing or not a whole number")
    if version > FORMAT_VERSION:
        raise ImportFileError(
            f"This file was written by a newer Keel (format version {version}; this Keel "
            f"reads up to {FORMAT_VERSION}). Update Keel to import it. Nothing was imported."
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise _fail("tables", "missing or not an object")
    return intake.check_tables(tables)


# --------------------------------------------------------------------------- writing


def is_empty(db: Journal) -> bool:
    """Whether the journal holds no content yet (settings alone do not count)."""
    with db.read() as session:
        return is_empty_in(session)


def _refuse_non_empty(db: Journal, merge: bool) -> None:
    if not merge and not is_empty(db):
        raise UserError(
            "This journal already has entries. Import with --merge (or choose "
            "\"Add to this journal\") to add the file's contents; nothing was imported."
        )


def import_keel(db: Journal, data: Mapping[str, Any], merge: bool = False) -> ImportReport:
    """Read a Keel JSON export (already parsed) into *db* in one transaction.

    Into an empty journal the rows are restored exactly, ids included. With *merge*,
    rows get fresh ids (references follow them) and rows already present are skipped.
    Every row is written by the app's own writer of its record (:data:`ROW_WRITERS`).
    """
    rows = _keel_rows(data)
    _refuse_non_empty(db, merge)
    with _writing(db) as session:
        return _write_keel(session, rows, merge)


@contextmanager
def _writing(db: Journal) -> Iterator[Session]:
    """One write transaction for an import; before it commits, the journal is read back
    the way Keel uses it (:func:`db.intake.prove_usable`). A row the database refuses (a
    key already taken) is one line without the rows' text, and nothing is written; a busy,
    full or read-only journal is left to the error boundary (``db.failures``), which says
    so in its own words."""
    try:
        with db.write() as session:
            yield session
            intake.prove_usable(session.connection)  # type: ignore[attr-defined]
    except Exception as exc:
        if type(exc).__name__ != "IntegrityError":
            raise
        raise ImportFileError(
            f"The journal refused the file's rows ({type(exc).__name__}: "
            f"{_first_words(exc)}). Nothing was imported.") from None


def _first_words(exc: BaseException | None) -> str:
    """The database's own reason, without any of the values involved."""
    text = str(exc or "").split(":")[0].split("\n")[0]
    return text[:80]


RowWriter = Callable[[Session, Mapping[str, Any]], int | None]
"""Writes one imported row; its id (None for a table keyed by a name)."""


def _baseline(session: Session, row: Mapping[str, Any]) -> int:
    return insert_baseline(session, row["text"], row.get("worry"), row["created_at"],
                           row.get("id"))


def _tripwire(session: Session, row: Mapping[str, Any]) -> int:
    return insert_tripwire(session, row["created_at"], row.get("archived_at"), row.get("id"))


def _tripwire_version(session: Session, row: Mapping[str, Any]) -> int:
    return insert_tripwire_version(session, row["tripwire_id"], row["text"], row["created_at"],
                                   row.get("id"))


def _money(session: Session, row: Mapping[str, Any]) -> int:
    return insert_money_snapshot(session, row.get("liquid_savings"), row.get("monthly_spending"),
                                 row.get("unvested_equity"), row.get("next_vest_date"),
                                 row.get("currency") or "USD", row["taken_at"], row.get("id"))


_OPTION_FIELDS = tuple(f.name for f in fields(JobOption))


def _option(session: Session, row: Mapping[str, Any]) -> int:
    values = {name: row[name] for name in _OPTION_FIELDS if name in row}
    return insert_option(session, JobOption(**{"id": None, "role": "", **values}))


def _decision(session: Session, row: Mapping[str, Any]) -> int:
    return insert_decision(session, Decision(
        id=row.get("id"), decided_at=row["decided_at"],
        chosen_option_id=row.get("chosen_option_id"), summary=row["summary"],
        reasons=row.get("reasons") or "",
        alternatives=tuple(json.loads(row.get("alternatives") or "[]")),
        revisit_conditions=row.get("revisit_conditions") or "",
        revisit_on=row.get("revisit_on"), revisited_at=row.get("revisited_at")))


def _checkin(session: Session, row: Mapping[str, Any]) -> int:
    return insert_checkin_row(session, row.get("reflection") or "", row["started_at"],
                              row.get("completed_at"), bool(row.get("adhoc", False)),
                              row.get("id"))


def _answer(session: Session, row: Mapping[str, Any]) -> int:
    item = AnswerInput(row["prompt_id"], row["kind"], row.get("value_text"),
                       row.get("value_number"), bool(row.get("skipped", False)),
                       row.get("skip_reason"))
    stored = insert_answers(session, row.get("checkin_id"), [item], row["answered_at"],
                            ids=[row.get("id")])[0].id
    assert stored is not None
    return stored


def _flag_action(session: Session, row: Mapping[str, Any]) -> int:
    return insert_flag_action(session, row["flag_id"], row["action"], row.get("note") or "",
                              row.get("until"), row["created_at"], row.get("id"))


def _prompt_state(session: Session, row: Mapping[str, Any]) -> None:
    enabled = row.get("enabled")
    put_prompt_state(session, PromptState(
        prompt_id=row["prompt_id"], enabled=True if enabled is None else bool(enabled),
        cadence_override=row.get("cadence_override"), last_asked_at=row.get("last_asked_at"),
        last_answered_at=row.get("last_answered_at"), snoozed_until=row.get("snoozed_until"),
        skip_streak=row.get("skip_streak") or 0))


def _own_prompt(session: Session, row: Mapping[str, Any]) -> None:
    spec = json.loads(row.get("spec") or "{}")  # an object: checked by db.intake
    insert_custom_prompt(session, row["id"], row["theme"], row["question"],
                         row.get("why") or "", row["answer"], spec.get("labels", ()),
                         spec.get("unit", ""), spec.get("min"), spec.get("max"),
                         row["cadence"], row["created_at"], bool(row.get("archived", False)))


def _draft(session: Session, row: Mapping[str, Any]) -> None:
    write_draft(session, row["key"], json.loads(row["payload"]), row["updated_at"])


def _entry(session: Session, row: Mapping[str, Any]) -> int:
    return insert_entry(session, row["body"], row["title"], (), row["created_at"],
                        row.get("import_key"), row["updated_at"], row.get("id"))


def _entry_tag(session: Session, row: Mapping[str, Any]) -> None:
    if row["entry_id"] is None or not isinstance(row["tag"], str) or not row["tag"].strip():
        raise InvalidInput("A tag needs an entry and a word.")
    insert_tags(session, row["entry_id"], (row["tag"],))


def _assessment(session: Session, row: Mapping[str, Any]) -> int:
    insert_assessment_answer(session, row["option_id"], row["question_id"], row.get("value_text"),
                             row.get("value_number"), row["answered_at"], row.get("id"))
    return int(session.execute("SELECT last_insert_rowid()").scalar())


def _event(session: Session, row: Mapping[str, Any]) -> int:
    return insert_event(session, row["kind"], row.get("ref_id"), row["occurred_at"],
                        row.get("id"))


def _setting(session: Session, row: Mapping[str, Any]) -> None:
    try:
        value = json.loads(row["value"])
    except (TypeError, ValueError):
        raise InvalidInput("The setting's value is not JSON.") from None
    write_value(session, row["key"], value)


ROW_WRITERS: dict[str, RowWriter] = {
    "entries": _entry,
    "entry_tags": _entry_tag,
    "assessment_answers": _assessment,
    "events": _event,
    "settings": _setting,
    "job_options": _option,
    "decisions": _decision,
    "baseline_versions": _baseline,
    "tripwires": _tripwire,
    "tripwire_versions": _tripwire_version,
    "financial_snapshots": _money,
    "checkins": _checkin,
    "answers": _answer,
    "flag_actions": _flag_action,
    "prompt_states": _prompt_state,
    "custom_prompts": _own_prompt,
    "drafts": _draft,
}
"""Every table's rows are written by the app's own writer of that record (its validation
included; an import row with an id keeps it): an import has no INSERT of its own."""


def _through_writer(session: Session, name: str, row: Mapping[str, Any],
                    index: int) -> int | None:
    """Write one imported row of *name* with :data:`ROW_WRITERS`; a row the writer refuses
    is one line naming the row, as :mod:`db.intake` names it."""
    try:
        return ROW_WRITERS[name](session, row)
    except (InvalidInput, LookupError) as exc:
        raise _fail(f"tables.{name}[{index}]", str(exc).strip("'").rstrip(".")) from None


def _key(table: Table) -> str:
    """The one-column primary key of a table keyed by a name (:data:`KEYED_TABLES`)."""
    return next(iter(table.primary_key.columns)).name


def _write_keel(session: Session, rows: dict[str, list[dict[str, Any]]],
                merge: bool) -> ImportReport:
    added = skipped = 0
    if not merge or is_empty_in(session):
        for table in _tables():
            batch = rows.get(table.name, [])
            if not batch:
                continue
            if table.name in KEYED_TABLES:  # the file's row replaces the journal's
                key = _key(table)
                session.execute_many(f"DELETE FROM {table.name} WHERE {key} = ?",
                                     [(r[key],) for r in batch])
            for index, row in enumerate(batch):
                _through_writer(session, table.name, row, index)
            added += len(batch)
        return ImportReport("keel", added, 0)
    ids: dict[str, dict[int, int]] = {}
    # Events point at options by id without a foreign key (so the models sort them
    # anywhere): merged after the options, their references follow the options' new ids.
    for table in sorted(_tables(), key=lambda t: t.name == "events"):
        batch = rows.get(table.name, [])
        if not batch:
            continue
        if table.name in KEYED_TABLES:  # merging keeps the journal's own row
            key = _key(table)
            present = {k for (k,) in session.execute(f"SELECT {key} FROM {table.name}")}
            fresh = [(i, r) for i, r in enumerate(batch) if r[key] not in present]
            for index, row in fresh:
                _through_writer(session, table.name, row, index)
            added += len(fresh)
            skipped += len(batch) - len(fresh)
            continue
        a, s = _merge_table(session, table, batch, ids)
        added += a
        skipped += s
    return ImportReport("keel", added, skipped)


def is_empty_in(session: Session) -> bool:
    """Whether none of :data:`CONTENT_TABLES` holds a row, in the caller's transaction."""
    return not any(session.execute(f"SELECT EXISTS (SELECT 1 FROM {name})").scalar()
                   for name in CONTENT_TABLES)


_REFERENCES = intake.REFERENCES


def _stored(table: Table, name: str, value: Any) -> Any:
    """A converted import value as the column stores it (to compare with stored rows)."""
    if value is None:
        return None
    kind = table.columns[name].type
    if isinstance(kind, DateTime):
        return to_stored(value)
    if isinstance(kind, Boolean):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _merge_table(session: Session, table: Table, batch: list[dict[str, Any]],
                 ids: dict[str, dict[int, int]]) -> tuple[int, int]:
    """Write *batch* with fresh ids, skipping rows whose natural key is present."""
    name = table.name
    mapping = ids.setdefault(name, {})
    natural = NATURAL_KEYS[name]
    has_id = "id" in table.columns
    existing: dict[tuple[Any, ...], Any] = {}
    columns = ", ".join([*natural, *(["id"] if has_id else [])])
    for stored_row in session.execute(f"SELECT {columns} FROM {name}"):
        existing[tuple(stored_row[: len(natural)])] = stored_row[-1] if has_id else True
    imported: dict[str, Any] = {}
    if name == "entries":  # an entry imported before matches by its import key too
        imported = dict(session.execute(
            "SELECT import_key, id FROM entries WHERE import_key IS NOT NULL").all())
    added = skipped = 0
    for index, original in enumerate(batch):
        row = dict(original)
        # References follow the file's own rows only (checked by db.intake): never an id
        # of one of the user's rows that happens to be equal.
        for (tname, column), target in _REFERENCES.items():
            if tname == name and row.get(column) is not None:
                row[column] = ids[target][row[column]]
        if name == "decisions":
            alternatives = json.loads(row.get("alternatives") or "[]")
            row["alternatives"] = json.dumps([ids["job_options"][i] for i in alternatives])
        if name == "events" and row.get("kind") in ("on-new-option", "on-accept"):
            ref = row.get("ref_id")
            row["ref_id"] = None if ref is None else ids.get("job_options", {}).get(ref)
        key = tuple(_stored(table, c, row.get(c)) for c in natural)
        old_id = row.pop("id", None) if has_id else None
        found = existing.get(key, imported.get(row.get("import_key") or ""))
        if found is not None:
            if has_id and old_id is not None:
                mapping[old_id] = found
            skipped += 1
            continue
        new_id: Any = _through_writer(session, name, row, index)
        if has_id:
            if old_id is not None:
                mapping[old_id] = new_id
            existing[key] = new_id
        else:
            existing[key] = True
        added += 1
    return added, skipped


# --------------------------------------------------------------------------- other apps


@dataclass(frozen=True)
class ImportedEntry:
    """One entry read from another app's export, ready to write."""

    import_key: str
    title: str
    body: str
    created_at: datetime
    """Naive UTC."""
    tags: tuple[str, ...]


def _need(mapping: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in mapping:
        raise _fail(f"{where}.{key}", "missing")
    value = mapping[key]
    if not isinstance(value, kind):
        raise _fail(f"{where}.{key}", "has the wrong type")
    return value


def _tags(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise _fail(where, "must be a list of strings")
    from db.validation import clean_tags

    return tuple(clean_tags(t.lstrip("@") for t in raw))


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:40]


def parse_jrnl(data: Any, tz: Any = None) -> list[ImportedEntry]:
    """Entries from jrnl's ``jrnl --format json`` export.

    jrnl writes ``{"tags": {...}, "entries": [{"title", "body", "date": "YYYY-MM-DD",
    "time": "HH:MM", "tags": ["@tag"], "starred"}]}``; times are local wall-clock
    times, read in *tz* (default UTC). ``starred`` entries get a ``starred`` tag.
    """
    if not isinstance(data, dict):
        raise _fail("(top level)", "expected an object with an \"entries\" list")
    entries = _need(data, "entries", list, "(top level)")
    zone = tz or UTC
    out = []
    for i, raw in enumerate(entries):
        where = f"entries[{i}]"
        if not isinstance(raw, dict):
            raise _fail(where, "is not an object")
        day = _need(raw, "date", str, where)
        clock = raw.get("time") or "00:00"
        if not isinstance(clock, str):
            raise _fail(f"{where}.time", "has the wrong type")
        try:
            local = datetime.fromisoformat(f"{day}T{clock}")
        except ValueError:
            raise _fail(f"{where}.date",
                        "is not a date like 2026-01-31 with a time like 09:30") from None
        if local.tzinfo is None:
            local = local.replace(tzinfo=zone)
        local = intake.check_moment(local, f"{where}.date")
        title = raw.get("title") or ""
        body = raw.get("body") or ""
        if not isinstance(title, str) or not isinstance(body, str):
            raise _fail(f"{where}.title", "title and body must be text")
        tags = list(_tags(raw.get("tags"), f"{where}.tags"))
        if raw.get("starred") is True and "starred" not in tags:
            tags.append("starred")
        out.append(ImportedEntry(
            import_key="jrnl:" + _digest(day, clock, title, body),
            title=title.strip(), body=body.strip("\n"),
            created_at=local, tags=tuple(tags),
        ))
    return out


_DAYONE_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")


def _dayone_text(text: str) -> tuple[str, str]:
    """Day One's Markdown (punctuation backslash-escaped) → (title, body)."""
    lines = text.replace("\r\n", "\n").split("\n")
    title = ""
    if lines and lines[0].lstrip().startswith("#"):
        title = _DAYONE_ESCAPE_RE.sub(r"\1", lines[0].lstrip().lstrip("#").strip())
        lines = lines[1:]
    body = _DAYONE_ESCAPE_RE.sub(r"\1", "\n".join(lines)).strip("\n")
    body = re.sub(r"!\[\]\(dayone-moment:[^)]*\)\n?", "", body)  # photo placeholders
    return title, body


def parse_dayone(data: Any) -> list[ImportedEntry]:
    """Entries from a Day One JSON export (``Journal.json`` inside the export zip).

    Each entry has ``uuid``, ``creationDate`` (ISO 8601, UTC ``Z``), ``text`` (Markdown;
    a first ``#`` line is its title), optional ``tags`` and ``starred``. Photos,
    location and weather are not imported.
    """
    if not isinstance(data, dict):
        raise _fail("(top level)", "expected an object with an \"entries\" list")
    entries = _need(data, "entries", list, "(top level)")
    out = []
    for i, raw in enumerate(entries):
        where = f"entries[{i}]"
        if not isinstance(raw, dict):
            raise _fail(where, "is not an object")
        uuid = _need(raw, "uuid", str, where)
        stamp = _need(raw, "creationDate", str, where)
        try:
            when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            raise _fail(f"{where}.creationDate", "is not an ISO 8601 date and time") from None
        if when.tzinfo is None:
            zone_name = raw.get("timeZone")
            try:
                zone: Any = ZoneInfo(zone_name) if isinstance(zone_name, str) else UTC
            except (ZoneInfoNotFoundError, ValueError):
                zone = UTC
            when = when.replace(tzinfo=zone)
        when = intake.check_moment(when, f"{where}.creationDate")
        intake.check_text(uuid, f"{where}.uuid", limit=150)
        text = raw.get("text") or ""
        if not isinstance(text, str):
            raise _fail(f"{where}.text", "has the wrong type")
        title, body = _dayone_text(text)
        tags = list(_tags(raw.get("tags"), f"{where}.tags"))
        if raw.get("starred") is True and "starred" not in tags:
            tags.append("starred")
        out.append(ImportedEntry(
            import_key="dayone:" + uuid, title=title, body=body,
            created_at=when, tags=tuple(tags),
        ))
    return out


def write_entries(db: Journal, entries: list[ImportedEntry], fmt: str,
                  merge: bool = False) -> ImportReport:
    """Write imported entries in one transaction, skipping import keys already present."""
    _refuse_non_empty(db, merge)
    entries_t = models.Base.metadata.tables[models.Entry.__tablename__]
    for i, entry in enumerate(entries):
        intake.check_text(entry.title, f"entries[{i}].title", limit=500)
        intake.check_text(entry.import_key, f"entries[{i}] (its id)", limit=200)
    intake.check_rows(entries_t, [{
        "id": None, "title": e.title, "body": e.body, "created_at": e.created_at,
        "updated_at": e.created_at, "import_key": e.import_key}
        for e in {e.import_key: e for e in entries}.values()], "entries")  # repeats are skipped
    added = skipped = 0
    with _writing(db) as session:
        present = {key for (key,) in session.execute(
            "SELECT import_key FROM entries WHERE import_key IS NOT NULL")}
        for entry in entries:
            if entry.import_key in present:
                skipped += 1
                continue
            present.add(entry.import_key)
            insert_entry(session, entry.body, entry.title, entry.tags, when=entry.created_at,
                         import_key=entry.import_key)  # the app's own writer of entries
            added += 1
    return ImportReport(fmt, added, skipped)


@exclusive_operation(folder_of_db)
def import_file(db: Journal, path: Path, fmt: str | None = None, merge: bool = False,
                tz: Any = None) -> ImportReport:
    """Import *path* (format detected unless *fmt* is given) into *db* in one transaction."""
    data = read_file(path)
    fmt = fmt or detect_format(data)
    if fmt not in IMPORT_FORMATS:
        raise UserError(f"Unknown import format {fmt!r}; use one of {', '.join(IMPORT_FORMATS)}.")
    if fmt == "keel":
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise _fail("format", f"expected \"{FORMAT_NAME}\"")
        return import_keel(db, data, merge)
    parser: Callable[[Any], list[ImportedEntry]] = (
        parse_dayone if fmt == "dayone" else (lambda d: parse_jrnl(d, tz)))
    return write_entries(db, parser(data), fmt, merge)


__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "IMPORT_FORMATS", "ImportFileError", "ImportReport",
    "ImportedEntry", "detect_format", "export_data", "import_file", "import_keel",
    "is_empty", "iter_export_json", "parse_dayone", "parse_jrnl", "read_file",
    "write_entries",
]
