"""The demo generator: deterministic, fills every table, leaves a check-in due and flags to show."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db import checkins, options
from db.engine import Database
from db.journal import count_entries
from db.journal_file import open_database
from db.snapshot import load_snapshot
from desktop.core.flags import active_flags
from desktop.demo import generate, is_empty

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
TABLES = (
    "settings", "entries", "entry_tags", "checkins", "answers", "prompt_states",
    "baseline_versions", "tripwires", "tripwire_versions", "financial_snapshots",
    "job_options", "assessment_answers", "decisions", "events",
)


def _dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}


def test_two_years_fills_every_table_and_leaves_a_checkin_due(db: Database) -> None:
    assert is_empty(db)
    progress: list[tuple[int, int]] = []
    summary = generate(db, 2, NOW, progress=lambda done, total: progress.append((done, total)))
    assert not is_empty(db)

    assert 95 <= count_entries(db) <= 115
    counts = {t: len(rows) for t, rows in _dump(db.path).items()}
    assert all(counts[t] > 0 for t in TABLES), counts
    assert 95 <= summary.checkins <= 106
    assert progress and progress[-1][0] == progress[-1][1]

    last = checkins.last_completed_checkin(db)
    assert last is not None and last.completed_at is not None
    assert timedelta(days=8) <= NOW - last.completed_at <= timedelta(days=9)
    assert last.answers, "the last check-in has answers"


def test_demo_journal_shows_the_designed_situation(db: Database) -> None:
    generate(db, 2, NOW)
    snap = load_snapshot(db)
    assert snap.profile.situation == "at-lab" and snap.profile.onboarded
    assert len(snap.baselines) == 2
    assert 3 <= len(snap.tripwires) <= 4
    assert any(len(t.history) == 2 for t in snap.tripwires)
    statuses = sorted(o.status for o in snap.options)
    assert statuses == ["current", "declined", "interviewing", "left", "offer"]
    offer = next(o for o in snap.options if o.status == "offer")
    assert offer.offer_deadline == NOW.date() + timedelta(days=10)
    assert any(len(v) > 1 for v in _by_question(db).values()), "an assessment answer was revised"

    flags = {f.id for f in active_flags(snap, NOW)}
    assert {"worry-drift", "no-xrisk-conversation", "decision-revisit"} <= flags
    assert "tripwire-crossed" not in flags


def _by_question(db: Database) -> dict[tuple[int, str], list[object]]:
    grouped: dict[tuple[int, str], list[object]] = {}
    for option_id, answers in options.all_assessment_answers(db).items():
        for a in answers:
            grouped.setdefault((option_id, a.question_id), []).append(a)
    return grouped


def test_same_seed_same_journal(tmp_path: Path) -> None:
    dumps = []
    for name in ("one", "two"):
        folder = tmp_path / name
        (folder / "backups").mkdir(parents=True)
        db = open_database(folder / "keel.sqlite3", folder / "backups")
        try:
            generate(db, 1.5, NOW, seed=11)
        finally:
            db.close()
        dumps.append(_dump(folder / "keel.sqlite3"))
    assert dumps[0] == dumps[1]


def test_ten_years_is_one_entry_a_day(db: Database) -> None:
    summary = generate(db, 10, NOW)
    assert 3600 <= count_entries(db) <= 3700
    assert summary.checkins > 450
    bodies = [len(e.split()) for e in _bodies(db)]
    assert min(bodies) >= 55 and max(bodies) <= 260


def _bodies(db: Database) -> list[str]:
    from db.journal import list_entries

    return [e.body for e in list_entries(db, limit=400)]
