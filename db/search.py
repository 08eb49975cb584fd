"""Full-text search over everything a user writes (SQLite FTS5).

The index (``search_fts``, migrations 0003–0005) holds entries (body, title, tags),
check-in answers' text, check-in reflections, job options and decisions. Its rowid is
``source_id * 4 + kind`` (see :data:`KINDS`), or minus the id for a decision. It is an
*external-content* FTS5 table: the text is read through the view ``search_source`` and
never copied, so the journal holds one copy of what the user wrote. Triggers note
changed rows (with the values the index holds for them) in ``search_pending``, and
:func:`fold_pending` brings the index in step inside every writer's transaction — the
index is current whenever the text is, and no search ever waits for it to be built.

The view and the values the triggers save are the same expressions (frozen in
migrations 0003 and 0004): a change to what is indexed changes both, in one new migration that
ends with FTS5's ``rebuild``.

User text never reaches FTS5's query parser as typed: :func:`fts_query` quotes every
term, keeps ``"phrases"`` and ``prefix*`` terms, and treats ``OR`` / ``AND`` / ``NOT`` as
operators only where they have a term on both sides — anywhere else they are plain words.
A stray quote, a lone ``NOT`` or a bracket therefore never raises.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import TYPE_CHECKING, Any

from db.timeutil import from_db

if TYPE_CHECKING:
    from db.access import Journal, Session

KINDS: tuple[str, ...] = ("entry", "answer", "reflection", "option", "decision")
"""Kinds of search hit. For the first four, the kind's index is the remainder of the
(non-negative) FTS rowid divided by 4; a decision's rowid is minus its id (migration 0004:
the key scheme has no fifth remainder)."""
DECISION = KINDS.index("decision")

HIGHLIGHT_START = "\x02"
"""Marks the start of a matched word in :attr:`SearchHit.snippet`."""
HIGHLIGHT_END = "\x03"
"""Marks the end of a matched word in :attr:`SearchHit.snippet`."""

SEARCH_TABLES = frozenset({"search_fts", "search_pending", "search_purge", "search_source"})
"""Tables (and the view) of the search index; they have no ORM model (see :func:`include_object`)."""

COLUMNS = ("body", "title", "tags")
"""The index's columns in their order (migration 0005: the body first, where FTS5 stores
word positions most compactly)."""
WEIGHT_OF = {"title": 10.0, "body": 1.0, "tags": 4.0}
"""Keel's bm25 weights: a word in a title counts ten times a word in a body."""
COLUMN_WEIGHTS = tuple(WEIGHT_OF[name] for name in COLUMNS)
"""The weights in the index's column order, as ``bm25()`` takes them."""

REBUILD_SHARE = 4
"""Keel's threshold: when one commit changed more than a quarter of the indexed rows (an
import into an empty or small journal), the fold rebuilds the whole index from the view,
which is faster than looking rows up one by one."""

_FOLD_DELETE = ("INSERT INTO search_fts(search_fts, rowid, title, body, tags) "
                "SELECT 'delete', key, title, body, tags FROM search_pending WHERE indexed")
_FOLD_INSERT = ("INSERT INTO search_fts(rowid, title, body, tags) "
                "SELECT key, title, body, tags FROM search_source WHERE key = ?")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic ``include_object`` hook: leave the search index out of model comparison.

    FTS5 creates shadow tables (``search_fts_data``, ``_idx``, ``_docsize``, ``_config``)
    and the key indexes ``ix_search_key_*`` that no model describes; they are managed by
    migrations 0002–0005.
    """
    if type_ == "table" and name is not None:
        return not (name in SEARCH_TABLES or name.startswith("search_fts_"))
    if type_ == "index" and name is not None:
        return not name.startswith("ix_search_key_")
    return True


# --------------------------------------------------------------------------- the query


_OPERATORS = frozenset({"OR", "AND", "NOT"})
_WORDISH_RE = re.compile(r"\w", re.UNICODE)


def _tokens(query: str) -> list[tuple[str, str]]:
    """Split user text into ``("phrase"|"word", text)``; an unclosed quote runs to the end."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        if ch == '"':
            end = query.find('"', i + 1)
            end = n if end < 0 else end
            tokens.append(("phrase", query[i + 1:end]))
            i = end + 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] != '"':
            j += 1
        tokens.append(("word", query[i:j]))
        i = j
    return tokens


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _term(kind: str, raw: str, prefix_all: bool) -> str | None:
    """The FTS5 form of one term, or None when it has nothing searchable in it."""
    if kind == "phrase":
        return _quote(raw) if _WORDISH_RE.search(raw) else None
    prefix = raw.endswith("*") or prefix_all
    word = raw.rstrip("*")
    if not _WORDISH_RE.search(word):
        return None
    return _quote(word) + ("*" if prefix else "")


def fts_query(query: str, prefix_all: bool = False) -> str | None:
    """Turn what a user typed into a safe FTS5 query; None when nothing is searchable.

    ``"two words"`` is a phrase, ``word*`` a prefix, and ``OR`` / ``AND`` / ``NOT`` (in
    capitals) combine the terms on either side; an operator without a term on both
    sides is searched for as a plain word. With *prefix_all* every word is a prefix.
    """
    items: list[tuple[str, str]] = []  # ("term", fts) or ("op", name)
    tokens = _tokens(query)
    for kind, raw in tokens:
        if kind == "word" and raw in _OPERATORS:
            items.append(("op", raw))
            continue
        term = _term(kind, raw, prefix_all)
        if term is not None:
            items.append(("term", term))
    out: list[str] = []
    for index, (kind, value) in enumerate(items):
        if kind == "op":
            before = bool(out) and out[-1] not in _OPERATORS
            after = index + 1 < len(items) and items[index + 1][0] == "term"
            if before and after:
                out.append(value)
            else:
                out.append(_quote(value.lower()) + ("*" if prefix_all else ""))
            continue
        out.append(value)
    return " ".join(out) or None


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SearchHit:
    """One search result, best first in a result list."""

    kind: str
    """``entry``, ``answer``, ``reflection``, ``option`` or ``decision``."""
    id: int
    """Id of the entry, answer, check-in (for a reflection), option or decision."""
    title: str
    date: datetime | None
    """When it was written (aware UTC)."""
    snippet: str
    """A stretch of the matching text; matches are wrapped in HIGHLIGHT_START/END."""
    rank: float
    """bm25 score: lower is a better match."""
    tags: tuple[str, ...] = ()
    checkin_id: int | None = None
    """For an answer: the check-in it belongs to."""

    def snippet_text(self, start: str = "", end: str = "") -> str:
        """The snippet with the highlight markers replaced by *start* / *end*."""
        return self.snippet.replace(HIGHLIGHT_START, start).replace(HIGHLIGHT_END, end)

    def snippet_html(self) -> str:
        """The snippet as escaped HTML with matches in ``<b>``."""
        import html

        return html.escape(self.snippet).replace(HIGHLIGHT_START, "<b>").replace(
            HIGHLIGHT_END, "</b>")


def _run(session: Session, sql: str, params: dict[str, Any] | None = None) -> Any:
    """Execute SQL on a :class:`db.access.Session` (plain ``sqlite3`` or the connection
    under SQLAlchemy alike), so the short CLI commands search without SQLAlchemy."""
    return session.execute(sql, params or {})


def build_whole_index(session: Session) -> None:
    """Index every row of the view afresh ('rebuild'), then merge what FTS5 wrote into one
    segment ('optimize').

    A rebuild flushes its terms in batches, one segment each; merging them drops the
    repeated terms and segment headers: Keel measured the index 2.5 % smaller (1 % of the
    file) on the 10- and 100-year journals of ``benchmarks/storage.py``, for about 1 s of
    CPU at 100 years. Used wherever the whole index is built: a bulk import's fold, a
    restore, an interrupted restore's repair, and after a migration (:func:`merge_index`).
    """
    session.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
    session.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")


def merge_index(conn: Any) -> bool:
    """Merge the index's segments into one on a DB-API connection in autocommit mode
    (after a migration rebuilt it; see :func:`build_whole_index`). True if done; a
    schema without the external-content index (before 0003) is left alone."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_purge'").fetchone():
        return False
    conn.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
    return True


def fold_pending(session: Session) -> int:
    """Bring the index in step with the rows changed since the last fold; how many were.

    Every writer calls this inside its transaction, just before COMMIT (the engine's
    commit hook, ``PlainJournal.write``), so the index is current whenever the text
    is. The triggers of migration 0003 saved each changed row's indexed values in
    ``search_pending``: those are deleted from the index (FTS5's external-content
    ``delete`` needs the exact old text), then the rows as they are now are indexed from
    the view ``search_source``. A commit that changed more than 1/REBUILD_SHARE of the
    index (and more than 256 rows) rebuilds it instead. Old words that a ``delete`` left
    in the index's segments are flagged in ``search_purge`` for :func:`sync_index`.
    """
    pending = int(session.execute("SELECT count(*) FROM search_pending").scalar() or 0)
    if not pending:
        return 0
    rebuild = False
    if pending > 256:  # counting the index costs a scan: only for a bulk change
        indexed = int(session.execute("SELECT count(*) FROM search_fts_docsize").scalar() or 0)
        rebuild = pending * REBUILD_SHARE > indexed
    if rebuild:
        # 'rebuild' throws the whole index away and reads every row again: no old words
        # stay behind, whatever was pending.
        build_whole_index(session)
    else:
        removed = int(session.execute(
            "SELECT count(*) FROM search_pending WHERE indexed").scalar() or 0)
        if removed:
            session.execute(_FOLD_DELETE)
            session.execute("INSERT OR IGNORE INTO search_purge(id) VALUES (1)")
        keys = session.execute("SELECT key FROM search_pending").all()
        session.execute_many(_FOLD_INSERT, [(key,) for (key,) in keys])
    session.execute("DELETE FROM search_pending")
    return pending


def fold_on_commit(conn: Any) -> None:
    """The SQLAlchemy engine's commit hook: :func:`fold_pending` on ``conn`` (a
    ``Connection`` inside the transaction being committed) once the schema has the
    external-content index (revision 0003; an older one is being migrated)."""
    info = conn.info
    if not info.get("keel_search_fold"):
        found = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_purge'").scalar()
        if not found:
            return
        info["keel_search_fold"] = True
    from db.access import SqlSession

    fold_pending(SqlSession(conn.connection.driver_connection))


_UNBUILT = ("(NOT EXISTS (SELECT 1 FROM search_fts_docsize) "
            "AND EXISTS (SELECT 1 FROM search_source))")


def sync_index(db: Journal) -> int:
    """Fold in rows a writer outside Keel left pending, and rewrite the index when old
    words still sit in it (after an edit or a delete), so deleted text leaves the file.

    Keel's own writers fold at every commit, so searching never waits for an index
    build; the rewrite ("optimize": about 30 ms at 10 years, 300 ms at 100) runs after
    edits — in the background on the UI thread's behalf — or before the next search.
    Returns how many rows were pending plus 1 when the index was rewritten.
    """
    with db.read() as session:
        waiting = _run(session, "SELECT (SELECT count(*) FROM search_pending) + "
                       "(SELECT count(*) FROM search_purge) + " + _UNBUILT).scalar() or 0
    if not waiting:
        return 0
    with db.write() as session:
        if session.execute(f"SELECT {_UNBUILT}").scalar():
            # A restore was interrupted between copying a backup without an index
            # (db.backup) and indexing it: build it now, once.
            build_whole_index(session)
            session.execute("DELETE FROM search_pending")
        done = fold_pending(session)
        if session.execute("SELECT count(*) FROM search_purge").scalar():
            # FTS5 keeps a deleted row's terms in its segments (behind a tombstone) until
            # they merge; optimize rewrites them so the old words are gone from the file
            # (secure_delete then zeroes the freed pages).
            session.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
            session.execute("DELETE FROM search_purge")
            done += 1
    return done


def restore_index(conn: Any) -> bool:
    """Rebuild the index on a DB-API connection (autocommit) when it is empty but there
    is text to index — a compressed backup holds no index (``db.backup``). True if built.

    The index is otherwise never partly built (every build is one transaction), so an
    empty index beside text is the one case to repair. A schema older than 0003 is left
    to its migration.
    """
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_purge'").fetchone():
        return False
    if conn.execute("SELECT EXISTS (SELECT 1 FROM search_fts_docsize)").fetchone()[0]:
        return False
    if not conn.execute("SELECT EXISTS (SELECT 1 FROM search_source)").fetchone()[0]:
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        from db.access import SqlSession

        build_whole_index(SqlSession(conn))
        conn.execute("DELETE FROM search_pending")
        conn.execute("DELETE FROM search_purge")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def _bound(value: date | datetime | None, tz: tzinfo | None, end: bool) -> str | None:
    """A stored-format (naive UTC) time; a calendar *end* day is included whole."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        day = value + timedelta(days=1) if end else value
        value = datetime.combine(day, time(0), tzinfo=tz or UTC)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


@cache
def _library_questions() -> dict[str, str]:
    from desktop.core.prompt_library import load_library

    return {p.id: p.question for p in load_library().prompts}


def _prompt_titles(session: Session, prompt_ids: Iterable[str]) -> dict[str, str]:
    titles = {}
    library = _library_questions()
    missing = []
    for pid in set(prompt_ids):
        if pid in library:
            titles[pid] = library[pid]
        else:
            missing.append(pid)
    if missing:
        rows = _run(session, "SELECT id, question FROM custom_prompts WHERE id IN "
                    "(SELECT value FROM json_each(:ids))", {"ids": _json(missing)})
        titles.update({pid: question for pid, question in rows})
    return titles


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def search(
    db: Journal,
    query: str,
    tags: Sequence[str] = (),
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    kinds: Collection[str] | None = None,
    limit: int = 200,
    tz: tzinfo | None = None,
) -> list[SearchHit]:
    """Ranked hits for what the user typed, best first.

    *tags* keeps only entries carrying every one of them; *start* / *end* are calendar
    days in *tz* (both included) or exact datetimes; *kinds* limits the kinds of hit.
    Never raises for odd query text: a query with nothing searchable returns ``[]``.
    """
    match = fts_query(query)
    if match is None:
        return []
    wanted = [KINDS.index(k) for k in (kinds or KINDS) if k in KINDS]
    if not wanted:
        return []
    sync_index(db)
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    arms = []
    fours = [i for i in wanted if i != DECISION]
    if fours:
        arms.append(f"(search_fts.rowid >= 0 AND search_fts.rowid % 4 IN "
                    f"({', '.join(map(str, fours))}))")
    if DECISION in wanted:
        arms.append("search_fts.rowid < 0")
    where = ["search_fts MATCH :match", f"({' OR '.join(arms)})"]
    params: dict[str, Any] = {"match": match, "limit": max(1, int(limit)),
                              "hs": HIGHLIGHT_START, "he": HIGHLIGHT_END}
    when = ("CASE WHEN search_fts.rowid < 0 THEN d.decided_at "
            "WHEN search_fts.rowid % 4 = 0 THEN e.created_at "
            "WHEN search_fts.rowid % 4 = 1 THEN a.answered_at "
            "WHEN search_fts.rowid % 4 = 2 THEN coalesce(c.completed_at, c.started_at) "
            "ELSE o.updated_at END")
    low, high = _bound(start, tz, end=False), _bound(end, tz, end=True)
    if low is not None:
        where.append(f"{when} >= :low")
        params["low"] = low
    if high is not None:
        where.append(f"{when} < :high")
        params["high"] = high
    for i, tag in enumerate(dict.fromkeys(t.strip() for t in tags if t.strip())):
        where.append(f"EXISTS (SELECT 1 FROM entry_tags AS t{i} WHERE t{i}.entry_id = e.id "
                     f"AND t{i}.tag = :tag{i})")
        params[f"tag{i}"] = tag
    sql = f"""
        SELECT search_fts.rowid, bm25(search_fts, {weights}) AS rank,
               snippet(search_fts, -1, :hs, :he, '…', 14), search_fts.title, {when},
               (SELECT group_concat(t.tag, char(31)) FROM entry_tags AS t WHERE t.entry_id = e.id),
               a.prompt_id, a.checkin_id
        FROM search_fts
        LEFT JOIN entries AS e ON search_fts.rowid % 4 = 0 AND e.id = search_fts.rowid / 4
        LEFT JOIN answers AS a ON search_fts.rowid % 4 = 1 AND a.id = search_fts.rowid / 4
        LEFT JOIN checkins AS c ON search_fts.rowid % 4 = 2 AND c.id = search_fts.rowid / 4
        LEFT JOIN job_options AS o ON search_fts.rowid % 4 = 3 AND o.id = search_fts.rowid / 4
        LEFT JOIN decisions AS d ON search_fts.rowid < 0 AND d.id = -search_fts.rowid
        WHERE {' AND '.join(where)}
        ORDER BY rank, search_fts.rowid DESC
        LIMIT :limit
    """
    with db.read() as session:
        rows = list(_run(session, sql, params))
        titles = _prompt_titles(session, (r[6] for r in rows if r[6]))
    hits = []
    for key, rank, snip, title, at, tag_text, prompt_id, checkin_id in rows:
        kind = KINDS[DECISION] if key < 0 else KINDS[key % 4]
        if kind == "answer":
            title = titles.get(prompt_id, prompt_id or "Check-in answer")
        elif kind == "reflection":
            title = "Check-in reflection"
        elif kind == "entry" and not (title or "").strip():
            title = "Untitled"
        hits.append(SearchHit(
            kind=kind,
            id=-key if key < 0 else key // 4,
            title=title,
            date=_parse(at),
            snippet=snip or "",
            rank=float(rank),
            tags=tuple(tag_text.split("\x1f")) if kind == "entry" and tag_text else (),
            checkin_id=checkin_id if kind == "answer" else (key // 4 if kind == "reflection" else None),
        ))
    return hits


def _parse(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return from_db(value)
    return from_db(datetime.fromisoformat(str(value)))


def search_entries(db: Journal, text_: str, limit: int = 500) -> list[int]:
    """Ids of entries matching every word of *text_* (as word prefixes), best match first."""
    if fts_query(text_, prefix_all=True) is None:
        return []
    return [hit.id for hit in search_entries_hits(db, text_, limit=limit)]


def search_entries_hits(db: Journal, text_: str, limit: int = 500) -> list[SearchHit]:
    """Entry hits for the Journal page's search box: words match as prefixes while typing."""
    match = fts_query(text_, prefix_all=True)
    if match is None:
        return []
    return _search_match(db, match, limit)


def _search_match(db: Journal, match: str, limit: int) -> list[SearchHit]:
    # search() builds its query from user text; here the match is already made safe.
    sync_index(db)
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    sql = f"""
        SELECT search_fts.rowid, bm25(search_fts, {weights}) AS rank,
               snippet(search_fts, -1, :hs, :he, '…', 14), e.title, e.created_at,
               (SELECT group_concat(t.tag, char(31)) FROM entry_tags AS t WHERE t.entry_id = e.id)
        FROM search_fts JOIN entries AS e ON e.id = search_fts.rowid / 4
        WHERE search_fts MATCH :match AND search_fts.rowid % 4 = 0
        ORDER BY rank, search_fts.rowid DESC LIMIT :limit
    """
    with db.read() as session:
        rows = list(_run(session, sql, {
            "match": match, "limit": limit, "hs": HIGHLIGHT_START, "he": HIGHLIGHT_END}))
    return [
        SearchHit("entry", key // 4, (title or "").strip() or "Untitled", _parse(at), snip or "",
                  float(rank), tuple(tags.split("\x1f")) if tags else ())
        for key, rank, snip, title, at, tags in rows
    ]
