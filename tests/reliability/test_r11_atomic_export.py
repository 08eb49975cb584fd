"""R11: an export that fails mid-write leaves no partial target (and keeps the old file)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import export_writer
from desktop.export_writer import ExportWriteError, write_atomic


def _failing_chunks(after: int) -> Iterator[str]:
    for i in range(after):
        yield f"## Check-in {i}\n\nWhat I told my manager about the release.\n\n"
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("existing", [False, True])
def test_failure_mid_write_leaves_no_partial_file(tmp_path: Path, existing: bool,
                                                  figure) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "advising-call.md"
    if existing:
        target.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(ExportWriteError, match="No space left"):
        write_atomic(target, _failing_chunks(500))
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "advising-call.md"]
    partial = 0
    if existing:
        partial += target.read_text(encoding="utf-8") != "the previous export\n"
    else:
        partial += target.exists()
    partial += len(leftovers)
    figure("R11", f"partial target files ({'over an old file' if existing else 'new file'})",
           partial, "0")
    assert partial == 0, leftovers


KILLED_MID_WRITE = """
import sys, time
from pathlib import Path
from desktop.export_writer import write_atomic
target, started = Path(sys.argv[1]), Path(sys.argv[2])

def chunks():
    for i in range(200):
        yield f"## Check-in {i}\\n\\nWhat I told my manager about the release.\\n\\n"
    started.write_text("writing")
    time.sleep(60)
    yield "never"

write_atomic(target, chunks())
"""


@pytest.mark.parametrize("existing", [False, True])
def test_a_process_killed_mid_write_leaves_nothing_of_the_export(
        tmp_path: Path, existing: bool, figure) -> None:  # type: ignore[no-untyped-def]
    """kill -9 while the export is being written: no partial target, and (where the
    system has unnamed temporary files, as here) no hidden partial copy either."""
    folder = tmp_path / "exports"
    folder.mkdir()
    target, started = folder / "advising-call.md", tmp_path / "started"
    if existing:
        target.write_text("the previous export\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", KILLED_MID_WRITE, str(target), str(started)],
                             cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        assert started.exists(), "the export never started writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    left = sorted(p.name for p in folder.iterdir() if p.name != "advising-call.md")
    damaged = (target.read_text(encoding="utf-8") != "the previous export\n") if existing \
        else target.exists()
    figure("R11", f"files left by a killed export ({'over an old file' if existing else 'new file'})",
           len(left) + damaged, "0")
    assert not damaged
    assert left == []


def test_the_export_has_no_name_until_it_is_complete(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """While the chunks are written nothing is in the folder; the complete file is
    linked in (``O_TMPFILE``, then ``linkat`` through /proc) and renamed over."""
    linked: list[str] = []
    link = os.link

    def noting(*args, **kwargs):  # type: ignore[no-untyped-def]
        link(*args, **kwargs)
        linked.append(Path(args[1]).name)

    monkeypatch.setattr(os, "link", noting)
    seen: list[list[str]] = []

    def chunks() -> Iterator[str]:
        yield "# Call\n"
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        yield "text\n"

    target = tmp_path / "call.md"
    write_atomic(target, chunks())
    assert seen == [[]]
    assert len(linked) == 1 and linked[0].startswith(".call.md.")
    assert target.read_text(encoding="utf-8") == "# Call\ntext\n"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["call.md"]


@pytest.mark.parametrize("refused", ["O_TMPFILE", "/proc"])
def test_where_unnamed_files_cannot_be_made_or_named_a_hidden_part_file_is_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused: str) -> None:
    """A file system that refuses unnamed files, or a system without /proc to name one
    through: the named temporary file, renamed over, as before."""
    opened = os.open

    def refusing_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return opened(path, flags, *args, **kwargs)

    if refused == "O_TMPFILE":
        monkeypatch.setattr(os, "open", refusing_open)
    else:
        monkeypatch.setattr(export_writer, "PROC_FDS", str(tmp_path / "no-proc"))
    renamed: list[str] = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renamed.append(Path(a).name), replace(a, b)))
    target = tmp_path / "call.md"
    write_atomic(target, ["# Call\n", b"text\n"])
    assert target.read_text(encoding="utf-8") == "# Call\ntext\n"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert renamed[0].startswith(".call.md.") and renamed[0].endswith(".part")
    assert [p.name for p in tmp_path.iterdir()] == ["call.md"]


def test_a_refused_link_fails_the_export_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The link that names the complete unnamed file is refused: a clear error, the old
    file untouched, nothing else left."""
    def refused(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refused)
    target = tmp_path / "call.md"
    target.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(ExportWriteError, match="Operation not permitted"):
        write_atomic(target, ["# Call\n", "text\n"])
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["call.md"]
