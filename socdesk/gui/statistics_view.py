"""The Statistik tab: volume measures over years and quarters, and a trend chart."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.i18n import _
from socdesk.core.numbers import format_number
from socdesk.core.values import Status, Value
from socdesk.gui.column_widths import fit_columns
from socdesk.reports.statistics import StatisticsTable

_Index = QModelIndex | QPersistentModelIndex
NOTE_MARK = " ⁱ"  # a figure with a note (its tooltip)


def value_text(v: Value, decimals: int | None = None) -> str:
    """A figure as stated (at most one decimal), or with exactly ``decimals`` (a computed rate)."""
    if not v.is_number:
        return {Status.SUPPRESSED: "*", Status.NOT_COMPUTABLE: ".", Status.NO_DATA: "–"}[v.status]
    n = v.number
    assert n is not None
    if decimals is not None:
        return format_number(n, decimals)
    stated = max(0, -int(n.normalize().as_tuple().exponent))  # type: ignore[operator]
    return format_number(n, min(stated, 1))


class StatisticsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: StatisticsTable | None = None

    def set_table(self, table: StatisticsTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.periods) + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        row = self.table.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return row.name + (" *" if row.computed else "")
            text = value_text(row.values[index.column() - 1], row.decimals)
            return text + NOTE_MARK if self._note(row, index.column()) else text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                if row.note:
                    return row.note
                return (
                    _("Beräknat av socdesk från nettokostnad och vårddygn")
                    if row.computed
                    else row.unit_of_measure
                )
            v = row.values[index.column() - 1]
            shown = [] if v.is_number else [v.status.description]
            return "\n".join([*shown, self._note(row, index.column())]).strip() or None
        return None

    @staticmethod
    def _note(row, column: int) -> str:
        """The note stored with the figure (Kolada's status, an unweighted mean of a group …)."""
        return row.value_notes[column - 1] if row.value_notes else ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role != Qt.ItemDataRole.DisplayRole
            or orientation != Qt.Orientation.Horizontal
            or self.table is None
        ):
            return None
        return _("Mått") if section == 0 else self.table.periods[section - 1].label()


class StatisticsView(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = StatisticsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(_("Statistik"))
        self.chart = pg.PlotWidget()
        self.chart.showGrid(y=True, alpha=0.2)
        self.chart.setMouseEnabled(x=False, y=False)
        self.line = self.chart.plot(
            [],
            [],
            pen=pg.mkPen((33, 102, 172), width=3),
            symbol="o",
            symbolSize=7,
            symbolBrush=(33, 102, 172),
        )
        self.empty = QLabel()
        splitter = QSplitter()
        splitter.setOrientation(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.plot_row(cur.row()))

    def set_table(self, table: StatisticsTable) -> None:
        self.model.set_table(table)
        fit_columns(self.table)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty.setText(
            _("Ingen verksamhetsstatistik för enheten.")
            if not table.rows
            else _("* = beräknat av socdesk. Icke-additiva mått (t.ex. unika personer) summeras aldrig.")
            + "".join(f" {source}." for source in table.sources)
            + (
                _(" ⁱ = värdet har en anmärkning (t.ex. ovägt medelvärde, Koladas status): peka på det.")
                if any(r.value_notes for r in table.rows)
                else ""
            )
        )
        if table.rows:
            self.table.selectRow(0)
            self.plot_row(0)
        else:
            self.line.setData([], [])

    def plot_row(self, r: int) -> None:
        table = self.model.table
        if table is None or not 0 <= r < len(table.rows):
            return
        row = table.rows[r]
        points = [
            (p.start.year, float(v.number))
            for p, v in zip(table.periods, row.values, strict=True)
            if p.kind == "year" and v.is_number
        ]
        if not points:  # only quarters: plot those
            points = [
                (p.start.year + (p.start.month - 1) / 12, float(v.number))
                for p, v in zip(table.periods, row.values, strict=True)
                if v.is_number
            ]
        self.line.setData([p[0] for p in points], [p[1] for p in points])
        self.chart.setTitle(row.name)
        self.chart.getAxis("bottom").setTicks([[(x, str(int(x))) for x, _y in points if x == int(x)]])
