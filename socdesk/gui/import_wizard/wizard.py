"""Importera: file → preview and column mapping → check → unknown units (when there are any)
→ import with a progress bar and cancel → summary, with the import undoable as a whole. The
reading, checking and writing run on a worker thread; the steps themselves are
``socdesk.io.importer``'s. One module per page; this one holds what the pages share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.gui.context import AppContext
from socdesk.gui.import_wizard.check_page import CheckPage
from socdesk.gui.import_wizard.done_page import DonePage
from socdesk.gui.import_wizard.file_page import FilePage
from socdesk.gui.import_wizard.mapping_page import MappingPage
from socdesk.gui.import_wizard.run_page import RunPage
from socdesk.gui.import_wizard.units_page import UnitsPage
from socdesk.gui.workers import Runner
from socdesk.io import importer
from socdesk.io.sheets import Sheet
from socdesk.io.tables import Profile


class ImportWizard(QWizard):
    """``imported(batch_id)`` after a file was written; ``undone(batch_id)`` after its undo."""

    imported = Signal(int)
    undone = Signal(int)

    def __init__(self, ctx: AppContext, parent: Any = None, *, unit: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit = unit  # the unit chosen in the tree: a new unit's parent when the file says nothing
        self.setWindowTitle(_("Importera"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # done: only Stäng
        self.resize(980, 680)
        for button, text in (
            (QWizard.WizardButton.BackButton, _("< Tillbaka")),
            (QWizard.WizardButton.NextButton, _("Nästa >")),
            (QWizard.WizardButton.CancelButton, _("Avbryt")),
            (QWizard.WizardButton.FinishButton, _("Stäng")),
        ):
            self.setButtonText(button, text)
        self.data = b""
        self.declared: tuple[str, bytes] | None = None  # the mått.csv beside the file
        self.path: Path | None = None
        self.kind: importer.Kind | None = None
        self.sheets: list[Sheet] = []
        self.source: importer.Source | None = None
        self.plan: importer.Plan | None = None
        self.result: importer.Result | None = None
        self.runner = Runner(ctx.database_path, parent=self)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.units_page = UnitsPage(self)
        self.run_page = RunPage(self)
        self.done_page = DonePage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.units_page):
            self.addPage(page)
        self.units_id = self.pageIds()[-1]
        self.run_id = self.addPage(self.run_page)
        self.addPage(self.done_page)
        self._handlers: tuple[Any, Any] | None = None
        self.runner.finished.connect(lambda result: self._report(0, result))
        self.runner.failed.connect(lambda message: self._report(1, message))

    def start(self, work: Any, on_done: Any, on_failed: Any) -> None:
        """Run ``work(store, signals)`` on the worker; one of the handlers gets the outcome."""
        self._handlers = (on_done, on_failed)
        self.runner.start(work)

    def _report(self, which: int, payload: Any) -> None:
        handlers, self._handlers = self._handlers, None
        if handlers is not None:
            handlers[which](payload)

    def profile(self) -> Profile | None:
        if self.kind is importer.Kind.SIE:
            page = self.mapping_page
            return Profile(dimension=page.dimension.currentData() or "1", as_unit=page.sie_unit.unit())
        return self.mapping_page.profile() if self.kind is importer.Kind.TABLE else None

    def make_plan(
        self,
        mapping: dict[str, str] | None = None,
        create: dict[str, str | None] | None = None,
        skip: set[str] | None = None,
    ) -> str:
        """Plan the import of the file read, with the unknown codes' choices; the refusal's text
        ("" when planned)."""
        assert self.source is not None
        try:
            self.plan = importer.plan(self.ctx.store, self.source, mapping=mapping, create=create, skip=skip)
        except SocdeskError as err:
            return str(err)
        return ""

    def done(self, result: int) -> None:  # closing: a running job is cancelled, never left half
        self.runner.shutdown()
        super().done(result)
