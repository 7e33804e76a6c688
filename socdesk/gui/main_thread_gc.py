"""Python's cyclic garbage collector run on the GUI thread only.

A collection runs on whichever thread happens to allocate when a generation's threshold is
crossed. When that is a worker (the day's integrity check, a ``Job`` on the thread pool) and the
garbage holds a Qt object of the GUI thread – a closed window's timers – Qt destroys it on the
wrong thread ("QObject::killTimer: Timers cannot be stopped from another thread"), which can
crash. So while the program runs, automatic collection is off and a timer on the GUI thread
collects, generation by generation, when the same thresholds are crossed (the recipe pyqtgraph
and others use). Reference counting – which frees almost everything – is untouched."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadGC(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due)

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._was_enabled:
            gc.enable()
        gc.collect()  # here, on the GUI thread, what the timer had not come to yet

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose count has crossed its threshold, as Python's
        automatic collection would; returns that generation, or None."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return generation
        return None
