"""Where each of Keel's attributions comes from, and how Keel keeps its own voice apart.

Every prompt, assessment question, panel rule, flag and counterpoint that names an expert
carries a :class:`Cite` per expert: the expert's number and a *locator*, a few words
copied verbatim from that expert's section of the seed
(``shared/seeds/expert-advice-capabilities-roles.txt``) so a reader can find the
passage. ``tests/unit/test_provenance.py`` checks every locator against the seed.

The labels below keep the voices apart wherever Keel shows or exports an attribution:
"Raised by Expert 4" for the expert's point, "Why Keel asks" for Keel's own reasoning,
"Keel's threshold" for a number Keel chose (never an expert's).

Pure Python: no I/O. :func:`expert_sections` splits a seed text the caller has read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RAISED_BY = "Raised by"
WHY_KEEL = "Why Keel asks"
KEEL_THRESHOLD = "Keel's threshold"
OTHER_VIEW = "Another view"
KEEL_OWN = "Keel's own idea, not the experts'"

DISCLAIMER = (
    "Keel paraphrases eleven anonymous experts whose answers 80,000 Hours collected on "
    "roles that may advance AI capabilities. As the collection itself says, the quotes do "
    "not represent 80,000 Hours' views, and some of the advice may contradict its own. "
    "Keel shows the experts' views where they bear on your answers; it cannot show all of "
    "their reasoning, and it never decides for you."
)
"""The seed's own caveat, in Keel's words: About, onboarding, export and metainfo."""

MAX_LOCATOR_WORDS = 12
MIN_LOCATOR_WORDS = 3


@dataclass(frozen=True)
class Cite:
    """One expert behind an attribution, with where to find the point in the seed."""

    expert: int
    locator: str
    """A few words copied verbatim from this expert's section of the seed."""

    def __str__(self) -> str:
        return f"Expert {self.expert}: “{self.locator}”"


Cites = tuple[Cite, ...]


def cite(*pairs: tuple[int, str]) -> Cites:
    """``cite((4, "not to underestimate"), (1, "..."))`` → a tuple of :class:`Cite`."""
    return tuple(Cite(expert, locator) for expert, locator in pairs)


def cites_from_mapping(experts: Iterable[int], source: Mapping[str, str]) -> Cites:
    """Cites in the order of ``experts`` from a TOML ``source`` table (``{"4" = "..."}``)."""
    return tuple(Cite(e, source[str(e)]) for e in experts if str(e) in source)


def experts_of(cites: Iterable[Cite]) -> tuple[int, ...]:
    """The expert numbers of ``cites``, first occurrence order, no repeats."""
    seen: list[int] = []
    for c in cites:
        if c.expert not in seen:
            seen.append(c.expert)
    return tuple(seen)


def experts_label(experts: Iterable[int]) -> str:
    """``Expert 4``, ``Experts 3 and 5`` or ``Experts 1, 4 and 10``; ``""`` for none."""
    numbers = [str(e) for e in experts]
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"Expert {numbers[0]}"
    return f"Experts {', '.join(numbers[:-1])} and {numbers[-1]}"


def raised_by(experts: Iterable[int]) -> str:
    """``Raised by Expert 4``; ``""`` when no expert is named."""
    label = experts_label(experts)
    return f"{RAISED_BY} {label}" if label else ""


def source_line(cites: Iterable[Cite]) -> str:
    """``Expert 4: “…”; Expert 1: “…”`` — the locators a reader looks up in the seed."""
    return "; ".join(str(c) for c in cites)


_MENTION = re.compile(r"\bExperts? ((?:\d+(?:, | and | or |–|-)?)+)")


def experts_mentioned(text: str) -> set[int]:
    """Every expert number a text names ("Expert 4", "Experts 3 and 5", "Experts 1, 4 and 10")."""
    found: set[int] = set()
    for match in _MENTION.finditer(text):
        found.update(int(n) for n in re.findall(r"\d+", match.group(1)))
    return found


# --------------------------------------------------------------------------- the seed

_HEADING = re.compile(r"^Expert (\d+):", re.MULTILINE)
_END = "Speak to our team one-on-one"


def normalise(text: str) -> str:
    """Quotes, dashes, ellipses and white space made plain, for comparing locators."""
    for old, new in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("…", "..."),
                     ("—", "-"), ("–", "-"), ("\u00a0", " ")):
        text = text.replace(old, new)
    return " ".join(text.split())


def expert_sections(seed: str) -> dict[int, str]:
    """The seed split by its ``Expert N:`` headings: number → that expert's text (normalised).

    A section runs from its heading to the next heading (or to the article's closing
    "Speak to our team" part).
    """
    end = seed.find(_END)
    body = seed if end < 0 else seed[:end]
    marks = list(_HEADING.finditer(body))
    sections: dict[int, str] = {}
    for i, mark in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        sections[int(mark.group(1))] = normalise(body[mark.start():stop])
    return sections


def locator_problem(c: Cite, sections: Mapping[int, str]) -> str | None:
    """Why ``c`` does not check out against the seed's sections, or None when it does."""
    words = len(c.locator.split())
    if not MIN_LOCATOR_WORDS <= words <= MAX_LOCATOR_WORDS:
        return (f"Expert {c.expert}: locator “{c.locator}” has {words} words "
                f"(keep it {MIN_LOCATOR_WORDS}–{MAX_LOCATOR_WORDS})")
    section = sections.get(c.expert)
    if section is None:
        return f"Expert {c.expert}: no such section in the seed"
    if normalise(c.locator) not in section:
        return f"Expert {c.expert}: “{c.locator}” is not in that expert's section"
    return None


# --------------------------------------------------------------------------- flags, labelled

def flag_lines(flag: object) -> list[tuple[str, str]]:
    """A flag's attributions as ``(label, text)`` lines, the voices kept apart.

    ``Raised by Expert 4`` → the experts' point; ``Why Keel asks`` → Keel's own reasoning;
    ``Keel's threshold`` → a number Keel chose; ``Another view`` → the other side; ``In the
    seed`` → the locators. The app's flag card and every export read the same lines. Works
    on any object with ``experts`` and ``why`` (``point``, ``threshold``, ``counterpoint``,
    ``sources`` and ``counter_sources`` are optional).
    """
    experts = tuple(getattr(flag, "experts", ()) or ())
    point = getattr(flag, "point", "") or ""
    lines: list[tuple[str, str]] = []
    if experts and point:
        lines.append((raised_by(experts), point))
    elif experts:
        lines.append((RAISED_BY, experts_label(experts)))
    why = getattr(flag, "why", "") or ""
    if why:
        lines.append((WHY_KEEL, why))
    threshold = getattr(flag, "threshold", "") or ""
    if threshold:
        lines.append((KEEL_THRESHOLD, f"{threshold} (Keel's choice, not an expert's number)"))
    counterpoint = getattr(flag, "counterpoint", "") or ""
    if counterpoint:
        lines.append((OTHER_VIEW, counterpoint))
    cites = (*(getattr(flag, "sources", ()) or ()), *(getattr(flag, "counter_sources", ()) or ()))
    if cites:
        lines.append(("In the seed", source_line(cites)))
    return lines
