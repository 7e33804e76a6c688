"""Crash trials: a child process imports, saves, backs up and migrates in a loop and is killed
with SIGKILL at a random moment; then the database must pass ``integrity_check`` and hold every
batch and every save wholly or not at all, and every finished backup must be sound.

    .venv/bin/python benchmarks/crash_trials.py [TRIALS]      (default 200)

tests/test_crash.py runs a smaller number of the same trials.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROWS_PER_FILE = 400
CELLS_PER_SAVE = 50


def worker(folder: Path, seed: int) -> None:
    """Runs until killed: import, save, backup, and now and then migrate an old database."""
    from socdesk.core.facts import Fact, FactKey, Scenario
    from socdesk.core.periods import Period
    from socdesk.core.units import Unit
    from socdesk.core.values import Value
    from socdesk.io.longcsv import import_long_csv
    from socdesk.store import schema
    from socdesk.store.safety import open_safely

    rnd = random.Random(seed)
    db, backups = folder / "data.db", folder / "backups"
    safe = open_safely(db, backups, daily_backup=False)
    store = safe.store
    if not store.measures():
        from socdesk.io.seeds import install_default_measures

        install_default_measures(store)
        store.add_units([Unit("ROT", "Rot")])
    i = 0
    print("ready", flush=True)
    while True:
        i += 1
        op = rnd.choice(["import", "import", "save", "backup", "migrate"])
        if op == "import":
            path = folder / f"f{seed}-{i}.csv"
            lines = ["enhet;namn;överordnad;period;mått;scenario;värde"]
            for r in range(ROWS_PER_FILE):
                code = f"B{seed}-{i}-{r % 40}"
                lines.append(
                    f"{code};Enhet {code};ROT;2024-{1 + r // 40:02d};netto;utfall;{rnd.randint(1, 99999)},5"
                )
            path.write_text("\n".join(lines), encoding="utf-8")
            import_long_csv(store, path)
        elif op == "save":
            facts = [
                Fact(
                    FactKey(
                        "ROT",
                        "netto",
                        Scenario.BUDGET,
                        Period.month(2025, 1 + c % 12),
                        f"s{seed}-{i}-{c // 12}",
                    ),
                    Value.of(rnd.randint(1, 1000)),
                )
                for c in range(CELLS_PER_SAVE)
            ]
            store.write_facts(facts, source="form")
        elif op == "backup":
            safe.backup("manuell")
        else:
            old = folder / f"old{seed}-{i}.db"
            making = folder / f"making{seed}-{i}.tmp"  # an old database appears whole, or not at all
            with closing(sqlite3.connect(making)) as c, c:
                c.executescript(schema.MIGRATIONS[0])
                c.execute("INSERT INTO units (id, code, name) VALUES (1, 'R', 'Rot'), (2, 'L', 'Löv')")
                c.execute("UPDATE units SET parent_id = 1 WHERE id = 2")
                c.execute("INSERT INTO measures VALUES ('netto', 'Netto', 'kr', 1, 1, 1, 0, '')")
                c.executemany(
                    "INSERT INTO facts (unit_id, measure, scenario, period, period_start, period_end, "
                    "value, status) VALUES (2, 'netto', 'utfall', ?, ?, ?, 10000, 'value')",
                    [(f"2024-{m:02d}",) * 3 for m in range(1, 13)],
                )
                c.execute("PRAGMA user_version = 1")
            making.replace(old)
            with open_safely(old, backups, daily_backup=False):
                pass


def check(folder: Path) -> list[str]:
    """What is wrong with the database and backups after a kill (empty when all is well)."""
    from socdesk.store.backup import integrity_problems, list_backups
    from socdesk.store.schema import SCHEMA_VERSION

    problems: list[str] = []
    db = folder / "data.db"
    if not db.exists():
        return problems
    problems += [f"data.db: {p}" for p in integrity_problems(db)]
    c = sqlite3.connect(db)
    try:
        for batch, rows in c.execute("SELECT id, rows FROM import_batches"):
            n = c.execute("SELECT count(*) FROM facts WHERE batch_id = ?", (batch,)).fetchone()[0]
            if n != rows:
                problems.append(f"batch {batch}: {n} av {rows} uppgifter")
        saves = c.execute("SELECT count(*) FROM facts WHERE scenario = 'budget'").fetchone()[0]
        if saves % CELLS_PER_SAVE:
            problems.append(f"{saves} sparade celler, inte en multipel av {CELLS_PER_SAVE}")
        audit = c.execute(
            "SELECT count(*) FROM audit WHERE source = 'form' AND new_status IS NOT NULL"
        ).fetchone()[0]
        if audit != saves:
            problems.append(f"{audit} granskningsrader för {saves} sparade celler")
        rollup = c.execute(
            "SELECT coalesce(sum(value), 0) FROM rollup r JOIN units u ON u.id = r.unit_id "
            "WHERE u.code = 'ROT' AND r.measure = 'netto' AND r.scenario = 'utfall'"
        ).fetchone()[0]
        facts = c.execute(
            "SELECT coalesce(sum(value), 0) FROM facts f JOIN units u ON u.id = f.unit_id "
            "WHERE u.code <> 'ROT' AND f.measure = 'netto' AND f.scenario = 'utfall'"
        ).fetchone()[0]
        if rollup != facts:
            problems.append(f"rollup {rollup} ≠ summan av uppgifterna {facts}")
    finally:
        c.close()
    for old in folder.glob("old*.db"):
        bad = integrity_problems(old)
        if bad:
            problems.append(f"{old.name}: {bad[0]}")
            continue
        with sqlite3.connect(old) as c:
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                if c.execute("SELECT count(*) FROM rollup").fetchone()[0] != 12:
                    problems.append(f"{old.name}: migrerad men utan rollup")
            elif version != 1:
                problems.append(f"{old.name}: schema {version}")
    for b in list_backups(folder / "backups", db):
        bad = integrity_problems(b.path)
        if bad:
            problems.append(f"säkerhetskopia {b.path.name}: {bad[0]}")
    return problems


def trial(seed: int, max_delay: float = 2.0) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with subprocess.Popen(
            [sys.executable, __file__, "--worker", str(folder), str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        ) as proc:
            assert proc.stdout is not None
            proc.stdout.readline()  # "ready"
            time.sleep(random.Random(seed).uniform(0.0, max_delay))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        return check(folder)


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    failures = 0
    t0 = time.perf_counter()
    for seed in range(trials):
        problems = trial(seed)
        if problems:
            failures += 1
            print(f"försök {seed}: {problems}")
    print(f"{trials} försök, {failures} med fel, {time.perf_counter() - t0:.0f} s")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
