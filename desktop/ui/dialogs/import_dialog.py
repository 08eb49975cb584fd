"""Import a Keel, jrnl or Day One JSON export into the open journal.

:meth:`ImportDialog.ask` first asks for the file with the native dialog, then shows what
it found (the format, detected in the background; the user may override it). Importing
into a journal that already has data asks first (``Confirm.ask``); the import itself
runs off the UI thread in one transaction, so a bad file changes nothing and the message
names the line or key at fault.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.context import AppContext
from desktop.ui.errors import show_error
from desktop.ui.widgets.confirm import Confirm

log = logging.getLogger(__name__)

FORMAT_LABELS = {"keel": "Keel JSON", "jrnl": "jrnl JSON", "dayone": "Day One JSON"}
FILE_FILTER = "JSON export (*.json);;All files (*)"


def report_text(report: Any) -> str:
    """``Imported 42 entries (3 already present)`` for an :class:`ImportReport`."""
    noun = "rows" if report.format == "keel" else "entries"
    if report.added == 1:
        noun = noun[:-1] if noun == "rows" else "entry"
    text = f"Imported {report.added} {noun}"
    return text + (f" ({report.skipped} already present)" if report.skipped else "")


def _detect(path: Path) -> str:
    """Worker: the file's format id (raises ImportFileError with a clear message)."""
    from db.portable import detect_format, read_file

    return detect_format(read_file(path))


def _import(db: Any, path: Path, fmt: str | None, merge: bool, tz: Any) -> Any:
    """Worker: run the import (one transaction)."""
    from db.portable import import_file

    return import_file(db, path, fmt, merge=merge, tz=tz)


class ImportDialog(QDialog):
    """Shows the chosen file and its format; Import runs it."""

    def __init__(self, parent: QWidget | None, context: AppContext, path: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import into Keel")
        self.setObjectName("importDialog")
        self.context = context
        self.path = path
        self.report: Any = None
        """The :class:`db.portable.ImportReport` once the import has run."""
        self._closed = False
        self._running = False
        self._detecting = False

        self.file_edit = QLineEdit(objectName="importFile")
        self.file_edit.setReadOnly(True)
        self.file_edit.setAccessibleName("File to import")
        self.choose_button = QPushButton("C&hoose…")
        self.choose_button.setAccessibleName("Choose another file")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        self.format_combo = QComboBox(objectName="importFormat")
        self.format_combo.setAccessibleName("Format")
        self.format_combo.addItem("Detect automatically", None)
        for fmt, label in FORMAT_LABELS.items():
            self.format_combo.addItem(label, fmt)
        self.detected_label = QLabel(objectName="importDetected")
        self.detected_label.setObjectName("mutedLabel")
        self.detected_label.setWordWrap(True)
        form = QFormLayout()
        file_label = QLabel("&File")
        file_label.setBuddy(self.choose_button)
        form.addRow(file_label, file_row)
        format_label = QLabel("F&ormat")
        format_label.setBuddy(self.format_combo)
        form.addRow(format_label, self.format_combo)
        form.addRow("", self.detected_label)

        intro = QLabel("Entries from jrnl and Day One keep their dates and tags. "
                       "Importing the same file twice adds nothing twice.")
        intro.setWordWrap(True)
        self.progress = QProgressBar(objectName="importProgress")
        self.progress.setAccessibleName("Import progress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("importRun")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        self.resize(560, 240)
        self.set_path(path)

    # The file ------------------------------------------------------------------------
    def set_path(self, path: Path) -> None:
        """Show *path* and detect its format in the background."""
        from desktop.ui.tasks import run_in_background

        self.path = path
        self.file_edit.setText(str(path))
        self.detected_label.setText("Reading the file…")
        self._detecting = True
        run_in_background(_detect, path,
                          on_done=lambda fmt: self._on_detected(path, fmt),
                          on_error=lambda exc: self._on_detect_failed(path, exc))

    def _on_detected(self, path: Path, fmt: str) -> None:
        if self._closed or not isValid(self) or path != self.path:
            return
        self._detecting = False
        self.detected_label.setText(f"This looks like a {FORMAT_LABELS.get(fmt, fmt)} export.")

    def _on_detect_failed(self, path: Path, exc: BaseException) -> None:
        from desktop.ui.errors import user_message

        if self._closed or not isValid(self) or path != self.path:
            return
        self._detecting = False
        self.detected_label.setText(user_message(exc))

    @Slot()
    def _on_choose_clicked(self) -> None:
        name = self.choose_file(self, self.path.parent)
        if name is not None:
            self.set_path(name)

    @staticmethod
    def choose_file(parent: QWidget | None, folder: Path | None = None) -> Path | None:
        """The native open-file dialog; None when the user cancelled."""
        name, _selected = QFileDialog.getOpenFileName(
            parent, "Import a journal", str(folder or Path.home()), FILE_FILTER)
        return Path(name) if name else None

    # Importing -----------------------------------------------------------------------
    def chosen_format(self) -> str | None:
        """The format to import as, or None to detect it."""
        data = self.format_combo.currentData()
        return str(data) if data else None

    @Slot()
    def _on_import_clicked(self) -> None:
        from db.portable import is_empty
        from desktop.core.changes import Change
        from desktop.ui.tasks import run_write

        if self._running:
            return
        merge = False
        try:
            empty = is_empty(self.context.db)
        except Exception as exc:
            show_error(self, "Could not import", exc)
            return
        if not empty:
            if not Confirm.ask(
                    self, "Add to this journal?",
                    "This journal already has entries. Add the file's contents to it? "
                    "Entries already here are kept, and anything already imported is skipped.",
                    confirm="Add to this journal"):
                return
            merge = True
        self._running = True
        self.progress.setVisible(True)
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.format_combo.setEnabled(False)
        self.detected_label.setText(f"Importing {self.path.name}…")
        # The window announces what the import changed once the dialog returns.
        run_write(self, "Could not import", _import, self.context.db, self.path,
                  self.chosen_format(), merge, self.context.tz, changes=Change.NONE,
                  on_done=self._on_import_done, on_error=self._on_import_failed)

    def _finish(self) -> None:
        self._running = False
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        self.choose_button.setEnabled(True)
        self.format_combo.setEnabled(True)

    def _on_import_done(self, report: Any) -> None:
        if self._closed or not isValid(self):
            return
        self._finish()
        self.report = report
        self.detected_label.setText(report_text(report))
        self.accept()

    def _on_import_failed(self, exc: BaseException) -> None:
        if self._closed or not isValid(self):
            return
        self._finish()
        self.detected_label.setText("Nothing was imported.")
        show_error(self, "Could not import", exc)

    def reject(self) -> None:
        if self._running:  # one transaction: it cannot be stopped halfway, so wait
            return
        super().reject()

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    @classmethod
    def ask(cls, parent: QWidget | None, context: AppContext) -> Any:
        """Choose a file and import it; the ImportReport, or None when nothing was imported."""
        path = cls.choose_file(parent)
        if path is None:
            return None
        dialog = cls(parent, context, path)
        try:
            dialog.exec()
            return dialog.report
        finally:
            dialog.deleteLater()
