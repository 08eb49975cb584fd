"""What a reminder says, and the files the app and `keel remind` share: round trips, and
damaged or hostile content read as "nothing known" rather than a crash."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.records import AnswerKind, Profile, Prompt
from desktop.core.reminders import (
    ReminderSchedule,
    ReminderState,
    batch_tokens,
    most_important_theme,
    reminder_notification,
    schedule_from_json,
    state_from_json,
    state_to_json,
)
from desktop.platform.reminder_files import (
    SCHEDULE_FILE,
    STATE_FILE,
    read_schedule,
    read_state,
    write_schedule,
    write_state,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _prompt(pid: str, theme: str, priority: int) -> Prompt:
    return Prompt(pid, theme, (1,), "?", "", AnswerKind.TEXT, "weekly", priority=priority)


def test_the_words_of_a_reminder() -> None:
    note = reminder_notification(1, "financial-lock-in", "monthly")
    assert note.summary == "Your monthly check-in is ready"
    assert note.body == "1 question waiting, starting with Financial lock-in."
    assert reminder_notification(4, None, "weekly").body == "4 questions waiting."
    assert [label for _key, label in note.actions] == [
        "Check in now", "Check in now", "Snooze 1 hour", "Tomorrow"]


def test_the_most_important_theme_is_the_lowest_priority_number_then_the_first() -> None:
    due = [_prompt("a", "reading", 2), _prompt("b", "conscience", 1), _prompt("c", "team", 1)]
    assert most_important_theme(due) == "conscience"
    assert most_important_theme([]) is None


def test_schedule_round_trip_and_what_it_holds(tmp_path: Path) -> None:
    schedule = ReminderSchedule(
        written_at=NOW, due_count=3, due_batch=batch_tokens(["x", "y", "z"]),
        next_due_at=NOW + timedelta(days=2), next_count=5, next_batch=batch_tokens(["v"]),
        last_checkin_at=NOW - timedelta(days=6),
        profile=Profile(rhythm="fortnightly", preferred_weekday=3, quiet_start=21,
                        quiet_end=7, reminder_days=(0, 2, 4)))
    write_schedule(tmp_path, schedule)
    assert read_schedule(tmp_path) == schedule
    stored = json.loads((tmp_path / SCHEDULE_FILE).read_text(encoding="utf-8"))
    assert set(stored) == {"written_at", "due_count", "due_batch", "next_due_at", "next_count",
                           "next_batch", "last_checkin_at", "reminder_days", "rhythm",
                           "preferred_weekday", "quiet_start", "quiet_end"}
    assert (tmp_path / SCHEDULE_FILE).stat().st_mode & 0o777 == 0o600
    assert schedule.due_at(NOW) == (3, schedule.due_batch)
    assert schedule.due_at(NOW + timedelta(days=3)) == (5, schedule.next_batch)


def test_state_round_trip(tmp_path: Path) -> None:
    state = ReminderState(NOW, batch_tokens(["a"]), NOW + timedelta(hours=1))
    write_state(tmp_path, state)
    assert read_state(tmp_path) == state
    assert state_from_json(state_to_json(state)) == state


def test_damaged_files_read_as_unknown(tmp_path: Path) -> None:
    assert read_state(tmp_path) is None and read_schedule(tmp_path) is None
    (tmp_path / STATE_FILE).write_bytes(b"\xff\xfe{not json")
    (tmp_path / SCHEDULE_FILE).write_text('{"written_at": "yesterday"}', encoding="utf-8")
    assert read_state(tmp_path) is None
    assert read_schedule(tmp_path) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20)
KEYS = st.sampled_from(["written_at", "due_count", "due_batch", "next_due_at", "next_count",
                        "next_batch", "last_checkin_at", "reminder_days", "rhythm",
                        "preferred_weekday", "quiet_start", "quiet_end", "last_notified_at",
                        "last_notified_batch", "snoozed_until"])
TIMES = st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSON | TIMES, max_size=15) | JSON)
def test_any_json_is_read_without_crashing(value: object) -> None:
    """Hypothesis: whatever a damaged or hand-edited file holds, reading it never raises,
    and what comes back is usable (counts ≥ 0, days 0–6, times with a zone)."""
    schedule = schedule_from_json(value)
    if schedule is not None:
        assert schedule.due_count >= 0 and schedule.next_count >= 0
        assert all(0 <= d <= 6 for d in schedule.profile.reminder_days)
        assert schedule.written_at.tzinfo is not None
        schedule.due_at(NOW)
    state = state_from_json(value)
    for when in (state.last_notified_at, state.snoozed_until):
        assert when is None or when.tzinfo is not None
