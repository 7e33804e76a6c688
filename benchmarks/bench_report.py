"""The tertial report of the synthetic large board (benchmarks/city.py: 20 verksamhetsområden,
300 program, 5 000 verksamheter, 2,4 M facts) as a user gets it in the Rapporter dialog: the
dialog's worker runs ``board.build(store, Kind.TERTIAL, unit, month)`` – the template's report
with its remaining-work check (``board.draft_reasons``: flagged units without analysis, the
findings of ``core.checks`` over the subtree's year, the audit chain) – and Spara writes the
PDF (``reports.output.write_report``).

Run: ``.venv/bin/python benchmarks/bench_report.py [CITY.db] [--rounds N] [--old]`` (builds
benchmarks/.cache/city.db once, 4–12 minutes). Each round, in turn: the floor, the report
without its check, the report as the dialog makes it, the check's parts; medians of the rounds,
wall and CPU. The floor is measured in the same run, on the same loaded machine: SQLite reading
the rows the check reads (the subtree's facts of the year, sorted) and nothing else – no check
over those facts can take less. ``--old`` also times the check as it was before issue 13 (every
fact parsed as ``store.facts`` does, ``tests/checks_reference.py``, the whole audit chain
walked). Target (issue 13): the report as a user gets it ≤ 3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402

UNIT = "STAD"


def timed(f: Callable[[], object]) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = f()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="?", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--old", action="store_true", help="also the check as it was before issue 13")
    args = ap.parse_args()
    db = city.cached(args.db)
    from PySide6.QtGui import QGuiApplication

    from socdesk.core.checks import run_checks, scope
    from socdesk.core.periods import Month, Period
    from socdesk.io.seeds import open_database
    from socdesk.reports.board import Kind, build, draft_reasons
    from socdesk.reports.economy import deviations
    from socdesk.reports.output import write_report
    from socdesk.store.check_facts import _SUBTREE_FACTS

    app = QGuiApplication.instance() or QGuiApplication([])  # the PDF's fonts and layout
    store = open_database(db)
    month = Month(2024, 8)  # T2 2024
    year = Period.year(month.year)
    tree = store.unit_tree()
    measures = store.measures()
    subtree = {UNIT, *(u.code for u in tree.descendants(UNIT))}

    def floor():
        return store.conn.execute(_SUBTREE_FACTS, (UNIT, str(year.start), str(year.end))).fetchall()

    def old_check():
        sys.path.insert(0, str(HERE.parent / "tests"))
        import checks_reference

        facts = store.facts(units=sorted(subtree), within=year)
        found = [f for f in checks_reference.run_checks(facts, tree, measures) if f.unit in subtree]
        return found, store.verify_audit()

    steps: dict[str, Callable[[], object]] = {
        "floor: SQLite reads the check's rows": floor,
        "report without its check": lambda: build(store, Kind.TERTIAL, UNIT, month, draft_check=False),
        "report as the dialog makes it": lambda: build(store, Kind.TERTIAL, UNIT, month),
        "  check: flagged units without analysis": lambda: deviations(store, month, UNIT, flagged_only=True),
        "  check: how each measure occurs (check_uses)": lambda: store.check_uses(UNIT, year),
        "  check: read what a rule can use (scoped)": lambda: store.facts_for_check(UNIT, year, scoped),
        "  (every fact of the subtree's year, unscoped)": lambda: store.facts_for_check(UNIT, year),
        "  check: the whole remaining-work list": lambda: draft_reasons(store, UNIT, month),
        "  check: audit chain from the verified mark": lambda: store.verify_audit(quick=True),
    }
    if args.old:
        steps["  before issue 13: check facts and chain"] = old_check
    scoped = scope(store.check_uses(UNIT, year), measures)
    facts = store.facts_for_check(UNIT, year, scoped)
    every = store.facts_for_check(UNIT, year)
    steps["  check: the rules over the scoped facts"] = lambda: run_checks(facts, tree, measures)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
    results: dict[str, object] = {}
    load = [os.getloadavg()[0]]
    for _round in range(args.rounds):
        for name, step in steps.items():
            wall, cpu, results[name] = timed(step)
            times[name].append((wall, cpu))
        load.append(os.getloadavg()[0])
    report = results["report as the dialog makes it"]
    with tempfile.TemporaryDirectory() as d:
        target = Path(d) / "tertial.pdf"
        pdf_wall, pdf_cpu, _rendered = timed(lambda: write_report(report, target))  # type: ignore[arg-type]
        size = target.stat().st_size

    head = f"{len(every):,} facts in the year of {UNIT} ({len(facts):,} read by the check)"
    print(f"{head}, {args.rounds} rounds; median wall / CPU s".replace(",", " "))
    for name, samples in times.items():
        wall = statistics.median(w for w, _c in samples)
        cpu = statistics.median(c for _w, c in samples)
        print(f"{name:<48} {wall:7.2f} {cpu:7.2f}")
    print(f"{'Spara: the PDF (' + str(size // 1000) + ' kB)':<48} {pdf_wall:7.2f} {pdf_cpu:7.2f}")
    dialog = statistics.median(w for w, _c in times["report as the dialog makes it"])
    base = statistics.median(w for w, _c in times["floor: SQLite reads the check's rows"])
    dialog_cpu = statistics.median(c for _w, c in times["report as the dialog makes it"])
    print(f"the report as a user gets it: {dialog:.2f} s = {dialog / base:.1f} × the floor (target ≤ 3 s)")
    print(f"with Spara (the PDF): {dialog + pdf_wall:.2f} s wall, {dialog_cpu + pdf_cpu:.2f} s CPU")
    print(f"remaining-work list: {len(report.draft_reasons)} points")  # type: ignore[attr-defined]
    print(
        f"load average (1 min) during the rounds: {min(load):.1f}–{max(load):.1f} on {os.cpu_count()} cores"
    )
    store.close()
    del app


if __name__ == "__main__":
    main()
