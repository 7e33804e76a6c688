"""What every benchmark reports to ``benchmarks/run_all.py``: one ``Row`` per path, the
product's figure beside a floor measured in the same run by code that does the same work with
the least code, their ratio and the target (issue 15).

A benchmark module ``benchmarks/bench_<name>.py`` that takes part defines

    def rows(city: Path, *, rounds: int = 3) -> list[Row]

measuring on the city database at ``city`` (built by ``benchmarks/city.py``; a module that
writes copies it first) and returning its rows. Figures are medians over ``rounds``; times are
CPU seconds (user + system) where the machine is shared, wall where the path is the user's wait
(say which in ``unit``).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    path: str  # what a user does, e.g. "socdesk export (lång CSV)"
    product: float  # the product's figure
    floor: float | None  # the floor's figure, same unit (None: the target is absolute)
    unit: str  # "s CPU", "s", "ms", "MB", "B/uppgift"
    target: str  # as the issue states it, e.g. "≤ 1,5 × golvet, ≤ 150 MB"
    ok: bool  # the target met
    rss_mb: float | None = None  # the product's peak RSS where the target names memory
    note: str = ""  # anything a reader needs (what the floor is, the load average)

    @property
    def ratio(self) -> float | None:
        return self.product / self.floor if self.floor else None


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss_mb: float  # peak resident set of the process
    stdout: str


def child(argv: Sequence[str], *, ok_codes: tuple[int, ...] = (0,)) -> Run:
    """Run ``argv`` as a child process: its wall and CPU time and its own peak RSS.

    The peak is read by GNU time-like accounting (``wait4`` on this child only), so an earlier,
    larger child does not hide a smaller one."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code not in ok_codes:
            raise RuntimeError(f"{' '.join(argv)} gav {code}:\n{err.read()[-2000:]}")
        stdout = out.read()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


def median_run(make: Callable[[], Run], rounds: int) -> Run:
    """The medians of ``rounds`` runs, figure by figure (the stdout of the last)."""
    runs = [make() for _ in range(rounds)]
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.rss_mb for r in runs),
        runs[-1].stdout,
    )


def cpu_of(fn: Callable[[], object]) -> float:
    """CPU seconds of this process spent in ``fn()``."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    fn()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def load() -> str:
    """The load average (1 min) as a note."""
    return f"belastning {os.getloadavg()[0]:.1f}".replace(".", ",")


def main(rows: Callable[..., list[Row]], default_city: Callable[[], object]) -> None:
    """A bench module's ``__main__``: ``[CITY.db] [--rounds N]``, its rows printed with their
    ratio, memory and whether the target is met."""
    import argparse
    from pathlib import Path

    ap = argparse.ArgumentParser()
    ap.add_argument("city", nargs="?", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    for r in rows(args.city or default_city(), rounds=args.rounds):
        print(r)
        ratio = f"kvot {r.ratio:.2f}, " if r.ratio else ""
        rss = f"RSS {r.rss_mb:.0f} MB, " if r.rss_mb is not None else ""
        print(f"  {ratio}{rss}mål {r.target}: {'uppnått' if r.ok else 'INTE uppnått'}")
