"""Figures for the reliability checks (R1–R18, then the blocks docs/RELIABILITY_REPORT.md
lists): each test records its figure; a table of
them is printed at the end of the run (and written to ``$KEEL_RELIABILITY_FIGURES`` as
JSON when that variable names a file)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pytest

FIGURES: list[tuple[str, str, str, str]] = []
"""(check, figure, value, target) rows, in the order the tests recorded them."""


@pytest.fixture
def figure(record_property: Callable[[str, object], None]) -> Callable[..., None]:
    """``figure("R1", "integrity failures", 0, "0")`` — record one figure of a check."""

    def record(check: str, name: str, value: object, target: str = "") -> None:
        FIGURES.append((check, name, str(value), target))
        record_property(f"{check} {name}", value)

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Print the table of figures after the run."""
    if not FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("reliability figures (RELIABILITY.md)")
    width = max(len(f[1]) for f in FIGURES)
    for check, name, value, target in sorted(FIGURES, key=lambda f: int(f[0][1:])):
        write(f"{check:<4} {name:<{width}}  {value:>12}   [{target}]")
    out = os.environ.get("KEEL_RELIABILITY_FIGURES")
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(FIGURES, handle, indent=1)


@pytest.fixture(autouse=True)
def _fresh_keel_logging():  # type: ignore[no-untyped-def]
    """Each test that calls ``setup_logging`` gets its own log file, not a previous test's."""
    import logging

    def drop() -> None:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_keel", False)]:
            root.removeHandler(handler)
            handler.close()

    drop()
    yield
    drop()
