"""Settings ▸ Encryption: set, change or remove the passphrase that encrypts the journal."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.context import AppContext
from desktop.ui.settings.base import SettingsSection

log = logging.getLogger(__name__)

BUSY = {
    "set": "Keel is encrypting your journal and its backups…",
    "change": "Keel is re-encrypting your journal and its backups…",
    "remove": "Keel is removing the encryption from your journal and its backups…",
}
DONE = {
    "set": "Your journal and its backups are encrypted.",
    "change": "The passphrase was changed; every backup uses the new one.",
    "remove": "Encryption removed; the journal and its backups are ordinary files again.",
}


def convert(database: Path, backups: Path, mode: str, current: str | None,
            new: str | None) -> list[Path]:
    """Worker: encrypt, re-key or decrypt the closed journal and its backups."""
    from db import crypto

    if mode == "set":
        return crypto.encrypt(database, new or "", backups)
    if mode == "change":
        return crypto.change_passphrase(database, current or "", new or "", backups)
    return crypto.decrypt(database, current or "", backups)


class EncryptionSection(SettingsSection):
    title = "Encryption"
    subtitle = ("Optionally encrypt the journal file and its backups with a passphrase, so "
                "nobody who copies your files can read them. Backups made before are "
                "encrypted too, and the readable copies are deleted.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.status = QLabel(wordWrap=True, objectName="encryptionStatus")
        self.status.setAccessibleName("Encryption status")
        self.set_button = QPushButton("&Set a passphrase…")
        self.set_button.setAccessibleName("Set a passphrase")
        self.change_button = QPushButton("C&hange passphrase…")
        self.change_button.setAccessibleName("Change passphrase")
        self.remove_button = QPushButton("Remo&ve encryption…")
        self.remove_button.setAccessibleName("Remove encryption")
        row = QHBoxLayout()
        for button in (self.set_button, self.change_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        from desktop.ui.auto_lock import CHOICES

        self.lock_combo = QComboBox()
        self.lock_combo.setAccessibleName("Lock after idle minutes")
        for minutes in CHOICES:
            self.lock_combo.addItem("Never" if minutes == 0 else f"after {minutes} idle minutes",
                                    minutes)
        self.lock_label = QLabel("&Lock Keel")
        self.lock_label.setBuddy(self.lock_combo)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.lock_label)
        lock_row.addWidget(self.lock_combo)
        lock_row.addStretch(1)
        self.body.addWidget(self.status)
        self.body.addLayout(row)
        self.body.addLayout(lock_row)
        self.setTabOrder(self.set_button, self.change_button)
        self.setTabOrder(self.change_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.lock_combo)
        self.lock_combo.activated.connect(self._on_lock_combo_activated)
        self.set_button.clicked.connect(self._on_set_button_clicked)
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.busy = False
        self._pending: Any = None
        self.reload()

    def journal_opened(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Show whether the journal is encrypted, and the buttons that fit."""
        from db.crypto import is_encrypted
        from db.sqlfile import marker_since

        data_dir = self.context.paths.data_dir
        encrypted = is_encrypted(data_dir)
        if encrypted:
            since = marker_since(data_dir)
            when = ""
            if since:
                try:
                    when = f" since {datetime.fromisoformat(since).astimezone():%d %b %Y}"
                except ValueError:
                    when = ""
            self.status.setText(f"Encrypted{when} (SQLCipher, AES-256). Keel asks for the "
                                "passphrase each time it starts.")
        else:
            self.status.setText("Not encrypted. Anyone who can read your files can read "
                                "the journal; full-disk encryption or a passphrase here "
                                "prevents that.")
        self.lock_label.setVisible(encrypted)
        self.lock_combo.setVisible(encrypted)
        if encrypted and self.context.is_open:
            from desktop.ui.auto_lock import idle_minutes

            try:
                index = self.lock_combo.findData(idle_minutes(self.context.db))
            except Exception:  # noqa: BLE001 - the journal is busy; keep the shown value
                index = -1
            if index >= 0:
                self.lock_combo.setCurrentIndex(index)
        self.set_button.setVisible(not encrypted)
        self.change_button.setVisible(encrypted)
        self.remove_button.setVisible(encrypted)
        for button in (self.set_button, self.change_button, self.remove_button):
            button.setEnabled(not self.busy)

    @Slot(int)
    def _on_lock_combo_activated(self, _index: int) -> None:
        from db.settings import set_value
        from desktop.ui.auto_lock import AUTO_LOCK_KEY
        from desktop.ui.errors import show_error

        try:
            set_value(self.context.db, AUTO_LOCK_KEY, int(self.lock_combo.currentData()))
        except Exception as exc:  # noqa: BLE001 - told in plain words
            show_error(self, "Encryption", exc)
            return
        self.status_message.emit("Auto-lock saved.")

    @Slot()
    def _on_set_button_clicked(self) -> None:
        self._start("set")

    @Slot()
    def _on_change_button_clicked(self) -> None:
        self._start("change")

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self._start("remove")

    def _start(self, mode: str) -> None:
        from desktop.ui.dialogs.passphrase_dialog import PassphraseDialog
        from desktop.ui.tasks import run_in_background

        choice = PassphraseDialog.ask(self, mode)
        if choice is None or self.busy:
            return
        from desktop.ui.lifecycle import close_journal

        self.busy = True
        self._pending = (mode, choice)
        close_journal(self.window(), self.context, BUSY[mode] + " It opens again in a moment.")
        self.reload()
        self.status.setText(BUSY[mode])
        self.status_message.emit(BUSY[mode])
        paths = self.context.paths
        run_in_background(convert, paths.database, paths.backups, mode, choice.current,
                          choice.new, on_done=self._on_convert_done,
                          on_error=self._on_convert_error)

    def _on_convert_done(self, skipped: Any) -> None:
        mode, choice = self._pending
        self.context.passphrase = choice.new if mode != "remove" else None
        note = (f" {len(skipped)} backup(s) could not be converted and were left as they "
                "were." if skipped else "")
        self._finish(DONE[mode] + note)

    def _on_convert_error(self, exc: BaseException) -> None:
        from desktop.ui.errors import show_error

        log.warning("changing the journal's encryption failed: %s", type(exc).__name__)
        self._finish("Nothing was changed.")
        show_error(self, "Encryption", exc)

    def _finish(self, message: str) -> None:
        """Open the journal again (with the passphrase now in force) and tell the pages."""
        from desktop.ui.lifecycle import open_journal

        self.busy = False
        self._pending = None
        opened = open_journal(self.window(), self.context)
        self.reload()
        if opened:
            self.status_message.emit(message)
