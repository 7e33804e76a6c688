"""The entry grid's model: the text typed in each input cell, checked as it is typed, with undo.

Context columns show figures (read-only, grey); a derived context column is recomputed from
the row's typed values as they change (e.g. a budget's months from the annual figure).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoCommand, QUndoStack

from socdesk.core.entry import CellCheck, check_cell
from socdesk.core.facts import Fact
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, format_number
from socdesk.core.values import Value
from socdesk.gui.formatting import money
from socdesk.reports.entry import EntryForm

_Index = QModelIndex | QPersistentModelIndex
Cell = tuple[int, int]  # (row, column)
ERROR_BG = QColor(250, 214, 214)
WARNING_BG = QColor(255, 240, 196)
CHANGED_BG = QColor(222, 238, 212)
CONTEXT_FG = QColor(105, 105, 105)
CONTEXT_BG = QColor(245, 245, 245)
ERROR_MARK = QColor(200, 30, 30)
WARNING_MARK = QColor(230, 160, 0)


class SetCells(QUndoCommand):
    """One user action (typing, paste, delete) over one or more cells."""

    def __init__(self, model: EntryModel, changes: dict[Cell, str], text: str) -> None:
        super().__init__(text)
        self.model = model
        self.new = changes
        self.old = {rc: model.text(*rc) for rc in changes}

    def redo(self) -> None:
        self.model._apply(self.new)

    def undo(self) -> None:
        self.model._apply(self.old)


class EntryModel(QAbstractTableModel):
    """Rows are the form's units. ``edited`` after every change (status line, drafts)."""

    edited = Signal()

    def __init__(self, form: EntryForm, scale: Scale = Scale.TKR, parent: Any = None) -> None:
        super().__init__(parent)
        self.form, self.scale = form, scale
        self.undo_stack = QUndoStack(self)
        self.readonly = False
        self._text: dict[Cell, str] = {}
        self._checks: dict[Cell, CellCheck] = {}
        for r in range(len(form.units)):
            for c in form.inputs:
                self._text[(r, c)] = self.format(form.cells[(r, c)].value, c)
        self._saved = dict(self._text)
        self._changed: set[Cell] = set()
        for rc in self._text:
            self._check(rc)
        self._saved_values = {rc: check.value for rc, check in self._checks.items()}
        # the saved figures exactly (the text shows at most four decimals in the scale): what an
        # unchanged cell of a changed row is saved as when the form saves whole rows (``expand``)
        self._exact: dict[Cell, Value | None] = {
            rc: Value.of(v) if (v := form.cells[rc].value) is not None else None for rc in self._text
        }

    # --- content ------------------------------------------------------------------------
    def is_input(self, column: int) -> bool:
        return self.form.columns[column].input

    def format(self, value: Decimal | None, column: int) -> str:
        """A figure as it would be typed: in the form's scale for money, with all its decimals."""
        if value is None:
            return ""
        money = self.form.columns[column].measure.is_money
        scale = self.scale if money else Scale.KR
        decimals = max(0, -int((value / scale.factor).normalize().as_tuple().exponent))
        return format_number(value, min(decimals, 4), scale)

    def text(self, row: int, column: int) -> str:
        return self._text[(row, column)]

    def check(self, row: int, column: int) -> CellCheck:
        return self._checks[(row, column)]

    def _check(self, rc: Cell) -> None:
        m = self.form.columns[rc[1]].measure
        history = self.form.cells[rc].history
        typed = [h / self.scale.factor for h in history] if m.is_money else list(history)
        check = check_cell(self._text[rc], m, scale=self.scale, history=typed)
        note = self.form.cells[rc].note
        if note and check.ok:
            check = CellCheck(check.value, "", " ".join(t for t in (check.warning, note) if t))
        self._checks[rc] = check

    def _differs(self, rc: Cell) -> bool:
        """Changed means another figure than the saved one, not other text (``1 712`` = ``1712``)."""
        new, saved = self._checks[rc].value, self._saved_values.get(rc)
        if new is None or saved is None:
            return self._text[rc].strip() != self._saved[rc].strip()
        return (new.status, new.number) != (saved.status, saved.number)

    def changed_cells(self) -> list[Cell]:
        return sorted(self._changed)

    def errors(self) -> list[tuple[int, int, str]]:
        return [(r, c, ch.error) for (r, c), ch in sorted(self._checks.items()) if not ch.ok]

    def warnings(self) -> list[tuple[int, int, str]]:
        return [
            (r, c, self._checks[(r, c)].warning)
            for r, c in self.changed_cells()
            if self._checks[(r, c)].warning
        ]

    @property
    def dirty(self) -> bool:
        return bool(self._changed)

    def row_values(self, row: int) -> dict[int, Value | None]:
        """The row's figures: as typed where changed, else as saved (exactly)."""
        return {
            c: self._checks[(row, c)].value
            if (row, c) in self._changed or (exact := self._exact[(row, c)]) is None
            else exact
            for c in self.form.inputs
        }

    def facts_to_save(self) -> list[Fact]:
        """One fact per changed cell, or what the form makes of a changed row."""
        out: list[Fact] = []
        rows = sorted({r for r, _c in self._changed})
        for r in rows:
            values = {c: self._checks[(r, c)].value for c in self.form.inputs if (r, c) in self._changed}
            assert all(v is not None for v in values.values()), "saving with errors"
            if self.form.expand is not None:
                full = {c: v for c, v in self.row_values(r).items() if v is not None}
                out += self.form.expand(self.form.units[r], {**full, **values})  # type: ignore[dict-item]
            else:
                for c, v in values.items():
                    key = self.form.cells[(r, c)].key
                    assert key is not None and v is not None
                    out.append(Fact(key, v))
        return out

    def mark_saved(self) -> None:
        for rc in self._changed:
            self._exact[rc] = self._checks[rc].value
        self._saved = dict(self._text)
        self._saved_values = {rc: check.value for rc, check in self._checks.items()}
        self._changed.clear()
        self.undo_stack.setClean()
        self._emit_all()
        self.edited.emit()

    def draft(self) -> dict[str, str]:
        """Changed cells as typed, keyed ``unit/column``."""
        return {f"{self.form.units[r].code}/{c}": self._text[(r, c)] for r, c in self.changed_cells()}

    def restore_draft(self, cells: dict[str, str]) -> int:
        rows = {u.code: i for i, u in enumerate(self.form.units)}
        changes = {}
        for cell, text in cells.items():
            unit, _sep, column = cell.rpartition("/")
            if unit in rows and column.isdigit() and int(column) in self.form.inputs:
                changes[(rows[unit], int(column))] = text
        self.set_cells(changes, _("Återställt utkast"))
        return len(changes)

    # --- editing ------------------------------------------------------------------------
    def set_cells(self, changes: dict[Cell, str], description: str) -> None:
        changes = {rc: t for rc, t in changes.items() if rc in self._text and self._text[rc] != t}
        if changes and not self.readonly:
            self.undo_stack.push(SetCells(self, changes, description))

    def _apply(self, changes: dict[Cell, str]) -> None:
        for rc, t in changes.items():
            self._text[rc] = t
            self._check(rc)
            if self._differs(rc):
                self._changed.add(rc)
            else:
                self._changed.discard(rc)
        for r in {r for r, _c in changes}:  # the row: derived columns follow the typed ones
            self.dataChanged.emit(self.index(r, 0), self.index(r, self.columnCount() - 1))
        self.edited.emit()

    def _emit_all(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # --- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.form.units)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.form.columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.readonly or not self.is_input(index.column()):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def _context(self, row: int, column: int) -> Decimal | None:
        derive = self.form.columns[column].derive
        if derive is not None:
            try:
                return derive(self.row_values(row))
            except ArithmeticError:
                return None
        return self.form.cells[(row, column)].value

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not self.is_input(c):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                value = self._context(r, c)
                if value is not None and self.form.columns[c].measure.is_money:
                    return money(value, self.scale)  # shown as in the reports: whole tkr
                return self.format(value, c)
            if role == Qt.ItemDataRole.ToolTipRole and self.form.columns[c].measure.is_money:
                value = self._context(r, c)
                return None if value is None else format_number(value, 2, Scale.KR) + " kr"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(CONTEXT_FG)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(CONTEXT_BG)
            return None
        rc = (r, c)
        check = self._checks[rc]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text[rc]
        if role == Qt.ItemDataRole.BackgroundRole:
            if not check.ok:
                return QBrush(ERROR_BG)
            if check.warning and rc in self._changed:
                return QBrush(WARNING_BG)
            if rc in self._changed:
                return QBrush(CHANGED_BG)
        if role == Qt.ItemDataRole.DecorationRole:  # still seen when the cell is selected
            if not check.ok:
                return ERROR_MARK
            if check.warning and rc in self._changed:
                return WARNING_MARK
            return None
        if role == Qt.ItemDataRole.FontRole and rc in self._changed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            status = check.error or (check.warning if rc in self._changed else "")
            was = _("Sparat: {v}").format(v=self._saved[rc] or "–") if rc in self._changed else ""
            return "\n".join(t for t in (status, was) if t) or None
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        self.set_cells({(index.row(), index.column()): str(value)}, _("Skriv"))
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return self.form.units[section].label if role == Qt.ItemDataRole.DisplayRole else None
        column = self.form.columns[section]
        m = column.measure
        if role == Qt.ItemDataRole.ToolTipRole:
            return m.name if column.input else _("{t} (visas som jämförelse)").format(t=column.title)
        if role == Qt.ItemDataRole.FontRole and column.input:
            font = QFont()
            font.setBold(True)
            return font
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        unit = self.scale.label if m.is_money else m.unit
        return f"{column.title}\n({unit})" if column.input else column.title
