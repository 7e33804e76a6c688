"""The utfall grid, driven as a user would: typing, Enter, Tab, paste from Excel with good and
bad cells, errors shown and fixed, undo/redo, save with audit rows, revert, locked months."""

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from socdesk import cli
from socdesk.core.facts import FactKey, Scenario
from socdesk.core.periods import Month, Period
from socdesk.store.db import PeriodLockedError

JUNE = Period.month(2024, 6)
NB = "\u00a0"


@pytest.fixture
def window(qtbot, workspace):
    workspace.period.set_month(Month(2024, 6))
    workspace.tabs.setCurrentWidget(workspace.register)
    entry = workspace.register.entry
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == "utfall:ekonomi:771:2024-06")
    return workspace


def row_of(model, code):
    return next(i for i, u in enumerate(model.form.units) if u.code == code)


def send_text(widget, text):
    """Typed characters (QTest.keyClicks refuses non-ASCII such as − and the no-break space)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def type_into(qtbot, view, index, text, *, start=Qt.Key.Key_F2):
    """Select the cell, F2 (or the first character) to edit, type, Enter."""
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    view.setCurrentIndex(index)
    view.setFocus()
    if start == Qt.Key.Key_F2:
        qtbot.keyClick(view, Qt.Key.Key_F2)
    else:  # type to overwrite: the first key opens the editor with the old text replaced
        send_text(view, text[0])
        text = text[1:]
    qtbot.waitUntil(lambda: view.indexWidget(index) is not None)
    editor = view.indexWidget(index)
    if start == Qt.Key.Key_F2:
        editor.selectAll()
    send_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    qtbot.wait(5)  # Enter's move to the next row is queued: let it happen, as between two keystrokes


def test_form_shows_leaf_units_with_last_month_and_last_year_beside(window):
    model = window.register.entry.model
    assert [c.title for c in model.form.columns] == ["Nettokostnad", "maj 2024", "jun 2023"]
    assert [c.input for c in model.form.columns] == [True, False, False]
    assert len(model.form.units) == 15 and all(window.tree.is_leaf(u.code) for u in model.form.units)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Nettokostnad\n(tkr)"
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_type_paste_check_fix_save_undo_redo_revert_and_audit(qtbot, window):
    entry, view = window.register.entry, window.register.entry.table
    model, store = entry.model, window.ctx.store
    r = row_of(model, "7762")
    type_into(qtbot, view, model.index(r, 0), "3 412,5")
    assert model.text(r, 0) == "3 412,5" and model.check(r, 0).value.number == 3_412_500
    qtbot.waitUntil(lambda: view.currentIndex().row() == r + 1)  # Enter moves down, as in Excel
    r2 = row_of(model, "7764")
    type_into(qtbot, view, model.index(r2, 0), "−12", start=None)  # type to overwrite
    assert model.check(r2, 0).value.number == -12_000
    # Tab from the input skips the context columns to the next row's input
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 0)
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, 0)

    # paste a block from Excel from 7711 down: good and bad cells
    view.setCurrentIndex(model.index(row_of(model, "7711"), 0))
    QGuiApplication.clipboard().setText(
        "1\u00a0712\nabc\n1,2,3\n1e309\n−\n123456789012345678901234567890\n−2 006\n"
    )
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    codes = [u.code for u in model.form.units]
    start = codes.index("7711")
    bad = codes[start + 1 : start + 6]
    assert [model.form.units[e[0]].code for e in model.errors()] == bad
    messages = [e[2] for e in model.errors()]
    for fragment, message in zip(
        ["inget tal", "decimalkomma", "exponent", "inget tal", "för stort"], messages, strict=True
    ):
        assert fragment in message, message
    assert not entry.save.isEnabled() and "5 fel" in entry.status.text()
    assert model.data(model.index(start + 1, 0), Qt.ItemDataRole.BackgroundRole).color().red() == 250
    assert "inget tal" in model.data(model.index(start + 1, 0), Qt.ItemDataRole.ToolTipRole)
    # Ctrl+S refuses while there are errors
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert store.audit_rows()[-1]["source"] != "form"

    # fix them: select the bad block and press Delete
    view.setCurrentIndex(model.index(start + 1, 0))
    view.selectionModel().select(view.model().index(start + 5, 0), view.selectionModel().SelectionFlag.Select)
    from PySide6.QtCore import QItemSelection

    view.selectionModel().select(
        QItemSelection(model.index(start + 1, 0), model.index(start + 5, 0)),
        view.selectionModel().SelectionFlag.ClearAndSelect,
    )
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert model.errors() == [] and entry.save.isEnabled()
    # undo brings the five errors back; redo clears them again (buttons and keys)
    qtbot.mouseClick(entry.undo, Qt.MouseButton.LeftButton)
    assert len(model.errors()) == 5
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert model.errors() == []
    changed = {model.form.units[r].code: model.text(r, 0) for r, _c in model.changed_cells()}
    assert changed == {"7762": "3 412,5", "7764": "−12", "7711": "1\u00a0712", codes[start + 6]: "−2 006"}

    with qtbot.waitSignal(entry.saved) as blocker:
        qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
    assert blocker.args == [4]
    rows = [a for a in store.audit_rows() if a["source"] == "form"]
    assert sorted((a["unit_code"], a["action"], a["new_value"]) for a in rows) == sorted(
        [
            ("7711", "insert", 17_120_000_000),
            (codes[start + 6], "insert", -20_060_000_000),
            ("7762", "insert", 34_125_000_000),
            ("7764", "insert", -120_000_000),
        ]
    )
    assert {a["period"] for a in rows} == {"2024-06"} and len({a["at"] for a in rows}) == 1
    netto = store.measures()["netto"]
    assert store.value("7762", netto, Scenario.ACTUAL, JUNE).number == 3_412_500
    assert store.draft(model.form.key) == {} and not model.dirty and not entry.save.isEnabled()
    # the parent now sums June from its units
    june_771 = store.value("771", netto, Scenario.ACTUAL, JUNE).number
    assert june_771 == 3_412_500 + 1_712_000 - 2_006_000 - 12_000

    # a saved change can be reverted: a correcting change, history kept
    k = FactKey("7711", "netto", Scenario.ACTUAL, JUNE)
    store.revert(store.history(k)[-1]["id"])
    assert [h["action"] for h in store.history(k)] == ["insert", "delete"]
    assert [h["source"] for h in store.history(k)] == ["form", "revert"]
    assert not store.value("7711", netto, Scenario.ACTUAL, JUNE).is_number


def test_cell_history_opens_from_the_grid(qtbot, window, monkeypatch):
    entry, view = window.register.entry, window.register.entry.table
    model = entry.model
    r = row_of(model, "7762")
    type_into(qtbot, view, model.index(r, 0), "100")
    entry.save_changes()
    seen = []
    monkeypatch.setattr(
        "socdesk.gui.history_dialog.HistoryDialog.exec", lambda self: seen.append(self.model.rowCount()) or 0
    )
    view.setCurrentIndex(model.index(r, 2))  # a context column: the row's figure is meant
    with qtbot.waitSignal(entry.history_requested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0] == FactKey("7762", "netto", Scenario.ACTUAL, JUNE)
    assert seen == [1]


def test_a_warning_for_implausible_values_does_not_stop_saving(qtbot, window):
    store, entry = window.ctx.store, window.register.entry
    from socdesk.core.facts import Fact
    from socdesk.core.values import Value

    store.write_facts(
        [
            Fact(FactKey("7762", "netto", Scenario.ACTUAL, Period.month(2024, m)), Value.of(3_000_000))
            for m in (4, 5)
        ],
        source="test",
    )
    window.register.refresh()
    model = entry.model
    r = row_of(model, "7762")
    assert model.data(model.index(r, 1)) == "3\u00a0000"  # maj 2024 beside the cell
    type_into(qtbot, entry.table, model.index(r, 0), "60 000")
    assert model.errors() == [] and "5 gånger" in model.check(r, 0).warning
    assert "Kontrollera" in entry.status.text() and entry.save.isEnabled()
    type_into(qtbot, entry.table, model.index(r, 0), "−3 000")
    assert "Motsatt tecken" in model.check(r, 0).warning


def test_a_pasted_figure_far_beyond_the_units_stated_months_is_warned_about(qtbot, window):
    """7762 states utfall only for jan–maj (17 175 tkr, 003): a pasted 1 234 567,8 tkr for June is
    far beyond its ≈ 3 435 tkr a month – a warning, never a refusal; a plausible figure none."""
    entry = window.register.entry
    model, view = entry.model, entry.table
    r = row_of(model, "7762")
    view.setCurrentIndex(model.index(r, 0))
    QGuiApplication.clipboard().setText("1 234 567,8\n")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    check = model.check(r, 0)
    assert check.value.number == Decimal("1234567800")
    assert model.errors() == []
    assert check.warning == f"Över 5 gånger enhetens vanliga månad (3{NB}435 tkr). Stämmer det?"
    assert "Kontrollera" in entry.status.text() and entry.save.isEnabled()
    QGuiApplication.clipboard().setText("3 512\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.check(r, 0).warning == ""


def test_a_locked_month_refuses_the_form_and_the_import(qtbot, window, tmp_path, capsys):
    store = window.ctx.store
    store.lock_period("SN", Period.month(2024, 7))
    window.period.set_month(Month(2024, 7))
    entry = window.register.entry
    qtbot.waitUntil(lambda: entry.model.form.key == "utfall:ekonomi:771:2024-07")
    model = entry.model
    assert model.readonly and "låst" in entry.title.text()
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 0), "5")
    entry.paste("1\n2\n")
    assert model.changed_cells() == [] and not entry.save.isEnabled()
    # the same month from a file: refused, naming the rows, nothing stored
    csv = tmp_path / "juli.csv"
    csv.write_text("enhet;period;mått;scenario;värde\n7762;2024-07;netto;utfall;100\n", encoding="utf-8")
    before = store.facts_count()
    assert cli.main(["import", str(csv), "--db", str(store.path)]) != 0
    err = capsys.readouterr().err
    assert "låst" in err and "juli.csv, rad 2" in err and store.facts_count() == before
    # and the store refuses a write that slipped past the form
    from socdesk.core.facts import Fact
    from socdesk.core.values import Value

    with pytest.raises(PeriodLockedError):
        store.write_facts(
            [Fact(FactKey("7762", "netto", Scenario.ACTUAL, Period.month(2024, 7)), Value.of(1))],
            source="form",
        )


def test_closing_with_unsaved_changes_asks(qtbot, window, monkeypatch):
    entry = window.register.entry
    model = entry.model
    type_into(qtbot, entry.table, model.index(0, 0), "5")
    asked = []

    def answer(button):
        def question(*args, **kwargs):
            asked.append(args[2])
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    window.close()
    assert window.isVisible() and model.dirty and "inte sparade" in asked[-1]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Save))
    window.close()
    assert not window.isVisible() and not model.dirty
    unit = model.form.units[0].code
    assert (
        window.ctx.store.value(unit, window.ctx.store.measures()["netto"], Scenario.ACTUAL, JUNE).number
        == 5000
    )


def test_typing_a_month_inside_a_stated_longer_period_warns(qtbot, window):
    window.period.set_month(Month(2024, 5))
    entry = window.register.entry
    qtbot.waitUntil(lambda: entry.model.form.key == "utfall:ekonomi:771:2024-05")
    model = entry.model
    r = row_of(model, "7762")
    type_into(qtbot, entry.table, model.index(r, 0), "3 400")
    check = model.check(r, 0)
    assert check.ok and "jan–maj 2024" in check.warning and "ändrar inte den summan" in check.warning
    assert (
        "Kontrollera 7762 Hemtjänst" in entry.status.text() and entry.save.isEnabled()
    )  # a warning, not an error
