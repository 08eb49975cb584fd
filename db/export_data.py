"""Gather what an export may say, for one period, as an :class:`ExportInput`.

One read of the journal (the flag rules and the option comparison run on it here, as
core functions), handed to :func:`desktop.core.export_compose.compose`. The dialog and
``keel export`` both call :func:`gather`, so they always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from desktop.core.export_compose import ExportInput, ExportOptions, Period, TrendRow
from desktop.core.records import Answer, AnswerKind, Entry, Prompt

if TYPE_CHECKING:
    from db.access import Journal

LAST_EXPORT_KEY = "export.last_at"
"""Setting: ISO time of the last export saved (for the "since last export" preset)."""
QUESTIONS_KEY = "export.questions"
"""Setting: the "questions I want to discuss" text, remembered between exports."""
CHOICES_KEY = "export.choices"
"""Setting: sections and redaction chosen for the last export (``ExportOptions``)."""


def first_day(db: Journal, tz: tzinfo | None = None) -> date | None:
    """The calendar day of the oldest thing in the journal (for "everything"), or None."""
    from db.snapshot import read_oldest_time

    with db.read() as session:
        oldest = read_oldest_time(session)
    return None if oldest is None else oldest.astimezone(tz or UTC).date()


def last_export(db: Journal) -> datetime | None:
    """When the user last saved an export, or None."""
    stored = _setting(db, LAST_EXPORT_KEY)
    try:
        return datetime.fromisoformat(stored) if isinstance(stored, str) else None
    except ValueError:
        return None


def record_export(db: Journal, when: datetime) -> None:
    """Remember that an export was saved at *when*."""
    from db.settings import set_value

    set_value(db, LAST_EXPORT_KEY, when.astimezone(UTC).isoformat())


def saved_questions(db: Journal) -> str:
    value = _setting(db, QUESTIONS_KEY, "")
    return value if isinstance(value, str) else ""


def save_questions(db: Journal, text: str) -> None:
    from db.settings import set_value

    set_value(db, QUESTIONS_KEY, text)


def saved_choices(db: Journal) -> ExportOptions:
    """The sections and redaction of the last export of this journal (defaults if none)."""
    return ExportOptions.from_settings(_setting(db, CHOICES_KEY))


def save_choices(db: Journal, options: ExportOptions) -> None:
    from db.settings import set_value

    set_value(db, CHOICES_KEY, options.to_settings())


def _setting(db: Journal, key: str, default: Any = None) -> Any:
    from db.settings import get_value

    return get_value(db, key, default)


def within(period: Period, zone: tzinfo) -> Callable[[datetime], bool]:
    """Whether an aware time falls on a calendar day of *period* in *zone*.

    A time a whole day or more inside the period's local midnights is inside whatever
    the zone's offsets and clock changes; only times near either end are converted to a
    local day (36,500 entries and 46,000 answers in a 100-year export)."""
    start, end = period.start, period.end
    # In UTC, the zone of stored times: aware times of one zone compare without asking
    # either zone its offset (25 times faster than a comparison across zones).
    sure_from = (datetime.combine(start, time(0), tzinfo=zone) + timedelta(days=1)).astimezone(UTC)
    sure_until = (datetime.combine(end, time(0), tzinfo=zone) - timedelta(days=1)).astimezone(UTC)

    def inside(when: datetime) -> bool:
        if when.tzinfo is not None and sure_from <= when < sure_until:
            return True
        return start <= when.astimezone(zone).date() <= end

    return inside


def trend_rows(answers: Iterable[Answer], prompts: Mapping[str, Prompt], period: Period,
               tz: tzinfo | None = None) -> list[TrendRow]:
    """First and latest numeric answer per prompt inside *period*, and the change."""
    series: dict[str, list[Answer]] = {}
    inside = within(period, tz or UTC)
    for answer in answers:
        if answer.skipped or answer.number is None:
            continue
        if answer.kind not in (AnswerKind.SCALE, AnswerKind.NUMBER):
            continue
        if inside(answer.answered_at):
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


def gather(db: Journal, period: Period, now: datetime, tz: tzinfo | None = None,
           questions: str = "",
           keep_entries: Callable[[Sequence[Entry]], Sequence[Entry]] | None = None
           ) -> ExportInput:
    """Everything an export of *period* may contain, read from *db* at *now*.

    *db* is a :class:`db.engine.Database` or, for ``keel export`` on a plain journal, a
    :class:`db.plain_journal.PlainJournal`: the readers are the app's own (SQL on
    :class:`db.access.Session`), run in one read transaction, so the command line need
    not import SQLAlchemy at all.

    The period's entries are read first, and *keep_entries*, if given, is handed them
    (oldest first) before anything else is read: it returns those this export composes
    here (``desktop.export_markdown.LaterEntries`` gives the newest to a second core).
    """
    from db.assessments import read_assessment_answers
    from db.journal import read_entries_between
    from db.snapshot import read_custom_prompts, read_snapshot
    from desktop.core.assessment import latest_answers, load_assessment
    from desktop.core.compare import compare
    from desktop.core.export_compose import INACTIVE_STATUSES
    from desktop.core.finance import runway_history
    from desktop.core.flags import active_flags
    from desktop.core.prompt_library import load_library

    zone = tz or UTC
    start = datetime.combine(period.start, time(0), tzinfo=zone) - timedelta(days=1)
    end = datetime.combine(period.end, time(0), tzinfo=zone) + timedelta(days=2)
    with db.read() as session:
        inside = within(period, zone)
        entries: Sequence[Entry] = [
            e for e in read_entries_between(session, start, end) if inside(e.created_at)]
        if keep_entries is not None:
            entries = keep_entries(entries)
        snapshot = read_snapshot(session)
        prompts = {p.id: p for p in load_library().prompts}
        prompts.update({p.id: p for p in read_custom_prompts(session, include_archived=True)})
        by_option = read_assessment_answers(session)
    questions_list = load_assessment()
    assessments = [a for items in by_option.values() for a in items]

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
        series=_series(snapshot.answers),
        runway=runway_history(snapshot.snapshots, snapshot.answers),
    )


def _series(answers: Iterable[Answer]) -> dict[str, list[tuple[datetime, float]]]:
    """The charted prompts' numeric answers (time, value), for the export's charts."""
    from desktop.core.export_compose import CHARTED

    wanted = {prompt_id for prompt_id, *_ in CHARTED}
    series: dict[str, list[tuple[datetime, float]]] = {}
    for answer in answers:
        if answer.prompt_id in wanted and not answer.skipped and answer.number is not None:
            series.setdefault(answer.prompt_id, []).append((answer.answered_at, answer.number))
    return series
