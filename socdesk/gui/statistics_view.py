"""The Statistik tab: volume measures over years and quarters, and a trend chart of the
selected row, in the workspace's chart style (``gui/chart_style.py``, shared with Månad för
månad): Swedish ticks, a zero baseline, the legend under the plot, a period without a figure
as a gap in the line (never a point at zero), a sentence instead of empty axes, Kopiera and
Spara som bild …"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from socdesk.core import chart_style as style
from socdesk.core.i18n import _
from socdesk.core.numbers import format_number
from socdesk.core.periods import Period
from socdesk.core.values import Status, Value
from socdesk.gui.chart_style import ChartPanel, new_plot, to_float, zero_based
from socdesk.gui.column_widths import fit_columns
from socdesk.reports.statistics import StatisticsTable, StatRow

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


class TrendChart(ChartPanel):
    """One row of the Statistik table over its years (or its quarters, when it has no yearly
    figure): every period of that kind on the axis, a gap where the row has no figure."""

    def __init__(self, parent: Any = None, *, database: Path | None = None) -> None:
        super().__init__(parent, database=database)
        self.plot, self.legend = new_plot(self.plots, 0)
        colour = style.rgb(style.ACTUAL)
        self.line = self.plot.plot(
            [],
            [],
            pen=pg.mkPen(colour, width=3),
            symbol="o",
            symbolSize=8,
            symbolBrush=colour,
            connect="finite",
        )
        self.line.setZValue(10)
        self.points: list[tuple[Period, Value]] = []
        self.row: StatRow | None = None
        self._proxy = pg.SignalProxy(self.plots.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)

    def title(self) -> str:
        return self.row.name if self.row is not None else ""

    def set_row(self, row: StatRow | None, periods: list[Period], empty_text: str) -> None:
        """Plot ``row`` (None: nothing to plot, ``empty_text`` shown instead)."""
        self.row = row
        values = list(zip(periods, row.values, strict=True)) if row is not None else []
        years = [(p, v) for p, v in values if p.kind == "year"]
        self.points = years if any(v.is_number for _p, v in years) else values
        has_data = any(v.is_number for _p, v in self.points)
        if row is not None and not has_data:
            empty_text = _("{r}: inga värden att visa i diagrammet.").format(r=row.name)
        self.show_plots(has_data, empty_text)
        self.legend.clear()
        if not has_data or row is None:
            self.line.setData([], [])
            return
        x = list(range(len(self.points)))
        y = [to_float(v.number) if v.is_number else float("nan") for _p, v in self.points]
        self.line.setData(x, y)
        self.legend.addItem(
            self.line, f"{row.name} ({row.unit_of_measure})" if row.unit_of_measure else row.name
        )
        self.plot.setTitle(row.name)
        self.plot.setLabel("left", row.unit_of_measure)
        self.plot.getAxis("bottom").setTicks([[(i, p.label()) for i, (p, _v) in enumerate(self.points)]])
        self.plot.setXRange(-0.5, len(self.points) - 0.5, padding=0)
        zero_based(self.plot, y)

    def point_text(self, i: int) -> str:
        period, v = self.points[i]
        unit = f" {self.row.unit_of_measure}" if self.row is not None and v.is_number else ""
        return f"{period.label()}: {value_text(v, self.row.decimals if self.row else None)}{unit}"

    def _mouse_moved(self, event: tuple[QPointF]) -> None:
        pos = event[0]
        if self.points and self.plot.sceneBoundingRect().contains(pos):
            i = round(self.plot.vb.mapSceneToView(pos).x())
            if 0 <= i < len(self.points):
                self.hover.setText(self.point_text(i))


class StatisticsView(QWidget):
    def __init__(self, parent: Any = None, *, database: Path | None = None) -> None:
        super().__init__(parent)
        self.model = StatisticsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(_("Statistik"))
        self.chart = TrendChart(database=database)
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

    def set_table(self, table: StatisticsTable, label: str | None = None) -> None:
        """Show ``table`` (of the unit named ``label``, as the tree shows it)."""
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
            self.chart.set_row(
                None, [], _("Ingen verksamhetsstatistik för {u}.").format(u=label or table.unit)
            )

    def plot_row(self, r: int) -> None:
        table = self.model.table
        if table is None or not 0 <= r < len(table.rows):
            return
        self.chart.set_row(table.rows[r], table.periods, "")
