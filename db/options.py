"""Job options, their assessment, decisions, and the events that make prompts due.

Assessment answers and decisions are history: answering again appends a row. Saving an
option or recording a decision writes its side effects (status changes, events, the
profile's situation) in the same transaction, so they can never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from db import models
from db.access import session_of
from db.assessments import (
    insert_assessment_answer,
    read_assessment_answers,
    read_option_assessment,
)
from db.engine import Database
from db.events import insert_event, read_events
from db.rows import _COPIED, decision_from_row, option_from_row  # noqa: F401 - re-exported
from db.settings import PROFILE_KEY, read_value, write_value
from db.timeutil import to_db, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import (
    OPTION_FUNCTIONS,
    OPTION_SENIORITIES,
    OPTION_STATUSES,
    OPTION_WORK_KINDS,
    AssessmentAnswer,
    Decision,
    JobOption,
    Profile,
    Situation,
)

REVISIT_AFTER = timedelta(days=182)
"""A decision is looked at again about six months later unless the user says otherwise."""

ACCEPTED_STATUSES = ("accepted", "current")

OPTION_TEXT_FIELDS = (
    "organisation", "role", "team", "publishes", "open_sources",
    "disclosure_commitments", "notes",
)


# --------------------------------------------------------------------------- options


def _option_values(option: JobOption) -> dict[str, Any]:
    values = {name: getattr(option, name) for name in _COPIED}
    for name in OPTION_TEXT_FIELDS:
        values[name] = clean_text(values[name] or "", name.replace("_", " "), limit=100_000)
    values["organisation"] = values["organisation"].strip()
    if not values["organisation"]:
        raise InvalidInput("An option needs the name of the organisation.")
    for name, allowed in (
        ("status", OPTION_STATUSES),
        ("function", OPTION_FUNCTIONS),
        ("seniority", OPTION_SENIORITIES),
        ("work_kind", OPTION_WORK_KINDS),
    ):
        if values[name] not in allowed:
            raise InvalidInput(f"“{values[name]}” is not a {name.replace('_', ' ')} Keel knows.")
    for name in ("pay", "equity_value"):
        if values[name] is not None:
            values[name] = float(values[name])
            if values[name] < 0:
                raise InvalidInput(f"The {name.replace('_', ' ')} cannot be negative.")
    values["currency"] = (values["currency"] or "USD").strip().upper()[:10] or "USD"
    return values


def _event(session: Session, kind: str, ref_id: int | None, when: datetime) -> None:
    """:func:`db.events.insert_event` in this ORM transaction (*ref_id* already flushed)."""
    insert_event(session_of(session), kind, ref_id, when)


def save_option(
    db: Database, option: JobOption, when: datetime | None = None
) -> JobOption:
    """Insert (``id`` None) or update a job option; returns it as stored.

    A new option records an ``on-new-option`` event; an option whose status becomes
    ``accepted`` or ``current`` records an ``on-accept`` event (also when it is added with
    status ``accepted``; adding the job one already holds as ``current`` does not count as
    accepting it).
    """
    values = _option_values(option)
    stamp: datetime = to_db(when or utcnow())
    with db.transaction() as session:
        if option.id is None:
            row = models.JobOption(created_at=stamp, updated_at=stamp, **values)
            session.add(row)
            session.flush()
            _event(session, "on-new-option", row.id, stamp)
            if row.status == "accepted":
                _event(session, "on-accept", row.id, stamp)
        else:
            found = session.get(models.JobOption, option.id)
            if found is None:
                raise LookupError(f"Option {option.id} no longer exists.")
            row = found
            before = row.status
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = stamp
            if row.status != before and row.status in ACCEPTED_STATUSES and (
                before not in ACCEPTED_STATUSES
            ):
                _event(session, "on-accept", row.id, stamp)
        session.flush()
        return option_from_row(row)


def get_option(db: Database, option_id: int) -> JobOption | None:
    """One option, or None."""
    with db.reading() as session:
        row = session.get(models.JobOption, option_id)
        return None if row is None else option_from_row(row)


OPEN_STATUSES = ("considering", "applied", "interviewing", "offer")
"""Statuses of an option still in play: what a decision can close as ``declined``."""


def set_statuses(db: Database, statuses: dict[int, str],
                 when: datetime | None = None) -> dict[int, str]:
    """Give each option id its status (one transaction); returns the statuses they had,
    so the change can be undone by passing that back. Unknown ids are ignored. No event
    is recorded: declining (or undoing it) is not accepting."""
    stamp: datetime = to_db(when or utcnow())
    for status in statuses.values():
        if status not in OPTION_STATUSES:
            raise InvalidInput(f"Unknown status: {status!r}")
    before: dict[int, str] = {}
    with db.transaction() as session:
        for option_id, status in statuses.items():
            row = session.get(models.JobOption, option_id)
            if row is None:
                continue
            before[option_id] = row.status
            row.status = status
            row.updated_at = stamp
    return before


def list_options(db: Database, statuses: Collection[str] | None = None) -> list[JobOption]:
    """Options, most recently changed first; only the given statuses if ``statuses``
    (:func:`db.snapshot.read_options`)."""
    from db.snapshot import read_options

    with db.read() as session:
        return read_options(session, statuses)


def delete_option(db: Database, option_id: int) -> None:
    """Delete an option and its assessment (decisions keep their text; their link is cleared)."""
    with db.transaction() as session:
        session.execute(delete(models.JobOption).where(models.JobOption.id == option_id))
    from db.erasure import erase_deleted

    erase_deleted(db)  # out of the search index and the -wal at once


# --------------------------------------------------------------------------- assessment


def record_assessment(
    db: Database,
    option_id: int,
    question_id: str,
    text: str | None = None,
    number: float | None = None,
    when: datetime | None = None,
) -> AssessmentAnswer:
    """Append an answer to one assessment question (earlier answers stay as history):
    :func:`db.assessments.insert_assessment_answer` in a write transaction of its own."""
    with db.write() as session:
        return insert_assessment_answer(session, option_id, question_id, text, number, when)


def assessment_answers(db: Database, option_id: int) -> list[AssessmentAnswer]:
    """Every assessment answer of one option, oldest first."""
    with db.read() as session:
        return read_option_assessment(session, option_id)


def all_assessment_answers(db: Database) -> dict[int, list[AssessmentAnswer]]:
    """Assessment answers of every option (oldest first), by option id."""
    with db.read() as session:
        return read_assessment_answers(session)


# --------------------------------------------------------------------------- decisions


def situation_for(option: models.JobOption | JobOption) -> str:
    """Where taking ``option`` puts the user: at a lab, or elsewhere."""
    at_lab = option.frontier is True or option.work_kind in ("capabilities", "mixed")
    return Situation.AT_LAB.value if at_lab else Situation.ELSEWHERE.value


def _set_situation(session: Session, situation: str) -> None:
    sql = session_of(session)
    stored: dict[str, Any] = read_value(sql, PROFILE_KEY) or asdict(Profile())
    stored["situation"] = situation
    write_value(sql, PROFILE_KEY, stored)


def record_decision(
    db: Database,
    chosen_option_id: int | None,
    summary: str,
    reasons: str,
    alternatives: Sequence[int],
    revisit_conditions: str,
    revisit_on: date | None = None,
    when: datetime | None = None,
) -> Decision:
    """Record a decision and apply it, all in one transaction.

    ``revisit_on`` defaults to six months (182 days) after the decision. When an option
    is chosen it becomes ``current``, a previous ``current`` option becomes ``left``, an
    ``on-accept`` event is recorded and the profile's situation follows the new job.
    ``chosen_option_id`` None records a decision to stay as things are.
    """
    stamp: datetime = to_db(when or utcnow())
    summary = clean_text(summary, "summary", limit=10_000).strip()
    if not summary:
        raise InvalidInput("A decision needs a one-line summary.")
    with db.transaction() as session:
        row = models.Decision(
            decided_at=stamp,
            chosen_option_id=chosen_option_id,
            summary=summary,
            reasons=clean_text(reasons, "reasons"),
            alternatives=json.dumps([int(a) for a in alternatives]),
            revisit_conditions=clean_text(revisit_conditions, "revisit conditions"),
            revisit_on=revisit_on or (stamp.date() + REVISIT_AFTER),
        )
        if chosen_option_id is not None:
            chosen = session.get(models.JobOption, chosen_option_id)
            if chosen is None:
                raise LookupError(f"Option {chosen_option_id} no longer exists.")
            session.execute(
                update(models.JobOption)
                .where(
                    models.JobOption.status == "current",
                    models.JobOption.id != chosen_option_id,
                )
                .values(status="left", updated_at=stamp)
            )
            already_current = chosen.status == "current"
            chosen.status = "current"
            chosen.updated_at = stamp
            if not already_current:
                _event(session, "on-accept", chosen.id, stamp)
            _set_situation(session, situation_for(chosen))
        session.add(row)
        session.flush()
        return decision_from_row(row)


def decisions(db: Database) -> list[Decision]:
    """Every decision, newest first (:func:`db.snapshot.read_decisions`)."""
    from db.snapshot import read_decisions

    with db.read() as session:
        return read_decisions(session)


def mark_decision_revisited(
    db: Database, decision_id: int, when: datetime | None = None
) -> Decision:
    """Note that the user looked at a decision again (its revisit flag goes away)."""
    with db.transaction() as session:
        row = session.get(models.Decision, decision_id)
        if row is None:
            raise LookupError(f"Decision {decision_id} no longer exists.")
        row.revisited_at = to_db(when or utcnow())
        session.flush()
        return decision_from_row(row)


# --------------------------------------------------------------------------- events


def events(db: Database, since: datetime | None = None) -> list[tuple[str, datetime]]:
    """(kind, when) of every event, oldest first (:func:`db.events.read_events`)."""

    with db.read() as session:
        return read_events(session, since)
