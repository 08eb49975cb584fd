"""Settings: questions you wrote yourself — add, edit, archive; all five answer kinds."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.records import CADENCES, AnswerKind, Prompt
from desktop.core.themes import CUSTOM_THEME, THEMES
from desktop.ui.errors import show_error
from desktop.ui.models.prompt_settings_model import cadence_label
from desktop.ui.settings.base import SettingsSection
from desktop.ui.settings.record_list_model import RecordListModel
from desktop.ui.widgets.confirm import Confirm
from desktop.ui.widgets.draft_autosave import DraftAutosave

log = logging.getLogger(__name__)

DRAFT_KEY = "settings:own-prompt"
RANGE_ROW = 6
"""Row of the form holding the allowed range (shown for number answers only)."""
KIND_LABELS = {
    AnswerKind.SCALE: "Scale (a row of labelled points)",
    AnswerKind.NUMBER: "Number",
    AnswerKind.YESNO: "Yes or no",
    AnswerKind.CHOICE: "One of several choices",
    AnswerKind.TEXT: "Free text",
}


class BadNumber(ValueError):
    """A number field holds something that is not a number."""


def parse_number(text: str, what: str) -> float | None:
    """``None`` for a blank field, else the number (a comma as decimal mark is accepted)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise BadNumber(f"The {what} must be a number, like 0 or 40.") from None


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


class OwnPromptsSection(SettingsSection):
    title = "Your own questions"
    subtitle = ("Add questions of your own; Keel asks them with the others. Archiving stops "
                "the question but keeps every answer you gave.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.editing_id: str | None = None
        self._loading = False

        self.model = RecordListModel(lambda p: p.question, lambda p: p.why or p.question, self)
        self.list_view = QListView(objectName="ownPromptList")
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Your own questions")
        self.list_view.setMinimumWidth(160)
        self.empty_label = QLabel("No questions of your own yet.", objectName="mutedLabel")
        self.new_button = QPushButton("&New question", objectName="newOwnPrompt")

        self.question_edit = QLineEdit(objectName="ownQuestion")
        self.question_edit.setPlaceholderText("e.g. Did I say no to anything this week?")
        self.why_edit = QLineEdit(objectName="ownWhy")
        self.why_edit.setPlaceholderText("Why you want to be asked (optional)")
        self.theme_combo = QComboBox(objectName="ownTheme")
        self.theme_combo.addItem(CUSTOM_THEME.title, CUSTOM_THEME.id)
        for theme in THEMES:
            self.theme_combo.addItem(theme.title, theme.id)
        self.kind_combo = QComboBox(objectName="ownKind")
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind.value)
        self.labels_edit = QPlainTextEdit(objectName="ownLabels")
        self.labels_edit.setPlaceholderText("One per line, e.g.\nNot at all\nA little\nA lot")
        self.labels_edit.setTabChangesFocus(True)
        self.labels_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.unit_edit = QLineEdit(objectName="ownUnit")
        self.unit_edit.setPlaceholderText("e.g. hours, %, conversations")
        self.min_edit = QLineEdit(objectName="ownMin")
        self.max_edit = QLineEdit(objectName="ownMax")
        self.min_edit.setPlaceholderText("no minimum")
        self.max_edit.setPlaceholderText("no maximum")
        self.min_edit.setAccessibleName("Smallest allowed answer")
        self.max_edit.setAccessibleName("Largest allowed answer")
        range_row = QHBoxLayout()
        range_row.addWidget(self.min_edit)
        range_row.addWidget(QLabel("to"))
        range_row.addWidget(self.max_edit)
        self.cadence_combo = QComboBox(objectName="ownCadence")
        for cadence in CADENCES:
            self.cadence_combo.addItem(cadence_label(cadence), cadence)
        self.state_label = QLabel(objectName="mutedLabel", wordWrap=True)
        self.save_button = QPushButton("&Add question", objectName="saveOwnPrompt")
        self.archive_button = QPushButton("Archive…", objectName="archiveOwnPrompt")

        self.form = QFormLayout()
        self.form.addRow("&Question:", self.question_edit)
        self.form.addRow("&Why:", self.why_edit)
        self.form.addRow("T&heme:", self.theme_combo)
        self.form.addRow("&Answer:", self.kind_combo)
        self.form.addRow("&Labels:", self.labels_edit)
        self.form.addRow("&Unit:", self.unit_edit)
        self.form.addRow("Allowed range:", range_row)
        self.form.addRow("&Cadence:", self.cadence_combo)
        actions = QHBoxLayout()
        actions.addWidget(self.state_label, 1)
        actions.addWidget(self.archive_button)
        actions.addWidget(self.save_button)

        left = QVBoxLayout()
        left.addWidget(self.list_view, 1)
        left.addWidget(self.empty_label)
        left.addWidget(self.new_button)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addLayout(actions)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addSpacing(12)
        row.addLayout(right, 3)
        self.body.addLayout(row)

        self._draft = DraftAutosave(self, context, DRAFT_KEY, self.fields, self.state_label,
                                    "Draft kept — press Save to add it")
        for edit in (self.question_edit, self.why_edit, self.unit_edit, self.min_edit,
                     self.max_edit):
            edit.textEdited.connect(self._on_form_edited)
        self.labels_edit.textChanged.connect(self._on_form_edited)
        for combo in (self.theme_combo, self.kind_combo, self.cadence_combo):
            combo.activated.connect(self._on_form_edited)
        self.kind_combo.currentIndexChanged.connect(self._update_kind_rows)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.save_button.clicked.connect(self.save_prompt)
        self.archive_button.clicked.connect(self.archive_prompt)
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(AnswerKind.TEXT.value))
        self._update_kind_rows()
        self._update_actions()
        self.setEnabled(False)

    # Loading -------------------------------------------------------------------
    def journal_opened(self) -> None:
        self.setEnabled(True)
        self.reload()
        self._restore_draft()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if changed & Change.OWN_PROMPTS:
            self.reload()

    def reload(self) -> None:
        """Read the user's prompts again."""
        from db.prompts_state import list_custom_prompts

        self.model.set_records(list_custom_prompts(self.context.db))
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if self.editing_id is not None:
            row = self.model.row_where(lambda p: p.id == self.editing_id)
            if row >= 0:
                self._loading = True
                self.list_view.selectionModel().setCurrentIndex(
                    self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self._loading = False

    def _restore_draft(self) -> None:
        from db.drafts import load_draft

        draft = load_draft(self.context.db, DRAFT_KEY)
        if draft is None:
            return
        self.load_fields(draft.payload)
        self.editing_id = draft.payload.get("id")
        self._draft.dirty = True
        self.state_label.setText("Unsaved question restored — press Save to keep it")
        self._update_actions()

    # Fields --------------------------------------------------------------------
    def fields(self) -> dict[str, Any]:
        """What the form shows, as a draft payload."""
        return {
            "id": self.editing_id,
            "question": self.question_edit.text(),
            "why": self.why_edit.text(),
            "theme": self.theme_combo.currentData(),
            "answer": self.kind_combo.currentData(),
            "labels": self.labels_edit.toPlainText(),
            "unit": self.unit_edit.text(),
            "min": self.min_edit.text(),
            "max": self.max_edit.text(),
            "cadence": self.cadence_combo.currentData(),
        }

    def load_fields(self, payload: dict[str, Any]) -> None:
        """Fill the form from a draft payload or a prompt's values."""
        self._loading = True
        try:
            self.question_edit.setText(payload.get("question", ""))
            self.why_edit.setText(payload.get("why", ""))
            for combo, key, default in ((self.theme_combo, "theme", CUSTOM_THEME.id),
                                        (self.kind_combo, "answer", AnswerKind.TEXT.value),
                                        (self.cadence_combo, "cadence", "weekly")):
                found = combo.findData(payload.get(key) or default)
                combo.setCurrentIndex(max(found, 0))
            self.labels_edit.setPlainText(payload.get("labels", ""))
            self.unit_edit.setText(payload.get("unit", ""))
            self.min_edit.setText(payload.get("min", ""))
            self.max_edit.setText(payload.get("max", ""))
        finally:
            self._loading = False
        self._update_kind_rows()

    def _show_prompt(self, prompt: Prompt | None) -> None:
        self._draft.clear()
        self.editing_id = prompt.id if prompt else None
        if prompt is None:
            self.load_fields({})
            self.state_label.setText("New question")
        else:
            self.load_fields({
                "question": prompt.question, "why": prompt.why, "theme": prompt.theme,
                "answer": prompt.answer.value, "labels": "\n".join(prompt.labels),
                "unit": prompt.unit, "min": _number_text(prompt.minimum),
                "max": _number_text(prompt.maximum), "cadence": prompt.cadence,
            })
            self.state_label.setText("Saved")
        self._update_actions()

    @Slot()
    def _update_kind_rows(self) -> None:
        kind = self.kind_combo.currentData()
        self.form.setRowVisible(self.labels_edit, kind in ("scale", "choice"))
        self.form.setRowVisible(self.unit_edit, kind == "number")
        self.form.setRowVisible(RANGE_ROW, kind == "number")

    def _update_actions(self) -> None:
        self.save_button.setText("&Save changes" if self.editing_id else "&Add question")
        self.archive_button.setEnabled(self.editing_id is not None)

    # Actions -------------------------------------------------------------------
    @Slot()
    def _on_form_edited(self) -> None:
        if self._loading:
            return
        self._draft.edited()

    @Slot()
    def save_draft(self) -> None:
        """Keep what is typed in the form (autosave)."""
        self._draft.save()

    def flush(self) -> None:
        self.save_draft()

    @Slot()
    def _on_new_button_clicked(self) -> None:
        self.flush()
        self.list_view.clearSelection()
        self.list_view.selectionModel().clearCurrentIndex()
        self._show_prompt(None)
        self.question_edit.setFocus()

    @Slot()
    def save_prompt(self) -> None:
        """Add the form as a new prompt, or save changes to the one being edited."""
        from db.drafts import discard_draft
        from db.prompts_state import add_custom_prompt, update_custom_prompt

        values = self.fields()
        kind = AnswerKind(values["answer"])
        try:
            minimum = parse_number(values["min"], "smallest allowed answer")
            maximum = parse_number(values["max"], "largest allowed answer")
        except BadNumber as exc:
            show_error(self, "Check the allowed range", str(exc))
            return
        labels = [x.strip() for x in values["labels"].splitlines() if x.strip()]
        if kind is AnswerKind.SCALE and len(labels) == 1:
            show_error(self, "Check the labels", "A scale needs at least two labels, or none.")
            return
        keep_labels = kind in (AnswerKind.SCALE, AnswerKind.CHOICE)
        keep_number = kind is AnswerKind.NUMBER
        args = dict(
            theme=values["theme"], question=values["question"], why=values["why"],
            answer=kind, labels=labels if keep_labels else (),
            unit=values["unit"].strip() if keep_number else "",
            minimum=minimum if keep_number else None, maximum=maximum if keep_number else None,
            cadence=values["cadence"],
        )
        try:
            if self.editing_id is None:
                prompt = add_custom_prompt(self.context.db, **args)  # type: ignore[arg-type]
            else:
                prompt = update_custom_prompt(self.context.db, self.editing_id, **args)  # type: ignore[arg-type]
            discard_draft(self.context.db, DRAFT_KEY)
        except Exception as exc:  # noqa: BLE001 - the form keeps everything typed
            log.warning("own prompt not saved: %s", type(exc).__name__)
            self._draft.dirty = True
            self.save_draft()
            show_error(self, "Could not save your question", exc)
            return
        added = self.editing_id is None
        self.editing_id = prompt.id
        self._draft.clear()
        self.reload()
        self._update_actions()
        self.state_label.setText("Question added" if added else "Changes saved")
        self.status_message.emit("Question added" if added else "Question saved")
        self.data_changed.emit(Change.OWN_PROMPTS)

    @Slot()
    def archive_prompt(self) -> None:
        """Stop asking the selected question (its answers are kept)."""
        from db.drafts import discard_draft
        from db.prompts_state import archive_custom_prompt

        if self.editing_id is None:
            return
        if not Confirm.ask(self, "Archive question",
                           f"Stop asking “{self.question_edit.text()}”? Your past answers "
                           "stay in the journal.", confirm="Archive"):
            return
        try:
            archive_custom_prompt(self.context.db, self.editing_id)
            discard_draft(self.context.db, DRAFT_KEY)
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Could not archive the question", exc)
            return
        self.editing_id = None
        self.reload()
        self._show_prompt(None)
        self.status_message.emit("Question archived")
        self.data_changed.emit(Change.OWN_PROMPTS)

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._loading or not current.isValid():
            return
        prompt = self.model.record(current.row())
        if prompt is None or (prompt.id == self.editing_id and not self._draft.dirty):
            return
        if self._draft.dirty:
            self.save_draft()
        self._show_prompt(prompt)

