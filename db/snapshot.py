"""One read of everything core logic needs to decide what is due and which flags apply.

:func:`load_snapshot` runs a dozen plain ``SELECT``s in one read transaction (so the
picture is consistent) and builds the shared records directly from rows rather than
loading ORM objects, which keeps a ten-year journal (~520 check-ins, ~8,000 answers)
well under a tenth of a second.

Check-ins in the snapshot carry **no nested answers** (``CheckIn.answers`` is empty):
every answer is in ``JournalSnapshot.answers`` once, with its ``checkin_id``. Callers
that need a check-in's answers group them by ``checkin_id`` or use
``db.checkins.list_checkins``.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from db import models
from db.checkins import ANSWER_COLUMNS, CHECKIN_COLUMNS, answers_from_rows, checkin_from_row
from db.engine import Database, plain_rows
from db.flag_actions import _flag_actions
from db.options import _decisions, _events, _options
from db.profile_history import _baselines, _snapshots, _tripwires
from db.prompts_state import state_from_row
from db.rows import profile_from_value  # noqa: F401 - re-exported
from db.settings import PROFILE_KEY
from db.timeutil import to_db
from desktop.core.records import JournalSnapshot


def load_snapshot(db: Database, since: datetime | None = None) -> JournalSnapshot:
    """The whole journal as core logic sees it.

    ``since`` limits answers, check-ins and events to those at or after it (flags and
    scheduling look back a few months at most); everything else is always complete.
    """
    cutoff = to_db(since)
    answers_q = select(*ANSWER_COLUMNS).order_by(models.Answer.answered_at, models.Answer.id)
    checkins_q = select(*CHECKIN_COLUMNS).order_by(
        models.CheckIn.started_at.desc(), models.CheckIn.id.desc()
    )
    if cutoff is not None:
        answers_q = answers_q.where(models.Answer.answered_at >= cutoff)
        checkins_q = checkins_q.where(models.CheckIn.started_at >= cutoff)
    with db.reading() as session:
        profile_row = session.get(models.Setting, PROFILE_KEY)
        stored = None if profile_row is None else json.loads(profile_row.value)
        profile = profile_from_value(stored)
        answers = tuple(answers_from_rows(plain_rows(session, answers_q)))
        checkins = tuple(checkin_from_row(r) for r in plain_rows(session, checkins_q))
        states = tuple(
            state_from_row(r) for r in session.scalars(
                select(models.PromptState).order_by(models.PromptState.prompt_id))
        )
        return JournalSnapshot(
            profile=profile,
            answers=answers,
            checkins=checkins,
            prompt_states=states,
            baselines=tuple(_baselines(session)),
            tripwires=tuple(_tripwires(session, include_archived=True)),
            snapshots=tuple(_snapshots(session)),
            options=tuple(_options(session)),
            decisions=tuple(_decisions(session)),
            flag_actions=tuple(_flag_actions(session)),
            events=tuple(_events(session, since)),
        )
