"""The check page: every row of the file read and checked on a worker; the file's errors (it
cannot be read as it is: nothing is saved), the findings in its own figures (said, not refused),
and how many of its unit codes the database does not know (chosen for on the next page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QProgressBar, QVBoxLayout, QWizardPage

from socdesk.core.checks import findings_in_file
from socdesk.core.i18n import _, n_
from socdesk.io import importer

if TYPE_CHECKING:
    from socdesk.gui.import_wizard.wizard import ImportWizard


class CheckPage(QWizardPage):
    """Every row read and checked (on a worker); the unknown unit codes counted."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(_("Kontroll"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setAccessibleName(_("Fel i filen"))
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        self.findings.setAccessibleName(_("Fynd i filens siffror"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.errors, 1)
        layout.addWidget(self.findings, 1)
        self._ready = False
        self.unknown: dict[str, tuple[str, str]] = {}

    def initializePage(self) -> None:
        self._ready = False
        self.unknown = {}
        self.errors.clear()
        self.errors.hide()
        self.findings.clear()
        self.findings.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(_("Läser och kontrollerar {f} …").format(f=self.w.path.name))
        data, name, chosen, declared = self.w.data, self.w.path.name, self.w.profile(), self.w.declared

        def work(store, signals):
            source = importer.read_source(data, name, store, chosen, check=signals.check, declared=declared)
            measures = {**store.measures(), **{m.key: m for m in source.measures}}  # declared ones too
            findings = findings_in_file(source.facts, store.unit_tree(), source.new_units, measures)
            return source, findings

        self.w.start(work, self._read, self._failed)
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.status.setText(
            _("Filen kan inte läsas in som den är; inget har sparats. Rätta och försök igen:")
        )
        self.errors.setPlainText(message)
        self.errors.show()

    def _read(self, result: tuple[importer.Source, list]) -> None:
        source, findings = result
        self.progress.hide()
        self.w.source = source
        store = self.w.ctx.store
        self.unknown = importer.unknown_units(source, store.unit_tree(), importer.unit_map(store))
        if source.kind is importer.Kind.KOLADA:
            self.unknown = {}  # kommuner are created under the Kolada unit
        text = n_(
            "{f}: {r} rad läst och kontrollerad, inga fel.",
            "{f}: {r} rader lästa och kontrollerade, inga fel.",
            source.rows,
        ).format(f=source.file_name, r=source.rows)
        if source.notes:
            text += " " + " ".join(source.notes)
        if source.declared_in:
            text += " " + _("Måtten deklareras i {f}.").format(f=source.declared_in)
        if findings:  # the file's own figures do not hang together: said, not refused
            text += " " + _(
                "Kontrollen av filens siffror gav {n} fynd (som socdesk check); filen kan ändå läsas in."
            ).format(n=len(findings))
            self.findings.setPlainText("\n".join(f.message for f in findings))
            self.findings.show()
        if self.unknown:
            text += " " + n_(
                "{n} enhetskod finns inte i databasen: koppla den till en enhet, eller skapa den.",
                "{n} enhetskoder finns inte i databasen: koppla var och en till en enhet, eller skapa den.",
                len(self.unknown),
            ).format(n=len(self.unknown))
            text += " " + _("Det görs på nästa sida.")
        self.status.setText(text)
        self._ready = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._ready

    def nextId(self) -> int:
        """The unknown units' page only when the file has codes the database does not know."""
        return self.w.units_id if self.unknown else self.w.run_id

    def validatePage(self) -> bool:
        if self.unknown:
            return True  # planned on the unknown units' page, with the user's choices
        error = self.w.make_plan()
        if error:
            self.status.setText(error)
            return False
        return True
