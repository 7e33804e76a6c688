"""Period → Nytt budgetår …: next year's årsbudget from last year's, previewed per unit before
anything is written (``socdesk.reports.new_year``). The change is typed for the board, and per
unit in the preview's Ändring column (a unit's percentage applies to it alone here; the CLI's
``KOD=P`` also takes a subtree)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _, n_
from socdesk.core.numbers import format_kr, format_number
from socdesk.gui.context import AppContext
from socdesk.gui.swedish import SWEDISH
from socdesk.reports.new_year import Base, NewYearPlan, Outcome, apply_new_year, plan_new_year
from socdesk.reports.planning import TWELFTHS, Spread, budget_profiles

PERCENT_COLUMN = 2


class NewYearDialog(QDialog):
    def __init__(self, ctx: AppContext, root: str, year: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.root = ctx, root
        self.plan: NewYearPlan | None = None
        self.unit_percent: dict[str, Decimal] = {}
        self.written = 0
        self.setWindowTitle(_("Nytt budgetår"))
        self.resize(860, 600)
        self.from_year, self.to_year = QSpinBox(), QSpinBox()
        for box, value in ((self.from_year, year), (self.to_year, year + 1)):
            box.setRange(1990, 2100)
            box.setValue(value)
        self.base = QComboBox()
        for b in Base:
            self.base.addItem(_("Förra årets {b}").format(b=b.label), b.value)
        self.percent = QDoubleSpinBox()
        self.percent.setLocale(SWEDISH)
        self.percent.setRange(-100, 1000)
        self.percent.setDecimals(1)
        self.percent.setSuffix(" %")
        self.spread = QComboBox()
        self.spread.addItem(_("Tolftedelar"), TWELFTHS)
        self.profiles = budget_profiles(ctx.store)
        for name in self.profiles:
            self.spread.addItem(name, name)
        form = QFormLayout()
        form.addRow(_("Från år:"), self.from_year)
        form.addRow(_("Till år:"), self.to_year)
        form.addRow(_("Utgå från:"), self.base)
        form.addRow(_("Ändring för alla:"), self.percent)
        form.addRow(_("Periodisering:"), self.spread)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("Enhet"), _("Grund (kr)"), _("Ändring %"), _("Förslag (kr)"), _("Blir")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create = self.buttons.addButton(_("Skapa budget"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create.setEnabled(not ctx.readonly)
        for button in self.buttons.buttons():  # Return in the table commits a cell, never the dialog
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(ctx.store.unit_tree()[root].label))
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        for box in (self.from_year, self.to_year):
            box.valueChanged.connect(lambda _v: self.refresh())
        self.percent.valueChanged.connect(lambda _v: self.refresh())
        self.base.currentIndexChanged.connect(lambda _i: self.refresh())
        self.spread.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.itemChanged.connect(self._percent_edited)
        self.refresh()

    def _spread(self) -> Spread:
        name = self.spread.currentData()
        return Spread(name, tuple(self.profiles[name])) if name else Spread(TWELFTHS)

    def refresh(self) -> None:
        percents = {"": Decimal(str(round(self.percent.value(), 1))), **self.unit_percent}
        try:
            self.plan = plan_new_year(
                self.ctx.store,
                self.root,
                self.from_year.value(),
                self.to_year.value(),
                percents,
                base=Base(self.base.currentData()),
                spread=self._spread(),
            )
        except SocdeskError as err:
            self.plan = None
            self.table.setRowCount(0)
            self.summary.setText(str(err))
            self.create.setEnabled(False)
            return
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.plan.rows))
        for r, row in enumerate(self.plan.rows):
            cells = [
                row.unit.label,
                "–" if row.base is None else format_number(row.base, 0),
                format_number(row.percent, 1),
                "–" if row.proposed is None else format_number(row.proposed, 0),
                row.outcome.label,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.unit.code)
                editable = c == PERCENT_COLUMN and row.outcome is Outcome.NEW
                flags = item.flags() & ~Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags)
                if c in (1, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        plan, to_year = self.plan, self.to_year.value()
        kept = sum(r.outcome is Outcome.KEPT for r in plan.rows)
        text = n_(
            "{n} enhet får årsbudget {y}, summa {s}.",
            "{n} enheter får årsbudget {y}, summa {s}.",
            len(plan.new),
        ).format(n=len(plan.new), y=to_year, s=format_kr(plan.total))
        if kept:
            text += " " + _("{n} har redan budget {y} och lämnas orörda.").format(n=kept, y=to_year)
        self.summary.setText(text)
        self.create.setEnabled(bool(plan.new) and not self.ctx.readonly)

    def _percent_edited(self, item: QTableWidgetItem) -> None:
        if item.column() != PERCENT_COLUMN:
            return
        code = item.data(Qt.ItemDataRole.UserRole)
        text = item.text().replace("−", "-").replace(",", ".").replace("%", "").strip()
        try:
            self.unit_percent[code] = Decimal(text)
        except ArithmeticError:
            self.summary.setText(
                _("”{t}” är ingen procentsats (skriv t.ex. 3 eller −1,5).").format(t=item.text())
            )
            self.table.blockSignals(True)
            item.setText(format_number(self.unit_percent.get(code, Decimal(str(self.percent.value()))), 1))
            self.table.blockSignals(False)
            return
        self.refresh()

    def save(self) -> None:
        if self.plan is None or not self.plan.new:
            return
        try:
            self.written = apply_new_year(self.ctx.store, self.plan)
        except SocdeskError as err:
            self.summary.setText(_("Inget sparades: {e}").format(e=err))
            return
        self.accept()
