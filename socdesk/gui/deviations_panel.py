"""The Avvikelser panel: every flagged unit for the period, worst first, with its reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.gui.column_widths import fit_columns
from socdesk.gui.economy_model import LEVEL_COLOURS
from socdesk.gui.formatting import money
from socdesk.reports.economy import EconomyRow

_Index = QModelIndex | QPersistentModelIndex
HEADERS = [_("Nivå"), _("Enhet"), _("Avvikelse (tkr)"), _("Skäl"), _("Analys")]


class DeviationsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[EconomyRow] = []

    def set_rows(self, rows: list[EconomyRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                f"{row.flag.level.symbol} {row.flag.level.label}",
                row.unit.label,
                money(row.variance, Scale.TKR),
                row.flag.reasons[0] if row.flag.reasons else "",
                _("✓ finns") if row.comment else _("saknas"),
            ][c]
        if role == Qt.ItemDataRole.ForegroundRole and c == 0:
            return QBrush(LEVEL_COLOURS[row.flag.level])
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(row.flag.reasons) if c in (0, 3) else (row.comment if c == 4 else None)
        if role == Qt.ItemDataRole.TextAlignmentRole and c == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.unit.code
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


class DeviationsPanel(QWidget):
    """Emits ``unit_clicked(code)``."""

    unit_clicked = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = DeviationsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.setWordWrap(False)
        self.view.setAccessibleName(_("Avvikelser"))
        self.summary = QLabel(_("Beräknar …"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.view.clicked.connect(lambda i: self.unit_clicked.emit(i.data(Qt.ItemDataRole.UserRole)))

    def set_rows(self, rows: list[EconomyRow], period_label: str) -> None:
        self.model.set_rows(rows)
        fit_columns(self.view)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        missing = sum(1 for r in rows if not r.comment)
        self.summary.setText(
            _("{n} flaggade enheter {p}; {m} saknar avvikelseanalys.").format(
                n=len(rows), p=period_label, m=missing
            )
            if rows
            else _("Inga flaggade enheter {p}.").format(p=period_label)
        )
