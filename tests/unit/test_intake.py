"""Issue 15, part 2: nothing accepted into the journal can break Keel afterwards.

The cases the issue found (each failed before db.intake), then property-based fuzzing of
Keel JSON, jrnl and Day One imports: every file is either refused with ONE line, or
accepted and then ``keel due``'s plan, a Markdown and a JSON export, and a re-import of
that JSON all work."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import portable
from db.engine import Database
from db.journal import create_entry
from db.journal_file import open_database
from desktop.core.errors import UserError
from desktop.demo import generate

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
FIGURES = {"tried": 0, "tracebacks": 0, "accepted_then_broken": 0, "accepted": 0}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty migrated journal, copied (with the backup API) for each example."""
    folder = tmp_path_factory.mktemp("template")
    db = open_database(folder / "keel.sqlite3")
    db.close()
    return folder / "keel.sqlite3"


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("sample")
    db = open_database(folder / "keel.sqlite3")
    try:
        generate(db, 0.15, NOW)
        return json.loads("".join(portable.iter_export_json(db, NOW)))
    finally:
        db.close()


def fresh(template: Path, folder: Path) -> Database:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "keel.sqlite3"
    src, dst = sqlite3.connect(template), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return open_database(target)


def use_everything(db: Database, folder: Path) -> None:
    """What the issue saw fail after a "successful" import: due, exports, re-import."""
    from desktop.core.export_compose import ExportOptions, Period
    from desktop.due_now import compute_due
    from desktop.export_writer import run_export

    for zone in ("UTC", "Pacific/Kiritimati", "Etc/GMT+12"):
        compute_due(db, NOW, ZoneInfo(zone))
    run_export(db, "md", folder / "out.md", Period(date(1900, 1, 1), date(2999, 12, 31)),
               ExportOptions(), NOW, UTC)
    run_export(db, "json", folder / "out.json", Period(NOW.date(), NOW.date()),
               ExportOptions(), NOW, UTC)
    again = open_database(folder / "again.sqlite3")
    try:
        portable.import_file(again, folder / "out.json")
    finally:
        again.close()


def attempt(template: Path, folder: Path, payload: str | bytes, merge_into_used: bool = False,
            fmt: str | None = None) -> str:
    """Import *payload*; "refused: …", or "accepted" after using everything."""
    db = fresh(template, folder)
    try:
        if merge_into_used:
            create_entry(db, "mine", "my own entry", ["own"], when=NOW)
        path = folder / "in.json"
        path.write_bytes(payload if isinstance(payload, bytes) else
                         payload.encode("utf-8", "surrogatepass"))
        try:
            portable.import_file(db, path, fmt, merge=merge_into_used)
        except UserError as exc:
            message = str(exc)
            assert "\n" not in message and "Traceback" not in message, message
            return "refused: " + message
        use_everything(db, folder)
        return "accepted"
    finally:
        db.close()


def keel_doc(tables: dict) -> str:
    return json.dumps({"format": "keel-journal", "version": 1, "tables": tables},
                      ensure_ascii=False)


ANSWER = {"id": 1, "checkin_id": 1, "prompt_id": "p", "answered_at": "2026-01-01T10:00:00",
          "kind": "scale", "value_text": None, "value_number": 3.0, "skipped": False,
          "skip_reason": None}
CHECKIN = {"id": 1, "started_at": "2026-01-01T10:00:00", "completed_at": "2026-01-01T10:05:00",
           "adhoc": False, "reflection": ""}
ENTRY = {"id": 1, "title": "t", "body": "b", "created_at": "2026-01-01T10:00:00",
         "updated_at": "2026-01-01T10:00:00", "import_key": None}
PROMPT = {"id": "own-1", "theme": "t", "question": "q?", "why": "", "answer": "scale",
          "spec": "{}", "cadence": "weekly", "created_at": "2026-01-01T10:00:00",
          "archived": False}


@pytest.mark.parametrize("name, tables", [
    ("profile not JSON", {"settings": [{"key": "profile", "value": "{not json"}]}),
    ("profile wrong shape", {"settings": [{"key": "profile", "value": "[1, 2]"}]}),
    ("answer kind bogus", {"checkins": [CHECKIN], "answers": [{**ANSWER, "kind": "bogus"}]}),
    ("prompt spec not JSON", {"custom_prompts": [{**PROMPT, "spec": "{oops"}]}),
    ("prompt answer bogus", {"custom_prompts": [{**PROMPT, "answer": "bogus"}]}),
    ("year 1", {"entries": [{**ENTRY, "created_at": "0001-01-01T00:00:00"}]}),
    ("year 9999", {"entries": [{**ENTRY, "created_at": "9999-12-31T23:59:59"}]}),
    ("year 1 with an offset", {"entries": [{**ENTRY, "created_at": "0001-01-01T00:30:00+05:00"}]}),
    ("year 9999 crossing", {"entries": [{**ENTRY, "created_at": "9999-12-31T23:00:00-05:00"}]}),
    ("id 2**63", {"entries": [{**ENTRY, "id": 2**63}]}),
    ("id 10**30", {"entries": [{**ENTRY, "id": 10**30}]}),
    ("id 0", {"entries": [{**ENTRY, "id": 0}]}),
    ("duplicate ids", {"entries": [ENTRY, {**ENTRY, "title": "other"}]}),
    ("orphaned reference", {"entry_tags": [{"entry_id": 99, "tag": "x"}]}),
    ("orphaned answer", {"answers": [ANSWER]}),
    ("NaN amount", {"financial_snapshots": [{"id": 1, "taken_at": "2026-01-01T00:00:00",
                                             "liquid_savings": float("nan")}]}),
    ("alternatives not JSON", {"decisions": [{"id": 1, "decided_at": "2026-01-01T00:00:00",
                                              "summary": "s", "alternatives": "[1,"}]}),
])
def test_issue_cases_are_refused_in_one_line(template: Path, tmp_path: Path, name: str,
                                             tables: dict) -> None:
    outcome = attempt(template, tmp_path, keel_doc(tables))
    assert outcome.startswith("refused: "), (name, outcome)


@pytest.mark.parametrize("name, text", [
    ("nested 100,000 deep", "[" * 100_000 + "]" * 100_000),
    ("a 5,000-digit number", '{"format": "keel-journal", "version": ' + "9" * 5000 + "}"),
    ("NaN", '{"format": "keel-journal", "version": 1, "tables": {"financial_snapshots": '
            '[{"id": 1, "taken_at": "2026-01-01T00:00:00", "liquid_savings": NaN}]}}'),
    ("1e999", '{"format": "keel-journal", "version": 1e999}'),
    ("dayone lone surrogate uuid", '{"metadata": {}, "entries": [{"uuid": "\\ud800", '
                                   '"creationDate": "2026-01-01T00:00:00Z", "text": "x"}]}'),
    ("dayone year 1 with offset", '{"metadata": {}, "entries": [{"uuid": "u", '
                                  '"creationDate": "0001-01-01T00:00:00+01:00", "text": "x"}]}'),
    ("jrnl year 9999", '{"tags": {}, "entries": [{"date": "9999-12-31", "time": "23:59", '
                       '"title": "t", "body": "b"}]}'),
])
def test_hostile_files_are_refused_in_one_line(template: Path, tmp_path: Path, name: str,
                                               text: str) -> None:
    outcome = attempt(template, tmp_path, text)
    assert outcome.startswith("refused: "), (name, outcome)


def test_merge_of_a_partial_file_never_touches_the_users_rows(template: Path,
                                                              tmp_path: Path) -> None:
    """The issue: ``entry_tags {"entry_id": 3}`` landed on the user's entry 3."""
    db = fresh(template, tmp_path)
    try:
        for i in range(3):
            create_entry(db, f"mine {i}", "my own", [], when=NOW)
        path = tmp_path / "partial.json"
        path.write_text(keel_doc({"entry_tags": [{"entry_id": 3, "tag": "planted"}],
                                  "checkins": [], "answers": [{**ANSWER, "checkin_id": 1}]}))
        with pytest.raises(UserError) as caught:
            portable.import_file(db, path, merge=True)
        assert "\n" not in str(caught.value)
    finally:
        db.close()
    conn = sqlite3.connect(tmp_path / "keel.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM entry_tags WHERE tag='planted'").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM answers").fetchone() == (0,)
    finally:
        conn.close()


def test_a_keel_export_still_round_trips(template: Path, tmp_path: Path,
                                         sample_export: dict) -> None:
    assert attempt(template, tmp_path / "a", json.dumps(sample_export)) == "accepted"
    assert attempt(template, tmp_path / "b", json.dumps(sample_export),
                   merge_into_used=True) == "accepted"


# --------------------------------------------------------------------------- fuzzing

HOSTILE_VALUES = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**53, 2**63 - 1, 2**63, 10**30]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["bogus", "{not json", "[1,", "{}", "[]", "null", "\"x\"", "{\"labels\": 3}",
                     "0001-01-01T00:00:00", "0001-01-01T00:30:00+05:00", "9999-12-31T23:59:59",
                     "9999-12-31T23:00:00-05:00", "1899-12-31", "2026-02-30", "2026-01-01",
                     "2026-01-01T10:00:00", "3000-01-01T00:00:00", "\ud800", "weekly",
                     "scale", "text", "yes_no", "choice", "number"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(),
                                                         max_size=2),
)


@st.composite
def mutated_keel(draw, base: dict) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    doc = copy.deepcopy(base)
    tables = doc["tables"]
    names = sorted(n for n, rows in tables.items() if rows)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(names))
        rows = tables[name]
        if not rows:
            continue
        i = draw(st.integers(0, len(rows) - 1))
        action = draw(st.sampled_from(["set", "set", "set", "drop", "dup", "keep_one"]))
        if action == "set":
            column = draw(st.sampled_from(sorted(rows[i])))
            rows[i][column] = draw(HOSTILE_VALUES)
        elif action == "drop":
            del rows[i]
        elif action == "dup":
            rows.append(copy.deepcopy(rows[i]))
        else:  # a partial file: one table of one row
            doc["tables"] = {name: [rows[i]]}
            tables = doc["tables"]
            names = [name]
    merge = draw(st.booleans())
    return json.dumps(doc, ensure_ascii=False, default=str), merge


OTHER_APPS = st.one_of(
    st.builds(lambda entries: json.dumps({"tags": {}, "entries": entries}),
              st.lists(st.fixed_dictionaries({
                  "date": HOSTILE_VALUES, "time": HOSTILE_VALUES, "title": HOSTILE_VALUES,
                  "body": HOSTILE_VALUES, "tags": HOSTILE_VALUES, "starred": HOSTILE_VALUES}),
                  max_size=3)),
    st.builds(lambda entries: json.dumps({"metadata": {}, "entries": entries}),
              st.lists(st.fixed_dictionaries({
                  "uuid": HOSTILE_VALUES, "creationDate": HOSTILE_VALUES, "text": HOSTILE_VALUES,
                  "timeZone": HOSTILE_VALUES, "tags": HOSTILE_VALUES}), max_size=3)),
)

FUZZ = settings(max_examples=int(os.environ.get("KEEL_FUZZ_EXAMPLES", "60")), deadline=None,
                derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


def _run_fuzzed(template: Path, tmp_path: Path, payload: str, merge: bool) -> None:
    FIGURES["tried"] += 1
    folder = tmp_path / f"case{FIGURES['tried']}"
    try:
        outcome = attempt(template, folder, payload, merge_into_used=merge)
    except AssertionError:
        raise
    except UserError:
        FIGURES["accepted_then_broken"] += 1
        raise
    except Exception:
        FIGURES["tracebacks"] += 1
        raise
    if outcome == "accepted":
        FIGURES["accepted"] += 1


@FUZZ
@given(data=st.data())
def test_fuzzed_keel_files_are_refused_or_fully_usable(template: Path, tmp_path: Path,
                                                       sample_export: dict, data) -> None:  # type: ignore[no-untyped-def]
    payload, merge = data.draw(mutated_keel(sample_export))
    _run_fuzzed(template, tmp_path, payload, merge)


@FUZZ
@given(payload=OTHER_APPS, merge=st.booleans())
def test_fuzzed_jrnl_and_day_one_files_are_refused_or_fully_usable(
        template: Path, tmp_path: Path, payload: str, merge: bool) -> None:
    _run_fuzzed(template, tmp_path, payload, merge)


@FUZZ
@given(text=st.text(alphabet='[]{}",:0123456789.eE-+ntrufalsNIy\\ud', max_size=200))
def test_fuzzed_json_text_is_refused_in_one_line(template: Path, tmp_path: Path, text: str) -> None:
    _run_fuzzed(template, tmp_path, text, False)


def test_zz_fuzz_figures() -> None:
    """Records the fuzzing figures for docs/RELIABILITY_REPORT.md (runs after the above)."""
    print(f"\nfuzzed import files: {FIGURES}")
