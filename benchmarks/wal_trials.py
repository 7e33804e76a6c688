"""WAL trials: the two-process test of tests/test_wal.py, many times in a row, each in a fresh
pytest process. In each trial the GUI's store is opened as ``gui/app.py`` opens it, every file
dialog of socdesk (and the print dialogs) is shown on the database's folder, and saves through
the entry form alternate with ``socdesk check``/``export``/``report`` run as other processes;
the trial fails if the -wal is ever taken away or a save is missing from a fresh connection.

    .venv/bin/python benchmarks/wal_trials.py [TRIALS] [--rounds N]      (default 100, 3)

The suite runs one trial of 3 rounds (dialogs shown in the first round and every fifth).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/test_wal.py::test_two_processes_every_save_survives_and_the_wal_stays_ours"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trials", nargs="?", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="saves and other processes per trial")
    args = parser.parse_args()
    env = {**os.environ, "SOCDESK_WAL_ROUNDS": str(args.rounds)}
    times, failed = [], []
    for i in range(1, args.trials + 1):
        started = time.perf_counter()
        r = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", TEST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - started)
        if r.returncode != 0:
            failed.append(i)
            print(f"trial {i}: FAILED\n{r.stdout[-3000:]}{r.stderr[-2000:]}", flush=True)
        else:
            print(f"trial {i}: ok ({times[-1]:.1f} s)", flush=True)
    print(
        f"{args.trials} trials of {args.rounds} rounds: {args.trials - len(failed)} passed, "
        f"{len(failed)} failed{' ' + str(failed) if failed else ''}; "
        f"{statistics.median(times):.1f} s median, {max(times):.1f} s max per trial"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
