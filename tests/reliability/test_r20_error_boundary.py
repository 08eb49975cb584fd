"""R20 — one error boundary: a held lock, a read-only journal file and a full disk give
every command (write, search, import, export) one line on stderr and a documented exit
code (README, "Exit codes"), never a traceback; nothing acknowledged is lost, and the
log says what failed without a word of the journal's text.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.failures import EXIT_CODES, Kind
from tests.reliability.helpers import PYTHON, ROOT, child_env, fill_disk, small_tmpfs

FIXTURES = ROOT / "tests" / "fixtures"
SECRET = "zebracorn-secret-words"


def _run(folder: Path, *args: str, user: int | None = None,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = child_env()
    env.pop("KEEL_DATA_DIR", None)
    command = [PYTHON, "-m", "desktop", "--data-dir", str(folder), *args]
    if user is not None:
        env["HOME"] = str(folder.parent)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups",
                   *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, input=stdin)


def _one_line(result: subprocess.CompletedProcess[str], kind: Kind) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("keel: ")
    assert result.returncode == EXIT_CODES[kind], (result.returncode, result.stderr)
    assert SECRET not in result.stderr


def _commands(folder: Path, out_dir: Path) -> dict[str, list[str]]:
    return {
        "write": ["write", f"another entry {SECRET}"],
        "search": ["search", "zebracorn"],
        "import": ["import", str(FIXTURES / "jrnl.json"), "--merge"],
        "export": ["export", "--format", "md", "-o", str(out_dir / "out.md")],
    }


def _journal(folder: Path, entries: int = 3) -> None:
    for i in range(entries):
        result = _run(folder, "write", f"entry {i} {SECRET}")
        assert result.returncode == 0, result.stderr


def _bodies(folder: Path) -> list[str]:
    conn = sqlite3.connect(folder / "keel.sqlite3")
    try:
        return [r[0] for r in conn.execute("SELECT body FROM entries ORDER BY id")]
    finally:
        conn.close()


def _log_text(folder: Path) -> str:
    logs = folder / "logs"
    return "".join(p.read_text(errors="replace") for p in logs.glob("keel.log*")) \
        if logs.is_dir() else ""


def test_lock_held_by_another_connection(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "journal"
    _journal(folder)
    holder = sqlite3.connect(folder / "keel.sqlite3", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE entries SET title = title")
    try:
        for name, args in _commands(folder, tmp_path).items():
            result = _run(folder, *args)
            _one_line(result, Kind.BUSY)
            figure("R20", f"held lock: keel {name} exit code", result.returncode, "4")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(_bodies(folder)) == 3
    assert SECRET not in _log_text(folder)
    # The lock was not mistaken for damage: nothing was set aside.
    assert not (folder / "damaged").exists() or not any((folder / "damaged").iterdir())


@pytest.fixture
def nobody_folder() -> Iterator[tuple[Path, int | None]]:
    """A data folder owned by an unprivileged user (root ignores file permissions)."""
    top = Path(tempfile.mkdtemp(prefix="keel-ro-"))
    top.chmod(0o755)
    user = 65534 if os.geteuid() == 0 else None
    if user is not None:
        os.chown(top, user, user)
    try:
        yield top, user
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_read_only_journal_file(nobody_folder: tuple[Path, int | None], figure) -> None:  # type: ignore[no-untyped-def]
    top, user = nobody_folder
    folder = top / "journal"
    for i in range(3):
        assert _run(folder, "write", f"entry {i} {SECRET}", user=user).returncode == 0
    (folder / "keel.sqlite3").chmod(0o444)
    before = (folder / "keel.sqlite3").read_bytes()
    results = {}
    for name, args in _commands(folder, top).items():
        result = _run(folder, *args, user=user)
        results[name] = result.returncode
        if name in ("search", "export") and result.returncode == 0:
            continue  # reading a read-only journal is fine
        _one_line(result, Kind.READ_ONLY if result.returncode == 6 else Kind.PERMISSION)
    assert results["write"] in (6, 7) and results["import"] in (6, 7)
    figure("R20", "read-only journal: exit codes write/search/import/export",
           "/".join(str(results[n]) for n in ("write", "search", "import", "export")),
           "6|7 for writes")
    assert (folder / "keel.sqlite3").read_bytes() == before
    assert SECRET not in _log_text(folder)


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 3 MB tmpfs (root only); skipped where mounting is not allowed."""
    with small_tmpfs("3m", "0755") as point:
        yield point


def test_full_disk(small_disk: Path, tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    folder = small_disk / "journal"
    _journal(folder)
    acknowledged = _bodies(folder)
    big = tmp_path / "big.json"
    import json

    big.write_text(json.dumps({"entries": [
        {"date": "2024-01-02", "time": "09:00", "title": f"t{i}", "body": "x" * 4000,
         "tags": []} for i in range(400)], "tags": {}}), encoding="utf-8")
    fill_disk(small_disk)
    commands = _commands(folder, small_disk)
    commands["write"] = ["write"]  # the text from standard input
    commands["import"] = ["import", str(big), "--format", "jrnl", "--merge"]
    codes = {}
    for name, args in commands.items():
        result = _run(folder, *args, stdin="y" * 300_000 if name == "write" else None)
        codes[name] = result.returncode
        if name == "search" and result.returncode == 0:
            continue
        _one_line(result, Kind.DISK_FULL)
    figure("R20", "full disk: exit codes write/search/import/export",
           "/".join(str(codes[n]) for n in ("write", "search", "import", "export")),
           "5 (search may succeed)")
    (small_disk / "filler").unlink()
    assert _bodies(folder) == acknowledged
    assert not (small_disk / "out.md").exists()
    assert SECRET not in _log_text(folder)
    assert "y" * 50 not in _log_text(folder)
