"""The entry grid: keyboard first, paste from Excel, checked as typed, undo/redo, saved in one
transaction, and a draft kept in the database against crashes (offered back on next start)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.entry import block_text, parse_block, place_block
from socdesk.core.errors import SocdeskError
from socdesk.core.facts import FactKey
from socdesk.core.i18n import _
from socdesk.gui.column_widths import fit_columns
from socdesk.gui.context import AppContext
from socdesk.gui.entry_model import EntryModel
from socdesk.reports.entry import EntryForm
from socdesk.store.db import StorageError

DRAFT_DELAY_MS = 300
log = logging.getLogger(__name__)


def fault_text(fault: StorageError) -> str:
    """What the user is told when the disk or the file refused: which file, that nothing was
    saved, and where the unsaved typing is."""
    kept = (
        _(
            "Det du skrivit men inte sparat finns kvar som utkast: databasen öppnas nu igen och "
            "formuläret visas med det, så att du kan spara."
        )
        if fault.reopen
        else _(
            "Det du skrivit men inte sparat finns kvar i formuläret (som utkast); spara igen när "
            "felet är åtgärdat."
        )
    )
    return _("Inget sparades.\n\n{e}\n\n{k}").format(e=fault, k=kept)


class EntryTable(QTableView):
    """Tab, Shift-Tab and the arrow keys move between the cells one may type in."""

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        model = self.model()
        if not isinstance(model, EntryModel) or not index.isValid() or model.is_input(index.column()):
            return index
        A = QAbstractItemView.CursorAction
        inputs = model.form.inputs
        r, c = index.row(), index.column()
        if action in (A.MoveNext, A.MoveRight):
            later = [i for i in inputs if i > c]
            if later:
                return model.index(r, later[0])
            if action is A.MoveNext and r + 1 < model.rowCount():
                return model.index(r + 1, inputs[0])
            return self.currentIndex()
        if action in (A.MovePrevious, A.MoveLeft):
            earlier = [i for i in inputs if i < c]
            if earlier:
                return model.index(r, earlier[-1])
            if action is A.MovePrevious and r > 0:
                return model.index(r - 1, inputs[-1])
            return self.currentIndex()
        return index


class EntryView(QWidget):
    """``saved(n)`` after n facts were stored; ``history_requested(key)`` for the current cell;
    ``storage_failed(err)`` after the user was told that the connection can no longer be
    trusted (a ``StorageError`` whose ``reopen`` is set): the typing is still in the form, for
    the application to carry over as it opens the database again."""

    saved = Signal(int)
    history_requested = Signal(object)
    storage_failed = Signal(object)
    model_class: type[EntryModel] = EntryModel

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model: EntryModel | None = None
        self.locked = False
        self._session_drafts: set[str] = set()  # kept in this session: restored without asking
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.table = EntryTable()
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.table.setAccessibleName(_("Registrering"))
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.installEventFilter(self)
        self.table.itemDelegate().closeEditor.connect(self._editor_closed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.undo = QPushButton(_("Ångra"))
        self.undo.setToolTip(_("Ångra senaste ändringen (Ctrl+Z)"))
        self.redo = QPushButton(_("Gör om"))
        self.redo.setToolTip(_("Gör om (Ctrl+Y)"))
        self.history = QPushButton(_("Historik …"))
        self.history.setToolTip(_("Alla ändringar av cellen: vem, när, från och till (Ctrl+H)"))
        self.save = QPushButton(_("Spara"))
        self.save.setToolTip(_("Spara alla ändrade celler på en gång (Ctrl+S)"))
        self.save.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.history, self.undo, self.redo, self.save):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.keep_draft)
        self.save.clicked.connect(self.save_changes)
        self.undo.clicked.connect(lambda: self.model and self.model.undo_stack.undo())
        self.redo.clicked.connect(lambda: self.model and self.model.undo_stack.redo())
        self.history.clicked.connect(self.request_history)
        self._update()

    # --- the form -----------------------------------------------------------------------
    def set_form(self, form: EntryForm, *, not_allowed: str = "") -> None:
        """Show a form; a draft left from a crash is offered back, one from this session restored.
        ``not_allowed`` (why the user may not change it) makes it read-only."""
        self.keep_draft()
        old = self.model
        self.model = self.model_class(form, self.ctx.scale, self)
        self.locked = self._lock(self.model)
        self.model.readonly = self.locked or self.ctx.readonly or bool(not_allowed)
        self.table.setModel(self.model)
        if old is not None:
            old.deleteLater()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fit_columns(self.table)
        self.model.edited.connect(self._edited)
        self.table.selectionModel().currentChanged.connect(self._update)
        self.model.undo_stack.canUndoChanged.connect(self._update)
        self.model.undo_stack.canRedoChanged.connect(self._update)
        self.title.setText(
            form.title
            + (_(" – 🔒 låst period, bara läsning") if self.locked else "")
            + (_(" – skrivskyddad databas") if self.ctx.readonly else "")
            + (f" – {not_allowed}" if not_allowed else "")
        )
        if form.inputs and form.units:
            self.table.setCurrentIndex(self.model.index(0, form.inputs[0]))
        draft = self.ctx.store.draft(form.key) if not self.model.readonly else {}
        if draft:
            if form.key in self._session_drafts or self._ask_restore(len(draft)):
                self.model.restore_draft(draft)
            else:
                self.ctx.store.clear_draft(form.key)
        self._update()

    def _lock(self, model: EntryModel) -> bool:
        """Whether a period lock makes the whole form read-only."""
        return self.ctx.store.locked(model.form.root.code, model.form.locked_period)

    def _ask_restore(self, count: int) -> bool:
        answer = QMessageBox.question(
            self,
            _("Osparade ändringar"),
            _(
                "Det finns {n} osparade celler i det här formuläret från förra gången "
                "(programmet avslutades innan de sparades). Vill du ta tillbaka dem?"
            ).format(n=count),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _edited(self) -> None:
        self._update()
        if self.model is not None and not self.model.readonly:
            self.draft_timer.start()

    def _update(self, *_args: object) -> None:
        model = self.model
        if model is None:
            for b in (self.undo, self.redo, self.save, self.history):
                b.setEnabled(False)
            self.status.setText("")
            return
        errors, warnings = model.errors(), model.warnings()
        changed = len(model.changed_cells())
        self.save.setEnabled(bool(changed) and not errors and not model.readonly)
        self.undo.setEnabled(model.undo_stack.canUndo())
        self.redo.setEnabled(model.undo_stack.canRedo())
        self.history.setEnabled(bool(model.form.inputs))
        current = self.table.currentIndex()
        here = (current.row(), current.column()) if current.isValid() else None
        if errors:
            r, c, message = next((e for e in errors if (e[0], e[1]) == here), errors[0])
            self.status.setText(
                _("{n} fel – rätta innan du sparar. {u}, {m}: {e}").format(
                    n=len(errors), u=model.form.units[r].label, m=model.form.columns[c].title, e=message
                )
            )
            self.status.setStyleSheet("color: #a01010;")
        elif warnings:
            r, c, message = next((w for w in warnings if (w[0], w[1]) == here), warnings[0])
            self.status.setText(
                _("{n} ändrade celler. Kontrollera {u}, {m}: {w}").format(
                    n=changed, u=model.form.units[r].label, m=model.form.columns[c].title, w=message
                )
            )
            self.status.setStyleSheet("color: #7a5200;")
        else:
            self.status.setText(_("{n} ändrade celler, inte sparade.").format(n=changed) if changed else "")
            self.status.setStyleSheet("")

    # --- drafts, saving, closing ----------------------------------------------------------
    def restore_without_asking(self, key: str) -> None:
        """The form with this draft key, when shown next, takes its kept draft back without
        asking (the user has said yes already: the offer at start)."""
        self._session_drafts.add(key)

    def keep_draft(self) -> None:
        self.draft_timer.stop()
        model = self.model
        if model is None or model.readonly:
            return
        try:
            if model.dirty:
                self.ctx.store.save_draft(model.form.key, model.draft())
                self._session_drafts.add(model.form.key)
            elif model.form.key in self._session_drafts:
                self.ctx.store.clear_draft(model.form.key)
                self._session_drafts.discard(model.form.key)
        except SocdeskError as err:  # a full disk, say: the typed cells are still on screen
            self.status.setText(_("Utkastet kunde inte sparas: {e}").format(e=err))
            if isinstance(err, StorageError) and err.reopen:  # the connection is lost: say so now
                QMessageBox.critical(self, _("Spara"), fault_text(err))
                self.storage_failed.emit(err)

    def take_draft(self) -> tuple[str, dict[str, str]] | None:
        """The typing not yet saved, taken out of this view (form key and cells), for the
        database opened again; the view forgets it and writes nothing more."""
        model = self.model
        if model is None or model.readonly or not model.dirty:
            return None
        self.draft_timer.stop()
        taken = (model.form.key, model.draft())
        self._session_drafts.discard(model.form.key)
        model.mark_saved()
        return taken

    def save_changes(self) -> bool:
        """Every changed cell in one transaction, one audit row per cell; False if not saved."""
        model = self.model
        if model is None or not model.dirty:
            return True
        if model.errors() or model.readonly:
            self._update()
            return False
        facts = model.facts_to_save()
        try:
            within = model.form.plan_within
            if within is not None:
                self.ctx.store.write_plan(facts, source="form", within=within)
            else:
                self.ctx.store.write_facts(facts, source="form")
        except StorageError as err:  # nothing pretends to be saved: the typing and its draft stay
            self.draft_timer.stop()
            self.status.setText(_("Inget sparades: {e}").format(e=err))
            self.status.setStyleSheet("color: #a01010;")
            QMessageBox.critical(self, _("Spara"), fault_text(err))
            if err.reopen:
                self.storage_failed.emit(err)
            return False
        except SocdeskError as err:
            QMessageBox.warning(self, _("Spara"), _("Inget sparades.\n\n{e}").format(e=err))
            return False
        self.draft_timer.stop()
        try:
            self.ctx.store.clear_draft(model.form.key)
        except StorageError as err:  # saved all the same; the draft left behind is offered back harmlessly
            log.warning("utkastet %s kunde inte tas bort efter sparandet: %s", model.form.key, err)
        self._session_drafts.discard(model.form.key)
        model.mark_saved()
        self.status.setText(_("{n} uppgifter sparade.").format(n=len(facts)))
        self.saved.emit(len(facts))
        return True

    def may_leave(self) -> bool:
        """Before the form goes away (closing the window): save, discard or stay."""
        model = self.model
        if model is None or not model.dirty:
            return True
        answer = QMessageBox.question(
            self,
            _("Osparade ändringar"),
            _("{n} ändrade celler i ”{t}” är inte sparade. Spara dem nu?").format(
                n=len(model.changed_cells()), t=model.form.title
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save_changes()
        if answer == QMessageBox.StandardButton.Discard:
            self.ctx.store.clear_draft(model.form.key)
            self._session_drafts.discard(model.form.key)
            model.mark_saved()
            return True
        return False

    def current_key(self) -> FactKey | None:
        model, index = self.model, self.table.currentIndex()
        if model is None or not index.isValid():
            return None
        column = index.column() if model.is_input(index.column()) else (model.form.inputs or [None])[0]
        if column is None:
            return None
        return model.form.cells[(index.row(), column)].key

    def request_history(self) -> None:
        key = self.current_key()
        if key is not None:
            self.history_requested.emit(key)

    # --- keyboard -----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self.table.state() == QAbstractItemView.State.EditingState:
                return False  # the editor's own keys; Enter commits, then we move down
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste(QGuiApplication.clipboard().text())
                return True
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy()
                return True
            if event.matches(QKeySequence.StandardKey.Undo) and self.model:
                self.model.undo_stack.undo()
                return True
            if event.matches(QKeySequence.StandardKey.Redo) and self.model:
                self.model.undo_stack.redo()
                return True
            if event.matches(QKeySequence.StandardKey.Save):
                self.save_changes()
                return True
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_down()
                return True
        return super().eventFilter(watched, event)

    def move_down(self) -> None:
        current = self.table.currentIndex()
        below = current.sibling(current.row() + 1, current.column())
        if below.isValid():
            self.table.setCurrentIndex(below)

    def _editor_closed(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter, as in Excel
            QTimer.singleShot(0, self.move_down)

    def clear_selection(self) -> None:
        if self.model is None:
            return
        cells = {
            (i.row(), i.column()): ""
            for i in self.table.selectionModel().selectedIndexes()
            if self.model.is_input(i.column())
        }
        self.model.set_cells(cells, _("Rensa"))

    def paste(self, text: str) -> None:
        """A block copied from Excel (tab-separated, one row per line) from the current cell,
        onto the input columns only; what falls outside the grid is left out and said so."""
        model = self.model
        if model is None or model.readonly or not model.form.inputs:
            return
        start = self.table.currentIndex()
        r0 = start.row() if start.isValid() else 0
        c0 = start.column() if start.isValid() else model.form.inputs[0]
        columns = [c for c in model.form.inputs if c >= c0] or model.form.inputs[-1:]
        changes, outside = place_block(parse_block(text), r0, len(model.form.units), columns)
        model.set_cells(changes, _("Klistra in"))
        if outside:
            self.status.setText(
                self.status.text()
                + " "
                + _("{n} inklistrade värden hamnade utanför tabellen och togs inte med.").format(n=outside)
            )

    def copy(self) -> None:
        """The selected cells as Excel pastes them (tab-separated)."""
        model = self.model
        indexes = self.table.selectionModel().selectedIndexes() if model else []
        if not indexes or model is None:
            return
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        block = [[str(model.data(model.index(r, c)) or "") for c in columns] for r in rows]
        QGuiApplication.clipboard().setText(block_text(block))
