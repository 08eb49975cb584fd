"""Compose an export for an advising call, and render it as Markdown or HTML.

:func:`compose` turns plain records (:class:`ExportInput`) into an
:class:`ExportDocument`: a title and a list of sections made of four kinds of block.
The briefing always comes first; the other sections are the ones the user picked, in a
fixed order (:data:`SECTION_IDS`). Only records dated inside the period are included;
options still in play are included whatever their date, since they are the subject of
the call. Redaction (:mod:`desktop.core.redact`) is applied while composing, so every
renderer (Markdown, HTML, the Qt PDF writer) receives text that is already redacted.

Block text conventions, which every renderer follows:

* ``Heading.text`` and ``Table`` cells are plain text (escaped on output);
* ``Paragraph.text`` is the user's Markdown (rendered and sanitised on output; its own
  headings are demoted below the section's so the document outline stays intact);
* ``BulletList.items`` are Markdown lines composed here, with user text escaped.

Nothing here imports Qt or touches storage; the clock is passed in.
"""

from __future__ import annotations

import functools
import html as _html
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple, Protocol

from desktop.core.export_charts import ChartSpec, series_in, to_svg
from desktop.core.export_charts import caption as chart_caption
from desktop.core.flags import RUNWAY_MONTHS
from desktop.core.local_format import LocalFormat, absolute
from desktop.core.markup import (
    clean_text,
    render_markdown,
    safe_html_document,
    sanitize_html,
)
from desktop.core.provenance import (
    DISCLAIMER,
    KEEL_THRESHOLD,
    experts_label,
    experts_mentioned,
    experts_of,
    flag_lines,
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
    Situation,
    Tripwire,
    with_unit,
)
from desktop.core.redact import AMOUNT, RedactionIncomplete, Redactor

SECTION_IDS: tuple[str, ...] = (
    "briefing", "options", "decisions", "checkins", "flags", "trends", "baseline", "entries",
)
"""Every section, in the order it appears in an export."""

SECTION_TITLES: dict[str, str] = {
    "briefing": "Agenda",
    "options": "Job options",
    "decisions": "Decisions",
    "checkins": "Check-in answers",
    "flags": "Flags and how they were handled",
    "trends": "Trends",
    "baseline": "Baseline and tripwires",
    "entries": "Journal entries",
}

DOCUMENT_TITLE = "Keel — notes for an advising call"
CHARTED: tuple[tuple[str, str, float | None, float | None], ...] = (
    ("worry-level", "Worry about AI risk (0–10)", 0.0, 10.0),
    ("xrisk-conversations", "Conversations with people who worry about AI risk", 0.0, None),
    ("xrisk-reading", "Hours reading about AI risk", 0.0, None),
    ("conscience-share", "Conscience share (% of working time)", 0.0, None),
)
"""(prompt id, chart title, fixed low, fixed high) of the charts in the Trends section."""
AGENDA_ITEMS = 5
"""At most this many decisions and flags on page 1 (the rest: "n more in the appendix")."""
INACTIVE_STATUSES = frozenset({"declined", "left"})
"""Option statuses that are no longer "in play"."""

EMPTY = "—"


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    """A heading inside a section; *level* 3–6 (the section title is level 2)."""

    level: int
    text: str
    anchor: str = ""
    """A locator without journal text (the item's date), for messages about it."""


@dataclass(frozen=True)
class Paragraph:
    """User Markdown (or composed Markdown with user text escaped)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class BulletList:
    """A list of Markdown items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """A trend chart: its caption (words, in every format) and its picture (an SVG in
    HTML, vector shapes in the PDF; the Markdown file has the caption and the table)."""

    spec: ChartSpec
    caption: str
    fmt: LocalFormat = field(default_factory=LocalFormat)


@dataclass(frozen=True)
class Entries:
    """Journal entries, oldest first, as ``(day, title, tags, body)``: the day as shown
    and the title (plain text, redacted), the tags line (composed Markdown, ``""`` when
    the entry has no tags) and the body (the user's Markdown, redacted; None when the
    entry has no text). Every renderer shows an entry as a level-3 heading
    ``day: title`` followed by the tags line and the body as paragraphs; one block
    holds many entries, so a 100-year export builds 36,500 tuples, not 100,000 blocks."""

    items: tuple[tuple[str, str, str, str | None], ...]


Block = Heading | Paragraph | Table | BulletList | Chart | Entries

ENTRIES_PER_BLOCK = 1024
"""Entries per :class:`Entries` block: any number renders the same text; blocks of a
thousand let a long export be rendered in parts."""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Period:
    """Calendar days from *start* to *end*, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@dataclass(frozen=True)
class ExportDocument:
    title: str
    generated_at: datetime
    period: Period
    sections: tuple[Section, ...]
    period_text: str = ""
    """The period in the export's one date format ("1 Jun 2026 to 30 Nov 2026")."""
    generated_text: str = ""
    """The day the export was made, in the same format."""
    redaction: str = "Not redacted"
    """What was redacted, in words, for page 1 and the preview ("Not redacted")."""
    redactor: Redactor | None = field(default=None, compare=False, repr=False)
    """The redactor the text went through, for :func:`check_redaction`; None when off."""


# --------------------------------------------------------------------------- input


class FlagLike(Protocol):
    """What an export needs from a flag (``desktop.core.flags.Flag`` fits)."""

    @property
    def message(self) -> str: ...
    @property
    def why(self) -> str: ...
    @property
    def next_step(self) -> str: ...
    @property
    def severity(self) -> Any: ...
    @property
    def experts(self) -> tuple[int, ...]: ...


class TrendRow(NamedTuple):
    """How one numeric prompt moved: a plain ``(question, first, latest, change)`` fits."""

    question: str
    first: float | str | None
    latest: float | str | None
    change: float | str | None


@dataclass(frozen=True)
class ExportOptions:
    """What the user chose in the export dialog or on the command line."""

    sections: frozenset[str] = frozenset(SECTION_IDS)
    redact_orgs: bool = False
    redact_people: tuple[str, ...] = ()
    redact_money: bool = False
    redact_org_names: tuple[str, ...] = ()
    """Organisation names the user listed, replaced whether or not ``redact_orgs`` is on
    (that one adds the organisations of the job options)."""

    @property
    def redacting(self) -> bool:
        return bool(self.redact_orgs or self.redact_people or self.redact_money
                    or self.redact_org_names)

    def to_settings(self) -> dict[str, Any]:
        """The choices as a JSON-able dict, remembered per journal between exports."""
        return {"sections": sorted(self.sections), "redact_orgs": self.redact_orgs,
                "redact_people": list(self.redact_people), "redact_money": self.redact_money,
                "redact_org_names": list(self.redact_org_names)}

    @classmethod
    def from_settings(cls, value: object) -> ExportOptions:
        """Choices read back from :meth:`to_settings`; anything odd falls back to the
        default of that one choice (a damaged setting never stops an export)."""
        if not isinstance(value, dict):
            return cls()

        def names(key: str) -> tuple[str, ...]:
            items = value.get(key)
            if not isinstance(items, list):
                return ()
            return tuple(n.strip() for n in items if isinstance(n, str) and n.strip())

        sections = value.get("sections")
        chosen = frozenset(s for s in sections if s in SECTION_IDS) \
            if isinstance(sections, list) else frozenset(SECTION_IDS)
        return cls(sections=chosen | {"briefing"},
                   redact_orgs=value.get("redact_orgs") is True,
                   redact_people=names("redact_people"),
                   redact_money=value.get("redact_money") is True,
                   redact_org_names=names("redact_org_names"))

    def redaction_label(self) -> str:
        """``Not redacted`` or what is redacted, e.g. ``Redacted: organisation names,
        2 people's names, amounts of money``."""
        parts = []
        if self.redact_orgs or self.redact_org_names:
            parts.append("organisation names")
        if self.redact_people:
            count = len(self.redact_people)
            parts.append("1 person's name" if count == 1 else f"{count} people's names")
        if self.redact_money:
            parts.append("amounts of money")
        return "Redacted: " + ", ".join(parts) if parts else "Not redacted"


@dataclass(frozen=True)
class ExportInput:
    """Everything an export may say, as plain records.

    ``compare_rows`` are ``(label, values)`` pairs (``desktop.core.compare.CompareRow``
    fits too) with one value per ``compare_headers`` entry. ``assessment_questions``
    maps a question id to its text (or to an object with a ``question`` attribute).
    ``tz`` is the user's time zone, used to decide on which calendar day a stored UTC
    time falls; ``None`` keeps UTC.
    """

    profile: Profile
    period: Period
    options: Sequence[JobOption] = ()
    assessments: Sequence[AssessmentAnswer] = ()
    assessment_questions: Mapping[str, Any] = field(default_factory=dict)
    compare_headers: Sequence[str] = ()
    compare_rows: Sequence[Any] = ()
    decisions: Sequence[Decision] = ()
    checkins: Sequence[CheckIn] = ()
    prompts: Mapping[str, Prompt] = field(default_factory=dict)
    flags: Sequence[FlagLike] = ()
    flag_actions: Sequence[FlagAction] = ()
    trends: Sequence[TrendRow | tuple[Any, Any, Any, Any]] = ()
    baselines: Sequence[BaselineVersion] = ()
    tripwires: Sequence[Tripwire] = ()
    entries: Sequence[Entry] = ()
    questions_to_discuss: str = ""
    tz: tzinfo | None = None
    series: Mapping[str, Sequence[tuple[datetime, float]]] = field(default_factory=dict)
    """Numeric answers by prompt id (time answered, value), for the trend charts."""
    runway: Sequence[tuple[datetime, float]] = ()
    """Months of runway at each financial snapshot."""


# --------------------------------------------------------------------------- helpers

_MD_SPECIAL_RE = re.compile(r"([\\`*_#~])")
_MD_LINK_END_RE = re.compile(r"\]([(\[:])")
_MD_LINE_START_RE = re.compile(r"^(\s*)([-+=>](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")
_ENTITY_LIKE_RE = re.compile(r"&(?=#|\w+;)")
_MD_ANY_RE = re.compile(r"[\\`*_#~\]&<]")
_MD_LINE_MARKERS = "-+=>0123456789"
"""With :data:`_MD_ANY_RE`, anything md_escape might change (a special character, or a
list, quote or heading marker first); text without them is returned as it is."""


def md_escape(text: str) -> str:
    """Escape plain *text* so that Markdown shows it literally, on one line."""
    text = " ".join(clean_text(text).split())
    if not text or (_MD_ANY_RE.search(text) is None and (
            text[0] not in _MD_LINE_MARKERS or _MD_LINE_START_RE.match(text) is None)):
        return text  # plain words, or a date first (most cells and headings): nothing to do
    return _md_escape_line(text)


def _md_escape_line(text: str) -> str:
    """Every escape of :func:`md_escape`, applied to one cleaned line."""
    text = _MD_SPECIAL_RE.sub(r"\\\1", text)
    text = _MD_LINK_END_RE.sub(r"\\]\1", text)  # "[x](y)" must not become a link
    text = _ENTITY_LIKE_RE.sub("&amp;", text).replace("<", "&lt;")
    return _MD_LINE_START_RE.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    """``- x`` → ``\\- x``; ``1. x`` → ``1\\. x`` (so neither starts a list or quote)."""
    marker = match.group(2)
    return match.group(1) + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def _value(value: object, fmt: LocalFormat) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return fmt.number(value)
    return str(value)


def _change(value: object, fmt: LocalFormat) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ("+" if value > 0 else "") + fmt.number(value)
    return _value(value, fmt)


def _moved(row: TrendRow) -> bool:
    if row.change is None or row.change == "":
        return False
    if isinstance(row.change, int | float):
        return row.change != 0
    return str(row.change).strip() not in ("0", "+0", "0.0", EMPTY)


_SEVERITY_LABELS = {3: "Tripwire", 2: "Warning", 1: "Notice"}


def _severity(value: object) -> str:
    if isinstance(value, int):
        return _SEVERITY_LABELS.get(value, str(value))
    return str(value).capitalize() if value else ""


class _Composer:
    """Builds the sections of one export; holds the redactor and the period."""

    def __init__(self, data: ExportInput, options: ExportOptions,
                 fmt: LocalFormat | None = None) -> None:
        self.data = data
        self.options = options
        self.fmt = fmt or LocalFormat()
        orgs = [o.organisation for o in data.options] if options.redact_orgs else []
        orgs += list(options.redact_org_names)
        self.redactor = Redactor(orgs=orgs, people=options.redact_people,
                                 money=options.redact_money)
        self.option_by_id = {o.id: o for o in data.options if o.id is not None}
        self.redacting = options.redacting
        self.cited: set[int] = set()
        """Experts named anywhere in the export, for the notes at the end."""

    # ----- small tools

    def r(self, text: str | None) -> str:
        """Redacted user text."""
        if not text:
            return ""
        return self.redactor.text(clean_text(text)) if self.redacting else clean_text(text)

    def markdown(self, text: str | None) -> str:
        """The user's Markdown for a :class:`Paragraph`, redacted.

        Every renderer passes a paragraph through :func:`user_markdown`, which cleans it
        (:func:`clean_text`); so only redaction, which must see cleaned text, cleans it
        here. Not redacting, the text goes through as it is and is cleaned once, not
        twice (25 MB of entries in a 100-year export)."""
        if not text:
            return ""
        return self.redactor.text(clean_text(text)) if self.redacting else text

    def plain(self, text: str | None) -> str:
        """Redacted user text, escaped for use inside composed Markdown."""
        return md_escape(self.r(text))

    def day(self, when: datetime | date | None) -> date | None:
        if when is None:
            return None
        if isinstance(when, datetime):
            if self.data.tz is not None and when.tzinfo is not None:
                when = when.astimezone(self.data.tz)
            return when.date()
        return when

    def in_period(self, when: datetime | date | None) -> bool:
        day = self.day(when)
        return day is not None and self.data.period.start <= day <= self.data.period.end

    def when(self, value: datetime | date | None) -> str:
        """An absolute day in the one date format of the export, or a dash."""
        day = self.day(value)
        return self.fmt.day(day) if day else EMPTY

    def value(self, value: object) -> str:
        return _value(value, self.fmt)

    def change(self, value: object) -> str:
        return _change(value, self.fmt)

    def keel_text(self, text: str | None) -> str:
        """Keel's own wording (flag texts): absolute dates, one money format, redacted."""
        return self.r(absolute(text or "", self.fmt))

    @property
    def period_text(self) -> str:
        period = self.data.period
        return f"{self.fmt.day(period.start)} to {self.fmt.day(period.end)}"

    def money(self, amount: float | None, currency: str) -> str:
        if amount is None:
            return EMPTY
        if self.options.redact_money:
            return AMOUNT
        return self.fmt.money(amount, currency)

    def option_title(self, option_id: int | None) -> str:
        option = None if option_id is None else self.option_by_id.get(option_id)
        if option is None:
            return "Stay where I am" if option_id is None else f"Option {option_id}"
        return self.r(option.title)

    def options_in_play(self) -> list[JobOption]:
        return [o for o in self.data.options if o.status not in INACTIVE_STATUSES]

    # ----- sections

    def briefing(self) -> Section:
        """Page 1, the agenda: the user's questions, what is waiting for a decision or
        due for revisit, the active flags with who raised them, and the period. Lists
        are capped so the page reads in two minutes; the rest is in the appendix."""
        data = self.data
        blocks: list[Block] = []
        situation = data.profile.situation
        try:
            situation_label = Situation(situation).label if situation else "Not given"
        except ValueError:
            situation_label = self.r(situation or "")
        blocks.append(Paragraph(
            f"**Period covered:** {md_escape(self.period_text)} · "
            f"**Situation:** {md_escape(situation_label)} · "
            f"**Check-ins:** {md_escape(data.profile.rhythm)}"))

        blocks.append(Heading(3, "Questions I want to discuss"))
        questions = self.r(data.questions_to_discuss).strip()
        blocks.append(Paragraph(questions or "None noted."))

        blocks.append(Heading(3, "Decisions pending or due for revisit"))
        waiting = self.decisions_waiting()
        items = waiting[:AGENDA_ITEMS]
        if len(waiting) > AGENDA_ITEMS:
            items.append(f"{len(waiting) - AGENDA_ITEMS} more in the appendix.")
        blocks.append(BulletList(tuple(items)) if items
                      else Paragraph("No decision is pending or due for revisit."))

        blocks.append(Heading(3, "Active flags"))
        flags = sorted(data.flags, key=lambda f: -_severity_rank(f.severity))
        if flags:
            lines = [f"**{md_escape(self.keel_text(flag.message))}** — "
                     f"{md_escape(self.raised_by(flag))}"
                     for flag in flags[:AGENDA_ITEMS]]
            if len(flags) > AGENDA_ITEMS:
                lines.append(f"{len(flags) - AGENDA_ITEMS} more in the appendix.")
            blocks.append(BulletList(tuple(lines)))
            if self.cited:
                blocks.append(Paragraph("*Experts are cited by number; Keel's paraphrase "
                                        "of each point is in the notes at the end.*"))
        else:
            blocks.append(Paragraph("No active flags."))
        rest = [SECTION_TITLES[sid] for sid in SECTION_IDS[1:] if sid in self.options.sections]
        if rest:
            blocks.append(Paragraph(
                "*The appendix follows: " + md_escape(", ".join(rest)) + ".*"))
        return Section("briefing", SECTION_TITLES["briefing"], tuple(blocks))

    def raised_by(self, flag: FlagLike) -> str:
        """"Raised by Expert 4 (note 4)" or "Keel's own check" (no expert behind it)."""
        experts = tuple(getattr(flag, "experts", ()) or ())
        self.cited.update(experts)
        if not experts:
            return "Keel's own check"
        return f"raised by {experts_label(experts)}"

    def decisions_waiting(self) -> list[str]:
        """Agenda lines: decisions due for revisit by the end of the period (or with a
        condition to revisit, not yet revisited), then options with an offer deadline."""
        end = self.data.period.end
        lines = []
        decisions = sorted(self.data.decisions, key=lambda d: d.decided_at)
        for decision in decisions:
            if decision.revisited_at is not None or self.day(decision.decided_at) is None:
                continue
            if (self.day(decision.decided_at) or end) > end:
                continue
            chosen = md_escape(self.option_title(decision.chosen_option_id))
            made = self.when(decision.decided_at)
            if decision.revisit_on is not None and decision.revisit_on <= end:
                lines.append(f"**Revisit the decision of {made}: {chosen}** — due "
                             f"{self.when(decision.revisit_on)}")
            elif decision.revisit_conditions.strip():
                lines.append(f"**Decision of {made}: {chosen}** — revisit if: "
                             f"{self.plain(decision.revisit_conditions)}")
        for option in self.options_in_play():
            if option.offer_deadline is not None and option.offer_deadline >= self.data.period.start:
                lines.append(f"**Decide on {self.plain(option.title)}** — offer deadline "
                             f"{self.when(option.offer_deadline)}")
        return lines

    def options_section(self) -> Section:
        data = self.data
        shown = [
            o for o in data.options
            if o.status not in INACTIVE_STATUSES or self.in_period(o.updated_at)
        ]
        blocks: list[Block] = []
        if not shown:
            blocks.append(Paragraph("No job options in this period."))
        end = data.period.end
        latest: dict[tuple[int, str], AssessmentAnswer] = {}
        for answer in data.assessments:
            day = self.day(answer.answered_at)
            if day is not None and day > end:
                continue
            key = (answer.option_id, answer.question_id)
            if key not in latest or latest[key].answered_at <= answer.answered_at:
                latest[key] = answer
        for option in shown:
            blocks.append(Heading(3, self.r(option.title)))
            rows = [
                ("Organisation", self.r(option.organisation)),
                ("Role", self.r(option.role)),
                ("Team", self.r(option.team)),
                ("Status", option.status),
                ("Function", option.function),
                ("Seniority", option.seniority),
                ("Kind of work", option.work_kind),
                ("Pushes the frontier", self.value(option.frontier)),
                ("What the team publishes", self.r(option.publishes)),
                ("What it open-sources", self.r(option.open_sources)),
                ("Disclosure commitments", self.r(option.disclosure_commitments)),
                ("Pay (yearly)", self.money(option.pay, option.currency)),
                ("Equity", self.money(option.equity_value, option.currency)),
                ("Vesting cliff", self.when(option.cliff_date)),
                ("Fully vested", self.when(option.vest_end_date)),
                ("Offer deadline", self.when(option.offer_deadline)),
            ]
            blocks.append(Table(("Field", "Value"), tuple(
                (label, value or EMPTY) for label, value in rows if value not in ("", EMPTY)
            )))
            answers = [a for (oid, _), a in latest.items() if oid == option.id]
            if answers:
                blocks.append(Heading(4, "Assessment"))
                blocks.append(Table(("Question", "Answer"), tuple(
                    (self.r(self._question_text(a.question_id)), self.r(self._assessment_text(a)))
                    for a in answers
                )))
            if option.notes.strip():
                blocks.append(Heading(4, "Notes"))
                blocks.append(Paragraph(self.markdown(option.notes)))
        compared = _compare_rows(data.compare_rows)
        if compared:
            headers = tuple(self.r(h) for h in data.compare_headers)
            width = max(len(values) for _, values in compared)
            if len(headers) != width:
                headers = tuple(f"Option {i + 1}" for i in range(width))
            blocks.append(Heading(3, "Comparison"))
            blocks.append(Table(("", *headers), tuple(
                (self.r(label), *(self.r(v) or EMPTY for v in values),
                 *([EMPTY] * (width - len(values))))
                for label, values in compared
            )))
        return Section("options", SECTION_TITLES["options"], tuple(blocks))

    def _assessment_text(self, answer: AssessmentAnswer) -> str:
        """The answer as the user chose it (a scale's label, Yes/No), not a stored index."""
        question = self.data.assessment_questions.get(answer.question_id)
        fmt = getattr(question, "format", None)
        if callable(fmt):
            shown = fmt(answer)
            if shown:
                return str(shown)
        return answer.text if answer.text else self.value(answer.number)

    def _question_text(self, question_id: str) -> str:
        question = self.data.assessment_questions.get(question_id)
        if question is None:
            return question_id
        return str(getattr(question, "question", question))

    def decisions_section(self) -> Section:
        decisions = sorted(
            (d for d in self.data.decisions if self.in_period(d.decided_at)),
            key=lambda d: d.decided_at,
        )
        blocks: list[Block] = []
        if not decisions:
            blocks.append(Paragraph("No decisions recorded in this period."))
        for decision in decisions:
            blocks.append(Heading(3, f"{self.when(decision.decided_at)}: "
                                     f"{self.option_title(decision.chosen_option_id)}",
                                  anchor=self.when(decision.decided_at)))
            if decision.summary.strip():
                blocks.append(Paragraph(self.markdown(decision.summary)))
            if decision.reasons.strip():
                blocks.append(Heading(4, "Reasons"))
                blocks.append(Paragraph(self.markdown(decision.reasons)))
            facts = []
            if decision.alternatives:
                names = ", ".join(self.option_title(i) for i in decision.alternatives)
                facts.append(f"Alternatives considered: {md_escape(names)}")
            if decision.revisit_conditions.strip():
                facts.append(f"Revisit if: {self.plain(decision.revisit_conditions)}")
            if decision.revisit_on is not None:
                facts.append(f"Revisit on: {self.when(decision.revisit_on)}")
            if decision.revisited_at is not None:
                facts.append(f"Revisited on: {self.when(decision.revisited_at)}")
            if facts:
                blocks.append(BulletList(tuple(facts)))
        return Section("decisions", SECTION_TITLES["decisions"], tuple(blocks))

    def _answer_text(self, answer: Answer, prompt: Prompt | None) -> str:
        if answer.skipped:
            reason = self.r(answer.skip_reason)
            return f"Skipped ({reason})" if reason else "Skipped"
        value = answer.value
        if value is None:
            return EMPTY
        if answer.kind is AnswerKind.SCALE and isinstance(value, int | float):
            text = self.fmt.number(value)
            if prompt is not None and prompt.minimum is not None and prompt.maximum is not None:
                text += f" (on {self.fmt.number(prompt.minimum)}–{self.fmt.number(prompt.maximum)})"
            return text
        if answer.kind is AnswerKind.NUMBER and isinstance(value, int | float):
            unit = prompt.unit if prompt is not None else ""
            return self.r(with_unit(self.fmt.number(value), unit))  # a unit may be a currency
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return self.r(str(value))

    def checkins_section(self) -> Section:
        blocks: list[Block] = []
        append = blocks.append
        prompts = self.data.prompts
        questions: dict[str, str] = {}  # prompt id → redacted question, worked out once
        numbers: dict[tuple[str, AnswerKind, float], str] = {}
        """(prompt id, kind, number) → the answer's text: scales and counts repeat a few
        values thousands of times (47,000 answers at 100 years), and the text of one
        depends only on these (redaction gives the same text each time)."""
        numeric = (AnswerKind.SCALE, AnswerKind.NUMBER)
        for day, checkin in self.dated_in_period(self.data.checkins, "started_at"):
            shown = self.fmt.day(day)
            title = f"Check-in of {shown}"
            if checkin.adhoc:
                title += " (unscheduled)"
            append(Heading(3, title, anchor=shown))
            if checkin.answers:
                rows = []
                for answer in checkin.answers:
                    prompt = prompts.get(answer.prompt_id)
                    question = questions.get(answer.prompt_id)
                    if question is None:
                        question = questions[answer.prompt_id] = self.r(
                            prompt.question if prompt is not None else answer.prompt_id)
                    if answer.kind in numeric and not answer.skipped \
                            and answer.number is not None:
                        key = (answer.prompt_id, answer.kind, answer.number)
                        text = numbers.get(key)
                        if text is None:
                            text = numbers[key] = self._answer_text(answer, prompt)
                    else:
                        text = self._answer_text(answer, prompt)
                    rows.append((question, text))
                append(Table(("Question", "Answer"), tuple(rows)))
            if checkin.reflection.strip():
                append(Heading(4, "Reflection"))
                append(Paragraph(self.markdown(checkin.reflection)))
        if not blocks:
            blocks.append(Paragraph("No check-ins in this period."))
        return Section("checkins", SECTION_TITLES["checkins"], tuple(blocks))

    def flags_section(self) -> Section:
        blocks: list[Block] = [Heading(3, "Active flags")]
        flags = sorted(self.data.flags, key=lambda f: -_severity_rank(f.severity))
        if not flags:
            blocks.append(Paragraph("No active flags."))
        for flag in flags:
            blocks.append(Heading(4, self.keel_text(flag.message)))
            facts = []
            severity = _severity(flag.severity)
            if severity:
                facts.append(f"Level: {md_escape(severity)}")
            self.cited.update(getattr(flag, "experts", ()) or ())
            self.cited.update(experts_mentioned(getattr(flag, "counterpoint", "") or ""))
            if not flag.experts:
                facts.append("Keel's own check (no expert named)")
            for label, text in flag_lines(flag):  # voices kept apart (issue 16)
                facts.append(f"{md_escape(label)}: {md_escape(self.keel_text(text))}")
            for evidence in getattr(flag, "evidence", ()) or ():
                facts.append(f"Evidence: {md_escape(self.keel_text(evidence))}")
            if flag.next_step:
                facts.append(f"Next step: {md_escape(self.keel_text(flag.next_step))}")
            blocks.append(BulletList(tuple(facts)))
        actions = sorted(
            (a for a in self.data.flag_actions if self.in_period(a.created_at)),
            key=lambda a: a.created_at,
        )
        blocks.append(Heading(3, "How flags were handled"))
        names: dict[str, str] = {}
        for flag in flags:
            for attr in ("key", "id"):
                value = getattr(flag, attr, None)
                if isinstance(value, str) and value:
                    names.setdefault(value, flag.message)
        if actions:
            blocks.append(Table(("Date", "Flag", "Action", "Note"), tuple(
                (
                    self.when(a.created_at),
                    self.r(names.get(a.flag_id, a.flag_id)),
                    a.action + (f" until {self.when(a.until)}" if a.until else ""),
                    self.r(a.note) or EMPTY,
                )
                for a in actions
            )))
        else:
            blocks.append(Paragraph("No flag was dismissed or snoozed in this period."))
        return Section("flags", SECTION_TITLES["flags"], tuple(blocks))

    def trends_section(self) -> Section:
        rows = _trend_rows(self.data.trends)
        blocks: list[Block] = []
        moved = [row for row in rows if _moved(row)]
        if moved:
            blocks.append(Heading(3, "What moved in this period"))
            blocks.append(BulletList(tuple(
                f"{self.plain(row.question)}: {md_escape(self.value(row.first))} → "
                f"{md_escape(self.value(row.latest))} ({md_escape(self.change(row.change))})"
                for row in moved)))
        blocks += self.charts()
        if rows:
            blocks.append(Heading(3, "First and latest answers"))
            blocks.append(Table(("Question", "First", "Latest", "Change"), tuple(
                (self.r(row.question), self.value(row.first), self.value(row.latest), self.change(row.change))
                for row in rows
            )))
        else:
            blocks.append(Paragraph("No numeric answers in this period."))
        return Section("trends", SECTION_TITLES["trends"], tuple(blocks))

    def charts(self) -> list[Block]:
        """The charts that matter for the call, each read against its baseline."""
        data, period = self.data, self.data.period
        worry_base = None
        for version in sorted(data.baselines, key=lambda b: b.created_at):
            if version.worry is not None and (self.day(version.created_at) or date.max) \
                    <= period.end:
                worry_base = float(version.worry)
        specs = []
        for prompt_id, title, low, high in CHARTED:
            points = series_in(
                [(self.day(when) or when.date(), value)
                 for when, value in data.series.get(prompt_id, ())], period.start, period.end)
            if not points and prompt_id != "worry-level":
                continue
            reference, label = None, ""
            if prompt_id == "worry-level" and worry_base is not None:
                reference, label = worry_base, f"Your baseline worry ({self.fmt.number(worry_base)})"
            specs.append(ChartSpec(title, points, period.start, period.end, low, high,
                                   reference, label))
        runway = series_in([(self.day(when) or when.date(), value)
                            for when, value in data.runway], period.start, period.end)
        if runway:
            specs.append(ChartSpec(
                "Runway (months of savings)", runway, period.start, period.end, 0.0, None,
                float(RUNWAY_MONTHS),
                f"Keel's threshold, {RUNWAY_MONTHS} months (Keel's choice, not an expert's)",
                counted="snapshot"))
        blocks: list[Block] = []
        if specs:
            blocks.append(Heading(3, "Charts"))
        for spec in specs:
            blocks.append(Chart(spec, chart_caption(spec, self.fmt), self.fmt))
        return blocks

    def baseline_section(self) -> Section:
        data = self.data
        blocks: list[Block] = [Heading(3, "Baseline statement")]
        versions = sorted(data.baselines, key=lambda b: b.created_at)
        before = [b for b in versions if (self.day(b.created_at) or date.min) < data.period.start]
        during = [b for b in versions if self.in_period(b.created_at)]
        shown = ([before[-1]] if before else []) + during
        if not shown:
            blocks.append(Paragraph("No baseline statement written."))
        for version in shown:
            label = "In force when the period began" if version in before else "Written"
            worry = f", worry {version.worry} on 0–10" if version.worry is not None else ""
            blocks.append(Heading(4, f"{label}: {self.when(version.created_at)}{worry}"))
            blocks.append(Paragraph(self.markdown(version.text)))
        blocks.append(Heading(3, "Tripwires"))
        end, start = data.period.end, data.period.start
        tripwires = [
            t for t in data.tripwires
            if (self.day(t.created_at) or date.min) <= end
            and (t.archived_at is None or (self.day(t.archived_at) or date.max) >= start)
        ]
        if not tripwires:
            blocks.append(Paragraph("No tripwires set."))
        for tripwire in sorted(tripwires, key=lambda t: t.created_at):
            blocks.append(Heading(4, self.r(tripwire.text)))
            facts = [f"Set on {self.when(tripwire.created_at)}"]
            if tripwire.archived_at is not None:
                facts.append(f"Retired on {self.when(tripwire.archived_at)}")
            for old in sorted(tripwire.history, key=lambda v: v.created_at):
                if self.in_period(old.created_at):
                    facts.append(
                        f"Worded on {self.when(old.created_at)} as: {self.plain(old.text)}"
                    )
            blocks.append(BulletList(tuple(facts)))
        return Section("baseline", SECTION_TITLES["baseline"], tuple(blocks))

    def notes_section(self) -> Section:
        """The fidelity notes that end every export: each point this export cites, once,
        under the experts who make it (a point two experts share is not repeated under
        each); Keel's own thresholds, labelled as Keel's; and whose views these are."""
        blocks: list[Block] = []
        points: dict[str, tuple[int, ...]] = {}
        """Keel's paraphrase → the experts it names, first seen first."""
        others: dict[str, tuple[int, ...]] = {}
        """The same for the other side shown beside a point."""
        thresholds: list[str] = []
        for flag in self.data.flags:
            point = getattr(flag, "point", "") or ""
            experts = tuple(getattr(flag, "experts", ()) or ())
            if point and experts:
                points.setdefault(point, experts)
            counter = getattr(flag, "counterpoint", "") or ""
            if counter:
                counter_experts = (experts_of(getattr(flag, "counter_sources", ()) or ())
                                   or tuple(sorted(experts_mentioned(counter))))
                if counter_experts:
                    others.setdefault(counter, counter_experts)
            threshold = getattr(flag, "threshold", "") or ""
            if threshold and threshold not in thresholds:
                thresholds.append(threshold)
        with_point = {n for experts in (*points.values(), *others.values()) for n in experts}
        named_only = sorted(self.cited - with_point)
        if points or others or named_only:
            blocks.append(Heading(3, "The experts cited"))
            lines = [f"**{experts_label(experts)}** — {md_escape(self.keel_text(point))}"
                     for point, experts in points.items()]
            lines += [f"**{experts_label(experts)}** (another view) — "
                      f"{md_escape(self.keel_text(counter))}"
                      for counter, experts in others.items() if counter not in points]
            if named_only:
                lines.append(f"**{experts_label(named_only)}** — named in this document")
            blocks.append(BulletList(tuple(lines)))
            blocks.append(Paragraph(
                "Each point is listed once, under every expert it names. These are Keel's "
                "paraphrases, not the experts' words; each expert's full answer is in the "
                "80,000 Hours article Keel draws on."))
        blocks.append(Heading(3, "Keel's own thresholds"))
        if thresholds:
            blocks.append(BulletList(tuple(
                f"{KEEL_THRESHOLD}: {md_escape(self.keel_text(t))}" for t in thresholds)))
        blocks.append(Paragraph(
            "The numbers that make a flag appear (weeks without a conversation, months of "
            "runway, points of worry) are Keel's choices, not the experts'."))
        blocks.append(Heading(3, "Whose views these are"))
        blocks.append(Paragraph(md_escape(DISCLAIMER) + " The experts' views are their own, "
                                "not 80,000 Hours'."))
        return Section("notes", "Notes on the experts and on Keel", tuple(blocks))

    def dated_in_period(self, items: Iterable[Any], attribute: str) -> list[tuple[date, Any]]:
        """``(day, item)`` for the items whose *attribute* falls in the period, oldest
        first; each time is converted to a calendar day once (36,500 entries in a
        100-year export)."""
        start, end, tz = self.data.period.start, self.data.period.end, self.data.tz
        dated = []
        for item in items:
            when = getattr(item, attribute)
            if when is None:
                continue
            day = when.astimezone(tz).date() if tz is not None and when.tzinfo is not None \
                else when.date()
            if start <= day <= end:
                dated.append((when, day, item))
        dated.sort(key=_first)  # stable: records that share a time keep their order
        return [(day, item) for _, day, item in dated]

    def entries_section(self) -> Section:
        r, markdown, shown = self.r, self.markdown, self.fmt.day
        items: list[tuple[str, str, str, str | None]] = []
        append = items.append
        tag_lines: dict[tuple[str, ...], str] = {}
        for day, entry in self.dated_in_period(self.data.entries, "created_at"):
            title = r(entry.title).strip() or "Untitled"
            line = ""
            if entry.tags:
                # A journal uses a few sets of tags again and again (13 in the 100-year
                # demo): each line is composed once. Redaction gives the same text each
                # time, and the first time is where the first entry with it is.
                line = tag_lines.get(entry.tags, "")
                if not line:
                    tags = ", ".join(r(t) for t in entry.tags)
                    line = tag_lines[entry.tags] = f"*Tags: {md_escape(tags)}*"
            body = entry.body
            append((shown(day), title, line,
                    markdown(body) if body and not body.isspace() else None))
        blocks: tuple[Block, ...] = tuple(
            Entries(tuple(items[i:i + ENTRIES_PER_BLOCK]))
            for i in range(0, len(items), ENTRIES_PER_BLOCK)) \
            or (Paragraph("No journal entries in this period."),)
        return Section("entries", SECTION_TITLES["entries"], blocks)


_first = operator.itemgetter(0)


def _severity_rank(value: object) -> int:
    if isinstance(value, int):
        return value
    return {"tripwire": 3, "high": 3, "warning": 2, "medium": 2}.get(str(value).lower(), 1)


def _trend_rows(rows: Iterable[Any]) -> list[TrendRow]:
    return [row if isinstance(row, TrendRow) else TrendRow(*row) for row in rows]


def _compare_rows(rows: Iterable[Any]) -> list[tuple[str, tuple[str, ...]]]:
    result = []
    for row in rows:
        if hasattr(row, "label") and hasattr(row, "values"):
            label, values = row.label, row.values
        else:
            label, values = row
        result.append((str(label), tuple("" if v is None else str(v) for v in values)))
    return result


def compose_entries(entries: Sequence[Entry], period: Period, options: ExportOptions,
                    fmt: LocalFormat, tz: tzinfo | None) -> tuple[Block, ...]:
    """The entries section's blocks for *entries* alone (oldest first), as
    :func:`compose` makes them: the newest entries of a long export can be composed
    apart (``desktop.export_markdown.LaterEntries``) and follow the others. Only for an
    export that does not redact: redaction numbers its placeholders through the whole
    document, in order."""
    if options.redacting:
        raise ValueError("entries of a redacting export are composed with the rest")
    data = ExportInput(profile=Profile(), period=period, entries=entries, tz=tz)
    return _Composer(data, options, fmt).entries_section().blocks


def compose(data: ExportInput, options: ExportOptions, now: datetime,
            fmt: LocalFormat | None = None) -> ExportDocument:
    """Build the export of *data* as the user chose in *options*, made at *now*.

    The briefing is always the first section; the others follow in the order of
    :data:`SECTION_IDS` when they are in ``options.sections``. Unknown section ids are
    an error, so a typo on the command line is not silently ignored.
    """
    unknown = set(options.sections) - set(SECTION_IDS)
    if unknown:
        raise ValueError(f"unknown export section(s): {', '.join(sorted(unknown))}")
    composer = _Composer(data, options, fmt)
    builders = {
        "options": composer.options_section,
        "decisions": composer.decisions_section,
        "checkins": composer.checkins_section,
        "flags": composer.flags_section,
        "trends": composer.trends_section,
        "baseline": composer.baseline_section,
        "entries": composer.entries_section,
    }
    appendix = [builders[sid]() for sid in SECTION_IDS[1:] if sid in options.sections]
    sections = [composer.briefing(), *appendix, composer.notes_section()]
    return ExportDocument(DOCUMENT_TITLE, now, data.period, tuple(sections),
                          redaction=options.redaction_label(),
                          period_text=composer.period_text,
                          generated_text=composer.fmt.day(
                              now.astimezone(data.tz) if data.tz else now),
                          redactor=composer.redactor if options.redacting else None)


_UNESCAPE_RE = re.compile(r"\\([\\`*_#~\[\]()<>&|!.+=-])")


def _readable(markdown_text: str) -> str:
    """The words a reader sees in composed Markdown: escapes and entities undone."""
    return _html.unescape(_UNESCAPE_RE.sub(r"\1", markdown_text))


_KIND_WORDS = {"money": "an amount of money", "organisation": "an organisation name",
               "person": "a person's name"}


def check_redaction(doc: ExportDocument) -> None:
    """The residual scan: raise :class:`RedactionIncomplete` when the finished text of
    *doc* still holds money or a listed name that redaction should have replaced.

    Every block is scanned as it will be written (title, page-1 lines, tables, chart
    captions), whatever path its text took through the composer. The message says
    where (section, item number and date), never the text found.
    """
    redactor = doc.redactor
    if redactor is None or not redactor.active:
        return
    pieces: list[tuple[str, str]] = [("the title", doc.title)]
    for section in doc.sections:
        item, anchor = 0, ""
        for block in section.blocks:
            if isinstance(block, Entries):
                for shown, *texts in _entries_markdown(block):
                    item += 1  # each entry is an item: its heading is level 3
                    where = f"“{section.title}”, item {item} ({shown})"
                    pieces += [(where, _readable(text)) for text in texts if text is not None]
                continue
            if isinstance(block, Heading) and block.level == 3:
                item += 1
                anchor = block.anchor
            where = f"“{section.title}”"
            if item:
                where += f", item {item}" + (f" ({anchor})" if anchor else "")
            pieces.append((where, _readable(_md_block(block, True))))
        pieces.append((f"“{section.title}”", section.title))
    for where, text in pieces:
        found = redactor.residue(text)
        if found:
            kind = _KIND_WORDS.get(found[0][0], "something")
            raise RedactionIncomplete(
                f"Export not written: {kind} is still readable in {where}. Nothing was "
                "saved; change that text or the redaction choices and export again.")


# --------------------------------------------------------------------------- Markdown

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_CODE_SPAN_RE = re.compile(r"(`+)(?:.+?)\1")
_TAG_START_RE = re.compile(r"<(?=[A-Za-z/!?])(?!(?:https?|mailto):[^\s<>]*>)")
_UNSAFE_DESTINATION_RE = re.compile(r"\]\((?!\s*<?\s*(?:https?:|mailto:))")
_UNSAFE_DEFINITION_RE = re.compile(r"^( {0,3})\[(?=[^\]]+\]:\s*(?!<?\s*(?:https?:|mailto:)))")
_LINE_WORK_RE = re.compile(r"\n {0,3}(?:#|=|-+[ \t]*(?:\n|$))")


def _needs_line_work(text: str) -> bool:
    """Whether :func:`user_markdown`'s line loop would change anything in *text*: a
    character :func:`_neutralise_text` looks at, a fence, or a heading (ATX, or a setext
    underline). Lists, emphasis and quotes need nothing, so most entries skip the loop.
    Substring tests and one regex anchored on a newline are five times faster than one
    multi-line pattern over a 100-year journal."""
    if "<" in text or "[" in text or "]" in text or "```" in text or "~~~" in text:
        return True
    return _LINE_WORK_RE.search("\n" + text) is not None


def _neutralise_text(text: str) -> str:
    r"""Make one stretch of non-code Markdown inert in any viewer.

    Raw HTML shows as text (``<`` becomes ``&lt;``; ``<https://…>`` autolinks stay);
    an image loses its ``!`` and its bracket is escaped (``\[alt](url)`` shows as text),
    so no viewer fetches it, even when its alt text holds brackets; and a link to
    anything but http(s) or mailto stops being a link.
    """
    if "<" not in text and "[" not in text and "]" not in text:
        return text  # nothing to neutralise (most lines): skip the four patterns
    text = _TAG_START_RE.sub("&lt;", text)
    text = text.replace("![", "\\[")  # any image, even one whose alt text has brackets
    text = _UNSAFE_DESTINATION_RE.sub("]\\(", text)
    return _UNSAFE_DEFINITION_RE.sub(lambda m: m.group(1) + "\\[", text)


def _neutralise_html(line: str) -> str:
    """Apply :func:`_neutralise_text` to *line* outside its code spans."""
    if "`" not in line:
        return _neutralise_text(line)
    out, last = [], 0
    for match in _CODE_SPAN_RE.finditer(line):
        out.append(_neutralise_text(line[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_neutralise_text(line[last:]))
    return "".join(out)


LONG_LINE = 4000
"""A typed line longer than this is cut into paragraphs of about this length (at a
space): Qt lays out one paragraph of megabytes in quadratic time, and no reader loses a
word (a 5 MB entry)."""


def _split_long_lines(text: str) -> str:
    if len(text) <= LONG_LINE or "```" in text or "~~~" in text:
        return text
    out = []
    for line in text.split("\n"):
        while len(line) > LONG_LINE:
            cut = line.rfind(" ", LONG_LINE // 2, LONG_LINE)
            cut = cut if cut > 0 else LONG_LINE
            out += [line[:cut].rstrip(), ""]
            line = line[cut:].lstrip()
        out.append(line)
    return "\n".join(out)


def user_markdown(text: str, demote: int = 3) -> str:
    """The user's Markdown made safe to embed in a larger Markdown document.

    Headings go *demote* levels down (at most level 6), an unclosed code fence is
    closed, and raw HTML, images and unsafe links are shown as text rather than
    interpreted (see :func:`_neutralise_text`).
    """
    text = clean_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > LONG_LINE:
        text = _split_long_lines(text)
    if not _needs_line_work(text):
        # No headings, fences, HTML or links: only the line breaks need keeping.
        return _hard_breaks(text.strip("\n"))
    return _user_markdown_lines(text, demote)


_SOFT_BREAK_RE = re.compile(r"\n(?<=\S\n)(?=[ \t]*\S)")
"""A newline between two non-blank characters. It starts with the literal newline, so
the engine jumps from newline to newline instead of trying the look-behind at every
character: the same matches, eight times faster over a 100-year journal."""


def _hard_breaks(text: str) -> str:
    """Keep the line breaks the user typed: every viewer (Qt's importer for the PDF and
    the preview, python-markdown for HTML, any CommonMark viewer of the .md file) shows
    a line ending in two spaces as a break, where a bare newline would join the lines."""
    if "\n" not in text:
        return text
    return _SOFT_BREAK_RE.sub("  \n", text)


def _user_markdown_lines(text: str, demote: int) -> str:
    """:func:`user_markdown`'s work line by line, on cleaned text with ``\n`` breaks."""
    lines = text.split("\n")
    out: list[str] = []
    fenced: list[bool] = []
    """Per line of *out*: inside a code fence (or a fence line), where breaks are literal."""
    fence: str | None = None
    after_text = False
    """Whether the previous line was ordinary paragraph text (a setext heading's title)."""
    for line in lines:
        # Each pattern needs a character a line seldom has: test for it before matching.
        match = _FENCE_RE.match(line) if "`" in line or "~" in line else None
        if fence is not None:
            out.append(line)
            fenced.append(True)
            closing = match is not None and match.group(1)[0] == fence[0] \
                and len(match.group(1)) >= len(fence) \
                and not line.strip()[len(match.group(1)):].strip()
            if closing:
                fence = None
            continue
        if match:
            fence = match.group(1)
            out.append(line)
            fenced.append(True)
            after_text = False
            continue
        setext = _SETEXT_RE.match(line) if after_text else None
        if setext:
            level = 1 if setext.group(1)[0] == "=" else 2
            out[-1] = "#" * min(6, level + demote) + " " + out[-1].strip()
            after_text = False
            continue
        atx = _ATX_RE.match(line) if "#" in line else None
        if atx:
            line = atx.group(1) + "#" * min(6, len(atx.group(2)) + demote) + line[atx.end():]
        after_text = bool(line.strip()) and not atx and not line.startswith("    ") \
            and not line.lstrip().startswith(("-", "*", "+", ">", "|", "<"))
        out.append(_neutralise_html(line))
        fenced.append(False)
    if fence is not None:
        out.append(fence)
        fenced.append(True)
    for index in range(len(out) - 1):  # keep typed line breaks outside code
        if not fenced[index] and not fenced[index + 1] and out[index][-1:].strip() \
                and out[index + 1].strip():
            out[index] += "  "
    return "\n".join(out).strip("\n")


@functools.lru_cache(maxsize=4096)
def _md_cell(text: str) -> str:
    """One escaped table cell; cached, since check-in tables repeat their questions and
    many of their answers thousands of times."""
    return md_escape(text).replace("|", "\\|") or " "


def _md_block(block: Block, pairs_as_lines: bool = False) -> str:
    if isinstance(block, Chart):
        return "*" + md_escape(block.caption) + "*"
    if isinstance(block, Heading):
        return "#" * max(1, min(6, block.level)) + " " + md_escape(block.text)
    if isinstance(block, Paragraph):
        return user_markdown(block.text)
    if isinstance(block, Table) and pairs_as_lines and len(block.headers) == 2:
        return "\n\n".join(_md_pair(*(*row, "", "")[:2]) for row in block.rows)
    if isinstance(block, Table):
        lines = ["| " + " | ".join(_md_cell(h) for h in block.headers) + " |",
                 "|" + "|".join(" --- " for _ in block.headers) + "|"]
        for row in block.rows:
            cells = list(row) + [""] * (len(block.headers) - len(row))
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        return "\n".join(lines)
    if isinstance(block, BulletList):
        return "\n".join("- " + " ".join(clean_text(item).split()) for item in block.items)
    raise TypeError(f"unknown block {block!r}")


def _entries_markdown(block: Entries) -> Iterator[tuple[str, str, str | None, str | None]]:
    """Per entry of *block*: the day shown, and the Markdown of its heading, its tags
    line and its body (None where the entry has no such paragraph). A tags line is
    rendered once per distinct line."""
    tag_lines: dict[str, str] = {}
    for shown, title, tags, body in block.items:
        line = None
        if tags:
            line = tag_lines.get(tags)
            if line is None:
                line = tag_lines[tags] = user_markdown(tags)
        yield (shown, "### " + md_escape(f"{shown}: {title}"), line,
               None if body is None else user_markdown(body))


def _md_entries(block: Entries) -> Iterator[str]:
    """The Markdown of *block*, one chunk per entry, as separate blocks would give."""
    for _shown, heading, tags, body in _entries_markdown(block):
        chunk = "\n" + heading + "\n"
        if tags and not tags.isspace():
            chunk += "\n" + tags + "\n"
        if body and not body.isspace():
            chunk += "\n" + body + "\n"
        yield chunk


@functools.lru_cache(maxsize=8192)
def _md_pair(label: str, value: str) -> str:
    """One row of a two-column table as a line: ``label — **value**``; cached, since
    check-in questions and many answers repeat thousands of times."""
    label, value = md_escape(label), md_escape(value)
    return f"{label} — **{value}**" if value else label


def meta_line(doc: ExportDocument) -> str:
    """The line under the title: when it was made, the period, and what was redacted."""
    made = doc.generated_text or LocalFormat().day(doc.generated_at)
    period = doc.period_text or doc.period.label
    return f"Generated {made} · period {period} · {doc.redaction}"


def iter_markdown(doc: ExportDocument, pairs_as_lines: bool = True,
                  chart_marker: Callable[[int], str] | None = None) -> Iterator[str]:
    """Yield the Markdown of *doc* in chunks (one per block), for streaming to a file.

    Each row of a two-column table (the check-in answers, an option's fields) becomes
    its own short paragraph, ``Question — **answer**``, in every format (the HTML page
    and the PDF show the same lines): it reads as well on paper, and Qt lays out a
    thousand pages of paragraphs several times faster than the same rows as tables.
    *pairs_as_lines* False keeps them as pipe tables (for tools that want tables).
    With *chart_marker* (the printed export), each chart's caption is followed by a
    paragraph holding only ``chart_marker(n)``, where the PDF puts the n-th picture.
    """
    return markdown_of(markdown_plan(doc, chart_marker), pairs_as_lines)


MarkdownItem = str | Block
"""One step of :func:`markdown_plan`: Markdown text as it is, or a block to render."""


def markdown_plan(doc: ExportDocument,
                  chart_marker: Callable[[int], str] | None = None) -> list[MarkdownItem]:
    """The Markdown of *doc* in order, as fixed text (the title, section headings, chart
    markers) and blocks not yet rendered: :func:`markdown_of` renders any stretch of it
    on its own, so a long export can be rendered in parts (on two cores) and joined."""
    items: list[MarkdownItem] = [f"# {md_escape(doc.title)}\n\n", f"{md_escape(meta_line(doc))}\n"]
    append = items.append
    charts = 0
    for section in doc.sections:
        append(f"\n## {md_escape(section.title)}\n")
        for block in section.blocks:
            append(block)
            if chart_marker is not None and isinstance(block, Chart):
                append("\n" + chart_marker(charts) + "\n")
                charts += 1
    return items


def markdown_of(items: Iterable[MarkdownItem], pairs_as_lines: bool = True) -> Iterator[str]:
    """The Markdown chunks of a stretch of :func:`markdown_plan` (see
    :func:`iter_markdown` for *pairs_as_lines*)."""
    for item in items:
        if isinstance(item, str):
            yield item
            continue
        if isinstance(item, Entries):
            yield from _md_entries(item)
            continue
        text = _md_block(item, pairs_as_lines)
        if text and not text.isspace():  # as ``text.strip()``, without copying 17 MB
            yield "\n" + text + "\n"


def to_markdown(doc: ExportDocument) -> str:
    """The whole export as one CommonMark document (pipe tables as in GFM)."""
    return "".join(iter_markdown(doc))


# --------------------------------------------------------------------------- HTML

EXPORT_CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
       font-size: 11pt; line-height: 1.45; color: #1b1f23; background: #fff;
       max-width: 46em; margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 1.8em; margin: 0 0 .2em; }
h2 { font-size: 1.4em; border-bottom: 1px solid #c8ccd1; padding-bottom: .2em; margin-top: 1.6em; }
h3 { font-size: 1.15em; margin-top: 1.3em; }
h4, h5, h6 { font-size: 1em; margin-top: 1em; }
h1, h2, h3, h4, h5, h6 { page-break-after: avoid; break-after: avoid; }
p.meta { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: .95em; }
th, td { border: 1px solid #c8ccd1; padding: .3em .5em; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
thead { display: table-header-group; }
tr, li, blockquote, pre { page-break-inside: avoid; break-inside: avoid; }
li > p { margin: 0; }
blockquote { margin: .5em 0; padding-left: 1em; border-left: 3px solid #c8ccd1; color: #3d444d; }
pre { background: #f4f6f8; padding: .6em; white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: "Noto Sans Mono", Consolas, monospace; font-size: .92em; }
section.briefing { page-break-after: always; break-after: page; }
figure.chart { margin: .3em 0 1em; page-break-inside: avoid; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; max-width: 46em; }
p.caption { color: #3d444d; margin-bottom: .2em; }
a { color: #0b5cad; }
@page { size: auto; margin: 2cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
}
"""
"""Print-friendly CSS of HTML exports (no fonts or images are loaded)."""

_HEADING_TAG_RE = re.compile(r"<(/?)h([1-6])\b")
_STRUCTURE_TAGS = frozenset({"section", "header", "div", "span", "caption"})
_STRUCTURE_ATTRIBUTES = {
    "*": {"dir"},
    "div": {"class"},
    "section": {"id", "class"},
    "header": {"class"},
    "p": {"class"},
    "table": {"class"},
}


def _demote_html(fragment: str, by: int = 3) -> str:
    return _HEADING_TAG_RE.sub(
        lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + by)}", fragment
    )


def _html_block(block: Block) -> str:
    if isinstance(block, Entries):
        return "\n".join(_html_entries(block))
    if isinstance(block, Chart):
        return f'<p class="caption" dir="auto"><em>{_html.escape(block.caption)}</em></p>'
    if isinstance(block, Heading):
        level = max(1, min(6, block.level))
        return f'<h{level} dir="auto">{_html.escape(clean_text(block.text))}</h{level}>'
    if isinstance(block, Paragraph):
        # The same Markdown the .md file and the PDF get: raw HTML the user typed is
        # shown as text in all three, and headings are already demoted.
        return render_markdown(user_markdown(block.text))
    if isinstance(block, Table) and len(block.headers) == 2:
        # One ``label — **value**`` line per row, as in the Markdown and the PDF.
        return render_markdown(_md_block(block, pairs_as_lines=True))
    if isinstance(block, Table):
        head = "".join(f"<th>{_html.escape(clean_text(h))}</th>" for h in block.headers)
        body = "".join(
            "<tr>" + "".join(
                f'<td dir="auto">{_html.escape(clean_text(c))}</td>'
                for c in list(row) + [""] * (len(block.headers) - len(row))
            ) + "</tr>"
            for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, BulletList):
        items = "".join(
            f'<li dir="auto">{_demote_html(render_markdown(item))}</li>' for item in block.items
        )
        return f"<ul>{items}</ul>"
    raise TypeError(f"unknown block {block!r}")


def _html_entries(block: Entries) -> Iterator[str]:
    """The HTML of *block*: per entry its heading, tags line and body, as separate
    blocks would give (a tags line is rendered once per distinct line)."""
    tag_lines: dict[str, str] = {}
    for shown, title, tags, body in block.items:
        yield _html_block(Heading(3, f"{shown}: {title}"))
        if tags:
            line = tag_lines.get(tags)
            if line is None:
                line = tag_lines[tags] = render_markdown(user_markdown(tags))
            yield line
        if body is not None:
            yield render_markdown(user_markdown(body))


def iter_html_body(doc: ExportDocument) -> Iterator[str]:
    """Yield the sanitised ``<body>`` content of the HTML export, one section at a time."""
    header = (
        f'<header><h1>{_html.escape(doc.title)}</h1>'
        f'<p class="meta">{_html.escape(meta_line(doc))}</p></header>'
    )
    yield _sanitize_structure(header)
    import secrets  # HTML only: it loads OpenSSL's hashes, which Markdown never needs

    nonce = secrets.token_hex(8)
    for section in doc.sections:
        parts = [f'<section id="{section.id}" class="{section.id}">',
                 f"<h2>{_html.escape(section.title)}</h2>"]
        pictures: dict[str, str] = {}
        for block in section.blocks:
            parts.append(_html_block(block))
            if isinstance(block, Chart):
                token = f"keel-chart-{nonce}-{len(pictures)}"
                pictures[token] = to_svg(block.spec, block.fmt)
                parts.append(f'<div class="chart">{token}</div>')
        parts.append("</section>")
        # Belt and braces: the assembled section goes through the sanitiser once more;
        # Keel's own charts (numbers and Keel's labels, escaped) go in afterwards.
        cleaned = _sanitize_structure("\n".join(parts))
        for token, svg in pictures.items():
            cleaned = cleaned.replace(f'<div class="chart">{token}</div>',
                                      f'<figure class="chart">{svg}</figure>')
        yield cleaned


def _sanitize_structure(fragment: str) -> str:
    return sanitize_html(fragment, extra_tags=_STRUCTURE_TAGS,
                         extra_attributes=_STRUCTURE_ATTRIBUTES)


def to_html(doc: ExportDocument) -> str:
    """The whole export as one self-contained, sanitised HTML page with print CSS."""
    body = "\n".join(iter_html_body(doc))
    return safe_html_document(body, doc.title, EXPORT_CSS)
