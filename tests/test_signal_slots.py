"""A button's ``clicked(bool)`` (and an action's ``triggered(bool)``, a box's ``toggled(bool)``)
connected straight to a method with an optional parameter passes ``checked`` as that parameter:
``save_as(path=None)`` got ``False`` and every click of Spara som failed (issue 16). This scans
every connection in the GUI's source for that pattern: a signal that carries a bool, connected
to ``self.<method>`` with an optional parameter, without ``@Slot()``. (A slot that takes the
bool as a required parameter wants it; a lambda passes what it says.)"""

import ast
from pathlib import Path

import socdesk.gui

GUI = Path(socdesk.gui.__file__).parent
BOOL_SIGNALS = {"clicked", "triggered", "toggled"}


def _methods(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    out[f"{node.name}.{item.name}"] = item
    return out


def _slot_decorated(fn: ast.FunctionDef) -> bool:
    for d in fn.decorator_list:
        call = d if isinstance(d, ast.Call) else None
        name = call.func if call else d
        if (
            isinstance(name, ast.Name | ast.Attribute)
            and getattr(name, "id", getattr(name, "attr", "")) == "Slot"
        ):
            return not (call and call.args)  # @Slot() takes no arguments: the bool is dropped
    return False


def risky_connections(
    source: str, file_name: str, elsewhere: dict[str, list[ast.FunctionDef]] | None = None
) -> list[str]:
    """Connections in ``source`` of a bool signal to a method with an optional parameter: the
    class's own (``self.m``), or another widget's (``self.view.m``: every method of that name in
    ``elsewhere``, the GUI's classes, has one)."""
    tree = ast.parse(source)
    methods = _methods(tree)
    found = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for call in (n for n in ast.walk(cls) if isinstance(n, ast.Call)):
            f = call.func
            if not (isinstance(f, ast.Attribute) and f.attr == "connect" and call.args):
                continue
            signal = f.value
            if not (isinstance(signal, ast.Attribute) and signal.attr in BOOL_SIGNALS):
                continue
            slot = call.args[0]
            if not isinstance(slot, ast.Attribute):
                continue  # a lambda, a function
            if isinstance(slot.value, ast.Name) and slot.value.id == "self":
                candidates = [m] if (m := methods.get(f"{cls.name}.{slot.attr}")) else []
            else:
                candidates = (elsewhere or {}).get(slot.attr, [])
            risky = [fn for fn in candidates if fn.args.defaults and not _slot_decorated(fn)]
            if candidates and len(risky) == len(candidates):  # an optional parameter: the bool lands in it
                found.append(
                    f"{file_name}:{call.lineno}: {signal.attr} → {ast.unparse(slot)}({ast.unparse(risky[0].args)})"
                )
    return found


def gui_methods() -> dict[str, list[ast.FunctionDef]]:
    out: dict[str, list[ast.FunctionDef]] = {}
    for path in sorted(GUI.rglob("*.py")):
        for key, fn in _methods(ast.parse(path.read_text(encoding="utf-8"))).items():
            out.setdefault(key.split(".", 1)[1], []).append(fn)
    return out


def test_no_bool_signal_reaches_a_method_with_parameters():
    found, methods, scanned = [], gui_methods(), []
    for path in sorted(GUI.rglob("*.py")):  # the import wizard's pages are a package of their own
        name = path.relative_to(GUI).as_posix()
        scanned.append(name)
        found += risky_connections(path.read_text(encoding="utf-8"), name, methods)
    assert {"main_window.py", "import_wizard/file_page.py", "import_wizard/done_page.py"} <= set(scanned)
    assert found == [], "\n".join(found)


def test_the_scan_finds_the_pattern_that_broke_spara_som():
    broken = """
class ReportDialog:
    def __init__(self):
        self.save.clicked.connect(self.save_as)
        self.ok.clicked.connect(lambda: self.save_as())
        self.other.clicked.connect(self.plain)
        self.box.toggled.connect(self.show_it)
    def save_as(self, path=None):
        pass
    def plain(self):
        pass
    def show_it(self, on):
        pass
"""
    found = risky_connections(broken, "x.py")
    assert found == ["x.py:4: clicked → self.save_as(self, path=None)"]  # show_it wants the bool
    elsewhere = ast.parse("class Economy:\n    def copy_selection(self, rows=None):\n        pass\n")
    found = risky_connections(
        "class W:\n    def __init__(self):\n        self.a.triggered.connect(self.economy.copy_selection)\n",
        "w.py",
        {"copy_selection": [elsewhere.body[0].body[0]]},
    )
    assert found == ["w.py:3: triggered → self.economy.copy_selection(self, rows=None)"]
