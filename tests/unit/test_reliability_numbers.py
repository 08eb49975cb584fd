"""Reliability check numbers: the figures the tests record (``figure("R20", …)``) and the
rows of docs/RELIABILITY_REPORT.md name the same checks, and no number means two things
(a ``test_rNN_*.py`` file records only its own R-number, and no two such files share one)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r'figure\(\s*f?"(R\d+)"')
LISTED = re.compile(r"^\|\s*(R\d+)\b", re.M)


def _recorded() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "tests").rglob("*.py"):
        if path.name == "conftest.py" or path == Path(__file__):
            continue
        for number in RECORDED.findall(path.read_text(encoding="utf-8")):
            found[number].add(path.name)
    return found


def _listed() -> set[str]:
    return set(LISTED.findall((ROOT / "docs" / "RELIABILITY_REPORT.md").read_text(
        encoding="utf-8")))


def test_every_recorded_check_is_in_the_report_and_back() -> None:
    recorded = set(_recorded())
    listed = _listed()
    assert sorted(recorded - listed) == []
    assert sorted(listed - recorded) == []


def test_one_meaning_per_number() -> None:
    for number, files in _recorded().items():
        numbered = {f for f in files if re.match(r"test_r\d+_", f)}
        owners = {int(f.split("_")[1][1:]) for f in numbered}
        assert owners <= {int(number[1:])}, (number, sorted(files))
