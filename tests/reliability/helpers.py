"""Shared helpers for the reliability checks: journals, child processes, damage."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def child_env(data_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment for a child Keel: offscreen, this source tree first, a private folder."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    if data_dir is not None:
        env["KEEL_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def keel(*args: str, data_dir: Path, timeout: float = 60, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    """Run ``python -m desktop --data-dir DIR ARGS`` to completion."""
    return subprocess.run(
        [PYTHON, "-m", "desktop", "--data-dir", str(data_dir), *args],
        cwd=ROOT, env=child_env(data_dir), capture_output=True, text=True, timeout=timeout, **kw)


def sha(text: str | bytes) -> str:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_journal(folder: Path, years: float = 0.5):  # type: ignore[no-untyped-def]
    """A migrated journal with demo data in ``folder`` (prepared 0700); returns Paths."""
    from db.journal_file import open_database
    from desktop.demo import generate
    from desktop.paths import Paths, prepare

    paths = Paths(folder)
    prepare(paths)
    db = open_database(paths.database, paths.backups)
    try:
        generate(db, years, NOW)
    finally:
        db.close()
    return paths


def entry_rows(path: Path) -> dict[int, str]:
    """id -> sha of (title, body) for every entry, read through the one opener (a compressed
    backup through ``db.backup.unpacked``)."""
    from db.backup import unpacked
    from db.opener import connect

    with unpacked(path) as plain:
        conn = connect(plain, readonly=True)  # the one opener: any folder name
        try:
            return {i: sha(f"{t}\x00{b}") for i, t, b in
                    conn.execute("SELECT id, title, body FROM entries")}
        finally:
            conn.close()


def table_counts(path: Path) -> dict[str, int]:
    from db.opener import connect

    conn = connect(path, readonly=True)
    try:
        # The search index (its queue and FTS5's shadow tables) is derived from the rows,
        # not user data: migration 0003 rebuilds it in another shape.
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'search\\_%' ESCAPE '\\'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def private_violations(folder: Path) -> list[str]:
    """Files with group/other permission bits and folders not 0700 under ``folder``."""
    bad = []
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            mode = os.stat(os.path.join(root, d)).st_mode & 0o777
            if mode != 0o700:
                bad.append(f"{os.path.join(root, d)} {oct(mode)}")
        for f in files:
            p = os.path.join(root, f)
            if os.path.islink(p) or not os.path.exists(p):
                continue
            mode = os.stat(p).st_mode & 0o777
            if mode & 0o077:
                bad.append(f"{p} {oct(mode)}")
    mode = folder.stat().st_mode & 0o777
    if mode != 0o700:
        bad.append(f"{folder} {oct(mode)}")
    return bad


@contextmanager
def small_tmpfs(size: str, mode: str = "0700") -> Iterator[Path]:
    """A real, small filesystem (tmpfs of *size*, e.g. ``"4m"``) for full-disk tests,
    unmounted afterwards; the test is skipped where mounting is not allowed (not root)."""
    import pytest

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root")
    point = Path(tempfile.mkdtemp(prefix="keel-full-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode={mode}", "tmpfs",
                           str(point)], capture_output=True, text=True)
    if done.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
        point.rmdir()


def fill_disk(folder: Path) -> Path:
    """Fill *folder*'s filesystem to the last byte; the filler file, to delete to free it.
    Unbuffered, so closing the file cannot fail on the full disk."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError:
                continue
    return filler


def kill_writer_repeatedly(path: Path, writer: str, cycles: int, seed: int,
                           check: Callable[[Path, dict[int, int]], list[str]],
                           ) -> tuple[dict[int, int], list[str]]:
    """Start ``tests/reliability/<writer>`` on the journal at *path* *cycles* times and
    SIGKILL it at a random moment once it has acknowledged its first write. Each line it
    printed is ``<id> <value>`` (an acknowledged write); after every kill *check* gets
    everything acknowledged so far and returns what is wrong. Returns the acknowledged
    writes and the problems, each named by its cycle."""
    import random
    import signal
    import time

    rng = random.Random(seed)
    acknowledged: dict[int, int] = {}
    problems: list[str] = []
    for cycle in range(cycles):
        child = subprocess.Popen([PYTHON, str(ROOT / "tests" / "reliability" / writer),
                                  str(path), str(cycle)],
                                 cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        first = child.stdout.readline()  # it is writing: kill it at a random moment
        assert first, f"{writer} died before its first write"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        out = first + child.stdout.read()
        child.wait()
        for line in out.splitlines():
            ident, value = map(int, line.split())
            acknowledged[ident] = value
        problems += [f"cycle {cycle}: {p}" for p in check(path, acknowledged)]
    return acknowledged, problems
