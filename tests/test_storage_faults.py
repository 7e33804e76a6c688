"""A full disk and read-only media, for real: a small tmpfs is mounted for each test, filled to
the last byte (or remounted read-only), and unmounted afterwards. Each fault gives one clear
Swedish message and no traceback, the database stays byte for byte as it was and is never
called damaged, and nothing half-written is left beside it.

Mounting needs root (as here and in CI). Where mount is refused, each test is run again
inside a user namespace (``unshare --user --map-root-user --mount``), where an unprivileged
user may mount a tmpfs; only where neither is allowed are these tests skipped, saying so."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.store.backup import BackupError, integrity_problems
from socdesk.store.db import StorageError, Store
from socdesk.store.integrity import check_record
from socdesk.store.safety import CorruptDatabaseError, open_safely

SIZE = "8m"
INNER = "SOCDESK_TEST_IN_USERNS"  # set inside the user namespace: mount must work there
ROOT = Path(__file__).resolve().parent.parent


def _mount(point: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0755", "tmpfs", str(point)],
        capture_output=True,
        text=True,
    )


class Disk:
    """A mounted tmpfs: ``fill()`` takes every free byte, ``free()`` gives it back."""

    def __init__(self, point: Path) -> None:
        self.point = point
        self.filler = point / "fyllnad"

    def fill(self, leave: int = 0) -> None:
        """Every free byte, or all but ``leave`` of them."""
        with open(self.filler, "ab", buffering=0) as f:  # unbuffered: ENOSPC surfaces here
            for chunk in (1 << 20, 1 << 16, 4096, 512, 1):
                try:
                    while True:
                        f.write(b"\0" * chunk)
                except OSError:
                    continue
        if leave:
            os.truncate(self.filler, self.filler.stat().st_size - leave)
        assert shutil.disk_usage(self.point).free == leave

    def free(self) -> None:
        self.filler.unlink()

    def read_only(self, on: bool = True) -> None:
        subprocess.run(["mount", "-o", f"remount,{'ro' if on else 'rw'}", str(self.point)], check=True)

    def files(self) -> set[str]:
        return {str(p.relative_to(self.point)) for p in self.point.rglob("*") if p != self.filler}


@pytest.fixture
def disk(tmp_path, request):
    if not sys.platform.startswith("linux"):
        pytest.skip("tmpfs finns bara på Linux")
    point = tmp_path / "disk"
    point.mkdir()
    mounted = _mount(point)
    if mounted.returncode != 0:
        if os.environ.get(INNER):
            pytest.fail(f"mount nekades även i användarnamnrymden: {mounted.stderr}")
        if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"]).returncode != 0:
            pytest.skip(f"mount nekas ({mounted.stderr.strip()}) och användarnamnrymder är avstängda")
        command = ["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-m", "pytest"]
        inner = subprocess.run(
            [*command, "-q", "-p", "no:cacheprovider", request.node.nodeid],
            cwd=ROOT,
            env={**os.environ, INNER: "1"},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert inner.returncode == 0, inner.stdout + inner.stderr
        pytest.skip("kördes i en användarnamnrymd (unshare -rm), där den gick igenom")
    try:
        yield Disk(point)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(point)], capture_output=True)
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], check=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fact(value, month=1, unit="A", version=""):
    return Fact(FactKey(unit, "netto", Scenario.ACTUAL, Period.month(2024, month), version), Value.of(value))


def budget(n: int) -> list[Fact]:
    return [
        Fact(FactKey("A", "netto", Scenario.BUDGET, Period.month(2024, 1 + i % 12), f"v{i}"), Value.of(i))
        for i in range(n)
    ]


@pytest.fixture
def db(disk):
    """A closed database on the small disk, with a unit and a figure."""
    from socdesk.io.seeds import open_database

    path = disk.point / "data.db"
    with open_database(path) as s:
        s.add_units([Unit("A", "Enhet A")])
        s.write_facts([fact(100)], source="test")
    return path


SQLITE_OWN = {"data.db-wal", "data.db-shm"}  # SQLite's own files, empty after a refused open


def no_leftovers(before: set[str], after: set[str]) -> None:
    new = after - before - SQLITE_OWN
    assert not new, f"kvar efter felet: {sorted(new)}"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def one_message(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "Error" not in r.stderr, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("socdesk:"), r.stderr
    return r.stderr


# --- a full disk --------------------------------------------------------------------------
def test_a_full_disk_refuses_an_import_with_one_message_and_changes_nothing(db, disk, tmp_path):
    csv = tmp_path / "ny.csv"
    csv.write_text(
        "enhet;namn;period;mått;scenario;värde;skala\nA;;2024-06;netto;utfall;3 400;tkr\n", encoding="utf-8"
    )
    before, files = digest(db), disk.files()
    disk.fill()
    text = one_message(run_cli("--basedir", str(tmp_path / "base"), "import", str(csv), "--db", str(db)))
    assert "Disken är full" in text and str(db) in text
    assert digest(db) == before
    no_leftovers(files, disk.files())
    disk.free()
    assert integrity_problems(db) == []


def test_a_full_disk_during_the_import_itself_is_refused_whole(db, disk, tmp_path):
    """The database is in use (another window reads it), so opening needs no new room; the
    import's own writes then meet the full disk, inside its nested savepoints."""
    csv = tmp_path / "stor.csv"
    rows = [f"A{i};Enhet {i};2024-06;netto;utfall;{i};tkr" for i in range(4000)]
    csv.write_text("enhet;namn;period;mått;scenario;värde;skala\n" + "\n".join(rows) + "\n", encoding="utf-8")
    before = digest(db)
    with Store(db, readonly=True) as reader:
        facts = reader.facts()
        disk.fill()
        r = run_cli(
            "--basedir", str(tmp_path / "base"), "import", str(csv), "--db", str(db), "--create-under", "A"
        )
        assert r.returncode == 1 and "Traceback" not in r.stderr and "savepoint" not in r.stderr, r.stderr
        assert "Disken är full" in r.stderr and "oförändrad" in r.stderr, r.stderr
        assert reader.facts() == facts
    disk.free()
    with Store(db, readonly=True) as fresh:
        assert fresh.facts() == facts and [u for u in fresh.unit_ids()] == ["A"]
    assert integrity_problems(db) == [] and digest(db) == before


def test_a_save_on_a_full_disk_is_refused_in_one_piece(db, disk):
    with Store(db) as s:
        before = (s.facts(), s.audit_rows(), s.unit_ids())
        disk.fill()
        with pytest.raises(StorageError, match="Disken är full") as err:
            s.write_facts(budget(3000), source="test")
        assert err.value.fault.startswith("SQLITE_FULL") and not err.value.reopen
        with pytest.raises(StorageError, match="Disken är full"), s.transaction():  # nested savepoints
            s.add_units([Unit(f"B{i}", f"Enhet B{i}") for i in range(300)])
            s.write_facts(budget(3000), source="test")
        assert (s.facts(), s.audit_rows(), s.unit_ids()) == before
        disk.free()
        s.write_facts([fact(7, month=2)], source="test")  # room again: the same connection saves
    assert integrity_problems(db) == []


def test_opening_on_a_full_disk_is_never_called_damage(db, disk, tmp_path):
    before, files = digest(db), disk.files()
    disk.fill()
    for check_now in (True, False):  # the CLI's open (the day's check at once), the GUI's
        with pytest.raises(StorageError, match="Disken är full") as err:
            open_safely(db, disk.point / "backups", check_now=check_now)
        assert not isinstance(err.value, CorruptDatabaseError) and "inte skadad" in str(err.value)
    assert digest(db) == before
    no_leftovers(files, disk.files() - {"backups"})
    assert not any("skadad" in name or name.endswith(".partial") for name in disk.files())


def test_the_program_starting_on_a_full_disk_says_so(db, disk, tmp_path, qtbot, modal_calls):
    from socdesk.gui.app import AppController

    c = AppController(QApplication.instance(), str(tmp_path / "base"))
    try:
        disk.fill()
        assert not c.open(db)
        assert modal_calls[-1][0] == "critical" and "Disken är full" in modal_calls[-1][1]
        assert c.window is None
    finally:
        c.shutdown()


def test_a_backup_on_a_full_disk_leaves_no_partial_file(db, disk):
    before = digest(db)
    folder = disk.point / "backups"
    with open_safely(db, folder, daily_backup=False) as safe:
        disk.fill()
        with pytest.raises(BackupError, match="kunde inte skrivas") as err:
            safe.backup("manuell")
        assert str(folder) in str(err.value)
        assert [p.name for p in folder.iterdir()] == [check_record(db, folder).name]  # the day's check
    assert digest(db) == before


def test_a_damaged_database_on_a_full_disk_gets_no_empty_copy_beside_it(db, disk):
    data = bytearray(db.read_bytes())
    data[100:4000] = b"\xff" * 3900  # the schema page
    db.write_bytes(bytes(data))
    files = disk.files()
    disk.fill(leave=64 * 1024)  # room for SQLite's -shm, none for a copy of the file
    with pytest.raises(CorruptDatabaseError, match="inte plats för en kopia") as err:
        open_safely(db, disk.point / "backups")
    assert err.value.quarantined is None and err.value.newest_backup is None
    assert db.read_bytes() == bytes(data)
    assert not [n for n in disk.files() - files if "skadad" in n or n.endswith(".partial")]


def test_the_entry_form_on_a_full_disk_keeps_the_typing_and_says_so(
    disk, demo_template, tmp_path, qtbot, modal_calls
):
    from socdesk.core.periods import Month
    from socdesk.gui.app import AppController

    path = disk.point / "demo.db"
    shutil.copyfile(demo_template, path)
    c = AppController(QApplication.instance(), str(tmp_path / "base"))
    try:
        assert c.open(path)
        w = c.window
        w.select_unit("771")
        w.period.set_month(Month(2024, 6))
        w.tabs.setCurrentWidget(w.register)
        entry = w.register.entry
        qtbot.waitUntil(
            lambda: entry.model is not None and entry.model.form.key == "utfall:ekonomi:771:2024-06"
        )
        model = entry.model
        row = next(i for i, u in enumerate(model.form.units) if u.code == "7762")
        model.setData(model.index(row, 0), "3 412,5")
        disk.fill()
        qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
        kind, text = modal_calls[-1]
        assert kind == "critical" and "Disken är full" in text and str(path) in text and "finns kvar" in text
        assert (
            entry.status.text().startswith("Inget sparades")
            and model.dirty
            and model.text(row, 0) == "3 412,5"
        )
        assert c.window is w  # a full disk needs no reopening: the same form, saved once there is room
        disk.free()
        with qtbot.waitSignal(entry.saved):
            qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
        assert entry.status.text() == "1 uppgifter sparade."
    finally:
        model = c.window.register.entry.model if c.window is not None else None
        if model is not None and model.dirty:
            model.mark_saved()
        c.shutdown()


# --- read-only media -----------------------------------------------------------------------
def test_read_only_media_give_a_clear_message_and_change_nothing(db, disk, tmp_path, qtbot, modal_calls):
    from socdesk.gui.app import AppController

    before, files = digest(db), disk.files()
    disk.read_only()
    with pytest.raises(SocdeskError, match="skrivskyddad i filsystemet"):
        open_safely(db, tmp_path / "b")
    with pytest.raises(StorageError, match="skrivskyddat medium"):
        open_safely(db, tmp_path / "b", readonly=True)
    text = one_message(run_cli("--basedir", str(tmp_path / "base"), "check", "--db", str(db)))
    assert str(db) in text
    c = AppController(QApplication.instance(), str(tmp_path / "base"))
    try:
        assert not c.open(db)
        assert modal_calls[-1][0] == "critical" and "skrivskyddad" in modal_calls[-1][1]
    finally:
        c.shutdown()
    assert digest(db) == before and disk.files() == files
