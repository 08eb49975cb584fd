"""Side-by-side comparison of 2–4 job options, as rows of text.

Three sections, each row holding one cell per option in the order given:

* ``Fields``: the option's own fields (money with thousands separators and currency);
* ``Assessment``: one row per assessment question, in file order;
* ``Panel``: one row per panel rule that applies to at least one option, in rule order,
  with ``—`` where the rule does not apply to an option.

``differs`` marks rows whose cells are not all the same, so the view can highlight them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from desktop.core.assessment import AssessmentQuestion
from desktop.core.panel import RULE_TITLES, STANCE_LABELS, PanelItem, experts_label, panel
from desktop.core.records import AssessmentAnswer, JobOption

NOT_APPLICABLE = "—"
"""Cell text where a panel rule does not apply to an option."""

SECTION_FIELDS = "Fields"
SECTION_ASSESSMENT = "Assessment"
SECTION_PANEL = "Panel"

MIN_OPTIONS = 2
MAX_OPTIONS = 4

_CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "INR": "₹"}
_WORK_KIND_LABELS = {"unrelated": "unrelated to AI"}


@dataclass(frozen=True)
class CompareRow:
    """One row of the comparison: a label and one cell per option."""

    section: str
    label: str
    values: tuple[str, ...]
    differs: bool


def format_money(amount: float | None, currency: str) -> str:
    """``$185,000`` / ``£72,500`` / ``150,000 CHF``; ``""`` when unknown."""
    if amount is None:
        return ""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = _CURRENCY_SYMBOLS.get(currency.upper())
    if symbol:
        return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
    return f"{number} {currency.upper()}".strip()


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _day(value: date | None) -> str:
    """A calendar day as the rest of Keel shows it: 7 Dec 2026."""
    return "" if value is None else f"{value.day} {value:%b %Y}"


def _first_upper(text: str) -> str:
    """Capitalise the first letter only ("unrelated to AI" stays "Unrelated to AI")."""
    return text[:1].upper() + text[1:]


def _field_rows(options: Sequence[JobOption]) -> list[tuple[str, tuple[str, ...]]]:
    fields: list[tuple[str, Callable[[JobOption], str]]] = [
        ("Organisation", lambda o: o.organisation),
        ("Role", lambda o: o.role),
        ("Team", lambda o: o.team),
        ("Function", lambda o: o.function.capitalize()),
        ("Seniority", lambda o: o.seniority.capitalize()),
        ("Kind of work", lambda o: _first_upper(_WORK_KIND_LABELS.get(o.work_kind, o.work_kind))),
        ("Pushes the frontier", lambda o: _yes_no(o.frontier)),
        ("Publishes", lambda o: o.publishes.strip()),
        ("Open-sources", lambda o: o.open_sources.strip()),
        ("Disclosure commitments", lambda o: o.disclosure_commitments.strip()),
        ("Pay (yearly)", lambda o: format_money(o.pay, o.currency)),
        ("Equity", lambda o: format_money(o.equity_value, o.currency)),
        ("Vesting cliff", lambda o: _day(o.cliff_date)),
        ("Vest end", lambda o: _day(o.vest_end_date)),
        ("Offer deadline", lambda o: _day(o.offer_deadline)),
        ("Status", lambda o: o.status.capitalize()),
    ]
    return [(label, tuple(get(o) for o in options)) for label, get in fields]


def _panel_cell(item: PanelItem | None) -> str:
    if item is None:
        return NOT_APPLICABLE
    return f"{STANCE_LABELS.get(item.stance, item.stance)} — {item.trigger}"


def _row(section: str, label: str, values: Iterable[str]) -> CompareRow:
    cells = tuple(values)
    return CompareRow(section, label, cells, differs=len(set(cells)) > 1)


def compare(
    options: Sequence[JobOption],
    answers: Mapping[int, Mapping[str, AssessmentAnswer]],
    questions: Sequence[AssessmentQuestion],
) -> list[CompareRow]:
    """Rows comparing ``options`` field by field, answer by answer and panel item by item.

    ``answers`` maps option id → {question id → current answer} (an option missing from
    it counts as unanswered). Raises ``ValueError`` unless there are 2–4 options.
    """
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise ValueError(
            f"compare needs {MIN_OPTIONS}–{MAX_OPTIONS} options, got {len(options)}"
        )
    per_option = [answers.get(o.id, {}) if o.id is not None else {} for o in options]

    rows = [_row(SECTION_FIELDS, label, values) for label, values in _field_rows(options)]
    rows += [
        _row(SECTION_ASSESSMENT, q.question, (q.format(a.get(q.id)) for a in per_option))
        for q in questions
    ]

    panels = [
        {item.rule_id: item for item in panel(o, a)} for o, a in zip(options, per_option)
    ]
    applying = {rule_id for items in panels for rule_id in items}
    order = list(RULE_TITLES) + sorted(applying - RULE_TITLES.keys())
    for rule_id in order:
        if rule_id not in applying:
            continue
        items = [p.get(rule_id) for p in panels]
        experts = next(i.experts for i in items if i is not None)
        label = f"{RULE_TITLES.get(rule_id, rule_id)} ({experts_label(experts)})"
        rows.append(_row(SECTION_PANEL, label, (_panel_cell(i) for i in items)))
    return rows

