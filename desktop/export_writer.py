"""Write an export file atomically, private to the user.

Markdown, HTML and JSON are written as plain Python: a temporary file in the target's
folder (mode 0600), the chunks, ``fsync``, then ``os.replace`` over the target — so a
failure at any point leaves the old file exactly as it was. Where the system allows it
(Linux, most local file systems) the temporary file has no name until it is complete
(``O_TMPFILE``), so even a process killed mid-write leaves nothing of the export behind;
elsewhere it is a hidden ``.NAME.XXXXXXXX.part``. PDF goes through Qt
(:mod:`desktop.ui.pdf_export`, whose ``QSaveFile`` works the same way).

Every failure becomes an :class:`ExportWriteError` whose message says what to do.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from desktop.export_errors import ExportCancelled, ExportWriteError
from desktop.export_markdown import LaterEntries, markdown

__all__ = ["FORMATS", "SUFFIXES", "ExportCancelled", "ExportWriteError"]

FORMATS = ("md", "html", "pdf", "json")
SUFFIXES = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json"}


def _explain(path: Path, exc: OSError) -> ExportWriteError:
    reason = exc.strerror or str(exc)
    return ExportWriteError(
        f"Could not write {path}: {reason}. Choose another folder; "
        "any existing file there was left untouched."
    )


def write_atomic(path: Path, chunks: Iterable[str | bytes],
                 cancelled: Callable[[], bool] | None = None) -> Path:
    """Write text *chunks* to *path* atomically with mode 0600; returns *path*.

    A chunk may also be text already encoded as UTF-8 (``bytes``), written as it is.
    *cancelled* is polled between chunks; when it returns True the temporary file is
    removed and :class:`ExportCancelled` raised.
    """
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportWriteError(f"{path} is a folder; choose a file name.")
    if not folder.is_dir():
        raise ExportWriteError(f"The folder {folder} does not exist; nothing was written.")
    try:
        fd, tmp = _temporary(folder, path.name)
    except OSError as exc:
        raise _explain(path, exc) from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for chunk in chunks:
                if cancelled is not None and cancelled():
                    raise ExportCancelled()
                if isinstance(chunk, bytes):
                    handle.flush()
                    handle.buffer.write(chunk)
                else:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
            if tmp is None:
                tmp = _named(handle.fileno(), folder, path.name)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise _explain(path, exc) from None
    except BaseException:
        _remove(tmp)
        raise
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # a generator stopped early ends now (a renderer's child stops with it)
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return path


PROC_FDS = "/proc/self/fd"
"""Where an unnamed file's descriptor is found to link it into its folder (an
unprivileged ``linkat``)."""


def _temporary(folder: Path, name: str) -> tuple[int, Path | None]:
    """A new file in *folder* for writing (0600): unnamed (``O_TMPFILE``, path None)
    where the system makes one and can name it later (:func:`_named`, through
    :data:`PROC_FDS`), else a hidden ``.NAME.XXXXXXXX.part``."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and os.path.isdir(PROC_FDS):
        try:
            return os.open(folder, flag | os.O_RDWR | os.O_CLOEXEC, 0o600), None
        except OSError:
            pass  # a file system without unnamed files (some network and FUSE ones)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    return fd, Path(tmp_name)


def _named(fd: int, folder: Path, name: str) -> Path:
    """A name in *folder* for the complete unnamed file *fd*, to be renamed over the
    target at once (``linkat`` following the descriptor's link; a refused link is an
    ``OSError`` like any failed write: the unnamed file vanishes with its descriptor)."""
    fds = os.open(PROC_FDS, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        while True:
            candidate = folder / f".{name}.{os.urandom(4).hex()}.part"
            try:
                os.link(str(fd), candidate, src_dir_fd=fds, follow_symlinks=True)
            except FileExistsError:
                continue
            return candidate
    finally:
        os.close(fds)


def _remove(tmp: Path | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            tmp.unlink()


def check_writable(path: Path) -> None:
    """Raise :class:`ExportWriteError` early when *path* clearly cannot be written."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportWriteError(f"{path} is a folder; choose a file name.")
    if not path.parent.is_dir():
        raise ExportWriteError(f"The folder {path.parent} does not exist; nothing was written.")
    try:
        found = path.lstat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise ExportWriteError(f"Could not check {path}: {exc.strerror or type(exc).__name__}. "
                               "Nothing was written.") from None
    if found is not None:
        import stat

        if stat.S_ISLNK(found.st_mode):
            target = path.resolve()
            found = target.stat() if target.exists() else None
        if found is not None and not stat.S_ISREG(found.st_mode):
            raise ExportWriteError(f"{path} is not a regular file (a pipe, device or socket); "
                                   "choose another name. Nothing was written.")
        if found is not None and not found.st_mode & stat.S_IWUSR:
            raise ExportWriteError(f"{path} is read-only; choose another name. "
                                   "It was left untouched.")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ExportWriteError(
            f"Could not write {path}: permission denied. Choose another folder; "
            "any existing file there was left untouched.")


def render(doc: object, fmt: str, later: LaterEntries | None = None) -> Iterable[str | bytes]:
    """The text chunks of a composed export in *fmt* (``md`` or ``html``); for Markdown,
    with the entries a child composed (*later*) in their place."""
    from desktop.core.export_compose import ExportDocument, markdown_plan, to_html

    assert isinstance(doc, ExportDocument)
    if fmt == "md":
        return markdown(markdown_plan(doc), later)
    if fmt == "html":
        return [to_html(doc)]
    raise ValueError(f"not a text export format: {fmt}")


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one export.

    An export builds hundreds of thousands of small records and strings that live until
    it ends and form no cycles; each automatic collection would walk all of them again
    (about a quarter of a 100-year export's time). Reference counting still frees
    everything as usual, and the collector is switched back on afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_export(db: object, fmt: str, path: Path, period: object, options: object,
               now: object, tz: object = None, questions: str = "",
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> Path:
    """Gather, compose and write one export; the one path the dialog and CLI share.

    *fmt* is ``md``, ``html``, ``pdf`` or ``json`` (JSON is the whole journal, not a
    period). Records the export time for the "since last export" preset.
    """
    from datetime import datetime

    from db.export_data import record_export

    if fmt not in FORMATS:
        raise ExportWriteError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    assert isinstance(now, datetime)
    check_writable(path)
    with collection_paused():
        _gather_and_write(db, fmt, path, period, options, now, tz, questions, progress,
                          cancelled)
    try:
        record_export(db, now)  # type: ignore[arg-type]
    except Exception as exc:
        # The export is written; a read-only journal only misses "since last export".
        from db.failures import Kind, classify

        if classify(exc).kind is not Kind.READ_ONLY:
            raise
        logging.getLogger(__name__).info("export written; its time not recorded (read-only journal)")
    if progress is not None:
        progress(1, 1)
    return path


def _gather_and_write(db: object, fmt: str, path: Path, period: object, options: object,
                      now: object, tz: object, questions: str,
                      progress: Callable[[int, int], None] | None,
                      cancelled: Callable[[], bool] | None) -> None:
    from db.export_data import gather
    from desktop.core.export_compose import check_redaction, compose

    if progress is not None:
        progress(0, 1)
    if fmt == "json":
        from db.portable import iter_export_json

        write_atomic(path, iter_export_json(db, now), cancelled)  # type: ignore[arg-type]
        return
    from desktop.export_locale import export_format

    shown = export_format(db)
    # A long Markdown export's newest entries may go to a child as soon as they are read.
    with LaterEntries(options, shown, period, tz) as later:  # type: ignore[arg-type]
        data = gather(db, period, now, tz, questions,  # type: ignore[arg-type]
                      keep_entries=later.split if fmt == "md" else None)
        doc = compose(data, options, now, shown)  # type: ignore[arg-type]
        check_redaction(doc)  # fail safe: nothing is written if anything slipped through
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        if fmt == "pdf":
            from desktop.ui.pdf_export import write_pdf

            write_pdf(doc, path, progress, cancelled)
        else:
            write_atomic(path, render(doc, fmt, later), cancelled)
