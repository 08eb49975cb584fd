"""Onboarding: a new user walks the wizard; a re-run from Settings adds versions; first run wiring."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from desktop.ui.dialogs.onboarding_wizard import DRAFT_KEY, OnboardingWizard
from tests.gui.conftest import NOW, fixed_clock

BASELINE = "I think there is a real chance advanced AI goes badly; I want to notice drift."


def _next(qtbot, wizard: OnboardingWizard) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _walk(qtbot, wizard: OnboardingWizard, snapshot: bool = True,  # type: ignore[no-untyped-def]
          fresh: bool = True) -> None:
    _next(qtbot, wizard)  # welcome
    assert wizard.currentPage() is wizard.situation_page
    if fresh:  # nothing chosen yet: Next waits for a situation
        assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(wizard.situation_page.buttons["at-lab"], Qt.MouseButton.LeftButton)
    _next(qtbot, wizard)
    page = wizard.baseline_page
    page.text_edit.clear()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # required
    qtbot.keyClicks(page.text_edit, BASELINE)
    page.worry_slider.setFocus()
    page.worry_slider.setValue(0)
    for _ in range(7):
        qtbot.keyClick(page.worry_slider, Qt.Key.Key_Right)
    _next(qtbot, wizard)
    trip = wizard.tripwires_page
    qtbot.keyClicks(trip.line_edit, "I am asked to work on low-precision training kernels")
    qtbot.mouseClick(trip.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(trip.suggestion_buttons[0], Qt.MouseButton.LeftButton)
    _next(qtbot, wizard)
    snap = wizard.snapshot_page
    if snapshot:
        qtbot.keyClicks(snap.savings_edit, "lots")
        _next(qtbot, wizard)  # refused: stays on the page with a message
        assert wizard.currentPage() is snap and snap.error_label.isVisible()
        assert "savings" in snap.error_label.text()
        snap.savings_edit.clear()
        qtbot.keyClicks(snap.savings_edit, "25,000")
        qtbot.keyClicks(snap.spending_edit, "3200")
        qtbot.keyClicks(snap.equity_edit, "120000")
        snap.currency_combo.setCurrentText("EUR")
        assert snap.vest_date.date() is None  # starts empty: nothing is filled in for the user
        qtbot.keyClicks(snap.vest_date.edit, "1 Mar 2027")
    _next(qtbot, wizard)
    rhythm = wizard.rhythm_page
    qtbot.mouseClick(rhythm.buttons["fortnightly"], Qt.MouseButton.LeftButton)
    rhythm.weekday_combo.setCurrentIndex(3)


def test_new_user_finishes_onboarding_and_everything_is_stored(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from db.profile_history import baselines, latest_snapshot, tripwires
    from db.settings import get_profile

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    assert not get_profile(db).onboarded
    wizard = OnboardingWizard(window.context, window)
    qtbot.addWidget(wizard)
    wizard.show()
    _walk(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QWizard.DialogCode.Accepted

    profile = get_profile(db)
    assert (profile.situation, profile.rhythm, profile.preferred_weekday, profile.onboarded) == (
        "at-lab", "fortnightly", 3, True)
    [baseline] = baselines(db)
    assert baseline.text == BASELINE and baseline.worry == 7
    assert [t.text for t in tripwires(db)] == [
        "I am asked to work on low-precision training kernels",
        "My team starts open-sourcing frontier model weights",
    ]
    snap = latest_snapshot(db)
    assert snap is not None
    assert (snap.liquid_savings, snap.monthly_spending, snap.unvested_equity, snap.currency) == (
        25000.0, 3200.0, 120000.0, "EUR")
    assert snap.next_vest_date == date(2027, 3, 1)
    from db.drafts import load_draft

    assert load_draft(db, DRAFT_KEY) is None


def test_skipped_snapshot_stores_none(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from db.profile_history import snapshots

    window = make_window(clock=fixed_clock(NOW))
    wizard = OnboardingWizard(window.context, window)
    qtbot.addWidget(wizard)
    wizard.show()
    _walk(qtbot, wizard, snapshot=False)
    wizard.accept()
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert snapshots(window.context.db) == []


def test_failed_write_keeps_the_wizard_open_and_retry_does_not_duplicate(
        make_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import db.settings as settings
    from db.profile_history import baselines, tripwires
    from db.validation import InvalidInput

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    wizard = OnboardingWizard(window.context, window)
    qtbot.addWidget(wizard)
    wizard.show()
    _walk(qtbot, wizard, snapshot=False)
    real_save = settings.save_profile

    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise InvalidInput("The disk is full.")

    monkeypatch.setattr(settings, "save_profile", broken)
    wizard.accept()
    assert wizard.isVisible() and wizard.result() != QWizard.DialogCode.Accepted
    assert wizard.baseline_page.text_edit.toPlainText() == BASELINE
    assert not settings.get_profile(db).onboarded
    monkeypatch.setattr(settings, "save_profile", real_save)
    wizard.accept()
    assert settings.get_profile(db).onboarded
    assert len(baselines(db)) == 1 and len(tripwires(db)) == 2


def test_typed_text_survives_a_crash_mid_wizard(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    wizard = OnboardingWizard(window.context, window)
    qtbot.addWidget(wizard)
    wizard.show()
    _next(qtbot, wizard)
    qtbot.mouseClick(wizard.situation_page.buttons["weighing"], Qt.MouseButton.LeftButton)
    _next(qtbot, wizard)
    qtbot.keyClicks(wizard.baseline_page.text_edit, "Half written thought")
    wizard.save_draft()  # what the autosave timer does
    wizard.hide()  # the process dies: no Finish, no Cancel
    again = OnboardingWizard(window.context, window)
    qtbot.addWidget(again)
    assert again.situation_page.situation() == "weighing"
    assert again.baseline_page.text_edit.toPlainText() == "Half written thought"


def test_rerun_from_settings_adds_a_baseline_version(make_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.profile_history import add_baseline, add_tripwire, baselines, tripwires
    from db.settings import get_profile, save_profile
    from desktop.core.records import Profile

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    # Dated before the window's fixed clock, so the order does not depend on today's date.
    add_baseline(db, "First view.", 4, when=NOW - timedelta(days=30))
    add_tripwire(db, "Old line", when=NOW - timedelta(days=30))
    save_profile(db, Profile(situation="student", onboarded=True))

    def drive(cls, parent, context) -> bool:  # type: ignore[no-untyped-def]
        wizard = cls(context, parent)
        qtbot.addWidget(wizard)
        wizard.show()
        assert wizard.baseline_page.text_edit.toPlainText() == "First view."
        assert wizard.tripwires_page.lines() == ["Old line"]
        _walk(qtbot, wizard, snapshot=False, fresh=False)
        wizard.accept()
        return wizard.result() == QWizard.DialogCode.Accepted

    monkeypatch.setattr(OnboardingWizard, "ask", classmethod(drive))
    window.show_page("settings")
    section = window.pages["settings"].section("ProfileSection")
    qtbot.mouseClick(section.rerun_button, Qt.MouseButton.LeftButton)
    texts = [b.text for b in baselines(db)]
    assert texts == ["First view.", BASELINE]
    assert "Old line" in [t.text for t in tripwires(db)]
    assert get_profile(db).situation == "at-lab"
    assert section.situation_combo.currentData() == "at-lab"  # Settings reloaded


def test_cancel_on_first_run_leaves_keel_usable(make_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from db.settings import get_profile
    from desktop.ui.shell import Shell

    window = make_window(clock=fixed_clock(NOW))
    wizard = OnboardingWizard(window.context, window)
    qtbot.addWidget(wizard)
    wizard.show()
    _next(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert not get_profile(window.context.db).onboarded

    calls: list[object] = []
    monkeypatch.setattr(OnboardingWizard, "ask",
                        classmethod(lambda cls, parent, ctx: calls.append(parent) or False))
    fake = SimpleNamespace(window=window, context=window.context)
    Shell._run_onboarding(fake)  # type: ignore[arg-type]
    assert calls == [window]
    assert window.isVisible()
