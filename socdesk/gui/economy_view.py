"""The Ekonomi tab: the table of the unit and its children, and the analysis comment."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.i18n import _
from socdesk.core.periods import Period
from socdesk.gui.column_widths import CompactHeader, fit_columns, fitted_width
from socdesk.gui.context import AppContext
from socdesk.gui.economy_model import (
    AUTO_COLUMNS,
    KEYS,
    MARK_SYMBOLS,
    MISMATCH,
    OPTIONAL,
    PARTIAL,
    TITLES,
    VISUAL_ORDER,
    EconomyModel,
)
from socdesk.gui.formatting import saved_line
from socdesk.gui.settings import ECONOMY_COLUMNS

MIN_UNIT_WIDTH = 240  # the Enhet column never narrower (it takes the width left over beyond that)


class _TotalOnly(QSortFilterProxyModel):
    """The Summa row alone, for the footer under the table."""

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        return self.sourceModel().row(source_row).is_total


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
        self.table.setHorizontalHeader(CompactHeader(self.table))
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # click a header to sort; the tree order until then
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName(_("Ekonomi"))
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for visual, key in enumerate(VISUAL_ORDER):  # where each column stands on screen
            header.moveSection(header.visualIndex(KEYS.index(key)), visual)
        # The Summa row pinned under the table, always in view however many rows scroll above
        # it: a one-row view of the same model, its columns kept as the table's.
        self.total_model = _TotalOnly(self)
        self.total_model.setSourceModel(self.model)
        self.total = QTableView()
        self.total.setModel(self.total_model)
        self.total.setAccessibleName(_("Summa"))
        self.total.horizontalHeader().setVisible(False)
        self.total.verticalHeader().setVisible(False)
        self.total.verticalHeader().setDefaultSectionSize(self.table.verticalHeader().defaultSectionSize())
        self.total.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.total.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.total.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.total.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.total.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.total.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # reached from the table: ↓ on its last row
        self.total.setFixedHeight(
            self.total.verticalHeader().defaultSectionSize() + 2 * self.total.frameWidth()
        )
        footer = self.total.horizontalHeader()
        for visual, key in enumerate(VISUAL_ORDER):
            footer.moveSection(footer.visualIndex(KEYS.index(key)), visual)
        header.sectionResized.connect(lambda i, _old, new: self.total.setColumnWidth(i, new))
        header.sectionMoved.connect(lambda _i, old, new: footer.moveSection(old, new))
        self.table.horizontalScrollBar().valueChanged.connect(self.total.horizontalScrollBar().setValue)
        self.total.clicked.connect(self._total_clicked)

        # The column menu: right-click the header, or the Kolumner button
        self.columns_menu = QMenu(_("Kolumner"), self)
        self.column_actions: dict[str, QAction] = {}
        for key in [k for k in VISUAL_ORDER if k in OPTIONAL]:  # as they stand on screen
            action = QAction(self.model.title(KEYS.index(key)), self)
            action.setCheckable(True)
            action.setToolTip(TITLES[key])
            action.toggled.connect(lambda checked, k=key: self._column_toggled(k, checked))
            self.columns_menu.addAction(action)
            self.column_actions[key] = action
        self.columns_menu.addSeparator()
        self.columns_default = self.columns_menu.addAction(_("Standardkolumner"))
        self.columns_default.triggered.connect(lambda: self.set_columns(ECONOMY_COLUMNS.default))
        header.sortIndicatorChanged.connect(lambda *_a: self._apply_columns())  # room for the arrow
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.columns_button = QToolButton()
        self.columns_button.setText(_("Kolumner …"))
        self.columns_button.setToolTip(_("Välj kolumnerna i tabellen (eller högerklicka på rubrikerna)"))
        self.columns_button.setMenu(self.columns_menu)
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns: list[str] = []
        self._revised = False
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
        notes = QHBoxLayout()
        notes.addWidget(self.marks_note, 1)
        notes.addWidget(self.columns_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addStretch(0)  # under the Summa row when the rows take less than the height
        layout.addSpacing(4)
        layout.addWidget(self.empty)
        layout.addLayout(notes)
        layout.addWidget(self.comment_title)
        layout.addWidget(self.comment)
        layout.addLayout(bottom)

        self._comment_unit: str | None = None
        self._comment_period: Period | None = None
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_comment())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._total_current())
        self.save_comment.clicked.connect(self._save_comment)
        self.model.modelReset.connect(self._show_comment)
        self.model.modelReset.connect(self._pin_total)
        self.model.layoutChanged.connect(self._pin_total)
        self.set_columns(ECONOMY_COLUMNS.get(ctx.settings), save=False)

    # --- keyboard and mouse -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_unit_column()
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key = event if isinstance(event, QKeyEvent) else None
            if key is not None and key.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._step_to_total(key):
                return True
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

    def _step_to_total(self, key: QKeyEvent) -> bool:
        """↓ on the last row goes on to the pinned Summa row, ↑ there back to the rows."""
        view, current = self.table, self.table.currentIndex()
        shown = [r for r in range(self.model.rowCount()) if not view.isRowHidden(r)]
        total = next((r for r in range(self.model.rowCount()) if self.model.row(r).is_total), None)
        if total is None or not current.isValid():
            return False
        column = max(current.column(), 0)
        if key.key() == Qt.Key.Key_Down and shown and current.row() == shown[-1]:
            target = total
        elif key.key() == Qt.Key.Key_Up and current.row() == total and shown:
            target = shown[-1]
        else:
            return False
        view.setCurrentIndex(self.model.index(target, column))
        return True

    def _total_current(self) -> None:
        """The Summa row looks selected in the footer while it is the table's current row."""
        current = self.table.currentIndex()
        if current.isValid() and self.model.row(current.row()).is_total:
            self.total.selectRow(0)
        else:
            self.total.clearSelection()

    def _total_clicked(self, index: QModelIndex) -> None:
        """A click on the pinned Summa row makes it the current row (its analysis below)."""
        source = self.total_model.mapToSource(index)
        self.table.clearSelection()
        self.table.setCurrentIndex(source)

    def copy_selection(self) -> str:
        """Copy the selected rows (the columns shown, as shown), or the whole table if nothing
        is selected."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        if not rows:
            rows = list(range(self.model.rowCount()))
        text = self.model.to_tsv(rows, self.shown_columns())
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
        self._revised = any(r.budget_version for r in table.rows)
        self._apply_columns()
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

    # --- columns ------------------------------------------------------------------------
    def shown_columns(self) -> list[int]:
        """The model columns on screen, in their order there."""
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [c for c in logical if not self.table.isColumnHidden(c)]

    def set_columns(self, keys: list[str], *, save: bool = True) -> None:
        """Show these columns (keys of ``economy_model.COLUMNS``; Enhet always), kept in the
        settings for the next start."""
        chosen = ["unit", *(k for k in KEYS if k in keys and k != "unit")]
        self.columns = chosen
        for key, action in self.column_actions.items():
            with QSignalBlocker(action):
                action.setChecked(key in chosen)
        if save:
            ECONOMY_COLUMNS.set(self.ctx.settings, chosen)
        self._apply_columns()

    def _column_toggled(self, key: str, checked: bool) -> None:
        self.set_columns([k for k in self.columns if k != key] + ([key] if checked else []))

    def _header_menu(self, pos: QPoint) -> None:
        self.columns_menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _apply_columns(self) -> None:
        for column, key in enumerate(KEYS):
            hidden = key not in self.columns and not (key in AUTO_COLUMNS and self._revised)
            self.table.setColumnHidden(column, hidden)
            self.total.setColumnHidden(column, hidden)
        # the header's height for the columns now shown (Qt keeps it from the shown ones)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(KEYS) - 1)
        fit_columns(self.table)
        self._fit_unit_column()

    def _fit_unit_column(self) -> None:
        """Enhet takes the width the figures leave (never the last column stretched over empty
        width), at least ``MIN_UNIT_WIDTH``; a horizontal scrollbar only when the chosen
        columns need more than the window has."""
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in self.shown_columns() if c != 0)
        room = self.table.viewport().width() - others
        if room >= MIN_UNIT_WIDTH:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(0, max(MIN_UNIT_WIDTH, fitted_width(self.table, 0)))
        self.total.setColumnWidth(0, header.sectionSize(0))
        self._fit_height()

    def shown_at(self, index: QModelIndex) -> tuple[QTableView, QModelIndex]:
        """The view a cell of the model is on screen in, and its index there: the Summa row's
        cells are in the pinned footer."""
        if index.isValid() and self.model.row(index.row()).is_total:
            return self.total, self.total_model.mapFromSource(index)
        return self.table, index

    def _pin_total(self) -> None:
        """The Summa row is shown in the footer, not at the end of the scrolled rows."""
        for r in range(self.model.rowCount()):
            self.table.setRowHidden(r, self.model.row(r).is_total)
        self.total.setVisible(self.total_model.rowCount() > 0)
        self._fit_height()

    def _fit_height(self) -> None:
        """The table no taller than its rows: the Summa row right under the last of them when
        they all fit, pinned at the bottom when they scroll."""
        view, header = self.table, self.table.horizontalHeader()
        rows = 0
        for r in range(self.model.rowCount()):
            rows += 0 if view.isRowHidden(r) else view.rowHeight(r)
            if rows > 4000:  # taller than any screen: no need to count on
                break
        wide = header.length() > view.viewport().width()
        scroll = view.horizontalScrollBar().sizeHint().height() if wide else 0
        view.setMaximumHeight(header.sizeHint().height() + rows + 2 * view.frameWidth() + scroll)

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
