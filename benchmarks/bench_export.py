"""``socdesk export`` (long CSV) of the synthetic large board as a user runs it – the CLI as a
subprocess – beside a streaming floor in the same run (issue 15: ≤ 1,5× the floor, ≤ 150 MB).

The floor: Python's ``csv.writer`` over one SQLite cursor of every fact joined with its unit's
code, in the export's order, written as UTF-8 with a BOM – the same rows and bytes to move, with
none of the export's own work (the values in their stated scale, formula-like texts escaped).

Run: ``.venv/bin/python benchmarks/bench_export.py [CITY.db] [--rounds N]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402
from common import Row, child, load, median_run  # noqa: E402
from common import main as bench_main  # noqa: E402

FLOOR = """
import csv, sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f, delimiter=";", lineterminator="\\r\\n")
    for r in c.execute(
        "SELECT u.code, '', '', f.period, f.measure, f.scenario, f.value, '', f.version, f.gender, f.grp, "
        "f.comment, f.source, '' FROM facts f JOIN units u ON u.id = f.unit_id "
        "ORDER BY f.unit_id, f.measure, f.scenario, f.period_start, f.period_end, f.version, f.grp, f.gender"
    ):
        w.writerow(r)
"""


def rows(city_db: Path, *, rounds: int = 3) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.csv"
        product = median_run(
            lambda: child([sys.executable, "-m", "socdesk", "export", "--db", str(city_db), "-o", str(out)]),
            rounds,
        )
        size = out.stat().st_size
        floor = median_run(lambda: child([sys.executable, "-c", FLOOR, str(city_db), str(out)]), rounds)
    ok = product.cpu <= 1.5 * floor.cpu and product.rss_mb <= 150
    return [
        Row(
            "socdesk export (lång CSV)",
            product.cpu,
            floor.cpu,
            "s CPU",
            "≤ 1,5 × golvet, ≤ 150 MB",
            ok,
            rss_mb=product.rss_mb,
            note=f"{size / 1e6:.0f} MB fil; golvets RSS {floor.rss_mb:.0f} MB; {load()}",
        )
    ]


if __name__ == "__main__":
    bench_main(rows, city.cached)
