"""The layers stay visible: core and db load without Qt, the window module without SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_and_db_import_without_qt() -> None:
    import pkgutil

    import db
    import desktop.core

    names = [f"desktop.core.{m.name}" for m in pkgutil.iter_modules(desktop.core.__path__)]
    names += [f"db.{m.name}" for m in pkgutil.iter_modules(db.__path__) if m.name != "migrations"]
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert not any(m.startswith("PySide6") for m in loaded)


def test_core_imports_neither_sqlalchemy_nor_db() -> None:
    import pkgutil

    import desktop.core

    names = [f"desktop.core.{m.name}" for m in pkgutil.iter_modules(desktop.core.__path__)]
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert "sqlalchemy" not in loaded
    assert not any(m == "db" or m.startswith("db.") for m in loaded)


def test_first_window_path_does_not_import_sqlalchemy() -> None:
    loaded = _modules_after(
        "import desktop.app, desktop.ui.main_window, desktop.ui.shell, desktop.ui.navigation\n"
        "from desktop.ui.navigation import PAGES\n"
        "[spec.factory() for spec in PAGES]")
    assert "sqlalchemy" not in loaded
    assert "alembic" not in loaded
    assert "markdown" not in loaded


# --------------------------------------------------------------------------- static contract
# Read from the source (every import statement, inside functions too), so a layer break
# hidden in a function body fails here, not in a user's hands.

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("db", "desktop")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports (absolute names) with its line number."""
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if path.name == "__init__.py" else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            out.append((base, node.lineno))
            out += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return out


def _starts(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _breaks(owner: tuple[str, ...], forbidden: tuple[str, ...],
            allowed: tuple[str, ...] = ()) -> list[str]:
    found = []
    for name, path in _modules().items():
        if not _starts(name, owner) or _starts(name, allowed):
            continue
        for target, line in _imports(name, path):
            if _starts(target, forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return sorted(set(found))


def test_core_imports_no_qt_sqlalchemy_db_or_io_modules() -> None:
    assert _breaks(("desktop.core",),
                   ("PySide6", "sqlalchemy", "alembic", "db", "sqlite3", "sqlcipher3",
                    "subprocess", "socket", "shutil", "tempfile", "desktop.ui",
                    "desktop.platform")) == []


PATH_IO = {"read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink",
           "rmdir", "touch", "chmod", "open"}
OS_IO = {"open", "replace", "rename", "remove", "unlink", "makedirs", "mkdir", "system",
         "popen", "fsync", "chmod", "listdir", "scandir", "walk"}
"""Calls that touch files or processes: ``open()``, path methods, ``os.*``."""

CORE_IO_DEBT = {
    # (file, call): why it is still there. Only shrinks.
    ("desktop/core/prompt_library.py", "read_text"): "reads the shipped prompt files",
    ("desktop/core/assessment.py", "read_text"): "reads the shipped assessment.toml",
}


def test_core_does_no_io() -> None:
    found = []
    for name, path in _modules().items():
        if not _starts(name, ("desktop.core",)):
            continue
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                called = "open"
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                    and func.value.id == "os" and func.attr in OS_IO:
                called = f"os.{func.attr}"
            elif isinstance(func, ast.Attribute) and func.attr in PATH_IO:
                called = func.attr
            else:
                continue
            if (rel, called) not in CORE_IO_DEBT:
                found.append(f"{rel}:{node.lineno} calls {called}()")
    assert found == [], found


def test_db_imports_no_qt_and_nothing_of_the_window() -> None:
    assert _breaks(("db",), ("PySide6", "desktop.ui", "desktop.app")) == []


def _cycles() -> list[set[str]]:
    modules = _modules()

    def owner(target: str) -> str | None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target or None

    edges = {name: {t for target, _ in _imports(name, path)
                    if (t := owner(target)) is not None and t != name}
             for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in edges:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    """No two modules reach each other, through any chain of imports, inside functions
    and ``TYPE_CHECKING`` blocks too. Shared pieces go down into a lower module (as
    ``db.sqlfile`` and ``db.cipher_copy`` hold what the opener, schema, backup and
    encryption all need)."""
    assert [sorted(cycle) for cycle in _cycles()] == []


def test_cycle_finder_sees_a_function_level_cycle(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: two modules importing each other inside functions."""
    for name, other in (("a", "b"), ("b", "a")):
        (tmp_path / "db").mkdir(exist_ok=True)
        (tmp_path / "db" / f"{name}.py").write_text(
            f"def f():\n    from db.{other} import f\n", encoding="utf-8")
    (tmp_path / "desktop").mkdir()
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert [sorted(cycle) for cycle in _cycles()] == [["db.a", "db.b"]]


def test_the_three_named_cycles_are_gone() -> None:
    """export_writer <-> pdf_export, app <-> shell, backup <-> recovery: neither side of
    each pair imports the other back (at any depth inside functions)."""
    modules = _modules()

    def imports(a: str, b: str) -> bool:
        return any(t == b or t.startswith(b + ".") for t, _ in _imports(a, modules[a]))

    for a, b in (("desktop.export_writer", "desktop.ui.pdf_export"),
                 ("desktop.app", "desktop.ui.shell"), ("db.backup", "db.recovery")):
        assert not (imports(a, b) and imports(b, a)), (a, b)


def test_mypy_over_db_and_core() -> None:
    """mypy with the strictness pyproject.toml declares for ``db`` and ``desktop.core``
    (every function typed): not one error."""
    import shutil

    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent)) or "mypy"
    out = subprocess.run([mypy, "db", "desktop/core"], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]
    assert "Success: no issues found" in out.stdout


def test_no_blanket_type_ignores_in_db_and_core() -> None:
    """A ``# type: ignore`` names the one error it silences (``[code]``), and no module
    switches checking off."""
    import re

    found = []
    for name, path in _modules().items():
        if not _starts(name, ("db", "desktop.core")):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#\s*type:\s*ignore(?!\[)", line) or "mypy: ignore-errors" in line:
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []
