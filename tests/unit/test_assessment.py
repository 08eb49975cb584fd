"""The shipped assessment questions load correctly, and answers keep their history."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core.assessment import (
    AssessmentError,
    AssessmentQuestion,
    answer_history,
    latest_answers,
    load_assessment,
)
from desktop.core.records import AnswerKind, AssessmentAnswer

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

REQUIRED_IDS = {
    "timelines-effect", "acceleration-of-others", "takeoff-speed", "misalignment-risk",
    "enables-alignment", "use-and-disclosure", "team-judgement", "safety-tilt-possible",
    "role-leverage", "good-faith", "open-or-closed", "career-capital", "transferable-skills",
    "agi-bottleneck",
}


def _answer(qid: str, minutes: int, text: str | None = None, number: float | None = None,
            option_id: int = 1) -> AssessmentAnswer:
    return AssessmentAnswer(option_id, qid, T0 + timedelta(minutes=minutes), text, number)


def test_shipped_file_loads_with_unique_kebab_case_ids() -> None:
    questions = load_assessment()
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    assert set(ids) >= REQUIRED_IDS


def test_shipped_file_covers_the_experts_the_issue_names() -> None:
    experts = {e for q in load_assessment() for e in q.experts}
    # Expert 2's two sentences are about capability-tied safety work, not about a job
    # option's skills: the prompt library and the panel carry them, the assessment does not.
    assert {1, 3, 4, 5, 6, 7, 8, 9, 10, 11} <= experts
    for q in load_assessment():
        assert [c.expert for c in q.sources] == list(q.experts), q.id


def test_expert_6_six_considerations_are_attributed_to_expert_6() -> None:
    by_id = {q.id: q for q in load_assessment()}
    for qid in ("timelines-effect", "acceleration-of-others", "takeoff-speed",
                "misalignment-risk", "enables-alignment", "use-and-disclosure"):
        assert 6 in by_id[qid].experts, qid


def test_every_question_is_askable() -> None:
    for q in load_assessment():
        assert q.question.strip() and q.why.strip(), q.id
        assert q.answer in (AnswerKind.SCALE, AnswerKind.YESNO, AnswerKind.CHOICE,
                            AnswerKind.TEXT)
        if q.answer in (AnswerKind.SCALE, AnswerKind.CHOICE):
            assert len(q.labels) >= 2, q.id
        assert "Expert" in q.why, f"{q.id}: the why line should attribute by number"


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        '[[question]]\nid="x"\nexperts=[1]\nquestion="Q?"\nwhy="W"\nanswer="text"\n'
        '[[question]]\nid="x"\nexperts=[2]\nquestion="Q2?"\nwhy="W"\nanswer="yesno"\n',
        encoding="utf-8",
    )
    with pytest.raises(AssessmentError, match="twice"):
        load_assessment(path)


def test_choice_without_labels_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        '[[question]]\nid="x"\nexperts=[1]\nquestion="Q?"\nwhy="W"\nanswer="choice"\n',
        encoding="utf-8",
    )
    with pytest.raises(AssessmentError, match="labels"):
        load_assessment(path)


def test_latest_answers_keeps_the_newest_per_question() -> None:
    answers = [
        _answer("good-faith", 10, text="A large effect"),
        _answer("good-faith", 0, text="No real effect"),
        _answer("career-capital", 5, number=2),
    ]
    latest = latest_answers(answers)
    assert latest["good-faith"].text == "A large effect"
    assert latest["career-capital"].number == 2
    assert set(latest) == {"good-faith", "career-capital"}


def test_latest_answers_on_equal_time_the_last_saved_wins() -> None:
    latest = latest_answers([_answer("x", 0, text="first"), _answer("x", 0, text="second")])
    assert latest["x"].text == "second"


def test_answer_history_is_newest_first_and_only_that_question() -> None:
    answers = [
        _answer("team-judgement", 0, text="Can't tell yet"),
        _answer("good-faith", 1, text="A small effect"),
        _answer("team-judgement", 30, text="Mostly alignment"),
        _answer("team-judgement", 15, text="A mix"),
    ]
    history = answer_history(answers, "team-judgement")
    assert [a.text for a in history] == ["Mostly alignment", "A mix", "Can't tell yet"]
    assert history[0] == latest_answers(answers)["team-judgement"]
    assert answer_history(answers, "missing") == []


def test_format_shows_labels_not_stored_numbers() -> None:
    scale = AssessmentQuestion("s", (6,), "Q?", "W", AnswerKind.SCALE,
                               ("None", "Some", "Lots"))
    yesno = AssessmentQuestion("y", (7,), "Q?", "W", AnswerKind.YESNO)
    assert scale.format(_answer("s", 0, number=2)) == "Lots"
    assert scale.format(None) == ""
    assert yesno.format(_answer("y", 0, number=1)) == "Yes"
    assert yesno.format(_answer("y", 0, number=0)) == "No"
