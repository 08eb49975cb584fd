"""Journal entries: create, edit, delete, list and read, one transaction per action.

The one reader and the one writer of entries, in SQL against :class:`db.access.Session`
(docs/ARCHITECTURE.md, "One data path"): the app, ``keel write``, the export and the
import all call these, on a :class:`db.engine.Database` or a
:class:`db.plain_journal.PlainJournal` alike. No SQLAlchemy here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from db.rows import entries_from_rows
from db.timeutil import from_stored, to_stored, utcnow
from db.validation import clean_tags, clean_text
from desktop.core.records import Entry

if TYPE_CHECKING:
    from db.access import Journal, Session

SELECT_ENTRIES = (
    "SELECT e.id, e.title, e.body, e.created_at, e.updated_at, "
    "(SELECT group_concat(t.tag, char(31)) FROM entry_tags AS t WHERE t.entry_id = e.id) "
    "FROM entries AS e")
"""The columns :func:`db.rows.entries_from_rows` builds an :class:`Entry` from."""
NEWEST_FIRST = " ORDER BY e.created_at DESC, e.id DESC"
INSERT_ENTRY = ("INSERT INTO entries (id, title, body, created_at, updated_at, import_key) "
                "VALUES (?, ?, ?, ?, ?, ?)")
INSERT_TAG = "INSERT OR IGNORE INTO entry_tags (entry_id, tag) VALUES (?, ?)"


def _one(session: Session, entry_id: int) -> Entry | None:
    found = entries_from_rows(session.execute(f"{SELECT_ENTRIES} WHERE e.id = ?", (entry_id,)))
    return found[0] if found else None


def insert_entry(session: Session, body: str, title: str = "", tags: Iterable[str] = (),
                 when: datetime | None = None, import_key: str | None = None,
                 updated: datetime | None = None, ident: int | None = None) -> int:
    """The writer of a new entry, inside the caller's write transaction; its id. Every
    new entry goes through here: the app, ``keel write``, imports and the demo."""
    stamp = to_stored(when or utcnow())
    title = clean_text(title, "title", limit=500)
    body = clean_text(body, "entry")
    entry_id = session.execute(INSERT_ENTRY, (
        ident, title, body, stamp, stamp if updated is None else to_stored(updated),
        import_key)).lastrowid
    assert entry_id is not None
    insert_tags(session, entry_id, tags)
    return entry_id


def insert_tags(session: Session, entry_id: int, tags: Iterable[str]) -> None:
    """The writer of an entry's tags (cleaned by the app's rules; one already there is
    kept), inside the caller's write transaction."""
    session.execute_many(INSERT_TAG, [(entry_id, tag) for tag in clean_tags(tags)])


def create_entry(db: Journal, body: str, title: str = "", tags: Iterable[str] = (),
                 when: datetime | None = None, import_key: str | None = None) -> Entry:
    """Save a new entry; returns it once the transaction has committed."""
    with db.write() as session:
        entry = _one(session, insert_entry(session, body, title, tags, when, import_key))
    assert entry is not None
    return entry


def update_entry(db: Journal, entry_id: int, body: str, title: str,
                 tags: Iterable[str]) -> Entry:
    """Replace an entry's title, body and tags."""
    title = clean_text(title, "title", limit=500)
    body = clean_text(body, "entry")
    wanted = clean_tags(tags)
    with db.write() as session:
        changed = session.execute(
            "UPDATE entries SET title = ?, body = ?, updated_at = ? WHERE id = ?",
            (title, body, to_stored(utcnow()), entry_id)).rowcount
        if not changed:
            raise LookupError(f"Entry {entry_id} no longer exists.")
        kept = {tag for (tag,) in session.execute(
            "SELECT tag FROM entry_tags WHERE entry_id = ?", (entry_id,))}
        session.execute_many("DELETE FROM entry_tags WHERE entry_id = ? AND tag = ?",
                             [(entry_id, tag) for tag in sorted(kept - set(wanted))])
        session.execute_many(INSERT_TAG, [(entry_id, tag) for tag in wanted if tag not in kept])
        entry = _one(session, entry_id)
    assert entry is not None
    return entry


def delete_entry(db: Journal, entry_id: int) -> None:
    """Delete an entry, and its words from the search index at once (not at the next search)."""
    with db.write() as session:
        session.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
    from db.erasure import erase_deleted

    erase_deleted(db)  # out of the search index and the -wal at once


def get_entry(db: Journal, entry_id: int) -> Entry | None:
    with db.read() as session:
        return _one(session, entry_id)


def count_entries(db: Journal) -> int:
    with db.read() as session:
        return int(session.execute("SELECT count(*) FROM entries").scalar() or 0)


def count_entries_since(db: Journal, when: datetime) -> int:
    """How many entries were written at or after ``when``: the row, in the newest-first
    list, of the first entry written before it (the Journal's timeline jumps there)."""
    with db.read() as session:
        return int(session.execute("SELECT count(*) FROM entries WHERE created_at >= ?",
                                   (to_stored(when),)).scalar() or 0)


def entry_dates(db: Journal) -> list[datetime]:
    """When each entry was written (aware UTC), newest first: the timeline's months."""
    with db.read() as session:
        rows = session.execute("SELECT created_at FROM entries ORDER BY created_at DESC")
        return [from_stored(r[0]) for r in rows]


def list_entries(db: Journal, offset: int = 0, limit: int | None = None,
                 tag: str | None = None, ids: Sequence[int] | None = None) -> list[Entry]:
    """Entries newest first, in pages (``offset``/``limit``) for lazy lists."""
    import json

    where, params = [], []
    if tag:
        where.append("EXISTS (SELECT 1 FROM entry_tags AS w WHERE w.entry_id = e.id "
                     "AND w.tag = ?)")
        params.append(tag)
    if ids is not None:
        where.append("e.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps([int(i) for i in ids]))
    sql = (SELECT_ENTRIES + (f" WHERE {' AND '.join(where)}" if where else "")
           + NEWEST_FIRST + " LIMIT ? OFFSET ?")
    with db.read() as session:
        return entries_from_rows(session.execute(
            sql, (*params, -1 if limit is None else limit, offset)))


def entries_at(db: Journal, offset: int, limit: int) -> list[Entry]:
    """Rows ``offset`` … ``offset + limit`` of the newest-first list. The Journal list
    reads the page holding whatever row is on screen (about 3 ms for a page even at the
    end of a 100-year journal)."""
    return list_entries(db, offset, limit)


def read_entries_between(session: Session, start: datetime | None = None,
                         end: datetime | None = None) -> list[Entry]:
    """Entries created in [start, end), oldest first, in the caller's transaction: the
    export of a 100-year journal reads 36,500 entries in a fraction of a second."""
    clauses, params = [], []
    if start is not None:
        clauses.append("e.created_at >= ?")
        params.append(to_stored(start))
    if end is not None:
        clauses.append("e.created_at < ?")
        params.append(to_stored(end))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return entries_from_rows(session.execute(
        f"{SELECT_ENTRIES}{where} ORDER BY e.created_at, e.id", params))


def entries_between(db: Journal, start: datetime | None = None,
                    end: datetime | None = None) -> list[Entry]:
    """:func:`read_entries_between` in a read transaction of its own."""
    with db.read() as session:
        return read_entries_between(session, start, end)


def all_tags(db: Journal) -> list[tuple[str, int]]:
    """Every tag with the number of entries carrying it, most used first."""
    with db.read() as session:
        return [(tag, count) for tag, count in session.execute(
            "SELECT tag, count(*) FROM entry_tags GROUP BY tag ORDER BY count(*) DESC, tag")]
