"""Registrera › Årsvy: the year grid (units × jan … dec, Helår, Årsbudget, a Summa row). It is
the month form's view (``EntryView``: keys, paste and copy, undo/redo, drafts, the one audited
save) on a ``YearGridModel``; what differs is said here: months a lock closes are read-only,
and Spara with bad cells is refused with the list of them."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from socdesk.core.i18n import _
from socdesk.gui.entry_model import EntryModel
from socdesk.gui.entry_view import EntryView
from socdesk.gui.year_grid_model import YearGridModel
from socdesk.reports.year_grid import locked_months

LISTED = 12  # bad cells named in the refusal; the rest are counted


class YearGridView(EntryView):
    model_class = YearGridModel

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.table.setAccessibleName(_("Årsvy"))
        self.save.setToolTip(_("Spara alla ändrade celler på en gång (Ctrl+S); celler med fel räknas upp"))

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
