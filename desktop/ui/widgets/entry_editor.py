"""One entry: read (rendered, full width) or edited (title, tags, Markdown body and a
live, sanitised preview). A saved entry opens for reading; Edit (F2) switches to
editing and back, as Day One and Obsidian do."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.markup import render_markdown
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.markdown_view import MarkdownView

PREVIEW_DELAY_MS = 250
BACKGROUND_RENDER_CHARS = 50_000
"""Longer texts are rendered off the UI thread so typing never stalls."""


def _titled(caption: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(caption, objectName="paneCaption")
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


class EntryEditor(QWidget):
    """The editing half of the Journal page. Emits ``edited`` on every change the user makes."""

    edited = Signal()
    """The user changed the title, tags or body."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._narrow = False
        self._render_generation = 0

        self.title_edit = QLineEdit(objectName="entryTitle")
        self.title_edit.setPlaceholderText("Title (optional)")
        self.title_edit.setAccessibleName("Entry title")
        title_font = QFont(self.title_edit.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title_edit.setFont(title_font)
        self.title_edit.setFrame(False)

        self.tags_edit = QLineEdit(objectName="entryTags")
        self.tags_edit.setPlaceholderText("Add tags, separated by commas")
        self.tags_edit.setAccessibleName("Tags, separated by commas")

        self.body_edit = QPlainTextEdit(objectName="entryBody")
        self.body_edit.setPlaceholderText(
            "Write in Markdown. What happened, what you noticed, what you want to remember…"
        )
        self.body_edit.setAccessibleName("Entry text (Markdown)")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))

        self.preview = MarkdownView(objectName="entryPreview")
        self.preview.setAccessibleName("Preview")
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.date_label = QLabel(objectName="mutedLabel")
        tags_label = QLabel("&Tags")
        tags_label.setBuddy(self.tags_edit)
        meta = QHBoxLayout()
        meta.setContentsMargins(0, 0, 0, 0)
        meta.addWidget(self.date_label, 1)
        tags_row = QHBoxLayout()
        tags_row.setContentsMargins(0, 0, 0, 4)
        tags_row.addWidget(tags_label)
        tags_row.addWidget(self.tags_edit, 1)

        self.preview_toggle = QToolButton(objectName="previewToggle")
        self.preview_toggle.setText("Preview")
        self.preview_toggle.setCheckable(True)
        self.preview_toggle.setToolTip("Show the preview instead of the text (narrow windows)")
        self.preview_toggle.setAccessibleName("Show preview")
        self.preview_toggle.hide()
        meta.addWidget(self.preview_toggle)
        self.preview_toggle.toggled.connect(self._on_preview_toggle_toggled)
        self.mode_button = QPushButton("&Edit", objectName="editEntry")
        self.mode_button.setToolTip("Edit this entry (F2); F2 again to read it")
        self.mode_button.clicked.connect(self.toggle_mode)
        meta.addWidget(self.mode_button)
        QShortcut(QKeySequence("F2"), self, activated=self.toggle_mode,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reading = False
        """True: the entry is shown rendered, full width; False: the editors are shown."""
        self._tags_widgets: list[QWidget] = [tags_label, self.tags_edit]

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self._write_pane = _titled("Markdown", self.body_edit)
        self._preview_pane = _titled("Preview", self.preview)
        self._preview_caption = self._preview_pane.findChild(QLabel)
        splitter.addWidget(self._write_pane)
        splitter.addWidget(self._preview_pane)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([1, 1])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_edit)
        layout.addLayout(meta)
        layout.addLayout(tags_row)
        layout.addWidget(splitter, 1)

        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._render_preview)
        for signal in (self.title_edit.textEdited, self.tags_edit.textEdited):
            signal.connect(self._on_user_edit)
        self.body_edit.textChanged.connect(self._on_body_changed)

    # Loading and reading -----------------------------------------------------
    NARROW = 620
    """Below this width the text and the preview share one pane, switched by a button."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < self.NARROW
        if narrow != self._narrow:
            self._narrow = narrow
            self._apply_panes()

    def _apply_panes(self) -> None:
        narrow = self._narrow
        show_preview = self.preview_toggle.isChecked()
        if self.reading:
            self._write_pane.setVisible(False)
            self._preview_pane.setVisible(True)
            self.preview_toggle.setVisible(False)
            return
        self.preview_toggle.setVisible(narrow)
        self._write_pane.setVisible(not narrow or not show_preview)
        self._preview_pane.setVisible(not narrow or show_preview)

    def set_reading(self, reading: bool) -> None:
        """Show the entry rendered, full width (True) or in the editors (False)."""
        self.reading = reading
        self.title_edit.setReadOnly(reading)
        self.title_edit.setFocusPolicy(Qt.FocusPolicy.NoFocus if reading
                                       else Qt.FocusPolicy.StrongFocus)
        for widget in self._tags_widgets:
            widget.setVisible(not reading)
        self._preview_caption.setVisible(not reading)
        self.preview.setObjectName("entryReader" if reading else "entryPreview")
        self.preview.setFocusPolicy(Qt.FocusPolicy.StrongFocus if reading
                                    else Qt.FocusPolicy.NoFocus)
        self.preview.style().unpolish(self.preview)
        self.preview.style().polish(self.preview)
        self.mode_button.setText("&Done" if not reading else "&Edit")
        self.mode_button.setToolTip("Read this entry (F2)" if not reading
                                    else "Edit this entry (F2)")
        self.mode_button.setAccessibleName("Read the entry" if not reading else "Edit the entry")
        self._apply_panes()
        if not reading:
            self.body_edit.setFocus()

    @Slot()
    def toggle_mode(self) -> None:
        """F2: reading ↔ editing."""
        if self.reading:
            self.set_reading(False)
        else:
            self._render_preview()
            self.set_reading(True)
            self.preview.setFocus()

    @Slot(bool)
    def _on_preview_toggle_toggled(self, _checked: bool) -> None:
        self._apply_panes()
        if self._write_pane.isVisible():
            self.body_edit.setFocus()

    def set_date_text(self, text: str) -> None:
        self.date_label.setText(text)

    def load(self, title: str, body: str, tags: list[str] | tuple[str, ...]) -> None:
        self._loading = True
        try:
            self.title_edit.setText(title)
            self.tags_edit.setText(", ".join(tags))
            self.body_edit.setPlainText(body)
        finally:
            self._loading = False
        self._render_preview()

    def payload(self) -> dict:
        return {
            "title": self.title_edit.text(),
            "tags": split_tags(self.tags_edit.text()),
            "body": self.body_edit.toPlainText(),
        }

    def is_blank(self) -> bool:
        p = self.payload()
        return not (p["title"].strip() or p["body"].strip() or p["tags"])

    # Slots -----------------------------------------------------------------
    @Slot()
    def _on_body_changed(self) -> None:
        self._preview_timer.start()
        if not self._loading:
            self.edited.emit()

    @Slot()
    def _on_user_edit(self) -> None:
        if not self._loading:
            self.edited.emit()

    @Slot()
    def _render_preview(self) -> None:
        text = self.body_edit.toPlainText()
        self._render_generation += 1
        generation = self._render_generation
        if len(text) < BACKGROUND_RENDER_CHARS:
            self.preview.setHtml(render_markdown(text))
            return

        def show(html: str) -> None:
            if generation == self._render_generation:
                self.preview.setHtml(html)

        run_in_background(render_markdown, text, on_done=show)
