"""The SQL writers of baselines, tripwires, money, options and decisions store what the
schema's own types read back, on either journal, and an import goes through them.

The writers are SQL on :class:`db.access.Session` now; the SQLAlchemy models stay the
schema's single source of truth. So each test here reads what a writer stored through
the ORM models (an independent reader that parses times, dates and booleans its own way)
and compares it with the records the writer returned.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from db import models, options, portable, profile_history
from db.engine import Database
from db.journal_file import open_database
from db.plain_journal import PlainJournal
from db.search import search
from db.validation import InvalidInput
from desktop.core.errors import UserError
from desktop.core.records import JobOption
from desktop.demo import generate
from tests.unit.test_intake import attempt, mutated_keel

NOW = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def _orm(db: Database, model: type[models.Base]) -> list[Any]:
    """Every row of *model* read by the ORM, an independent reader of the schema's types
    (relationships loaded before the session closes)."""
    with OrmSession(db.engine) as session:
        rows = list(session.scalars(select(model).order_by(model.id)))
        for row in rows:
            getattr(row, "versions", None)
        return rows


def test_profile_writers_store_what_the_orm_reads(db: Database) -> None:
    base = profile_history.add_baseline(db, "Risk is real 🧭", 7, when=NOW)
    wire = profile_history.add_tripwire(db, "  If they ship without evals  ", when=NOW)
    wire = profile_history.edit_tripwire(db, wire.id, "If they ship without any evals",
                                         when=NOW + timedelta(days=1))
    same = profile_history.edit_tripwire(db, wire.id, "If they ship without any evals")
    assert same == wire  # the same words add no version
    profile_history.archive_tripwire(db, wire.id, when=NOW + timedelta(days=2))
    money = profile_history.add_snapshot(db, 1000.5, 20, None, date(2026, 6, 1), " eur ",
                                         when=NOW)

    (b,) = _orm(db, models.BaselineVersion)
    assert (b.id, b.text, b.worry, b.created_at.replace(tzinfo=UTC)) == (
        base.id, base.text, base.worry, base.created_at)
    (t,) = _orm(db, models.Tripwire)
    assert [v.text for v in t.versions] == ["If they ship without evals",
                                            "If they ship without any evals"]
    assert t.archived_at == (NOW + timedelta(days=2)).replace(tzinfo=None)
    (m,) = _orm(db, models.FinancialSnapshot)
    assert (m.liquid_savings, m.monthly_spending, m.unvested_equity, m.next_vest_date,
            m.currency, m.taken_at) == (1000.5, 20.0, None, date(2026, 6, 1), "EUR",
                                        NOW.replace(tzinfo=None))
    assert profile_history.snapshots(db) == [money]
    assert profile_history.latest_snapshot(db) == money
    assert profile_history.latest_baseline(db) == base
    archived = profile_history.tripwires(db, include_archived=True)
    assert [w.history for w in archived] == [wire.history]
    assert profile_history.tripwires(db) == []


def test_profile_writers_run_on_plain_sqlite3_too(db: Database) -> None:
    db.close()
    plain = PlainJournal(db.path)
    try:
        profile_history.add_baseline(plain, "plain", None, when=NOW)
        snap = profile_history.add_snapshot(plain, 5, 6, 7, None, when=NOW)
        assert profile_history.update_snapshot(plain, snap.id, 8, 9, 10, "gbp").currency == "GBP"  # type: ignore[union-attr]
        assert profile_history.delete_snapshot(plain, snap.id)
        assert not profile_history.delete_snapshot(plain, snap.id)
        assert profile_history.update_snapshot(plain, snap.id, 1, 1, 1) is None
        assert [b.text for b in profile_history.baselines(plain)] == ["plain"]
    finally:
        plain.close()


@pytest.mark.parametrize(("call", "words"), [
    (lambda db: profile_history.add_baseline(db, "x", 11), "0 to 10"),
    (lambda db: profile_history.add_tripwire(db, "   "), "some words"),
    (lambda db: profile_history.add_snapshot(db, -1, None, None, None), "negative"),
    (lambda db: profile_history.add_snapshot(db, float("nan"), None, None, None), "negative"),
    (lambda db: profile_history.add_baseline(db, "lone \ud800 surrogate", 3), "cannot be saved"),
])
def test_refused_input_writes_nothing(db: Database, call, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=words):
        call(db)
    assert profile_history.baselines(db) == [] and profile_history.snapshots(db) == []
    assert profile_history.tripwires(db, include_archived=True) == []


def test_missing_rows_say_so(db: Database) -> None:
    with pytest.raises(LookupError):
        profile_history.edit_tripwire(db, 99, "words")
    with pytest.raises(LookupError):
        profile_history.archive_tripwire(db, 99)


def _keel_file(tmp_path: Path, tables: dict[str, list[dict[str, object]]]) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "keel-journal", "version": 1, "tables": tables}),
                    encoding="utf-8")
    return path


def test_an_import_writes_profile_rows_through_the_writers(db: Database, tmp_path: Path) -> None:
    path = _keel_file(tmp_path, {
        "baseline_versions": [{"id": 7, "text": "b", "worry": 4,
                               "created_at": "2025-01-01T10:00:00"}],
        "tripwires": [{"id": 3, "created_at": "2025-01-01T10:00:00"}],
        "tripwire_versions": [{"id": 9, "tripwire_id": 3, "text": "t",
                               "created_at": "2025-01-01T10:00:00"}],
        "financial_snapshots": [{"id": 5, "taken_at": "2025-01-02T00:00:00",
                                 "liquid_savings": 10, "currency": "usd"}],
    })
    portable.import_file(db, path)
    assert [b.id for b in profile_history.baselines(db)] == [7]  # ids kept
    (wire,) = profile_history.tripwires(db)
    assert (wire.id, wire.text) == (3, "t")
    (money,) = profile_history.snapshots(db)
    # the writer's own rules: the currency as the app stores it, the missing default set
    assert (money.id, money.liquid_savings, money.currency) == (5, 10.0, "USD")
    again = portable.import_file(db, path, merge=True)
    assert again.added == 0 and again.skipped == 4


@pytest.mark.parametrize(("table", "row", "named"), [
    ("financial_snapshots", {"id": 1, "taken_at": "2025-01-02T00:00:00",
                             "monthly_spending": -5}, "tables.financial_snapshots[1]"),
    ("tripwire_versions", {"id": 2, "tripwire_id": 1, "text": "  ",
                           "created_at": "2025-01-01T10:00:00"}, "tables.tripwire_versions[1]"),
    ("baseline_versions", {"id": 2, "text": "b", "worry": 12,
                           "created_at": "2025-01-01T10:00:00"}, "tables.baseline_versions[1]"),
])
def test_an_import_row_the_writer_refuses_names_the_row_and_writes_nothing(
        db: Database, tmp_path: Path, table: str, row: dict[str, object], named: str) -> None:
    good = {
        "financial_snapshots": {"id": 9, "taken_at": "2025-01-01T00:00:00"},
        "tripwire_versions": {"id": 9, "tripwire_id": 1, "text": "ok",
                              "created_at": "2025-01-01T10:00:00"},
        "baseline_versions": {"id": 9, "text": "ok", "created_at": "2025-01-01T10:00:00"},
    }[table]
    tables: dict[str, list[dict[str, object]]] = {table: [good, row]}
    if table == "tripwire_versions":
        tables["tripwires"] = [{"id": 1, "created_at": "2025-01-01T10:00:00"}]
    with pytest.raises(UserError) as caught:
        portable.import_file(db, _keel_file(tmp_path, tables))
    assert named in str(caught.value) and "Nothing was imported" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert portable.is_empty(db)


# --------------------------------------------------------------------------- options, decisions


def _job(**changes: Any) -> JobOption:
    base = JobOption(id=None, organisation=" Halcyon ", role="Research Engineer",
                     frontier=False, work_kind="safety", status="offer", pay=215000,
                     vesting_start=date(2026, 1, 1), offer_deadline=date(2026, 4, 1),
                     notes="Kestrelwing interpretability team")
    return replace(base, **changes)


def test_option_and_decision_writers_store_what_the_orm_reads(db: Database) -> None:
    saved = options.save_option(db, _job(), when=NOW)
    assert saved.organisation == "Halcyon" and saved.pay == 215000.0
    current = options.save_option(db, _job(organisation="Meridian", frontier=True,
                                           work_kind="capabilities", status="current"), when=NOW)
    assert saved.id is not None and current.id is not None
    decision = options.record_decision(db, saved.id, "Move to Halcyon", "Safety work.",
                                       [current.id], "If the team folds.", when=NOW)
    revisited = options.mark_decision_revisited(db, decision.id or 0,
                                                when=NOW + timedelta(days=3))

    rows = {row.id: row for row in _orm(db, models.JobOption)}
    for record in options.list_options(db):
        row = rows[record.id]
        for name in ("organisation", "role", "frontier", "work_kind", "status", "pay",
                     "vesting_start", "offer_deadline", "notes", "currency", "team",
                     "function", "seniority", "publishes"):
            assert getattr(row, name) == getattr(record, name), name
        assert row.updated_at.replace(tzinfo=UTC) == record.updated_at
        assert row.created_at.replace(tzinfo=UTC) == record.created_at
    assert rows[saved.id].status == "current" and rows[current.id].status == "left"
    (d,) = _orm(db, models.Decision)
    assert (d.summary, d.chosen_option_id, json.loads(d.alternatives), d.revisit_on,
            d.revisited_at.replace(tzinfo=UTC)) == (
        "Move to Halcyon", saved.id, [current.id], (NOW + timedelta(days=182)).date(),
        NOW + timedelta(days=3))
    assert options.decisions(db) == [revisited]
    assert options.get_option(db, saved.id) == options.list_options(db, {"current"})[0]


def test_options_run_on_plain_sqlite3_and_keep_the_search_index(db: Database) -> None:
    db.close()
    plain = PlainJournal(db.path)
    try:
        saved = options.save_option(plain, _job(), when=NOW)
        assert saved.id is not None
        assert options.set_statuses(plain, {saved.id: "declined", 999: "offer"}) == {
            saved.id: "offer"}
        options.record_decision(plain, None, "Stay at Meridian, Kestrelwing later", "", [], "",
                                when=NOW)
        assert {h.kind for h in search(plain, "Kestrelwing")} == {"option", "decision"}
        assert [k for k, _ in options.events(plain)] == ["on-new-option"]
    finally:
        plain.close()
    reopened = Database(db.path)
    try:
        assert saved.id is not None
        options.delete_option(reopened, saved.id)
        assert {h.kind for h in search(reopened, "Kestrelwing")} == {"decision"}
    finally:
        reopened.close()


def test_option_and_decision_rules_hold_on_the_sql_path(db: Database) -> None:
    with pytest.raises(InvalidInput, match="organisation"):
        options.save_option(db, _job(organisation="   "))
    with pytest.raises(InvalidInput, match="negative"):
        options.save_option(db, _job(pay=-1))
    with pytest.raises(InvalidInput, match="summary"):
        options.record_decision(db, None, "  ", "", [], "")
    with pytest.raises(LookupError):
        options.save_option(db, _job(id=42))
    with pytest.raises(LookupError):
        options.mark_decision_revisited(db, 42)
    assert options.list_options(db) == [] and options.decisions(db) == []
    assert options.events(db) == []


def test_an_import_writes_options_and_decisions_through_the_writers(
        db: Database, tmp_path: Path) -> None:
    stamp = "2025-01-01T10:00:00"
    path = _keel_file(tmp_path, {
        "job_options": [{"id": 4, "organisation": "Lab", "status": "current", "frontier": True,
                         "created_at": stamp, "updated_at": stamp, "currency": "eur",
                         "vesting_start": "2024-05-01"}],
        "decisions": [{"id": 6, "decided_at": stamp, "chosen_option_id": 4, "summary": "Join",
                       "alternatives": "[4]", "revisit_on": "2025-07-01"}],
    })
    portable.import_file(db, path)
    (option,) = options.list_options(db)
    assert (option.id, option.role, option.currency, option.vesting_start, option.frontier) == (
        4, "", "EUR", date(2024, 5, 1), True)
    (decision,) = options.decisions(db)
    assert (decision.id, decision.alternatives, decision.revisit_on, decision.reasons) == (
        6, (4,), date(2025, 7, 1), "")
    assert options.events(db) == []  # an import copies rows; it records no new events


@pytest.mark.parametrize(("tables", "named"), [
    ({"job_options": [{"id": 1, "organisation": "  ", "created_at": "2025-01-01T00:00:00",
                       "updated_at": "2025-01-01T00:00:00"}]}, "tables.job_options[0]"),
    ({"decisions": [{"id": 1, "decided_at": "2025-01-01T00:00:00", "summary": " "}]},
     "tables.decisions[0]"),
])
def test_an_option_or_decision_the_writer_refuses_is_named(
        db: Database, tmp_path: Path, tables: dict[str, list[dict[str, object]]],
        named: str) -> None:
    with pytest.raises(UserError) as caught:
        portable.import_file(db, _keel_file(tmp_path, tables))
    assert named in str(caught.value) and "Nothing was imported" in str(caught.value)
    assert portable.is_empty(db)


# --------------------------------------------------------------------------- fuzzing

MINE = ("job_options", "decisions", "baseline_versions", "tripwires", "tripwire_versions",
        "financial_snapshots")
WRITER_FIGURES = {"tried": 0, "accepted": 0, "refused": 0}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    open_database(folder / "keel.sqlite3").close()
    return folder / "keel.sqlite3"


@pytest.fixture(scope="module")
def these_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A demo journal's export holding only the tables whose rows go through the writers."""
    folder = tmp_path_factory.mktemp("sample")
    db = open_database(folder / "keel.sqlite3")
    try:
        generate(db, 0.15, NOW)
        whole = json.loads("".join(portable.iter_export_json(db, NOW)))
    finally:
        db.close()
    whole["tables"] = {name: rows for name, rows in whole["tables"].items() if name in MINE}
    return whole


@settings(max_examples=int(os.environ.get("KEEL_FUZZ_EXAMPLES", "40")), deadline=None,
          derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_rows_through_the_writers_are_refused_in_one_line_or_usable(
        template: Path, tmp_path: Path, these_tables: dict[str, Any], data: Any) -> None:
    # Hostile values in options, decisions, baselines, tripwires and money rows: each file
    # is refused in one line (db.intake or the writer), or accepted and then due, both
    # exports and a re-import work (test_intake.attempt).
    payload, merge = data.draw(mutated_keel(these_tables))
    WRITER_FIGURES["tried"] += 1
    outcome = attempt(template, tmp_path / f"case{WRITER_FIGURES['tried']}", payload,
                      merge_into_used=merge)
    WRITER_FIGURES["accepted" if outcome == "accepted" else "refused"] += 1


def test_zz_writer_fuzz_figures() -> None:
    """The figures for docs/RELIABILITY_REPORT.md (runs after the fuzzing above)."""
    print(f"\nfuzzed rows through the writers: {WRITER_FIGURES}")
