"""One journal lifecycle (issue 14, item 7): only ``desktop.lifecycle`` and
``desktop.ui.lifecycle`` close, reopen or restore the app's journal; every caller — the
shell's first open and recovery banner, the backup and encryption settings, the auto-lock,
shutdown — goes through them, and start-up's checks (unlock, an interrupted conversion, a
stray ``-wal``, a lost or damaged journal, migration) are ``desktop.lifecycle.check_at_start``.
Read from the source, so a new private sequence fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_STEPS = {"resume_conversion", "set_aside_foreign_wal", "lost_journal", "backup_key_wanted",
               "recover", "migrate"}
"""What start-up does to the journal before opening it: ``desktop.lifecycle.check_at_start``."""
OWNERS = {"desktop/lifecycle.py", "desktop/ui/lifecycle.py", "desktop/context.py"}


def _calls(path: Path) -> list[tuple[str, int]]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if name in ("pause", "resume", "close") and receiver is not None \
                and "context" in ast.unparse(receiver):
            found.append((name, node.lineno))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "db.backup" \
                and any(alias.name == "restore" for alias in node.names):
            found.append(("restore", node.lineno))
        if isinstance(node, ast.ImportFrom) and node.module in ("db.recovery", "db.schema"):
            found += [(alias.name, node.lineno) for alias in node.names
                      if alias.name in START_STEPS]
    return found


def test_only_the_lifecycle_closes_reopens_or_restores_the_journal() -> None:
    breaks = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel in OWNERS or rel.startswith(("desktop/cli", "desktop/core/")):
            continue  # the command line has no window and opens for one command
        breaks += [f"{rel}:{line} {name}()" for name, line in _calls(path)]
    assert breaks == []


def test_the_check_sees_a_private_sequence(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("def f(self):\n    self.context.pause('x')\n    self.context.resume()\n"
                      "    from db.backup import restore\n"
                      "    from db.recovery import resume_conversion\n", encoding="utf-8")
    assert [name for name, _ in _calls(source)] == ["pause", "resume", "restore",
                                                    "resume_conversion"]
