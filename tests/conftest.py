"""Test configuration: Qt runs offscreen, and the demo database is built once per session."""

import os
import shutil
from pathlib import Path

# Set by the test configuration so nobody has to remember it (must precede any Qt import).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from socdesk.io.seeds import build_demo


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep settings and data written by the code under test out of the real home folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture(autouse=True)
def modal_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """No test may hang on a message box: unless a test answers them itself, the static
    QMessageBox functions return "no button" (a question counts as not accepted) and are
    recorded here as (kind, text)."""
    from PySide6.QtWidgets import QMessageBox

    calls: list[tuple[str, str]] = []

    def fake(kind: str):
        def show(*args, **kwargs):
            calls.append((kind, str(args[2]) if len(args) > 2 else ""))
            return QMessageBox.StandardButton.NoButton

        return show

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return calls


@pytest.fixture
def workspace(qtbot, demo_db: Path, tmp_path: Path):
    """The main window on a private copy of the demo database, shown, on 771 Äldreomsorg; closed
    afterwards without questions (typing left in a form is dropped)."""
    from PySide6.QtCore import QSettings

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow
    from socdesk.io.seeds import open_database

    store = open_database(demo_db)
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.select_unit("771")
    yield w
    model = w.register.entry.model
    if model is not None and model.dirty:
        model.mark_saved()
    w.close()
    store.close()
