"""The year grid's model: the entry model (typing checked, undo, drafts, what to save) with a
*Summa* row below the units, column totals that follow the typing, months a period lock closes
shown read-only, and a bad cell's tooltip naming its unit and month."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, format_number
from socdesk.gui.entry_model import CONTEXT_BG, CONTEXT_FG, Cell, EntryModel
from socdesk.gui.formatting import money
from socdesk.reports.entry import EntryForm
from socdesk.reports.year_grid import total

_Index = QModelIndex | QPersistentModelIndex
TOTAL_BG = CONTEXT_BG.darker(106)


class YearGridModel(EntryModel):
    def __init__(self, form: EntryForm, scale: Scale = Scale.TKR, parent: Any = None) -> None:
        super().__init__(form, scale, parent)
        self.locked_columns: dict[int, str] = {}  # month column → why it is locked

    @property
    def total_row(self) -> int:
        return len(self.form.units)

    def set_locked_columns(self, locked: dict[int, str]) -> None:
        self.locked_columns = dict(locked)
        self._emit_all()

    def cell_value(self, row: int, column: int) -> Decimal | None:
        """A unit's figure in the column: as typed in an input, else the derived or shown one."""
        if self.is_input(column):
            value = self.row_values(row)[column]
            return value.number if value is not None and value.is_number else None
        return self._context(row, column)

    def column_total(self, column: int) -> Decimal | None:
        """The exact sum over the units, of what is typed now."""
        return total(self.cell_value(r, column) for r in range(len(self.form.units)))

    def location(self, row: int, column: int) -> str:
        return f"{self.form.units[row].label}, {self.form.columns[column].title}"

    # --- editing ------------------------------------------------------------------------
    def set_cells(self, changes: dict[Cell, str], description: str) -> None:
        super().set_cells(
            {rc: t for rc, t in changes.items() if rc[1] not in self.locked_columns}, description
        )

    def _apply(self, changes: dict[Cell, str]) -> None:
        super()._apply(changes)
        if self.columnCount():
            self.dataChanged.emit(
                self.index(self.total_row, 0), self.index(self.total_row, self.columnCount() - 1)
            )

    # --- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.form.units) + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.row() == self.total_row or index.column() in self.locked_columns:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return super().flags(index)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if r == self.total_row:
            return self._total_data(c, role)
        if c in self.locked_columns and self.is_input(c):
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.locked_columns[c]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(CONTEXT_BG)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(CONTEXT_FG)
            if role == Qt.ItemDataRole.DecorationRole:
                return None
        if role == Qt.ItemDataRole.DecorationRole and self.is_input(c) and self.check(r, c).ok:
            return None  # twelve narrow months: the amber background says it, the mark is for errors
        if role == Qt.ItemDataRole.ToolTipRole and self.is_input(c) and not self.check(r, c).ok:
            return _("{where}: {error}").format(where=self.location(r, c), error=self.check(r, c).error)
        return super().data(index, role)

    def _total_data(self, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(TOTAL_BG)
        value = self.column_total(column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if self.is_input(column):
                return self.format(value, column)  # exact, as the months are typed
            return money(value, self.scale) if value is not None else ""  # as the row's own
        if role == Qt.ItemDataRole.ToolTipRole and value is not None:
            return _("Summa {c}: {v} kr").format(c=self.form.columns[column].title, v=format_number(value, 2))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.ToolTipRole:
            return self.form.units[section].label if section < self.total_row else None
        if orientation == Qt.Orientation.Vertical and section == self.total_row:
            if role == Qt.ItemDataRole.DisplayRole:
                return _("Summa")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if orientation == Qt.Orientation.Horizontal and section in self.locked_columns:
            if role == Qt.ItemDataRole.DisplayRole:
                return "🔒 " + str(super().headerData(section, orientation, role))
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.locked_columns[section]
        return super().headerData(section, orientation, role)
