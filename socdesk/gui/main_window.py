"""The main window: units on the left, the selected unit's follow-up table on the right.

All wiring between the widgets lives in ``_connect``; signals are named for what happened.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.core.periods import Period
from socdesk.gui.context import AppContext
from socdesk.gui.followup_model import FollowupModel
from socdesk.gui.period_selector import PeriodSelector
from socdesk.gui.unit_tree_model import UnitTreeModel
from socdesk.reports.followup import followup_table, latest_actual_month


class MainWindow(QMainWindow):
    unit_selected = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(_("socdesk – {db}").format(db=ctx.database_path.name))
        self._unit: str | None = None

        self.tree_model = UnitTreeModel(ctx.store.unit_tree(), self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(_("Enheter"))

        self.breadcrumb = QLabel()
        self.breadcrumb.setTextFormat(Qt.TextFormat.PlainText)
        font = self.breadcrumb.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.breadcrumb.setFont(font)
        self.period = PeriodSelector()
        self.scale = QComboBox()
        for s in Scale:
            self.scale.addItem(s.label, s)
        self.scale.setCurrentIndex(list(Scale).index(ctx.scale))
        self.scale.setAccessibleName(_("Skala"))

        self.table_model = FollowupModel(self)
        self.table_model.set_scale(ctx.scale)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName(_("Uppföljning"))
        self.empty = QLabel()
        self.empty.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(self.period)
        controls.addStretch(1)
        controls.addWidget(QLabel(_("Skala")))
        controls.addWidget(self.scale)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.breadcrumb)
        rl.addLayout(controls)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.empty)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 780])
        self.setCentralWidget(splitter)
        self.resize(1180, 680)
        self._connect()

        roots = ctx.store.unit_tree().roots()
        if roots:
            self.tree.expand(self.tree_model.index_of(roots[0].code))
            self.select_unit(roots[0].code)

    def _connect(self) -> None:
        self.tree.selectionModel().selectionChanged.connect(self._tree_selection_changed)
        self.unit_selected.connect(self._show_unit)
        self.period.period_changed.connect(self._refresh)
        self.scale.currentIndexChanged.connect(self._scale_changed)

    # --- actions ------------------------------------------------------------------------
    def select_unit(self, code: str) -> None:
        index = self.tree_model.index_of(code)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _tree_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        unit = self.tree_model.unit(indexes[0]) if indexes else None
        if unit is not None and unit.code != self._unit:
            self.unit_selected.emit(unit.code)

    def _show_unit(self, code: str) -> None:
        tree = self.ctx.store.unit_tree()
        previous_root = tree.path(self._unit)[0].code if self._unit in tree else None
        self._unit = code
        self.breadcrumb.setText(" › ".join(u.label for u in tree.path(code)))
        latest = latest_actual_month(self.ctx.store, tree.path(code)[0].code)
        if latest is not None and tree.path(code)[0].code != previous_root:
            self.period.set_period(latest)  # a new organisation: show its latest month
        self._refresh()

    def _scale_changed(self) -> None:
        self.ctx.scale = self.scale.currentData()
        self.table_model.set_scale(self.ctx.scale)

    def _refresh(self, _period: Period | None = None) -> None:
        if self._unit is None:
            return
        table = followup_table(self.ctx.store, self._unit, self.period.period())
        self.table_model.set_table(table)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty.setText(
            _("Inga ekonomiska uppgifter för {u} {p}.").format(u=table.unit.label, p=table.period.label())
            if table.is_empty
            else ""
        )
