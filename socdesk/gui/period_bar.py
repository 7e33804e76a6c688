"""Year, month, how to view the period, and the scale."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.core.periods import MONTH_NAMES, Month
from socdesk.reports.economy import ViewMode


class PeriodBar(QWidget):
    """``period_changed(Month, ViewMode)``; ``scale_changed(Scale)``; ``organisation_changed(bool)``
    (True: the units as they were in january of the year, "som den var"; docs/units.md)."""

    period_changed = Signal(object, object)
    scale_changed = Signal(object)
    organisation_changed = Signal(bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.month = QComboBox()
        self.month.addItems([m.capitalize() for m in MONTH_NAMES])
        self.month.setAccessibleName(_("Månad"))
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setAccessibleName(_("År"))
        self.mode = QComboBox()
        for m in ViewMode:
            self.mode.addItem(m.label, m)
        self.mode.setCurrentIndex(list(ViewMode).index(ViewMode.YTD))
        self.mode.setAccessibleName(_("Visa period som"))
        self.scale = QComboBox()
        for s in Scale:
            self.scale.addItem(s.label, s)
        self.scale.setAccessibleName(_("Skala"))
        self.organisation = QComboBox()
        self.organisation.addItem(_("som nu"), False)
        self.organisation.addItem(_("som den var"), True)
        self.organisation.setAccessibleName(_("Organisation"))
        self.organisation.setToolTip(
            _(
                "Enhetsträdet som det är nu, eller som det var i januari det valda året "
                "(före senare flyttar och sammanslagningar)."
            )
        )
        self.label = QLabel()
        self.lock_label = QLabel()
        self.lock_label.setAccessibleName(_("Låsning"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Månad")))
        layout.addWidget(self.month)
        layout.addWidget(self.year)
        layout.addWidget(QLabel(_("Visa")))
        layout.addWidget(self.mode)
        layout.addWidget(self.label)
        layout.addWidget(self.lock_label, 1)
        layout.addWidget(QLabel(_("Organisation")))
        layout.addWidget(self.organisation)
        layout.addWidget(QLabel(_("Skala")))
        layout.addWidget(self.scale)
        self._quiet = False
        self.year.valueChanged.connect(self._changed)
        self.month.currentIndexChanged.connect(self._changed)
        self.mode.currentIndexChanged.connect(self._changed)
        self.scale.currentIndexChanged.connect(lambda _i: self.scale_changed.emit(self.scale.currentData()))
        self.organisation.currentIndexChanged.connect(lambda _i: self.organisation_changed.emit(self.then()))

    def current_month(self) -> Month:
        return Month(self.year.value(), self.month.currentIndex() + 1)

    def current_mode(self) -> ViewMode:
        return ViewMode(self.mode.currentData())

    def then(self) -> bool:
        """Whether the organisation is shown as it was ("som den var")."""
        return bool(self.organisation.currentData())

    def current_scale(self) -> Scale:
        return self.scale.currentData()

    def set_scale(self, scale: Scale) -> None:
        self.scale.setCurrentIndex(list(Scale).index(scale))

    def set_month(self, month: Month) -> None:
        """Show ``month``; emits ``period_changed`` once if anything changed."""
        if month == self.current_month():
            self._update_label()
            return
        self._quiet = True
        self.year.setValue(month.year)
        self.month.setCurrentIndex(month.month - 1)
        self._quiet = False
        self._changed()

    def _update_label(self) -> None:
        self.label.setText(f"({self.current_mode().period(self.current_month()).label()})")

    def _changed(self) -> None:
        if self._quiet:
            return
        self._update_label()
        self.period_changed.emit(self.current_month(), self.current_mode())
