"""One data path: the same SQL readers give the same records on either connection.

Keel shows Today from a read-only ``sqlite3`` read before SQLAlchemy has loaded, and the
short commands never load it; the readers are the app's own (``db.access``). These tests
keep what they read equal to what the ORM services read, on a plain ``sqlite3``
connection and under SQLAlchemy alike, on a demo journal.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from db.flag_actions import dismiss_flag
from db.journal_file import open_database
from db.plain_journal import PlainJournal
from db.profile_history import add_tripwire, archive_tripwire
from db.prompts_state import add_custom_prompt, archive_custom_prompt
from db.snapshot import load_snapshot, read_custom_prompts
from desktop.core.records import AnswerKind
from desktop.demo import generate
from desktop.due_now import all_prompts, compute_due, due_from_snapshot
from desktop.today_data import build_today_preview, build_today_view

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("raw")
    db = open_database(data / "keel.sqlite3")
    try:
        generate(db, 1.5, NOW)
        wire = add_tripwire(db, "If I stop talking to safety people", when=NOW - timedelta(days=40))
        archive_tripwire(db, wire.id, when=NOW - timedelta(days=3))
        own = add_custom_prompt(db, "values", "Did I say no to anything this week?",
                                "Practising refusal", AnswerKind.YESNO)
        gone = add_custom_prompt(db, "values", "Old question", "", AnswerKind.TEXT)
        archive_custom_prompt(db, gone.id)
        dismiss_flag(db, "some-flag", "handled it", when=NOW - timedelta(days=1))
        assert own.id
    finally:
        db.close()
    return data


def test_the_sql_snapshot_equals_what_the_orm_services_read(folder: Path) -> None:
    # The one SQL reader, on plain sqlite3 and on the connection under SQLAlchemy; each
    # part is compared here with the ORM service that reads the same records independently.
    from dataclasses import replace

    from db.checkins import all_answers, list_checkins
    from db.flag_actions import flag_actions
    from db.options import decisions, events, list_options
    from db.profile_history import baselines, snapshots, tripwires
    from db.prompts_state import get_states
    from db.settings import get_profile

    db = open_database(folder / "keel.sqlite3")
    plain = PlainJournal(folder / "keel.sqlite3", readonly=True)
    try:
        raw = load_snapshot(plain)
        assert load_snapshot(db) == raw
        assert raw.answers and raw.checkins and raw.options and raw.tripwires
        assert any(t.archived_at for t in raw.tripwires) and raw.flag_actions
        assert raw.profile == get_profile(db)
        assert list(raw.answers) == all_answers(db)
        assert list(raw.checkins) == [replace(c, answers=()) for c in list_checkins(db)]
        assert {s.prompt_id: s for s in raw.prompt_states} == get_states(db)
        assert list(raw.baselines) == baselines(db)
        assert list(raw.tripwires) == tripwires(db, include_archived=True)
        assert list(raw.snapshots) == snapshots(db)
        assert list(raw.options) == list_options(db)
        assert list(raw.decisions) == decisions(db)
        assert list(raw.flag_actions) == flag_actions(db)
        assert list(raw.events) == events(db)
        since = NOW - timedelta(days=90)
        recent = load_snapshot(db, since=since)
        assert list(recent.answers) == all_answers(db, since=since)
        assert list(recent.events) == events(db, since=since)
        assert [c.id for c in recent.checkins] == [c.id for c in list_checkins(db, since=since)]
        assert 0 < len(recent.answers) < len(raw.answers)
        own, _ = all_prompts(db)
        with plain.read() as session:
            assert read_custom_prompts(session) == [p for p in own if p.custom]
            assert [p.question for p in read_custom_prompts(session)] == \
                ["Did I say no to anything this week?"]
    finally:
        plain.close()
        db.close()


@pytest.mark.parametrize("days", [0, 3, 10, 45])
def test_the_preview_is_the_view_the_full_path_builds(folder: Path, days: int) -> None:
    now = NOW + timedelta(days=days)
    db = open_database(folder / "keel.sqlite3")
    try:
        full = build_today_view(db, now, ZONE)
        plan, _problems = compute_due(db, now, ZONE)
        prompts, _ = all_prompts(db)
        assert due_from_snapshot(load_snapshot(db), prompts, now, ZONE) == plan
    finally:
        db.close()
    preview = build_today_preview(folder / "keel.sqlite3", folder, now, ZONE)
    assert preview == full
    assert preview is not None and (preview.due or preview.next_due_at) and preview.upcoming


def test_no_preview_for_a_missing_or_encrypted_journal(folder: Path, tmp_path: Path) -> None:
    assert build_today_preview(tmp_path / "keel.sqlite3", tmp_path, NOW, ZONE) is None
    from db import crypto

    copy = tmp_path / "enc"
    copy.mkdir()
    (copy / "keel.sqlite3").write_bytes((folder / "keel.sqlite3").read_bytes())
    crypto.encrypt(copy / "keel.sqlite3", "pass phrase", None, NOW)
    assert build_today_preview(copy / "keel.sqlite3", copy, NOW, ZONE) is None


def test_the_preview_path_does_not_import_sqlalchemy(folder: Path) -> None:
    code = (
        "import sys; from datetime import datetime, UTC; from pathlib import Path\n"
        "from desktop.today_data import build_today_preview\n"
        f"v = build_today_preview(Path({str(folder / 'keel.sqlite3')!r}), Path({str(folder)!r}),"
        " datetime.now(UTC), UTC)\n"
        "assert v is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.strip() == "[]"


def test_an_export_reads_the_same_through_sqlite3_as_through_sqlalchemy(folder: Path) -> None:
    from db.export_data import first_day, gather, last_export, record_export, save_questions, saved_questions
    from desktop.core.export_compose import Period

    period = Period(NOW.date() - timedelta(days=400), NOW.date())
    db = open_database(folder / "keel.sqlite3")
    raw = PlainJournal(folder / "keel.sqlite3")
    try:
        through_orm = gather(db, period, NOW, ZONE, "Should I stay?")
        through_raw = gather(raw, period, NOW, ZONE, "Should I stay?")
        assert through_raw == through_orm
        assert through_raw.entries and through_raw.checkins and through_raw.assessments
        assert first_day(raw, ZONE) == first_day(db, ZONE) is not None
        # Settings written on one path are read on the other.
        record_export(raw, NOW)
        assert last_export(db) == NOW
        save_questions(db, "Is the team the work?")
        assert saved_questions(raw) == "Is the team the work?"
    finally:
        raw.close()
        db.close()


@pytest.mark.parametrize(("fmt", "loads_orm"), [("md", False), ("json", True)])
def test_keel_export_loads_sqlalchemy_only_when_it_must(folder: Path, tmp_path: Path, fmt: str,
                                                       loads_orm: bool) -> None:
    code = (
        "import sys; from desktop.cli import main\n"
        f"code = main(['--data-dir', {str(folder)!r}, 'export', '--format', {fmt!r},"
        f" '-o', {str(tmp_path / ('out.' + fmt))!r}])\n"
        "print(code, any(m.startswith('sqlalchemy') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out.strip().splitlines()[-1] == f"0 {loads_orm}"
    assert (tmp_path / f"out.{fmt}").stat().st_size > 1000
