"""R24: SIGKILL a process saving check-ins on the SQL path (the check-in row, its answers
and every asked prompt's state: several statements in one transaction) at random
moments, through the app's engine and through ``sqlite3`` alone. Every acknowledged
check-in survives with all of its answers; no check-in is ever half saved, and each
prompt's state agrees with the answers stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.journal_file import open_database
from tests.reliability.helpers import kill_writer_repeatedly

CYCLES = 12


def _check(path: Path, acknowledged: dict[int, int]) -> list[str]:
    """What is wrong with the journal at *path* (empty when everything holds)."""
    conn = sqlite3.connect(path)
    try:
        wrong = []
        if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            wrong.append("integrity")
        counts = dict(conn.execute(
            "SELECT c.id, (SELECT count(*) FROM answers AS a WHERE a.checkin_id = c.id) "
            "FROM checkins AS c"))
        meant = {i: int(r.split()[0][2:]) for i, r in conn.execute(
            "SELECT id, reflection FROM checkins")}
        for checkin_id, answers in acknowledged.items():
            if counts.get(checkin_id) != answers:
                wrong.append(f"acknowledged check-in {checkin_id} lost or cut")
        if any(counts[i] != meant[i] for i in counts):
            wrong.append("a check-in stored with only part of its answers")
        history: dict[str, list[tuple[str, int]]] = {}
        for prompt, at, skipped in conn.execute(
                "SELECT prompt_id, answered_at, skipped FROM answers ORDER BY id"):
            history.setdefault(prompt, []).append((at, skipped))
        states = {p: (asked, answered, streak) for p, asked, answered, streak in conn.execute(
            "SELECT prompt_id, last_asked_at, last_answered_at, skip_streak FROM prompt_states")}
        for prompt, seen in history.items():
            streak = 0
            for _at, skipped in reversed(seen):
                if not skipped:
                    break
                streak += 1
            answered = [at for at, skipped in seen if not skipped]
            if states.get(prompt) != (seen[-1][0], answered[-1] if answered else None, streak):
                wrong.append(f"the state of {prompt} disagrees with its answers")
        if set(states) != set(history):
            wrong.append("a prompt state without answers, or the reverse")
        return wrong
    finally:
        conn.close()


def test_acknowledged_checkins_survive_sigkill_whole(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "keel.sqlite3"
    open_database(path).close()
    acknowledged, problems = kill_writer_repeatedly(path, "_checkin_writer.py", CYCLES, 24,
                                                    _check)
    figure("R24", "kills during check-ins", CYCLES)
    figure("R24", "acknowledged check-ins", len(acknowledged))
    figure("R24", "lost or half-saved", len(problems), "0")
    assert problems == []
    assert len(acknowledged) >= CYCLES
