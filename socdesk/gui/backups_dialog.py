"""Säkerhetskopior: list the backups of the open database and restore one.

Only the open database's own backups (by its identity) are offered as its own, each with the
path it was taken of. Backups in the old naming scheme with the same file name follow apart,
marked as of unknown origin: they may be of another database with the same name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from socdesk.core.i18n import _
from socdesk.store.backup import BackupInfo, legacy_backups, list_backups


class BackupsDialog(QDialog):
    """``chosen()`` is the backup to restore after ``exec()`` returns accepted."""

    def __init__(self, folder: Path, db_path: Path, identity: str | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Säkerhetskopior"))
        self.resize(620, 460)
        own = list_backups(folder, identity)
        legacy = legacy_backups(folder, db_path)
        self.backups: list[BackupInfo | None] = []  # per row; None for a heading
        self.list = QListWidget()
        for b in own:
            self._add(b, f"{b.label}\n    {b.original() or db_path}")
        if legacy:
            self._add(None, _("Äldre säkerhetskopior med samma filnamn (okänt ursprung):"))
            unknown = _("kan vara av en annan databas som heter {n}").format(n=db_path.name)
            for b in legacy:
                self._add(b, f"{b.label}\n    {unknown}")
        if own or legacy:
            self.list.setCurrentRow(0 if own else 1)
        buttons = QDialogButtonBox()
        self.restore = buttons.addButton(_("Återställ vald …"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.restore.setEnabled(self.chosen() is not None)
        self.list.currentRowChanged.connect(lambda _row: self.restore.setEnabled(self.chosen() is not None))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        heading = QLabel(
            _(
                "Säkerhetskopior av {db} i {f}. Vid återställning sparas först en kopia av "
                "det nuvarande läget."
            ).format(db=db_path, f=folder)
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _add(self, backup: BackupInfo | None, text: str) -> None:
        item = QListWidgetItem(text)
        if backup is None:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        else:
            item.setToolTip(str(backup.path))
        self.list.addItem(item)
        self.backups.append(backup)

    def chosen(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None
