"""Registrera › Årsvy, driven as a user would: a 5 units × 12 months block pasted from Excel
with Swedish numbers and two bad cells, the red marks and the refused Spara, the cells fixed by
typing, Spara pressed, the months read back from the store and the grid; undo of the paste in
one step; the draft kept across leaving and across a new window; budget months and locks."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from test_entry_grid import type_into

from socdesk.core.entry import block_text, parse_block, place_block
from socdesk.core.facts import Scenario
from socdesk.core.periods import MONTH_ABBR, Month, Period
from socdesk.core.roles import Role
from socdesk.gui.register_view import Kind
from socdesk.gui.year_grid_model import YearGridModel
from socdesk.reports.year_grid import year_form

NB = "\u00a0"
UNITS = ["7711", "7712", "7718", "7719", "7720"]  # five leaf units of 771, one after another
KEY = "arsvy:utfall:771:2024"


def amount(i: int, j: int) -> Decimal:
    """The tkr pasted for unit i, month j: 1 234,5-like, every fifth one negative."""
    n = Decimal(1000 + 100 * i + j) + Decimal(j) / 10
    return -n if (i + j) % 5 == 0 else n


def excel_text(n: Decimal) -> str:
    """As Excel (sv-SE) copies it: no-break space between thousands, decimal comma; minus as
    − or -, alternately."""
    whole, _dot, dec = f"{abs(n):f}".partition(".")
    text = f"{whole[:-3]}{NB}{whole[-3:]}" + ("," + dec.rstrip("0") if dec.rstrip("0") else "")
    return ("−" if int(whole) % 2 else "-") + text if n < 0 else text


BAD = {(1, 2): "12,3,4", (3, 9): "abc"}  # 7712 mar, 7719 okt


def block() -> str:
    rows = []
    for i in range(5):
        rows.append("\t".join(BAD.get((i, j), excel_text(amount(i, j))) for j in range(12)))
    return "\r\n".join(rows) + "\r\n"  # as Excel puts it on the clipboard


@pytest.fixture
def window(qtbot, workspace):
    workspace.period.set_month(Month(2024, 6))
    workspace.tabs.setCurrentWidget(workspace.register)
    reg = workspace.register
    qtbot.waitUntil(lambda: reg.entry.model is not None)
    qtbot.mouseClick(reg.year_mode, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reg.year.model is not None and reg.year.model.form.key == KEY)
    assert reg.views.currentWidget() is reg.year
    yield workspace
    for view in (reg.year, reg.entry):  # closed without questions, as the workspace fixture does
        if view.model is not None and view.model.dirty:
            view.model.mark_saved()


def row_of(model, code):
    return next(i for i, u in enumerate(model.form.units) if u.code == code)


def paste_block(qtbot, view, model, text):
    view.setCurrentIndex(model.index(row_of(model, UNITS[0]), 0))
    view.setFocus()
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def netto(store, unit, scenario, period, version=""):
    v = store.value(unit, store.measures()["netto"], scenario, period, version=version)
    return v.number if v.is_number else None


def test_the_grid_is_units_by_months_with_helar_arsbudget_and_summa(window, qtmodeltester):
    model = window.register.year.model
    assert isinstance(model, YearGridModel)
    titles = [c.title for c in model.form.columns]
    assert titles == [*MONTH_ABBR, "Helår", "Årsbudget"]
    assert len(model.form.units) == 15 and model.rowCount() == 16
    assert model.headerData(15, Qt.Orientation.Vertical) == "Summa"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "jan\n(tkr)"
    r = row_of(model, "7711")
    assert model.data(model.index(r, 13)) == f"19{NB}991"  # the demo's årsbudget, read only
    assert not model.flags(model.index(r, 13)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(15, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.column_total(13) == sum(
        (c.value for (_r, col), c in model.form.cells.items() if col == 13 and c.value is not None),
        Decimal(0),
    )
    qtmodeltester.check(model)


def test_paste_5_by_12_fix_two_bad_cells_save_and_read_back(qtbot, window, modal_calls):
    reg, store = window.register, window.ctx.store
    grid, view = reg.year, reg.year.table
    model = grid.model
    paste_block(qtbot, view, model, block())
    rows = [row_of(model, u) for u in UNITS]
    assert rows == list(range(rows[0], rows[0] + 5))
    # the two bad cells: red, with a tooltip naming the unit and the month
    errors = [(model.form.units[r].code, model.form.columns[c].title) for r, c, _e in model.errors()]
    assert errors == [("7712", "mar"), ("7719", "okt")]
    bad = model.index(rows[1], 2)
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole).color().red() == 250
    tip = model.data(bad, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("7712 Särskilt boende Sörgården, mar: ") and "decimalkomma" in tip
    assert "okt" in model.data(model.index(rows[3], 9), Qt.ItemDataRole.ToolTipRole)
    assert "inget tal" in model.data(model.index(rows[3], 9), Qt.ItemDataRole.ToolTipRole)
    assert "2 fel" in grid.status.text()
    # the good cells: parsed exactly; Helår and the Summa row follow the typing, exactly
    assert model.check(rows[0], 0).value.number == amount(0, 0) * 1000
    assert model.text(rows[2], 3) == excel_text(amount(2, 3))
    helar = sum((amount(0, j) for j in range(12)), Decimal(0)) * 1000
    assert model.cell_value(rows[0], 12) == helar
    jan = sum((amount(i, 0) for i in range(5)), Decimal(0))
    assert model.column_total(0) == jan * 1000
    assert model.data(model.index(15, 0)) == excel_text(jan).replace("-", "−")
    assert model.column_total(2) == sum((amount(i, 2) for i in (0, 2, 3, 4)), Decimal(0)) * 1000

    # Spara is refused with a message listing the bad cells; nothing is written
    audited = len(store.audit_rows())
    qtbot.mouseClick(grid.save, Qt.MouseButton.LeftButton)
    kind, text = modal_calls[-1]
    assert kind == "warning" and "Inget sparades: 2 celler har fel" in text
    assert "7712 Särskilt boende Sörgården, mar:" in text and "7719 Mejeriet ÄO, okt:" in text
    assert len(store.audit_rows()) == audited
    assert netto(store, "7711", Scenario.ACTUAL, Period.month(2024, 7)) is None

    # fixed by typing (F2, the text, Enter), as in the month form
    type_into(qtbot, view, model.index(rows[1], 2), "1 202,2")
    type_into(qtbot, view, model.index(rows[3], 9), "−1 309,9")
    assert model.errors() == [] and "2 fel" not in grid.status.text()
    assert (
        model.column_total(2)
        == (sum((amount(i, 2) for i in (0, 2, 3, 4)), Decimal(0)) + Decimal("1202.2")) * 1000
    )

    with qtbot.waitSignal(grid.saved) as saved:
        qtbot.mouseClick(grid.save, Qt.MouseButton.LeftButton)
    assert saved.args == [60]
    expected = {(u, j): amount(i, j) * 1000 for i, u in enumerate(UNITS) for j in range(12)}
    expected[("7712", 2)] = Decimal("1202200")
    expected[("7719", 9)] = Decimal("-1309900")
    # read back from the store: every month exactly
    for (u, j), v in expected.items():
        assert netto(store, u, Scenario.ACTUAL, Period.month(2024, j + 1)) == v, (u, j)
    # one audited transaction, one audit row per cell, source formulär
    rows_audited = store.audit_rows()[audited:]
    assert len(rows_audited) == 60 and {a["source"] for a in rows_audited} == {"form"}
    assert len({a["at"] for a in rows_audited}) == 1
    # the grid shows the saved figures, read again from the store
    model = grid.model
    assert model.form.key == KEY and not model.dirty and store.draft(KEY) == {}
    for (u, j), v in expected.items():
        assert model.form.cells[(row_of(model, u), j)].value == v
    assert model.text(row_of(model, "7712"), 2) == f"1{NB}202,2"
    assert model.cell_value(row_of(model, "7711"), 12) == helar


def test_undo_and_redo_of_the_paste_are_one_step(qtbot, window):
    grid, view = window.register.year, window.register.year.table
    model = grid.model
    r = row_of(model, UNITS[0])
    qtbot.mouseClick(grid.undo, Qt.MouseButton.LeftButton)  # nothing to undo: harmless
    paste_block(qtbot, view, model, block())
    assert len(model.changed_cells()) == 60
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.changed_cells() == [] and model.errors() == [] and model.text(r, 0) == ""
    assert model.column_total(0) is None
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(model.changed_cells()) == 60 and len(model.errors()) == 2
    assert model.check(r, 11).value.number == amount(0, 11) * 1000
    # Ctrl+C copies a block out as Excel pastes it
    from PySide6.QtCore import QItemSelection

    view.selectionModel().select(
        QItemSelection(model.index(r, 0), model.index(r + 1, 1)),
        view.selectionModel().SelectionFlag.ClearAndSelect,
    )
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = parse_block(QGuiApplication.clipboard().text())
    assert copied == [[excel_text(amount(i, j)) for j in range(2)] for i in range(2)]


def test_the_draft_survives_leaving_and_a_new_window(qtbot, window, demo_db, tmp_path, monkeypatch):
    grid, view, store = window.register.year, window.register.year.table, window.ctx.store
    paste_block(qtbot, view, grid.model, block())
    qtbot.waitUntil(lambda: len(store.draft(KEY)) == 60)  # kept a moment after the paste
    # leaving (another unit) and coming back restores it without asking
    window.select_unit("774")
    qtbot.waitUntil(lambda: grid.model.form.key == "arsvy:utfall:774:2024")
    window.select_unit("771")
    qtbot.waitUntil(lambda: grid.model.form.key == KEY)
    assert len(grid.model.changed_cells()) == 60 and len(grid.model.errors()) == 2
    assert "återställda" in grid.status.text()

    # the program killed: a new window on the same database offers the draft back and opens it
    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow
    from socdesk.io.seeds import open_database

    asked: list[str] = []

    def yes(*args, **kwargs):
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    store2 = open_database(demo_db)
    w2 = MainWindow(AppContext(store2, QSettings(str(tmp_path / "s2.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitExposed(w2)
    try:
        w2.drafts.offer()  # what the program does after opening the window
        assert asked and "osparade ändringar" in asked[0] and "arsvy utfall 771 2024" in asked[0]
        qtbot.waitUntil(lambda: w2.register.year.model is not None and w2.register.year.model.form.key == KEY)
        model = w2.register.year.model
        assert w2.register.year_mode.isChecked() and w2.tabs.currentWidget() is w2.register
        assert len(model.changed_cells()) == 60 and len(model.errors()) == 2
        r = row_of(model, UNITS[4])
        assert model.text(r, 11) == excel_text(amount(4, 11))
        assert w2.register.year.status.text().startswith("60 osparade celler från utkastet är återställda")
    finally:
        for view2 in (w2.register.year, w2.register.entry):
            if view2.model is not None and view2.model.dirty:
                view2.model.mark_saved()
        w2.close()
        store2.close()


def test_budget_months_are_the_periodised_budget_and_save_as_the_months_form(qtbot, window):
    reg, store = window.register, window.ctx.store
    window.locks.set_role(Role.CASEWORKER)
    reg.kind.setCurrentIndex(reg.kind.findData(Kind.BUDGET))
    qtbot.waitUntil(lambda: reg.year.model.form.key == "arsvy:budget:771:2024")
    assert reg.year.model.readonly and "controller" in reg.year.title.text()
    window.locks.set_role(Role.CONTROLLER)
    reg.refresh()
    assert not reg.year.model.readonly
    assert not reg.spread.isVisible() and reg.version.isVisible()
    model, view = reg.year.model, reg.year.table
    r = row_of(model, "7400")
    # the demo states 7400's årsbudget 7 813 and jan–maj 3 398 tkr: the months are rebuilt so both hold
    assert [model.form.cells[(r, c)].value for c in (0, 4, 5, 11)] == [
        Decimal("679600.00"),
        Decimal("679600.00"),
        Decimal("630714.29"),
        Decimal("630714.28"),
    ]
    assert model.cell_value(r, 12) == Decimal("7813000.00")
    before_771 = netto(store, "771", Scenario.BUDGET, Period.year(2024))
    type_into(qtbot, view, model.index(r, 11), "700")  # dec: 700 tkr instead of 630,71428
    assert model.cell_value(r, 12) == Decimal("7813000.00") - Decimal("630714.28") + 700_000
    with qtbot.waitSignal(reg.year.saved):
        qtbot.mouseClick(reg.year.save, Qt.MouseButton.LeftButton)
    assert netto(store, "7400", Scenario.BUDGET, Period.month(2024, 12)) == 700_000
    assert netto(store, "7400", Scenario.BUDGET, Period.month(2024, 6)) == Decimal("630714.29")
    assert netto(store, "7400", Scenario.BUDGET, Period(Month(2024, 1), Month(2024, 5))) == 3_398_000
    assert netto(store, "7400", Scenario.BUDGET, Period.year(2024)) == Decimal("7882285.72")
    moved = Decimal("7882285.72") - 7_813_000
    assert netto(store, "771", Scenario.BUDGET, Period.year(2024)) == before_771 + moved
    assert reg.year.model.form.cells[(r, 11)].value == 700_000


def test_a_locked_month_is_read_only_and_paste_leaves_it(qtbot, window):
    reg, store = window.register, window.ctx.store
    store.lock_period("771", Period.month(2024, 1))
    reg.refresh()
    model, view = reg.year.model, reg.year.table
    r = row_of(model, UNITS[0])
    assert not model.flags(model.index(r, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(r, 1)) & Qt.ItemFlag.ItemIsEditable
    assert "jan 2024 är låst" in model.data(model.index(r, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(0, Qt.Orientation.Horizontal).startswith("🔒")
    paste_block(qtbot, view, model, block())
    assert model.text(r, 0) == "" and len(model.changed_cells()) == 55
    type_into(qtbot, view, model.index(row_of(model, "7712"), 2), "1")
    type_into(qtbot, view, model.index(row_of(model, "7719"), 9), "1")
    with qtbot.waitSignal(reg.year.saved):
        qtbot.mouseClick(reg.year.save, Qt.MouseButton.LeftButton)
    assert netto(store, "7711", Scenario.ACTUAL, Period.month(2024, 2)) == amount(0, 1) * 1000


def test_prognos_months_are_the_helarsprognos_made_at_each_month(qtbot, window, demo_db):
    reg, store = window.register, window.ctx.store
    reg.kind.setCurrentIndex(reg.kind.findData(Kind.FORECAST))
    qtbot.waitUntil(lambda: reg.year.model.form.key == "arsvy:prognos:771:2024")
    model, view = reg.year.model, reg.year.table
    assert [c.title for c in model.form.columns][12:] == ["Senaste", "Årsbudget"]
    r = row_of(model, "7762")
    type_into(qtbot, view, model.index(r, 3), "37 000")
    type_into(qtbot, view, model.index(r, 4), "37 184,5")
    assert model.cell_value(r, 12) == Decimal("37184500")  # the latest, not a sum
    with qtbot.waitSignal(reg.year.saved):
        qtbot.mouseClick(reg.year.save, Qt.MouseButton.LeftButton)
    assert netto(store, "7762", Scenario.FORECAST, Period.year(2024), "2024-04") == 37_000_000
    assert netto(store, "7762", Scenario.FORECAST, Period.year(2024), "2024-05") == Decimal("37184500")
    # the month form's prognos per maj shows what the grid saved
    form = year_form(store, "771", 2024, "prognos")
    assert form.cells[(r, 4)].value == Decimal("37184500")


def test_place_block_counts_what_falls_outside():
    cells, outside = place_block(parse_block("1\t2\t3\r\n4\t5\t6\r\n"), 1, 2, [0, 1])
    assert cells == {(1, 0): "1", (1, 1): "2"} and outside == 4


def test_the_grid_follows_the_scale_kr(qtbot, window):
    reg, store = window.register, window.ctx.store
    window.period.scale.setCurrentIndex(window.period.scale.findText("kr"))
    qtbot.waitUntil(lambda: reg.year.model.scale.label == "kr")
    model, view = reg.year.model, reg.year.table
    assert model.headerData(6, Qt.Orientation.Horizontal) == "jul\n(kr)"
    r = row_of(model, "7730")
    view.setCurrentIndex(model.index(r, 6))
    view.setFocus()
    QGuiApplication.clipboard().setText(f"12{NB}345,50\t-2 006\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.cell_value(r, 12) == Decimal("10339.50")
    with qtbot.waitSignal(reg.year.saved):
        qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert netto(store, "7730", Scenario.ACTUAL, Period.month(2024, 7)) == Decimal("12345.50")
    assert netto(store, "7730", Scenario.ACTUAL, Period.month(2024, 8)) == -2006


@given(
    st.lists(
        st.lists(st.text(st.characters(blacklist_characters="\t\r\n"), max_size=8), min_size=1, max_size=6),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_a_block_copied_out_pastes_back_the_same(rows, newline):
    """Ctrl+C then Ctrl+V: the same cells (stripped), whatever line ends Excel or the system uses."""
    text = block_text(rows).replace("\n", newline)
    expected = [[cell.strip() for cell in row] for row in rows]
    while len(expected) > 1 and expected[-1] == [""] and rows[-1] == [""]:
        expected.pop()  # an empty last line is the line end Excel puts after the block
        rows = rows[:-1]
    assert parse_block(text) == expected
