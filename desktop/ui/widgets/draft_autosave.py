"""Autosave for a form: what is typed goes to the drafts table shortly after each edit."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget

from desktop.context import AppContext

log = logging.getLogger(__name__)

AUTOSAVE_MS = 800


class DraftAutosave(QObject):
    """Keeps a form's text in ``db.drafts`` under ``key``: about a second after the last
    edit (``edited()``), and at once on ``save()`` (the window closing). ``state`` says
    what happened in words; a failed write keeps the text in the form and says so."""

    def __init__(self, form: QWidget, context: AppContext, key: str,
                 payload: Callable[[], dict], state: QLabel, kept_text: str) -> None:
        super().__init__(form)
        self._form, self._context, self.key = form, context, key
        self._payload, self._state, self._kept_text = payload, state, kept_text
        self.dirty = False
        """True while the form holds text not yet saved for real."""
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.save)

    def edited(self) -> None:
        self.dirty = True
        self._timer.start()
        self._state.setText("Editing…")

    def clear(self) -> None:
        """The form's text was saved for real (or discarded): nothing to keep."""
        self._timer.stop()
        self.dirty = False

    @Slot()
    def save(self) -> None:
        from db.drafts import save_draft

        self._timer.stop()
        if not self.dirty or not self._form.isEnabled():
            return
        try:
            save_draft(self._context.db, self.key, self._payload())
        except Exception as exc:  # noqa: BLE001 - the text stays in the form
            log.warning("draft %s not saved: %s", self.key, type(exc).__name__)
            self._state.setText("Autosave failed — your text is still here")
            return
        self._state.setText(self._kept_text)
