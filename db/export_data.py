"""Gather what an export may say, for one period, as an :class:`ExportInput`.

One read of the journal (the flag rules and the option comparison run on it here, as
core functions), handed to :func:`desktop.core.export_compose.compose`. The dialog and
``keel export`` both call :func:`gather`, so they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from db.engine import Database
from desktop.core.export_compose import ExportInput, Period, TrendRow
from desktop.core.records import Answer, AnswerKind, Prompt

LAST_EXPORT_KEY = "export.last_at"
"""Setting: ISO time of the last export saved (for the "since last export" preset)."""
QUESTIONS_KEY = "export.questions"
"""Setting: the "questions I want to discuss" text, remembered between exports."""


def first_day(db: Database, tz: tzinfo | None = None) -> date | None:
    """The calendar day of the oldest thing in the journal (for "everything"), or None."""
    from sqlalchemy import func, select

    from db import models

    columns = (models.Entry.created_at, models.CheckIn.started_at, models.JobOption.created_at,
               models.BaselineVersion.created_at, models.Decision.decided_at)
    found: list[datetime] = []
    with db.reading() as session:
        for column in columns:
            value = session.scalar(select(func.min(column)))
            if value is not None:
                found.append(value)
    if not found:
        return None
    return min(found).replace(tzinfo=UTC).astimezone(tz or UTC).date()


def last_export(db: Database) -> datetime | None:
    """When the user last saved an export, or None."""
    from db.settings import get_value

    stored = get_value(db, LAST_EXPORT_KEY)
    try:
        return datetime.fromisoformat(stored) if isinstance(stored, str) else None
    except ValueError:
        return None


def record_export(db: Database, when: datetime) -> None:
    """Remember that an export was saved at *when*."""
    from db.settings import set_value

    set_value(db, LAST_EXPORT_KEY, when.astimezone(UTC).isoformat())


def saved_questions(db: Database) -> str:
    from db.settings import get_value

    value = get_value(db, QUESTIONS_KEY, "")
    return value if isinstance(value, str) else ""


def save_questions(db: Database, text: str) -> None:
    from db.settings import set_value

    set_value(db, QUESTIONS_KEY, text)


def _prompts(db: Database) -> dict[str, Prompt]:
    from db.prompts_state import list_custom_prompts
    from desktop.core.prompt_library import load_library

    prompts = {p.id: p for p in load_library().prompts}
    prompts.update({p.id: p for p in list_custom_prompts(db, include_archived=True)})
    return prompts


def trend_rows(answers: Iterable[Answer], prompts: Mapping[str, Prompt], period: Period,
               tz: tzinfo | None = None) -> list[TrendRow]:
    """First and latest numeric answer per prompt inside *period*, and the change."""
    series: dict[str, list[Answer]] = {}
    for answer in answers:
        if answer.skipped or answer.number is None:
            continue
        if answer.kind not in (AnswerKind.SCALE, AnswerKind.NUMBER):
            continue
        day = answer.answered_at.astimezone(tz or UTC).date()
        if period.start <= day <= period.end:
            series.setdefault(answer.prompt_id, []).append(answer)
    rows = []
    for prompt_id, items in series.items():
        items.sort(key=lambda a: a.answered_at)
        first, latest = items[0].number, items[-1].number
        prompt = prompts.get(prompt_id)
        question = prompt.question if prompt else prompt_id
        if prompt is not None and prompt.unit:
            question += f" ({prompt.unit})"
        change = None if first is None or latest is None else round(latest - first, 2)
        rows.append(TrendRow(question, first, latest, change))
    rows.sort(key=lambda r: (-(abs(r.change) if isinstance(r.change, float | int) else 0),
                             r.question))
    return rows


def gather(db: Database, period: Period, now: datetime, tz: tzinfo | None = None,
           questions: str = "") -> ExportInput:
    """Everything an export of *period* may contain, read from *db* at *now*."""
    from db.journal import entries_between
    from db.options import all_assessment_answers
    from db.snapshot import load_snapshot
    from desktop.core.assessment import latest_answers, load_assessment
    from desktop.core.compare import compare
    from desktop.core.export_compose import INACTIVE_STATUSES
    from desktop.core.flags import active_flags

    zone = tz or UTC
    snapshot = load_snapshot(db)
    prompts = _prompts(db)
    questions_list = load_assessment()
    by_option = all_assessment_answers(db)
    assessments = [a for items in by_option.values() for a in items]

    start = datetime.combine(period.start, time(0), tzinfo=zone) - timedelta(days=1)
    # The snapshot already holds every answer: group them onto its check-ins rather than
    # reading 46,000 answers a second time (a 100-year export).
    by_checkin: dict[int | None, list] = {}
    for answer in snapshot.answers:
        by_checkin.setdefault(answer.checkin_id, []).append(answer)
    checkins = sorted(
        (replace(c, answers=tuple(sorted(by_checkin.get(c.id, ()), key=lambda a: a.id or 0)))
         for c in snapshot.checkins
         if period.start <= (c.completed_at or c.started_at).astimezone(zone).date() <= period.end),
        key=lambda c: (c.started_at, c.id), reverse=True)
    end = datetime.combine(period.end, time(0), tzinfo=zone) + timedelta(days=2)
    entries = [e for e in entries_between(db, start, end)
               if period.start <= e.created_at.astimezone(zone).date() <= period.end]

    in_play = [o for o in snapshot.options if o.status not in INACTIVE_STATUSES][:4]
    compare_headers: list[str] = []
    compare_rows: list[tuple[str, tuple[str, ...]]] = []
    if len(in_play) >= 2:
        current = {oid: latest_answers(items) for oid, items in by_option.items()}
        compare_headers = [o.title for o in in_play]
        compare_rows = [(r.label, r.values) for r in compare(in_play, current, questions_list)]

    return ExportInput(
        profile=snapshot.profile,
        period=period,
        options=snapshot.options,
        assessments=assessments,
        assessment_questions={q.id: q for q in questions_list},
        compare_headers=compare_headers,
        compare_rows=compare_rows,
        decisions=snapshot.decisions,
        checkins=checkins,
        prompts=prompts,
        flags=active_flags(snapshot, now),
        flag_actions=snapshot.flag_actions,
        trends=trend_rows(snapshot.answers, prompts, period, zone),
        baselines=snapshot.baselines,
        tripwires=snapshot.tripwires,
        entries=entries,
        questions_to_discuss=questions,
        tz=zone,
    )
