"""Importera: file → preview and column mapping → check and unknown units → import with a
progress bar and cancel → summary, with the import undoable as a whole. The reading, checking
and writing run on a worker thread; the steps themselves are ``socdesk.io.importer``'s."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from socdesk.core.checks import findings_in_file
from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _, n_
from socdesk.core.numbers import Scale
from socdesk.gui import file_dialogs
from socdesk.gui.context import AppContext
from socdesk.gui.sie_unit_choice import SieUnitChoice
from socdesk.gui.workers import Cancelled, Runner
from socdesk.io import READABLE, importer, layout
from socdesk.io.sheets import Sheet, include_hidden_label, read_sheets
from socdesk.io.sie import dimensions as sie_dimensions
from socdesk.io.tables import Layout, Profile, Role, detect, format_konto_rules, parse_konto_rules
from socdesk.store.backup import backup_for, hold_identity

PREVIEW_ROWS = 20
HEADER_BACKGROUND = QColor("#fff2cc")  # the header rows in the preview
ABOVE_HEADER = QColor("#8a8a8a")  # title rows above the header: greyed, not data
CREATE, MAP = "create", "map"


class ImportWizard(QWizard):
    """``imported(batch_id)`` after a file was written; ``undone(batch_id)`` after its undo."""

    imported = Signal(int)
    undone = Signal(int)

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Importera"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # done: only Stäng
        self.resize(980, 680)
        for button, text in (
            (QWizard.WizardButton.BackButton, _("< Tillbaka")),
            (QWizard.WizardButton.NextButton, _("Nästa >")),
            (QWizard.WizardButton.CancelButton, _("Avbryt")),
            (QWizard.WizardButton.FinishButton, _("Stäng")),
        ):
            self.setButtonText(button, text)
        self.data = b""
        self.declared: tuple[str, bytes] | None = None  # the mått.csv beside the file
        self.path: Path | None = None
        self.kind: importer.Kind | None = None
        self.sheets: list[Sheet] = []
        self.source: importer.Source | None = None
        self.plan: importer.Plan | None = None
        self.result: importer.Result | None = None
        self.runner = Runner(ctx.database_path, parent=self)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.run_page = RunPage(self)
        self.done_page = DonePage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.run_page, self.done_page):
            self.addPage(page)
        self._handlers: tuple[Any, Any] | None = None
        self.runner.finished.connect(lambda result: self._report(0, result))
        self.runner.failed.connect(lambda message: self._report(1, message))

    def start(self, work: Any, on_done: Any, on_failed: Any) -> None:
        """Run ``work(store, signals)`` on the worker; one of the handlers gets the outcome."""
        self._handlers = (on_done, on_failed)
        self.runner.start(work)

    def _report(self, which: int, payload: Any) -> None:
        handlers, self._handlers = self._handlers, None
        if handlers is not None:
            handlers[which](payload)

    def profile(self) -> Profile | None:
        if self.kind is importer.Kind.SIE:
            page = self.mapping_page
            return Profile(dimension=page.dimension.currentData() or "1", as_unit=page.sie_unit.unit())
        return self.mapping_page.profile() if self.kind is importer.Kind.TABLE else None

    def done(self, result: int) -> None:  # closing: a running job is cancelled, never left half
        self.runner.shutdown()
        super().done(result)


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Välj fil"))
        self.setSubTitle(
            _(
                "CSV eller Excel (lång, bred eller transaktioner), SIE 4 från ekonomisystemet, "
                "eller Kolada (JSON eller CSV). Inget sparas förrän sista steget."
            )
        )
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Fil"))
        browse = QPushButton(_("Bläddra …"))
        browse.clicked.connect(self._browse)
        self.info = QLabel()
        self.info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.info)
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())

    def _browse(self) -> None:
        chosen = file_dialogs.open_file(
            self,
            _("Välj fil att importera"),
            "",
            _("Filer socdesk läser ({p});;Alla filer (*)").format(p=" ".join(f"*{e}" for e in READABLE)),
            self.w.ctx.database_path,
        )
        if chosen is not None:
            self.path.setText(str(chosen))

    def isComplete(self) -> bool:
        return Path(self.path.text().strip()).is_file()

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip())
        try:
            importer.refuse_reading_database(
                path, self.w.ctx.database_path
            )  # reading it would drop SQLite's locks
            data = importer.read_file(path)
            kind = importer.kind_of(data, path.name)
            sheets = read_sheets(data, path.name) if kind is importer.Kind.TABLE else []
            declared = importer.declarations_beside(path)
        except (OSError, SocdeskError) as err:
            self.info.setText(str(err) if isinstance(err, SocdeskError) else err.strerror)
            return False
        self.w.path, self.w.data, self.w.kind, self.w.sheets = path, data, kind, sheets
        self.w.declared = declared
        return True


class MappingPage(QWizardPage):
    """Preview of the first rows, and what each column is (detected; a saved profile loads)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Förhandsvisning och kolumner"))
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setAccessibleName(_("Förhandsvisning"))
        self.saved = QComboBox()
        self.sheet_box = QComboBox()
        self.sheet_box.setAccessibleName(_("Blad"))
        self.header_rows = QLineEdit()
        self.header_rows.setAccessibleName(_("Rubrikrader"))
        self.header_rows.setToolTip(
            _(
                "Raden (som i Excel) med kolumnrubrikerna, t.ex. 3; två rader som 3,4 "
                "(år eller Budget/Utfall över månaderna)."
            )
        )
        self.shaped: Sheet | None = None  # the previewed sheet with its header rows
        self._typed_rows = False  # header rows typed by the user (else detected per sheet)
        self._applied: tuple[int, ...] = ()  # the typed rows the preview shows
        self._fresh = False  # header rows just applied: the user sees them before going on
        self.layout_box = QComboBox()
        for lay in Layout:
            self.layout_box.addItem(lay.label, lay.value)
        self.scenario = QComboBox()
        for s in (Scenario.ACTUAL, Scenario.BUDGET, Scenario.FORECAST):
            self.scenario.addItem(s.label, s.value)
        self.scale = QComboBox()
        for sc in Scale:
            self.scale.addItem(sc.label, sc.label)
        self.year = QSpinBox()
        self.year.setRange(0, 2200)
        self.year.setSpecialValueText(_("(i rubrikerna)"))
        self.negate = QCheckBox(_("Kostnader är negativa i filen (vänd tecken)"))
        self.include_hidden = QCheckBox(include_hidden_label())  # hidden sheets, rows, columns
        self.dimension = QComboBox()
        self.dimension.setAccessibleName(_("Dimension för enheter"))
        self.rules = QLineEdit()
        self.rules.setToolTip(
            _(
                "Vilket mått ett konto hör till, t.ex. 3000-3999=intakter; 4000-7999=kostnader. "
                "Konton utan regel tas inte med."
            )
        )
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("t.ex. Raindance huvudbok"))
        save = QPushButton(_("Spara som profil"))
        save.clicked.connect(self._save_profile)
        self.roles = QTableWidget(0, 2)
        self.roles.setHorizontalHeaderLabels([_("Kolumn i filen"), _("Är")])
        self.roles.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.roles.verticalHeader().setVisible(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Sparad profil:"), self.saved)
        form.addRow(_("Blad:"), self.sheet_box)
        form.addRow(_("Rubrikrad(er):"), self.header_rows)
        form.addRow(_("Upplägg:"), self.layout_box)
        form.addRow(_("Scenario:"), self.scenario)
        form.addRow(_("Belopp i:"), self.scale)
        form.addRow(_("År för månadskolumner:"), self.year)
        form.addRow("", self.negate)
        form.addRow("", self.include_hidden)
        form.addRow(_("Kontoregler:"), self.rules)
        form.addRow(_("Enheter från dimension:"), self.dimension)
        self.form = form
        named = QHBoxLayout()
        named.addWidget(self.name, 1)
        named.addWidget(save)
        form.addRow(_("Profilnamn:"), named)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.roles, 1)
        body = QHBoxLayout()
        body.addWidget(self.preview, 3)
        right = QWidget()
        right.setLayout(side)
        body.addWidget(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        self.sie_unit = SieUnitChoice()  # a SIE file without cost centres: one unit for all of it
        layout.addWidget(self.sie_unit)
        layout.addLayout(body, 1)
        self.saved.currentIndexChanged.connect(self._load_saved)
        self.dimension.currentIndexChanged.connect(self._offer_sie_unit)
        self.sheet_box.currentIndexChanged.connect(self._sheet_chosen)
        self.header_rows.textEdited.connect(self._rows_typed)
        self.header_rows.editingFinished.connect(self._rows_chosen)

    def initializePage(self) -> None:
        w = self.w
        if w.kind is not importer.Kind.TABLE:
            label = {
                importer.Kind.SIE: _("SIE 4"),
                importer.Kind.KOLADA: _("Kolada"),
                importer.Kind.SCB: _("SCB, folkmängd"),
            }.get(w.kind, "")
            self.note.setText(
                _("{f}: {k}-fil; formatet bestämmer kolumnerna.").format(f=w.path.name, k=label)
            )
            self.preview.clear()
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            self.roles.setRowCount(0)
            self.dimension.clear()
            if w.kind is importer.Kind.SIE:  # which object dimension holds the units
                for number, name in sie_dimensions(w.data, w.path.name).items():
                    self.dimension.addItem(f"{number} {name}", number)
                self.dimension.setCurrentIndex(max(self.dimension.findData("1"), 0))
            self._offer_sie_unit()
            self._show_rows(sie=w.kind is importer.Kind.SIE)
            return
        self.sie_unit.hide()
        self._show_rows(sie=False)
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        if len(w.sheets) > 1:
            self.sheet_box.addItem(_("(alla blad med siffror)"), "")
        for sheet in w.sheets:
            hidden = _(" (dolt)") if sheet.state != "visible" else ""
            self.sheet_box.addItem((sheet.name or w.path.name) + hidden, sheet.name)
        self.sheet_box.setEnabled(len(w.sheets) > 1)
        self.sheet_box.blockSignals(False)
        self.saved.blockSignals(True)
        self.saved.clear()
        self.saved.addItem(_("(igenkänd från rubrikerna)"), "")
        for name in sorted(importer.profiles(self.w.ctx.store)):
            self.saved.addItem(name, name)
        self.saved.blockSignals(False)
        self._typed_rows, self._applied, self._fresh = False, (), False
        self.include_hidden.setChecked(False)
        if self._preview_header(()):
            self.show_profile(self._detected())

    def _raw_sheet(self) -> Sheet:
        """The sheet shown: the one chosen, else the first one the import reads."""
        sheets = self.w.sheets
        name = self.sheet_box.currentData()
        if name:
            return next(s for s in sheets if s.name == name)
        try:
            read, _notes = layout.shaped_sheets(sheets, None)
        except SocdeskError:
            return sheets[0]
        return next((s for s in sheets if s.name == read[0].name), sheets[0])

    def _preview_header(self, rows: tuple[int, ...]) -> bool:
        """Preview the sheet with its header read from ``rows`` (empty: detected): the header
        rows highlighted, the rows above them greyed; False (and said) if they cannot be used."""
        raw = self._raw_sheet()
        rows = rows or layout.header_candidates(raw)
        try:
            shaped = layout.reheader(raw, rows)
        except SocdeskError as err:
            self.note.setText(str(err))
            return False
        self.shaped = shaped
        self.header_rows.setText(",".join(map(str, rows)))
        lines = [(raw.header_row, list(raw.header)), *raw.rows[: PREVIEW_ROWS + rows[-1] - raw.header_row]]
        width = max([len(shaped.header), *(len(c) for _l, c in lines)])
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setHorizontalHeaderLabels(shaped.header + [""] * (width - len(shaped.header)))
        self.preview.setRowCount(len(lines))
        self.preview.setVerticalHeaderLabels([str(line) for line, _c in lines])
        for r, (line, cells) in enumerate(lines):
            for c in range(width):
                item = QTableWidgetItem(str(cells[c]) if c < len(cells) else "")
                if line in rows:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setBackground(QBrush(HEADER_BACKGROUND))
                elif line < rows[0]:
                    item.setForeground(QBrush(ABOVE_HEADER))
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        more = (
            _(" (och {n} blad till, läses på samma sätt)").format(n=len(self.w.sheets) - 1)
            if len(self.w.sheets) > 1 and not self.sheet_box.currentData()
            else ""
        )
        self.note.setText(
            _(
                "{f}: {n} rader. Rubriken läses från rad {h} (markerad; rader ovanför är inte data). "
                "Kontrollera vad kolumnerna är{m}."
            ).format(f=self.w.path.name, n=len(shaped.rows), h=self.header_rows.text(), m=more)
        )
        return True

    def _detected(self, year: int | None = None) -> Profile:
        """The profile detected from the previewed sheet, hidden cells as chosen."""
        assert self.shaped is not None
        return dataclasses.replace(detect(self.shaped, year), include_hidden=self.include_hidden.isChecked())

    def _sheet_chosen(self) -> None:
        self._typed_rows, self._applied = False, ()
        if self._preview_header(()):
            self.show_profile(self._detected())

    def _rows_typed(self, _text: str) -> None:
        self._typed_rows = True

    def _rows_chosen(self) -> None:
        """Header rows typed: the preview and the detected columns follow them."""
        if not self._typed_rows or self.shaped is None:
            return
        try:
            rows = layout.parse_header_rows(self.header_rows.text())
        except SocdeskError as err:
            self.note.setText(str(err))
            return
        if rows == self._applied:
            return  # focus left the field, nothing new
        self._applied = rows
        if self._preview_header(rows):
            self.show_profile(self._detected(self.year.value() or None))
        self._fresh = True  # Return (the wizard's default button) shows the new preview first

    def _show_rows(self, *, sie: bool) -> None:
        """A SIE file has only its dimension to choose; a table everything but that."""
        for i in range(self.form.rowCount()):
            field = self.form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            label = self.form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            is_dimension = field is not None and field.widget() is self.dimension
            for item in (field, label):
                if item is not None and item.widget() is not None:
                    item.widget().setVisible(is_dimension == sie)
                elif item is not None and item.layout() is not None:
                    for k in range(item.layout().count()):
                        inner = item.layout().itemAt(k).widget()
                        if inner is not None:
                            inner.setVisible(not sie)
        self.roles.setVisible(not sie)

    def show_profile(self, p: Profile) -> None:
        sheet = self.shaped or self.w.sheets[0]
        self.layout_box.setCurrentIndex(self.layout_box.findData(p.layout.value))
        self.scenario.setCurrentIndex(max(self.scenario.findData(p.scenario.value), 0))
        self.scale.setCurrentIndex(self.scale.findData(p.scale.label))
        self.year.setValue(p.year or 0)
        self.negate.setChecked(p.negate)
        self.include_hidden.setChecked(p.include_hidden)
        self.rules.setText(format_konto_rules(p.konto_rules))
        self.name.setText(p.name)
        self.roles.setRowCount(len(sheet.header))
        for r, h in enumerate(sheet.header):
            self.roles.setItem(r, 0, QTableWidgetItem(h))
            combo = QComboBox()
            for role, label in (
                (Role.IGNORE, _("(används inte / period i rubriken)")),
                (Role.UNIT, _("Enhet (ansvar, verksamhet)")),
                (Role.NAME, _("Enhetens namn")),
                (Role.ACCOUNT, _("Konto")),
                (Role.PERIOD, _("Period eller datum")),
                (Role.AMOUNT, _("Belopp")),
            ):
                combo.addItem(label, role.value)
            combo.setCurrentIndex(combo.findData(p.columns.get(h, Role.IGNORE).value))
            self.roles.setCellWidget(r, 1, combo)

    def profile(self) -> Profile:
        sheet = self.shaped or self.w.sheets[0]
        rows = layout.parse_header_rows(self.header_rows.text()) if self._typed_rows else ()
        columns = {h: Role(self.roles.cellWidget(r, 1).currentData()) for r, h in enumerate(sheet.header)}
        return Profile(
            name=self.name.text().strip(),
            layout=Layout(self.layout_box.currentData()),
            columns=columns,
            scenario=Scenario(self.scenario.currentData()),
            scale=Scale.parse(self.scale.currentData()),
            year=self.year.value() or None,
            negate=self.negate.isChecked(),
            include_hidden=self.include_hidden.isChecked(),
            konto_rules=parse_konto_rules(self.rules.text(), set(self.w.ctx.store.measures())),
            sheets=(self.sheet_box.currentData(),) if self.sheet_box.currentData() else (),
            header_rows=rows,
        )

    def _load_saved(self) -> None:
        name = self.saved.currentData()
        if name:
            p = importer.profiles(self.w.ctx.store)[name]
            self.sheet_box.blockSignals(True)
            self.sheet_box.setCurrentIndex(max(self.sheet_box.findData(p.sheets[0] if p.sheets else ""), 0))
            self.sheet_box.blockSignals(False)
            self._typed_rows, self._applied = bool(p.header_rows), p.header_rows
            if self._preview_header(p.header_rows):
                self.show_profile(p)
        elif self.w.sheets:
            self._sheet_chosen()

    def _offer_sie_unit(self) -> None:
        if self.w.kind is importer.Kind.SIE:
            dimension = self.dimension.currentData() or "1"
            self.sie_unit.offer(self.w.data, self.w.path.name, dimension, self.w.ctx.store.unit_tree())

    def validatePage(self) -> bool:
        if self.w.kind is importer.Kind.SIE and self.sie_unit.problem():
            self.note.setText(self.sie_unit.problem())
            return False
        if self.w.kind is not importer.Kind.TABLE:
            return True
        if self._fresh:
            self._fresh = False
            return False
        try:
            self.profile()
        except SocdeskError as err:
            self.note.setText(str(err))
            return False
        return True

    def _save_profile(self) -> None:
        try:
            importer.save_profile(self.w.ctx.store, self.profile())
        except SocdeskError as err:
            QMessageBox.warning(self, _("Spara profil"), str(err))
            return
        self.note.setText(
            _("Profilen ”{p}” sparades; använd den med socdesk import --profile.").format(p=self.name.text())
        )


class CheckPage(QWizardPage):
    """Every row read and checked (on a worker); unknown unit codes mapped or created."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Kontroll och enheter"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setAccessibleName(_("Fel i filen"))
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        self.findings.setAccessibleName(_("Fynd i filens siffror"))
        self.units = QTableWidget(0, 4)
        self.units.setHorizontalHeaderLabels([_("Kod i filen"), _("Namn i filen"), _("Gör"), _("Enhet")])
        self.units.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.remember = QCheckBox(_("Kom ihåg kopplingarna till nästa import"))
        self.remember.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.errors, 1)
        layout.addWidget(self.findings, 1)
        layout.addWidget(self.units, 2)
        layout.addWidget(self.remember)
        self._ready = False
        self.unknown: dict[str, tuple[str, str]] = {}

    def initializePage(self) -> None:
        self._ready = False
        self.errors.clear()
        self.errors.hide()
        self.findings.clear()
        self.findings.hide()
        self.units.setRowCount(0)
        self.units.hide()
        self.remember.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(_("Läser och kontrollerar {f} …").format(f=self.w.path.name))
        data, name, chosen, declared = self.w.data, self.w.path.name, self.w.profile(), self.w.declared

        def work(store, signals):
            source = importer.read_source(data, name, store, chosen, check=signals.check, declared=declared)
            measures = {**store.measures(), **{m.key: m for m in source.measures}}  # declared ones too
            findings = findings_in_file(source.facts, store.unit_tree(), source.new_units, measures)
            return source, findings

        self.w.start(work, self._read, self._failed)
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.status.setText(
            _("Filen kan inte läsas in som den är; inget har sparats. Rätta och försök igen:")
        )
        self.errors.setPlainText(message)
        self.errors.show()

    def _read(self, result: tuple[importer.Source, list]) -> None:
        source, findings = result
        self.progress.hide()
        self.w.source = source
        store = self.w.ctx.store
        self.unknown = importer.unknown_units(source, store.unit_tree(), importer.unit_map(store))
        if source.kind is importer.Kind.KOLADA:
            self.unknown = {}  # kommuner are created under the Kolada unit
        text = n_(
            "{f}: {r} rad läst och kontrollerad, inga fel.",
            "{f}: {r} rader lästa och kontrollerade, inga fel.",
            source.rows,
        ).format(f=source.file_name, r=source.rows)
        if source.notes:
            text += " " + " ".join(source.notes)
        if source.declared_in:
            text += " " + _("Måtten deklareras i {f}.").format(f=source.declared_in)
        if findings:  # the file's own figures do not hang together: said, not refused
            text += " " + _(
                "Kontrollen av filens siffror gav {n} fynd (som socdesk check); filen kan ändå läsas in."
            ).format(n=len(findings))
            self.findings.setPlainText("\n".join(f.message for f in findings))
            self.findings.show()
        if self.unknown:
            text += " " + n_(
                "{n} enhetskod finns inte i databasen: koppla den till en enhet, eller skapa den.",
                "{n} enhetskoder finns inte i databasen: koppla var och en till en enhet, eller skapa den.",
                len(self.unknown),
            ).format(n=len(self.unknown))
            self._fill_units()
        self.status.setText(text)
        self._ready = True
        self.completeChanged.emit()

    def _fill_units(self) -> None:
        tree = self.w.ctx.store.unit_tree()
        self.units.setRowCount(len(self.unknown))
        for r, (code, (name, _where)) in enumerate(self.unknown.items()):
            self.units.setItem(r, 0, QTableWidgetItem(code))
            self.units.setItem(r, 1, QTableWidgetItem(name))
            action = QComboBox()
            action.addItem(_("Skapa under"), CREATE)
            action.addItem(_("Koppla till"), MAP)
            target = QComboBox()
            for u in tree:
                target.addItem(u.label, u.code)
            self.units.setCellWidget(r, 2, action)
            self.units.setCellWidget(r, 3, target)
        self.units.show()
        self.remember.show()

    def choices(self) -> tuple[dict[str, str], dict[str, str | None]]:
        mapping: dict[str, str] = {}
        create: dict[str, str | None] = {}
        for r, code in enumerate(self.unknown):
            action = self.units.cellWidget(r, 2).currentData()
            target = self.units.cellWidget(r, 3).currentData()
            if action == MAP:
                mapping[code] = target
            else:
                create[code] = target
        return mapping, create

    def isComplete(self) -> bool:
        return self._ready

    def validatePage(self) -> bool:
        source = self.w.source
        assert source is not None
        mapping, create = self.choices()
        try:
            self.w.plan = importer.plan(self.w.ctx.store, source, mapping=mapping, create=create)
        except SocdeskError as err:
            self.status.setText(str(err))
            return False
        if mapping and self.remember.isChecked():
            importer.remember_units(self.w.ctx.store, mapping)
        return True


class RunPage(QWizardPage):
    """What will happen, then the import itself with a progress bar and cancel."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Läs in"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.replace = QCheckBox(_("Ersätt"))
        self.start = QPushButton(_("Läs in"))
        self.cancel = QPushButton(_("Avbryt inläsningen"))
        self.cancel.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.replace)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.start.clicked.connect(self.run)
        self.cancel.clicked.connect(self.stop)
        self.w.runner.progress.connect(
            lambda done, total: self.progress.setValue(int(100 * done / max(total, 1)))
        )

    def initializePage(self) -> None:
        p = self.w.plan
        assert p is not None
        lines = p.summary().lines()
        warn = []
        if p.same_file:
            warn.append(importer.AlreadyImportedError(p.same_file).args[0])
        elif p.overlaps:
            warn.append(importer.OverlapError(p.overlaps, p.overlap_example).args[0])
        self.summary.setText("\n".join(lines + warn))
        self.replace.setVisible(bool(warn))
        self.replace.setChecked(False)
        self.progress.setValue(0)
        self.message.setText("")
        self.start.setEnabled(True)

    def run(self) -> None:
        p, replace, name = self.w.plan, self.replace.isChecked(), self.w.mapping_page.name.text().strip()
        folder = self.w.ctx.backups
        assert p is not None
        if folder is not None:
            hold_identity(self.w.ctx.store)  # the worker's backup is named by the identity it reads

        def work(store, signals):
            def backup():  # once the file is checked, around the writing; gone again if refused
                assert folder is not None
                signals.check()
                return backup_for(store, folder, "import")

            signals.progress.emit(10, 100)
            try:
                signals.check()
                result = importer.execute(
                    store,
                    p,
                    replace=replace,
                    profile_name=name,
                    cancelled=lambda: signals.cancelled,
                    backup=backup if folder is not None and store.facts_count() else None,
                )
            except (Cancelled, importer.ImportCancelled):
                return None  # stopped before or inside the transaction: nothing written
            signals.progress.emit(100, 100)
            return result

        self.start.setEnabled(False)
        self.cancel.setEnabled(True)
        self.message.setText(_("Läser in …"))
        self.w.start(work, self._done, self._failed)

    def stop(self) -> None:
        """Stop the import; if it finished before the stop reached it, it says so."""
        self.w.runner.cancel()  # a running statement is interrupted and the transaction rolled back
        self.cancel.setEnabled(False)
        self.message.setText(_("Avbryter …"))

    def _failed(self, message: str) -> None:
        self.cancel.setEnabled(False)
        self.start.setEnabled(True)
        self.message.setText(_("Inget sparades: {m}").format(m=message))

    def _done(self, result: importer.Result | None) -> None:
        self.cancel.setEnabled(False)
        if result is None:
            self.start.setEnabled(True)
            self.progress.setValue(0)
            self.message.setText(_("Inläsningen avbröts; inget sparades."))
            return
        self.w.result = result
        self.w.imported.emit(result.batch_id)
        self.completeChanged.emit()
        self.w.next()

    def isComplete(self) -> bool:
        return self.w.result is not None


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Klart"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo = QPushButton(_("Ångra importen"))
        self.undo.clicked.connect(self.undo_import)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.undo, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def initializePage(self) -> None:
        r = self.w.result
        assert r is not None
        self.text.setText(
            "\n".join(
                [
                    _("Import {b} klar.").format(b=r.batch_id),
                    *r.summary.lines(done=True),
                ]
            )
        )
        self.undo.setEnabled(True)

    def undo_import(self) -> None:
        r = self.w.result
        assert r is not None
        try:
            n = self.w.ctx.store.undo_batch(r.batch_id)
        except SocdeskError as err:
            QMessageBox.warning(self, _("Ångra importen"), str(err))
            return
        self.text.setText(
            self.text.text() + "\n\n" + _("Importen ångrades: {n} uppgifter återställda.").format(n=n)
        )
        self.undo.setEnabled(False)
        self.w.undone.emit(r.batch_id)
