"""The design system (docs/DESIGN_SYSTEM.md): scales held by the style sheet, Light /
Dark / System in Settings, one banner at a time, check boxes visible on every row."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui.application import style_sheet
from desktop.ui.theme import SCHEME_KEY, TOKENS, render_style_sheet, set_scheme_choice
from tests.gui.conftest import NOW, fixed_clock

TYPE_SCALE = {9, 11, 13, 15, 18, 26}
SPACING = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 18, 20, 24, 32}
"""The 4 px grid, plus the 1-3 px that focus rings and borders take back from padding."""
RADII = {4, 6, 8}


def _qss() -> str:
    return re.sub(r"/\*.*?\*/", "", style_sheet(), flags=re.DOTALL)


def test_style_sheet_keeps_to_the_type_spacing_and_radius_scales() -> None:
    qss = _qss()
    sizes = {int(v) for v in re.findall(r"font-size:\s*(\d+)pt", qss)}
    assert sizes <= TYPE_SCALE, sizes - TYPE_SCALE
    radii = {int(v) for v in re.findall(r"radius:\s*(\d+)px", qss)}
    assert radii <= RADII, radii - RADII
    gaps = {int(v) for prop, vals in re.findall(r"(padding|margin)[a-z-]*:\s*([^;}]+)", qss)
            for v in re.findall(r"(\d+)px", vals)}
    assert gaps <= SPACING, gaps - SPACING


def test_every_token_is_defined_for_both_palettes_and_replaced() -> None:
    for dark in (False, True):
        rendered = re.sub(r"/\*.*?\*/", "", render_style_sheet(style_sheet(), dark),
                          flags=re.DOTALL)
        assert not re.search(r"@[a-z]", rendered), re.findall(r"@[a-z-]+", rendered)[:5]
    used = set(re.findall(r"@([a-z][a-z-]*)", _qss())) - {"style-dir"}
    assert used <= set(TOKENS)


def test_text_tokens_read_on_their_palette(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.application import create_application
    from desktop.ui.theme import dark_palette, light_palette

    create_application()
    for dark, palette in ((False, light_palette()), (True, dark_palette())):
        base = palette.color(QPalette.ColorRole.Base)
        for name in ("info", "ok", "warning", "error"):
            colour = QColor(TOKENS[name][1 if dark else 0])
            assert _contrast(colour, base) >= 4.5, (name, dark)


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_light_dark_system_in_settings_applies_now_and_is_kept(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    section = window.pages["settings"].section("AppearanceSection")
    assert section is not None
    try:
        section.buttons["dark"].click()
        assert window.palette().color(QPalette.ColorRole.Window).lightness() < 100
        assert "@" not in app.styleSheet()
        stored = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
        assert stored.value(SCHEME_KEY) == "dark"
        section.buttons["light"].click()
        assert window.palette().color(QPalette.ColorRole.Window).lightness() > 200
        stored.sync()
        assert stored.value(SCHEME_KEY) == "light"
    finally:
        set_scheme_choice(app, "light")


def test_stored_choice_is_applied_at_start(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from desktop.app import LaunchOptions
    from desktop.context import AppContext
    from desktop.paths import Paths
    from desktop.ui.application import create_application
    from desktop.ui.shell import Shell

    app = create_application()
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue(SCHEME_KEY, "dark")
    settings.sync()
    shell = Shell(app, AppContext(Paths(data_dir)), LaunchOptions(data_dir=str(data_dir)))
    try:
        assert shell.window.palette().color(QPalette.ColorRole.Window).lightness() < 100
    finally:
        shell.window.close()
        shell.window.deleteLater()
        set_scheme_choice(app, "light")


def test_one_banner_at_a_time_page_banner_wins_between_equals(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("checkin")
    page = window.pages["checkin"]
    qtbot.waitUntil(lambda: not page.banner.isHidden(), timeout=5000)  # new journal: catch-up
    window.banner.show_message("A check-in is due.", kind="info")
    shown = [b for b in (window.banner, page.banner) if b.isVisible()]
    assert shown == [page.banner]
    window.banner.show_message("The journal could not be saved.", kind="error")
    assert window.banner.isVisible() and not page.banner.isVisible()  # errors come first
    window.banner.hide()  # dismissed: the page's message comes back
    assert page.banner.isVisible() and not window.banner.isVisible()
    window.banner.show_message("A check-in is due.", kind="info")
    window.show_page("today")  # no page banner there: the window's is shown
    assert window.banner.isVisible()
    window.show_page("checkin")
    assert page.banner.isVisible() and not window.banner.isVisible()


def test_compare_check_boxes_show_on_alternate_rows_in_dark(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.journal_file import open_database
    from db.options import save_option
    from desktop.core.records import JobOption
    from desktop.paths import Paths

    paths = Paths(data_dir)
    db = open_database(paths.database, paths.backups)
    try:
        for name in ("Alpha Labs", "Beta Works", "Gamma Org"):
            save_option(db, JobOption(id=None, organisation=name, role="Engineer",
                                      status="offer", offer_deadline=date(2027, 1, 1)))
    finally:
        db.close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    set_scheme_choice(app, "dark")
    try:
        window = make_window(clock=fixed_clock(NOW))
        window.resize(1280, 800)
        window.show_page("options")
        page = window.pages["options"]
        qtbot.waitUntil(lambda: page.proxy.rowCount() == 3, timeout=5000)
        table = page.table
        image = table.viewport().grab().toImage()
        background = table.palette().color(QPalette.ColorRole.AlternateBase)
        row = table.visualRect(page.proxy.index(1, 0))  # an alternate row
        strongest = 0
        for x in range(row.left(), row.left() + 40):
            for y in range(row.top() + 2, row.bottom() - 1):
                pixel = QColor(image.pixel(x, y))
                strongest = max(strongest, abs(pixel.lightness() - background.lightness()))
        assert strongest >= 60  # the box's edge stands out from the row
    finally:
        set_scheme_choice(app, "light")


def test_every_image_the_style_sheet_names_exists() -> None:
    """The combo box's chevron and the check box's tick are files: a missing one would
    leave the control with no arrow or tick at all (Fusion's own is replaced)."""
    from pathlib import Path

    from desktop.ui.resources import resource_dir

    folder = (resource_dir() / "style").as_posix()
    images = [p.replace("@style-dir", folder) for p in re.findall(r"url\(([^)]+)\)", _qss())]
    assert any(p.endswith("arrow-down.svg") for p in images)
    assert [p for p in images if not Path(p).is_file()] == []
