"""The bulk readers: one read of everything core logic needs, and its parts.

:func:`read_snapshot` runs a dozen plain ``SELECT``s in one read transaction (so the
picture is consistent) and builds the shared records from rows (:mod:`db.rows`), which
keeps a ten-year journal (~520 check-ins, ~8,000 answers) well under a tenth of a
second. Every reader here is written in SQL against :class:`db.access.Session`, so the
app (SQLAlchemy loaded, plain or encrypted), the first Today and ``keel remind`` (plain
``sqlite3``), the export and the import all run the same code.

Each part is its record module's one reader (``db.checkins``, ``db.options``,
``db.profile_history``, …), converting SQL rows with :mod:`db.rows`.

Check-ins in the snapshot carry **no nested answers** (``CheckIn.answers`` is empty):
every answer is in ``JournalSnapshot.answers`` once, with its ``checkin_id``.

Standard library only (no SQLAlchemy).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from db.assessments import read_assessments
from db.checkins import read_answers, read_checkins
from db.events import read_events
from db.flag_actions import read_flag_actions
from db.options import read_decisions, read_options
from db.profile_history import read_baselines, read_money_snapshots, read_tripwires
from db.prompts_state import read_custom_prompts, read_prompt_states  # noqa: F401 - re-exported
from db.rows import profile_from_value
from db.settings import PROFILE_KEY, read_value
from db.timeutil import from_stored
from desktop.core.records import JournalSnapshot

if TYPE_CHECKING:
    from db.access import Journal, Session


def read_snapshot(session: Session, since: datetime | None = None) -> JournalSnapshot:
    """The whole journal as core logic sees it, read in the caller's transaction.

    ``since`` limits answers, check-ins and events to those at or after it (flags and
    scheduling look back a few months at most); everything else is always complete.
    """
    return JournalSnapshot(
        profile=profile_from_value(read_value(session, PROFILE_KEY)),
        answers=tuple(read_answers(session, since)),
        checkins=tuple(read_checkins(session, since)),
        prompt_states=tuple(read_prompt_states(session)),
        baselines=tuple(read_baselines(session)),
        tripwires=tuple(read_tripwires(session, True)),
        snapshots=tuple(read_money_snapshots(session)),
        options=tuple(read_options(session)),
        decisions=tuple(read_decisions(session)),
        flag_actions=tuple(read_flag_actions(session)),
        events=tuple(read_events(session, since)),
        assessments=tuple(read_assessments(session)),
    )


def load_snapshot(db: Journal, since: datetime | None = None) -> JournalSnapshot:
    """:func:`read_snapshot` in a read transaction of its own."""
    with db.read() as session:
        return read_snapshot(session, since)


def read_due_inputs(session: Session) -> JournalSnapshot:
    """The part of the snapshot that decides what is due (profile, prompt states,
    completed check-ins, events, decisions), without the answers that make up most of a
    long journal. :func:`desktop.due_now.due_from_snapshot` decides from it."""
    return JournalSnapshot(
        profile=profile_from_value(read_value(session, PROFILE_KEY)),
        checkins=tuple(read_checkins(session, completed_only=True)),
        prompt_states=tuple(read_prompt_states(session)),
        decisions=tuple(read_decisions(session)),
        events=tuple(read_events(session)),
    )


OLDEST_TIME_SQL = (
    "SELECT min(t) FROM (SELECT min(created_at) AS t FROM entries "
    "UNION ALL SELECT min(started_at) FROM checkins "
    "UNION ALL SELECT min(created_at) FROM job_options "
    "UNION ALL SELECT min(created_at) FROM baseline_versions "
    "UNION ALL SELECT min(decided_at) FROM decisions)")
"""Where the oldest thing in a journal can be (for an export of "everything")."""


def read_oldest_time(session: Session) -> datetime | None:
    """The time of the oldest entry, check-in, option, baseline or decision (aware UTC)."""
    return from_stored(session.execute(OLDEST_TIME_SQL).scalar())

