"""`keel export`, `keel search` and `keel import`: every option, every format, redaction, bad targets."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import unicodedata
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from db.journal import create_entry
from db.journal_file import open_database
from db.options import list_options
from desktop.cli import main
from desktop.core.export_compose import SECTION_TITLES
from desktop.demo import generate
from tests.unit.hostile_markdown import HOSTILE, MARKER, without_keel_charts

pytestmark = pytest.mark.usefixtures("qapp")  # the PDF writer needs a Qt application
NOW = datetime.now(UTC)
FIXTURES = Path(__file__).parent.parent / "fixtures"
ENTRY_TEXT = "Plainly distinctive sentence about kingfishers"


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A demo journal with one year of data and a hostile entry; returns (dir, organisations)."""
    folder = tmp_path_factory.mktemp("journal")
    db = open_database(folder / "keel.sqlite3")
    try:
        generate(db, 1, NOW)
        create_entry(db, ENTRY_TEXT + " at Meridian AI.", "Kingfishers", ["birds"], when=NOW)
        hostile = "\n\n".join(payload for _name, payload in HOSTILE)
        create_entry(db, hostile, "Hostile corpus", when=NOW)
        orgs = sorted({o.organisation for o in list_options(db)})
    finally:
        db.close()
    return folder, orgs


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def _words(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(path: Path, pages: slice = slice(None)) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(path).pages[pages])
    return _words(unicodedata.normalize("NFKC", text))  # "ﬁ" ligatures back to letters


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.headings: list[tuple[str, str]] = []
        self._in: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self._in = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_markdown_export_parses_back_into_the_sections(journal: tuple[Path, list[str]],
                                                        tmp_path: Path) -> None:
    import markdown

    folder, _orgs = journal
    out = tmp_path / "call.md"
    assert run(folder, "export", "--format", "md", "--output", str(out)) == 0
    html = markdown.markdown(out.read_text(encoding="utf-8"), extensions=["tables"])
    headings = _parse(html).headings
    assert headings[0][0] == "h1"
    assert [t for tag, t in headings if tag == "h2"] == [
        *SECTION_TITLES.values(), "Notes on the experts and on Keel"]
    assert ("h3", "Decisions pending or due for revisit") in headings
    assert ENTRY_TEXT in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_html_export_loads_nothing_and_drops_the_hostile_corpus(
        journal: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, _orgs = journal
    out = tmp_path / "call.html"
    assert run(folder, "export", "--format", "html", "--output", str(out)) == 0
    page = _parse(without_keel_charts(out.read_text(encoding="utf-8")))
    for tag, attrs in page.tags:
        assert tag not in {"script", "iframe", "img", "link", "object", "embed", "svg", "form",
                           "base", "video", "audio", "source", "math"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name not in {"src", "srcset", "background", "formaction"}, (tag, name)
            if name == "href":
                assert re.match(r"(https?:|mailto:|#)", value or ""), value
    assert MARKER in "".join(page.text)
    assert ENTRY_TEXT in "".join(page.text)


def test_pdf_export_starts_with_a_one_page_agenda(
        journal: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, _orgs = journal
    out = tmp_path / "call.pdf"
    assert run(folder, "export", "--format", "pdf", "--output", str(out),
               "--questions", "Should I stay for the vest?") == 0
    first = _pdf_text(out, slice(0, 1))
    for heading in ("Agenda", "Period covered", "Questions I want to discuss",
                    "Decisions pending or due for revisit", "Active flags",
                    "The appendix follows", "Should I stay for the vest?"):
        assert heading in first, heading
    second = _pdf_text(out, slice(1, 2))
    assert second.split(" ")[0] == "Job" and "Job options" in second  # the appendix
    text = _pdf_text(out, slice(-4, None))
    assert ENTRY_TEXT in text
    assert "The experts' views are their own, not 80,000 Hours'." in text
    assert re.search(r"Page 1 of \d+", first)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_redaction_leaves_no_organisation_person_or_amount(
        journal: tuple[Path, list[str]], tmp_path: Path, fmt: str) -> None:
    folder, orgs = journal
    out = tmp_path / f"call.{fmt}"
    today = NOW.date().isoformat()  # a short period keeps the PDF quick to read back
    assert run(folder, "export", "--format", fmt, "--output", str(out), "--from", today,
               "--to", today, "--redact-orgs",
               "--redact-people", "Marcus, Hana", "--redact-money") == 0
    text = _pdf_text(out) if fmt == "pdf" else _words(out.read_text(encoding="utf-8"))
    assert orgs
    for org in orgs:
        assert org.casefold() not in text.casefold(), org
    assert "Marcus" not in text and "Hana" not in text
    assert "Org A" in text
    assert not re.search(r"\d{2,3},\d{3} (USD|GBP)", text)


def test_period_and_sections_limit_the_export(journal: tuple[Path, list[str]],
                                              tmp_path: Path) -> None:
    folder, _orgs = journal
    out = tmp_path / "short.md"
    today = NOW.date().isoformat()
    assert run(folder, "export", "--format", "md", "--output", str(out), "--from", today,
               "--to", today, "--sections", "entries") == 0
    text = out.read_text(encoding="utf-8")
    from desktop.export_locale import from_qlocale

    shown = from_qlocale().day(NOW.date())  # the locale's one date format
    assert f"period {shown} to {shown}" in text
    assert "## Journal entries" in text and "## Job options" not in text
    assert "## Agenda" in text  # always first
    assert ENTRY_TEXT in text
    assert text.count(f"\n### {shown}: ") == 2  # only today's two entries
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # no ISO dates mixed in


def test_bad_options_give_a_message(journal: tuple[Path, list[str]], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder, _orgs = journal
    out = str(tmp_path / "x.md")
    assert run(folder, "export", "--format", "md", "-o", out, "--sections", "nope") == 1
    assert "Unknown section" in capsys.readouterr().err
    assert run(folder, "export", "--format", "md", "-o", out, "--from", "2026-02-01",
               "--to", "2026-01-01") == 1
    assert "before" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(folder, "export", "--format", "md", "-o", out, "--from", "last tuesday")


def test_unwritable_target_keeps_the_old_file(journal: tuple[Path, list[str]], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder, _orgs = journal
    locked = tmp_path / "locked"
    locked.mkdir()
    old = locked / "call.md"
    old.write_text("the old export", encoding="utf-8")
    locked.chmod(0o500)
    if os.geteuid() == 0:  # root ignores permissions: make the disk "full" instead
        import desktop.export_writer
        import desktop.ui.pdf_export

        def full(*_a: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        class FullSaveFile(desktop.ui.pdf_export.QSaveFile):
            def commit(self) -> bool:
                self.cancelWriting()
                super().commit()
                return False

        monkeypatch.setattr(desktop.export_writer.os, "fsync", full)
        monkeypatch.setattr(desktop.ui.pdf_export, "QSaveFile", FullSaveFile)
    try:
        # README "Exit codes": 5 disk full (the injected ENOSPC), 7 permission denied;
        # a Qt save that fails without an OS error number is 1.
        root = os.geteuid() == 0
        expected = {"md": 5, "pdf": 1, "json": 5} if root else {"md": 7, "pdf": 1, "json": 7}
        for fmt in ("md", "pdf", "json"):
            assert run(folder, "export", "--format", fmt, "-o", str(old)) == expected[fmt]
            assert "Could not write" in capsys.readouterr().err
            assert old.read_text(encoding="utf-8") == "the old export"
        assert sorted(p.name for p in locked.iterdir()) == ["call.md"]
    finally:
        locked.chmod(0o700)
    assert run(folder, "export", "--format", "md", "-o", str(tmp_path / "missing" / "x.md")) == 1
    assert "does not exist" in capsys.readouterr().err


def test_json_export_then_import_into_a_new_journal(journal: tuple[Path, list[str]],
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder, _orgs = journal
    out = tmp_path / "all.json"
    assert run(folder, "export", "--format", "json", "-o", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "keel-journal" and data["version"] == 1
    fresh = tmp_path / "fresh"
    assert run(fresh, "import", str(out)) == 0
    assert "Imported" in capsys.readouterr().out
    assert run(fresh, "search", "kingfishers") == 0
    assert "Kingfishers" in capsys.readouterr().out


def test_search_prints_ranked_results_with_snippets(journal: tuple[Path, list[str]],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder, _orgs = journal
    assert run(folder, "search", "kingfishers", "--tag", "birds") == 0
    out = capsys.readouterr().out
    assert "Kingfishers" in out and "[kingfishers]" in out.lower()
    assert run(folder, "search", "kingfishers", "--tag", "nosuchtag") == 1
    assert "No matches" in capsys.readouterr().out
    today = NOW.date().isoformat()
    assert run(folder, "search", "kingfishers", "--from", today, "--to", today) == 0
    capsys.readouterr()
    assert run(folder, "search", "kingfishers", "--to", "2000-01-01") == 1
    assert run(folder, "search", '"unbalanced NOT') in (0, 1)  # never a traceback


def test_import_jrnl_and_dayone_with_format_and_merge(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "j"
    assert run(folder, "import", str(FIXTURES / "jrnl.json"), "--format", "jrnl") == 0
    assert run(folder, "import", str(FIXTURES / "dayone.json"), "--format", "dayone") == 1
    assert "--merge" in capsys.readouterr().err
    assert run(folder, "import", str(FIXTURES / "dayone.json"), "--merge") == 0
    assert run(folder, "import", str(FIXTURES / "dayone.json"), "--merge") == 0
    assert "2 already in the journal" in capsys.readouterr().out
    assert run(folder, "import", str(FIXTURES / "jrnl.json"), "--format", "dayone", "--merge") == 1
    assert "entries[0].uuid" in capsys.readouterr().err


def test_export_of_a_damaged_journal_says_so_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The quick check runs on a thread while the export's modules load; its verdict
    # must still stop the export with the usual one-line message.
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    junk = b"not a database at all" * 100
    (folder / "keel.sqlite3").write_bytes(junk)
    out = tmp_path / "call.md"
    assert run(folder, "export", "--format", "md", "-o", str(out)) == 8  # damaged
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip().count("\n") == 0 and err.strip()
    assert not out.exists()
    assert (folder / "keel.sqlite3").read_bytes() == junk


def test_export_of_an_encrypted_journal_needs_its_passphrase(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from db import crypto
    from desktop.paths import Paths, prepare

    paths = Paths(tmp_path / "data")
    prepare(paths)
    db = open_database(paths.database, paths.backups)
    try:
        create_entry(db, ENTRY_TEXT, "Kingfishers", when=NOW)
    finally:
        db.close()
    crypto.encrypt(paths.database, "river stones", paths.backups, NOW)
    out = tmp_path / "call.md"
    monkeypatch.setenv("KEEL_PASSPHRASE", "wrong")
    assert run(paths.data_dir, "export", "--format", "md", "-o", str(out)) == 1
    assert "does not open this journal" in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setenv("KEEL_PASSPHRASE", "river stones")
    assert run(paths.data_dir, "export", "--format", "md", "-o", str(out)) == 0
    assert ENTRY_TEXT in out.read_text(encoding="utf-8")


def test_redact_money_catches_every_form_of_the_issue(tmp_path: Path) -> None:
    """The amounts that went out as written before (issue 18) are replaced; the command
    says nothing about them and exits 0; the page says what was redacted."""
    folder = tmp_path / "j"
    folder.mkdir()
    db = open_database(folder / "keel.sqlite3")
    forms = ["250k", "90k", "1.2M", "180000 per year", "15000/month", "$250,000", "€40.000",
             "£90,000", "300000 USD"]
    try:
        create_entry(db, "Offers: " + "; ".join(forms) + ". Ada's view differs.", "Money",
                     when=NOW)
    finally:
        db.close()
    out = tmp_path / "call.md"
    today = NOW.date().isoformat()
    assert run(folder, "export", "--format", "md", "--output", str(out), "--from", today,
               "--redact-money", "--redact-people", "ada") == 0
    text = out.read_text(encoding="utf-8")
    for form in forms:
        assert form not in text, form
    assert "Ada" not in text and "Person 1's view" in text
    assert "Redacted: organisation names" not in text
    assert "Redacted: 1 person's name, amounts of money" in text
