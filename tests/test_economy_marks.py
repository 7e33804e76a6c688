"""Marks in the Ekonomi table, the chart, ``deviations --json`` and the reports: a total resting
on units that have not all reported, and a stated total that differs from its children."""

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.gui.context import AppContext
from socdesk.gui.economy_model import COLUMNS, MARK_ROLE, MISMATCH, PARTIAL
from socdesk.gui.main_window import MainWindow
from socdesk.io.seeds import open_database
from socdesk.reports.board import Kind, build
from socdesk.reports.economy import UtfallCoverage, ViewMode

COL = {key: i for i, (key, _t, _k) in enumerate(COLUMNS)}
JUNE = [("7762", 3_000_000), ("7711", 1_000_000), ("7712", 500_000)]  # 3 of 771's 15 verksamheter
NB = "\u00a0"
# Showing a tooltip raises its window, which the offscreen platform cannot do (harmless there).
TOOLTIP = pytest.mark.qt_log_ignore("This plugin does not support raise")
PARTIAL_TEXT = "3 av 15 underliggande enheter har utfall för juni 2024."


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def add_june(db):
    store = open_database(db)
    key = lambda c: FactKey(c, "netto", Scenario.ACTUAL, Period.month(2024, 6))  # noqa: E731
    store.write_facts([Fact(key(c), Value.of(v)) for c, v in JUNE], source="test")
    store.close()


def open_window(qtbot, db, tmp_path):
    store = open_database(db)
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def june_window(qtbot, demo_db, tmp_path):
    add_june(demo_db)
    w = open_window(qtbot, demo_db, tmp_path)
    yield w
    w.close()
    w.ctx.store.close()


def row_of(model, label):
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data() == label)


def view_tooltip(qtbot, view, index):
    """What the view shows when the mouse rests on the cell (a real help event)."""
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    QToolTip.hideText()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    return QToolTip.text()


@TOOLTIP
def test_771s_stated_arsbudget_is_marked_with_the_finding_of_check(qtbot, workspace, demo_db):
    """771's Summa Årsbudget is 134 114 (the summary page) while its verksamheter sum to 139 324."""
    model = workspace.economy.model
    assert workspace.period.current_month() == Month(2024, 5)
    findings = json.loads(socdesk("check", "--db", demo_db, "--json").stdout)
    finding = next(f for f in findings if f["rule"] == "sum_mismatch" and f["unit"] == "771")
    assert f"134{NB}114 tkr men summan av underliggande enheter är 139{NB}324 tkr" in finding["message"]
    total = row_of(model, "Summa 771 Äldreomsorg")
    cell = model.index(total, COL["annual_budget"])
    assert cell.data(MARK_ROLE) == (MISMATCH,)
    assert cell.data() == "134\u00a0114 ≠"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == f"≠ {finding['message']}"
    # the Summa row is pinned under the table: its cell is pointed at there
    assert view_tooltip(qtbot, *workspace.economy.shown_at(cell)) == f"≠ {finding['message']}"
    # the figures that reconcile carry no mark, and no total here rests on missing utfall
    for r in range(model.rowCount()):
        for c in range(len(COLUMNS)):
            if (r, c) != (total, COL["annual_budget"]):
                assert model.index(r, c).data(MARK_ROLE) in (None, ()), (r, c)
    assert workspace.economy.marks_note.isVisible()
    assert "≠ Den angivna summan stämmer inte" in workspace.economy.marks_note.text()
    assert "◔" not in workspace.economy.marks_note.text()
    # 771 seen from above: its row in the board's table carries the same mark
    workspace.select_unit("SN")
    qtbot.waitUntil(lambda: model.table is not None and model.table.unit.code == "SN")
    cell = model.index(row_of(model, "771 Äldreomsorg"), COL["annual_budget"])
    assert cell.data(MARK_ROLE) == (MISMATCH,) and finding["message"] in cell.data(
        Qt.ItemDataRole.ToolTipRole
    )


@TOOLTIP
def test_a_partial_month_is_marked_in_the_table_with_a_tooltip(qtbot, june_window):
    w = june_window
    model = w.economy.model
    w.select_unit("771")
    w.period.set_month(Month(2024, 6))
    w.period.mode.setCurrentIndex(list(ViewMode).index(ViewMode.MONTH))
    qtbot.waitUntil(lambda: model.table is not None and model.table.mode is ViewMode.MONTH)
    total = row_of(model, "Summa 771 Äldreomsorg")
    cell = model.index(total, COL["actual"])
    assert cell.data() == "4\u00a0500 ◔"  # 7762 + 7711 + 7712 alone
    assert cell.data(MARK_ROLE) == (PARTIAL,)
    tip = f"◔ Ofullständig summa: {PARTIAL_TEXT} Summan räknar bara med dem som har."
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == tip
    assert view_tooltip(qtbot, *w.economy.shown_at(cell)) == tip
    # a verksamhet's own figure does not rest on anyone
    hem = model.index(row_of(model, "7762 Hemtjänst"), COL["actual"])
    assert hem.data() == "3\u00a0000" and hem.data(MARK_ROLE) == ()
    assert "◔ Ofullständig summa" in w.economy.marks_note.text()
    # the board: 771's row and the board's total both rest on the 3 (of 76 units expected)
    w.select_unit("SN")
    qtbot.waitUntil(lambda: model.table.unit.code == "SN")
    row771 = model.index(row_of(model, "771 Äldreomsorg"), COL["actual"])
    assert row771.data(MARK_ROLE) == (PARTIAL,) and PARTIAL_TEXT in row771.data(Qt.ItemDataRole.ToolTipRole)
    board = model.index(row_of(model, "Summa SN Socialnämnd"), COL["actual"])
    assert board.data() == "4\u00a0500 ◔"
    assert "3 av 76 underliggande enheter har utfall för juni 2024." in board.data(
        Qt.ItemDataRole.ToolTipRole
    )
    # May: everyone reported (jan–maj) – no partial mark anywhere
    w.period.set_month(Month(2024, 5))
    qtbot.waitUntil(lambda: model.table.month == Month(2024, 5))
    assert all(PARTIAL not in model.index(r, COL["actual"]).data(MARK_ROLE) for r in range(model.rowCount()))


def test_the_monthly_chart_marks_the_partial_month(qtbot, june_window):
    w = june_window
    w.select_unit("771")
    w.period.set_month(Month(2024, 6))
    w.tabs.setCurrentIndex(1)
    chart = w.chart
    qtbot.waitUntil(lambda: chart.series is not None and chart.series.through == 6)
    assert [c is not None for c in chart.series.partial] == [False] * 5 + [True]
    assert chart.series.partial[5].text == PARTIAL_TEXT
    assert f"Ofullständigt utfall jun (ljus stapel): {PARTIAL_TEXT}" in chart.note.text()
    from socdesk.gui.monthly_chart import PARTIAL

    # only June has a monthly utfall (jan–maj is stated together): one bar, light, no zero bars
    assert [round(x, 2) for x in chart.actual_bars.opts["x"]] == [5.82]
    assert chart.actual_bars.opts["brushes"][0].color().getRgb()[:3] == PARTIAL[:3]
    assert PARTIAL_TEXT in chart.month_text(6) and "ofullständigt" not in chart.month_text(5)


def test_deviations_json_and_the_reports_say_a_total_is_partial(demo_db):
    add_june(demo_db)
    r = socdesk("deviations", "--db", demo_db, "--period", "2024-06", "--unit", "771", "--json")
    assert r.returncode == 0, r.stderr
    by = {row["unit"]: row for row in json.loads(r.stdout)}
    assert by["771"]["partial"] == {"month": "2024-06", "reporting": 3, "expected": 15, "text": PARTIAL_TEXT}
    assert all(by[c]["partial"] is None for c in by if c != "771")
    assert [m["field"] for m in by["771"]["mismatches"]] == ["annual_budget"]
    may = json.loads(socdesk("deviations", "--db", demo_db, "--period", "2024-05", "--json").stdout)
    assert all(row["partial"] is None for row in may)
    store = open_database(demo_db)
    try:
        monthly = build(store, Kind.MONTHLY, "SN", Month(2024, 6), draft_check=False)
        legend = monthly.tables()[0].legend
        assert f"771 Äldreomsorg: {PARTIAL_TEXT.rstrip('.')}" in legend
        assert "Totalt: 3 av 76 underliggande enheter har utfall för juni 2024" in legend
        assert "Ofullständigt" not in build(store, Kind.MONTHLY, "SN", Month(2024, 5)).tables()[0].legend
    finally:
        store.close()


def test_which_units_are_expected_to_report(tmp_path):
    """The rule of docs/reports.md on a small board: a unit without budget or earlier utfall is
    not expected; a program stating its own utfall for the month reports for its children."""
    store = open_database(tmp_path / "t.db")
    store.add_units(
        [
            Unit("B", "Nämnd"),
            Unit("P1", "Program 1", "B"),
            Unit("P2", "Program 2", "B"),
            Unit("V1", "V1", "P1"),
            Unit("V2", "V2", "P1"),
            Unit("V3", "V3 (ny, utan budget)", "P1"),
            Unit("V4", "V4", "P2"),
        ]
    )

    def fact(unit, scenario, period, v):
        return Fact(FactKey(unit, "netto", scenario, period), Value.of(v))

    year, mar, apr = Period.year(2024), Period.month(2024, 3), Period.month(2024, 4)
    store.write_facts(
        [
            fact("V1", Scenario.BUDGET, year, 1200),
            fact("V2", Scenario.ACTUAL, mar, 100),  # no budget, but utfall before april
            fact("V1", Scenario.ACTUAL, apr, 100),
            fact("P2", Scenario.ACTUAL, apr, 70),  # the program states april itself
            fact("V4", Scenario.BUDGET, year, 900),
        ],
        source="test",
    )
    cov = UtfallCoverage.of(store, store.unit_tree(), 2024)
    april = Month(2024, 4)
    p1 = cov.at("P1", april)
    assert (p1.reporting, p1.expected, p1.partial) == (1, 2, True)  # V1 of V1, V2 (V3 not expected)
    assert cov.at("P2", april) is None  # stated on itself: does not rest on V4
    b = cov.at("B", april)
    assert (b.reporting, b.expected) == (2, 3)  # V1 and P2 of V1, V2, P2
    assert cov.at("V1", april) is None  # a leaf rests on nobody
    march = cov.at("P1", Month(2024, 3))
    assert (march.reporting, march.expected) == (1, 2)  # V1 is budgeted: expected in march too
    assert cov.at("P1", Month(2025, 4)) is None  # another year
    store.close()
