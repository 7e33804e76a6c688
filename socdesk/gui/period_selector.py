"""Year and month (year to date) selector."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from socdesk.core.i18n import _
from socdesk.core.periods import MONTH_NAMES, Period


class PeriodSelector(QWidget):
    """Emits ``period_changed`` with the year to date through the chosen month."""

    period_changed = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setAccessibleName(_("År"))
        self.month = QComboBox()
        self.month.addItems([m.capitalize() for m in MONTH_NAMES])
        self.month.setAccessibleName(_("Månad"))
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Period t.o.m.")))
        layout.addWidget(self.month)
        layout.addWidget(self.year)
        layout.addWidget(self.label)
        self._quiet = False
        self.year.valueChanged.connect(self._changed)
        self.month.currentIndexChanged.connect(self._changed)

    def period(self) -> Period:
        return Period.year_to_date(self.year.value(), self.month.currentIndex() + 1)

    def set_period(self, period: Period) -> None:
        """Show ``period`` (its end month); emits ``period_changed`` once if it changed."""
        if period.end == self.period().end:
            self._update_label()
            return
        self._quiet = True
        self.year.setValue(period.end.year)
        self.month.setCurrentIndex(period.end.month - 1)
        self._quiet = False
        self._changed()

    def _update_label(self) -> None:
        self.label.setText(f"({self.period().label()})")

    def _changed(self) -> None:
        if self._quiet:
            return
        self._update_label()
        self.period_changed.emit(self.period())
