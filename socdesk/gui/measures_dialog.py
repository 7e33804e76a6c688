"""Inställningar → Mått: the measures of the database, and a form to add or change one.

The rules are the core's (``core.measures.validate``, ``Measure.conflict``) and the writing is
the store's (``store.measures.declare``, audited on the hash chain); this dialog only collects
the fields and shows the Swedish message of a refusal.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.measures import UNITS_OF_MEASURE, Measure
from socdesk.store import measures as stored_measures
from socdesk.store.db import Store

_Index = QModelIndex | QPersistentModelIndex
HEADERS = [
    _("Nyckel"),
    _("Namn"),
    _("Enhet"),
    _("Additiv över tid"),
    _("Additiv över enheter"),
    _("Additiv i uppdelning"),
    _("Högre är bättre"),
    _("Formel"),
]


class MeasuresModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.measures: list[Measure] = []

    def set_measures(self, measures: list[Measure]) -> None:
        self.beginResetModel()
        self.measures = measures
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.measures)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        m = self.measures[index.row()]
        value = (
            m.key,
            m.name,
            m.unit,
            m.additive_time,
            m.additive_units,
            m.additive_breakdown,
            m.higher_is_better,
            m.formula,
        )[index.column()]
        if isinstance(value, bool):
            return _("ja") if value else _("nej")
        return value

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


class MeasuresDialog(QDialog):
    """``measures_changed()`` after a measure was added or changed."""

    measures_changed = Signal()

    def __init__(self, store: Store, *, readonly: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.readonly = readonly
        self.editing: str | None = None  # the key of the measure in the form, None for a new one
        self.setWindowTitle(_("Mått"))
        self.resize(1100, 760)
        self.model = MeasuresModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton(_("&Lägg till …"))
        self.add_button.clicked.connect(lambda: self.new_measure())
        self.edit_button = QPushButton(_("Ä&ndra …"))
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        for b in (self.add_button, self.edit_button):
            b.setEnabled(not readonly)

        self.form = QGroupBox(_("Mått"))
        self.key = QLineEdit()
        self.key.setPlaceholderText(_("t.ex. kostnad_per_invanare"))
        self.name = QLineEdit()
        self.unit = QComboBox()
        for u in UNITS_OF_MEASURE:
            self.unit.addItem(u, u)
        self.additive_time = QCheckBox(_("Additiv över tid (månader summeras till året)"))
        self.additive_units = QCheckBox(_("Additiv över enheter (enheter summeras till nämnden)"))
        self.additive_breakdown = QCheckBox(_("Additiv i uppdelning (kvinnor + män = totalt)"))
        self.higher_is_better = QCheckBox(_("Högre är bättre"))
        self.formula = QLineEdit()
        self.formula.setPlaceholderText(_("t.ex. netto / invanare, eller placeringar / invanare * 10000"))
        self.save_button = QPushButton(_("&Spara måttet"))
        self.save_button.clicked.connect(lambda: self.save())
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout(self.form)
        form.addRow(_("Nyckel"), self.key)
        form.addRow(_("Namn"), self.name)
        form.addRow(_("Måttenhet"), self.unit)
        for box in (self.additive_time, self.additive_units, self.additive_breakdown, self.higher_is_better):
            form.addRow("", box)
        form.addRow(_("Formel"), self.formula)
        form.addRow(
            "",
            QLabel(
                _(
                    "En formel räknar fram måttet ur andra mått (+ − * /, tal, nycklar; dagar och "
                    "manader för perioden). Ett mått i invånare är folkmängd och tas för året."
                )
            ),
        )
        form.addRow("", self.save_button)
        form.addRow("", self.message)
        self.form.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Stäng"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.form)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_measures(list(self.store.measures().values()))

    def row_of(self, key: str) -> int:
        return next((i for i, m in enumerate(self.model.measures) if m.key == key), -1)

    def new_measure(self) -> None:
        self._fill(Measure("", "", "antal", False, False, False, False))  # additivity is chosen, not assumed
        self.editing = None
        self.key.setEnabled(True)
        self.key.setFocus()

    def edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.readonly or not rows:
            return
        m = self.model.measures[rows[0].row()]
        self._fill(m)
        self.editing = m.key
        self.key.setEnabled(False)  # a key is what figures refer to: it is never renamed
        self.name.setFocus()

    def _fill(self, m: Measure) -> None:
        self.form.setEnabled(True)
        self.message.clear()
        self.key.setText(m.key)
        self.name.setText(m.name)
        self.unit.setCurrentIndex(max(0, self.unit.findData(m.unit)))
        self.additive_time.setChecked(m.additive_time)
        self.additive_units.setChecked(m.additive_units)
        self.additive_breakdown.setChecked(m.additive_breakdown)
        self.higher_is_better.setChecked(m.higher_is_better)
        self.formula.setText(m.formula)

    def measure(self) -> Measure:
        return Measure(
            key=self.key.text().strip(),
            name=self.name.text().strip(),
            unit=self.unit.currentData(),
            additive_time=self.additive_time.isChecked(),
            additive_units=self.additive_units.isChecked(),
            additive_breakdown=self.additive_breakdown.isChecked(),
            higher_is_better=self.higher_is_better.isChecked(),
            formula=self.formula.text().strip(),
        )

    def save(self) -> bool:
        """Add or change the measure in the form (audited); a refusal is shown, nothing saved."""
        m = self.measure()
        if self.editing is None and m.key in self.store.measures():
            self.message.setText(
                _("Måttet {k} finns redan; välj det i listan och Ändra, eller ge en ny nyckel.").format(
                    k=m.key
                )
            )
            return False
        try:
            changed = stored_measures.declare(self.store, [m], source=stored_measures.GUI_SOURCE)
        except SocdeskError as err:
            self.message.setText(str(err))
            return False
        self.refresh()
        row = self.row_of(m.key)
        self.table.selectRow(row)
        self.editing = m.key
        self.key.setEnabled(False)
        self.message.setText(_("Måttet {k} sparades.").format(k=m.key) if changed else _("Inget ändrades."))
        if changed:
            self.measures_changed.emit()
        return True
