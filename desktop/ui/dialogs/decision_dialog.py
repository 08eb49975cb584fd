"""Record a decision: which option (or staying put), why, the alternatives, when to revisit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.records import Decision, JobOption, Situation
from desktop.ui.widgets.markdown_view import MarkdownView

REVISIT_AFTER_DAYS = 182
STAY = "stay"


class DecisionDialog(QDialog):
    """The form; :meth:`decision` reads it back as an unsaved :class:`Decision`."""

    def __init__(self, parent: QWidget | None, context: AppContext,
                 options: Sequence[JobOption], preselect: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a decision")
        self.context = context
        self.options = list(options)
        today = context.now().astimezone(context.tz).date()
        self.today = today

        self.choice_combo = QComboBox()
        self.choice_combo.setAccessibleName("What I decided")
        self.choice_combo.addItem("Stay where I am", STAY)
        for option in self.options:
            self.choice_combo.addItem(f"Take: {option.title}", option.id)
        if preselect is not None:
            self.choice_combo.setCurrentIndex(max(self.choice_combo.findData(preselect), 0))
        self.summary_edit = QLineEdit()
        self.summary_edit.setAccessibleName("Summary")
        self.summary_edit.setPlaceholderText("One line, e.g. “Take the interpretability role”")

        self.reasons_edit = QPlainTextEdit()
        self.reasons_edit.setAccessibleName("Reasons (Markdown)")
        self.reasons_edit.setPlaceholderText("Why — in Markdown. What tipped it? What did the "
                                             "panel raise, and how did you weigh it?")
        self.reasons_edit.setTabChangesFocus(True)
        self.reasons_preview = MarkdownView()
        self.reasons_preview.setAccessibleName("Reasons preview")
        reasons_split = QSplitter(Qt.Orientation.Horizontal)
        reasons_split.addWidget(self.reasons_edit)
        reasons_split.addWidget(self.reasons_preview)
        reasons_split.setChildrenCollapsible(False)

        self.alternatives_box = QGroupBox("Alternatives I considered")
        alt_layout = QVBoxLayout(self.alternatives_box)
        self.alternative_checks: dict[int, QCheckBox] = {}
        for option in self.options:
            if option.id is None:
                continue
            check = QCheckBox(option.title)
            check.setAccessibleName(f"Alternative: {option.title}")
            self.alternative_checks[option.id] = check
            alt_layout.addWidget(check)
        if not self.alternative_checks:
            alt_layout.addWidget(QLabel("No other options recorded.", objectName="mutedLabel"))

        self.revisit_conditions_edit = QPlainTextEdit()
        self.revisit_conditions_edit.setAccessibleName("What would make me revisit this")
        self.revisit_conditions_edit.setPlaceholderText(
            "e.g. my team starts publishing capability results; I stop reading x-risk work")
        self.revisit_conditions_edit.setTabChangesFocus(True)
        self.revisit_conditions_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.revisit_edit = QDateEdit()
        self.revisit_edit.setCalendarPopup(True)
        self.revisit_edit.setDisplayFormat("d MMM yyyy")
        self.revisit_edit.setAccessibleName("Revisit on")
        default = today + timedelta(days=REVISIT_AFTER_DAYS)
        self.revisit_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.revisit_edit.setDate(QDate(default.year, default.month, default.day))

        self.error_label = QLabel(objectName="optionError", wordWrap=True)
        self.error_label.hide()
        from db.settings import get_profile

        self.current_situation = get_profile(context.db).situation
        self.situation_note = QLabel(objectName="mutedLabel", wordWrap=True)
        self.situation_note.setAccessibleName("What this decision changes")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Decision", self.choice_combo)
        form.addRow("", self.situation_note)
        form.addRow("&Summary", self.summary_edit)
        form.addRow("&Reasons", reasons_split)
        form.addRow("", self.alternatives_box)
        form.addRow("What would make me re&visit", self.revisit_conditions_edit)
        form.addRow("Revisit &on", self.revisit_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = self.buttons.addButton(
            "Record decision", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel("A decision journal: write down why, so that in six months you can ask "
                       "whether you would decide the same knowing what you know then.",
                       objectName="pageSubtitle", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.error_label)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        self.choice_combo.currentIndexChanged.connect(self._on_choice_combo_changed)
        self.reasons_edit.textChanged.connect(self._on_reasons_edit_changed)
        self._on_choice_combo_changed()
        self.resize(760, 640)

    def chosen_id(self) -> int | None:
        data = self.choice_combo.currentData()
        return None if data == STAY else int(data)

    def decision(self) -> Decision | None:
        """What the form says, or None (with a message shown) when it is incomplete."""
        chosen = self.chosen_id()
        summary = self.summary_edit.text().strip()
        if not summary:
            summary = self.choice_combo.currentText().replace("Take: ", "Take ")
        revisit = self.revisit_edit.date()
        revisit_on = date(revisit.year(), revisit.month(), revisit.day())
        if revisit_on <= self.today:
            self.error_label.setText("Pick a revisit date after today.")
            self.error_label.show()
            return None
        alternatives = tuple(oid for oid, check in self.alternative_checks.items()
                             if check.isChecked() and oid != chosen)
        return Decision(
            id=None,
            decided_at=self.context.now(),
            chosen_option_id=chosen,
            summary=summary,
            reasons=self.reasons_edit.toPlainText(),
            alternatives=alternatives,
            revisit_conditions=self.revisit_conditions_edit.toPlainText(),
            revisit_on=revisit_on,
        )

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.decision() is not None:
            self.accept()

    @Slot()
    def _on_choice_combo_changed(self, *_args: object) -> None:
        chosen = self.chosen_id()
        for oid, check in self.alternative_checks.items():
            check.setEnabled(oid != chosen)
            if oid == chosen:
                check.setChecked(False)
        moved = self.situation_after()
        self.situation_note.setText(
            "" if moved is None else
            f"Recording this sets your situation to “{Situation(moved).label}” (Settings › "
            "Profile), so the prompts that fit it are asked from now on.")
        self.situation_note.setVisible(moved is not None)

    def situation_after(self) -> str | None:
        """The situation taking the chosen option moves the user to, when it differs from
        the current one (:func:`db.options.situation_for`, applied by ``record_decision``)."""
        from db.options import situation_for

        chosen = self.chosen_id()
        option = next((o for o in self.options if o.id == chosen), None)
        if option is None:
            return None
        after = situation_for(option)
        return None if after == self.current_situation else after

    @Slot()
    def _on_reasons_edit_changed(self) -> None:
        self.reasons_preview.set_markdown_text(self.reasons_edit.toPlainText())

    @classmethod
    def ask(cls, parent: QWidget | None, context: AppContext,
            options: Sequence[JobOption], preselect: int | None = None) -> Decision | None:
        """Show the dialog; the decision (not yet stored) or None if cancelled."""
        dialog = cls(parent, context, options, preselect)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.decision()
