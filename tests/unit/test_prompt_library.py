"""The shipped prompt library's invariants and how the loader reports broken library files."""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from desktop.core.prompt_library import (
    LibraryLoad,
    PromptError,
    load_library,
    prompt_from_dict,
)
from desktop.core.records import CADENCES, EVENT_CADENCES, AnswerKind, Prompt
from desktop.core.themes import CUSTOM_THEME, THEME_IDS, THEMES, theme_by_id

REPO = Path(__file__).resolve().parents[2]
SEED_NAME = "expert-advice-capabilities-roles.txt"


@pytest.fixture(scope="module")
def library() -> LibraryLoad:
    return load_library()


@pytest.fixture(scope="module")
def prompts(library: LibraryLoad) -> dict[str, Prompt]:
    return {p.id: p for p in library.prompts}


# --- the shipped library ---------------------------------------------------------------


def test_shipped_library_loads_without_problems(library: LibraryLoad) -> None:
    assert library.problems == ()
    assert library.ok


def test_at_least_forty_prompts(library: LibraryLoad) -> None:
    assert len(library.prompts) >= 40


def test_every_expert_is_the_source_of_a_prompt(library: LibraryLoad) -> None:
    # Two items per expert are counted across prompts, assessment, panel and flags in
    # test_provenance.py; one-sentence experts (2, 7) are not stretched to fill a quota here.
    counts = Counter(e for p in library.prompts for e in p.experts)
    assert not [e for e in range(1, 12) if counts[e] < 1]


def test_keel_own_prompts_name_no_expert_and_say_so(library: LibraryLoad) -> None:
    own = [p for p in library.prompts if p.keel_own]
    assert {p.id for p in own} == {"decision-revisit", "tripwire-crossed", "tripwire-still-right"}
    for p in library.prompts:
        assert bool(p.experts) != p.keel_own, p.id
        assert [c.expert for c in p.sources] == list(p.experts), p.id


def test_source_must_name_exactly_the_experts() -> None:
    base = {"id": "c", "theme": "team", "experts": [9], "question": "Q?", "why": "W.",
            "answer": "text", "cadence": "weekly"}
    for bad in ({}, {"source": {"8": "x y z"}}, {"source": {"9": ""}},
                {"source": {"9": "a b c", "8": "d e f"}}, {"source": "a b c"}):
        with pytest.raises(PromptError) as info:
            prompt_from_dict({**base, **bad}, require_source=True)
        assert "source" in {k for k, _ in info.value.issues}
    with pytest.raises(PromptError):
        prompt_from_dict({**base, "experts": [], "keel_own": True, "source": {"9": "a b c"}})
    with pytest.raises(PromptError):
        prompt_from_dict({**base, "keel_own": True, "source": {"9": "a b c"}})
    own = prompt_from_dict({**base, "experts": [], "keel_own": True})
    assert own.keel_own and own.experts == () and own.sources == ()


def test_every_theme_has_at_least_two_prompts(library: LibraryLoad) -> None:
    counts = Counter(p.theme for p in library.prompts)
    thin = {t: counts[t] for t in THEME_IDS if counts[t] < 2}
    assert not thin, f"themes with fewer than two prompts: {thin}"


def test_ids_are_unique_and_kebab_case(library: LibraryLoad) -> None:
    ids = [p.id for p in library.prompts]
    assert len(ids) == len(set(ids))
    for pid in ids:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", pid), pid


def test_every_why_and_question_is_one_nonempty_line(library: LibraryLoad) -> None:
    for p in library.prompts:
        assert p.why and "\n" not in p.why, p.id
        assert p.question and "\n" not in p.question, p.id


def test_every_answer_kind_is_represented(library: LibraryLoad) -> None:
    assert {p.answer for p in library.prompts} == set(AnswerKind)


def test_library_files_are_one_per_theme(library: LibraryLoad) -> None:
    for p in library.prompts:
        assert p.source_file == f"{p.theme}.toml", p.id


def test_both_sides_of_the_debate_are_represented(library: LibraryLoad) -> None:
    career_side = [
        p for p in library.prompts
        if {8, 10} & set(p.experts) and p.theme == "career-capital"
    ]
    caution_side = [
        p for p in library.prompts
        if {3, 5, 9} & set(p.experts) and p.theme in ("disclosure", "team", "value-drift")
    ]
    assert career_side, "no prompt gives Experts 8/10's career-capital view"
    assert caution_side, "no prompt gives Experts 3/5/9's call for caution"


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"').replace("—", " ").replace("–", " ")
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def _seed_text() -> str | None:
    candidates = [
        Path(os.environ["KEEL_SEED_TEXT"]) if os.environ.get("KEEL_SEED_TEXT") else None,
        REPO / "seeds" / SEED_NAME,
        REPO / "docs" / "seeds" / SEED_NAME,
        REPO / "tests" / "data" / SEED_NAME,
        REPO.parent / "shared" / "seeds" / SEED_NAME,
    ]
    for path in candidates:
        if path is not None and path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def _copied_runs(text: str, seed_grams: set[tuple[str, ...]], n: int = 8) -> list[str]:
    words = _words(text)
    return [
        " ".join(words[i:i + n]) for i in range(len(words) - n + 1)
        if tuple(words[i:i + n]) in seed_grams
    ]


def test_overlap_check_catches_copied_sentences() -> None:
    seed = "You should always assume that you are psychologically affected by it."
    grams = {tuple(w) for w in [_words(seed)[i:i + 8] for i in range(len(_words(seed)) - 7)]}
    assert _copied_runs("Always ASSUME that you are psychologically affected, by it!", grams)
    assert not _copied_runs("Assume your surroundings change what you believe.", grams)


def test_no_question_or_why_reproduces_the_source_article(library: LibraryLoad) -> None:
    seed = _seed_text()
    if seed is None:
        pytest.skip(f"{SEED_NAME} not found (set KEEL_SEED_TEXT to its path)")
    words = _words(seed)
    grams = {tuple(words[i:i + 8]) for i in range(len(words) - 7)}
    copied = {
        p.id: runs for p in library.prompts
        if (runs := _copied_runs(p.question, grams) + _copied_runs(p.why, grams))
    }
    assert not copied, f"prompts repeating 8+ words of the article: {copied}"


def test_library_loads_in_a_few_milliseconds() -> None:
    load_library()
    start = time.perf_counter()
    load_library()
    assert time.perf_counter() - start < 0.1


# --- prompts other code depends on ------------------------------------------------------

REQUIRED = {
    # id: (theme, experts, answer kind, cadence)
    "worry-level": ("value-drift", (4,), AnswerKind.SCALE, "weekly"),
    "view-shift-argument": ("value-drift", (4, 1), AnswerKind.TEXT, "monthly"),
    "view-shift-endorsed": ("value-drift", (4,), AnswerKind.CHOICE, "monthly"),
    "xrisk-conversations": ("social-circle", (4,), AnswerKind.NUMBER, "weekly"),
    "xrisk-reading": ("reading", (4,), AnswerKind.NUMBER, "weekly"),
    "switch-within-3-months": ("financial-lock-in", (10,), AnswerKind.YESNO, "monthly"),
    "conscience-share": ("conscience", (10,), AnswerKind.NUMBER, "monthly"),
    "spoke-up-when-uneasy": ("conscience", (10,), AnswerKind.CHOICE, "weekly"),
    "job-performance": ("conscience", (10,), AnswerKind.SCALE, "fortnightly"),
    "time-outside-lab": ("environment", (1,), AnswerKind.NUMBER, "weekly"),
    "take-job-today": ("environment", (1,), AnswerKind.YESNO, "quarterly"),
    "safety-tilt-asked": ("safety-tilt", (1,), AnswerKind.CHOICE, "quarterly"),
    "agi-bottleneck-work": ("agi-bottleneck", (6,), AnswerKind.YESNO, "monthly"),
    "agi-bottleneck-discussed": ("agi-bottleneck", (6,), AnswerKind.YESNO, "monthly"),
    "team-publishes-capabilities": ("disclosure", (3, 5), AnswerKind.CHOICE, "quarterly"),
    "good-faith-action": ("good-faith", (11,), AnswerKind.TEXT, "monthly"),
    "tripwire-crossed": ("tripwires", (), AnswerKind.CHOICE, "weekly"),
    "decision-revisit": ("career-capital", (), AnswerKind.CHOICE, "decision-revisit"),
    "new-option-check": ("financial-lock-in", (10,), None, "on-new-option"),
    "accept-precautions": ("financial-lock-in", (10,), None, "on-accept"),
    "vesting-check": ("financial-lock-in", (10,), None, "on-vesting"),
}


@pytest.mark.parametrize("pid", sorted(REQUIRED))
def test_required_prompt_exists_as_specified(prompts: dict[str, Prompt], pid: str) -> None:
    theme, experts, kind, cadence = REQUIRED[pid]
    p = prompts[pid]
    assert p.theme == theme
    assert set(p.experts) == set(experts)
    if kind is not None:
        assert p.answer is kind
    assert p.cadence == cadence


def test_worry_level_is_a_zero_to_ten_scale(prompts: dict[str, Prompt]) -> None:
    p = prompts["worry-level"]
    assert len(p.labels) == 11
    assert (p.minimum, p.maximum) == (0, 10)
    assert p.labels[0].startswith("0") and "not worried" in p.labels[0]
    assert p.labels[-1].startswith("10") and "extremely worried" in p.labels[-1]
    assert p.priority == 1


def test_exact_choice_labels_that_flag_rules_match_on(prompts: dict[str, Prompt]) -> None:
    assert prompts["view-shift-endorsed"].labels == (
        "My view did not move",
        "Yes — I would have accepted it from where I started",
        "No — I would not have accepted it then",
        "Not sure",
    )
    assert prompts["spoke-up-when-uneasy"].labels == (
        "I was not uneasy", "I was uneasy and spoke up", "I was uneasy and did not speak up",
    )
    assert prompts["safety-tilt-asked"].labels == (
        "Already tilted toward safety", "I asked and it moved",
        "I asked and it did not move", "I have not asked",
    )
    assert prompts["team-publishes-capabilities"].labels == (
        "No", "Publishes papers", "Open-sources code or weights", "Publicises demos",
        "Several of these",
    )
    assert prompts["tripwire-crossed"].labels == (
        "None crossed", "One is getting close", "One was crossed",
    )
    assert prompts["decision-revisit"].labels == (
        "I would decide the same", "I would decide differently", "Not sure yet",
    )


def test_units_ranges_and_situations_of_required_prompts(prompts: dict[str, Prompt]) -> None:
    assert prompts["xrisk-conversations"].unit == "conversations"
    assert prompts["xrisk-reading"].unit == "hours"
    assert prompts["time-outside-lab"].unit == "hours"
    share = prompts["conscience-share"]
    assert (share.unit, share.minimum, share.maximum) == ("%", 0, 100)
    perf = prompts["job-performance"]
    assert (perf.minimum, perf.maximum, len(perf.labels)) == (1, 5, 5)
    assert perf.labels[0] == "1 — poorly" and perf.labels[-1] == "5 — very well"
    for pid in ("conscience-share", "spoke-up-when-uneasy", "job-performance", "take-job-today"):
        assert set(prompts[pid].applies) == {"at-lab", "elsewhere"}, pid
    assert prompts["time-outside-lab"].applies == ("at-lab",)
    assert prompts["safety-tilt-asked"].applies == ("at-lab",)
    assert not prompts["time-outside-lab"].applies_to("student")
    for pid in ("worry-level", "xrisk-conversations", "switch-within-3-months",
                "tripwire-crossed"):
        assert prompts[pid].priority == 1, pid


# --- themes ----------------------------------------------------------------------------


def test_themes_table_is_complete() -> None:
    assert THEME_IDS == (
        "value-drift", "social-circle", "reading", "financial-lock-in", "conscience",
        "environment", "safety-tilt", "role-leverage", "disclosure", "agi-bottleneck",
        "team", "good-faith", "career-capital", "tripwires",
    )
    for theme in THEMES:
        assert theme.title and theme.summary and "\n" not in theme.summary
        assert all(1 <= e <= 11 for e in theme.experts)
        assert bool(theme.experts) == (theme.id != "tripwires")  # tripwires are Keel's idea
    assert theme_by_id("team") is THEMES[10]
    assert theme_by_id("nonsense") is None


# --- broken library files ----------------------------------------------------------------

GOOD = """
[[prompt]]
id = "{id}"
theme = "reading"
experts = [4]
question = "How many papers did you read?"
why = "Reading keeps you current."
answer = "number"
unit = "papers"
cadence = "weekly"
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_syntax_error_names_file_and_line_and_other_files_still_load(tmp_path: Path) -> None:
    _write(tmp_path, "reading.toml", GOOD.format(id="good-one"))
    _write(tmp_path, "broken.toml", GOOD.format(id="lost") + '\n[[prompt]]\nid = "oops\n')
    result = load_library(tmp_path)
    assert [p.id for p in result.prompts] == ["good-one"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.file == "broken.toml"
    assert problem.line == 13  # the unterminated string
    assert "broken.toml, line 13" in str(problem)


BROKEN = {
    # key: (replacement applied to GOOD, key named in the problem)
    "unknown key": ('cadence = "weekly"', 'cadence = "weekly"\ncolour = "red"', "colour"),
    "missing key": ('why = "Reading keeps you current."\n', "", "why"),
    "bad answer kind": ('answer = "number"', 'answer = "slider"', "answer"),
    "number without unit": ('unit = "papers"\n', "", "unit"),
    "unknown cadence": ('cadence = "weekly"', 'cadence = "daily"', "cadence"),
    "unknown situation": ('cadence = "weekly"', 'cadence = "weekly"\napplies = ["retired"]',
                          "applies"),
    "unknown theme": ('theme = "reading"', 'theme = "hobbies"', "theme"),
    "expert zero": ("experts = [4]", "experts = [0, 4]", "experts"),
    "expert twelve": ("experts = [4]", "experts = [12]", "experts"),
    "no experts": ("experts = [4]", "experts = []", "experts"),
    "id not kebab": ('id = "{id}"', 'id = "Bad_Id"', "id"),
    "two-line why": ('why = "Reading keeps you current."',
                     'why = """Reading keeps\nyou current."""', "why"),
    "priority out of range": ('cadence = "weekly"', 'cadence = "weekly"\npriority = 7',
                              "priority"),
    "min above max": ('cadence = "weekly"', 'cadence = "weekly"\nmin = 5\nmax = 1', "max"),
    "unit on yes/no": ('answer = "number"', 'answer = "yesno"', "unit"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_prompt_is_skipped_with_a_problem_naming_the_key(
    tmp_path: Path, case: str,
) -> None:
    old, new, key = BROKEN[case]
    bad = GOOD.replace(old, new).format(id="bad-one")
    _write(tmp_path, "reading.toml", GOOD.format(id="kept-before") + bad
           + GOOD.format(id="kept-after"))
    result = load_library(tmp_path)
    assert [p.id for p in result.prompts] == ["kept-before", "kept-after"]
    assert result.problems, case
    assert key in {p.key for p in result.problems}
    problem = next(p for p in result.problems if p.key == key)
    assert problem.file == "reading.toml"
    assert problem.prompt in ("bad-one", "Bad_Id", "#2")
    assert problem.message


def test_scale_without_labels_is_rejected() -> None:
    d = {"id": "s", "theme": "team", "experts": [9], "question": "Q?", "why": "W.",
         "answer": "scale", "cadence": "weekly"}
    with pytest.raises(PromptError) as info:
        prompt_from_dict(d, "x.toml")
    assert "labels" in {k for k, _ in info.value.issues}


def test_scale_range_must_match_its_labels() -> None:
    d = {"id": "s", "theme": "team", "experts": [9], "question": "Q?", "why": "W.",
         "answer": "scale", "labels": ["low", "mid", "high"], "cadence": "weekly"}
    assert (prompt_from_dict(d).minimum, prompt_from_dict(d).maximum) == (0, 2)
    assert prompt_from_dict({**d, "min": 1}).maximum == 3
    with pytest.raises(PromptError):
        prompt_from_dict({**d, "min": 1, "max": 5})


def test_prompt_without_id_is_named_by_position(tmp_path: Path) -> None:
    _write(tmp_path, "reading.toml", GOOD.format(id="first") + GOOD.replace('id = "{id}"\n', ""))
    result = load_library(tmp_path)
    assert [p.id for p in result.prompts] == ["first"]
    assert any(p.prompt == "#2" and p.key == "id" for p in result.problems)


def test_duplicate_id_keeps_the_first_and_names_both_files(tmp_path: Path) -> None:
    _write(tmp_path, "reading.toml", GOOD.format(id="same"))
    extra = _write(tmp_path.parent, f"{tmp_path.name}-mine.toml",
                   GOOD.format(id="same").replace("papers", "books") + GOOD.format(id="other"))
    result = load_library(tmp_path, extra_files=[extra])
    assert [p.id for p in result.prompts] == ["same", "other"]
    assert {p.id: p for p in result.prompts}["same"].unit == "papers"
    (problem,) = result.problems
    assert problem.key == "id" and problem.prompt == "same"
    assert "reading.toml" in problem.message and problem.file == str(extra)


def test_missing_extra_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = load_library(tmp_path, extra_files=[tmp_path / "nowhere.toml"])
    assert result.prompts == ()
    assert len(result.problems) == 1 and "nowhere.toml" in result.problems[0].file


def test_custom_prompt_may_omit_experts_and_use_own_theme() -> None:
    d = {"id": "my-sleep", "theme": CUSTOM_THEME.id, "question": "Did you sleep well?",
         "answer": "yesno", "cadence": "weekly"}
    p = prompt_from_dict(d, "custom", custom=True)
    assert p.custom and p.experts == () and p.why == "" and p.source_file == "custom"
    with pytest.raises(PromptError):
        prompt_from_dict(d, "x.toml")


def test_every_cadence_is_accepted() -> None:
    base = {"id": "c", "theme": "team", "experts": [9], "question": "Q?", "why": "W.",
            "answer": "text"}
    for cadence in CADENCES + EVENT_CADENCES:
        assert prompt_from_dict({**base, "cadence": cadence}).cadence == cadence
