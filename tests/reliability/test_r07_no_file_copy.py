"""R7: no plain file copy of a database anywhere in Keel's code (the backup API only)."""

from __future__ import annotations

import ast

from tests.reliability.helpers import ROOT

COPYING = {"copy", "copy2", "copyfile", "copyfileobj", "copytree", "sendfile", "copy_file_range",
           "read_bytes"}
STREAMING = {("db/backup.py", "pack"), ("db/backup.py", "unpacked")}
"""Functions that stream bytes through gzip: ``pack`` compresses the backup copy that the
backup API made and integrity_check passed (never the live journal); ``unpacked``
decompresses a backup into a private file that is checked before any use."""


def _allowed(path: str, tree: ast.AST) -> set[int]:
    """Line numbers inside the STREAMING functions of ``path``."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (path, node.name) in STREAMING:
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def copy_call_sites() -> list[str]:
    """Calls in desktop/ and db/ that copy file bytes (shutil.*, sendfile, a database's
    read_bytes)."""
    found = []
    for folder in ("desktop", "db"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            allowed = _allowed(str(path.relative_to(ROOT)), tree)
            for node in ast.walk(tree):
                if getattr(node, "lineno", 0) in allowed:
                    continue
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    base = node.func.value
                    base_name = base.id if isinstance(base, ast.Name) else ""
                    receiver = ast.unparse(base).lower()
                    if node.func.attr in COPYING and (
                            base_name in ("shutil", "os") or (
                                node.func.attr == "read_bytes"
                                and any(w in receiver for w in ("database", "sqlite", "db")))):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if (isinstance(node, ast.ImportFrom) and node.module == "shutil"
                        and any(a.name in COPYING for a in node.names)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_plain_file_copy_of_a_database(figure) -> None:  # type: ignore[no-untyped-def]
    sites = copy_call_sites()
    assert len(STREAMING) == 2  # adding to the list needs the same reasoning
    figure("R7", "plain-copy call sites", len(sites), "0")
    assert sites == [], sites
