"""Test configuration: Qt runs offscreen, the demo database is built once per session, and no
socdesk code may open a database file while a connection to it is open."""

import gc
import os
import shutil
import sqlite3
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

# Set by the test configuration so nobody has to remember it (must precede any Qt import).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

import socdesk
from socdesk.io.seeds import build_demo

SOCDESK_CODE = str(Path(socdesk.__file__).resolve().parent) + os.sep
JOURNALS = ("", "-wal", "-shm", "-journal")


class DatabaseOpens:
    """An audit hook (``open`` is raised by ``builtins.open``, ``io.open`` and ``os.open``):
    records each open, from socdesk code, of a database file or its -wal/-shm/-journal while
    an SQLite connection to that database is open in this process. Closing such a descriptor
    drops every lock SQLite holds on the file, so another process may delete -wal under us.

    Connections are learnt from the ``sqlite3.connect`` events; whether one is still open is
    asked of the live ``sqlite3.Connection`` objects themselves (a closed one refuses
    ``total_changes``), so nothing in socdesk has to register anything."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self._databases: dict[int, str] = {}  # id(connection) -> its database, resolved
        self._names: set[str] = set()  # file names of every database connected (and its journals)
        self._local = threading.local()

    @staticmethod
    def _database(arg: object) -> str | None:
        name = os.fsdecode(arg) if isinstance(arg, (str, bytes, os.PathLike)) else ""
        if name.startswith("file:"):
            name = unquote(urlparse(name).path)
        if not name or name == ":memory:":
            return None
        return os.path.realpath(name)

    def __call__(self, event: str, args: tuple) -> None:
        if event not in ("open", "sqlite3.connect", "sqlite3.connect/handle"):
            return
        if getattr(self._local, "busy", False):
            return
        self._local.busy = True
        try:
            if event == "sqlite3.connect":
                self._local.pending = self._database(args[0])
            elif event == "sqlite3.connect/handle":
                database = getattr(self._local, "pending", None)
                if database is not None:
                    self._databases[id(args[0])] = database
                    self._names.update(os.path.basename(database) + j for j in JOURNALS)
            elif self._names and isinstance(args[0], (str, bytes, os.PathLike)):
                self._opened(os.fsdecode(args[0]))
        finally:
            self._local.busy = False

    def _opened(self, name: str) -> None:
        if os.path.basename(name) not in self._names:
            return
        path = os.path.realpath(name)
        frame, where = sys._getframe(2), None
        while frame is not None and where is None:
            if frame.f_code.co_filename.startswith(SOCDESK_CODE):
                where = f"{frame.f_code.co_filename}:{frame.f_lineno} ({frame.f_code.co_name})"
            frame = frame.f_back
        if where is None:  # a test's own open (hashing a file, say)
            return
        for database in self._open_databases():
            if path in {database + j for j in JOURNALS}:
                self.found.append(f"{name} öppnad i {where} medan en anslutning till {database} är öppen")
                return

    def _open_databases(self) -> set[str]:
        out = set()
        for obj in gc.get_objects():
            if type(obj) is sqlite3.Connection and id(obj) in self._databases:
                try:
                    obj.total_changes  # noqa: B018 - raises once the connection is closed
                except sqlite3.ProgrammingError:
                    continue
                out.add(self._databases[id(obj)])
        return out


DATABASE_OPENS = DatabaseOpens()
sys.addaudithook(DATABASE_OPENS)


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


@pytest.fixture(autouse=True)
def database_opens() -> list[str]:
    """Fails the test if socdesk code opened a database file with ``open()``/``os.open()``
    while connected to it (see ``DatabaseOpens``). A test that provokes one on purpose reads
    and clears the list it gets."""
    DATABASE_OPENS.found.clear()
    yield DATABASE_OPENS.found
    found, DATABASE_OPENS.found[:] = list(DATABASE_OPENS.found), []
    if found:
        pytest.fail("socdesk öppnade databasfiler medan de var anslutna:\n" + "\n".join(found))


@pytest.fixture
def file_dialog_answers(qtbot):
    """Answers socdesk's file dialogs as a user would: ``answers`` is a list of paths (or
    ``None`` to cancel); each file dialog shown takes the next, typed in and accepted (an
    existing file replaced without Qt's question). Returns the titles of the dialogs answered."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

    class Answerer(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.answers: list = []
            self.asked: list[str] = []

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog) and self.answers:
                answer = self.answers.pop(0)
                QTimer.singleShot(0, lambda d=watched, a=answer: self.answer(d, a))
            return False

        def answer(self, dialog, answer) -> None:
            self.asked.append(dialog.windowTitle())
            if answer is None:
                dialog.reject()
                return
            dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
            dialog.findChild(QLineEdit, "fileNameEdit").setText(str(answer))  # typed in, as a user may
            dialog.accept()

    answerer = Answerer()
    QApplication.instance().installEventFilter(answerer)

    def install(answers: list) -> list[str]:
        answerer.answers[:] = list(answers)
        return answerer.asked

    yield install
    QApplication.instance().removeEventFilter(answerer)
