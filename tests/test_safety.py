"""Never lose data: backups and their rotation, restore, damaged files, one writer, network
paths, a full disk, read-only files."""

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.retention import keep
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.store.backup import backup, integrity_problems, list_backups, restore_backup, rotate
from socdesk.store.db import Store, StoreError
from socdesk.store.safety import (
    CorruptDatabaseError,
    DatabaseInUseError,
    NetworkPathError,
    network_reason,
    open_safely,
)


def fact(value, month=1, unit="A"):
    return Fact(FactKey(unit, "netto", Scenario.ACTUAL, Period.month(2024, month)), Value.of(value))


@pytest.fixture
def db(tmp_path):
    from socdesk.io.seeds import open_database

    path = tmp_path / "data.db"
    s = open_database(path)
    s.add_units([Unit("A", "Enhet A")])
    s.write_facts([fact(100)], source="test")
    s.close()
    return path


def test_backup_is_verified_listed_and_restorable(db, tmp_path):
    folder = tmp_path / "backups"
    with Store(db) as s:
        b = backup(s.conn, db, folder, "manuell")
        s.write_facts([fact(999)], source="test")
    assert integrity_problems(b) == []
    assert [x.path for x in list_backups(folder, db)] == [b]
    assert not list(folder.glob("*.partial"))
    restore_backup(b, db, None, folder)
    with Store(db) as s:
        assert s.facts()[0].value.number == 100  # the backed-up state is back


def test_open_safely_backs_up_on_start_only_what_changed(db, tmp_path):
    folder = tmp_path / "backups"
    with open_safely(db, folder) as safe:
        assert [b.reason for b in list_backups(folder, db)] == ["start"]
    first = list_backups(folder, db)[0]
    with open_safely(db, folder) as safe:  # unchanged since its newest backup: none taken
        assert list_backups(folder, db) == [first] and safe.up_to_date()
        safe.store.write_facts([fact(5)], source="test")
        assert not safe.up_to_date()
    with open_safely(db, folder) as safe:  # changed: backed up again, holding the change
        newest = list_backups(folder, db)
        assert [b.reason for b in newest] == ["start", "start"] and newest[1] == first
        assert newest[0].generation > first.generation
        safe.backup("aterstallning")
    with Store(list_backups(folder, db)[1].path, readonly=True) as copy:
        assert copy.facts()[0].value.number == 5
    reasons = [b.reason for b in list_backups(folder, db)]
    assert reasons == ["aterstallning", "start", "start"]


@given(st.lists(st.integers(0, 400 * 24), min_size=1, max_size=200))
def test_retention_keeps_the_newest_and_one_per_day_week_month(hours_ago):
    now = datetime(2026, 11, 27, 12, 0)
    stamps = [now - timedelta(hours=h) for h in hours_ago]
    kept = keep(stamps, now)
    assert max(stamps) in kept
    days = {t.date() for t in stamps}
    newest_days = sorted(days, reverse=True)[:7]
    for d in newest_days:  # the newest of each of the 7 newest days is kept
        assert max(t for t in stamps if t.date() == d) in kept
    months = sorted({(t.year, t.month) for t in stamps}, reverse=True)[:12]
    for m in months:
        assert max(t for t in stamps if (t.year, t.month) == m) in kept
    assert len(kept) <= 20 + 7 + 4 + 12 + 1


def test_rotation_removes_what_the_policy_drops(db, tmp_path):
    folder = tmp_path / "backups"
    now = datetime(2026, 11, 27, 12, 0)
    with Store(db) as s:
        for days in range(60):
            backup(s.conn, db, folder, "start", now=now - timedelta(days=days))
    removed = rotate(folder, db, now=now)
    left = list_backups(folder, db)
    assert len(left) + len(removed) == 60
    assert len(left) <= 7 + 4 + 2 + 1
    assert left[0].taken_at == now


def test_a_damaged_database_is_copied_aside_never_overwritten_and_a_backup_offered(db, tmp_path):
    folder = tmp_path / "backups"
    with open_safely(db, folder):
        pass
    data = bytearray(db.read_bytes())
    data[100:4000] = b"\xff" * 3900  # scribble over the schema page
    db.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError) as err:
        open_safely(db, folder)
    assert err.value.quarantined.exists() and err.value.quarantined.read_bytes() == bytes(data)
    assert db.read_bytes() == bytes(data)  # the original is left as it was
    assert err.value.newest_backup is not None
    assert "skadad" in str(err.value) and "säkerhetskopia" in str(err.value)
    restore_backup(err.value.newest_backup, db, err.value.identity, folder)
    with open_safely(db, folder) as safe:
        assert safe.store.facts()[0].value.number == 100


def test_a_second_writer_is_refused_and_may_open_read_only(db, tmp_path):
    folder = tmp_path / "backups"
    with open_safely(db, folder):
        with pytest.raises(DatabaseInUseError, match="skrivskyddad"):
            open_safely(db, folder)
        code = (
            "import sys; from pathlib import Path; from socdesk.store.safety import open_safely, DatabaseInUseError\n"
            f"try:\n    open_safely(Path({str(db)!r}), Path({str(folder)!r}))\nexcept DatabaseInUseError:\n    sys.exit(3)\n"
        )
        assert subprocess.run([sys.executable, "-c", code]).returncode == 3  # another process too
        with open_safely(db, folder, readonly=True) as ro:
            assert ro.readonly and ro.store.facts()[0].value.number == 100
            with pytest.raises(StoreError, match="skrivskyddad"):
                ro.store.write_facts([fact(1)], source="test")


def test_the_lock_dies_with_the_process(db, tmp_path):
    folder = tmp_path / "backups"
    code = (
        "import os, signal; from pathlib import Path; from socdesk.store.safety import open_safely\n"
        f"s = open_safely(Path({str(db)!r}), Path({str(folder)!r}))\nprint('locked', flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "locked" in r.stdout and r.returncode == -9
    with open_safely(db, folder) as safe:  # no stale lock
        assert not safe.readonly


def test_network_paths_are_refused_for_writing(tmp_path, monkeypatch):
    assert network_reason(tmp_path / "x.db") is None
    assert "UNC" in network_reason(type(tmp_path)("//server/share/x.db"))
    from socdesk.store import safety

    monkeypatch.setattr(safety, "network_reason", lambda p: "Z: är en nätverksenhet")
    with pytest.raises(NetworkPathError, match="nätverket"):
        open_safely(tmp_path / "x.db", tmp_path / "b")


def test_network_mount_is_recognised_from_proc_mounts(tmp_path, monkeypatch):
    from socdesk.store import safety

    real_read = type(tmp_path).read_text

    def fake_read(self, *a, **k):
        if str(self) == "/proc/mounts":
            return f"/dev/sda1 / ext4 rw 0 0\n//nas/delad {tmp_path} cifs rw 0 0\n"
        return real_read(self, *a, **k)

    monkeypatch.setattr(type(tmp_path), "read_text", fake_read)
    assert "cifs" in safety.network_reason(tmp_path / "x.db")


def test_a_full_disk_gives_a_clear_message_and_no_half_written_state(db):
    with Store(db) as s:
        before = (s.facts(), s.audit_rows())
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow: SQLITE_FULL
        big = [fact(Decimal(i), month=1 + i % 12, unit="A") for i in range(1)] + [
            Fact(FactKey("A", "netto", Scenario.BUDGET, Period.month(2024, 1 + i % 12), f"v{i}"), Value.of(i))
            for i in range(5000)
        ]
        with pytest.raises(StoreError, match="Disken är full"):
            s.write_facts(big, source="test")
        assert (s.facts(), s.audit_rows()) == before
    assert integrity_problems(db) == []


def test_read_only_files(db, tmp_path, monkeypatch):
    import os

    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if str(p) == str(db) and mode == os.W_OK else real(p, mode)
    )
    with pytest.raises(SocdeskError, match="skrivskyddad i filsystemet"):
        open_safely(db, tmp_path / "b")
    with Store(db, readonly=True) as ro, pytest.raises(StoreError, match="skrivskyddad"):
        ro.add_units([Unit("B", "B")])


def test_read_only_open_of_another_programs_database_is_refused_kindly(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE t (x)")
        c.execute("PRAGMA user_version = 1")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="inte en socdesk-databas"):
        Store(path, readonly=True)
    with pytest.raises(StoreError, match="inte en socdesk-databas"):  # nor written to by a writer
        open_safely(path, tmp_path / "b")
    assert path.read_bytes() == before


def test_migration_takes_a_backup_first(tmp_path):
    from socdesk.store import schema

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as c:
        c.executescript(schema.MIGRATIONS[0])
        c.execute("PRAGMA user_version = 1")
    folder = tmp_path / "backups"
    with open_safely(path, folder) as safe:
        assert safe.store.schema_version == len(schema.MIGRATIONS)
        assert safe.notes
    reasons = [b.reason for b in list_backups(folder, path)]
    assert "migrering" in reasons
    migr = next(b for b in list_backups(folder, path) if b.reason == "migrering")
    with sqlite3.connect(migr.path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1  # the state before


def test_the_gui_open_leaves_the_full_check_to_the_background_but_checks_the_header_at_once(db, tmp_path):
    with open_safely(db, tmp_path / "b", check_now=False) as safe:
        assert not safe.checked_fully  # the day's full check is left to the background
    data = bytearray(db.read_bytes())
    data[0:16] = b"not a database!!"
    db.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError, match="SQLite"):
        open_safely(db, tmp_path / "b", check_now=False)


def test_a_journal_left_by_a_crash_is_recovered_not_called_damage(tmp_path):
    """Found by the crash trials: a WAL left by a killed process made a read-only check fail."""
    import os
    import signal

    path = tmp_path / "wal.db"
    code = (
        "import os, signal, sqlite3\n"
        f"c = sqlite3.connect({str(path)!r}); c.execute('PRAGMA journal_mode=WAL')\n"
        "c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)'); c.commit()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", code])
    assert os.path.exists(f"{path}-wal")  # the crash left its journal behind
    assert integrity_problems(path) == []
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT x FROM t").fetchall() == [(1,)]
    del signal
