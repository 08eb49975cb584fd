"""R21 — writers racing every exclusive operation lose nothing they acknowledged.

Three writer processes run ``keel write`` in a loop (``_race_writer``) while, one after
another, the journal is imported into, encrypted, re-keyed, restored, decrypted and (in
a second test) migrated. Each writer records every entry it was told was saved; at the
end each of those is in the journal — or, for a restore, in the pre-restore backup the
restore kept (going back to a backup is the point of a restore). Writers that meet an
operation wait, then fail with one line and are not counted.

Also here: 40 ``keel write`` processes started at once on a folder that does not exist
yet (the folder probe and the first migration race each other).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from db.opener import connect
from tests.reliability.helpers import PYTHON, ROOT, child_env

FIXTURES = ROOT / "tests" / "fixtures"
PASS1 = "first passphrase"
PASS2 = "second passphrase"


def _writers(folder: Path, work: Path, count: int = 3) -> list[subprocess.Popen[bytes]]:
    env = child_env()
    env.pop("KEEL_DATA_DIR", None)
    env["KEEL_WRITER_WAIT"] = "2"
    return [subprocess.Popen(
        [PYTHON, "-m", "tests.reliability._race_writer", str(folder), f"w{n}",
         str(work / f"acks-{n}.txt"), str(work / "STOP"), str(work / "pass.txt")],
        cwd=ROOT, env=env, stderr=subprocess.PIPE) for n in range(count)]


def _stop(writers: list[subprocess.Popen[bytes]], work: Path) -> str:
    (work / "STOP").touch()
    errors = ""
    for proc in writers:
        _out, err = proc.communicate(timeout=120)
        errors += err.decode(errors="replace")
    return errors


def _acked(work: Path) -> set[str]:
    found: set[str] = set()
    for path in work.glob("acks-*.txt"):
        found |= {line for line in path.read_text(encoding="utf-8").splitlines() if line}
    return found


def _bodies(path: Path, passphrase: str | None) -> set[str]:
    from db.crypto import file_is_encrypted

    conn = connect(path, passphrase if file_is_encrypted(path) else None, readonly=True)
    try:
        return {r[0] for r in conn.execute("SELECT body FROM entries")}
    finally:
        conn.close()


def _count(work: Path) -> int:
    return len(_acked(work))


def _wait_for_more(work: Path, more: int = 3, limit: float = 60) -> None:
    start, deadline = _count(work), time.monotonic() + limit
    while _count(work) < start + more and time.monotonic() < deadline:
        time.sleep(0.1)


def _python(code: str, *args: str) -> None:
    done = subprocess.run([PYTHON, "-c", code, *args], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_writers_racing_every_exclusive_operation(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    folder, work = tmp_path / "journal #1", tmp_path / "work"
    work.mkdir()
    env = child_env()
    env.pop("KEEL_DATA_DIR", None)
    first = subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(folder), "write",
                            "the first entry"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    database, backups = folder / "keel.sqlite3", folder / "backups"
    writers = _writers(folder, work)
    steps: list[str] = []
    try:
        _wait_for_more(work)
        imported = subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(folder),
                                   "import", str(FIXTURES / "jrnl.json"), "--merge"],
                                  cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=300)
        assert imported.returncode == 0, imported.stderr
        steps.append("import")
        _wait_for_more(work)
        (work / "pass.txt").write_text(PASS1, encoding="utf-8")
        _python("import sys; from pathlib import Path; from db.crypto import encrypt\n"
                "encrypt(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))",
                str(database), PASS1, str(backups))
        steps.append("encrypt")
        _wait_for_more(work)
        _python("import sys; from pathlib import Path; from db.crypto import change_passphrase\n"
                "change_passphrase(Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4]))",
                str(database), PASS1, PASS2, str(backups))
        (work / "pass.txt").write_text(PASS2, encoding="utf-8")
        steps.append("change passphrase")
        _wait_for_more(work)
        _python("import sys; from pathlib import Path; from db.backup import make_backup\n"
                "make_backup(Path(sys.argv[1]), Path(sys.argv[2]), 'manual', passphrase=sys.argv[3])",
                str(database), str(backups), PASS2)
        source = sorted(backups.glob("keel-manual-*.sqlite3"))[-1]
        kept = work / "restored-from.sqlite3"
        shutil.copy(source, kept)
        _wait_for_more(work)
        _python("import sys; from pathlib import Path; from db.backup import restore\n"
                "d = Path(sys.argv[2]); restore(Path(sys.argv[1]), d / 'keel.sqlite3', "
                "d / 'backups', d / 'damaged', passphrase=sys.argv[3])",
                str(kept), str(folder), PASS2)
        steps.append("restore")
        _wait_for_more(work)
        _python("import sys; from pathlib import Path; from db.crypto import decrypt\n"
                "decrypt(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))",
                str(database), PASS2, str(backups))
        (work / "pass.txt").unlink()
        steps.append("decrypt")
        _wait_for_more(work)
    finally:
        errors = _stop(writers, work)
    assert "Traceback" not in errors, errors
    acked = _acked(work)
    present = _bodies(database, None)
    pre_restore = set()
    for backup in backups.glob("keel-pre-restore-*.sqlite3"):
        pre_restore |= _bodies(backup, PASS2)
    lost = acked - present - pre_restore
    figure("R21", "writers racing import/encrypt/rekey/restore/decrypt: acknowledged",
           len(acked), ">0")
    figure("R21", "acknowledged entries lost", len(lost), "0")
    assert steps == ["import", "encrypt", "change passphrase", "restore", "decrypt"]
    assert len(acked) >= 15
    assert lost == set()


def test_writers_racing_a_migration(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    folder, work = tmp_path / "old journal?", tmp_path / "work"
    work.mkdir()
    folder.mkdir(mode=0o700)
    (folder / "backups").mkdir(mode=0o700)
    src = connect(FIXTURES / "db" / "rev0001.sqlite3", readonly=True)
    dst = sqlite3.connect(folder / "keel.sqlite3")
    src.backup(dst)
    dst.close()
    src.close()
    before = _bodies(folder / "keel.sqlite3", None)
    writers = _writers(folder, work)
    try:
        _python("import sys; from pathlib import Path; from db.schema import migrate\n"
                "d = Path(sys.argv[1]); migrate(d / 'keel.sqlite3', d / 'backups')",
                str(folder))
        _wait_for_more(work, 10)
    finally:
        errors = _stop(writers, work)
    assert "Traceback" not in errors, errors
    acked = _acked(work)
    present = _bodies(folder / "keel.sqlite3", None)
    figure("R21", "writers racing a migration: acknowledged / lost",
           f"{len(acked)}/{len(acked - present)}", "n/0")
    assert acked and acked <= present and before <= present


def test_forty_parallel_writers_on_a_new_folder(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "fresh" / "journal"
    env = child_env()
    env.pop("KEEL_DATA_DIR", None)
    env["KEEL_WRITER_WAIT"] = "60"
    procs = [subprocess.Popen([PYTHON, "-m", "desktop", "--data-dir", str(folder), "write",
                               f"parallel {n}"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for n in range(40)]
    failures = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0 or "Saved entry" not in out:
            failures.append(err.strip())
    figure("R21", "40 parallel keel write on a new folder: failures", len(failures), "0")
    assert failures == []
    assert _bodies(folder / "keel.sqlite3", None) == {f"parallel {n}" for n in range(40)}
    assert json.dumps(sorted(p.name for p in folder.iterdir() if p.name.startswith(".keel")))\
        == "[]"
