"""Commands that only read never write: an older schema is read as it is (the file byte for byte
the same, no ``-wal``/``-shm`` left behind), a file that is not a socdesk database is refused
with a Swedish message, a database another process is writing is read while it writes; upgrades
happen only in a writer, after a verified backup."""

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from socdesk.store import schema
from socdesk.store.backup import list_backups
from socdesk.store.db import StoreError
from socdesk.store.safety import open_safely


def old_database(path: Path) -> Path:
    """A database as the first socdesk version left it (schema 1, WAL, closed cleanly): a nämnd,
    Hemtjänst and two months of utfall from one import."""
    c = sqlite3.connect(path)
    c.executescript(schema.MIGRATIONS[0])
    c.execute("PRAGMA journal_mode = WAL")
    c.execute(
        "INSERT INTO units (id, code, name, parent_id, sort) VALUES "
        "(1, 'SN', 'Socialnämnden', NULL, 1), (2, '7762', 'Hemtjänst', 1, 2)"
    )
    c.execute("INSERT INTO measures VALUES ('netto', 'Nettokostnad', 'kr', 1, 1, 1, 0, '')")
    c.execute(
        "INSERT INTO import_batches (id, file_name, sha256, imported_by, imported_at, rows) "
        "VALUES (1, 'maj.csv', 'abc', 'anna', '2024-06-01T10:00:00', 2)"
    )
    for month, kr in ((4, 3_000_000), (5, 3_400_000)):
        p = f"2024-{month:02d}"
        c.execute(
            "INSERT INTO facts (unit_id, measure, scenario, period, period_start, period_end, value, "
            "status, source, batch_id) VALUES (2, 'netto', 'utfall', ?, ?, ?, ?, 'value', 'import', 1)",
            (p, p, p, kr * 10_000),
        )
        c.execute(
            "INSERT INTO audit (at, who, action, source, batch_id, unit_code, measure, scenario, "
            "version, period, gender, grp, new_value, new_status) VALUES ('2024-06-01T10:00:00', "
            "'anna', 'insert', 'import', 1, '7762', 'netto', 'utfall', '', ?, '', '', ?, 'value')",
            (p, kr * 10_000),
        )
    c.execute("PRAGMA user_version = 1")
    c.commit()
    c.close()
    return path


def readers(db: Path, out: Path) -> dict[str, list[str]]:
    """Every command that only reads, as a user types it."""
    d = str(db)
    return {
        "check": ["check", "--db", d],
        "export": ["export", "--db", d, "-o", str(out / "alla.csv")],
        "report": [
            "report",
            "manad",
            "--db",
            d,
            "--period",
            "2024-05",
            "--unit",
            "SN",
            "-o",
            str(out / "r.html"),
        ],
        "batches": ["batches", "--db", d],
        "history": ["history", "--db", d, "--unit", "7762", "--period", "2024-05"],
        "deviations": ["deviations", "--db", d, "--period", "2024-05"],
    }


def run_all(commands: dict[str, list[str]], basedir: Path) -> dict[str, subprocess.CompletedProcess]:
    """The commands as separate processes, side by side (so also reading at the same time)."""
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "socdesk", "--basedir", str(basedir), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in commands.items()
    }
    out = {}
    for name, p in procs.items():
        stdout, stderr = p.communicate(timeout=120)
        out[name] = subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)
    return out


def state(path: Path) -> tuple[str, list[str]]:
    """The file's sha256 and what lies beside it."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


def test_read_only_commands_leave_an_old_schema_database_byte_for_byte_unchanged(tmp_path):
    (tmp_path / "db").mkdir()
    db = old_database(tmp_path / "db" / "gammal.db")
    out = tmp_path / "ut"
    out.mkdir()
    before = state(db)
    assert before[1] == ["gammal.db"]  # no -wal, no -shm: closed cleanly
    results = run_all(readers(db, out), tmp_path / "base")
    for name, r in results.items():
        assert r.returncode == 0, (name, r.stderr)
        assert "Traceback" not in r.stderr
    assert state(db) == before  # byte for byte, and nothing new beside it
    assert not (tmp_path / "base" / "backups").exists()  # nothing to back up: nothing written
    # … and each read the old database as it is.
    assert "0 fynd." in results["check"].stdout
    exported = (out / "alla.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(";")[3:7] for line in exported if line.startswith("7762;;;")] == [
        ["2024-04", "netto", "utfall", "3000000"],
        ["2024-05", "netto", "utfall", "3400000"],
    ]
    assert "Hemtjänst" in (out / "r.html").read_text(encoding="utf-8")
    assert "maj.csv" in results["batches"].stdout
    assert "– → 3 400 000" in results["history"].stdout.replace("\u00a0", " ")
    assert "7762 Hemtjänst" in results["deviations"].stdout
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1


@pytest.mark.parametrize("kind", ["empty", "text", "foreign"])
def test_a_file_that_is_not_a_socdesk_database_is_refused_and_left_as_it_is(tmp_path, kind):
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "x.db"
    if kind == "empty":
        db.write_bytes(b"")
    elif kind == "text":
        db.write_text("enhet;period;värde\n7762;2024-05;100\n", encoding="utf-8")
    else:  # another program's SQLite database, in WAL mode like ours
        with sqlite3.connect(db) as c:
            c.execute("PRAGMA journal_mode = WAL")
            c.execute("CREATE TABLE kunder (namn TEXT)")
            c.execute("INSERT INTO kunder VALUES ('Anna')")
        c.close()
    before = state(db)
    out = tmp_path / "ut"
    out.mkdir()
    commands = readers(db, out)
    if kind != "text":  # (a writer takes a file that is not SQLite for a damaged database)
        commands["upgrade"] = ["upgrade", "--db", str(db)]  # a writer must not make one of it either
    for name, r in run_all(commands, tmp_path / "base").items():
        assert r.returncode == 1, (name, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        assert f"Filen {db}" in r.stderr and "socdesk-databas" in r.stderr, (name, r.stderr)
        assert "Inget har ändrats" in r.stderr
    assert state(db) == before
    assert list(out.iterdir()) == []


def test_reading_while_another_process_writes(tmp_path):
    """The program (a writer holding the lock, as gui/app.py opens it) saves figures while
    ``check``, ``export`` and ``batches`` run beside it; every save is there afterwards and the
    writer's -wal is never replaced under it."""
    from socdesk.io.seeds import open_database

    db = tmp_path / "data.db"
    open_database(db).close()
    folder = tmp_path / "backups"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from socdesk.core.facts import Fact, FactKey, Scenario\n"
        "from socdesk.core.periods import Period\n"
        "from socdesk.core.units import Unit\n"
        "from socdesk.core.values import Value\n"
        "from socdesk.store.safety import open_safely\n"
        f"safe = open_safely(Path({str(db)!r}), Path({str(folder)!r}), daily_backup=False)\n"
        "safe.store.add_units([Unit('A', 'A')])\n"
        "wal = os.stat(f'{safe.store.path}-wal').st_ino\n"
        "for month in range(1, 13):\n"
        "    sys.stdin.readline()\n"
        "    key = FactKey('A', 'netto', Scenario.ACTUAL, Period.month(2024, month))\n"
        "    safe.store.write_facts([Fact(key, Value.of(month))], source='test')\n"
        "    assert os.stat(f'{safe.store.path}-wal').st_ino == wal\n"
        "    print('saved', month, flush=True)\n"
        "safe.close()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as writer:
        for month in range(1, 13):
            writer.stdin.write("\n")
            writer.stdin.flush()
            assert writer.stdout.readline().split() == ["saved", str(month)]
            if month % 6 == 0:
                results = run_all(
                    {
                        "check": ["check", "--db", str(db)],
                        "export": ["export", "--db", str(db), "-o", str(tmp_path / f"{month}.csv")],
                        "batches": ["batches", "--db", str(db)],
                    },
                    tmp_path / "base",
                )
                assert all(r.returncode == 0 for r in results.values()), results
                lines = (tmp_path / f"{month}.csv").read_text(encoding="utf-8").splitlines()
                assert sum(x.startswith("A;;;2024-") for x in lines) == month  # every save so far
        writer.stdin.close()
        assert writer.wait(timeout=60) == 0
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM facts").fetchone()[0] == 12


def test_upgrade_is_a_writer_that_backs_up_first(tmp_path):
    db = old_database(tmp_path / "gammal.db")
    base = tmp_path / "base"
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "--basedir", str(base), "upgrade", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert f"uppgraderad till schema {schema.SCHEMA_VERSION}" in r.stdout
    (before,) = list_backups(base / "backups", db)
    assert before.reason == "migrering"
    with sqlite3.connect(f"file:{before.path}?mode=ro", uri=True) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1  # the state before, verified
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_lock_and_reopen_are_writers(tmp_path, demo_db):
    base = tmp_path / "base"
    base.mkdir()
    (base / "socdesk.ini").write_text("[user]\nrole=controller\n", encoding="utf-8")
    args = ["--basedir", str(base), "lock", "--db", str(demo_db), "--unit", "SN", "--period", "2024-06"]
    with open_safely(demo_db, base / "backups", daily_backup=False):  # the program has it open
        r = subprocess.run(
            [sys.executable, "-m", "socdesk", *args], capture_output=True, text=True, timeout=120
        )
        assert r.returncode == 1 and "redan öppen" in r.stderr
        reopen = [*args[:2], "reopen", *args[3:], "--reason", "Rättelse"]
        r = subprocess.run(
            [sys.executable, "-m", "socdesk", *reopen], capture_output=True, text=True, timeout=120
        )
        assert r.returncode == 1 and "redan öppen" in r.stderr


def test_an_older_schema_too_large_to_read_in_memory_is_refused_naming_the_upgrade(tmp_path, monkeypatch):
    from socdesk.store import connection
    from socdesk.store import db as store_db

    path = old_database(tmp_path / "gammal.db")
    before = state(path)
    monkeypatch.setattr(connection, "SNAPSHOT_LIMIT", 1000)
    with pytest.raises(StoreError, match="socdesk upgrade --db") as err:
        store_db.Store(path, readonly=True)
    assert "Inget har ändrats" in str(err.value)
    assert state(path) == before


def test_reading_a_journal_a_crash_left_reads_it_and_leaves_it_for_a_writer(tmp_path):
    """A writer killed after saving leaves its -wal (the saved figure is only there): a reading
    command sees the figure and leaves the database file and the -wal as they were."""
    from socdesk.io.seeds import open_database

    db = tmp_path / "data.db"
    open_database(db).close()
    code = (
        "import os, signal\n"
        "from pathlib import Path\n"
        "from socdesk.core.facts import Fact, FactKey, Scenario\n"
        "from socdesk.core.periods import Period\n"
        "from socdesk.core.units import Unit\n"
        "from socdesk.core.values import Value\n"
        "from socdesk.store.safety import open_safely\n"
        f"safe = open_safely(Path({str(db)!r}), Path({str(tmp_path / 'b')!r}), daily_backup=False)\n"
        "safe.store.add_units([Unit('A', 'A')])\n"
        "key = FactKey('A', 'netto', Scenario.ACTUAL, Period.month(2024, 5))\n"
        "safe.store.write_facts([Fact(key, Value.of(77))], source='test')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == -9
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0
    out = tmp_path / "ut"
    out.mkdir()
    before = (state(db), wal.read_bytes())
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "export", "--db", str(db), "-o", str(out / "ut.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "A;;;2024-05;netto;utfall;77;" in (out / "ut.csv").read_text(encoding="utf-8")
    assert (state(db), wal.read_bytes()) == before
