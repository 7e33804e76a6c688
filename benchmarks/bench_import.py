"""The whole import of a generated ledger file (huvudbokstransaktioner), against the floor.

Run: ``.venv/bin/python benchmarks/bench_import.py [ROWS]`` (default 1 000 000). Generates a
CSV as an ekonomisystem exports it (Ansvar;Konto;Bokföringsdatum;Belopp, Swedish numbers with
the no-break space Excel writes in sv-SE, a few balance-sheet rows), then prints:

- the whole import as socdesk does it (read and check every row, aggregate to units and
  months with the konto rules, write facts, audit and rollup in one transaction), rows/s;
- the floor: a raw ``sqlite3.executemany`` of the same aggregated rows into a bare table.

Target (docs/performance.md): 1 M rows in ≤ 5 s on the project machine (2 cores).
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
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
    main()
