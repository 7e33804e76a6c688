"""Säkerhetskopior: list the backups of the open database and restore one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from socdesk.core.i18n import _
from socdesk.store.backup import BackupInfo, list_backups


class BackupsDialog(QDialog):
    """``chosen()`` is the backup to restore after ``exec()`` returns accepted."""

    def __init__(self, folder: Path, db_path: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Säkerhetskopior"))
        self.resize(520, 420)
        self.backups: list[BackupInfo] = list_backups(folder, db_path)
        self.list = QListWidget()
        for b in self.backups:
            self.list.addItem(QListWidgetItem(b.label))
        if self.backups:
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.restore = buttons.addButton(_("Återställ vald …"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.restore.setEnabled(bool(self.backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "Säkerhetskopior av {db} i {f}. Vid återställning sparas först en kopia av "
                    "det nuvarande läget."
                ).format(db=db_path.name, f=folder)
            )
        )
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None
