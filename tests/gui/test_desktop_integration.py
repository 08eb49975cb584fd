"""At home on the desktop: remembered geometry, dark scheme, About credits, shortcuts, icons."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_window_size_and_position_survive_a_restart(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(QSize(780, 540))
    window.move(QPoint(12, 20))  # offscreen screens are 800×600
    qtbot.wait(10)
    window.show_page("journal")
    window.close()
    again = make_window()
    assert again.size() == QSize(780, 540)
    # restoreGeometry may shift by the (offscreen) frame's few pixels; a lost position would
    # put the window back at the screen's corner, 30 px away.
    assert (again.pos() - QPoint(12, 20)).manhattanLength() <= 6
    # the page comes back too (test_main_window checks every page id; here: with a geometry)
    assert again.current_page_id() == "journal"


def test_a_restart_without_stored_state_opens_today_at_a_usable_size(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.current_page_id() == "today"
    assert window.width() >= window.minimumWidth() and window.height() >= window.minimumHeight()


def test_dark_scheme_changes_the_window_palette(qtbot, make_window):  # type: ignore[no-untyped-def]
    from desktop.ui.theme import apply_color_scheme

    window = make_window()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = window.palette().color(QPalette.ColorRole.Window)
    try:
        apply_color_scheme(app, dark=True)
        qtbot.wait(10)
        dark = window.palette().color(QPalette.ColorRole.Window)
        assert dark.lightness() < 100 < light.lightness()
        assert window.palette().color(QPalette.ColorRole.WindowText).lightness() > 180
        page = window.pages["journal"]
        assert page.palette().color(QPalette.ColorRole.Base).lightness() < 100
    finally:
        apply_color_scheme(app, dark=False)
    assert window.palette().color(QPalette.ColorRole.Window) == light


def test_about_credits_the_source_and_keeps_experts_anonymous(qtbot):  # type: ignore[no-untyped-def]
    from desktop.ui.application import create_application
    from desktop.ui.dialogs.about_dialog import AboutDialog

    create_application()
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    text = " ".join(re.sub(r"<[^>]+>", " ", label.text()) for label in dialog.findChildren(QLabel))
    assert "80,000 Hours" in text
    assert "anonymous" in text
    assert "do not represent 80,000 Hours' views" in text and "contradict its own" in text
    assert "whole range" not in text  # a claim Keel cannot back
    assert "Keel's threshold" in text
    seed = ROOT.parent / "shared" / "seeds" / "expert-advice-capabilities-roles.txt"
    people = {"Jack Clark"}  # the one person the source names, quoted by an expert, not an expert
    if seed.exists():
        people |= set(re.findall(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", seed.read_text(encoding="utf-8")))
    people -= {"Major Lab", "The Alignment", "Look Up", "Alignment Forum", "Keel"}
    assert [name for name in people if name in text] == []


def test_application_icon_has_every_size_for_high_dpi(qtbot):  # type: ignore[no-untyped-def]
    from desktop.ui.application import app_icon, create_application

    create_application()
    sizes = {size.width() for size in app_icon().availableSizes()}
    assert {16, 24, 32, 48, 64, 128, 256, 512} <= sizes


def test_no_code_forces_qt_own_file_dialogs() -> None:
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "desktop").rglob("*.py")
                 if "DontUseNativeDialog" in path.read_text(encoding="utf-8")]
    assert offenders == []


# Keyboard shortcuts -----------------------------------------------------------------------

def test_shortcuts_list_every_page_and_menu_action(qtbot, make_window):  # type: ignore[no-untyped-def]
    from desktop.ui.dialogs.shortcuts_dialog import collect_shortcuts

    window = make_window()
    rows = collect_shortcuts(window)
    keys = {row.keys for row in rows}
    for spec in PAGES:
        assert QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText) in keys
    by_action = {row.action: row for row in rows}
    assert by_action["New entry"].where == "File menu"
    assert "F1" in by_action["Keyboard shortcuts"].keys
    assert len(keys) == len(rows)  # one row per key combination


def test_shortcuts_model_and_filter(qtbot, qtmodeltester, make_window):  # type: ignore[no-untyped-def]
    from desktop.ui.dialogs.shortcuts_dialog import ShortcutRow, ShortcutsDialog, ShortcutsModel

    model = ShortcutsModel([ShortcutRow("New entry", "Ctrl+N", "File menu"),
                            ShortcutRow("Quit", "Ctrl+Q", "File menu")])
    assert model.rowCount() == 2 and model.columnCount() == 3
    assert model.data(model.index(1, 1)) == "Ctrl+Q"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Action"
    qtmodeltester.check(model)

    window = make_window()
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    everything = dialog.proxy.rowCount()
    assert everything >= len(PAGES) + 2
    qtbot.keyClicks(dialog.filter_edit, "check-in")
    shown = {dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())}
    assert 0 < len(shown) < everything
    assert any("Check-in" in action for action in shown)


def test_f1_opens_the_shortcuts_list(qtbot, make_window, monkeypatch):  # type: ignore[no-untyped-def]
    from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog

    opened: list[object] = []
    monkeypatch.setattr(ShortcutsDialog, "ask", classmethod(lambda cls, w: opened.append(w)))
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert opened == [window]
    assert window.shortcuts_action in window.help_menu.actions()


def test_page_keys_are_listed_per_page(qtbot, make_window):  # type: ignore[no-untyped-def]
    """Ctrl+S saves on Journal and on Options: the list says so for each page."""
    from desktop.ui.dialogs.shortcuts_dialog import collect_shortcuts

    window = make_window()
    for spec in PAGES:
        window.pages[spec.id]
    rows = {(r.action, r.where) for r in collect_shortcuts(window)}
    assert ("Journal: save the entry", "Journal page") in rows
    assert ("Options: save the option or its assessment", "Options page") in rows
    assert ("Check-in: finish and save", "Check-in page") in rows
