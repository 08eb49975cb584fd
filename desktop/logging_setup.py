"""Logging to a private file in the data folder. Log lines name actions and ids, never
the text of entries or answers."""

from __future__ import annotations

import logging
import logging.handlers
import os

from desktop.paths import Paths


def setup_logging(paths: Paths, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_keel", False) for h in root.handlers):
        return
    try:
        log_file = paths.log_file
        if not log_file.exists():
            os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT, 0o600))
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler._keel = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
