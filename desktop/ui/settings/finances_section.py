"""Settings: Finances — the history of financial snapshots (add, correct, delete).

Runway is one figure across Keel (``desktop.core.finance.lock_in``): the newest of the
latest snapshot's savings ÷ spending and the check-in's runway answer. Flags, Options
and Trends all use it; this section is where the snapshot behind it lives.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.records import FinancialSnapshot
from desktop.ui.settings.base import SettingsSection
from desktop.ui.widgets.option_editor import CURRENCIES, money_text, parse_money
from desktop.ui.widgets.wrapping_header import WrappingHeader

log = logging.getLogger(__name__)
COLUMNS = ("Date", "Savings", "Spending / month", "Runway", "Unvested equity", "Currency")


class FinancesSection(SettingsSection):
    title = "Finances"
    subtitle = ("Rough figures are enough. The runway Keel shows everywhere is the newest of "
                "these snapshots and your check-in's runway answer.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.snapshots: list[FinancialSnapshot] = []
        self.table = QTableWidget(0, len(COLUMNS), objectName="snapshotTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Financial snapshots, newest first")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # The columns share the width and their titles wrap ("Unvested / equity"), so a
        # 900 px window shows every column without scrolling sideways.
        self.table.setHorizontalHeader(WrappingHeader(self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.empty_label = QLabel("No snapshots yet. Add the first one below.",
                                  objectName="mutedLabel")
        self.savings_edit = QLineEdit(objectName="financeSavings", placeholderText="e.g. 25,000")
        self.spending_edit = QLineEdit(objectName="financeSpending", placeholderText="e.g. 3,200")
        self.equity_edit = QLineEdit(objectName="financeEquity", placeholderText="e.g. 120,000")
        self.currency_combo = QComboBox(objectName="financeCurrency")
        self.currency_combo.setEditable(True)
        self.currency_combo.addItems(CURRENCIES)
        for edit, name in ((self.savings_edit, "Liquid savings"),
                           (self.spending_edit, "Monthly spending"),
                           (self.equity_edit, "Unvested equity")):
            edit.setAccessibleName(name)
        self.currency_combo.setAccessibleName("Currency")
        form = QFormLayout()
        form.addRow("Liquid &savings", self.savings_edit)
        form.addRow("&Monthly spending", self.spending_edit)
        form.addRow("&Unvested equity", self.equity_edit)
        form.addRow("C&urrency", self.currency_combo)
        self.add_button = QPushButton("&Add snapshot", objectName="addSnapshot")
        self.save_button = QPushButton("Save &changes to the selected one",
                                       objectName="saveSnapshot")
        self.save_button.setEnabled(False)
        self.delete_button = QPushButton("&Delete the selected one…", objectName="deleteSnapshot")
        self.delete_button.setToolTip("Remove a snapshot entered by mistake (asks first)")
        self.delete_button.setEnabled(False)
        self.error_label = QLabel(objectName="wizardError", wordWrap=True)
        self.error_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)
        self.body.addLayout(form)
        self.body.addWidget(self.error_label)
        self.body.addLayout(buttons)
        self.add_button.clicked.connect(self.add_snapshot)
        self.save_button.clicked.connect(self.save_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)

    def journal_opened(self) -> None:
        self.reload()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if changed & Change.FINANCES:
            self.reload()

    def reload(self) -> None:
        from db.profile_history import snapshots

        if self.context.db is None:
            return
        self.snapshots = list(reversed(snapshots(self.context.db)))
        self.table.setRowCount(len(self.snapshots))
        for row, snap in enumerate(self.snapshots):
            from desktop.core.finance import snapshot_runway

            runway = snapshot_runway(snap)
            local = snap.taken_at.astimezone(self.context.tz)
            cells = (f"{local.day} {local:%b %Y}", money_text(snap.liquid_savings),
                     money_text(snap.monthly_spending),
                     f"{runway:.1f} months" if runway is not None else "—",
                     money_text(snap.unvested_equity), snap.currency)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text or "—"))
        self.table.setVisible(bool(self.snapshots))
        self.empty_label.setVisible(not self.snapshots)

    def _figures(self) -> tuple[float | None, float | None, float | None] | None:
        try:
            values = []
            for edit, what in ((self.savings_edit, "savings"),
                               (self.spending_edit, "monthly spending"),
                               (self.equity_edit, "unvested equity")):
                try:
                    values.append(parse_money(edit.text()))
                except ValueError:
                    raise ValueError(what) from None
        except ValueError as exc:
            self._say(f"The {exc} should be a plain amount, like 25,000.")
            return None
        if values[0] is None and values[1] is None and values[2] is None:
            self._say("Type at least one figure.")
            return None
        self.error_label.hide()
        return values[0], values[1], values[2]

    def _say(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    @Slot()
    def add_snapshot(self) -> None:
        from db.profile_history import add_snapshot

        figures = self._figures()
        if figures is None:
            return
        add_snapshot(self.context.db, *figures, None, self.currency_combo.currentText(),
                     when=self.context.now())
        self._saved("Financial snapshot added")

    @Slot()
    def save_selected(self) -> None:
        from db.profile_history import update_snapshot

        row = self.table.currentRow()
        figures = self._figures()
        if figures is None or not (0 <= row < len(self.snapshots)):
            return
        update_snapshot(self.context.db, self.snapshots[row].id, *figures,
                        self.currency_combo.currentText())
        self._saved("Financial snapshot corrected")

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected snapshot after asking; the runway everywhere follows."""
        from db.profile_history import delete_snapshot
        from desktop.ui.errors import show_error
        from desktop.ui.widgets.confirm import Confirm

        row = self.table.currentRow()
        if not (0 <= row < len(self.snapshots)) or not self.table.selectedItems():
            return
        snap = self.snapshots[row]
        local = snap.taken_at.astimezone(self.context.tz)
        if not Confirm.ask(self, "Delete snapshot",
                           f"Delete the financial snapshot of {local.day} {local:%B %Y}? "
                           "The runway Keel shows will come from the snapshot before it "
                           "(or your check-in's runway answer). This cannot be undone.",
                           confirm="Delete", destructive=True):
            return
        try:
            delete_snapshot(self.context.db, snap.id)
        except Exception as exc:  # noqa: BLE001 - one line to the user, nothing lost
            log.warning("deleting a snapshot failed: %s", type(exc).__name__)
            show_error(self, "Could not delete the snapshot", exc)
            return
        self._saved(f"Financial snapshot of {local.day} {local:%b %Y} deleted")

    def _saved(self, message: str) -> None:
        self.reload()
        for edit in (self.savings_edit, self.spending_edit, self.equity_edit):
            edit.clear()
        self.table.clearSelection()
        self.save_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        self.status_message.emit(message)
        self.data_changed.emit(Change.FINANCES)

    @Slot()
    def _on_selection_changed(self) -> None:
        row = self.table.currentRow()
        chosen = 0 <= row < len(self.snapshots) and bool(self.table.selectedItems())
        self.save_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        if chosen:
            snap = self.snapshots[row]
            self.savings_edit.setText(money_text(snap.liquid_savings))
            self.spending_edit.setText(money_text(snap.monthly_spending))
            self.equity_edit.setText(money_text(snap.unvested_equity))
            self.currency_combo.setCurrentText(snap.currency)
