"""Redaction fails safe: money in every written form and listed names, in every section.

Hypothesis writes amounts (symbols and codes before or after, k/K/M/bn, thousands
separators of either kind, rates of pay) and names (any case, possessive) into every
place an export carries user text, composes the export, and checks three things: the
amount or name is gone from the Markdown, the residual scan finds nothing, and a
leak planted past the composer is caught by the scan (the export is not written).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.export_compose import (
    SECTION_IDS,
    ExportDocument,
    ExportOptions,
    Paragraph,
    Section,
    check_redaction,
    compose,
    to_markdown,
)
from desktop.core.records import CheckIn, Decision, Entry
from desktop.core.redact import AMOUNT, RedactionIncomplete, Redactor, looks_like_money
from tests.unit.test_export_compose import INSIDE, NOW, PERIOD, FakeFlag, _answer, make_input

SYMBOLS = ["$", "£", "€", "US$", "CHF ", "¥", "₹"]
CODES = ["USD", "EUR", "GBP", "CHF", "dollars", "euros", "pounds"]
RATES = [" per year", "/month", " a year", " per month", "/yr", " per annum", " a month"]


@st.composite
def numbers(draw: st.DrawFn) -> str:
    value = draw(st.integers(min_value=1, max_value=9_999_999))
    style = draw(st.sampled_from(["plain", "comma", "dot", "space", "apostrophe", "nbsp"]))
    digits = str(value)
    if style == "plain" or value < 1000:
        return digits
    sep = {"comma": ",", "dot": ".", "space": " ", "apostrophe": "'", "nbsp": "\u00a0"}[style]
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(groups)


@st.composite
def amounts(draw: st.DrawFn) -> str:
    """One amount of money as people write it."""
    form = draw(st.sampled_from(["symbol", "symbol_after", "code_before", "code_after",
                                 "suffix", "rate", "symbol_suffix"]))
    number = draw(numbers())
    if form == "symbol":
        return draw(st.sampled_from(SYMBOLS)) + number
    if form == "symbol_after":
        return number + draw(st.sampled_from(["€", " €", "£", " $"]))
    if form == "code_before":
        return draw(st.sampled_from(["USD", "EUR", "GBP", "CHF"])) + " " + number
    if form == "code_after":
        return number + " " + draw(st.sampled_from(CODES))
    small = str(draw(st.integers(min_value=1, max_value=999)))
    if draw(st.booleans()):
        small += "." + str(draw(st.integers(min_value=1, max_value=9)))
    suffix = draw(st.sampled_from(["k", "K", "M", "bn"]))
    if form == "suffix":
        return small + suffix
    if form == "symbol_suffix":
        return draw(st.sampled_from(SYMBOLS)).strip() + small + suffix
    return number + draw(st.sampled_from(RATES))


AROUND = st.sampled_from([("", ""), ("Offer: ", "."), ("(", ")"), ("about ", " before tax"),
                          ("*", "*"), ("- ", ""), ("they said ", ", maybe more"),
                          ("\n\n", "\n"), ("— ", " —")])

PLACES = ("entry_body", "entry_title", "reflection", "answer", "option_notes",
          "decision_reasons", "decision_summary", "flag_evidence", "flag_message",
          "questions", "tag", "revisit")


def _with_text(place: str, text: str) -> object:
    """make_input() with *text* written into one place a user's words can go."""
    data = make_input()
    if place in ("entry_body", "entry_title", "tag"):
        entry = Entry(id=9, title=text if place == "entry_title" else "Note",
                      body=text if place == "entry_body" else "body",
                      created_at=INSIDE, updated_at=INSIDE,
                      tags=(text,) if place == "tag" else ())
        return replace(data, entries=(*data.entries, entry))
    if place in ("reflection", "answer"):
        from desktop.core.records import AnswerKind

        answers = (_answer("notes", AnswerKind.TEXT, INSIDE, text=text),) \
            if place == "answer" else ()
        checkin = CheckIn(id=9, started_at=INSIDE, completed_at=INSIDE, adhoc=True,
                          reflection=text if place == "reflection" else "", answers=answers)
        return replace(data, checkins=(*data.checkins, checkin))
    if place == "option_notes":
        option = replace(data.options[0], notes=text)
        return replace(data, options=(option, *data.options[1:]))
    if place in ("decision_reasons", "decision_summary", "revisit"):
        decision = Decision(id=9, decided_at=INSIDE, chosen_option_id=1,
                            summary=text if place == "decision_summary" else "s",
                            reasons=text if place == "decision_reasons" else "r",
                            revisit_conditions=text if place == "revisit" else "")
        return replace(data, decisions=(*data.decisions, decision))
    if place in ("flag_evidence", "flag_message"):
        flag = FakeFlag(key="x", message=text if place == "flag_message" else "m",
                        why="w", next_step="n", severity=2, experts=(3,))
        object.__setattr__(flag, "evidence", (text,) if place == "flag_evidence" else ())
        return replace(data, flags=(flag,))
    assert place == "questions"
    return replace(data, questions_to_discuss=text)


ALL_MONEY = ExportOptions(sections=frozenset(SECTION_IDS), redact_money=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amount=amounts(), around=AROUND, place=st.sampled_from(PLACES))
def test_money_in_any_form_and_place_is_redacted(amount: str, around: tuple[str, str],
                                                 place: str) -> None:
    text = around[0] + amount + around[1]
    assert looks_like_money(amount), amount
    doc = compose(_with_text(place, text), ALL_MONEY, NOW)  # type: ignore[arg-type]
    md = to_markdown(doc)
    assert amount.strip() not in md
    assert AMOUNT.replace("[", "\\[").replace("]", "\\]") in md or AMOUNT in md
    check_redaction(doc)  # the residual scan passes


NAMES = st.sampled_from(["Ada Lovelace", "Grace", "Zoë Ng", "Jean-Luc", "O'Brien", "Li Wei"])
ORGS = st.sampled_from(["Frontier Labs Inc", "Meta", "DeepMind", "Quiet Safety Org", "Æon AI"])


@settings(max_examples=200, deadline=None)
@given(name=NAMES, org=ORGS, case=st.sampled_from([str, str.upper, str.lower]),
       possessive=st.sampled_from(["", "'s", "’s"]), place=st.sampled_from(PLACES),
       person_first=st.booleans())
def test_listed_names_are_redacted_everywhere(name: str, org: str, case: object,
                                              possessive: str, place: str,
                                              person_first: bool) -> None:
    assert callable(case)
    words = [case(name) + possessive, "met", case(org) + possessive]
    if not person_first:
        words.reverse()
    text = " ".join(words) + "."
    options = ExportOptions(sections=frozenset(SECTION_IDS), redact_people=(name,),
                            redact_org_names=(org,))
    doc = compose(_with_text(place, text), options, NOW)  # type: ignore[arg-type]
    md = to_markdown(doc).casefold()
    for secret in (name, org):
        assert secret.casefold() not in md
        assert secret.casefold().replace("'", "\\'") not in md
    check_redaction(doc)


def _doc_with(text: str, redactor: Redactor) -> ExportDocument:
    """A document whose text did not go through the composer's redaction."""
    section = Section("entries", "Journal entries", (Paragraph(text),))
    return ExportDocument("t", datetime(2026, 1, 1, tzinfo=UTC), PERIOD, (section,),
                          redactor=redactor)


@pytest.mark.parametrize("leak", ["250k", "90k", "1.2M", "180000 per year", "15000/month",
                                  "$250,000", "€40.000", "£90,000", "300000 USD"])
def test_residual_scan_stops_money_that_slipped_past(leak: str) -> None:
    with pytest.raises(RedactionIncomplete) as caught:
        check_redaction(_doc_with(f"pay is {leak} now", Redactor(money=True)))
    message = str(caught.value)
    assert "Journal entries" in message and "money" in message
    assert leak not in message and "pay is" not in message  # where, never what


def test_residual_scan_stops_a_listed_name_and_says_where() -> None:
    with pytest.raises(RedactionIncomplete, match=r"person's name.*Journal entries"):
        check_redaction(_doc_with("lunch with GRACE's team", Redactor(people=["Grace"])))
    check_redaction(_doc_with("lunch with Gracey", Redactor(people=["Grace"])))


def test_nothing_is_scanned_when_nothing_is_redacted() -> None:
    doc = compose(make_input(), ExportOptions(), NOW)
    assert doc.redaction == "Not redacted"
    check_redaction(doc)


def test_the_redaction_is_stated() -> None:
    options = ExportOptions(redact_orgs=True, redact_people=("A", "B"), redact_money=True)
    assert options.redaction_label() == (
        "Redacted: organisation names, 2 people's names, amounts of money")
    assert "Not redacted" in to_markdown(compose(make_input(), ExportOptions(), NOW))


@pytest.mark.parametrize("place", PLACES)
def test_every_place_reaches_the_export(place: str) -> None:
    """Guard for the tests above: without redaction, each place's text is written."""
    md = to_markdown(compose(_with_text(place, "Marker £90,000 Zed"),  # type: ignore[arg-type]
                             ExportOptions(sections=frozenset(SECTION_IDS)), NOW))
    assert "£90,000" in md
