"""The tables' columns as the user sees them after clicking through the demo: every cell's text
fits its column and no column is wider than its widest cell or header – what
``resizeColumnsToContents`` gave, from a sample of rows and a few cells per column
(socdesk/gui/column_widths.py). The oracle measures every cell through the view's delegate."""

from PySide6.QtWidgets import QHeaderView, QTableView

from socdesk.core.periods import Month
from socdesk.gui.column_widths import SAMPLE_ROWS, fit_columns, sample_rows

ECONOMY_MIN_UNIT_WIDTH = 240  # economy_view keeps the unit column at least this wide


def needed(view: QTableView, column: int) -> int:
    """The width resizeColumnsToContents would give: the header's and every cell's size hint."""
    model, header = view.model(), view.horizontalHeader()
    grid = 1 if view.showGrid() else 0
    cells = (view.sizeHintForIndex(model.index(r, column)).width() + grid for r in range(model.rowCount()))
    return max(header.sectionSizeHint(column), *cells)


def assert_fitted(view: QTableView, minimum: dict[int, int] | None = None) -> int:
    header = view.horizontalHeader()
    checked = 0
    for c in range(view.model().columnCount()):
        if view.isColumnHidden(c) or header.sectionResizeMode(c) == QHeaderView.ResizeMode.Stretch:
            continue
        want = max(needed(view, c), (minimum or {}).get(c, 0))
        assert header.sectionSize(c) == want, (c, view.model().headerData(c, header.orientation()))
        checked += 1
    return checked


def test_economy_columns_fit_every_unit_and_period_clicked(qtbot, workspace):
    w = workspace
    w.tabs.setCurrentWidget(w.economy)
    parents = [u.code for u in w.tree if w.tree.children(u.code)]
    assert len(parents) > 10
    for code in parents:
        w.select_unit(code)
        qtbot.waitUntil(lambda code=code: w.current_unit == code)
        assert w.economy.model.rowCount() > 1
        assert assert_fitted(w.economy.table, {0: ECONOMY_MIN_UNIT_WIDTH}) >= 9
    w.select_unit("SN")
    for month in (Month(2024, 1), Month(2024, 12)):  # only the figures change
        w.period.set_month(month)
        qtbot.waitUntil(lambda month=month: w.economy.model.table.month == month)
        assert_fitted(w.economy.table, {0: ECONOMY_MIN_UNIT_WIDTH})


def test_statistics_deviations_and_entry_columns_fit(qtbot, workspace):
    w = workspace
    w.tabs.setCurrentWidget(w.statistics)
    shown = 0
    for unit in w.tree:
        w.select_unit(unit.code)
        qtbot.waitUntil(lambda unit=unit: w.current_unit == unit.code)
        if w.statistics.model.rowCount():
            assert_fitted(w.statistics.table)  # the name column stretches; the periods fit
            shown += 1
    assert shown >= 3
    w.select_unit("771")
    w.period.set_month(Month(2024, 5))  # 30 flagged units (June has none)
    qtbot.waitUntil(lambda: w.deviations.model.rowCount() >= 30, timeout=20000)
    assert assert_fitted(w.deviations.view) == 4
    w.period.set_month(Month(2024, 6))
    w.tabs.setCurrentWidget(w.register)
    entry = w.register.entry
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == "utfall:ekonomi:771:2024-06")
    assert assert_fitted(entry.table) >= 2


def test_a_long_table_is_sized_from_its_first_and_last_rows(qtbot):
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    assert sample_rows(10) == list(range(10))
    assert sample_rows(1000) == [*range(SAMPLE_ROWS // 2), *range(1000 - SAMPLE_ROWS // 2, 1000)]
    model = QStandardItemModel(1000, 2)
    model.setHorizontalHeaderLabels(["Kod", "Belopp"])
    for r in range(1000):
        model.setItem(r, 0, QStandardItem(f"V{r:04d}"))
        model.setItem(r, 1, QStandardItem(str(r)))
    model.setItem(999, 1, QStandardItem("−12 345 678"))  # a total, last
    model.setItem(500, 0, QStandardItem("en mycket lång text mitt i tabellen"))  # not sampled
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    fit_columns(view)
    header = view.horizontalHeader()
    assert header.sectionSize(1) == view.sizeHintForIndex(model.index(999, 1)).width() + 1
    assert header.sectionSize(0) < view.sizeHintForIndex(model.index(500, 0)).width()
    assert header.sectionSize(0) >= view.sizeHintForIndex(model.index(0, 0)).width()
