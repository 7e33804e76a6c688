"""``socdesk check`` on the synthetic large board (benchmarks/city.py, 2,4 M facts) as a user runs
it – the CLI as a subprocess: the consistency checks over every fact, then the audit chain – beside
a set-based floor measured in the same run (issue 15: ≤ 2× the floor, ≤ 300 MB RSS).

The floor is the least work any check over every fact does: one SQL pass over all facts that
forms the sums the sign rule needs per unit, measure, kön, grupp and year (count, negatives,
positives), plus walking the audit chain as ``socdesk check`` must (``Store.verify_audit``), in
one process. The product runs ``checks.scope`` (only the facts a rule can find anything in are
read as objects) and the chain.

Run: ``.venv/bin/python benchmarks/bench_check.py [CITY.db] [--rounds N]`` (builds
benchmarks/.cache/city.db once, 4–12 minutes). Medians of the rounds, wall and CPU; peak RSS of
the child. The machine is shared: CPU time is the honest measure under load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402

FLOOR = """
import sys, time
from socdesk.io.seeds import open_database
store = open_database(sys.argv[1])
t = time.process_time()
rows = store.conn.execute(
    "SELECT unit_id, measure, gender, grp, substr(period_start, 1, 4), count(*), sum(value < 0), "
    "sum(value > 0) FROM facts GROUP BY unit_id, measure, gender, grp, substr(period_start, 1, 4)"
).fetchall()
sql = time.process_time() - t
store.verify_audit()
print(sql, time.process_time() - t - sql)
"""


def child(argv: list[str]) -> tuple[float, float, int, str]:
    """Wall, CPU (user + system) and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: each run is measured in its own
    # process tree below (the product first, then the floor, which is smaller)
    return wall, cpu, after.ru_maxrss // 1024, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="?", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    db = city.cached(args.db)
    product = [sys.executable, "-m", "socdesk", "check", "--db", str(db)]
    floor = [sys.executable, "-c", FLOOR, str(db)]
    times: dict[str, list[tuple[float, float]]] = {"socdesk check": [], "floor": []}
    rss: dict[str, int] = {}
    load = [os.getloadavg()[0]]
    last = ""
    parts: list[tuple[float, ...]] = []  # the floor's SQL pass and its audit chain, CPU s
    for _round in range(args.rounds):
        for name, argv in (("socdesk check", product), ("floor", floor)):
            wall, cpu, peak, out = child(argv)
            times[name].append((wall, cpu))
            rss.setdefault(name, peak)
            if name == "socdesk check":
                last = out.strip().splitlines()[-1] if out.strip() else ""
            else:
                parts.append(tuple(float(x) for x in out.split()))
        load.append(os.getloadavg()[0])
    print(f"socdesk check on {db.name}, {args.rounds} rounds; median wall / CPU s")
    for name, samples in times.items():
        wall = statistics.median(w for w, _c in samples)
        cpu = statistics.median(c for _w, c in samples)
        print(f"{name:<16} {wall:7.2f} {cpu:7.2f}")
    p = statistics.median(c for _w, c in times["socdesk check"])
    f = statistics.median(c for _w, c in times["floor"])
    sql = statistics.median(x[0] for x in parts)
    chain = statistics.median(x[1] for x in parts)
    print(f"  of the floor: the SQL pass {sql:.2f}, the audit chain {chain:.2f} CPU s")
    print(f"ratio (CPU): {p / f:.2f} × the floor (target ≤ 2)")
    print(f"without the chain (both): {(p - chain) / (f - chain):.2f} × the SQL pass")
    print(f"peak RSS of socdesk check: {rss['socdesk check']} MB (target ≤ 300 MB)")
    print(f"its last line: {last}")
    print(f"load average (1 min): {min(load):.1f}–{max(load):.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
