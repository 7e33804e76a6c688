"""Rapporter: choose the report, see what is left before it is final, then preview, print or
save it as PDF, Excel or HTML. The report is built and written on a worker thread with a
progress bar; preview and print show the PDF's own pages (made on the worker,
``socdesk.gui.printing``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from socdesk.core.i18n import _
from socdesk.core.periods import Month, Period
from socdesk.gui import file_dialogs
from socdesk.gui.context import AppContext
from socdesk.gui.workers import Runner
from socdesk.reports.board import Kind, build
from socdesk.reports.document import Report


@dataclass(frozen=True)
class _Pages:
    """The PDF made for preview or print, and what to do with it on the GUI thread."""

    report: Report
    pdf: bytes
    then: Callable[[bytes], None]


class ReportDialog(QDialog):
    def __init__(self, ctx: AppContext, unit: str, month: Month, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.unit, self.month = ctx, unit, month
        self.report: Report | None = None
        self._pdf: tuple[Report, bytes] | None = None  # the report's PDF, for preview and print
        self._after: Any = None
        self.setWindowTitle(_("Rapporter"))
        self.resize(720, 520)
        tree = ctx.store.unit_tree()
        self.kind = QComboBox()
        for k in Kind:
            self.kind.addItem(k.label, k.value)
        self.scope = QComboBox()
        for u in tree.path(unit):
            self.scope.addItem(u.label, u.code)
        self.scope.setCurrentIndex(0)  # the nämnd
        self.period_label = QLabel()
        self.reasons = QListWidget()
        self.reasons.setAccessibleName(_("Att göra innan rapporten är klar"))
        self.reasons.setWordWrap(True)  # a check's message is long: wrapped, never cut
        self.reasons.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.preview = QPushButton(_("Förhandsgranska …"))
        self.print_ = QPushButton(_("Skriv ut …"))
        self.save = QPushButton(_("Spara som …"))
        form = QFormLayout()
        form.addRow(_("Rapport:"), self.kind)
        form.addRow(_("För:"), self.scope)
        form.addRow(_("Period:"), self.period_label)
        buttons = QHBoxLayout()
        for b in (self.preview, self.print_, self.save):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Innan rapporten är klar för nämnden:")))
        layout.addWidget(self.reasons, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.runner = Runner(ctx.database_path, parent=self)
        self.runner.finished.connect(self._built)
        self.runner.failed.connect(self._failed)
        self.runner.progress.connect(self._progress)
        self.kind.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.scope.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.preview.clicked.connect(self.show_preview)
        self.print_.clicked.connect(self.print_report)
        self.save.clicked.connect(self.save_as)
        self.rebuild()

    # --- building (worker) ----------------------------------------------------------------
    def period(self) -> Period:
        kind, m = Kind(self.kind.currentData()), self.month
        if kind is Kind.TERTIAL:
            return Period.tertial(m.year, (m.month + 3) // 4)
        if kind is Kind.KEY_FIGURES:
            return Period(Month(m.year - 4, 1), Month(m.year, 12))
        if kind is Kind.STATISTICS:
            return Period.year(m.year)
        return Period.year_to_date(m.year, m.month)

    def rebuild(self) -> None:
        self.report = None
        self._set_busy(True, _("Sammanställer rapporten …"))
        self.period_label.setText(self.period().label())
        kind, unit, month = Kind(self.kind.currentData()), self.scope.currentData(), self.month

        def work(store, signals):
            signals.progress.emit(10, 100)
            report = build(store, kind, unit, month)
            signals.check()
            signals.progress.emit(100, 100)
            return report

        self.runner.start(work)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / max(total, 1)))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for b in (self.preview, self.print_, self.save):
            b.setEnabled(not busy)
        self.status.setText(text)
        if busy:
            self.progress.setValue(0)

    def _built(self, result: Any) -> None:
        if isinstance(result, Report):
            self.report = result
            self.reasons.clear()
            self.reasons.addItems(result.draft_reasons or [_("Inget – rapporten är klar.")])
            self._set_busy(
                False,
                _("Rapporten blir ett UTKAST (markerat på varje sida) tills punkterna ovan är åtgärdade.")
                if result.draft
                else _("Klar för nämnden."),
            )
            after, self._after = self._after, None
            if after is not None:
                after()
        elif isinstance(result, Path):
            self._set_busy(False, _("{f} sparad.").format(f=result))
        elif isinstance(result, _Pages) and result.report is self.report:
            self._pdf = (result.report, result.pdf)
            self._set_busy(False, "")
            result.then(result.pdf)

    def _failed(self, message: str) -> None:
        self._set_busy(False, _("Rapporten kunde inte göras: {m}").format(m=message))

    def when_built(self, action: Any) -> None:
        if self.report is not None:
            action()
        else:
            self._after = action

    # --- output ---------------------------------------------------------------------------
    def show_preview(self) -> None:
        self.when_built(lambda: self._with_pdf(self._preview_pdf))

    def print_report(self) -> None:
        self.when_built(lambda: self._with_pdf(self._print_pdf))

    def _with_pdf(self, action: Any) -> None:
        """The report's PDF (made once per report, on the worker), then ``action(pdf)``."""
        report = self.report
        assert report is not None
        if self._pdf is not None and self._pdf[0] is report:
            action(self._pdf[1])
            return
        self._set_busy(True, _("Gör sidorna …"))

        def work(_store, signals):
            from socdesk.reports.render import pdf_bytes

            return _Pages(
                report, pdf_bytes(report, lambda done, total: signals.progress.emit(done, total)), action
            )

        self.runner.start(work)

    def _preview_pdf(self, pdf: bytes) -> None:
        from socdesk.gui.printing import preview_report

        assert self.report is not None
        preview_report(self.report, self, self.ctx.database_path, pdf)

    def _print_pdf(self, pdf: bytes) -> None:
        from socdesk.gui.printing import print_report

        assert self.report is not None
        print_report(self.report, self, self.ctx.database_path, pdf)

    def save_as(self, path: str | None = None) -> None:
        """PDF, Excel or HTML by the name's ending, written on the worker with progress."""
        if path is None:
            kind = Kind(self.kind.currentData())
            suggested = f"{kind.label} {self.scope.currentData()} {self.period().label()}.pdf".replace(
                "/", "-"
            )
            chosen = file_dialogs.save_file(
                self,
                _("Spara rapporten"),
                suggested,
                _("PDF (*.pdf);;Excel (*.xlsx);;Webbsida (*.html)"),
                self.ctx.database_path,
            )
            if chosen is None:
                return
            path = str(chosen)
        target = Path(path)
        self.when_built(lambda: self._write(target))

    def _write(self, target: Path) -> None:
        from socdesk.files import refuse_database
        from socdesk.reports.output import write_report

        report = self.report
        assert report is not None
        database = self.ctx.database_path
        self._set_busy(True, _("Skriver {f} …").format(f=target.name))

        def work(_store, signals):
            refuse_database(target, database)
            write_report(report, target, lambda done, total: signals.progress.emit(done, total))
            return target

        self.runner.start(work)

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)
