"""Check-ins and their answers: saved whole (atomically), listed and read back.

The one reader and the one writer of check-ins and answers, in SQL on
:class:`db.access.Session` (docs/ARCHITECTURE.md, "One data path"): the check-in page,
the command line, the snapshot, the export, the Keel-format import and the demo
generator all call these. No SQLAlchemy here.

Answers are stored in typed columns (``value_text`` for text and choices, ``value_number``
for scales, numbers and yes/no as 1/0) or as a skip with its reason. A saved check-in
also updates each asked prompt's state (last asked, last answered, skip streak) in the
same transaction (:func:`db.prompts_state.record_asked`), so scheduling and the
"skipped three times" flag never see one without the other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from db.prompts_state import record_asked
from db.rows import ANSWER_COLUMNS, CHECKIN_COLUMNS, answers_from_rows, checkin_from_row
from db.timeutil import from_stored, to_stored, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import Answer, AnswerKind, CheckIn

if TYPE_CHECKING:
    from db.access import Journal, Session

INSERT_CHECKIN = ("INSERT INTO checkins (id, started_at, completed_at, adhoc, reflection) "
                  "VALUES (?, ?, ?, ?, ?)")
INSERT_ANSWER = ("INSERT INTO answers (id, checkin_id, prompt_id, answered_at, kind, "
                 "value_text, value_number, skipped, skip_reason) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")

SELECT_CHECKINS = f"SELECT {CHECKIN_COLUMNS} FROM checkins"
CHECKINS_SINCE = (SELECT_CHECKINS + " WHERE started_at >= ? "
                  "ORDER BY started_at DESC, id DESC LIMIT ?")
COMPLETED_CHECKINS_SINCE = (SELECT_CHECKINS + " WHERE started_at >= ? AND completed_at IS NOT "
                            "NULL ORDER BY started_at DESC, id DESC LIMIT ?")
ONE_CHECKIN = SELECT_CHECKINS + " WHERE id = ?"
LAST_COMPLETED_CHECKIN = (SELECT_CHECKINS + " WHERE completed_at IS NOT NULL "
                          "ORDER BY completed_at DESC, id DESC LIMIT 1")
SELECT_ANSWERS = f"SELECT {ANSWER_COLUMNS} FROM answers"
ANSWERS_SINCE = SELECT_ANSWERS + " WHERE answered_at >= ? ORDER BY answered_at, id"
PROMPT_ANSWERS_SINCE = (SELECT_ANSWERS + " WHERE prompt_id = ? AND answered_at >= ? "
                        "ORDER BY answered_at, id")
CHECKIN_ANSWERS = (SELECT_ANSWERS + " WHERE checkin_id IN (SELECT value FROM json_each(?)) "
                   "ORDER BY id")

_ALL = ""
"""A lower bound every stored time passes (times are stored as sortable text)."""


@dataclass(frozen=True)
class AnswerInput:
    """One answer as the check-in page collects it, before it is stored."""

    prompt_id: str
    kind: AnswerKind
    text: str | None = None
    number: float | None = None
    skipped: bool = False
    skip_reason: str | None = None


def _values(item: AnswerInput) -> tuple[str, str, str | None, float | None, bool, str | None]:
    """Validated ``(prompt_id, kind, value_text, value_number, skipped, skip_reason)`` for
    one answer; raises InvalidInput with a clear message."""
    try:
        kind = AnswerKind(item.kind)
    except ValueError:
        raise InvalidInput(f"“{item.kind}” is not an answer kind Keel knows.") from None
    if not item.prompt_id:
        raise InvalidInput("An answer must name its prompt.")
    prompt_id = clean_text(item.prompt_id, "prompt", limit=100)
    text = None if item.text is None else clean_text(item.text, "answer")
    reason = None if item.skip_reason is None else clean_text(item.skip_reason, "skip reason")
    number = None if item.number is None else float(item.number)
    if item.skipped:
        text, number = None, None
    elif kind is AnswerKind.YESNO and number is not None:
        number = 1.0 if number else 0.0
    return (prompt_id, kind.value, text, number, bool(item.skipped),
            reason if item.skipped else None)


def insert_checkin_row(session: Session, reflection: str, started: datetime,
                       completed: datetime | None, adhoc: bool = False,
                       checkin_id: int | None = None) -> int:
    """The writer of a check-in's own row (no answers), inside the caller's write
    transaction; its id. ``checkin_id`` keeps a given id (a Keel-format import)."""
    stored = session.execute(INSERT_CHECKIN, (
        checkin_id, to_stored(started), to_stored(completed), bool(adhoc),
        clean_text(reflection or "", "reflection"))).lastrowid
    assert stored is not None
    return stored


def insert_answers(session: Session, checkin_id: int | None, items: Sequence[AnswerInput],
                   when: datetime, ids: Sequence[int | None] | None = None) -> list[Answer]:
    """The writer of answers (and skips) given at ``when``, inside the caller's write
    transaction; ``ids`` keeps given ids (a Keel-format import). Prompt states are the
    caller's: :func:`insert_checkin` records them, an import restores the file's."""
    stamp = to_stored(when)
    aware = from_stored(stamp)
    stored: list[Answer] = []
    for index, item in enumerate(items):
        prompt_id, kind, text, number, skipped, reason = _values(item)
        ident = session.execute(INSERT_ANSWER, (
            None if ids is None else ids[index], checkin_id, prompt_id, stamp, kind, text,
            number, skipped, reason)).lastrowid
        stored.append(Answer(ident, checkin_id, prompt_id, aware, AnswerKind(kind), text,
                             number, skipped, reason))
    return stored


def insert_checkin(session: Session, reflection: str, answers: Sequence[AnswerInput],
                   when: datetime | None = None, *, started: datetime | None = None,
                   adhoc: bool = False) -> CheckIn:
    """The writer of a whole check-in, inside the caller's write transaction: its row
    (started at ``started``, default ``when``; completed at ``when``), every answer
    (answered at ``when``) and the asked prompts' states. The app, the command line and
    the demo generator save check-ins through here."""
    completed = from_stored(to_stored(when or utcnow()))
    begun = completed if started is None else from_stored(to_stored(started))
    checkin_id = insert_checkin_row(session, reflection, begun, completed, adhoc)
    stored = insert_answers(session, checkin_id, answers, completed)
    record_asked(session, [(a.prompt_id, a.skipped) for a in stored], completed)
    return CheckIn(id=checkin_id, started_at=begun, completed_at=completed, adhoc=bool(adhoc),
                   reflection=reflection or "", answers=tuple(stored))


def complete_checkin(
    db: Journal,
    reflection: str,
    answers: Sequence[AnswerInput],
    when: datetime | None = None,
    *,
    adhoc: bool = False,
) -> CheckIn:
    """Save a whole check-in — the check-in row, every answer, the reflection, the
    completion time — in one transaction (:func:`insert_checkin`).

    All or nothing: if any answer is refused (e.g. text that cannot be stored), nothing of
    the check-in is written and the error propagates for the page to show. (A check-in is
    never stored half-done: the page holds the answers until this saves them.)
    """
    with db.write() as session:
        return insert_checkin(session, reflection, answers, when, adhoc=adhoc)


# --------------------------------------------------------------------------- reading


def read_answers(session: Session, since: datetime | None = None,
                 prompt_id: str | None = None) -> list[Answer]:
    """Every answer and skip (to ``prompt_id`` only, if given) answered at or after
    ``since``, oldest first, in the caller's transaction."""
    low = _ALL if since is None else to_stored(since)
    if prompt_id is None:
        return answers_from_rows(session.execute(ANSWERS_SINCE, (low,)))
    return answers_from_rows(session.execute(PROMPT_ANSWERS_SINCE, (prompt_id, low)))


def _with_answers(session: Session, rows: Sequence[Sequence[Any]]) -> list[CheckIn]:
    grouped: dict[int, list[Answer]] = {}
    if rows:
        ids = json.dumps([row[0] for row in rows])
        for answer in answers_from_rows(session.execute(CHECKIN_ANSWERS, (ids,))):
            grouped.setdefault(answer.checkin_id or 0, []).append(answer)
    return [checkin_from_row(row, grouped.get(row[0], ())) for row in rows]


def read_checkins(session: Session, since: datetime | None = None, limit: int | None = None,
                  *, completed_only: bool = False, with_answers: bool = False) -> list[CheckIn]:
    """Check-ins started at or after ``since``, newest first (at most ``limit``), in the
    caller's transaction; only completed ones if asked. Without ``with_answers`` each
    check-in's ``answers`` is empty (the snapshot holds every answer once, apart)."""
    sql = COMPLETED_CHECKINS_SINCE if completed_only else CHECKINS_SINCE
    rows = session.execute(sql, (_ALL if since is None else to_stored(since),
                                 -1 if limit is None else limit)).all()
    if with_answers:
        return _with_answers(session, rows)
    return [checkin_from_row(row) for row in rows]


def list_checkins(
    db: Journal, limit: int | None = None, since: datetime | None = None
) -> list[CheckIn]:
    """Check-ins newest first (by start time), each with its answers
    (:func:`read_checkins` in a read transaction of its own)."""
    with db.read() as session:
        return read_checkins(session, since, limit, with_answers=True)


def get_checkin(db: Journal, checkin_id: int) -> CheckIn | None:
    """One check-in with its answers, or None."""
    with db.read() as session:
        found = _with_answers(session, session.execute(ONE_CHECKIN, (checkin_id,)).all())
    return found[0] if found else None


def last_completed_checkin(db: Journal) -> CheckIn | None:
    """The most recently completed check-in with its answers, or None."""
    with db.read() as session:
        found = _with_answers(session, session.execute(LAST_COMPLETED_CHECKIN).all())
    return found[0] if found else None


def answers_for_prompt(
    db: Journal, prompt_id: str, since: datetime | None = None
) -> list[Answer]:
    """Every answer and skip to one prompt, oldest first."""
    with db.read() as session:
        return read_answers(session, since, prompt_id)


def all_answers(db: Journal, since: datetime | None = None) -> list[Answer]:
    """Every answer and skip, oldest first (:func:`read_answers`)."""
    with db.read() as session:
        return read_answers(session, since)
