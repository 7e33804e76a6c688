"""Opening the large city board (benchmarks/city.py, ≈ 2,4 M facts, ≈ 1 GB) at start, as a user
does it, each start a fresh process (issue 15: opening an unchanged database does no full backup
and no full integrity check more than once a day; the GUI never waits on either).

On a copy of the city (it is written: identity, writer lock, the first start's backup):

- the first start of the day (once, not measured): the check and the backup it is due, as
  ``open_safely`` does them;
- **the second start, unchanged**: ``socdesk upgrade --db CITY`` (the writing commands' open,
  ``open_safely`` with the day's check when due) as a subprocess – CPU, wall, peak RSS and the
  bytes it hands to ``write()`` (``wchar`` of ``/proc/self/io``, read at its exit). The floor:
  ``sqlite3.connect`` and one read of the units, in a subprocess – what any program needs to look
  at the file. Met when the database file (size and mtime), its backups and the day's check
  record are as they were: nothing was checked in full, backed up or written to the database;
- **the cold start to a painted window, unchanged**: ``socdesk --db CITY`` with
  ``SOCDESK_STARTUP_PROBE`` (it quits once the window is painted), beside a floor that paints a
  bare ``QMainWindow`` after the same connect and read (the least code that shows a window on
  the database). Met on the same terms as above;
- **the day's check**: the same ``socdesk upgrade`` a day later (the check's record moved back a
  day) beside ``PRAGMA quick_check`` alone on a read-write connection in a subprocess: what the
  once-a-day check costs. Read-write as socdesk checks: SQLite 3.40 skips the schema's CHECK
  constraints in a read-only connection's quick_check (measured at the city: 2,9 s CPU read-only,
  15 s read-write), so a read-only floor would not be the same work.

Run: ``.venv/bin/python benchmarks/bench_startup.py [CITY.db] [--rounds N]``. CPU seconds (the
machine is shared), medians of the rounds; wall in the notes.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402
from common import Row, Run, child, load, median_run  # noqa: E402
from common import main as bench_main  # noqa: E402

from socdesk.store.integrity import check_record  # noqa: E402
from socdesk.store.safety import open_safely  # noqa: E402

# ``python -m socdesk ARGS``, printing at its exit what it handed to write() (bytes)
WRITES = """
import atexit, runpy, sys
def report():
    with open("/proc/self/io") as f:
        io = dict(line.split(": ") for line in f.read().splitlines())
    sys.stdout.write(f"\\nwchar {io['wchar']}\\n")
    sys.stdout.flush()
atexit.register(report)
sys.argv = ["socdesk", *sys.argv[1:]]
runpy.run_module("socdesk", run_name="__main__", alter_sys=True)
"""

FLOOR = """
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
c.execute("SELECT count(*) FROM units").fetchone()
"""

WINDOW_FLOOR = """
import sqlite3, sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
w = QMainWindow()
w.setCentralWidget(QLabel(str(c.execute("SELECT count(*) FROM units").fetchone()[0])))
w.show()
w.repaint()
"""

CHECK_FLOOR = """
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=rw", uri=True)
assert c.execute("PRAGMA quick_check").fetchall() == [("ok",)]
"""


def state(db: Path, backups: Path) -> tuple:
    """What an unchanged start must leave as it was: the database file, its backups, the record
    of the day's check (rewritten by every check)."""
    record = check_record(db, backups)
    return (
        db.stat().st_size,
        db.stat().st_mtime_ns,
        sorted(p.name for p in backups.glob("*.db")),
        record.stat().st_mtime_ns if record.exists() else None,
    )


def age_check(db: Path, backups: Path) -> None:
    """The day passes: the last check's record moved back a day."""
    path = check_record(db, backups)
    record = json.loads(path.read_text(encoding="utf-8"))
    at = datetime.fromisoformat(record["checked_at"]) - timedelta(days=1, minutes=1)
    record["checked_at"] = at.isoformat()
    path.write_text(json.dumps(record), encoding="utf-8")


def sv(x: float, decimals: int = 2) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def compile_bytecode() -> None:
    """socdesk's modules compiled, as an installed program has them (pip compiles the bytecode
    when it installs the wheel; the PyInstaller build ships it). Without it, a checkout on a
    machine with PYTHONDONTWRITEBYTECODE set – this one – compiles every module at every start
    (≈ 0,2 s CPU), which no user's start does; the floor's PySide6 is compiled already."""
    import compileall

    import socdesk

    compileall.compile_dir(Path(socdesk.__file__).parent, quiet=1)


def rows(city_db: Path, *, rounds: int = 3) -> list[Row]:
    compile_bytecode()
    with tempfile.TemporaryDirectory(dir=city_db.parent) as tmp:
        db, backups = Path(tmp) / "city.db", Path(tmp) / "backups"
        shutil.copyfile(city_db, db)  # the city itself stays as it is
        with open_safely(db, backups):  # the first start of the day: checked and backed up
            pass
        before = state(db, backups)
        cli = [sys.executable, "-c", WRITES, "--basedir", tmp, "upgrade", "--db", str(db)]
        second = median_run(lambda: child(cli), rounds)
        written = int(second.stdout.split()[-1])
        floor = median_run(lambda: child([sys.executable, "-c", FLOOR, str(db)]), rounds)
        cli_unchanged = state(db, backups) == before

        os.environ["SOCDESK_STARTUP_PROBE"] = "1"
        try:
            gui = median_run(
                lambda: child([sys.executable, "-m", "socdesk", "--basedir", tmp, "--db", str(db)]), rounds
            )
        finally:
            del os.environ["SOCDESK_STARTUP_PROBE"]
        window_floor = median_run(lambda: child([sys.executable, "-c", WINDOW_FLOOR, str(db)]), rounds)
        gui_unchanged = state(db, backups) == before

        def daily() -> Run:
            age_check(db, backups)
            return child(cli)

        day = median_run(daily, rounds)
        check_floor = median_run(lambda: child([sys.executable, "-c", CHECK_FLOOR, str(db)]), rounds)
    size = f"{db.name} {before[0] / 1e9:.2f} GB".replace(".", ",")
    target = "ingen full kontroll eller säkerhetskopia; databasen orörd"
    return [
        Row(
            "öppna staden oförändrad (andra starten, socdesk upgrade)",
            second.cpu,
            floor.cpu,
            "s CPU",
            target,
            cli_unchanged,
            rss_mb=second.rss_mb,
            note=f"{size}; vägg {sv(second.wall)} s mot {sv(floor.wall)} s; {written} byte till write() "
            f"(utskrift, lås, logg); databasen, säkerhetskopiorna och kontrollens anteckning "
            f"{'oförändrade' if cli_unchanged else 'ÄNDRADE'}; {load()}",
        ),
        Row(
            "kallstart till målat fönster (staden oförändrad)",
            gui.cpu,
            window_floor.cpu,
            "s CPU",
            target + "; fönstret väntar inte",
            gui_unchanged,
            rss_mb=gui.rss_mb,
            note=f"golvet: ett tomt QMainWindow efter samma läsning; vägg {sv(gui.wall)} s mot "
            f"{sv(window_floor.wall)} s; databasen, säkerhetskopiorna och kontrollens anteckning "
            f"{'oförändrade' if gui_unchanged else 'ÄNDRADE'}; {load()}",
        ),
        Row(
            "dagens kontroll (första starten för dagen, socdesk upgrade)",
            day.cpu,
            check_floor.cpu,
            "s CPU",
            "en gång om dagen; ≤ 1,5 × PRAGMA quick_check",
            day.cpu <= 1.5 * check_floor.cpu,
            rss_mb=day.rss_mb,
            note=f"golvet: PRAGMA quick_check ensam; vägg {sv(day.wall)} s mot {sv(check_floor.wall)} s; "
            f"i programmet körs den i bakgrunden medan fönstret går att använda; {load()}",
        ),
    ]


if __name__ == "__main__":
    bench_main(rows, city.cached)
