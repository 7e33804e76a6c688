"""The Ekonomi tab: the table of the unit and its children, and the analysis comment."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.i18n import _
from socdesk.core.periods import Period
from socdesk.gui.column_widths import fit_columns
from socdesk.gui.context import AppContext
from socdesk.gui.economy_model import COLUMNS, MARK_SYMBOLS, MISMATCH, PARTIAL, EconomyModel
from socdesk.gui.formatting import saved_line

ORIGINAL_COLUMN = next(i for i, c in enumerate(COLUMNS) if c[0] == "original_annual_budget")


class EconomyView(QWidget):
    """``drill_requested(code)`` on double-click; ``up_requested()`` on Backspace;
    ``comment_saved(code)`` after a comment was stored."""

    drill_requested = Signal(str)
    up_requested = Signal()
    comment_saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = EconomyModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # click a header to sort; the tree order until then
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName(_("Ekonomi"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.installEventFilter(self)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.marks_note = QLabel()  # what the marks in the table mean, when there are any
        self.marks_note.setWordWrap(True)

        self.comment_title = QLabel()
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(_("Skriv avvikelseanalysen för enheten och perioden …"))
        self.comment.setAccessibleName(_("Avvikelseanalys"))
        self.comment.setFixedHeight(self.fontMetrics().height() * 5)
        self.save_comment = QPushButton(_("Spara analys"))
        self.comment_info = QLabel()
        self.comment_info.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.comment_info, 1)
        bottom.addWidget(self.save_comment)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.marks_note)
        layout.addWidget(self.comment_title)
        layout.addWidget(self.comment)
        layout.addLayout(bottom)

        self._comment_unit: str | None = None
        self._comment_period: Period | None = None
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_comment())
        self.save_comment.clicked.connect(self._save_comment)
        self.model.modelReset.connect(self._show_comment)

    # --- keyboard and mouse -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key = event if isinstance(event, QKeyEvent) else None
            if key is not None and key.key() == Qt.Key.Key_Backspace:
                self.up_requested.emit()
                return True
            if key is not None and key.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return True
            if key is not None and key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._double_clicked(self.table.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _double_clicked(self, index) -> None:
        if not index.isValid():
            return
        row = self.model.row(index.row())
        if not row.is_total and self.ctx.store.unit_tree().children(row.unit.code):
            self.drill_requested.emit(row.unit.code)

    def copy_selection(self) -> str:
        """Copy the selected rows (all columns), or the whole table if nothing is selected."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        if not rows:
            rows = list(range(self.model.rowCount()))
        text = self.model.to_tsv(rows, list(range(self.model.columnCount())))
        QGuiApplication.clipboard().setText(text)
        return text

    # --- content ------------------------------------------------------------------------
    def show_table(self, table) -> None:
        """Show ``table``; the row the user had selected stays selected when the new table has
        it (after Spara analys, a change of period or scale), with its analysis in the box."""
        kept = self._current_key()
        self.model.set_table(table)
        if kept is not None:
            row = next((i for i, r in enumerate(table.rows) if (r.unit.code, r.is_total) == kept), None)
            if row is not None:
                self.table.setCurrentIndex(self.model.index(row, 0))
        revised = any(r.budget_version for r in table.rows)
        self.table.setColumnHidden(ORIGINAL_COLUMN, not revised)  # only after an ombudgetering
        fit_columns(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, max(header.sectionSize(0), 240))
        self.empty.setText(
            _("Inga ekonomiska uppgifter för {u} {p}.").format(u=table.unit.label, p=table.period.label())
            if table.is_empty
            else ""
        )
        notes = []
        if any(r.partial for r in table.rows):
            notes.append(
                _("{m} Ofullständig summa: alla underliggande enheter har inte utfall för månaden.").format(
                    m=MARK_SYMBOLS[PARTIAL]
                )
            )
        if any(r.mismatches for r in table.rows):
            notes.append(
                _("{m} Den angivna summan stämmer inte med raderna under (socdesk check).").format(
                    m=MARK_SYMBOLS[MISMATCH]
                )
            )
        self.marks_note.setText("  ".join(notes) + (" " + _("Peka på cellen för detaljer.") if notes else ""))

    def _current_key(self) -> tuple[str, bool] | None:
        index = self.table.currentIndex()
        if not index.isValid() or self.model.table is None:
            return None
        row = self.model.row(index.row())
        return row.unit.code, row.is_total

    def selected_row(self):
        index = self.table.currentIndex()
        if index.isValid():
            return self.model.row(index.row())
        table = self.model.table
        return table.rows[-1] if table and table.rows else None

    def _show_comment(self) -> None:
        table = self.model.table
        row = self.selected_row()
        if table is None or row is None:
            return
        ytd = Period.year_to_date(table.month.year, table.month.month)
        self._comment_unit, self._comment_period = row.unit.code, ytd
        self.comment_title.setText(
            _("Avvikelseanalys för {u}, {p} ({level})").format(
                u=row.unit.label, p=ytd.label(), level=row.flag.level.label.lower()
            )
        )
        history = self.ctx.store.comment_history(row.unit.code, str(ytd))
        with QSignalBlocker(self.comment):
            self.comment.setPlainText(history[-1]["text"] if history else "")
        self.comment_info.setText(saved_line(history, _("Ingen analys sparad ännu.")))

    def _save_comment(self) -> None:
        if self._comment_unit is None or self._comment_period is None:
            return
        self.ctx.store.add_comment(self._comment_unit, str(self._comment_period), self.comment.toPlainText())
        self.comment_saved.emit(self._comment_unit)
