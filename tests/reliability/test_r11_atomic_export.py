"""R11: an export that fails mid-write leaves no partial target (and keeps the old file)."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

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
