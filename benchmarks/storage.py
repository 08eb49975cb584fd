"""Storage figures (issue 20): what a journal costs on disk, and the first search.

For each size, a synthetic jrnl export of one 300-word entry a day
(``benchmarks/synthetic.py``, cached in ``benchmarks/.cache``) is imported into a new,
empty data folder with ``keel import --format jrnl``, as the issue's comparison did. Then:

- **journal ÷ text**: the journal file (after the import's last checkpoint) over the
  UTF-8 bytes of the entries' titles, bodies and tags;
- **first search after import**: ``keel search WORD`` run once, straight after the
  import, as a process, in F; then the median of the next runs, for comparison;
- **backup folder ÷ journal**: one real ``keel backup`` is made and timed; every backup
  is a full compressed copy of about the same size, so the default rotation
  (``db.backup.keep_set``, with its size budget of 3 × the journal) is replayed with that
  size over 400 days of one backup a day: the copies kept at the end and the largest the
  folder ever was, ÷ the journal. The same with this update's pre-migration backup, and
  for the issue's worst case — 22 copies the count rotation alone would keep (7 days, 2
  more weeks, 5 more months, 5 before updates, 3 before restores). Each is shown beside
  what the count rotation alone (before the budget) would keep.

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


def _replay(copy: int, journal: int, budget: bool, updates: tuple[int, ...] = (),
            days: int = 400) -> tuple[int, float]:
    """Replay *days* of one backup a day of *copy* bytes (and one before each update day)
    through the rotation; (copies kept at the end, largest folder ÷ *journal*)."""
    from db.backup import BackupInfo, budget_for, keep_set

    limit = budget_for(journal) if budget else None
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    kept: list[BackupInfo] = []
    worst = 0
    for day in range(days):
        made = [BackupInfo(Path(f"/d{day}"), "daily", start + timedelta(days=day), copy)]
        if days - day in updates:
            made.insert(0, BackupInfo(Path(f"/u{day}"), "pre-migration",
                                      start + timedelta(days=day, hours=-1), copy))
        for new in made:
            kept.append(new)
            chosen = keep_set(kept, limit, new.path)
            kept = [b for b in kept if b.path in chosen]
            worst = max(worst, sum(b.size for b in kept))
    return len(kept), worst / journal


def worst_case(copy: int, journal: int, budget: bool) -> tuple[int, float]:
    """The issue's worst case: 22 copies the count rotation alone keeps (see above)."""
    from db.backup import BackupInfo, budget_for, keep_set

    now = datetime(2026, 11, 27, 10, tzinfo=UTC)  # a Friday

    def made(kind: str, days: int) -> BackupInfo:
        return BackupInfo(Path(f"/{kind}{days}"), kind, now - timedelta(days=days), copy)

    backups = [made("daily", d) for d in (0, 1, 2, 3, 4, 5, 6, 13, 20, 34, 62, 93, 123, 154)]
    backups += [made("pre-migration", d) for d in (8, 40, 70, 100, 130)]
    backups += [made("pre-restore", d) for d in (9, 50, 150)]
    chosen = keep_set(backups, budget_for(journal) if budget else None, backups[0].path)
    return len(chosen), len(chosen) * copy / journal


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
        print(f"{'keel backup (one, compressed)':<34} {size:>6}  {wall:7.3f} s  "
              f"{one / journal:5.2f} × the journal ({one / 1e6:.1f} MB)", flush=True)
        for label, figures in (
                ("a year of days", lambda b: _replay(one, journal, b)),
                ("… and this update's pre-migration", lambda b: _replay(one, journal, b, (30,))),
                ("the issue's worst case", lambda b: worst_case(one, journal, b))):
            count_only, budgeted = figures(False), figures(True)
            print(f"{'backup folder ÷ journal':<34} {size:>6}  {budgeted[1]:7.2f} ×   "
                  f"{budgeted[0]} copies: {label}   target ≤ 3 ×   (count rotation alone: "
                  f"{count_only[0]} copies, {count_only[1]:.2f} ×)", flush=True)
        del floor_s
    finally:
        shutil.rmtree(data, ignore_errors=True)
