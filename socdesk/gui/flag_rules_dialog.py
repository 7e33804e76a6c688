"""Edit the deviation-flag thresholds; they are stored with the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from socdesk.core.flags import RULE_NAMES, FlagRules, LevelRule, Threshold
from socdesk.core.i18n import _
from socdesk.gui.swedish import SWEDISH

DEPTHS = [_("Nämnd"), _("Verksamhetsområde/program"), _("Verksamhet och djupare")]


class FlagRulesDialog(QDialog):
    def __init__(self, rules: FlagRules, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Flaggregler"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "En regel flaggar när den ogynnsamma avvikelsen når både beloppet och "
                    "procentsatsen (av budget) för enhetens nivå."
                )
            )
        )
        self.fields: dict[tuple[str, int, str, str], QSpinBox | QDoubleSpinBox] = {}
        for rule, title in RULE_NAMES.items():
            box = QGroupBox(title)
            grid = QGridLayout(box)
            for col, head in enumerate([_("Gul, tkr"), _("Gul, %"), _("Röd, tkr"), _("Röd, %")], start=1):
                grid.addWidget(QLabel(head), 0, col)
            for depth, name in enumerate(DEPTHS):
                grid.addWidget(QLabel(name), depth + 1, 0)
                level_rule = rules.for_depth(rule, depth)
                for col, (level, kind) in enumerate(
                    [("yellow", "kr"), ("yellow", "pct"), ("red", "kr"), ("red", "pct")], start=1
                ):
                    threshold: Threshold = getattr(level_rule, level)
                    if kind == "kr":
                        field: QSpinBox | QDoubleSpinBox = QSpinBox()
                        field.setRange(0, 10_000_000)
                        field.setGroupSeparatorShown(True)
                        field.setValue(int(threshold.kr / 1000))
                    else:
                        field = QDoubleSpinBox()
                        field.setRange(0, 1000)
                        field.setDecimals(1)
                        field.setValue(float(threshold.pct))
                    field.setLocale(SWEDISH)  # 5 000 tkr and 1,0 %, never 5,000 / 1.0
                    field.setAccessibleName(f"{title} {name} {level} {kind}")
                    self.fields[(rule, depth, level, kind)] = field
                    grid.addWidget(field, depth + 1, col)
            layout.addWidget(box)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _threshold(self, rule: str, depth: int, level: str) -> Threshold:
        kr = self.fields[(rule, depth, level, "kr")].value()
        pct = self.fields[(rule, depth, level, "pct")].value()
        return Threshold(Decimal(int(kr)) * 1000, Decimal(str(round(pct, 1))))

    def rules(self) -> FlagRules:
        return FlagRules(
            **{
                rule: [
                    LevelRule(self._threshold(rule, d, "yellow"), self._threshold(rule, d, "red"))
                    for d in range(len(DEPTHS))
                ]
                for rule in RULE_NAMES
            }
        )

    def _accept(self) -> None:
        for rule, title in RULE_NAMES.items():
            for d, name in enumerate(DEPTHS):
                y, r = self._threshold(rule, d, "yellow"), self._threshold(rule, d, "red")
                if r.kr < y.kr or r.pct < y.pct:
                    self.error.setText(
                        _("{t}, {n}: röd gräns kan inte vara lägre än gul.").format(t=title, n=name)
                    )
                    return
        self.accept()
