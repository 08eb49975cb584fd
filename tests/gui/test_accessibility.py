"""Accessibility: every page and dialog control is named; palettes have contrast; fonts scale."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSlider,
    QTabBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.navigation import PAGES
from tests.gui.conftest import NOW, fixed_clock

INTERACTIVE = (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox,
               QAbstractItemView, QSlider)
"""Widgets a person operates (QCheckBox, QRadioButton are QAbstractButtons, QDateEdit a spin box)."""

COMPOSITE = (QComboBox, QAbstractSpinBox, QCalendarWidget, QTabBar, QAbstractItemView, QLineEdit)
"""Widgets whose internal children (a combo's list, a spin box's line edit, a tab bar's
scroll arrows, a line edit's clear button) are described by the outer widget."""


def _is_internal(widget: QWidget, root: QWidget) -> bool:
    if widget.objectName().startswith(("qt_", "_q_")):
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, COMPOSITE):
            return True
        parent = parent.parentWidget()
    return False


def _has_visible_text(widget: QWidget) -> bool:
    if isinstance(widget, QAbstractButton):
        return bool(widget.text().replace("&", "").strip())
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Describe each interactive widget under ``root`` with no accessible name, buddy or text."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}
    offenders = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or _is_internal(widget, root):
            continue
        if widget.accessibleName().strip() or id(widget) in buddies or _has_visible_text(widget):
            continue
        path = []
        node: QWidget | None = widget
        while node is not None and node is not root:
            path.append(node.objectName() or type(node).__name__)
            node = node.parentWidget()
        tip = f" tooltip={widget.toolTip()!r}" if widget.toolTip() else ""
        offenders.append(f"{type(widget).__name__} at {'/'.join(reversed(path))}{tip}")
    return offenders


@pytest.fixture
def demo_window(qtbot, make_window):  # type: ignore[no-untyped-def]
    """A fully built main window over a two-year demo journal."""
    from desktop.demo import generate

    window = make_window(clock=fixed_clock(NOW), open_journal=False)
    db = window.context.open()
    generate(db, 2, NOW)
    window.journal_opened()
    return window


def test_every_page_names_its_controls(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    offenders: list[str] = []
    for spec in PAGES:
        demo_window.show_page(spec.id)
        qtbot.wait(20)
        offenders += [f"{spec.id}: {o}" for o in unnamed_controls(demo_window.pages[spec.id])]
    offenders += [f"window chrome: {o}" for o in unnamed_controls(demo_window.sidebar)]
    print("\n".join(offenders))
    assert offenders == []


def test_a_page_with_an_unnamed_control_is_caught(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The walker itself: an unlabelled line edit is reported, a labelled one is not."""
    root = QWidget()
    qtbot.addWidget(root)
    QLineEdit(root, objectName="nameless")
    named = QLineEdit(root)
    label = QLabel("&Title", root)
    label.setBuddy(named)
    assert unnamed_controls(root) == ["QLineEdit at nameless"]


def _dialogs(window):  # type: ignore[no-untyped-def]
    """Every dialog that can be built without running its ``ask()``."""
    from db.options import all_assessment_answers, list_options
    from desktop.core.assessment import latest_answers, load_assessment
    from desktop.ui.dialogs.about_dialog import AboutDialog
    from desktop.ui.dialogs.compare_dialog import CompareDialog
    from desktop.ui.dialogs.decision_dialog import DecisionDialog
    from desktop.ui.dialogs.flag_note_dialog import FlagNoteDialog
    from desktop.ui.dialogs.onboarding_wizard import OnboardingWizard
    from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog

    context = window.context
    options = list_options(context.db)
    built = {
        "about": AboutDialog(window),
        "shortcuts": ShortcutsDialog(window),
        "onboarding": OnboardingWizard(context, window),
        "decision": DecisionDialog(window, context, options),
        "flag note": FlagNoteDialog(window, "dismiss", "No x-risk conversation in 8 weeks"),
    }
    try:  # the export dialog arrives with the export issue
        from desktop.ui.dialogs.export_dialog import ExportDialog
    except ImportError:
        pass
    else:
        built["export"] = ExportDialog(window, context)
    stored = all_assessment_answers(context.db)
    answers = {o.id: latest_answers(stored.get(o.id, [])) for o in options[:3]}
    built["compare"] = CompareDialog(window, options[:3], answers, load_assessment())
    return built


def test_every_dialog_names_its_controls(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    offenders: list[str] = []
    dialogs = _dialogs(demo_window)
    for name, dialog in dialogs.items():
        offenders += [f"{name}: {o}" for o in unnamed_controls(dialog)]
    for dialog in dialogs.values():  # children of the window: close them before it goes
        dialog.reject()
        dialog.deleteLater()
    qtbot.wait(10)
    print("\n".join(sorted(set(offenders))))
    assert sorted(set(offenders)) == []


# Contrast ---------------------------------------------------------------------------------

def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


R = QPalette.ColorRole
PAIRS = [
    (R.Text, R.Base, 4.5),
    (R.WindowText, R.Window, 4.5),
    (R.ButtonText, R.Button, 4.5),
    (R.HighlightedText, R.Highlight, 4.5),
    (R.ToolTipText, R.ToolTipBase, 4.5),
    (R.PlaceholderText, R.Base, 3.0),
]


def _palette(scheme: str) -> QPalette:
    from desktop.ui.application import create_application
    from desktop.ui.theme import dark_palette, light_palette

    create_application()
    return dark_palette() if scheme == "dark" else light_palette()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS, ids=[f"{f.name}-on-{b.name}" for f, b, _ in PAIRS])
def test_palette_contrast(qtbot, scheme: str, fg: QPalette.ColorRole, bg: QPalette.ColorRole,
                          minimum: float) -> None:  # type: ignore[no-untyped-def]
    palette = _palette(scheme)
    ratio = contrast(palette.color(fg), palette.color(bg))
    assert ratio >= minimum, (f"{scheme}: {fg.name} {palette.color(fg).name()} on {bg.name} "
                              f"{palette.color(bg).name()} is {ratio:.2f}:1, below {minimum}:1")


def test_contrast_formula_matches_wcag() -> None:
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)


# Fonts ------------------------------------------------------------------------------------

PX_ALLOWED = re.compile(r"^(border|padding|margin|spacing)|radius$")


def test_style_sheet_sizes_no_text_in_pixels() -> None:
    """Text sizes are in points (they follow the system font and DPI); px only for lines and gaps."""
    qss = (resources.files("resources") / "style" / "keel.qss").read_text(encoding="utf-8")
    qss = re.sub(r"/\*.*?\*/", "", qss, flags=re.DOTALL)
    offenders = []
    for prop, value in re.findall(r"([a-z-]+)\s*:\s*([^;{}]+)", qss):
        if re.search(r"\d\s*px\b", value) and not PX_ALLOWED.search(prop):
            offenders.append(f"{prop}: {value.strip()}")
    assert offenders == []


def test_app_font_follows_the_system_font(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.application import create_application

    app = create_application()
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    assert app.font().family() == system.family()
    assert app.font().pointSizeF() == pytest.approx(system.pointSizeF())
    assert isinstance(QGuiApplication.instance(), QApplication)


def nested_scrolling(root: QWidget) -> list[str]:
    """Visible scroll areas inside a visible ``QScrollArea`` of *root* (issue 19: no nested
    scroll areas). A list or text field that scrolls inside a scrolling page is reported
    only while its own scroll bar shows, except on the pages that own long lists."""
    found = []
    for area in root.findChildren(QAbstractScrollArea):
        if not area.isVisible():
            continue
        node = area.parentWidget()
        while node is not None and node is not root.parentWidget():
            if isinstance(node, QScrollArea) and node.isVisible():
                if isinstance(area, QScrollArea) or area.verticalScrollBar().isVisible():
                    found.append(f"{type(area).__name__} {area.objectName()!r} "
                                 f"in {node.objectName()!r}")
                break
            node = node.parentWidget()
    return found


# Settings holds the ~270 prompts and the money history: those lists scroll inside the
# page on purpose, at a fixed height, so the page around them stays one scroll.
SCROLLING_LISTS = {"promptTree", "snapshotTable"}


def test_no_scroll_area_scrolls_inside_another(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    offenders: list[str] = []
    for width, height in ((1280, 800), (900, 700)):
        demo_window.resize(width, height)
        for spec in PAGES:
            demo_window.show_page(spec.id)
            qtbot.wait(30)
            offenders += [f"{width}x{height} {spec.id}: {line}"
                          for line in nested_scrolling(demo_window.pages[spec.id])
                          if line.split("'")[1] not in SCROLLING_LISTS]
    assert offenders == []


def test_a_scroll_area_inside_another_is_caught(qtbot) -> None:  # type: ignore[no-untyped-def]
    outer = QScrollArea(objectName="outer")
    qtbot.addWidget(outer)
    content = QWidget()
    QVBoxLayout(content).addWidget(QScrollArea(objectName="inner"))
    outer.setWidget(content)
    outer.setWidgetResizable(True)
    outer.show()
    assert nested_scrolling(outer) == ["QScrollArea 'inner' in 'outer'"]
