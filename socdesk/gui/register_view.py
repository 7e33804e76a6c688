"""Registrera: choose the form (utfall, budget or prognos) for the selected unit and month, and
type into it. The grid itself is ``EntryView``; this tab builds the forms and their options."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.numbers import parse_number
from socdesk.core.periods import MONTH_ABBR, Month
from socdesk.core.roles import Role
from socdesk.core.units import UnitTree
from socdesk.gui.context import AppContext
from socdesk.gui.entry_view import EntryView
from socdesk.gui.year_grid_view import YearGridView
from socdesk.reports.entry import EntryForm, Part, actual_form
from socdesk.reports.planning import (
    BY_MONTH,
    SUGGESTIONS,
    TWELFTHS,
    Spread,
    budget_form,
    budget_profiles,
    forecast_form,
    save_budget_profile,
)
from socdesk.reports.year_grid import year_form
from socdesk.store.figures import Figures


class Kind(StrEnum):
    ACTUAL = "utfall"
    BUDGET = "budget"
    FORECAST = "prognos"

    @property
    def label(self) -> str:
        return {Kind.ACTUAL: _("Utfall"), Kind.BUDGET: _("Budget"), Kind.FORECAST: _("Prognos")}[self]


class RegisterView(QWidget):
    """``saved()`` after figures were stored (the workspace refreshes)."""

    saved = Signal()

    def __init__(self, ctx: AppContext, role: Callable[[], Role], parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.role = ctx, role
        self.tree: UnitTree | None = None
        self.figures: Figures | None = None
        self._unit: str | None = None
        self._month: Month | None = None
        self._spreads: dict[str, Spread] = {TWELFTHS: Spread(TWELFTHS)}
        self.kind = QComboBox()
        for k in Kind:
            self.kind.addItem(k.label, k)
        self.kind.setAccessibleName(_("Formulär"))
        self.part = QComboBox()
        for p in Part:
            self.part.addItem(p.label, p)
        self.part.setAccessibleName(_("Del"))
        self.version = QComboBox()
        self.version.setAccessibleName(_("Budgetversion"))
        self.new_version = QPushButton(_("Ny ombudgetering …"))
        self.spread = QComboBox()
        self.spread.setAccessibleName(_("Periodisering"))
        self.new_profile = QPushButton(_("Ny profil …"))
        self.new_profile.setToolTip(
            _("En namngiven fördelning över årets tolv månader, t.ex. mer under sommaren")
        )
        self.use_budget = QPushButton(_("Använd förslaget: utfall + återstående budget"))
        self.use_pace = QPushButton(_("Använd förslaget: samma takt"))
        for b in (self.use_budget, self.use_pace):
            b.setToolTip(_("Fyller de markerade raderna (eller alla tomma) med förslaget; kan ångras."))
        self.year_mode = QCheckBox(_("Årsvy"))
        self.year_mode.setToolTip(
            _("Alla enheter × årets tolv månader, med helår, årsbudget och summa; klistra in från Excel")
        )
        self.options = QHBoxLayout()
        self.options.addWidget(QLabel(_("Formulär:")))
        self.options.addWidget(self.kind)
        self.options.addWidget(self.year_mode)
        self.part_label = QLabel(_("Del:"))
        self.version_label = QLabel(_("Version:"))
        self.spread_label = QLabel(_("Periodisering:"))
        for w in (
            self.part_label,
            self.part,
            self.version_label,
            self.version,
            self.new_version,
            self.spread_label,
            self.spread,
            self.new_profile,
            self.use_budget,
            self.use_pace,
        ):
            self.options.addWidget(w)
        self.options.addStretch(1)
        self.entry = EntryView(ctx)
        self.year = YearGridView(ctx)
        self.views = QStackedWidget()
        self.views.addWidget(self.entry)
        self.views.addWidget(self.year)
        layout = QVBoxLayout(self)
        layout.addLayout(self.options)
        layout.addWidget(self.views, 1)
        self.year_mode.toggled.connect(lambda _on: self.rebuild())
        self.kind.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.part.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.version.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.spread.currentIndexChanged.connect(lambda _i: self.rebuild())
        self.new_version.clicked.connect(self.add_revision)
        self.new_profile.clicked.connect(self.add_profile)
        self.use_budget.clicked.connect(lambda: self.use_suggestion("budget"))
        self.use_pace.clicked.connect(lambda: self.use_suggestion("takt"))
        self.entry.saved.connect(lambda _n: self.saved.emit())
        self.year.saved.connect(self._year_saved)
        self._update_options()

    # --- what to show ---------------------------------------------------------------------
    def show_for(self, unit: str, month: Month, tree: UnitTree, figures: Figures) -> None:
        self.tree, self.figures = tree, figures
        if (unit, month) != (self._unit, self._month):
            self._unit, self._month = unit, month
            self._fill_versions()
            self.rebuild()
        elif self.year_mode.isChecked() and self.year.model and self.year.model.scale != self.ctx.scale:
            self.rebuild()  # the grid follows Skala (unless typing in it: that keeps its scale)

    def current_kind(self) -> Kind:
        return Kind(self.kind.currentData())

    def _fill_versions(self) -> None:
        if self._month is None:
            return
        chosen = self.version.currentData()
        self.version.blockSignals(True)
        self.version.clear()
        self.version.addItem(_("Ursprunglig budget"), "")
        for v in self.ctx.store.budget_versions(self._month.year):
            y, m = v["version"].split("-")
            self.version.addItem(
                _("Ombudgetering från {m} {y} ({d}): {r}").format(
                    m=MONTH_ABBR[int(m) - 1], y=y, d=v["decided_on"], r=v["reason"]
                ),
                v["version"],
            )
        index = self.version.findData(chosen)
        self.version.setCurrentIndex(max(index, 0))
        self.version.blockSignals(False)
        self.spread.blockSignals(True)
        chosen_spread = self.spread.currentData()
        self.spread.clear()
        self._spreads = {TWELFTHS: Spread(TWELFTHS)}
        self._spreads.update({n: Spread(n, tuple(w)) for n, w in budget_profiles(self.ctx.store).items()})
        self._spreads[BY_MONTH] = Spread(BY_MONTH)
        for name, spread in self._spreads.items():
            self.spread.addItem(spread.label, name)
        self.spread.setCurrentIndex(max(self.spread.findData(chosen_spread or TWELFTHS), 0))
        self.spread.blockSignals(False)

    def _update_options(self) -> None:
        kind, year = self.current_kind(), self.year_mode.isChecked()
        for w in (self.part_label, self.part):
            w.setVisible(kind is Kind.ACTUAL and not year)
        for w in (self.version_label, self.version, self.new_version):
            w.setVisible(kind is Kind.BUDGET)
        for w in (self.spread_label, self.spread, self.new_profile):
            w.setVisible(kind is Kind.BUDGET and not year)
        for w in (self.use_budget, self.use_pace):
            w.setVisible(kind is Kind.FORECAST and not year)
        self.views.setCurrentWidget(self.year if year else self.entry)
        may = self.role().may_edit_budget and not self.ctx.readonly
        self.new_version.setEnabled(may)
        self.new_profile.setEnabled(may)

    def build_form(self) -> tuple[EntryForm, str]:
        assert self._unit is not None and self._month is not None
        kind, store = self.current_kind(), self.ctx.store
        if kind is Kind.ACTUAL:
            form = actual_form(
                store,
                self._unit,
                self._month,
                Part(self.part.currentData()),
                tree=self.tree,
                figures=self.figures,
            )
            return form, ""
        if kind is Kind.BUDGET:
            form = budget_form(
                store,
                self._unit,
                self._month.year,
                version=self.version.currentData() or "",
                spread=self._spreads.get(self.spread.currentData() or TWELFTHS, Spread(TWELFTHS)),
                tree=self.tree,
                figures=self.figures,
            )
            allowed = self.role().may_edit_budget
            return form, "" if allowed else _("budget ändras av en controller (Inställningar › Roll)")
        return forecast_form(store, self._unit, self._month, tree=self.tree, figures=self.figures), ""

    def build_year_form(self) -> tuple[EntryForm, str]:
        """The year grid of the kind chosen, for the month's year (budget: in the version)."""
        assert self._unit is not None and self._month is not None
        kind = self.current_kind()
        form = year_form(
            self.ctx.store,
            self._unit,
            self._month.year,
            kind.value,
            version=(self.version.currentData() or "") if kind is Kind.BUDGET else "",
            tree=self.tree,
            figures=self.figures,
        )
        if kind is Kind.BUDGET and not self.role().may_edit_budget:
            return form, _("budget ändras av en controller (Inställningar › Roll)")
        return form, ""

    def rebuild(self) -> None:
        self._update_options()
        if self._unit is None or self._month is None:
            return
        year = self.year_mode.isChecked()
        view = self.year if year else self.entry
        model = view.model
        try:
            form, not_allowed = self.build_year_form() if year else self.build_form()
        except SocdeskError as err:
            QMessageBox.warning(self, _("Registrera"), str(err))
            return
        if model is not None and model.dirty and model.form.key == form.key:
            return  # the same form with typing in it: keep it (and its undo history)
        view.set_form(form, not_allowed=not_allowed)

    def _year_saved(self, _n: int) -> None:
        """The saved figures read back from the store into the grid."""
        self.saved.emit()
        self.rebuild()

    def may_leave(self) -> bool:
        """Before the window closes: each form with unsaved typing asks (save, discard, stay)."""
        return self.entry.may_leave() and self.year.may_leave()

    def keep_draft(self) -> None:
        self.entry.keep_draft()
        self.year.keep_draft()

    def take_draft(self) -> tuple[str, dict[str, str]] | None:
        """The unsaved typing of the form shown (else of the other), for the database opened again."""
        first, second = (self.year, self.entry) if self.year_mode.isChecked() else (self.entry, self.year)
        return first.take_draft() or second.take_draft()

    def open_year_draft(self, key: str) -> None:
        """Show the year grid a kept draft (``arsvy:KIND:UNIT:YEAR[:VERSION]``) belongs to."""
        parts = key.split(":")
        self.year.restore_without_asking(key)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(Kind(parts[1])))
        self.kind.blockSignals(False)
        if len(parts) > 4:
            self.version.setCurrentIndex(max(self.version.findData(parts[4]), 0))
        self.year_mode.setChecked(True)
        self.rebuild()

    def refresh(self) -> None:
        """After something else changed the figures (a save, a lock): show them anew."""
        self._fill_versions()
        self.rebuild()

    # --- actions ------------------------------------------------------------------------
    def add_revision(self) -> None:
        if self._month is None:
            return
        dialog = RevisionDialog(self._month, self)
        if not dialog.exec():
            return
        try:
            version = self.ctx.store.add_budget_version(
                self._month.year, dialog.applies_from(), dialog.decided_on(), dialog.reason.text()
            )
        except SocdeskError as err:
            QMessageBox.warning(self, _("Ny ombudgetering"), str(err))
            return
        self._fill_versions()
        self.version.setCurrentIndex(self.version.findData(version))
        self.saved.emit()

    def add_profile(self) -> None:
        """A named 12-month periodisation profile, saved in the database."""
        name, ok = QInputDialog.getText(self, _("Ny periodiseringsprofil"), _("Profilens namn:"))
        if not ok or not name.strip():
            return
        text, ok = QInputDialog.getText(
            self,
            _("Ny periodiseringsprofil"),
            _("Tolv vikter, jan till dec, t.ex. 1; 1; 1; 1; 1; 1,2; 1,4; 1,2; 1; 1; 1; 1:"),
        )
        if not ok:
            return
        try:
            weights = [parse_number(w) for w in text.split(";") if w.strip()]
            save_budget_profile(self.ctx.store, name.strip(), weights)
        except SocdeskError as err:
            QMessageBox.warning(self, _("Ny periodiseringsprofil"), str(err))
            return
        self._fill_versions()
        self.spread.setCurrentIndex(self.spread.findData(name.strip()))

    def use_suggestion(self, which: str) -> None:
        """Copy a suggestion into the prognos cells of the selected rows (or of all empty ones)."""
        model = self.entry.model
        if model is None or self.current_kind() is not Kind.FORECAST or model.readonly:
            return
        source, target = SUGGESTIONS[which], model.form.inputs[-1]
        rows = sorted({i.row() for i in self.entry.table.selectionModel().selectedIndexes()})
        if len(rows) <= 1:
            rows = [r for r in range(model.rowCount()) if not model.text(r, target).strip()]
        changes = {
            (r, target): model.format(value, target)
            for r in rows
            if (value := model.form.cells[(r, source)].value) is not None
        }
        model.set_cells(changes, _("Använd förslaget"))


class RevisionDialog(QDialog):
    """Ombudgetering: from which month, decided when, and why (all kept with the version)."""

    def __init__(self, month: Month, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Ny ombudgetering"))
        self.year = month.year
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{MONTH_ABBR[m - 1]} {month.year}", m)
        self.month.setCurrentIndex(month.month - 1)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("t.ex. Nämndens beslut § 45: utökad ram för hemtjänst"))
        form = QFormLayout()
        form.addRow(_("Gäller från:"), self.month)
        form.addRow(_("Beslutad:"), self.date)
        form.addRow(_("Skäl:"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "Den nya versionen börjar som en kopia av budgeten som gäller nu; "
                    "ändra sedan de enheter som berörs."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)

    def applies_from(self) -> Month:
        return Month(self.year, int(self.month.currentData()))

    def decided_on(self) -> str:
        return self.date.date().toString("yyyy-MM-dd")
