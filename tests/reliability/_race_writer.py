"""A writer for R21: runs ``keel write`` (the real command-line code, in this process)
in a loop until ``STOP`` exists, appending each acknowledged entry's text to ``ACKS``.

    python -m tests.reliability._race_writer DATA_DIR TAG ACKS STOP PASSFILE
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path


def main() -> None:
    data_dir, tag, acks, stop, passfile = sys.argv[1:6]
    from desktop.cli import main as keel

    i = 0
    with open(acks, "a", encoding="utf-8") as out:
        while not Path(stop).exists():
            with contextlib.suppress(OSError):
                os.environ["KEEL_PASSPHRASE"] = Path(passfile).read_text(encoding="utf-8")
            body = f"race {tag} {i}"
            said, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(said), contextlib.redirect_stderr(err):
                code = keel(["--data-dir", data_dir, "write", body])
            if code == 0 and "Saved entry" in said.getvalue():
                out.write(body + "\n")
                out.flush()
            elif "Traceback" in err.getvalue() or err.getvalue().count("\n") > 2:
                print(f"writer {tag}: {err.getvalue()!r}", file=sys.stderr)
            i += 1


if __name__ == "__main__":
    main()
