#!/usr/bin/env python3
"""Run Keel or its tests from a fresh clone with nothing but Python 3.11+.

    python3 packaging/dev.py run [KEEL ARGS...]     # opens Keel
    python3 packaging/dev.py test [PYTEST ARGS...]  # runs the test suite, headless

Creates ``.venv`` beside the project on first use and reinstalls the project into it
whenever ``pyproject.toml`` changes. Uses only the standard library.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("KEEL_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Keel needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / ".keel-installed"
    have = stamp.read_text().split() if stamp.exists() else []
    if wanted in have:
        return
    print("Installing Keel and its dependencies into the virtual environment — the first "
          "time this downloads about 200 MB and takes a few minutes; pip reports each step "
          "below.", flush=True)
    subprocess.run(pip_install_command(extras), check=True)
    stamp.write_text(" ".join([*have, wanted]))


def pip_install_command(extras: str) -> list[str]:
    """pip's command line for the project. Not ``--quiet``: the first install takes
    minutes, and a silent terminal looks hung; pip's own progress lines show it working."""
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    return [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check",
            "--progress-bar", "on", "--editable", target]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    action, rest = argv[0], argv[1:]
    if action == "run":
        ensure_venv("")
        return subprocess.call([str(PYTHON), "-m", "desktop", *rest])
    ensure_venv("test")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
