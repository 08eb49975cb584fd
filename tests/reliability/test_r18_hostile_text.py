"""R18: hostile text in every field round-trips exactly or is refused with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.core.errors import UserError
from tests.reliability.helpers import make_journal

SAMPLES = {
    "1 MB entry": "Long thoughts. " * 70_000,
    "NUL bytes": "before\x00after\x00",
    "emoji": "Offer 🚀🧭 — family 👨‍👩‍👧 ok? 🏳️‍🌈",
    "RTL": "אני לא בטוח \u202eevil\u202c مرحبا",
    "combining marks": "Z\u0351\u0361a\u0362\u0335l\u0334g\u0336o e\u0301\u0301\u0301",
    "lone surrogate": "broken \ud800 half",
    "very long line": "x" * 200_000,
}


def test_hostile_text_in_every_field(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    from db import drafts
    from db.checkins import AnswerInput, complete_checkin, list_checkins
    from db.engine import Database
    from db.journal import create_entry, get_entry
    from db.options import get_option, save_option
    from db.profile_history import add_baseline, add_tripwire, baselines, tripwires
    from desktop.core.records import JobOption

    paths = make_journal(tmp_path / "data", years=0.05)
    db = Database(paths.database)
    crashes: list[str] = []
    mismatches: list[str] = []
    refused: list[str] = []

    def entry(text: str) -> str:
        saved = create_entry(db, text, text[:400])
        return get_entry(db, saved.id).body  # type: ignore[union-attr]

    def draft(text: str) -> str:
        drafts.save_draft(db, "entry:r18", {"body": text})
        return drafts.load_draft(db, "entry:r18").payload["body"]  # type: ignore[union-attr]

    def answer(text: str) -> str:
        done = complete_checkin(db, text, [AnswerInput("endorsed-change", "text", text)])
        return next(c for c in list_checkins(db) if c.id == done.id).reflection

    def option(text: str) -> str:
        saved = save_option(db, JobOption(id=None, organisation=text[:300], role="role",
                                          notes=text))
        got = get_option(db, saved.id)
        assert got is not None and got.organisation == text[:300]
        return got.notes

    def baseline(text: str) -> str:
        add_baseline(db, text, 5)
        return baselines(db)[-1].text if baselines(db)[-1].text == text else baselines(db)[0].text

    def tripwire(text: str) -> str:
        add_tripwire(db, text)
        return next(t.text for t in tripwires(db) if t.text == text) if any(
            t.text == text for t in tripwires(db)) else ""

    fields: dict[str, Callable[[str], str]] = {
        "entry": entry, "draft": draft, "check-in reflection + answer": answer,
        "option fields": option, "baseline": baseline, "tripwire": tripwire,
    }
    try:
        for field, roundtrip in fields.items():
            for name, text in SAMPLES.items():
                if (field, name) == ("draft", "lone surrogate"):
                    continue  # a known bug, see test_lone_surrogate_in_a_draft below
                try:
                    got = roundtrip(text)
                except UserError:
                    refused.append(f"{field}: {name}")
                    continue
                except Exception as exc:  # noqa: BLE001 - counted as a crash
                    crashes.append(f"{field}: {name}: {type(exc).__name__}: {exc}"[:200])
                    continue
                if got != text:
                    mismatches.append(f"{field}: {name}")
    finally:
        db.close()
    figure("R18", "crashes", len(crashes), "0")
    figure("R18", "not round-tripped exactly", len(mismatches), "0")
    figure("R18", "refused with a clear message", len(refused), "(lone surrogates)")
    assert crashes == [], crashes
    assert mismatches == [], mismatches
    # What is refused: lone surrogates (cannot be stored as UTF-8) everywhere, and text
    # over a field's length limit — each with a UserError whose message says so.
    assert all("lone surrogate" in r or "1 MB" in r or "long line" in r for r in refused)


def test_lone_surrogate_in_a_draft_is_kept_exactly(tmp_path: Path) -> None:
    """A draft is never refused: even text UTF-8 cannot hold comes back as typed."""
    from db import drafts
    from db.engine import Database

    paths = make_journal(tmp_path / "data", years=0.05)
    db = Database(paths.database)
    try:
        drafts.save_draft(db, "entry:r18", {"body": SAMPLES["lone surrogate"]})
        stored = drafts.load_draft(db, "entry:r18")
        assert stored is not None and stored.payload["body"] == SAMPLES["lone surrogate"]
    finally:
        db.close()
