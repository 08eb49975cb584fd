"""Every SQL statement in Keel's code is prepared against a freshly migrated journal.

The readers and writers are SQL on :class:`db.access.Session` (docs/ARCHITECTURE.md, "One
data path"), while the SQLAlchemy models and the Alembic migrations define the schema. A
column renamed in a migration but not in a statement would fail only when a user reached
that statement; here it fails a test. The statements are found in the source itself
(every string in ``db/`` and ``desktop/`` that starts with a DML keyword, with the module
constants an f-string or a ``+`` names filled in), so a new statement needs no
registration. Each is run as ``EXPLAIN <statement>``: SQLite compiles it against the
schema — every table, column and function named must exist — and runs nothing.

A statement put together at run time from pieces this test cannot know is listed in
:data:`BUILT_AT_RUN_TIME` with the test that runs it; an unlisted one fails.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import pytest

from db.engine import Database

ROOT = Path(__file__).resolve().parents[2]
DML = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\s", re.S)
HOLE = "\x00hole\x00"

BUILT_AT_RUN_TIME: dict[str, str] = {
    # "file:line" of the statement -> where it runs against a real journal.
    "db/journal.py:list_entries": "test_search_index / gui journal tests (tag and id filters)",
    "db/journal.py:read_entries_between": "test_raw_snapshot (export through both journals)",
    "db/intake.py:check_journal_file": "test_intake (every table of an imported file)",
    "db/search.py:search": "test_search_index, test_search_everything (kinds and dates)",
    "db/search.py:_search_match": "test_search_index (keel search on both journals)",
    "db/portable.py:_select_all": "test_export_reads_every_table below; test_portable",
    "db/portable.py:is_empty_in": "test_portable (import into an empty journal, refusal)",
    "db/portable.py:_write_keel": "test_portable (settings, prompt states, drafts replaced/kept)",
    "db/portable.py:_merge_table": "test_portable (a round trip merged again adds 0 rows)",
}


def _sources() -> list[Path]:
    files = sorted((ROOT / "db").glob("*.py")) + sorted((ROOT / "desktop").rglob("*.py"))
    return [f for f in files if "migrations" not in f.parts]


_MODULE_CONSTANTS: dict[str, dict[str, str]] = {}


def _module_constants(module: str) -> dict[str, str]:
    """The string constants of Keel's module *module* (``db.rows``), for a constant
    another module imports (``from db.rows import DRAFT_COLUMNS``)."""
    if module not in _MODULE_CONSTANTS:
        _MODULE_CONSTANTS[module] = {}  # an import cycle resolves to nothing, not forever
        path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
        if path.is_file():
            _MODULE_CONSTANTS[module] = _constants(ast.parse(path.read_text(encoding="utf-8")))
    return _MODULE_CONSTANTS[module]


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (resolved in order), and string
    constants imported by name from Keel's own modules."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module \
                and node.module.split(".")[0] in ("db", "desktop"):
            theirs = _module_constants(node.module)
            for alias in node.names:
                if alias.name in theirs:
                    found[alias.asname or alias.name] = theirs[alias.name]
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            text = _text(node.value, found)
            if text is not None and HOLE not in text:
                found[node.targets[0].id] = text
    return found


def _text(node: ast.AST, names: dict[str, str]) -> str | None:
    """The string *node* evaluates to, with unknown parts as :data:`HOLE`; None if it is
    not a string expression at all."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                inner = _text(value.value, names) if isinstance(value, ast.FormattedValue) else None
                parts.append(HOLE if inner is None else inner)
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, names), _text(node.right, names)
        if left is None and right is None:
            return None
        return (HOLE if left is None else left) + (HOLE if right is None else right)
    return None


def _where(tree: ast.Module) -> dict[int, str]:
    """Line -> the enclosing ``Class.function`` (or function) name."""
    out: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                    out[line] = name
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def statements() -> tuple[list[tuple[str, str]], list[str]]:
    """(place, SQL) for every complete statement, and the places of those with holes."""
    complete: list[tuple[str, str]] = []
    holes: list[str] = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _constants(tree)
        where = _where(tree)
        seen_inside: set[int] = set()
        for node in ast.walk(tree):
            if id(node) in seen_inside:
                continue
            if not isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp):
                continue
            text = _text(node, names)
            if text is None or not DML.match(text):
                continue
            for inner in ast.walk(node):  # its parts are not statements of their own
                seen_inside.add(id(inner))
            place = f"{rel}:{node.lineno}"
            if HOLE in text:
                holes.append(f"{rel}:{where.get(node.lineno, '<module>')}")
            else:
                complete.append((place, text))
    return complete, holes


def _prepare(conn: sqlite3.Connection, sql: str) -> None:
    class Anything(dict):  # type: ignore[type-arg]
        def __missing__(self, key: str) -> None:
            return None

    if "sqlcipher_" in sql:  # SQLCipher's own functions exist on its driver only
        from db.opener import connect

        conn = connect(Path(conn.execute("PRAGMA database_list").fetchone()[2]),  # type: ignore[assignment]
                       readonly=True, threads=False, cipher=True)
    params: object = Anything() if re.search(r"(?<![:\w]):[A-Za-z_]\w*", sql) else ()
    try:
        conn.execute("EXPLAIN " + sql, params)  # type: ignore[arg-type]
    except sqlite3.ProgrammingError as exc:
        wanted = re.search(r"uses (\d+), and there are", str(exc))
        if not wanted:
            raise
        conn.execute("EXPLAIN " + sql, (None,) * int(wanted.group(1)))


def test_the_collector_finds_the_shared_statements() -> None:
    complete, holes = statements()
    found = "\n".join(sql for _place, sql in complete)
    assert len(complete) > 40, len(complete)
    for piece in ("INSERT INTO entries (id, title, body, created_at, updated_at, import_key)",
                  "SELECT value FROM settings WHERE key = ?",
                  "SELECT count(*) FROM search_pending"):
        assert piece in found
    assert "db/journal.py:list_entries" in holes


def test_every_statement_compiles_against_the_migrated_schema(db: Database) -> None:
    from db.opener import connect

    complete, _holes = statements()
    conn = connect(db.path, readonly=True, threads=False)
    failed = []
    try:
        for place, sql in complete:
            try:
                _prepare(conn, sql)
            except sqlite3.Error as exc:
                failed.append(f"{place}: {exc}: {' '.join(sql.split())[:160]}")
    finally:
        conn.close()
    assert failed == [], "\n".join(failed)


def test_statements_built_at_run_time_are_listed() -> None:
    _complete, holes = statements()
    unlisted = sorted(set(holes) - set(BUILT_AT_RUN_TIME))
    assert unlisted == [], (
        "SQL put together at run time from parts this test cannot see; make it a constant, "
        f"or list it in BUILT_AT_RUN_TIME with the test that runs it: {unlisted}")


@pytest.mark.parametrize("broken", ["SELECT titel FROM entries",
                                    "INSERT INTO entry_tag (entry_id, tag) VALUES (?, ?)",
                                    "UPDATE settings SET valu = :v WHERE key = :k"])
def test_a_renamed_column_or_table_fails(db: Database, broken: str) -> None:
    from db.opener import connect

    conn = connect(db.path, readonly=True, threads=False)
    try:
        with pytest.raises(sqlite3.OperationalError):
            _prepare(conn, broken)
    finally:
        conn.close()


def test_export_reads_every_table(db: Database) -> None:
    """The JSON export's statement, built from the models for each table, compiles."""
    from db.opener import connect
    from db.portable import _select_all, _tables

    conn = connect(db.path, readonly=True, threads=False)
    try:
        for table in _tables():
            _prepare(conn, _select_all(table))
    finally:
        conn.close()
