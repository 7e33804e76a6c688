"""A synthetic large board for benchmarks: ≈5 000 leaf units under ≈300 programs, ten years
of monthly utfall and budget, a helårsprognos made every month, and monthly statistics
(≈2.4 M facts). Deterministic; written through the store's own bulk path
(``Store.write_fact_rows``, logical rows, audited, the rollup kept).

    .venv/bin/python benchmarks/city.py PATH.db [--leaves 5000 | --scale 0.1]

``--scale`` multiplies the leaves (city/10: 0.1, 10× city: 10 → 24 M facts); the programs and
areas stay, so a program's subtree grows with the scale, as a larger city's would.
"""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal
from pathlib import Path

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io.seeds import open_database
from socdesk.store.db import Store
from socdesk.store.facts import fact_row

LEAVES = 5000
STORE = 10_000  # a stored integer per krona (to_store_int)

AREAS = 20
PROGRAMS = 300
FIRST_YEAR, YEARS = 2015, 10


def units(leaves: int) -> list[Unit]:
    out = [Unit("STAD", "Socialnämnden (syntetisk)")]
    for a in range(AREAS):
        out.append(Unit(f"A{a:02d}", f"Verksamhetsområde {a + 1}", "STAD"))
    for p in range(PROGRAMS):
        out.append(Unit(f"P{p:03d}", f"Program {p + 1}", f"A{p % AREAS:02d}"))
    for leaf in range(leaves):
        out.append(Unit(f"V{leaf:04d}", f"Verksamhet {leaf + 1}", f"P{leaf % PROGRAMS:03d}"))
    return out


def _template(measure: str, scenario: Scenario, period: Period, version: str = "") -> tuple:
    """The logical row (``FACT_ROW``) of one figure, for any unit and value."""
    return fact_row(Fact(FactKey("", measure, scenario, period, version), Value.of(1)))


def generate(path: Path, leaves: int = LEAVES) -> Store:
    t0 = time.perf_counter()
    store = open_database(path)
    store.add_units(units(leaves))
    rnd = random.Random(2024)
    base = {f"V{i:04d}": rnd.randint(200, 4000) * 1000 for i in range(leaves)}
    total = 0
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        months = [
            (
                _template("netto", Scenario.BUDGET, Period.month(year, m)),
                _template("netto", Scenario.ACTUAL, Period.month(year, m)),
                _template("netto", Scenario.FORECAST, Period.year(year), f"{year}-{m:02d}"),
                _template("aktualiseringar", Scenario.ACTUAL, Period.month(year, m)),
            )
            for m in range(1, 13)
        ]
        rows: list[tuple] = []
        for code, monthly in base.items():
            annual = Decimal(monthly * 12)
            for budget, actual, forecast, count in months:
                rows.append((code, *budget[1:9], monthly * STORE, *budget[10:]))
                value = monthly * rnd.randint(85, 118) // 100
                rows.append((code, *actual[1:9], value * STORE, *actual[10:]))
                value = int((annual * rnd.randint(95, 108) / 100).quantize(Decimal(1)))
                rows.append((code, *forecast[1:9], value * STORE, *forecast[10:]))
                rows.append((code, *count[1:9], rnd.randint(0, 40) * STORE, *count[10:]))
        store.write_fact_rows(rows, source="benchmark")
        total += len(rows)
        print(
            f"  {year}: {total:,} uppgifter ({time.perf_counter() - t0:.0f} s)".replace(",", " "), flush=True
        )
    return store


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--leaves", type=int, default=LEAVES)
    size.add_argument("--scale", type=float, help="gånger stadens storlek (0.1, 10)")
    args = ap.parse_args()
    if args.path.exists():
        raise SystemExit(f"{args.path} finns redan")
    generate(args.path, round(LEAVES * args.scale) if args.scale else args.leaves).close()


def cached(path: Path | None = None) -> Path:
    """The city database, built once into benchmarks/.cache (about 3½ minutes)."""
    path = path or Path(__file__).resolve().parent / ".cache" / "city.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"Bygger {path} (en gång) …")
        generate(path).close()
    return path
