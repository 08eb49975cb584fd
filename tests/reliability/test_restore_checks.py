"""Issue 15, part 3: restore checks what it gets. An empty file, a file that is not
SQLite, a SQLite file that is not a Keel journal, a journal from a newer Keel, a damaged
one and one whose rows Keel cannot use are refused with one line naming the file, and the
journal is not touched (same bytes, no pre-restore backup). Before, all were accepted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.reliability.helpers import file_sha, keel, make_journal


def _copy(src: Path, dst: Path) -> None:
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def _bad_files(folder: Path, journal: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {}
    files["empty"] = folder / "empty.sqlite3"
    files["empty"].write_bytes(b"")
    files["text"] = folder / "notes.txt"
    files["text"].write_text("just some text, not a database\n")
    files["not keel"] = folder / "other app.sqlite3"
    conn = sqlite3.connect(files["not keel"])
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO things (name) VALUES ('x')")
    conn.commit()
    conn.close()
    for name, sql in (("newer", "UPDATE alembic_version SET version_num = '9999'"),
                      ("bogus kind", "UPDATE answers SET kind = 'bogus'"),
                      ("year 9999", "UPDATE entries SET created_at = '9999-12-31 23:00:00.000000'"),
                      ("profile not json", "UPDATE settings SET value = '{oops' "
                                           "WHERE key = 'profile'")):
        target = folder / f"{name}.sqlite3"
        _copy(journal, target)
        conn = sqlite3.connect(target)
        conn.execute(sql)
        conn.commit()
        conn.close()
        files[name] = target
    damaged = folder / "damaged.sqlite3"
    _copy(journal, damaged)
    data = bytearray(damaged.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 6), 7):  # interior pages
        data[offset] ^= 0xFF
    damaged.write_bytes(bytes(data))
    files["damaged"] = damaged
    return files


def test_restore_refuses_what_is_not_a_usable_keel_journal(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "data", years=0.3)
    conn = sqlite3.connect(paths.database)
    assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM settings WHERE key='profile'").fetchone()[0] == 1
    conn.close()
    files = _bad_files(tmp_path / "odd folder #1 %", paths.database)
    before = file_sha(paths.database)
    backups_before = sorted(p.name for p in paths.backups.iterdir())
    for name, path in files.items():
        done = keel("restore", str(path), data_dir=paths.data_dir)
        assert done.returncode != 0, (name, done.stdout)
        assert "Traceback" not in done.stderr, (name, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path.name) in lines[0], (name, done.stderr)
        assert file_sha(paths.database) == before, name
        assert sorted(p.name for p in paths.backups.iterdir()) == backups_before, name


@pytest.mark.parametrize("name", ["good"])
def test_a_sound_backup_still_restores(tmp_path: Path, name: str) -> None:
    paths = make_journal(tmp_path / "data", years=0.3)
    good = tmp_path / "good.sqlite3"
    _copy(paths.database, good)
    done = keel("restore", str(good), data_dir=paths.data_dir)
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------- restore, fuzzed (item 2)

import os  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.unit.test_intake import use_everything  # noqa: E402 - the import fuzzer's check

RESTORE_FIGURES = {"tried": 0, "refused": 0, "accepted": 0, "tracebacks": 0,
                   "journal_touched": 0}
_COLUMNS = [("entries", "title"), ("entries", "body"), ("entries", "created_at"),
            ("entries", "id"), ("answers", "kind"), ("answers", "value_number"),
            ("answers", "value_text"), ("answers", "answered_at"), ("answers", "checkin_id"),
            ("answers", "prompt_id"), ("checkins", "started_at"), ("checkins", "completed_at"),
            ("settings", "value"), ("prompt_states", "snoozed_until"),
            ("prompt_states", "last_answered_at"), ("alembic_version", "version_num"),
            ("entry_tags", "entry_id"), ("tags", "name")]
_VALUES = st.one_of(
    st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, -1, 2**62, "", "{oops", "bogus", "0001-01-01 00:00:00",
                     "9999-12-31 23:59:59", "not a date", b"\x00\xff", "x\x00y",
                     float("nan"), float("inf"), 1e308]),
    st.text(max_size=20), st.floats())
_MUTATION = st.one_of(
    st.tuples(st.just("row"), st.sampled_from(_COLUMNS), _VALUES),
    st.tuples(st.just("bytes"), st.lists(st.tuples(st.integers(0, 400_000),
                                                   st.integers(1, 255)), min_size=1, max_size=8),
              st.none()),
    st.tuples(st.just("truncate"), st.integers(0, 400_000), st.none()),
)


@pytest.fixture(scope="module")
def restore_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("restore template")
    paths = make_journal(base / "data", years=0.1)
    source = base / "source.sqlite3"
    _copy(paths.database, source)
    return paths.data_dir, source


def _mutated(source: Path, target: Path, mutation: tuple) -> None:  # type: ignore[type-arg]
    kind, what, value = mutation
    _copy(source, target)
    if kind == "row":
        table, column = what
        conn = sqlite3.connect(target)
        try:
            conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = '
                         f'(SELECT min(rowid) FROM "{table}")', (value,))
            conn.commit()
        except (sqlite3.Error, UnicodeEncodeError):
            pass  # a constraint refused it: the file stays sound
        finally:
            conn.close()
        return
    data = bytearray(target.read_bytes())
    if kind == "truncate":
        del data[what % max(len(data), 1):]
    else:
        for offset, xor in what:
            data[offset % len(data)] ^= xor
    target.write_bytes(bytes(data))


@settings(max_examples=int(os.environ.get("KEEL_FUZZ_EXAMPLES", "40")), deadline=None,
          derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                   HealthCheck.too_slow,
                                                   HealthCheck.data_too_large])
@given(mutation=_MUTATION)
def test_fuzzed_backups_are_refused_in_one_line_or_fully_usable(
        restore_template: tuple[Path, Path], tmp_path: Path, mutation: tuple) -> None:  # type: ignore[type-arg]
    """A backup with a hostile value in any column, flipped bytes or cut short: restore
    refuses it in one line (the journal untouched), or takes it and everything works
    afterwards (due plan, exports, re-import: ``use_everything`` of the import fuzzer)."""
    import shutil

    from db.backup import BackupError, restore
    from db.journal_file import open_database
    from desktop.core.errors import UserError
    from tests.reliability.helpers import NOW

    RESTORE_FIGURES["tried"] += 1
    folder = tmp_path / f"case {RESTORE_FIGURES['tried']} #?%é"
    data_dir, source = restore_template
    shutil.copytree(data_dir, folder / "data")
    database = folder / "data" / "keel.sqlite3"
    backup = folder / "backup.sqlite3"
    _mutated(source, backup, mutation)
    before = file_sha(database)
    try:
        restore(backup, database, folder / "data" / "backups", folder / "data" / "damaged", NOW)
    except BackupError as exc:
        RESTORE_FIGURES["refused"] += 1
        assert "\n" not in str(exc) and backup.name in str(exc), str(exc)
        if file_sha(database) != before:
            RESTORE_FIGURES["journal_touched"] += 1
            raise AssertionError("a refused restore changed the journal") from None
        return
    except Exception:
        RESTORE_FIGURES["tracebacks"] += 1
        raise
    RESTORE_FIGURES["accepted"] += 1
    db = open_database(database, folder / "data" / "backups")
    try:
        use_everything(db, folder)
    except UserError:
        RESTORE_FIGURES["tracebacks"] += 1
        raise
    finally:
        db.close()


def test_zz_restore_fuzz_figures(figure) -> None:  # type: ignore[no-untyped-def]
    figure("R41", "fuzzed backups restored (tried)", RESTORE_FIGURES["tried"], "—")
    figure("R41", "  refused in one line / accepted and usable",
           f"{RESTORE_FIGURES['refused']} / {RESTORE_FIGURES['accepted']}", "—")
    figure("R41", "  tracebacks or accepted-then-broken", RESTORE_FIGURES["tracebacks"], "0")
    figure("R41", "  refused but the journal changed", RESTORE_FIGURES["journal_touched"], "0")
