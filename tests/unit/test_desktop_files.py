"""Linux launcher entry, AppStream metainfo and app icons: valid, consistent, all sizes present."""

from __future__ import annotations

import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import desktop
from desktop.core.autostart import APP_ID, read_desktop_entry

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not on PATH (Debian package {package}); .ci/run installs it")
    return path


def test_desktop_file_passes_desktop_file_validate() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP_FILE)], capture_output=True, text=True, check=False)
    # Hints count too: each one is something a desktop would show oddly.
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_passes_appstreamcli_validate() -> None:
    tool = _tool("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_launches_keel_with_its_icon() -> None:
    entry = read_desktop_entry(DESKTOP_FILE.read_text(encoding="utf-8"))
    assert entry["Exec"] == "keel"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "keel"
    assert "journal" in entry["Keywords"].split(";")


def test_metainfo_matches_the_code_and_the_desktop_file() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_FILE.name
    newest = root.find("releases/release")
    assert newest is not None
    assert newest.get("version") == desktop.__version__
    assert root.find("content_rating").get("type") == "oars-1.1"  # type: ignore[union-attr]
    description = " ".join(root.find("description").itertext())  # type: ignore[union-attr]
    description = " ".join(description.split())
    assert "eleven anonymous experts' answers, collected by 80,000 Hours" in description
    # The seed's own caveat, and no claim Keel cannot back (issue 16).
    assert "do not represent the views of 80,000 Hours" in description
    assert "may contradict its own" in description
    assert "whole range" not in description
    shots = [img.text for img in root.iter("image")]
    assert shots and all(
        s
        and s.startswith(
            "https://raw.githubusercontent.com/keel-journal/keel/main/docs/screenshots/"
        )
        for s in shots
    )


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icon_svg_and_every_png_size_exist() -> None:
    svg = ET.parse(ICONS / "keel.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 256 256"
    for size in PNG_SIZES:
        assert _png_size(ICONS / f"keel-{size}.png") == (size, size)
