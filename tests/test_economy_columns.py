"""The Ekonomi table as a controller uses it on a 1280×800 laptop: every column without a
horizontal scrollbar, headers never cut, the Summa row always in view; columns to compare with
(utfall fg år, intäkter, kostnader, the budget as adopted) chosen in the header's menu and kept
over a restart. Figures checked against the demo's facts read straight from the store."""

import subprocess
import sys
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu

from socdesk.core.facts import Scenario
from socdesk.core.periods import Month, Period
from socdesk.gui.context import AppContext
from socdesk.gui.economy_model import COLUMNS, RAW_ROLE
from socdesk.gui.main_window import MainWindow
from socdesk.gui.settings import ECONOMY_COLUMNS
from socdesk.io.seeds import open_database
from socdesk.reports.economy import ViewMode, economy_table

NB = "\u00a0"
SUMMA_781 = f"29{NB}200"  # 003 s.1: 781 Funktionshinderomsorg, utfall jan–maj 2024 (tkr)
COL = {key: i for i, (key, _t, _k) in enumerate(COLUMNS)}


def open_window(qtbot, db, settings, size=(1280, 800)):
    store = open_database(db)
    w = MainWindow(AppContext(store, QSettings(str(settings), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def close(w):
    w.close()
    w.ctx.store.close()


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    w = open_window(qtbot, demo_db, tmp_path / "s.ini")
    yield w
    close(w)


def largest_program(store):
    """003's program with the most verksamheter (docs/seeds.md: programs under SN)."""
    tree = store.unit_tree()
    return max((u.code for u in tree.children("SN")), key=lambda c: len(tree.children(c)))


def shown(w, code):
    w.select_unit(code)
    QApplication.processEvents()
    assert w.economy.model.table.unit.code == code


def fits_without_scrolling(w):
    view = w.economy.table
    header = view.horizontalHeader()
    assert not view.horizontalScrollBar().isVisible()
    metrics = header.fontMetrics()
    for c in w.economy.shown_columns():
        text = w.economy.model.headerData(c, Qt.Orientation.Horizontal)
        for line in text.split("\n"):  # never "rognosavv."
            assert metrics.horizontalAdvance(line) <= header.sectionSize(c), (line, header.sectionSize(c))
    right = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in w.economy.shown_columns())
    assert right <= view.viewport().width()


def summa_in_view(w, code):
    model = w.economy.model
    total = next(r for r in range(model.rowCount()) if model.row(r).is_total)
    view, index = w.economy.shown_at(model.index(total, COL["actual"]))
    assert view.isVisible() and index.data() == model.index(total, COL["actual"]).data()
    rect = view.visualRect(index)
    assert not rect.isEmpty() and view.viewport().rect().contains(rect), (rect, view.viewport().rect())
    assert index.siblingAtColumn(0).data().startswith(f"Summa {code}")


def test_1280x800_shows_every_column_and_the_summa_row_of_003s_largest_program(qtbot, window):
    w = window
    code = largest_program(w.ctx.store)
    rows = len(w.tree.children(code))
    assert code == "781" and rows > 15
    shown(w, code)
    assert w.economy.model.rowCount() == rows + 1
    assert len(w.economy.shown_columns()) == 10  # the columns as before the menu
    fits_without_scrolling(w)
    assert w.economy.table.verticalScrollBar().isVisible()  # the rows do not all fit …
    summa_in_view(w, code)  # … the Summa row is pinned below them
    # and with the figures of 003's summary page in it
    model = w.economy.model
    total = next(r for r in range(model.rowCount()) if model.row(r).is_total)
    assert model.index(total, COL["actual"]).data() == SUMMA_781
    # the board's table too, in every view mode
    for mode in ViewMode:
        w.period.mode.setCurrentIndex(list(ViewMode).index(mode))
        fits_without_scrolling(w)
    shown(w, "SN")
    fits_without_scrolling(w)
    summa_in_view(w, "SN")


def test_at_1920_the_name_column_takes_the_width_not_the_last(qtbot, demo_db, tmp_path):
    w = open_window(qtbot, demo_db, tmp_path / "s.ini", size=(1920, 1080))
    try:
        shown(w, "771")
        header = w.economy.table.horizontalHeader()
        last = w.economy.shown_columns()[-1]
        assert w.economy.model.title(last) == "Prognosavvikelse (tkr)"
        assert header.sectionSize(last) < 100  # as wide as its figures, not over empty width
        assert header.sectionSize(0) > 600
        assert not w.economy.table.horizontalScrollBar().isVisible()
    finally:
        close(w)


# a popup menu grabs the keyboard, which the offscreen platform cannot (harmless, offscreen only)
MENU = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard", extend=True)


def header_menu(qtbot, w) -> QMenu:
    """Right-click the Ekonomi header: the column menu opens. QTest's click carries no
    context-menu event (the window system makes it from the click), so the one it makes is sent
    too, at the same point, if the click alone did not open the menu."""
    header = w.economy.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(COL["actual"]) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.RightButton, pos=pos)
    menu = w.economy.columns_menu
    if not menu.isVisible():
        from PySide6.QtGui import QContextMenuEvent

        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, header.viewport().mapToGlobal(pos))
        QApplication.sendEvent(header.viewport(), event)
    qtbot.waitUntil(menu.isVisible)
    return menu


def tick(qtbot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def stated(store, measure, period):
    """The demo's facts for the period, read from the store itself: {unit: Decimal kr}."""
    return {
        f.key.unit: f.value.number
        for f in store.facts(measure=measure, scenario=Scenario.ACTUAL, within=period)
        if f.key.period == period and not f.key.gender and not f.key.group and f.value.is_number
    }


@MENU
def test_utfall_fg_ar_chosen_in_the_header_menu_is_2023s_and_kept_after_a_restart(qtbot, demo_db, tmp_path):
    w = open_window(qtbot, demo_db, tmp_path / "s.ini")
    shown(w, "N")
    w.period.set_month(Month(2024, 4))
    w.period.mode.setCurrentIndex(list(ViewMode).index(ViewMode.TERTIAL))
    assert w.economy.model.table.period == Period.tertial(2024, 1)
    assert w.economy.table.isColumnHidden(COL["previous_actual"])
    menu = header_menu(qtbot, w)
    tick(qtbot, menu, "Utfall fg år (tkr)")
    qtbot.waitUntil(lambda: not w.economy.table.isColumnHidden(COL["previous_actual"]))
    assert "previous_actual" in ECONOMY_COLUMNS.get(w.ctx.settings)
    # beside Utfall on screen
    order = [COLUMNS[c][0] for c in w.economy.shown_columns()]
    assert order[order.index("actual") + 1] == "previous_actual"
    t1_2023 = stated(w.ctx.store, "netto", Period.tertial(2023, 1))
    model = w.economy.model
    checked = 0
    for r in range(model.rowCount()):
        row = model.row(r)
        cell = model.index(r, COL["previous_actual"])
        want = t1_2023.get(row.unit.code)
        assert cell.data(RAW_ROLE) == want, row.unit.code
        if want is not None:
            assert cell.data() == f"{want / 1000:,.0f}".replace(",", NB).replace("-", "−")
            checked += 1
        else:
            assert cell.data() == "–"  # no figure: empty, not 0
    assert checked == 7  # the six budgetrader and Summa N
    assert model.index(model.rowCount() - 1, COL["previous_actual"]).data() == f"332{NB}600"
    fits_without_scrolling(w)  # one more column still fits at 1280
    close(w)

    again = open_window(qtbot, demo_db, tmp_path / "s.ini")
    try:
        assert not again.economy.table.isColumnHidden(COL["previous_actual"])
        assert again.economy.column_actions["previous_actual"].isChecked()
        menu = header_menu(qtbot, again)
        tick(qtbot, menu, "Utfall fg år (tkr)")  # and off again
        qtbot.waitUntil(lambda: again.economy.table.isColumnHidden(COL["previous_actual"]))
        assert "previous_actual" not in ECONOMY_COLUMNS.get(again.ctx.settings)
    finally:
        close(again)


def test_intakter_kostnader_and_the_original_budget_from_the_kolumner_button(qtbot, window):
    w = window
    shown(w, "N")
    assert w.period.current_month() == Month(2023, 4)  # 004's tertial, year to date
    economy = w.economy
    for key in ("revenue", "cost", "original_budget", "previous_change"):
        economy.column_actions[key].trigger()  # the Kolumner … button's menu holds the same actions
    assert economy.columns_button.menu() is economy.columns_menu
    order = [COLUMNS[c][0] for c in economy.shown_columns()]
    assert order[:5] == ["unit", "flag", "revenue", "cost", "actual"]  # as 004: Intäkter, Kostnader, Netto
    t1 = Period.tertial(2023, 1)
    revenue, cost, net = (stated(w.ctx.store, m, t1) for m in ("intakter", "kostnader", "netto"))
    model = economy.model
    for r in range(model.rowCount()):
        code = model.row(r).unit.code
        assert model.index(r, COL["revenue"]).data(RAW_ROLE) == revenue.get(code)
        assert model.index(r, COL["cost"]).data(RAW_ROLE) == cost.get(code)
        if code in cost:  # Netto beside them as 004 prints it (rounded to 0,1 mnkr each, so
            # 66,1 − 3,2 = 62,9 against Netto 63,0 for Barn och unga)
            assert abs(cost[code] + revenue[code] - net[code]) <= Decimal(100000)
            assert model.index(r, COL["actual"]).data(RAW_ROLE) == net[code]
        # no ombudgetering in the demo: the budget as adopted is the budget
        assert model.index(r, COL["original_budget"]).data(RAW_ROLE) == model.index(r, COL["budget"]).data(
            RAW_ROLE
        )
        assert model.index(r, COL["previous_change"]).data() == "–"  # 2022 has no T1 figures
    summa = model.rowCount() - 1
    assert model.index(summa, COL["revenue"]).data() == f"−20{NB}300"
    assert model.index(summa, COL["cost"]).data() == f"352{NB}900"
    assert revenue["N"] == Decimal("-20300000")
    # sixteen columns are more than 1280 px hold: a scrollbar, and the Summa row still in view
    for key in ("previous_actual", "original_annual_budget"):
        economy.column_actions[key].trigger()
    assert len(economy.shown_columns()) == 16
    summa_in_view(w, "N")
    economy.columns_default.trigger()
    assert len(economy.shown_columns()) == 10
    fits_without_scrolling(w)


def test_copy_gives_the_columns_shown_in_their_order(qtbot, window):
    w = window
    shown(w, "N")
    w.economy.column_actions["revenue"].trigger()
    w.economy.table.selectRow(0)
    w.economy.table.setFocus()
    qtbot.keyClick(w.economy.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    header, first = QApplication.clipboard().text().splitlines()[:2]
    assert header.split("\t")[:4] == ["Enhet", "Flagga", "Intäkter (tkr)", "Utfall (tkr)"]
    assert first.split("\t")[:4] == ["N-BOU Barn och unga 0–20 år", "■ Röd", "-3200", "63000"]


# --- the figures themselves (reports/economy.comparison_figures, no Qt) ------------------------
def import_csv(db, path, lines, *flags):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "socdesk", "import", str(path), "--db", str(db), *flags],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr


def test_comparisons_are_exact_sums_and_empty_where_there_is_no_figure(tmp_path):
    """Two verksamheter with öre: the total of each new column is their exact sum (no float
    drift, 1 234,56 + 0,44 = 1 235,00); last year's change only where both years have utfall."""
    db = tmp_path / "jfr.db"
    import_csv(
        db,
        tmp_path / "jfr.csv",
        [
            "enhet;namn;överordnad;period;mått;scenario;värde;skala",
            "P;Program;;;;;;",
            "A;Verksamhet A;P;2024-01/2024-03;netto;utfall;1 000,10;kr",
            "A;;;2023-01/2023-03;netto;utfall;900,05;kr",
            "A;;;2024-01/2024-03;intakter;utfall;-1 234,56;kr",
            "A;;;2024-01/2024-03;kostnader;utfall;2 234,66;kr",
            "A;;;2024;netto;budget;4 000;kr",
            "B;Verksamhet B;P;2024-01/2024-03;netto;utfall;0,30;kr",
            "B;;;2024-01/2024-03;intakter;utfall;-0,44;kr",
            "B;;;2024-01/2024-03;kostnader;utfall;0,74;kr",
        ],
    )
    with open_database(db) as store:
        rows = {r.unit.code: r for r in economy_table(store, "P", Month(2024, 3)).rows}
    a, b, p = rows["A"], rows["B"], rows["P"]
    assert (a.previous_actual, a.previous_change) == (Decimal("900.05"), Decimal("100.05"))
    assert (b.previous_actual, b.previous_change) == (None, None)  # no 2023: empty, not 0
    assert (a.revenue, a.cost, b.revenue, b.cost) == (
        Decimal("-1234.56"),
        Decimal("2234.66"),
        Decimal("-0.44"),
        Decimal("0.74"),
    )
    assert p.is_total
    assert (p.revenue, p.cost, p.actual) == (Decimal("-1235.00"), Decimal("2235.40"), Decimal("1000.40"))
    assert p.previous_actual == Decimal("900.05")  # the rollup of what there is, as for Utfall
    # the annual budget rebuilt in twelfths to the öre (the remainder öre in the first months:
    # 3 × 333,34), the same for the original as for the budget in effect
    assert a.original_budget == a.budget == Decimal("1000.02")
    assert b.original_budget is None


def test_the_original_budget_stays_as_adopted_after_an_ombudgetering(demo_db, tmp_path):
    """004's Barn och unga with an ombudgetering from April (docs/figures.md): the budget in
    effect for T1 is −61,9 mnkr, the budget as adopted 004's own −60,9."""
    with open_database(demo_db) as store:
        store.add_budget_version(2023, Month(2023, 4), "2023-04-18", "SN § 41: utökad ram BoU")
    import_csv(
        demo_db,
        tmp_path / "ombudgetering.csv",
        [
            "enhet;period;mått;scenario;värde;skala;version",
            "N-BOU;2023-T1;netto;budget;-61,9;mnkr;2023-04",
            "N-BOU;2023;netto;budget;-179,7;mnkr;2023-04",
        ],
        "--costs-negative",
        "--replace",
    )
    with open_database(demo_db) as store:
        table = economy_table(store, "N", Month(2023, 4))
        bou = next(r for r in table.rows if r.unit.code == "N-BOU")
        assert (bou.budget, bou.original_budget) == (Decimal("61900000"), Decimal("60900000"))
        assert bou.original_annual_budget == Decimal("178700000")
        vux = next(r for r in table.rows if r.unit.code == "N-VUX")
        assert vux.original_budget == vux.budget == Decimal("24800000")  # not revised
        # in May, year to date: the original months rebuilt from T1 and the year (60,9 in
        # jan–apr, the remaining 117,8 in eight equal months: 14,725 for May)
        may = next(r for r in economy_table(store, "N", Month(2023, 5)).rows if r.unit.code == "N-BOU")
        assert may.original_budget == Decimal("75625000")


def test_ctrl_e_exports_the_columns_chosen(qtbot, window, tmp_path, file_dialog_answers):
    """Intäkter and Kostnader ticked: the workbook has them too, as exact numbers in tkr."""
    from openpyxl import load_workbook

    w = window
    shown(w, "N")
    for key in ("revenue", "cost"):
        w.economy.column_actions[key].trigger()
    out = tmp_path / "ekonomi.xlsx"
    asked = file_dialog_answers([out])
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.economy.table.setFocus()
    qtbot.keyClick(w.economy.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(out.exists)
    assert asked == ["Exportera till Excel"]
    ws = load_workbook(out).active
    header = [c.value for c in ws[3]]
    assert header[-3:] == ["Intäkter (tkr)", "Kostnader (tkr)", "Analys"]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    summa = rows["Summa N Socialnämnden Nacka"]
    assert ws.cell(summa, header.index("Intäkter (tkr)") + 1).value == -20300
    assert ws.cell(summa, header.index("Kostnader (tkr)") + 1).value == 352900
    assert ws.cell(rows["N-GEM Gemensam socialtjänst"], header.index("Intäkter (tkr)") + 1).value == 0


def test_the_pinned_summa_row_is_reached_by_keyboard_and_by_click(qtbot, window):
    w = window
    shown(w, "781")
    economy, model = w.economy, w.economy.model
    last = model.rowCount() - 2  # the last verksamhet; the Summa row after it is in the footer
    economy.table.setFocus()
    economy.table.setCurrentIndex(model.index(last, 0))
    assert economy.comment_title.text().startswith("Avvikelseanalys för 7860 Ledning verkställighet FO")
    qtbot.keyClick(economy.table, Qt.Key.Key_Down)
    assert economy.table.currentIndex().row() == model.rowCount() - 1
    assert economy.comment_title.text().startswith("Avvikelseanalys för 781 Funktionshinderomsorg")
    assert economy.total.selectionModel().isRowSelected(0)
    qtbot.keyClick(economy.table, Qt.Key.Key_Up)
    assert economy.table.currentIndex().row() == last
    assert not economy.total.selectionModel().isRowSelected(0)
    view, index = economy.shown_at(model.index(model.rowCount() - 1, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert economy.comment_title.text().startswith("Avvikelseanalys för 781 Funktionshinderomsorg")


def test_a_partial_total_is_not_compared_with_last_year(tmp_path):
    """March 2024: B has not reported, so P's utfall (A's alone) is partial (◔) and its change
    against March 2023 (A and B) would read as a saving: it is left empty, as its avvikelse."""
    db = tmp_path / "delvis.db"
    import_csv(
        db,
        tmp_path / "delvis.csv",
        [
            "enhet;namn;överordnad;period;mått;scenario;värde;skala",
            "P;Program;;;;;;",
            "A;Verksamhet A;P;2024-01;netto;utfall;100;kr",
            "A;;;2024-02;netto;utfall;100;kr",
            "A;;;2024-03;netto;utfall;100;kr",
            "A;;;2023-03;netto;utfall;90;kr",
            "B;Verksamhet B;P;2024-01;netto;utfall;50;kr",
            "B;;;2024-02;netto;utfall;50;kr",
            "B;;;2023-03;netto;utfall;50;kr",
        ],
    )
    with open_database(db) as store:
        rows = {r.unit.code: r for r in economy_table(store, "P", Month(2024, 3), ViewMode.MONTH).rows}
    assert rows["A"].previous_change == Decimal(10)
    p = rows["P"]
    assert p.partial and p.actual == Decimal(100) and p.previous_actual == Decimal(140)
    assert p.previous_change is None and p.variance is None
