"""What an export can end in besides a written file (shared by the writer and the PDF
renderer, so neither imports the other)."""

from __future__ import annotations

from desktop.core.errors import UserError


class ExportWriteError(UserError):
    """The export could not be written; the old file (if any) is untouched."""


class ExportCancelled(Exception):
    """The user cancelled; nothing was written."""
