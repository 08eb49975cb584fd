"""Check-ins and their answers: saved whole (atomically), listed and read back.

Answers are stored in typed columns (``value_text`` for text and choices, ``value_number``
for scales, numbers and yes/no as 1/0) or as a skip with its reason. Every answer also
updates the prompt's state (last asked, last answered, skip streak) in the same
transaction, so scheduling and the "skipped three times" flag never see one without the
other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.engine import Database
from db.rows import answers_from_rows, checkin_from_row  # noqa: F401 - re-exported
from db.timeutil import to_db, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import Answer, AnswerKind, CheckIn

ANSWER_COLUMNS = (
    models.Answer.id,
    models.Answer.checkin_id,
    models.Answer.prompt_id,
    models.Answer.answered_at,
    models.Answer.kind,
    models.Answer.value_text,
    models.Answer.value_number,
    models.Answer.skipped,
    models.Answer.skip_reason,
)
"""The columns :func:`answer_from_row` expects, in order (plain selects are much faster
than loading ORM objects on a ten-year journal)."""

CHECKIN_COLUMNS = (
    models.CheckIn.id,
    models.CheckIn.started_at,
    models.CheckIn.completed_at,
    models.CheckIn.adhoc,
    models.CheckIn.reflection,
)


@dataclass(frozen=True)
class AnswerInput:
    """One answer as the check-in page collects it, before it is stored."""

    prompt_id: str
    kind: AnswerKind
    text: str | None = None
    number: float | None = None
    skipped: bool = False
    skip_reason: str | None = None


def answer_from_row(row: Sequence[Any]) -> Answer:
    """An :class:`Answer` record from a row of :data:`ANSWER_COLUMNS`."""
    (ident, checkin_id, prompt_id, answered_at, kind, text, number, skipped, reason) = row
    return Answer(
        id=ident,
        checkin_id=checkin_id,
        prompt_id=prompt_id,
        answered_at=answered_at.replace(tzinfo=UTC),
        kind=AnswerKind(kind),
        text=text,
        number=number,
        skipped=bool(skipped),
        skip_reason=reason,
    )


def _values(item: AnswerInput) -> dict[str, Any]:
    """Validated column values for one answer; raises InvalidInput with a clear message."""
    kind = AnswerKind(item.kind)
    if not item.prompt_id:
        raise InvalidInput("An answer must name its prompt.")
    text = None if item.text is None else clean_text(item.text, "answer")
    reason = None if item.skip_reason is None else clean_text(item.skip_reason, "skip reason")
    number = None if item.number is None else float(item.number)
    if item.skipped:
        text, number = None, None
    elif kind is AnswerKind.YESNO and number is not None:
        number = 1.0 if number else 0.0
    return {
        "prompt_id": item.prompt_id,
        "kind": kind.value,
        "value_text": text,
        "value_number": number,
        "skipped": bool(item.skipped),
        "skip_reason": reason if item.skipped else None,
    }


def _touch_state(session: Session, prompt_id: str, when: datetime, skipped: bool) -> None:
    state = session.get(models.PromptState, prompt_id)
    if state is None:
        state = models.PromptState(prompt_id=prompt_id, enabled=True, skip_streak=0)
        session.add(state)
    state.last_asked_at = when
    if skipped:
        state.skip_streak = (state.skip_streak or 0) + 1
    else:
        state.last_answered_at = when
        state.skip_streak = 0


def _add_answer(
    session: Session, checkin_id: int | None, item: AnswerInput, when: datetime
) -> Answer:
    values = _values(item)
    row = models.Answer(checkin_id=checkin_id, answered_at=when, **values)
    session.add(row)
    _touch_state(session, item.prompt_id, when, item.skipped)
    session.flush()
    return answer_from_row(tuple(getattr(row, c.key) for c in ANSWER_COLUMNS))


def complete_checkin(
    db: Database,
    reflection: str,
    answers: Sequence[AnswerInput],
    when: datetime | None = None,
    *,
    adhoc: bool = False,
) -> CheckIn:
    """Save a whole check-in — the check-in row, every answer, the reflection, the
    completion time — in one transaction.

    All or nothing: if any answer is refused (e.g. text that cannot be stored), nothing of
    the check-in is written and the error propagates for the page to show. (A check-in is
    never stored half-done: the page holds the answers until this saves them.)
    """
    stamp = to_db(when or utcnow())
    with db.transaction() as session:
        row = models.CheckIn(started_at=stamp, adhoc=adhoc, reflection="")
        session.add(row)
        row.reflection = clean_text(reflection, "reflection")
        row.completed_at = stamp
        session.flush()
        stored = [_add_answer(session, row.id, item, stamp) for item in answers]
        session.flush()
        return checkin_from_row(
            (row.id, row.started_at, row.completed_at, row.adhoc, row.reflection), stored
        )


def _answers_by_checkin(
    session: Session, checkin_ids: Sequence[int] | None
) -> dict[int, list[Answer]]:
    query = select(*ANSWER_COLUMNS).where(models.Answer.checkin_id.is_not(None))
    if checkin_ids is not None:
        query = query.where(models.Answer.checkin_id.in_(checkin_ids))
    grouped: dict[int, list[Answer]] = {}
    for row in session.execute(query.order_by(models.Answer.id)):
        checkin_id = row[1]
        if checkin_id is not None:  # the query says so; the type of the column does not
            grouped.setdefault(checkin_id, []).append(answer_from_row(row))
    return grouped


def list_checkins(
    db: Database, limit: int | None = None, since: datetime | None = None
) -> list[CheckIn]:
    """Check-ins newest first (by start time), each with its answers."""
    query = select(*CHECKIN_COLUMNS).order_by(
        models.CheckIn.started_at.desc(), models.CheckIn.id.desc()
    )
    if since is not None:
        query = query.where(models.CheckIn.started_at >= to_db(since))
    if limit is not None:
        query = query.limit(limit)
    with db.reading() as session:
        rows = session.execute(query).all()
        ids = [r[0] for r in rows] if (limit is not None or since is not None) else None
        answers = _answers_by_checkin(session, ids) if rows else {}
    return [checkin_from_row(r, answers.get(r[0], ())) for r in rows]


def get_checkin(db: Database, checkin_id: int) -> CheckIn | None:
    """One check-in with its answers, or None."""
    with db.reading() as session:
        row = session.execute(
            select(*CHECKIN_COLUMNS).where(models.CheckIn.id == checkin_id)
        ).first()
        if row is None:
            return None
        answers = _answers_by_checkin(session, [checkin_id])
    return checkin_from_row(row, answers.get(checkin_id, ()))


def last_completed_checkin(db: Database) -> CheckIn | None:
    """The most recently completed check-in with its answers, or None."""
    with db.reading() as session:
        row = session.execute(
            select(*CHECKIN_COLUMNS)
            .where(models.CheckIn.completed_at.is_not(None))
            .order_by(models.CheckIn.completed_at.desc(), models.CheckIn.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        answers = _answers_by_checkin(session, [row[0]])
    return checkin_from_row(row, answers.get(row[0], ()))


def answers_for_prompt(
    db: Database, prompt_id: str, since: datetime | None = None
) -> list[Answer]:
    """Every answer and skip to one prompt, oldest first."""
    query = select(*ANSWER_COLUMNS).where(models.Answer.prompt_id == prompt_id)
    if since is not None:
        query = query.where(models.Answer.answered_at >= to_db(since))
    query = query.order_by(models.Answer.answered_at, models.Answer.id)
    with db.reading() as session:
        return answers_from_rows(session.execute(query))


def all_answers(db: Database, since: datetime | None = None) -> list[Answer]:
    """Every answer and skip, oldest first (:func:`db.snapshot.read_answers`)."""
    from db.snapshot import read_answers

    with db.read() as session:
        return read_answers(session, since)


