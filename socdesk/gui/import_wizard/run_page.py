"""The run page: what the import will do, then the import itself with a progress bar and cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from socdesk.core.i18n import _
from socdesk.gui.workers import Cancelled
from socdesk.io import importer
from socdesk.store.backup import backup_for, hold_identity

if TYPE_CHECKING:
    from socdesk.gui.import_wizard.wizard import ImportWizard


class RunPage(QWizardPage):
    """What will happen, then the import itself with a progress bar and cancel."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Läs in"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.replace = QCheckBox(_("Ersätt"))
        self.start = QPushButton(_("Läs in"))
        self.cancel = QPushButton(_("Avbryt inläsningen"))
        self.cancel.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.replace)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.start.clicked.connect(self.run)
        self.cancel.clicked.connect(self.stop)
        self.w.runner.progress.connect(
            lambda done, total: self.progress.setValue(int(100 * done / max(total, 1)))
        )

    def initializePage(self) -> None:
        p = self.w.plan
        assert p is not None
        lines = p.summary().lines()
        warn = []
        if p.same_file:
            warn.append(importer.AlreadyImportedError(p.same_file).args[0])
        elif p.overlaps:
            warn.append(importer.OverlapError(p.overlaps, p.overlap_example).args[0])
        self.summary.setText("\n".join(lines + warn))
        self.replace.setVisible(bool(warn))
        self.replace.setChecked(False)
        self.progress.setValue(0)
        self.message.setText("")
        self.start.setEnabled(True)

    def run(self) -> None:
        p, replace, name = self.w.plan, self.replace.isChecked(), self.w.mapping_page.name.text().strip()
        folder = self.w.ctx.backups
        assert p is not None
        if folder is not None:
            hold_identity(self.w.ctx.store)  # the worker's backup is named by the identity it reads

        def work(store, signals):
            def backup():  # once the file is checked, around the writing; gone again if refused
                assert folder is not None
                signals.check()
                return backup_for(store, folder, "import")

            signals.progress.emit(10, 100)
            try:
                signals.check()
                result = importer.execute(
                    store,
                    p,
                    replace=replace,
                    profile_name=name,
                    cancelled=lambda: signals.cancelled,
                    backup=backup if folder is not None and store.facts_count() else None,
                )
            except (Cancelled, importer.ImportCancelled):
                return None  # stopped before or inside the transaction: nothing written
            signals.progress.emit(100, 100)
            return result

        self.start.setEnabled(False)
        self.cancel.setEnabled(True)
        self.message.setText(_("Läser in …"))
        self.w.start(work, self._done, self._failed)

    def stop(self) -> None:
        """Stop the import; if it finished before the stop reached it, it says so."""
        self.w.runner.cancel()  # a running statement is interrupted and the transaction rolled back
        self.cancel.setEnabled(False)
        self.message.setText(_("Avbryter …"))

    def _failed(self, message: str) -> None:
        self.cancel.setEnabled(False)
        self.start.setEnabled(True)
        self.message.setText(_("Inget sparades: {m}").format(m=message))

    def _done(self, result: importer.Result | None) -> None:
        self.cancel.setEnabled(False)
        if result is None:
            self.start.setEnabled(True)
            self.progress.setValue(0)
            self.message.setText(_("Inläsningen avbröts; inget sparades."))
            return
        self.w.result = result
        self.w.imported.emit(result.batch_id)
        self.completeChanged.emit()
        self.w.next()

    def isComplete(self) -> bool:
        return self.w.result is not None
