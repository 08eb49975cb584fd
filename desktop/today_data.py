"""What the Today page shows, built from the journal in one call (plain Python, no Qt).

:func:`build_today_view` reads the journal through db services and asks desktop/core for
the decisions (what is due, which flags apply, the rhythm kept, what is coming), so the
page can run it off the UI thread with ``run_in_background`` and then only render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.finance import current_job, vesting_schedule
from desktop.core.flags import Flag, all_flags, flag_history, is_hidden
from desktop.core.records import EVENT_CADENCES, FlagAction, JobOption, JournalSnapshot, Profile, Prompt
from desktop.core.schedule import (
    DuePlan,
    checkins_streak,
    next_period_start,
    period_start,
    upcoming,
)

if TYPE_CHECKING:
    from db.engine import Database

PROMPT_HORIZON_DAYS = 30
"""How far ahead "Coming up" lists check-in prompts."""
EVENT_HORIZON_DAYS = 60
"""How far ahead "Coming up" lists deadlines, vesting dates and decision revisits."""
OPEN_STATUSES = ("considering", "applied", "interviewing", "offer")
"""Option statuses whose offer deadline still matters."""

RHYTHM_PERIOD = {"weekly": "week", "fortnightly": "fortnight", "monthly": "month"}


@dataclass(frozen=True)
class UpcomingItem:
    """One thing coming up: a check-in day, an offer deadline, a vest or a revisit."""

    day: date
    """Local calendar day."""
    kind: str
    """``checkin``, ``deadline``, ``vesting`` or ``revisit``."""
    title: str
    detail: str = ""


@dataclass(frozen=True)
class TodayView:
    """Everything the Today page renders, computed at ``now``."""

    now: datetime
    due: tuple[Prompt, ...] = ()
    held_back: int = 0
    next_due_at: datetime | None = None
    flags: tuple[Flag, ...] = ()
    last_checkin_at: datetime | None = None
    checkins_done: int = 0
    streak: int = 0
    rhythm: str = "weekly"
    upcoming: tuple[UpcomingItem, ...] = ()
    problems: tuple[str, ...] = ()
    is_new: bool = True
    """No check-in, option or baseline yet: the page shows a welcome instead of empty cards."""
    history: tuple[FlagAction, ...] = ()
    """Every dismissal and snooze, newest first."""
    flag_messages: dict[str, str] = field(default_factory=dict)
    """Flag key → message for every flag the rules raise now (dismissed or not)."""
    plan: DuePlan = field(default_factory=DuePlan)
    """What a check-in started at ``now`` asks (``due``, ``held_back`` and ``next_due_at``
    above are its fields, kept for the page's convenience)."""

    @property
    def period(self) -> str:
        """The rhythm's period as a noun: week, fortnight or month."""
        return RHYTHM_PERIOD.get(self.rhythm, "week")


def _money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}.get(currency)
    return f"{symbol}{amount:,.0f}" if symbol else f"{amount:,.0f} {currency}"


def _checkin_items(coming: list[tuple[datetime, Prompt]], tz: tzinfo) -> list[UpcomingItem]:
    """Prompts falling due on the same local day become one check-in line."""
    by_day: dict[date, list[Prompt]] = {}
    for when, prompt in coming:
        by_day.setdefault(when.astimezone(tz).date(), []).append(prompt)
    items = []
    for day, prompts in sorted(by_day.items()):
        count = len(prompts)
        title = f"Check-in: {count} prompt{'s' if count != 1 else ''} due"
        shown = "; ".join(p.question for p in prompts[:2])
        if count > 2:
            shown += f"; and {count - 2} more"
        items.append(UpcomingItem(day, "checkin", title, shown))
    return items


def _option_items(options: tuple[JobOption, ...], today: date, until: date) -> list[UpcomingItem]:
    items = []
    for option in options:
        deadline = option.offer_deadline
        if option.status in OPEN_STATUSES and deadline is not None and today <= deadline <= until:
            items.append(UpcomingItem(deadline, "deadline", f"Offer deadline: {option.title}",
                                      f"Status: {option.status}"))
    return items


def _vesting_items(snapshot: JournalSnapshot, today: date, until: date) -> list[UpcomingItem]:
    job = current_job(snapshot.options)
    if job is None:
        return []
    return [
        UpcomingItem(day, "vesting", f"Vesting: {_money(amount, job.currency)}", job.title)
        for day, amount in vesting_schedule(job, after=today - timedelta(days=1), until=until)
    ]


def _revisit_items(snapshot: JournalSnapshot, today: date, until: date) -> list[UpcomingItem]:
    items = []
    for decision in snapshot.decisions:
        day = decision.revisit_on
        if day is None or decision.revisited_at is not None or not today < day <= until:
            continue
        summary = decision.summary.strip() or "a decision"
        if len(summary) > 70:
            summary = summary[:69].rstrip() + "…"
        items.append(UpcomingItem(day, "revisit", f"Revisit: {summary}",
                                  decision.revisit_conditions.strip()))
    return items


def _on_checkin_day(when: datetime, prompt: Prompt, profile: Profile, tz: tzinfo) -> datetime:
    if prompt.cadence in EVENT_CADENCES:
        return when
    start = period_start(profile, when, tz)
    return when if when == start else next_period_start(profile, when, tz)


def coming_up(snapshot: JournalSnapshot, prompts: list[Prompt], now: datetime,
              tz: tzinfo) -> list[UpcomingItem]:
    """Check-in days in the next 30 days, and deadlines, vests and revisits in the next 60,
    soonest first."""
    today = now.astimezone(tz).date()
    until = today + timedelta(days=EVENT_HORIZON_DAYS)
    states = {s.prompt_id: s for s in snapshot.prompt_states}
    coming = upcoming(prompts, states, snapshot.profile, now, tz, days=PROMPT_HORIZON_DAYS,
                      decisions=snapshot.decisions)
    # Decision-revisit prompts are listed as the revisits themselves; periodic prompts are
    # asked at the first check-in day on or after they fall due (one check-in a period).
    coming = [(_on_checkin_day(when, p, snapshot.profile, tz), p) for when, p in coming
              if p.cadence != "decision-revisit"]
    items = [
        *_checkin_items(coming, tz),
        *_option_items(snapshot.options, today, until),
        *_vesting_items(snapshot, today, until),
        *_revisit_items(snapshot, today, until),
    ]
    order = {"deadline": 0, "revisit": 1, "vesting": 2, "checkin": 3}
    items.sort(key=lambda i: (i.day, order.get(i.kind, 9), i.title))
    return items


def build_today_view(db: Database, now: datetime, tz: tzinfo) -> TodayView:
    """Read the journal and decide what Today shows at ``now`` (safe to run in a worker)."""
    from db.snapshot import load_snapshot
    from desktop.due_now import all_prompts

    snapshot = load_snapshot(db)
    prompts, problems = all_prompts(db)
    return view_from_snapshot(snapshot, prompts, problems, now, tz)


def build_today_preview(database: Path, data_dir: Path, now: datetime,
                        tz: tzinfo) -> TodayView | None:
    """The same view read with plain ``sqlite3`` (no SQLAlchemy), so the window can show
    a populated Today while SQLAlchemy is still loading. None when the journal cannot be
    read that way (missing, encrypted, or its schema not current): the caller then waits
    for the full open, which migrates, unlocks or reports."""
    from db.crypto import is_encrypted
    from db.plain_journal import PlainJournal
    from db.schema import SchemaState, state
    from desktop.due_now import library_prompts

    if not database.exists() or is_encrypted(data_dir):
        return None
    if state(database, check=False) is not SchemaState.CURRENT:
        return None
    from db.snapshot import read_custom_prompts, read_snapshot

    journal = PlainJournal(database, readonly=True)
    try:
        with journal.read() as session:
            snapshot = read_snapshot(session)
            own = read_custom_prompts(session)
    finally:
        journal.close()
    prompts, problems = library_prompts(data_dir)
    return view_from_snapshot(snapshot, [*prompts, *own], problems, now, tz)


def view_from_snapshot(snapshot: JournalSnapshot, prompts: list[Prompt], problems: list[str],
                       now: datetime, tz: tzinfo) -> TodayView:
    """Decide what Today shows at ``now`` from one read of the journal."""
    from desktop.due_now import due_from_snapshot

    plan = due_from_snapshot(snapshot, prompts, now, tz)
    raised = all_flags(snapshot, now)  # every rule evaluated once: shown and hidden alike
    flags = [f for f in raised if not is_hidden(f, snapshot.flag_actions, now)]
    done = [c for c in snapshot.checkins if c.completed_at is not None and c.completed_at <= now]
    last = max((c.completed_at for c in done if c.completed_at is not None), default=None)
    is_new = not done and not snapshot.options and not snapshot.baselines
    return TodayView(
        now=now,
        due=plan.due,
        held_back=plan.held_back,
        next_due_at=plan.next_due_at,
        flags=tuple(flags),
        last_checkin_at=last,
        checkins_done=len(done),
        streak=checkins_streak(snapshot.checkins, snapshot.profile, now, tz),
        rhythm=snapshot.profile.rhythm,
        upcoming=tuple(coming_up(snapshot, prompts, now, tz)),
        problems=tuple(problems),
        is_new=is_new,
        history=tuple(flag_history(snapshot)),
        flag_messages={f.key: f.message for f in raised},
        plan=plan,
    )
