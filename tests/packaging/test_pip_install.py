"""pip install of a wheel into a fresh venv outside the source tree gives a working keel."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = "Scripts" if os.name == "nt" else "bin"

pytestmark = pytest.mark.slow

CHECK_RESOURCES = """
from importlib import resources
import desktop, sys
root = resources.files("resources")
wanted = [root / "assessment.toml", root / "style" / "keel.qss", root / "icons" / "keel.svg"]
wanted += [root / "icons" / f"keel-{n}.png" for n in (16, 24, 32, 48, 64, 128, 256, 512)]
migrations = resources.files("db") / "migrations"
wanted += [migrations / "env.py", migrations / "script.py.mako"]
missing = [str(p) for p in wanted if not p.is_file()]
prompts = [p.name for p in (root / "prompts").iterdir() if p.name.endswith(".toml")]
versions = [p.name for p in (migrations / "versions").iterdir() if p.name[:4].isdigit()]
print(desktop.__file__)
print(len(prompts), len(versions))
sys.exit(1 if missing else 0)
"""


def _copy_source(target: Path) -> Path:
    """A clean copy of what a release tarball holds, so the build never writes into the repo."""
    ignore = shutil.ignore_patterns(".venv", ".git", "build", "dist", "__pycache__", "*.egg-info",
                                    ".pytest_cache", ".ruff_cache", "tests", "docs", "benchmarks")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with Keel installed from a wheel; returns its bin folder."""
    work = tmp_path_factory.mktemp("pip-install")
    source = _copy_source(work / "src")
    wheels = work / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels),
                    str(source)], check=True, cwd=work, timeout=600)
    (wheel,) = wheels.glob("keel_journal-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / BIN / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   cwd=work, timeout=900)
    return env_dir / BIN


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEEL_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def _keel(bin_dir: Path, *args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "keel"), *args], cwd=cwd, env=_clean_env(cwd),
                          capture_output=True, text=True, timeout=timeout)


def test_installed_package_holds_every_resource(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(installed / "python"), "-c", CHECK_RESOURCES], cwd=tmp_path,
                            env=_clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    location, counts = result.stdout.split("\n")[:2]
    assert str(ROOT) not in location  # the installed copy, not the source tree
    prompt_files, versions = (int(n) for n in counts.split())
    assert prompt_files == len(list((ROOT / "resources" / "prompts").glob("*.toml")))
    assert versions == len(list((ROOT / "db" / "migrations" / "versions").glob("[0-9]*.py")))


def test_installed_keel_prints_version(installed: Path, tmp_path: Path) -> None:
    import desktop

    result = _keel(installed, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Keel {desktop.__version__}"


def test_installed_keel_writes_and_lists_due_prompts(installed: Path, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    write = _keel(installed, "--data-dir", str(data), "write", "hello", cwd=tmp_path)
    assert write.returncode == 0, write.stderr
    due = _keel(installed, "--data-dir", str(data), "due", cwd=tmp_path)
    assert due.returncode == 3, due.stdout + due.stderr  # a new journal has prompts due
    assert "[value-drift]" in due.stdout  # the prompt library was read from the installed files
    with sqlite3.connect(data / "keel.sqlite3") as conn:
        bodies = [row[0] for row in conn.execute("SELECT body FROM entries")]
    assert any("hello" in body for body in bodies)


def test_installed_keel_starts_from_another_folder(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    data = tmp_path / "journal"
    result = _keel(installed, "--data-dir", str(data), "--startup-report", cwd=elsewhere, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready" in result.stdout
    assert "Traceback" not in result.stderr, result.stderr
