"""Menu actions that say why they are disabled: the reason is the action's tooltip (shown in
the menu, which shows tooltips) and status tip, so a user never meets a grey item unexplained."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar

from socdesk.core.i18n import _

READONLY = _("Databasen är öppnad skrivskyddad: ett annat program skriver i den.")
CONTROLLER_ONLY = _("Bara en controller kan låsa och öppna perioder (Inställningar → Roll).")


def enable(action: QAction, enabled: bool, why: str = "") -> None:
    """``action`` enabled, or disabled with ``why`` as its tooltip and status tip."""
    action.setEnabled(enabled)
    tip = "" if enabled else why
    action.setToolTip(tip or action.text().replace("&", ""))
    action.setStatusTip(tip)


def show_tooltips(bar: QMenuBar) -> None:
    """Every menu of ``bar`` shows its actions' tooltips (the reasons above)."""
    for action in bar.actions():
        menu = action.menu()
        if menu is not None:
            menu.setToolTipsVisible(True)
            for sub in menu.actions():
                if sub.menu() is not None:
                    sub.menu().setToolTipsVisible(True)
