"""Period → Lås månaden / Lås tertialen / Öppna perioden igen, and the role that may do it.

The store refuses a write into a locked period whoever asks; this is the workspace's side: the
role chosen under Inställningar → Roll, the lock and reopen dialogs (a backup before every
close), and the actions' enabled state with a tooltip saying why one is disabled."""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.periods import Period, parse_period
from socdesk.core.roles import NotAllowedError, Role, require
from socdesk.gui import actions
from socdesk.gui.settings import ROLE
from socdesk.store.backup import backup_for

if TYPE_CHECKING:
    from socdesk.gui.main_window import MainWindow


class PeriodLocks(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx

    @property
    def role(self) -> Role:
        try:
            return Role(ROLE.get(self.ctx.settings))
        except ValueError:
            return Role.CASEWORKER

    def set_role(self, role: Role) -> None:
        ROLE.set(self.ctx.settings, role.value)
        for r, action in self.window.role_actions.items():
            action.setChecked(r is role)
        self.update_state()

    def _board(self) -> str | None:
        unit, tree = self.window.current_unit, self.window.tree
        return tree.path(unit)[0].code if unit in tree else None

    def lock_month(self, tertial: bool = False) -> None:
        board, month = self._board(), self.window.period.current_month()
        if board is None:
            return
        period = Period.tertial(month.year, (month.month + 3) // 4) if tertial else Period(month, month)
        try:
            require(self.role, self.role.may_lock, _("låsa perioder"))
        except NotAllowedError as err:
            QMessageBox.warning(self.window, _("Lås månaden"), str(err))
            return
        answer = QMessageBox.question(
            self.window,
            _("Lås månaden"),
            _("Lås {m} för {b}? Uppgifterna blir skrivskyddade i alla formulär och importer.").format(
                m=period.label(), b=self.window.tree[board].label
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            folder = self.ctx.backups  # a backup before every period close
            with backup_for(self.ctx.store, folder, "periodlas") if folder is not None else nullcontext():
                self.ctx.store.lock_period(board, period)
            self.update_state()
            self.window.register.refresh()

    def reopen_month(self) -> None:
        board, month = self._board(), self.window.period.current_month()
        if board is None:
            return
        try:
            require(self.role, self.role.may_lock, _("öppna låsta perioder"))
        except NotAllowedError as err:
            QMessageBox.warning(self.window, _("Öppna månaden igen"), str(err))
            return
        here = str(month)
        lock = next(
            (
                lk
                for lk in self.ctx.store.locks()
                if lk["unit"] == board and lk["period_start"] <= here <= lk["period_end"]
            ),
            None,
        )
        period = (
            parse_period(f"{lock['period_start']}/{lock['period_end']}") if lock else Period(month, month)
        )
        reason, ok = QInputDialog.getText(
            self.window, _("Öppna perioden igen"), _("Varför öppnas {m} igen?").format(m=period.label())
        )
        if not ok:
            return
        try:
            self.ctx.store.reopen_period(board, period, reason)
        except SocdeskError as err:
            QMessageBox.warning(self.window, _("Öppna månaden igen"), str(err))
            return
        self.update_state()
        self.window.register.refresh()

    def update_state(self) -> None:
        """The lock label of the period bar and the three actions, for the unit and month shown."""
        w = self.window
        if w.current_unit is None:
            return
        month = w.period.current_month()
        locked = self.ctx.store.locked(w.current_unit, Period(month, month))
        w.period.lock_label.setText(_("🔒 Låst månad") if locked else "")
        w.period.lock_label.setToolTip(
            _("Månaden är stängd: uppgifterna kan inte ändras eller importeras.") if locked else ""
        )
        may = self.role.may_lock and not self.ctx.readonly
        why = actions.READONLY if self.ctx.readonly else actions.CONTROLLER_ONLY
        if may:
            why = _("Månaden är redan låst; öppna den igen först.") if locked else ""
        actions.enable(w.lock_action, may and not locked, why)
        actions.enable(w.lock_tertial_action, may and not locked, why)
        reopen_why = why if not may else _("Månaden är inte låst.")
        actions.enable(w.reopen_action, may and locked, reopen_why)
