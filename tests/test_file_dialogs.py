"""socdesk's own file dialogs do their job (a chosen file is written, SQLite's journal files are
not offered) and never hand back the open database as a file to write over or print to."""

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from socdesk.gui import file_dialogs


def when_modal(qtbot, act) -> None:
    """``act(dialog)`` once the next modal dialog is up; the dialog is closed whatever happens."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)


def untouched(db) -> tuple:
    """Size and time of the database and its -wal, by ``stat`` (reading the connected file would
    drop this process's locks on it)."""
    return tuple((s.st_size, s.st_mtime_ns) for s in (db.stat(), db.with_name(db.name + "-wal").stat()))


def test_export_writes_the_file_chosen_in_our_dialog(qtbot, workspace, tmp_path):
    target = tmp_path / "ut" / "tabell.xlsx"
    target.parent.mkdir()

    def choose(dialog):
        assert isinstance(dialog, QFileDialog) and dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        assert isinstance(dialog.iconProvider(), file_dialogs.NameOnlyIcons)
        dialog.setDirectory(str(target.parent))
        dialog.selectFile(str(target))
        dialog.accept()

    when_modal(qtbot, choose)
    workspace.export_table()
    assert target.exists() and target.read_bytes()[:2] == b"PK"


def test_journal_files_are_not_offered_and_the_names_tell_the_type(qtbot, workspace, tmp_path):
    db = workspace.ctx.database_path
    assert (db.parent / f"{db.name}-wal").exists()
    shown: list[str] = []

    def look(dialog):
        proxy = dialog.proxyModel()
        source = proxy.sourceModel()
        root = source.index(str(db.parent))
        if source.canFetchMore(root):
            source.fetchMore(root)
        qtbot.waitUntil(lambda: source.rowCount(root) >= 2)
        proxy_root = proxy.mapFromSource(root)
        shown.extend(proxy.index(r, 0, proxy_root).data() for r in range(proxy.rowCount(proxy_root)))
        types = {
            source.index(r, 0, root).data(): source.type(source.index(r, 0, root))
            for r in range(source.rowCount(root))
        }
        assert types[db.name] == "DB-fil" and types[f"{db.name}-wal"] == "DB-WAL-fil"
        dialog.reject()

    when_modal(qtbot, look)
    assert file_dialogs.open_file(workspace, "Öppna", db.parent, "Alla filer (*)", db) is None
    assert db.name in shown and not [n for n in shown if n.endswith(("-wal", "-shm", "-journal"))]


def test_the_open_database_is_never_returned_to_write_over(qtbot, workspace, modal_calls):
    db = workspace.ctx.database_path
    before = untouched(db)
    for target in (db, db.with_name(db.name + "-wal")):

        def choose(dialog, target=target):
            dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
            dialog.setDirectory(str(target.parent))
            dialog.selectFile(str(target))
            dialog.accept()

        when_modal(qtbot, choose)
        assert file_dialogs.save_file(workspace, "Exportera", "x.xlsx", "Excel (*.xlsx)", db) is None
        assert modal_calls[-1][0] == "warning" and "hör till databasen" in modal_calls[-1][1]
    assert untouched(db) == before


def test_printing_to_a_file_that_is_the_database_is_refused(qtbot, workspace, modal_calls):
    db = workspace.ctx.database_path
    before, painted = untouched(db), []

    def print_to_the_database(dialog):
        assert isinstance(dialog, QPrintDialog)
        dialog.findChild(QLineEdit, "filename").setText(str(db))
        dialog.accept()

    when_modal(qtbot, print_to_the_database)
    printer = QPrinter()
    assert not file_dialogs.print_document(printer, workspace, db, painted.append)
    assert painted == [] and "hör till databasen" in modal_calls[-1][1]
    assert untouched(db) == before
