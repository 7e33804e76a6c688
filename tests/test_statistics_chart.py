"""Statistik's trend chart as the user meets it: the same style and buttons as Månad för månad
(``gui/chart_style.py``): a sentence for a unit without statistics, Swedish ticks, a zero
baseline, a year without a figure as a gap, the legend under the plot, Kopiera and Spara som
bild … (PNG and SVG) through the buttons. Figures are 001's (Familjehem vuxna)."""

import math

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication

from socdesk.gui.context import AppContext
from socdesk.gui.main_window import MainWindow
from socdesk.io.seeds import open_database

NB = "\u00a0"


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    store = open_database(demo_db)
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    store.close()


def open_statistics(qtbot, w, code):
    qtbot.mouseClick(w.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=w.tabs.tabBar().tabRect(2).center())
    qtbot.waitUntil(lambda: w.tabs.currentWidget() is w._statistics)
    w.select_unit(code)
    qtbot.waitUntil(lambda: w.statistics.model.table is not None and w.statistics.model.table.unit == code)
    return w.statistics


def click_row(qtbot, view, name):
    m = view.model
    r = next(r for r in range(m.rowCount()) if m.index(r, 0).data() == name)
    table = view.table
    table.scrollTo(m.index(r, 0))
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(m.index(r, 0)).center()
    )
    qtbot.waitUntil(lambda: view.chart.row is not None and view.chart.row.name == name.removesuffix(" *"))


def test_a_unit_without_statistics_gets_a_sentence_not_empty_axes(qtbot, window):
    view = open_statistics(qtbot, window, "7762")
    chart = view.chart
    assert view.model.rowCount() == 0
    assert chart.stack.currentWidget() is chart.empty and chart.empty.isVisible()
    assert chart.empty.text() == "Ingen verksamhetsstatistik för 7762 Hemtjänst."
    assert not chart.copy.isEnabled() and not chart.save.isEnabled()


def test_the_trend_of_a_computed_key_figure_in_swedish(qtbot, window):
    view = open_statistics(qtbot, window, "N-VUX-FH")
    chart = view.chart
    click_row(qtbot, view, "Nettokostnad per dygn (beräknad) *")
    assert chart.stack.currentWidget() is chart.plots
    xs, ys = chart.line.getData()
    # 2019 has no figure: an empty slot on the axis, not a point at zero
    assert list(xs) == [0, 1, 2, 3, 4] and math.isnan(ys[0])
    assert [round(y) for y in ys[1:]] == [1793, 2171, 2789, 2223]
    bottom = chart.plot.getAxis("bottom")
    assert [label for _x, label in bottom._tickLevels[0]] == ["2019", "2020", "2021", "2022", "2023"]
    low, high = chart.plot.viewRange()[1]
    assert low <= 0 < high  # from zero
    axis = chart.plot.getAxis("left")
    levels = axis.tickValues(low, high, axis.geometry().height())
    spacing, values = levels[0]
    strings = axis.tickStrings(values, 1, spacing)
    assert f"2{NB}000" in strings or f"1{NB}000" in strings, strings
    assert not any("," in s and s.endswith("000") for s in strings)  # never "1,000"
    assert not chart.legend.sceneBoundingRect().intersects(chart.plot.vb.sceneBoundingRect())
    assert [label.text for _item, label in chart.legend.items] == [
        "Nettokostnad per dygn (beräknad) (kr/dygn)"
    ]
    assert chart.point_text(2) == f"2021: 2{NB}171 kr/dygn"


@pytest.mark.qt_log_ignore("This plugin does not support", extend=True)
def test_kopiera_and_spara_png_and_svg_through_the_buttons(qtbot, window, tmp_path, file_dialog_answers):
    view = open_statistics(qtbot, window, "N-VUX-FH")
    chart = view.chart
    click_row(qtbot, view, "Antal vårddygn")
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(chart.copy, Qt.MouseButton.LeftButton)
    image = QGuiApplication.clipboard().image()
    assert image.width() > 200 and image.height() > 100
    png, svg = tmp_path / "vårddygn.png", tmp_path / "vårddygn.svg"
    asked = file_dialog_answers([png])
    qtbot.mouseClick(chart.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(png.exists)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    file_dialog_answers([svg])
    qtbot.mouseClick(chart.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(svg.exists)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "<title>Antal vårddygn</title>" in text
    assert asked == ["Spara diagram", "Spara diagram"]
