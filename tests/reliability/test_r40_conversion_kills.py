"""R40 (Keel's own check, issue 15): encrypting, changing the passphrase and decrypting
survive kill -9 at any moment. Each conversion is killed at points spread over its whole
run; then Keel starts again (``keel check`` with the passphrase that opens the journal),
which finishes or rolls back the conversion. Then the whole data folder is searched for
a canary written in an entry: 0 hits whenever the journal is encrypted, no partial file
left, the journal opens with the expected passphrase and no entry is lost.

Also: ``keel backup`` with a wrong ``KEEL_PASSPHRASE`` leaves nothing, and a plaintext
``.part`` left by a killed backup is removed by encryption."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from db.backup import make_backup
from db.journal import create_entry
from db.journal_file import open_database
from tests.reliability.helpers import NOW, PYTHON, ROOT, child_env, keel, make_journal

CANARY = "canary-7f3a9c-lighthouse"
OLD, NEW = "old passphrase", "new passphrase"
KILL_POINTS = 8  # per conversion


def _plain_template(folder: Path) -> Path:
    paths = make_journal(folder, years=0.1)
    db = open_database(paths.database, paths.backups)
    try:
        create_entry(db, "private", f"the {CANARY} words", ["secret"], when=NOW)
    finally:
        db.close()
    make_backup(paths.database, paths.backups, "daily", NOW.replace(day=1))
    make_backup(paths.database, paths.backups, "manual", NOW)
    # A plaintext partial copy a killed `keel backup` left behind.
    shutil.copyfile(paths.database, paths.backups / "keel-manual-20261127T100000000000Z.sqlite3.part")
    return paths.data_dir


def _entries(data_dir: Path, key: str | None) -> int:
    from db.crypto import open_any

    conn = open_any(data_dir / "keel.sqlite3", key, readonly=True)
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


def _key_that_opens(data_dir: Path) -> str | bool | None:
    from db.crypto import WrongPassphrase, connect, file_is_encrypted

    database = data_dir / "keel.sqlite3"
    if not file_is_encrypted(database):
        return None
    for key in (NEW, OLD):
        try:
            connect(database, key, readonly=True).close()
            return key
        except WrongPassphrase:
            continue
    return False


def _canary_hits(data_dir: Path) -> list[str]:
    needle = CANARY.encode()
    return [str(p.relative_to(data_dir)) for p in data_dir.rglob("*")
            if p.is_file() and needle in p.read_bytes()]


def _partials(data_dir: Path) -> list[str]:
    return [p.name for p in data_dir.rglob("*")
            if ".part" in p.name or "-part" in p.name or "unpacked" in p.name]


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from db.crypto import encrypt

    base = tmp_path_factory.mktemp("conversion templates")
    plain = _plain_template(base / "plain")
    encrypted = base / "encrypted"
    shutil.copytree(plain, encrypted)
    (encrypted / "backups" / "keel-manual-20261127T100000000000Z.sqlite3.part").unlink()
    encrypt(encrypted / "keel.sqlite3", OLD, encrypted / "backups")
    return {"encrypt": plain, "change": encrypted, "decrypt": encrypted}


def _run(template: Path, folder: Path, mode: str, delay: float | None) -> float:
    shutil.copytree(template, folder)
    started = time.monotonic()
    child = subprocess.Popen([PYTHON, str(ROOT / "tests" / "reliability" / "_convert_child.py"),
                              str(folder), mode], cwd=ROOT, env=child_env(folder),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "start"
    if delay is None:
        _out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        return time.monotonic() - started
    time.sleep(delay)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    return time.monotonic() - started


def _next_start(folder: Path) -> None:
    key = _key_that_opens(folder)
    assert key is not False, "the journal opens with neither passphrase"
    env = child_env(folder)
    if key:
        env["KEEL_PASSPHRASE"] = key
    done = subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(folder), "check"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr


@pytest.mark.slow
def test_kill_at_any_point_of_a_conversion(tmp_path: Path, templates: dict[str, Path],
                                           figure) -> None:  # type: ignore[no-untyped-def]
    tried = hits = lost = leftovers = 0
    problems: list[str] = []
    for mode in ("encrypt", "change", "decrypt"):
        template = templates[mode]
        wanted = _entries(template, None if mode == "encrypt" else OLD)
        full = _run(template, tmp_path / f"{mode}-full", mode, None)
        for i in range(KILL_POINTS):
            folder = tmp_path / f"{mode}-{i}"
            _run(template, folder, mode, full * (i + 0.5) / KILL_POINTS)
            tried += 1
            _next_start(folder)
            key = _key_that_opens(folder)
            allowed = {"encrypt": (None, NEW), "change": (OLD, NEW), "decrypt": (OLD, None)}[mode]
            if key not in allowed:
                problems.append(f"{mode} #{i}: opens with {key!r}")
            if _entries(folder, key or None) != wanted:  # type: ignore[arg-type]
                lost += 1
                problems.append(f"{mode} #{i}: entries lost")
            if key:  # encrypted: not a word of it readable anywhere in the folder
                found = _canary_hits(folder)
                hits += len(found)
                if found:
                    problems.append(f"{mode} #{i} ({key}): canary in {found}")
            left = _partials(folder)
            leftovers += len(left)
            if left or (folder / "conversion.json").exists():
                problems.append(f"{mode} #{i}: left {left}")
    figure("R40", "conversion kill points tried", tried, f"{3 * KILL_POINTS}")
    figure("R40", "canary hits after the next start", hits, "0")
    figure("R40", "entries lost", lost, "0")
    figure("R40", "partial files left", leftovers, "0")
    assert problems == []


def test_a_finished_encryption_leaves_no_plaintext(tmp_path: Path, templates: dict[str, Path]) -> None:
    folder = tmp_path / "enc"
    _run(templates["encrypt"], folder, "encrypt", None)
    assert _canary_hits(folder) == [] and _partials(folder) == []
    assert not (folder / "conversion.json").exists()


def test_backup_with_a_wrong_passphrase_leaves_nothing(tmp_path: Path,
                                                       templates: dict[str, Path]) -> None:
    folder = tmp_path / "wrong"
    shutil.copytree(templates["change"], folder)
    before = sorted(p.name for p in (folder / "backups").iterdir())
    env = child_env(folder, KEEL_PASSPHRASE="not the passphrase")
    done = subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(folder), "backup"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert sorted(p.name for p in (folder / "backups").iterdir()) == before


del keel
