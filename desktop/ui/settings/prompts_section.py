"""Settings: the prompt library by theme — switch prompts on or off, change their cadence."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.ui.errors import show_error
from desktop.ui.models.prompt_settings_model import (
    CADENCE_COLUMN,
    EXPERTS_COLUMN,
    QUESTION_COLUMN,
    PromptSettingsModel,
)
from desktop.ui.settings.base import SettingsSection
from desktop.ui.settings.cadence_delegate import CadenceDelegate

log = logging.getLogger(__name__)


class PromptsSection(SettingsSection):
    title = "Prompts"
    subtitle = ("The questions Keel asks, grouped by the experts' concerns. Untick one to stop "
                "being asked; double-click a cadence to ask it more or less often.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = PromptSettingsModel(self._store_enabled, self._store_cadence, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(QUESTION_COLUMN)

        self.filter_edit = QLineEdit(objectName="promptFilter")
        self.filter_edit.setPlaceholderText("Filter prompts or themes")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter prompts")
        self.expand_button = QPushButton("Expand all")
        self.collapse_button = QPushButton("Collapse all")
        self.view = QTreeView(objectName="promptTree")
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Prompts by theme")
        self.view.setItemDelegateForColumn(CADENCE_COLUMN, CadenceDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setMinimumHeight(340)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QUESTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Sized to the rows on screen after each load (ResizeToContents would measure all
        # ~270 rows on every layout: a 0.3–1 s stall the first time Settings is shown).
        header.setSectionResizeMode(CADENCE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EXPERTS_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.count_label = QLabel(objectName="mutedLabel")

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.expand_button)
        top.addWidget(self.collapse_button)
        self.body.addLayout(top)
        self.body.addWidget(self.view, 1)
        self.body.addWidget(self.count_label)

        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.expand_button.clicked.connect(self.view.expandAll)
        self.collapse_button.clicked.connect(self.view.collapseAll)
        self.model.write_failed.connect(self._on_model_write_failed)
        self.model.dataChanged.connect(lambda *_a: self._update_count())
        self.setEnabled(False)

    def journal_opened(self) -> None:
        self.setEnabled(True)
        self.load()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if changed & (Change.PROMPTS | Change.OWN_PROMPTS):
            self.load()

    def load(self) -> None:
        """Read the library, the user's own prompts and their settings."""
        from db.prompts_state import get_states
        from desktop.due_now import all_prompts

        prompts, _problems = all_prompts(self.context.db)
        if self.model.set_prompts(prompts, get_states(self.context.db), self.context.now()):
            self.view.expandAll()  # open every theme (rebuilt) and fit the columns again
            for column in (CADENCE_COLUMN, EXPERTS_COLUMN):
                self.view.resizeColumnToContents(column)
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.prompt_count()
        on = sum(1 for g in self.model.groups for r in g.rows if r.state.enabled)
        self.count_label.setText(f"{on} of {total} prompts switched on")

    def _store_enabled(self, prompt_id: str, enabled: bool) -> None:
        from db.prompts_state import set_enabled

        set_enabled(self.context.db, prompt_id, enabled)
        self.status_message.emit("Prompt switched " + ("on" if enabled else "off"))
        self.data_changed.emit(Change.PROMPTS)

    def _store_cadence(self, prompt_id: str, cadence: str | None) -> None:
        from db.prompts_state import set_cadence_override

        set_cadence_override(self.context.db, prompt_id, cadence)
        self.status_message.emit("Cadence saved")
        self.data_changed.emit(Change.PROMPTS)

    @Slot(str)
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()

    @Slot(str)
    def _on_model_write_failed(self, message: str) -> None:
        log.warning("prompt setting not saved")
        show_error(self, "Could not save that setting", message)
