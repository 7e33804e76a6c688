"""The mapping page: a preview of the file's first rows (the header rows highlighted, title rows
above them greyed), the sheet, header rows, layout, scenario, scale and year, and what each
column is (``column_roles``); detected from the file, or a saved profile loaded. For a SIE
file: the dimension that holds the units. The one page between the file and its reading."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.gui.import_wizard.column_roles import ColumnRoles
from socdesk.gui.sie_unit_choice import SieUnitChoice
from socdesk.io import importer, layout
from socdesk.io.sheets import Sheet, include_hidden_label
from socdesk.io.sie import dimensions as sie_dimensions
from socdesk.io.tables import Layout, Profile, detect, format_konto_rules, parse_konto_rules

if TYPE_CHECKING:
    from socdesk.gui.import_wizard.wizard import ImportWizard

PREVIEW_ROWS = 20
HEADER_BACKGROUND = QColor("#fff2cc")  # the header rows in the preview
ABOVE_HEADER = QColor("#8a8a8a")  # title rows above the header: greyed, not data


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
        self.roles = ColumnRoles()
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
        self.roles.show_columns(sheet.header, p.columns)

    def profile(self) -> Profile:
        sheet = self.shaped or self.w.sheets[0]
        rows = layout.parse_header_rows(self.header_rows.text()) if self._typed_rows else ()
        columns = self.roles.columns(sheet.header)
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
