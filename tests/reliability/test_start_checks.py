"""The start-up checks are one step of the journal's lifecycle
(``desktop.lifecycle.check_at_start``): the window supplies only the questions.

Real journals (plain and SQLCipher) in temporary folders; the "asker" answers as a user
at the unlock dialog would (a passphrase, or cancel).
"""

from __future__ import annotations

from pathlib import Path

from desktop.app import LaunchOptions
from desktop.lifecycle import check_at_start
from tests.reliability.helpers import entry_rows, make_journal

KEY = "correct horse"


class Answers:
    """A user at the unlock dialogs: gives ``journal`` / ``backups`` (None: cancel)."""

    def __init__(self, journal: str | None = None, backups: str | None = None) -> None:
        self.given = {"journal": journal, "backups": backups}
        self.asked: list[str] = []

    def journal(self) -> str | None:
        self.asked.append("journal")
        return self.given["journal"]

    def backups(self, wanted: object) -> str | None:
        self.asked.append("backups")
        return self.given["backups"]


def test_a_plain_journal_asks_nothing_and_names_each_phase(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "data", years=0.1)
    phases: list[str] = []
    answers = Answers()
    found = check_at_start(paths, LaunchOptions(), answers, phases.append)
    assert (found.passphrase, found.problem, found.cancelled) == (None, None, False)
    assert answers.asked == [] and phases == ["schema"]


def test_an_encrypted_journal_is_unlocked_before_anything_reads_it(tmp_path: Path) -> None:
    from db.crypto import encrypt

    paths = make_journal(tmp_path / "data", years=0.1)
    encrypt(paths.database, KEY, paths.backups)
    phases: list[str] = []
    found = check_at_start(paths, LaunchOptions(), Answers(journal=KEY), phases.append)
    assert found.passphrase == KEY and found.problem is None and not found.cancelled
    assert phases == ["unlock", "schema"]


def test_cancelling_the_unlock_changes_nothing(tmp_path: Path) -> None:
    from db.crypto import encrypt

    paths = make_journal(tmp_path / "data", years=0.1)
    encrypt(paths.database, KEY, paths.backups)
    before = paths.database.read_bytes()
    found = check_at_start(paths, LaunchOptions(), Answers(journal=None))
    assert found.cancelled and found.passphrase is None
    assert paths.database.read_bytes() == before


def test_a_lost_journal_is_noticed_and_its_backup_offered(tmp_path: Path) -> None:
    from db.backup import make_backup

    paths = make_journal(tmp_path / "data", years=0.2)
    wanted = len(entry_rows(paths.database))
    make_backup(paths.database, paths.backups)
    paths.database.unlink()
    options = LaunchOptions()
    found = check_at_start(paths, options, Answers())
    assert found.problem is not None and options.recovery is not None
    assert wanted > 0 and not paths.database.exists()  # nothing created in its place


def test_a_journal_in_good_order_is_checked_without_the_backup_modules(tmp_path: Path) -> None:
    """The checks run before the window appears: for a journal in good order they read a
    few bytes and stat a few files, and import neither the backup module (gzip, hashes)
    nor SQLCipher's, which cost ~30 ms of the first window's time."""
    import subprocess
    import sys

    from tests.reliability.helpers import ROOT, child_env

    paths = make_journal(tmp_path / "data", years=0.1)
    script = ("import sys\nfrom desktop.app import LaunchOptions\n"
              "from desktop.lifecycle import check_at_start\nfrom desktop.paths import Paths\n"
              "class Ask:\n    def journal(self): return None\n"
              "    def backups(self, wanted): return None\n"
              "from pathlib import Path\n"
              f"found = check_at_start(Paths(Path({str(paths.data_dir)!r})), LaunchOptions(), Ask())\n"
              "assert found.problem is None and not found.cancelled, found\n"
              "print(sorted(m for m in ('db.backup', 'gzip', 'db.crypto', 'sqlalchemy') "
              "if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-1500:]
    assert done.stdout.strip() == "[]", done.stdout
