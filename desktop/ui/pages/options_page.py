"""The Options page: job options in a table, each with its details, assessment and the
experts' panel; comparison of 2–4 options; the decision journal and the lock-in summary."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.compare import MAX_OPTIONS, MIN_OPTIONS, format_money
from desktop.core.records import OPTION_STATUSES, AssessmentAnswer, Decision, JobOption
from desktop.ui.errors import show_error
from desktop.ui.models.decisions_table_model import DecisionRole, DecisionsTableModel
from desktop.ui.models.options_table_model import (
    COLUMN_OF,
    COLUMNS,
    OptionRole,
    OptionsFilterProxy,
    OptionsTableModel,
    format_day,
)
from desktop.ui.pages.base import Page
from desktop.ui.tasks import run_write
from desktop.ui.widgets.assessment_form import AssessmentForm
from desktop.ui.widgets.banner import Banner
from desktop.ui.widgets.confirm import Confirm
from desktop.ui.widgets.markdown_view import MarkdownView
from desktop.ui.widgets.option_editor import OptionEditor
from desktop.ui.widgets.panel_view import PanelView

if TYPE_CHECKING:
    from desktop.today_data import TodayView

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1000
NEW_KEY = "option:new"
TAB_DETAILS, TAB_ASSESSMENT, TAB_PANEL, TAB_DECISIONS = range(4)
LIST_COLUMNS = ("organisation", "role", "status")
"""Columns the narrow list beside the editor shows (the editor and Compare show the rest)."""


def option_draft_key(option_id: int | None) -> str:
    """``option:<id>`` or ``option:new``."""
    return NEW_KEY if option_id is None else f"option:{option_id}"


def assessment_draft_key(option_id: int) -> str:
    return f"assessment:{option_id}"


class OptionsData(NamedTuple):
    """What the page shows besides the open option, read in one go (on a worker when a
    save reads it, on the UI thread for a plain reload)."""

    options: list[JobOption]
    answers: dict[int, list[AssessmentAnswer]]
    decisions: list[Decision]
    snapshot: Any
    runway_answer: Any


def read_options_data(db: Any) -> OptionsData:
    """Options, answers, decisions, the latest financial snapshot and runway answer.
    Plain values only: safe to call off the UI thread."""
    from db import options as db_options
    from db import profile_history
    from desktop.core import finance

    try:
        snapshot = profile_history.latest_snapshot(db)
    except Exception:  # noqa: BLE001 - the summary is secondary; the page still works
        log.warning("could not read the latest financial snapshot")
        snapshot = None
    try:
        from db.checkins import answers_for_prompt

        runway = finance.latest_runway_answer(answers_for_prompt(db, finance.RUNWAY_PROMPT))
    except Exception:  # noqa: BLE001 - as above
        runway = None
    return OptionsData(db_options.list_options(db), db_options.all_assessment_answers(db),
                       db_options.decisions(db), snapshot, runway)


def store_option(db: Any, option: JobOption, when: datetime,
                 tz: Any) -> tuple[JobOption, OptionsData, TodayView]:
    """Worker (saving an option): store *option*, drop its draft, read the page again, and
    read once what Today, the Check-in page's count and the reminders show next (an
    option can raise or end a flag, an offer deadline is "coming up", a new option makes
    prompts due). Read here, in the same task, nothing is read again by the views that
    follow the save — three workers did, while the UI thread laid out the page, and each
    of its calls into Python waited for them (the GIL)."""
    from db import drafts
    from db import options as db_options
    from desktop.today_data import build_today_view

    stored = db_options.save_option(db, option, when=when)
    drafts.discard_draft(db, option_draft_key(option.id))
    return stored, read_options_data(db), build_today_view(db, when, tz)


def _months(value: float) -> str:
    return f"{value:.1f} month{'s' if round(value, 1) != 1 else ''}"


class OptionsPage(Page):
    title = "Options"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.current_id: int | None = None
        self._option_dirty = False
        self._assessment_dirty = False
        self._answers: dict[int, list[AssessmentAnswer]] = {}
        self._questions: tuple[Any, ...] = ()

        # Header ----------------------------------------------------------------
        title = QLabel("Options", objectName="pageTitle")
        subtitle = QLabel("Lay out the roles you are weighing against what the experts say "
                          "matters: the team, the work, what gets published, the money.",
                          objectName="pageSubtitle", wordWrap=True)
        self.lockin_label = QLabel(objectName="lockInSummary", wordWrap=True)
        self.lockin_label.setAccessibleName("Financial lock-in of the current job")
        self.revisit_label = QLabel(objectName="revisitNote", wordWrap=True)
        summary = QWidget(objectName="card")
        summary_layout = QHBoxLayout(summary)
        summary_layout.setContentsMargins(12, 8, 12, 8)
        summary_layout.setSpacing(2)
        summary_layout.setSpacing(16)
        summary_layout.addWidget(self.lockin_label, 1)
        summary_layout.addWidget(self.revisit_label, 1)
        self.banner = Banner()

        # Toolbar -----------------------------------------------------------------
        self.new_button = QPushButton("&New option", objectName="newOption")
        self.new_button.setToolTip("New option (Ctrl+Shift+N)")
        self.compare_button = QPushButton("&Compare…", objectName="compareOptions")
        self.compare_button.setToolTip("Tick 2–4 options in the table to compare them")
        self.decision_button = QPushButton("Record &decision…", objectName="recordDecision")
        self.delete_button = QPushButton("Delete…", objectName="deleteOption")
        self.status_combo = QComboBox(objectName="statusFilter")
        self.status_combo.setAccessibleName("Show options with status")
        self.status_combo.addItem("All statuses", None)
        for status in OPTION_STATUSES:
            self.status_combo.addItem(status.capitalize(), status)
        self.filter_edit = QLineEdit(objectName="optionFilter")
        self.filter_edit.setPlaceholderText("Filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter options by text")
        self.filter_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 8)
        toolbar = QHBoxLayout()
        for button in (self.new_button, self.compare_button, self.decision_button,
                       self.delete_button):
            toolbar.addWidget(button)
        toolbar.addStretch(1)

        # Table -----------------------------------------------------------------
        self.model = OptionsTableModel(parent=self)
        self.proxy = OptionsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(objectName="optionsTable")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Job options (tick to compare)")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (COLUMN_OF["organisation"], COLUMN_OF["role"]):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        self.count_label = QLabel(objectName="mutedLabel", wordWrap=True)
        self.empty_label = QLabel(
            "<h3>No options yet</h3><p>Add a role you are weighing — or the job you hold now, "
            "with status <i>current</i> — with <b>New option</b> (Ctrl+Shift+N).</p>",
            alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty_label.hide()
        table_box = self.list_pane = QWidget(objectName="optionList")
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(8)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.status_combo)
        table_layout.addLayout(filters)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.empty_label, 1)
        table_layout.addWidget(self.count_label)

        # Detail tabs ---------------------------------------------------------------
        self.editor = OptionEditor()
        self.assessment = AssessmentForm()
        self.save_assessment_button = QPushButton("Save &assessment", objectName="saveAssessment")
        self.save_assessment_button.setToolTip("Save the changed answers (Ctrl+S)")
        self.assessment_state = QLabel(objectName="mutedLabel")
        assessment_tab = QWidget()
        a_layout = QVBoxLayout(assessment_tab)
        a_layout.setContentsMargins(0, 6, 0, 0)
        a_intro = QLabel("The experts' questions about this option. Answers keep their history: "
                         "changing one adds a dated answer; “History” shows earlier ones.",
                         objectName="mutedLabel", wordWrap=True)
        a_layout.addWidget(a_intro)
        a_layout.addWidget(self.assessment, 1)
        a_actions = QHBoxLayout()
        a_actions.addWidget(self.assessment_state, 1)
        a_actions.addWidget(self.save_assessment_button)
        a_layout.addLayout(a_actions)
        self.panel_view = PanelView()

        self.decisions_model = DecisionsTableModel(self)
        self.decisions_table = QTableView(objectName="decisionsTable")
        self.decisions_table.setModel(self.decisions_model)
        self.decisions_table.setAccessibleName("Decision journal")
        self.decisions_table.verticalHeader().hide()
        self.decisions_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.decisions_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.decisions_table.setShowGrid(False)
        d_header = self.decisions_table.horizontalHeader()
        d_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        d_header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.decision_view = MarkdownView(objectName="decisionDetail")
        self.decision_view.setAccessibleName("The selected decision")
        self.revisited_button = QPushButton("Mark &revisited", objectName="markRevisited")
        self.revisited_button.setToolTip("I have looked at this decision again: its revisit "
                                         "reminder and flag go away")
        self.revisited_button.setEnabled(False)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.decision_view, 1)
        detail_layout.addWidget(self.revisited_button, 0, Qt.AlignmentFlag.AlignRight)
        decisions_tab = QSplitter(Qt.Orientation.Horizontal)
        decisions_tab.addWidget(self.decisions_table)
        decisions_tab.addWidget(detail)
        decisions_tab.setChildrenCollapsible(False)
        decisions_tab.setSizes([500, 400])

        self.tabs = QTabWidget(objectName="optionTabs")
        self.tabs.addTab(self.editor, "Details")
        self.tabs.addTab(assessment_tab, "Assessment")
        self.tabs.addTab(self.panel_view, "Panel")
        self.tabs.addTab(decisions_tab, "Decision journal")
        self.tabs.setDocumentMode(True)

        # A narrow list beside the editor, both the full height of the page: the editor
        # (twenty fields, notes, assessment, panel) gets the room; the list names options.
        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="optionSplit")
        splitter.addWidget(table_box)
        splitter.addWidget(self.tabs)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        char = self.fontMetrics().averageCharWidth()
        table_box.setMinimumWidth(char * 40)
        table_box.setMaximumWidth(char * 75)
        splitter.setSizes([char * 48, char * 120])
        for key, _title in COLUMNS:
            self.table.setColumnHidden(COLUMN_OF[key], key not in LIST_COLUMNS)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        heading = QHBoxLayout()
        heading.setSpacing(16)
        heading.addWidget(title)
        heading.addWidget(subtitle, 1, Qt.AlignmentFlag.AlignVCenter)
        self.subtitle = subtitle
        layout.addLayout(heading)
        layout.addWidget(summary)
        layout.addWidget(self.banner)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)

        # Wiring ----------------------------------------------------------------
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self.new_button.clicked.connect(self.new_option)
        self.compare_button.clicked.connect(self.compare_checked)
        self.decision_button.clicked.connect(self.record_decision)
        self.delete_button.clicked.connect(self.delete_option)
        self.editor.save_requested.connect(self.save_option)
        self.editor.edited.connect(self._on_editor_edited)
        self.assessment.edited.connect(self._on_assessment_edited)
        self.save_assessment_button.clicked.connect(self.save_assessment)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.filter_edit.textChanged.connect(self._on_filter_edit_changed)
        self.model.checked_changed.connect(self._update_actions)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.decisions_table.selectionModel().currentRowChanged.connect(
            self._on_decisions_current_changed)
        self.revisited_button.clicked.connect(self.mark_revisited)
        page_only = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, activated=self.new_option, context=page_only,
                  whatsThis="Options: new option")
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self._on_save_shortcut,
                  context=page_only, whatsThis="Options: save the option or its assessment")
        self.setTabOrder(self.new_button, self.compare_button)
        self.setTabOrder(self.compare_button, self.decision_button)
        self.setTabOrder(self.decision_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.filter_edit)
        self.setTabOrder(self.filter_edit, self.status_combo)
        self.setTabOrder(self.status_combo, self.table)
        self.setTabOrder(self.table, self.tabs)
        self.setEnabled(False)
        self._update_actions()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def] # noqa: N802
        """Narrow windows: hide the subtitle."""
        super().resizeEvent(event)
        self.subtitle.setVisible(self.width() >= 1000)

    # Loading -------------------------------------------------------------------
    def journal_opened(self) -> None:
        from desktop.core.assessment import load_assessment

        self.setEnabled(True)
        self._questions = load_assessment()
        self.assessment.set_questions(self._questions)
        self.reload()
        if self.model.rowCount():
            self.select_option(self.model.option_at(0).id)  # type: ignore[union-attr]
        else:
            self._show_option(None)

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if self.isEnabled() and changed & (Change.OPTIONS | Change.DECISIONS | Change.FINANCES
                                           | Change.PROFILE):
            self.reload()

    def reload(self) -> None:
        """Read options, answers, decisions and the latest snapshot again."""
        self._apply(read_options_data(self.context.db))

    def _apply(self, data: OptionsData) -> None:
        """Show what :func:`read_options_data` read (on the UI thread)."""
        found = data.options
        self._answers = data.answers
        self.model.set_options(found)
        titles = {o.id: o.title for o in found if o.id is not None}
        self.decisions_model.set_decisions(data.decisions, titles, self.context.tz)
        self.decisions_table.resizeColumnToContents(0)
        self.decisions_table.resizeColumnToContents(2)
        self._update_summary(data)
        self._update_count()
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        self._update_actions()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        checked = len(self.model.checked_options())
        text = f"{total} option{'s' if total != 1 else ''}"
        if shown != total:
            text = f"{shown} of {text} shown"
        if checked:
            text += f" · {checked} ticked for comparison"
        elif total >= MIN_OPTIONS:
            text += " · tick 2–4 to compare them"
        self.count_label.setText(text)

    def _update_summary(self, data: OptionsData) -> None:
        from desktop.core import finance

        today = self.context.now().astimezone(self.context.tz).date()
        job = finance.current_job(data.options)
        snapshot = data.snapshot
        figures = finance.lock_in(snapshot, job, today, runway_answer=data.runway_answer)
        currency = (job.currency if job is not None else
                    (snapshot.currency if snapshot is not None else "USD"))
        parts = [f"<b>Current job:</b> {job.title}" if job is not None else
                 "<b>No current job recorded</b> — recording a decision marks one."]
        if figures.runway_months is not None:
            parts.append(f"Runway: {_months(figures.runway_months)}")
        elif snapshot is None:
            parts.append("Runway: add a financial snapshot to see it")
        if figures.next_vest_date is not None:
            amount = format_money(None if figures.next_vest_amount is None
                                  else round(figures.next_vest_amount), currency)
            parts.append(f"Next vest: {format_day(figures.next_vest_date)}"
                         + (f", {amount}" if amount else ""))
        self.lockin_label.setText(" · ".join(parts))
        self.lockin_label.setToolTip("\n".join(figures.notes) or "")
        pending = [d for d in data.decisions
                   if d.revisited_at is None and d.revisit_on is not None]
        if pending:
            soonest = min(pending, key=lambda d: d.revisit_on)  # type: ignore[arg-type,return-value]
            when = format_day(soonest.revisit_on)
            lead = (f"Revisit due since {when}" if soonest.revisit_on <= today  # type: ignore[operator]
                    else f"Revisit scheduled for {when}")
            self.revisit_label.setText(f"{lead} — “{soonest.summary}”")
        else:
            self.revisit_label.setText("No decision recorded yet.")

    # Selection -------------------------------------------------------------------
    def open_option(self, option_id: int) -> None:
        """Select and show option ``option_id`` with its details (a search chose it)."""
        self.select_option(option_id)
        self._show_option(option_id)
        self.tabs.setCurrentIndex(TAB_DETAILS)

    def open_decision(self, decision_id: int) -> None:
        """Show the decision journal with ``decision_id`` selected."""
        self.tabs.setCurrentIndex(TAB_DECISIONS)
        model = self.decisions_table.model()
        for row in range(model.rowCount()):
            decision = self.decisions_model.decision_at(row)
            if decision is not None and decision.id == decision_id:
                self.decisions_table.selectRow(row)
                break

    def select_option(self, option_id: int | None) -> None:
        """Select the row of ``option_id`` in the table (clearing any filter hiding it)."""
        row = self.model.row_of(option_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.status_combo.setCurrentIndex(0)
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        if self.current_id != option_id:
            self._show_option(option_id)

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        option = current.data(OptionRole) if current.isValid() else None
        if option is None or option.id == self.current_id:
            return
        self.flush()
        self._show_option(option.id)

    def _show_option(self, option_id: int | None, stored: JobOption | None = None) -> None:
        """Show option *option_id* (read here), or *stored*, just saved with its draft
        dropped by the same write (nothing to read)."""
        from db import drafts
        from db import options as db_options

        self._autosave.stop()
        self.current_id = option_id
        self._option_dirty = False
        self._assessment_dirty = False
        option = stored if stored is not None else (
            None if option_id is None else db_options.get_option(self.context.db, option_id))
        if option_id is not None and option is None:
            return
        self.editor.load(option)
        self.editor.state_label.setText(
            "New option — not saved yet" if option is None else
            f"Last saved {option.updated_at.astimezone(self.context.tz):%d %b %Y, %H:%M}"
            if option.updated_at else "")
        draft = None if stored is not None else drafts.load_draft(
            self.context.db, option_draft_key(option_id))
        if draft is not None:
            self.editor.load_payload(draft.payload)
            self._option_dirty = True
            self.editor.state_label.setText("Unsaved changes restored — press Save to keep them")
        answers = self._answers.get(option_id, []) if option_id is not None else []
        self.assessment.load(answers, self.context.tz)
        self.assessment.setEnabled(option_id is not None)
        if option_id is not None:
            a_draft = drafts.load_draft(self.context.db, assessment_draft_key(option_id))
            if a_draft is not None:
                self.assessment.load_payload(a_draft.payload)
                self._assessment_dirty = True
        self._update_assessment_state()
        self._update_panel(option)
        self._update_actions()

    def _update_panel(self, option: JobOption | None) -> None:
        from desktop.core.assessment import latest_answers
        from desktop.core.panel import panel

        if option is None or option.id is None:
            self.panel_view.show_panel(None, ())
            return
        answers = latest_answers(self._answers.get(option.id, []))
        self.panel_view.show_panel(option, panel(option, answers))

    def _update_assessment_state(self) -> None:
        if self.current_id is None:
            self.assessment_state.setText("Save the option first; then assess it here.")
        elif self._assessment_dirty:
            self.assessment_state.setText("Changed answers — press Save assessment to keep them")
        else:
            n = self.assessment.answered_count()
            self.assessment_state.setText(
                f"{n} of {len(self._questions)} questions answered")
        self.save_assessment_button.setEnabled(self.current_id is not None
                                               and self._assessment_dirty)

    # Actions -------------------------------------------------------------------
    @Slot()
    def new_option(self) -> None:
        """Start a new option in the editor (restoring an unsaved new one if there is)."""
        if not self.isEnabled():
            return
        self.flush()
        self.table.selectionModel().clearCurrentIndex()
        self.table.clearSelection()
        self._show_option(None)
        self.tabs.setCurrentIndex(TAB_DETAILS)
        self.editor.scroll.verticalScrollBar().setValue(0)
        self.editor.organisation_edit.setFocus()
        self.editor.scroll.ensureWidgetVisible(self.editor.organisation_edit)

    @Slot()
    def save_option(self) -> None:
        """Validate what the editor holds and store it: the write and the page's reads
        run on a worker (:func:`store_option`), the result is shown on the UI thread, and
        every other view hears of it through ``data_changed`` (``run_write``)."""
        if not self.isEnabled() or self.saving:
            return
        option = self.editor.build_option()
        if option is None:
            self.save_draft()
            return
        self.saving = True
        self._option_dirty = False  # typing while the write runs sets it again
        self._autosave.stop()
        # Change.EVENTS: saving may record on-new-option / on-accept.
        run_write(self, "Could not save the option", store_option, self.context.db, option,
                  self.context.now(), self.context.tz, changes=Change.OPTIONS | Change.EVENTS,
                  on_done=lambda result: self._on_option_saved(option, *result),
                  on_error=lambda exc: self._on_option_save_failed(option, exc))

    saving = False
    """An option is being stored (a second Save waits for it)."""

    def _on_option_saved(self, option: JobOption, stored: JobOption, data: OptionsData,
                         view: TodayView) -> None:
        self.saving = False
        self.context.today_view = view  # for the views that follow (see store_option)
        still_here = self.current_id == option.id
        typed_since = still_here and self._option_dirty
        self._apply(data)
        if not still_here:  # another option was chosen while the write ran
            return
        if typed_since:
            # Keep what was typed meanwhile; it now belongs to the stored option.
            self.current_id = self.editor.option_id = stored.id
            self.select_option(stored.id)
            self._autosave.start()
        else:
            self.current_id = stored.id
            self.select_option(stored.id)
            if replace(stored, id=option.id, created_at=option.created_at,
                       updated_at=option.updated_at) == option:
                self.editor.mark_saved(stored)  # the form shows exactly what was stored
                self._update_panel(stored)
                self._update_actions()
            else:  # storing normalised something: show it as stored
                self._show_option(stored.id, stored)
            self.editor.state_label.setText(
                f"Saved at {self.context.now().astimezone(self.context.tz):%H:%M}")
        self.status_message.emit(f"Saved {stored.title}")

    def _on_option_save_failed(self, option: JobOption, exc: BaseException) -> None:
        from desktop.ui.errors import user_message

        self.saving = False
        log.warning("saving an option failed: %s", type(exc).__name__)
        if self.current_id != option.id:
            return  # the typed text went to its draft when another option was chosen
        self._option_dirty = True  # the draft stays; the message is inline
        self.save_draft()
        self.editor.show_error(user_message(exc))

    @Slot()
    def save_assessment(self) -> None:
        """Store the answers the user changed (earlier answers stay as history)."""
        from db import drafts
        from db import options as db_options

        if self.current_id is None:
            self._update_assessment_state()
            return
        changed = self.assessment.changed_answers()
        option_id = self.current_id
        try:
            for question_id, text, number in changed:
                db_options.record_assessment(self.context.db, option_id, question_id,
                                             text=text, number=number, when=self.context.now())
        except Exception as exc:  # noqa: BLE001
            log.warning("saving the assessment failed: %s", type(exc).__name__)
            self.save_draft()
            show_error(self, "Could not save the assessment", exc)
            return
        drafts.discard_draft(self.context.db, assessment_draft_key(option_id))
        self._assessment_dirty = False
        self._answers = db_options.all_assessment_answers(self.context.db)
        self.assessment.load(self._answers.get(option_id, []), self.context.tz)
        self._update_assessment_state()
        self._update_panel(db_options.get_option(self.context.db, option_id))
        n = len(changed)
        self.assessment_state.setText(f"Saved {n} answer{'s' if n != 1 else ''} · "
                                      + self.assessment_state.text())
        self.status_message.emit("Assessment saved")
        self.data_changed.emit(Change.OPTIONS)

    @Slot()
    def compare_checked(self) -> None:
        """Compare the ticked options side by side."""
        from desktop.core.assessment import latest_answers
        from desktop.ui.dialogs.compare_dialog import CompareDialog

        chosen = self.model.checked_options()
        if not MIN_OPTIONS <= len(chosen) <= MAX_OPTIONS:
            self.status_message.emit("Tick two to four options to compare them")
            return
        answers = {o.id: latest_answers(self._answers.get(o.id, [])) for o in chosen
                   if o.id is not None}
        CompareDialog.ask(self, chosen, answers, self._questions)

    @Slot()
    def record_decision(self) -> None:
        """Ask for a decision and record it (the chosen option becomes the current job)."""
        from db import options as db_options
        from desktop.ui.dialogs.decision_dialog import DecisionDialog

        self.flush()
        candidates = [o for o in self.model.options() if o.status not in ("left",)]
        decision = DecisionDialog.ask(self, self.context, candidates, preselect=self.current_id)
        if decision is None:
            return
        from db.settings import get_profile

        situation_before = get_profile(self.context.db).situation
        try:
            stored = db_options.record_decision(
                self.context.db, decision.chosen_option_id, decision.summary, decision.reasons,
                decision.alternatives, decision.revisit_conditions, decision.revisit_on,
                when=self.context.now())
        except Exception as exc:  # noqa: BLE001
            log.warning("recording a decision failed: %s", type(exc).__name__)
            show_error(self, "Could not record the decision", exc)
            return
        self.reload()
        if stored.chosen_option_id is not None:
            self.select_option(stored.chosen_option_id)
            self._show_option(stored.chosen_option_id)
        text = f"Revisit scheduled for {format_day(stored.revisit_on)} — “{stored.summary}”"
        situation = get_profile(self.context.db).situation
        if situation != situation_before and situation is not None:
            from desktop.core.records import Situation

            text += (f"\nYour situation is now “{Situation(situation).label}” (Settings › "
                     "Profile): the prompts that fit it are asked from the next check-in.")
        self.revisit_label.setText(text)
        self.status_message.emit(f"Decision recorded · revisit on {format_day(stored.revisit_on)}")
        self.data_changed.emit(Change.DECISIONS | Change.OPTIONS | Change.PROFILE | Change.EVENTS)
        self._offer_to_decline(stored.chosen_option_id, decision.alternatives)

    def _offer_to_decline(self, chosen: int | None, alternatives: Sequence[int]) -> None:
        """After a decision: offer to mark the alternatives not taken as declined."""
        from db.options import OPEN_STATUSES

        still_open = [o for o in self.model.options()
                      if o.id in set(alternatives) and o.id != chosen
                      and o.status in OPEN_STATUSES]
        if not still_open:
            return
        names = ", ".join(o.organisation for o in still_open[:4])
        if len(still_open) > 4:
            names += f" and {len(still_open) - 4} more"
        ids = [o.id for o in still_open if o.id is not None]
        self.banner.show_message(
            f"Mark the alternative{'s' if len(ids) != 1 else ''} you did not take as "
            f"declined? ({names})",
            [("Mark &declined", lambda: self.decline_options(ids)),
             ("&Keep as they are", self.banner.hide)])

    def decline_options(self, ids: Sequence[int]) -> None:
        """Mark ``ids`` declined; the banner offers Undo."""
        from db.options import set_statuses

        try:
            before = set_statuses(self.context.db, {i: "declined" for i in ids},
                                  when=self.context.now())
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Could not mark the options declined", exc)
            return
        self.reload()
        self.data_changed.emit(Change.OPTIONS | Change.EVENTS)  # may record on-new-option/on-accept
        count = len(before)
        self.banner.show_message(
            f"Marked {count} option{'s' if count != 1 else ''} declined.",
            [("&Undo", lambda: self._undo_decline(before))])

    def _undo_decline(self, before: dict[int, str]) -> None:
        from db.options import set_statuses

        try:
            set_statuses(self.context.db, before, when=self.context.now())
        except Exception as exc:  # noqa: BLE001
            show_error(self, "Could not undo", exc)
            return
        self.banner.hide()
        self.reload()
        self.data_changed.emit(Change.OPTIONS | Change.EVENTS)  # may record on-new-option/on-accept
        self.status_message.emit("The alternatives are back as they were")

    @Slot()
    def mark_revisited(self) -> None:
        """Note that the selected decision was looked at again (``revisited_at``)."""
        from db import options as db_options

        index = self.decisions_table.currentIndex()
        decision = index.data(DecisionRole) if index.isValid() else None
        if decision is None or decision.id is None:
            return
        self.revisited_button.setEnabled(False)
        run_write(self, "Could not mark the decision revisited",
                  db_options.mark_decision_revisited, self.context.db, decision.id,
                  self.context.now(), changes=Change.DECISIONS,
                  on_done=self._on_revisited)

    def _on_revisited(self, decision: Decision) -> None:
        self.reload()
        for row in range(self.decisions_model.rowCount()):
            shown = self.decisions_model.decision_at(row)
            if shown is not None and shown.id == decision.id:
                self.decisions_table.selectRow(row)
        self.status_message.emit(f"Marked revisited: {decision.summary}")

    @Slot()
    def delete_option(self) -> None:
        from db import drafts
        from db import options as db_options

        if self.current_id is None:
            return
        option = db_options.get_option(self.context.db, self.current_id)
        if option is None:
            return
        if not Confirm.ask(self, "Delete option",
                           f"Delete “{option.title}” and its assessment? Decisions that "
                           "mention it keep their text. This cannot be undone.",
                           confirm="Delete", destructive=True):
            return
        db_options.delete_option(self.context.db, option.id)  # type: ignore[arg-type]
        drafts.discard_draft(self.context.db, option_draft_key(option.id))
        drafts.discard_draft(self.context.db, assessment_draft_key(option.id))  # type: ignore[arg-type]
        self._option_dirty = self._assessment_dirty = False
        self.current_id = None
        self.reload()
        self.status_message.emit(f"Deleted {option.title}")
        self.data_changed.emit(Change.OPTIONS)
        first = self.proxy.index(0, 0)
        if first.isValid():
            self.select_option(first.data(OptionRole).id)
        else:
            self._show_option(None)

    # Drafts --------------------------------------------------------------------
    @Slot()
    def save_draft(self) -> None:
        """Write the typed option and changed answers to the drafts table (autosave)."""
        from db import drafts

        if not self.isEnabled():
            return
        self._autosave.stop()
        try:
            if self._option_dirty and not (self.current_id is None and self.editor.is_blank()):
                drafts.save_draft(self.context.db, option_draft_key(self.current_id),
                                  self.editor.payload())
                self.editor.state_label.setText(
                    f"Draft autosaved at {self.context.now().astimezone(self.context.tz):%H:%M:%S}")
            if self._assessment_dirty and self.current_id is not None:
                drafts.save_draft(self.context.db, assessment_draft_key(self.current_id),
                                  self.assessment.payload())
        except Exception as exc:  # noqa: BLE001 - typed text stays on screen
            log.warning("autosave failed: %s", type(exc).__name__)
            self.editor.state_label.setText("Autosave failed — your text is still here; try Save")

    def flush(self) -> None:
        self.save_draft()

    # Slots -----------------------------------------------------------------------
    @Slot()
    def _on_editor_edited(self) -> None:
        self._option_dirty = True
        self._autosave.start()
        self.editor.state_label.setText("Editing…")

    @Slot()
    def _on_assessment_edited(self) -> None:
        self._assessment_dirty = True
        self._autosave.start()
        self._update_assessment_state()

    @Slot()
    def _on_save_shortcut(self) -> None:
        if self.tabs.currentIndex() == TAB_ASSESSMENT:
            self.save_assessment()
        else:
            self.save_option()

    @Slot(int)
    def _on_status_combo_changed(self, _index: int) -> None:
        self.proxy.set_status(self.status_combo.currentData())
        self._update_count()

    @Slot(str)
    def _on_filter_edit_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    @Slot(QModelIndex, QModelIndex)
    def _on_decisions_current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        decision = current.data(DecisionRole) if current.isValid() else None
        self.revisited_button.setEnabled(decision is not None and decision.revisited_at is None
                                         and decision.revisit_on is not None)
        if decision is None:
            self.decision_view.set_markdown_text("")
            return
        chosen = self.decisions_model.data(self.decisions_model.index(current.row(), 2))
        lines = [f"## {decision.summary}", "",
                 f"*Decided {format_day(decision.decided_at.astimezone(self.context.tz).date())}"
                 f" · {chosen}*", "", "### Reasons", "", decision.reasons.strip() or "—"]
        if decision.alternatives:
            titles = [self.model.option_at(self.model.row_of(a)).title  # type: ignore[union-attr]
                      if self.model.row_of(a) >= 0 else "(deleted option)"
                      for a in decision.alternatives]
            lines += ["", "### Alternatives considered", ""] + [f"- {t}" for t in titles]
        if decision.revisit_conditions.strip():
            lines += ["", "### What would make me revisit", "", decision.revisit_conditions]
        if decision.revisited_at is not None:
            day = decision.revisited_at.astimezone(self.context.tz).date()
            lines += ["", f"Revisited on **{format_day(day)}**."]
        elif decision.revisit_on:
            lines += ["", f"Revisit on **{format_day(decision.revisit_on)}**."]
        self.decision_view.set_markdown_text("\n".join(lines))

    @Slot()
    def _update_actions(self) -> None:
        checked = len(self.model.checked_options())
        self.compare_button.setEnabled(MIN_OPTIONS <= checked <= MAX_OPTIONS)
        self.compare_button.setText(f"&Compare ({checked})…" if checked else "&Compare…")
        self.delete_button.setEnabled(self.current_id is not None)
        self.decision_button.setEnabled(self.model.rowCount() > 0 or self.isEnabled())
        self._update_count()
