"""Historik: every change of the stated figures behind a unit's row, who and when, and the
source (form, import file, revert); a saved change can be reverted (appending a change)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
)

from socdesk.core.facts import FactKey
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, format_number
from socdesk.core.values import from_store_int
from socdesk.store.db import Store

_Index = QModelIndex | QPersistentModelIndex
HEADERS = [_("När"), _("Vem"), _("Uppgift"), _("Från"), _("Till"), _("Källa")]
SOURCES = {
    "form": _("formulär"),
    "import": _("import"),
    "revert": _("återställd"),
    "demo": _("demo"),
    "nytt-budgetar": _("nytt budgetår"),
}


def _value(value: int | None, status: str | None, scale: Scale) -> str:
    """A stored figure in ``scale`` (the form's kr/tkr/mnkr), exactly: as many decimals as the
    figure has in that scale (17 175 432 kr in tkr is 17 175,432), never rounded away."""
    if status is None:
        return "–"
    if status != "value":
        return status
    number = from_store_int(value or 0)
    scaled = (number / scale.factor).normalize()
    exponent = scaled.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(number, decimals, scale)


class HistoryModel(QAbstractTableModel):
    def __init__(self, rows: list[dict], scale: Scale = Scale.KR, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.scale = scale

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        h = self.rows[index.row()]
        source = SOURCES.get(h["source"], h["source"]) + (
            f" ({h['file_name']})" if h.get("file_name") else ""
        )
        return [
            h["at"][:16].replace("T", " "),
            h["who"],
            h["what"],
            _value(h["old_value"], h["old_status"], self.scale),
            _value(h["new_value"], h["new_status"], self.scale),
            source,
        ][index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section in (3, 4) and self.unit_label:  # Från, Till: in what unit
                return f"{HEADERS[section]} ({self.unit_label})"
            return HEADERS[section]
        return None

    unit_label = ""  # "tkr", "kr", "vårddygn" …: set by the dialog


class HistoryDialog(QDialog):
    def __init__(
        self,
        store: Store,
        keys: list[FactKey],
        title: str,
        *,
        readonly: bool,
        scale: Scale = Scale.KR,
        parent: Any = None,
    ) -> None:
        """``scale``: the scale the form and tables show money in (the figures of a count, such
        as vårddygn, are shown as they are)."""
        super().__init__(parent)
        self.store, self.keys = store, keys
        measures = store.measures()
        kinds = {k.measure: measures[k.measure] for k in keys if k.measure in measures}
        money = all(m.is_money for m in kinds.values())
        self.scale = scale if money else Scale.KR
        units = {m.unit for m in kinds.values()}
        self.unit_label = self.scale.label if money else (units.pop() if len(units) == 1 else "")
        self.setWindowTitle(_("Historik – {t}").format(t=title))
        self.resize(900, 420)
        self.view = QTableView()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.revert = buttons.addButton(_("Ångra vald ändring"), QDialogButtonBox.ButtonRole.ActionRole)
        self.revert.setEnabled(not readonly)
        self.revert.clicked.connect(self.revert_selected)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "Alla ändringar av de angivna uppgifterna. En ändring som ångras läggs till "
                    "som en ny ändring; historiken skrivs aldrig om."
                )
            )
        )
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        rows = []
        for key in self.keys:
            what = f"{key.scenario.label} {key.period.label()}" + (f" ({key.version})" if key.version else "")
            rows += [{**h, "what": what} for h in self.store.history(key)]
        rows.sort(key=lambda h: h["id"])
        self.model = HistoryModel(rows, self.scale, self)
        self.model.unit_label = self.unit_label
        self.view.setModel(self.model)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

    def revert_selected(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        change = self.model.rows[index.row()]
        try:
            self.store.revert(change["id"])
        except Exception as err:  # a locked period, a read-only database: say why
            QMessageBox.warning(self, _("Historik"), str(err))
            return
        self.reload()
