"""The experts' assessment of a job option: the shipped questions and the user's answers.

The questions live in ``resources/assessment.toml`` as data. Answers are stored per
option as :class:`~desktop.core.records.AssessmentAnswer` rows and never overwritten:
editing an answer adds a newer row, so the newest row per question is the current
answer and the older ones are its history.

How an answer is stored depends on the question's kind:

* ``scale``: ``number`` is the 0-based position of the chosen label (low → high);
* ``yesno``: ``number`` is 1 (yes) or 0 (no);
* ``choice`` and ``text``: ``text`` holds the chosen label or the user's words.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from desktop.core.provenance import Cite, cites_from_mapping
from desktop.core.records import AnswerKind, AssessmentAnswer

_KINDS = (AnswerKind.SCALE, AnswerKind.YESNO, AnswerKind.CHOICE, AnswerKind.TEXT)


@dataclass(frozen=True)
class AssessmentQuestion:
    """One question asked about each job option."""

    id: str
    experts: tuple[int, ...]
    question: str
    why: str
    answer: AnswerKind
    labels: tuple[str, ...] = ()
    """Scale labels (low → high) or choice options."""
    section: str = ""
    """Heading the question is grouped under in the option editor."""
    sources: tuple[Cite, ...] = ()
    """Per expert, a locator copied from their section of the seed (see provenance)."""

    def format(self, answer: AssessmentAnswer | None) -> str:
        """The answer as a user would read it; ``""`` when unanswered."""
        if answer is None:
            return ""
        if self.answer is AnswerKind.SCALE:
            if answer.number is None:
                return ""
            index = round(answer.number)
            if 0 <= index < len(self.labels):
                return self.labels[index]
            return f"{answer.number:g}"
        if self.answer is AnswerKind.YESNO:
            if answer.number is None:
                return ""
            return "Yes" if answer.number else "No"
        return (answer.text or "").strip()


class AssessmentError(ValueError):
    """The assessment file is malformed (a packaging bug, not a user error)."""


def _question(raw: dict, position: int) -> AssessmentQuestion:
    try:
        qid = str(raw["id"])
        kind = AnswerKind(raw["answer"])
        question = AssessmentQuestion(
            id=qid,
            experts=tuple(int(e) for e in raw["experts"]),
            question=str(raw["question"]),
            why=str(raw["why"]),
            answer=kind,
            labels=tuple(str(label) for label in raw.get("labels", ())),
            section=str(raw.get("section", "")),
            sources=cites_from_mapping(raw["experts"], dict(raw.get("source", {}))),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise AssessmentError(f"assessment question #{position + 1} is malformed: {exc}") from exc
    if kind not in _KINDS:
        raise AssessmentError(f"assessment question {qid!r}: kind {kind.value!r} is not allowed")
    if kind in (AnswerKind.SCALE, AnswerKind.CHOICE) and len(question.labels) < 2:
        raise AssessmentError(f"assessment question {qid!r} needs at least two labels")
    if not question.experts or not all(1 <= e <= 11 for e in question.experts):
        raise AssessmentError(f"assessment question {qid!r}: experts must be 1–11")
    if "source" in raw and {str(k) for k in raw["source"]} != {str(e) for e in question.experts}:
        raise AssessmentError(f"assessment question {qid!r}: source must name exactly its experts")
    return question


def load_assessment(path: Path | str | None = None) -> tuple[AssessmentQuestion, ...]:
    """Read the assessment questions, in file order.

    ``path`` defaults to the ``assessment.toml`` shipped in the ``resources`` package.
    Raises :class:`AssessmentError` if a question is malformed or an id repeats.
    """
    if path is None:
        text = (files("resources") / "assessment.toml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    questions = tuple(_question(raw, i) for i, raw in enumerate(data.get("question", [])))
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise AssessmentError(f"assessment question id {q.id!r} appears twice")
        seen.add(q.id)
    return questions


def latest_answers(answers: Iterable[AssessmentAnswer]) -> dict[str, AssessmentAnswer]:
    """The current answer per question id: the newest by ``answered_at``.

    Pass one option's answers. On equal times the one given last wins, so a caller
    that lists rows in insertion order gets the last-saved one.
    """
    latest: dict[str, AssessmentAnswer] = {}
    for answer in answers:
        current = latest.get(answer.question_id)
        if current is None or answer.answered_at >= current.answered_at:
            latest[answer.question_id] = answer
    return latest


def answer_history(
    answers: Iterable[AssessmentAnswer], question_id: str
) -> list[AssessmentAnswer]:
    """Every answer given to ``question_id``, newest first (the first is the current one)."""
    matching = [a for a in answers if a.question_id == question_id]
    # sorted() is stable: reversing the input first keeps "given last wins" on equal times.
    return sorted(reversed(matching), key=lambda a: a.answered_at, reverse=True)
