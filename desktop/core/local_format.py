"""How an export writes dates and amounts: one format each, from the user's locale.

The desktop layer reads the locale once (``desktop.export_locale`` asks ``QLocale``) and
hands the result here as plain data, so composing stays plain Python and every date in
one export looks the same ("30 Nov 2026", or "Nov 30, 2026" where the month comes
first), as does every amount ("200,000 USD", grouped the local way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                  "Nov", "Dec")
ORDERS = ("dmy", "mdy", "ymd")


@dataclass(frozen=True)
class LocalFormat:
    """Short month names, the order of day, month and year, and number separators."""

    months: tuple[str, ...] = ENGLISH_MONTHS
    order: str = "dmy"
    group: str = ","
    decimal: str = "."

    def day(self, when: date | datetime) -> str:
        """An absolute calendar day: ``30 Nov 2026``, ``Nov 30, 2026`` or ``2026 Nov 30``."""
        day = when.date() if isinstance(when, datetime) else when
        month = self.months[day.month - 1]
        if self.order == "mdy":
            return f"{month} {day.day}, {day.year}"
        if self.order == "ymd":
            return f"{day.year} {month} {day.day}"
        return f"{day.day} {month} {day.year}"

    def number(self, value: float) -> str:
        """``200,000`` or ``2.5`` with the local separators (two decimals at most)."""
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
        if self.group == "," and self.decimal == ".":
            return text
        return text.translate({ord(","): "\x00", ord("."): self.decimal}).replace(
            "\x00", self.group)

    def money(self, amount: float, currency: str) -> str:
        """``200,000 USD``: the number the local way, then the currency code."""
        return f"{self.number(amount)} {currency.upper()}".strip()

    def to_settings(self) -> dict[str, Any]:
        return {"months": list(self.months), "order": self.order, "group": self.group,
                "decimal": self.decimal}

    @classmethod
    def from_settings(cls, value: object) -> LocalFormat | None:
        """The stored format, or None when the setting is missing or damaged."""
        if not isinstance(value, dict):
            return None
        months, order = value.get("months"), value.get("order")
        group, decimal = value.get("group"), value.get("decimal")
        if not (isinstance(months, list) and len(months) == 12
                and all(isinstance(m, str) and m.strip() for m in months)
                and order in ORDERS and isinstance(group, str) and len(group) <= 2
                and isinstance(decimal, str) and len(decimal) == 1 and decimal != group):
            return None
        return cls(tuple(m.strip() for m in months), order, group, decimal)


_DAY_TEXT_RE = re.compile(
    r"\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b"
    r"(?: \((?:today|yesterday|tomorrow|\d+ (?:days?|weeks?|months?|years?) (?:ago|ahead))\))?")
_AMOUNT_TEXT_RE = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))? ([A-Z]{3})\b")


def absolute(text: str, fmt: LocalFormat) -> str:
    """Keel's own generated wording (flag evidence, messages) with relative times
    dropped and dates and amounts in *fmt*: "snapshot of 30 Nov 2026 (today)" becomes
    "snapshot of 30 Nov 2026", readable next week. Not for the user's own words."""
    if not text:
        return text

    def day(match: re.Match[str]) -> str:
        month = ENGLISH_MONTHS.index(match.group(2)) + 1
        try:
            return fmt.day(date(int(match.group(3)), month, int(match.group(1))))
        except ValueError:
            return match.group(0)

    def amount(match: re.Match[str]) -> str:
        value = float(match.group(1).replace(",", "") + "." + (match.group(2) or "0"))
        return fmt.money(value, match.group(3))

    text = _DAY_TEXT_RE.sub(day, text)
    return _AMOUNT_TEXT_RE.sub(amount, text)
