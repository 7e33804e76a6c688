"""Benchmarks for the store and the long CSV import. Run: .venv/bin/python benchmarks/bench_store.py

Prints figures; asserts nothing. Sizes can be given as arguments: rows for the import
(default 200 000) — e.g. ``bench_store.py 1000000``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from socdesk.core.checks import run_checks
from socdesk.core.facts import Scenario
from socdesk.core.periods import parse_period
from socdesk.io.longcsv import import_long_csv
from socdesk.io.seeds import build_demo, open_database
from socdesk.reports.economy import economy_table
from socdesk.store.figures import Figures


def timed(label: str, fn, *args, **kw):
    t = time.perf_counter()
    result = fn(*args, **kw)
    dt = time.perf_counter() - t
    print(f"{label:<48} {dt * 1000:10.1f} ms")
    return result, dt


def generate(path: Path, rows: int) -> None:
    units = max(1, rows // (12 * 2 * 5))
    with path.open("w", encoding="utf-8") as f:
        f.write("enhet;namn;överordnad;period;mått;scenario;värde;skala\n")
        f.write("ROOT;Nämnd;;;;;;\n")
        for u in range(units):
            f.write(f"U{u};Enhet {u};ROOT;;;;;\n")
        n = 0
        year = 2020
        while n < rows:
            for u in range(units):
                for m in range(1, 13):
                    for scenario in ("utfall", "budget"):
                        if n >= rows:
                            break
                        f.write(
                            f"U{u};;;{year}-{m:02d};netto;{scenario};"
                            f"{((u * 37 + m * 101) % 99991) * 1000 + m * 7},5;kr\n"
                        )
                        n += 1
            year += 1


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        timed("build demo database (5 seed files)", build_demo, tmp_path / "demo.db")
        store = open_database(tmp_path / "demo.db")
        facts, _ = timed("read all demo facts", store.facts)
        timed(f"check {len(facts)} demo facts", run_checks, facts, store.unit_tree(), store.measures())
        timed("Ekonomi table 771, jan–maj 2024", economy_table, store, "771", parse_period("2024-05").end)
        store.close()

        csv_path = tmp_path / "big.csv"
        timed(f"generate {rows} rows of long CSV", generate, csv_path, rows)
        big = open_database(tmp_path / "big.db")
        _result, dt = timed(
            f"import {rows} rows (parse, validate, write, audit)", import_long_csv, big, csv_path
        )
        print(f"{'import throughput':<48} {rows / dt:10.0f} rows/s")
        timed("re-import the same rows (no changes, no audit)", import_long_csv, big, csv_path)
        tree = big.unit_tree()
        netto = big.measures()["netto"]
        ytd = parse_period("2020-01/2020-06")
        timed(
            "year-to-date sum of the root (reference rules)",
            big.value,
            "ROOT",
            netto,
            Scenario.ACTUAL,
            ytd,
            tree=tree,
        )
        timed(
            "year-to-date sum of the root (rollup)",
            Figures(big, tree).values,
            ["ROOT"],
            netto,
            Scenario.ACTUAL,
            ytd,
        )
        big.close()


if __name__ == "__main__":
    main()
