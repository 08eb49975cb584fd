"""R23: SIGKILL a process recording decisions (a new option, then a decision that makes it
current, retires the old current option, records an on-accept event and moves the
profile's situation — several statements on the SQL path) at random moments. Every
acknowledged decision survives with all of its side effects; no decision is ever half
applied."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from db.journal_file import open_database
from db.options import situation_for
from db.rows import OPTION_COLUMNS, option_from_row
from tests.reliability.helpers import kill_writer_repeatedly

CYCLES = 12


def _check(path: Path, acknowledged: dict[int, int]) -> list[str]:
    """What is wrong with the journal at *path* (empty when everything holds)."""
    conn = sqlite3.connect(path)
    try:
        wrong = []
        if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            wrong.append("integrity")
        decisions = dict(conn.execute("SELECT id, chosen_option_id FROM decisions"))
        for decision_id, option_id in acknowledged.items():
            if decisions.get(decision_id) != option_id:
                wrong.append(f"acknowledged decision {decision_id} lost")
        accepted = {r for (r,) in conn.execute(
            "SELECT ref_id FROM events WHERE kind = 'on-accept'")}
        added = {r for (r,) in conn.execute(
            "SELECT ref_id FROM events WHERE kind = 'on-new-option'")}
        options = [option_from_row(r) for r in conn.execute(
            f"SELECT {OPTION_COLUMNS} FROM job_options")]
        if {o.id for o in options} != added:
            wrong.append("an option without its on-new-option event, or the reverse")
        if set(decisions.values()) != accepted:
            wrong.append("a decision without its on-accept event, or the reverse")
        current = [o for o in options if o.status == "current"]
        if decisions:
            newest = decisions[max(decisions)]
            if [o.id for o in current] != [newest]:
                wrong.append("the newest decision's option is not the one current option")
            profile = json.loads(conn.execute(
                "SELECT value FROM settings WHERE key = 'profile'").fetchone()[0])
            if current and profile["situation"] != situation_for(current[0]):
                wrong.append("the profile's situation does not follow the current option")
        elif current:
            wrong.append("an option is current without any decision")
        return wrong
    finally:
        conn.close()


def test_acknowledged_decisions_survive_sigkill_whole(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "keel.sqlite3"
    open_database(path).close()
    acknowledged, problems = kill_writer_repeatedly(path, "_decision_writer.py", CYCLES, 23,
                                                    _check)
    figure("R23", "kills during decisions", CYCLES)
    figure("R23", "acknowledged decisions", len(acknowledged))
    figure("R23", "lost or half-applied", len(problems), "0")
    assert problems == []
    assert len(acknowledged) >= CYCLES
