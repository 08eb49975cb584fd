"""What kind of journal data changed: the one vocabulary of the app's change events.

A page or section that writes tells the window which kinds it changed (``data_changed``
carries a :class:`Change`); the window asks every other page to refresh with it, and the
journal watcher (``desktop/ui/journal_watcher.py``) emits the same values for writes made
by another process (``keel write``, ``keel import``). Pages test membership
(``changed & Change.ENTRIES``), so a misspelt kind is an ``AttributeError`` and a type
error, never a listener that silently waits for a name nobody sends.

Plain Python: no Qt, no I/O.
"""

from __future__ import annotations

from enum import Flag, auto


class Change(Flag):
    """Kinds of stored data; combine with ``|`` when one write touches several."""

    NONE = 0
    ENTRIES = auto()
    """Journal entries and their tags."""
    CHECKINS = auto()
    """Check-ins and their answers (and the per-prompt ask/skip counts they move)."""
    PROMPTS = auto()
    """Per-prompt settings: on/off, cadence, snooze."""
    OWN_PROMPTS = auto()
    """The prompts the user wrote."""
    PROFILE = auto()
    """Situation, rhythm, check-in day, quiet hours (a decision can move the situation)."""
    BASELINE = auto()
    """The written baseline of beliefs."""
    TRIPWIRES = auto()
    """Tripwires and their versions."""
    FINANCES = auto()
    """Financial snapshots."""
    OPTIONS = auto()
    """Job options and their assessments."""
    DECISIONS = auto()
    """Decisions and their revisits."""
    EVENTS = auto()
    """Events that make prompts due: a new option, accepting an offer, a vest."""
    FLAGS = auto()
    """Flag dismissals and snoozes."""
    REMINDERS = auto()
    """Reminder settings (on/off, keep in tray)."""
    AUTOSTART = auto()
    """Start at login."""
    BACKUPS = auto()
    """Backups on disk and their settings."""
    SETTINGS = auto()
    """Any other stored setting."""

    @classmethod
    def everything(cls) -> Change:
        """Every kind (after an import or a restore, which may hold anything)."""
        every = cls.NONE
        for member in cls:
            every |= member
        return every


EVERYTHING = Change.everything()

DUE_READS = (Change.CHECKINS | Change.PROMPTS | Change.OWN_PROMPTS | Change.PROFILE
             | Change.DECISIONS | Change.EVENTS)
"""What decides which prompts are due (the Check-in page, the reminders)."""


def names(change: Change) -> str:
    """``"ENTRIES|CHECKINS"``: for logs and test messages."""
    return "|".join(m.name or "" for m in Change if m and m in change) or "NONE"
