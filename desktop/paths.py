"""Every path Keel uses, from one place.

The data folder comes from, in order: an explicit ``--data-dir``, the ``KEEL_DATA_DIR``
environment variable, or platformdirs' per-user data folder. Tests, ``--demo`` and
development all use the same override, so nothing ever touches the real journal by
accident. The folder is created 0700 and every file Keel creates inside it is 0600.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import UsageError, UserError

APP_NAME = "Keel"
APP_ID = "io.github.keel_journal.Keel"
DB_FILENAME = "keel.sqlite3"


class DataDirError(UserError):
    """The data folder cannot be created or written; the message says why in plain words."""


class EmptyDataDir(DataDirError, UsageError):
    """``--data-dir ''`` (or an empty ``KEEL_DATA_DIR``): never the real journal instead."""


@dataclass(frozen=True)
class Paths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def damaged(self) -> Path:
        return self.data_dir / "damaged"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "keel.log"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "keel.lock"

    @property
    def instance_key(self) -> str:
        """A name for the single-instance socket, unique per data folder and user."""
        import hashlib  # only a second launch or the instance server needs it

        digest = hashlib.sha256(str(self.data_dir.resolve()).encode()).hexdigest()[:16]
        return f"keel-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False, roaming=False)


def resolve(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Pick the data folder (argument, then ``KEEL_DATA_DIR``, then platformdirs).

    A folder that is given but empty (``--data-dir ''``, ``KEEL_DATA_DIR=``) is an error,
    never a silent fall-back to the real journal.
    """
    if data_dir is not None:
        if not str(os.fspath(data_dir)).strip():
            raise EmptyDataDir("--data-dir is empty: name the folder of the journal "
                               "(nothing was read or written).")
        chosen: str | os.PathLike[str] = data_dir
    elif "KEEL_DATA_DIR" in os.environ:
        chosen = os.environ["KEEL_DATA_DIR"]
        if not chosen.strip():
            raise EmptyDataDir("KEEL_DATA_DIR is set but empty: name the folder of the "
                               "journal, or unset it (nothing was read or written).")
    else:
        chosen = default_data_dir()
    return Paths(Path(chosen).expanduser().absolute())


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) and make it 0700; raise DataDirError in plain words."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) != 0o700:
            path.chmod(0o700)
        # A probe of its own per process: a fixed name would be deleted by one process
        # while another still expects it (50 parallel `keel write` runs did that).
        import threading

        probe = path / f".keel-write-test-{os.getpid()}-{threading.get_ident()}"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DataDirError(f"Keel cannot write to its data folder {path}: {reason}.") from exc


# SQLite's Unix file layer refuses any file path longer than 512 bytes, and the journal's
# "-wal" and "-shm" companions add 4: past this, opening fails with a bare "unable to open
# database file" that would read like a permissions problem.
MAX_DATABASE_PATH_BYTES = 512 - len("-wal") - 1


def prepare(paths: Paths) -> None:
    """Create the data folder and its private sub-folders."""
    length = len(os.fsencode(paths.database))
    if length > MAX_DATABASE_PATH_BYTES:
        raise DataDirError(
            f"The data folder's path is too long for SQLite: {paths.data_dir} makes the "
            f"journal's path {length} bytes, and SQLite opens at most "
            f"{MAX_DATABASE_PATH_BYTES}. Choose a shorter folder (nothing was written).")
    ensure_private_dir(paths.data_dir)
    for sub in (paths.backups, paths.logs):
        ensure_private_dir(sub)
