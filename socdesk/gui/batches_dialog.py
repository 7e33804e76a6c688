"""Importer: every import batch (file, SHA-256, who, when, profile, rows), and undo of a whole one."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.store.db import Store

HEADERS = [_("Nr"), _("När"), _("Vem"), _("Fil"), _("Rader"), _("Profil"), _("SHA-256"), _("Ångrad")]


class BatchesDialog(QDialog):
    def __init__(self, store: Store, *, readonly: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undone: list[int] = []
        self.setWindowTitle(_("Importhistorik"))
        self.resize(980, 420)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.info = QLabel(_("Att ångra en import ger tillbaka det den ersatte; det syns i historiken."))
        self.info.setWordWrap(True)
        self.undo = QPushButton(_("Ångra vald import …"))
        self.undo.setEnabled(False)
        self.undo.setVisible(not readonly)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        layout.addWidget(self.undo)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._selected)
        self.undo.clicked.connect(self.undo_selected)
        self.fill()

    def fill(self) -> None:
        rows = list(reversed(self.store.batches()))  # newest first
        self.batches = rows
        self.table.setRowCount(len(rows))
        for r, b in enumerate(rows):
            cells = [
                str(b["id"]),
                b["imported_at"][:16].replace("T", " "),
                b["imported_by"],
                b["file_name"],
                str(b["rows"]),
                b["profile"] or "",
                b["sha256"][:16] + "…",
                (b["undone_at"] or "")[:16].replace("T", " "),
            ]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._selected()

    def _selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        batch = self.batches[min(rows)] if rows else None
        self.undo.setEnabled(batch is not None and not batch["undone_at"])

    def undo_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows:
            return
        batch = self.batches[min(rows)]
        answer = QMessageBox.question(
            self,
            _("Ångra import"),
            _(
                "Ångra importen av {f} ({t})? Alla uppgifter den ändrade får tillbaka sina tidigare värden."
            ).format(f=batch["file_name"], t=batch["imported_at"][:16].replace("T", " ")),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            n = self.store.undo_batch(batch["id"])
        except SocdeskError as err:
            QMessageBox.warning(self, _("Ångra import"), str(err))
            return
        self.undone.append(batch["id"])
        self.info.setText(_("Import {b} ångrad: {n} uppgifter återställda.").format(b=batch["id"], n=n))
        self.fill()
