"""Assessment answers: how each option scores on the assessment's questions.

The one reader and the one writer of the ``assessment_answers`` table, in SQL against
:class:`db.access.Session`: the Options page, the export, the snapshot and the demo
generator all call these. Answers are appended; earlier ones stay as history.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from db.rows import assessment_from_row
from db.timeutil import from_stored, to_stored, utcnow
from db.validation import clean_text
from desktop.core.records import AssessmentAnswer

if TYPE_CHECKING:
    from db.access import Session

SELECT_ANSWERS = ("SELECT option_id, question_id, answered_at, value_text, value_number "
                  "FROM assessment_answers")
"""The columns :func:`db.rows.assessment_from_row` takes, in order."""
INSERT_ANSWER = ("INSERT INTO assessment_answers "
                 "(id, option_id, question_id, answered_at, value_text, value_number) "
                 "VALUES (?, ?, ?, ?, ?, ?)")


def insert_assessment_answer(session: Session, option_id: int, question_id: str,
                             text: str | None = None, number: float | None = None,
                             when: datetime | None = None,
                             ident: int | None = None) -> AssessmentAnswer:
    """Append an answer inside the caller's write transaction; LookupError if the option
    is gone. *ident*: the id an imported row keeps."""
    if session.execute("SELECT 1 FROM job_options WHERE id = ?", (option_id,)).scalar() is None:
        raise LookupError(f"Option {option_id} no longer exists.")
    stamp = to_stored(when or utcnow())
    value_text = None if text is None else clean_text(text, "answer")
    value_number = None if number is None else float(number)
    session.execute(INSERT_ANSWER, (ident, option_id, question_id, stamp, value_text,
                                    value_number))
    return AssessmentAnswer(option_id=option_id, question_id=question_id,
                            answered_at=from_stored(stamp),
                            text=value_text, number=value_number)


def read_assessments(session: Session) -> list[AssessmentAnswer]:
    """Every assessment answer of every option, oldest first."""
    return [assessment_from_row(row)
            for row in session.execute(f"{SELECT_ANSWERS} ORDER BY answered_at, id")]


def read_assessment_answers(session: Session) -> dict[int, list[AssessmentAnswer]]:
    """Every option's assessment answers, oldest first, by option id."""
    grouped: dict[int, list[AssessmentAnswer]] = {}
    for answer in read_assessments(session):
        grouped.setdefault(answer.option_id, []).append(answer)
    return grouped


def read_option_assessment(session: Session, option_id: int) -> list[AssessmentAnswer]:
    """One option's assessment answers, oldest first."""
    return [assessment_from_row(row) for row in session.execute(
        f"{SELECT_ANSWERS} WHERE option_id = ? ORDER BY answered_at, id", (option_id,))]
