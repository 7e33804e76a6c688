"""Layers: core, store and io never import Qt; only gui imports QtWidgets or pyqtgraph."""

import ast
import re
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


# --- the store owns all SQL ----------------------------------------------------------------------
SQL = [
    re.compile(p)
    for p in (
        r"\bSELECT\b[\s\S]*\bFROM\b",
        r"\bINSERT\s+(OR\s+\w+\s+)?INTO\b",
        r"\bUPDATE\s+[\w.]+\s+SET\b",
        r"\bDELETE\s+FROM\b",
        r"\bCREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE\b",
        r"\bPRAGMA\s+\w+",
    )
]
STORE_MODULE_LINES = 400


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring constants (not code: they are never executed)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_in(source: str, name: str) -> list[str]:
    """What in a module touches SQLite itself: ``.conn``, ``sqlite3`` (imported or used), or SQL
    in a string literal (f-strings' parts included); by the syntax tree, so Swedish text and
    comments do not count."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and node.attr == "conn":
            found.append(f"{where}: .conn")
        elif isinstance(node, ast.Name) and node.id == "sqlite3":
            found.append(f"{where}: sqlite3.")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(n == "sqlite3" or n.startswith("sqlite3.") for n in names):
                found.append(f"{where}: import sqlite3")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found += [f"{where}: SQL {m.group(0)[:40]!r}" for p in SQL if (m := p.search(node.value))]
    return found


def outside_the_store() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts[:1]]


def test_no_sql_connection_or_sqlite3_outside_the_store():
    modules = outside_the_store()
    assert len(modules) > 50 and PACKAGE / "cli.py" in modules
    found = [
        f
        for path in modules
        for f in sql_in(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert not found, "SQL outside socdesk/store/ (make it a Store method):\n" + "\n".join(found)


def test_the_sql_detector_finds_what_it_should_and_not_swedish_text():
    samples = {
        "rows = store.conn.execute('x')": ".conn",
        "import sqlite3": "import sqlite3",
        "from sqlite3 import Error": "import sqlite3",
        "try:\n    pass\nexcept sqlite3.OperationalError:\n    pass": "sqlite3.",
        "q = f'SELECT DISTINCT f.measure FROM facts f WHERE u.code IN ({marks})'": "SELECT",
        "q = 'INSERT INTO settings (key) VALUES (?)'": "INSERT",
        "q = 'INSERT OR IGNORE INTO period_locks VALUES (?)'": "INSERT",
        "q = 'UPDATE units SET name = ?'": "UPDATE",
        "q = 'DELETE FROM drafts'": "DELETE",
        "q = 'CREATE TEMP TABLE staging AS SELECT 1'": "CREATE",
        "q = 'PRAGMA user_version'": "PRAGMA",
    }
    for code, kind in samples.items():
        found = sql_in(code, "probe.py")
        assert found and kind in found[0], (code, found)
    text = (
        '"""Select the rows from the table; update the set; delete from the list."""\n'
        "x = _('Välj enheter från trädet, uppdatera och ta bort från listan (select from, pragma)')\n"
        "# store.conn.execute('SELECT * FROM facts') in a comment\n"
    )
    assert sql_in(text, "probe.py") == []


def test_no_module_of_the_store_is_over_400_lines():
    sizes = {
        p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (PACKAGE / "store").glob("*.py")
    }
    assert len(sizes) > 10 and "db.py" in sizes
    over = {name: n for name, n in sizes.items() if n > STORE_MODULE_LINES}
    assert not over, f"modules of socdesk/store/ over {STORE_MODULE_LINES} lines: {over}"


def test_the_report_document_does_not_import_io():
    bad = {n for n in imports(PACKAGE / "reports" / "document.py") if n.split(".")[:2] == ["socdesk", "io"]}
    assert not bad, f"reports/document.py imports {bad}"
