"""A synthetic jrnl export: one 300-word entry a day, for the storage benchmarks.

    python benchmarks/synthetic.py YEARS OUT.json

The words are drawn with Zipf's law (the n-th commonest word about 1/n as often as the
first, as in prose) from a fixed vocabulary: every distinct word in Keel's own prompt
library and docs, so the text has real English word lengths. The same seed gives the
same journal. Imported with ``keel import --format jrnl``, as the issue's comparison with
jrnl and RedNotebook did.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_ENTRY = 300


def vocabulary() -> list[str]:
    """Distinct lower-case words of Keel's docs and prompts, commonest first, then the
    words only its source code has (a longer tail, as a real vocabulary has)."""
    counts: dict[str, int] = {}
    prose = [*sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "resources").rglob("*.json"))]
    code = [*sorted((ROOT / "db").rglob("*.py")), *sorted((ROOT / "desktop").rglob("*.py"))]
    for weight, paths in ((1000, prose), (1, code)):
        for path in paths:
            text = path.read_text("utf-8").lower()
            for word in re.findall(r"[a-z][a-z'-]{0,20}[a-z]|[a-z]", text):
                counts[word] = counts.get(word, 0) + weight
    return sorted(counts, key=lambda w: (-counts[w], w))


def entries(years: float, seed: int = 1) -> list[dict[str, object]]:
    rng = random.Random(seed)
    words = vocabulary()
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    days = round(years * 365)
    start = date(2026, 1, 1) - timedelta(days=days)
    out = []
    for day in range(days):
        picked = rng.choices(words, cum_weights=weights, k=WORDS_PER_ENTRY)
        sentences, i = [], 0
        while i < len(picked):
            n = rng.randint(8, 20)
            sentence = " ".join(picked[i:i + n])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            i += n
        paragraphs = [" ".join(sentences[j:j + 5]) for j in range(0, len(sentences), 5)]
        out.append({
            "title": " ".join(picked[:4]).capitalize(),
            "body": "\n\n".join(paragraphs),
            "date": (start + timedelta(days=day)).isoformat(),
            "time": f"{rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}",
            "tags": [f"@{rng.choice(words[:40])}"] if rng.random() < 0.3 else [],
            "starred": False,
        })
    return out


def text_bytes(items: list[dict[str, object]]) -> int:
    """UTF-8 bytes of the entry text (titles, bodies, tags): what the journal holds."""
    return sum(len(str(e["title"]).encode()) + len(str(e["body"]).encode())
               + sum(len(t.encode()) - 1 for t in e["tags"]) for e in items)  # type: ignore[attr-defined]


def write(years: float, target: Path) -> int:
    """Write the export to *target*; return the size of its entry text in bytes."""
    items = entries(years)
    target.write_text(json.dumps({"tags": {}, "entries": items}), encoding="utf-8")
    return text_bytes(items)


if __name__ == "__main__":
    print(write(float(sys.argv[1]), Path(sys.argv[2])))
