"""Shared records from stored rows, without SQLAlchemy.

One builder per record: each takes a row of the columns named by the constant beside it
(``OPTION_COLUMNS``, ``MONEY_COLUMNS``, …), as SQL on :class:`db.access.Session` returns
it — times and dates as stored text, booleans as 0/1. The record modules select exactly
those columns, so the app, the first Today, the command line, the export and the import
build the same records from the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from db.timeutil import from_stored
from desktop.core.records import (
    Answer,
    AnswerKind,
    AssessmentAnswer,
    BaselineVersion,
    CheckIn,
    Decision,
    Draft,
    Entry,
    FinancialSnapshot,
    FlagAction,
    JobOption,
    Profile,
    Prompt,
    PromptState,
    Tripwire,
    TripwireVersion,
)

PROFILE_KEY = "profile"
"""The settings key of the user's profile (JSON)."""

_KINDS = {kind.value: kind for kind in AnswerKind}


def _builder(record: type[Any]) -> Any:
    """A function making *record* (a frozen dataclass) from all its fields' values in
    order, without the dataclass's ``__init__``, which sets each field through
    ``object.__setattr__`` one by one: a third of the cost of an :class:`Entry` or an
    :class:`Answer`, of which a 100-year export reads 36,500 and 46,000. The record is
    the same (equal to ``record(*values)``); records with a ``__post_init__`` or
    ``__slots__`` are refused."""
    if hasattr(record, "__post_init__") or hasattr(record, "__slots__"):
        raise TypeError(f"{record.__name__} needs its own __init__")
    names = tuple(f.name for f in fields(record))
    new, set_ = object.__new__, object.__setattr__

    def build(*values: Any) -> Any:
        made = new(record)
        set_(made, "__dict__", dict(zip(names, values, strict=True)))
        return made

    return build


_entry = _builder(Entry)
_answer = _builder(Answer)


ANSWER_COLUMNS = ("id, checkin_id, prompt_id, answered_at, kind, value_text, value_number, "
                  "skipped, skip_reason")
"""The columns :func:`answers_from_rows` takes, in order."""
CHECKIN_COLUMNS = "id, started_at, completed_at, adhoc, reflection"
"""The columns :func:`checkin_from_row` takes, in order."""


def answers_from_rows(rows: Iterable[Sequence[Any]]) -> list[Answer]:
    """Many :class:`Answer` records at once from rows of :data:`ANSWER_COLUMNS`. Answers
    of one check-in share their time, so each stored time is converted once."""
    aware: dict[datetime, datetime] = {}
    out: list[Answer] = []
    append = out.append
    for ident, checkin_id, prompt_id, answered_at, kind, text, number, skipped, reason in rows:
        when = aware.get(answered_at)
        if when is None:
            when = aware[answered_at] = from_stored(answered_at)
        append(_answer(ident, checkin_id, prompt_id, when, _KINDS[kind], text, number,
                       bool(skipped), reason))
    return out


def checkin_from_row(row: Sequence[Any], answers: Iterable[Answer] = ()) -> CheckIn:
    """A :class:`CheckIn` record from a row of :data:`CHECKIN_COLUMNS`."""
    ident, started, completed, adhoc, reflection = row
    return CheckIn(
        id=ident,
        started_at=from_stored(started),
        completed_at=from_stored(completed),
        adhoc=bool(adhoc),
        reflection=reflection or "",
        answers=tuple(answers),
    )


OPTION_COLUMNS = (
    "id, organisation, role, team, function, seniority, work_kind, frontier, publishes, "
    "open_sources, disclosure_commitments, pay, currency, equity_value, vesting_start, "
    "cliff_date, vest_end_date, offer_deadline, status, notes, created_at, updated_at")
"""The columns :func:`option_from_row` takes, in order: :class:`JobOption`'s fields (a
test keeps them equal)."""
_OPTION_FIELDS = tuple(f.name for f in fields(JobOption))
_COPIED = tuple(name for name in _OPTION_FIELDS if name not in ("id", "created_at", "updated_at"))
"""The option's own values: what the user edits."""
_OPTION_DAYS = ("vesting_start", "cliff_date", "vest_end_date", "offer_deadline")


def option_from_row(row: Sequence[Any]) -> JobOption:
    """A :class:`JobOption` from a row of :data:`OPTION_COLUMNS`."""
    values = dict(zip(_OPTION_FIELDS, row, strict=True))
    for name in _OPTION_DAYS:
        values[name] = _day(values[name])
    if values["frontier"] is not None:
        values["frontier"] = bool(values["frontier"])
    values["created_at"] = from_stored(values["created_at"])
    values["updated_at"] = from_stored(values["updated_at"])
    return JobOption(**values)


DECISION_COLUMNS = ("id, decided_at, chosen_option_id, summary, reasons, alternatives, "
                    "revisit_conditions, revisit_on, revisited_at")
"""The columns :func:`decision_from_row` takes, in order."""


def decision_from_row(row: Sequence[Any]) -> Decision:
    """A :class:`Decision` from a row of :data:`DECISION_COLUMNS`."""
    (ident, decided, chosen, summary, reasons, alternatives_text, conditions, revisit_on,
     revisited) = row
    try:
        alternatives = tuple(int(x) for x in json.loads(alternatives_text or "[]"))
    except (ValueError, TypeError):
        alternatives = ()
    return Decision(
        id=ident,
        decided_at=from_stored(decided),
        chosen_option_id=chosen,
        summary=summary,
        reasons=reasons or "",
        alternatives=alternatives,
        revisit_conditions=conditions or "",
        revisit_on=_day(revisit_on),
        revisited_at=from_stored(revisited),
    )


def _day(value: str | date | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


BASELINE_COLUMNS = "id, text, worry, created_at"
"""The columns :func:`baseline_from_row` takes, in order."""


def baseline_from_row(row: Sequence[Any]) -> BaselineVersion:
    """A :class:`BaselineVersion` from a row of :data:`BASELINE_COLUMNS`."""
    ident, text, worry, created = row
    return BaselineVersion(id=ident, text=text, worry=worry, created_at=from_stored(created))


TRIPWIRE_COLUMNS = "id, created_at, archived_at"
"""The columns :func:`tripwire_from_row` takes, in order."""
TRIPWIRE_VERSION_COLUMNS = "tripwire_id, text, created_at"
"""The columns of each of a tripwire's versions :func:`tripwire_from_row` takes."""


def tripwire_from_row(row: Sequence[Any], versions: Iterable[Sequence[Any]] = ()) -> Tripwire:
    """A :class:`Tripwire` from a row of :data:`TRIPWIRE_COLUMNS` and its versions' rows
    (:data:`TRIPWIRE_VERSION_COLUMNS`), oldest first."""
    ident, created, archived = row
    history = tuple(TripwireVersion(text=text, created_at=from_stored(when))
                    for _tripwire_id, text, when in versions)
    return Tripwire(
        id=ident,
        text=history[-1].text if history else "",
        created_at=from_stored(created),
        archived_at=from_stored(archived),
        history=history,
    )


MONEY_COLUMNS = ("id, taken_at, liquid_savings, monthly_spending, unvested_equity, "
                 "next_vest_date, currency")
"""The columns :func:`snapshot_from_row` takes, in order."""


def snapshot_from_row(row: Sequence[Any]) -> FinancialSnapshot:
    """A :class:`FinancialSnapshot` from a row of :data:`MONEY_COLUMNS`."""
    ident, taken, savings, spending, unvested, next_vest, currency = row
    return FinancialSnapshot(
        id=ident,
        taken_at=from_stored(taken),
        liquid_savings=savings,
        monthly_spending=spending,
        unvested_equity=unvested,
        next_vest_date=_day(next_vest),
        currency=currency,
    )


FLAG_ACTION_COLUMNS = "flag_id, action, note, created_at, until"
"""The columns :func:`flag_action_from_row` takes, in order."""


def flag_action_from_row(row: Sequence[Any]) -> FlagAction:
    """A :class:`FlagAction` from a row of :data:`FLAG_ACTION_COLUMNS`."""
    flag_id, action, note, created_at, until = row
    return FlagAction(flag_id=flag_id, action=action, note=note or "",
                      created_at=from_stored(created_at), until=from_stored(until))


PROMPT_STATE_COLUMNS = ("prompt_id, enabled, cadence_override, last_asked_at, "
                        "last_answered_at, snoozed_until, skip_streak")
"""The columns :func:`state_from_row` takes, in order."""


def state_from_row(row: Sequence[Any]) -> PromptState:
    """A :class:`PromptState` from a row of :data:`PROMPT_STATE_COLUMNS`."""
    prompt_id, enabled, cadence, asked, answered, snoozed, streak = row
    return PromptState(
        prompt_id=prompt_id,
        enabled=bool(enabled),
        cadence_override=cadence,
        last_asked_at=from_stored(asked),
        last_answered_at=from_stored(answered),
        snoozed_until=from_stored(snoozed),
        skip_streak=streak or 0,
    )


CUSTOM_PROMPT_COLUMNS = "id, theme, question, why, answer, cadence, spec"
"""The columns :func:`custom_prompt_from_row` takes, in order."""


def custom_prompt_from_row(row: Sequence[Any]) -> Prompt:
    """A :class:`Prompt` from a row of :data:`CUSTOM_PROMPT_COLUMNS` (the user's own)."""
    ident, theme, question, why, answer, cadence, spec_text = row
    spec = json.loads(spec_text or "{}")
    return Prompt(
        id=ident,
        theme=theme,
        experts=(),
        question=question,
        why=why or "",
        answer=AnswerKind(answer),
        cadence=cadence,
        labels=tuple(spec.get("labels", ())),
        unit=spec.get("unit", ""),
        minimum=spec.get("min"),
        maximum=spec.get("max"),
        custom=True,
    )


DRAFT_COLUMNS = "key, payload, updated_at"
"""The columns :func:`draft_from_row` takes, in order."""


def draft_from_row(row: Sequence[Any]) -> Draft:
    """A :class:`Draft` from a row of :data:`DRAFT_COLUMNS`."""
    key, payload, updated_at = row
    return Draft(key=key, payload=json.loads(payload), updated_at=from_stored(updated_at))


def profile_from_value(stored: dict[str, Any] | None) -> Profile:
    """A :class:`Profile` from the stored JSON (unknown keys ignored, missing defaulted)."""
    known = {f.name for f in fields(Profile)}
    values = {k: v for k, v in (stored or {}).items() if k in known}
    if "reminder_days" in values:
        values["reminder_days"] = tuple(values["reminder_days"])
    return Profile(**values)


def entries_from_rows(rows: Iterable[Sequence[Any]]) -> list[Entry]:
    """Entries from ``(id, title, body, created_at, updated_at, tags)`` rows, the tags
    joined by U+001F (``group_concat``) and the times as stored text."""
    parse = datetime.fromisoformat  # from_stored's work, without a call per time
    tag_sets: dict[str, tuple[str, ...]] = {"": ()}  # a journal repeats a few sets of tags
    out: list[Entry] = []
    append = out.append
    for i, title, body, created, updated, tag_text in rows:
        tags = tag_sets.get(tag_text or "")
        if tags is None:
            tags = tag_sets[tag_text] = tuple(sorted(tag_text.split("\x1f")))
        append(_entry(i, title, body,
                      parse(created + "+00:00") if isinstance(created, str) else from_stored(created),
                      parse(updated + "+00:00") if isinstance(updated, str) else from_stored(updated),
                      tags))
    return out


def assessment_from_row(row: Sequence[Any]) -> AssessmentAnswer:
    """An :class:`AssessmentAnswer` from ``(option_id, question_id, answered_at,
    value_text, value_number)``."""
    option_id, question_id, answered_at, text, number = row
    return AssessmentAnswer(option_id=option_id, question_id=question_id,
                            answered_at=from_stored(answered_at),
                            text=text, number=number)
