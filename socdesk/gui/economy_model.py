"""The Ekonomi table as a ``QAbstractTableModel``: Swedish numbers, flags, sorting, copying."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from socdesk.core.flags import Level
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.gui.formatting import excel_number, money, percent
from socdesk.reports.economy import EconomyRow, EconomyTable

_Index = QModelIndex | QPersistentModelIndex
RAW_ROLE = Qt.ItemDataRole.UserRole + 1  # the exact Decimal behind a cell
CODE_ROLE = Qt.ItemDataRole.UserRole + 2
MARK_ROLE = Qt.ItemDataRole.UserRole + 3  # the marks on a cell: PARTIAL, MISMATCH (a tuple)
PARTIAL, MISMATCH = "partial", "mismatch"
MARK_SYMBOLS = {PARTIAL: "◔", MISMATCH: "≠"}
MARKED = QColor(255, 243, 205)  # the background of a marked cell
UNFAVOURABLE = QColor(176, 0, 32)
LEVEL_COLOURS = {
    Level.INCOMPLETE: QColor(97, 97, 97),
    Level.GREEN: QColor(46, 125, 50),
    Level.YELLOW: QColor(191, 143, 0),
    Level.RED: UNFAVOURABLE,
}

# (attribute, header, kind): kind is money, pct or text. The header is short (two lines, the
# scale on the second, so a column is no wider than its figures at 1280 px); the full name is
# the header's tooltip (``TITLES``). The columns after the first eleven are chosen in the
# column menu (``OPTIONAL``); their places on screen are ``VISUAL_ORDER``.
COLUMNS: list[tuple[str, str, str]] = [
    ("unit", _("Enhet"), "text"),
    ("flag", _("Flagga"), "text"),
    ("actual", _("Utfall"), "money"),
    ("budget", _("Budget"), "money"),
    ("variance", _("Avvikelse"), "money"),
    ("variance_pct", _("Avvikelse\n%"), "pct"),
    ("annual_budget", _("Årsbudget"), "money"),
    ("used_pct", _("Förbrukat\n%"), "pct"),
    ("forecast", _("Prognos\nhelår"), "money"),
    ("forecast_variance", _("Prognos-\navvikelse"), "money"),
    ("original_annual_budget", _("Urspr.\nårsbudget"), "money"),  # shown after an ombudgetering
    ("previous_actual", _("Utfall\nfg år"), "money"),
    ("previous_change", _("Förändring\nmot fg år"), "money"),
    ("revenue", _("Intäkter"), "money"),
    ("cost", _("Kostnader"), "money"),
    ("original_budget", _("Urspr.\nbudget"), "money"),
]
TITLES: dict[str, str] = {
    "unit": _("Enhet"),
    "flag": _("Flagga (hittills i år)"),
    "actual": _("Utfall (netto) för perioden"),
    "budget": _("Budget för perioden (budgeten i kraft)"),
    "variance": _("Avvikelse: budget − utfall, + är bättre än budget"),
    "variance_pct": _("Avvikelse i procent av budget"),
    "annual_budget": _("Årsbudget (i kraft, efter ombudgetering)"),
    "used_pct": _("Förbrukat: utfall hittills i år i procent av årsbudgeten"),
    "forecast": _("Prognos för helåret"),
    "forecast_variance": _("Prognosavvikelse: årsbudget − prognos, + är bättre än budget"),
    "original_annual_budget": _("Ursprunglig årsbudget, före ombudgeteringar"),
    "previous_actual": _("Utfall för samma period föregående år"),
    "previous_change": _("Förändring mot föregående år: utfall − utfall fg år"),
    "revenue": _("Intäkter för perioden (negativa: de minskar nettokostnaden; netto = kostnader + intäkter)"),
    "cost": _("Kostnader för perioden"),
    "original_budget": _("Budget för perioden som den ursprungligen beslutades, före ombudgeteringar"),
}
KEYS = [key for key, _t, _k in COLUMNS]
# The columns the user chooses among (Enhet is always shown), as the menu lists them
OPTIONAL = [k for k in KEYS if k != "unit"]
AUTO_COLUMNS = {"original_annual_budget"}  # also shown, unchosen, when a row follows an ombudgetering
# Where each column stands on screen: Intäkter and Kostnader before the net Utfall, last
# year's figures after it, the original budget beside the budget.
VISUAL_ORDER = [
    "unit",
    "flag",
    "revenue",
    "cost",
    "actual",
    "previous_actual",
    "previous_change",
    "budget",
    "original_budget",
    "variance",
    "variance_pct",
    "annual_budget",
    "original_annual_budget",
    "used_pct",
    "forecast",
    "forecast_variance",
]
FAVOURABLE_POSITIVE = {"variance", "variance_pct", "forecast_variance"}


class EconomyModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: EconomyTable | None = None
        self._rows: list[EconomyRow] = []
        self._scale = Scale.TKR
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- content ------------------------------------------------------------------------
    @property
    def table(self) -> EconomyTable | None:
        return self._table

    def set_table(self, table: EconomyTable | None) -> None:
        self.beginResetModel()
        self._table = table
        self._rows = list(table.rows) if table else []
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def set_scale(self, scale: Scale) -> None:
        self._scale = scale
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def row(self, r: int) -> EconomyRow:
        return self._rows[r]

    def row_of(self, code: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.unit.code == code and not r.is_total), -1)

    # --- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def text(self, row: EconomyRow, column: int) -> str:
        key, _title, kind = COLUMNS[column]
        if key == "unit":
            return _("Summa {u}").format(u=row.unit.label) if row.is_total else row.unit.label
        if key == "flag":
            return f"{row.flag.level.symbol} {row.flag.level.label}"
        value = getattr(row, key)
        text = percent(value) if kind == "pct" else money(value, self._scale)
        marks = self.marks(row, key)
        return text + "".join(" " + MARK_SYMBOLS[m] for m in marks) if marks else text

    @staticmethod
    def marks(row: EconomyRow, key: str) -> tuple[str, ...]:
        """Utfall resting on children that have not all reported; a stated figure that differs
        from the sum of its children (``EconomyRow.coverage``, ``EconomyRow.mismatches``)."""
        out = []
        if key == "actual" and row.partial:
            out.append(PARTIAL)
        if row.mismatch(key) is not None:
            out.append(MISMATCH)
        return tuple(out)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key, _title, kind = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == RAW_ROLE:
            return None if kind == "text" else getattr(row, key)
        if role == CODE_ROLE:
            return row.unit.code
        if role == MARK_ROLE:
            return self.marks(row, key)
        if role == Qt.ItemDataRole.BackgroundRole and self.marks(row, key):
            return QBrush(MARKED)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignLeft if kind == "text" else Qt.AlignmentFlag.AlignRight
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "flag":
                return QBrush(LEVEL_COLOURS[row.flag.level])
            value = getattr(row, key, None)
            if key in FAVOURABLE_POSITIVE and value is not None and value < 0:
                return QBrush(UNFAVOURABLE)
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = [n for n in (*self._mark_notes(row, key), self._tooltip(row, key)) if n]
            return "\n".join(notes) if notes else None
        return None

    @staticmethod
    def _mark_notes(row: EconomyRow, key: str) -> list[str]:
        notes = []
        if key == "actual" and row.partial:
            assert row.coverage is not None
            notes.append(
                _("{mark} Ofullständig summa: {text} Summan räknar bara med dem som har.").format(
                    mark=MARK_SYMBOLS[PARTIAL], text=row.coverage.text
                )
            )
        finding = row.mismatch(key)
        if finding is not None:
            notes.append(f"{MARK_SYMBOLS[MISMATCH]} {finding.message}")
        return notes

    def _tooltip(self, row: EconomyRow, key: str) -> str | None:
        if key == "flag":
            if not row.flag.reasons:
                return _("Inga avvikelser över gränserna.")
            return "\n".join(row.flag.reasons)
        if key == "variance_pct" and row.variance_pct is None and row.variance_pct_note:
            return row.variance_pct_note  # why there is no percentage
        if key == "used_pct" and row.used_pct is None and row.used_pct_note:
            return row.used_pct_note
        if key == "budget" and row.budget_reconstructed and self._table is not None:
            return _(
                "Budget för {p} är räknad ur den periodiserade budgeten: månaderna fördelade från "
                "de angivna delarna (t.ex. budget hittills och årsbudget), så att var och en stämmer exakt."
            ).format(p=self._table.period.label())
        if key == "variance" and row.variance is None and row.partial:
            return row.coverage.not_comparable  # type: ignore[union-attr]
        if key in FAVOURABLE_POSITIVE:
            value = getattr(row, key)
            if value is None:
                return None
            return _("Sämre än budget") if value < 0 else _("Bättre än eller som budget")
        if key == "used_pct" and self._table is not None and row.used_pct is not None:
            return _("Förbrukat {u} av årsbudgeten; {s} av året har gått.").format(
                u=percent(row.used_pct), s=percent(self._table.year_share_pct)
            )
        if key == "forecast" and row.forecast_version:
            return _("Prognos gjord {v}").format(v=row.forecast_version)
        if key == "unit":  # the whole name (the column may cut it) and the analysis
            label = self.text(row, 0)
            return f"{label}\n" + _("Avvikelseanalys: {c}").format(c=row.comment) if row.comment else label
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        key, title, kind = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{title}\n({self._scale.label})" if kind == "money" else title
        if role == Qt.ItemDataRole.ToolTipRole:
            return TITLES[key] + (f" ({self._scale.label})" if kind == "money" else "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignLeft if kind == "text" else Qt.AlignmentFlag.AlignRight
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def title(self, section: int) -> str:
        """The header on one line (``Utfall (tkr)``), for copying and menus."""
        return " ".join(str(self.headerData(section, Qt.Orientation.Horizontal)).split()).replace("- ", "")

    # --- sorting ------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows (the total stays last); column −1 restores the tree order."""
        self.layoutAboutToBeChanged.emit()
        if 0 <= column < len(COLUMNS):
            self._sort = (column, order)
            self._apply_sort(column, order)
        else:
            self._sort = None
            self._rows = list(self._table.rows) if self._table else []
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        key, _title, _kind = COLUMNS[column]
        body = [r for r in self._rows if not r.is_total]
        totals = [r for r in self._rows if r.is_total]
        if key == "unit":
            body.sort(key=lambda r: r.unit.code, reverse=order == Qt.SortOrder.DescendingOrder)
        elif key == "flag":
            body.sort(key=lambda r: r.flag.sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        else:
            known = [r for r in body if getattr(r, key) is not None]
            unknown = [r for r in body if getattr(r, key) is None]
            known.sort(key=lambda r: getattr(r, key), reverse=order == Qt.SortOrder.DescendingOrder)
            body = known + unknown  # empty cells last either way
        self._rows = body + totals  # the total stays at the bottom

    # --- copying ------------------------------------------------------------------------
    def to_tsv(self, rows: list[int], columns: list[int]) -> str:
        """Tab-separated text with a header row; numbers as Excel (sv-SE) reads them."""
        lines = ["\t".join(self.title(c) for c in columns)]
        for r in rows:
            row = self._rows[r]
            cells = []
            for c in columns:
                key, _title, kind = COLUMNS[c]
                if kind == "money":
                    cells.append(
                        excel_number(getattr(row, key), self._scale, 1 if self._scale is Scale.MNKR else 0)
                    )
                elif kind == "pct":
                    cells.append(excel_number(getattr(row, key), Scale.KR, 1))
                else:
                    cells.append(self.text(row, c))
            lines.append("\t".join(cells))
        return "\r\n".join(lines) + "\r\n"
