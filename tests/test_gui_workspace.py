"""The workspace driven as a user would: clicks, keys, typing; figures re-derived from the seeds."""

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication

from socdesk.core.flags import Level
from socdesk.core.numbers import Scale
from socdesk.core.periods import Month, Period, parse_period
from socdesk.gui.context import AppContext
from socdesk.gui.economy_model import COLUMNS, EconomyModel
from socdesk.gui.main_window import MainWindow
from socdesk.gui.statistics_view import StatisticsModel
from socdesk.gui.unit_tree_model import UnitTreeModel
from socdesk.io.seeds import open_database
from socdesk.reports.economy import ViewMode, economy_table
from socdesk.reports.statistics import statistics_table

NB = "\u00a0"
COL = {key: i for i, (key, _t, _k) in enumerate(COLUMNS)}


def open_window(qtbot, db, settings_path):
    store = open_database(db)
    ctx = AppContext(store, QSettings(str(settings_path), QSettings.Format.IniFormat))
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    w = open_window(qtbot, demo_db, tmp_path / "s.ini")
    yield w
    w.close()
    w.ctx.store.close()


def type_text(widget, text):
    """Real key events carrying text, å, ä and ö included (QTest's keyClicks only knows ASCII)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def click_unit(qtbot, w, code):
    w.units.select(code)  # make it visible (expands ancestors) …
    view = w.units.view
    rect = view.visualRect(view.currentIndex())
    view.clearSelection()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # … then click it
    qtbot.waitUntil(lambda: w.current_unit == code)


def rows(w):
    m = w.economy.model
    return {
        m.index(r, 0).data(): [m.index(r, c).data() for c in range(1, m.columnCount())]
        for r in range(m.rowCount())
    }


def cell(w, unit_label, key):
    return rows(w)[unit_label][COL[key] - 1]


def test_clicking_a_program_shows_its_verksamheter_with_003s_figures(qtbot, window):
    with qtbot.waitSignal(window.unit_selected, timeout=2000) as blocker:
        click_unit(qtbot, window, "771")
    assert blocker.args == ["771"]
    assert window.period.current_month() == Month(2024, 5)
    r = rows(window)
    assert r["7762 Hemtjänst"][1:7] == [
        f"17{NB}175",
        f"15{NB}169",
        f"−2{NB}006",
        f"−13,2{NB}%",
        f"35{NB}178",
        f"48,8{NB}%",
    ]
    assert r["7779 Avgifter hemtjänst"][1:4] == [f"−1{NB}288", f"−1{NB}085", "203"]
    # the total row is the program's own stated figures (134 114, not the verksamheter's 139 324),
    # marked ≠ since they differ (tests/test_economy_marks.py reads the mark's tooltip)
    assert r["Summa 771 Äldreomsorg"][1:6] == [
        f"58{NB}611",
        f"57{NB}760",
        "−851",
        f"−1,5{NB}%",
        f"134{NB}114 ≠",
    ]
    assert "Socialnämnd › 771 Äldreomsorg" in window.breadcrumb.text()


def test_drill_down_with_double_click_and_up_with_backspace(qtbot, window):
    click_unit(qtbot, window, "SN")
    view = window.economy.table
    row = window.economy.model.row_of("754")
    rect = view.visualRect(window.economy.model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # press lands first
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_unit == "754")
    assert cell(window, "7543 Vård för barn, familjehem", "actual") == f"3{NB}075"
    assert cell(window, "Summa 754 Myndighet", "variance") == f"−1{NB}721"
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: window.current_unit == "SN")
    assert cell(window, "Summa SN Socialnämnd", "actual") == f"141{NB}388"


def test_period_view_modes_and_scale(qtbot, window):
    click_unit(qtbot, window, "N")
    qtbot.waitUntil(lambda: window.period.current_month() == Month(2023, 4))
    assert cell(window, "Summa N Socialnämnden Nacka", "actual") == f"332{NB}600"
    assert cell(window, "Summa N Socialnämnden Nacka", "forecast") == f"1{NB}008{NB}400"
    assert cell(window, "Summa N Socialnämnden Nacka", "forecast_variance") == f"2{NB}000"
    window.period.scale.setCurrentIndex(list(Scale).index(Scale.MNKR))
    assert cell(window, "Summa N Socialnämnden Nacka", "actual") == "332,6"
    assert (
        cell(window, ["1", "Barn och unga 0–20 år"][1] and "N-BOU Barn och unga 0–20 år", "variance")
        == "−2,1"
    )
    assert window.economy.model.headerData(COL["actual"], Qt.Orientation.Horizontal) == "Utfall\n(mnkr)"
    # T1 viewed as a month (April) has no stated figure: nothing is invented
    window.period.mode.setCurrentIndex(list(ViewMode).index(ViewMode.MONTH))
    assert cell(window, "Summa N Socialnämnden Nacka", "actual") == "–"
    window.period.mode.setCurrentIndex(list(ViewMode).index(ViewMode.TERTIAL))
    assert cell(window, "Summa N Socialnämnden Nacka", "actual") == "332,6"
    window.period.month.setCurrentIndex(2)  # March: year to date no longer the stated tertial
    window.period.mode.setCurrentIndex(list(ViewMode).index(ViewMode.YTD))
    assert window.period.label.text() == "(K1 2023)"  # jan–mar is the first quarter


def test_flags_show_symbol_text_and_reason(qtbot, window):
    click_unit(qtbot, window, "771")
    m = window.economy.model
    r = m.row_of("7762")
    flag = m.index(r, COL["flag"])
    assert flag.data() == "■ Röd"
    tip = flag.data(Qt.ItemDataRole.ToolTipRole)
    assert f"Avvikelse hittills i år −2{NB}006 tkr (−13,2{NB}%)" in tip
    assert "röd gräns" in tip
    assert m.index(m.row_of("7401"), COL["flag"]).data() == "✓ Grön"
    assert m.index(r, COL["variance"]).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_sorting_keeps_the_total_last_and_copy_gives_excel_numbers(qtbot, window):
    click_unit(qtbot, window, "771")
    m = window.economy.model
    window.economy.table.sortByColumn(COL["variance"], Qt.SortOrder.AscendingOrder)
    assert m.index(0, 0).data() == "7762 Hemtjänst"  # worst first
    assert m.index(m.rowCount() - 1, 0).data() == "Summa 771 Äldreomsorg"
    window.economy.table.selectRow(0)
    window.economy.table.setFocus()
    qtbot.keyClick(window.economy.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    header, first = text.splitlines()[:2]
    assert header.split("\t")[:4] == ["Enhet", "Flagga", "Utfall (tkr)", "Budget (tkr)"]
    assert first.split("\t")[:7] == ["7762 Hemtjänst", "■ Röd", "17175", "15169", "-2006", "-13,2", "35178"]


def test_filter_keeps_ancestors_and_selects_from_the_filtered_tree(qtbot, window):
    type_text(window.units.filter, "hemtjänst")
    assert window.units.filter.text() == "hemtjänst"
    model = window.units.model
    visible = []

    def walk(parent):
        for r in range(model.rowCount(parent)):
            i = model.index(r, 0, parent)
            visible.append(i.data())
            walk(i)

    walk(window.units.view.rootIndex())
    assert "7762 Hemtjänst" in visible and "7764 Trygghetslarm hemtjänst" in visible
    assert "771 Äldreomsorg" in visible and "SN Socialnämnd" in visible  # ancestors stay
    assert "N-FN-HT Hemtjänst" in visible
    assert "7400 ÄO Ledning" not in visible
    click_unit(qtbot, window, "7762")
    assert cell(window, "Summa 7762 Hemtjänst", "actual") == f"17{NB}175"
    window.units.filter.clear()
    assert window.units.current_code() == "7762"


def test_comment_is_saved_audited_and_found_after_reopening(qtbot, demo_db, tmp_path):
    w = open_window(qtbot, demo_db, tmp_path / "s.ini")
    click_unit(qtbot, w, "771")
    m = w.economy.model
    w.economy.table.selectRow(m.row_of("7762"))
    assert "7762 Hemtjänst" in w.economy.comment_title.text()
    type_text(w.economy.comment, "Fler brukare med dubbelbemanning; åtgärdsplan i juni.")
    with qtbot.waitSignal(w.deviations_updated, timeout=5000):
        qtbot.mouseClick(w.economy.save_comment, Qt.MouseButton.LeftButton)
    assert w.economy.model.row(w.economy.model.row_of("7762")).comment.startswith("Fler brukare")
    # the saved text stays in view: the selection is kept, with who saved it
    assert w.economy.table.currentIndex().row() == m.row_of("7762")
    assert "7762 Hemtjänst" in w.economy.comment_title.text()
    assert w.economy.comment.toPlainText() == "Fler brukare med dubbelbemanning; åtgärdsplan i juni."
    assert "Senast sparad av" in w.economy.comment_info.text()
    panel = w.deviations.model
    row = next(r for r in panel.rows if r.unit.code == "7762")
    assert row.comment.startswith("Fler brukare")
    w.close()
    w.ctx.store.close()

    w2 = open_window(qtbot, demo_db, tmp_path / "s.ini")  # reopens on the unit last shown
    assert w2.current_unit == "771"
    history = w2.ctx.store.comment_history("7762", "2024-01/2024-05")
    assert history[-1]["text"] == "Fler brukare med dubbelbemanning; åtgärdsplan i juni."
    assert history[-1]["author"]
    w2.economy.table.selectRow(w2.economy.model.row_of("7762"))
    assert w2.economy.comment.toPlainText() == "Fler brukare med dubbelbemanning; åtgärdsplan i juni."
    assert "Senast sparad av" in w2.economy.comment_info.text()
    w2.close()
    w2.ctx.store.close()


def test_deviations_panel_lists_worst_first_and_clicking_selects(qtbot, window):
    click_unit(qtbot, window, "SN")
    qtbot.waitUntil(lambda: window.deviations.model.rowCount() > 0 and not window.deviation_runner.busy)
    panel = window.deviations.model
    levels = [r.flag.level for r in panel.rows]
    assert levels == sorted(levels, reverse=True) and Level.GREEN not in levels
    codes = [r.unit.code for r in panel.rows]
    assert "7762" in codes and "saknar avvikelseanalys" in window.deviations.summary.text()
    i = codes.index("7852")
    rect = window.deviations.view.visualRect(panel.index(i, 1))
    qtbot.mouseClick(window.deviations.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_unit == "7852")


def test_monthly_chart_items_are_updated_with_reconstructed_budget(qtbot, window):
    click_unit(qtbot, window, "771")
    window.tabs.setCurrentWidget(window.chart)
    qtbot.waitUntil(lambda: window.chart.series is not None)
    s = window.chart.series
    assert s.cum_actual[4] == 58_611_000 and s.cum_budget[4] == 57_760_000 and s.cum_budget[11] == 134_114_000
    xs, ys = window.chart.cum_budget.getData()
    assert list(xs) == list(range(1, 13)) and ys[4] == pytest.approx(57760.0)
    xs, ys = window.chart.run_rate.getData()
    # at the pace of the periodised budget: årsbudget × utfall ÷ budget jan–maj
    assert list(xs) == [5, 12] and ys[1] == pytest.approx(134114 * 58611 / 57760)
    assert "fördelad från årsbudget" in window.chart.note.text()
    assert window.chart.month_text(5).startswith("maj 2024:")
    png = window.chart.plots.grab().toImage()
    assert png.width() > 100
    path = window.ctx.database_path.with_name("diagram.png")
    assert window.chart.save_png(path) and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"ack. utfall 58{NB}611" in window.chart.month_text(5)


def test_the_monthly_chart_for_the_nämnd(qtbot, window, tmp_path, file_dialog_answers):
    """No bar of height 0 for a month without utfall; amounts from a zero baseline; the utfall
    so far said at its point; copied as an image and saved as SVG through the buttons; a unit
    without figures shows a sentence, not empty axes."""
    from PySide6.QtGui import QGuiApplication

    click_unit(qtbot, window, "771")
    window.tabs.setCurrentWidget(window.chart)
    chart = window.chart
    qtbot.waitUntil(lambda: chart.series is not None)
    assert list(chart.actual_bars.opts["x"]) == []  # 771 states jan–maj together: no monthly bars
    assert len(chart.budget_bars.opts["x"]) == 12
    for plot in (chart.monthly, chart.cumulative):
        low, high = plot.viewRange()[1]
        assert low <= 0 < high
    assert chart.cum_actual_label.isVisible()
    assert chart.cum_actual_label.toPlainText().replace(NB, " ") == "Utfall jan–maj: 58 611 tkr"
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(chart.copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().image().width() > 100
    target = tmp_path / "diagram.svg"
    asked = file_dialog_answers([target])
    qtbot.mouseClick(chart.save, Qt.MouseButton.LeftButton)
    assert asked == ["Spara diagram"]
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "Årsbudget" in text
    assert chart.stack.currentWidget() is chart.plots
    click_unit(qtbot, window, "STH-JAR")  # Järva: statistics only in the demo, no economy
    qtbot.waitUntil(lambda: chart.stack.currentWidget() is chart.empty)
    assert chart.empty.text() == "Inga uppgifter för STH-JAR Järva 2024."
    assert not chart.save.isEnabled()


def test_statistics_tab_shows_volumes_and_computed_key_figures(qtbot, window):
    window.tabs.setCurrentWidget(window.statistics)
    click_unit(qtbot, window, "N-VUX-FH")
    m = window.statistics.model
    names = [m.index(r, 0).data() for r in range(m.rowCount())]
    assert "Antal vårddygn" in names and "Nettokostnad per dygn (beräknad) *" in names
    heads = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert heads[1:6] == ["2019", "2020", "2021", "2022", "2023"] and "K1 2023" in heads
    r = names.index("Nettokostnad per dygn (beräknad) *")
    assert [m.index(r, c).data() for c in range(1, 6)] == [
        "–",
        f"1{NB}793",
        f"2{NB}171",
        f"2{NB}789",
        f"2{NB}223",
    ]
    # unique persons are never summed: the parent has no figure of its own
    click_unit(qtbot, window, "N-VUX-HDV")
    names = [m.index(r, 0).data() for r in range(m.rowCount())]
    r = names.index("Antal unika personer")
    assert m.index(r, 5).data() == "87"  # stated for the total in 001, not the sum of the forms


def test_flag_rules_dialog_changes_the_flags_and_is_stored(qtbot, window):
    """Inställningar → Flaggregler as a user: the thresholds shown in Swedish (5 000 tkr, 1,0 %),
    typed in Swedish, OK pressed; the flags follow and the rules are stored."""
    from PySide6.QtWidgets import QDialogButtonBox

    click_unit(qtbot, window, "771")
    m = window.economy.model
    window.rules_action.trigger()
    dialog = window.flag_rules_dialog
    qtbot.waitUntil(dialog.isVisible)
    pct = dialog.fields[("ytd", 2, "yellow", "pct")]
    assert "," in pct.text() and "." not in pct.text()  # 1,0 – not 1.0
    big = dialog.fields[("ytd", 0, "red", "kr")]
    big.setValue(5000)
    assert big.text() == "5\u00a0000"  # 5 000 tkr – never 5,000 (read as 5 tkr)

    def type_into(field, text):
        field.lineEdit().selectAll()
        qtbot.keyClicks(field.lineEdit(), text)
        field.interpretText()

    type_into(dialog.fields[("ytd", 2, "red", "kr")], "5 000")  # a plain space, as typed
    type_into(dialog.fields[("run_rate", 2, "red", "kr")], "9 000")
    type_into(dialog.fields[("run_rate", 2, "yellow", "kr")], "8 000")
    type_into(dialog.fields[("ytd", 2, "yellow", "pct")], "2,5")
    assert dialog.fields[("ytd", 2, "red", "kr")].value() == 5000
    assert dialog.fields[("ytd", 2, "yellow", "pct")].value() == 2.5
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert m.index(m.row_of("7762"), COL["flag"]).data() == "▲ Gul"  # 7762 no longer red on ytd
    from decimal import Decimal

    from socdesk.reports.economy import flag_rules

    stored = flag_rules(window.ctx.store).for_depth("ytd", 2)
    assert (stored.red.kr, stored.yellow.pct) == (Decimal(5_000_000), Decimal("2.5"))


def test_flag_rules_dialog_refuses_red_below_yellow_and_keeps_the_rules(qtbot, window):
    from PySide6.QtWidgets import QDialogButtonBox

    before = window.ctx.store.setting("flag_rules")
    window.rules_action.trigger()
    dialog = window.flag_rules_dialog
    dialog.fields[("ytd", 1, "yellow", "kr")].setValue(900)
    dialog.fields[("ytd", 1, "red", "kr")].setValue(100)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "röd gräns kan inte vara lägre än gul" in dialog.error.text()
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert window.ctx.store.setting("flag_rules") == before


def test_models_pass_qtmodeltester(qtmodeltester, demo_db):
    store = open_database(demo_db)
    qtmodeltester.check(UnitTreeModel(store.unit_tree()))
    economy = EconomyModel()
    economy.set_table(economy_table(store, "771", Month(2024, 5)))
    qtmodeltester.check(economy)
    stats = StatisticsModel()
    stats.set_table(statistics_table(store, "N-BOU-HDV"))
    qtmodeltester.check(stats)
    from socdesk.gui.deviations_panel import DeviationsModel
    from socdesk.reports.economy import deviations

    dev = DeviationsModel()
    dev.set_rows(deviations(store, Month(2024, 5), "SN", flagged_only=True))
    qtmodeltester.check(dev)
    store.close()


def test_window_state_and_unit_are_remembered(qtbot, demo_db, tmp_path):
    w = open_window(qtbot, demo_db, tmp_path / "s.ini")
    click_unit(qtbot, w, "754")
    w.units.view.collapse(w.units.model.index_of("754"))
    w.units.expand("771")
    w.close()
    w.ctx.store.close()
    w2 = open_window(qtbot, demo_db, tmp_path / "s.ini")
    assert w2.current_unit == "754"
    assert w2.units.view.isExpanded(w2.units.model.index_of("771"))
    assert parse_period("2024-05").end == w2.period.current_month()
    w2.close()
    w2.ctx.store.close()


def test_locking_reopening_and_history_from_the_workspace(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from socdesk.core.roles import Role
    from socdesk.gui import history_dialog

    click_unit(qtbot, window, "771")
    assert not window.lock_action.isEnabled()  # a handläggare may not lock
    window.role_actions[Role.CONTROLLER].trigger()
    assert window.lock_action.isEnabled() and not window.reopen_action.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.lock_action.trigger()
    assert "Låst" in window.period.lock_label.text()
    assert window.ctx.store.locked("7762", Period.month(2024, 5))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("Sen faktura", True))
    window.reopen_action.trigger()
    assert window.period.lock_label.text() == ""
    assert window.ctx.store.lock_events()[-1]["reason"] == "Sen faktura"
    window.lock_tertial_action.trigger()  # maj–aug
    assert window.ctx.store.locked("7762", Period.month(2024, 8))
    assert not window.ctx.store.locked("7762", Period.month(2024, 4))
    window.reopen_action.trigger()  # the lock that covers the month: the tertial
    assert window.ctx.store.locks() == [] and window.ctx.store.lock_events()[-1]["period"] == "2024-T2"

    seen = []

    def exec_(dialog):
        m = dialog.model
        heads = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
        seen.append(
            [heads] + [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]
        )
        return 0

    monkeypatch.setattr(history_dialog.HistoryDialog, "exec", exec_)
    window.economy.table.selectRow(window.economy.model.row_of("7762"))
    window.history_action.trigger()
    heads, *rows = seen[0]
    assert heads[3:5] == ["Från (tkr)", "Till (tkr)"]  # in the scale the form and table show
    assert len(rows) == 4  # utfall, budget and avvikelse jan–maj and årsbudget, each imported once
    assert all(r[5] == "import (003_budgetuppfoljning_maj_2024.csv)" for r in rows)
    assert {r[4] for r in rows} == {f"17{NB}175", f"15{NB}169", f"−2{NB}006", f"35{NB}178"}
    seen.clear()
    window.period.scale.setCurrentIndex(window.period.scale.findData(Scale.KR))  # Visa i: kr
    window.history_action.trigger()
    heads, *rows = seen[0]
    assert heads[3:5] == ["Från (kr)", "Till (kr)"]
    assert f"17{NB}175{NB}000" in {r[4] for r in rows}


def test_history_figures_are_exact_in_the_scale_shown():
    from socdesk.gui.history_dialog import _value

    assert _value(171_754_320_000, "value", Scale.TKR) == f"17{NB}175,432"  # never rounded away
    assert _value(171_750_000_000, "value", Scale.TKR) == f"17{NB}175"
    assert _value(-20_060_000_000, "value", Scale.MNKR) == "−2,006"
    assert _value(None, None, Scale.TKR) == "–"


def test_hjalp_menu_guide_shortcuts_and_about(qtbot, window):
    """Hjälp → Användarguide (F1), Kortkommandon (read from the menus, so never out of date),
    Om socdesk (version, the database's path, where the logs are, licences)."""
    from PySide6.QtWidgets import QMenu

    from socdesk import __version__

    help_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Hjälp")
    guide, keys, about = help_menu.actions()
    assert guide.shortcut().toString() == "F1"
    guide.trigger()
    dialog = window.help_window
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.tabs.currentWidget() is dialog.guide
    text = dialog.guide.toPlainText()
    assert "användarguide" in text and "Importera" in text and "Lås månader" in text
    keys.trigger()
    table = dialog.keys
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    assert ("Ctrl+I", "Importera") in rows and ("Ctrl+H", "Visa historik för vald rad eller cell") in rows
    assert ("Ctrl+N", "Ny databas") in rows and ("F2", "redigera cellen") in rows
    about.trigger()
    assert dialog.tabs.currentWidget() is dialog.about
    lines = {
        dialog.about.item(r, 0).text(): dialog.about.item(r, 1).text() for r in range(dialog.about.rowCount())
    }
    assert lines["Version"] == __version__
    assert lines["Databas"] == str(window.ctx.database_path)
    assert "Licens: Qt / PySide6" in lines and "Loggar" in lines


def test_a_disabled_action_says_why(qtbot, window):
    from socdesk.core.roles import Role

    click_unit(qtbot, window, "771")
    window.role_actions[Role.CASEWORKER].trigger()
    assert not window.lock_action.isEnabled()
    assert "Bara en controller" in window.lock_action.toolTip()
    window.role_actions[Role.CONTROLLER].trigger()
    assert window.lock_action.isEnabled() and not window.reopen_action.isEnabled()
    assert window.reopen_action.toolTip() == "Månaden är inte låst."
    assert window.lock_action.menu() is None and window.menuBar().actions()[0].menu().toolTipsVisible()
