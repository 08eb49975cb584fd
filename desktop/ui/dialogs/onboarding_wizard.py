"""Onboarding: situation, baseline, tripwires, an optional financial snapshot and rhythm.

Typed text autosaves to the draft ``onboarding``, so a crash mid-way resumes where it
stopped. Finish stores everything; if a write fails the wizard stays open with all that was
typed, and pressing Finish again writes only what is still missing. Running it again (from
Settings) adds new baseline and tripwire versions; nothing earlier is overwritten.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QWidget, QWizard

from desktop.context import AppContext
from desktop.ui.dialogs.onboarding_pages import (
    BaselinePage,
    DraftPage,
    RhythmPage,
    SituationPage,
    SnapshotPage,
    TripwiresPage,
    WelcomePage,
)
from desktop.ui.errors import show_error

log = logging.getLogger(__name__)

DRAFT_KEY = "onboarding"
AUTOSAVE_MS = 800


class OnboardingWizard(QWizard):
    """The first-run wizard (re-runnable from Settings)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("onboardingWizard")
        self.setWindowTitle("Set up Keel")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.setButtonText(QWizard.WizardButton.CancelButton, "Not now")
        self.welcome_page = WelcomePage()
        self.situation_page = SituationPage()
        self.baseline_page = BaselinePage()
        self.tripwires_page = TripwiresPage()
        self.snapshot_page = SnapshotPage()
        self.rhythm_page = RhythmPage()
        self.draft_pages: list[DraftPage] = [
            self.welcome_page, self.situation_page, self.baseline_page,
            self.tripwires_page, self.snapshot_page, self.rhythm_page,
        ]
        for page in self.draft_pages:
            self.addPage(page)
            page.edited.connect(self._on_page_edited)
        self.resize(720, 560)
        self.setMinimumSize(560, 460)
        self._written: set[str] = set()
        """Steps of Finish already stored (so a retry never stores one twice)."""
        self._existing_tripwires: list[Any] = []
        self._loading = False
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self.currentIdChanged.connect(lambda _i: self.save_draft())
        self._prefill()

    # Starting ------------------------------------------------------------------
    def _prefill(self) -> None:
        """Resume a draft, or start from what is stored (when run again)."""
        from db.drafts import load_draft
        from db.profile_history import latest_baseline, tripwires
        from db.settings import get_profile

        db = self.context.db
        self._existing_tripwires = tripwires(db)
        draft = load_draft(db, DRAFT_KEY)
        self._loading = True
        try:
            if draft is not None:
                self.load(draft.payload)
                return
            profile = get_profile(db)
            baseline = latest_baseline(db)
            self.load({
                "situation": profile.situation,
                "rhythm": profile.rhythm,
                "weekday": profile.preferred_weekday,
                "baseline": baseline.text if baseline else "",
                "worry": baseline.worry if baseline and baseline.worry is not None else 5,
                "tripwires": [t.text for t in self._existing_tripwires],
            })
        finally:
            self._loading = False

    def payload(self) -> dict[str, Any]:
        """Everything typed so far, as the draft stores it."""
        values: dict[str, Any] = {}
        for page in self.draft_pages:
            values.update(page.values())
        return values

    def load(self, payload: dict[str, Any]) -> None:
        """Fill every page from a draft."""
        for page in self.draft_pages:
            page.load(payload)

    # Drafts --------------------------------------------------------------------
    @Slot()
    def _on_page_edited(self) -> None:
        if not self._loading:
            self._autosave.start()

    @Slot()
    def save_draft(self) -> None:
        """Store what is typed under the ``onboarding`` draft key."""
        from db.drafts import save_draft

        self._autosave.stop()
        try:
            save_draft(self.context.db, DRAFT_KEY, self.payload())
        except Exception as exc:  # noqa: BLE001 - the text stays in the wizard
            log.warning("onboarding draft not saved: %s", type(exc).__name__)

    def reject(self) -> None:
        self.save_draft()
        super().reject()

    # Finishing -----------------------------------------------------------------
    def accept(self) -> None:
        try:
            self.write()
        except Exception as exc:  # noqa: BLE001 - stay open with everything typed
            log.warning("onboarding not saved: %s", type(exc).__name__)
            self.save_draft()
            show_error(self, "Could not save onboarding", exc)
            return
        super().accept()

    def write(self) -> None:
        """Store baseline, tripwires, snapshot and profile (profile last)."""
        from db.drafts import discard_draft
        from db.profile_history import (
            add_baseline,
            add_snapshot,
            add_tripwire,
            archive_tripwire,
            latest_baseline,
        )
        from db.settings import get_profile, save_profile

        db = self.context.db
        now = self.context.now()
        if "baseline" not in self._written:
            text = self.baseline_page.text_edit.toPlainText().strip()
            worry = self.baseline_page.worry_slider.value()
            latest = latest_baseline(db)
            if latest is None or latest.text.strip() != text or latest.worry != worry:
                add_baseline(db, text, worry, when=now)
            self._written.add("baseline")

        lines = self.tripwires_page.lines()
        existing = {t.text: t for t in self._existing_tripwires}
        for line in lines:
            key = f"tripwire:{line}"
            if line not in existing and key not in self._written:
                add_tripwire(db, line, when=now)
                self._written.add(key)
        for text, tripwire in existing.items():
            key = f"archive:{tripwire.id}"
            if text not in lines and key not in self._written:
                archive_tripwire(db, tripwire.id, when=now)
                self._written.add(key)

        snapshot = self.snapshot_page.snapshot()
        if snapshot is not None and "snapshot" not in self._written:
            vest: date | None = snapshot["next_vest_date"]
            add_snapshot(db, snapshot["liquid_savings"], snapshot["monthly_spending"],
                         snapshot["unvested_equity"], vest, snapshot["currency"], when=now)
            self._written.add("snapshot")

        profile = replace(get_profile(db), situation=self.situation_page.situation(),
                          rhythm=self.rhythm_page.rhythm(),
                          preferred_weekday=self.rhythm_page.weekday_combo.currentIndex(),
                          onboarded=True)
        save_profile(db, profile)
        self._autosave.stop()
        discard_draft(db, DRAFT_KEY)

    @classmethod
    def ask(cls, parent: QWidget | None, context: AppContext) -> bool:
        """Run the wizard; True when the user finished and everything was stored."""
        wizard = cls(context, parent)
        return bool(wizard.exec() == QWizard.DialogCode.Accepted)
