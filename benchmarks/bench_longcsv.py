"""The long-CSV import of a generated file (1 M rows by default), against its floor (issue 15).

Run: ``.venv/bin/python benchmarks/bench_longcsv.py [ROWS]``. Generates two long CSVs
(docs/long-csv.md) of the same figures: as socdesk's own export writes them (amounts in kronor,
``skala`` kr) and as a controller's file looks (amounts in tkr with a Swedish decimal comma).
The units (500 under one nämnd) are defined on the file's first rows, so a fresh database
(its measures only) takes it. Each file is imported into a fresh copy of that database by
``socdesk import`` as a subprocess, what the user runs: its CPU and own peak RSS
(``benchmarks.common.child``). Then the same figures again, in a file of other bytes (one more
line break at its end): nothing is changed and no audit row written (the row's note counts
them); and the same file with ``--replace``, which undoes the earlier import and reads the file
again (a delete and an insert in the audit per figure).

The floor, in the same run, does the same work with the least code: Python's ``csv`` reads the
file; each row is checked as the import checks it (the unit known or defined above, the period
by ``parse_period``, the measure known, the scenario by ``Scenario.parse``, the skala by
``Scale.parse`` and only for amounts, the value by ``parse_value``, no key twice), once per
distinct text where the import also parses once; the rows go by one ``executemany`` into a
table of the same logical columns with the same primary key. It writes no audit, no batch and
no rollup, which the product does, so the ratio states the whole cost of those.
"""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Row, Run, child, cpu_of, load, median_run
from socdesk.core.facts import Scenario
from socdesk.core.numbers import Scale
from socdesk.core.periods import parse_period
from socdesk.core.values import parse_value, to_store_int
from socdesk.io.seeds import open_database

UNITS = 500
MONEY = ("netto", "kostnader", "intakter")
COUNT = "aktualiseringar"


def generate(path: Path, rows: int, *, controller: bool = False, seed: int = 1) -> None:
    """``rows`` figures for ``UNITS`` units under one nämnd, after the rows that define them."""
    rnd = random.Random(seed)
    per_unit = max(1, rows // UNITS)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("enhet;namn;överordnad;period;mått;scenario;värde;skala\r\n")
        f.write("B;Bänknämnd;;;;;;\r\n")
        for u in range(UNITS):
            f.write(f"B{u:04d};Enhet {u};B;;;;;\r\n")
        for u in range(UNITS):
            for i in range(per_unit):
                year, month, kind = 1990 + i // 48, i % 12 + 1, (i // 12) % 4
                if kind < 3:
                    ore = rnd.randint(-5_000_000, 5_000_000)
                    if controller:
                        sign = "-" if ore < 0 else ""
                        value, scale = f"{sign}{abs(ore) // 1000},{abs(ore) % 1000:03d}", "tkr"
                    else:
                        value, scale = str(ore), "kr"
                    measure = MONEY[kind]
                else:
                    value, scale, measure = str(rnd.randint(0, 500)), "", COUNT
                f.write(f"B{u:04d};;;{year}-{month:02d};{measure};utfall;{value};{scale}\r\n")


def floor(csv_path: Path, db: Path, measures: dict) -> None:
    """Read, check and write the file with the least code (the module's docstring)."""
    units: set[str] = set()
    periods: dict[str, tuple[str, str, str]] = {}
    scenarios: dict[str, str] = {}
    scales: dict[str, Scale] = {}
    out = {}
    with csv_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        for code, name, parent, period, measure, scenario, value, scale in reader:
            if name:
                if parent and parent not in units:
                    raise ValueError(parent)
                units.add(code)
                if not period:
                    continue
            if code not in units:
                raise ValueError(code)
            if period not in periods:
                p = parse_period(period)
                periods[period] = (p.label(), str(p.start), str(p.end))
            m = measures[measure]
            if scenario not in scenarios:
                scenarios[scenario] = Scenario.parse(scenario).value
            if scale not in scales:
                scales[scale] = Scale.parse(scale)
            if scales[scale] is not Scale.KR and not m.is_money:
                raise ValueError(scale)
            v = parse_value(value, scales[scale])
            key = (code, measure, scenarios[scenario], periods[period][0])
            if key in out:
                raise ValueError(key)
            out[key] = (to_store_int(v.number), v.status.value, to_store_int(v.resolution))
    con = sqlite3.connect(db)
    con.execute(
        "CREATE TABLE fact (unit TEXT, measure TEXT, scenario TEXT, period TEXT, value INTEGER, "
        "status TEXT, resolution INTEGER, PRIMARY KEY (unit, measure, scenario, period))"
    )
    with con:
        con.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?)", [(*k, *v) for k, v in out.items()])
    con.close()


def _audit_rows(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM audit").fetchone()[0])
    finally:
        con.close()


def _import(csv_path: Path, db: Path, *extra: str) -> Run:
    return child([sys.executable, "-m", "socdesk", "import", "--db", str(db), *extra, str(csv_path)])


def rows(city: Path, *, rounds: int = 3, count: int = 1_000_000) -> list[Row]:
    """``city`` is not used: the file defines its units, a fresh database takes it."""
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        fresh = folder / "fresh.db"
        store = open_database(fresh)
        measures = store.measures()
        store.close()
        for label, controller in (
            ("socdesks export", False),
            ("controllerns fil, tkr med decimalkomma", True),
        ):
            path = folder / f"long_{int(controller)}.csv"
            generate(path, count, controller=controller)
            n = [0]

            def once(p: Path = path, n: list[int] = n) -> Run:
                n[0] += 1
                db = folder / f"import{n[0]}.db"
                shutil.copyfile(fresh, db)
                return _import(p, db)

            run = median_run(once, rounds)
            last = folder / f"import{n[0]}.db"
            # the same figures again in a file of other bytes (a controller sends it once more)
            resent = folder / f"igen_{int(controller)}.csv"
            resent.write_bytes(path.read_bytes() + b"\r\n")
            audit_before = _audit_rows(last)
            same = _import(resent, last)
            written = _audit_rows(last) - audit_before
            replaced = _import(path, last, "--replace")  # the same file: undone and read again

            def floor_once(p: Path = path, n: list[int] = n) -> None:
                n[0] += 1
                floor(p, Path(tempfile.mkdtemp(dir=folder)) / "floor.db", measures)

            floor_cpu = sorted(cpu_of(floor_once) for _ in range(rounds))[rounds // 2]
            ratio = run.cpu / floor_cpu
            out.append(
                Row(
                    "lång CSV-import, " + f"{count:,} rader".replace(",", " ") + f" ({label})",
                    run.cpu,
                    floor_cpu,
                    "s CPU",
                    "≤ 2 × golvet, ≤ 500 MB",
                    ratio <= 2 and run.rss_mb <= 500,
                    run.rss_mb,
                    (
                        f"samma uppgifter igen: {same.cpu:.1f} s CPU, {same.rss_mb:.0f} MB, {written} nya "
                        f"rader i ändringsloggen; samma fil igen med --replace (ångras och läses in): "
                        f"{replaced.cpu:.1f} s CPU, {replaced.rss_mb:.0f} MB; {load()}"
                    ).replace(".", ","),
                )
            )
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    for row in rows(Path(), rounds=1, count=count):
        print(row)
