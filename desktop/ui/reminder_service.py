"""The reminder service: looks at what is due once a minute and says when to remind.

A QObject with an injected clock. Each tick it notices a wall-clock jump (the machine
slept, or the clock was set), asks :func:`desktop.due_now.compute_due` what is due, hands
that to :func:`desktop.core.reminders.decide`, stores the returned
:class:`~desktop.core.reminders.ReminderState` in the journal's settings (key
``reminders``, JSON) and emits :attr:`ReminderService.notify_requested` when the decision
says so. It never shows anything itself: the tray (or, with no tray, the main window)
listens. Tests call :meth:`ReminderService.tick` directly with a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.context import AppContext

if TYPE_CHECKING:
    from desktop.today_data import TodayView
from desktop.core.reminders import (
    SNOOZE_CHOICES,
    ReminderState,
    decide,
    detect_clock_jump,
    snooze,
    snooze_until,
)

log = logging.getLogger(__name__)

SETTINGS_KEY = "reminders"
"""Where the reminder state lives in the journal's settings."""

DEFAULT_INTERVAL_MS = 60_000

RECHECK_EVERY = timedelta(hours=1)
"""The longest a tick goes without recomputing what is due. In between, ticks are cheap:
the journal is read again only when something may have changed (a prompt's due time, the
end of quiet hours or of a snooze, a clock jump, or :meth:`ReminderService.check_now`)."""

RHYTHM_WORDS = {"weekly": "weekly", "fortnightly": "fortnightly", "monthly": "monthly"}


def state_to_json(state: ReminderState) -> dict[str, Any]:
    """A JSON-ready dict of ``state`` (times as ISO 8601 with their offset)."""
    return {
        "last_notified_at": state.last_notified_at.isoformat() if state.last_notified_at else None,
        "last_notified_batch": sorted(state.last_notified_batch),
        "snoozed_until": state.snoozed_until.isoformat() if state.snoozed_until else None,
    }


def state_from_json(value: Any) -> ReminderState:
    """The state stored by :func:`state_to_json`; anything unreadable gives a fresh state."""
    if not isinstance(value, dict):
        return ReminderState()

    def when(key: str) -> datetime | None:
        text = value.get(key)
        if not isinstance(text, str):
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else None

    batch = value.get("last_notified_batch") or []
    ids = frozenset(str(item) for item in batch) if isinstance(batch, list) else frozenset()
    return ReminderState(when("last_notified_at"), ids, when("snoozed_until"))


def plural(count: int, word: str) -> str:
    """``1 question`` / ``3 questions``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def notification_text(count: int, rhythm: str) -> str:
    """The words of a reminder about ``count`` due prompts."""
    kind = RHYTHM_WORDS.get(rhythm, "")
    what = f"Your {kind} check-in" if kind else "Your check-in"
    return f"{what} is ready: {plural(count, 'question')} waiting. Click to check in."


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

    notify_requested = Signal(int, str)
    """Show one reminder now: how many prompts are due, and the text to show."""
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
        """The stored reminder state (read once, then kept in memory)."""
        if self._state is None:
            from db.settings import get_value

            self._state = state_from_json(get_value(self.context.db, SETTINGS_KEY))
        return self._state

    def _store(self, state: ReminderState) -> None:
        if state == self._state:
            return  # nothing changed: no write every minute
        from db.settings import set_value

        set_value(self.context.db, SETTINGS_KEY, state_to_json(state))
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
        decision = decide(plan.due_ids, self.state, profile, now, self.context.tz, last_at)
        self._store(decision.new_state)
        self.next_check_at = decision.next_check_at
        moments = [t for t in (plan.next_due_at, decision.next_check_at) if t is not None]
        self._recheck_at = min([*moments, now + self.recheck_every])
        if decision.count != self.due_count:
            self.due_count = decision.count
            self.due_count_changed.emit(decision.count)
        if decision.notify:
            self.notify_requested.emit(decision.count,
                                       notification_text(decision.count, profile.rhythm))

    # Actions ---------------------------------------------------------------------
    @Slot(str)
    def snooze(self, choice: str) -> datetime:
        """Snooze reminders ("hour", "tomorrow" or "week"); returns when the snooze ends."""
        if choice not in SNOOZE_CHOICES:
            raise ValueError(f"unknown snooze choice {choice!r}")
        from db.settings import get_profile

        now = self.clock()
        until = snooze_until(choice, now, self.context.tz, get_profile(self.context.db))
        self._store(snooze(self.state, until))
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
