"""The differential test of tests/test_differential.py at length: more seeds, more cells.

    .venv/bin/python benchmarks/differential.py [--seeds 10] [--cells 2000] [--first-seed 1]

For each seed: a fresh generated board (an ombudgetering, partial months, mixed grains) and
the demo, ``--cells`` random cells on each, every path compared (tests/diffcells.py). Prints the
cells, comparisons and time per seed and every disagreement; exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import diffcells

from socdesk.core.periods import Month
from socdesk.io.seeds import build_demo


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--cells", type=int, default=2000)
    p.add_argument("--first-seed", type=int, default=1)
    args = p.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # the Qt model needs an application
    months_2024 = [Month(2024, m) for m in range(1, 13)]
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = folder / "demo.db"
        build_demo(demo)
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            t = time.perf_counter()
            generated = folder / f"generated-{seed}.db"
            diffcells.generate_board(generated, seed)
            results = [
                diffcells.run(generated, ["G"], months_2024, args.cells, seed, folder),
                diffcells.run(
                    demo,
                    ["SN", "N"],
                    [*months_2024, Month(2023, 4), Month(2023, 5)],
                    args.cells,
                    seed,
                    folder,
                ),
            ]
            cells = sum(r.cells for r in results)
            comparisons = sum(r.comparisons for r in results)
            problems = [d for r in results for d in r.disagreements]
            bad += len(problems)
            elapsed = time.perf_counter() - t
            print(f"seed {seed}: {cells} cells, {comparisons} comparisons, ", end="")
            print(f"{len(problems)} disagreements, {elapsed:.1f} s")
            for line in problems:
                print("   ", line)
    del app
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
