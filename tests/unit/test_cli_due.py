"""`keel due`: lists the prompts due now; exit 0 when none are due, 3 when some are."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.checkins import AnswerInput, complete_checkin, list_checkins
from db.engine import Database
from db.journal_file import open_database
from db.options import record_decision
from desktop.cli import EXIT_DUE, EXIT_OK, main
from desktop.core.records import AnswerKind, Prompt
from desktop.due_now import compute_due
from desktop.paths import Paths, prepare


@pytest.fixture(autouse=True)
def _keep_umask() -> Iterator[None]:
    """``keel`` sets a private umask for its process; give the test run its own back."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "journal"
    prepare(Paths(folder))
    return folder


def open_journal(folder: Path) -> Database:
    paths = Paths(folder)
    return open_database(paths.database, paths.backups)


def any_answer(prompt: Prompt) -> AnswerInput:
    """A valid answer of the prompt's kind, as the check-in page would collect it."""
    kind = prompt.answer
    if kind is AnswerKind.CHOICE:
        return AnswerInput(prompt.id, kind, text=prompt.labels[0])
    if kind is AnswerKind.TEXT:
        return AnswerInput(prompt.id, kind, text="Nothing new.")
    if kind is AnswerKind.SCALE:
        return AnswerInput(prompt.id, kind, number=prompt.minimum or 0)
    return AnswerInput(prompt.id, kind, number=1)


def answer_everything_due(db: Database) -> int:
    """Complete check-ins now until nothing is due; returns how many were needed."""
    rounds = 0
    while True:
        plan, _ = compute_due(db, datetime.now(UTC))
        if not plan.due:
            return rounds
        complete_checkin(db, "", [any_answer(p) for p in plan.due])
        rounds += 1
        assert rounds < 20, "the due list never emptied"


def test_new_journal_has_prompts_due_and_exits_3(journal_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["--data-dir", str(journal_dir), "due"])
    out = capsys.readouterr().out
    assert code == EXIT_DUE == 3
    assert "prompts due:" in out
    assert "How worried are you about catastrophic risk from AI right now?" in out
    assert "[tripwires] Has any of your tripwires been crossed?" in out
    # A new journal gets the most important dozen, not all — and says so without
    # calling the rest "older prompts held back" (nothing is older than nothing).
    assert "your first check-in starts with the most important prompts" in out
    assert "held back" not in out and "catch-up" not in out


def test_catch_up_is_named_once_a_check_in_exists(journal_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = open_journal(journal_dir)
    try:
        plan, _ = compute_due(db, datetime.now(UTC))
        # One check-in long ago, then a long absence: now the rest really are older.
        complete_checkin(db, "", [any_answer(plan.due[0])],
                         datetime.now(UTC) - timedelta(days=400))
    finally:
        db.close()
    main(["--data-dir", str(journal_dir), "due"])
    out = capsys.readouterr().out
    assert "catch-up:" in out and "older prompts held back" in out
    assert "first check-in" not in out


def test_nothing_due_after_answering_exits_0(journal_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = open_journal(journal_dir)
    try:
        assert answer_everything_due(db) >= 1
        assert list_checkins(db)
    finally:
        db.close()
    code = main(["--data-dir", str(journal_dir), "due"])
    out = capsys.readouterr().out
    assert code == EXIT_OK == 0
    assert out.startswith("Nothing is due.")
    assert "Next:" in out


def test_a_decision_revisit_falling_due_makes_due_exit_3(journal_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    db = open_journal(journal_dir)
    try:
        answer_everything_due(db)
        record_decision(db, None, "Stay at my current job for now", "Vesting in spring", [],
                        "If the team starts shipping frontier weights",
                        revisit_on=(now - timedelta(days=1)).date(),
                        when=now - timedelta(days=200))
    finally:
        db.close()
    code = main(["--data-dir", str(journal_dir), "due"])
    out = capsys.readouterr().out
    assert code == EXIT_DUE
    assert "1 prompt due:" in out
    assert "[career-capital] Knowing what you know now, would you make this decision again?" in out


def test_a_users_library_file_with_a_mistake_is_named_and_the_rest_still_loads(
        journal_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A user-edited library copy in <data>/prompts: its good prompts join, its bad ones
    are reported by file and key, and nothing else is lost."""
    folder = journal_dir / "prompts"
    folder.mkdir()
    (folder / "mine.toml").write_text(
        '[[prompt]]\nid = "my-sleep"\ntheme = "environment"\nexperts = [1]\n'
        'question = "How many nights did you sleep well?"\nwhy = "Rest keeps judgement clear."\n'
        'answer = "number"\nunit = "nights"\ncadence = "weekly"\n\n'
        '[[prompt]]\nid = "my-broken"\ntheme = "environment"\nexperts = [1]\n'
        'question = "Broken?"\nwhy = "x"\nanswer = "scale"\ncadence = "weekly"\n')
    (folder / "syntax.toml").write_text("[[prompt]\nid = ")
    db = open_journal(journal_dir)
    try:
        from desktop.due_now import all_prompts

        prompts, problems = all_prompts(db)
    finally:
        db.close()
    ids = {p.id for p in prompts}
    assert "my-sleep" in ids and "my-broken" not in ids and "worry-level" in ids
    assert any("mine.toml" in p and "labels" in p for p in problems)
    assert any("syntax.toml" in p and "line" in p for p in problems)

    code = main(["--data-dir", str(journal_dir), "due"])
    err = capsys.readouterr().err
    assert code == EXIT_DUE
    assert "mine.toml" in err and "syntax.toml" in err
