"""Child for R2: a real Keel window (offscreen) types into the Journal editor.

Prints ``typed N`` once N characters are typed, ``autosaved`` after waiting past the
autosave delay, then types more and prints ``tail N``; the test SIGKILLs it after that.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest

from desktop.app import LaunchOptions, run
from desktop.ui import shell as shell_module
from desktop.ui.pages.journal_page import AUTOSAVE_MS

FIRST = "Today my manager asked me to speed up the optimiser work. I said I'd think. "
TAIL = "And then"

_open = shell_module.Shell.open_journal


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _type(window) -> None:  # type: ignore[no-untyped-def]
    window.show_page("journal")
    page = window.pages["journal"]
    page.new_entry()
    editor = page.editor.body_edit
    editor.setFocus()
    QTest.keyClicks(editor, FIRST)
    _say(f"typed {len(FIRST)}")

    def later() -> None:
        _say("autosaved")
        QTest.keyClicks(editor, TAIL)
        _say(f"tail {len(TAIL)}")

    QTimer.singleShot(AUTOSAVE_MS + 800, later)


def _patched(self) -> None:  # type: ignore[no-untyped-def]
    _open(self)
    QTimer.singleShot(200, lambda: _type(self.window))


shell_module.Shell.open_journal = _patched  # type: ignore[method-assign]
sys.exit(run(LaunchOptions(data_dir=sys.argv[1])))
