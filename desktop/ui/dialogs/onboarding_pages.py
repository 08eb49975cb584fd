"""The pages of the onboarding wizard. Each page reads and fills a plain dict (the draft)."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.core.provenance import DISCLAIMER
from desktop.core.records import RHYTHMS, Situation
from desktop.ui.widgets.optional_date_edit import OptionalDateEdit
from desktop.ui.widgets.wrapping_delegate import WrappingDelegate

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SITUATION_HELP = {
    "student": "Studying, and thinking about where to work after.",
    "weighing": "Deciding between offers or applications, some at AI labs.",
    "at-lab": "Employed at an organisation that may advance AI capabilities.",
    "elsewhere": "Working somewhere else, and keeping an eye on the question.",
}
RHYTHM_HELP = {
    "weekly": ("Every week", "A short check-in each week; easiest to keep up."),
    "fortnightly": ("Every two weeks", "A little longer each time, half as often."),
    "monthly": ("Every month", "A fuller look back once a month."),
}
TRIPWIRE_SUGGESTIONS = (
    "My team starts open-sourcing frontier model weights",
    "I am asked to work on making large-model training much cheaper or faster",
    "Leadership drops a written safety commitment without explaining why",
    "I stop talking with anyone who worries about AI risk",
)
CURRENCIES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "INR")


def _muted(text: str) -> QLabel:
    label = QLabel(text, wordWrap=True)
    label.setObjectName("mutedLabel")
    return label


class DraftPage(QWizardPage):
    """A wizard page whose typed content is part of the onboarding draft."""

    edited = Signal()
    """Something on the page changed (the wizard autosaves the draft)."""

    def values(self) -> dict[str, Any]:
        """What the page holds, JSON-ready."""
        return {}

    def load(self, values: dict[str, Any]) -> None:
        """Fill the page from a draft."""


class WelcomePage(DraftPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Welcome to Keel")
        self.setSubTitle("A few minutes now make every later check-in mean more.")
        text = QLabel(
            "<p>Keel is a private journal for people who work in, or are weighing, jobs that "
            "may speed up AI capabilities. It turns advice from eleven experts into short "
            "questions you answer on a rhythm you choose. Over months, it shows you how your "
            "views, your circle and your finances are moving.</p>"
            "<p><b>Private.</b> Everything stays in one file on this computer. Keel never "
            "connects to the network.</p>"
            "<p><b>Not a verdict.</b> The experts are anonymous and they disagree: some think "
            "such roles are often fine and build useful skills, others urge caution or "
            "refusal. Keel never decides for you.</p>"
            f"<p><b>Not 80,000 Hours' advice.</b> {html.escape(DISCLAIMER)}</p>"
            "<p>Next you will describe your situation, write down what you believe today, "
            "and set a few tripwires. You can change any of it later in Settings.</p>",
            wordWrap=True)
        text.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addStretch(1)


class SituationPage(DraftPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Where do you stand?")
        self.setSubTitle("Some questions only make sense in some situations. "
                         "You can change this whenever your situation does.")
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        grid = QVBoxLayout()
        grid.setSpacing(2)
        for situation in Situation:
            button = QRadioButton(situation.label, objectName=f"situation_{situation.value}")
            button.setAccessibleDescription(SITUATION_HELP[situation.value])
            self.group.addButton(button)
            self.buttons[situation.value] = button
            help_label = _muted(SITUATION_HELP[situation.value])
            help_label.setIndent(26)
            grid.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(help_label)
            grid.addSpacing(12)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.group.buttonToggled.connect(self._on_group_toggled)

    @Slot()
    def _on_group_toggled(self) -> None:
        self.completeChanged.emit()
        self.edited.emit()

    def situation(self) -> str | None:
        """The chosen situation id, or None."""
        return next((k for k, b in self.buttons.items() if b.isChecked()), None)

    def isComplete(self) -> bool:
        return self.situation() is not None

    def values(self) -> dict[str, Any]:
        return {"situation": self.situation()}

    def load(self, values: dict[str, Any]) -> None:
        button = self.buttons.get(values.get("situation") or "")
        if button is not None:
            button.setChecked(True)


class BaselinePage(DraftPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your baseline")
        self.setSubTitle("What do you believe about AI risk today, and why? Write it in your "
                         "own words. Later, Keel puts this beside your newer views.")
        self.text_edit = QPlainTextEdit(objectName="onboardingBaseline")
        self.text_edit.setAccessibleName("Baseline statement")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(
            "For example: I think there is a real chance that advanced AI goes badly, mostly "
            "because… What would change my mind is…")
        self.worry_slider = QSlider(Qt.Orientation.Horizontal, objectName="onboardingWorry")
        self.worry_slider.setRange(0, 10)
        self.worry_slider.setValue(5)
        self.worry_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.worry_slider.setTickInterval(1)
        self.worry_slider.setPageStep(1)
        self.worry_slider.setAccessibleName("Worry about AI risk, 0 to 10")
        self.worry_value = QLabel("5 / 10", objectName="worryValue")
        worry_label = QLabel("How &worried are you about AI risk right now?")
        worry_label.setBuddy(self.worry_slider)
        ends = QHBoxLayout()
        ends.addWidget(_muted("0 — not at all"))
        ends.addStretch(1)
        ends.addWidget(_muted("10 — extremely"))
        slider_row = QHBoxLayout()
        slider_row.addWidget(self.worry_slider, 1)
        slider_row.addWidget(self.worry_value)
        statement_label = QLabel("&Statement (required):")
        statement_label.setBuddy(self.text_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(statement_label)
        layout.addWidget(self.text_edit, 1)
        layout.addSpacing(6)
        layout.addWidget(worry_label)
        layout.addLayout(slider_row)
        layout.addLayout(ends)
        self.text_edit.textChanged.connect(self._on_text_edit_changed)
        self.worry_slider.valueChanged.connect(self._on_worry_slider_changed)

    @Slot()
    def _on_text_edit_changed(self) -> None:
        self.completeChanged.emit()
        self.edited.emit()

    @Slot(int)
    def _on_worry_slider_changed(self, value: int) -> None:
        self.worry_value.setText(f"{value} / 10")
        self.edited.emit()

    def isComplete(self) -> bool:
        return bool(self.text_edit.toPlainText().strip())

    def values(self) -> dict[str, Any]:
        return {"baseline": self.text_edit.toPlainText(), "worry": self.worry_slider.value()}

    def load(self, values: dict[str, Any]) -> None:
        if "baseline" in values:
            self.text_edit.setPlainText(values["baseline"])
        if isinstance(values.get("worry"), int):
            self.worry_slider.setValue(values["worry"])


class TripwiresPage(DraftPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Tripwires")
        self.setSubTitle("What would make you leave, or speak up? Decide now, while it is "
                         "calm; Keel will ask whether any has been crossed. You can leave this "
                         "empty and add some later.")
        self.model = QStringListModel(self)
        self.list_view = QListView(objectName="tripwireList")
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Your tripwires")
        self.list_view.setWordWrap(True)
        self.list_view.setItemDelegate(WrappingDelegate(self.list_view))
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                       | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.line_edit = QLineEdit(objectName="tripwireLine")
        self.line_edit.setPlaceholderText(f"e.g. {TRIPWIRE_SUGGESTIONS[0]}")
        self.line_edit.setAccessibleName("New tripwire")
        self.add_button = QPushButton("&Add", objectName="addTripwire")
        self.remove_button = QPushButton("&Remove", objectName="removeTripwire")
        add_row = QHBoxLayout()
        add_row.addWidget(self.line_edit, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        self.suggestion_buttons: list[QPushButton] = []
        suggestions = QVBoxLayout()
        suggestions.setSpacing(2)
        for text in TRIPWIRE_SUGGESTIONS:
            button = QPushButton(f"+  {text}", objectName="tripwireSuggestion")
            button.setFlat(True)
            button.setAccessibleName(f"Add suggestion: {text}")
            button.clicked.connect(lambda _c=False, t=text: self.add_line(t))
            self.suggestion_buttons.append(button)
            suggestions.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addLayout(add_row)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(_muted("Suggestions — click to add, then edit to fit your case:"))
        layout.addLayout(suggestions)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.line_edit.returnPressed.connect(self._on_add_button_clicked)
        # Return in the field adds the line; it must not also reach the wizard's Next.
        self.line_edit.installEventFilter(self)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.model.dataChanged.connect(lambda *_a: self.edited.emit())
        self.model.rowsRemoved.connect(lambda *_a: self.edited.emit())
        self.line_edit.textEdited.connect(lambda _t: self.edited.emit())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.line_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.line_edit.text().strip()):
            self._on_add_button_clicked()
            return True  # consumed: the wizard's default button does not see it
        return super().eventFilter(watched, event)

    def add_line(self, text: str) -> None:
        """Append one tripwire line (blank lines and duplicates are ignored)."""
        text = text.strip()
        if not text or text in self.lines():
            return
        row = self.model.rowCount()
        self.model.insertRows(row, 1)
        self.model.setData(self.model.index(row), text)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.add_line(self.line_edit.text())
        self.line_edit.clear()
        self.line_edit.setFocus()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        index = self.list_view.currentIndex()
        if index.isValid():
            self.model.removeRows(index.row(), 1)

    def lines(self) -> list[str]:
        """The tripwires on the list, blank lines dropped."""
        return [x.strip() for x in self.model.stringList() if x.strip()]

    def values(self) -> dict[str, Any]:
        return {"tripwires": self.lines(), "tripwire_typing": self.line_edit.text()}

    def load(self, values: dict[str, Any]) -> None:
        if isinstance(values.get("tripwires"), list):
            self.model.setStringList([str(x) for x in values["tripwires"]])
        self.line_edit.setText(values.get("tripwire_typing", ""))

    def validatePage(self) -> bool:
        if self.line_edit.text().strip():  # typed but not added: keep it, do not lose it
            self._on_add_button_clicked()
        return True


class SnapshotPage(DraftPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Financial snapshot (optional)")
        self.setSubTitle("Money can quietly make a move to safer work hard. A rough snapshot "
                         "lets Keel notice when your runway gets short or a large vest is "
                         "near. Leave everything empty to skip.")
        self.savings_edit = QLineEdit(objectName="snapshotSavings")
        self.spending_edit = QLineEdit(objectName="snapshotSpending")
        self.equity_edit = QLineEdit(objectName="snapshotEquity")
        for edit, hint in ((self.savings_edit, "e.g. 25000"), (self.spending_edit, "e.g. 3200"),
                           (self.equity_edit, "e.g. 120000")):
            edit.setPlaceholderText(hint)
            edit.textEdited.connect(lambda _t: self._changed())
        self.currency_combo = QComboBox(objectName="snapshotCurrency")
        self.currency_combo.setEditable(True)
        self.currency_combo.setAccessibleName("Currency")
        self.currency_combo.addItems(CURRENCIES)
        self.currency_combo.currentTextChanged.connect(lambda _t: self._changed())
        self.vest_date = OptionalDateEdit("Next vest or cliff date")
        self.vest_date.setObjectName("snapshotVestDate")
        self.vest_date.edited.connect(self._changed)
        self.error_label = QLabel(objectName="wizardError", wordWrap=True)
        self.error_label.hide()
        form = QFormLayout()
        form.addRow("Liquid &savings:", self.savings_edit)
        form.addRow("&Monthly spending:", self.spending_edit)
        form.addRow("&Unvested equity:", self.equity_edit)
        currency_row = QHBoxLayout()
        currency_row.addWidget(self.currency_combo)
        currency_row.addStretch(1)
        currency_label = QLabel("&Currency:")  # a row holding a layout has no buddy of its own
        currency_label.setBuddy(self.currency_combo)
        form.addRow(currency_label, currency_row)
        vest_label = QLabel("Next &vest or cliff:")
        vest_label.setBuddy(self.vest_date.edit)
        form.addRow(vest_label, self.vest_date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(_muted("These numbers stay on this computer like everything else."))

    def _changed(self) -> None:
        self.error_label.hide()
        self.edited.emit()

    def amounts(self) -> dict[str, float | None]:
        """The three amounts (None when blank); raises ValueError naming a bad field."""
        found: dict[str, float | None] = {}
        for key, edit, what in (("liquid_savings", self.savings_edit, "savings"),
                                ("monthly_spending", self.spending_edit, "monthly spending"),
                                ("unvested_equity", self.equity_edit, "unvested equity")):
            text = edit.text().strip().replace(",", "").replace(" ", "")
            if not text:
                found[key] = None
                continue
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"The {what} must be a number, like 25000.") from None
            if value < 0:
                raise ValueError(f"The {what} cannot be negative.")
            found[key] = value
        return found

    def snapshot(self) -> dict[str, Any] | None:
        """The snapshot to store, or None when the page was skipped."""
        amounts = self.amounts()
        vest = self.vest_date.date()
        if all(v is None for v in amounts.values()) and vest is None:
            return None
        currency = self.currency_combo.currentText().strip().upper() or "USD"
        return {**amounts, "next_vest_date": vest, "currency": currency}

    def validatePage(self) -> bool:
        try:
            self.amounts()
            if not self.vest_date.is_valid():
                raise ValueError("The next vest date should be a date such as 1 Mar 2027 "
                                 "(or leave it empty).")
        except ValueError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return False
        return True

    def values(self) -> dict[str, Any]:
        return {
            "savings": self.savings_edit.text(), "spending": self.spending_edit.text(),
            "equity": self.equity_edit.text(), "currency": self.currency_combo.currentText(),
            "vest": self.vest_date.edit.text(),
        }

    def load(self, values: dict[str, Any]) -> None:
        self.savings_edit.setText(values.get("savings", ""))
        self.spending_edit.setText(values.get("spending", ""))
        self.equity_edit.setText(values.get("equity", ""))
        if values.get("currency"):
            self.currency_combo.setCurrentText(values["currency"])
        if values.get("vest"):
            self.vest_date.set_text(str(values["vest"]))


class RhythmPage(DraftPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your rhythm")
        self.setSubTitle("How often should Keel ask? A check-in takes five to ten minutes. "
                         "Some questions come round less often than your rhythm.")
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        grid = QVBoxLayout()
        grid.setSpacing(2)
        for rhythm in RHYTHMS:
            label, help_text = RHYTHM_HELP[rhythm]
            button = QRadioButton(label, objectName=f"rhythm_{rhythm}")
            self.group.addButton(button)
            self.buttons[rhythm] = button
            help_label = _muted(help_text)
            help_label.setIndent(26)
            grid.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(help_label)
            grid.addSpacing(12)
        self.buttons["weekly"].setChecked(True)
        self.weekday_combo = QComboBox(objectName="onboardingWeekday")
        self.weekday_combo.addItems(WEEKDAYS)
        day_label = QLabel("Preferred &day:")
        day_label.setBuddy(self.weekday_combo)
        day_row = QHBoxLayout()
        day_row.addWidget(day_label)
        day_row.addWidget(self.weekday_combo)
        day_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addSpacing(10)
        layout.addLayout(day_row)
        layout.addStretch(1)
        layout.addWidget(_muted("Press Finish to save. You can change all of this in Settings."))
        self.group.buttonToggled.connect(lambda *_a: self.edited.emit())
        self.weekday_combo.currentIndexChanged.connect(lambda _i: self.edited.emit())

    def rhythm(self) -> str:
        """The chosen rhythm id."""
        return next((k for k, b in self.buttons.items() if b.isChecked()), "weekly")

    def values(self) -> dict[str, Any]:
        return {"rhythm": self.rhythm(), "weekday": self.weekday_combo.currentIndex()}

    def load(self, values: dict[str, Any]) -> None:
        button = self.buttons.get(values.get("rhythm") or "")
        if button is not None:
            button.setChecked(True)
        if isinstance(values.get("weekday"), int) and 0 <= values["weekday"] <= 6:
            self.weekday_combo.setCurrentIndex(values["weekday"])
