"""The reminder service: looks at what is due once a minute and says when to remind.

A QObject with an injected clock. Each tick it notices a wall-clock jump (the machine
slept, or the clock was set), asks :func:`desktop.due_now.compute_due` what is due, hands
that to :func:`desktop.core.reminders.decide` and emits :attr:`ReminderService.notify_requested`
with the :class:`~desktop.core.reminders.Notification` to show when the decision says so.

The :class:`~desktop.core.reminders.ReminderState` lives in ``reminder-state.json`` in the
data folder, shared with ``keel remind`` (the scheduler's run while Keel is closed), so a
batch reminded about by one is not reminded about again by the other, and a snooze holds
for both. After each look the service also writes ``reminder-schedule.json``, what
``keel remind`` uses for an encrypted journal (:mod:`desktop.platform.reminder_files`).
It never shows anything itself: the controller delivers (a native notification, the tray,
or the window's banner). Tests call :meth:`ReminderService.tick` directly with a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.context import AppContext
from desktop.core.reminders import (
    RHYTHM_WORDS,
    SNOOZE_CHOICES,
    ReminderSchedule,
    ReminderState,
    batch_tokens,
    decide,
    detect_clock_jump,
    most_important_theme,
    plural,
    reminder_notification,
    snooze,
    snooze_until,
    state_from_json,
)

if TYPE_CHECKING:
    from desktop.today_data import TodayView

log = logging.getLogger(__name__)

LEGACY_SETTINGS_KEY = "reminders"
"""Where Keel before ``reminder-state.json`` kept the state (read once, if the file is missing)."""

DEFAULT_INTERVAL_MS = 60_000

RECHECK_EVERY = timedelta(hours=1)
"""The longest a tick goes without recomputing what is due. In between, ticks are cheap:
the journal is read again only when something may have changed (a prompt's due time, the
end of quiet hours or of a snooze, a clock jump, or :meth:`ReminderService.check_now`)."""


def overdue_text(count: int, overdue_days: int, rhythm: str, first: bool) -> str:
    """The start-up announcement of a due or overdue check-in."""
    if first:
        return f"Your first check-in is ready: {plural(count, 'question')} to answer."
    kind = RHYTHM_WORDS.get(rhythm, "")
    what = f"Your {kind} check-in" if kind else "Your check-in"
    if overdue_days >= 1:
        return f"{what} is {plural(overdue_days, 'day')} overdue."
    return f"{what} is due: {plural(count, 'question')} waiting."


class ReminderService(QObject):
    """Decides, once a minute and after the machine wakes, whether to remind the user."""

    notify_requested = Signal(object)
    """Show one reminder now: the :class:`~desktop.core.reminders.Notification`."""
    due_count_changed = Signal(int)
    """How many prompts are due changed (the tray's "Check in now (N due)")."""
    overdue_announced = Signal(str)
    """At start-up, a check-in is due or overdue: the sentence for the window's banner."""

    def __init__(
        self,
        context: AppContext,
        clock: Callable[[], datetime] | None = None,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
        recheck_every: timedelta = RECHECK_EVERY,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.recheck_every = recheck_every
        self.clock = clock or context.now
        self.interval = timedelta(milliseconds=interval_ms)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self.due_count = -1
        """Prompts due at the last check (-1 before the first)."""
        self.next_check_at: datetime | None = None
        """When the last decision asked to look again (informational: we tick every minute)."""
        self._previous_tick: datetime | None = None
        self._recheck_at: datetime | None = None
        self.checks = 0
        """How many times the journal was read (ticks in between are free)."""
        self._state: ReminderState | None = None
        self._schedule_key: object = None

    # Life cycle ------------------------------------------------------------------
    def start(self) -> None:
        """Announce what is overdue, check once now, then every interval."""
        self.announce_overdue()
        self.check_now()
        self.timer.start()

    def stop(self) -> None:
        """Stop ticking (the app is quitting)."""
        self.timer.stop()

    # State -----------------------------------------------------------------------
    @property
    def state(self) -> ReminderState:
        """The shared reminder state, read from ``reminder-state.json`` each time (``keel
        remind`` may have changed it); before the file exists, what older Keel stored."""
        from desktop.platform.reminder_files import read_state

        state = read_state(self.context.paths.data_dir)
        if state is None:
            if self._state is None:
                from db.settings import get_value

                self._state = state_from_json(get_value(self.context.db, LEGACY_SETTINGS_KEY))
            return self._state
        self._state = state
        return state

    def _store(self, state: ReminderState) -> None:
        if state == self._state:
            return  # nothing changed: no write every minute
        from desktop.platform.reminder_files import write_state

        write_state(self.context.paths.data_dir, state)
        self._state = state

    # Ticks -----------------------------------------------------------------------
    @Slot()
    def tick(self) -> None:
        """The timer fired: notice a wake-up, then check what is due."""
        now = self.clock()
        previous, self._previous_tick = self._previous_tick, now
        if previous is not None and detect_clock_jump(previous, now, self.interval):
            log.info("clock jumped by %s (the machine slept?); checking reminders now",
                     now - previous)
            self._recheck_at = None
        if self._recheck_at is None or now >= self._recheck_at:
            self._check(now)

    @Slot()
    def check_now(self, view: TodayView | None = None) -> None:
        """Check at once (after a check-in, a settings change, or at start-up). *view*:
        what is due, just read by the write that prompted this check (not read again)."""
        now = self.clock()
        self._previous_tick = now
        self._check(now, view)

    def _check(self, now: datetime, view: TodayView | None = None) -> None:
        try:
            self._evaluate(now, view)
        except Exception:  # a reminder must never take the app down
            log.exception("checking reminders failed")

    def _evaluate(self, now: datetime, view: TodayView | None = None) -> None:
        if self.context.paused is not None:
            self._evaluate_from_schedule(now)  # locked (or being converted): no journal
            return
        from db.checkins import last_completed_checkin
        from db.settings import get_profile
        from desktop.due_now import compute_due

        db = self.context.db
        self.checks += 1
        self._recheck_at = now + self.recheck_every  # until we know better (if this fails)
        if view is not None and abs(view.now - now) < timedelta(minutes=1):
            plan, last_at = view.plan, view.last_checkin_at
        else:
            plan = compute_due(db, now, self.context.tz)[0]
            last = last_completed_checkin(db)
            last_at = last.completed_at if last is not None else None
        profile = get_profile(db)
        decision = decide(batch_tokens(plan.due_ids), self.state, profile, now, self.context.tz,
                          last_at)
        self._store(decision.new_state)
        self._write_schedule(now, plan, profile, last_at)
        self.next_check_at = decision.next_check_at
        moments = [t for t in (plan.next_due_at, decision.next_check_at) if t is not None]
        self._recheck_at = min([*moments, now + self.recheck_every])
        if decision.count != self.due_count:
            self.due_count = decision.count
            self.due_count_changed.emit(decision.count)
        if decision.notify:
            self.notify_requested.emit(reminder_notification(
                decision.count, most_important_theme(plan.due), profile.rhythm))

    def _evaluate_from_schedule(self, now: datetime) -> None:
        """While the journal is closed (auto-lock), remind from the schedule file, exactly
        as ``keel remind`` does for an encrypted journal: a count, no theme."""
        from desktop.platform.reminder_files import read_schedule

        self._recheck_at = now + self.recheck_every
        schedule = read_schedule(self.context.paths.data_dir)
        if schedule is None:
            return
        count, batch = schedule.due_at(now)
        decision = decide(batch, self.state, schedule.profile, now, self.context.tz,
                          schedule.last_checkin_at)
        self._store(decision.new_state)
        self.next_check_at = decision.next_check_at
        moments = [t for t in (schedule.next_due_at, decision.next_check_at)
                   if t is not None and t > now]
        self._recheck_at = min([*moments, now + self.recheck_every])
        if decision.count != self.due_count:
            self.due_count = decision.count
            self.due_count_changed.emit(decision.count)
        if decision.notify:
            self.notify_requested.emit(reminder_notification(count, None,
                                                             schedule.profile.rhythm))

    def _write_schedule(self, now: datetime, plan, profile, last_at) -> None:  # type: ignore[no-untyped-def]
        """Tell ``keel remind`` when prompts fall due (counts and hashes only)."""
        key = (plan.next_due_at, plan.due_ids, last_at, profile)
        if key == self._schedule_key:
            return  # nothing that the file holds changed: no second read of the journal
        from desktop.due_now import compute_due
        from desktop.platform.reminder_files import write_schedule

        following = None
        if plan.next_due_at is not None:
            following, _problems = compute_due(self.context.db, plan.next_due_at, self.context.tz)
        schedule = ReminderSchedule(
            written_at=now, due_count=len(plan.due), due_batch=batch_tokens(plan.due_ids),
            next_due_at=plan.next_due_at,
            next_count=len(following.due) if following is not None else 0,
            next_batch=batch_tokens(following.due_ids) if following is not None else frozenset(),
            last_checkin_at=last_at, profile=profile)
        try:
            write_schedule(self.context.paths.data_dir, schedule)
            self._schedule_key = key
        except OSError as exc:
            log.warning("the reminder schedule could not be written (%s)",
                        exc.strerror or type(exc).__name__)

    # Actions ---------------------------------------------------------------------
    @Slot(str)
    def snooze(self, choice: str) -> datetime:
        """Snooze reminders ("hour", "tomorrow" or "week"); returns when the snooze ends."""
        if choice not in SNOOZE_CHOICES:
            raise ValueError(f"unknown snooze choice {choice!r}")
        now = self.clock()
        if self.context.paused is not None:  # locked: the schedule file has the settings
            from desktop.core.records import Profile
            from desktop.platform.reminder_files import read_schedule

            schedule = read_schedule(self.context.paths.data_dir)
            profile = schedule.profile if schedule is not None else Profile()
        else:
            from db.settings import get_profile

            profile = get_profile(self.context.db)
        until = snooze_until(choice, now, self.context.tz, profile)
        self._store(snooze(self.state, until, now))
        self._recheck_at = None
        return until

    def announce_overdue(self) -> str | None:
        """Emit :attr:`overdue_announced` if a check-in is due now; returns the text."""
        try:
            text = self._overdue_text(self.clock())
        except Exception:  # an announcement is never worth a crash
            log.exception("working out the overdue check-in failed")
            return None
        if text:
            self.overdue_announced.emit(text)
        return text

    def _overdue_text(self, now: datetime) -> str | None:
        from db.checkins import last_completed_checkin
        from db.prompts_state import get_states
        from db.settings import get_profile
        from desktop.core.schedule import next_due
        from desktop.due_now import compute_due

        db = self.context.db
        plan, _problems = compute_due(db, now, self.context.tz)
        if not plan.due:
            return None
        profile = get_profile(db)
        state_of = get_states(db)
        # How long the check-in has waited: since the earliest due prompt fell due.
        since = [
            when for prompt in plan.due
            if (when := next_due(prompt, state_of.get(prompt.id), profile, now,
                                 self.context.tz)) is not None
        ]
        overdue_days = (now - min(since)).days if since else 0
        first = last_completed_checkin(db) is None
        return overdue_text(len(plan.due), overdue_days, profile.rhythm, first)
