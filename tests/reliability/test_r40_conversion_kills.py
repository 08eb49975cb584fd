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


def _check(folder: Path, key: str | None, *command: str) -> subprocess.CompletedProcess:
    """``keel check`` (or ``command``) with ``key`` as KEEL_PASSPHRASE, no terminal."""
    env = child_env(folder)
    env.pop("KEEL_PASSPHRASE", None)
    if key:
        env["KEEL_PASSPHRASE"] = key
    return subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(folder),
                           *(command or ("check",))],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def _backup_states(folder: Path) -> dict[str, str]:
    """name -> plain / OLD / NEW / unreadable, for every backup."""
    from db.backup import is_packed, list_backups
    from db.crypto import WrongPassphrase, connect, is_plain_file

    states = {}
    for info in list_backups(folder / "backups"):
        if is_packed(info.path) or is_plain_file(info.path):
            states[info.path.name] = "plain"
            continue
        states[info.path.name] = "unreadable"
        for key in (OLD, NEW):
            try:
                connect(info.path, key, readonly=True).close()
                states[info.path.name] = key
                break
            except WrongPassphrase:
                continue
    return states


def _next_start(folder: Path, mode: str, problems: list[str], label: str) -> bool:
    """The next start as someone without the passphrase at hand would do it when the
    journal is plain (`keel check`, no KEEL_PASSPHRASE); if that leaves backups under
    the passphrase, it must say so (exit 1, "Unfinished") and keep the record, and a
    start with the passphrase then finishes. Afterwards every backup matches the journal:
    plain beside a plain journal, under the journal's passphrase beside an encrypted one."""
    key = _key_that_opens(folder)
    assert key is not False, "the journal opens with neither passphrase"
    done = _check(folder, key or None)
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode == 1 and key is None and mode == "decrypt":
        assert "Unfinished" in done.stdout, done.stdout
        assert (folder / "conversion.json").exists(), "the record was dropped"
        waiting = set(_backup_states(folder).values())
        if not waiting <= {"plain", OLD} or OLD not in waiting:
            problems.append(f"{label}: waiting backups are {waiting}")
        done = _check(folder, OLD)  # the passphrase given later (the app asks at start)
        waited = True
    else:
        waited = False
    assert done.returncode == 0, done.stdout + done.stderr
    key = _key_that_opens(folder)
    states = set(_backup_states(folder).values())
    if states - {key or "plain"}:
        problems.append(f"{label}: journal {key or 'plain'}, backups {states}")
    return waited


@pytest.mark.slow
def test_kill_at_any_point_of_a_conversion(tmp_path: Path, templates: dict[str, Path],
                                           figure) -> None:  # type: ignore[no-untyped-def]
    tried = hits = lost = leftovers = waited = 0
    problems: list[str] = []
    for mode in ("encrypt", "change", "decrypt"):
        template = templates[mode]
        wanted = _entries(template, None if mode == "encrypt" else OLD)
        full = _run(template, tmp_path / f"{mode}-full", mode, None)
        for i in range(KILL_POINTS):
            folder = tmp_path / f"{mode}-{i}"
            _run(template, folder, mode, full * (i + 0.5) / KILL_POINTS)
            tried += 1
            waited += _next_start(folder, mode, problems, f"{mode} #{i}")
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
    figure("R40", "decrypt kills whose backups waited for the passphrase (said, exit 1)",
           waited, "—")
    figure("R40", "backups not matching the journal after the next start(s)",
           sum("backups" in p for p in problems), "0")
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


def _half_decrypted(templates: dict[str, Path], folder: Path) -> Path:
    """The state a kill leaves after decrypt swapped the journal and converted one backup:
    built step by step with decrypt's own parts (no timing involved)."""
    from db.backup import list_backups
    from db.crypto import _record, _swap, remove_marker

    shutil.copytree(templates["decrypt"], folder)
    database, backups = folder / "keel.sqlite3", folder / "backups"
    _record(folder, "decrypt", "journal")
    _swap(database, OLD, None)
    remove_marker(folder)
    _record(folder, "decrypt", "backups")
    first = list_backups(backups)[-1].path
    _swap(first, OLD, None)
    return folder


def test_an_interrupted_decrypt_waits_for_the_passphrase(tmp_path: Path, templates: dict[str, Path],
                                                        qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Before: the next start without the passphrase dropped the record and left the
    remaining backups encrypted beside a plain journal, silently. Now it keeps the record,
    `keel check` says "Unfinished" (exit 1), the app's start asks for the passphrase in
    the real dialog (Cancel: asked again next time), and giving it converts the rest."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from db.recovery import backup_key_wanted, resume_conversion
    from desktop.app import _unlock_backups
    from desktop.paths import Paths
    from desktop.ui.application import create_application
    from desktop.ui.dialogs.unlock_dialog import UnlockDialog

    monkeypatch.delenv("KEEL_PASSPHRASE", raising=False)
    folder = _half_decrypted(templates, tmp_path / "half #?%")
    wanted = _entries(folder, None)
    assert set(_backup_states(folder).values()) == {"plain", OLD}
    resume_conversion(folder, folder / "backups", None)  # a start with no passphrase
    assert (folder / "conversion.json").exists()
    assert set(_backup_states(folder).values()) == {"plain", OLD}
    done = _check(folder, None)
    assert done.returncode == 1 and "Unfinished" in done.stdout, done.stdout + done.stderr
    assert "still encrypted" in done.stdout and "Traceback" not in done.stderr
    for command in (["due"], ["export", "--format", "md", "-o", str(tmp_path / "j.md")]):
        done = _check(folder, None, *command)  # every command says so, and still runs
        assert done.returncode in (0, 3), done.stderr
        assert "still encrypted" in done.stderr and "Traceback" not in done.stderr
    asked = backup_key_wanted(folder, folder / "backups")
    assert asked is not None and not asked.lost and asked.count == 1

    create_application()
    seen: dict[str, str] = {}

    def answer(text: str | None) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog):
            QTimer.singleShot(20, lambda: answer(text))
            return
        seen["intro"] = dialog.intro.text()
        if text is None:
            dialog.reject()
            return
        qtbot.keyClicks(dialog.field, text)
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    paths = Paths(folder)
    QTimer.singleShot(0, lambda: answer(None))
    assert _unlock_backups(paths, asked) is None  # Later: nothing changes
    assert "one of its backups still is" in seen["intro"]
    assert (folder / "conversion.json").exists()
    QTimer.singleShot(0, lambda: answer(OLD))
    key = _unlock_backups(paths, asked)
    assert key == OLD
    assert resume_conversion(folder, folder / "backups", key)
    assert set(_backup_states(folder).values()) == {"plain"}
    assert not (folder / "conversion.json").exists() and _partials(folder) == []
    assert backup_key_wanted(folder, folder / "backups") is None
    assert _entries(folder, None) == wanted
    done = _check(folder, None)
    assert done.returncode == 0 and "Sound" in done.stdout, done.stdout


def test_keel_passphrase_finishes_an_interrupted_decrypt(tmp_path: Path,
                                                        templates: dict[str, Path]) -> None:
    folder = _half_decrypted(templates, tmp_path / "half")
    done = _check(folder, "not the passphrase")
    assert done.returncode == 1 and "Unfinished" in done.stdout, done.stdout + done.stderr
    assert set(_backup_states(folder).values()) == {"plain", OLD}  # nothing shredded
    done = _check(folder, OLD)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(_backup_states(folder).values()) == {"plain"}
    assert not (folder / "conversion.json").exists()


def test_the_app_start_finishes_an_interrupted_decrypt_with_keel_passphrase(
        tmp_path: Path, templates: dict[str, Path]) -> None:
    """The whole start-up (``desktop.app``): the journal is plain, so no unlock is asked;
    the backups' passphrase from KEEL_PASSPHRASE finishes them before the window opens."""
    folder = _half_decrypted(templates, tmp_path / "half")
    done = subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(folder), "--startup-report"],
                          cwd=ROOT, env=child_env(folder, KEEL_PASSPHRASE=OLD),
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert set(_backup_states(folder).values()) == {"plain"}
    assert not (folder / "conversion.json").exists()
    log = (folder / "logs" / "keel.log").read_text()
    assert OLD not in log and CANARY not in log
