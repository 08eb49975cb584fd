"""A date field that starts empty: "no date" until the user types or picks one.

A line edit (placeholder "No date", a clear button) beside a calendar button. Nothing
is filled in for the user: opening the calendar shows the current month (or the date
already set) but only a click on a day sets the field. Typed dates are read in the
forms people write (``2027-03-01``, ``1 Mar 2027``, ``1 March 2027``, ``1/3/2027``
day first); anything else keeps the text and :meth:`OptionalDateEdit.is_valid` says so,
so the form can name the problem inline instead of dropping what was typed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

DISPLAY_FORMAT = "d MMM yyyy"
_FORMATS = ("yyyy-MM-dd", "d MMM yyyy", "d MMMM yyyy", "d/M/yyyy", "d.M.yyyy", "d-M-yyyy",
            "MMM d yyyy", "MMMM d yyyy", "d MMM yy")


def parse_day(text: str) -> date | None:
    """``"1 Mar 2027"`` → date(2027, 3, 1); ``""`` or nonsense → None."""
    cleaned = " ".join(text.replace(",", " ").split())
    if not cleaned:
        return None
    from PySide6.QtCore import QLocale

    locale = QLocale(QLocale.Language.English)
    for fmt in _FORMATS:
        value = locale.toDate(cleaned, fmt)
        if not value.isValid() and fmt.startswith(("d MMM", "MMM")):
            value = locale.toDate(cleaned.title(), fmt)
        if value.isValid():
            if fmt.endswith("yy") and not fmt.endswith("yyyy"):
                value = value.addYears(100) if value.year() < 1970 else value
            return date(value.year(), value.month(), value.day())
    return None


class OptionalDateEdit(QWidget):
    """``date()`` is None while the field is empty; the field never fills itself."""

    edited = Signal()
    """The user typed, cleared or picked a date."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.edit = QLineEdit(placeholderText="No date")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName(name)
        self.edit.setToolTip(f"{name}: type a date such as 1 Mar 2027, or pick one; "
                             "empty means no date")
        self.pick_button = QToolButton(objectName="pickDate")
        self.pick_button.setText("Pick…")
        self.pick_button.setAccessibleName(f"Pick the {name.lower()} on a calendar")
        self.pick_button.setToolTip(f"Pick the {name.lower()} on a calendar")
        self.calendar = QCalendarWidget(objectName="datePicker")
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self._menu = QMenu(self)
        action = QWidgetAction(self._menu)
        action.setDefaultWidget(self.calendar)
        self._menu.addAction(action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.pick_button)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.editingFinished.connect(self._on_edit_editing_finished)
        self.pick_button.clicked.connect(self.open_calendar)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)

    def date(self) -> date | None:
        """The day in the field, or None when it is empty (or not a date: see is_valid)."""
        return parse_day(self.edit.text())

    def is_valid(self) -> bool:
        """False when the field holds text that is not a date."""
        return not self.edit.text().strip() or self.date() is not None

    def set_date(self, value: date | None) -> None:
        """Show ``value``; None empties the field."""
        self.edit.setText("" if value is None else
                          QDate(value.year, value.month, value.day).toString(DISPLAY_FORMAT))

    def set_text(self, text: str) -> None:
        """Restore typed text as it was (a draft), valid or not."""
        self.edit.setText(text)

    @Slot()
    def open_calendar(self) -> None:
        """Show the calendar under the field, on the date set or the current month."""
        current = self.date()
        if current is not None:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        else:
            today = QDate.currentDate()
            self.calendar.setCurrentPage(today.year(), today.month())
        self._menu.popup(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.calendar.setFocus()

    @Slot(QDate)
    def _on_calendar_clicked(self, value: QDate) -> None:
        self._menu.hide()
        self.set_date(date(value.year(), value.month(), value.day()))
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.edited.emit()

    @Slot(str)
    def _on_edit_text_edited(self, _text: str) -> None:
        self.edited.emit()

    @Slot()
    def _on_edit_editing_finished(self) -> None:
        """Show a typed date the one way Keel writes dates (1 Mar 2027)."""
        value = self.date()
        if value is not None:
            shown = QDate(value.year, value.month, value.day).toString(DISPLAY_FORMAT)
            if shown != self.edit.text():
                self.edit.setText(shown)
