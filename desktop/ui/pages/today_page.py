"""The Today page, where Keel opens: the due check-in, the active flags, the rhythm kept
and what is coming up. Built in the background (``build_today_view``), then rendered."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change

if TYPE_CHECKING:  # imported by the start-up preload thread, not on the way to the window
    from collections.abc import Sequence

    from desktop.core.flags import Flag
    from desktop.today_data import TodayView
from shiboken6 import isValid

from desktop.ui.errors import show_error
from desktop.ui.models.upcoming_model import UpcomingModel
from desktop.ui.pages.base import Page
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.flag_card import FlagCard
from desktop.ui.widgets.flag_history import FlagHistoryView
from desktop.ui.widgets.upcoming_delegate import UpcomingDelegate
from desktop.ui.widgets.wrap_label import WrapLabel

log = logging.getLogger(__name__)

TWO_COLUMN_MIN_WIDTH = 860
"""Below this page width the right-hand cards move under the flags."""

TODAY_READS = ~(Change.ENTRIES | Change.BACKUPS | Change.REMINDERS | Change.AUTOSTART)
"""What Today is built from: everything in the snapshot (not entries or machine settings)."""


def year_ago_entries(db: object, now: datetime, tz: object) -> list:
    """Worker: entries from this day in earlier years, the most recent year first."""
    from db.journal import entries_between
    from desktop.core.resurface import on_this_day, year_ago_windows

    today = now.astimezone(tz).date()  # type: ignore[arg-type]
    entries = []
    for _years, start, end in year_ago_windows(today, tz):  # type: ignore[arg-type]
        entries.extend(entries_between(db, start, end))  # type: ignore[arg-type]
    return on_this_day(entries, lambda e: e.created_at, today, tz)  # type: ignore[arg-type]


def greeting(hour: int) -> str:
    """"Good morning" / "Good afternoon" / "Good evening" for a local hour."""
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def _card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(objectName="card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(8)
    return frame, layout


def _label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    label = WrapLabel(text) if wrap else QLabel(text)  # WrapLabel: see its docstring
    if name:
        label.setObjectName(name)
    return label


class TodayPage(Page):
    title = "Today"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.view: TodayView | None = None
        self._preview_shown = False
        self.flag_cards: list[FlagCard] = []
        self._loading = False
        self._reload_again = False
        self._opened = False
        self._render_count = 0

        self.greeting_label = _label("Today", "pageTitle", wrap=False)
        self.date_label = _label("", "pageSubtitle", wrap=False)

        # Check-in card ---------------------------------------------------------
        self.checkin_card, checkin_layout = _card()
        self.checkin_card.setProperty("role", "checkin")
        self.checkin_heading = _label("Check-in", "cardHeading")
        self.checkin_title = _label("Loading…", "cardTitle")
        self.checkin_detail = _label("", "mutedLabel")
        self.start_button = QPushButton("Start check-in", objectName="startCheckin")
        self.start_button.setAccessibleName("Start check-in")
        self.start_button.setToolTip("Answer the prompts that are due (Ctrl+Return)")
        self.start_button.setDefault(True)
        self.start_button.hide()
        checkin_row = QHBoxLayout()
        text_col = QVBoxLayout()
        text_col.setSpacing(4)
        text_col.addWidget(self.checkin_heading)
        text_col.addWidget(self.checkin_title)
        text_col.addWidget(self.checkin_detail)
        checkin_row.addLayout(text_col, 1)
        checkin_row.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignVCenter)
        checkin_layout.addLayout(checkin_row)

        # Flags -----------------------------------------------------------------
        self.flags_heading = _label("Needs your attention", "sectionHeading", wrap=False)
        self.flags_box = QVBoxLayout()
        self.flags_box.setSpacing(10)
        self.no_flags_card, no_flags_layout = _card()
        self.no_flags_label = _label(
            "Nothing needs your attention. Flags appear here when one of the experts' "
            "warnings, or one of Keel's own checks such as your tripwires, applies to your "
            "own answers.", "mutedLabel")
        no_flags_layout.addWidget(self.no_flags_label)
        self.history_button = QPushButton("Show dismissed and snoozed flags")
        self.history_button.setObjectName("historyToggle")
        self.history_button.setCheckable(True)
        self.history_button.setFlat(True)
        self.history_button.setAccessibleName("Show flag history")
        self.history_view = FlagHistoryView()
        self.history_view.hide()

        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.checkin_card)
        left.addSpacing(6)
        left.addWidget(self.flags_heading)
        left.addLayout(self.flags_box)
        left.addWidget(self.no_flags_card)
        left.addWidget(self.history_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addWidget(self.history_view)
        left.addStretch(1)

        # Rhythm card -----------------------------------------------------------
        self.rhythm_card, rhythm_layout = _card()
        rhythm_layout.addWidget(_label("Your rhythm", "cardHeading"))
        self.streak_label = _label("—", "bigNumber", wrap=False)
        self.streak_caption = _label("", "mutedLabel")
        self.last_label = _label("", "")
        rhythm_layout.addWidget(self.streak_label)
        rhythm_layout.addWidget(self.streak_caption)
        rhythm_layout.addWidget(self.last_label)

        # Coming up card --------------------------------------------------------
        self.upcoming_card, upcoming_layout = _card()
        upcoming_layout.addWidget(_label("Coming up", "cardHeading"))
        self.upcoming_model = UpcomingModel(self)
        self.upcoming_view = QListView(objectName="upcomingList")
        self.upcoming_view.setAccessibleName("Coming up")
        self.upcoming_view.setModel(self.upcoming_model)
        self.upcoming_view.setItemDelegate(UpcomingDelegate(self.upcoming_view))
        self.upcoming_view.setFrameShape(QFrame.Shape.NoFrame)
        self.upcoming_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.upcoming_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.upcoming_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.upcoming_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.upcoming_empty = _label("Nothing in the next 30 days.", "mutedLabel")
        upcoming_layout.addWidget(self.upcoming_view)
        upcoming_layout.addWidget(self.upcoming_empty)

        # A year ago: an entry from this day in an earlier year -------------------
        self.year_ago_card, year_ago_layout = _card()
        self.year_ago_card.setObjectName("card")
        self.year_ago_heading = _label("A year ago", "cardHeading")
        self.year_ago_title = _label("", "subsectionTitle")
        self.year_ago_text = _label("", "yearAgo")
        self.year_ago_button = QPushButton("Read it", objectName="readYearAgo")
        self.year_ago_button.setFlat(True)
        self.year_ago_button.clicked.connect(self._on_year_ago_button_clicked)
        year_ago_layout.addWidget(self.year_ago_heading)
        year_ago_layout.addWidget(self.year_ago_title)
        year_ago_layout.addWidget(self.year_ago_text)
        year_ago_layout.addWidget(self.year_ago_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.year_ago_card.hide()
        self.year_ago_entry_id: int | None = None

        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.year_ago_card)
        right.addWidget(self.rhythm_card)
        right.addWidget(self.upcoming_card)
        right.addStretch(1)

        self.left_column = QWidget()
        self.left_column.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        self.right_column = QWidget()
        self.right_column.setLayout(right)
        right.setContentsMargins(0, 0, 0, 0)
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.setSpacing(16)
        self.columns.addWidget(self.left_column, 3)
        self.columns.addWidget(self.right_column, 2)

        content = QWidget(objectName="todayContent")
        body = QVBoxLayout(content)
        body.setContentsMargins(24, 20, 24, 24)
        body.setSpacing(14)
        head = QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(self.greeting_label)
        head.addWidget(self.date_label)
        body.addLayout(head)
        body.addLayout(self.columns, 1)

        self.scroll = QScrollArea(objectName="todayScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.history_button.toggled.connect(self._on_history_button_toggled)
        start = QShortcut(QKeySequence("Ctrl+Return"), self, whatsThis="Today: start the check-in")
        start.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        start.activated.connect(self._on_start_button_clicked)
        self.setTabOrder(self.start_button, self.history_button)
        self._render_placeholder()

    # Page hooks ----------------------------------------------------------------
    def show_preview(self, view: TodayView) -> None:
        """Show a view read before the journal was opened (see
        :func:`desktop.today_data.build_today_preview`); opening it then keeps this view
        instead of reading the same journal again."""
        if self._opened:
            return  # the full read came first: it is at least as fresh
        self._preview_shown = True
        # At start-up the window is already on screen, so each new flag card is styled,
        # laid out and painted in the turn that adds it (about 25 ms a card under load):
        # the cards come one event-loop turn each, and ``loaded`` (Keel's "ready") when
        # the last is in. Everything else on the page is filled in the first turn.
        self.render(view, cards=0)
        count = self._render_count
        QTimer.singleShot(0, lambda: self._add_preview_card(view, count))

    def _add_preview_card(self, view: TodayView, render_count: int) -> None:
        if not isValid(self) or render_count != self._render_count:
            return  # a newer render replaced this view (and emitted ``loaded`` itself)
        if len(self.flag_cards) < len(view.flags):
            self._sync_flag_cards(view.flags[:len(self.flag_cards) + 1])
            QTimer.singleShot(0, lambda: self._add_preview_card(view, render_count))
            return
        self.loaded.emit()

    def journal_opened(self) -> None:
        self._opened = True
        self.load_year_ago()
        if self._preview_shown:
            self._preview_shown = False
            self.loaded.emit()  # the preview was read from this journal moments ago
            return
        self.reload()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if self._opened and changed & TODAY_READS:
            if self.context.today_view is not None and not self._loading:
                self.render(self.context.today_view)  # read by the write that caused this
                self.loaded.emit()
            else:
                self.reload()

    def activated(self) -> None:
        if self._opened and self.view is not None:
            # The day may have turned since the last build (the window stayed open).
            local_now = self.context.now().astimezone(self.context.tz)
            if local_now.date() != self.view.now.astimezone(self.context.tz).date():
                self.reload()

    loads_in_background = True

    # Loading -------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild the view in the background; a request while one runs is queued."""
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        from desktop.today_data import build_today_view

        run_in_background(build_today_view, self.context.db, self.context.now(),
                          self.context.tz, on_done=self._on_view_built,
                          on_error=self._on_view_failed)

    def _on_view_built(self, view: TodayView) -> None:
        self._loading = False
        if self._reload_again:
            self._reload_again = False
            self.reload()
        self.render(view)
        self.loaded.emit()

    def _on_view_failed(self, exc: BaseException) -> None:
        from desktop.ui.errors import user_message

        self._loading = False
        self.loaded.emit()
        why = user_message(exc)  # the error boundary: one sentence; details to the log
        log.warning("Today could not be built: %s", type(exc).__name__)
        self.checkin_title.setText("Keel could not read your journal just now.")
        self.checkin_detail.setText(f"{why} Try again from the Today page in a moment.")
        self.status_message.emit("Today could not be loaded")

    # Rendering -----------------------------------------------------------------
    def _render_placeholder(self) -> None:
        local = self.context.now().astimezone(self.context.tz)
        self.greeting_label.setText(greeting(local.hour))
        self.date_label.setText(local.strftime("%A %d %B %Y").replace(" 0", " "))
        self.flags_heading.hide()
        self.no_flags_card.hide()
        self.history_button.hide()
        self.upcoming_view.hide()
        self.upcoming_empty.hide()
        self.streak_caption.setText("")

    def render(self, view: TodayView, cards: int | None = None) -> None:
        """Show ``view`` (on the UI thread); ``cards``: build only that many flag cards
        for now (``show_preview`` adds the rest one event-loop turn each)."""
        self.view = view
        self._render_count += 1
        tz = self.context.tz
        local = view.now.astimezone(tz)
        self.greeting_label.setText(greeting(local.hour))
        self.date_label.setText(local.strftime("%A %d %B %Y").replace(" 0", " "))
        self._render_checkin(view, local)
        self._render_flags(view, cards)
        self._render_rhythm(view, local)
        self.upcoming_model.set_items(view.upcoming, local.date())
        has_items = bool(view.upcoming)
        self.upcoming_view.setVisible(has_items)
        self.upcoming_empty.setVisible(not has_items)
        if has_items:
            rows = self.upcoming_model.rowCount()
            row_height = self.upcoming_view.sizeHintForRow(0)
            self.upcoming_view.setFixedHeight(rows * row_height + 4)

    def load_year_ago(self) -> None:
        """Look for an entry written on this day in an earlier year (off the UI thread)."""
        if self.context.db is None:
            return
        run_in_background(year_ago_entries, self.context.db, self.context.now(),
                          self.context.tz, on_done=self._on_year_ago_found,
                          on_error=lambda exc: log.warning("a year ago: %s", type(exc).__name__))

    def _on_year_ago_found(self, found: list) -> None:
        if not isValid(self):
            return
        if not found:
            self.year_ago_card.hide()
            self.year_ago_entry_id = None
            return
        first = found[0]
        entry = first.item
        local = entry.created_at.astimezone(self.context.tz)
        self.year_ago_entry_id = entry.id
        self.year_ago_heading.setText(f"{first.label} · {local:%A} {local.day} {local:%B %Y}")
        self.year_ago_title.setText(entry.title or "Untitled entry")
        self.year_ago_title.setVisible(bool(entry.title))
        from desktop.core.markup import plain_text

        body = " ".join(plain_text(entry.body).split())
        self.year_ago_text.setText(body[:280] + ("…" if len(body) > 280 else ""))
        self.year_ago_card.show()

    @Slot()
    def _on_year_ago_button_clicked(self) -> None:
        opener = getattr(self.window(), "open_entry", None)
        if opener is not None and self.year_ago_entry_id is not None:
            opener(self.year_ago_entry_id)

    def _render_checkin(self, view: TodayView, local: datetime) -> None:
        count = len(view.due)
        self.start_button.setVisible(count > 0)
        if count:
            self.checkin_title.setText(
                f"{count} prompt{'s' if count != 1 else ''} due" if count != 1
                else "1 prompt due")
            from desktop.core.themes import theme_title

            themes: list[str] = []
            for prompt in view.due:
                name = theme_title(prompt.theme)
                if name not in themes:
                    themes.append(name)
            minutes = max(2, round(count * 0.7))
            detail = f"About {minutes} minutes · {', '.join(themes[:3])}"
            if len(themes) > 3:
                detail += f" and {len(themes) - 3} more themes"
            if view.held_back and view.is_new:
                detail += ("\nYour first check-in starts with the most important prompts; "
                           "the others follow over the coming weeks.")
            elif view.held_back:
                detail += (f"\nThe most important come first; {view.held_back} more prompt"
                           f"{'s' if view.held_back != 1 else ''} will wait for a later check-in.")
            self.checkin_detail.setText(detail)
        elif view.next_due_at is not None:
            self.checkin_title.setText(
                f"All caught up — next check-in {self._when(view.next_due_at, local)}")
            self.checkin_detail.setText("Nothing is due. You can still write a journal entry.")
        else:
            self.checkin_title.setText("All caught up")
            self.checkin_detail.setText("No prompts are scheduled.")
        if view.problems:
            shown = "\n".join(f"• {p}" for p in view.problems[:3])
            more = f"\n…and {len(view.problems) - 3} more" if len(view.problems) > 3 else ""
            self.checkin_detail.setText(
                self.checkin_detail.text()
                + f"\nSome prompts were skipped because their file has a mistake:\n{shown}{more}")

    def _when(self, when: datetime, local: datetime) -> str:
        day = when.astimezone(self.context.tz).date()
        delta = (day - local.date()).days
        if delta <= 0:
            return "later today"
        if delta == 1:
            return "tomorrow"
        if delta < 7:
            return day.strftime("%A")
        return day.strftime("%A %d %B").replace(" 0", " ")

    def _sync_flag_cards(self, flags: Sequence[Flag]) -> None:
        """Make the flag cards show ``flags``, in order. A card whose flag is unchanged is
        kept (and moved if flags before it came or went); only cards for new or changed
        flags are built. Building, styling and laying out a card is most of what
        re-rendering Today costs, and a hidden Today pays for it when next shown: a
        check-in that changed one flag and ended another rebuilt four cards before."""
        spare: dict[Flag, list[FlagCard]] = {}
        for card in self.flag_cards:
            spare.setdefault(card.flag, []).append(card)
        cards: list[FlagCard] = []
        for flag in flags:
            kept = spare.get(flag)
            if kept:
                cards.append(kept.pop(0))
                continue
            card = FlagCard(flag)
            card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            card.dismiss_chosen.connect(self._on_card_dismiss_chosen)
            card.snooze_chosen.connect(self._on_card_snooze_chosen)
            cards.append(card)
        for left in spare.values():
            for card in left:
                self.flags_box.removeWidget(card)
                card.deleteLater()
        for position, card in enumerate(cards):
            item = self.flags_box.itemAt(position)
            if item is None or item.widget() is not card:
                if card in self.flag_cards:
                    self.flags_box.removeWidget(card)
                self.flags_box.insertWidget(position, card)
        self.flag_cards = cards
        previous = self.start_button
        for card in self.flag_cards:
            self.setTabOrder(previous, card.snooze_button)
            self.setTabOrder(card.snooze_button, card.dismiss_button)
            previous = card.dismiss_button
        self.setTabOrder(previous, self.history_button)

    def _render_flags(self, view: TodayView, cards: int | None = None) -> None:
        flags = list(view.flags)
        self._sync_flag_cards(flags if cards is None else flags[:cards])
        count = len(view.flags)
        self.flags_heading.setText(
            f"Needs your attention ({count})" if count else "Needs your attention")
        self.flags_heading.show()
        self.no_flags_card.setVisible(count == 0)
        if view.is_new:
            self.no_flags_label.setText(
                "Nothing here yet. As you answer check-ins, Keel watches for the situations "
                "the experts warn about — drifting views, a thinning circle of people who worry "
                "about AI risk, money that makes leaving hard — and raises a flag here.")
        else:
            self.no_flags_label.setText(
                "Nothing needs your attention. Flags appear here when one of the experts' "
                "warnings, or one of Keel's own checks such as your tripwires, applies to "
                "your own answers.")
        history = len(view.history)
        self.history_button.setVisible(history > 0)
        self.history_button.setText(
            f"{'Hide' if self.history_button.isChecked() else 'Show'} dismissed and snoozed "
            f"flags ({history})")
        self.history_view.set_actions(view.history, view.flag_messages, self.context.tz)
        self.history_view.setVisible(history > 0 and self.history_button.isChecked())

    def _render_rhythm(self, view: TodayView, local: datetime) -> None:
        period = view.period
        if view.last_checkin_at is None:
            self.streak_label.setText("—")
            self.streak_caption.setText("No check-ins yet")
            self.last_label.setText(
                f"Your rhythm is {view.rhythm}. Each {period} you check in adds to it.")
            return
        streak = view.streak
        self.streak_label.setText(str(streak))
        self.streak_caption.setText(
            f"{period}{'s' if streak != 1 else ''} in a row with a check-in")
        last = view.last_checkin_at.astimezone(self.context.tz)
        days = (local.date() - last.date()).days
        ago = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        self.last_label.setText(
            f"Last check-in: {last.strftime('%a %d %b %Y').replace(' 0', ' ')} ({ago})\n"
            f"{view.checkins_done:,} check-in{'s' if view.checkins_done != 1 else ''} in all"
            f" · rhythm: {view.rhythm}")

    # Actions -------------------------------------------------------------------
    @Slot()
    def _on_start_button_clicked(self) -> None:
        if self.view is not None and self.view.due:
            self.navigate.emit("checkin")

    @Slot(bool)
    def _on_history_button_toggled(self, shown: bool) -> None:
        self.history_view.setVisible(shown)
        count = self.history_view.history_model.rowCount()
        self.history_button.setText(
            f"{'Hide' if shown else 'Show'} dismissed and snoozed flags ({count})")

    @Slot(str, str)
    def _on_card_dismiss_chosen(self, key: str, note: str) -> None:
        from db.flag_actions import dismiss_flag

        self._store(lambda: dismiss_flag(self.context.db, key, note, when=self.context.now()),
                    key, "Flag dismissed")

    @Slot(str, str, int)
    def _on_card_snooze_chosen(self, key: str, note: str, days: int) -> None:
        from db.flag_actions import snooze_flag

        now = self.context.now()
        self._store(lambda: snooze_flag(self.context.db, key, note,
                                        until=now + timedelta(days=days), when=now),
                    key, f"Flag snoozed for {days} days")

    def _store(self, write: object, key: str, message: str) -> None:
        try:
            write()  # type: ignore[operator]
        except Exception as exc:  # noqa: BLE001 - shown in plain words, nothing lost
            log.exception("could not store the flag action")
            show_error(self, "Could not save", exc)
            return
        for card in list(self.flag_cards):
            if card.flag.key == key:
                self.flags_box.removeWidget(card)
                self.flag_cards.remove(card)
                card.deleteLater()
        self.status_message.emit(message)
        self.data_changed.emit(Change.FLAGS)
        self.reload()

    # Layout --------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        wide = self.width() >= TWO_COLUMN_MIN_WIDTH
        direction = (QBoxLayout.Direction.LeftToRight if wide
                     else QBoxLayout.Direction.TopToBottom)
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)
            self.columns.setStretch(0, 3 if wide else 0)
            self.columns.setStretch(1, 2 if wide else 0)
        super().resizeEvent(event)
