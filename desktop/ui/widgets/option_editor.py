"""The editor of one job option: every field of issue 5, notes in Markdown with a preview.

The editor holds no storage: the page loads a :class:`JobOption` into it, reads one back
with :meth:`OptionEditor.build_option` (which says what is wrong, inline, when input is
bad) and autosaves :meth:`OptionEditor.payload` as a draft.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import (
    OPTION_FUNCTIONS,
    OPTION_SENIORITIES,
    OPTION_STATUSES,
    OPTION_WORK_KINDS,
    JobOption,
)
from desktop.ui.models.options_table_model import WORK_KIND_LABELS
from desktop.ui.widgets.markdown_view import MarkdownView
from desktop.ui.widgets.optional_date_edit import OptionalDateEdit

CURRENCIES = ("USD", "GBP", "EUR", "CHF", "CAD", "AUD", "JPY", "INR")
FRONTIER_CHOICES = (("Unknown", None), ("Yes", True), ("No", False))
DATE_FIELDS = ("vesting_start", "cliff_date", "vest_end_date", "offer_deadline")


def parse_money(text: str) -> float | None:
    """``"185,000"`` → 185000.0; ``""`` → None. Raises ValueError on anything else."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    for symbol in "$£€¥₹":
        cleaned = cleaned.replace(symbol, "")
    if not cleaned:
        return None
    multiplier = 1.0
    if cleaned[-1:].lower() == "k":
        cleaned, multiplier = cleaned[:-1], 1000.0
    value = float(cleaned) * multiplier
    if value < 0 or value != value:
        raise ValueError("negative")
    return value


def money_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _combo(name: str, items: tuple[tuple[str, Any], ...]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for text, value in items:
        box.addItem(text, value)
    return box


def _select(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    box.setCurrentIndex(max(index, 0))


class OptionEditor(QWidget):
    """All fields of one job option, with a Save button and inline validation."""

    edited = Signal()
    """The user changed something (the page autosaves a draft)."""
    save_requested = Signal()
    """The user pressed Save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.option_id: int | None = None
        self._base: JobOption | None = None

        # The role ---------------------------------------------------------------
        self.organisation_edit = QLineEdit(placeholderText="e.g. Northwind AI")
        self.role_edit = QLineEdit(placeholderText="e.g. Research engineer")
        self.team_edit = QLineEdit(placeholderText="e.g. Interpretability")
        self.function_combo = _combo("Function", tuple((f.capitalize(), f) for f in OPTION_FUNCTIONS))
        self.seniority_combo = _combo("Seniority",
                                      tuple((s.capitalize(), s) for s in OPTION_SENIORITIES))
        self.work_kind_combo = _combo("Kind of work",
                                      tuple((WORK_KIND_LABELS[k], k) for k in OPTION_WORK_KINDS))
        self.status_combo = _combo("Status", tuple((s.capitalize(), s) for s in OPTION_STATUSES))
        role_box = QGroupBox("The role")
        role_form = QFormLayout(role_box)
        for label, widget in (("&Organisation", self.organisation_edit), ("&Role", self.role_edit),
                              ("&Team", self.team_edit), ("&Function", self.function_combo),
                              ("Seniorit&y", self.seniority_combo),
                              ("&Kind of work", self.work_kind_combo),
                              ("Stat&us", self.status_combo)):
            role_form.addRow(label, widget)

        # Money and dates -----------------------------------------------------------
        self.pay_edit = QLineEdit(placeholderText="yearly, e.g. 185,000")
        self.pay_edit.setAccessibleName("Pay per year")
        self.currency_combo = QComboBox()
        self.currency_combo.setEditable(True)
        self.currency_combo.addItems(CURRENCIES)
        self.currency_combo.setAccessibleName("Currency")
        self.equity_edit = QLineEdit(placeholderText="whole grant, e.g. 120,000")
        self.equity_edit.setAccessibleName("Equity value")
        self.vesting_start_edit = OptionalDateEdit("Vesting start")
        self.cliff_edit = OptionalDateEdit("Vesting cliff")
        self.vest_end_edit = OptionalDateEdit("Vest end")
        self.deadline_edit = OptionalDateEdit("Offer deadline")
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.pay_edit, 1)
        pay_row.addWidget(self.currency_combo)
        money_box = QGroupBox("Money and dates")
        money_form = QFormLayout(money_box)
        pay_label = QLabel("&Pay")
        pay_label.setBuddy(self.pay_edit)
        money_form.addRow(pay_label, pay_row)
        for label, widget in (("&Equity", self.equity_edit),
                              ("Vesting &start", self.vesting_start_edit),
                              ("C&liff", self.cliff_edit),
                              ("Vest en&d", self.vest_end_edit),
                              ("Offer dead&line", self.deadline_edit)):
            money_form.addRow(label, widget)
        for row_widget in (self.vesting_start_edit, self.cliff_edit, self.vest_end_edit,
                           self.deadline_edit):
            buddy = money_form.labelForField(row_widget)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(row_widget.edit)

        # Disclosure ------------------------------------------------------------
        self.frontier_combo = _combo("Pushes the frontier", FRONTIER_CHOICES)
        self.publishes_edit = QLineEdit(placeholderText="e.g. safety papers; no capability results")
        self.open_sources_edit = QLineEdit(placeholderText="e.g. nothing / small tools / model weights")
        self.commitments_edit = QLineEdit(
            placeholderText="e.g. written policy: capability results stay internal")
        disclosure_box = QGroupBox("What the organisation does with its work")
        disclosure_form = QFormLayout(disclosure_box)
        for label, widget in (("Pushes the &frontier", self.frontier_combo),
                              ("Team &publishes", self.publishes_edit),
                              ("Team open-&sources", self.open_sources_edit),
                              ("Written &commitments", self.commitments_edit)):
            disclosure_form.addRow(label, widget)
        for form in (role_form, money_form, disclosure_form):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        # Notes -------------------------------------------------------------------
        self.notes_edit = QPlainTextEdit(objectName="optionNotes")
        self.notes_edit.setPlaceholderText(
            "Notes in Markdown: what you heard in interviews, who you spoke to, open questions…")
        self.notes_edit.setAccessibleName("Notes (Markdown)")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_preview = MarkdownView(objectName="optionNotesPreview")
        self.notes_preview.setAccessibleName("Notes preview")
        notes_split = QSplitter(Qt.Orientation.Horizontal)
        notes_split.addWidget(self.notes_edit)
        notes_split.addWidget(self.notes_preview)
        notes_split.setChildrenCollapsible(False)
        # Two panes showing the same words read as a glitch unless they say what they are.
        notes_box = QGroupBox("Notes — Markdown on the left, as it reads on the right")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(notes_split)
        notes_box.setMinimumHeight(180)

        grid_host = QWidget()
        grid = self._grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 4, 0)
        self._boxes = (role_box, money_box, disclosure_box, notes_box)
        self._columns = 0
        self._lay_out(2)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)

        # Messages and actions ----------------------------------------------------
        self.error_label = QLabel(objectName="optionError", wordWrap=True)
        self.error_label.setAccessibleName("Problems with this option")
        self.error_label.hide()
        self.state_label = QLabel(objectName="mutedLabel")
        self.save_button = QPushButton("&Save option", objectName="saveOption")
        self.save_button.setToolTip("Save option (Ctrl+S)")
        self.save_button.setDefault(True)
        actions = QHBoxLayout()
        actions.addWidget(self.state_label, 1)
        actions.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error_label)
        layout.addWidget(scroll, 1)
        layout.addLayout(actions)

        self._preview_timer = QTimer(self, singleShot=True, interval=250)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)
        for line in (self.organisation_edit, self.role_edit, self.team_edit, self.pay_edit,
                     self.equity_edit, self.publishes_edit, self.open_sources_edit,
                     self.commitments_edit):
            line.textEdited.connect(self._on_field_edited)
        for box in (self.function_combo, self.seniority_combo, self.work_kind_combo,
                    self.status_combo, self.frontier_combo):
            box.activated.connect(self._on_field_edited)
        self.currency_combo.currentTextChanged.connect(self._on_field_edited)
        for dates in (self.vesting_start_edit, self.cliff_edit, self.vest_end_edit,
                      self.deadline_edit):
            dates.edited.connect(self._on_field_edited)
        self.notes_edit.textChanged.connect(self._on_notes_text_changed)
        self.save_button.clicked.connect(self.save_requested)
        self.setTabOrder(self.organisation_edit, self.role_edit)

    def _lay_out(self, columns: int) -> None:
        """The role and the money side by side (2 columns) or one under the other (1)."""
        if columns == self._columns:
            return
        self._columns = columns
        grid = self._grid
        role_box, money_box, disclosure_box, notes_box = self._boxes
        for box in self._boxes:
            grid.removeWidget(box)
        if columns == 2:
            grid.addWidget(role_box, 0, 0)
            grid.addWidget(money_box, 0, 1)
            grid.addWidget(disclosure_box, 1, 0, 1, 2)
            grid.addWidget(notes_box, 2, 0, 1, 2)
            grid.setColumnStretch(1, 1)
        else:
            for row, box in enumerate(self._boxes):
                grid.addWidget(box, row, 0)
            grid.setColumnStretch(1, 0)
        grid.setColumnStretch(0, 1)
        for row in range(4):
            grid.setRowStretch(row, 0)
        grid.setRowStretch(3 if columns == 1 else 2, 1)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def] # noqa: N802
        """Below about 100 characters wide, the field groups stack in one column."""
        super().resizeEvent(event)
        self._lay_out(2 if self.width() >= self.fontMetrics().averageCharWidth() * 100 else 1)

    # Loading ---------------------------------------------------------------------
    def load(self, option: JobOption | None) -> None:
        """Show ``option`` (None: an empty new option)."""
        self._base = option
        self.option_id = None if option is None else option.id
        self._fill(option or JobOption(id=None, organisation="", role=""))
        self.clear_errors()

    def mark_saved(self, option: JobOption) -> None:
        """The form already shows *option*, just stored: take its id and stored fields
        without filling the form again (refilling it was most of a save's UI time)."""
        self._base = option
        self.option_id = option.id

    def _fill(self, option: JobOption) -> None:
        self._loading = True
        try:
            self.organisation_edit.setText(option.organisation)
            self.role_edit.setText(option.role)
            self.team_edit.setText(option.team)
            _select(self.function_combo, option.function)
            _select(self.seniority_combo, option.seniority)
            _select(self.work_kind_combo, option.work_kind)
            _select(self.status_combo, option.status)
            _select(self.frontier_combo, option.frontier)
            self.publishes_edit.setText(option.publishes)
            self.open_sources_edit.setText(option.open_sources)
            self.commitments_edit.setText(option.disclosure_commitments)
            self.pay_edit.setText(money_text(option.pay))
            self.currency_combo.setCurrentText(option.currency or "USD")
            self.equity_edit.setText(money_text(option.equity_value))
            self.vesting_start_edit.set_date(option.vesting_start)
            self.cliff_edit.set_date(option.cliff_date)
            self.vest_end_edit.set_date(option.vest_end_date)
            self.deadline_edit.set_date(option.offer_deadline)
            self.notes_edit.setPlainText(option.notes)
            self.notes_preview.set_markdown_text(option.notes)
        finally:
            self._loading = False

    # Drafts --------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        """What is typed, as plain JSON-able values (for the draft)."""
        def iso(field: OptionalDateEdit) -> str | None:
            """ISO for a date; the typed text as it is when it is not one yet."""
            value = field.date()
            if value is not None:
                return value.isoformat()
            return field.edit.text() or None

        return {
            "organisation": self.organisation_edit.text(),
            "role": self.role_edit.text(),
            "team": self.team_edit.text(),
            "function": self.function_combo.currentData(),
            "seniority": self.seniority_combo.currentData(),
            "work_kind": self.work_kind_combo.currentData(),
            "status": self.status_combo.currentData(),
            "frontier": self.frontier_combo.currentData(),
            "publishes": self.publishes_edit.text(),
            "open_sources": self.open_sources_edit.text(),
            "disclosure_commitments": self.commitments_edit.text(),
            "pay": self.pay_edit.text(),
            "currency": self.currency_combo.currentText(),
            "equity_value": self.equity_edit.text(),
            "vesting_start": iso(self.vesting_start_edit),
            "cliff_date": iso(self.cliff_edit),
            "vest_end_date": iso(self.vest_end_edit),
            "offer_deadline": iso(self.deadline_edit),
            "notes": self.notes_edit.toPlainText(),
        }

    def load_payload(self, payload: dict[str, Any]) -> None:
        """Show a draft written by :meth:`payload` (unknown keys are ignored)."""
        self._loading = True
        try:
            for key, edit in (("organisation", self.organisation_edit), ("role", self.role_edit),
                              ("team", self.team_edit), ("publishes", self.publishes_edit),
                              ("open_sources", self.open_sources_edit),
                              ("disclosure_commitments", self.commitments_edit),
                              ("pay", self.pay_edit), ("equity_value", self.equity_edit)):
                edit.setText(str(payload.get(key) or ""))
            for key, box in (("function", self.function_combo),
                             ("seniority", self.seniority_combo),
                             ("work_kind", self.work_kind_combo), ("status", self.status_combo)):
                if payload.get(key):
                    _select(box, payload[key])
            _select(self.frontier_combo, payload.get("frontier"))
            self.currency_combo.setCurrentText(str(payload.get("currency") or "USD"))
            for key, widget in (("vesting_start", self.vesting_start_edit),
                                ("cliff_date", self.cliff_edit),
                                ("vest_end_date", self.vest_end_edit),
                                ("offer_deadline", self.deadline_edit)):
                try:
                    widget.set_date(date.fromisoformat(payload[key]) if payload.get(key) else None)
                except (TypeError, ValueError):
                    widget.set_text(str(payload.get(key) or ""))
            notes = str(payload.get("notes") or "")
            self.notes_edit.setPlainText(notes)
            self.notes_preview.set_markdown_text(notes)
        finally:
            self._loading = False

    def is_blank(self) -> bool:
        p = self.payload()
        return not any(str(p[k] or "").strip() for k in
                       ("organisation", "role", "team", "notes", "pay", "equity_value"))

    # Validation -------------------------------------------------------------------
    def build_option(self) -> JobOption | None:
        """The option as typed, or None after showing what to fix (nothing is lost)."""
        problems: list[str] = []
        self.clear_errors()
        organisation = self.organisation_edit.text().strip()
        if not organisation:
            problems.append("Give the name of the organisation.")
            self._mark(self.organisation_edit)
        money: dict[str, float | None] = {}
        for key, edit, label in (("pay", self.pay_edit, "Pay"),
                                 ("equity_value", self.equity_edit, "Equity")):
            try:
                money[key] = parse_money(edit.text())
            except ValueError:
                problems.append(f"{label} should be an amount such as 185,000 (or leave it empty).")
                self._mark(edit)
        for field, label in ((self.vesting_start_edit, "vesting start"),
                             (self.cliff_edit, "cliff"), (self.vest_end_edit, "vest end"),
                             (self.deadline_edit, "offer deadline")):
            if not field.is_valid():
                problems.append(f"The {label} should be a date such as 1 Mar 2027 "
                                "(or leave it empty).")
                self._mark(field.edit)
        start, cliff, end = (self.vesting_start_edit.date(), self.cliff_edit.date(),
                             self.vest_end_edit.date())
        if start and end and end <= start:
            problems.append("The vest end date should come after the vesting start.")
        if cliff and ((start and cliff < start) or (end and cliff > end)):
            problems.append("The cliff should fall between the vesting start and the vest end.")
        currency = self.currency_combo.currentText().strip().upper()
        if currency and (not currency.isalpha() or len(currency) > 10):
            problems.append("The currency should be a code such as USD, GBP or EUR.")
            self._mark(self.currency_combo)
        if problems:
            self.error_label.setText("Please fix: " + " ".join(problems))
            self.error_label.show()
            return None
        base = self._base or JobOption(id=None, organisation="", role="")
        return replace(
            base,
            id=self.option_id,
            organisation=organisation,
            role=self.role_edit.text().strip(),
            team=self.team_edit.text().strip(),
            function=self.function_combo.currentData(),
            seniority=self.seniority_combo.currentData(),
            work_kind=self.work_kind_combo.currentData(),
            status=self.status_combo.currentData(),
            frontier=self.frontier_combo.currentData(),
            publishes=self.publishes_edit.text().strip(),
            open_sources=self.open_sources_edit.text().strip(),
            disclosure_commitments=self.commitments_edit.text().strip(),
            pay=money["pay"],
            currency=currency or "USD",
            equity_value=money["equity_value"],
            vesting_start=start,
            cliff_date=cliff,
            vest_end_date=end,
            offer_deadline=self.deadline_edit.date(),
            notes=self.notes_edit.toPlainText(),
        )

    def show_error(self, text: str) -> None:
        """Show a message above the fields (e.g. one the database refused)."""
        self.error_label.setText(text)
        self.error_label.show()

    def clear_errors(self) -> None:
        self.error_label.hide()
        self.error_label.clear()
        for widget in (self.organisation_edit, self.pay_edit, self.equity_edit,
                       self.currency_combo, self.vesting_start_edit.edit, self.cliff_edit.edit,
                       self.vest_end_edit.edit, self.deadline_edit.edit):
            widget.setProperty("invalid", False)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _mark(self, widget: QWidget) -> None:
        widget.setProperty("invalid", True)
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # Slots -----------------------------------------------------------------------
    @Slot()
    def _on_field_edited(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()

    @Slot()
    def _on_notes_text_changed(self) -> None:
        if self._loading:
            return
        self._preview_timer.start()
        self.edited.emit()

    @Slot()
    def _on_preview_timer_timeout(self) -> None:
        self.notes_preview.set_markdown_text(self.notes_edit.toPlainText())
