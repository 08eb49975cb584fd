"""Export composition: sections in order, period filtering, redaction, Markdown and safe HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser

import markdown
import pytest

from desktop.core.export_compose import (
    SECTION_IDS,
    SECTION_TITLES,
    BulletList,
    ExportDocument,
    ExportInput,
    ExportOptions,
    Heading,
    Paragraph,
    Period,
    Section,
    Table,
    compose,
    iter_markdown,
    to_html,
    to_markdown,
    user_markdown,
)
from desktop.core.records import (
    Answer,
    AnswerKind,
    AssessmentAnswer,
    BaselineVersion,
    CheckIn,
    Decision,
    Entry,
    FlagAction,
    JobOption,
    Profile,
    Prompt,
    Tripwire,
    TripwireVersion,
)
from tests.unit.hostile_markdown import HOSTILE, MARKER, active_markup, without_keel_charts

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
PERIOD = Period(date(2024, 4, 1), date(2024, 6, 30))
INSIDE = datetime(2024, 5, 10, 9, 0, tzinfo=UTC)
BEFORE = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)
AFTER = datetime(2024, 7, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class FakeFlag:
    key: str
    message: str
    why: str
    next_step: str
    severity: int
    experts: tuple[int, ...]


def _prompt(pid: str, question: str, kind: AnswerKind, **kw: object) -> Prompt:
    return Prompt(id=pid, theme="t", experts=(4,), question=question, why="w", answer=kind,
                  cadence="weekly", **kw)  # type: ignore[arg-type]


PROMPTS = {
    "worry": _prompt("worry", "How worried are you about AI risk?", AnswerKind.SCALE,
                     minimum=0, maximum=10),
    "hours": _prompt("hours", "Hours spent questioning decisions?", AnswerKind.NUMBER,
                     unit="hours"),
    "talk": _prompt("talk", "Talked with someone worried about x-risk?", AnswerKind.YESNO),
    "share": _prompt("share", "Share of time on safety?", AnswerKind.NUMBER, unit="%"),
}


def _answer(pid: str, kind: AnswerKind, when: datetime, **kw: object) -> Answer:
    return Answer(id=None, checkin_id=None, prompt_id=pid, answered_at=when, kind=kind,
                  **kw)  # type: ignore[arg-type]


def make_input(**changes: object) -> ExportInput:
    options = (
        JobOption(id=1, organisation="Frontier Labs Inc", role="Research Engineer",
                  team="Pretraining", status="offer", pay=180000, currency="USD",
                  offer_deadline=date(2024, 7, 15),
                  notes="Recruiter at Frontier Labs Inc said the offer is **firm**.",
                  updated_at=INSIDE),
        JobOption(id=2, organisation="Quiet Safety Org", role="Alignment Researcher",
                  status="interviewing", pay=120000, currency="GBP", updated_at=BEFORE),
        JobOption(id=3, organisation="Declined Corp", role="PM", status="declined",
                  updated_at=BEFORE),
    )
    data = ExportInput(
        profile=Profile(situation="weighing", rhythm="fortnightly", onboarded=True),
        period=PERIOD,
        options=options,
        assessments=(
            AssessmentAnswer(option_id=1, question_id="tilt", answered_at=INSIDE,
                             text="Maybe, via the eval team"),
        ),
        assessment_questions={"tilt": "Could the role be tilted toward safety?"},
        compare_headers=("Frontier Labs Inc", "Quiet Safety Org"),
        compare_rows=(("Pay", ("$180,000", "£120,000")), ("Publishes", ("papers | code", ""))),
        decisions=(
            Decision(id=1, decided_at=INSIDE, chosen_option_id=2,
                     summary="Going with Quiet Safety Org", reasons="Better team fit.",
                     alternatives=(1,), revisit_on=date(2024, 12, 1)),
            Decision(id=2, decided_at=BEFORE, chosen_option_id=None,
                     summary="OLD-DECISION-OUTSIDE"),
        ),
        checkins=(
            CheckIn(id=1, started_at=INSIDE, completed_at=INSIDE, adhoc=False,
                    reflection="Felt *uneasy* after the all-hands.",
                    answers=(
                        _answer("worry", AnswerKind.SCALE, INSIDE, number=6),
                        _answer("hours", AnswerKind.NUMBER, INSIDE, number=2.5),
                        _answer("share", AnswerKind.NUMBER, INSIDE, number=4),
                        _answer("talk", AnswerKind.YESNO, INSIDE, skipped=True,
                                skip_reason="busy week"),
                    )),
            CheckIn(id=2, started_at=BEFORE, completed_at=BEFORE, adhoc=False,
                    reflection="OLD-CHECKIN-OUTSIDE"),
            CheckIn(id=3, started_at=AFTER, completed_at=AFTER, adhoc=True,
                    reflection="LATE-CHECKIN-OUTSIDE"),
        ),
        prompts=PROMPTS,
        flags=(
            FakeFlag(key="circle", message="No talk with an x-risk worrier in 8 weeks",
                     why="Your circle shapes your views.",
                     next_step="Arrange a call with a friend who worries about AI risk.",
                     severity=2, experts=(4,)),
        ),
        flag_actions=(
            FlagAction(flag_id="circle", action="snoozed", note="after the move",
                       created_at=INSIDE, until=INSIDE + timedelta(days=14)),
            FlagAction(flag_id="circle", action="dismissed", note="OLD-ACTION-OUTSIDE",
                       created_at=BEFORE),
        ),
        trends=(
            ("How worried are you about AI risk?", 4.0, 6.0, 2.0),
            ("Hours spent questioning decisions?", 3.0, 3.0, 0.0),
        ),
        baselines=(
            BaselineVersion(id=1, text="Risk is real but labs can help.", worry=4,
                            created_at=BEFORE),
            BaselineVersion(id=2, text="More worried than before.", worry=6,
                            created_at=INSIDE),
        ),
        tripwires=(
            Tripwire(id=1, text="My team open-sources frontier weights", created_at=BEFORE,
                     history=(TripwireVersion("My team open-sources weights", BEFORE),)),
        ),
        entries=(
            Entry(id=1, title="Lunch with Dana", body="# Notes\n\nDana from Frontier Labs Inc "
                  "thinks the **pay** of $180,000 is low.", created_at=INSIDE,
                  updated_at=INSIDE, tags=("offer",)),
            Entry(id=2, title="Old entry", body="OLD-ENTRY-OUTSIDE", created_at=BEFORE,
                  updated_at=BEFORE),
        ),
        questions_to_discuss="1. Is pretraining work too close to the AGI bottleneck?\n"
                             "2. How long a runway do I need?",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


ALL = ExportOptions(sections=frozenset(SECTION_IDS))


def headings(md_text: str) -> list[tuple[int, str]]:
    """Render the Markdown back to HTML and scan it for headings, in order."""
    html = markdown.markdown(md_text, extensions=["tables", "fenced_code"])
    return [(int(level), re.sub(r"<[^>]+>", "", text).strip())
            for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)]


def test_briefing_comes_first_and_sections_follow_in_order() -> None:
    doc = compose(make_input(), ALL, NOW)
    assert [s.id for s in doc.sections] == [*SECTION_IDS, "notes"]
    level2 = [text for level, text in headings(to_markdown(doc)) if level == 2]
    assert level2 == [SECTION_TITLES[s] for s in SECTION_IDS] + [
        "Notes on the experts and on Keel"]


def test_only_chosen_sections_but_always_the_briefing() -> None:
    doc = compose(make_input(), ExportOptions(sections=frozenset({"entries", "options"})), NOW)
    assert [s.id for s in doc.sections] == ["briefing", "options", "entries", "notes"]
    md_text = to_markdown(doc)
    assert "Check-in answers" not in md_text and "Lunch with Dana" in md_text


def test_unknown_section_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export section"):
        compose(make_input(), ExportOptions(sections=frozenset({"entrys"})), NOW)


def test_page_one_is_the_agenda() -> None:
    data = make_input(decisions=(
        *make_input().decisions,
        Decision(id=3, decided_at=INSIDE, chosen_option_id=1, summary="Stay for now",
                 revisit_on=date(2024, 6, 1)),
        Decision(id=4, decided_at=INSIDE, chosen_option_id=2, summary="s",
                 revisit_conditions="the team changes"),
    ))
    md_text = to_markdown(compose(data, ALL, NOW))
    agenda = md_text.split("## Job options")[0]
    sub = [text for level, text in headings(agenda) if level == 3]
    assert sub == ["Questions I want to discuss", "Decisions pending or due for revisit",
                   "Active flags"]
    assert "**Period covered:** 1 Apr 2024 to 30 Jun 2024" in agenda
    assert "Weighing offers" in agenda
    assert "AGI bottleneck" in agenda and "runway" in agenda  # the user's questions
    assert "Revisit the decision of 10 May 2024: Research Engineer — Frontier Labs Inc" \
        in agenda and "due 1 Jun 2024" in agenda
    assert "revisit if: the team changes" in agenda
    assert "Decide on Research Engineer — Frontier Labs Inc** — offer deadline 15 Jul 2024" \
        in agenda
    assert "Going with Quiet Safety Org" not in agenda  # revisit due after the period
    assert "No talk with an x-risk worrier in 8 weeks** — raised by Expert 4" in agenda
    assert "Declined Corp" not in agenda
    assert "*The appendix follows: Job options, Decisions," in agenda


def test_agenda_caps_its_lists_and_says_how_many_more() -> None:
    flags = tuple(FakeFlag(key=f"k{i}", message=f"Flag {i}", why="w", next_step="n",
                           severity=1, experts=()) for i in range(8))
    agenda = to_markdown(compose(make_input(flags=flags), ALL, NOW)).split("## Job options")[0]
    assert agenda.count("Keel's own check") == 5
    assert "3 more in the appendix." in agenda


def test_notes_cite_experts_label_keels_thresholds_and_whose_views() -> None:
    flag = FakeFlag(key="x", message="m", why="Keel's reason", next_step="n", severity=2,
                    experts=(4, 10))
    object.__setattr__(flag, "point", "Keel's paraphrase of their point")
    object.__setattr__(flag, "threshold", "8 weeks without a conversation")
    md_text = to_markdown(compose(make_input(flags=(flag,)), ALL, NOW))
    notes = md_text.split("## Notes on the experts and on Keel")[1]
    # A point two experts share is listed once, under both — not repeated per expert.
    assert "**Experts 4 and 10** — Keel's paraphrase of their point" in notes
    assert notes.count("Keel's paraphrase of their point") == 1
    assert "Keel's threshold: 8 weeks without a conversation" in notes
    assert "The experts' views are their own, not 80,000 Hours'." in notes
    flags_part = md_text.split("## Flags and how they were handled")[1]
    assert "Raised by Experts 4 and 10: Keel's paraphrase of their point" in flags_part
    assert "Why Keel asks: Keel's reason" in flags_part
    assert "Keel's threshold: 8 weeks without a conversation (Keel's choice" in flags_part


def test_records_outside_the_period_are_left_out() -> None:
    md_text = to_markdown(compose(make_input(), ALL, NOW))
    for marker in ("OLD-DECISION-OUTSIDE", "OLD-CHECKIN-OUTSIDE", "LATE-CHECKIN-OUTSIDE",
                   "OLD-ACTION-OUTSIDE", "OLD-ENTRY-OUTSIDE", "Declined Corp"):
        assert marker not in md_text, marker
    assert "Felt *uneasy* after the all-hands." in md_text
    assert "Going with Quiet Safety Org" in md_text
    # The baseline in force when the period began is shown, plus the new version.
    assert "Risk is real but labs can help." in md_text
    assert "More worried than before." in md_text


def test_period_uses_the_users_time_zone() -> None:
    late_evening = datetime(2024, 3, 31, 23, 30, tzinfo=UTC)  # 1 April in UTC+2
    entry = Entry(id=9, title="Edge", body="EDGE-ENTRY", created_at=late_evening,
                  updated_at=late_evening)
    opts = ExportOptions(sections=frozenset({"entries"}))
    assert "EDGE-ENTRY" not in to_markdown(compose(make_input(entries=(entry,)), opts, NOW))
    plus_two = timezone(timedelta(hours=2))
    doc = compose(make_input(entries=(entry,), tz=plus_two), opts, NOW)
    assert "EDGE-ENTRY" in to_markdown(doc)


def test_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(date(2024, 5, 2), date(2024, 5, 1))


def test_checkin_answers_are_readable() -> None:
    md_text = to_markdown(compose(make_input(), ExportOptions(frozenset({"checkins"})), NOW))
    assert "How worried are you about AI risk? — **6 (on 0–10)**" in md_text
    assert "Hours spent questioning decisions? — **2.5 hours**" in md_text
    assert "Share of time on safety? — **4%**" in md_text  # no space before a percent sign
    assert "Skipped (busy week)" in md_text


def test_user_headings_are_demoted_below_the_section() -> None:
    doc = compose(make_input(), ExportOptions(frozenset({"entries"})), NOW)
    found = headings(to_markdown(doc))
    assert (4, "Notes") in found  # the entry's "# Notes" sits under its level-3 heading
    assert [level for level, _ in found][:3] == [1, 2, 3]


def test_pipe_in_table_cells_is_escaped() -> None:
    md_text = to_markdown(compose(make_input(), ExportOptions(frozenset({"options"})), NOW))
    html = markdown.markdown(md_text, extensions=["tables"])
    assert "<td>papers | code</td>" in html


def test_iter_markdown_streams_the_same_text() -> None:
    doc = compose(make_input(), ALL, NOW)
    chunks = list(iter_markdown(doc))
    assert len(chunks) > 20
    assert "".join(chunks) == to_markdown(doc)


def test_markdown_blocks_are_separated_by_blank_lines() -> None:
    md_text = to_markdown(compose(make_input(), ALL, NOW))
    lines = md_text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("#") and index > 0:
            assert lines[index - 1] == "", line


def test_unclosed_fence_in_an_entry_does_not_swallow_the_rest() -> None:
    entry = Entry(id=5, title="Code", body="```\nno end", created_at=INSIDE, updated_at=INSIDE)
    doc = compose(make_input(entries=(entry,)), ALL, NOW)
    assert user_markdown("```\nno end").endswith("```")
    entries = to_markdown(doc).split("## Notes on the experts")[0]
    assert headings(entries)[-1] == (3, "10 May 2024: Code")


REDACT = ExportOptions(sections=frozenset(SECTION_IDS), redact_orgs=True,
                       redact_people=("Dana",), redact_money=True)
ORG_NAMES = ("Frontier Labs Inc", "Quiet Safety Org", "Declined Corp")


def test_redaction_leaves_no_organisation_name_in_markdown_or_html() -> None:
    doc = compose(make_input(), REDACT, NOW)
    for text in (to_markdown(doc), to_html(doc)):
        lowered = text.lower()
        for name in ORG_NAMES:
            assert name.lower() not in lowered, name
        assert "Dana" not in text
        assert "180,000" not in text and "120,000" not in text and "180000" not in text
        assert "Org A" in text and "Org B" in text and "Person 1" in text
        assert "[amount]" in text


def test_redaction_is_consistent_across_sections() -> None:
    md_text = to_markdown(compose(make_input(), REDACT, NOW))
    assert "Research Engineer — Org A" in md_text  # briefing
    assert "Person 1 from Org A thinks" in md_text  # entry body
    assert "Organisation — **Org A**" in md_text  # options table


def test_no_redaction_unless_asked() -> None:
    md_text = to_markdown(compose(make_input(), ALL, NOW))
    assert "Frontier Labs Inc" in md_text and "Org A" not in md_text


class _Resources(HTMLParser):
    """Collect every attribute that could make a page load something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.loading: list[tuple[str, str, str | None]] = []
        self.csp: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "srcset", "data", "poster", "background", "action",
                        "formaction"} or name.startswith("on"):
                self.loading.append((tag, name, value))
            if tag == "a" and name == "href":
                self.hrefs.append(value or "")
            if tag in {"link", "script", "base"} and name == "href":
                self.loading.append((tag, name, value))
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == \
                "content-security-policy":
            self.csp.append(attributes.get("content") or "")


def test_html_is_self_contained_with_csp() -> None:
    html = to_html(compose(make_input(), ALL, NOW))
    parser = _Resources()
    parser.feed(html)
    assert parser.loading == []
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & set(parser.tags)
    assert len(parser.csp) == 1 and "default-src 'none'" in parser.csp[0]
    assert "src=" not in html
    assert "@page" in html and "page-break" in html
    assert html.count("<section") == len(SECTION_IDS) + 1  # and the notes


def test_html_sections_and_user_markdown_are_rendered() -> None:
    html = to_html(compose(make_input(), ALL, NOW))
    positions = [html.index(f">{SECTION_TITLES[s]}</h2>") for s in SECTION_IDS]
    assert positions == sorted(positions)
    assert "<em>uneasy</em>" in html
    assert "<strong>firm</strong>" in html
    assert "<table>" in html and "<th>Question</th>" in html


def test_hostile_corpus_in_an_entry_is_neutralised_in_html() -> None:
    body = "\n\n".join(payload for _, payload in HOSTILE)
    entry = Entry(id=7, title="Pasted", body=body, created_at=INSIDE, updated_at=INSIDE)
    data = make_input(entries=(entry,), questions_to_discuss=body)
    html = to_html(compose(data, ALL, NOW))
    body_html = html.split("<body", 1)[1]
    # Shown as text, exactly as the PDF and the .md file show it; nothing is live.
    assert active_markup(without_keel_charts(body_html)) == []
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body_html \
        or "&lt;script&gt;alert('x')&lt;/script&gt;" in body_html
    assert MARKER in body_html
    parser = _Resources()
    parser.feed(html)
    assert parser.loading == []


def test_hostile_title_and_tags_show_as_text_in_html() -> None:
    entry = Entry(id=7, title="<img src=x onerror=alert(1)>Title", body="b",
                  created_at=INSIDE, updated_at=INSIDE, tags=("<script>alert(1)</script>",))
    html = to_html(compose(make_input(entries=(entry,)), ALL, NOW))
    parser = _Resources()
    parser.feed(html)
    assert parser.loading == []
    assert "img" not in parser.tags and "script" not in parser.tags
    assert "&lt;img src=x onerror=alert(1)&gt;Title" in html


def test_hostile_corpus_as_markdown_export_cannot_inject_html() -> None:
    body = "\n\n".join(payload for _, payload in HOSTILE)
    entry = Entry(id=7, title="T", body=body, created_at=INSIDE, updated_at=INSIDE)
    md_text = to_markdown(compose(make_input(entries=(entry,)), ALL, NOW))
    # Rendered by a Markdown viewer that allows raw HTML, the attacks show as text.
    rendered = markdown.markdown(md_text, extensions=["tables", "fenced_code"]).lower()
    parser = _Resources()
    parser.feed(rendered)
    assert parser.loading == []
    assert not {"script", "iframe", "img", "svg", "object", "embed", "style", "form",
                "meta", "base", "link"} & set(parser.tags)
    assert parser.hrefs, "the safe links of the corpus should still be links"
    assert all(re.match(r"(https?|mailto):", href) for href in parser.hrefs), parser.hrefs


def to_markdown_tables(doc: ExportDocument) -> str:
    return "".join(iter_markdown(doc, pairs_as_lines=False))


def test_renderers_accept_a_hand_built_document() -> None:
    doc = ExportDocument(
        title="T", generated_at=NOW, period=PERIOD,
        sections=(Section("briefing", "Briefing", (
            Heading(3, "H | #1"), Paragraph("para"), Table(("a", "b"), (("1",),)),
            BulletList(("x", "y")),
        )),),
    )
    md_text = to_markdown(doc)
    assert "### H | \\#1" in md_text
    assert "\n1\n" in md_text  # a row without a value: just its label
    assert "| 1 |   |" in to_markdown_tables(doc)
    assert "- x\n- y" in md_text
    assert "<li dir=\"auto\"><p dir=\"auto\">x</p></li>" in to_html(doc)


def test_assessment_answers_show_the_label_the_user_chose() -> None:
    """A scale answer is stored as the label's index; the adviser reads the label."""
    from desktop.core.assessment import AssessmentQuestion

    question = AssessmentQuestion(
        id="timelines", experts=(6,), question="How directly would this bring AGI sooner?",
        why="", answer=AnswerKind.SCALE, labels=("Not at all", "A little", "Noticeably"))
    yesno = AssessmentQuestion(id="bottleneck", experts=(7,), question="Bottleneck work?",
                               why="", answer=AnswerKind.YESNO)
    data = make_input(
        assessments=(
            AssessmentAnswer(option_id=1, question_id="timelines", answered_at=INSIDE, number=2),
            AssessmentAnswer(option_id=1, question_id="bottleneck", answered_at=INSIDE, number=0),
        ),
        assessment_questions={"timelines": question, "bottleneck": yesno},
    )
    md = to_markdown(compose(data, ExportOptions(), NOW))
    assert "How directly would this bring AGI sooner? — **Noticeably**" in md
    assert "Bottleneck work? — **No**" in md


def test_choices_round_trip_and_survive_a_damaged_setting() -> None:
    chosen = ExportOptions(sections=frozenset({"briefing", "flags"}), redact_orgs=True,
                           redact_people=("Ada",), redact_money=True,
                           redact_org_names=("Acme",))
    assert ExportOptions.from_settings(chosen.to_settings()) == chosen
    assert ExportOptions.from_settings(None) == ExportOptions()
    assert ExportOptions.from_settings("junk") == ExportOptions()
    odd = ExportOptions.from_settings({"sections": ["nope", 3], "redact_money": "yes",
                                       "redact_people": ["", 5, " Bo "]})
    assert odd.sections == frozenset({"briefing"})
    assert odd.redact_money is False and odd.redact_people == ("Bo",)


def test_a_megabyte_paragraph_is_cut_into_paragraphs_without_losing_a_word() -> None:
    body = "word " * 200_000 + "مرحبا 🙂 end"
    out = user_markdown(body)
    assert out.split() == body.split()
    assert max(len(line) for line in out.split("\n")) <= 4000
    assert user_markdown("```\n" + "x " * 5000 + "\n```").count("\n") == 2  # code untouched


def test_notes_list_the_other_view_under_its_own_experts_and_each_point_once() -> None:
    first = FakeFlag(key="a", message="m1", why="w", next_step="n", severity=2, experts=(4, 1))
    object.__setattr__(first, "point", "Shared drift point")
    second = FakeFlag(key="b", message="m2", why="w", next_step="n", severity=2, experts=(4, 1))
    object.__setattr__(second, "point", "Shared drift point")
    third = FakeFlag(key="c", message="m3", why="w", next_step="n", severity=2, experts=(9,))
    object.__setattr__(third, "point", "Expert 9 point")
    object.__setattr__(third, "counterpoint", "Expert 8 sees it otherwise")
    md_text = to_markdown(compose(make_input(flags=(first, second, third)), ALL, NOW))
    notes = md_text.split("## Notes on the experts and on Keel")[1]
    assert notes.count("Shared drift point") == 1
    assert "**Experts 4 and 1** — Shared drift point" in notes
    assert "**Expert 9** — Expert 9 point" in notes
    assert "**Expert 8** (another view) — Expert 8 sees it otherwise" in notes
    assert "**Expert 8** — named in this document" not in notes
