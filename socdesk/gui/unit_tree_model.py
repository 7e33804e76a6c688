"""The tree of units as a ``QAbstractItemModel`` (code and name, one column).

A "därav" part of its parent is shown in italics, after "därav", with a tooltip saying that it
is not part of the parent's sum.

Qt calls ``index``, ``parent`` and ``data`` tens of thousands of times while painting a
city's tree, so everything they need is precomputed into flat lists indexed by a unit's
position (its internal id): no searching, no dictionary of objects per call.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from socdesk.core.i18n import _
from socdesk.core.units import Unit, UnitTree

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
ROOT = -1


class UnitTreeModel(QAbstractItemModel):
    def __init__(self, tree: UnitTree, parent: Any = None) -> None:
        super().__init__(parent)
        self._set(tree)

    def _set(self, tree: UnitTree) -> None:
        self._tree = tree
        units = list(tree)
        self._codes = [u.code for u in units]
        self._labels = [_label(u) for u in units]
        self._names = [_tooltip(u) for u in units]
        self._parts = [u.part for u in units]
        self._italic = QFont()
        self._italic.setItalic(True)
        self._id = {code: i for i, code in enumerate(self._codes)}
        self._parent = [self._id[u.parent] if u.parent is not None else ROOT for u in units]
        self._children: dict[int, list[int]] = {ROOT: []}
        self._row = [0] * len(units)
        for i, p in enumerate(self._parent):
            kids = self._children.setdefault(p, [])
            self._row[i] = len(kids)
            kids.append(i)

    def set_tree(self, tree: UnitTree) -> None:
        self.beginResetModel()
        self._set(tree)
        self.endResetModel()

    def unit(self, index: _Index) -> Unit | None:
        return self._tree[self._codes[index.internalId()]] if index.isValid() else None

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        kids = self._children.get(parent.internalId() if parent.isValid() else ROOT, ())
        if column != 0 or not 0 <= row < len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, kids[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        p = self._parent[index.internalId()]
        return QModelIndex() if p == ROOT else self.createIndex(self._row[p], 0, p)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._children[ROOT])
        if parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId(), ()))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        i = index.internalId()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._labels[i]
        if role == CODE_ROLE:
            return self._codes[i]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._names[i]
        if role == Qt.ItemDataRole.FontRole and self._parts[i]:
            return self._italic
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _("Enhet")
        return None

    def child_id(self, parent: _Index, row: int) -> int:
        """The flat id of a row under ``parent`` (for filters that must not build indexes)."""
        return self._children[parent.internalId() if parent.isValid() else ROOT][row]

    def index_of(self, code: str) -> QModelIndex:
        i = self._id.get(code)
        return QModelIndex() if i is None else self.createIndex(self._row[i], 0, i)


def _label(unit: Unit) -> str:
    if not unit.part or unit.name.lower().startswith(("därav ", "varav ")):
        return unit.label
    return _("{code} därav {name}").format(code=unit.code, name=unit.name)


def _tooltip(unit: Unit) -> str:
    if not unit.part:
        return unit.name
    return _("{name}: en del (därav) av {parent}, inte en del av dess summa.").format(
        name=unit.name, parent=unit.parent
    )
