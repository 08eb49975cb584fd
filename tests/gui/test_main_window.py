"""The main window: navigation lists only working pages, state is remembered, small sizes work."""

from __future__ import annotations

from desktop.ui.navigation import PAGES


def test_sidebar_lists_every_registered_page_and_switches(qtbot, make_window):
    window = make_window()
    assert list(window.sidebar.buttons) == [spec.id for spec in PAGES]
    for spec in PAGES:
        window.sidebar.buttons[spec.id].click()
        assert window.stack.currentWidget() is window.pages[spec.id]


def test_window_remembers_its_page(qtbot, make_window):
    window = make_window()
    last = PAGES[-1].id
    window.show_page(last)
    window.close()
    again = make_window()
    assert again.current_page_id() == last


def test_window_works_at_800x600(qtbot, make_window):
    window = make_window()
    window.resize(800, 600)
    window.show_page("journal")
    qtbot.wait(10)
    assert window.width() <= 800 and window.height() <= 600
    page = window.pages["journal"]
    assert page.editor.body_edit.isVisible()
    assert page.list_view.isVisible()


def test_journal_that_cannot_open_is_explained_not_crashed(qtbot, make_window):
    window = make_window(open_journal=False)
    window.journal_failed("This journal was written by a newer version of Keel.")
    assert window.banner.isVisible()
    assert "newer version" in window.banner.label.text()


def test_narrow_window_uses_icon_sidebar_and_one_editor_pane(qtbot, make_window):
    window = make_window()
    window.resize(800, 600)
    window.show_page("journal")
    page = window.pages["journal"]
    qtbot.waitUntil(lambda: window.sidebar.compact, timeout=2000)
    assert window.sidebar.width() < 100
    assert window.sidebar.buttons["journal"].accessibleName() == "Journal"
    # A badge (prompts due) never pushes the icon out: no button's caption is elided.
    window.sidebar.set_badge("checkin", "12")
    for spec in window.page_specs:
        assert window.sidebar.buttons[spec.id].text() == spec.icon  # one glyph, never elided
    checkin = window.sidebar.buttons["checkin"]
    assert "12 due" in checkin.toolTip() and checkin.accessibleDescription() == "12 due"
    editor = page.editor
    qtbot.waitUntil(lambda: editor.preview_toggle.isVisible(), timeout=2000)
    assert editor.body_edit.isVisible() and not editor.preview.isVisible()
    editor.preview_toggle.click()
    assert editor.preview.isVisible() and not editor.body_edit.isVisible()

    window.resize(1280, 800)
    qtbot.waitUntil(lambda: not window.sidebar.compact, timeout=2000)
    qtbot.waitUntil(lambda: editor.body_edit.isVisible() and editor.preview.isVisible(), timeout=2000)
    assert not editor.preview_toggle.isVisible()


def test_the_heap_is_frozen_once_every_page_is_built(qtbot, make_window):  # type: ignore[no-untyped-def]
    """Start-up's objects (window, pages, modules) are kept out of the garbage collector's
    full collections, which hold the interpreter while they walk every object: a worker's
    read once stalled the UI thread for 56 ms that way. Not before every page is built."""
    import gc

    gc.unfreeze()
    window = make_window()
    window.build_remaining_pages()
    assert gc.get_freeze_count() == 0  # the pages come one event-loop turn each
    qtbot.waitUntil(lambda: all(window.pages.is_built(s.id) for s in window.page_specs),
                    timeout=10_000)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=2_000)
