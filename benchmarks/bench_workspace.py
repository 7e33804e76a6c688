"""The workspace at the size of a large city. Run: .venv/bin/python benchmarks/bench_workspace.py

Builds (once, cached in benchmarks/.cache/) the synthetic board of benchmarks/city.py –
≈5 000 leaf units under ≈300 programs, ten years of monthly utfall, budget, prognos and
statistics, ≈2.4 M facts – and prints:
- cold start to a painted window (a fresh process, median of 3);
- tree click → Ekonomi table updated, and → chart updated, over 200 random units (median,
  95th percentile) and for the root;
- period switch, filter keystroke, and the deviation list over the whole city (off the GUI
  thread in the app).
Targets: click ≤ 20 ms median and ≤ 100 ms for the root; cold start ≤ 1 s.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    db = city.cached(Path(sys.argv[1]) if len(sys.argv) > 1 else None)

    starts = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "socdesk", "--db", str(db)],
            check=True,
            env={**os.environ, "SOCDESK_STARTUP_PROBE": "1"},
        )
        starts.append(time.perf_counter() - t)
    print(f"{'cold start to a painted window (median of 3)':<52}{ms(statistics.median(starts))}")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow
    from socdesk.io.seeds import open_database
    from socdesk.reports.economy import deviations

    app = QApplication.instance() or QApplication([])
    store = open_database(db)
    settings = QSettings(str(HERE / ".cache" / "bench.ini"), QSettings.Format.IniFormat)
    settings.clear()
    window = MainWindow(AppContext(store, settings))
    window.show()
    app.processEvents()
    codes = [u.code for u in window.tree]
    rnd = random.Random(1)
    sample = rnd.sample(codes, 200)
    root = window.tree.roots()[0].code

    def wait_for_background() -> None:
        while window.deviation_runner.busy or window._deviation_timer.isActive():
            app.processEvents()

    def click(code: str) -> tuple[float, float]:
        """Seconds until the views hold the unit's figures, and until they are painted."""
        t = time.perf_counter()
        window.units.select(code)  # what a click on the tree does
        updated = time.perf_counter() - t
        app.processEvents()
        return updated, time.perf_counter() - t

    wait_for_background()
    for tab, name in ((window.economy, "Ekonomi table"), (window.chart, "chart")):
        window.tabs.setCurrentWidget(tab)
        window.units.select(codes[1])
        app.processEvents()
        times = [click(c) for c in sample]
        click(codes[2])
        root_time = click(root)
        updated = [u for u, _p in times]
        painted = [p for _u, p in times]
        print(f"{'click → ' + name + ' updated, median of 200':<52}{ms(statistics.median(updated))}")
        print(f"{'click → ' + name + ' updated, 95th percentile':<52}{ms(percentile(updated, 95))}")
        print(f"{'click → ' + name + ' updated, the root':<52}{ms(root_time[0])}")
        print(f"{'  … and painted (offscreen raster), median':<52}{ms(statistics.median(painted))}")
        print(f"{'  … and painted (offscreen raster), the root':<52}{ms(root_time[1])}")

    window.tabs.setCurrentWidget(window.economy)
    window.units.select(root)
    app.processEvents()
    t = time.perf_counter()
    window.period.month.setCurrentIndex((window.period.month.currentIndex() + 11) % 12)
    updated = time.perf_counter() - t
    app.processEvents()
    print(f"{'period switch (root, Ekonomi) updated':<52}{ms(updated)}")
    print(f"{'  … and painted':<52}{ms(time.perf_counter() - t)}")
    wait_for_background()

    keys = []
    for text in ("V", "V0", "V01", "V012", "V0123"):
        t = time.perf_counter()
        window.units.filter.setText(text)
        app.processEvents()
        keys.append(time.perf_counter() - t)
    window.units.filter.clear()
    print(f"{'filter keystroke (median of 5)':<52}{ms(statistics.median(keys))}")

    t = time.perf_counter()
    rows = deviations(store, window.period.current_month(), root, flagged_only=True, tree=window.tree)
    print(f"{f'deviation list, whole city ({len(rows)} flagged)':<52}{ms(time.perf_counter() - t)}")
    window.deviation_runner.pool.waitForDone(60000)
    window.close()
    store.close()


if __name__ == "__main__":
    main()
