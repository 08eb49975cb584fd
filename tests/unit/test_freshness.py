"""The per-kind fingerprint behind the app's cross-process refresh: each writer moves the
kinds it writes and no other; the app's bookkeeping and drafts move none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from db import checkins, drafts, flag_actions, journal, options, profile_history, prompts_state
from db import settings as db_settings
from db.engine import Database
from db.freshness import changed_kinds, fingerprint
from desktop.core.changes import EVERYTHING, Change, names
from desktop.core.records import AnswerKind, JobOption

T0 = datetime(2026, 3, 3, 18, 30, tzinfo=UTC)


def _option(db: Database) -> int:
    stored = options.save_option(db, JobOption(id=None, organisation="Frontier Lab", role="Engineer",
                                               frontier=True, work_kind="capabilities"), when=T0)
    assert stored.id is not None
    return stored.id


WRITES: list[tuple[str, Callable[[Database], object], Change]] = [
    ("entry", lambda db: journal.create_entry(db, "text", "title", ["tag"]), Change.ENTRIES),
    ("empty check-in", lambda db: checkins.complete_checkin(db, "reflection", [], when=T0),
     Change.CHECKINS),
    ("snooze", lambda db: prompts_state.snooze_prompt(db, "worry-level", T0 + timedelta(days=7)),
     Change.PROMPTS),
    ("switch off", lambda db: prompts_state.set_enabled(db, "worry-level", False), Change.PROMPTS),
    ("own prompt", lambda db: prompts_state.add_custom_prompt(db, "own", "Q?", "", AnswerKind.TEXT),
     Change.OWN_PROMPTS),
    ("profile", lambda db: db_settings.save_profile(
        db, replace(db_settings.get_profile(db), rhythm="monthly")), Change.PROFILE),
    ("baseline", lambda db: profile_history.add_baseline(db, "Worried.", 5, when=T0),
     Change.BASELINE),
    ("option", _option, Change.OPTIONS | Change.EVENTS),  # an on-new-option event
    ("flag", lambda db: flag_actions.dismiss_flag(db, "some-flag", "", when=T0), Change.FLAGS),
    ("other setting", lambda db: db_settings.set_value(db, "auto_lock_minutes", 5),
     Change.SETTINGS),
    ("draft", lambda db: drafts.save_draft(db, "entry:new", {"body": "typing"}), Change.NONE),
    ("reminder bookkeeping", lambda db: db_settings.set_value(db, "reminders", {"x": 1}),
     Change.NONE),
]


@pytest.mark.parametrize(("write", "expected"), [(w, e) for _n, w, e in WRITES],
                         ids=[n for n, _w, _e in WRITES])
def test_each_write_moves_exactly_its_kinds(db: Database, write: Callable[[Database], object],
                                            expected: Change) -> None:
    before = fingerprint(db)
    write(db)
    assert names(changed_kinds(before, fingerprint(db))) == names(expected)


def test_a_decision_moves_decisions_options_and_the_situation(db: Database) -> None:
    option_id = _option(db)
    before = fingerprint(db)
    decision = options.record_decision(db, option_id, "Take it", "", [], "",
                                       date(2026, 9, 1), when=T0)
    assert changed_kinds(before, fingerprint(db)) == (
        Change.DECISIONS | Change.OPTIONS | Change.PROFILE | Change.EVENTS)  # on-accept
    before = fingerprint(db)
    assert decision.id is not None
    options.mark_decision_revisited(db, decision.id, when=T0 + timedelta(days=200))
    assert changed_kinds(before, fingerprint(db)) == Change.DECISIONS


def test_deleting_and_editing_an_entry_are_seen(db: Database) -> None:
    first = journal.create_entry(db, "one", "", [])
    journal.create_entry(db, "two", "", [])
    before = fingerprint(db)
    journal.update_entry(db, first.id, "one, edited", "", [])
    assert changed_kinds(before, fingerprint(db)) == Change.ENTRIES
    before = fingerprint(db)
    journal.delete_entry(db, first.id)
    assert changed_kinds(before, fingerprint(db)) == Change.ENTRIES


def test_nothing_written_nothing_changed(db: Database) -> None:
    assert changed_kinds(fingerprint(db), fingerprint(db)) == Change.NONE
    assert changed_kinds({}, fingerprint(db)) == EVERYTHING & ~(Change.AUTOSTART
                                                                | Change.BACKUPS)
