"""The workspace's menu bar: Arkiv, Redigera, Period, Inställningar, Hjälp.

Built once per window (``build_menus``); each action calls one method of the window or of one of
its parts (``window.locks``), and the actions the window enables later (import, lock, reopen,
the roles) are kept as the window's attributes. A disabled action's tooltip says why
(``gui.actions``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from socdesk.core.i18n import _
from socdesk.core.roles import Role
from socdesk.gui import actions
from socdesk.gui.settings import RECENT

if TYPE_CHECKING:
    from socdesk.gui.main_window import MainWindow


def _action(w: MainWindow, text: str, slot, shortcut=None) -> QAction:
    """An action whose slot is called without the ``triggered(bool)`` argument (a slot with an
    optional parameter would take the checked flag for it)."""
    action = QAction(text, w)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_menus(w: MainWindow) -> None:
    _file_menu(w)
    edit = w.menuBar().addMenu(_("&Redigera"))
    w.copy_action = _action(w, _("&Kopiera tabell"), w.economy.copy_selection)
    edit.addAction(w.copy_action)
    _period_menu(w)
    _settings_menu(w)
    _help_menu(w)
    actions.show_tooltips(w.menuBar())


def _file_menu(w: MainWindow) -> None:
    menu = w.menuBar().addMenu(_("&Arkiv"))
    w.new_action = _action(w, _("&Ny databas …"), w.new_requested.emit, QKeySequence.StandardKey.New)
    menu.addAction(w.new_action)
    menu.addAction(_action(w, _("&Öppna databas …"), w.open_requested.emit, QKeySequence.StandardKey.Open))
    w.recent_menu = menu.addMenu(_("Öppna &senaste"))
    w.recent_menu.aboutToShow.connect(lambda: fill_recent(w))
    fill_recent(w)
    menu.addSeparator()
    w.import_action = _action(w, _("&Importera …"), w.import_file, "Ctrl+I")
    actions.enable(w.import_action, not w.ctx.readonly, actions.READONLY)
    menu.addAction(w.import_action)
    w.batches_action = _action(w, _("Import&historik …"), w.show_batches)
    menu.addAction(w.batches_action)
    w.export_action = _action(w, _("&Exportera tabellen till Excel …"), w.export_table, "Ctrl+E")
    menu.addAction(w.export_action)
    w.report_action = _action(
        w, _("&Rapporter till nämnden …"), w.show_reports, QKeySequence.StandardKey.Print
    )
    menu.addAction(w.report_action)
    w.templates_action = _action(w, _("Rapport&mallar …"), w.show_templates)
    menu.addAction(w.templates_action)
    w.backups_action = _action(w, _("&Säkerhetskopior …"), w.show_backups)
    actions.enable(
        w.backups_action,
        w.ctx.backups is not None and not w.ctx.readonly,
        actions.READONLY if w.ctx.readonly else _("Säkerhetskopior tas inte för den här databasen."),
    )
    menu.addAction(w.backups_action)
    log_action = _action(w, _("Visa &logg"), w.show_log)
    actions.enable(log_action, w.ctx.log_path is not None, _("Ingen logg skrivs i den här körningen."))
    menu.addAction(log_action)
    menu.addSeparator()
    menu.addAction(_action(w, _("&Avsluta"), w.close, QKeySequence.StandardKey.Quit))


def _period_menu(w: MainWindow) -> None:
    menu = w.menuBar().addMenu(_("&Period"))
    w.lock_action = _action(w, _("&Lås månaden …"), w.locks.lock_month)
    menu.addAction(w.lock_action)
    w.lock_tertial_action = _action(w, _("Lås &tertialen …"), lambda: w.locks.lock_month(tertial=True))
    menu.addAction(w.lock_tertial_action)
    w.reopen_action = _action(w, _("&Öppna perioden igen …"), w.locks.reopen_month)
    menu.addAction(w.reopen_action)
    w.new_year_action = _action(w, _("Nytt &budgetår …"), w.new_budget_year)
    actions.enable(w.new_year_action, not w.ctx.readonly, actions.READONLY)
    menu.addAction(w.new_year_action)
    w.history_action = _action(w, _("Visa &historik för vald rad eller cell …"), w.show_history, "Ctrl+H")
    menu.addAction(w.history_action)


def _settings_menu(w: MainWindow) -> None:
    menu = w.menuBar().addMenu(_("&Inställningar"))
    w.rules_action = _action(w, _("&Flaggregler …"), w.edit_flag_rules)
    menu.addAction(w.rules_action)
    w.threshold_action = _action(w, _("&Röjandekontroll …"), w.edit_threshold)
    actions.enable(w.threshold_action, not w.ctx.readonly, actions.READONLY)
    menu.addAction(w.threshold_action)
    w.measures_action = _action(w, _("&Mått …"), w.edit_measures)
    menu.addAction(w.measures_action)
    role_menu = menu.addMenu(_("&Roll"))
    w.role_actions = {}
    for role in Role:
        action = QAction(role.label, w, checkable=True)
        action.setChecked(role is w.locks.role)
        action.triggered.connect(lambda _checked=False, r=role: w.locks.set_role(r))
        role_menu.addAction(action)
        w.role_actions[role] = action


def _help_menu(w: MainWindow) -> None:
    from socdesk.gui.help_window import HelpWindow

    menu = w.menuBar().addMenu(_("&Hjälp"))
    pages = [
        (_("&Användarguide"), HelpWindow.GUIDE, QKeySequence.StandardKey.HelpContents),
        (_("&Kortkommandon"), HelpWindow.KEYS, None),
        (_("&Om socdesk"), HelpWindow.ABOUT, None),
    ]
    for text, page, keys in pages:
        menu.addAction(_action(w, text, lambda p=page: w.show_help(p), keys))


def fill_recent(w: MainWindow) -> None:
    """Arkiv → Öppna senaste: the databases opened before (newest first), the open one left
    out; a file that is gone is shown, disabled, so the list does not change under the user's
    hand."""
    w.recent_menu.clear()
    current = str(w.ctx.database_path)
    paths = [p for p in RECENT.get(w.ctx.settings) if p != current]
    for i, p in enumerate(paths, start=1):
        exists = Path(p).is_file()
        action = w.recent_menu.addAction(f"&{i} {p}" + ("" if exists else _(" (finns inte)")))
        action.setEnabled(exists)
        action.triggered.connect(lambda _checked=False, p=p: w.open_path_requested.emit(Path(p)))
    if not paths:
        w.recent_menu.addAction(_("(inga andra databaser ännu)")).setEnabled(False)
