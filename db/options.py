"""Job options, their assessment, decisions, and the events that make prompts due.

Assessment answers and decisions are history: answering again appends a row. Saving an
option or recording a decision writes its side effects (status changes, events, the
profile's situation) in the same transaction, so they can never disagree.

The one reader and the one writer of options and of decisions, in SQL against
:class:`db.access.Session` (docs/ARCHITECTURE.md, "One data path"): the Options page,
the snapshot behind Today, the export, the Keel-format import and the demo generator all
call these. :func:`insert_option` and :func:`insert_decision` write one row inside the
caller's transaction (an import keeps the file's ids); :func:`save_option` and
:func:`record_decision` are the user's actions, with their side effects. No SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from db.assessments import (
    insert_assessment_answer,
    read_assessment_answers,
    read_option_assessment,
)
from db.events import insert_event, read_events
from db.rows import (  # noqa: F401 - re-exported
    _COPIED,
    DECISION_COLUMNS,
    OPTION_COLUMNS,
    decision_from_row,
    option_from_row,
)
from db.settings import PROFILE_KEY, read_value, write_value
from db.timeutil import to_db, to_stored, utcnow
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

if TYPE_CHECKING:
    from db.access import Journal, Session

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


SELECT_OPTIONS = f"SELECT {OPTION_COLUMNS} FROM job_options"
ALL_OPTIONS = f"{SELECT_OPTIONS} ORDER BY updated_at DESC, id DESC"
ONE_OPTION = f"{SELECT_OPTIONS} WHERE id = ?"
INSERT_OPTION = (f"INSERT INTO job_options ({OPTION_COLUMNS}) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
UPDATE_OPTION = (
    "UPDATE job_options SET organisation = ?, role = ?, team = ?, function = ?, "
    "seniority = ?, work_kind = ?, frontier = ?, publishes = ?, open_sources = ?, "
    "disclosure_commitments = ?, pay = ?, currency = ?, equity_value = ?, vesting_start = ?, "
    "cliff_date = ?, vest_end_date = ?, offer_deadline = ?, status = ?, notes = ?, "
    "updated_at = ? WHERE id = ?")
"""Every column of :data:`OPTION_COLUMNS` but ``id`` and ``created_at``, in that order."""
OPTION_STATUS = "SELECT status FROM job_options WHERE id = ?"
SET_STATUS = "UPDATE job_options SET status = ?, updated_at = ? WHERE id = ?"
LEAVE_CURRENT = ("UPDATE job_options SET status = 'left', updated_at = ? "
                 "WHERE status = 'current' AND id <> ?")
DELETE_OPTION = "DELETE FROM job_options WHERE id = ?"


def _stored_values(values: dict[str, Any]) -> list[Any]:
    """:func:`_option_values` as the columns store them, in :data:`_COPIED` order."""
    out = []
    for name in _COPIED:
        value = values[name]
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = int(value)
        out.append(value)
    return out


def _read_option(session: Session, option_id: int) -> JobOption | None:
    row = session.execute(ONE_OPTION, (option_id,)).first()
    return None if row is None else option_from_row(row)


def insert_option(session: Session, option: JobOption) -> int:
    """The writer of a new option row, inside the caller's write transaction; its id.

    Checked as the app checks it (:func:`_option_values`). Stored with ``option.id`` when
    it has one (an import keeps the file's ids), and at ``option.created_at`` /
    ``updated_at`` (now when unset). Records no event: :func:`save_option` is the user's
    action that does.
    """
    created = option.created_at or utcnow()
    rows = session.execute(INSERT_OPTION, (
        option.id, *_stored_values(_option_values(option)), to_stored(created),
        to_stored(option.updated_at or created)))
    assert rows.lastrowid is not None
    return rows.lastrowid


def save_option(
    db: Journal, option: JobOption, when: datetime | None = None
) -> JobOption:
    """Insert (``id`` None) or update a job option; returns it as stored.

    A new option records an ``on-new-option`` event; an option whose status becomes
    ``accepted`` or ``current`` records an ``on-accept`` event (also when it is added with
    status ``accepted``; adding the job one already holds as ``current`` does not count as
    accepting it).
    """
    values = _option_values(option)
    stamp = when or utcnow()
    with db.write() as session:
        if option.id is None:
            option_id = insert_option(session, replace(option, created_at=stamp,
                                                        updated_at=stamp))
            insert_event(session, "on-new-option", option_id, stamp)
            if values["status"] == "accepted":
                insert_event(session, "on-accept", option_id, stamp)
        else:
            option_id = option.id
            before = session.execute(OPTION_STATUS, (option_id,)).scalar()
            if before is None:
                raise LookupError(f"Option {option_id} no longer exists.")
            session.execute(UPDATE_OPTION, (*_stored_values(values), to_stored(stamp),
                                            option_id))
            status = values["status"]
            if status != before and status in ACCEPTED_STATUSES and (
                before not in ACCEPTED_STATUSES
            ):
                insert_event(session, "on-accept", option_id, stamp)
        saved = _read_option(session, option_id)
    assert saved is not None
    return saved


def get_option(db: Journal, option_id: int) -> JobOption | None:
    """One option, or None."""
    with db.read() as session:
        return _read_option(session, option_id)


OPEN_STATUSES = ("considering", "applied", "interviewing", "offer")
"""Statuses of an option still in play: what a decision can close as ``declined``."""


def set_statuses(db: Journal, statuses: dict[int, str],
                 when: datetime | None = None) -> dict[int, str]:
    """Give each option id its status (one transaction); returns the statuses they had,
    so the change can be undone by passing that back. Unknown ids are ignored. No event
    is recorded: declining (or undoing it) is not accepting."""
    stamp = to_stored(when or utcnow())
    for status in statuses.values():
        if status not in OPTION_STATUSES:
            raise InvalidInput(f"Unknown status: {status!r}")
    before: dict[int, str] = {}
    with db.write() as session:
        for option_id, status in statuses.items():
            found = session.execute(OPTION_STATUS, (option_id,)).scalar()
            if found is None:
                continue
            before[option_id] = found
            session.execute(SET_STATUS, (status, stamp, option_id))
    return before


def read_options(session: Session, statuses: Collection[str] | None = None) -> list[JobOption]:
    """Options, most recently changed first; only the given statuses if *statuses*."""
    found = [option_from_row(r) for r in session.execute(ALL_OPTIONS)]
    return found if statuses is None else [o for o in found if o.status in statuses]


def list_options(db: Journal, statuses: Collection[str] | None = None) -> list[JobOption]:
    """Options, most recently changed first; only the given statuses if ``statuses``
    (:func:`read_options`)."""
    with db.read() as session:
        return read_options(session, statuses)


def delete_option(db: Journal, option_id: int) -> None:
    """Delete an option and its assessment (decisions keep their text; their link is cleared)."""
    with db.write() as session:
        session.execute(DELETE_OPTION, (option_id,))
    from db.erasure import erase_deleted

    erase_deleted(db)  # out of the search index and the -wal at once


# --------------------------------------------------------------------------- assessment


def record_assessment(
    db: Journal,
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


def assessment_answers(db: Journal, option_id: int) -> list[AssessmentAnswer]:
    """Every assessment answer of one option, oldest first."""
    with db.read() as session:
        return read_option_assessment(session, option_id)


def all_assessment_answers(db: Journal) -> dict[int, list[AssessmentAnswer]]:
    """Assessment answers of every option (oldest first), by option id."""
    with db.read() as session:
        return read_assessment_answers(session)


# --------------------------------------------------------------------------- decisions

SELECT_DECISIONS = f"SELECT {DECISION_COLUMNS} FROM decisions"
ALL_DECISIONS = f"{SELECT_DECISIONS} ORDER BY decided_at DESC, id DESC"
ONE_DECISION = f"{SELECT_DECISIONS} WHERE id = ?"
INSERT_DECISION = (f"INSERT INTO decisions ({DECISION_COLUMNS}) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
MARK_REVISITED = "UPDATE decisions SET revisited_at = ? WHERE id = ?"


def situation_for(option: JobOption) -> str:
    """Where taking ``option`` puts the user: at a lab, or elsewhere."""
    at_lab = option.frontier is True or option.work_kind in ("capabilities", "mixed")
    return Situation.AT_LAB.value if at_lab else Situation.ELSEWHERE.value


def _set_situation(session: Session, situation: str) -> None:
    stored: dict[str, Any] = read_value(session, PROFILE_KEY) or asdict(Profile())
    stored["situation"] = situation
    write_value(session, PROFILE_KEY, stored)


def insert_decision(session: Session, decision: Decision) -> int:
    """The writer of a decision row, inside the caller's write transaction; its id.

    Checked as the app checks it (a one-line summary; storable text). Stored with
    ``decision.id`` when it has one (an import keeps the file's ids). Applies nothing:
    :func:`record_decision` is the user's action that moves options and the situation.
    """
    summary = clean_text(decision.summary, "summary", limit=10_000).strip()
    if not summary:
        raise InvalidInput("A decision needs a one-line summary.")
    rows = session.execute(INSERT_DECISION, (
        decision.id, to_stored(decision.decided_at), decision.chosen_option_id, summary,
        clean_text(decision.reasons, "reasons"),
        json.dumps([int(a) for a in decision.alternatives]),
        clean_text(decision.revisit_conditions, "revisit conditions"),
        None if decision.revisit_on is None else decision.revisit_on.isoformat(),
        to_stored(decision.revisited_at)))
    assert rows.lastrowid is not None
    return rows.lastrowid


def _read_decision(session: Session, decision_id: int) -> Decision | None:
    row = session.execute(ONE_DECISION, (decision_id,)).first()
    return None if row is None else decision_from_row(row)


def record_decision(
    db: Journal,
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
    stamp = when or utcnow()
    decision = Decision(
        id=None, decided_at=stamp, chosen_option_id=chosen_option_id, summary=summary,
        reasons=reasons, alternatives=tuple(int(a) for a in alternatives),
        revisit_conditions=revisit_conditions,
        revisit_on=revisit_on or (to_db(stamp).date() + REVISIT_AFTER))  # the UTC day
    with db.write() as session:
        if chosen_option_id is not None:
            chosen = _read_option(session, chosen_option_id)
            if chosen is None:
                raise LookupError(f"Option {chosen_option_id} no longer exists.")
            moment = to_stored(stamp)
            session.execute(LEAVE_CURRENT, (moment, chosen_option_id))
            session.execute(SET_STATUS, ("current", moment, chosen_option_id))
            if chosen.status != "current":
                insert_event(session, "on-accept", chosen_option_id, stamp)
            _set_situation(session, situation_for(chosen))
        found = _read_decision(session, insert_decision(session, decision))
    assert found is not None
    return found


def read_decisions(session: Session) -> list[Decision]:
    """Every decision, newest first."""
    return [decision_from_row(r) for r in session.execute(ALL_DECISIONS)]


def decisions(db: Journal) -> list[Decision]:
    """Every decision, newest first (:func:`read_decisions`)."""
    with db.read() as session:
        return read_decisions(session)


def mark_decision_revisited(
    db: Journal, decision_id: int, when: datetime | None = None
) -> Decision:
    """Note that the user looked at a decision again (its revisit flag goes away)."""
    with db.write() as session:
        if not session.execute(MARK_REVISITED, (to_stored(when or utcnow()),
                                                decision_id)).rowcount:
            raise LookupError(f"Decision {decision_id} no longer exists.")
        found = _read_decision(session, decision_id)
    assert found is not None
    return found


# --------------------------------------------------------------------------- events


def events(db: Journal, since: datetime | None = None) -> list[tuple[str, datetime]]:
    """(kind, when) of every event, oldest first (:func:`db.events.read_events`)."""

    with db.read() as session:
        return read_events(session, since)
