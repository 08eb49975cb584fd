"""SQLAlchemy 2.0 typed models for Keel's whole journal.

One SQLite file holds everything. Times are stored as timezone-naive UTC (SQLite has no
time zone type); services convert to and from aware UTC datetimes at the boundary.
Versioned things (baseline statements, tripwires, assessment answers) append rows rather
than overwrite, so their history is kept.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Setting(Base):
    """Key/value settings (profile, rhythm, reminders, window state); values are JSON."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Entry(Base):
    """A free journal entry in Markdown."""

    __tablename__ = "entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    import_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    """Set on imported entries so importing the same file twice never duplicates."""
    tags: Mapped[list[EntryTag]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="EntryTag.tag"
    )


class EntryTag(Base):
    __tablename__ = "entry_tags"
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    entry: Mapped[Entry] = relationship(back_populates="tags")


class Draft(Base):
    """Autosaved text not yet saved by the user (an entry being edited, a check-in)."""

    __tablename__ = "drafts"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CheckIn(Base):
    __tablename__ = "checkins"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    adhoc: Mapped[bool] = mapped_column(Boolean, default=False)
    reflection: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="checkin", cascade="all, delete-orphan", order_by="Answer.id"
    )


class Answer(Base):
    """One answer to one prompt: typed value columns, or a skip with its reason."""

    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[str] = mapped_column(String(100))
    answered_at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(10))
    value_text: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    skip_reason: Mapped[str | None] = mapped_column(Text)
    checkin: Mapped[CheckIn | None] = relationship(back_populates="answers")

    __table_args__ = (Index("ix_answers_prompt_time", "prompt_id", "answered_at"),)


class PromptState(Base):
    """The user's settings and history for one prompt of the library or their own."""

    __tablename__ = "prompt_states"
    prompt_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    cadence_override: Mapped[str | None] = mapped_column(String(30))
    last_asked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime)
    skip_streak: Mapped[int] = mapped_column(Integer, default=0)


class CustomPrompt(Base):
    """A prompt the user wrote; same answer kinds as the library."""

    __tablename__ = "custom_prompts"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    theme: Mapped[str] = mapped_column(String(50))
    question: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(String(10))
    spec: Mapped[str] = mapped_column(Text, default="{}")
    """JSON: labels, unit, min, max."""
    cadence: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class BaselineVersion(Base):
    """What the user believes about AI risk and why; editing appends a version."""

    __tablename__ = "baseline_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    worry: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class Tripwire(Base):
    """Something that would make the user leave or speak up. Text lives in versions."""

    __tablename__ = "tripwires"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    versions: Mapped[list[TripwireVersion]] = relationship(
        back_populates="tripwire",
        cascade="all, delete-orphan",
        order_by="TripwireVersion.id",
    )


class TripwireVersion(Base):
    __tablename__ = "tripwire_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    tripwire_id: Mapped[int] = mapped_column(
        ForeignKey("tripwires.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    tripwire: Mapped[Tripwire] = relationship(back_populates="versions")


class FinancialSnapshot(Base):
    __tablename__ = "financial_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    liquid_savings: Mapped[float | None] = mapped_column(Float)
    monthly_spending: Mapped[float | None] = mapped_column(Float)
    unvested_equity: Mapped[float | None] = mapped_column(Float)
    next_vest_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(10), default="USD")


class JobOption(Base):
    __tablename__ = "job_options"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text, default="")
    team: Mapped[str] = mapped_column(Text, default="")
    function: Mapped[str] = mapped_column(String(30), default="engineering")
    seniority: Mapped[str] = mapped_column(String(30), default="mid")
    work_kind: Mapped[str] = mapped_column(String(30), default="mixed")
    frontier: Mapped[bool | None] = mapped_column(Boolean)
    publishes: Mapped[str] = mapped_column(Text, default="")
    open_sources: Mapped[str] = mapped_column(Text, default="")
    disclosure_commitments: Mapped[str] = mapped_column(Text, default="")
    pay: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(10), default="USD")
    equity_value: Mapped[float | None] = mapped_column(Float)
    vesting_start: Mapped[date | None] = mapped_column(Date)
    cliff_date: Mapped[date | None] = mapped_column(Date)
    vest_end_date: Mapped[date | None] = mapped_column(Date)
    offer_deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="considering", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    assessment: Mapped[list[AssessmentAnswer]] = relationship(
        back_populates="option", cascade="all, delete-orphan", order_by="AssessmentAnswer.id"
    )


class AssessmentAnswer(Base):
    """One answer to one assessment question for one option; edits append rows (history)."""

    __tablename__ = "assessment_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("job_options.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    answered_at: Mapped[datetime] = mapped_column(DateTime)
    value_text: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float)
    option: Mapped[JobOption] = relationship(back_populates="assessment")


class Decision(Base):
    """A decision-journal entry: what was chosen, why, and when to look again."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    chosen_option_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_options.id", ondelete="SET NULL")
    )
    summary: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text, default="")
    alternatives: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of the option ids weighed against the chosen one."""
    revisit_conditions: Mapped[str] = mapped_column(Text, default="")
    revisit_on: Mapped[date | None] = mapped_column(Date)
    revisited_at: Mapped[datetime | None] = mapped_column(DateTime)


class FlagAction(Base):
    """A flag dismissed or snoozed, with the user's note; kept as history."""

    __tablename__ = "flag_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    until: Mapped[datetime | None] = mapped_column(DateTime)


class Event(Base):
    """Something that makes an event prompt due: a new option, an acceptance, a vest."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    ref_id: Mapped[int | None] = mapped_column(Integer)
