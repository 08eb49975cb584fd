"""The experts' panel: each rule fires when it should and stays quiet otherwise."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import UTC, datetime

import pytest

from desktop.core.assessment import load_assessment
from desktop.core.panel import (
    ALIGNMENT_AIM,
    ALIGNMENT_NOT,
    CANNOT_REFRAIN,
    CLOSED_LABELS,
    COLLEAGUES_MIND,
    CONFIDENT,
    COUNTERFACTUAL_LOW,
    EDGE_FAILS,
    FIT_NO,
    FIT_YES,
    GOOD_FAITH_AT_BAR,
    GOOD_FAITH_BELOW_BAR,
    GOOD_FAITH_CANNOT_JUDGE,
    HYPE_LABELS,
    HYPE_NEITHER,
    MISUSE_HIGH,
    NO_PAYOFF,
    OPEN_LABELS,
    RULE_TITLES,
    RULES,
    SMALL_LAB_FINE,
    SMALL_LAB_NOT,
    SMALL_LAB_PROBLEMS,
    STANCES,
    TEAM_ALIGNMENT,
    TEAM_CAPABILITIES,
    TEAM_UNSURE,
    TILT_NOT_ASKED,
    PanelItem,
    panel,
)
from desktop.core.records import AssessmentAnswer, JobOption

T0 = datetime(2024, 3, 1, tzinfo=UTC)

# An option no rule has anything to say about: the starting point of every test.
QUIET = JobOption(
    id=1, organisation="Acme", role="Analyst", function="operations", seniority="mid",
    work_kind="unrelated", frontier=None,
)


def ans(**values: str | float) -> dict[str, AssessmentAnswer]:
    """Answers keyed by question id; ``agi_bottleneck=1`` → ``agi-bottleneck`` = 1."""
    out = {}
    for key, value in values.items():
        qid = key.replace("_", "-")
        if isinstance(value, str):
            out[qid] = AssessmentAnswer(1, qid, T0, text=value)
        else:
            out[qid] = AssessmentAnswer(1, qid, T0, number=float(value))
    return out


def item(option: JobOption, answers: dict | None = None, rule_id: str = "") -> PanelItem | None:
    found = [i for i in panel(option, answers or {}) if i.rule_id == rule_id]
    assert len(found) <= 1, "a rule gives at most one item"
    return found[0] if found else None


def test_quiet_option_gets_an_empty_panel() -> None:
    assert panel(QUIET, {}) == []


# --- Expert 1: leverage ---------------------------------------------------------------

def test_fundraising_for_a_frontier_lab_gets_expert_1_leverage_warning() -> None:
    got = item(replace(QUIET, function="fundraising", frontier=True),
               rule_id="leverage-fundraising-comms")
    assert got is not None
    assert got.experts == (1,) and got.stance == "caution"
    assert "fundraising" in got.trigger
    assert "unless you truly back the lab" in got.summary


def test_comms_role_is_asked_about_hype_not_guessed() -> None:
    # The old rule cautioned any comms role at a lab; Expert 1 means comms that create hype.
    comms = replace(QUIET, function="communications", work_kind="capabilities", frontier=True,
                    notes="Run launch demos for new models")
    assert item(comms, rule_id="leverage-fundraising-comms") is None
    ask = item(comms, rule_id="leverage-ask")
    assert ask is not None and ask.stance == "consider" and ask.ask
    hype = item(comms, ans(hype_or_fundraising="Hype-making communications"),
                "leverage-fundraising-comms")
    assert hype is not None and hype.stance == "caution"
    plain = ans(hype_or_fundraising="Neither")
    assert item(comms, plain, "leverage-fundraising-comms") is None
    assert item(comms, plain, "leverage-ask") is None


def test_operations_role_gets_no_fundraising_warning() -> None:
    assert item(QUIET, rule_id="leverage-fundraising-comms") is None


def test_senior_capabilities_role_is_asked_not_presumed_leveraged() -> None:
    # Expert 1 says "some roles (usually more senior ones)", not every senior role.
    senior = replace(QUIET, function="research", seniority="leadership", work_kind="capabilities")
    ask = item(senior, rule_id="leverage-ask")
    assert ask is not None and ask.stance == "consider" and "usually more senior" in ask.summary
    rated = item(senior, ans(role_leverage=4), "leverage-assessed")
    assert rated is not None and rated.stance == "caution" and "Expert 4" in rated.counterpoint
    assert item(senior, ans(role_leverage=1), "leverage-ask") is None


def test_junior_or_safety_senior_role_is_not_asked_about_leverage() -> None:
    junior = replace(QUIET, seniority="junior", work_kind="capabilities")
    senior_safety = replace(QUIET, seniority="senior", work_kind="safety")
    assert item(junior, rule_id="leverage-ask") is None
    assert item(senior_safety, rule_id="leverage-ask") is None


def test_high_self_rated_leverage_warns_once() -> None:
    got = item(QUIET, ans(role_leverage=4), "leverage-assessed")
    assert got is not None and got.experts == (1,)
    # Low rating: nothing; fundraising already warned: no second item.
    assert item(QUIET, ans(role_leverage=1), "leverage-assessed") is None
    assert item(replace(QUIET, function="fundraising", frontier=True), ans(role_leverage=4),
                "leverage-assessed") is None


# --- Experts 3 and 5: open frontier --------------------------------------------------

def test_frontier_lab_open_sourcing_gets_experts_5_and_3() -> None:
    option = replace(QUIET, frontier=True, work_kind="capabilities", open_sources="model weights")
    got = item(option, rule_id="open-frontier")
    assert got is not None and got.experts == (5, 3) and got.stance == "caution"
    assert "written" not in got.summary  # Expert 5 said "ideally, a clear statement"
    assert "model weights" in got.trigger
    assert got.counterpoint == ""  # Expert 8's reply does not cover releasing models


def test_frontier_lab_publishing_capabilities_gets_expert_8_counterpoint() -> None:
    option = replace(QUIET, frontier=True, work_kind="capabilities", publishes="NeurIPS papers")
    got = item(option, rule_id="open-frontier")
    assert got is not None and "Expert 8" in got.counterpoint


def test_open_or_closed_answer_alone_can_trigger_open_frontier() -> None:
    option = replace(QUIET, frontier=True, work_kind="capabilities")
    got = item(option, ans(open_or_closed="Published openly"), "open-frontier")
    assert got is not None and "Published openly" in got.trigger


def test_no_open_frontier_warning_when_closed_or_not_frontier() -> None:
    closed = replace(QUIET, frontier=True, work_kind="capabilities", open_sources="nothing",
                     publishes="None")
    assert item(closed, ans(open_or_closed="Closed, with a clear statement"),
                "open-frontier") is None
    small = replace(QUIET, frontier=False, work_kind="capabilities", open_sources="weights")
    assert item(small, rule_id="open-frontier") is None
    safety_papers = replace(QUIET, frontier=True, work_kind="safety", publishes="papers")
    assert item(safety_papers, rule_id="open-frontier") is None


# --- Experts 6 and 7: AGI bottleneck -------------------------------------------------

def test_bottleneck_answer_without_alignment_upside_gets_experts_6_and_7() -> None:
    got = item(QUIET, ans(agi_bottleneck=1, enables_alignment=0), "agi-bottleneck")
    assert got is not None and got.experts == (6, 7) and got.stance == "caution"


def test_bottleneck_keyword_in_notes_asks_rather_than_warns() -> None:
    option = replace(QUIET, work_kind="capabilities", notes="Work on the optimiser team's kernels")
    assert item(option, rule_id="agi-bottleneck") is None
    got = item(option, rule_id="agi-bottleneck-ask")
    assert got is not None and "optimiser" in got.trigger and got.ask
    assert item(option, ans(agi_bottleneck=0), "agi-bottleneck-ask") is None


def test_discuss_first_only_for_alignment_targeted_bottleneck_work() -> None:
    aimed = ans(agi_bottleneck=1, alignment_targeted="Yes, alignment is the aim")
    assert item(QUIET, aimed, "agi-bottleneck") is None
    assert item(QUIET, aimed, "agi-bottleneck-discuss") is not None
    not_aimed = ans(agi_bottleneck=1, alignment_targeted="No", enables_alignment=4)
    assert item(QUIET, not_aimed, "agi-bottleneck-discuss") is None
    assert item(QUIET, not_aimed, "agi-bottleneck") is None  # a clear upside stated


def test_students_are_told_not_to_sweat_it() -> None:
    student = replace(QUIET, function="research", seniority="student", work_kind="capabilities")
    answers = ans(agi_bottleneck=1, enables_alignment=0)
    assert item(student, answers, "agi-bottleneck") is None
    assert item(student, answers, "agi-bottleneck-discuss") is None
    got = item(student, answers, "student-project")
    assert got is not None and got.experts == (6,)


def test_expert_6_tangential_work_and_counterfactual_and_misuse() -> None:
    assert item(QUIET, ans(tangential=1), "tangential").stance == "supportive"  # type: ignore[union-attr]
    got = item(QUIET, ans(agi_bottleneck=1, counterfactual="Yes, largely"), "agi-bottleneck")
    assert got is not None and "counterfactual" not in got.summary and "anyway" in got.summary
    assert item(QUIET, ans(misuse_risk="Noticeably"), "misuse") is not None


def test_bottleneck_with_alignment_upside_is_a_discussion_not_a_warning() -> None:
    answers = ans(agi_bottleneck=1, enables_alignment=4)
    assert item(QUIET, answers, "agi-bottleneck") is None
    got = item(QUIET, answers, "agi-bottleneck-discuss")
    assert got is not None and got.experts == (6,) and got.stance == "consider"


def test_no_bottleneck_items_when_user_says_no_or_nothing_suggests_it() -> None:
    option = replace(QUIET, notes="low precision training")
    assert item(option, ans(agi_bottleneck=0), "agi-bottleneck") is None
    assert item(QUIET, rule_id="agi-bottleneck") is None
    assert item(QUIET, ans(enables_alignment=4), "agi-bottleneck-discuss") is None


# --- Experts 1 and 4: junior skill building -----------------------------------------

JUNIOR_CAPS = replace(QUIET, function="engineering", seniority="junior", work_kind="capabilities")


def test_junior_role_leans_positive_only_with_fit_and_precautions() -> None:
    answers = ans(keeps_perspective=1, fit_and_interest="Yes")
    got = item(JUNIOR_CAPS, answers, "junior-skill-building")
    assert got is not None
    assert got.experts == (1, 4) and got.stance == "supportive"
    assert "Expert 9" in got.counterpoint and "Expert 3" in got.counterpoint
    assert "highly confident" in got.summary  # Expert 1's own caveat kept
    assert item(JUNIOR_CAPS, ans(keeps_perspective=1), "junior-skill-building") is None
    assert item(JUNIOR_CAPS, ans(keeps_perspective=1, fit_and_interest="No"),
                "junior-skill-building") is None


def test_refused_tilt_and_unanswered_precautions_do_not_lean_toward_taking() -> None:
    # The case: safety tilt refused, precautions unanswered — Expert 4 is against
    # without precautions, so the panel asks instead of leaning positive.
    answers = ans(safety_tilt_possible="Asked: no")
    assert item(JUNIOR_CAPS, answers, "junior-skill-building") is None
    got = item(JUNIOR_CAPS, answers, "skill-building-unguarded")
    assert got is not None and got.experts == (4,) and got.stance == "consider" and got.ask


def test_explicitly_dropping_precautions_is_expert_4_against() -> None:
    got = item(JUNIOR_CAPS, ans(keeps_perspective=0, fit_and_interest="Yes"),
               "skill-building-unguarded")
    assert got is not None and got.stance == "caution"
    assert item(JUNIOR_CAPS, ans(keeps_perspective=0, fit_and_interest="Yes"),
                "junior-skill-building") is None


def test_senior_or_non_technical_roles_are_not_skill_building_items() -> None:
    senior = replace(QUIET, function="engineering", seniority="senior", work_kind="mixed")
    ops = replace(QUIET, function="operations", seniority="junior", work_kind="mixed")
    for option in (senior, ops):
        assert item(option, rule_id="junior-skill-building") is None
        assert item(option, rule_id="skill-building-unguarded") is None


# --- Expert 4: lobbying from inside ---------------------------------------------------

def test_senior_role_lobbying_for_safety_gets_expert_4_in_favour() -> None:
    option = replace(QUIET, seniority="leadership", work_kind="capabilities",
                     notes="I plan to lobby the exec team for more safety funding.")
    got = item(option, rule_id="lobbying-seniority")
    assert got is not None and got.experts == (4,) and got.stance == "supportive"
    assert "lobby" in got.trigger and "Expert 3" in got.counterpoint


def test_junior_role_lobbying_gets_expert_4_against() -> None:
    option = replace(QUIET, seniority="junior", work_kind="capabilities")
    got = item(option, ans(lobby_for_safety=1), "lobbying-seniority")
    assert got is not None and got.stance == "caution"


def test_mid_level_safety_role_gets_no_junior_capabilities_caution() -> None:
    # The demo case: a mid-level safety role (Halcyon) got "junior capabilities" caution.
    safety_mid = replace(QUIET, seniority="mid", work_kind="safety", function="research")
    assert item(safety_mid, ans(lobby_for_safety=1), "lobbying-seniority") is None
    caps_mid = replace(safety_mid, work_kind="capabilities")
    got = item(caps_mid, ans(lobby_for_safety=1), "lobbying-seniority")
    assert got is not None and got.stance == "consider"


def test_no_lobbying_item_without_intent() -> None:
    option = replace(QUIET, seniority="senior", notes="Lobby for a bigger budget for GPUs.")
    assert item(option, rule_id="lobbying-seniority") is None
    assert item(option, ans(lobby_for_safety=0), "lobbying-seniority") is None


# --- Expert 11 ------------------------------------------------------------------------

def test_small_lab_not_at_frontier_gets_expert_11_within_scope() -> None:
    small = replace(QUIET, frontier=False, work_kind="capabilities")
    ask = item(small, rule_id="small-lab")
    assert ask is not None and ask.experts == (11,) and ask.stance == "consider" and ask.ask
    fine = item(small, ans(small_lab_frontier="Neither"), "small-lab")
    assert fine is not None and fine.stance == "supportive"
    pushes = item(small, ans(small_lab_frontier="Pushes the state of the art"), "small-lab")
    assert pushes is not None and pushes.stance == "caution"


def test_open_sourcing_interpretability_tools_is_not_a_frontier_rebuild() -> None:
    # The demo case: Halcyon (safety, small, open-sources interpretability tooling).
    halcyon = replace(QUIET, frontier=False, work_kind="safety",
                      open_sources="Interpretability tooling.")
    assert item(halcyon, rule_id="small-lab") is None


def test_frontier_or_unknown_lab_gets_no_small_lab_item() -> None:
    assert item(replace(QUIET, frontier=True, work_kind="capabilities"),
                rule_id="small-lab") is None
    assert item(replace(QUIET, frontier=None, work_kind="capabilities"),
                rule_id="small-lab") is None


def test_good_faith_answers_map_to_expert_11_stances() -> None:
    option = replace(QUIET, frontier=True, work_kind="capabilities")
    at_bar = item(option, ans(good_faith=GOOD_FAITH_AT_BAR[0]), "good-faith-worth")
    assert at_bar is not None and at_bar.stance == "supportive" and at_bar.counterpoint
    assert "Expert 9" not in at_bar.counterpoint  # Expert 9 never discusses good faith
    below = item(option, ans(good_faith=GOOD_FAITH_BELOW_BAR[1]), "good-faith")
    assert below is not None and below.stance == "caution"
    unsure = item(option, ans(good_faith=GOOD_FAITH_CANNOT_JUDGE), "good-faith-judge")
    assert unsure is not None and unsure.stance == "caution"


def test_no_good_faith_item_when_unanswered_or_not_capabilities_work() -> None:
    assert item(QUIET, {}, "good-faith") is None
    assert item(QUIET, ans(good_faith=GOOD_FAITH_BELOW_BAR[0]), "good-faith") is None


# --- Expert 9 -------------------------------------------------------------------------

def test_team_judgement_answer_gets_expert_9() -> None:
    stances = {
        TEAM_ALIGNMENT: "supportive", TEAM_CAPABILITIES: "caution", TEAM_UNSURE: "consider",
    }
    for answer, stance in stances.items():
        got = item(QUIET, ans(team_judgement=answer), "team-judgement")
        assert got is not None and got.experts == (9,) and got.stance == stance
        assert answer in got.trigger


def test_no_team_judgement_item_without_an_answer() -> None:
    assert item(replace(QUIET, team="Pretraining"), {}, "team-judgement") is None


# --- Experts 2 and 8 ------------------------------------------------------------------

CAPABILITY_ROLE = replace(QUIET, work_kind="capabilities")


def test_career_capital_answers_get_experts_10_and_8() -> None:
    got = item(CAPABILITY_ROLE, ans(career_capital=4, transferable_skills="Large-scale RL"),
               "career-capital")
    assert got is not None and got.experts == (10, 8) and got.stance == "supportive"
    assert "Large-scale RL" in got.trigger and "Expert 5" in got.counterpoint
    assert "Expert 9" in got.counterpoint  # the field is small and talent concentrated
    low = item(CAPABILITY_ROLE, ans(career_capital=0), "career-capital")
    assert low is not None and low.stance == "consider"


def test_career_capital_stays_out_of_safety_and_unrelated_work() -> None:
    # Experts 10 and 8 weigh skills against a push to capabilities; with none, no item.
    for kind in ("safety", "unrelated"):
        assert item(replace(QUIET, work_kind=kind), ans(career_capital=4),
                    "career-capital") is None
    assert item(replace(QUIET, work_kind="mixed"), ans(career_capital=4),
                "career-capital") is not None


def test_career_capital_is_not_in_favour_when_the_user_says_it_teaches_little() -> None:
    # The demo case: "Production ML, but little that matters for safety."
    got = item(CAPABILITY_ROLE, ans(career_capital=2,
                                    transferable_skills="Production ML, but little that matters"),
               "career-capital")
    assert got is not None and got.stance == "consider"


def test_no_career_capital_item_without_answers() -> None:
    assert item(QUIET, ans(good_faith="A small effect"), "career-capital") is None


def test_safety_work_gets_expert_2_entanglement_note() -> None:
    got = item(replace(QUIET, work_kind="safety"), rule_id="safety-entangled")
    assert got is not None and 2 in got.experts and got.trigger == "Kind of work: safety"
    assert item(replace(QUIET, work_kind="capabilities"), rule_id="safety-entangled") is None


# --- properties of the whole panel ----------------------------------------------------

BUSY = JobOption(
    id=7, organisation="Frontier Lab", role="Senior research engineer", team="Pretraining",
    function="research", seniority="senior", work_kind="capabilities", frontier=True,
    publishes="capabilities papers", open_sources="model weights",
    notes="Low precision training. I will lobby for safety work.",
)
BUSY_ANSWERS = ans(
    agi_bottleneck=1, enables_alignment=0, team_judgement=TEAM_CAPABILITIES,
    good_faith=GOOD_FAITH_CANNOT_JUDGE, career_capital=3, role_leverage=4,
)


def test_panel_never_returns_a_score_or_verdict() -> None:
    items = panel(BUSY, BUSY_ANSWERS)
    assert len(items) >= 5
    assert isinstance(items, list) and all(isinstance(i, PanelItem) for i in items)
    for i in items:
        # The only numbers on an item are the experts' ids; everything else is words.
        assert {f.name for f in fields(i)} == {
            "rule_id", "experts", "stance", "summary", "trigger", "counterpoint", "sources",
            "counter_sources", "ask"}
        assert all(isinstance(getattr(i, f.name), str) for f in fields(i)
                   if f.name not in ("experts", "sources", "counter_sources"))
        assert i.stance in STANCES
        assert not re.search(r"\bscore\b|\d+\s*/\s*10\b|\bverdict\b", i.summary, re.I)


def test_every_item_attributes_by_number_and_names_no_one() -> None:
    for i in panel(BUSY, BUSY_ANSWERS) + panel(replace(QUIET, work_kind="safety"), {}):
        assert f"Expert {i.experts[0]}" in i.summary or "Experts" in i.summary
        assert all(1 <= e <= 11 for e in i.experts)
        assert i.trigger and i.summary
        for text in (i.summary, i.counterpoint):
            assert "80,000" not in text and "Anthropic" not in text


def test_every_rule_has_a_title() -> None:
    assert len(RULES) <= len(RULE_TITLES)
    items = panel(BUSY, BUSY_ANSWERS)
    assert all(i.title != i.rule_id for i in items)


@pytest.mark.parametrize(
    ("question_id", "labels"),
    [
        ("safety-tilt-possible", (TILT_NOT_ASKED,)),
        ("team-judgement", (TEAM_ALIGNMENT, TEAM_CAPABILITIES, TEAM_UNSURE)),
        ("open-or-closed", OPEN_LABELS + CLOSED_LABELS),
        ("hype-or-fundraising", (*HYPE_LABELS, HYPE_NEITHER)),
        ("alignment-targeted", (*ALIGNMENT_AIM, ALIGNMENT_NOT)),
        ("small-lab-frontier", (SMALL_LAB_FINE, SMALL_LAB_NOT, *SMALL_LAB_PROBLEMS)),
        ("confidence", CONFIDENT),
        ("big-payoff", (NO_PAYOFF,)),
        ("notice-and-refrain", CANNOT_REFRAIN),
        ("edge-and-entrants", EDGE_FAILS),
        ("colleagues-publishing", COLLEAGUES_MIND),
        ("counterfactual", COUNTERFACTUAL_LOW),
        ("misuse-risk", (MISUSE_HIGH,)),
        ("fit-and-interest", (FIT_YES, FIT_NO)),
        ("good-faith", GOOD_FAITH_AT_BAR + GOOD_FAITH_BELOW_BAR + (GOOD_FAITH_CANNOT_JUDGE,)),
    ],
)
def test_labels_the_rules_read_exist_in_the_shipped_assessment(
    question_id: str, labels: tuple[str, ...]
) -> None:
    by_id = {q.id: q for q in load_assessment()}
    assert set(labels) <= set(by_id[question_id].labels)


def test_clauses_never_read_full_stop_semicolon() -> None:
    """A user's own wording that ends in "." is one clause, not ".;" (issue 19)."""
    option = replace(QUIET, frontier=True, work_kind="capabilities",
                     publishes="Occasional papers on training methods; launch demos.")
    got = item(option, ans(open_or_closed=OPEN_LABELS[0]), "open-frontier")
    assert got is not None
    assert ".;" not in got.trigger and "launch demos; Open or closed" in got.trigger


def test_cautions_about_the_work_show_the_permissive_side_the_seed_has() -> None:
    # The flags show Expert 8 beside Expert 3 and Expert 10 beside Expert 11; the panel,
    # where the decision is made, must not show only the cautious side.
    frontier = replace(QUIET, work_kind="capabilities", frontier=True)
    held = item(frontier, ans(notice_and_refrain=CANNOT_REFRAIN[0]), "private-not-enough")
    assert held is not None and held.counter_experts == (8,)
    unsure = item(frontier, ans(good_faith=GOOD_FAITH_CANNOT_JUDGE), "good-faith-judge")
    assert unsure is not None and unsure.counter_experts == (10,)
