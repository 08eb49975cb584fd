"""Every attribution Keel makes is checked against the seed, expert by expert.

The seed (``shared/seeds/expert-advice-capabilities-roles.txt``) sits beside the clone in
CI and in every worktree (``../shared`` from the repository root). These tests FAIL — never
skip — when it is missing, so an unchecked attribution cannot slip through.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.assessment import load_assessment
from desktop.core.flags import RULES as FLAG_RULES
from desktop.core.panel import RULE_INFO, panel
from desktop.core.prompt_library import load_library
from desktop.core.provenance import (
    Cite,
    expert_sections,
    experts_mentioned,
    experts_of,
    locator_problem,
    normalise,
)
from desktop.core.records import (
    OPTION_FUNCTIONS,
    OPTION_SENIORITIES,
    OPTION_WORK_KINDS,
    AnswerKind,
    AssessmentAnswer,
    JobOption,
)

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "expert-advice-capabilities-roles.txt"


def _seed() -> str:
    if not SEED.is_file():
        pytest.fail(f"the seed is missing at {SEED}: attributions cannot be checked "
                    "(CI places a copy of shared/ beside the clone)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections() -> dict[int, str]:
    found = expert_sections(_seed())
    assert sorted(found) == list(range(1, 12))
    return found


def all_citations() -> Iterator[tuple[str, Cite]]:
    """(where, cite) for every attribution Keel makes."""
    for p in load_library().prompts:
        for c in p.sources:
            yield f"prompt {p.id}", c
    for q in load_assessment():
        for c in q.sources:
            yield f"assessment {q.id}", c
    for rule_id, info in RULE_INFO.items():
        for c in info.sources:
            yield f"panel {rule_id}", c
        for c in info.counter_sources:
            yield f"panel {rule_id} counterpoint", c
    for rule in FLAG_RULES:
        for c in rule.sources:
            yield f"flag {rule.id}", c
        for c in rule.counter_sources:
            yield f"flag {rule.id} counterpoint", c


def test_the_seed_splits_into_eleven_sections(sections: dict[int, str]) -> None:
    assert sections[7].startswith("Expert 7: Timelines are short")
    assert "Speak to our team" not in sections[11]
    assert "burn the capabilities commons" in sections[5]
    assert "burn the capabilities commons" not in sections[6]


def test_every_locator_is_in_the_named_experts_section(sections: dict[int, str]) -> None:
    problems = [f"{where}: {problem}" for where, c in all_citations()
                if (problem := locator_problem(c, sections))]
    assert not problems, "\n".join(problems)


def test_a_locator_in_the_wrong_section_is_caught(sections: dict[int, str]) -> None:
    # The first example: Expert 7 cited for training efficiency.
    assert locator_problem(Cite(7, "improves the efficiency of training large models"),
                           sections)
    assert locator_problem(Cite(6, "improves the efficiency of training large models"),
                           sections) is None
    assert locator_problem(Cite(4, "value drift"), sections)  # too short to locate anything
    assert locator_problem(Cite(12, "the remaining 5% can be important"), sections)


def test_every_attributed_item_has_a_locator_per_expert() -> None:
    for p in load_library().prompts:
        assert experts_of(p.sources) == p.experts, p.id
    for q in load_assessment():
        assert experts_of(q.sources) == q.experts, q.id
    for rule_id, info in RULE_INFO.items():
        assert info.sources, rule_id
    for rule in FLAG_RULES:
        assert experts_of(rule.sources) == rule.experts


def test_every_expert_is_the_source_of_at_least_two_items() -> None:
    counts: Counter[int] = Counter()
    for p in load_library().prompts:
        counts.update(p.experts)
    for q in load_assessment():
        counts.update(q.experts)
    for info in RULE_INFO.values():
        counts.update(experts_of(info.sources))
    for rule in FLAG_RULES:
        counts.update(rule.experts)
    thin = {e: counts[e] for e in range(1, 12) if counts[e] < 2}
    assert not thin, thin


def test_concerns_about_the_work_itself_can_reach_today() -> None:
    flagged = {e for rule in FLAG_RULES for e in rule.experts}
    assert {1, 3, 4, 5, 6, 7, 9, 10, 11} <= flagged


def test_texts_name_only_the_experts_they_cite() -> None:
    for p in load_library().prompts:
        assert experts_mentioned(p.why + p.question) <= set(p.experts), p.id
    for q in load_assessment():
        assert experts_mentioned(q.why + q.question) <= set(q.experts), q.id


# --- the panel, over many options and answers --------------------------------------------

_QUESTIONS = load_assessment()


def _answer_strategy() -> st.SearchStrategy[dict[str, AssessmentAnswer]]:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    per_question = {}
    for q in _QUESTIONS:
        if q.answer is AnswerKind.SCALE:
            values = st.builds(lambda n, qid=q.id: AssessmentAnswer(1, qid, when, number=n),
                               st.integers(0, len(q.labels) - 1))
        elif q.answer is AnswerKind.YESNO:
            values = st.builds(lambda n, qid=q.id: AssessmentAnswer(1, qid, when, number=n),
                               st.sampled_from([0, 1]))
        elif q.answer is AnswerKind.CHOICE:
            values = st.builds(lambda t, qid=q.id: AssessmentAnswer(1, qid, when, text=t),
                               st.sampled_from(q.labels))
        else:
            values = st.builds(lambda t, qid=q.id: AssessmentAnswer(1, qid, when, text=t),
                               st.sampled_from(["", "none", "Large-scale RL"]))
        per_question[q.id] = st.none() | values
    return st.fixed_dictionaries(per_question).map(
        lambda d: {k: v for k, v in d.items() if v is not None})


_OPTIONS = st.builds(
    JobOption,
    id=st.just(1), organisation=st.just("Lab"), role=st.sampled_from(["Engineer", "Optimizer lead"]),
    function=st.sampled_from(OPTION_FUNCTIONS), seniority=st.sampled_from(OPTION_SENIORITIES),
    work_kind=st.sampled_from(OPTION_WORK_KINDS), frontier=st.sampled_from([None, True, False]),
    publishes=st.sampled_from(["", "papers"]), open_sources=st.sampled_from(["", "weights"]),
    notes=st.sampled_from(["", "I will lobby for safety work.", "fp8 kernels"]),
)


@settings(max_examples=300, deadline=None)
@given(option=_OPTIONS, answers=_answer_strategy())
def test_panel_items_name_exactly_their_cited_experts(
    option: JobOption, answers: dict[str, AssessmentAnswer]
) -> None:
    for item in panel(option, answers):
        info = RULE_INFO[item.rule_id]
        assert item.sources == info.sources
        assert item.experts == experts_of(info.sources)
        assert experts_mentioned(item.summary) == set(item.experts), (item.rule_id, item.summary)
        assert experts_mentioned(item.counterpoint) == set(item.counter_experts), item.rule_id
        if item.counterpoint:
            assert item.counter_sources
        assert experts_mentioned(item.trigger + item.ask) <= set(item.experts)


# --- hedges kept, nothing copied beyond locators ------------------------------------------

HEDGES = {
    # item: a phrase that carries the expert's hedge
    ("prompt", "mixed-safety-work"): "without high confidence",
    ("prompt", "alignment-difficulty"): "guesses",
    ("prompt", "safety-tilt-asked"): "reasonable fraction",
    ("prompt", "senior-lobbying"): "Knowing nothing else about you",
    ("prompt", "good-faith-size"): "might be too small",
    ("prompt", "closed-commitment"): "ideally",
    ("prompt", "conscience-share"): "ceiling, not a target",
    ("assessment", "lobby-for-safety"): "without knowing you",
    ("assessment", "keeps-perspective"): "guess",
    ("assessment", "open-or-closed"): "ideally",
    ("assessment", "role-leverage"): "usually more senior",
    ("assessment", "confidence"): "should not be confident",
    ("panel", "safety-entangled"): "without high confidence",
    ("panel", "leverage-ask"): "usually more senior",
    ("panel", "skill-building-unguarded"): "without knowing you",
    ("panel", "junior-skill-building"): "without knowing you",
    ("panel", "good-faith-worth"): "might be too small",
    ("panel", "agi-bottleneck"): "not obviously",
    # restored in the full re-read of every attribution
    ("prompt", "job-performance"): "or leave",
    ("prompt", "disclosure-plan"): "Keel asks because",
    ("assessment", "good-faith"): "probably worth doing",
    ("assessment", "counterfactual"): "may have less",
    ("assessment", "notice-and-refrain"): "possible only",
    ("panel", "agi-bottleneck-discuss"): "expects most",
    ("panel", "two-way"): "should not be confident",
    ("panel", "lobbying-seniority"): "Keel suggests",
}


def _panel_texts() -> dict[str, str]:
    """Every panel rule's possible summaries, gathered by running it on many options."""
    import random

    rng = random.Random(3)
    found: dict[str, set[str]] = {}
    when = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(3000):
        option = JobOption(
            1, "Lab", "Engineer", function=rng.choice(OPTION_FUNCTIONS),
            seniority=rng.choice(OPTION_SENIORITIES), work_kind=rng.choice(OPTION_WORK_KINDS),
            frontier=rng.choice([None, True, False]), publishes=rng.choice(["", "papers"]),
            notes=rng.choice(["", "fp8 kernels", "I will lobby for safety work."]))
        answers = {}
        for q in _QUESTIONS:
            if rng.random() < 0.5:
                continue
            if q.answer in (AnswerKind.CHOICE, AnswerKind.TEXT):
                answers[q.id] = AssessmentAnswer(1, q.id, when, text=rng.choice(q.labels or ("x",)))
            else:
                top = len(q.labels) - 1 if q.answer is AnswerKind.SCALE else 1
                answers[q.id] = AssessmentAnswer(1, q.id, when, number=rng.randint(0, top))
        for item in panel(option, answers):
            found.setdefault(item.rule_id, set()).add(item.summary)
            found.setdefault(item.rule_id + ":counter", set()).add(item.counterpoint)
    return {k: " | ".join(sorted(v)) for k, v in found.items()}


def _flag_texts() -> dict[str, str]:
    """Every flag's texts, from the crafted journals of the flag tests."""
    from desktop.core.flags import active_flags
    from tests.unit.test_flags import CASES, NOW

    found: dict[str, set[str]] = {}
    for case in CASES:
        for flag in active_flags(case.values[1], NOW):
            found.setdefault(flag.id, set()).update(
                (flag.message, flag.why, flag.point, flag.counterpoint, flag.next_step))
    return {k: " | ".join(sorted(v)) for k, v in found.items()}


def test_each_hedge_is_kept() -> None:
    prompts = {p.id: p.why + " " + p.question for p in load_library().prompts}
    questions = {q.id: q.why + " " + q.question for q in load_assessment()}
    panel_texts = _panel_texts()
    assert set(RULE_INFO) <= set(panel_texts), set(RULE_INFO) - set(panel_texts)
    where = {"prompt": prompts, "assessment": questions, "panel": panel_texts}
    missing = [f"{kind} {item_id}: “{hedge}”" for (kind, item_id), hedge in HEDGES.items()
               if hedge not in where[kind][item_id]]
    assert not missing, missing


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%+]+(?:'[a-z]+)?", normalise(text).lower())


COPY_RUN = 7
"""Words in a row that may not repeat the seed outside a quoted locator (a hedge such as
"a reasonable fraction of the time" is six)."""


def test_nothing_repeats_seven_words_of_the_seed() -> None:
    words = _words(_seed())
    grams = {tuple(words[i:i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}
    texts: dict[str, str] = {}
    for p in load_library().prompts:
        texts[f"prompt {p.id}"] = p.question + " | " + p.why
    for q in load_assessment():
        texts[f"assessment {q.id}"] = q.question + " | " + q.why
    texts.update({f"panel {k}": v for k, v in _panel_texts().items()})
    texts.update({f"flag {k}": v for k, v in _flag_texts().items()})
    docs = REPO / "docs" / "EXPERTS.md"
    if docs.is_file():
        # Locators are quoted in the doc on purpose; everything else must be paraphrase.
        texts["docs/EXPERTS.md"] = re.sub(r"“[^”]*”", " | ", docs.read_text(encoding="utf-8"))
    copied: dict[str, set[str]] = {}
    for where, text in texts.items():
        for part in re.split(r"[|\n]", text):
            w = _words(part)
            runs = [" ".join(w[i:i + COPY_RUN]) for i in range(len(w) - COPY_RUN + 1)
                    if tuple(w[i:i + COPY_RUN]) in grams]
            if runs:
                copied.setdefault(where, set()).update(runs)
    assert not copied, "\n".join(f"{k}: {v}" for k, v in copied.items())


def test_docs_experts_page_is_current() -> None:
    """docs/EXPERTS.md is generated from the data; regenerate with docs/make_experts.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_experts", REPO / "docs" / "make_experts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.SUMMARIES) == list(range(1, 12))
    current = (REPO / "docs" / "EXPERTS.md").read_text(encoding="utf-8")
    assert current == module.render(), "docs/EXPERTS.md is stale: run docs/make_experts.py"
    for number in range(1, 12):
        assert f"## Expert {number} — " in current


def test_keels_thresholds_are_one_number_each() -> None:
    from desktop.core.flags import RUNWAY_MONTHS
    from desktop.trends_data import RUNWAY_MARK

    assert RUNWAY_MARK == RUNWAY_MONTHS
