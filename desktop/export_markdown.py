"""The Markdown export's text, on two cores when it is long.

A 100-year journal's Markdown is 25 MB, nine tenths of it journal entries. On the
command line a forked child takes part of the work, so that the export finishes in about
half the time; the text is the same, byte for byte, whichever way it was made. There
are two ways to share it out, and each export uses at most one child:

- **The newest entries, from the start** (:class:`LaterEntries`). As soon as the
  period's entries are read, a child composes and renders the newest of them, while
  this process reads and composes everything else. Only for an export that does not
  redact: redaction hands out its placeholders ("Org A", "Person 1") in the order
  the reader meets the names, so no entry can be redacted before everything above it.
- **The second half of the text, at the end** (:func:`markdown_in_two`): once the
  whole export is composed, a child renders the second half of it. A redacting export
  uses this.

Only a process with a single thread forks (:func:`desktop.platform.second_core.may_fork`:
the command line; never the app). Anything that goes wrong in the child (it fails, is
killed, sends less than it said) only means this process does that part itself. The
child reads nothing and writes nothing but its pipe: it inherits the records it works
on, and never touches the journal's connection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING

from desktop.platform import second_core
from desktop.platform.second_core import may_fork

if TYPE_CHECKING:
    from desktop.core.export_compose import ExportOptions, MarkdownItem, Period
    from desktop.core.local_format import LocalFormat
    from desktop.core.records import Entry

_log = logging.getLogger(__name__)

TWO_CORES_FROM = 2_000_000
"""Markdown of about this many characters or more is rendered on two cores (Keel's
choice: below it, starting the second process costs more than it saves)."""

PARENT_SHARE = 48
"""Percent of the Markdown (by :func:`_weight`) the parent renders when the whole
export is composed before the child starts (:func:`markdown_in_two`)."""

CHILD_SHARE = 85
"""Percent of the entries (by :func:`entry_weight`) a child composes and renders when
it starts as soon as they are read (:class:`LaterEntries`). This process meanwhile reads
the check-ins and everything else, composes the rest, renders its own part and writes
the whole file: at 100 years, about as long as five sixths of the entries take (Keel's
figure, measured on the benchmarks' demo journals)."""

ENTRY_COST = 96
"""The fixed cost of an entry (its heading, its day), in characters of body text."""


def entry_weight(body: str | None) -> int:
    """About how long an entry takes to compose and render: its text's length, and a
    fixed cost per entry."""
    return ENTRY_COST + len(body or "")


def _weight(item: object) -> int:
    """About how long *item* of a Markdown plan takes to render: its text's length, and
    a fixed cost per block."""
    from desktop.core.export_compose import BulletList, Entries, Paragraph, Table

    if isinstance(item, str):
        return len(item)
    if isinstance(item, Entries):
        return sum(entry_weight(body) for _day, _title, _tags, body in item.items)
    if isinstance(item, Paragraph):
        return 64 + len(item.text)
    if isinstance(item, Table):
        return 64 + 48 * len(item.rows)
    if isinstance(item, BulletList):
        return 64 + sum(map(len, item.items))
    return 64


def newest_share(weights: Sequence[int], percent: int) -> int:
    """Where to cut a list of entries (by their *weights*, oldest first) so that those
    from the cut on weigh at most *percent* of the whole: the index of the first entry
    given away (``len(weights)`` for none; never 0, the oldest entry always stays)."""
    total, given, cut = sum(weights), 0, len(weights)
    while cut > 1 and (given + weights[cut - 1]) * 100 <= total * percent:
        cut -= 1
        given += weights[cut]
    return cut


class LaterEntries:
    """The newest entries of a long Markdown export that does not redact, composed and
    rendered by a forked child while this process does the rest.

    :meth:`split` is handed the period's entries, oldest first, as soon as they are read
    (``db.export_data.gather``'s *keep_entries*); it keeps the oldest for this process
    and starts the child on the others. :func:`markdown` puts the child's text right
    after the last entry composed here. Use it as a context manager: a child whose text
    is never asked for (the export failed or was cancelled) is stopped on the way out.
    """

    def __init__(self, options: ExportOptions, fmt: LocalFormat, period: Period,
                 tz: tzinfo | None) -> None:
        self.options, self.fmt, self.period, self.tz = options, fmt, period, tz
        self.tail: Sequence[Entry] = ()
        self.helper: second_core.Helper | None = None

    def __enter__(self) -> LaterEntries:
        return self

    def __exit__(self, *exc: object) -> None:
        helper, self.helper = self.helper, None
        if helper is not None:
            second_core.abandon(helper)

    @property
    def started(self) -> bool:
        """Whether some entries were handed to a child."""
        return bool(self.tail)

    def split(self, entries: Sequence[Entry]) -> Sequence[Entry]:
        """The entries this process composes: all of them, or the oldest when the
        newest went to a child (never none, so the entries section is composed here)."""
        if self.options.redacting or "entries" not in self.options.sections:
            return entries
        weights = [entry_weight(entry.body) for entry in entries]
        if sum(weights) < TWO_CORES_FROM or not may_fork():
            return entries
        cut = newest_share(weights, CHILD_SHARE)
        if cut == len(entries):
            return entries
        self.tail = entries[cut:]
        self.helper = second_core.start(lambda: "".join(self._markdown()).encode("utf-8"))
        return entries[:cut]

    def _markdown(self) -> Iterator[str]:
        from desktop.core.export_compose import compose_entries, markdown_of

        return markdown_of(compose_entries(self.tail, self.period, self.options, self.fmt,
                                           self.tz))

    def chunks(self) -> Iterator[str | bytes]:
        """The Markdown of the child's entries: its bytes once it has ended, or composed
        and rendered here if it failed."""
        helper, self.helper = self.helper, None
        sent = second_core.receive(helper) if helper is not None else None
        if sent is not None:
            yield sent
            return
        _log.info("the child's entries not received; composed here")
        yield from self._markdown()


def markdown(items: Sequence[MarkdownItem], later: LaterEntries | None = None
             ) -> Iterator[str | bytes]:
    """The Markdown chunks of a whole plan (:func:`desktop.core.export_compose.markdown_plan`),
    joined into larger writes, with the entries a child made (*later*, if it started)
    after the last entry composed here."""
    if later is None or not later.started:
        return _joined(markdown_in_two(items))
    from desktop.core.export_compose import Entries, markdown_of

    last = max(i for i, item in enumerate(items) if isinstance(item, Entries))

    def chunks() -> Iterator[str | bytes]:
        yield from markdown_of(items[:last + 1])
        yield from later.chunks()
        yield from markdown_of(items[last + 1:])

    return _joined(chunks())


def markdown_in_two(items: Sequence[MarkdownItem]) -> Iterator[str | bytes]:
    """The Markdown chunks of a plan, the same text whichever way it is made.

    A long plan is rendered on two cores: a forked child renders the second half while
    this process renders the first, and sends it back as UTF-8 bytes, written as they
    come. Rendering is plain computation on the composed document.
    """
    from desktop.core.export_compose import markdown_of

    weights = [_weight(item) for item in items]
    total = sum(weights)
    if total < TWO_CORES_FROM or not may_fork():
        yield from markdown_of(items)
        return
    # This process also encodes and writes the whole file, so it renders a little less
    # than half (48 %: the two then finish together, by instruction counts at 100 years).
    done, split = 0, len(items)
    for index, weight in enumerate(weights):
        done += weight
        if done * 100 >= total * PARENT_SHARE:
            split = index + 1
            break
    first, second = items[:split], items[split:]
    helper = second_core.start(lambda: "".join(markdown_of(second)).encode("utf-8"))
    try:
        yield from markdown_of(first)
    except BaseException:  # cancelled or failed: the child's half is not wanted
        second_core.abandon(helper)
        raise
    sent = second_core.receive(helper)
    if sent is not None:
        yield sent
    else:
        _log.info("second core's half not received; rendered here")
        yield from markdown_of(second)


def _joined(chunks: Iterable[str | bytes], size: int = 512) -> Iterator[str | bytes]:
    """*chunks* joined *size* at a time: one write (and one cancel poll) per 512 blocks
    instead of one per block (127,000 in a 100-year Markdown export). Encoded chunks
    (``bytes``) pass as they are, in their place."""
    batch: list[str] = []
    for chunk in chunks:
        if isinstance(chunk, bytes):
            if batch:
                yield "".join(batch)
                batch.clear()
            yield chunk
            continue
        batch.append(chunk)
        if len(batch) >= size:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)
