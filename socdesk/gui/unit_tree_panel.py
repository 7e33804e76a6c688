"""The tree of units with a filter box; remembers which branches were open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from socdesk.core.i18n import _
from socdesk.core.units import UnitTree
from socdesk.gui.unit_tree_model import CODE_ROLE, UnitTreeModel

EXPANDED_KEY = "tree/expanded"
EXPAND_ALL_BELOW = 50  # with more matches than this, open only the levels above their parents


class UnitTreePanel(QWidget):
    """Emits ``unit_selected(code)`` when the user (or ``select``) picks a unit."""

    unit_selected = Signal(str)

    def __init__(self, tree: UnitTree, settings: QSettings, parent: Any = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.model = UnitTreeModel(tree, self)  # filters itself (no proxy: see its docstring)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filtrera på kod eller namn …"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(_("Filtrera enheter"))
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        # Shown always, so that a filter showing more or fewer rows than fit never resizes the
        # view: a resize lays it out and paints it a second time.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setAccessibleName(_("Enheter"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self._expanded: set[str] = set(self.settings.value(EXPANDED_KEY, [], list) or [])
        self._restoring = False
        self._chosen: str | None = None  # the unit last picked, kept while a filter hides it
        self._restore_expanded()
        self.filter.textChanged.connect(self._filter_changed)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.expanded.connect(lambda i: self._remember(i, True))
        self.view.collapsed.connect(lambda i: self._remember(i, False))

    def set_tree(self, tree: UnitTree) -> None:
        """Show a changed tree (an import added units), keeping selection, filter and open branches."""
        current = self.current_code() or self._chosen
        self.model.set_tree(tree)
        self._restore_expanded()
        self._filter_changed(self.filter.text())
        if current is not None and self.model.index_of(current).isValid():
            self.select(current)  # (one the filter hides comes back when it is cleared)

    # --- selection ----------------------------------------------------------------------
    def current_code(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(CODE_ROLE) if index.isValid() else None

    def select(self, code: str) -> None:
        index = self.model.index_of(code)
        if not index.isValid():  # filtered away: clear the filter to show it
            self.filter.clear()
            index = self.model.index_of(code)
        parent = index.parent()
        while parent.isValid():
            self.view.expand(parent)
            parent = parent.parent()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE) if current.isValid() else None
        if code:
            self._chosen = code
            self.unit_selected.emit(code)

    # --- filter and expand state --------------------------------------------------------
    def _filter_changed(self, text: str) -> None:
        """One layout change of the model per keystroke that changes the shown units (none when
        it does not). While a filter is typed, only the branches over its matches are open (the
        branches the user had open come back when the filter is cleared), so the view lays out
        the rows a match needs and no more."""
        if not self.model.set_filter(text):
            return  # the same rows shown: nothing to re-filter or open
        self._restoring = True  # collapsing all is not the user closing what was open
        self.view.collapseAll()
        self.view.scheduleDelayedItemsLayout()  # the opening below stores, one layout follows
        if text.strip():  # open only the branches over the matches: the view lays out no more
            hits = self.model.hits or []
            for index in self.model.branches_to_open(with_parents=len(hits) <= EXPAND_ALL_BELOW):
                self.view.expand(index)
            self._restoring = False
        else:
            self._restore_expanded()  # the user's open branches again
        current = self.view.currentIndex()
        if not current.isValid() and self._chosen is not None:  # shown again: the same unit
            current = self.model.index_of(self._chosen)
            if current.isValid():
                self.view.selectionModel().setCurrentIndex(
                    current, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
        if current.isValid():
            self.view.scrollTo(current)

    def _remember(self, index: QModelIndex, expanded: bool) -> None:
        if self._restoring or self.filter.text().strip():
            return
        code = index.data(CODE_ROLE)
        (self._expanded.add if expanded else self._expanded.discard)(code)
        self.settings.setValue(EXPANDED_KEY, sorted(self._expanded))

    def _restore_expanded(self) -> None:
        self._restoring = True
        for code in self._expanded:
            index = self.model.index_of(code)
            if index.isValid():
                self.view.expand(index)
        self._restoring = False

    def expand(self, code: str) -> None:
        self.view.expand(self.model.index_of(code))
