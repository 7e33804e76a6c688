"""A saved month never vanishes: nothing in socdesk opens the database's files while it is
connected (closing any descriptor on them drops every POSIX lock SQLite holds in this
process, and another program then deletes -wal/-shm under us), and if the -wal is taken
away all the same, the store refuses to write, the form keeps the typing and the database
is opened again.

``SOCDESK_WAL_ROUNDS`` sets the rounds of the two-process test (``benchmarks/wal_trials.py``
runs it many times in a row)."""

import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QToolButton

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.gui.app import AppController
from socdesk.store.db import DetachedWalError, StorageError, Store
from socdesk.store.safety import header_problems, open_safely, quarantine

ROUNDS = int(os.environ.get("SOCDESK_WAL_ROUNDS", "3"))
FORM = "utfall:ekonomi:771:2024-06"


def wal_inode(db: Path) -> int | None:
    try:
        return os.stat(f"{db}-wal").st_ino
    except FileNotFoundError:
        return None


def other_process_connects_and_closes(db: Path) -> None:
    """What any other program does (socdesk report, a colleague's check): open, read, close.
    If it believes it is the last connection, SQLite checkpoints and deletes -wal and -shm."""
    code = f"import sqlite3; c = sqlite3.connect({str(db)!r}); c.execute('SELECT count(*) FROM sqlite_master').fetchall(); c.close()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def drop_this_process_locks(db: Path) -> None:
    """The bug itself, from the test's own code: open and close a descriptor on the file."""
    os.close(os.open(db, os.O_RDONLY))


def fact(value, unit="A", month=1):
    return Fact(FactKey(unit, "netto", Scenario.ACTUAL, Period.month(2024, month)), Value.of(value))


@pytest.fixture
def db(tmp_path):
    from socdesk.io.seeds import open_database

    path = tmp_path / "data.db"
    s = open_database(path)
    s.add_units([Unit("A", "Enhet A")])
    s.close()
    return path


# --- nothing opens the files of a connected database ---------------------------------------
def test_the_open_guard_catches_socdesk_code_opening_a_connected_database(db, database_opens):
    """The autouse guard of conftest.py is real: socdesk code copying the connected file is seen
    (quarantine is only for a database nobody has open), a closed one is not."""
    with Store(db):
        quarantine(db)
        opened = sorted(line.split()[0].rsplit("/", 1)[1] for line in database_opens)
        assert opened == ["data.db", "data.db-shm", "data.db-wal"]
        assert all("safety.py" in line and "(quarantine)" in line for line in database_opens)
        database_opens.clear()
    quarantine(db)  # nothing connected now: allowed
    assert database_opens == []


def test_the_header_check_reads_through_sqlite_and_keeps_the_locks(db, database_opens):
    with Store(db) as s:
        s.write_facts([fact(1)], source="test")
        before = wal_inode(db)
        assert before is not None
        assert header_problems(db) == []
        other_process_connects_and_closes(db)
        assert wal_inode(db) == before  # still ours: our locks held
        s.write_facts([fact(2, month=2)], source="test")
    assert database_opens == []
    with Store(db, readonly=True) as fresh:
        assert sorted(f.value.number for f in fresh.facts()) == [1, 2]


def test_the_header_check_tells_damage_from_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"not a database!!" + b"\0" * 5000)
    assert header_problems(path) == ["filhuvudet är inte en SQLite-databas"]


def test_the_database_and_its_journals_are_told_by_name_or_by_inode(db, tmp_path):
    from socdesk.store.db import is_database_file

    other = tmp_path / "link.db"
    os.link(db, other)  # the same file under another name
    for candidate in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal"), other):
        assert is_database_file(candidate, db), candidate
    (tmp_path / "ny.csv").write_text("x")
    assert not is_database_file(tmp_path / "ny.csv", db)
    assert not is_database_file(tmp_path / "data.db.skadad-1", db)


def test_the_database_itself_is_never_read_as_a_file_to_import(db, tmp_path, qtbot):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "socdesk",
            "--basedir",
            str(tmp_path / "b"),
            "import",
            str(db),
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "den öppna databasen" in r.stderr and "oförändrad" in r.stderr
    # the import wizard, the path typed by hand: refused before it is read (the guard would see a read)
    from PySide6.QtCore import QSettings

    from socdesk.gui.context import AppContext
    from socdesk.gui.import_wizard import ImportWizard

    with Store(db) as s:
        wizard = ImportWizard(AppContext(s, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
        qtbot.addWidget(wizard)
        page = wizard.page(0)
        for name in (str(db), f"{db}-wal"):
            page.path.setText(name)
            assert not page.validatePage()
            assert "den öppna databasen" in page.info.text()


# --- the -wal taken away all the same: refused, never written into a deleted file ----------
@pytest.mark.parametrize("how", ["locks dropped", "deleted", "replaced"])
def test_a_write_is_refused_when_the_wal_is_no_longer_ours(db, how):
    s = Store(db)
    try:
        s.write_facts([fact(1)], source="test")
        if how == "locks dropped":  # as the file dialogs did: the other process then deletes it
            drop_this_process_locks(db)
            other_process_connects_and_closes(db)
        else:
            os.unlink(f"{db}-wal")
            os.unlink(f"{db}-shm")
            if how == "replaced":  # another program's new, empty -wal in its place
                Path(f"{db}-wal").write_bytes(b"")
        with pytest.raises(DetachedWalError) as err:
            s.write_facts([fact(2, month=2)], source="test")
        message = str(err.value)
        assert str(db) in message and "data.db-wal" in message and "sparades inte" in message
        assert err.value.reopen
        with pytest.raises(DetachedWalError):  # and every later write, until reopened
            s.add_units([Unit("B", "B")])
    finally:
        s.close()
    with Store(db) as fresh:  # opened again: writes work, and the refused one is not there
        assert [f.value.number for f in fresh.facts()] == [1]
        fresh.write_facts([fact(3, month=3)], source="test")
        assert len(fresh.facts()) == 2


# --- the GUI: the form keeps the typing, the user is told, the database is reopened --------
@pytest.fixture
def controller(qtbot, tmp_path):
    c = AppController(QApplication.instance(), str(tmp_path / "base"))
    yield c
    if c.window is not None:
        model = c.window.register.entry.model
        if model is not None and model.dirty:
            model.mark_saved()
    c.shutdown()


def open_form(qtbot, controller):
    path = controller.initial_database(None)  # the demo, built in the data folder
    assert controller.open(path)
    w = controller.window
    qtbot.waitExposed(w)
    w.select_unit("771")
    w.period.set_month(Month(2024, 6))
    w.tabs.setCurrentWidget(w.register)
    entry = w.register.entry
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == FORM)
    return path, w, entry


def type_cells(entry, typed: dict[str, str]) -> None:
    model = entry.model
    rows = {u.code: i for i, u in enumerate(model.form.units)}
    for code, text in typed.items():
        model.setData(model.index(rows[code], 0), text)


def form_texts(entry, codes) -> dict[str, str]:
    model = entry.model
    rows = {u.code: i for i, u in enumerate(model.form.units)}
    return {c: model.text(rows[c], 0) for c in codes}


def june_in_a_fresh_process(db: Path, codes) -> dict[str, Decimal | None]:
    """Read by a new connection in another process: what is really in the database."""
    code = textwrap.dedent(
        f"""
        import json
        from socdesk.core.facts import Scenario
        from socdesk.core.periods import Period
        from socdesk.store.db import Store
        s = Store({str(db)!r}, readonly=True)
        netto = s.measures()["netto"]
        values = {{c: s.value(c, netto, Scenario.ACTUAL, Period.month(2024, 6)).number for c in {list(codes)!r}}}
        print(json.dumps({{c: None if v is None else str(v) for c, v in values.items()}}))
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return {c: None if v is None else Decimal(v) for c, v in json.loads(r.stdout).items()}


def test_the_form_keeps_the_typing_when_the_wal_was_taken_away(qtbot, controller, modal_calls):
    path, w, entry = open_form(qtbot, controller)
    typed = {"7762": "3 412,5", "7711": "1 712"}
    type_cells(entry, typed)
    ours = wal_inode(path)
    drop_this_process_locks(path)
    other_process_connects_and_closes(path)  # it checkpointed and deleted -wal and -shm
    assert wal_inode(path) != ours

    qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)

    kind, text = modal_calls[-1]
    assert kind == "critical" and str(path) in text and "Inget sparades" in text and "utkast" in text
    assert "uppgifter sparade" not in entry.status.text()
    # the database is opened again, and the form shows the typing, unsaved, ready to save
    qtbot.waitUntil(lambda: controller.window is not w and controller.window is not None)
    entry = controller.window.register.entry
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == FORM and entry.model.dirty)
    assert form_texts(entry, typed) == typed
    assert june_in_a_fresh_process(path, typed) == {"7762": None, "7711": None}
    with qtbot.waitSignal(entry.saved):
        qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
    assert entry.status.text() == "2 uppgifter sparade."
    assert june_in_a_fresh_process(path, typed) == {"7762": 3_412_500, "7711": 1_712_000}


def test_an_io_error_on_saving_is_told_at_once_and_nothing_pretends_to_be_saved(
    qtbot, controller, modal_calls
):
    """A real I/O error: the file size limit makes the kernel refuse the -wal's growth (EFBIG),
    which SQLite reports as SQLITE_IOERR_WRITE."""
    path, w, entry = open_form(qtbot, controller)
    typed = {"7762": "3 412,5"}
    type_cells(entry, typed)
    entry.keep_draft()  # what the draft timer does a moment after typing
    controller.safe.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the save must grow it
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, hard))
    try:
        qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)

    kind, text = modal_calls[-1]
    assert kind == "critical" and str(path) in text and "in- och utdatafel" in text and "utkast" in text
    assert entry.status.text().startswith("Inget sparades") and entry.model.dirty
    qtbot.waitUntil(lambda: controller.window is not w and controller.window is not None)
    entry = controller.window.register.entry
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == FORM and entry.model.dirty)
    assert form_texts(entry, typed) == typed
    assert june_in_a_fresh_process(path, typed) == {"7762": None}


def test_if_the_database_cannot_be_opened_again_the_typing_goes_to_a_file(qtbot, controller, modal_calls):
    path, _w, entry = open_form(qtbot, controller)
    typed = {"7762": "3 412,5", "7711": "1 712"}
    type_cells(entry, typed)
    drop_this_process_locks(path)
    other_process_connects_and_closes(path)
    fd = os.open(path, os.O_WRONLY)  # and the file is damaged too: opening it again is refused
    os.pwrite(fd, b"\xff" * 3900, 100)
    os.close(fd)
    qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("osparat-" in text for _kind, text in modal_calls), timeout=20000)
    assert modal_calls[0][0] == "critical" and "utkast" in modal_calls[0][1]
    assert any("skadad" in text for _kind, text in modal_calls)
    rescued = list(controller.folder.glob("osparat-*.txt"))
    assert len(rescued) == 1 and str(rescued[0]) in modal_calls[-1][1]
    text = rescued[0].read_text(encoding="utf-8")
    assert FORM in text and "7762/0\t3 412,5" in text and "7711/0\t1 712" in text


def test_the_open_database_is_not_opened_again_beside_itself(qtbot, controller, modal_calls):
    path, w, _entry = open_form(qtbot, controller)
    assert controller.open(path) and controller.window is w
    assert modal_calls[-1] == ("information", f"Databasen {path} är redan öppen.")


def test_a_failing_background_job_never_leaves_the_deviations_on_calculating(qtbot, controller, monkeypatch):
    import sqlite3

    from socdesk.gui import main_window

    def disk_fails(*args, **kwargs):
        err = sqlite3.OperationalError("disk I/O error")  # as SQLite raises it for a failing disk
        err.sqlite_errorcode, err.sqlite_errorname = 266, "SQLITE_IOERR_READ"
        raise err

    monkeypatch.setattr(main_window, "deviations", disk_fails)
    path, w, _entry = open_form(qtbot, controller)
    w._refresh_deviations()
    qtbot.waitUntil(lambda: "kunde inte beräknas" in w.deviations.summary.text(), timeout=10000)
    assert "in- och utdatafel" in w.deviations.summary.text() and str(path) in w.deviations.summary.text()


# --- two processes, socdesk's own dialogs on the database's folder ---------------------------
def listed(model: QFileSystemModel, folder: Path) -> bool:
    index = model.index(str(folder))
    if model.canFetchMore(index):
        model.fetchMore(index)
    names = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
    shown = {model.index(r, 0, index).data() for r in range(model.rowCount(index))}
    return names <= shown


def look_at_every_file(model: QFileSystemModel, folder: Path) -> None:
    """What a view painting the folder in detail asks: the icon and the type of every file."""
    index = model.index(str(folder))
    for r in range(model.rowCount(index)):
        model.data(model.index(r, 0, index), Qt.ItemDataRole.DecorationRole)
        model.data(model.index(r, 2, index), Qt.ItemDataRole.DisplayRole)  # "Typ"


def answer_next_dialog(qtbot, folder: Path, seen: list[str]) -> None:
    """Once the next modal dialog is up: show ``folder`` in it with every file listed and looked
    at, then cancel it (a print preview: press its Skriv ut first and answer that dialog too)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() == "answered":
            QTimer.singleShot(10, act)
            return
        dialog.setObjectName("answered")
        if isinstance(dialog, QFileDialog):
            dialog.setNameFilter("*")
            dialog.setDirectory(str(folder))
        if isinstance(dialog, QPrintPreviewDialog):
            seen.append("förhandsgranskning")
            answer_next_dialog(qtbot, folder, seen)
            label = QCoreApplication.translate("QPrintPreviewDialog", "Print")
            next(a for a in dialog.findChildren(QAction) if a.text() == label).trigger()
            dialog.reject()
            return
        models = dialog.findChildren(QFileSystemModel)
        for model in models:
            qtbot.waitUntil(lambda m=model: listed(m, folder), timeout=10000)
            look_at_every_file(model, folder)
        seen.append(type(dialog).__name__)
        browse = dialog.findChild(QToolButton, "fileBrowser")
        if isinstance(dialog, QPrintDialog) and browse is not None:  # "…" of Skriv till fil: Qt's own dialog
            answer_next_dialog(qtbot, folder, seen)
            browse.click()
        dialog.reject()

    QTimer.singleShot(0, act)


def show_every_dialog(qtbot, controller, folder: Path) -> list[str]:
    """Öppna, Importera's Bläddra, Exportera, Spara diagram, Spara rapporten, Skriv ut and the
    print preview, each shown on the database's folder and cancelled."""
    w, seen = controller.window, []
    answer_next_dialog(qtbot, folder, seen)
    controller.choose_and_open()
    w.import_file()
    answer_next_dialog(qtbot, folder, seen)
    w.wizard.page(0)._browse()
    w.wizard.reject()
    answer_next_dialog(qtbot, folder, seen)
    w.export_table()
    w.tabs.setCurrentIndex(1)
    answer_next_dialog(qtbot, folder, seen)
    w.chart._save_clicked()
    w.show_reports()
    reports = w.report_dialog
    qtbot.waitUntil(lambda: reports.report is not None, timeout=30000)
    answer_next_dialog(qtbot, folder, seen)
    reports.save_as()
    answer_next_dialog(qtbot, folder, seen)
    reports.print_report()
    answer_next_dialog(qtbot, folder, seen)
    reports.show_preview()
    reports.reject()
    w.tabs.setCurrentWidget(w.register)
    return seen


COMMANDS = [
    ["check", "--db", "{db}"],
    ["export", "--db", "{db}", "-o", "{out}/ut.csv"],
    ["report", "manad", "--db", "{db}", "--period", "2024-06", "--unit", "SN", "-o", "{out}/rapport.pdf"],
]


def test_two_processes_every_save_survives_and_the_wal_stays_ours(qtbot, controller, tmp_path, monkeypatch):
    out = tmp_path / "ut"
    out.mkdir()
    path, w, entry = open_form(qtbot, controller)
    folder = path.parent
    monkeypatch.setenv("HOME", str(folder))  # the print dialog's file completer lists the home folder
    inode = wal_inode(path)
    assert inode is not None
    units = [u.code for u in entry.model.form.units]
    saved: dict[str, int] = {}
    for r in range(ROUNDS):
        if r == 0 or r % 5 == 4:
            seen = show_every_dialog(qtbot, controller, folder)
            assert seen == ["QFileDialog"] * 5 + [
                "QPrintDialog",
                "QFileDialog",
                "förhandsgranskning",
                "QPrintDialog",
                "QFileDialog",
            ]
            entry = controller.window.register.entry
            qtbot.waitUntil(lambda e=entry: e.model is not None and e.model.form.key == FORM)
        code = units[r % len(units)]
        type_cells(entry, {code: str(1000 + r)})
        with qtbot.waitSignal(entry.saved, timeout=10000):
            qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
        saved[code] = (1000 + r) * 1000
        command = [a.format(db=path, out=out) for a in COMMANDS[r % len(COMMANDS)]]
        result = subprocess.run(
            [sys.executable, "-m", "socdesk", "--basedir", str(tmp_path / "cli"), *command],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in result.stderr, result.stderr
        assert wal_inode(path) == inode, f"round {r}: -wal gone or replaced after {command[0]}"
    assert controller.window is w  # never reopened: nothing was lost on the way
    assert june_in_a_fresh_process(path, saved) == saved
    controller.shutdown()
    with Store(path, readonly=True) as fresh:
        netto = fresh.measures()["netto"]
        assert {
            c: fresh.value(c, netto, Scenario.ACTUAL, Period.month(2024, 6)).number for c in saved
        } == saved


def test_storage_error_subclasses():
    assert issubclass(DetachedWalError, StorageError)
    assert not StorageError("x", "SQLITE_FULL").reopen and StorageError("x", "SQLITE_IOERR_WRITE").reopen


def test_open_safely_with_a_connected_store_leaves_it_attached(db, tmp_path, database_opens):
    """The GUI opening a database (open_safely's checks) beside a connection that is already open."""
    with Store(db) as s:
        s.write_facts([fact(1)], source="test")
        inode = wal_inode(db)
        with open_safely(db, tmp_path / "b", readonly=True, daily_backup=False):
            pass
        other_process_connects_and_closes(db)
        assert wal_inode(db) == inode
        s.write_facts([fact(2, month=2)], source="test")
