"""Storage figures (issue 20): what a journal costs on disk, and the first search.

For each size, a synthetic jrnl export of one 300-word entry a day
(``benchmarks/synthetic.py``, cached in ``benchmarks/.cache``) is imported into a new,
empty data folder with ``keel import --format jrnl``, as the issue's comparison did. Then:

- **journal ÷ text**: the journal file (after the import's last checkpoint) over the
  UTF-8 bytes of the entries' titles, bodies and tags;
- **first search after import**: ``keel search WORD`` run once, straight after the
  import, as a process, in F; then the median of the next runs, for comparison;
- **backup folder ÷ journal**: one real ``keel backup`` is made and timed; every backup
  of the default rotation is a full compressed copy of the same journal, so the folder
  holds *N* times its size, where *N* is what ``db.backup.keep_set`` keeps after a year
  of one backup a day (13), plus the pre-migration backup this update makes (14);
  the issue's worst case, 22 copies, is shown too.

Nothing here asserts: it reports.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
WORD = "vesting"
WORST_CASE_COPIES = 22
"""7 daily + 4 weekly + 6 monthly + 5 pre-update, as the issue counts them."""


def export_file(years: float) -> tuple[Path, int]:
    """The cached jrnl export for *years* and the bytes of entry text it holds."""
    from benchmarks.synthetic import entries, text_bytes

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"jrnl-{years:g}y.json"
    size_file = CACHE / f"jrnl-{years:g}y.text-bytes"
    if not path.exists() or not size_file.exists():
        items = entries(years)
        part = path.with_suffix(".part")
        part.write_text(json.dumps({"tags": {}, "entries": items}), encoding="utf-8")
        part.replace(path)
        size_file.write_text(str(text_bytes(items)))
    return path, int(size_file.read_text())


def steady_copies(days: int = 400) -> int:
    """How many backups the default rotation keeps after *days* of one backup a day."""
    from db.backup import BackupInfo, keep_set

    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    kept: list[BackupInfo] = []
    for day in range(days):
        kept.append(BackupInfo(Path(f"/{day}"), "daily", start + timedelta(days=day), 1))
        keep = keep_set(kept)
        kept = [b for b in kept if b.path in keep]
    return len(kept)


def run(years: float, keel: list[str], run_once: Any, runs: int, floor_s: float,
        add: Any) -> None:
    """Import, measure and print the storage figures for one size (see the docstring)."""
    size = f"{years:g}y"
    source, text = export_file(years)
    data = Path(tempfile.mkdtemp(prefix="keel-storage-"))
    try:
        wall, _peak, _out = run_once([*keel, "--data-dir", str(data), "import", "--format", "jrnl",
                                      str(source)])
        print(f"{'keel import --format jrnl':<34} {size:>6}  {wall:7.3f} s  "
              f"(index built in the same transaction)", flush=True)
        journal = (data / "keel.sqlite3").stat().st_size
        ratio = journal / text
        print(f"{'journal ÷ entry text':<34} {size:>6}  {ratio:7.2f} ×   "
              f"({journal / 1e6:.1f} MB for {text / 1e6:.1f} MB)   target ≤ 2 ×", flush=True)
        first, _peak, _out = run_once([*keel, "--data-dir", str(data), "search", WORD])
        add("first keel search after import", size, first, "as fast as any other")
        later = [run_once([*keel, "--data-dir", str(data), "search", WORD])[0]
                 for _ in range(runs)]
        add("keel search, later runs (median)", size, statistics.median(later), "—")
        wall, _peak, _out = run_once([*keel, "--data-dir", str(data), "backup"])
        backups = sorted((data / "backups").glob("keel-*"))
        one = sum(p.stat().st_size for p in backups)
        steady = steady_copies()
        print(f"{'keel backup (one, compressed)':<34} {size:>6}  {wall:7.3f} s  "
              f"{one / journal:5.2f} × the journal ({one / 1e6:.1f} MB)", flush=True)
        for label, copies in (("default rotation, a year of days", steady),
                              ("and this update's pre-migration", steady + 1),
                              ("the issue's worst case", WORST_CASE_COPIES)):
            print(f"{'backup folder ÷ journal':<34} {size:>6}  {copies * one / journal:7.2f} ×   "
                  f"{copies} copies: {label}   target ≤ 3 ×", flush=True)
        del floor_s
    finally:
        shutil.rmtree(data, ignore_errors=True)
