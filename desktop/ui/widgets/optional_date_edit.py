"""A date field that can also say "no date": a check box switches the date on or off."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget


class OptionalDateEdit(QWidget):
    """``date()`` is None until the check box is ticked; then it is the chosen day."""

    edited = Signal()
    """The user ticked, unticked or changed the date."""

    def __init__(self, name: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        self.check.setAccessibleName(f"{name}: set a date")
        self.check.setToolTip(f"Tick to give a {name.lower()}")
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setAccessibleName(name)
        self.edit.setSpecialValueText("No date")
        self._default = default
        self.edit.setMinimumDate(QDate(1999, 12, 31))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.set_date(None)
        self.check.toggled.connect(self._on_check_toggled)
        self.edit.dateChanged.connect(self._on_edit_date_changed)
        self.setFocusProxy(self.check)

    def date(self) -> date | None:
        """The chosen day, or None for "no date"."""
        if not self.check.isChecked() or self.edit.date() == self.edit.minimumDate():
            return None
        value = self.edit.date()
        return date(value.year(), value.month(), value.day())

    def set_date(self, value: date | None) -> None:
        """Show ``value``; None shows "No date"."""
        self.check.blockSignals(True)
        self.edit.blockSignals(True)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        if value is None:
            self.edit.setDate(self.edit.minimumDate())
        else:
            self.edit.setDate(QDate(value.year, value.month, value.day))
        self.check.blockSignals(False)
        self.edit.blockSignals(False)

    @Slot(bool)
    def _on_check_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        if checked and self.edit.date() == self.edit.minimumDate():
            d = self._default
            self.edit.blockSignals(True)
            self.edit.setDate(QDate(d.year, d.month, d.day))
            self.edit.blockSignals(False)
        elif not checked:
            self.edit.blockSignals(True)
            self.edit.setDate(self.edit.minimumDate())
            self.edit.blockSignals(False)
        self.edited.emit()

    @Slot(QDate)
    def _on_edit_date_changed(self, _value: QDate) -> None:
        self.edited.emit()
