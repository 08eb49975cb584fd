"""The longest stall of the UI thread while a person uses the window, measured with a
5 ms heartbeat timer: typing in the Journal search box, scrolling the whole journal list,
opening a search result, finishing a 12-prompt check-in, saving an option, deleting an
entry, switching to each page, and another process writing while the Journal is shown.

    python benchmarks/ui_stalls.py DATA_DIR

Prints one ``what  N ms`` line per action (the longest gap between heartbeats, from the
action until its result is on screen and the pool is idle). Used by
``python -m benchmarks``; asserts nothing. DATA_DIR is written to: pass a scratch copy.
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


def settle(app, pool, until=lambda: True, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Pump events until *until* holds and the thread pool is idle (the result is shown)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pump(app, 0.01)
        if until() and pool.activeThreadCount() == 0:
            break
    pump(app, 0.05)


def answer(card) -> None:  # type: ignore[no-untyped-def]
    """Answer a prompt card the way a person would, whatever its kind."""
    from PySide6.QtTest import QTest

    buttons = getattr(card.answer, "buttons", None)
    if buttons:
        buttons[0].click()
    else:
        QTest.keyClicks(card.answer.edit, "2")


def more_stalls(app, window, beat, data_dir: str) -> list[tuple[str, float, str]]:  # type: ignore[no-untyped-def]
    """The actions of issue 14 (target ≤ 50 ms each), after the search and scroll runs."""
    import subprocess

    from PySide6.QtCore import QThreadPool

    from desktop.ui.widgets.confirm import Confirm

    pool = QThreadPool.globalInstance()
    found: list[tuple[str, float, str]] = []
    Confirm.ask = classmethod(lambda cls, *a, **k: True)  # type: ignore[method-assign]

    # Opening a search result (the entry loads into the editor).
    journal = window.pages["journal"]
    journal.search_edit.setText("vesting")
    settle(app, pool, lambda: journal.results_model.rowCount() > 0)
    rows = journal.results_model.rowCount()
    index = next((journal.results_model.index(r) for r in range(rows)
                  if journal.results_model.index(r).data(journal_hit_role()).kind == "entry"),
                 journal.results_model.index(0))
    beat.start()
    journal._on_results_activated(index)
    settle(app, pool)
    found.append(("opening a search result", beat.stop(), ""))
    journal.search_edit.clear()
    settle(app, pool, lambda: journal.list_stack.currentWidget() is journal.list_view)

    # Deleting an entry (with its words leaving the search index).
    journal._select_row(0)
    settle(app, pool)
    total = journal.model.total
    beat.start()
    journal.delete_entry()
    settle(app, pool, lambda: journal.model.total == total - 1)
    found.append(("deleting an entry", beat.stop(), ""))

    # Another process writes while the Journal is shown: the list follows.
    total = journal.model.total
    writer = subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", data_dir, "write",
                               "Written by another process"], stdout=subprocess.DEVNULL)
    while writer.poll() is None:
        pump(app, 0.02)
    beat.start()
    settle(app, pool, lambda: journal.model.total == total + 1, seconds=5)
    found.append(("another process writes", beat.stop(),
                  f"(noticed: {journal.model.total == total + 1})"))

    # Finishing a 12-prompt check-in.
    window.show_page("checkin")
    checkin = window.pages["checkin"]
    settle(app, pool)
    if checkin.stack.currentWidget() is not checkin.form_view:
        checkin.start_adhoc()
    for card in checkin.cards:
        answer(card)
    checkin.cards_asked = list(checkin.cards)
    settle(app, pool)
    today = window.pages["today"]
    before = today.view.checkins_done if today.view is not None else -1
    beat.start()
    checkin.finish()
    settle(app, pool, lambda: checkin.stack.currentWidget() is checkin.done_view
           and today.view is not None and today.view.checkins_done == before + 1)
    asked = len(checkin.cards_asked)
    found.append(("finishing a check-in", beat.stop(), f"({asked} prompts)"))

    # Saving an option.
    window.show_page("options")
    options = window.pages["options"]
    settle(app, pool)
    first = options.proxy.index(0, 0)
    if first.isValid():
        from desktop.ui.models.options_table_model import OptionRole

        options.select_option(first.data(OptionRole).id)
        settle(app, pool)
        options.editor.notes_edit.appendPlainText("One more thought.")
        beat.start()
        options.save_option()
        settle(app, pool, lambda: not getattr(options, "saving", False))
        found.append(("saving an option", beat.stop(), ""))

    # Switching to each page (built already, as after start-up).
    for spec in window.page_specs:
        window.pages[spec.id]
    settle(app, pool)
    for spec in window.page_specs:
        beat.start()
        window.show_page(spec.id)
        settle(app, pool)
        found.append((f"switching to {spec.title}", beat.stop(), ""))
    return found


def journal_hit_role():  # type: ignore[no-untyped-def]
    from desktop.ui.widgets.search_results import HitRole

    return HitRole


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
    window.build_remaining_pages()  # as the app does once its first page shows
    QThreadPool.globalInstance().waitForDone(30_000)
    pump(app, 1.0)
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
    for what, worst, note in more_stalls(app, window, beat, data_dir):
        print(f"{what} {worst * 1000:8.1f} ms  {note}".rstrip(), flush=True)
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
