"""The tree of units with a filter box; remembers which branches were open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from socdesk.core.i18n import _
from socdesk.core.units import UnitTree
from socdesk.gui.unit_tree_model import CODE_ROLE, UnitTreeModel

EXPANDED_KEY = "tree/expanded"
EXPAND_ALL_BELOW = 300  # with more matches than this, only open the levels above the programs


class UnitFilterProxy(QSortFilterProxyModel):
    """Shows the units whose code or name matches, and their ancestors. The matching is done
    once per keystroke over the unit tree (not row by row through Qt), so a city of 5 000
    units filters in a blink."""

    def __init__(self, tree: UnitTree, parent: Any = None) -> None:
        super().__init__(parent)
        self.tree = tree
        self.visible: set[str] | None = None
        self.matches: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        needle = text.strip().casefold()
        if not needle:
            self.visible, self.matches = None, []
        else:
            self.matches = [u.code for u in self.tree if needle in f"{u.code} {u.name}".casefold()]
            visible = set(self.matches)
            for code in self.matches:
                visible.update(a.code for a in self.tree.ancestors(code))
            self.visible = visible
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # type: ignore[override]
        if self.visible is None:
            return True
        model = self.sourceModel()
        return model.index(source_row, 0, source_parent).data(CODE_ROLE) in self.visible


class UnitTreePanel(QWidget):
    """Emits ``unit_selected(code)`` when the user (or ``select``) picks a unit."""

    unit_selected = Signal(str)

    def __init__(self, tree: UnitTree, settings: QSettings, parent: Any = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.model = UnitTreeModel(tree, self)
        self.proxy = UnitFilterProxy(tree, self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filtrera på kod eller namn …"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(_("Filtrera enheter"))
        self.view = QTreeView()
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setAccessibleName(_("Enheter"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self._expanded: set[str] = set(self.settings.value(EXPANDED_KEY, [], list) or [])
        self._restoring = False
        self._restore_expanded()
        self.filter.textChanged.connect(self._filter_changed)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.expanded.connect(lambda i: self._remember(i, True))
        self.view.collapsed.connect(lambda i: self._remember(i, False))

    # --- selection ----------------------------------------------------------------------
    def current_code(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(CODE_ROLE) if index.isValid() else None

    def select(self, code: str) -> None:
        source = self.model.index_of(code)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():  # filtered away: clear the filter to show it
            self.filter.clear()
            index = self.proxy.mapFromSource(source)
        parent = index.parent()
        while parent.isValid():
            self.view.expand(parent)
            parent = parent.parent()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE) if current.isValid() else None
        if code:
            self.unit_selected.emit(code)

    # --- filter and expand state --------------------------------------------------------
    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        if text.strip():
            self._restoring = True
            many = len(self.proxy.matches) > EXPAND_ALL_BELOW
            opened = set()
            for code in self.proxy.matches:
                for ancestor in self.proxy.tree.ancestors(code)[1 if many else 0 :]:
                    if ancestor.code not in opened:
                        opened.add(ancestor.code)
                        self.view.expand(self.proxy.mapFromSource(self.model.index_of(ancestor.code)))
            self._restoring = False
        else:
            self.view.collapseAll()
            self._restore_expanded()
        code = self.current_code()
        if code:
            self.view.scrollTo(self.view.currentIndex())

    def _remember(self, index: QModelIndex, expanded: bool) -> None:
        if self._restoring or self.filter.text().strip():
            return
        code = index.data(CODE_ROLE)
        (self._expanded.add if expanded else self._expanded.discard)(code)
        self.settings.setValue(EXPANDED_KEY, sorted(self._expanded))

    def _restore_expanded(self) -> None:
        self._restoring = True
        for code in self._expanded:
            source = self.model.index_of(code)
            if source.isValid():
                self.view.expand(self.proxy.mapFromSource(source))
        self._restoring = False

    def expand(self, code: str) -> None:
        self.view.expand(self.proxy.mapFromSource(self.model.index_of(code)))
