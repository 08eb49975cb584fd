"""The Trends page: answers over time, the baseline beside the latest view (Expert 4's
drift question), tripwires with their history, the conscience share and runway.

Data is read in the background (``load_trends``) when the page is first shown and after
any change; the chart widget is built only when the page is first shown, so start-up
does not pay for it.
"""

from __future__ import annotations

import logging
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.chart_geometry import answers_text
from desktop.trends_data import (
    CONSCIENCE_MARK,
    CONSCIENCE_PROMPT,
    RUNWAY_MARK,
    WORRY_PROMPT,
    TrendsData,
    load_trends,
    since_label,
)
from desktop.ui.models.trend_prompts_model import TrendPromptsModel
from desktop.ui.pages.base import Page
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.wrapping_delegate import WrappingDelegate

if TYPE_CHECKING:
    from desktop.ui.widgets.trend_chart import TrendChart

log = logging.getLogger(__name__)

DRIFT_QUESTION = (
    "Did your view move because of an argument the person who wrote your baseline would "
    "have accepted — or because of the people and work around you? (Expert 4's test; "
    "Expert 1 guesses, from experience, that labs exert the same pull.)"
)


def _card(heading: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(objectName="card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(8)
    title = QLabel(heading, objectName="cardHeading")
    layout.addWidget(title)
    return frame, layout


def _text(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _day(when) -> str:  # type: ignore[no-untyped-def]
    return when.strftime("%d %b %Y").lstrip("0")


TRENDS_READ = (Change.CHECKINS | Change.FINANCES | Change.OPTIONS | Change.PROMPTS
               | Change.OWN_PROMPTS)
"""What the charts are drawn from."""


class TrendsPage(Page):
    title = "Trends"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: TrendsData | None = None
        self.chart: TrendChart | None = None
        self.conscience_chart: TrendChart | None = None
        self.runway_chart: TrendChart | None = None
        self._opened = False
        self._stale = True
        self._loading = False
        self._reload_again = False
        self._selected_id = WORRY_PROMPT

        title = QLabel("Trends", objectName="pageTitle")
        subtitle = QLabel("How your answers have moved — and whether you would have agreed "
                          "with the move from where you started.", objectName="pageSubtitle")
        subtitle.setWordWrap(True)

        self.model = TrendPromptsModel(self)
        self.list_view = QListView(objectName="trendPromptList")
        self.list_view.setAccessibleName("Answered prompts")
        self.list_view.setModel(self.model)
        self.list_view.setWordWrap(True)
        self.list_view.setSpacing(3)
        self.list_view.setUniformItemSizes(False)
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list_view.setItemDelegate(WrappingDelegate(self.list_view))
        self.list_empty = _text("No numeric answers yet. Answer a check-in and your trends "
                                "appear here.", "mutedLabel")
        list_label = QLabel("&Prompts", objectName="cardHeading")
        list_label.setBuddy(self.list_view)
        left = QWidget()
        left.setMinimumWidth(self.fontMetrics().averageCharWidth() * 26)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(list_label)
        left_layout.addWidget(self.list_view, 1)
        left_layout.addWidget(self.list_empty)
        self.list_empty.hide()

        # Right: a scrolling column of cards; charts are added on first show.
        self.chart_card, self.chart_layout = _card("Over time")
        self.chart_note = _text("", "mutedLabel")
        self.chart_layout.addWidget(self.chart_note)

        self.drift_card, drift_layout = _card("Where you started, where you are")
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(4)
        self.baseline_heading = _text("Your baseline", "subHeading")
        self.baseline_text = _text("", "quote")
        self.view_heading = _text("Your latest stated view", "subHeading")
        self.view_text = _text("", "quote")
        grid.addWidget(self.baseline_heading, 0, 0)
        grid.addWidget(self.view_heading, 0, 1)
        grid.addWidget(self.baseline_text, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.view_text, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        drift_layout.addLayout(grid)
        self.drift_question = _text(DRIFT_QUESTION, "driftQuestion")
        drift_layout.addWidget(self.drift_question)

        self.conscience_card, self.conscience_layout = _card("Conscience share (Expert 10)")
        self.conscience_note = _text("", "mutedLabel")
        self.conscience_layout.addWidget(self.conscience_note)
        self.runway_card, self.runway_layout = _card("Runway (Expert 10)")
        self.runway_note = _text("", "mutedLabel")
        self.runway_layout.addWidget(self.runway_note)
        pair = QHBoxLayout()
        pair.setSpacing(14)
        pair.addWidget(self.conscience_card, 1)
        pair.addWidget(self.runway_card, 1)

        self.tripwire_card, tripwire_layout = _card("Tripwires and how they changed")
        self.tripwire_text = _text("", "")
        self.tripwire_text.setTextFormat(Qt.TextFormat.RichText)
        tripwire_layout.addWidget(self.tripwire_text)

        content = QWidget(objectName="trendsContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(14)
        column.addWidget(self.chart_card)
        column.addWidget(self.drift_card)
        column.addLayout(pair)
        column.addWidget(self.tripwire_card)
        column.addStretch(1)
        self.scroll = QScrollArea(objectName="trendsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addWidget(splitter, 1)

        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)

    # Page hooks ----------------------------------------------------------------
    def journal_opened(self) -> None:
        self._opened = True
        self._stale = True
        if self.isVisible():
            self.reload()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if not changed & TRENDS_READ:
            return
        self._stale = True
        if self._opened and self.isVisible():
            self.reload()

    def activated(self) -> None:
        self._ensure_charts()
        if self._opened and self._stale:
            self.reload()

    # Loading -------------------------------------------------------------------
    def _ensure_charts(self) -> None:
        if self.chart is not None:
            return
        from desktop.ui.widgets.trend_chart import TrendChart

        height = self.fontMetrics().lineSpacing()
        self.chart = TrendChart()
        self.chart.setMinimumHeight(height * 18)
        self.chart_layout.insertWidget(1, self.chart, 1)
        self.conscience_chart = TrendChart()
        self.conscience_chart.setMinimumHeight(height * 13)
        self.conscience_layout.insertWidget(1, self.conscience_chart, 1)
        self.runway_chart = TrendChart()
        self.runway_chart.setMinimumHeight(height * 13)
        self.runway_layout.insertWidget(1, self.runway_chart, 1)

    def reload(self) -> None:
        """Read the trends in the background; a request while one runs is queued."""
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        self._stale = False
        run_in_background(load_trends, self.context.db, self.context.now(),
                          on_done=self._on_trends_loaded, on_error=self._on_trends_failed)

    def _on_trends_loaded(self, data: TrendsData) -> None:
        self._loading = False
        if self._reload_again:
            self._reload_again = False
            self.reload()
        self.render(data)

    def _on_trends_failed(self, exc: BaseException) -> None:
        from desktop.ui.errors import user_message

        self._loading = False
        self._stale = True
        why = user_message(exc)  # the error boundary: one sentence; details to the log
        log.warning("Trends could not be loaded: %s", type(exc).__name__)
        self.status_message.emit(f"Trends could not be loaded: {why}")

    # Rendering -----------------------------------------------------------------
    def render(self, data: TrendsData) -> None:
        """Show ``data`` (on the UI thread)."""
        self._ensure_charts()
        self.data = data
        self.model.set_prompts(data.prompts)
        has_prompts = bool(data.prompts)
        self.list_view.setVisible(has_prompts)
        self.list_empty.setVisible(not has_prompts)
        row = self.model.row_of(self._selected_id)
        if row < 0 and has_prompts:
            row = 0
        if row >= 0:
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.show_prompt(self.model.prompt_at(row).prompt_id if row >= 0 else "")
        self._render_drift(data)
        self._render_conscience(data)
        self._render_runway(data)
        self._render_tripwires(data)

    def show_prompt(self, prompt_id: str) -> None:
        """Chart one prompt's answers (with the baseline worry on the worry chart)."""
        assert self.chart is not None
        data = self.data
        if data is None or not prompt_id:
            self.chart.set_points([], empty_text="No answers to chart yet. Answer a check-in "
                                  "and each number or scale you give appears here over time.")
            self.chart_note.setText("")
            return
        self._selected_id = prompt_id
        row = self.model.prompt_at(self.model.row_of(prompt_id))
        points = data.series.get(prompt_id, [])
        reference = reference_name = None
        if prompt_id == WORRY_PROMPT and data.baseline and data.baseline.worry is not None:
            reference = float(data.baseline.worry)
            reference_name = f"Baseline worry ({_day(data.baseline.created_at)})"
        elif prompt_id == CONSCIENCE_PROMPT:
            reference, reference_name = CONSCIENCE_MARK, "5% ceiling"
        unit = row.unit or ""
        self.chart.set_points(points, title=row.question, series_name="Your answers",
                              y_label=unit, y_min=row.minimum, y_max=row.maximum,
                              reference=reference, reference_name=reference_name or "")
        raw = data.raw_counts.get(prompt_id, len(points))
        note = answers_text(raw)
        if len(points) < raw:
            note += f", shown as {len(points)} averages so ten years stay readable"
        if row.last_at is not None:
            note += f" · last answered {since_label(row.last_at, self.context.now())}"
        self.chart_note.setText(note)

    def _render_drift(self, data: TrendsData) -> None:
        now = self.context.now()
        base = data.baseline
        if base is None:
            self.baseline_heading.setText("Your baseline")
            self.baseline_text.setText("No baseline yet. Write one in Settings: what you "
                                       "believe about AI risk today, and why.")
        else:
            version = (f"version {data.baseline_versions}, " if data.baseline_versions > 1
                       else "")
            worry = f" · worry {base.worry}/10" if base.worry is not None else ""
            self.baseline_heading.setText(
                f"Your baseline ({version}{_day(base.created_at)}){worry}")
            self.baseline_text.setText(f"“{base.text}”")
        worry = data.latest_worry
        worry_text = (f" · worry {worry[1]:g}/10 ({since_label(worry[0], now)})"
                      if worry else "")
        self.view_heading.setText(f"Your latest stated view{worry_text}")
        if data.latest_view is not None:
            text, when = data.latest_view
            self.view_text.setText(f"“{text}” — {_day(when)}")
        else:
            self.view_text.setText("You have not yet said what moved your view. The monthly "
                                   "prompt “which argument moved it?” records it.")

    def _render_conscience(self, data: TrendsData) -> None:
        assert self.conscience_chart is not None
        points = data.series.get(CONSCIENCE_PROMPT, [])
        self.conscience_chart.set_points(
            points, series_name="% of working time", y_min=0,
            y_max=max([CONSCIENCE_MARK * 3, *(v for _, v in points)]) + 1,
            reference=CONSCIENCE_MARK, reference_name="5% ceiling",
            empty_text="No answers yet. The monthly prompt about your working time "
                       "fills this chart.")
        if points:
            recent = points[-min(len(points), 3):]
            mean = sum(v for _, v in recent) / len(recent)
            self.conscience_note.setText(
                f"Recently about {mean:.1f}%. Expert 10 advises giving 95% or more of work "
                "time to doing the job well, and thinks the small rest — paying attention, "
                "asking, speaking up — can be important. Keel draws that 5% as a ceiling, not a target.")
        else:
            self.conscience_note.setText("How much of your time goes to understanding and "
                                         "questioning your organisation's decisions.")

    def _render_runway(self, data: TrendsData) -> None:
        assert self.runway_chart is not None
        points = data.runway
        self.runway_chart.set_points(
            points, series_name="Months of savings", y_min=0,
            reference=RUNWAY_MARK, reference_name="6 months (Keel's threshold)",
            empty_text="No financial snapshots yet. Add one in Settings, or answer "
                       "the runway prompt at a check-in.")
        if points:
            self.runway_note.setText(
                f"Now {points[-1][1]:.1f} months ({_day(points[-1][0])}; from your snapshots in "
                "Settings › Finances and your check-in answers). Expert 10: avoid a financial "
                "situation that makes switching overly hard; six months is Keel's threshold, "
                "not the expert's.")
        else:
            self.runway_note.setText("Add a financial snapshot in Settings › Finances, or "
                                     "answer the runway prompt at a check-in, to see how long "
                                     "your savings would last.")

    def _render_tripwires(self, data: TrendsData) -> None:
        if not data.tripwires:
            self.tripwire_text.setText("No tripwires yet. A tripwire is something that, if it "
                                       "happened, would make you leave or speak up.")
            return
        parts = []
        for wire in data.tripwires:
            status = (f" <i>(archived {_day(wire.archived_at)})</i>"
                      if wire.archived_at else "")
            item = f"<p style='margin:0 0 2px 0'><b>{escape(wire.text)}</b>{status}</p>"
            history = sorted(wire.history, key=lambda v: v.created_at)
            if len(history) > 1:
                lines = "".join(
                    f"<li>{_day(v.created_at)}: {escape(v.text)}</li>" for v in history)
                item += ("<p style='margin:0'>History:</p>"
                         f"<ul style='margin-top:0; margin-left:-20px'>{lines}</ul>")
            else:
                item += f"<p style='margin:0 0 8px 0'>Since {_day(wire.created_at)}</p>"
            parts.append(item)
        self.tripwire_text.setText("".join(parts))

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.chart is not None:
            self.show_prompt(self.model.prompt_at(current.row()).prompt_id)
