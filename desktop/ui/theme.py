"""Light, dark, or the system's choice — and the design tokens both palettes share.

Keel uses the Fusion style with one of two palettes (:func:`light_palette`,
:func:`dark_palette`) and one style sheet, ``resources/style/keel.qss``. The style sheet
takes colours from the palette (``palette(base)``) wherever a palette role fits, and
``@token`` names for the few accent colours a palette has no role for (warning, error,
the banners' tints); :data:`TOKENS` gives each token a value per palette, chosen for
contrast on that palette's cards. docs/DESIGN_SYSTEM.md describes the whole system.

The user's choice (Settings → Appearance: System, Light or Dark) is kept per data folder
in ``window.ini`` under :data:`SCHEME_KEY`; "system" follows the platform's colour scheme
as it changes, the other two hold whatever the platform does.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

SCHEME_KEY = "appearance/scheme"
SCHEMES: tuple[tuple[str, str], ...] = (("system", "Same as the system"), ("light", "Light"),
                                        ("dark", "Dark"))

TOKENS: dict[str, tuple[str, str]] = {
    # token: (light value, dark value)
    "info": ("#2d6fba", "#6ea8ec"),
    "ok": ("#2e7d4f", "#5cbf86"),
    "warning": ("#9a6700", "#e0a93b"),
    "warning-line": ("#c98a00", "#c98a00"),
    "error": ("#b3261e", "#f28b82"),
    "error-line": ("#c0392b", "#e06457"),
    "banner-info": ("#eaf2fb", "#22303f"),
    "banner-warning": ("#fff6db", "#3a3120"),
    "banner-error": ("#fdecea", "#40262a"),
    "indicator-edge": ("#8a8f96", "#a3a8b0"),
    "reference": ("#c98a00", "#e0a93b"),
    "average": ("#7a4fb3", "#b79cf0"),
    "paper": ("#ffffff", "#ffffff"),
    "paper-text": ("#1b1b1b", "#1b1b1b"),
}
"""Accent colours with no palette role, per palette (all reach 4.5:1 as text on their
palette's Base colour, except the ``-line`` and background tints, which are not text;
``paper`` and ``paper-text`` are the export preview's page, white in both palettes because
it shows the printed page, whose colours are made for white paper)."""

_forced: bool | None = None
"""The user's choice: True dark, False light, None follow the system."""


def token(name: str, dark: bool | None = None) -> str:
    """A token's colour for the palette in use (or the one named by ``dark``)."""
    if dark is None:
        dark = current_is_dark()
    light_value, dark_value = TOKENS[name]
    return dark_value if dark else light_value


def use_fusion(app: QApplication) -> None:
    app.setStyle("Fusion")


def is_dark(app: QGuiApplication | None = None) -> bool:
    """Whether the platform asks for a dark scheme."""
    app = app or QGuiApplication.instance()  # type: ignore[assignment]
    if app is None:
        return False
    from PySide6.QtCore import Qt

    scheme = app.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return _palette_is_dark(app)


def current_is_dark() -> bool:
    """Whether the palette Keel applied is the dark one."""
    app = QGuiApplication.instance()
    return app is not None and _palette_is_dark(app)  # type: ignore[arg-type]


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
    p.setColor(QPalette.ColorRole.Mid, QColor(96, 100, 107))
    p.setColor(QPalette.ColorRole.Midlight, QColor(64, 67, 72))
    p.setColor(QPalette.ColorRole.Light, QColor(70, 74, 80))
    p.setColor(QPalette.ColorRole.Dark, QColor(20, 21, 23))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 123, 128))
    return p


def light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.Window, QColor(242, 243, 245))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(245, 246, 248))
    p.setColor(QPalette.ColorRole.Highlight, QColor(47, 111, 186))
    p.setColor(QPalette.ColorRole.Mid, QColor(178, 182, 188))
    p.setColor(QPalette.ColorRole.Midlight, QColor(218, 221, 226))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(255, 248, 220))
    p.setColor(QPalette.ColorRole.ToolTipText, QColor(30, 30, 30))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(100, 104, 110))
    return p


def render_style_sheet(qss: str, dark: bool) -> str:
    """``qss`` with every ``@token`` replaced by its value for the palette (longest
    names first, so ``@warning-line`` is not read as ``@warning`` + "-line")."""
    from desktop.ui.resources import resource_dir

    qss = qss.replace("@style-dir", (resource_dir() / "style").as_posix())
    for name in sorted(TOKENS, key=len, reverse=True):
        qss = qss.replace(f"@{name}", token(name, dark))
    return qss


def apply_color_scheme(app: QApplication, dark: bool | None = None) -> None:
    """Set the palette and style sheet for ``dark`` (None: the user's choice, else the
    system's)."""
    if dark is None:
        dark = _forced if _forced is not None else is_dark(app)
    app.setPalette(dark_palette() if dark else light_palette())
    from desktop.ui.resources import style_sheet

    app.setStyleSheet(render_style_sheet(style_sheet(), dark))


def set_scheme_choice(app: QApplication, choice: str) -> None:
    """Apply "system", "light" or "dark" (anything else counts as "system")."""
    global _forced
    _forced = {"light": False, "dark": True}.get(choice)
    apply_color_scheme(app)


def scheme_choice() -> str:
    """The choice in force: "system", "light" or "dark"."""
    return "system" if _forced is None else "dark" if _forced else "light"


def follow_system(app: QApplication, choice: str = "system") -> None:
    """Apply the user's choice (or the system scheme) now, and the system scheme
    whenever it changes while the choice is "system".

    Before the first window the platform palette decides (asking for the colour scheme
    returns a Qt-namespace enum, and the first one of those builds them all: ~20 ms); the
    scheme itself is checked on the first event-loop turn and wins if it disagrees.
    """
    global _forced
    from PySide6.QtCore import QTimer

    use_fusion(app)
    _forced = {"light": False, "dark": True}.get(choice)
    guess = _forced if _forced is not None else _palette_is_dark(app)
    apply_color_scheme(app, dark=guess)

    def confirm() -> None:
        if _forced is None and is_dark_scheme_known(app) and is_dark(app) != guess:
            apply_color_scheme(app)

    def on_system_change(_scheme: object) -> None:
        if _forced is None:
            apply_color_scheme(app)

    QTimer.singleShot(0, confirm)
    app.styleHints().colorSchemeChanged.connect(on_system_change)


def is_dark_scheme_known(app: QGuiApplication) -> bool:
    """Whether the platform reports a colour scheme at all."""
    from PySide6.QtCore import Qt

    return app.styleHints().colorScheme() != Qt.ColorScheme.Unknown
