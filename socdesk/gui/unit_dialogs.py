"""Changing the units from the tree's context menu (issue 16 §2, docs/units.md): Ny enhet
under …, Byt namn …, Flytta …, Stäng fr.o.m. …, Slå ihop med … – each a small dialog with a
unit picker that filters by code or name, and a preview line saying what will happen. The
changes are the store's (``socdesk.store.unit_changes``: audited, one transaction each); only
the controller role may make them."""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextlib import nullcontext
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QPoint, QSortFilterProxyModel, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.roles import Role
from socdesk.core.units import UnitTree, check_month, closed_label, merge_preview, month_label
from socdesk.gui import actions
from socdesk.gui.context import AppContext
from socdesk.gui.unit_tree_model import CODE_ROLE

CONTROLLER_ONLY = _("Bara en controller kan ändra enheter (Inställningar → Roll).")


class Change(StrEnum):
    ADD = "add"
    RENAME = "rename"
    MOVE = "move"
    CLOSE = "close"
    MERGE = "merge"

    @property
    def menu_text(self) -> str:
        return {
            Change.ADD: _("Ny enhet under …"),
            Change.RENAME: _("Byt namn …"),
            Change.MOVE: _("Flytta …"),
            Change.CLOSE: _("Stäng fr.o.m. …"),
            Change.MERGE: _("Slå ihop med …"),
        }[self]


class UnitPicker(QWidget):
    """A filter box over the units' "code name" labels (a list, not a combo box of thousands)."""

    picked = Signal(str)  # the code, or "" when nothing is picked

    def __init__(self, tree: UnitTree, exclude: Collection[str] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Sök på kod eller namn …"))
        self.filter.setAccessibleName(_("Sök enhet"))
        self._codes = [u.code for u in tree if u.code not in exclude]
        labels = [f"{u.label} {closed_label(u)}".strip() for u in tree if u.code not in exclude]
        self._by_label = dict(zip(labels, self._codes, strict=True))
        self.source = QStringListModel(labels, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setAccessibleName(_("Enheter att välja bland"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self._filtered)
        self.list.selectionModel().currentChanged.connect(lambda *_a: self.picked.emit(self.code()))

    def _filtered(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.proxy.rowCount() == 1:  # one match: picked
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        self.picked.emit(self.code())

    def code(self) -> str:
        index = self.list.currentIndex()  # a row the filter hides is current no longer
        return self._by_label.get(index.data(), "") if index.isValid() else ""


class UnitChangeDialog(QDialog):
    """One change of the tree for the unit right-clicked: its fields, a preview line, Spara."""

    def __init__(
        self, ctx: AppContext, tree: UnitTree, change: Change, code: str, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.tree, self.change, self.code = ctx, tree, change, code
        self.done_code: str | None = None  # the unit to select after the change
        unit = tree[code]
        self.setWindowTitle(change.menu_text.rstrip(" …") + " – " + unit.label)
        form = QFormLayout()
        self.new_code = QLineEdit()
        self.new_code.setAccessibleName(_("Kod"))
        self.name = QLineEdit()
        self.name.setAccessibleName(_("Namn"))
        self.month = QLineEdit()
        self.month.setPlaceholderText(_("ÅÅÅÅ-MM, t.ex. 2023-07"))
        self.month.setAccessibleName(_("Från och med månad"))
        self.picker: UnitPicker | None = None
        if change is Change.ADD:
            form.addRow(_("Under:"), QLabel(unit.label))
            form.addRow(_("Kod:"), self.new_code)
            form.addRow(_("Namn:"), self.name)
        elif change is Change.RENAME:
            form.addRow(_("Kod:"), QLabel(unit.code + _(" (koden ändras inte)")))
            self.name.setText(unit.name)
            form.addRow(_("Nytt namn:"), self.name)
        elif change is Change.MOVE:
            below = {code, *(u.code for u in tree.descendants(code))}  # no cycles offered
            self.picker = UnitPicker(tree, below)
            form.addRow(_("Ny överordnad:"), self.picker)
            form.addRow(_("Gäller fr.o.m.:"), self.month)
        elif change is Change.CLOSE:
            form.addRow(_("Stängs fr.o.m.:"), self.month)
        else:
            self.picker = UnitPicker(tree, {code})
            form.addRow(_("Slå ihop med:"), self.picker)
            form.addRow(_("Till enhet (kod):"), self.new_code)
            form.addRow(_("Namn (ny enhet):"), self.name)
            form.addRow(_("Fr.o.m.:"), self.month)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(_("Vad som kommer att hända"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Spara"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Avbryt"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for edit in (self.new_code, self.name, self.month):
            edit.textChanged.connect(self._update)
        if self.picker is not None:
            self.picker.picked.connect(self._update)
        self._update()

    # --- what will happen -----------------------------------------------------------------
    def _month(self) -> str | None:
        text = self.month.text().strip()
        if not text:
            return None
        try:
            return check_month(text)
        except SocdeskError:
            return None

    def describe(self) -> str | None:
        """The preview line; None while the fields do not make a change yet."""
        unit = self.tree[self.code]
        code, name, month = self.new_code.text().strip(), self.name.text().strip(), self._month()
        other = self.picker.code() if self.picker is not None else ""
        c = self.change
        if c is Change.ADD:
            if not code or not name:
                return None
            return _("{c} {n} läggs till under {p}.").format(c=code, n=name, p=unit.label)
        if c is Change.RENAME:
            if not name or name == unit.name:
                return None
            return _(
                "{c} byter namn från ”{o}” till ”{n}”; koden, uppgifterna och historiken står kvar."
            ).format(c=unit.code, o=unit.name, n=name)
        if c is Change.MOVE:
            if not other or (self.month.text().strip() and month is None):
                return None
            since = _(" fr.o.m. {m}").format(m=month_label(month)) if month else ""
            return _("{u} flyttas med allt under sig till {p}{s}; summorna räknas om.").format(
                u=unit.label, p=self.tree[other].label, s=since
            )
        if c is Change.CLOSE:
            if month is None:
                return None
            return _(
                "{u} stängs fr.o.m. {m}: inga uppgifter kan registreras eller importeras för "
                "perioder därifrån; tidigare uppgifter står kvar."
            ).format(u=unit.label, m=month_label(month))
        if not other or not code or month is None or (code not in self.tree and not name):
            return None
        return merge_preview(
            self.tree, [self.code, other], code, name or None, month, made=code not in self.tree
        )

    def _update(self) -> None:
        text = self.describe()
        self.preview.setText(text or _("Fyll i fälten ovan."))
        self.save_button.setEnabled(text is not None)
        self.error.clear()

    # --- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        """The change, in one audited transaction (a backup first, as for a period lock); a
        refusal is shown in the dialog, which stays open, and nothing is changed."""
        from socdesk.store.backup import backup_for

        store, c = self.ctx.store, self.change
        code, name, month = self.new_code.text().strip(), self.name.text().strip(), self._month() or ""
        other = self.picker.code() if self.picker is not None else ""
        folder = self.ctx.backups
        try:
            with backup_for(store, folder, "enheter") if folder is not None else nullcontext():
                if c is Change.ADD:
                    store.add_unit(code, name, self.code)
                    self.done_code = code
                elif c is Change.RENAME:
                    store.rename_unit(self.code, name)
                elif c is Change.MOVE:
                    store.move_unit(self.code, other, effective=month)
                elif c is Change.CLOSE:
                    store.close_unit(self.code, month)
                else:
                    store.merge_units([self.code, other], code, month, name=name or None)
                    self.done_code = code
        except SocdeskError as err:
            self.error.setText(str(err))
            return
        self.done_code = self.done_code or self.code
        self.accept()


class UnitEditing(QObject):
    """The tree panel's context menu over the unit changes; ``changed(code)`` after one."""

    changed = Signal(str)  # the unit to show after the change

    def __init__(
        self, panel, ctx: AppContext, role: Callable[[], Role], tree: Callable[[], UnitTree]
    ) -> None:
        super().__init__(panel)
        self.panel, self.ctx, self._role, self._tree = panel, ctx, role, tree
        self.menu: QMenu | None = None
        self.dialog: UnitChangeDialog | None = None
        self.actions: dict[Change, QAction] = {}
        view = panel.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._requested)

    def _requested(self, pos: QPoint) -> None:
        index = self.panel.view.indexAt(pos)
        if not index.isValid():
            return
        self.menu = self.menu_for(index.data(CODE_ROLE))
        self.menu.popup(self.panel.view.viewport().mapToGlobal(pos))

    def menu_for(self, code: str) -> QMenu:
        """The context menu for a unit; each action disabled with the reason as its tooltip."""
        menu = QMenu(self.panel)
        menu.setToolTipsVisible(True)
        unit = self._tree()[code]
        may = self._role().may_lock and not self.ctx.readonly
        why = actions.READONLY if self.ctx.readonly else CONTROLLER_ONLY
        self.actions = {}
        for change in Change:
            action = QAction(change.menu_text, menu)
            ok, reason = may, why
            if may and unit.closed_from and change in (Change.ADD, Change.CLOSE, Change.MERGE):
                ok, reason = (
                    False,
                    _("{u} är redan {c}.").format(u=unit.code, c=closed_label(unit).strip("()")),
                )
            actions.enable(action, ok, reason)
            action.triggered.connect(lambda _checked=False, c=change: self.open_dialog(c, code))
            menu.addAction(action)
            self.actions[change] = action
        return menu

    def open_dialog(self, change: Change, code: str) -> UnitChangeDialog:
        self.dialog = UnitChangeDialog(self.ctx, self._tree(), change, code, self.panel.window())
        self.dialog.accepted.connect(lambda d=self.dialog: self.changed.emit(d.done_code or code))
        self.dialog.open()
        return self.dialog
