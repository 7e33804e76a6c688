"""The whole import of a generated ledger file (huvudbokstransaktioner), against the floor.

Run: ``.venv/bin/python benchmarks/bench_import.py [ROWS] [--phases]`` (default 1 000 000).
Generates a CSV as an ekonomisystem exports it (Ansvar;Konto;Bokföringsdatum;Belopp, Swedish
numbers with the no-break space Excel writes in sv-SE, a few balance-sheet rows).

``rows()`` (benchmarks/run_all.py) runs ``socdesk import`` on it as a subprocess – what the user
runs: read and check every row, aggregate to units and months with the konto rules, write
facts, audit and rollup in one transaction – into a fresh database with the 400 ansvar, its CPU
and own peak RSS, beside the floor in the same run: Python's ``csv`` reads the file, each row's
unit is looked up, its konto's measure found by the default konto rules and its date checked
(once per distinct text), its amount read as whole öre by the plainest string handling, the sums
kept per (unit, measure, month) in a dict and written by one ``executemany`` into a table with
that primary key. No audit, batch or rollup: the ratio states their whole cost.
``--phases`` prints the product's phases in process (read, plan, write) instead.

Target (issue 10, docs/performance.md): 1 M rows in ≤ 5 s on the project machine (2 cores).
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, child, load, median_run
from socdesk.core.units import Unit
from socdesk.io import importer
from socdesk.io.seeds import open_database

UNITS = 400
NBSP = "\u00a0"


def swedish(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    kr, rest = divmod(abs(ore), 100)
    whole = f"{kr:,}".replace(",", NBSP)
    return f"{sign}{whole},{rest:02d}"


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    kontos = [3010, 3510, 4010, 4110, 4510, 5010, 5410, 6110, 6410, 7010, 1930]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Ansvar;Konto;Bokföringsdatum;Belopp\r\n")
        for _ in range(rows):
            konto = rnd.choice(kontos)
            ore = rnd.randint(1, 5_000_000) * (-1 if konto < 4000 else 1)
            day = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            f.write(f"A{rnd.randrange(UNITS):03d};{konto};{day};{swedish(ore)}\r\n")


FLOOR = """
import csv, datetime, sqlite3, sys
units = {f"A{i:03d}" for i in range(int(sys.argv[3]))}
rules = ((3000, 3999, "intakter"), (4000, 7999, "kostnader"))
measure_of, months, sums = {}, {}, {}
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    reader = csv.reader(f, delimiter=";")
    next(reader)
    for ansvar, konto, day, amount in reader:
        if ansvar not in units:
            raise ValueError(ansvar)
        if konto not in measure_of:
            n = int(konto[:4])
            measure_of[konto] = next((m for a, b, m in rules if a <= n <= b), None)
        measure = measure_of[konto]
        if measure is None:
            continue
        if day not in months:
            months[day] = datetime.date.fromisoformat(day).strftime("%Y-%m")
        whole, _, ore = amount.replace("\\u00a0", "").partition(",")
        value = int(whole) * 100 + (-1 if whole.startswith("-") else 1) * int(ore or 0)
        key = (ansvar, measure, months[day])
        sums[key] = sums.get(key, 0) + value
con = sqlite3.connect(sys.argv[2])
con.execute(
    "CREATE TABLE f (unit TEXT, measure TEXT, period TEXT, value INTEGER, "
    "PRIMARY KEY (unit, measure, period))"
)
with con:
    con.executemany("INSERT INTO f VALUES (?, ?, ?, ?)", [(*k, v) for k, v in sums.items()])
"""


def fresh_database(path: Path) -> None:
    store = open_database(path)
    store.add_units(
        [Unit("N", "Nämnd", None), *(Unit(f"A{i:03d}", f"Ansvar {i}", "N") for i in range(UNITS))]
    )
    store.close()


def rows(city: Path, *, rounds: int = 3, count: int = 1_000_000) -> list[Row]:
    """``city`` is not used: the ledger's 400 ansvar go into a fresh database."""
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        csv = folder / "huvudbok.csv"
        generate(csv, count)
        fresh_database(folder / "fresh.db")
        n = [0]

        def once() -> object:
            n[0] += 1
            db = folder / f"import{n[0]}.db"
            shutil.copyfile(folder / "fresh.db", db)
            return child([sys.executable, "-m", "socdesk", "import", "--db", str(db), str(csv)])

        def floor_once() -> object:
            n[0] += 1
            return child([sys.executable, "-c", FLOOR, str(csv), str(folder / f"floor{n[0]}.db"), str(UNITS)])

        product = median_run(once, rounds)
        floor = median_run(floor_once, rounds)
    return [
        Row(
            "huvudboksimport, " + f"{count:,} rader".replace(",", " "),
            product.cpu,
            floor.cpu,
            "s CPU",
            "≤ 5 s för 1 M rader",
            product.cpu * 1_000_000 / count <= 5,
            product.rss_mb,
            f"{count / product.cpu:,.0f}".replace(",", " ") + f" rader/s CPU; {load()}",
        )
    ]


def phases(rows: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        csv = folder / "huvudbok.csv"
        t = time.perf_counter()
        generate(csv, rows)
        print(
            f"generated {rows:,} rows, {csv.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t:.1f} s"
        )
        store = open_database(folder / "bench.db")
        store.add_units(
            [Unit("N", "Nämnd", None), *(Unit(f"A{i:03d}", f"Ansvar {i}", "N") for i in range(UNITS))]
        )

        t0 = time.perf_counter()
        data = csv.read_bytes()
        source = importer.read_source(data, csv.name, store)
        t1 = time.perf_counter()
        plan = importer.plan(store, source)
        t2 = time.perf_counter()
        result = importer.execute(store, plan)
        t3 = time.perf_counter()
        total = t3 - t0
        print(f"read, check and aggregate  {t1 - t0:6.2f} s")
        print(f"plan (units, overlaps)     {t2 - t1:6.2f} s")
        print(f"write (facts, audit, rollup) {t3 - t2:4.2f} s   {result.changed:,} figures")
        print(
            f"whole import               {total:6.2f} s   {rows / total:,.0f} rows/s   (target ≤ 5 s for 1 M)"
        )
        for line in result.summary.lines():
            print("  " + line)

        raw = sqlite3.connect(folder / "raw.db")
        raw.execute("CREATE TABLE f (unit TEXT, measure TEXT, period TEXT, value INTEGER)")
        aggregated = [
            (f.key.unit, f.key.measure, str(f.key.period), int(f.value.number * 10_000)) for f in plan.facts
        ]
        t = time.perf_counter()
        with raw:
            raw.executemany("INSERT INTO f VALUES (?, ?, ?, ?)", aggregated)
        print(
            f"floor: raw executemany of the {len(aggregated):,} aggregated rows"
            f"  {time.perf_counter() - t:6.3f} s"
        )
        raw.close()
        store.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 1_000_000
    if "--phases" in sys.argv:
        phases(count)
    else:
        for row in rows(Path(), rounds=1, count=count):
            print(row)
