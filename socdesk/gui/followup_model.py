"""The follow-up table as a ``QAbstractTableModel``: Swedish numbers, right-aligned."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, format_number
from socdesk.reports.followup import FollowupRow, FollowupTable

_Index = QModelIndex | QPersistentModelIndex
RAW_ROLE = Qt.ItemDataRole.UserRole + 1  # the exact Decimal behind a cell
UNFAVOURABLE = QColor(176, 0, 32)

COLUMNS = (
    ("unit", _("Enhet")),
    ("actual", _("Utfall")),
    ("budget", _("Budget")),
    ("variance", _("Avvikelse")),
    ("variance_pct", _("Avvikelse %")),
    ("annual_budget", _("Årsbudget")),
)


class FollowupModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: FollowupTable | None = None
        self._scale = Scale.TKR

    def set_table(self, table: FollowupTable | None) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def set_scale(self, scale: Scale) -> None:
        self._scale = scale
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 1), self.index(self.rowCount() - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, len(COLUMNS) - 1)

    @property
    def table(self) -> FollowupTable | None:
        return self._table

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._table is None else len(self._table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def row(self, r: int) -> FollowupRow:
        assert self._table is not None
        return self._table.rows[r]

    def _text(self, row: FollowupRow, key: str) -> str:
        if key == "unit":
            return _("Summa {u}").format(u=row.unit.label) if row.is_total else row.unit.label
        value: Decimal | None = getattr(row, key)
        if value is None:
            return "–"
        if key == "variance_pct":
            return format_number(value, 1, percent=True)
        return format_number(value, 0 if self._scale is not Scale.MNKR else 1, self._scale)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._table is None:
            return None
        row = self.row(index.row())
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == RAW_ROLE:
            return None if key == "unit" else getattr(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key == "unit":
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and key in ("variance", "variance_pct"):
            value = getattr(row, key)
            if value is not None and value < 0:
                return QBrush(UNFAVOURABLE)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("variance", "variance_pct"):
            value = getattr(row, key)
            if value is not None:
                return _("Sämre än budget") if value < 0 else _("Bättre än eller som budget")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            title = COLUMNS[section][1]
            if section >= 1 and COLUMNS[section][0] != "variance_pct":
                return f"{title} ({self._scale.label})"
            return title
        if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
