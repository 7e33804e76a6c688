"""The tree of units as a ``QAbstractItemModel`` (code and name, one column)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from socdesk.core.i18n import _
from socdesk.core.units import Unit, UnitTree

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class UnitTreeModel(QAbstractItemModel):
    def __init__(self, tree: UnitTree, parent: Any = None) -> None:
        super().__init__(parent)
        self._set(tree)

    def _set(self, tree: UnitTree) -> None:
        self._tree = tree
        self._codes = [u.code for u in tree]  # stable ids: position in this list
        self._id = {code: i for i, code in enumerate(self._codes)}

    def set_tree(self, tree: UnitTree) -> None:
        self.beginResetModel()
        self._set(tree)
        self.endResetModel()

    def unit(self, index: _Index) -> Unit | None:
        if not index.isValid():
            return None
        return self._tree[self._codes[index.internalId()]]

    def _siblings(self, parent_code: str | None) -> list[Unit]:
        return self._tree.roots() if parent_code is None else self._tree.children(parent_code)

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        parent_unit = self.unit(parent)
        siblings = self._siblings(parent_unit.code if parent_unit else None)
        if column != 0 or not 0 <= row < len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, self._id[siblings[row].code])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        unit = self.unit(index)
        if unit is None or unit.parent is None:
            return QModelIndex()
        parent = self._tree[unit.parent]
        row = [u.code for u in self._siblings(parent.parent)].index(parent.code)
        return self.createIndex(row, 0, self._id[parent.code])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        unit = self.unit(parent)
        return len(self._siblings(unit.code if unit else None))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        unit = self.unit(index)
        if unit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return unit.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return unit.name
        if role == CODE_ROLE:
            return unit.code
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _("Enhet")
        return None

    def index_of(self, code: str) -> QModelIndex:
        unit = self._tree.get(code)
        if unit is None:
            return QModelIndex()
        row = [u.code for u in self._siblings(unit.parent)].index(code)
        return self.createIndex(row, 0, self._id[code])
