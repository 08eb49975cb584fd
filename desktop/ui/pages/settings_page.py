"""The Settings page: a list of sections on the left, the sections as cards on the right.

Sections come from :data:`desktop.ui.settings.SECTIONS`; each stores its changes at once.
"""

from __future__ import annotations

import logging
from importlib import import_module

from PySide6.QtCore import QModelIndex, QStringListModel, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.ui.pages.base import Page
from desktop.ui.settings import SECTIONS
from desktop.ui.settings.base import SettingsSection
from desktop.ui.widgets.roomy_delegate import RoomyDelegate

log = logging.getLogger(__name__)

NARROW_WIDTH = 820
"""Below this page width the section list is hidden so the sections keep their room."""

ONBOARDING_WRITES = (Change.PROFILE | Change.BASELINE | Change.TRIPWIRES | Change.PROMPTS
                     | Change.FINANCES)
"""What running onboarding again may store."""


class SettingsPage(Page):
    title = "Settings"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.sections: list[SettingsSection] = []
        for module, name in SECTIONS:
            try:
                section = getattr(import_module(module), name)(context)
            except Exception:  # one broken section must not take the page down
                log.exception("settings section %s.%s failed to build", module, name)
                continue
            section.status_message.connect(self.status_message)
            section.data_changed.connect(self._on_section_data_changed)
            section.run_onboarding.connect(self.run_onboarding)
            self.sections.append(section)

        self.index_model = QStringListModel([s.title for s in self.sections], self)
        self.index_view = QListView(objectName="settingsIndex")
        self.index_view.setModel(self.index_model)
        self.index_view.setAccessibleName("Settings sections")
        self.index_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.index_view.setItemDelegate(RoomyDelegate(self.index_view))
        self.index_view.setSpacing(1)
        width = max((self.fontMetrics().horizontalAdvance(s.title) for s in self.sections),
                    default=120)
        self.index_view.setFixedWidth(width + 36)

        title = QLabel("Settings", objectName="pageTitle")
        subtitle = QLabel("Everything is saved as you change it.", objectName="pageSubtitle")
        content = QWidget(objectName="settingsContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 12, 12)
        column.setSpacing(14)
        column.addWidget(title)
        column.addWidget(subtitle)
        for section in self.sections:
            column.addWidget(section)
        column.addStretch(1)
        self.scroll = QScrollArea(objectName="settingsScroll")
        self.scroll.setWidget(content)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 4, 0)
        layout.setSpacing(16)
        index_column = QVBoxLayout()
        index_column.setContentsMargins(0, 44, 0, 12)
        index_column.addWidget(self.index_view)
        layout.addLayout(index_column)
        layout.addWidget(self.scroll, 1)
        self.index_view.clicked.connect(self._on_index_view_clicked)
        self.index_view.activated.connect(self._on_index_view_clicked)
        self.scroll.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        self._follow_scroll()  # the first section, before any scrolling

    def resizeEvent(self, event: QResizeEvent) -> None:
        # On a small screen the sections get the whole width; the list comes back when wide.
        self.index_view.setVisible(event.size().width() >= NARROW_WIDTH)
        super().resizeEvent(event)

    def section(self, cls_name: str) -> SettingsSection | None:
        """The section of this class name, if it was built."""
        return next((s for s in self.sections if type(s).__name__ == cls_name), None)

    def journal_opened(self) -> None:
        for section in self.sections:
            try:
                section.journal_opened()
            except Exception:  # noqa: BLE001 - keep loading the other sections
                log.exception("settings section %s failed to load", type(section).__name__)

    def refresh(self, changed: Change = EVERYTHING) -> None:
        for section in self.sections:
            try:
                section.refresh(changed)
            except Exception:  # noqa: BLE001
                log.exception("settings section %s failed to refresh", type(section).__name__)

    def flush(self) -> None:
        for section in self.sections:
            section.flush()

    def scroll_to(self, row: int) -> None:
        """Bring section ``row`` to the top of the page."""
        if 0 <= row < len(self.sections):
            self.scroll.verticalScrollBar().setValue(self.sections[row].y())

    def section_in_view(self) -> int:
        """The row of the section the reader is at: the last one whose top has scrolled
        to the top third of the page, or the last section once the page is at its end."""
        bar = self.scroll.verticalScrollBar()
        if not self.sections:
            return -1
        if bar.maximum() > 0 and bar.value() >= bar.maximum():
            return len(self.sections) - 1
        line = bar.value() + self.scroll.viewport().height() // 3
        row = 0
        for i, section in enumerate(self.sections):
            if section.y() <= line:
                row = i
        return row

    @Slot()
    def _follow_scroll(self) -> None:
        """Keep the index's highlight on the section in view as the page scrolls."""
        row = self.section_in_view()
        if row >= 0 and row != self.index_view.currentIndex().row():
            self.index_view.setCurrentIndex(self.index_model.index(row))

    @Slot(QModelIndex)
    def _on_index_view_clicked(self, index: QModelIndex) -> None:
        self.scroll_to(index.row())
        # Near the end the page cannot bring the section to the top: keep the choice.
        self.index_view.setCurrentIndex(index)

    @Slot(object)
    def _on_section_data_changed(self, changed: Change) -> None:
        sender = self.sender()
        for section in self.sections:
            if section is not sender:
                section.refresh(changed)
        self.data_changed.emit(changed)

    @Slot()
    def run_onboarding(self) -> None:
        """Run the onboarding wizard again; on success every section reloads."""
        from desktop.ui.dialogs.onboarding_wizard import OnboardingWizard

        self.flush()
        if OnboardingWizard.ask(self.window(), self.context):
            self.refresh(ONBOARDING_WRITES)
            self.data_changed.emit(ONBOARDING_WRITES)
            self.status_message.emit("Onboarding saved")
