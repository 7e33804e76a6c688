"""Layers: core, store and io never import Qt; only gui imports QtWidgets or pyqtgraph."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "socdesk"


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def modules(*layers: str) -> list[Path]:
    return [p for layer in layers for p in (PACKAGE / layer).rglob("*.py")]


def test_core_store_and_io_do_not_import_qt():
    for path in modules("core", "store", "io"):
        bad = {n for n in imports(path) if n.startswith(("PySide6", "pyqtgraph", "shiboken6"))}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_only_gui_imports_widgets_or_pyqtgraph():
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.relative_to(PACKAGE).parts:
            continue
        bad = {n for n in imports(path) if n.startswith(("PySide6.QtWidgets", "pyqtgraph"))}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_core_does_not_touch_sql():
    for path in modules("core"):
        assert "sqlite3" not in imports(path), path


def test_the_cli_starts_without_qt():
    import subprocess
    import sys

    code = "import sys, socdesk.cli; sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_the_gui_holds_no_sql():
    for path in (PACKAGE / "gui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "sqlite3" not in imports(path), path
        for keyword in ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM"):
            assert keyword not in text, f"{path.name} holds SQL ({keyword.strip()})"
