"""The unknown units' page, shown when a file has unit codes the database does not know: for
each code, create a new unit (and where: under which unit), map it to an existing unit, or
leave its rows out. A new unit's parent is proposed from the file (the parent of its siblings,
or the unit its code extends) or from the unit chosen in the tree (a leaf: its parent); with nothing to go on
the user is asked. A new unit is never put at the top level unless the user says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from socdesk.core.i18n import _, n_
from socdesk.core.numbers import format_number
from socdesk.core.units import UnitTree, likely_parents
from socdesk.gui.import_wizard.unknown_units_model import (
    CREATE,
    MAP,
    SKIP,
    UnknownUnit,
    UnknownUnitsDelegate,
    UnknownUnitsModel,
    action_labels,
)
from socdesk.io import importer

if TYPE_CHECKING:
    from socdesk.gui.import_wizard.wizard import ImportWizard


class UnitsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Okända enheter"))
        self.setSubTitle(
            _(
                "Välj för varje kod: skapa en ny enhet (och under vilken), koppla koden till en befintlig "
                "enhet, eller hoppa över dess rader. Skriv kod eller namn i kolumnen Enhet för att söka."
            )
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.counts = QLabel()
        self.model = UnknownUnitsModel(self.w.ctx.store.unit_tree(), self)
        self.table = QTableView()
        self.table.setAccessibleName(_("Okända enhetskoder"))
        self.table.setModel(self.model)
        self.table.setItemDelegate(UnknownUnitsDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.remember = QCheckBox(_("Kom ihåg kopplingarna till nästa import"))
        self.remember.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        layout.addWidget(self.remember)
        self._source: object = None  # the file read that the rows are of
        self.model.dataChanged.connect(self._count)
        self.model.modelReset.connect(self._count)

    def initializePage(self) -> None:
        source = self.w.source
        assert source is not None
        if source is self._source:
            return  # back to the check and on again: the choices made are kept
        self._source = source
        tree = self.w.ctx.store.unit_tree()
        unknown = self.w.check_page.unknown
        proposed = likely_parents(unknown, (r.unit for r in source.records), tree)
        chosen = self._beside_chosen(tree)
        rows = [
            UnknownUnit(code, name if name != code else "", where, CREATE, proposed[code] or chosen)
            for code, (name, where) in unknown.items()
        ]
        self.model.set_rows(rows, tree)
        self.table.resizeColumnsToContents()
        widest = max(self.table.fontMetrics().horizontalAdvance(t) for t in action_labels().values())
        action = UnknownUnitsModel.ACTION
        self.table.setColumnWidth(action, max(self.table.columnWidth(action), widest + 40))  # and the arrow
        self.status.setText(
            n_(
                "{n} enhetskod i {f} finns inte i databasen.",
                "{n} enhetskoder i {f} finns inte i databasen.",
                len(rows),
            ).format(n=format_number(len(rows)), f=source.file_name)
        )

    def _beside_chosen(self, tree: UnitTree) -> str | None:
        """The unit chosen in the tree as a new unit's parent; a leaf's parent (the new unit
        beside it: a unit with figures of its own does not become a sum of new children)."""
        unit = tree.get(self.w.unit or "")
        if unit is None:
            return None
        return unit.code if tree.children(unit.code) else unit.parent

    def _count(self, *_args: object) -> None:
        rows = self.model.rows
        c, m, s = (sum(r.action == a for r in rows) for a in (CREATE, MAP, SKIP))
        parts = []
        if c:
            parts.append(n_("{n} ny enhet skapas", "{n} nya enheter skapas", c).format(n=format_number(c)))
        if m:
            parts.append(
                n_(
                    "{n} kod kopplas till en befintlig enhet", "{n} koder kopplas till befintliga enheter", m
                ).format(n=format_number(m))
            )
        if s:
            parts.append(n_("{n} kod hoppas över", "{n} koder hoppas över", s).format(n=format_number(s)))
        self.counts.setText(", ".join(parts) + "." if parts else "")
        self.remember.setEnabled(bool(m))

    def validatePage(self) -> bool:
        problems = self.model.problems()
        if problems:
            more = len(problems) - 10
            self.status.setText(
                "\n".join(problems[:10]) + (("\n" + _("… och {n} till.").format(n=more)) if more > 0 else "")
            )
            return False
        mapping, create, skip = self.model.choices()
        error = self.w.make_plan(mapping, create, skip)
        if error:
            self.status.setText(error)
            return False
        if mapping and self.remember.isChecked():
            importer.remember_units(self.w.ctx.store, mapping)
        return True
