"""A cheap fingerprint of each kind of journal data, to tell what another process changed.

The app polls the journal file's size and modification time (a ``stat``, microseconds);
when they move it reads :func:`fingerprint` off the UI thread and compares it with the
last one: each kind whose fingerprint differs changed. A fingerprint is counts, highest
ids and latest times (indexed or small tables), and for the small tables whose rows are
edited in place (settings, prompt settings, own prompts) the rows themselves — about a
millisecond on a ten-year journal. No Qt.
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


def _row(session: Any, *columns: Any) -> tuple[Any, ...]:
    return tuple(session.execute(select(*columns)).one())


def _rows(session: Any, *columns: Any) -> int:
    return hash(tuple(tuple(r) for r in session.execute(select(*columns).order_by(columns[0]))))


def fingerprint(db: Database) -> Fingerprint:
    """One value per kind of data; two reads compare equal for a kind when nothing of that
    kind changed in between (safe to run on a worker thread)."""
    m = models
    with db.reading() as s:
        settings: dict[Change, list[tuple[str, str]]] = {}
        for key, value in s.execute(select(m.Setting.key, m.Setting.value).order_by(m.Setting.key)):
            if key not in BOOKKEEPING_SETTINGS:
                settings.setdefault(SETTING_KINDS.get(key, Change.SETTINGS), []).append((key, value))
        found: Fingerprint = {
            Change.ENTRIES: _row(s, func.count(m.Entry.id), func.max(m.Entry.id),
                                 func.max(m.Entry.updated_at))
            + _row(s, func.count(m.EntryTag.tag)),
            Change.CHECKINS: _row(s, func.count(m.CheckIn.id), func.max(m.CheckIn.id),
                                  func.max(m.CheckIn.completed_at)),
            Change.PROMPTS: _rows(s, m.PromptState.prompt_id, m.PromptState.enabled,
                                  m.PromptState.cadence_override, m.PromptState.snoozed_until),
            Change.OWN_PROMPTS: _rows(s, m.CustomPrompt.id, m.CustomPrompt.question,
                                      m.CustomPrompt.why, m.CustomPrompt.theme,
                                      m.CustomPrompt.answer, m.CustomPrompt.spec,
                                      m.CustomPrompt.cadence, m.CustomPrompt.archived),
            Change.BASELINE: _row(s, func.count(m.BaselineVersion.id),
                                  func.max(m.BaselineVersion.id)),
            Change.TRIPWIRES: _row(s, func.count(m.Tripwire.id), func.max(m.Tripwire.id),
                                   func.count(m.Tripwire.archived_at))
            + _row(s, func.max(m.TripwireVersion.id)),
            Change.FINANCES: _row(s, func.count(m.FinancialSnapshot.id),
                                  func.max(m.FinancialSnapshot.id)),
            Change.OPTIONS: _row(s, func.count(m.JobOption.id), func.max(m.JobOption.id),
                                 func.max(m.JobOption.updated_at))
            + _row(s, func.count(m.AssessmentAnswer.id), func.max(m.AssessmentAnswer.id)),
            Change.DECISIONS: _row(s, func.count(m.Decision.id), func.max(m.Decision.id),
                                   func.count(m.Decision.revisited_at))
            + _row(s, func.count(m.Event.id), func.max(m.Event.id)),
            Change.FLAGS: _row(s, func.count(m.FlagAction.id), func.max(m.FlagAction.id)),
        }
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
