"""Driving the import wizard's unknown units' page as a user does: a double click on a cell
opens its editor (the action's combo box, the unit picker), keys choose, and the editor
closes on the choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QTableView

from socdesk.gui.import_wizard.unknown_units_model import UnknownUnitsModel, action_labels


def open_editor(qtbot, table: QTableView, row: int, column: int):
    index = table.model().index(row, column)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.waitUntil(lambda: table.indexWidget(index) is not None)
    return table.indexWidget(index)


def choose_action(qtbot, table: QTableView, row: int, action: str) -> None:
    """The action's combo box, stepped with the arrow keys to ``action``, closed with Return."""
    combo = open_editor(qtbot, table, row, UnknownUnitsModel.ACTION)
    assert isinstance(combo, QComboBox)
    target = list(action_labels()).index(action)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)
    assert table.model().rows[row].action == action  # the table follows each step
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    index = table.model().index(row, UnknownUnitsModel.ACTION)
    qtbot.waitUntil(lambda: table.indexWidget(index) is None)  # closed on the choice
    assert table.model().rows[row].action == action


def pick_unit(qtbot, table: QTableView, row: int, typed: str, label: str) -> None:
    """Type ``typed`` in the unit picker, then choose ``label`` in its completion list."""
    picker = open_editor(qtbot, table, row, UnknownUnitsModel.UNIT)
    assert isinstance(picker, QLineEdit)
    picker.clear()
    qtbot.keyClicks(picker, typed)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert label in shown, shown
    while popup.currentIndex().data() != label:
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    index = table.model().index(row, UnknownUnitsModel.UNIT)
    qtbot.waitUntil(lambda: table.indexWidget(index) is None)
    assert index.data() == label
    QApplication.processEvents()
