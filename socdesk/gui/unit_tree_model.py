"""The tree of units as a ``QAbstractItemModel`` (code and name, one column).

A "därav" part of its parent is shown in italics, after "därav", with a tooltip saying that it
is not part of the parent's sum.

Qt calls ``index``, ``parent`` and ``data`` tens of thousands of times while painting a
city's tree, so everything they need is precomputed into flat lists indexed by a unit's
position (its internal id): no searching, no dictionary of objects per call.

The model filters itself (``set_filter``): it keeps the shown child lists, and a keystroke that
changes what is shown is one layout change – the kept child lists rebuilt from the shown ids,
persistent indexes (the view's open branches, its current row) moved or dropped – instead of a
proxy model asking ``filterAcceptsRow`` of every unit and telling the view row by row. Matching
searches one joined, casefolded text of every unit's code and name; when the text grows only
the previous matches are searched again.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from socdesk.core.i18n import _
from socdesk.core.units import Unit, UnitTree, closed_label

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY, TOOLTIP, FONT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
_Index = QModelIndex | QPersistentModelIndex
ROOT = -1
ROWS_ONLY = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_LAYOUT_ARGS = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"


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
        self._closed = [bool(u.closed_from) for u in units]  # shown greyed (docs/units.md)
        self._grey = QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        self._by_role = {DISPLAY: self._labels, CODE_ROLE: self._codes, TOOLTIP: self._names}
        self._italic = QFont()
        self._italic.setItalic(True)
        self._id = {code: i for i, code in enumerate(self._codes)}
        self._parent = [self._id[u.parent] if u.parent is not None else ROOT for u in units]
        self._all_children: dict[int, list[int]] = {ROOT: []}
        self._all_row: dict[int, int] = {}  # a unit's row under its parent
        for i, p in enumerate(self._parent):
            kids = self._all_children.setdefault(p, [])
            self._all_row[i] = len(kids)
            kids.append(i)
        self._children, self._row = self._all_children, self._all_row
        self._parents: dict[int, QModelIndex] = {}  # parent indexes made, until rows move
        texts = [f"{u.code} {u.name}".casefold() for u in units]
        self._texts = texts
        self._joined = "\n".join(texts)  # a needle never holds a newline, so never spans two units
        self._starts = [0] * len(texts)
        for i in range(1, len(texts)):
            self._starts[i] = self._starts[i - 1] + len(texts[i - 1]) + 1
        self._needle = ""
        self.hits: list[int] | None = None  # the ids whose code or name matches (None: no filter)
        self.shown: set[int] | None = None  # the hits and their ancestors (None: every unit)

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
        if p == ROOT:
            return QModelIndex()
        parent = self._parents.get(p)  # Qt asks for a painted row's parents about nine times
        if parent is None:
            parent = self._parents[p] = self.createIndex(self._row[p], 0, p)
        return parent

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._children[ROOT])
        if parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId(), ()))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:
        if not parent.isValid():
            return bool(self._children[ROOT])
        return parent.column() == 0 and parent.internalId() in self._children  # no empty lists

    def data(self, index: _Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        values = self._by_role.get(role)  # one lookup: Qt asks for seven roles per painted row
        if values is not None:
            return values[index.internalId()]
        if role == FONT and self._parts[index.internalId()]:
            return self._italic
        if role == FOREGROUND and self._closed[index.internalId()]:
            return self._grey
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _("Enhet")
        return None

    def index_of(self, code: str) -> QModelIndex:
        """The unit's index, invalid when it is unknown or filtered away."""
        i = self._id.get(code)
        return self._index(i) if i is not None else QModelIndex()

    def _index(self, i: int) -> QModelIndex:
        if self.shown is not None and i not in self.shown:
            return QModelIndex()
        return self.createIndex(self._row[i], 0, i)

    # --- the filter ---------------------------------------------------------------------
    def set_filter(self, text: str) -> bool:
        """Show the units whose code or name holds ``text`` (case-insensitive) and their
        ancestors; False, and nothing done, when the shown units stay the same."""
        needle = text.strip().casefold()
        if not needle:
            hits = None
        elif self.hits is not None and self._needle in needle:  # grown: only earlier hits can match
            hits = [i for i in self.hits if needle in self._texts[i]]
        else:
            hits = self._find(needle)
        shown = None if hits is None else self._with_ancestors(hits, set())
        self._needle, self.hits = needle, hits
        if shown == self.shown:
            return False
        # Rows only (the hint): the view's header keeps its section sizes instead of resetting
        # them, which would cost a second layout and paint of the view.
        self.layoutAboutToBeChanged[_LAYOUT_ARGS].emit([], ROWS_ONLY)
        before = self.persistentIndexList()
        ids = [index.internalId() for index in before]
        self._show(shown)
        self.changePersistentIndexList(before, [self._index(i) for i in ids])
        self.layoutChanged[_LAYOUT_ARGS].emit([], ROWS_ONLY)
        return True

    def branches_to_open(self, *, with_parents: bool) -> list[QModelIndex]:
        """The shown branches to open so that every hit is seen; without ``with_parents`` only
        the levels above the hits' parents (so the parents show, closed)."""
        if not self.hits:
            return []
        parent = self._parent
        starts = [parent[i] for i in self.hits]
        if not with_parents:
            starts = [parent[p] for p in starts if p != ROOT]
        opened = self._with_ancestors([p for p in starts if p != ROOT], set())
        return [self.createIndex(self._row[i], 0, i) for i in sorted(opened)]

    def _find(self, needle: str) -> list[int]:
        """The ids whose text holds ``needle``. A rare needle is found by scanning the joined
        text (one hit per unit, C speed between hits); a common one by testing each text, which
        is cheaper than a step per hit."""
        joined = self._joined
        if joined.count(needle) > len(self._texts) // 16:
            return [i for i, text in enumerate(self._texts) if needle in text]
        hits: list[int] = []
        find, starts, last = joined.find, self._starts, len(self._starts) - 1
        pos = find(needle)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            hits.append(i)
            pos = find(needle, starts[i + 1]) if i < last else -1
        return hits

    def _with_ancestors(self, ids: list[int], into: set[int]) -> set[int]:
        """``into`` with ``ids`` and every ancestor of them, a level at a time (set operations,
        so a level of thousands of units costs what one of a few does in Python)."""
        into.update(ids)
        level = set(map(self._parent.__getitem__, ids))
        level.discard(ROOT)
        level -= into
        while level:
            into |= level
            level = set(map(self._parent.__getitem__, level))
            level.discard(ROOT)
            level -= into
        return into

    def _show(self, shown: set[int] | None) -> None:
        if shown is None:
            self._children, self._row = self._all_children, self._all_row
        else:
            children: dict[int, list[int]] = {ROOT: []}
            row: dict[int, int] = {}
            for p in set(map(self._parent.__getitem__, shown)):
                kids = self._all_children[p]
                if not shown.issuperset(kids):
                    kids = [k for k in kids if k in shown]  # the full list's order kept
                children[p] = kids
                row.update(zip(kids, range(len(kids)), strict=True))
            self._children, self._row = children, row
        self.shown = shown
        self._parents = {}


def _label(unit: Unit) -> str:
    closed = f" {closed_label(unit)}" if unit.closed_from else ""
    if not unit.part or unit.name.lower().startswith(("därav ", "varav ")):
        return unit.label + closed
    return _("{code} därav {name}").format(code=unit.code, name=unit.name) + closed


def _tooltip(unit: Unit) -> str:
    if not unit.part:
        return unit.name
    return _("{name}: en del (därav) av {parent}, inte en del av dess summa.").format(
        name=unit.name, parent=unit.parent
    )
