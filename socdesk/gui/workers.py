"""Work off the GUI thread.

Rule (written once, here): anything that may take more than a blink – imports, reports, the
deviation list over a whole city – runs as a ``Job`` on ``QThreadPool``. A job opens its own
``Store`` (an SQLite connection belongs to one thread), reports progress by signal and hands
its result back by signal, which Qt delivers on the GUI thread. The GUI never waits on a job;
a newer job of the same kind makes older results stale (``generation``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from socdesk.store.db import Store, is_interrupted, storage_error

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job's work when its result is no longer wanted."""


class JobSignals(QObject):
    finished = Signal(int, object)  # generation, result
    failed = Signal(int, str)
    progress = Signal(int, int)  # done, total

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = False
        self.interrupt: Callable[[], None] | None = None  # stops a running SQLite statement

    def check(self) -> None:
        """Call between chunks of work: stops a job nobody waits for any more."""
        if self.cancelled:
            raise Cancelled


class Job(QRunnable):
    def __init__(self, db_path: Path, generation: int, work: Callable[[Store, JobSignals], Any]) -> None:
        super().__init__()
        self.db_path, self.generation, self.work = db_path, generation, work
        self.signals = JobSignals()

    def run(self) -> None:
        try:
            with Store(self.db_path) as store:
                self.signals.interrupt = store.interrupt
                try:
                    result = self.work(store, self.signals)
                finally:
                    self.signals.interrupt = None
        except Cancelled:
            return
        except Exception as err:  # reported to the GUI, never lost
            if self.signals.cancelled and is_interrupted(err):
                return
            log.exception("bakgrundsjobb misslyckades")
            self._emit(self.signals.failed, str(storage_error(err, self.db_path) or err))
            return
        self._emit(self.signals.finished, result)

    def _emit(self, signal: Any, payload: Any) -> None:
        try:
            signal.emit(self.generation, payload)
        except RuntimeError:  # the window closed while we worked: nobody to tell
            log.info("bakgrundsjobb klart efter att fönstret stängts")


class Runner(QObject):
    """Starts jobs of one kind; only the newest job's result is delivered."""

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)  # done, total: of the newest job

    def __init__(self, db_path: Path, pool: QThreadPool | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.pool = pool or QThreadPool.globalInstance()
        self.generation = 0
        self.busy = False
        self._signals: dict[int, JobSignals] = {}  # kept alive until the job reports
        # Reported jobs' signals, released on the GUI thread at the next start: were the last
        # reference dropped while the worker thread still held its Job, the QObject would be
        # deleted on the worker thread while the GUI thread delivers its signal (a crash).
        self._retired: list[JobSignals] = []

    def start(self, work: Callable[[Store, JobSignals], Any]) -> None:
        self.cancel()
        self._retired.clear()
        self.generation += 1
        job = Job(self.db_path, self.generation, work)
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(self._failed)
        job.signals.progress.connect(self.progress)
        self._signals[self.generation] = job.signals
        self.busy = True
        self.pool.start(job)

    def cancel(self) -> None:
        """Older jobs stop at their next check (a running SQLite statement is interrupted);
        their results are dropped anyway."""
        for signals in self._signals.values():
            signals.cancelled = True
            interrupt = signals.interrupt
            if interrupt is not None:
                interrupt()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        self.cancel()
        self.pool.waitForDone(timeout_ms)

    def _retire(self, generation: int) -> None:
        signals = self._signals.pop(generation, None)
        if signals is not None:
            self._retired.append(signals)

    def _finished(self, generation: int, result: Any) -> None:
        self._retire(generation)
        if generation == self.generation:
            self.busy = False
            self.finished.emit(result)

    def _failed(self, generation: int, message: str) -> None:
        self._retire(generation)
        if generation == self.generation:
            self.busy = False
            self.failed.emit(message)
