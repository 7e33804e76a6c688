"""A synthetic large board for benchmarks: ≈5 000 leaf units under ≈300 programs, ten years
of monthly utfall and budget, a helårsprognos made every month, and monthly statistics
(≈2.4 M facts). Deterministic; written through the store's own bulk path.

    .venv/bin/python benchmarks/city.py PATH.db [--leaves 5000]
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


def generate(path: Path, leaves: int = 5000) -> Store:
    t0 = time.perf_counter()
    store = open_database(path)
    store.add_units(units(leaves))
    rnd = random.Random(2024)
    base = {f"V{i:04d}": rnd.randint(200, 4000) * 1000 for i in range(leaves)}
    total = 0
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        facts: list[Fact] = []
        for code, monthly in base.items():
            annual = Decimal(monthly * 12)
            for m in range(1, 13):
                month = Period.month(year, m)
                facts.append(Fact(FactKey(code, "netto", Scenario.BUDGET, month), Value.of(monthly)))
                actual = monthly * rnd.randint(85, 118) // 100
                facts.append(Fact(FactKey(code, "netto", Scenario.ACTUAL, month), Value.of(actual)))
                forecast = annual * rnd.randint(95, 108) / 100
                facts.append(
                    Fact(
                        FactKey(code, "netto", Scenario.FORECAST, Period.year(year), f"{year}-{m:02d}"),
                        Value.of(forecast.quantize(Decimal(1))),
                    )
                )
                facts.append(
                    Fact(
                        FactKey(code, "aktualiseringar", Scenario.ACTUAL, month), Value.of(rnd.randint(0, 40))
                    )
                )
        store.write_facts(facts, source="benchmark")
        total += len(facts)
        print(
            f"  {year}: {total:,} uppgifter ({time.perf_counter() - t0:.0f} s)".replace(",", " "), flush=True
        )
    return store


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--leaves", type=int, default=5000)
    args = ap.parse_args()
    if args.path.exists():
        raise SystemExit(f"{args.path} finns redan")
    generate(args.path, args.leaves).close()


def cached(path: Path | None = None) -> Path:
    """The city database, built once into benchmarks/.cache (about 3½ minutes)."""
    path = path or Path(__file__).resolve().parent / ".cache" / "city.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"Bygger {path} (en gång) …")
        generate(path).close()
    return path
