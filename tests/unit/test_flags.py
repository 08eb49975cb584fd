"""Flag rules: each fires on a crafted history and not on a near miss; dismissal, snooze, order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from desktop.core.flags import (
    RULES,
    RULES_BY_ID,
    Flag,
    active_flags,
    all_flags,
    flag_history,
)
from desktop.core.provenance import experts_mentioned, experts_of
from desktop.core.records import (
    Answer,
    AnswerKind,
    AssessmentAnswer,
    BaselineVersion,
    CheckIn,
    Decision,
    FinancialSnapshot,
    FlagAction,
    JobOption,
    JournalSnapshot,
    Profile,
    PromptState,
    Tripwire,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
AT_LAB = Profile(situation="at-lab", onboarded=True)

SILENT = "I was uneasy and did not speak up"
SPOKE = "I was uneasy and spoke up"
ENDORSED = "Yes — I would have accepted it from where I started"
NOT_ENDORSED = "No — I would not have accepted it then"

_ids = iter(range(1, 1_000_000))


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def num(prompt_id: str, days: float, number: float) -> Answer:
    return Answer(next(_ids), None, prompt_id, ago(days), AnswerKind.NUMBER, number=number)


def text(prompt_id: str, days: float, value: str) -> Answer:
    return Answer(next(_ids), None, prompt_id, ago(days), AnswerKind.CHOICE, text=value)


def skip(prompt_id: str, days: float) -> Answer:
    return Answer(next(_ids), None, prompt_id, ago(days), AnswerKind.NUMBER, skipped=True)


def journal(
    *answers: Answer, started_days_ago: float = 200, profile: Profile = AT_LAB, **fields: object
) -> JournalSnapshot:
    """A journal whose first check-in was ``started_days_ago`` days before NOW."""
    first = CheckIn(id=1, started_at=ago(started_days_ago), completed_at=None, adhoc=False)
    return JournalSnapshot(
        profile=profile, answers=answers, checkins=(first,), **fields  # type: ignore[arg-type]
    )


def baseline(worry: int, days: float = 100) -> BaselineVersion:
    return BaselineVersion(
        id=7, text="Risk is real but tractable.", worry=worry, created_at=ago(days)
    )


def current(**fields: object) -> JobOption:
    values: dict[str, object] = {
        "id": 3, "organisation": "Frontier Lab", "role": "Engineer", "status": "current",
    }
    values.update(fields)
    return JobOption(**values)  # type: ignore[arg-type]


def money(savings: float, spending: float) -> FinancialSnapshot:
    return FinancialSnapshot(
        id=5, taken_at=ago(10), liquid_savings=savings, monthly_spending=spending
    )


# A 480,000 grant over four years, started nine months ago: the one-year cliff, three months
# ahead, vests 120,000 — two years of 5,000-a-month spending.
CLIFF_AHEAD = current(
    equity_value=480_000.0,
    vesting_start=date(2025, 9, 1),
    cliff_date=date(2026, 9, 1),
    vest_end_date=date(2029, 9, 1),
)


def decision(revisit_on: date | None, revisited: datetime | None = None) -> Decision:
    return Decision(
        id=11, decided_at=ago(180), chosen_option_id=3, summary="Join Frontier Lab's infra team",
        revisit_conditions="if my team moves to pretraining", revisit_on=revisit_on,
        revisited_at=revisited,
    )


def yesno(prompt_id: str, days: float, number: float) -> Answer:
    return Answer(next(_ids), None, prompt_id, ago(days), AnswerKind.YESNO, number=number)


OFFER_CAPS = JobOption(id=6, organisation="Big Lab", role="Research Engineer", status="offer",
                       work_kind="capabilities", frontier=True)


def assess(question_id: str, value: str | None = None, number: float | None = None,
           option_id: int = 6, days: float = 20) -> AssessmentAnswer:
    return AssessmentAnswer(option_id, question_id, ago(days), text=value, number=number)


def offer(days_to_deadline: int, status: str = "offer") -> JobOption:
    return JobOption(
        id=4, organisation="Other Lab", role="Researcher", status=status,
        offer_deadline=TODAY + timedelta(days=days_to_deadline),
    )


# (rule id, a history where it fires, a near miss where it does not)
CASES = [
    pytest.param(
        "no-xrisk-conversation",
        journal(num("xrisk-conversations", 56, 2), num("xrisk-conversations", 7, 0)),
        journal(num("xrisk-conversations", 55, 2), num("xrisk-conversations", 7, 0)),
        id="conversation-8-weeks-ago-vs-55-days",
    ),
    pytest.param(
        "no-xrisk-conversation",
        journal(started_days_ago=57),
        journal(started_days_ago=50),
        id="conversation-never-logged-only-after-8-weeks-of-use",
    ),
    pytest.param(
        "no-xrisk-reading",
        journal(num("xrisk-reading", 60, 1.5), num("xrisk-reading", 3, 0)),
        journal(num("xrisk-reading", 50, 1.5), num("xrisk-reading", 3, 0)),
        id="reading",
    ),
    pytest.param(
        "financial-lock-in",
        journal(snapshots=(money(10_000, 2_000),)),
        journal(snapshots=(money(12_000, 2_000),)),
        id="runway-5-months-vs-6",
    ),
    pytest.param(
        "financial-lock-in",
        journal(snapshots=(money(100_000, 5_000),), options=(CLIFF_AHEAD,)),
        journal(
            snapshots=(money(100_000, 5_000),),
            options=(replace(CLIFF_AHEAD, cliff_date=date(2026, 12, 15)),),
        ),
        id="large-cliff-within-6-months-vs-cliff-beyond",
    ),
    pytest.param(
        "financial-lock-in",
        journal(snapshots=(money(100_000, 5_000),), options=(CLIFF_AHEAD,)),
        journal(snapshots=(money(100_000, 13_000),), options=(CLIFF_AHEAD,)),
        id="cliff-over-a-year-of-spending-vs-under",
    ),
    pytest.param(
        "unease-unspoken",
        journal(text("spoke-up-when-uneasy", 7, SILENT), text("spoke-up-when-uneasy", 14, SPOKE),
                text("spoke-up-when-uneasy", 50, SILENT)),
        journal(text("spoke-up-when-uneasy", 7, SILENT),
                *(text("spoke-up-when-uneasy", 7 * k, SPOKE) for k in range(2, 9)),
                text("spoke-up-when-uneasy", 70, SILENT)),
        id="silent-twice-in-last-8-vs-ninth-answer",
    ),
    pytest.param(
        "unease-unspoken",
        journal(text("spoke-up-when-uneasy", 7, SILENT), text("spoke-up-when-uneasy", 14, SILENT),
                num("job-performance", 7, 3), num("job-performance", 14, 2)),
        journal(text("spoke-up-when-uneasy", 7, SILENT), text("spoke-up-when-uneasy", 14, SILENT),
                num("job-performance", 7, 2), num("job-performance", 14, 2)),
        id="silence-flag-held-back-while-the-job-itself-goes-badly",
    ),
    pytest.param(
        "low-performance",
        journal(num("job-performance", 7, 2), num("job-performance", 14, 1)),
        journal(num("job-performance", 7, 2), num("job-performance", 14, 3),
                num("job-performance", 21, 1)),
        id="performance-low-twice-running-vs-interrupted",
    ),
    pytest.param(
        "no-time-outside",
        journal(num("time-outside-lab", 10, 0), num("time-outside-lab", 80, 0),
                num("time-outside-lab", 92, 6)),
        journal(num("time-outside-lab", 10, 0), num("time-outside-lab", 80, 0),
                num("time-outside-lab", 90, 6)),
        id="time-outside-92-days-ago-vs-90",
    ),
    pytest.param(
        "no-time-outside",
        journal(),
        journal(profile=Profile(situation="elsewhere")),
        id="time-outside-only-while-at-a-lab",
    ),
    pytest.param(
        "worry-drift",
        journal(num("worry-level", 5, 2), baselines=(baseline(4),)),
        journal(num("worry-level", 5, 3), baselines=(baseline(4),)),
        id="worry-fell-2-vs-1",
    ),
    pytest.param(
        "worry-rose",
        journal(num("worry-level", 5, 6), baselines=(baseline(4),)),
        journal(num("worry-level", 5, 5), baselines=(baseline(4),)),
        id="worry-rose-2-vs-1",
    ),
    pytest.param(
        "worry-drift",
        journal(num("worry-level", 5, 2), baselines=(baseline(4),)),
        journal(num("worry-level", 5, 6), baselines=(baseline(4),)),
        id="drift-toward-complacency-only",
    ),
    pytest.param(
        "worry-drift",
        journal(num("worry-level", 5, 2), text("view-shift-endorsed", 5, NOT_ENDORSED),
                baselines=(baseline(4),)),
        journal(num("worry-level", 5, 2), text("view-shift-endorsed", 5, ENDORSED),
                baselines=(baseline(4),)),
        id="worry-drift-unless-endorsed-argument",
    ),
    pytest.param(
        "worry-drift",
        journal(num("worry-level", 5, 1), text("view-shift-endorsed", 120, ENDORSED),
                baselines=(baseline(4),)),
        journal(num("worry-level", 5, 1), text("view-shift-endorsed", 20, ENDORSED),
                baselines=(baseline(4),)),
        id="endorsement-must-be-since-the-baseline",
    ),
    pytest.param(
        "tripwire-crossed",
        journal(text("tripwire-crossed", 3, "One was crossed")),
        journal(text("tripwire-crossed", 3, "One is getting close")),
        id="tripwire-crossed-vs-close",
    ),
    pytest.param(
        "tripwire-close",
        journal(text("tripwire-crossed", 3, "One is getting close")),
        journal(text("tripwire-crossed", 3, "None crossed"),
                text("tripwire-crossed", 10, "One is getting close")),
        id="tripwire-close-only-while-latest",
    ),
    pytest.param(
        "prompt-skipped",
        journal(skip("worry-level", 7), skip("worry-level", 14), skip("worry-level", 21)),
        journal(skip("worry-level", 7), skip("worry-level", 14), num("worry-level", 21, 4),
                skip("worry-level", 28)),
        id="skipped-three-running-vs-interrupted",
    ),
    pytest.param(
        "prompt-skipped",
        journal(prompt_states=(PromptState("xrisk-reading", skip_streak=3),)),
        journal(prompt_states=(PromptState("xrisk-reading", skip_streak=2),)),
        id="skip-streak-from-prompt-state",
    ),
    pytest.param(
        "decision-revisit",
        journal(decisions=(decision(TODAY),)),
        journal(decisions=(decision(TODAY + timedelta(days=1)),)),
        id="decision-revisit-due-today-vs-tomorrow",
    ),
    pytest.param(
        "decision-revisit",
        journal(decisions=(decision(TODAY - timedelta(days=30)),)),
        journal(decisions=(decision(TODAY - timedelta(days=30), revisited=ago(2)),)),
        id="decision-revisit-vs-already-revisited",
    ),
    pytest.param(
        "offer-deadline",
        journal(options=(offer(7),)),
        journal(options=(offer(8),)),
        id="deadline-in-7-days-vs-8",
    ),
    pytest.param(
        "offer-deadline",
        journal(options=(offer(2, status="interviewing"),)),
        journal(options=(offer(2, status="declined"),)),
        id="deadline-only-for-live-options",
    ),
    pytest.param(
        "offer-deadline",
        journal(options=(offer(0),)),
        journal(options=(offer(-1),)),
        id="deadline-today-vs-passed",
    ),
    # --- concerns about the work itself, from the user's own answers
    pytest.param(
        "commons",
        journal(text("team-publishes-capabilities", 30, "Publishes papers")),
        journal(text("team-publishes-capabilities", 30, "No")),
        id="team-publishes-vs-not",
    ),
    pytest.param(
        "commons",
        journal(text("team-publishes-capabilities", 30, "Publicises demos")),
        journal(text("team-publishes-capabilities", 200, "Publicises demos")),
        id="team-publishes-recent-answer-vs-stale",
    ),
    pytest.param(
        "commons",
        journal(options=(OFFER_CAPS,), assessments=(assess("open-or-closed", "Published openly"),)),
        journal(options=(OFFER_CAPS,),
                assessments=(assess("open-or-closed", "Closed, with a clear statement"),)),
        id="assessed-open-vs-closed",
    ),
    pytest.param(
        "commons",
        journal(options=(OFFER_CAPS,), assessments=(assess("open-or-closed", "Published openly"),)),
        journal(options=(replace(OFFER_CAPS, status="declined"),),
                assessments=(assess("open-or-closed", "Published openly"),)),
        id="assessed-open-only-while-in-play",
    ),
    pytest.param(
        "employer-test",
        journal(options=(OFFER_CAPS,), assessments=(assess("edge-and-entrants", "None of these"),)),
        journal(options=(OFFER_CAPS,), assessments=(assess("edge-and-entrants", "Yes, all three"),)),
        id="expert-5-employer-test",
    ),
    pytest.param(
        "bottleneck-no-upside",
        journal(text("bottleneck-upside", 20, "Neither")),
        journal(text("bottleneck-upside", 20, "Clear alignment benefit")),
        id="bottleneck-without-upside-or-mitigation",
    ),
    pytest.param(
        "bottleneck-no-upside",
        journal(options=(OFFER_CAPS,), assessments=(
            assess("agi-bottleneck", number=1), assess("alignment-targeted", "No"))),
        journal(options=(OFFER_CAPS,), assessments=(
            assess("agi-bottleneck", number=0), assess("alignment-targeted", "No"))),
        id="assessed-bottleneck-not-aimed-at-alignment",
    ),
    pytest.param(
        "bottleneck-undiscussed",
        journal(yesno("agi-bottleneck-work", 10, 1), yesno("agi-bottleneck-discussed", 10, 0)),
        journal(yesno("agi-bottleneck-work", 10, 1), yesno("agi-bottleneck-discussed", 10, 1)),
        id="bottleneck-work-undiscussed-vs-discussed",
    ),
    pytest.param(
        "bottleneck-undiscussed",
        journal(yesno("agi-bottleneck-work", 10, 1), yesno("agi-bottleneck-discussed", 10, 0)),
        journal(yesno("agi-bottleneck-work", 10, 1), yesno("agi-bottleneck-discussed", 10, 0),
                profile=Profile(situation="student")),
        id="students-need-not-sweat-it",
    ),
    pytest.param(
        "friendly-actor",
        journal(text("friendly-actor-argument", 30, "It persuaded me somewhat")),
        journal(text("friendly-actor-argument", 30, "I heard it and stayed unconvinced")),
        id="friendly-actor-persuaded-vs-not",
    ),
    pytest.param(
        "team-toward-capabilities",
        journal(text("team-direction", 30, "Toward capabilities")),
        journal(text("team-direction", 30, "No real change")),
        id="team-moving-toward-capabilities",
    ),
    pytest.param(
        "team-toward-capabilities",
        journal(options=(OFFER_CAPS,),
                assessments=(assess("team-judgement", "Mostly capabilities"),)),
        journal(options=(OFFER_CAPS,), assessments=(assess("team-judgement", "A mix"),)),
        id="assessed-team-mostly-capabilities",
    ),
    pytest.param(
        "team-toward-capabilities",
        journal(options=(replace(OFFER_CAPS, status="current"),),
                assessments=(assess("team-judgement", "Mostly capabilities"),)),
        journal(text("team-direction", 30, "No real change"),
                options=(replace(OFFER_CAPS, status="current"),),
                assessments=(assess("team-judgement", "Mostly capabilities"),)),
        id="a-recent-check-in-answer-speaks-for-the-current-job",
    ),
    pytest.param(
        "good-faith-unjudged",
        journal(num("good-faith-judgement", 30, 2)),
        journal(num("good-faith-judgement", 30, 3)),
        id="cannot-judge-good-faith-at-a-lab",
    ),
    pytest.param(
        "good-faith-unjudged",
        journal(options=(OFFER_CAPS,), assessments=(assess("good-faith", "I can't judge this"),)),
        journal(options=(replace(OFFER_CAPS, work_kind="safety"),),
                assessments=(assess("good-faith", "I can't judge this"),)),
        id="cannot-judge-good-faith-only-for-capability-work",
    ),
    pytest.param(
        "no-big-payoff",
        journal(options=(OFFER_CAPS,), assessments=(assess("big-payoff", "None I can name"),)),
        journal(options=(OFFER_CAPS,),
                assessments=(assess("big-payoff", "A big payoff I can name"),)),
        id="expert-7-no-payoff",
    ),
    pytest.param(
        "cannot-hold-back",
        journal(options=(OFFER_CAPS,), assessments=(assess("notice-and-refrain", "Doubtful"),)),
        journal(options=(OFFER_CAPS,), assessments=(assess("notice-and-refrain", "Probably"),)),
        id="expert-3-team-cannot-hold-back",
    ),
]


def rule_ids(flags: list[Flag]) -> list[str]:
    return [flag.id for flag in flags]


@pytest.mark.parametrize(("rule_id", "fires", "near_miss"), CASES)
def test_rule_fires_and_near_miss_does_not(
    rule_id: str, fires: JournalSnapshot, near_miss: JournalSnapshot
) -> None:
    assert rule_id in rule_ids(active_flags(fires, NOW))
    assert rule_id not in rule_ids(active_flags(near_miss, NOW))


@pytest.mark.parametrize(("rule_id", "fires", "near_miss"), CASES)
def test_every_flag_is_complete_and_attributed(
    rule_id: str, fires: JournalSnapshot, near_miss: JournalSnapshot
) -> None:
    flags = [f for f in active_flags(fires, NOW) if f.id == rule_id]
    assert flags
    for flag in flags:
        assert flag.key.startswith(rule_id + ":")
        assert flag.message and flag.next_step and flag.evidence and flag.why
        # The experts' point names exactly the experts the flag cites, with a locator each…
        assert experts_mentioned(flag.point) == set(flag.experts), flag.point
        assert experts_of(flag.sources) == flag.experts
        # …the other side names only its own experts, and Keel's reasoning names none.
        assert experts_mentioned(flag.counterpoint) == set(experts_of(flag.counter_sources))
        assert not experts_mentioned(flag.why), flag.why
        assert not experts_mentioned(flag.message + flag.next_step + flag.threshold)


def test_keels_numbers_are_labelled_as_keels_thresholds() -> None:
    for rule_id, snapshot in (
        ("no-xrisk-conversation", journal(started_days_ago=57)),
        ("financial-lock-in", journal(snapshots=(money(10_000, 2_000),))),
        ("financial-lock-in", journal(snapshots=(money(100_000, 5_000),), options=(CLIFF_AHEAD,))),
        ("no-time-outside", journal()),
        ("worry-drift", journal(num("worry-level", 5, 2), baselines=(baseline(4),))),
        ("low-performance", journal(num("job-performance", 7, 2), num("job-performance", 14, 1))),
    ):
        flags = [f for f in active_flags(snapshot, NOW) if f.id == rule_id]
        assert flags and all(f.threshold for f in flags), rule_id
    (lapsed,) = [f for f in active_flags(journal(started_days_ago=57), NOW)
                 if f.id == "no-xrisk-conversation"]
    assert "8 weeks" in lapsed.threshold and "8 weeks" not in lapsed.point


def test_tripwires_are_keels_own_idea() -> None:
    (flag,) = [f for f in active_flags(journal(text("tripwire-crossed", 3, "One was crossed")), NOW)
               if f.id == "tripwire-crossed"]
    assert flag.experts == () and not flag.point and "Keel's own" in flag.why


def test_rising_worry_cites_no_expert() -> None:
    (flag,) = [f for f in active_flags(journal(num("worry-level", 5, 8), baselines=(baseline(4),)),
                                       NOW) if f.id.startswith("worry")]
    assert flag.id == "worry-rose" and flag.experts == () and "up" in flag.message


def test_no_conscience_quota_and_no_flag_contradicting_focus_on_the_job() -> None:
    zero = journal(*(num("conscience-share", 7 * k, 0) for k in range(1, 6)))
    assert not [f for f in active_flags(zero, NOW) if f.theme == "conscience"]
    struggling = journal(
        num("job-performance", 7, 1), num("job-performance", 14, 2),
        *(num("conscience-share", 7 * k, 0) for k in range(1, 6)),
        text("spoke-up-when-uneasy", 7, SILENT), text("spoke-up-when-uneasy", 14, SILENT),
    )
    assert [f.id for f in active_flags(struggling, NOW) if f.theme == "conscience"] == [
        "low-performance"]


def test_concern_flags_cover_experts_3_5_6_7_9_11_and_show_the_other_side() -> None:
    cited = {e for rule in RULES for e in rule.experts}
    assert {3, 5, 6, 7, 9, 11} <= cited
    (friendly,) = [f for f in active_flags(
        journal(text("friendly-actor-argument", 30, "It persuaded me")), NOW)
        if f.id == "friendly-actor"]
    assert friendly.experts == (9,) and experts_of(friendly.counter_sources) == (8,)
    assert "Expert 8" in friendly.counterpoint


def test_every_rule_is_callable_alone_and_ids_are_unique() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    result = RULES_BY_ID["tripwire-crossed"](
        journal(text("tripwire-crossed", 1, "One was crossed")), NOW
    )
    assert isinstance(result, Flag)
    assert RULES_BY_ID["tripwire-crossed"](journal(), NOW) is None


def test_tripwire_crossed_is_highest_severity_and_quotes_the_tripwire() -> None:
    wire = Tripwire(id=1, text="My team starts open-sourcing frontier weights", created_at=ago(300))
    flags = active_flags(
        journal(text("tripwire-crossed", 3, "One was crossed"), tripwires=(wire,)), NOW
    )
    assert flags[0].id == "tripwire-crossed"
    assert flags[0].severity == 3
    assert any("open-sourcing frontier weights" in line for line in flags[0].evidence)


def test_conversation_evidence_names_the_date_and_age() -> None:
    (flag,) = [
        f for f in active_flags(journal(num("xrisk-conversations", 63, 1)), NOW)
        if f.id == "no-xrisk-conversation"
    ]
    assert "Last logged conversation with an x-risk worrier: 30 Mar 2026 (9 weeks ago)" in (
        flag.evidence
    )


def test_worry_drift_says_how_far_and_which_way() -> None:
    (flag,) = [
        f for f in active_flags(journal(num("worry-level", 5, 1), baselines=(baseline(4),)), NOW)
        if f.id == "worry-drift"
    ]
    assert "3 points down" in flag.message
    assert flag.experts == (4, 1)
    assert any("Baseline worry: 4/10" in line for line in flag.evidence)


def test_skip_flags_one_per_prompt_and_ignore_switched_off_prompts() -> None:
    skips = [skip(p, d) for p in ("worry-level", "xrisk-reading") for d in (7, 14, 21)]
    both = active_flags(journal(*skips), NOW)
    assert [f.key for f in both if f.id == "prompt-skipped"] == [
        f"prompt-skipped:worry-level:{ago(21).date().isoformat()}",
        f"prompt-skipped:xrisk-reading:{ago(21).date().isoformat()}",
    ]
    off = journal(*skips, prompt_states=(PromptState("xrisk-reading", enabled=False),))
    assert [f.key for f in active_flags(off, NOW) if f.id == "prompt-skipped"] == [
        f"prompt-skipped:worry-level:{ago(21).date().isoformat()}",
    ]


def test_answers_inside_check_ins_count_once() -> None:
    silent = text("spoke-up-when-uneasy", 7, SILENT)
    checkin = CheckIn(id=2, started_at=ago(7), completed_at=ago(7), adhoc=False, answers=(silent,))
    # The same answer listed twice (flat and inside its check-in) is still one answer.
    snapshot = JournalSnapshot(profile=AT_LAB, answers=(silent,), checkins=(checkin,))
    assert "unease-unspoken" not in rule_ids(active_flags(snapshot, NOW))
    other = text("spoke-up-when-uneasy", 14, SILENT)
    only_nested = JournalSnapshot(
        profile=AT_LAB, checkins=(replace(checkin, answers=(silent, other)),)
    )
    assert "unease-unspoken" in rule_ids(active_flags(only_nested, NOW))


def test_flags_are_ordered_by_severity_then_rule_order() -> None:
    snapshot = journal(
        skip("worry-level", 7), skip("worry-level", 14), skip("worry-level", 21),
        text("tripwire-crossed", 3, "One was crossed"),
        num("job-performance", 7, 1), num("job-performance", 14, 2),
        num("worry-level", 30, 1),
        baselines=(baseline(4),),
        options=(offer(3),),
    )
    flags = active_flags(snapshot, NOW)
    assert [(f.severity, f.id) for f in flags] == [
        (3, "tripwire-crossed"),
        (2, "worry-drift"),
        (2, "no-xrisk-conversation"),
        (2, "no-xrisk-reading"),
        (2, "low-performance"),
        (2, "offer-deadline"),
        (1, "no-time-outside"),
        (1, "prompt-skipped"),
    ]


def _conversation_lapsed() -> JournalSnapshot:
    return journal(num("xrisk-conversations", 70, 1))


def _conversation_key() -> str:
    (flag,) = [f for f in all_flags(_conversation_lapsed(), NOW) if f.id == "no-xrisk-conversation"]
    return flag.key


def test_dismissal_hides_the_flag_and_it_stays_hidden() -> None:
    key = _conversation_key()
    dismissed = replace(
        _conversation_lapsed(),
        flag_actions=(FlagAction(key, "dismissed", "Seeing Sam next week", created_at=NOW),),
    )
    assert "no-xrisk-conversation" not in rule_ids(active_flags(dismissed, NOW))
    later = NOW + timedelta(days=30)
    assert "no-xrisk-conversation" not in rule_ids(active_flags(dismissed, later))
    # The dismissal is of this situation only: other flags still show.
    assert "no-xrisk-reading" in rule_ids(active_flags(dismissed, NOW))


def test_a_new_situation_flags_again_after_a_dismissal() -> None:
    key = _conversation_key()
    action = FlagAction(key, "dismissed", "", created_at=NOW)
    renewed = journal(
        num("xrisk-conversations", 70, 1), num("xrisk-conversations", 60, 2),
        flag_actions=(action,),
    )
    assert "no-xrisk-conversation" in rule_ids(active_flags(renewed, NOW))


def test_snooze_hides_the_flag_until_its_time_passes() -> None:
    key = _conversation_key()
    until = NOW + timedelta(days=3)
    snoozed = replace(
        _conversation_lapsed(),
        flag_actions=(FlagAction(key, "snoozed", "busy week", created_at=NOW, until=until),),
    )
    hour = timedelta(hours=1)
    assert "no-xrisk-conversation" not in rule_ids(active_flags(snoozed, NOW))
    assert "no-xrisk-conversation" not in rule_ids(active_flags(snoozed, until - hour))
    assert "no-xrisk-conversation" in rule_ids(active_flags(snoozed, until + hour))


def test_snoozing_one_flag_does_not_hide_another_of_the_same_rule() -> None:
    snapshot = journal(options=(offer(2), replace(offer(5), id=9, organisation="Third Lab")))
    flags = [f for f in active_flags(snapshot, NOW) if f.id == "offer-deadline"]
    assert len(flags) == 2
    snooze = FlagAction(flags[0].key, "snoozed", "", created_at=NOW, until=NOW + timedelta(days=1))
    left = [f for f in active_flags(replace(snapshot, flag_actions=(snooze,)), NOW)
            if f.id == "offer-deadline"]
    assert [f.key for f in left] == [flags[1].key]


def test_flag_history_is_newest_first() -> None:
    older = FlagAction("a:1", "dismissed", "old", created_at=ago(10))
    newer = FlagAction("b:1", "snoozed", "new", created_at=ago(1), until=NOW)
    assert flag_history(journal(flag_actions=(older, newer))) == [newer, older]


def test_ten_years_of_weekly_check_ins() -> None:
    """Correctness on a large generated history (about 520 check-ins, 8,000 answers)."""
    checkins = []
    for week in range(520, 0, -1):
        day = week * 7
        answers = [
            num("worry-level", day, 4),
            # The last conversation was logged 11 weeks ago; reading continues.
            num("xrisk-conversations", day, 1 if week > 10 else 0),
            num("xrisk-reading", day, 2),
            num("conscience-share", day, 5),
            text("spoke-up-when-uneasy", day, SPOKE if week % 2 else "I was not uneasy"),
            num("job-performance", day, 4),
            num("time-outside-lab", day, 3),
            text("tripwire-crossed", day, "None crossed"),
            num("switch-within-3-months", day, 1),
        ]
        answers += [num(f"custom-{k}", day, k) for k in range(6)]
        checkins.append(
            CheckIn(id=week, started_at=ago(day), completed_at=ago(day), adhoc=False,
                    answers=tuple(answers))
        )
    flat = tuple(a for c in checkins for a in c.answers)
    assert len(flat) > 7_500
    snapshot = JournalSnapshot(
        profile=AT_LAB, answers=flat, checkins=tuple(checkins), baselines=(baseline(4, 3_700),)
    )
    flags = active_flags(snapshot, NOW)
    assert rule_ids(flags) == ["no-xrisk-conversation"]
    assert any("(11 weeks ago)" in line for line in flags[0].evidence)
