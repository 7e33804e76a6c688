"""Cycles holding Qt objects are freed on the GUI thread, never on a worker's.

The program's controller turns Python's automatic cyclic collection off and collects from a
timer on the GUI thread (``gui.main_thread_gc``): a worker that allocates heavily – the day's
integrity check, a job – cannot make Python collect a closed window's QObjects on its own thread
(Qt: "Timers cannot be stopped from another thread"; seen once in three full runs before this)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from socdesk.gui.app import AppController


class Holder:
    """A cycle (self → timer's attribute → self) holding a QObject with a running timer."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10_000)
        self.timer.start()
        self.me = self


def test_a_worker_allocating_does_not_collect_a_gui_cycle_the_gui_thread_does(qtbot, tmp_path):
    was_enabled = gc.isenabled()
    controller = AppController(QApplication.instance(), str(tmp_path / "base"))
    try:
        assert not gc.isenabled()  # automatic collection off while the program runs
        holder = Holder()
        alive = weakref.ref(holder)
        del holder  # only the cycle keeps it now

        def allocate() -> None:  # far past every generation's threshold
            for _ in range(20):
                [[] for _ in range(50_000)]
                cycles = [[] for _ in range(5_000)]
                for c in cycles:
                    c.append(c)
                del cycles

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert alive() is not None  # not collected on the worker's thread
        assert gc.get_count()[0] > gc.get_threshold()[0]  # …though the threshold was crossed
        qtbot.waitUntil(lambda: alive() is None, timeout=5000)  # the GUI thread's timer did it
    finally:
        controller.shutdown()
    assert gc.isenabled() == was_enabled  # given back as it was
