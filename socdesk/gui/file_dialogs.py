"""Every file dialog of socdesk, and the print dialogs' file choice: one module.

Why one module: Qt's widget-based file dialog (and the file completer of the Linux print
dialog) asks the MIME database what each listed file is, and for a name it does not know,
such as ``budget.db-wal``, that means opening and reading the file. Closing that descriptor
drops every POSIX lock SQLite holds on the file in this process; the next program to close
its connection then checkpoints and deletes ``-wal``/``-shm`` under our feet, and what we
"save" afterwards goes into deleted files. So on Linux and macOS every dialog here is a
``QFileDialog`` instance (never the static functions, never the desktop's in-process native
dialog) whose icon provider looks at the name only, with SQLite's journal files hidden. On
Windows, which locks per handle, the native dialog is used.

A dialog never hands back the open database (or its journal files) as a file to import or
to write a report over: that is refused with a message, before anything reads or writes it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QFileInfo,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QFileSystemModel,
    QMessageBox,
    QWidget,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.store.db import JOURNAL_SUFFIXES

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

NATIVE = sys.platform == "win32"  # Windows locks per handle: its own dialog reads nothing of ours


class NameOnlyIcons(QFileIconProvider):
    """Icons and type names from the name and ``stat`` alone: never the MIME database, which
    reads the file."""

    def __init__(self) -> None:
        super().__init__()
        kinds = QFileIconProvider.IconType
        self._folder = super().icon(kinds.Folder)
        self._file = super().icon(kinds.File)
        self._drive = super().icon(kinds.Drive)

    def icon(self, what: Any) -> Any:
        if isinstance(what, QFileInfo):
            if what.isRoot():
                return self._drive
            return self._folder if what.isDir() else self._file
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return _("Mapp")
        suffix = info.suffix()
        return _("{s}-fil").format(s=suffix.upper()) if suffix else _("Fil")


class HideJournals(QSortFilterProxyModel):
    """SQLite's own files (``x.db-wal``, ``-shm``, ``-journal``) are never offered."""

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        source = self.sourceModel()
        index = source.index(row, 0, parent)
        name = str(index.data() or "")
        if not name.endswith(JOURNAL_SUFFIXES):
            return True
        return isinstance(source, QFileSystemModel) and source.isDir(index)


class _Guard(QObject):
    """Kept by a dialog (its child). Gives the name-only icons to every file system model in
    it (the Linux print dialog's file-name completer lists the home folder as it is made), and,
    while the dialog is shown, to every dialog Qt opens from it before that one lists a file:
    the print preview's print dialog, and the print dialog's own "…" file dialog. Icons and
    types are asked for when the view is painted, after ``Polish``, so this is in time."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.icons = NameOnlyIcons()
        self.apply(dialog)
        dialog.installEventFilter(self)

    def apply(self, widget: QWidget) -> None:
        if isinstance(widget, QFileDialog) and not isinstance(widget.iconProvider(), NameOnlyIcons):
            widget.setIconProvider(self.icons)
        for model in widget.findChildren(QFileSystemModel):
            if not isinstance(model.iconProvider(), NameOnlyIcons):
                model.setIconProvider(self.icons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.dialog and kind in (QEvent.Type.Show, QEvent.Type.Hide):
            app = QApplication.instance()
            if app is not None:  # every dialog opened while ours is up, however deep
                (app.installEventFilter if kind == QEvent.Type.Show else app.removeEventFilter)(self)
        elif kind == QEvent.Type.Polish and isinstance(watched, QDialog) and watched is not self.dialog:
            self.apply(watched)
        return False


def guard(dialog: QWidget) -> None:
    """Make a dialog of Qt's own (print, print preview) safe to show beside an open database."""
    if not NATIVE and dialog.findChild(_Guard) is None:
        _Guard(dialog)


def use_safe_dialogs(app: QApplication) -> None:
    """At start: the file dialogs Qt opens by itself (the print dialog's "…") are Qt's own
    widgets too, never the desktop's in-process native dialog, so that ``_Guard`` reaches them."""
    if not NATIVE:
        app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)


def _dialog(
    parent: QWidget | None, title: str, start: Path, filters: str, database: Path | None
) -> QFileDialog:
    dialog = QFileDialog(parent, title)  # no folder yet: nothing is listed before the guard
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setIconProvider(_Guard(dialog).icons)
    dialog.setProxyModel(HideJournals(dialog))
    dialog.setNameFilters(filters.split(";;"))
    if start.is_dir():
        dialog.setDirectory(str(start))
    else:
        dialog.setDirectory(str(start.parent if str(start.parent) else Path.cwd()))
        dialog.selectFile(start.name)
    return dialog


def _refused(parent: QWidget | None, path: Path, database: Path | None, *, writing: bool) -> bool:
    """``path`` is the open database or one of its journals: said, and refused."""
    from socdesk.files import refuse_database
    from socdesk.io.importer import refuse_reading_database

    if database is None:
        return False
    try:
        (refuse_database if writing else refuse_reading_database)(path, database)
    except SocdeskError as err:
        QMessageBox.warning(parent, "socdesk", str(err))
        return True
    return False


def open_file(
    parent: QWidget | None, title: str, start: str | Path, filters: str, database: Path | None = None
) -> Path | None:
    """One existing file (``None`` if the user cancelled); never ``database`` or its journals."""
    if NATIVE:  # pragma: no cover - Windows only
        name, _filter = QFileDialog.getOpenFileName(parent, title, str(start), filters)
    else:
        dialog = _dialog(parent, title, Path(start or Path.cwd()), filters, database)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        name = dialog.selectedFiles()[0] if dialog.exec() == QDialog.DialogCode.Accepted else ""
        dialog.deleteLater()
    if not name or _refused(parent, Path(name), database, writing=False):
        return None
    return Path(name)


def save_file(
    parent: QWidget | None, title: str, suggested: str | Path, filters: str, database: Path | None = None
) -> Path | None:
    """A file name to write (``None`` if cancelled); asks before replacing a file, and
    never returns ``database`` or its journals."""
    if NATIVE:  # pragma: no cover - Windows only
        name, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    else:
        dialog = _dialog(parent, title, Path(suggested).absolute(), filters, database)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        name = dialog.selectedFiles()[0] if dialog.exec() == QDialog.DialogCode.Accepted else ""
        dialog.deleteLater()
    if not name or _refused(parent, Path(name), database, writing=True):
        return None
    return Path(name)


def _printing_over(printer: QPrinter, parent: QWidget | None, database: Path | None) -> bool:
    """Printing to a file (the print dialog's "Skriv till fil") that is the open database:
    refused before a page is painted (the PDF writer would replace the file)."""
    name = printer.outputFileName()
    return bool(name) and _refused(parent, Path(name), database, writing=True)


def print_document(
    printer: QPrinter, parent: QWidget | None, database: Path | None, paint: Callable[[QPrinter], None]
) -> bool:
    """The print dialog, guarded; ``paint(printer)`` if the user prints. False if not printed."""
    from PySide6.QtPrintSupport import QPrintDialog

    dialog = QPrintDialog(printer, parent)
    guard(dialog)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or _printing_over(printer, parent, database):
            return False
    finally:
        dialog.deleteLater()
    paint(printer)
    return True


def preview_document(
    printer: QPrinter,
    parent: QWidget | None,
    database: Path | None,
    paint: Callable[[QPrinter], None],
    title: str,
) -> None:
    """The print preview, guarded, with its own print dialog and file choice guarded too."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    dialog = QPrintPreviewDialog(printer, parent)
    guard(dialog)
    dialog.setWindowTitle(title)

    def requested(target: QPrinter) -> None:
        if not _printing_over(target, dialog, database):
            paint(target)

    dialog.paintRequested.connect(requested)
    dialog.exec()
    dialog.deleteLater()
