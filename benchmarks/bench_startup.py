"""The work of opening a database at start, on the large city board of benchmarks/city.py
(≈2.4 M facts, ≈1 GB). Run: .venv/bin/python benchmarks/bench_startup.py

Opens the database the way the program does (``open_safely``: network and integrity checks,
the writer lock, the identity), then does what the program's start backup does
(``gui/app.py``: a verified backup unless the newest backup of this database holds its current
generation). Three starts: with no backup yet; again, unchanged; after one saved figure. Then
the cold start of the program to a painted window (a fresh process, median of 3). Backups go to
a temporary folder. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402

from socdesk.core.facts import Fact, FactKey, Scenario  # noqa: E402
from socdesk.core.periods import Period  # noqa: E402
from socdesk.core.values import Value  # noqa: E402
from socdesk.store.backup import list_backups, take_backup, up_to_date  # noqa: E402
from socdesk.store.safety import open_safely  # noqa: E402


def start(db: Path, folder: Path, label: str) -> None:
    t0 = time.perf_counter()
    safe = open_safely(db, folder, daily_backup=False)  # as gui/app.py opens it
    t1 = time.perf_counter()
    made = None if up_to_date(folder, safe.store) else take_backup(safe.store, folder, "start")
    t2 = time.perf_counter()
    safe.close()
    written = made.stat().st_size / 1e6 if made else 0
    print(
        f"{label:<40} open {(t1 - t0) * 1000:8.1f} ms   start backup {(t2 - t1) * 1000:9.1f} ms"
        f"   {written:6.0f} MB written"
    )


def main() -> None:
    cached = city.cached(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    with tempfile.TemporaryDirectory() as tmp:
        db, folder = Path(tmp) / "city.db", Path(tmp) / "backups"
        shutil.copyfile(cached, db)  # the cached city stays as it is
        start(db, folder, "first start (no backup of it yet)")
        start(db, folder, "next start, unchanged")
        with open_safely(db, folder, daily_backup=False) as safe:
            key = FactKey("V0001", "netto", Scenario.ACTUAL, Period.month(2024, 12), "bench")
            safe.store.write_facts([Fact(key, Value.of(1))], source="benchmark")
        start(db, folder, "after one saved figure")
        print(f"{'backups kept in the folder':<40} {len(list_backups(folder, db))}")

        starts = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "socdesk", "--basedir", tmp, "--db", str(db)],
                check=True,
                env={**os.environ, "SOCDESK_STARTUP_PROBE": "1"},
            )
            starts.append(time.perf_counter() - t)
        median = statistics.median(starts) * 1000
        print(f"{'cold start to a painted window (median of 3)':<48}{median:8.1f} ms")


if __name__ == "__main__":
    main()
