"""Registrera › Årsvy: the year grid (units × jan … dec, Helår, Årsbudget, a Summa row). It is
the month form's view (``EntryView``: keys, paste and copy, undo/redo, drafts, the one audited
save) on a ``YearGridModel``; what differs is said here: months a lock closes are read-only,
and Spara with bad cells is refused with the list of them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from socdesk.core.facts import FactKey
from socdesk.core.i18n import _
from socdesk.gui.entry_model import EntryModel
from socdesk.gui.entry_view import EntryView
from socdesk.gui.year_grid_model import YearGridModel
from socdesk.reports.entry import EntryForm
from socdesk.reports.year_grid import MONTHS, locked_months

SAMPLE_MONTH = "−1\u00a0234,5"
SAMPLE_YEAR = "−12\u00a0345"
LISTED = 12  # bad cells named in the refusal; the rest are counted


class YearGridView(EntryView):
    model_class = YearGridModel

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.table.setAccessibleName(_("Årsvy"))
        header = self.table.verticalHeader()  # long unit names elided (the tooltip has them whole)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setMaximumWidth(self.fontMetrics().horizontalAdvance("7730 Dagverksamhet/korttid"))
        self.save.setToolTip(_("Spara alla ändrade celler på en gång (Ctrl+S); celler med fel räknas upp"))

    def set_form(self, form: EntryForm, *, not_allowed: str = "") -> None:
        super().set_form(form, not_allowed=not_allowed)
        if self.model is not None and self.model.dirty:  # a draft was put back: say so
            self.status.setText(
                _("{n} osparade celler från utkastet är återställda; spara eller ångra dem.").format(
                    n=len(self.model.changed_cells())
                )
            )
        # room for a typical month (and a year) as typed, so a paste does not hide its figures
        metrics, header = self.table.fontMetrics(), self.table.horizontalHeader()
        for column in range(len(form.columns)):
            sample = SAMPLE_MONTH if column in MONTHS else SAMPLE_YEAR
            width = metrics.horizontalAdvance(sample) + metrics.averageCharWidth() + 4
            if header.sectionSize(column) < width:
                header.resizeSection(column, width)

    def current_key(self) -> FactKey | None:
        index = self.table.currentIndex()
        if isinstance(self.model, YearGridModel) and index.row() == self.model.total_row:
            return None  # the Summa row has no history of its own
        return super().current_key()

    def _lock(self, model: EntryModel) -> bool:
        locked = locked_months(self.ctx.store, model.form)
        if isinstance(model, YearGridModel):
            model.set_locked_columns(locked)
        return len(locked) == 12

    def _update(self, *args: object) -> None:
        super()._update(*args)
        model = self.model
        if model is not None and model.changed_cells() and not model.readonly:
            self.save.setEnabled(True)  # pressed with errors it lists them (save_changes)

    def error_list(self) -> list[str]:
        model = self.model
        if not isinstance(model, YearGridModel):
            return []
        return [f"{model.location(r, c)}: {e}" for r, c, e in model.errors()]

    def save_changes(self) -> bool:
        errors = self.error_list()
        if errors and self.model is not None and self.model.dirty:
            shown = "\n".join(errors[:LISTED])
            more = len(errors) - LISTED
            if more > 0:
                shown += "\n" + _("… och {n} till").format(n=more)
            self._update()
            QMessageBox.warning(
                self,
                _("Spara"),
                _("Inget sparades: {n} celler har fel. Rätta dem först:\n\n{cells}").format(
                    n=len(errors), cells=shown
                ),
            )
            return False
        return super().save_changes()
