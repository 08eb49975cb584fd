#!/usr/bin/env python3
"""Build Keel's one-folder bundle with PyInstaller, then smoke-test what was built.

    python packaging/build_bundle.py [--dist DIR] [--work DIR] [--no-smoke]

Runs ``packaging/keel.spec`` (``build/`` for PyInstaller's work files, ``dist/`` for the
result: ``dist/keel/keel`` on Linux, ``dist/keel/keel.exe`` on Windows,
``dist/Keel.app`` on macOS), then starts the bundle twice, headless:

1. ``keel --version`` must print ``Keel <version>`` and exit 0;
2. ``keel --data-dir TMP --startup-report`` with ``QT_QPA_PLATFORM=offscreen`` must create
   a journal (running the migrations from the bundle), reach "ready" and exit 0.

Use the Python that has Keel's dependencies and PyInstaller installed (the project's
``.venv``: ``.venv/bin/pip install -e '.[test]'`` brings PyInstaller along).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "keel.spec"


class SmokeTestFailed(RuntimeError):
    """The built bundle did not start as it should; the message says which step failed."""


def executable(dist: Path) -> Path:
    """The launcher inside a built bundle for this platform."""
    if sys.platform == "darwin":
        return dist / "Keel.app" / "Contents" / "MacOS" / "keel"
    return dist / "keel" / ("keel.exe" if os.name == "nt" else "keel")


def build(dist: Path, work: Path, python: str = sys.executable) -> Path:
    """Run PyInstaller on the spec; return the bundle's launcher."""
    subprocess.run(
        [python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        cwd=ROOT, check=True)
    launcher = executable(dist)
    if not launcher.exists():
        raise SmokeTestFailed(f"PyInstaller finished but {launcher} is missing")
    return launcher


def smoke_test(launcher: Path, timeout: float = 120) -> str:
    """Start the bundle with ``--version`` and with ``--startup-report``; return the report."""
    import desktop

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("KEEL_DATA_DIR", None)
    with tempfile.TemporaryDirectory(prefix="keel-bundle-") as tmp:
        # Run from an unrelated folder, so nothing can be found through the source tree.
        version = subprocess.run([str(launcher), "--version"], cwd=tmp, env=env,
                                 capture_output=True, text=True, timeout=timeout)
        if version.returncode != 0 or f"Keel {desktop.__version__}" not in version.stdout:
            raise SmokeTestFailed(f"--version failed ({version.returncode}): "
                                  f"{version.stdout}{version.stderr}")
        data = Path(tmp) / "journal"
        start = subprocess.run([str(launcher), "--data-dir", str(data), "--startup-report"],
                               cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout)
        if start.returncode != 0 or "ready" not in start.stdout:
            raise SmokeTestFailed(f"start-up did not reach ready ({start.returncode}):\n"
                                  f"{start.stdout}\n{start.stderr}")
        if not (data / "keel.sqlite3").exists():
            raise SmokeTestFailed("the bundle started but created no journal")
        return start.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="work folder (build/)")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    try:
        launcher = build(args.dist.resolve(), args.work.resolve())
        print(f"Built {launcher}")
        if not args.no_smoke:
            report = smoke_test(launcher)
            print(report.rstrip())
            print("Smoke test passed: --version and a start-up that reached ready.")
    except subprocess.CalledProcessError as exc:
        print(f"build_bundle: PyInstaller failed with exit code {exc.returncode}", file=sys.stderr)
        return 1
    except (SmokeTestFailed, subprocess.TimeoutExpired) as exc:
        print(f"build_bundle: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
