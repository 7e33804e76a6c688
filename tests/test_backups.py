"""Backups belong to one database: named, listed, rotated, offered and restored by the database's
identity; a refused import takes none; an unchanged database is not backed up again on opening;
what an interrupted backup left is removed."""

import hashlib
import shutil
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.gui import app as gui_app
from socdesk.gui.app import AppController
from socdesk.gui.backups_dialog import BackupsDialog
from socdesk.io.seeds import install_default_measures, open_database
from socdesk.store.backup import (
    backup,
    identity_of,
    legacy_backups,
    list_backups,
    restore_backup,
    rotate,
)
from socdesk.store.db import Store
from socdesk.store.safety import CorruptDatabaseError, open_safely


def fact(value, month=1, unit="A"):
    return Fact(FactKey(unit, "netto", Scenario.ACTUAL, Period.month(2024, month)), Value.of(value))


def make(path: Path, value=100) -> Path:
    """A small database of its own (its own identity)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_database(path) as s:
        s.add_units([Unit("A", "Enhet A")])
        s.write_facts([fact(value)], source="test")
    return path


def netto(path: Path):
    with Store(path, readonly=True) as s:
        return s.facts()[0].value.number


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def two(tmp_path):
    """``A/budget.db`` and ``B/budget.db``: two databases with the same file name."""
    return make(tmp_path / "A" / "budget.db", 100), make(tmp_path / "B" / "budget.db", 200)


def test_same_named_databases_have_their_own_identity_and_backups(two, tmp_path):
    a, b = two
    folder = tmp_path / "backups"
    assert identity_of(a) != identity_of(b)
    now = datetime.now()
    with Store(b) as s:  # a month of daily backups of B: rotating B would drop most of them
        for days in range(30):
            backup(s.conn, b, folder, "start", now=now - timedelta(days=days, hours=1))
    of_b = list_backups(folder, b)
    with Store(a) as s:
        for days in range(30):
            backup(s.conn, a, folder, "import", now=now - timedelta(days=days))
    of_a = list_backups(folder, a)
    assert len(of_a) == len(of_b) == 30 and not {x.path for x in of_a} & {x.path for x in of_b}
    assert {x.original() for x in of_b} == {str(b.resolve())}
    removed = rotate(folder, a, now=now)
    assert len(removed) > 10 and set(removed) <= {x.path for x in of_a}
    assert not any(Path(f"{p}.json").exists() for p in removed)  # records go with their backups
    assert list_backups(folder, b) == of_b  # rotation of A never touches B's

    # Imports into A through the command line rotate A's backups only.
    f = tmp_path / "juni.csv"
    f.write_text("enhet;period;mått;scenario;värde\nA;2024-06;netto;utfall;7\n", encoding="utf-8")
    base = tmp_path / "base"
    shutil.copytree(folder, base / "backups")
    r = socdesk("--basedir", base, "import", f, "--db", a)
    assert r.returncode == 0, r.stderr
    assert [x.path.name for x in list_backups(base / "backups", b)] == [x.path.name for x in of_b]
    assert list_backups(base / "backups", a)[0].reason == "import"


def test_the_restore_dialog_of_b_offers_only_bs_backups_and_restores_keeping_the_identity(
    two, tmp_path, qtbot, monkeypatch
):
    a, b = two
    monkeypatch.setattr(gui_app, "BACKUP_DELAY_MS", 0)
    controller = AppController(QApplication.instance(), str(tmp_path / "base"))
    folder = controller.backups
    try:
        with open_safely(b, folder) as safe:  # a start backup of B holding 200
            safe.store.write_facts([fact(250)], source="test")
        with open_safely(a, folder) as safe:  # A's backups are newer than all of B's
            safe.backup("manuell")
        (folder / f"budget__{datetime(2025, 1, 2):%Y%m%d-%H%M%S-%f}__start.db").write_bytes(a.read_bytes())
        identity = identity_of(b)
        assert controller.open(b)
        with qtbot.waitSignal(controller.backup_runner.finished, timeout=20_000):
            pass  # the start backup: B changed (250) since its last backup
        seen: dict = {}

        def in_dialog() -> None:
            dialog = QApplication.activeModalWidget()
            try:
                assert isinstance(dialog, BackupsDialog)
                seen["rows"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
                seen["backups"] = list(dialog.backups)
                row = max(
                    i for i, x in enumerate(dialog.backups) if x and not x.legacy and x.reason == "start"
                )
                dialog.list.setCurrentRow(row)
                seen["chosen"] = dialog.chosen()
                qtbot.mouseClick(dialog.restore, Qt.MouseButton.LeftButton)
            finally:
                if dialog is not None and dialog.isVisible():
                    dialog.reject()

        QTimer.singleShot(0, in_dialog)
        controller.window.backups_action.trigger()  # Arkiv → Säkerhetskopior …, modal
        ours = [x for x in seen["backups"] if x is not None and not x.legacy]
        legacy = [x for x in seen["backups"] if x is not None and x.legacy]
        assert ours and all(x.identity == identity[:16] for x in ours)
        assert {x.original() for x in ours} == {str(b.resolve())}
        assert all(
            str(b.resolve()) in t for t, x in zip(seen["rows"], seen["backups"], strict=True) if x in ours
        )
        assert not any(x.path in {y.path for y in list_backups(folder, a)} for x in ours)
        assert len(legacy) == 1 and "okänt ursprung" in "\n".join(seen["rows"])
        # Restored: the chosen backup's figures, B's identity, A untouched.
        assert controller.safe is not None and controller.safe.store.path == b
        assert controller.safe.store.facts()[0].value.number == 200
        assert controller.safe.store.identity == identity
        assert netto(a) == 100
        assert "aterstallning" in [x.reason for x in list_backups(folder, identity)]
    finally:
        controller.shutdown()


def test_a_copy_gets_its_own_identity_a_moved_database_keeps_its_own(two, tmp_path):
    a, _b = two
    folder = tmp_path / "backups"
    with open_safely(a, folder):
        pass
    original = identity_of(a)
    copy = tmp_path / "C" / "budget.db"
    copy.parent.mkdir()
    shutil.copyfile(a, copy)
    with open_safely(copy, folder) as safe:
        assert safe.identity != original and safe.store.identity == safe.identity
        assert [x.original() for x in list_backups(folder, copy)] == [str(copy.resolve())]
    (of_a,) = list_backups(folder, a)
    assert identity_of(a) == original
    moved = tmp_path / "D" / "budget.db"
    moved.parent.mkdir()
    a.rename(moved)
    with open_safely(moved, folder, daily_backup=False) as safe:
        assert safe.identity == original
        assert list_backups(folder, moved) == [of_a]  # A's backup is the moved database's


def test_refused_imports_take_no_backup_and_change_nothing(tmp_path):
    db = make(tmp_path / "data.db")
    base = tmp_path / "base"
    good = tmp_path / "bra.csv"
    good.write_text("enhet;period;mått;scenario;värde\nA;2024-02;netto;utfall;5\n", encoding="utf-8")
    r = socdesk("--basedir", base, "import", good, "--db", db)
    assert r.returncode == 0, r.stderr
    (only,) = list_backups(base / "backups", db)
    assert only.reason == "import" and netto(only.path) == 100  # the state before the import
    with Store(db) as s:
        s.lock_period("A", Period.month(2024, 3))
    bad_value = tmp_path / "fel.csv"
    bad_value.write_text("enhet;period;mått;scenario;värde\nA;2024-04;netto;utfall;1,2,3\n", encoding="utf-8")
    locked = tmp_path / "mars.csv"
    locked.write_text("enhet;period;mått;scenario;värde\nA;2024-03;netto;utfall;9\n", encoding="utf-8")
    changed = tmp_path / "jan.csv"
    changed.write_text("enhet;period;mått;scenario;värde\nA;2024-01;netto;utfall;1\n", encoding="utf-8")
    overflow = tmp_path / "summa.csv"  # each figure is fine; their sum under A passes 64 bits
    overflow.write_text(
        "enhet;namn;överordnad;period;mått;scenario;värde\n"
        + "".join(f"U{i};U{i};A;2024-05;netto;utfall;999999999999\n" for i in range(1000)),
        encoding="utf-8",
    )
    before = sha(db)
    backups_before = sorted(p.name for p in (base / "backups").iterdir())
    for f, why in (
        (bad_value, "fel.csv, rad 2, kolumn värde"),
        (locked, "är låst"),
        (good, "redan"),  # the same file again
        (changed, "--replace"),  # would replace a stated figure
        (
            overflow,
            "för stor för att räknas exakt",
        ),  # refused while it is written: the backup taken for it is gone again
        (tmp_path / "saknas.csv", "saknas.csv"),
    ):
        r = socdesk("--basedir", base, "import", f, "--db", db)
        assert r.returncode == 1 and why in r.stderr and "databasen är oförändrad" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
        assert sha(db) == before
        assert not [p for p in db.parent.iterdir() if p.name.startswith("data.db-")]
        assert sorted(p.name for p in (base / "backups").iterdir()) == backups_before


def test_the_import_wizard_backs_up_right_before_writing_and_not_for_a_refused_file(qtbot, tmp_path):
    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    db = make(tmp_path / "data.db")
    folder = tmp_path / "backups"
    safe = open_safely(db, folder, daily_backup=False)
    window = MainWindow(
        AppContext(safe.store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), backups=folder)
    )
    qtbot.addWidget(window)
    f = tmp_path / "feb.csv"
    f.write_text("enhet;period;mått;scenario;värde\nA;2024-02;netto;utfall;5\n", encoding="utf-8")

    def walk() -> QWizard:
        window.import_action.trigger()
        wizard = window.wizard
        wizard.file_page.path.setText(str(f))
        while wizard.currentPage() is not wizard.run_page:
            page = wizard.currentPage()
            qtbot.waitUntil(page.isComplete, timeout=10_000)
            qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
        assert list_backups(folder, db) == backups  # checked and planned: still no backup
        qtbot.mouseClick(wizard.run_page.start, Qt.MouseButton.LeftButton)
        return wizard

    try:
        backups: list = []
        wizard = walk()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
        (taken,) = list_backups(folder, db)
        assert taken.reason == "import" and netto(taken.path) == 100
        with Store(taken.path, readonly=True) as copy:
            assert len(copy.facts()) == 1  # taken before February was written
        wizard.accept()
        backups = list_backups(folder, db)
        wizard = walk()  # the same file again: refused when it would be written
        qtbot.waitUntil(lambda: "Inget sparades" in wizard.run_page.message.text(), timeout=10_000)
        assert list_backups(folder, db) == backups
        wizard.reject()
    finally:
        window.close()
        safe.close()


def test_an_unchanged_database_is_not_backed_up_again_on_opening_a_changed_one_is(
    tmp_path, qtbot, monkeypatch
):
    db = make(tmp_path / "data.db")
    monkeypatch.setattr(gui_app, "BACKUP_DELAY_MS", 0)
    controller = AppController(QApplication.instance(), str(tmp_path / "base"))

    def open_and_wait():
        controller.shutdown()  # the program closed, then started again on the database
        assert controller.open(db)
        with qtbot.waitSignal(controller.backup_runner.finished, timeout=20_000) as blocker:
            pass
        return blocker.args[0]

    try:
        first = open_and_wait()
        assert first is not None and [x.path for x in list_backups(controller.backups, db)] == [first]
        assert open_and_wait() is None  # nothing changed since: no copy made
        assert len(list_backups(controller.backups, db)) == 1
        controller.safe.store.write_facts([fact(300)], source="test")
        made = open_and_wait()
        assert made is not None and netto(made) == 300
        assert [x.path for x in list_backups(controller.backups, db)] == [made, first]
    finally:
        controller.shutdown()


def test_the_generation_counts_committed_write_transactions(tmp_path):
    db = make(tmp_path / "data.db")
    with Store(db) as s:
        g = s.generation
        with s.transaction():
            s.add_units([Unit("B", "B")])  # a nested transaction: one commit, one step
            s.write_facts([fact(1, unit="B")], source="test")
        assert s.generation == g + 1
        with pytest.raises(RuntimeError), s.transaction():
            s.add_units([Unit("C", "C")])
            raise RuntimeError
        assert s.generation == g + 1  # rolled back: not counted
    with Store(db, readonly=True) as ro:
        assert ro.generation == g + 1


def test_interrupted_backups_are_removed_on_the_next_open_and_never_listed(two, tmp_path):
    a, b = two
    folder = tmp_path / "backups"
    with open_safely(b, folder, daily_backup=False) as safe:
        safe.backup("manuell")
    # A backup of A killed just before it gets its final name (the moment a crash costs most).
    code = (
        "import os, pathlib, signal\n"
        "from socdesk.store.safety import open_safely\n"
        f"safe = open_safely(pathlib.Path({str(a)!r}), pathlib.Path({str(folder)!r}), daily_backup=False)\n"
        "real = pathlib.Path.replace\n"
        "def die(self, target):\n"
        "    if str(self).endswith('.db.partial'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(self, target)\n"
        "pathlib.Path.replace = die\n"
        "safe.backup('manuell')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == -signal.SIGKILL, r.stderr
    left = sorted(p.name for p in folder.iterdir() if ".partial" in p.name or p.name.endswith(".json"))
    assert any(n.endswith(".db.partial") for n in left)
    assert list_backups(folder, a) == []  # never listed
    # Leftovers of every kind: the copy's own journal files too.
    partial = next(p for p in folder.iterdir() if p.name.endswith(".db.partial"))
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").write_bytes(b"x")
    # B's backup in progress (another process) must survive A's clean-up.
    busy = next(folder.glob("*.db")).name.replace("manuell__g", "start__g") + ".partial"
    (folder / busy).write_bytes(b"in progress")
    b_backups = list_backups(folder, b)
    with open_safely(a, folder, daily_backup=False):
        pass
    mine = identity_of(a)[:16]
    assert not [p for p in folder.iterdir() if mine in p.name]  # partial, -wal, -shm, record: gone
    assert (folder / busy).exists() and list_backups(folder, b) == b_backups


def test_a_backup_record_killed_while_written_is_removed_on_the_next_open(two, tmp_path):
    a, _b = two
    folder = tmp_path / "backups"
    # The record is written through socdesk.files.write_atomic: kill the process mid-write.
    code = (
        "import os, pathlib, signal\n"
        "import socdesk.files as files\n"
        "from socdesk.store.safety import open_safely\n"
        f"safe = open_safely(pathlib.Path({str(a)!r}), pathlib.Path({str(folder)!r}), daily_backup=False)\n"
        "real = os.fsync\n"
        "def die(fd):\n"
        "    if any('.db.json.' in str(p) for p in files._active):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(fd)\n"
        "os.fsync = die\n"
        "safe.backup('manuell')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == -signal.SIGKILL, r.stderr
    temps = [p.name for p in folder.iterdir() if p.name.endswith(".socdesk-tmp")]
    assert temps and all(".db.json." in n for n in temps), temps
    with open_safely(a, folder, daily_backup=False):
        pass
    assert not [p for p in folder.iterdir() if p.name.endswith(".socdesk-tmp")]


def test_a_damaged_database_is_offered_its_own_backup_not_a_same_named_ones(two, tmp_path):
    a, b = two
    folder = tmp_path / "backups"
    with open_safely(a, folder) as safe:
        identity = safe.identity
    with open_safely(b, folder) as safe:  # newer, same file name
        safe.backup("manuell")
    data = bytearray(a.read_bytes())
    data[0:4000] = b"\xff" * 4000  # header and schema: nothing in the file can be read now
    a.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError) as err:
        open_safely(a, folder)
    assert err.value.identity == identity  # from the backups' records of this path
    assert err.value.newest_backup in {x.path for x in list_backups(folder, identity)}
    restore_backup(err.value.newest_backup, a, err.value.identity, folder)
    with open_safely(a, folder) as safe:
        assert safe.identity == identity and safe.store.facts()[0].value.number == 100
    assert netto(b) == 200


def test_backups_in_the_old_naming_scheme_are_kept_apart(two, tmp_path):
    a, b = two
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime.now()
    old = []
    for days in range(40):
        p = folder / f"budget__{now - timedelta(days=days):%Y%m%d-%H%M%S-%f}__start.db"
        shutil.copyfile(b, p)
        old.append(p)
    with Store(a) as s:
        backup(s.conn, a, folder, "manuell")
    assert len(list_backups(folder, a)) == 1 and list_backups(folder, b) == []
    rotate(folder, a)
    rotate(folder, b)
    assert all(p.exists() for p in old)  # never deleted
    assert [x.path for x in legacy_backups(folder, a)] == old
    assert legacy_backups(folder, tmp_path / "other.db") == []
    assert all(x.legacy for x in legacy_backups(folder, a))


def test_the_backup_before_a_restore_never_rotates_the_chosen_one_away(tmp_path, qtbot, monkeypatch):
    from socdesk.store import backup as backups

    db = make(tmp_path / "data.db")
    controller = AppController(QApplication.instance(), str(tmp_path / "base"))
    try:
        assert controller.open(db)
        old = controller.safe.backup("manuell")
        controller.safe.store.write_facts([fact(300)], source="test")
        monkeypatch.setattr(backups, "keep", lambda stamps, now: {max(stamps)})  # a policy keeping one
        controller.restore(old)
        assert controller.safe.store.facts()[0].value.number == 100
    finally:
        controller.shutdown()


def test_the_identity_is_written_with_the_first_change_not_by_an_open_that_changes_nothing(tmp_path):
    """A database without an identity (from before identities) and a copy of another one are
    claimed on opening for writing; the claim is stored with the first backup or write, so a
    refused import leaves either byte for byte as it was."""
    old = tmp_path / "gammal.db"
    with Store(old) as s:  # as an earlier socdesk left it: no identity
        install_default_measures(s)
        s.add_units([Unit("A", "Enhet A")])
        s.write_facts([fact(100)], source="test")
    original = make(tmp_path / "A" / "budget.db")
    copy = tmp_path / "B" / "budget.db"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)
    bad = tmp_path / "fel.csv"
    bad.write_text("enhet;period;mått;scenario;värde\nA;2024-04;netto;utfall;1,2,3\n", encoding="utf-8")
    base = tmp_path / "base"
    for db in (old, copy):
        before = sha(db)
        r = socdesk("--basedir", base, "import", bad, "--db", db)
        assert r.returncode == 1 and "kolumn värde" in r.stderr
        assert sha(db) == before and not list((base / "backups").glob("*.db"))
    good = tmp_path / "feb.csv"
    good.write_text("enhet;period;mått;scenario;värde\nA;2024-02;netto;utfall;5\n", encoding="utf-8")
    for db in (old, copy):
        assert socdesk("--basedir", base, "import", good, "--db", db).returncode == 0
        (taken,) = list_backups(base / "backups", db)  # named by the identity the file now holds
        with Store(taken.path, readonly=True) as b:
            assert b.identity == identity_of(db) and len(b.facts()) == 1  # before February
    assert identity_of(copy) != identity_of(original)
