"""The PyInstaller one-folder Linux bundle builds and starts offscreen (--version, ready)."""

from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CI bundle is the Linux one"),
]


def _build_bundle_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("keel_build_bundle", ROOT / "packaging" / "build_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def launcher(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundle once for this module (about two minutes on two cores)."""
    pytest.importorskip("PyInstaller", reason="pip install -e '.[test]' brings PyInstaller")
    build_bundle = _build_bundle_module()
    folder = tmp_path_factory.mktemp("bundle")
    return build_bundle.build(folder / "dist", folder / "work")  # type: ignore[no-any-return]


def test_bundle_prints_its_version(launcher: Path, tmp_path: Path) -> None:
    import desktop

    result = subprocess.run([str(launcher), "--version"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Keel {desktop.__version__}"


def test_bundle_starts_offscreen_and_creates_a_journal(launcher: Path, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([str(launcher), "--data-dir", str(data), "--startup-report"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    # The migrations shipped inside the bundle ran: the journal is at the head revision.
    from db.schema import HEAD_REVISION

    with sqlite3.connect(data / "keel.sqlite3") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_bundle_cli_finds_the_prompt_library(launcher: Path, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    write = subprocess.run([str(launcher), "--data-dir", str(data), "write", "hello from the bundle"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert write.returncode == 0, write.stderr
    due = subprocess.run([str(launcher), "--data-dir", str(data), "due"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert due.returncode == 3, due.stdout + due.stderr  # a new journal has prompts due
    assert "[value-drift]" in due.stdout
