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
from collections.abc import Callable
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
from PySide6.QtWidgets import QApplication, QMessageBox

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.files import write_atomic
from socdesk.gui import file_dialogs
from socdesk.gui.context import AppContext
from socdesk.gui.entry_view import fault_text
from socdesk.gui.main_thread_gc import MainThreadGC
from socdesk.gui.main_window import MainWindow
from socdesk.gui.settings import LAST_DATABASE, SCALE, open_settings, remember_database
from socdesk.gui.swedish import use_swedish_numbers
from socdesk.gui.workers import Runner
from socdesk.io.seeds import build_demo, install_default_measures
from socdesk.logs import setup_logging
from socdesk.paths import backup_dir, data_dir, log_dir
from socdesk.resources import resource
from socdesk.store.backup import hold_identity, list_backups, restore_backup, take_backup, up_to_date
from socdesk.store.db import StorageError, is_database_file, storage_error
from socdesk.store.errors import is_damage
from socdesk.store.integrity import check_due, check_file, note_damage, record_check
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


def install_excepthook(log_path: Path, storage_fault: Callable[[BaseException], bool] | None = None) -> None:
    """Any unexpected error: the traceback to the log, a readable dialog to the user. Every
    write is a transaction, so the database is consistent whatever was interrupted. A fault of
    the disk or the file goes to ``storage_fault`` (which returns True when it told the user)."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("oväntat fel:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is None:
            return
        if storage_fault is not None and storage_fault(value):
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
    check_failed = Signal(str, str)  # database path, why the background check could not run

    def __init__(
        self, app: QApplication, basedir: str | None = None, clock: Callable[[], datetime] = datetime.now
    ) -> None:
        super().__init__()
        self.app = app
        self.clock = clock  # when the day's check and backup are due (tests move it on)
        self._checking: str | None = None  # the database the background check is running on
        self.folder = data_dir(basedir)
        self.backups = backup_dir(basedir)
        self.log_path = setup_logging(log_dir(basedir))
        self.settings = open_settings(self.folder)
        self.safe: SafeStore | None = None
        self.window: MainWindow | None = None
        self.backup_runner: Runner | None = None
        self._reopening = False
        self.collector = MainThreadGC(self)  # cycles freed on this thread, never on a worker's
        self.collector.start()
        self.checked.connect(self._checked)
        self.check_failed.connect(self._check_failed)
        self.daily = QTimer(self)
        self.daily.setInterval(60 * 60 * 1000)  # hourly look: a check and a backup at least once a day
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
        if self.safe is not None and is_database_file(path, self.safe.store.path):
            # not again beside itself: its checks could copy the connected file (and drop our locks)
            QMessageBox.information(
                self.window, "socdesk", _("Databasen {p} är redan öppen.").format(p=self.safe.store.path)
            )
            return True
        safe = self._open_safely(path)
        if safe is None:
            return False
        if not safe.readonly and not safe.store.measures():
            install_default_measures(safe.store)
        self._close_current()
        self._show(safe, path)
        return True

    def _show(self, safe: SafeStore, path: Path, draft: tuple[str, dict[str, str]] | None = None) -> None:
        """The window on an opened database; ``draft`` (form key, cells) is put back in its form."""
        self.safe = safe
        remember_database(self.settings, path)
        scale = next((s for s in Scale if s.label == SCALE.get(self.settings)), Scale.TKR)
        ctx = AppContext(
            safe.store, self.settings, scale, safe.readonly, self.backups, self.log_path, self.folder
        )
        self.window = MainWindow(ctx)
        self.window.open_requested.connect(self.choose_and_open)
        self.window.open_path_requested.connect(self.open)
        self.window.new_requested.connect(self.new_database)
        self.window.restore_requested.connect(self.restore)
        self.window.storage_failed.connect(self._connection_lost)
        self.window.show()
        if draft is not None and not safe.readonly:
            window, (key, cells) = self.window, draft
            try:
                safe.store.save_draft(key, cells)
            except SocdeskError as err:
                self._rescue(path, draft, err)
            else:
                QTimer.singleShot(0, lambda: window.drafts.open(key))
        elif not safe.readonly:
            QTimer.singleShot(0, self.window.drafts.offer)  # typing a crash left unsaved
        log.info("öppnade %s%s", path, " (skrivskyddad)" if safe.readonly else "")
        if not safe.checked_fully:
            self.start_background_check(path)
        if not safe.readonly:
            self.backup_runner = Runner(path, parent=self.window)
            self.backup_runner.failed.connect(
                lambda message: log.error("säkerhetskopia misslyckades: %s", message)
            )
            QTimer.singleShot(BACKUP_DELAY_MS, lambda: self.backup_in_background("start", if_changed=True))

    # --- storage faults ---------------------------------------------------------------------
    def storage_fault(self, err: BaseException) -> bool:
        """A fault of the disk or the file that reached the top (the excepthook): the user is
        told at once, and a connection that cannot be trusted is reopened. False when ``err``
        is no such fault."""
        if self.safe is None:
            return False
        if is_damage(err):
            self._damaged(err)
            return True
        fault = err if isinstance(err, StorageError) else storage_error(err, self.safe.store.path)
        if fault is None:
            return False
        log.error("lagringsfel i %s: %s (%s)", self.safe.store.path, fault, fault.fault)
        if not self._reopening:
            QMessageBox.critical(self.window, "socdesk", fault_text(fault))
        if fault.reopen:
            self._connection_lost(fault)
        return True

    def _damaged(self, err: BaseException) -> None:
        """SQLite found the file damaged while it was in use (nothing of that write was saved):
        recorded, so that the open that follows checks the file first, puts it aside and offers
        the newest sound backup; the typing not saved goes with it (``reopen``)."""
        assert self.safe is not None
        path = self.safe.store.path
        note_damage(path, self.backups, str(err), self.safe.identity)
        if not self._reopening:
            QMessageBox.critical(
                self.window,
                "socdesk",
                _(
                    "Databasen {p} är skadad ({e}); det som just skulle sparas sparades inte. Den "
                    "öppnas nu igen och kontrolleras först: är den skadad läggs den undan och den "
                    "senaste hela säkerhetskopian erbjuds. Det du skrivit men inte sparat tas med."
                ).format(p=path, e=err),
            )
            self._reopening = True
            QTimer.singleShot(0, self.reopen)

    def _connection_lost(self, fault: StorageError) -> None:
        """The user has been told; the database is opened again once the current event is done."""
        if not self._reopening:
            self._reopening = True
            QTimer.singleShot(0, self.reopen)

    def reopen(self) -> None:
        """Close the connection that can no longer be trusted (an I/O error, the -wal taken
        away), open the database again the safe way and put the unsaved typing back."""
        self._reopening = False
        if self.safe is None:
            return
        path = self.safe.store.path
        draft = self.window.register.take_draft() if self.window is not None else None
        self._close_current()
        log.info("öppnar %s igen efter ett lagringsfel", path)
        safe = self._open_safely(path)
        if safe is None:  # told why; the typing must not go with the window
            if draft is not None:
                self._rescue(path, draft, None)
            return
        self._show(safe, path, draft)

    def _rescue(self, path: Path, draft: tuple[str, dict[str, str]], err: Exception | None) -> None:
        """The database cannot take the unsaved typing: it goes to a text file in the data folder."""
        key, cells = draft
        target = self.folder / f"osparat-{datetime.now():%Y%m%d-%H%M%S}.txt"
        lines = [f"# {path}", f"# {key}", *(f"{cell}\t{text}" for cell, text in sorted(cells.items()))]
        try:
            write_atomic(target, "\n".join(lines) + "\n")
        except SocdeskError as write_err:
            log.error("osparat utkast %s (%s) kunde inte sparas: %s; %s", key, path, write_err, cells)
            text = _("Det du skrivit kunde inte sparas någonstans ({e}); det finns i loggfilen {l}.").format(
                e=write_err, l=self.log_path
            )
        else:
            log.warning("osparat utkast %s sparat i %s", key, target)
            text = _("Det du skrivit men inte sparat finns i filen {f}.").format(f=target)
        QMessageBox.critical(self.window, "socdesk", (f"{err}\n\n" if err else "") + text)

    def start_background_check(self, path: Path) -> None:
        """The day's full check of the open database (``integrity.check_file``), on a daemon
        thread: the window is painted and usable meanwhile, it may take a minute at the size of
        a city, and closing the program must not wait for it (a check not finished is simply
        due again). What it finds is recorded beside the backups (``record_check``): a pass
        makes the next check due in a day, damage makes the next open check before opening."""
        if self._checking == str(path):
            return
        self._checking = str(path)
        folder, clock = self.backups, self.clock

        def work() -> None:
            try:
                found = check_file(path)
            except Exception as err:  # reported, never lost; the disk's faults said as such, not damage
                fault = storage_error(err, path)
                if fault is not None:
                    self.check_failed.emit(str(path), str(fault))
                    return
                found = None
                problems = [str(err)]
            if found is not None:
                record_check(path, folder, found, now=clock())
                problems = found.problems
            self.checked.emit(str(path), problems)

        threading.Thread(target=work, name="integritetskontroll", daemon=True).start()

    def _checked(self, path: str, problems: list[str]) -> None:
        if self._checking == path:
            self._checking = None
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

    def _check_failed(self, path: str, message: str) -> None:
        if self._checking == path:
            self._checking = None
        if self.safe is None or str(self.safe.store.path) != path:
            return
        log.error("integritetskontrollen av %s kunde inte göras: %s", path, message)
        QMessageBox.warning(
            self.window, "socdesk", _("Databasen {p} kunde inte kontrolleras: {e}").format(p=path, e=message)
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
        """The hourly look of a program left open: the day's check when it is due, and a backup
        when the newest is a day old and the database changed since."""
        if self.safe is None:
            return
        path = self.safe.store.path
        if check_due(path, self.backups, now=self.clock()):
            self.start_background_check(path)
        if self.safe.readonly:
            return
        newest = next(iter(list_backups(self.backups, self.safe.identity)), None)
        if newest is None or self.clock() - newest.taken_at > timedelta(days=1):
            self.backup_in_background("start", if_changed=True)

    def _open_safely(self, path: Path, readonly: bool = False) -> SafeStore | None:
        try:
            return open_safely(
                path, self.backups, readonly=readonly, daily_backup=False, check_now=False, now=self.clock()
            )
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
        path = file_dialogs.open_file(
            self.window, _("Öppna databas"), self.folder, _("socdesk-databas (*.db);;Alla filer (*)")
        )
        if path is not None:
            self.open(path)

    def new_database(self) -> bool:
        """Arkiv → Ny databas: an empty database (the standard measures, no units yet) in a new
        file, opened in place of this one. An existing file is never written over."""
        path = file_dialogs.save_file(
            self.window, _("Ny databas"), self.folder / "ny.db", _("socdesk-databas (*.db)")
        )
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".db")
        if path.exists():
            QMessageBox.warning(
                self.window,
                "socdesk",
                _(
                    "{p} finns redan. En ny databas skrivs aldrig över en fil: välj ett annat namn, "
                    "eller öppna filen med Arkiv → Öppna databas."
                ).format(p=path),
            )
            return False
        return self.open(path)

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
        self.collector.stop()


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
    use_swedish_numbers()
    file_dialogs.use_safe_dialogs(app)
    controller = AppController(app, basedir)  # type: ignore[arg-type]
    route_qt_messages()
    install_excepthook(controller.log_path, controller.storage_fault)
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
