"""The longest stall of the UI thread while a person types in the Journal search box and
scrolls the whole journal list, measured with a 5 ms heartbeat timer.

    python benchmarks/ui_stalls.py DATA_DIR

Prints ``typing in search  N ms`` and ``scrolling the list  N ms`` (longest gap between
heartbeats). Used by ``python -m benchmarks``; asserts nothing.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Heartbeat:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self._beat()
        self.timer.stop()
        return self.worst


def pump(app, seconds: float) -> None:  # type: ignore[no-untyped-def]
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def main(data_dir: str) -> int:
    from PySide6.QtCore import QThreadPool
    from PySide6.QtTest import QTest

    from desktop.context import AppContext
    from desktop.paths import Paths
    from desktop.ui.application import create_application
    from desktop.ui.main_window import MainWindow

    app = create_application()
    context = AppContext(Paths(Path(data_dir)))
    window = MainWindow(context)
    window.resize(1280, 800)
    window.show()
    context.open()
    window.journal_opened()
    window.show_page("journal")
    page = window.pages["journal"]
    QThreadPool.globalInstance().waitForDone(30_000)
    pump(app, 0.5)

    beat = Heartbeat()
    beat.start()
    for ch in "vesting cliff":
        QTest.keyClick(page.search_edit, ch)
        pump(app, 0.08)  # a brisk typist: about 12 keys a second
    pump(app, 1.0)  # let the last search land
    typing = beat.stop()
    page.search_edit.clear()
    pump(app, 1.0)

    beat.start()
    view = page.list_view
    bar = view.verticalScrollBar()
    while True:
        bar.setValue(bar.value() + view.viewport().height())
        pump(app, 0.005)
        if bar.value() >= bar.maximum():
            break
    scrolling = beat.stop()
    print(f"typing in search {typing * 1000:8.1f} ms")
    print(f"scrolling the list {scrolling * 1000:8.1f} ms  ({page.model.rowCount()} entries)")
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
