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
from typing import TYPE_CHECKING

from desktop.core.changes import Change

if TYPE_CHECKING:
    from db.access import Journal, Session

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


AGGREGATES_SQL = (
    "SELECT (SELECT count(id) FROM entries), (SELECT max(id) FROM entries), "
    "(SELECT max(updated_at) FROM entries), (SELECT count(tag) FROM entry_tags), "
    "(SELECT count(id) FROM checkins), (SELECT max(id) FROM checkins), "
    "(SELECT max(completed_at) FROM checkins), "
    "(SELECT count(id) FROM baseline_versions), (SELECT max(id) FROM baseline_versions), "
    "(SELECT count(id) FROM tripwires), (SELECT max(id) FROM tripwires), "
    "(SELECT count(archived_at) FROM tripwires), (SELECT max(id) FROM tripwire_versions), "
    "(SELECT count(id) FROM financial_snapshots), (SELECT max(id) FROM financial_snapshots), "
    "(SELECT count(id) FROM assessment_answers), (SELECT max(id) FROM assessment_answers), "
    "(SELECT count(id) FROM decisions), (SELECT max(id) FROM decisions), "
    "(SELECT count(revisited_at) FROM decisions), "
    "(SELECT count(id) FROM events), (SELECT max(id) FROM events), "
    "(SELECT count(id) FROM flag_actions), (SELECT max(id) FROM flag_actions)")
"""Per kind, the aggregates that move when rows of that kind are added, deleted or
edited, as scalar subqueries of one statement; :data:`SPANS` says how many are whose."""
SPANS = ((Change.ENTRIES, 4), (Change.CHECKINS, 3), (Change.BASELINE, 2), (Change.TRIPWIRES, 4),
         (Change.FINANCES, 2), (Change.OPTIONS, 2), (Change.DECISIONS, 3), (Change.EVENTS, 2),
         (Change.FLAGS, 2))

SETTINGS_SQL = "SELECT key, value FROM settings ORDER BY key"
PROMPTS_SQL = ("SELECT prompt_id, enabled, cadence_override, snoozed_until FROM prompt_states "
               "ORDER BY prompt_id")
OWN_PROMPTS_SQL = ("SELECT id, question, why, theme, answer, spec, cadence, archived "
                   "FROM custom_prompts ORDER BY id")
OPTIONS_SQL = "SELECT id, status, updated_at FROM job_options ORDER BY id"
"""Options are few and change status in place (a decision): their rows themselves."""


def _rows(session: Session, sql: str) -> int:
    return hash(tuple(tuple(r) for r in session.execute(sql)))


def fingerprint(db: Journal) -> Fingerprint:
    """One value per kind of data; two reads compare equal for a kind when nothing of that
    kind changed in between (safe to run on a worker thread)."""
    with db.read() as s:
        values = tuple(s.execute(AGGREGATES_SQL).first() or ())
        settings: dict[Change, list[tuple[str, str]]] = {}
        for key, value in s.execute(SETTINGS_SQL):
            if key not in BOOKKEEPING_SETTINGS:
                settings.setdefault(SETTING_KINDS.get(key, Change.SETTINGS), []).append((key, value))
        found: Fingerprint = {
            Change.PROMPTS: _rows(s, PROMPTS_SQL),
            Change.OWN_PROMPTS: _rows(s, OWN_PROMPTS_SQL),
        }
        options = _rows(s, OPTIONS_SQL)
    at = 0
    for kind, width in SPANS:
        found[kind] = values[at:at + width]
        at += width
    assert at == len(values), "SPANS must cover every column of AGGREGATES_SQL"
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
