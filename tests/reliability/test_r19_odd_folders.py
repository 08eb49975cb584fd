"""R19 — any data folder works: spaces, ``#``, ``?``, ``%``, ``%41``, non-ASCII, a very
long path, a symlink. Each runs the real command line (a child process per command):
write, search, backup, check, export, then encryption (the function the app calls, in a
child process of its own), then write/search/backup/check/export on the encrypted
journal. The entries must be in *that* folder's journal file — not an empty file, not a
sibling outside the folder — and every backup must hold them too.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.reliability.helpers import PYTHON, ROOT, child_env

NAMES = {
    "space": "my notes",
    "hash": "Notes #2",
    "question": "what?now",
    "percent": "100% sure",
    "percent41": "a%41b",
    "uri-ish": "file:x?mode=ro#frag",
    "non-ascii": "Jürgen 日記 🚢",
    "long": "/".join(["segment-" + "x" * 60] * 5),  # ~430 bytes: SQLite's own limit is 512
    "symlink": "->real folder #1",
}
PASS = "correct horse #?% battery"


def _keel(folder: Path, *args: str, passphrase: str | None = None,
          stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    extra = {"KEEL_PASSPHRASE": passphrase} if passphrase else {}
    env = child_env(**extra)
    env.pop("KEEL_DATA_DIR", None)
    return subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(folder), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          input=stdin)


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _entries(database: Path, passphrase: str | None = None) -> list[str]:
    from db.opener import connect

    conn = connect(database, passphrase, readonly=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT body FROM entries").fetchall())
    finally:
        conn.close()


@pytest.mark.parametrize("kind", list(NAMES))
def test_odd_folder_runs_every_command(tmp_path: Path, kind: str, figure) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "parent"
    base.mkdir()
    if kind == "symlink":
        real = base / "real folder #1"
        real.mkdir()
        folder = base / "link to #1"
        folder.symlink_to(real, target_is_directory=True)
    else:
        folder = base / NAMES[kind]
    before_parent = set(os.listdir(base)) | {folder.name.split("/")[0]}

    bodies = [f"zebracorn entry {i} in {kind}" for i in range(3)]
    for body in bodies:
        assert "Saved entry" in _ok(_keel(folder, "write", body))
    assert "zebracorn" in _ok(_keel(folder, "search", "zebracorn"))
    assert "written and checked" in _ok(_keel(folder, "backup"))
    assert "Sound" in _ok(_keel(folder, "check"))
    out = folder / "export #1?.md"
    _ok(_keel(folder, "export", "--format", "md", "-o", str(out)))
    assert out.exists() and out.stat().st_size > 0
    journal = folder / "keel.sqlite3"
    assert _entries(journal) == sorted(bodies)

    # Encrypt, as the Settings page does (the journal closed), in a child process.
    code = ("import sys; from pathlib import Path; from db.crypto import encrypt\n"
            "d = Path(sys.argv[1]); encrypt(d / 'keel.sqlite3', sys.argv[2], d / 'backups')")
    done = subprocess.run([PYTHON, "-c", code, str(folder), PASS], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with pytest.raises(Exception):  # noqa: B017 - not readable as a plain file any more
        _entries(journal)
    assert _entries(journal, PASS) == sorted(bodies)

    bodies.append(f"zebracorn after encryption in {kind}")
    assert "Saved entry" in _ok(_keel(folder, "write", bodies[-1], passphrase=PASS))
    assert "[encryption]" in _ok(_keel(folder, "search", "encryption", passphrase=PASS))
    assert "written and checked" in _ok(_keel(folder, "backup", passphrase=PASS))
    assert "Sound" in _ok(_keel(folder, "check", passphrase=PASS))
    _ok(_keel(folder, "export", "--format", "json", "-o", str(folder / "all %41.json"),
              passphrase=PASS))
    assert "after encryption" in (folder / "all %41.json").read_text(encoding="utf-8")
    assert _entries(journal, PASS) == sorted(bodies)

    backups = sorted((folder / "backups").glob("keel-*.sqlite3"))
    assert backups  # the rotation keeps the newest of the day
    assert _entries(backups[-1], PASS) == sorted(bodies)
    # Nothing was written beside the folder (a `?` once sent entries to a sibling file).
    assert set(os.listdir(base)) <= before_parent
    figure("R19", f"odd folder '{kind}': entries found / written", f"{len(bodies)}/{len(bodies)}",
           "all")


def test_empty_data_dir_is_an_error(tmp_path: Path) -> None:
    for args in (["--data-dir", "", "write", "x"], ["--data-dir=", "search", "x"],
                 ["--data-dir", "", "--startup-report"]):
        env = child_env()
        env["KEEL_DATA_DIR"] = str(tmp_path / "never")
        result = subprocess.run([PYTHON, "-m", "desktop", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "empty" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "never").exists()


def test_too_long_a_folder_says_so(tmp_path: Path) -> None:
    """Past SQLite's 512-byte path limit: one line that names the length, not permissions."""
    folder = tmp_path.joinpath(*(["segment-" + "y" * 90] * 6))
    result = _keel(folder, "write", "never saved")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert "too long" in result.stderr and "Traceback" not in result.stderr
    assert "permission" not in result.stderr.lower()
    assert not folder.exists()


def test_no_hand_built_file_uris() -> None:
    """Only db/opener.py names a SQLite file by URI (Path.as_uri escapes it) or opens a
    connection with a driver; the engine's URL is built from parts (``URL.create``)."""
    import re

    pattern = re.compile(r"""f["']file:|["']file:\{|sqlite:///\{|sqlite:///"\s*\+|"""
                         r"""sqlite3\.connect\(|dbapi2\.connect\(|module\.connect\(""")
    offenders = []
    for folder in ("db", "desktop", "benchmarks", "packaging"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "db" / "opener.py":
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
