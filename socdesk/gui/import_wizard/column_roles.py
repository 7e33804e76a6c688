"""What each column of a table file is (the mapping page's right-hand list): one row per
column heading, with the role it plays in the import."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem

from socdesk.core.i18n import _
from socdesk.io.tables import Role


class ColumnRoles(QTableWidget):
    """A column heading and its role per row (few rows: one per column of the file)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels([_("Kolumn i filen"), _("Är")])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)

    def show_columns(self, header: list[str], columns: dict[str, Role]) -> None:
        labels = (
            (Role.IGNORE, _("(används inte / period i rubriken)")),
            (Role.UNIT, _("Enhet (ansvar, verksamhet)")),
            (Role.NAME, _("Enhetens namn")),
            (Role.ACCOUNT, _("Konto")),
            (Role.PERIOD, _("Period eller datum")),
            (Role.AMOUNT, _("Belopp")),
        )
        self.setRowCount(len(header))
        for r, h in enumerate(header):
            self.setItem(r, 0, QTableWidgetItem(h))
            combo = QComboBox()
            for role, label in labels:
                combo.addItem(label, role.value)
            combo.setCurrentIndex(combo.findData(columns.get(h, Role.IGNORE).value))
            self.setCellWidget(r, 1, combo)

    def columns(self, header: list[str]) -> dict[str, Role]:
        return {h: Role(self.cellWidget(r, 1).currentData()) for r, h in enumerate(header)}
