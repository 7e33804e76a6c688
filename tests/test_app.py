"""The application shell: opening safely, read-only when another writer holds the database,
restoring a backup, the log, the error dialog, settings, the self-test."""

import logging
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from socdesk.gui import app as gui_app
from socdesk.gui.app import AppController
from socdesk.gui.settings import LAST_DATABASE, RECENT, remember_database
from socdesk.store.backup import list_backups
from socdesk.store.safety import open_safely


@pytest.fixture
def controller(qtbot, tmp_path):
    c = AppController(QApplication.instance(), str(tmp_path / "base"))
    yield c
    c.shutdown()


def test_first_start_opens_the_demo_with_a_start_backup_and_remembers_it(controller, tmp_path, qtbot):
    path = controller.initial_database(None)
    assert path == tmp_path / "base" / "demo.db"
    assert controller.open(path)
    assert controller.window is not None and not controller.window.ctx.readonly
    qtbot.waitUntil(
        lambda: [b.reason for b in list_backups(controller.backups, path)] == ["start"], timeout=10000
    )
    assert LAST_DATABASE.get(controller.settings) == str(path)
    assert controller.initial_database(None) == path


def test_a_second_instance_is_offered_read_only(controller, demo_db, monkeypatch):
    holder = open_safely(demo_db, controller.backups)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    try:
        assert controller.open(demo_db)
        assert controller.window.ctx.readonly
        assert "(skrivskyddad)" in controller.window.windowTitle()
        assert not controller.window.economy.save_comment.isEnabled()
        assert "redan öppen" in asked[0]
    finally:
        holder.close()


def test_restore_backs_up_the_current_state_first(controller, demo_db):
    assert controller.open(demo_db)
    store = controller.safe.store
    store.add_comment("7762", "2024-01/2024-05", "före")
    first = controller.safe.backup("manuell")
    store.add_comment("7762", "2024-01/2024-05", "efter")
    controller.restore(first)
    assert controller.safe.store.comment_history("7762", "2024-01/2024-05")[-1]["text"] == "före"
    reasons = [b.reason for b in list_backups(controller.backups, demo_db)]
    assert "aterstallning" in reasons
    pre_restore = next(b for b in list_backups(controller.backups, demo_db) if b.reason == "aterstallning")
    with open_safely(pre_restore.path, controller.backups, readonly=True) as old:
        assert old.store.comment_history("7762", "2024-01/2024-05")[-1]["text"] == "efter"


def test_log_and_error_dialog(controller, monkeypatch, qtbot):
    logging.getLogger("socdesk.test").warning("en rad i loggen")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append((self.text(), self.informativeText())))
    gui_app.install_excepthook(controller.log_path)
    try:
        raise RuntimeError("bom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    text = controller.log_path.read_text(encoding="utf-8")
    assert "en rad i loggen" in text and "RuntimeError: bom" in text
    assert "oväntat fel" in shown[0][0] and str(controller.log_path) in shown[0][1]
    from socdesk.gui.log_window import LogWindow

    w = LogWindow(controller.log_path)
    qtbot.addWidget(w)
    assert "en rad i loggen" in w.text.toPlainText()
    sys.excepthook = sys.__excepthook__


def test_recent_files(controller, tmp_path):
    for i in range(10):
        remember_database(controller.settings, tmp_path / f"{i}.db")
    recent = RECENT.get(controller.settings)
    assert recent[0] == str(tmp_path / "9.db") and len(recent) == 8


def test_cli_import_takes_a_backup_first(tmp_path, demo_db):
    f = tmp_path / "ny.csv"
    f.write_text(
        "enhet;namn;period;mått;scenario;värde;skala\n7762;;2024-06;netto;utfall;3 400;tkr\n",
        encoding="utf-8",
    )
    base = tmp_path / "base"
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "--basedir", str(base), "import", str(f), "--db", str(demo_db)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert [b.reason for b in list_backups(base / "backups", demo_db)] == ["import"]


def test_the_days_full_check_runs_in_the_background(controller, demo_db, monkeypatch, qtbot):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    with qtbot.waitSignal(controller.checked, timeout=20000) as blocker:
        assert controller.open(demo_db)
    assert blocker.args == [str(demo_db), []] and warned == []
    controller._checked(str(demo_db), ["*** in database main ***"])
    assert "hittade fel" in warned[0]


def _menu_action(window, text):
    from PySide6.QtWidgets import QMenu

    for menu in window.findChildren(QMenu):
        for action in menu.actions():
            if action.text().replace("&", "") == text:
                return action
    raise AssertionError(f"ingen menypost {text!r}")


def test_arkiv_new_database_recent_list_and_the_full_path(
    controller, demo_db, tmp_path, qtbot, file_dialog_answers, monkeypatch
):
    """Arkiv → Ny databas makes an empty one (never over an existing file); Öppna senaste lists
    the others, newest first, and opens the one chosen; the status bar names the file in full."""
    assert controller.open(demo_db)
    assert controller.window.path_label.text() == str(demo_db)
    new = tmp_path / "förvaltning.db"
    asked = file_dialog_answers([new])
    _menu_action(controller.window, "Ny databas …").trigger()
    assert asked == ["Ny databas"]
    assert controller.safe.store.path == new and new.exists()
    assert controller.window.path_label.text() == str(new)
    assert controller.safe.store.measures() and not list(controller.safe.store.unit_tree())  # empty
    assert controller.window.windowTitle() == "socdesk – förvaltning.db"

    before = demo_db.read_bytes()
    file_dialog_answers([demo_db])  # an existing file: refused, nothing written over
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    _menu_action(controller.window, "Ny databas …").trigger()
    assert "finns redan" in warned[0] and demo_db.read_bytes() == before
    assert controller.safe.store.path == new

    recent = controller.window.recent_menu
    recent.aboutToShow.emit()
    texts = [a.text() for a in recent.actions()]
    assert texts == [f"&1 {demo_db}"]  # the open one is not in the list
    recent.actions()[0].trigger()
    assert controller.safe.store.path == demo_db
    recent = controller.window.recent_menu
    recent.aboutToShow.emit()
    assert [a.text() for a in recent.actions()] == [f"&1 {new}"]
    new.unlink()
    recent.aboutToShow.emit()
    gone = recent.actions()[0]
    assert gone.text() == f"&1 {new} (finns inte)" and not gone.isEnabled()


def test_a_file_dropped_on_the_window_opens_the_import_wizard_on_it(controller, demo_db, tmp_path, qtbot):
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    assert controller.open(demo_db)
    window = controller.window
    f = tmp_path / "juni.csv"
    f.write_text("enhet;period;mått;scenario;värde\n7762;2024-06;netto;utfall;100\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    wizard = window.wizard
    qtbot.waitUntil(wizard.isVisible)
    assert wizard.file_page.path.text() == str(f)
    assert wizard.currentPage() is wizard.mapping_page  # read, on its preview
    wizard.reject()
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "bild.png"))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        other,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()  # not a file socdesk reads
