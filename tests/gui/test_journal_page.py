"""The Journal page end to end: typing, saving, reopening, deleting, drafts that survive closing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from db import drafts, journal
from desktop.ui.widgets.confirm import Confirm


def journal_page(window):  # type: ignore[no-untyped-def]
    window.show_page("journal")
    return window.pages["journal"]


def test_entry_typed_and_saved_is_there_after_restart(qtbot, make_window):
    window = make_window()
    page = journal_page(window)
    page.new_entry()
    qtbot.keyClicks(page.editor.title_edit, "First week at the lab")
    qtbot.keyClicks(page.editor.tags_edit, "work, values")
    qtbot.keyClicks(page.editor.body_edit, "Met the team. **Mixed feelings.**")
    qtbot.keyClick(page.editor.body_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert page.model.rowCount() == 1
    window.close()

    again = make_window()
    page2 = journal_page(again)
    assert page2.model.rowCount() == 1
    stored = journal.list_entries(again.context.db)
    assert [e.title for e in stored] == ["First week at the lab"]
    assert stored[0].tags == ("values", "work")
    assert stored[0].body == "Met the team. **Mixed feelings.**"
    # Selecting it shows the text and a rendered, sanitised preview.
    page2._select_row(0)
    assert page2.editor.body_edit.toPlainText() == "Met the team. **Mixed feelings.**"
    qtbot.waitUntil(lambda: "<b>" in page2.editor.preview.toHtml()
                    or "font-weight" in page2.editor.preview.toHtml())


def test_typed_draft_survives_closing_the_window(qtbot, make_window):
    window = make_window()
    page = journal_page(window)
    page.new_entry()
    qtbot.keyClicks(page.editor.body_edit, "half a thought about vesting")
    window.close()  # no save pressed

    stored = drafts.load_draft(window.context.db, "entry:new")
    assert stored is not None and stored.payload["body"] == "half a thought about vesting"

    again = make_window()
    page2 = journal_page(again)
    assert page2.banner.isVisible() or not page2.banner.isHidden()
    restore = next(b for b in page2.banner.buttons if b.text() == "Restore")
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    assert page2.editor.body_edit.toPlainText() == "half a thought about vesting"
    page2.save_entry()
    assert [e.body for e in journal.list_entries(again.context.db)] == ["half a thought about vesting"]
    assert drafts.load_draft(again.context.db, "entry:new") is None


def test_autosave_writes_the_draft_without_closing(qtbot, make_window):
    window = make_window()
    page = journal_page(window)
    page.new_entry()
    qtbot.keyClicks(page.editor.body_edit, "typed and left alone")
    qtbot.waitUntil(lambda: drafts.load_draft(window.context.db, "entry:new") is not None,
                    timeout=3000)
    assert drafts.load_draft(window.context.db, "entry:new").payload["body"] == "typed and left alone"


def test_editing_and_deleting_an_entry(qtbot, make_window, monkeypatch):
    window = make_window()
    db = window.context.db
    first = journal.create_entry(db, "original text", "Old title")
    page = journal_page(window)
    page.reload()
    page._select_row(0)
    assert page.editor.reading  # a saved entry opens for reading
    page.editor.toggle_mode()  # Edit (F2)
    page.editor.title_edit.clear()
    qtbot.keyClicks(page.editor.title_edit, "New title")
    page.save_entry()
    assert journal.get_entry(db, first.id).title == "New title"
    assert page.state_label.text().startswith("Saved")  # no error on the way

    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    page.delete_entry()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)  # deleted off the UI thread
    assert journal.count_entries(db) == 0
    assert page.current_id is None and page.count_label.text() == "0 entries"


def test_search_box_filters_the_list(qtbot, make_window):
    window = make_window()
    db = window.context.db
    journal.create_entry(db, "talked about open-sourcing weights", "Team meeting")
    journal.create_entry(db, "a quiet weekend hiking", "Weekend")
    page = journal_page(window)
    page.reload()
    qtbot.keyClicks(page.search_edit, "weights")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert page.model.index(0).data() == "Team meeting"
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=2000)


def test_preview_never_loads_remote_or_local_resources(qtbot, make_window):
    window = make_window()
    page = journal_page(window)
    page.new_entry()
    page.editor.body_edit.setPlainText(
        '![x](http://example.com/t.png) <img src="file:///etc/passwd"> '
        '<script>alert(1)</script> [a](javascript:alert(1))')
    page.editor._render_preview()
    html = page.editor.preview.toHtml()
    assert "script" not in html.lower()
    assert "javascript:" not in html.lower()
    assert page.editor.preview.loaded_resources == []


def test_hostile_text_round_trips_exactly(qtbot, make_window):
    window = make_window()
    page = journal_page(window)
    page.new_entry()
    text = "emoji 🧭 RTL שלום مرحبا combining e\u0301 NUL\x00end " + "x" * 200_000
    page.editor.body_edit.setPlainText(text)
    page.save_entry()
    stored = journal.list_entries(window.context.db)[0]
    assert stored.body == page.editor.body_edit.toPlainText()
    assert "🧭" in stored.body and "שלום" in stored.body
