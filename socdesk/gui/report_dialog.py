"""Rapporter: choose the report (a template), the unit and the period, write the report's texts,
see what is left before it is final and act on it (open a flagged unit, acknowledge a finding of
the check as an error in the source document), then preview, print or save it as PDF, Excel or
HTML – or, when nothing is left, keep it as the decided version and print that again later.

The report is built and written on a worker thread with a progress bar; preview and print show
the PDF's own pages (made on the worker, ``socdesk.gui.printing``). The dialog is not modal: a
flagged unit opens in the main window (``unit_requested``), and the list is made again when its
analysis is saved there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.periods import Month, Period, parse_period
from socdesk.gui import file_dialogs
from socdesk.gui.context import AppContext
from socdesk.gui.report_texts_panel import ReportTextsPanel
from socdesk.gui.workers import Runner
from socdesk.reports import choice, final
from socdesk.reports.document import Report

KIND_LABELS = {
    "manad": _("Månadsuppföljning"),
    "tertial": _("Tertialrapport"),
    "nyckeltal": _("Nyckeltalsbilaga"),
    "statistik": _("Statistikrapport"),
}
SETTING = "reports/{key}"  # the last report: template, unit, period


def template_label(info: Any) -> str:
    """A template as the list shows it: its kind, its name, whose it is."""
    own = "" if info.shipped else _(" (egen)")
    return f"{KIND_LABELS.get(info.kind, info.kind)}: {info.name}{own}"


@dataclass
class Built:
    """A report made on the worker, with the texts it prints (for the Texter tab)."""

    report: Report
    template: str
    period: Period
    sections: list[tuple[str, str, str]]


@dataclass(frozen=True)
class _Pages:
    """The PDF made for preview or print, and what to do with it on the GUI thread."""

    report: Report
    pdf: bytes
    then: Callable[[bytes], None]


class ReportDialog(QDialog):
    unit_requested = Signal(str, object)  # a unit to open in the main window, and the Month to show
    final_saved = Signal(int)  # the id of a decided version just kept

    def __init__(self, ctx: AppContext, unit: str, month: Month, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.month = ctx, month
        self.report: Report | None = None
        self.template: Any = None  # the chosen template, loaded
        self._pdf: tuple[Report, bytes] | None = None  # the report's PDF, for preview and print
        self._after: Any = None
        self._built_for: tuple[str, str, str] | None = None
        self.setWindowTitle(_("Rapporter"))
        self.resize(820, 640)
        self.tree = ctx.store.unit_tree()
        self.templates = QComboBox()
        self.templates.setAccessibleName(_("Rapport"))
        self.scope = QComboBox()
        self.scope.setAccessibleName(_("För"))
        self.period = QComboBox()
        self.period.setAccessibleName(_("Period"))
        self.period_note = QLabel()
        self.period_note.setWordWrap(True)
        self.organisation = QComboBox()  # docs/units.md: the tree as it is, or as it was
        self.organisation.addItem(_("som nu"), False)
        self.organisation.addItem(_("som den var (januari det året)"), True)
        self.organisation.setAccessibleName(_("Organisation"))

        self.reasons = QListWidget()
        self.reasons.setAccessibleName(_("Att göra innan rapporten är klar"))
        self.reasons.setWordWrap(True)  # a check's message is long: wrapped, never cut
        self.reasons.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.open_unit = QPushButton(_("Öppna enheten"))
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Kommentar till fotnoten, t.ex. var i källdokumentet felet står"))
        self.note.setAccessibleName(_("Kommentar till kvitteringen"))
        self.acknowledge = QPushButton(_("Kvittera: felet finns i källdokumentet"))
        self.write_text = QPushButton(_("Skriv texten"))
        todo = QWidget()
        tl = QVBoxLayout(todo)
        tl.addWidget(QLabel(_("Innan rapporten är klar för nämnden:")))
        tl.addWidget(self.reasons, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.open_unit)
        actions.addWidget(self.write_text)
        actions.addWidget(self.note, 1)
        actions.addWidget(self.acknowledge)
        tl.addLayout(actions)

        self.texts = ReportTextsPanel(ctx)
        self.finals = QListWidget()
        self.finals.setAccessibleName(_("Beslutade versioner"))
        self.reprint_button = QPushButton(_("Skriv ut igen …"))
        decided = QWidget()
        dl = QVBoxLayout(decided)
        dl.addWidget(self.finals, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reprint_button)
        dl.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.addTab(todo, _("Att göra"))
        self.tabs.addTab(self.texts, _("Texter"))
        self.tabs.addTab(decided, _("Beslutade versioner"))

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.preview = QPushButton(_("Förhandsgranska …"))
        self.print_ = QPushButton(_("Skriv ut …"))
        self.save = QPushButton(_("Spara som …"))
        self.save_final = QPushButton(_("Spara som beslutad version"))
        form = QFormLayout()
        form.addRow(_("Rapport:"), self.templates)
        form.addRow(_("För:"), self.scope)
        form.addRow(_("Period:"), self.period)
        form.addRow("", self.period_note)
        form.addRow(_("Organisation:"), self.organisation)
        buttons = QHBoxLayout()
        for b in (self.preview, self.print_, self.save, self.save_final):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        layout.addWidget(close)

        self.shown: list[Any] = []  # the remaining-work lines listed (final.Reason or str)
        self._done: set[int] = set()  # rows of lines acted on since the list was made
        self._rebuild_soon = QTimer(self)
        self._rebuild_soon.setSingleShot(True)
        self._rebuild_soon.setInterval(300)
        self._rebuild_soon.timeout.connect(self.rebuild)
        self.runner = Runner(ctx.database_path, parent=self)
        self.runner.finished.connect(self._built)
        self.runner.failed.connect(self._failed)
        self.runner.progress.connect(self._progress)
        self._fill_templates()
        self._choose_start(unit)
        self.templates.currentIndexChanged.connect(lambda _i: self._template_changed())
        self.scope.currentIndexChanged.connect(lambda _i: self._unit_changed())
        self.period.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.organisation.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.reasons.currentRowChanged.connect(lambda _r: self._reason_chosen())
        self.reasons.itemActivated.connect(lambda _item: self._act_on_reason())
        self.open_unit.clicked.connect(lambda: self._open_unit())
        self.write_text.clicked.connect(lambda: self._write_text())
        self.acknowledge.clicked.connect(lambda: self.acknowledge_finding())
        self.note.textChanged.connect(lambda _t: self._reason_chosen())
        self.texts.text_saved.connect(lambda k: self._mark_done(lambda r: getattr(r, "text_key", "") == k))
        self.preview.clicked.connect(lambda: self.show_preview())
        self.print_.clicked.connect(lambda: self.print_report())
        self.save.clicked.connect(lambda: self.save_as())  # not clicked(bool) as the path
        self.save_final.clicked.connect(lambda: self.save_decided())
        self.reprint_button.clicked.connect(lambda: self.reprint())
        self.finals.currentRowChanged.connect(lambda _r: self._final_chosen())
        self.rebuild()

    # --- the choice ---------------------------------------------------------------------------
    def _fill_templates(self) -> None:
        from socdesk.reports import template as templates

        self.infos = {i.name: i for i in templates.available(self.ctx.basedir)}
        with QSignalBlocker(self.templates):
            self.templates.clear()
            for info in self.infos.values():
                self.templates.addItem(template_label(info), info.name)

    def _choose_start(self, unit: str) -> None:
        """The last report (settings), else the template that fits the unit's board (else the
        generic månadsuppföljning), for the board, at its default period."""
        settings = self.ctx.settings
        name = settings.value(SETTING.format(key="template"), "", str)
        last_unit = settings.value(SETTING.format(key="unit"), "", str)
        keep = name in self.infos and last_unit in self.tree
        if keep:
            unit = last_unit
        else:
            board = self.tree.path(unit)[0].code if unit in self.tree else ""
            fitting = [i for i in self.infos.values() if i.board == board]
            generic = self.infos.get("manad") or next(iter(self.infos.values()))
            name = (fitting[0] if fitting else generic).name
        with QSignalBlocker(self.templates):
            self.templates.setCurrentIndex(max(0, self.templates.findData(name)))
        self._load_template()
        self._fill_units(unit, keep)
        self._fill_periods(settings.value(SETTING.format(key="period"), "", str))

    def _load_template(self) -> None:
        from socdesk.reports import template as templates

        info = self.infos.get(self.templates.currentData())
        self.template = None
        if info is None:
            return
        try:
            self.template = templates.load(info.path)
        except SocdeskError as err:
            self.status.setText(str(err))

    def _fill_units(self, unit: str, keep: bool = False) -> None:
        """The boards, and the path down to ``unit``. Chosen: the template's board (a unit under
        it is kept when ``keep``); for a template that fits any board, the unit's board (or the
        unit itself when ``keep``)."""
        board = self.template.board if self.template is not None else ""
        if unit not in self.tree:
            unit = self.tree.roots()[0].code if self.tree.roots() else ""
        if board in self.tree:
            chosen = unit if keep and unit and self._board(unit) == board else board
        else:
            chosen = unit if keep or not unit else self._board(unit)
        codes = [r.code for r in self.tree.roots()]
        if chosen:
            codes += [u.code for u in self.tree.path(chosen)[1:]]
        with QSignalBlocker(self.scope):
            self.scope.clear()
            for code in codes:
                self.scope.addItem(self.tree[code].label, code)
            self.scope.setCurrentIndex(max(0, self.scope.findData(chosen)))

    def _board(self, unit: str) -> str:
        return self.tree.path(unit)[0].code

    def kind(self) -> str:
        return self.template.kind if self.template is not None else "manad"

    def _fill_periods(self, wanted: str = "") -> None:
        unit = self.scope.currentData()
        self.last = choice.latest_month(self.ctx.store, unit) if unit else None
        offered = choice.choices(self.kind(), self.last, self.month)
        if self.kind() == "manad" and self.last is None:
            default = choice.report_period("manad", self.month)
        elif self.kind() == "manad":
            default = choice.report_period("manad", min(self.month, self.last))
        else:
            default = choice.default_period(self.kind(), self.last, self.month)
        keys = [str(p) for p in offered]
        with QSignalBlocker(self.period):
            self.period.clear()
            for p in offered:
                self.period.addItem(p.label(), str(p))
            target = wanted if wanted in keys else str(default)
            self.period.setCurrentIndex(max(0, self.period.findData(target)))

    def _template_changed(self) -> None:
        self._load_template()
        self._fill_units(self.scope.currentData() or "", keep=True)
        self._fill_periods(self.period.currentData() or "")
        self.rebuild()

    def _unit_changed(self) -> None:
        self._fill_periods(self.period.currentData() or "")
        self.rebuild()

    def chosen_period(self) -> Period:
        return parse_period(self.period.currentData())

    # --- building (worker) ----------------------------------------------------------------
    def rebuild(self) -> None:
        self._rebuild_soon.stop()
        if self.period.currentData() is None:  # no period chosen (none offered): nothing to make
            return
        self.report = None
        self._built_for = None
        if self.template is None:
            self._set_busy(False, self.status.text() or _("Ingen rapportmall att göra rapporten från."))
            for b in (self.preview, self.print_, self.save, self.save_final):
                b.setEnabled(False)
            return
        template, unit, period = self.template, self.scope.currentData(), self.chosen_period()
        as_of = f"{period.end.year:04d}-01" if self.organisation.currentData() else None
        self.period_note.setText("")  # what the title page says of the period, once it is made
        self._show_finals()
        self._remember()
        self._set_busy(True, _("Sammanställer rapporten …"))

        def work(store, signals):
            from socdesk.reports import compose

            signals.progress.emit(10, 100)
            sections: list[tuple[str, str, str]] = []
            report = compose.build(store, template, unit, period, text_sections=sections, as_of=as_of)
            signals.check()
            signals.progress.emit(100, 100)
            return Built(report, template.name, period, sections)

        self._built_for = (template.name, unit, str(period))
        self.runner.start(work)

    def _remember(self) -> None:
        for key, value in (
            ("template", self.templates.currentData()),
            ("unit", self.scope.currentData()),
            ("period", self.period.currentData()),
        ):
            self.ctx.settings.setValue(SETTING.format(key=key), value or "")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / max(total, 1)))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for b in (self.preview, self.print_, self.save):
            b.setEnabled(not busy)
        self.save_final.setEnabled(
            not busy and self.report is not None and not self.report.draft and not self.ctx.readonly
        )
        self.status.setText(text)
        if busy:
            self.progress.setValue(0)

    def _built(self, result: Any) -> None:
        if isinstance(result, Built):
            self.texts.set_report(result.template, result.period, result.sections)
            self.tabs.setTabEnabled(self.tabs.indexOf(self.texts), bool(result.sections))
            result = self.report = result.report
            page = result.title_page
            self.period_note.setText(" ".join(page.notes) if page is not None else "")
            self.reasons.clear()
            self._done.clear()
            self.shown = list(result.draft_reasons)
            self.reasons.addItems([str(r) for r in self.shown])  # row i: self.shown[i]
            if not result.draft:
                self.reasons.addItem(_("Inget – rapporten är klar."))
            self._reason_chosen()
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
        elif isinstance(result, int):  # a decided version kept
            self._show_finals()
            self._set_busy(False, _("Sparad som beslutad version {n}.").format(n=result))
            self.final_saved.emit(result)

    def _failed(self, message: str) -> None:
        self._set_busy(False, _("Rapporten kunde inte göras: {m}").format(m=message))

    def when_built(self, action: Any) -> None:
        if self.report is not None:
            action()
        else:
            self._after = action

    # --- what is left -----------------------------------------------------------------------
    def _reason(self) -> Any:
        """The chosen line's ``final.Reason`` (a plain str for a line nothing can be done about,
        None for one already done: it stays on the list, ticked, until the list is made again)."""
        row = self.reasons.currentRow()
        if not 0 <= row < len(self.shown) or row in self._done:
            return None
        return self.shown[row]

    def _mark_done(self, matches: Any) -> None:
        """Tick the lines ``matches(reason)`` is true of, and make the list again shortly: the
        controller goes on with the next line meanwhile (one rebuild for a burst of work)."""
        for row, reason in enumerate(self.shown):
            if row not in self._done and matches(reason):
                self._done.add(row)
                item = self.reasons.item(row)
                item.setText("✓ " + item.text())
                item.setForeground(self.palette().placeholderText())
        self._reason_chosen()
        self._rebuild_soon.start()

    def analysis_saved(self, unit: str) -> None:
        """The main window saved a unit's avvikelseanalys."""
        self._mark_done(lambda r: getattr(r, "unit", "") == unit)

    def _reason_chosen(self) -> None:
        reason = self._reason()
        self.open_unit.setEnabled(bool(getattr(reason, "unit", "")))
        self.write_text.setEnabled(bool(getattr(reason, "text_key", "")))
        finding = getattr(reason, "finding", None)
        self.note.setEnabled(finding is not None and not self.ctx.readonly)
        noted = bool(self.note.text().strip())
        self.acknowledge.setEnabled(finding is not None and not self.ctx.readonly and noted)

    def _act_on_reason(self) -> None:
        reason = self._reason()
        if getattr(reason, "unit", ""):
            self._open_unit()
        elif getattr(reason, "text_key", ""):
            self._write_text()
        elif getattr(reason, "finding", None) is not None:
            self.note.setFocus()

    def _open_unit(self) -> None:
        """A flagged unit without analysis: shown in the main window at the report's last month,
        where its analysis is written; the dialog stays open and lists again when it is saved."""
        reason = self._reason()
        if getattr(reason, "unit", ""):
            end = self.chosen_period().end
            self.unit_requested.emit(reason.unit, end)

    def _write_text(self) -> None:
        reason = self._reason()
        if getattr(reason, "text_key", ""):
            self.tabs.setCurrentWidget(self.texts)
            self.texts.select(reason.text_key)

    def acknowledge_finding(self) -> None:
        """The chosen finding is an error in the source document: acknowledged with the note
        (audited); it is printed as a footnote at its row and no longer keeps the report a draft."""
        reason = self._reason()
        finding = getattr(reason, "finding", None)
        if finding is None or self.ctx.readonly:
            return
        try:
            self.ctx.store.acknowledge(final.finding_key(finding), self.note.text())
        except SocdeskError as err:
            self.status.setText(str(err))
            return
        self.note.clear()
        self._mark_done(lambda r: getattr(r, "finding", None) == finding)

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

    def _suggested(self, suffix: str) -> str:
        name = f"{self.templates.currentData()} {self.scope.currentData()} {self.chosen_period().label()}"
        return name.replace("/", "-") + suffix

    def save_as(self, path: str | None = None) -> None:
        """PDF, Excel or HTML by the name's ending, written on the worker with progress."""
        if path is None:
            chosen = file_dialogs.save_file(
                self,
                _("Spara rapporten"),
                self._suggested(".pdf"),
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

    # --- decided versions -------------------------------------------------------------------
    def save_decided(self) -> None:
        """Keep the final report's PDF as the decided version (refused while it is a draft)."""
        report, built_for = self.report, self._built_for
        if report is None or built_for is None or self.ctx.readonly:
            return
        if report.draft:
            self.status.setText(final.draft_message(report))
            return
        _name, unit, period = built_for
        self._set_busy(True, _("Sparar den beslutade versionen …"))

        made = self._pdf[1] if self._pdf is not None and self._pdf[0] is report else None

        def work(store, signals):
            signals.progress.emit(20, 100)
            final_id = final.save_final(store, report, unit, period, made)
            signals.progress.emit(100, 100)
            return final_id

        self.runner.start(work)

    def _show_finals(self) -> None:
        name = self.templates.currentData()
        rows = self.ctx.store.finals(template=name) if name else []
        with QSignalBlocker(self.finals):
            self.finals.clear()
            for r in rows:
                item = QListWidgetItem(final.final_label(r))
                item.setData(Qt.ItemDataRole.UserRole, r["id"])
                self.finals.addItem(item)
        self._final_chosen()

    def _final_chosen(self) -> None:
        self.reprint_button.setEnabled(self.finals.currentItem() is not None)

    def reprint(self, path: str | None = None) -> None:
        """Write the chosen decided version's stored PDF again, byte for byte."""
        item = self.finals.currentItem()
        if item is None:
            return
        final_id = int(item.data(Qt.ItemDataRole.UserRole))
        if path is None:
            chosen = file_dialogs.save_file(
                self,
                _("Skriv ut den beslutade versionen igen"),
                self._suggested(f" beslutad {final_id}.pdf"),
                _("PDF (*.pdf)"),
                self.ctx.database_path,
            )
            if chosen is None:
                return
            path = str(chosen)
        try:
            written = final.reprint(self.ctx.store, final_id, path)
        except (SocdeskError, OSError) as err:
            self.status.setText(str(err))
            return
        self.status.setText(_("Beslutad version {n} skriven till {f}.").format(n=final_id, f=written))

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)
