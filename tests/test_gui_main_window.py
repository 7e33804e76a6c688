"""The first window, driven as a user would: click a unit, read the table."""

import pytest
from PySide6.QtCore import QSettings, Qt

from socdesk.core.numbers import Scale
from socdesk.core.periods import parse_period
from socdesk.gui.context import AppContext
from socdesk.gui.followup_model import FollowupModel
from socdesk.gui.main_window import MainWindow
from socdesk.gui.unit_tree_model import UnitTreeModel
from socdesk.io.seeds import open_database
from socdesk.reports.followup import followup_table


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    store = open_database(demo_db)
    ctx = AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    store.close()


def click_unit(qtbot, window, code):
    index = window.tree_model.index_of(code)
    window.tree.scrollTo(index)
    for ancestor in reversed(window.ctx.store.unit_tree().ancestors(code)):
        window.tree.expand(window.tree_model.index_of(ancestor.code))
    rect = window.tree.visualRect(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def table_rows(window):
    m = window.table_model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_clicking_a_program_shows_its_verksamheter_from_the_store(qtbot, window):
    with qtbot.waitSignal(window.unit_selected, timeout=2000) as blocker:
        click_unit(qtbot, window, "771")
    assert blocker.args == ["771"]
    assert window.period.period() == parse_period("2024-01/2024-05")
    rows = {r[0]: r[1:] for r in table_rows(window)}
    nb = "\u00a0"
    assert rows["7762 Hemtjänst"] == [
        f"17{nb}175",
        f"15{nb}169",
        f"−2{nb}006",
        f"−13,2{nb}%",
        f"35{nb}178",
    ]
    assert rows["7779 Avgifter hemtjänst"] == [
        f"−1{nb}288",
        f"−1{nb}085",
        "203",
        f"18,7{nb}%",
        f"2{nb}605",
    ]
    assert rows["Summa 771 Äldreomsorg"][:3] == [f"58{nb}611", f"57{nb}760", "−851"]
    assert rows["Summa 771 Äldreomsorg"][4] == f"134{nb}114"  # the stated årsbudget, not the children's sum
    assert "Socialnämnd › 771 Äldreomsorg" in window.breadcrumb.text()


def test_selecting_another_organisation_moves_to_its_latest_month(qtbot, window):
    click_unit(qtbot, window, "N")
    qtbot.waitUntil(lambda: window.period.period() == parse_period("2023-T1"))
    rows = {r[0]: r[1:] for r in table_rows(window)}
    assert rows["Summa N Socialnämnden Nacka"][:3] == [
        "332\u00a0600",
        "338\u00a0000",
        "5\u00a0400",
    ]


def test_scale_switch_reformats_without_changing_numbers(qtbot, window):
    click_unit(qtbot, window, "SN")
    window.scale.setCurrentIndex(list(Scale).index(Scale.MNKR))
    rows = {r[0]: r[1:] for r in table_rows(window)}
    assert rows["Summa SN Socialnämnd"][0] == "141,4"
    assert window.table_model.headerData(1, Qt.Orientation.Horizontal) == "Utfall (mnkr)"


def test_unfavourable_variance_is_marked(qtbot, window):
    click_unit(qtbot, window, "771")
    m = window.table_model
    row = next(r for r in range(m.rowCount()) if m.index(r, 0).data() == "7762 Hemtjänst")
    assert m.index(row, 3).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert m.index(row, 3).data(Qt.ItemDataRole.ToolTipRole) == "Sämre än budget"
    good = next(r for r in range(m.rowCount()) if m.index(r, 0).data() == "7401 Arbetstidsdirektiv ÄO")
    assert m.index(good, 3).data(Qt.ItemDataRole.ForegroundRole) is None


def test_models_pass_qtmodeltester(qtmodeltester, demo_db):
    store = open_database(demo_db)
    qtmodeltester.check(UnitTreeModel(store.unit_tree()))
    model = FollowupModel()
    model.set_table(followup_table(store, "771", parse_period("2024-01/2024-05")))
    qtmodeltester.check(model)
    store.close()
