"""Export for an advising call: period, sections, redaction, questions, format, preview.

The preview is composed off the UI thread whenever a choice changes (a newer preview
supersedes an older one). Save… asks for a file with the native dialog and writes it in
the background through :func:`desktop.export_writer.run_export` — the same path as
``keel export`` — with a progress bar and Cancel. A failure leaves any old file as it was.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.context import AppContext
from desktop.core.export_compose import SECTION_IDS, SECTION_TITLES, ExportOptions, Period
from desktop.ui.errors import show_error
from desktop.ui.widgets.markdown_view import MarkdownView

log = logging.getLogger(__name__)

FORMATS = (("md", "&Markdown", "Markdown (*.md)"), ("html", "&HTML", "Web page (*.html)"),
           ("pdf", "&PDF", "PDF document (*.pdf)"))
"""(format id, radio label, file-dialog filter)."""
PRESETS = (("month", "Last month"), ("quarter", "Last 3 months"),
           ("since_last", "Since the last export"), ("all", "Everything"),
           ("custom", "Custom range"))
PREVIEW_DELAY_MS = 300


def months_back(day: date, months: int) -> date:
    """*day* moved back by whole calendar *months* (the day clamped to the month's end)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_file_name(today: date, fmt: str) -> str:
    """``keel-journal-2026-11-27.pdf``."""
    return f"keel-journal-{today.isoformat()}.{fmt}"


def _preview_document(db: Any, period: Period, options: ExportOptions, now: datetime,
                      tz: tzinfo | None, questions: str) -> tuple[Any, str]:
    """Worker: the composed export (runs off the UI thread), and what the residual scan
    of the redaction found ("" when nothing), so the preview can warn before Save."""
    from db.export_data import gather
    from desktop.core.export_compose import check_redaction, compose
    from desktop.core.redact import RedactionIncomplete
    from desktop.export_locale import export_format

    doc = compose(gather(db, period, now, tz, questions), options, now, export_format(db))
    try:
        check_redaction(doc)
    except RedactionIncomplete as exc:
        return doc, str(exc)
    return doc, ""


class ExportPreview(MarkdownView):
    """The preview pane: shows the very document the PDF is painted from
    (:func:`desktop.ui.pdf_export.build_document`), which loads nothing."""

    def show_document(self, doc: Any) -> None:
        from desktop.ui.pdf_export import build_document

        text = build_document(doc)
        text.setParent(self)  # Qt deletes a document of the pane's when the next replaces it
        self.setDocument(text)


class ExportDialog(QDialog):
    """The form; :meth:`ask` runs it and returns the saved file's path."""

    def __init__(self, parent: QWidget | None, context: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for an advising call")
        self.setObjectName("exportDialog")
        self.context = context
        self.saved_path: Path | None = None
        """Set once a file has been written."""
        self._task: Any = None
        self._closed = False
        self._close_after_cancel = False
        self._preview_generation = 0
        self.now = context.now()
        self.today = self.now.astimezone(context.tz).date()
        self._load_bounds()

        # Period ------------------------------------------------------------------
        self.preset_combo = QComboBox(objectName="exportPreset")
        self.preset_combo.setAccessibleName("Period")
        for key, label in PRESETS:
            self.preset_combo.addItem(label, key)
        if self.last_export_day is None:
            index = self.preset_combo.findData("since_last")
            self.preset_combo.setItemData(index, "No export saved yet",
                                          Qt.ItemDataRole.ToolTipRole)
            self.preset_combo.model().item(index).setEnabled(False)  # type: ignore[attr-defined]
        self.from_edit = self._date_edit("From")
        self.to_edit = self._date_edit("To")
        dates = QHBoxLayout()
        from_label = QLabel("&From")
        from_label.setBuddy(self.from_edit)
        to_label = QLabel("&to")
        to_label.setBuddy(self.to_edit)
        dates.addWidget(from_label)
        dates.addWidget(self.from_edit, 1)
        dates.addWidget(to_label)
        dates.addWidget(self.to_edit, 1)
        period_box = QGroupBox("Period")
        period_layout = QFormLayout(period_box)
        period_layout.addRow("&Range", self.preset_combo)
        period_layout.addRow(dates)
        period_label = period_layout.labelForField(self.preset_combo)
        if isinstance(period_label, QLabel):
            period_label.setBuddy(self.preset_combo)

        # Sections ----------------------------------------------------------------
        sections_box = QGroupBox("Sections")
        sections_layout = QVBoxLayout(sections_box)
        sections_layout.setSpacing(2)
        self.section_checks: dict[str, QCheckBox] = {}
        for sid in SECTION_IDS:
            label = SECTION_TITLES[sid]
            check = QCheckBox(label + (" (always page 1)" if sid == "briefing" else ""))
            check.setObjectName(f"section_{sid}")
            check.setAccessibleName(f"Include {label}")
            check.setChecked(True)
            if sid == "briefing":
                check.setEnabled(False)
                check.setToolTip("The agenda is always page 1.")
            self.section_checks[sid] = check
            sections_layout.addWidget(check)

        # Redaction ---------------------------------------------------------------
        redact_box = QGroupBox("Redaction")
        redact_layout = QVBoxLayout(redact_box)
        self.redact_orgs_check = QCheckBox("Replace &organisation names (Org A, Org B…)")
        self.redact_orgs_check.setAccessibleName("Replace organisation names")
        self.redact_money_check = QCheckBox("Replace amounts of mone&y")
        self.redact_money_check.setAccessibleName("Replace amounts of money")
        self.people_edit = QLineEdit(objectName="redactPeople")
        self.people_edit.setAccessibleName("People's names to replace")
        self.people_edit.setPlaceholderText("Names, comma-separated — become Person 1, Person 2…")
        people_label = QLabel("Pe&ople")
        people_label.setBuddy(self.people_edit)
        self.org_names_edit = QLineEdit(objectName="redactOrgNames")
        self.org_names_edit.setAccessibleName("Other organisation names to replace")
        self.org_names_edit.setPlaceholderText("Other organisations, comma-separated")
        org_names_label = QLabel("O&thers")
        org_names_label.setBuddy(self.org_names_edit)
        names_form = QFormLayout()
        names_form.setContentsMargins(0, 0, 0, 0)
        names_form.addRow(org_names_label, self.org_names_edit)
        names_form.addRow(people_label, self.people_edit)
        redact_layout.addWidget(self.redact_orgs_check)
        redact_layout.addLayout(names_form)
        redact_layout.addWidget(self.redact_money_check)
        self._restore_choices()

        # Questions ---------------------------------------------------------------
        self.questions_edit = QPlainTextEdit(objectName="exportQuestions")
        self.questions_edit.setAccessibleName("Questions I want to discuss")
        self.questions_edit.setPlaceholderText("One per line — they open the agenda on page 1 "
                                               "and are remembered for next time.")
        self.questions_edit.setTabChangesFocus(True)
        self.questions_edit.setPlainText(self._saved_questions())
        line = self.questions_edit.fontMetrics().lineSpacing()
        self.questions_edit.setMinimumHeight(line * 4)
        questions_label = QLabel("&Questions I want to discuss")
        questions_label.setObjectName("subHeading")
        questions_label.setBuddy(self.questions_edit)

        # Format ------------------------------------------------------------------
        self.format_group = QButtonGroup(self)
        format_row = QHBoxLayout()
        format_label = QLabel("Format")
        format_label.setObjectName("subHeading")
        format_row.addWidget(format_label)
        self.format_radios: dict[str, QRadioButton] = {}
        for fmt, label, _filter in FORMATS:
            radio = QRadioButton(label)
            radio.setObjectName(f"format_{fmt}")
            radio.setAccessibleName(f"Format {label.replace('&', '')}")
            self.format_group.addButton(radio)
            self.format_radios[fmt] = radio
            format_row.addWidget(radio)
        format_row.addStretch(1)
        self.format_radios["pdf"].setChecked(True)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(period_box)
        form_layout.addWidget(sections_box)
        form_layout.addWidget(redact_box)
        form_layout.addWidget(questions_label)
        form_layout.addWidget(self.questions_edit, 1)
        form_layout.addLayout(format_row)

        # Preview -----------------------------------------------------------------
        self.preview = ExportPreview()
        self.preview.setObjectName("exportPreview")
        self.preview.setAccessibleName("Preview of the export")
        self.preview_label = QLabel("Preview")
        self.preview_label.setObjectName("subHeading")
        self.preview_state = QLabel()
        self.preview_state.setObjectName("mutedLabel")
        self.redaction_state = QLabel(objectName="exportRedactionState")
        self.redaction_state.setAccessibleName("Redaction")
        preview_header = QHBoxLayout()
        preview_header.addWidget(self.preview_label)
        preview_header.addWidget(self.redaction_state)
        preview_header.addStretch(1)
        preview_header.addWidget(self.preview_state)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addLayout(preview_header)
        preview_layout.addWidget(self.preview, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(form)
        splitter.addWidget(preview_box)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 560])

        # Progress and buttons ------------------------------------------------------
        self.progress = QProgressBar(objectName="exportProgress")
        self.progress.setAccessibleName("Export progress")
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.status_label = QLabel(objectName="exportStatus")
        self.status_label.setObjectName("mutedLabel")
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save…")
        self.save_button.setObjectName("exportSave")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Choose where to save the export")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("exportCancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        self.from_edit.dateChanged.connect(self._on_date_edited)
        self.to_edit.dateChanged.connect(self._on_date_edited)
        for check in self.section_checks.values():
            check.toggled.connect(self._schedule_preview)
        self.redact_orgs_check.toggled.connect(self._schedule_preview)
        self.redact_money_check.toggled.connect(self._schedule_preview)
        self.people_edit.textChanged.connect(self._schedule_preview)
        self.org_names_edit.textChanged.connect(self._schedule_preview)
        self.questions_edit.textChanged.connect(self._schedule_preview)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)

        self.setTabOrder(self.preset_combo, self.from_edit)
        self.setTabOrder(self.from_edit, self.to_edit)
        self._updating_dates = False
        default = "since_last" if self.last_export_day is not None else "quarter"
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(default))
        self._apply_preset(default)
        self.resize(1000, 720)
        self._refresh_preview()

    # Reading the journal's bounds ------------------------------------------------
    def _load_bounds(self) -> None:
        from db.export_data import first_day, last_export

        db = self.context.db
        self.first_day = first_day(db, self.context.tz)
        last = last_export(db)
        self.last_export_day = last.astimezone(self.context.tz).date() if last else None

    def _restore_choices(self) -> None:
        """Sections and redaction as they were at this journal's last export."""
        from db.export_data import saved_choices

        try:
            chosen = saved_choices(self.context.db)
        except Exception as exc:  # remembering is a convenience; defaults still work
            log.warning("could not read the last export's choices: %s", type(exc).__name__)
            return
        for sid, check in self.section_checks.items():
            check.setChecked(sid in chosen.sections or sid == "briefing")
        self.redact_orgs_check.setChecked(chosen.redact_orgs)
        self.redact_money_check.setChecked(chosen.redact_money)
        self.people_edit.setText(", ".join(chosen.redact_people))
        self.org_names_edit.setText(", ".join(chosen.redact_org_names))

    def _saved_questions(self) -> str:
        from db.export_data import saved_questions

        return saved_questions(self.context.db)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(calendarPopup=True)
        edit.setObjectName(f"export{name}")
        edit.setAccessibleName(f"{name} date")
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        return edit

    # What the user chose ------------------------------------------------------------
    def period(self) -> Period:
        """The chosen days (swapped when From is after To, so it is never invalid)."""
        start = self.from_edit.date().toPython()
        end = self.to_edit.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return Period(min(start, end), max(start, end))

    def options(self) -> ExportOptions:
        """Sections and redaction as chosen."""
        sections = frozenset(sid for sid, check in self.section_checks.items()
                             if check.isChecked()) | {"briefing"}
        people = tuple(n.strip() for n in self.people_edit.text().split(",") if n.strip())
        orgs = tuple(n.strip() for n in self.org_names_edit.text().split(",") if n.strip())
        return ExportOptions(sections=sections, redact_orgs=self.redact_orgs_check.isChecked(),
                             redact_people=people, redact_money=self.redact_money_check.isChecked(),
                             redact_org_names=orgs)

    def format(self) -> str:
        """``md``, ``html`` or ``pdf``."""
        return next(fmt for fmt, radio in self.format_radios.items() if radio.isChecked())

    def questions(self) -> str:
        return self.questions_edit.toPlainText().strip()

    # Period presets ---------------------------------------------------------------
    def _apply_preset(self, key: str) -> None:
        end = self.today
        if key == "month":
            start = months_back(end, 1)
        elif key == "quarter":
            start = months_back(end, 3)
        elif key == "since_last":
            start = self.last_export_day or months_back(end, 3)
        elif key == "all":
            start = self.first_day or end
        else:
            return
        self._updating_dates = True
        self.from_edit.setDate(QDate(start.year, start.month, start.day))
        self.to_edit.setDate(QDate(end.year, end.month, end.day))
        self._updating_dates = False
        self._schedule_preview()

    @Slot(int)
    def _on_preset_changed(self, _index: int) -> None:
        self._apply_preset(str(self.preset_combo.currentData()))

    @Slot()
    def _on_date_edited(self) -> None:
        if self._updating_dates:
            return
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData("custom"))
        self.preset_combo.blockSignals(False)
        self._schedule_preview()

    # Preview ------------------------------------------------------------------------
    @Slot()
    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    @Slot()
    def _on_preview_timer_timeout(self) -> None:
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        from desktop.ui.tasks import run_in_background

        self._preview_timer.stop()
        self._preview_generation += 1
        generation = self._preview_generation
        self.preview_state.setText("Updating…")
        self.redaction_state.setText("· " + self.options().redaction_label())
        run_in_background(
            _preview_document, self.context.db, self.period(), self.options(), self.now,
            self.context.tz, self.questions(),
            on_done=lambda result: self._on_preview_done(generation, result),
            on_error=lambda exc: self._on_preview_failed(generation, exc))

    def _on_preview_done(self, generation: int, result: tuple[Any, str]) -> None:
        if self._closed or not isValid(self) or generation != self._preview_generation:
            return
        doc, problem = result
        scroll = self.preview.verticalScrollBar().value()
        self.preview.show_document(doc)
        self.preview.verticalScrollBar().setValue(scroll)
        self.preview_state.setText("")
        self.status_label.setText(problem)

    def _on_preview_failed(self, generation: int, exc: BaseException) -> None:
        if self._closed or not isValid(self) or generation != self._preview_generation:
            return
        log.warning("export preview failed: %s", type(exc).__name__)
        self.preview.setPlainText("The preview could not be made. Saving may still work; "
                                  "details are in the log file.")
        self.preview_state.setText("")

    @property
    def preview_pending(self) -> bool:
        """True while a preview is scheduled or being composed (tests wait on it)."""
        return self._preview_timer.isActive() or self.preview_state.text() == "Updating…"

    # Saving -------------------------------------------------------------------------
    def _documents_folder(self) -> Path:
        found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(found) if found else Path.home()

    @Slot()
    def _on_save_clicked(self) -> None:
        fmt = self.format()
        filters = ";;".join(f for _fmt, _label, f in FORMATS)
        chosen_filter = next(f for key, _label, f in FORMATS if key == fmt)
        default = self._documents_folder() / default_file_name(self.today, fmt)
        name, _selected = QFileDialog.getSaveFileName(
            self, "Save export", str(default), filters, chosen_filter)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        self.start_export(path)

    def start_export(self, path: Path) -> None:
        """Write the export to *path* in the background (Save… calls this after asking)."""
        from db.export_data import save_choices, save_questions
        from desktop.export_writer import check_writable, run_export
        from desktop.ui.tasks import run_in_background

        try:
            check_writable(path)
        except Exception as exc:
            self.status_label.setText("Nothing was written.")
            show_error(self, "Could not export", exc)
            return
        questions = self.questions()
        try:
            save_questions(self.context.db, questions)
            save_choices(self.context.db, self.options())
        except Exception as exc:  # remembering is a convenience; the export still runs
            log.warning("could not remember the questions and choices: %s",
                        type(exc).__name__)
        self._set_running(True)
        self.status_label.setText(f"Writing {path.name}…")
        self._task = run_in_background(
            run_export, self.context.db, self.format(), path, self.period(), self.options(),
            self.context.now(), self.context.tz, questions,
            on_done=self._on_export_done, on_error=self._on_export_failed,
            on_progress=self._on_export_progress)

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        self.save_button.setEnabled(not running)
        for widget in self.findChildren(QGroupBox):
            widget.setEnabled(not running)
        self.questions_edit.setReadOnly(running)
        for radio in self.format_radios.values():
            radio.setEnabled(not running)
        self.cancel_button.setText("Cancel export" if running else "Cancel")
        if not running:
            self._task = None

    def _on_export_progress(self, done: int, total: int) -> None:
        if self._closed or not isValid(self):
            return
        if total > 1:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_export_done(self, path: Path) -> None:
        if self._closed or not isValid(self):
            return
        self._set_running(False)
        self.saved_path = Path(path)
        self.status_label.setText(f"Saved to {path}")
        if self._close_after_cancel:
            super().reject()
            return
        self.accept()

    def _on_export_failed(self, exc: BaseException) -> None:
        from desktop.export_writer import ExportCancelled

        if self._closed or not isValid(self):
            return
        self._set_running(False)
        if isinstance(exc, ExportCancelled):
            self.status_label.setText("Export cancelled; nothing was written.")
            if self._close_after_cancel:
                super().reject()
            return
        self.status_label.setText("Nothing was written.")
        show_error(self, "Could not export", exc)

    @Slot()
    def _on_cancel_clicked(self) -> None:
        if self._task is not None:  # stop the export, keep the dialog open
            self._task.cancel()
            self.status_label.setText("Cancelling…")
            return
        self.reject()

    @property
    def running(self) -> bool:
        """True while an export is being written."""
        return self._task is not None

    def reject(self) -> None:
        if self._task is not None:  # cancel first; close when the worker has stopped
            self._task.cancel()
            self._close_after_cancel = True
            self.status_label.setText("Cancelling…")
            return
        super().reject()

    def done(self, result: int) -> None:
        self._closed = True
        self._preview_timer.stop()
        super().done(result)

    @classmethod
    def ask(cls, parent: QWidget | None, context: AppContext) -> Path | None:
        """Show the dialog; the path of the file written, or None when nothing was saved."""
        dialog = cls(parent, context)
        try:
            dialog.exec()
            return dialog.saved_path
        finally:
            dialog.deleteLater()
