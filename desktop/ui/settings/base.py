"""What every section of the Settings page offers the page that hosts it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change


class SettingsSection(QFrame):
    """A titled card on the Settings page. Subclasses put their widgets in ``self.body``."""

    title = "Section"
    subtitle = ""

    status_message = Signal(str)
    """A short message for the window's status bar."""
    data_changed = Signal(object)
    """This section saved something other pages show (argument: a :class:`Change`)."""
    run_onboarding = Signal()
    """The user asked to run onboarding again."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("card")
        self.setAccessibleName(self.title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 16)
        outer.setSpacing(8)
        heading = QLabel(self.title, objectName="sectionTitle")
        outer.addWidget(heading)
        if self.subtitle:
            sub = QLabel(self.subtitle, objectName="mutedLabel", wordWrap=True)
            outer.addWidget(sub)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        outer.addLayout(self.body)

    def journal_opened(self) -> None:
        """The database is open: load what the section shows."""

    def refresh(self, changed: Change = EVERYTHING) -> None:
        """Another page changed data; reload if it matters here."""

    def flush(self) -> None:
        """Save any draft now."""
