"""Start the GUI: logging, the error dialog, settings, and a database opened safely.

``AppController`` owns the open database and the main window; opening another database or
restoring a backup replaces both.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QtMsgType,
    QTranslator,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.gui.context import AppContext
from socdesk.gui.main_window import MainWindow
from socdesk.gui.settings import LAST_DATABASE, SCALE, open_settings, remember_database
from socdesk.gui.workers import Runner
from socdesk.io.seeds import build_demo, install_default_measures
from socdesk.logs import setup_logging
from socdesk.paths import backup_dir, data_dir, log_dir
from socdesk.resources import resource
from socdesk.store.backup import (
    hold_identity,
    integrity_problems,
    list_backups,
    restore_backup,
    take_backup,
    up_to_date,
)
from socdesk.store.safety import (
    CorruptDatabaseError,
    DatabaseInUseError,
    NetworkPathError,
    SafeStore,
    open_safely,
)

APP = "socdesk"
BACKUP_DELAY_MS = 1500  # after the window is painted
log = logging.getLogger("socdesk.gui")
qt_log = logging.getLogger("socdesk.qt")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages() -> None:
    """Qt's own warnings go to our log, not to a console nobody sees."""

    def handler(kind: QtMsgType, context, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def install_excepthook(log_path: Path) -> None:
    """Any unexpected error: the traceback to the log, a readable dialog to the user. Every
    write is a transaction, so the database is consistent whatever was interrupted."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("oväntat fel:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "socdesk",
            _("Ett oväntat fel inträffade: {e}").format(e=value)
            if isinstance(value, SocdeskError)
            else _(
                "Ett oväntat fel inträffade. Det du redan sparat är kvar; det du höll på "
                "med kan behöva göras om."
            ),
        )
        box.setInformativeText(_("Detaljer finns i loggfilen:\n{p}").format(p=log_path))
        box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
        box.exec()

    sys.excepthook = hook


class AppController(QObject):
    checked = Signal(str, list)  # database path, problems found by the background check

    def __init__(self, app: QApplication, basedir: str | None = None) -> None:
        super().__init__()
        self.app = app
        self.folder = data_dir(basedir)
        self.backups = backup_dir(basedir)
        self.log_path = setup_logging(log_dir(basedir))
        self.settings = open_settings(self.folder)
        self.safe: SafeStore | None = None
        self.window: MainWindow | None = None
        self.backup_runner: Runner | None = None
        self.checked.connect(self._checked)
        self.daily = QTimer(self)
        self.daily.setInterval(60 * 60 * 1000)  # hourly look: a backup at least once a day
        self.daily.timeout.connect(self._daily)
        self.daily.start()

    # --- choosing and opening -----------------------------------------------------------
    def initial_database(self, explicit: str | None) -> Path:
        if explicit:
            return Path(explicit)
        last = LAST_DATABASE.get(self.settings)
        if last and Path(last).exists():
            return Path(last)
        demo = self.folder / "demo.db"
        if not demo.exists():
            build_demo(demo)
        return demo

    def open(self, path: Path) -> bool:
        """Open ``path`` (asking the user where a choice is needed); replaces the window."""
        safe = self._open_safely(path)
        if safe is None:
            return False
        if not safe.readonly and not safe.store.measures():
            install_default_measures(safe.store)
        self._close_current()
        self.safe = safe
        remember_database(self.settings, path)
        scale = next((s for s in Scale if s.label == SCALE.get(self.settings)), Scale.TKR)
        ctx = AppContext(safe.store, self.settings, scale, safe.readonly, self.backups, self.log_path)
        self.window = MainWindow(ctx)
        self.window.open_requested.connect(self.choose_and_open)
        self.window.restore_requested.connect(self.restore)
        self.window.show()
        if not safe.readonly:
            QTimer.singleShot(0, self.window.offer_drafts)  # typing a crash left unsaved
        log.info("öppnade %s%s", path, " (skrivskyddad)" if safe.readonly else "")
        if not safe.checked_fully:
            self.start_background_check(path)
        if not safe.readonly:
            self.backup_runner = Runner(path, parent=self.window)
            self.backup_runner.failed.connect(
                lambda message: log.error("säkerhetskopia misslyckades: %s", message)
            )
            QTimer.singleShot(BACKUP_DELAY_MS, lambda: self.backup_in_background("start", if_changed=True))
        return True

    def start_background_check(self, path: Path) -> None:
        """The full check of a large database, on a daemon thread: it may take a minute, and
        closing the program must not wait for it (a check can always be run again)."""

        def work() -> None:
            try:
                problems = integrity_problems(path, quick=True)
            except Exception as err:  # reported, never lost
                problems = [str(err)]
            self.checked.emit(str(path), problems)

        threading.Thread(target=work, name="integritetskontroll", daemon=True).start()

    def _checked(self, path: str, problems: list[str]) -> None:
        if self.safe is None or str(self.safe.store.path) != path:
            return
        log.info("integritetskontroll av %s: %s", path, "ok" if not problems else problems[:5])
        """The background integrity check of a large database found something: say so."""
        if problems and self.safe is not None:
            log.error("integritetskontrollen hittade fel: %s", problems[:5])
            QMessageBox.warning(
                self.window,
                "socdesk",
                _(
                    "Kontrollen av databasen {p} hittade fel ({e}). Spara inget mer; stäng programmet och "
                    "öppna databasen igen för att lägga den åt sidan och återställa den senaste hela "
                    "säkerhetskopian."
                ).format(p=self.safe.store.path, e=problems[0]),
            )

    def backup_in_background(self, reason: str, *, if_changed: bool = False) -> None:
        """Back up the open database on a worker thread (a large database takes a while);
        ``if_changed``: not when its newest backup already holds the current state."""
        if self.safe is None or self.safe.readonly or self.backup_runner is None:
            return
        folder, identity = self.backups, self.safe.identity
        hold_identity(self.safe.store)  # the worker's backup is named by the identity it reads

        def work(store, _signals):
            if if_changed and up_to_date(folder, store, identity):
                return None
            return take_backup(store, folder, reason)

        self.backup_runner.start(work)

    def _daily(self) -> None:
        if self.safe is None or self.safe.readonly:
            return
        newest = next(iter(list_backups(self.backups, self.safe.identity)), None)
        if newest is None or datetime.now() - newest.taken_at > timedelta(days=1):
            self.backup_in_background("start", if_changed=True)

    def _open_safely(self, path: Path, readonly: bool = False) -> SafeStore | None:
        try:
            return open_safely(path, self.backups, readonly=readonly, daily_backup=False)
        except (DatabaseInUseError, NetworkPathError) as err:
            answer = QMessageBox.question(None, "socdesk", str(err) + "\n\n" + _("Öppna skrivskyddad?"))
            if answer == QMessageBox.StandardButton.Yes:
                return self._open_safely(path, readonly=True)
            return None
        except CorruptDatabaseError as err:
            if err.newest_backup is None:
                QMessageBox.critical(None, "socdesk", str(err))
                return None
            answer = QMessageBox.question(
                None, "socdesk", str(err) + "\n\n" + _("Återställa den senaste hela säkerhetskopian?")
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
            restore_backup(err.newest_backup, path, err.identity, self.backups)
            return self._open_safely(path, readonly)
        except SocdeskError as err:
            QMessageBox.critical(None, "socdesk", str(err))
            return None

    def _close_current(self) -> None:
        if self.backup_runner is not None:
            self.backup_runner.pool.waitForDone(120_000)  # never cut a backup short
            self.backup_runner = None
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.safe is not None:
            self.safe.close()
            self.safe = None

    def choose_and_open(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            None, _("Öppna databas"), str(self.folder), _("socdesk-databas (*.db);;Alla filer (*)")
        )
        if path:
            self.open(Path(path))

    def restore(self, backup: Path) -> None:
        """Back up the current state, then put ``backup`` in its place and reopen."""
        assert self.safe is not None
        target, identity = self.safe.store.path, self.safe.identity
        self.safe.backup("aterstallning", rotating=False)  # rotation could take the chosen one away
        self._close_current()
        restore_backup(backup, target, identity, self.backups)  # the database keeps its identity
        log.info("återställde %s från %s", target, backup)
        self.open(target)

    def shutdown(self) -> None:
        if self.window is not None:
            SCALE.set(self.settings, self.window.ctx.scale.label)
        self._close_current()
        self.settings.sync()


def install_swedish(app: QApplication) -> bool:
    """Qt's own texts (Ja/Nej, Avbryt, Spara, the file dialogs) in Swedish."""
    translator = QTranslator(app)
    ok = translator.load(
        QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    )
    if ok:
        app.installTranslator(translator)
    else:
        log.warning("Qt:s svenska översättning (qtbase_sv.qm) hittades inte")
    return ok


def run(db: str | None = None, basedir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP)
    app.setOrganizationName(APP)
    app.setWindowIcon(QIcon(str(resource("socdesk.png"))))
    install_swedish(app)
    controller = AppController(app, basedir)  # type: ignore[arg-type]
    route_qt_messages()
    install_excepthook(controller.log_path)
    try:
        path = controller.initial_database(db)
    except SocdeskError as err:
        QMessageBox.critical(None, "socdesk", str(err))
        return 1
    if not controller.open(path):
        return 1
    if os.environ.get("SOCDESK_STARTUP_PROBE"):  # benchmarks: quit once the window is painted
        assert controller.window is not None
        controller.window.repaint()
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    controller.shutdown()
    return int(code)
