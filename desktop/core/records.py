"""Plain records passed between db/ services, desktop/core logic and the UI.

These dataclasses are the shared vocabulary of Keel. ``db`` services return them,
``desktop.core`` decides things about them (what is due, which flags apply, what an
export says) and ``desktop.ui`` shows them. Nothing here imports Qt or SQLAlchemy.

Times are timezone-aware ``datetime`` values in UTC unless a field says otherwise;
calendar days (deadlines, vest dates) are plain ``date`` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from desktop.core.provenance import Cite


class Situation(str, Enum):
    """Where the user stands; prompts can be limited to some situations."""

    STUDENT = "student"
    WEIGHING = "weighing"
    AT_LAB = "at-lab"
    ELSEWHERE = "elsewhere"

    @property
    def label(self) -> str:
        return {
            "student": "Student",
            "weighing": "Weighing offers",
            "at-lab": "Working at an AI lab",
            "elsewhere": "Working elsewhere",
        }[self.value]


class AnswerKind(str, Enum):
    SCALE = "scale"
    NUMBER = "number"
    YESNO = "yesno"
    CHOICE = "choice"
    TEXT = "text"


RHYTHMS = ("weekly", "fortnightly", "monthly")
"""Check-in rhythms a user can choose in onboarding and settings."""

CADENCES = ("weekly", "fortnightly", "monthly", "quarterly", "yearly")
"""Periodic cadences a prompt can have."""

EVENT_CADENCES = ("on-new-option", "on-accept", "on-vesting", "decision-revisit")
"""Cadences that fire on an event rather than on the calendar."""


@dataclass(frozen=True)
class Prompt:
    """One question of the prompt library (shipped TOML) or a user's own prompt."""

    id: str
    theme: str
    experts: tuple[int, ...]
    question: str
    why: str
    answer: AnswerKind
    cadence: str
    applies: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    """Scale labels (low → high) or choice options."""
    unit: str = ""
    """Unit of a ``number`` answer, e.g. "hours" or "%"."""
    minimum: float | None = None
    maximum: float | None = None
    priority: int = 2
    """1 = most important (kept first in a catch-up check-in), 3 = least."""
    custom: bool = False
    source_file: str = ""
    sources: tuple[Cite, ...] = ()
    """Per expert, a locator copied from their section of the seed (see provenance)."""
    keel_own: bool = False
    """The prompt is Keel's own idea (e.g. tripwires): no expert is its source."""

    def applies_to(self, situation: str | None) -> bool:
        return not self.applies or situation is None or situation in self.applies


def with_unit(number: str, unit: str) -> str:
    """A formatted number with a number prompt's unit: "4%" (no space before a percent
    sign, as English writes it), "2.5 hours", or the number alone."""
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


@dataclass(frozen=True)
class PromptState:
    """The user's settings and history for one prompt."""

    prompt_id: str
    enabled: bool = True
    cadence_override: str | None = None
    last_asked_at: datetime | None = None
    last_answered_at: datetime | None = None
    snoozed_until: datetime | None = None
    skip_streak: int = 0


@dataclass(frozen=True)
class Answer:
    """One answer (or skip) to one prompt in one check-in."""

    id: int | None
    checkin_id: int | None
    prompt_id: str
    answered_at: datetime
    kind: AnswerKind
    text: str | None = None
    number: float | None = None
    skipped: bool = False
    skip_reason: str | None = None

    @property
    def value(self) -> str | float | bool | None:
        if self.skipped:
            return None
        if self.kind in (AnswerKind.SCALE, AnswerKind.NUMBER):
            return self.number
        if self.kind is AnswerKind.YESNO:
            return None if self.number is None else bool(self.number)
        return self.text


@dataclass(frozen=True)
class CheckIn:
    id: int
    started_at: datetime
    completed_at: datetime | None
    adhoc: bool
    reflection: str = ""
    answers: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class Entry:
    """A free journal entry in Markdown."""

    id: int
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """Autosaved, not yet saved text: an entry being edited or a check-in in progress."""

    key: str
    """``entry:new``, ``entry:<id>`` or ``checkin``."""
    payload: dict
    updated_at: datetime


@dataclass(frozen=True)
class BaselineVersion:
    id: int
    text: str
    worry: int | None
    """Worry about AI risk on the 0–10 scale when the baseline was written."""
    created_at: datetime


@dataclass(frozen=True)
class TripwireVersion:
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Tripwire:
    id: int
    text: str
    created_at: datetime
    archived_at: datetime | None = None
    history: tuple[TripwireVersion, ...] = ()


@dataclass(frozen=True)
class FinancialSnapshot:
    id: int
    taken_at: datetime
    liquid_savings: float | None = None
    monthly_spending: float | None = None
    unvested_equity: float | None = None
    next_vest_date: date | None = None
    currency: str = "USD"


OPTION_STATUSES = (
    "considering", "applied", "interviewing", "offer",
    "accepted", "declined", "current", "left",
)
OPTION_FUNCTIONS = (
    "research", "engineering", "policy", "fundraising",
    "communications", "operations", "product", "other",
)
OPTION_SENIORITIES = ("student", "junior", "mid", "senior", "leadership")
OPTION_WORK_KINDS = ("capabilities", "safety", "mixed", "unrelated")


@dataclass(frozen=True)
class JobOption:
    id: int | None
    organisation: str
    role: str
    team: str = ""
    function: str = "engineering"
    seniority: str = "mid"
    work_kind: str = "mixed"
    frontier: bool | None = None
    """Whether the organisation pushes the frontier of AI capabilities."""
    publishes: str = ""
    """What the team publishes, in the user's words."""
    open_sources: str = ""
    disclosure_commitments: str = ""
    pay: float | None = None
    """Yearly base pay."""
    currency: str = "USD"
    equity_value: float | None = None
    vesting_start: date | None = None
    cliff_date: date | None = None
    vest_end_date: date | None = None
    offer_deadline: date | None = None
    status: str = "considering"
    notes: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def title(self) -> str:
        return f"{self.role} — {self.organisation}" if self.role else self.organisation


@dataclass(frozen=True)
class AssessmentAnswer:
    option_id: int
    question_id: str
    answered_at: datetime
    text: str | None = None
    number: float | None = None


@dataclass(frozen=True)
class Decision:
    id: int | None
    decided_at: datetime
    chosen_option_id: int | None
    """None: the user decided to stay where they are."""
    summary: str
    reasons: str = ""
    alternatives: tuple[int, ...] = ()
    revisit_conditions: str = ""
    revisit_on: date | None = None
    revisited_at: datetime | None = None


@dataclass(frozen=True)
class FlagAction:
    """A dismissal or snooze of a flag, kept for history."""

    flag_id: str
    action: str
    """``dismissed`` or ``snoozed``."""
    note: str
    created_at: datetime
    until: datetime | None = None


@dataclass(frozen=True)
class Profile:
    """What onboarding asks and Settings edits."""

    situation: str | None = None
    rhythm: str = "weekly"
    preferred_weekday: int = 0
    """0 = Monday … 6 = Sunday."""
    onboarded: bool = False
    quiet_start: int = 22
    """Hour (local) from which no reminder is shown."""
    quiet_end: int = 8
    reminder_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class JournalSnapshot:
    """Everything core logic needs to decide what is due and which flags apply."""

    profile: Profile
    answers: tuple[Answer, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    prompt_states: tuple[PromptState, ...] = ()
    baselines: tuple[BaselineVersion, ...] = ()
    tripwires: tuple[Tripwire, ...] = ()
    snapshots: tuple[FinancialSnapshot, ...] = ()
    options: tuple[JobOption, ...] = ()
    decisions: tuple[Decision, ...] = ()
    flag_actions: tuple[FlagAction, ...] = ()
    events: tuple[tuple[str, datetime], ...] = field(default_factory=tuple)
    """(event kind, when) pairs: ``on-new-option``, ``on-accept``, ``on-vesting``."""
    assessments: tuple[AssessmentAnswer, ...] = ()
    """Every option's assessment answers, oldest first (flags read the current ones)."""
