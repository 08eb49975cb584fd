"""The Journal's month calendar: days with entries are marked; a click on a day asks the
page to show that day's entries. Year and month navigation are the calendar's own (the
arrows, and the month and year in its title); the marks follow the month shown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QDate, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPalette, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QToolButton, QWidget


class JournalCalendar(QCalendarWidget):
    """A month at a time; :meth:`set_entry_days` says which days hold entries."""

    day_chosen = Signal(object)
    """The user clicked or activated a day (a ``datetime.date``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journalCalendar")
        self.setAccessibleName("Calendar of entries: marked days hold entries")
        self.setToolTip("Days in bold hold entries; click one to show them")
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        # Arrows as text, so they take the palette's colour (the stock icons stay dark
        # on a dark palette).
        for name, text, tip in (("qt_calendar_prevmonth", "‹", "Previous month"),
                                ("qt_calendar_nextmonth", "›", "Next month")):
            button = self.findChild(QToolButton, name)
            if button is not None:
                button.setIcon(QIcon())
                button.setText(text)
                button.setToolTip(tip)
                button.setAccessibleName(tip)
        self._months: Mapping[tuple[int, int], Mapping[date, int]] = {}
        self._marked: list[QDate] = []
        self.currentPageChanged.connect(self._on_current_page_changed)
        self.clicked.connect(self._on_day)
        self.activated.connect(self._on_day)

    def set_entry_days(self, by_month: Mapping[tuple[int, int], Mapping[date, int]]) -> None:
        """Mark the days that hold entries in the month shown. *by_month*: (year, month)
        → day → number of entries (grouped by the caller's worker: a 100-year journal has
        36,500 days, and marking a month looks at three months)."""
        self._months = by_month
        self._mark()

    def entries_on(self, day: date) -> int:
        return self._months.get((day.year, day.month), {}).get(day, 0)

    def marked_days(self) -> list[date]:
        """The days marked in the month shown (for tests and accessibility)."""
        return [date(d.year(), d.month(), d.day()) for d in self._marked]

    def show_day(self, day: date) -> None:
        """Turn to ``day``'s month and select it (without choosing it)."""
        self.setSelectedDate(QDate(day.year, day.month, day.day))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # Light/Dark switched: re-tint
            self._mark()

    def _mark(self) -> None:
        weekend = QTextCharFormat()  # weekends in the text colour, not Qt's red
        weekend.setForeground(QBrush(self.palette().color(QPalette.ColorRole.Text)))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(day, weekend)
        plain = QTextCharFormat()
        for day in self._marked:
            self.setDateTextFormat(day, plain)
        self._marked = []
        year, month = self.yearShown(), self.monthShown()
        tint = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        tint.setAlpha(60)
        marked = QTextCharFormat()
        marked.setFontWeight(QFont.Weight.Bold)
        marked.setBackground(QBrush(tint))
        marked.setForeground(QBrush(self.palette().color(QPalette.ColorRole.Text)))
        # The six weeks shown include a few days of the months either side.
        for y, m in ((year - (month == 1), (month - 2) % 12 + 1), (year, month),
                     (year + (month == 12), month % 12 + 1)):
            for day, count in self._months.get((y, m), {}).items():
                if count:
                    qday = QDate(day.year, day.month, day.day)
                    self.setDateTextFormat(qday, marked)
                    self._marked.append(qday)

    @Slot(int, int)
    def _on_current_page_changed(self, _year: int, _month: int) -> None:
        self._mark()

    @Slot(QDate)
    def _on_day(self, value: QDate) -> None:
        self.day_chosen.emit(date(value.year(), value.month(), value.day()))
