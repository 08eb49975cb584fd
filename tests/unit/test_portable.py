"""JSON export/import round trip, jrnl and Day One imports, and bad import files."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db import portable
from db.engine import Database
from db.journal import create_entry, list_entries
from db.journal_file import open_database
from db.search import search
from desktop.core.errors import UserError
from desktop.demo import generate

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _all_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'search_%' "
            "AND name NOT LIKE 'sqlite_%' AND name <> 'alembic_version'")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}
    finally:
        conn.close()


@pytest.fixture
def other(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "other").mkdir()
    database = open_database(tmp_path / "other" / "k.sqlite3")
    yield database
    database.close()


def test_round_trip_restores_every_row_of_every_table(db: Database, other: Database,
                                                      tmp_path: Path) -> None:
    generate(db, 1, NOW)
    create_entry(db, "NUL\x00 and emoji 🧭 and RTL שלום", "odd", ["x"], when=NOW)
    path = tmp_path / "journal.json"
    path.write_text("".join(portable.iter_export_json(db, NOW)), encoding="utf-8")
    report = portable.import_file(other, path)
    original, restored = _all_rows(db.path), _all_rows(other.path)
    assert set(original) == set(restored)
    for table, rows in original.items():
        assert rows == restored[table], table
    assert report.added == sum(len(r) for r in original.values())
    # The search index is rebuilt for the restored rows.
    assert [h.title for h in search(other, "emoji")] == ["odd"]


def test_import_into_a_journal_with_entries_needs_merge_and_never_duplicates(
        db: Database, other: Database, tmp_path: Path) -> None:
    generate(db, 0.5, NOW)
    path = tmp_path / "journal.json"
    path.write_text("".join(portable.iter_export_json(db, NOW)), encoding="utf-8")
    create_entry(other, "mine", "Already here", when=NOW)
    with pytest.raises(UserError, match="--merge"):
        portable.import_file(other, path)
    assert len(list_entries(other)) == 1
    first = portable.import_file(other, path, merge=True)
    count = len(list_entries(other))
    second = portable.import_file(other, path, merge=True)
    assert count == len(list_entries(db)) + 1
    assert len(list_entries(other)) == count
    assert first.added > 0 and second.added == 0
    # Events point at options by id: merged, they point at the same options' new ids
    # (they were merged before the options once, and lost the reference).
    def events(database: Database) -> list[tuple]:  # type: ignore[type-arg]
        conn = sqlite3.connect(database.path)
        try:
            return sorted(conn.execute(
                "SELECT e.kind, e.occurred_at, o.organisation, o.role FROM events AS e "
                "LEFT JOIN job_options AS o ON o.id = e.ref_id").fetchall(), key=repr)
        finally:
            conn.close()

    assert events(other) == events(db) and all(row[2] for row in events(db))


@pytest.mark.parametrize(("text", "named"), [
    ('{"format": "keel-journal", "version": 1, "tables": {"entries": [', "line 1"),
    ('{\n "format": "keel-journal",\n "version": 1,\n "tables": {\n  "entries": [}\n}', "line 5"),
    ('{"format": "keel-journal", "version": 1, "tables": {"entries": [{"id": 1, "title": "t",'
     ' "body": "b", "created_at": 5, "updated_at": "2025-01-01T00:00:00"}]}}',
     "tables.entries[0].created_at"),
    ('{"format": "keel-journal", "version": 1, "tables": {"nonsense": []}}', "tables.nonsense"),
    ('{"format": "keel-journal", "tables": {}}', "version"),
    ('{"entries": [{"title": "a", "body": "b", "time": "10:00"}]}', "entries[0].date"),
    ('{"metadata": {}, "entries": [{"uuid": "u1", "creationDate": "yesterday", "text": "x"}]}',
     "entries[0].creationDate"),
])
def test_bad_import_file_names_the_line_or_key_and_writes_nothing(
        db: Database, tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        portable.import_file(db, path)
    assert named in str(caught.value)
    assert "Nothing was imported" in str(caught.value)
    assert portable.is_empty(db)


def test_a_bad_row_late_in_a_file_writes_nothing(db: Database, tmp_path: Path) -> None:
    rows = [{"id": i, "title": f"t{i}", "body": "b", "created_at": "2025-01-01T00:00:00",
             "updated_at": "2025-01-01T00:00:00", "import_key": None} for i in range(1, 50)]
    rows.append({"id": 50, "title": None, "body": "b", "created_at": "2025-01-01T00:00:00",
                 "updated_at": "2025-01-01T00:00:00"})
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"format": "keel-journal", "version": 1,
                                "tables": {"entries": rows}}), encoding="utf-8")
    with pytest.raises(UserError, match=r"tables\.entries\[49\]\.title"):
        portable.import_file(db, path)
    assert list_entries(db) == []


def test_jrnl_import_keeps_dates_and_tags(db: Database) -> None:
    report = portable.import_file(db, FIXTURES / "jrnl.json", tz=UTC)
    assert report.added == 2
    entries = {e.title: e for e in list_entries(db)}
    paper = entries["Finished the interpretability paper."]
    assert paper.created_at == datetime(2023, 3, 14, 21, 5, tzinfo=UTC)
    assert paper.tags == ("career", "reading")
    assert "starred" in entries["Call with a former colleague."].tags


def test_dayone_import_keeps_title_text_dates_and_tags(db: Database) -> None:
    portable.import_file(db, FIXTURES / "dayone.json")
    entries = {e.created_at: e for e in list_entries(db)}
    offer = entries[datetime(2023, 5, 20, 18, 42, 7, tzinfo=UTC)]
    assert offer.title == "Offer from the lab"
    assert "answer by Friday. The team publishes everything!" in offer.body
    assert "- what the team open-sources" in offer.body
    assert offer.tags == ("career", "offers")


@pytest.mark.parametrize("name", ["jrnl.json", "dayone.json"])
def test_importing_the_same_file_twice_never_duplicates(db: Database, name: str) -> None:
    portable.import_file(db, FIXTURES / name)
    again = portable.import_file(db, FIXTURES / name, merge=True)
    assert again.added == 0 and again.skipped == 2
    assert len(list_entries(db)) == 2


def test_newer_format_version_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text('{"format": "keel-journal", "version": 99, "tables": {}}', encoding="utf-8")
    with pytest.raises(UserError, match="newer Keel"):
        portable.import_file(db, path)


def _keel_file(tmp_path: Path, tables: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "checkins.json"
    path.write_text(json.dumps({"format": "keel-journal", "version": 1, "tables": tables}),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("merge", [False, True])
def test_imported_checkins_go_through_the_checkin_writer(db: Database, tmp_path: Path,
                                                         merge: bool) -> None:
    # Columns the file leaves out get the model's defaults from the SQL writer (the ORM
    # supplied them before); the writer's rules apply (a yes/no answer is stored as 1/0).
    from db.checkins import list_checkins

    if merge:
        create_entry(db, "mine", when=NOW)
    path = _keel_file(tmp_path, {
        "checkins": [{"id": 7, "started_at": "2025-01-01T09:00:00",
                      "completed_at": "2025-01-01T09:10:00"}],
        "answers": [{"id": 3, "checkin_id": 7, "prompt_id": "switch-within-3-months",
                     "answered_at": "2025-01-01T09:10:00", "kind": "yesno",
                     "value_number": 5}]})
    report = portable.import_file(db, path, merge=merge)
    assert (report.added, report.skipped) == (2, 0)
    [checkin] = list_checkins(db)
    assert (checkin.adhoc, checkin.reflection) == (False, "")
    [answer] = checkin.answers
    assert (answer.number, answer.skipped, answer.checkin_id) == (1.0, False, checkin.id)
    assert (checkin.id, answer.id) == ((checkin.id, answer.id) if merge else (7, 3))
    again = portable.import_file(db, path, merge=True)
    assert (again.added, again.skipped) == (0, 2)


def test_an_answer_the_writer_refuses_names_its_row_and_writes_nothing(
        db: Database, tmp_path: Path) -> None:
    path = _keel_file(tmp_path, {
        "checkins": [{"id": 1, "started_at": "2025-01-01T09:00:00", "adhoc": False,
                      "reflection": "r", "completed_at": None}],
        "answers": [{"id": i, "checkin_id": 1, "prompt_id": "p" * (1 if i < 3 else 101),
                     "answered_at": "2025-01-01T09:10:00", "kind": "text",
                     "value_text": "secret words", "skipped": False} for i in (1, 2, 3)]})
    with pytest.raises(UserError) as caught:
        portable.import_file(db, path)
    message = str(caught.value)
    assert "tables.answers[2]" in message and "Nothing was imported" in message
    assert "secret" not in message and "\n" not in message
    assert portable.is_empty(db)


def test_own_prompts_drafts_flag_actions_and_states_round_trip_through_their_writers(
        db: Database, other: Database, tmp_path: Path) -> None:
    from db import drafts, flag_actions, prompts_state
    from desktop.core.records import AnswerKind

    own = prompts_state.add_custom_prompt(db, "values", "Which way?", "why", AnswerKind.CHOICE,
                                          labels=("Left", "Right"), cadence="monthly")
    gone = prompts_state.add_custom_prompt(db, "", "How many hours?", "", AnswerKind.NUMBER,
                                           unit="h", minimum=0, maximum=80)
    prompts_state.archive_custom_prompt(db, gone.id)
    prompts_state.set_cadence_override(db, own.id, "fortnightly")
    prompts_state.snooze_all(db, ["worry-level"], NOW)
    drafts.save_draft(db, "entry:new", {"body": "half a thought \ud800 🙂"})
    flag_actions.snooze_flag(db, "worry-drift:1", "later", NOW, when=NOW)
    flag_actions.dismiss_flag(db, "no-xrisk-reading", "", when=NOW)
    path = tmp_path / "journal.json"
    path.write_text("".join(portable.iter_export_json(db, NOW)), encoding="utf-8")
    portable.import_file(other, path)
    original, restored = _all_rows(db.path), _all_rows(other.path)
    for table in ("custom_prompts", "prompt_states", "drafts", "flag_actions"):
        assert original[table] and restored[table] == original[table], table
    again = portable.import_file(other, path, merge=True)
    assert again.added == 0
    assert _all_rows(other.path) == restored


def test_an_own_prompt_the_writer_refuses_names_its_row(db: Database, tmp_path: Path) -> None:
    path = _keel_file(tmp_path, {"custom_prompts": [
        {"id": "own-1", "theme": "t", "question": "Which?", "why": "", "answer": "choice",
         "spec": json.dumps({"labels": ["Only one"]}), "cadence": "weekly",
         "created_at": "2025-01-01T00:00:00", "archived": False}]})
    with pytest.raises(UserError, match=r"tables\.custom_prompts\[0\].*two choices"):
        portable.import_file(db, path)
