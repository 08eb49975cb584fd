"""R20 — the error boundary for *every* command: with another program holding the write
lock, on a full disk and with a read-only journal file, each `keel` subcommand either
works or says what happened in one line on stderr with a documented exit code (README,
"Exit codes"): never a traceback, never journal text, never "damaged" for a journal that
is only locked or on a full disk.

The list of commands is read from the parser, so a new subcommand fails here until it is
given a case below.
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
NOBODY = 65534


def _cases(folder: Path, out: Path) -> dict[str, list[str]]:
    backups = sorted((folder / "backups").glob("keel-*"))
    return {
        "demo": ["demo", "--years", "0.05", "--force"],
        "write": ["write", f"another entry {SECRET}"],
        "due": ["due"],
        "autostart": ["autostart", "status"],
        "backup": ["backup"],
        "restore": ["restore", str(backups[0])],
        "check": ["check"],
        "export": ["export", "--format", "md", "-o", str(out / "out.md")],
        "search": ["search", "zebracorn"],
        "import": ["import", str(FIXTURES / "jrnl.json"), "--merge"],
        "remind": ["remind", "--dry-run"],
        "reminders": ["reminders", "status"],
    }


COMMAND_NAMES = ["demo", "write", "due", "autostart", "backup", "restore", "check", "export",
                 "search", "import", "remind", "reminders"]
"""Every subcommand (``test_every_command_has_a_case`` keeps it equal to the parser's)."""

WRITERS = {"demo", "write", "backup", "restore", "import"}
"""Commands that must write to the journal or its folder to succeed."""

ALLOWED = {
    "lock": {Kind.BUSY},
    "full": {Kind.DISK_FULL, Kind.DISK_ERROR},
    "read-only": {Kind.READ_ONLY, Kind.PERMISSION},
}


def test_every_command_has_a_case(tmp_path: Path) -> None:
    from desktop.cli import COMMANDS, build_parser

    build_parser()
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "keel-manual-x.sqlite3").touch()
    assert set(COMMANDS) == set(_cases(tmp_path, tmp_path)) == set(COMMAND_NAMES)


def _run(folder: Path, args: list[str], user: int | None = None) -> subprocess.CompletedProcess[str]:
    env = child_env()
    env.pop("KEEL_DATA_DIR", None)
    env.pop("KEEL_PASSPHRASE", None)
    command = [PYTHON, "-m", "desktop", "--data-dir", str(folder), *args]
    if user is not None:
        env["HOME"] = str(folder.parent)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups",
                   *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def _journal(folder: Path, user: int | None = None) -> None:
    for i in range(3):
        done = _run(folder, ["write", f"entry {i} {SECRET}"], user)
        assert done.returncode == 0, done.stderr
    done = _run(folder, ["backup"], user)
    assert done.returncode == 0, done.stderr


def _judge(condition: str, name: str, result: subprocess.CompletedProcess[str],
           figure) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.stderr, result.stderr
    assert SECRET not in result.stderr + result.stdout or name in ("search", "export")
    figure("R20", f"{condition}: keel {name} exit code", result.returncode, "0 or its kind")
    if result.returncode in (0, 3):  # worked (3: `keel due` found prompts due)
        assert name not in WRITERS or condition != "lock", result.stdout
        return
    assert result.stderr.startswith("keel: ") and result.stderr.count("\n") == 1, result.stderr
    codes = {EXIT_CODES[kind] for kind in ALLOWED[condition]}
    assert result.returncode in codes, (result.returncode, result.stderr)
    assert "damaged" not in result.stdout.lower() + result.stderr.lower()


@pytest.fixture(scope="module")
def locked() -> Iterator[tuple[Path, Path]]:
    top = Path(tempfile.mkdtemp(prefix="keel-locked-"))
    folder, out = top / "journal", top / "out"
    out.mkdir()
    _journal(folder)
    holder = sqlite3.connect(folder / "keel.sqlite3", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE entries SET title = title")
    try:
        yield folder, out
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        assert len(sqlite3.connect(folder / "keel.sqlite3").execute(
            "SELECT id FROM entries").fetchall()) == 3
        assert not (folder / "damaged").exists() or not any((folder / "damaged").iterdir())
        shutil.rmtree(top, ignore_errors=True)


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_under_a_held_lock(locked: tuple[Path, Path], name: str,
                                         figure) -> None:  # type: ignore[no-untyped-def]
    folder, out = locked
    _judge("lock", name, _run(folder, _cases(folder, out)[name]), figure)


@pytest.fixture(scope="module")
def full_disk() -> Iterator[tuple[Path, Path]]:
    """A journal on a 4 MB tmpfs filled to its last bytes (root only)."""
    with small_tmpfs("4m", "0755") as point:
        folder, out = point / "journal", point / "out"
        out.mkdir()
        _journal(folder)
        fill_disk(point)
        yield folder, out


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_on_a_full_disk(full_disk: tuple[Path, Path], name: str,
                                      figure) -> None:  # type: ignore[no-untyped-def]
    folder, out = full_disk
    _judge("full", name, _run(folder, _cases(folder, out)[name]), figure)


@pytest.fixture(scope="module")
def read_only() -> Iterator[tuple[Path, Path, int | None]]:
    """A journal whose file is read-only, owned by an unprivileged user when run as root
    (root ignores file permissions)."""
    top = Path(tempfile.mkdtemp(prefix="keel-ro-"))
    top.chmod(0o755)
    user = NOBODY if os.geteuid() == 0 else None
    if user is not None:
        os.chown(top, user, user)
    folder, out = top / "journal", top / "out"
    out.mkdir()
    if user is not None:
        os.chown(out, user, user)
    _journal(folder, user)
    (folder / "keel.sqlite3").chmod(0o444)
    try:
        yield folder, out, user
    finally:
        shutil.rmtree(top, ignore_errors=True)


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_on_a_read_only_journal(read_only: tuple[Path, Path, int | None],
                                              name: str, figure) -> None:  # type: ignore[no-untyped-def]
    folder, out, user = read_only
    before = (folder / "keel.sqlite3").read_bytes()
    _judge("read-only", name, _run(folder, _cases(folder, out)[name], user), figure)
    assert (folder / "keel.sqlite3").read_bytes() == before
