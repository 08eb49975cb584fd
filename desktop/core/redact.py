"""Consistent placeholders for organisations, people and money in exported text.

An adviser reading a redacted export must still be able to follow it: the same
organisation is "Org A" everywhere, the same person "Person 1". Placeholders are handed
out in order of first appearance, so the first organisation the reader meets is Org A.

Matching is case-insensitive and whole-word (a name is not replaced inside a longer
word, "Meta" is untouched in "metadata"); longer names win over shorter ones that
they contain ("Google DeepMind" before "Google"); any run of whitespace in a name
matches any run of whitespace in the text, so a name broken over two lines is found.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from desktop.core.errors import UserError

AMOUNT = "[amount]"
"""What every money amount becomes."""

_SYMBOLS = r"(?:US\$|A\$|C\$|NZ\$|HK\$|S\$|R\$|[$£€¥₹₩₣₽₺₪]|CHF|Fr\.|kr\.?|zł)"
_CODES = (
    r"(?:USD|EUR|GBP|CHF|CAD|AUD|NZD|JPY|CNY|RMB|INR|SEK|NOK|DKK|SGD|HKD|PLN|CZK|ILS|KRW|BRL"
    r"|MXN|ZAR|TRY|RUB|HUF|AED"
    r"|dollars?|euros?|pounds?(?:\s+sterling)?|quid|bucks|francs?)"
)
_GROUP = r"[,.'\u00a0\u202f\u2009 ]"
_NUMBER = (rf"(?:\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:[.,]\d{{1,2}})?(?!\d)"  # 250,000  40.000  90 000
           r"|\d+(?:[.,]\d+)?)")                                          # 15000  1.2  1,5
_SCALE = r"(?:\s?(?:k|mm|m|bn|b|million|mil|mn|mio|mrd|billion|thousand|grand|lakh|crore)(?![^\W\d_]))?"
_BARE_SCALE = r"(?:k|K|M|bn|mn|Mio|Mrd|million|billion|thousand|grand|lakh|crore)(?![^\W\d_])"
"""A bare number with one of these is money (fail-safe): ``250k``, ``1.2M``, ``3bn``."""
_RATE = (r"(?:\s?/\s?|\s+(?:per|a|an|each|every)\s+)"
         r"(?:year|yr|annum|month|mo|mth|week|wk|day|hour|hr)s?(?![^\W\d_])"
         r"|\s+p\.?a\.?(?![^\W\d_])|\s+(?:yearly|monthly|annually)(?![^\W\d_])")
"""What makes a bare number a rate of pay: ``per year``, ``/month``, ``a year``, ``p.a.``."""
_MONEY_PATTERN = rf"""
    (?<![\w$£€¥.,])
    (?:
        -?{_SYMBOLS}\s?{_NUMBER}{_SCALE}(?:\s?{_CODES}(?![^\W\d_]))?   # $180,000  £95k  €1.2m
      | {_CODES}\s?{_NUMBER}{_SCALE}                                   # USD 120,000
      | {_NUMBER}{_SCALE}\s?(?:{_SYMBOLS}|{_CODES}(?![^\W\d_]))        # 120000 USD, 40.000€
      | {_NUMBER}\s?(?-i:{_BARE_SCALE})                                 # 250k  90K  1.2M  3bn
      | {_NUMBER}(?=(?:{_RATE}))                                        # 180000 per year
    )
    """
"""Anything that looks like an amount of money. The same pattern redacts and, after
composing, checks the finished text (:meth:`Redactor.residue`): redaction fails safe."""


@functools.cache
def _money_re() -> re.Pattern[str]:
    """:data:`_MONEY_PATTERN` compiled on first use: compiling it takes several
    milliseconds, which an export that redacts no money skips."""
    return re.compile(_MONEY_PATTERN, re.VERBOSE | re.IGNORECASE)


def looks_like_money(text: str) -> bool:
    """Whether *text* holds anything :data:`_MONEY_PATTERN` takes for an amount of money."""
    return _money_re().search(text) is not None


class RedactionIncomplete(UserError):
    """The finished export still holds something redaction should have replaced; it was
    not written. The message says where, never what."""


def _letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA … (spreadsheet column names)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Redactor:
    """Replace organisation names, people's names and money with placeholders.

    One instance is used for a whole document, so a name gets the same placeholder in
    every piece of text passed to :meth:`text`.
    """

    def __init__(self, orgs: Iterable[str] = (), people: Iterable[str] = (),
                 money: bool = False) -> None:
        self.money = money
        self._kind: dict[str, str] = {}
        self._given: dict[str, str] = {}
        for kind, names in (("person", people), ("org", orgs)):
            # Organisations come second: they win over a person of the same name.
            for name in names:
                key = _key(name)
                if key:
                    self._kind[key] = kind
                    self._given[key] = " ".join(name.split())
        self._placeholders: dict[str, str] = {}
        self._originals: dict[str, str] = {}
        self._orgs_seen = 0
        self._people_seen = 0
        self._pattern: re.Pattern[str] | None = None
        if self._kind:
            names = sorted(self._kind, key=lambda k: (-len(k), k))
            alternatives = "|".join(
                r"\s+".join(re.escape(word) for word in name.split()) for name in names
            )
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    @property
    def active(self) -> bool:
        """Whether this redactor changes anything at all."""
        return self._pattern is not None or self.money

    def placeholder(self, name: str) -> str:
        """The placeholder of a known name (assigning the next one if it is new)."""
        key = _key(name)
        existing = self._placeholders.get(key)
        if existing is not None:
            return existing
        if self._kind.get(key) == "org":
            value = f"Org {_letters(self._orgs_seen)}"
            self._orgs_seen += 1
        else:
            self._people_seen += 1
            value = f"Person {self._people_seen}"
        self._placeholders[key] = value
        self._originals[value] = self._given.get(key, name)
        return value

    def _replace(self, match: re.Match[str]) -> str:
        return self.placeholder(match.group(0))

    def text(self, s: str) -> str:
        """Return *s* with every known name and (if enabled) money amount replaced."""
        if not s:
            return s
        if self._pattern is not None:
            s = self._pattern.sub(self._replace, s)
        if self.money:
            s = _money_re().sub(AMOUNT, s)
        return s

    def residue(self, text: str) -> list[tuple[str, int]]:
        """What redaction should have removed but is still in *text*: ``(kind, offset)``
        pairs, *kind* ``"money"``, ``"organisation"`` or ``"person"``, in text order.

        Run over the finished export, whatever path each piece of it took: if anything
        is found the export is not written (fail safe)."""
        found: list[tuple[str, int]] = []
        if not text:
            return found
        if self._pattern is not None:
            for match in self._pattern.finditer(text):
                kind = self._kind.get(_key(match.group(0)), "person")
                found.append(("organisation" if kind == "org" else "person", match.start()))
        if self.money:
            found += [("money", match.start()) for match in _money_re().finditer(text)]
        found.sort(key=lambda item: item[1])
        return found

    def legend(self) -> list[tuple[str, str]]:
        """(placeholder, name as given) pairs, in order of assignment.

        For tests and for the user's own eyes only: never print this in an export,
        it would undo the redaction.
        """
        return list(self._originals.items())
