"""R15: hostile Markdown through the preview and the HTML export — nothing survives, nothing loads."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from desktop.core.markup import render_markdown
from tests.reliability.helpers import keel, make_journal
from tests.unit.hostile_markdown import (
    HOSTILE,
    MARKER,
    active_markup,
    violations,
    without_keel_charts,
)


def test_preview_runs_and_loads_nothing(qtbot, monkeypatch, figure) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.widgets.markdown_view import MarkdownView

    attempts: list[str] = []

    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        attempts.append(repr(args[:2]))
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    loads: list[str] = []
    original = MarkdownView.loadResource

    def counting(self, kind, url):  # type: ignore[no-untyped-def]
        result = original(self, kind, url)
        if result not in (None, b"", ""):
            loads.append(url.toString())
        return result

    monkeypatch.setattr(MarkdownView, "loadResource", counting)
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    surviving = []
    for name, payload in HOSTILE:
        found = violations(render_markdown(payload))
        if found:
            surviving.append((name, found))
        view.set_markdown_text(payload)
        qtbot.wait(1)
    figure("R15", "payloads surviving the preview", len(surviving), "0")
    figure("R15", "network or local-file loads by the viewer", len(loads) + len(attempts), "0")
    assert surviving == [] and loads == [] and attempts == []
    assert MARKER in render_markdown(HOSTILE[0][1])


@pytest.mark.slow
def test_html_export_carries_no_payload(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    from db.engine import Database
    from db.journal import create_entry

    paths = make_journal(tmp_path / "data", years=0.1)
    db = Database(paths.database)
    try:
        for name, payload in HOSTILE:
            create_entry(db, payload, f"hostile {name}")
    finally:
        db.close()
    out = tmp_path / "export.html"
    result = keel("export", "--format", "html", "-o", str(out), data_dir=paths.data_dir)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    body = re.search(r"<body.*?>(.*)</body>", page, re.S | re.I)
    found = active_markup(without_keel_charts(body.group(1) if body else page))  # shown as text, never live
    figure("R15", "payloads surviving the HTML export", len(found), "0")
    assert found == [], found
