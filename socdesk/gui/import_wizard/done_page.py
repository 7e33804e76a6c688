"""The last page: what was imported, and the undo of the whole import. Its one way out is Stäng
(``NoCancelButtonOnLastPage``): Avbryt would promise to undo what is already written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWizardPage

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _

if TYPE_CHECKING:
    from socdesk.gui.import_wizard.wizard import ImportWizard


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Klart"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo = QPushButton(_("Ångra importen"))
        self.undo.clicked.connect(self.undo_import)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.undo, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def initializePage(self) -> None:
        r = self.w.result
        assert r is not None
        self.text.setText(
            "\n".join(
                [
                    _("Import {b} klar.").format(b=r.batch_id),
                    *r.summary.lines(done=True),
                ]
            )
        )
        self.undo.setEnabled(True)

    def undo_import(self) -> None:
        r = self.w.result
        assert r is not None
        try:
            n = self.w.ctx.store.undo_batch(r.batch_id)
        except SocdeskError as err:
            QMessageBox.warning(self, _("Ångra importen"), str(err))
            return
        self.text.setText(
            self.text.text() + "\n\n" + _("Importen ångrades: {n} uppgifter återställda.").format(n=n)
        )
        self.undo.setEnabled(False)
        self.w.undone.emit(r.batch_id)
