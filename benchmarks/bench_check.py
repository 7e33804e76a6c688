"""``socdesk check`` on the synthetic large board (benchmarks/city.py, 2,4 M facts) as a user runs
it – the CLI as a subprocess: the consistency checks over every fact, then the audit chain – beside
a set-based floor measured in the same run (issue 15: ≤ 2× the floor, ≤ 300 MB RSS).

The floor is the least work any check over every fact does: one SQL pass over all facts that
forms the sums the sign rule needs per unit, measure, kön, grupp and year (count, negatives,
positives), plus walking the audit chain as ``socdesk check`` must (``Store.verify_audit``), in
one process, the database opened read-only as ``socdesk check`` opens it. It is the same work in
the sense that matters: every fact is looked at once and every audit row's hash is recomputed;
the product does more (``checks.scope`` picks the facts a rule can find anything in, reads those
as objects and runs every rule on them, then formats the findings).

Run: ``.venv/bin/python benchmarks/bench_check.py [CITY.db] [--rounds N]`` (builds
benchmarks/.cache/city.db once). CPU seconds of each child (user + system: the machine is shared),
medians of the rounds; the product's own peak RSS (``common.child``). Both only read the city.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402
from common import Row, child, load, median_run  # noqa: E402
from common import main as bench_main  # noqa: E402

FLOOR = """
import sys, time
from socdesk.store.db import Store
store = Store(sys.argv[1], readonly=True)
t = time.process_time()
rows = store.conn.execute(
    "SELECT unit_id, measure, gender, grp, substr(period_start, 1, 4), count(*), sum(value < 0), "
    "sum(value > 0) FROM facts GROUP BY unit_id, measure, gender, grp, substr(period_start, 1, 4)"
).fetchall()
sql = time.process_time() - t
store.verify_audit()
print(sql, time.process_time() - t - sql)
store.close()
"""


def sv(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def rows(city_db: Path, *, rounds: int = 3) -> list[Row]:
    product = median_run(
        lambda: child([sys.executable, "-m", "socdesk", "check", "--db", str(city_db)], ok_codes=(0, 1)),
        rounds,
    )
    floors = [child([sys.executable, "-c", FLOOR, str(city_db)]) for _ in range(rounds)]
    floor_cpu = statistics.median(r.cpu for r in floors)
    sql = statistics.median(float(r.stdout.split()[0]) for r in floors)
    chain = statistics.median(float(r.stdout.split()[1]) for r in floors)
    last = product.stdout.strip().splitlines()[-1] if product.stdout.strip() else ""
    ok = product.cpu <= 2 * floor_cpu and product.rss_mb <= 300
    note = (
        f"golvet: SQL-passet {sv(sql)} s, ändringsloggens kedja {sv(chain)} s CPU; "
        f"golvets RSS {statistics.median(r.rss_mb for r in floors):.0f} MB; "
        f"vägg {sv(product.wall)} s mot {sv(statistics.median(r.wall for r in floors))} s; "
        f"sista raden «{last}»; {load()}"
    )
    return [
        Row(
            "socdesk check",
            product.cpu,
            floor_cpu,
            "s CPU",
            "≤ 2 × golvet, ≤ 300 MB",
            ok,
            rss_mb=product.rss_mb,
            note=note,
        )
    ]


if __name__ == "__main__":
    bench_main(rows, city.cached)
