"""Opening an unchanged database: SQLite's full check and the start backup at most once a day per
database, never on the GUI thread; a damaged file still caught by the day's check, and the user
told in Swedish. Observed through the real entry points: the CLI as a subprocess (every SQLite
connection traced with ``set_trace_callback``) and the GUI's start with qtbot."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from socdesk.gui import app as gui_app
from socdesk.gui.app import AppController
from socdesk.store.backup import list_backups
from socdesk.store.integrity import (
    FileCheck,
    check_due,
    check_file,
    check_record,
    known_damaged,
    record_check,
)
from socdesk.store.safety import CorruptDatabaseError, open_safely

FULL_CHECKS = ("quick_check", "integrity_check")

# ``python -m socdesk ARGS`` with every SQLite connection's statements appended to a file
TRACED = """
import runpy, sqlite3, sys
log = open(sys.argv[1], "a", encoding="utf-8", buffering=1)
real = sqlite3.connect
def connect(*args, **kwargs):
    conn = real(*args, **kwargs)
    conn.set_trace_callback(lambda sql: log.write(" ".join(sql.split()) + "\\n"))
    return conn
sqlite3.connect = connect
sys.argv = ["socdesk", *sys.argv[2:]]
runpy.run_module("socdesk", run_name="__main__", alter_sys=True)
"""


def traced_cli(trace: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    trace.write_text("")
    r = subprocess.run([sys.executable, "-c", TRACED, str(trace), *args], capture_output=True, text=True)
    return r, trace.read_text(encoding="utf-8").splitlines()


def full_checks(statements: list[str]) -> list[str]:
    return [s for s in statements if any(word in s.lower() for word in FULL_CHECKS)]


def backups_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.db")) if folder.is_dir() else []


def age_record(db: Path, folder: Path, days: float) -> None:
    """The day passes: the last check's record moved back by ``days``."""
    path = check_record(db, folder)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["checked_at"] = (datetime.fromisoformat(record["checked_at"]) - timedelta(days=days)).isoformat()
    path.write_text(json.dumps(record), encoding="utf-8")


def damage(db: Path, name: str = "audit_unit") -> int:
    """Scribble over one leaf page of the table or index ``name`` (by default one nothing reads on
    opening: the audit's cell index), while no connection to the file is open: the header and the
    schema still read, only the full check or a read of that page can tell. Returns the page."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        page = conn.execute(
            "SELECT max(pageno) FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (name,)
        ).fetchone()[0]
    finally:
        conn.close()
    fd = os.open(db, os.O_WRONLY)
    try:
        os.pwrite(fd, b"\xff" * size, (page - 1) * size)
    finally:
        os.close(fd)
    return page


# --- the CLI, as a subprocess -----------------------------------------------------------------
def test_the_cli_checks_an_unchanged_database_once_a_day(demo_db, tmp_path):
    base, trace = tmp_path / "base", tmp_path / "trace.sql"
    cli = ("--basedir", str(base), "upgrade", "--db", str(demo_db))  # the writing commands' open

    first, statements = traced_cli(trace, *cli)
    assert first.returncode == 0, first.stderr
    assert full_checks(statements) == ["PRAGMA quick_check"]  # the day's check
    record = json.loads(check_record(demo_db, base / "backups").read_text(encoding="utf-8"))
    assert record["problems"] == [] and record["database"] == str(demo_db.resolve())
    made = backups_in(base / "backups")

    second, statements = traced_cli(trace, *cli)
    assert second.returncode == 0, second.stderr
    assert statements and full_checks(statements) == []  # it opened, and checked nothing in full
    assert backups_in(base / "backups") == made

    age_record(demo_db, base / "backups", days=1)
    third, statements = traced_cli(trace, *cli)
    assert third.returncode == 0, third.stderr
    assert full_checks(statements) == ["PRAGMA quick_check"]  # a day later: checked again


def test_the_cli_refuses_a_file_the_days_check_finds_damaged(demo_db, tmp_path):
    base, trace = tmp_path / "base", tmp_path / "trace.sql"
    cli = ("--basedir", str(base), "upgrade", "--db", str(demo_db))
    assert traced_cli(trace, *cli)[0].returncode == 0
    damage(demo_db)
    before = demo_db.read_bytes()
    within_the_day, statements = traced_cli(trace, *cli)  # the cheap checks pass: not checked again
    assert within_the_day.returncode == 0 and full_checks(statements) == []

    age_record(demo_db, base / "backups", days=1)
    r, statements = traced_cli(trace, *cli)
    assert r.returncode == 1 and full_checks(statements) == ["PRAGMA quick_check"]
    assert f"Databasen {demo_db} är skadad" in r.stderr and "inget har raderats" in r.stderr
    assert demo_db.read_bytes() == before  # left as it was, a copy put aside
    assert [p.read_bytes() == before for p in tmp_path.glob("demo.db.skadad-*")] == [True]
    assert known_damaged(demo_db, base / "backups")
    r, statements = traced_cli(trace, *cli)  # once found damaged: checked on every open until sound
    assert r.returncode == 1 and full_checks(statements) == ["PRAGMA quick_check"] and "skadad" in r.stderr


def test_the_cli_tells_of_damage_met_between_two_checks_and_the_next_open_checks_first(demo_db, tmp_path):
    base, trace = tmp_path / "base", tmp_path / "trace.sql"
    assert traced_cli(trace, "--basedir", str(base), "upgrade", "--db", str(demo_db))[0].returncode == 0
    damage(demo_db, "facts")  # within the day: the cheap checks pass, a read of that page does not
    before = demo_db.read_bytes()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "socdesk",
            "--basedir",
            str(base),
            "export",
            "--db",
            str(demo_db),
            "-o",
            str(tmp_path / "out.csv"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert (
        f"Databasen {demo_db} är skadad" in r.stderr and "inget av det som kommandot skulle ändra" in r.stderr
    )
    assert known_damaged(demo_db, base / "backups") and demo_db.read_bytes() == before

    r, statements = traced_cli(trace, "--basedir", str(base), "upgrade", "--db", str(demo_db))
    assert r.returncode == 1 and full_checks(statements) == ["PRAGMA quick_check"]  # checked first
    assert "är skadad" in r.stderr and list(tmp_path.glob("demo.db.skadad-*"))


def test_a_change_whose_backup_copy_fails_its_check_is_not_made(demo_db, tmp_path):
    base = tmp_path / "base"
    cli = [sys.executable, "-m", "socdesk", "--basedir", str(base)]
    assert subprocess.run([*cli, "upgrade", "--db", str(demo_db)], capture_output=True).returncode == 0
    damage(demo_db)
    before = demo_db.read_bytes()
    changed = tmp_path / "budget.csv"
    changed.write_text(
        "enhet;period;mått;scenario;värde;skala\n7762;2024-01/2024-05;netto;budget;15170;tkr\n",
        encoding="utf-8",
    )
    r = subprocess.run(
        [*cli, "import", "--replace", "--db", str(demo_db), str(changed)], capture_output=True, text=True
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"Databasen {demo_db} verkar vara skadad" in r.stderr and "Inget har ändrats" in r.stderr
    assert demo_db.read_bytes() == before and list_backups(base / "backups", demo_db) == []
    assert known_damaged(demo_db, base / "backups")


# --- the rule ---------------------------------------------------------------------------------
def test_a_check_is_due_for_another_file_an_older_state_after_damage_or_a_day_later(demo_db, tmp_path):
    folder, now = tmp_path / "b", datetime(2026, 12, 2, 9, 0)
    assert check_due(demo_db, folder, now=now)  # never checked
    found = check_file(demo_db)
    assert found.problems == [] and found.identity and found.generation > 0
    record_check(demo_db, folder, found, now=now)
    assert not check_due(demo_db, folder, now=now + timedelta(hours=23))
    assert check_due(demo_db, folder, now=now + timedelta(hours=24))
    assert check_due(demo_db, folder, now=now - timedelta(hours=1))  # the clock went back
    record_check(demo_db, folder, FileCheck([], found.identity, found.generation + 1), now=now)
    assert check_due(demo_db, folder, now=now)  # an older copy put in its place
    record_check(demo_db, folder, FileCheck(["Page 9: bad"], found.identity, found.generation), now=now)
    assert check_due(demo_db, folder, now=now) and known_damaged(demo_db, folder)
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_db.read_bytes())
    record_check(demo_db, folder, found, now=now)
    assert not check_due(demo_db, folder, now=now) and check_due(copy, folder, now=now)  # per file


def test_the_check_verifies_the_schemas_check_constraints(demo_db):
    """A status that is a number (written past the schema's CHECK) is damage the day's check
    reports: it checks on a read-write connection (a read-only one skips CHECK constraints)."""
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    unit, measure = conn.execute("SELECT unit_id, measure FROM facts LIMIT 1").fetchone()
    conn.execute("UPDATE facts SET status = '5' WHERE unit_id = ? AND measure = ?", (unit, measure))
    conn.commit()
    conn.close()
    assert any("CHECK constraint failed in facts" in p for p in check_file(demo_db).problems)


def test_a_restored_file_is_checked_on_its_next_open(demo_db, tmp_path):
    from socdesk.store.backup import restore_backup

    folder = tmp_path / "b"
    with open_safely(demo_db, folder) as safe:
        made = safe.backup("manuell")
        identity = safe.identity
    assert not check_due(demo_db, folder)
    restore_backup(made, demo_db, identity, folder)
    assert check_due(demo_db, folder)


# --- the GUI's start --------------------------------------------------------------------------
@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement of every SQLite connection made in this process (any thread)."""
    seen: list[str] = []
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return seen


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now() + self.offset


def start(qtbot, base: Path, db: Path, clock: Clock) -> AppController:
    """The program's start on ``db``: the window shown, then its start backup (if due) done."""
    controller = AppController(QApplication.instance(), str(base), clock=clock)
    assert controller.open(db)
    qtbot.waitExposed(controller.window)
    runner = controller.backup_runner
    assert runner is not None
    with qtbot.waitSignal(runner.finished, timeout=30000):  # the start backup, after the delay
        pass
    return controller


def test_the_gui_checks_and_backs_up_an_unchanged_database_once_a_day(
    qtbot, demo_db, tmp_path, statements, monkeypatch
):
    monkeypatch.setattr(gui_app, "BACKUP_DELAY_MS", 0)
    base, clock = tmp_path / "base", Clock()
    controller = start(qtbot, base, demo_db, clock)
    qtbot.waitUntil(lambda: not check_due(demo_db, controller.backups, now=clock()), timeout=20000)
    assert [b.reason for b in list_backups(controller.backups, demo_db)] == ["start"]
    assert "PRAGMA quick_check" in statements and "PRAGMA integrity_check" in statements  # check, backup
    controller.shutdown()

    statements.clear()
    controller = start(qtbot, base, demo_db, clock)  # the second start, unchanged
    assert controller.safe.checked_fully and controller._checking is None
    controller._daily()  # the hourly look finds nothing due either
    assert controller._checking is None
    assert statements and full_checks(statements) == []
    assert [b.reason for b in list_backups(controller.backups, demo_db)] == ["start"]
    clock.offset = timedelta(days=1, minutes=1)  # left open overnight: the hourly look checks it
    with qtbot.waitSignal(controller.checked, timeout=20000):
        controller._daily()
    assert full_checks(statements) == ["PRAGMA quick_check"]
    controller.shutdown()

    statements.clear()
    clock.offset = timedelta(days=2, minutes=2)
    controller = start(qtbot, base, demo_db, clock)  # a day later: checked again, in the background
    assert not controller.safe.checked_fully
    qtbot.waitUntil(lambda: "PRAGMA quick_check" in statements, timeout=20000)
    qtbot.waitUntil(lambda: controller._checking is None, timeout=20000)
    assert not check_due(demo_db, controller.backups, now=clock())
    assert [b.reason for b in list_backups(controller.backups, demo_db)] == ["start"]  # unchanged: none
    controller.shutdown()


def visible_units(window) -> list[str]:
    proxy, found = window.units.view.model(), []

    def walk(parent):
        for r in range(proxy.rowCount(parent)):
            index = proxy.index(r, 0, parent)
            found.append(index.data())
            walk(index)

    walk(window.units.view.rootIndex())
    return found


def test_the_window_is_usable_while_the_check_runs(qtbot, demo_db, tmp_path, monkeypatch):
    """The check is held until the window has answered a keystroke: were it on the GUI thread,
    the window would answer only after it (the order says which)."""
    release, order = threading.Event(), []

    def held_check(path):
        release.wait(timeout=20)
        order.append("check")
        return check_file(path)

    monkeypatch.setattr(gui_app, "check_file", held_check)
    controller = AppController(QApplication.instance(), str(tmp_path / "base"))
    try:
        with qtbot.waitSignal(controller.checked, timeout=30000) as checked:
            assert controller.open(demo_db)
            window = controller.window
            qtbot.waitExposed(window)
            assert "7400 ÄO Ledning" in visible_units(window)
            qtbot.keyClicks(window.units.filter, "7762")
            qtbot.waitUntil(lambda: "7400 ÄO Ledning" not in visible_units(window), timeout=10000)
            assert "7762 Hemtjänst" in visible_units(window)
            order.append("window")
            release.set()
        assert order == ["window", "check"] and checked.args == [str(demo_db), []]
    finally:
        release.set()
        controller.shutdown()


def test_a_damaged_file_is_caught_by_the_days_check_and_the_user_told(
    qtbot, demo_db, tmp_path, modal_calls, monkeypatch
):
    monkeypatch.setattr(gui_app, "BACKUP_DELAY_MS", 0)
    base, clock = tmp_path / "base", Clock()
    controller = start(qtbot, base, demo_db, clock)  # checked, and backed up
    qtbot.waitUntil(lambda: not check_due(demo_db, controller.backups, now=clock()), timeout=20000)
    controller.shutdown()
    damage(demo_db)

    clock.offset = timedelta(days=1, minutes=1)
    controller = AppController(QApplication.instance(), str(base), clock=clock)
    try:
        with qtbot.waitSignal(controller.checked, timeout=30000) as checked:
            assert controller.open(demo_db)  # the window opens at once; the check follows
        assert checked.args[1]
        kind, text = modal_calls[-1]
        assert kind == "warning" and f"Kontrollen av databasen {demo_db} hittade fel" in text
        assert "Spara inget mer" in text and "öppna databasen igen" in text
        assert known_damaged(demo_db, controller.backups)
    finally:
        controller.shutdown()

    controller = AppController(QApplication.instance(), str(base), clock=clock)  # as the message says
    try:
        assert not controller.open(demo_db)  # checked before opening: put aside, a backup offered
        kind, text = modal_calls[-1]
        assert kind == "question" and f"Databasen {demo_db} är skadad" in text
        assert "Återställa den senaste hela säkerhetskopian?" in text
        assert list(tmp_path.glob("demo.db.skadad-*"))
    finally:
        controller.shutdown()


def test_a_file_found_damaged_is_checked_before_it_opens_even_where_the_check_waits(demo_db, tmp_path):
    folder = tmp_path / "b"
    with open_safely(demo_db, folder):
        pass
    damage(demo_db)
    with open_safely(demo_db, folder, check_now=False) as safe:  # within the day: the cheap checks
        assert safe.checked_fully
    record_check(demo_db, folder, check_file(demo_db))  # what the background check records
    with pytest.raises(CorruptDatabaseError, match="är skadad"):
        open_safely(demo_db, folder, check_now=False)


def test_damage_met_in_the_program_is_told_and_the_file_checked_before_it_opens_again(
    qtbot, demo_db, tmp_path, modal_calls, monkeypatch, database_opens
):
    monkeypatch.setattr(gui_app, "BACKUP_DELAY_MS", 0)
    clock = Clock()
    controller = start(qtbot, tmp_path / "base", demo_db, clock)
    try:
        qtbot.waitUntil(lambda: not check_due(demo_db, controller.backups, now=clock()), timeout=20000)
        damage(demo_db)  # while the program has it open, within the day
        database_opens.clear()  # the scribbling above, on purpose
        reader = sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True)  # pages this process has not cached
        with pytest.raises(sqlite3.DatabaseError) as err:  # SQLite's error for a read of the damaged page
            reader.execute("SELECT sum(rowid) FROM audit INDEXED BY audit_unit").fetchall()
        reader.close()
        assert controller.storage_fault(err.value)  # what the excepthook hands it
        kind, text = modal_calls[-1]
        assert kind == "critical" and f"Databasen {demo_db} är skadad" in text and "sparades inte" in text
        qtbot.waitUntil(lambda: modal_calls[-1][0] == "question", timeout=20000)  # opened again: checked
        assert f"Databasen {demo_db} är skadad" in modal_calls[-1][1]
        assert "Återställa den senaste hela säkerhetskopian?" in modal_calls[-1][1]
        assert controller.window is None and list(tmp_path.glob("demo.db.skadad-*"))
    finally:
        controller.shutdown()
