"""Concerns about the work itself, from the user's own assessment answers, reach Today and the
briefing with the voices kept apart (issue 16), on a real journal file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.journal_file import open_database
from db.options import record_assessment, save_option
from desktop.cli import main
from desktop.core.records import JobOption
from desktop.today_data import build_today_view

NOW = datetime.now(UTC).replace(microsecond=0)


def _journal(folder: Path) -> None:
    db = open_database(folder / "keel.sqlite3")
    try:
        option = save_option(db, JobOption(
            id=None, organisation="Orrery Labs", role="Research Engineer", status="offer",
            work_kind="capabilities", frontier=True), when=NOW - timedelta(days=5))
        assert option.id is not None
        for question, text in (("team-judgement", "Mostly capabilities"),
                               ("good-faith", "I can't judge this"),
                               ("big-payoff", "None I can name"),
                               ("notice-and-refrain", "Doubtful"),
                               ("edge-and-entrants", "None of these"),
                               ("open-or-closed", "Published openly")):
            record_assessment(db, option.id, question, text=text, when=NOW - timedelta(days=4))
        record_assessment(db, option.id, "agi-bottleneck", number=1, when=NOW - timedelta(days=4))
        record_assessment(db, option.id, "alignment-targeted", text="No",
                          when=NOW - timedelta(days=4))
    finally:
        db.close()


EXPECTED = {
    "team-toward-capabilities": ((9,), (8,)),
    "good-faith-unjudged": ((11,), (10,)),
    "no-big-payoff": ((7,), (10,)),
    "cannot-hold-back": ((3,), (8,)),
    "employer-test": ((5,), ()),
    "commons": ((5, 3), ()),
    "bottleneck-no-upside": ((6, 7), (10,)),
}


def test_assessment_answers_raise_concern_flags_on_today(tmp_path: Path) -> None:
    _journal(tmp_path)
    db = open_database(tmp_path / "keel.sqlite3")
    try:
        view = build_today_view(db, NOW, UTC)
    finally:
        db.close()
    by_id = {f.id: f for f in view.flags}
    for rule_id, (experts, other) in EXPECTED.items():
        flag = by_id[rule_id]
        assert "Orrery Labs" in flag.message
        assert flag.experts == experts
        assert tuple(c.expert for c in flag.counter_sources) == other
        assert flag.point and flag.why and (bool(flag.counterpoint) == bool(other))
    covered = {e for f in view.flags for e in f.experts}
    assert {3, 5, 6, 7, 9, 11} <= covered


def test_concern_flags_reach_the_briefing_with_labelled_voices(tmp_path: Path) -> None:
    _journal(tmp_path)
    out = tmp_path / "call.md"
    assert main(["--data-dir", str(tmp_path), "export", "--format", "md",
                 "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    briefing = text.split("## ", 2)[1] + text.split("## ", 2)[2][:4000]
    assert "Orrery Labs: you judge the team's work as mostly capabilities" in briefing
    # The flags section: the experts' point, Keel's reason and the other side, each labelled.
    assert "Raised by Expert 9:" in text
    assert "Why Keel asks:" in text
    assert "Another view: Expert 8" in text
    assert "In the seed: Expert 9:" in text
    assert "Raised by: Expert" not in text and "Why it matters" not in text


def test_issue_panel_cases_on_the_demo_journal(tmp_path: Path) -> None:
    """The out-of-scope items the issue saw on the demo data no longer appear there."""
    from db.snapshot import load_snapshot
    from desktop.core.assessment import latest_answers
    from desktop.core.panel import panel
    from desktop.demo import generate

    db = open_database(tmp_path / "keel.sqlite3")
    try:
        generate(db, 1, NOW)
        snapshot = load_snapshot(db)
    finally:
        db.close()
    grouped: dict[int, list] = {}
    for answer in snapshot.assessments:
        grouped.setdefault(answer.option_id, []).append(answer)
    items = {o.organisation: {i.rule_id: i for i in panel(o, latest_answers(grouped[o.id]))}
             for o in snapshot.options if o.id is not None}
    halcyon = items["Halcyon Safety Institute"]  # mid-level safety role, open-sources tools
    assert "lobbying-seniority" not in halcyon  # no "junior capabilities role" caution
    assert "small-lab" not in halcyon  # interpretability tooling is not a frontier rebuild
    for org, found in items.items():
        assert "leverage-fundraising-comms" not in found, org  # no comms role is presumed hype
        supportive = found.get("junior-skill-building")
        assert supportive is None, org  # no demo role meets Expert 1's and 4's conditions
    quanta = items["Quanta Systems"]  # "little that matters for safety", work unrelated to AI
    assert "career-capital" not in quanta  # Experts 10 and 8 weigh skills against a capability push
    meridian = items["Meridian AI"]
    assert "career-capital" in meridian
    assert {"open-frontier", "agi-bottleneck", "team-judgement"} <= set(meridian)
    assert "Expert 9" not in meridian["good-faith"].counterpoint
