"""The unit codes of a file that the database does not know, as a table model: the code, the
name the file gives it, what to do (create a new unit under a parent, map it to an existing
unit, or leave its rows out) and the parent or target unit; and the delegate whose editor is a
unit picker that filters the database's units by code or name as one types (a QCompleter over
one list model of the units, shared by every row: never a combo box of every unit per row)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from socdesk.core.i18n import _
from socdesk.core.units import UnitTree

CREATE, MAP, SKIP = "create", "map", "skip"
TOP = ""  # "create at the top level", chosen in so many words (None: nothing chosen yet)
Index = QModelIndex | QPersistentModelIndex


def action_labels() -> dict[str, str]:
    return {
        CREATE: _("Skapa ny under …"),
        MAP: _("Koppla till befintlig …"),
        SKIP: _("Hoppa över"),
    }


def top_label() -> str:
    return _("(överst i trädet, ingen överordnad)")


@dataclass
class UnknownUnit:
    code: str
    name: str  # as the file names it ("" when it does not)
    where: str  # the first place in the file ("fil.csv, rad 4, kolumn Ansvar")
    action: str = CREATE
    unit: str | None = None  # the parent (CREATE; TOP: the top level) or the target (MAP); None: not chosen


class UnknownUnitsModel(QAbstractTableModel):
    CODE, NAME, ACTION, UNIT = range(4)

    def __init__(self, tree: UnitTree, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[UnknownUnit] = []
        self.units = QStringListModel(self)  # what a picker completes: a unit to map to …
        self.parents = QStringListModel(self)  # … or a new unit's parent (the top level too)
        self._set_tree(tree)

    def _set_tree(self, tree: UnitTree) -> None:
        self.tree = tree
        self._by_label = {u.label: u.code for u in tree}
        labels = list(self._by_label)
        self.units.setStringList(labels)
        self.parents.setStringList([top_label(), *labels])

    # --- contents -------------------------------------------------------------------------
    def set_rows(self, rows: list[UnknownUnit], tree: UnitTree | None = None) -> None:
        self.beginResetModel()
        if tree is not None:
            self._set_tree(tree)
        self.rows = rows
        self.endResetModel()

    def unit_label(self, code: str | None) -> str:
        if code is None:
            return ""
        if code == TOP:
            return top_label()
        unit = self.tree.get(code)
        return unit.label if unit is not None else code

    def code_for(self, text: str) -> str | None:
        """The unit a picker's text names: a unit's label, or its code alone; None if none."""
        text = text.strip()
        if text == top_label():
            return TOP
        if text in self._by_label:
            return self._by_label[text]
        first = text.split(" ", 1)[0] if text else ""
        return first if first in self.tree else None

    def choices(self) -> tuple[dict[str, str], dict[str, str | None], set[str]]:
        """``mapping`` (code → existing unit), ``create`` (code → parent, None: top level) and
        ``skip``, as ``importer.plan`` takes them. Rows without a unit are left to ``problems``."""
        mapping: dict[str, str] = {}
        create: dict[str, str | None] = {}
        skip: set[str] = set()
        for row in self.rows:
            if row.action == SKIP:
                skip.add(row.code)
            elif row.unit is None:
                continue
            elif row.action == MAP:
                mapping[row.code] = row.unit
            else:
                create[row.code] = row.unit or None
        return mapping, create, skip

    def problems(self) -> list[str]:
        """A sentence per row that still needs a choice, naming the code."""
        out = []
        for row in self.rows:
            if row.action == SKIP or row.unit is not None:
                continue
            named = f"{row.code} {row.name}".strip() if row.name and row.name != row.code else row.code
            out.append(
                (
                    _("{c}: välj var den nya enheten ska ligga (enheten över den i trädet).")
                    if row.action == CREATE
                    else _("{c}: välj den befintliga enhet som koden ska kopplas till.")
                ).format(c=named)
            )
        return out

    # --- the Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Kod i filen"), _("Namn i filen"), _("Gör"), _("Enhet"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.ACTION or (
            index.column() == self.UNIT and self.rows[index.row()].action != SKIP
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CODE:
                return row.code
            if column == self.NAME:
                return row.name
            if column == self.ACTION:
                return action_labels()[row.action]
            if row.action == SKIP:
                return _("(raderna läses inte in)")
            return self.unit_label(row.unit) if row.unit is not None else _("(välj enhet)")
        if role == Qt.ItemDataRole.EditRole:
            return {self.CODE: row.code, self.NAME: row.name, self.ACTION: row.action, self.UNIT: row.unit}[
                column
            ]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.where
        still_to_choose = column == self.UNIT and row.action != SKIP and row.unit is None
        if role == Qt.ItemDataRole.ForegroundRole and still_to_choose:
            return Qt.GlobalColor.darkRed
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = self.rows[index.row()]
        if index.column() == self.ACTION and value in (CREATE, MAP, SKIP):
            if value != row.action and (value == MAP and row.unit == TOP):
                row.unit = None  # the top level is a place for a new unit, not a unit to map to
            row.action = value
        elif index.column() == self.UNIT and (value is None or value == TOP or value in self.tree):
            if value == TOP and row.action == MAP:
                return False
            row.unit = value
        else:
            return False
        left, right = self.index(index.row(), self.ACTION), self.index(index.row(), self.UNIT)
        self.dataChanged.emit(left, right)
        return True


class UnitPicker(QLineEdit):
    """A line edit that completes to a unit's label (``7762 Hemtjänst``) from any part of it."""

    def __init__(self, units: QStringListModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Enhet"))
        self.setPlaceholderText(_("Skriv kod eller namn …"))
        completer = QCompleter(units, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)


class UnknownUnitsDelegate(QStyledItemDelegate):
    """The action as a three-item combo box; the unit as a ``UnitPicker``."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        model = index.model()
        assert isinstance(model, UnknownUnitsModel)
        if index.column() == UnknownUnitsModel.ACTION:
            combo = QComboBox(parent)
            for value, label in action_labels().items():
                combo.addItem(label, value)
            combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))  # the table follows at once
            return combo
        units = model.parents if model.rows[index.row()].action == CREATE else model.units
        picker = UnitPicker(units, parent)
        picker.completer().activated.connect(lambda _t, p=picker: self._commit(p))
        return picker

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Return or Enter in an editor ends the edit and goes no further: the wizard's default
        button (Nästa) is not pressed by the key that confirms a choice in the table."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(editor, QWidget)
        ):
            self._commit(editor)
            return True
        return super().eventFilter(editor, event)

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        model = index.model()
        assert isinstance(model, UnknownUnitsModel)
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(model.unit_label(value))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(model, UnknownUnitsModel)
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QLineEdit):
            code = model.code_for(editor.text())
            if code is not None or not editor.text().strip():
                model.setData(index, code)  # a text that names no unit leaves the choice as it was
