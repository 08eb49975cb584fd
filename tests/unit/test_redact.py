"""Redaction of organisations, people and money into consistent placeholders."""

from __future__ import annotations

import pytest

from desktop.core.redact import AMOUNT, Redactor


def test_organisations_get_letters_in_order_of_first_appearance() -> None:
    r = Redactor(orgs=["Anthropic", "OpenAI"], people=[])
    assert r.text("OpenAI made an offer; Anthropic did not.") == (
        "Org A made an offer; Org B did not."
    )
    assert r.text("Back to openai and ANTHROPIC.") == "Back to Org A and Org B."
    assert r.legend() == [("Org A", "OpenAI"), ("Org B", "Anthropic")]


def test_people_get_numbers_and_stay_consistent_across_calls() -> None:
    r = Redactor(orgs=[], people=["Ada Lovelace", "Grace"])
    assert r.text("Talked to grace, then Ada Lovelace.") == "Talked to Person 1, then Person 2."
    assert r.text("Grace again") == "Person 1 again"


def test_longest_name_wins() -> None:
    r = Redactor(orgs=["Google", "Google DeepMind"], people=[])
    assert r.text("Google DeepMind is not Google.") == "Org A is not Org B."


def test_whole_words_only() -> None:
    r = Redactor(orgs=["Meta"], people=["Al"])
    assert r.text("metadata, also Meta's offer, and Alice met Al.") == (
        "metadata, also Org A's offer, and Alice met Person 1."
    )


def test_name_split_over_lines_is_found() -> None:
    r = Redactor(orgs=["Google DeepMind"], people=[])
    assert r.text("at Google\nDeepMind") == "at Org A"


def test_names_with_punctuation_are_found() -> None:
    r = Redactor(orgs=["Lab (UK) Ltd.", "C++ Corp"], people=[])
    assert r.text("Lab (UK) Ltd. and C++ Corp.") == "Org A and Org B."


def test_organisation_wins_over_person_of_the_same_name() -> None:
    r = Redactor(orgs=["Jordan"], people=["jordan"])
    assert r.text("Jordan") == "Org A"


@pytest.mark.parametrize(
    "amount",
    ["$180,000", "£95k", "120000 USD", "€1.2m", "$1.2 million", "EUR 5,000", "US$200k",
     "95K GBP", "¥3,000,000", "$75", "40,000 dollars", "CHF 150'000"],
)
def test_money_amounts_are_replaced(amount: str) -> None:
    r = Redactor(orgs=[], people=[], money=True)
    out = r.text(f"Offer: {amount} per year.")
    assert out == f"Offer: {AMOUNT} per year.", out


def test_ordinary_numbers_are_not_money() -> None:
    r = Redactor(orgs=[], people=[], money=True)
    text = "3 check-ins, 10 hours, 2024-05-01, worry 7/10, 95% sure"
    assert r.text(text) == text


def test_money_left_alone_when_not_asked() -> None:
    r = Redactor(orgs=["OpenAI"], people=[], money=False)
    assert r.text("OpenAI: $180,000") == "Org A: $180,000"


def test_empty_and_blank_names_are_ignored() -> None:
    r = Redactor(orgs=["", "  "], people=[""], money=False)
    assert not r.active
    assert r.text("nothing changes") == "nothing changes"


def test_many_organisations_get_double_letters() -> None:
    names = [f"Company{i}" for i in range(28)]
    r = Redactor(orgs=names, people=[])
    out = r.text(" ".join(names))
    assert out.endswith("Org Z Org AA Org AB")
    assert "Company" not in out
