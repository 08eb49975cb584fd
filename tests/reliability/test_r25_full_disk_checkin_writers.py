"""R25: the SQL writers of check-ins, drafts, own prompts, prompt states and flag actions
on a full disk (an 8 MB tmpfs, as R22): each failure is classified "disk full" by the one
error boundary, nothing half written (no check-in without its answers, no prompt state
moved by a failed check-in), and the journal is whole and writable once space is freed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db import checkins, drafts, flag_actions, prompts_state
from db.failures import Kind, classify
from db.journal_file import open_database
from desktop.core.records import AnswerKind
from tests.reliability.helpers import fill_disk
from tests.reliability.test_r22_full_disk_record_writers import small_disk  # noqa: F401

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
BIG = "é" * 99_000  # ~200 KB stored: more than any free page the file could still have


def test_full_disk_while_saving_checkins_drafts_and_prompts(small_disk: Path, figure) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    db = open_database(small_disk / "keel.sqlite3")
    try:
        kept = checkins.complete_checkin(db, "kept", [
            checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=4)], when=NOW)
        filler = fill_disk(small_disk)
        attempts = {
            "complete_checkin": lambda: checkins.complete_checkin(db, BIG, [
                checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=9),
                checkins.AnswerInput("view-shift-argument", AnswerKind.TEXT, text=BIG * 2)]),
            "save_draft": lambda: drafts.save_draft(db, "entry:new", {"body": BIG * 3}),
            "add_custom_prompt": lambda: prompts_state.add_custom_prompt(
                db, "t", BIG[:2000], BIG[:2000], AnswerKind.CHOICE,
                labels=[BIG[:200]] * 400),
            "dismiss_flag": lambda: flag_actions.dismiss_flag(db, "k", BIG * 3),
        }
        kinds = {}
        for name, attempt in attempts.items():
            with pytest.raises(Exception) as caught:
                attempt()
            kinds[name] = classify(caught.value).kind
        full = sum(kind is Kind.DISK_FULL for kind in kinds.values())
        figure("R25", 'check-in/prompt writers failing on a full disk: "disk full"',
               f"{full} of {len(kinds)}", "all")
        assert set(kinds.values()) == {Kind.DISK_FULL}, kinds
        filler.unlink()
        assert checkins.list_checkins(db) == [kept]
        state = prompts_state.get_states(db)["worry-level"]
        assert state.last_asked_at == NOW and "view-shift-argument" not in \
            prompts_state.get_states(db)
        assert drafts.list_drafts(db) == [] and prompts_state.list_custom_prompts(db) == []
        assert flag_actions.flag_actions(db) == []
        checkins.complete_checkin(db, "after", [], when=NOW)
    finally:
        db.close()
    conn = sqlite3.connect(small_disk / "keel.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
