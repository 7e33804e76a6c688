"""The import wizard's choice for a SIE file without cost-centre objects (issue 14): read the
whole file as one unit, chosen from the database's units. Shown only for such files
(``sie.needs_unit``); for every other file it stays hidden and chooses nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from socdesk.core.i18n import _
from socdesk.core.units import UnitTree
from socdesk.io.sie import needs_unit


class SieUnitChoice(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.label = QLabel(_("Filen har inga kostnadsställen. Läs in hela filen som enheten:"))
        self.label.setWordWrap(True)
        self.units = QComboBox()
        self.units.setAccessibleName(_("Enhet för hela filen"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.units, 1)
        self.hide()

    def offer(self, data: bytes, file_name: str, dimension: str, tree: UnitTree) -> None:
        """Shown (with the units to choose from) only when the file needs one unit."""
        if not needs_unit(data, file_name, dimension):
            self.units.clear()
            self.hide()
            return
        if not self.units.count():
            self.units.addItem(_("(välj enhet)"), "")
            for u in tree:
                self.units.addItem(u.label, u.code)
        self.show()

    def unit(self) -> str:
        """The chosen unit's code; "" when the choice is not offered or not made."""
        return (self.units.currentData() or "") if not self.isHidden() else ""

    def problem(self) -> str:
        if not self.isHidden() and not self.unit():
            return _("Välj den enhet som hela SIE-filen ska läsas in som.")
        return ""
