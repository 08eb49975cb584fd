"""Two to four options side by side: fields, assessment answers and panel items, row by row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.assessment import AssessmentQuestion
from desktop.core.compare import compare
from desktop.core.records import AssessmentAnswer, JobOption
from desktop.ui.models.compare_table_model import CompareTableModel
from desktop.ui.widgets.roomy_delegate import RoomyDelegate
from desktop.ui.widgets.wrapping_header import WrappingHeader

LABEL_CHARS = (24, 44)
"""The label column's width in average characters: at least, and at most."""


class CompareDialog(QDialog):
    """The comparison table with an "only differences" switch."""

    def __init__(self, parent: QWidget | None, options: Sequence[JobOption],
                 answers: Mapping[int, Mapping[str, AssessmentAnswer]],
                 questions: Sequence[AssessmentQuestion]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare options")
        self.setObjectName("compareDialog")
        self.rows = compare(options, answers, questions)
        self.model = CompareTableModel(self)
        self.model.set_comparison(
            [f"{o.organisation}\n{o.role}" if o.role else o.organisation for o in options],
            self.rows)

        title = QLabel(f"Comparing {len(options)} options", objectName="pageTitle")
        differing = sum(1 for r in self.rows if r.differs)
        subtitle = QLabel(
            f"{differing} of {len(self.rows)} rows differ; they are tinted. Panel rows show "
            "which experts' considerations fit each option — considerations, not scores.",
            objectName="pageSubtitle", wordWrap=True)
        self.only_differences = QCheckBox("Show only rows that &differ")
        self.only_differences.setAccessibleName("Show only rows that differ")

        self.view = QTableView(objectName="compareTable")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Comparison of options")
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(False)
        self.view.setShowGrid(True)
        self.view.setItemDelegate(RoomyDelegate(self.view))
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setVerticalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        # Organisation and role wrap in a narrow window instead of being cut mid-word.
        header = WrappingHeader(self.view)
        self.view.setHorizontalHeader(header)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._label_width_set = False
        for row in range(self.model.rowCount()):
            if self.model.is_section(row):
                self.view.setSpan(row, 0, 1, self.model.columnCount())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(subtitle, 1)
        top.addWidget(self.only_differences)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.only_differences.toggled.connect(self._on_only_differences_toggled)
        header.sectionResized.connect(lambda *_: self.view.resizeRowsToContents())
        self.resize(1180, 720)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def] # noqa: N802
        super().showEvent(event)
        if not self._label_width_set:  # once: afterwards the user's drag decides
            self._label_width_set = True
            char = self.fontMetrics().averageCharWidth()
            least, most = (char * n for n in LABEL_CHARS)
            self.view.setColumnWidth(0, max(least, min(most, self.view.viewport().width() // 4)))
        self.view.resizeRowsToContents()

    @Slot(bool)
    def _on_only_differences_toggled(self, only: bool) -> None:
        for row in range(self.model.rowCount()):
            line_differs = bool(self.model.data(self.model.index(row, 0),
                                                Qt.ItemDataRole.UserRole + 2))
            hidden = only and not self.model.is_section(row) and not line_differs
            self.view.setRowHidden(row, hidden)
        self.view.resizeRowsToContents()

    @classmethod
    def ask(cls, parent: QWidget | None, options: Sequence[JobOption],
            answers: Mapping[int, Mapping[str, AssessmentAnswer]],
            questions: Sequence[AssessmentQuestion]) -> None:
        """Show the comparison until the user closes it."""
        dialog = cls(parent, options, answers, questions)
        if parent is not None:
            window = parent.window()
            dialog.resize(min(1180, max(640, window.width() - 60)),
                          min(760, max(480, window.height() - 40)))
        dialog.exec()
