"""Time to make the tertial report of the synthetic large board (benchmarks/city.py: 20
verksamhetsområden, 300 program, 5 000 verksamheter, 2,4 M facts) and write it as PDF.

Run: ``.venv/bin/python benchmarks/bench_report.py`` (builds benchmarks/.cache/city.db once,
about 3½ minutes). Prints: building the report data, laying out and writing the PDF, pages;
and, separately, the draft check (flagged units without analysis, and ``check`` over the
board's facts). Target (issue 6): the tertial report to PDF ≤ 3 s.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402


def main() -> None:
    db = city.cached(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    from PySide6.QtGui import QGuiApplication

    from socdesk.core.periods import Month
    from socdesk.io.seeds import open_database
    from socdesk.reports.board import Kind, build, draft_reasons
    from socdesk.reports.render import report_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    store = open_database(db)
    month = Month(2024, 8)  # T2 2024
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        report = build(store, Kind.TERTIAL, "STAD", month, draft_check=False)
        t1 = time.perf_counter()
        rendered = report_pdf(report, Path(d) / "tertial.pdf")
        t2 = time.perf_counter()
        size = (Path(d) / "tertial.pdf").stat().st_size
    print(f"report data (figures, comments, statistics)   {t1 - t0:6.2f} s")
    print(f"layout and PDF ({rendered.pages} pages, {size / 1e3:.0f} kB)        {t2 - t1:6.2f} s")
    print(f"tertial report to PDF                          {t2 - t0:6.2f} s   (target ≤ 3 s)")
    t3 = time.perf_counter()
    reasons = draft_reasons(store, "STAD", month)
    print(f"draft check ({len(reasons)} points)                     {time.perf_counter() - t3:6.2f} s")
    store.close()
    del app


if __name__ == "__main__":
    main()
