"""Light and dark: Keel follows the system's colour scheme through Qt's style hints.

Keel uses the Fusion style, whose palette Qt switches with the platform's colour scheme,
so the same palette-based style sheet reads well both ways. ``apply_color_scheme`` forces
one scheme (screenshots, tests, and a Settings choice).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


def use_fusion(app: QApplication) -> None:
    app.setStyle("Fusion")


def is_dark(app: QGuiApplication | None = None) -> bool:
    app = app or QGuiApplication.instance()  # type: ignore[assignment]
    if app is None:
        return False
    from PySide6.QtCore import Qt

    scheme = app.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return _palette_is_dark(app)


def _palette_is_dark(app: QGuiApplication) -> bool:
    """The platform palette's guess: a dark window colour."""
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 39, 43), QColor(28, 30, 33), QColor(232, 232, 232)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(44, 47, 52))
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(50, 53, 58))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(58, 62, 68))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Highlight, QColor(40, 104, 176))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.Link, QColor(120, 170, 240))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(160, 164, 170))
    p.setColor(QPalette.ColorRole.Mid, QColor(80, 84, 90))
    p.setColor(QPalette.ColorRole.Midlight, QColor(64, 67, 72))
    p.setColor(QPalette.ColorRole.Light, QColor(70, 74, 80))
    p.setColor(QPalette.ColorRole.Dark, QColor(20, 21, 23))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 123, 128))
    return p


def light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(243, 244, 246))
    p.setColor(QPalette.ColorRole.Highlight, QColor(47, 111, 186))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(255, 248, 220))
    p.setColor(QPalette.ColorRole.ToolTipText, QColor(30, 30, 30))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(110, 114, 120))
    return p


def apply_color_scheme(app: QApplication, dark: bool | None = None) -> None:
    """Set the palette for ``dark`` (None: follow the system)."""
    if dark is None:
        dark = is_dark(app)
    app.setPalette(dark_palette() if dark else light_palette())
    app.setStyleSheet(app.styleSheet())  # re-polish palette() references


def follow_system(app: QApplication) -> None:
    """Apply the system scheme now and whenever it changes.

    Before the first window the platform palette decides (asking for the colour scheme
    returns a Qt-namespace enum, and the first one of those builds them all: ~20 ms); the
    scheme itself is checked on the first event-loop turn and wins if it disagrees.
    """
    from PySide6.QtCore import QTimer

    use_fusion(app)
    guess = _palette_is_dark(app)
    apply_color_scheme(app, dark=guess)

    def confirm() -> None:
        if is_dark_scheme_known(app) and is_dark(app) != guess:
            apply_color_scheme(app)

    QTimer.singleShot(0, confirm)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_color_scheme(app))


def is_dark_scheme_known(app: QGuiApplication) -> bool:
    """Whether the platform reports a colour scheme at all."""
    from PySide6.QtCore import Qt

    return app.styleHints().colorScheme() != Qt.ColorScheme.Unknown
