"""A cheap fingerprint of each kind of journal data, to tell what another process changed.

The app polls the journal file's size and modification time (a ``stat``, microseconds);
when they move it reads :func:`fingerprint` off the UI thread and compares it with the
last one: each kind whose fingerprint differs changed. A fingerprint is counts, highest
ids and latest times (indexed or small tables), and for the small tables whose rows are
edited in place (settings, prompt settings, own prompts) the rows themselves — about a
few milliseconds on a ten-year journal, in four statements. No Qt.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import func, select

from db import models
from db.engine import Database
from desktop.core.changes import Change

BOOKKEEPING_SETTINGS = frozenset({
    "reminders",  # when the last reminder was shown (written by the reminder timer)
    "tray_close_message_shown",
    "no_tray_notice_shown",
    "export.last_at",
})
"""Settings rows that record what the app did, not what the user set: no view shows them."""

SETTING_KINDS = {
    "profile": Change.PROFILE,
    "keep_in_tray": Change.REMINDERS,
}
"""The kind of a settings row by key (any other row is :attr:`Change.SETTINGS`)."""

Fingerprint = dict[Change, Hashable]


def _rows(session: Any, *columns: Any) -> int:
    return hash(tuple(tuple(r) for r in session.execute(select(*columns).order_by(columns[0]))))


def _aggregates() -> dict[Change, tuple[Any, ...]]:
    """Per kind, the aggregates that move when rows of that kind are added, deleted or
    edited (each a scalar subquery, so all of them are one statement)."""
    m = models
    return {
        Change.ENTRIES: (func.count(m.Entry.id), func.max(m.Entry.id),
                         func.max(m.Entry.updated_at), func.count(m.EntryTag.tag)),
        Change.CHECKINS: (func.count(m.CheckIn.id), func.max(m.CheckIn.id),
                          func.max(m.CheckIn.completed_at)),
        Change.BASELINE: (func.count(m.BaselineVersion.id), func.max(m.BaselineVersion.id)),
        Change.TRIPWIRES: (func.count(m.Tripwire.id), func.max(m.Tripwire.id),
                           func.count(m.Tripwire.archived_at), func.max(m.TripwireVersion.id)),
        Change.FINANCES: (func.count(m.FinancialSnapshot.id), func.max(m.FinancialSnapshot.id)),
        Change.OPTIONS: (func.count(m.AssessmentAnswer.id), func.max(m.AssessmentAnswer.id)),
        Change.DECISIONS: (func.count(m.Decision.id), func.max(m.Decision.id),
                           func.count(m.Decision.revisited_at)),
        Change.EVENTS: (func.count(m.Event.id), func.max(m.Event.id)),
        Change.FLAGS: (func.count(m.FlagAction.id), func.max(m.FlagAction.id)),
    }


_STATEMENT: Any = None


def _statement() -> tuple[Any, list[tuple[Change, int]]]:
    """One ``SELECT (SELECT count(...) FROM entries), (SELECT max(...) ...), …`` built once."""
    global _STATEMENT
    if _STATEMENT is None:
        columns, spans = [], []
        for kind, aggregates in _aggregates().items():
            spans.append((kind, len(aggregates)))
            columns += [select(a).scalar_subquery() for a in aggregates]
        _STATEMENT = (select(*columns), spans)
    return _STATEMENT


def fingerprint(db: Database) -> Fingerprint:
    """One value per kind of data; two reads compare equal for a kind when nothing of that
    kind changed in between (safe to run on a worker thread)."""
    m = models
    statement, spans = _statement()
    with db.reading() as s:
        values = tuple(s.execute(statement).one())
        settings: dict[Change, list[tuple[str, str]]] = {}
        for key, value in s.execute(select(m.Setting.key, m.Setting.value).order_by(m.Setting.key)):
            if key not in BOOKKEEPING_SETTINGS:
                settings.setdefault(SETTING_KINDS.get(key, Change.SETTINGS), []).append((key, value))
        found: Fingerprint = {
            Change.PROMPTS: _rows(s, m.PromptState.prompt_id, m.PromptState.enabled,
                                  m.PromptState.cadence_override, m.PromptState.snoozed_until),
            Change.OWN_PROMPTS: _rows(s, m.CustomPrompt.id, m.CustomPrompt.question,
                                      m.CustomPrompt.why, m.CustomPrompt.theme,
                                      m.CustomPrompt.answer, m.CustomPrompt.spec,
                                      m.CustomPrompt.cadence, m.CustomPrompt.archived),
        }
        # Options are few and change status in place (a decision): their rows themselves.
        options = _rows(s, m.JobOption.id, m.JobOption.status, m.JobOption.updated_at)
    at = 0
    for kind, width in spans:
        found[kind] = values[at:at + width]
        at += width
    found[Change.OPTIONS] = (found[Change.OPTIONS], options)
    for kind in (Change.PROFILE, Change.REMINDERS, Change.SETTINGS):
        found[kind] = tuple(settings.get(kind, ()))
    return found


def changed_kinds(before: Fingerprint, after: Fingerprint) -> Change:
    """The kinds whose fingerprints differ."""
    changed = Change.NONE
    for kind, value in after.items():
        if before.get(kind) != value:
            changed |= kind
    return changed
