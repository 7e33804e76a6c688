"""The wizard's first page: the file, read once (its bytes, kind, sheets and declared measures)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWizardPage

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.gui import file_dialogs
from socdesk.io import READABLE, importer
from socdesk.io.sheets import read_sheets

if TYPE_CHECKING:
    from socdesk.gui.import_wizard.wizard import ImportWizard


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Välj fil"))
        self.setSubTitle(
            _(
                "CSV eller Excel (lång, bred eller transaktioner), SIE 4 från ekonomisystemet, "
                "eller Kolada (JSON eller CSV). Inget sparas förrän sista steget."
            )
        )
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Fil"))
        browse = QPushButton(_("Bläddra …"))
        browse.clicked.connect(self._browse)
        self.info = QLabel()
        self.info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.info)
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())

    def _browse(self) -> None:
        chosen = file_dialogs.open_file(
            self,
            _("Välj fil att importera"),
            "",
            _("Filer socdesk läser ({p});;Alla filer (*)").format(p=" ".join(f"*{e}" for e in READABLE)),
            self.w.ctx.database_path,
        )
        if chosen is not None:
            self.path.setText(str(chosen))

    def isComplete(self) -> bool:
        return Path(self.path.text().strip()).is_file()

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip())
        try:
            importer.refuse_reading_database(
                path, self.w.ctx.database_path
            )  # reading it would drop SQLite's locks
            data = importer.read_file(path)
            kind = importer.kind_of(data, path.name)
            sheets = read_sheets(data, path.name) if kind is importer.Kind.TABLE else []
            declared = importer.declarations_beside(path)
        except (OSError, SocdeskError) as err:
            self.info.setText(str(err) if isinstance(err, SocdeskError) else err.strerror)
            return False
        self.w.path, self.w.data, self.w.kind, self.w.sheets = path, data, kind, sheets
        self.w.declared = declared
        return True
