"""Start the GUI: open the last database, or the demo database in the per-user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from socdesk.core.errors import SocdeskError
from socdesk.gui.context import AppContext
from socdesk.gui.main_window import MainWindow
from socdesk.io.seeds import build_demo, open_database

APP = "socdesk"


def data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings() -> QSettings:
    return QSettings(str(data_dir() / "socdesk.ini"), QSettings.Format.IniFormat)


def choose_database(explicit: str | None, s: QSettings) -> Path:
    if explicit:
        return Path(explicit)
    last = s.value("database/last", "", str)
    if last and Path(last).exists():
        return Path(last)
    demo = data_dir() / "demo.db"
    if not demo.exists():
        build_demo(demo)
    return demo


def run(db: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP)
    app.setOrganizationName(APP)
    s = settings()
    try:
        path = choose_database(db, s)
        store = open_database(path)
    except SocdeskError as err:
        QMessageBox.critical(None, "socdesk", str(err))
        return 1
    s.setValue("database/last", str(path))
    window = MainWindow(AppContext(store, s))
    window.show()
    if os.environ.get("SOCDESK_STARTUP_PROBE"):  # benchmarks: quit once the window is painted
        window.repaint()
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    store.close()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1] if len(sys.argv) > 1 else None))
