"""Settings: your baseline statement and tripwires. Editing adds a version; history stays."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.records import BaselineVersion, Tripwire
from desktop.ui.errors import show_error
from desktop.ui.settings.base import SettingsSection
from desktop.ui.settings.record_list_model import RecordListModel
from desktop.ui.widgets.confirm import Confirm
from desktop.ui.widgets.draft_autosave import DraftAutosave

log = logging.getLogger(__name__)

DRAFT_KEY = "settings:baseline"


def _day(when: datetime) -> str:
    return when.astimezone().strftime("%d %b %Y")


def baseline_line(version: BaselineVersion) -> str:
    """One line for the history list: date, worry and the start of the statement."""
    text = " ".join(version.text.split())
    text = text if len(text) <= 90 else text[:89] + "…"
    worry = "–" if version.worry is None else f"{version.worry}/10"
    return f"{_day(version.created_at)} · worry {worry} · {text}"


def tripwire_history(tripwire: Tripwire) -> str:
    """Every wording of a tripwire, oldest first."""
    return "\n".join(f"{_day(v.created_at)}: {v.text}" for v in tripwire.history)


class BaselineSection(SettingsSection):
    title = "Baseline and tripwires"
    subtitle = ("What you believed when you started, and the lines you drew in advance. "
                "Editing never overwrites: each change is kept as a new version, so you can "
                "see later how your words moved.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._loading = False

        # Baseline ----------------------------------------------------------------
        self.current_label = QLabel(objectName="currentBaseline", wordWrap=True)
        self.baseline_edit = QPlainTextEdit(objectName="baselineEdit")
        self.baseline_edit.setAccessibleName("Baseline statement")
        self.baseline_edit.setTabChangesFocus(True)
        self.baseline_edit.setPlaceholderText(
            "What you believe about AI risk today, and why — in your own words.")
        self.baseline_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.baseline_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 9)
        self.worry_spin = QSpinBox(objectName="baselineWorry", minimum=0, maximum=10)
        self.worry_spin.setSuffix(" / 10")
        self.worry_spin.setAccessibleName("Worry about AI risk, 0 to 10")
        worry_label = QLabel("&Worry about AI risk:")
        worry_label.setBuddy(self.worry_spin)
        self.save_baseline_button = QPushButton("Save as &new version",
                                                objectName="saveBaseline")
        self.baseline_state = QLabel(objectName="mutedLabel")
        self.history_model = RecordListModel(baseline_line, lambda v: v.text, self)
        self.history_view = QListView(objectName="baselineHistory")
        self.history_view.setModel(self.history_model)
        self.history_view.setAccessibleName("Earlier baseline versions, newest first")
        self.history_view.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)

        baseline_heading = QLabel("Baseline statement", objectName="subsectionTitle")
        self.body.addWidget(baseline_heading)
        self.body.addWidget(self.current_label)
        self.body.addWidget(self.baseline_edit)
        row = QHBoxLayout()
        row.addWidget(worry_label)
        row.addWidget(self.worry_spin)
        row.addWidget(self.baseline_state, 1)
        row.addWidget(self.save_baseline_button)
        self.body.addLayout(row)
        self.body.addWidget(QLabel("Versions", objectName="mutedLabel"))
        self.body.addWidget(self.history_view)

        # Tripwires ---------------------------------------------------------------
        self.tripwire_model = RecordListModel(lambda t: t.text, tripwire_history, self)
        self.tripwire_view = QListView(objectName="tripwireList")
        self.tripwire_view.setModel(self.tripwire_model)
        self.tripwire_view.setAccessibleName("Your tripwires")
        self.tripwire_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.tripwire_edit = QLineEdit(objectName="tripwireEdit")
        self.tripwire_edit.setPlaceholderText("e.g. My team starts open-sourcing frontier "
                                              "model weights")
        self.tripwire_edit.setAccessibleName("Tripwire wording")
        self.add_tripwire_button = QPushButton("Add", objectName="addTripwire")
        self.reword_button = QPushButton("Save wording", objectName="rewordTripwire")
        self.archive_tripwire_button = QPushButton("Archive…", objectName="archiveTripwire")
        self.tripwire_history_label = QLabel(objectName="mutedLabel", wordWrap=True)
        tripwire_heading = QLabel("Tripwires", objectName="subsectionTitle")
        self.body.addSpacing(8)
        self.body.addWidget(tripwire_heading)
        self.body.addWidget(QLabel("What would make you leave or speak up, set down before "
                                   "the moment comes.", objectName="mutedLabel", wordWrap=True))
        self.body.addWidget(self.tripwire_view)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.tripwire_edit, 1)
        edit_row.addWidget(self.add_tripwire_button)
        edit_row.addWidget(self.reword_button)
        edit_row.addWidget(self.archive_tripwire_button)
        self.body.addLayout(edit_row)
        self.body.addWidget(self.tripwire_history_label)

        self._draft = DraftAutosave(self, context, DRAFT_KEY, self._baseline_payload,
                                    self.baseline_state,
                                    "Draft kept — not a new version yet")
        self.baseline_edit.textChanged.connect(self._on_baseline_edited)
        self.worry_spin.valueChanged.connect(self._on_baseline_edited)
        self.save_baseline_button.clicked.connect(self.save_baseline)
        self.add_tripwire_button.clicked.connect(self.add_tripwire)
        self.tripwire_edit.returnPressed.connect(self.add_tripwire)
        self.reword_button.clicked.connect(self.reword_tripwire)
        self.archive_tripwire_button.clicked.connect(self.archive_tripwire)
        self.tripwire_view.selectionModel().currentChanged.connect(
            self._on_tripwire_current_changed)
        self._update_tripwire_actions()
        self.setEnabled(False)

    # Loading -------------------------------------------------------------------
    def journal_opened(self) -> None:
        self.setEnabled(True)
        self.load()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if changed & (Change.BASELINE | Change.TRIPWIRES | Change.PROFILE):
            self.load()

    def load(self) -> None:
        """Show the latest baseline, its versions and the active tripwires."""
        from db.drafts import load_draft
        from db.profile_history import baselines, tripwires

        db = self.context.db
        versions = baselines(db)
        self.history_model.set_records(list(reversed(versions)))
        latest = versions[-1] if versions else None
        if latest is None:
            self.current_label.setText("You have not written a baseline yet. Write one below, "
                                       "or run onboarding from the section above.")
        else:
            worry = "not rated" if latest.worry is None else f"{latest.worry}/10"
            self.current_label.setText(
                f"Current version from {_day(latest.created_at)} · worry {worry} · "
                f"{len(versions)} version{'s' if len(versions) != 1 else ''} in all")
        draft = load_draft(db, DRAFT_KEY)
        self._loading = True
        try:
            if draft is not None:
                self.baseline_edit.setPlainText(draft.payload.get("text", ""))
                self.worry_spin.setValue(int(draft.payload.get("worry", 5)))
                self._draft.dirty = True
                self.baseline_state.setText("Unsaved changes restored")
            else:
                self.baseline_edit.setPlainText(latest.text if latest else "")
                self.worry_spin.setValue(latest.worry if latest and latest.worry is not None
                                         else 5)
                self._draft.dirty = False
                self.baseline_state.setText("")
            self.baseline_edit.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._loading = False
        self.tripwire_model.set_records(tripwires(db))
        self._update_tripwire_actions()

    # Baseline ------------------------------------------------------------------
    @Slot()
    def _on_baseline_edited(self) -> None:
        if self._loading:
            return
        self._draft.edited()

    def _baseline_payload(self) -> dict:
        return {"text": self.baseline_edit.toPlainText(), "worry": self.worry_spin.value()}

    @Slot()
    def save_draft(self) -> None:
        """Keep the baseline text being edited (autosave)."""
        self._draft.save()

    def flush(self) -> None:
        self.save_draft()

    @Slot()
    def save_baseline(self) -> None:
        """Store the edited statement as a new version."""
        from db.drafts import discard_draft
        from db.profile_history import add_baseline, latest_baseline

        text = self.baseline_edit.toPlainText().strip()
        if not text:
            show_error(self, "Baseline is empty",
                       "Write a sentence or two about what you believe and why.")
            return
        db = self.context.db
        try:
            latest = latest_baseline(db)
            if latest is not None and latest.text.strip() == text \
                    and latest.worry == self.worry_spin.value():
                self.baseline_state.setText("Nothing changed since the current version")
                discard_draft(db, DRAFT_KEY)
                self._draft.dirty = False
                return
            add_baseline(db, text, self.worry_spin.value(), when=self.context.now())
            discard_draft(db, DRAFT_KEY)
        except Exception as exc:  # noqa: BLE001 - the text stays in the editor
            log.warning("baseline not saved: %s", type(exc).__name__)
            show_error(self, "Could not save your baseline", exc)
            return
        self._draft.clear()
        self.load()
        self.baseline_state.setText("Saved as a new version")
        self.status_message.emit("Baseline saved as a new version")
        self.data_changed.emit(Change.BASELINE)

    # Tripwires -----------------------------------------------------------------
    def _selected_tripwire(self) -> Tripwire | None:
        index = self.tripwire_view.currentIndex()
        return self.tripwire_model.record(index.row()) if index.isValid() else None

    def _update_tripwire_actions(self) -> None:
        selected = self._selected_tripwire()
        self.reword_button.setEnabled(selected is not None)
        self.archive_tripwire_button.setEnabled(selected is not None)
        if selected is None:
            count = self.tripwire_model.rowCount()
            self.tripwire_history_label.setText(
                "No tripwires yet — add the first above." if count == 0 else
                "Select a tripwire to reword or archive it; its earlier wordings show here.")
        elif len(selected.history) > 1:
            self.tripwire_history_label.setText("Earlier wordings:\n" + tripwire_history(selected))
        else:
            self.tripwire_history_label.setText(f"Set on {_day(selected.created_at)}; "
                                                "never reworded.")

    @Slot(QModelIndex, QModelIndex)
    def _on_tripwire_current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        tripwire = self.tripwire_model.record(current.row()) if current.isValid() else None
        if tripwire is not None:
            self.tripwire_edit.setText(tripwire.text)
        self._update_tripwire_actions()

    def _after_tripwire_change(self, message: str, select_id: int | None = None) -> None:
        from db.profile_history import tripwires

        self.tripwire_model.set_records(tripwires(self.context.db))
        if select_id is not None:
            row = self.tripwire_model.row_where(lambda t: t.id == select_id)
            if row >= 0:
                self.tripwire_view.selectionModel().setCurrentIndex(
                    self.tripwire_model.index(row),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._update_tripwire_actions()
        self.status_message.emit(message)
        self.data_changed.emit(Change.TRIPWIRES)

    @Slot()
    def add_tripwire(self) -> None:
        """Add the typed line as a new tripwire."""
        from db.profile_history import add_tripwire

        text = self.tripwire_edit.text().strip()
        if not text:
            self.tripwire_edit.setFocus()
            return
        try:
            add_tripwire(self.context.db, text, when=self.context.now())
        except Exception as exc:  # noqa: BLE001 - the line stays typed
            show_error(self, "Could not add the tripwire", exc)
            return
        self.tripwire_edit.clear()
        self.tripwire_view.clearSelection()
        self._after_tripwire_change("Tripwire added", None)

    @Slot()
    def reword_tripwire(self) -> None:
        """Save the typed wording as a new version of the selected tripwire."""
        from db.profile_history import edit_tripwire

        selected = self._selected_tripwire()
        text = self.tripwire_edit.text().strip()
        if selected is None or not text:
            return
        try:
            edit_tripwire(self.context.db, selected.id, text, when=self.context.now())
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Could not reword the tripwire", exc)
            return
        self._after_tripwire_change("Tripwire reworded; the old wording is kept", selected.id)

    @Slot()
    def archive_tripwire(self) -> None:
        """Retire the selected tripwire (it stays in the history)."""
        from db.profile_history import archive_tripwire

        selected = self._selected_tripwire()
        if selected is None:
            return
        if not Confirm.ask(self, "Archive tripwire",
                           f"Archive “{selected.text}”? It stays in your history.",
                           confirm="Archive"):
            return
        try:
            archive_tripwire(self.context.db, selected.id, when=self.context.now())
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Could not archive the tripwire", exc)
            return
        self.tripwire_edit.clear()
        self._after_tripwire_change("Tripwire archived")
