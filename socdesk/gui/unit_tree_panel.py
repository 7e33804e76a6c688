"""The tree of units with a filter box; remembers which branches were open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from socdesk.core.i18n import _
from socdesk.core.units import UnitTree
from socdesk.gui.unit_tree_model import CODE_ROLE, UnitTreeModel

EXPANDED_KEY = "tree/expanded"
EXPAND_ALL_BELOW = 50  # with more matches than this, open only the levels above their parents


class UnitFilterProxy(QSortFilterProxyModel):
    """Shows the units whose code or name matches, and their ancestors. The matching runs once
    per keystroke over precomputed search texts, and rows are accepted by a set lookup on the
    source model's flat ids, so a city of 5 000 units filters in a blink."""

    def __init__(self, tree: UnitTree, parent: Any = None) -> None:
        super().__init__(parent)
        self.set_tree(tree)

    def set_tree(self, tree: UnitTree) -> None:
        """Before the source model is given the same tree (units were added)."""
        self.tree = tree
        units = list(tree)
        self._search = [f"{u.code} {u.name}".casefold() for u in units]
        self._codes = [u.code for u in units]
        self._ancestors = [[a.code for a in tree.ancestors(u.code)] for u in units]
        self._ids = {code: i for i, code in enumerate(self._codes)}
        self.visible: set[int] | None = None
        self.matches: list[str] = []
        self._needle = ""
        self._hits: list[int] | None = None

    def set_text(self, text: str) -> bool:
        """Filter on ``text``; False (and no re-filtering) when the shown rows stay the same.
        When the text grows, only the previous matches can still match, so only they are searched."""
        needle = text.strip().casefold()
        if not needle:
            visible, matches, hits = None, [], None
        else:
            previous = self._hits if self._needle and self._needle in needle else range(len(self._search))
            hits = [i for i in previous if needle in self._search[i]]
            matches = [self._codes[i] for i in hits]
            visible = set(hits)
            for i in hits:
                visible.update(self._ids[a] for a in self._ancestors[i])
        self._needle, self._hits = needle, hits
        if visible == self.visible:
            self.matches = matches
            return False
        self.beginFilterChange()
        self.visible, self.matches = visible, matches
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        return True

    def ancestors(self, code: str) -> list[str]:
        return self._ancestors[self._ids[code]]

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # type: ignore[override]
        if self.visible is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, UnitTreeModel)
        return model.child_id(source_parent, source_row) in self.visible


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

    def set_tree(self, tree: UnitTree) -> None:
        """Show a changed tree (an import added units), keeping selection, filter and open branches."""
        current = self.current_code()
        self.proxy.set_tree(tree)
        self.model.set_tree(tree)
        self.proxy.set_text(self.filter.text())
        self._restore_expanded()
        if current is not None and current in tree:
            self.select(current)

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
        if not self.proxy.set_text(text):
            return  # the same rows shown: nothing to re-filter or open
        if text.strip():
            self._restoring = True
            many = len(self.proxy.matches) > EXPAND_ALL_BELOW
            opened: set[str] = set()
            for code in self.proxy.matches:
                opened.update(self.proxy.ancestors(code)[1 if many else 0 :])
            self.view.setUpdatesEnabled(False)
            for code in opened:
                self.view.expand(self.proxy.mapFromSource(self.model.index_of(code)))
            self.view.setUpdatesEnabled(True)
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
