"""Join two PDFs written by ``QPdfWriter`` into one: the pages of the first, then those
of the second.

Only for Qt's own output (:mod:`desktop.ui.pdf_export` draws the two halves of a long
export in two processes): one classic cross-reference table, every object written as
``N 0 obj … endobj``, one ``/Pages`` node holding every page, stream lengths in the
stream's dictionary. The second file's objects are renumbered after the first's; its
catalogue, page tree, document information and metadata are left out, and its pages
join the first file's page tree. Its fonts stay its own (each half embeds the subsets
it used). Anything not in that shape raises :class:`ValueError`, and the caller then
draws those pages itself.
"""

from __future__ import annotations

import itertools
import re

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF = re.compile(rb"xref\s+0 (\d+)\s*\n")
_HEADER = re.compile(rb"(\d+) 0 obj\b")
_REF = re.compile(rb"\b(\d+) 0 R\b")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])\s{2}")


class _Pdf:
    """The objects of one Qt-written PDF, by number, each as written (header to endobj)."""

    def __init__(self, data: bytes) -> None:
        found = _STARTXREF.search(data[-64:])
        if found is None:
            raise ValueError("no startxref")
        start = int(found.group(1))
        table = _XREF.match(data, start)
        if table is None:
            raise ValueError("no classic cross-reference table")
        count, position = int(table.group(1)), table.end()
        offsets: dict[int, int] = {}
        for number in range(count):
            entry = _ENTRY.fullmatch(data, position + 20 * number, position + 20 * number + 20)
            if entry is None:
                raise ValueError("cross-reference entry not understood")
            if entry.group(3) == b"n":
                offsets[number] = int(entry.group(1))
        self.trailer = data[position + 20 * count:]
        self.head = data[:min(offsets.values())]
        ends = [*sorted(offsets.values()), start]
        following = dict(itertools.pairwise(ends))
        self.objects: dict[int, bytes] = {}
        for number, offset in offsets.items():
            body = data[offset:following[offset]]
            header = _HEADER.match(body)
            if header is None or int(header.group(1)) != number or b"endobj" not in body:
                raise ValueError(f"object {number} not where the table says")
            self.objects[number] = body
        self.size = count
        self.root = self._ref(self.trailer, b"/Root")
        self.info = self._ref(self.trailer, b"/Info")
        catalog = self.dictionary(self.root)
        self.pages = self._ref(catalog, b"/Pages")
        self.catalog_refs = {int(n) for n in _REF.findall(catalog)}

    def dictionary(self, number: int) -> bytes:
        """The object's text before its stream, if any (where references may be)."""
        body = self.objects[number]
        cut = body.find(b"stream\n")
        return body if cut < 0 else body[:cut]

    @staticmethod
    def _ref(text: bytes, key: bytes) -> int:
        found = re.search(re.escape(key) + rb"\s+(\d+) 0 R", text)
        if found is None:
            raise ValueError(f"no {key.decode()}")
        return int(found.group(1))

    def kids(self) -> list[int]:
        found = re.search(rb"/Kids\s*\[([^\]]*)\]", self.dictionary(self.pages))
        if found is None:
            raise ValueError("no /Kids")
        return [int(n) for n in _REF.findall(found.group(1))]


def join(first: bytes, second: bytes) -> bytes:
    """One PDF: the pages of *first*, then those of *second* (both from ``QPdfWriter``)."""
    a, b = _Pdf(first), _Pdf(second)
    shift = a.size - 1
    dropped = {b.root, b.info, b.pages} | b.catalog_refs  # catalogue, info, tree, names, metadata
    b_pages = b.kids()

    def renumber(match: re.Match[bytes]) -> bytes:
        number = int(match.group(1))
        if number == b.pages:
            return b"%d 0 R" % a.pages
        if number in dropped:
            raise ValueError(f"a page refers to object {number} of the catalogue")
        return b"%d 0 R" % (number + shift)

    moved: dict[int, bytes] = {}
    for number, body in b.objects.items():
        if number in dropped:
            continue
        cut = body.find(b"stream\n")
        text, stream = (body, b"") if cut < 0 else (body[:cut], body[cut:])
        header = _HEADER.match(text)
        assert header is not None
        text = b"%d 0 obj" % (number + shift) + _REF.sub(renumber, text[header.end():])
        moved[number + shift] = text + stream
    kids = a.kids() + [n + shift for n in b_pages]
    tree = a.objects[a.pages]
    tree, found = re.subn(rb"/Kids\s*\[[^\]]*\]",
                          b"/Kids [" + b" ".join(b"%d 0 R" % n for n in kids) + b"]", tree)
    tree, counted = re.subn(rb"/Count \d+", b"/Count %d" % len(kids), tree)
    if found != 1 or counted != 1:
        raise ValueError("page tree not understood")
    objects = dict(a.objects)
    objects[a.pages] = tree
    objects.update(moved)
    size = max(objects) + 1
    out = bytearray(a.head)
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += objects[number]
        if not objects[number].endswith(b"\n"):
            out += b"\n"
    start = len(out)
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        out += (b"%010d 00000 n \n" % offsets[number] if number in offsets
                else b"0000000000 65535 f \n")
    trailer, sized = re.subn(rb"/Size \d+", b"/Size %d" % size, a.trailer.split(b"startxref")[0])
    if sized != 1:
        raise ValueError("trailer not understood")
    out += trailer + b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)
