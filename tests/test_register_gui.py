"""Registrera: budget and prognos forms in the real widgets (role, live periodisation,
suggestions accepted with a click, ombudgetering via its dialog)."""

import pytest
from PySide6.QtCore import Qt

from socdesk.core.facts import Scenario
from socdesk.core.periods import Month, Period
from socdesk.core.roles import Role
from socdesk.gui.economy_model import KEYS
from socdesk.gui.register_view import Kind, RevisionDialog

NB = "\u00a0"


@pytest.fixture
def window(qtbot, workspace):
    workspace.period.set_month(Month(2024, 5))
    workspace.tabs.setCurrentWidget(workspace.register)
    qtbot.waitUntil(lambda: workspace.register.entry.model is not None)
    return workspace


def choose(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def row_of(model, code):
    return next(i for i, u in enumerate(model.form.units) if u.code == code)


def netto(store, unit, scenario, period, version=""):
    return store.value(unit, store.measures()["netto"], scenario, period, version=version).number


def test_prognos_accepts_the_suggestion_with_a_click_and_saves(qtbot, window):
    reg = window.register
    choose(reg.kind, Kind.FORECAST)
    qtbot.waitUntil(lambda: reg.entry.model.form.key == "prognos:771:2024-05")
    assert reg.use_budget.isVisible() and not reg.version.isVisible()
    model = reg.entry.model
    r = row_of(model, "7762")
    target = model.form.inputs[-1]
    reg.entry.table.setCurrentIndex(model.index(r, target))
    qtbot.mouseClick(reg.use_budget, Qt.MouseButton.LeftButton)  # fills every empty row
    assert model.text(r, target) == f"37{NB}184"
    qtbot.mouseClick(reg.entry.undo, Qt.MouseButton.LeftButton)
    assert model.text(r, target) == ""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    reg.entry.table.selectionModel().select(
        QItemSelection(model.index(r, 0), model.index(r + 1, target)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    qtbot.mouseClick(reg.use_pace, Qt.MouseButton.LeftButton)  # only the selected rows
    assert model.text(r, target) == f"39{NB}830"
    assert len(model.changed_cells()) == 2
    with qtbot.waitSignal(reg.entry.saved):
        qtbot.mouseClick(reg.entry.save, Qt.MouseButton.LeftButton)
    store = window.ctx.store
    assert netto(store, "7762", Scenario.FORECAST, Period.year(2024), "2024-05") == 39_830_000
    window.tabs.setCurrentWidget(window.economy)
    row = window.economy.model.row(window.economy.model.row_of("7762"))
    assert row.forecast == 39_830_000


def test_budget_is_read_only_for_a_handlaggare_and_periodised_live_for_a_controller(
    qtbot, window, monkeypatch
):
    reg = window.register
    window.locks.set_role(Role.CASEWORKER)
    choose(reg.kind, Kind.BUDGET)
    qtbot.waitUntil(lambda: reg.entry.model.form.key.startswith("budget:771:2024:original"))
    assert reg.entry.model.readonly and "controller" in reg.entry.title.text()
    assert not reg.new_version.isEnabled()

    window.locks.set_role(Role.CONTROLLER)
    reg.refresh()
    model = reg.entry.model
    assert not model.readonly and reg.new_version.isEnabled()
    r, annual = row_of(model, "7762"), model.form.inputs[0]
    model.setData(model.index(r, annual), "36 000")
    assert [model.data(model.index(r, c)) for c in range(annual + 1, annual + 13)] == [f"3{NB}000"] * 12
    with qtbot.waitSignal(reg.entry.saved):
        qtbot.mouseClick(reg.entry.save, Qt.MouseButton.LeftButton)
    store = window.ctx.store
    assert netto(store, "7762", Scenario.BUDGET, Period.month(2024, 12)) == 3_000_000

    # an ombudgetering through its dialog, then the revised figure
    def fill(dialog):
        dialog.month.setCurrentIndex(5)  # jun
        dialog.reason.setText("Nämndens beslut § 45")
        return True

    monkeypatch.setattr(RevisionDialog, "exec", fill)
    qtbot.mouseClick(reg.new_version, Qt.MouseButton.LeftButton)
    assert reg.version.currentData() == "2024-06" and "§ 45" in reg.version.currentText()
    qtbot.waitUntil(lambda: ":2024-06:" in reg.entry.model.form.key)
    model = reg.entry.model
    assert [c.title for c in model.form.columns][1] == "Budget före"
    model.setData(model.index(r, model.form.inputs[0]), "40 000")
    assert reg.entry.save_changes()
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024), "2024-06") == 40_000_000
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024)) == 36_000_000
    window.period.set_month(Month(2024, 6))
    window.tabs.setCurrentWidget(window.economy)
    economy = window.economy
    original = KEYS.index("original_annual_budget")  # shown, unchosen, after an ombudgetering
    assert not economy.table.isColumnHidden(original)
    row = economy.model.row(economy.model.row_of("7762"))
    assert (row.annual_budget, row.original_annual_budget) == (40_000_000, 36_000_000)


def test_a_new_periodisation_profile_is_saved_and_used(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    reg = window.register
    window.locks.set_role(Role.CONTROLLER)
    choose(reg.kind, Kind.BUDGET)
    answers = iter([("Vinter", True), ("2; 2; 1; 1; 1; 1; 1; 1; 1; 1; 1; 2", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(reg.new_profile, Qt.MouseButton.LeftButton)
    assert reg.spread.currentData() == "Vinter"
    qtbot.waitUntil(lambda: reg.entry.model.form.key.endswith(":Vinter"))
    model = reg.entry.model
    r, annual = row_of(model, "7764"), model.form.inputs[0]
    model.setData(model.index(r, annual), "1 500")  # weights sum to 15: 100 tkr a share
    assert [model.data(model.index(r, c)) for c in (annual + 1, annual + 3, annual + 12)] == [
        "200",
        "100",
        "200",
    ]
    bad = iter([("Fel", True), ("1; 2; 3", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(bad))
    reg.add_profile()
    assert window.ctx.store.setting("budget_profiles").count("Fel") == 0
