"""A simple local role setting: who may lock and reopen periods and edit budgets.

This is a convenience on one workstation, not access control: anyone who can change the
setting can change their role. Real access control needs the server deployment.
"""

from __future__ import annotations

from enum import StrEnum

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _


class Role(StrEnum):
    CASEWORKER = "handlaggare"
    CONTROLLER = "controller"

    @property
    def label(self) -> str:
        return {Role.CASEWORKER: _("Handläggare"), Role.CONTROLLER: _("Controller")}[self]

    @property
    def may_lock(self) -> bool:
        return self is Role.CONTROLLER

    @property
    def may_edit_budget(self) -> bool:
        return self is Role.CONTROLLER


class NotAllowedError(SocdeskError):
    pass


def require(role: Role, allowed: bool, what: str) -> None:
    if not allowed:
        raise NotAllowedError(
            _("{role} får inte {what}; det får en controller.").format(role=role.label, what=what)
        )
