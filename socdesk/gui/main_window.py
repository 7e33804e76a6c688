"""The workspace: units on the left, the selected unit's views in tabs, deviations below.

All wiring between the widgets lives in ``_connect``; signals are named for what happened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.core.periods import Month, Period, parse_period
from socdesk.core.roles import NotAllowedError, Role, require
from socdesk.gui import actions
from socdesk.gui.context import AppContext
from socdesk.gui.deviations_panel import DeviationsPanel
from socdesk.gui.economy_view import EconomyView
from socdesk.gui.flag_rules_dialog import FlagRulesDialog
from socdesk.gui.period_bar import PeriodBar
from socdesk.gui.register_view import Kind, RegisterView
from socdesk.gui.settings import RECENT
from socdesk.gui.unit_tree_panel import UnitTreePanel
from socdesk.gui.workers import Runner
from socdesk.io import READABLE

if TYPE_CHECKING:
    from socdesk.gui.monthly_chart import MonthlyChart
    from socdesk.gui.statistics_view import StatisticsView
from socdesk.reports.economy import ViewMode, deviations, economy_table, flag_rules, save_flag_rules
from socdesk.reports.monthly import monthly_series
from socdesk.reports.statistics import statistics_table
from socdesk.store.figures import Figures


class MainWindow(QMainWindow):
    unit_selected = Signal(str)
    views_updated = Signal(str)  # after the tabs show a unit's figures
    deviations_updated = Signal()
    open_requested = Signal()  # the user wants another database
    open_path_requested = Signal(object)  # Path: Arkiv → Senaste
    new_requested = Signal()  # Arkiv → Ny databas
    restore_requested = Signal(object)  # Path of the backup to restore
    storage_failed = Signal(object)  # a StorageError: the disk or the file refused a save

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        title = _("socdesk – {db}").format(db=ctx.database_path.name)
        self.setWindowTitle(title + (_(" (skrivskyddad)") if ctx.readonly else ""))
        self.setAcceptDrops(True)  # a file dropped on the window is imported (the wizard)
        self.path_label = QLabel(str(ctx.database_path))  # which file this is, in full
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.path_label)
        self._unit: str | None = None
        self.tree = ctx.store.unit_tree()
        self.figures = Figures(ctx.store, self.tree)

        self.units = UnitTreePanel(self.tree, ctx.settings)
        self.breadcrumb = QLabel()
        self.breadcrumb.setTextFormat(Qt.TextFormat.PlainText)
        font = self.breadcrumb.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.breadcrumb.setFont(font)
        self.period = PeriodBar()
        self.period.set_scale(ctx.scale)
        self.economy = EconomyView(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.economy, _("Ekonomi"))
        # The chart tabs (pyqtgraph) are built when first shown: a faster start.
        self._chart: MonthlyChart | None = None
        self._statistics: StatisticsView | None = None
        self.tabs.addTab(QWidget(), _("Månad för månad"))
        self.tabs.addTab(QWidget(), _("Statistik"))
        self.register = RegisterView(ctx, lambda: self.role)
        self.tabs.addTab(self.register, _("Registrera"))
        self.deviations = DeviationsPanel()
        self.deviation_runner = Runner(ctx.database_path, parent=self)
        self._deviation_timer = QTimer(self)
        self._deviation_timer.setSingleShot(True)
        self._deviation_timer.setInterval(150)
        self._deviation_timer.timeout.connect(self._refresh_deviations)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.breadcrumb)
        rl.addWidget(self.period)
        rl.addWidget(self.tabs, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.units)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 900])
        self.setCentralWidget(self.splitter)
        dock = QDockWidget(_("Avvikelser"), self)
        dock.setObjectName("avvikelser")
        dock.setWidget(self.deviations)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self._menus()
        if ctx.readonly:
            actions.enable(self.rules_action, False, actions.READONLY)
            self.economy.save_comment.setEnabled(False)
            self.economy.save_comment.setToolTip(actions.READONLY)
            self.economy.comment.setReadOnly(True)
        self.resize(1280, 860)
        self._restore_geometry()
        self._connect()

        roots = self.tree.roots()
        if roots:
            last = ctx.settings.value("workspace/unit", "", str)
            start = last if last in self.tree else roots[0].code
            self.units.expand(self.tree.path(start)[0].code)
            self.select_unit(start)

    @property
    def chart(self) -> MonthlyChart:
        if self._chart is None:
            from socdesk.gui import monthly_chart  # pyqtgraph is imported on first use

            self._chart = monthly_chart.MonthlyChart(database=self.ctx.database_path)
            self._replace_tab(1, self._chart, _("Månad för månad"))
        return self._chart

    @property
    def statistics(self) -> StatisticsView:
        if self._statistics is None:
            from socdesk.gui import statistics_view

            self._statistics = statistics_view.StatisticsView()
            self._replace_tab(2, self._statistics, _("Statistik"))
        return self._statistics

    def _replace_tab(self, index: int, widget: QWidget, title: str) -> None:
        current = self.tabs.currentIndex()
        with QSignalBlocker(self.tabs):
            old = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, title)
            self.tabs.setCurrentIndex(current)
        old.deleteLater()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&Arkiv"))
        self.new_action = QAction(_("&Ny databas …"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(lambda: self.new_requested.emit())
        file_menu.addAction(self.new_action)
        open_action = QAction(_("&Öppna databas …"), self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(lambda: self.open_requested.emit())
        file_menu.addAction(open_action)
        self.recent_menu = file_menu.addMenu(_("Öppna &senaste"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        file_menu.addSeparator()
        self.import_action = QAction(_("&Importera …"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda: self.import_file())  # not triggered(bool) as path
        actions.enable(self.import_action, not self.ctx.readonly, actions.READONLY)
        file_menu.addAction(self.import_action)
        self.batches_action = QAction(_("Import&historik …"), self)
        self.batches_action.triggered.connect(self.show_batches)
        file_menu.addAction(self.batches_action)
        self.export_action = QAction(_("&Exportera tabellen till Excel …"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(lambda: self.export_table())  # not triggered(checked) as path
        file_menu.addAction(self.export_action)
        self.report_action = QAction(_("&Rapporter till nämnden …"), self)
        self.report_action.setShortcut(QKeySequence.StandardKey.Print)
        self.report_action.triggered.connect(self.show_reports)
        file_menu.addAction(self.report_action)
        self.templates_action = QAction(_("Rapport&mallar …"), self)
        self.templates_action.triggered.connect(self.show_templates)
        file_menu.addAction(self.templates_action)
        self.backups_action = QAction(_("&Säkerhetskopior …"), self)
        self.backups_action.triggered.connect(self.show_backups)
        actions.enable(
            self.backups_action,
            self.ctx.backups is not None and not self.ctx.readonly,
            actions.READONLY if self.ctx.readonly else _("Säkerhetskopior tas inte för den här databasen."),
        )
        file_menu.addAction(self.backups_action)
        log_action = QAction(_("Visa &logg"), self)
        log_action.triggered.connect(self.show_log)
        actions.enable(log_action, self.ctx.log_path is not None, _("Ingen logg skrivs i den här körningen."))
        file_menu.addAction(log_action)
        file_menu.addSeparator()
        quit_action = QAction(_("&Avsluta"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        edit = self.menuBar().addMenu(_("&Redigera"))
        self.copy_action = QAction(_("&Kopiera tabell"), self)
        self.copy_action.triggered.connect(self.economy.copy_selection)
        edit.addAction(self.copy_action)
        period_menu = self.menuBar().addMenu(_("&Period"))
        self.lock_action = QAction(_("&Lås månaden …"), self)
        self.lock_action.triggered.connect(lambda: self.lock_month())  # not triggered(bool) as tertial
        period_menu.addAction(self.lock_action)
        self.lock_tertial_action = QAction(_("Lås &tertialen …"), self)
        self.lock_tertial_action.triggered.connect(lambda: self.lock_month(tertial=True))
        period_menu.addAction(self.lock_tertial_action)
        self.reopen_action = QAction(_("&Öppna perioden igen …"), self)
        self.reopen_action.triggered.connect(self.reopen_month)
        period_menu.addAction(self.reopen_action)
        self.new_year_action = QAction(_("Nytt &budgetår …"), self)
        self.new_year_action.triggered.connect(lambda: self.new_budget_year())
        actions.enable(self.new_year_action, not self.ctx.readonly, actions.READONLY)
        period_menu.addAction(self.new_year_action)
        self.history_action = QAction(_("Visa &historik för vald rad eller cell …"), self)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.triggered.connect(self.show_history)
        period_menu.addAction(self.history_action)
        settings = self.menuBar().addMenu(_("&Inställningar"))
        self.rules_action = QAction(_("&Flaggregler …"), self)
        self.rules_action.triggered.connect(self.edit_flag_rules)
        settings.addAction(self.rules_action)
        self.threshold_action = QAction(_("&Röjandekontroll …"), self)
        self.threshold_action.triggered.connect(self.edit_threshold)
        actions.enable(self.threshold_action, not self.ctx.readonly, actions.READONLY)
        settings.addAction(self.threshold_action)
        self.measures_action = QAction(_("&Mått …"), self)
        self.measures_action.triggered.connect(lambda: self.edit_measures())
        settings.addAction(self.measures_action)
        role_menu = settings.addMenu(_("&Roll"))
        self.role_actions = {}
        for role in Role:
            action = QAction(role.label, self, checkable=True)
            action.setChecked(role is self.role)
            action.triggered.connect(lambda _checked=False, r=role: self.set_role(r))
            role_menu.addAction(action)
            self.role_actions[role] = action

        self._help_menu()
        actions.show_tooltips(self.menuBar())

    def _connect(self) -> None:
        self.units.unit_selected.connect(self._unit_chosen)
        self.unit_selected.connect(self._show_unit)
        self.period.period_changed.connect(self._period_changed)
        self.period.scale_changed.connect(self._scale_changed)
        self.economy.drill_requested.connect(self.select_unit)
        self.economy.up_requested.connect(self.go_up)
        self.economy.comment_saved.connect(self._comment_saved)
        self.deviations.unit_clicked.connect(self.select_unit)
        self.deviation_runner.finished.connect(self._deviations_ready)
        self.deviation_runner.failed.connect(self._deviations_failed)
        self.register.entry.storage_failed.connect(self.storage_failed)
        self.register.year.storage_failed.connect(self.storage_failed)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_views())
        self.register.saved.connect(self._figures_saved)
        self.register.entry.history_requested.connect(self.show_cell_history)
        self.register.year.history_requested.connect(self.show_cell_history)

    # --- actions ------------------------------------------------------------------------
    def select_unit(self, code: str) -> None:
        self.units.select(code)

    def go_up(self) -> None:
        if self._unit is not None:
            parent = self.tree.parent(self._unit)
            if parent is not None:
                self.select_unit(parent.code)

    def show_backups(self) -> None:
        from socdesk.gui.backups_dialog import BackupsDialog

        assert self.ctx.backups is not None
        dialog = BackupsDialog(self.ctx.backups, self.ctx.database_path, self.ctx.store.identity, self)
        if dialog.exec() and (chosen := dialog.chosen()) is not None:
            self.restore_requested.emit(chosen.path)

    def import_file(self, path: Path | None = None) -> None:
        """The import wizard; with ``path`` (a file dropped on the window) that file chosen and
        read, the wizard on its preview (or on the file page, saying why it cannot be read)."""
        from socdesk.gui.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self)
        wizard.imported.connect(lambda _b: self.reload_tree())
        wizard.undone.connect(lambda _b: self.reload_tree())
        self.wizard = wizard
        wizard.open()
        if path is not None:
            wizard.file_page.path.setText(str(path))
            wizard.next()

    def new_budget_year(self) -> None:
        """Period → Nytt budgetår for the board of the unit shown, from the year shown."""
        from socdesk.gui.new_year_dialog import NewYearDialog

        if self._unit is None:
            return
        root = self.tree.path(self._unit)[0].code
        dialog = NewYearDialog(self.ctx, root, self.period.current_month().year, self)
        dialog.accepted.connect(self._refresh_views)
        self.new_year_dialog = dialog
        dialog.open()

    # --- Hjälp ----------------------------------------------------------------------------
    def _help_menu(self) -> None:
        from socdesk.gui.help_window import HelpWindow

        menu = self.menuBar().addMenu(_("&Hjälp"))
        pages = [
            (_("&Användarguide"), HelpWindow.GUIDE, QKeySequence.StandardKey.HelpContents),
            (_("&Kortkommandon"), HelpWindow.KEYS, None),
            (_("&Om socdesk"), HelpWindow.ABOUT, None),
        ]
        for text, page, keys in pages:
            action = QAction(text, self)
            if keys is not None:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False, p=page: self.show_help(p))
            menu.addAction(action)

    def show_help(self, page: int) -> None:
        from socdesk.gui.help_window import HelpWindow

        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self.ctx, self, self)
        self.help_window.show_page(page)

    # --- a file dropped on the window ---------------------------------------------------
    @staticmethod
    def dropped_file(mime) -> Path | None:
        """The one local file of a drag whose ending socdesk reads, else None."""
        urls = mime.urls() if mime.hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in READABLE else None

    def dragEnterEvent(self, event) -> None:
        if not self.ctx.readonly and self.dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = self.dropped_file(event.mimeData())
        if path is None or self.ctx.readonly:
            return
        event.acceptProposedAction()
        self.import_file(path)

    # --- Arkiv → Öppna senaste ------------------------------------------------------------
    def _fill_recent(self) -> None:
        """The databases opened before (newest first), the open one left out; a file that is
        gone is shown, disabled, so the list does not change under the user's hand."""
        self.recent_menu.clear()
        current = str(self.ctx.database_path)
        paths = [p for p in RECENT.get(self.ctx.settings) if p != current]
        for i, p in enumerate(paths, start=1):
            exists = Path(p).is_file()
            action = self.recent_menu.addAction(f"&{i} {p}" + ("" if exists else _(" (finns inte)")))
            action.setEnabled(exists)
            action.triggered.connect(lambda _checked=False, p=p: self.open_path_requested.emit(Path(p)))
        if not paths:
            self.recent_menu.addAction(_("(inga andra databaser ännu)")).setEnabled(False)

    def show_reports(self) -> None:
        from socdesk.gui.report_dialog import ReportDialog

        if self._unit is None:
            return
        dialog = ReportDialog(self.ctx, self._unit, self.period.current_month(), self)
        dialog.unit_requested.connect(self._open_reported_unit)  # not modal: the unit opens here
        self.economy.comment_saved.connect(dialog.analysis_saved)
        dialog.finished.connect(lambda _r: self.economy.comment_saved.disconnect(dialog.analysis_saved))
        self.report_dialog = dialog
        dialog.show()

    def _open_reported_unit(self, code: str, month: Month) -> None:
        """A "saknar avvikelseanalys" line of the Rapporter dialog: the unit at the report's
        month, its analysis box ready."""
        self.select_unit(code)
        self.period.set_month(month)  # after: a unit of another board first shows its own last month
        self.tabs.setCurrentWidget(self.economy)
        self.activateWindow()

    def show_templates(self) -> None:
        from socdesk.gui.templates_dialog import TemplatesDialog

        self.templates_dialog = TemplatesDialog(self.ctx, self._unit, self.period.current_month(), self)
        self.templates_dialog.open()

    def show_batches(self) -> None:
        from socdesk.gui.batches_dialog import BatchesDialog

        dialog = BatchesDialog(self.ctx.store, readonly=self.ctx.readonly, parent=self)
        dialog.exec()
        if dialog.undone:
            self.reload_tree()

    def reload_tree(self) -> None:
        """After an import: new units, new figures."""
        self.tree = self.ctx.store.unit_tree()
        self.figures = Figures(self.ctx.store, self.tree)
        self.units.set_tree(self.tree)
        self.register.refresh()
        self._refresh_views()
        self._schedule_deviations()

    def export_table(self, path: str | None = None) -> None:
        """The table on screen (Ekonomi or Statistik) to an Excel workbook."""
        from socdesk.files import refuse_database
        from socdesk.gui import file_dialogs
        from socdesk.io.xlsx import write_table
        from socdesk.reports.sheets import economy_sheet, statistics_sheet

        if self._unit is None:
            return
        month, mode = self.period.current_month(), self.period.current_mode()
        if self.tabs.currentWidget() is self._statistics:
            sheet = statistics_sheet(
                statistics_table(self.ctx.store, self._unit, tree=self.tree, figures=self.figures)
            )
        else:
            table = economy_table(
                self.ctx.store, self._unit, month, mode, tree=self.tree, figures=self.figures
            )
            sheet = economy_sheet(table, self.ctx.scale)
        if path is None:
            suggested = f"{sheet[0]}.xlsx"
            chosen = file_dialogs.save_file(
                self, _("Exportera till Excel"), suggested, "Excel (*.xlsx)", self.ctx.database_path
            )
            if chosen is None:
                return
            path = str(chosen)
        try:
            refuse_database(path, self.ctx.database_path)
            write_table(path, [sheet])  # whole or not at all; a WriteError names the file
        except SocdeskError as err:
            QMessageBox.warning(self, _("Exportera"), str(err))

    def show_log(self) -> None:
        from socdesk.gui.log_window import LogWindow

        assert self.ctx.log_path is not None
        LogWindow(self.ctx.log_path, self).exec()

    # --- role, locks and history -------------------------------------------------------------
    @property
    def role(self) -> Role:
        try:
            return Role(self.ctx.settings.value("user/role", Role.CASEWORKER.value, str))
        except ValueError:
            return Role.CASEWORKER

    def set_role(self, role: Role) -> None:
        self.ctx.settings.setValue("user/role", role.value)
        for r, action in self.role_actions.items():
            action.setChecked(r is role)
        self._update_lock_state()

    def _board(self) -> str | None:
        return self.tree.path(self._unit)[0].code if self._unit in self.tree else None

    def lock_month(self, tertial: bool = False) -> None:
        board, month = self._board(), self.period.current_month()
        if board is None:
            return
        period = Period.tertial(month.year, (month.month + 3) // 4) if tertial else Period(month, month)
        try:
            require(self.role, self.role.may_lock, _("låsa perioder"))
        except NotAllowedError as err:
            QMessageBox.warning(self, _("Lås månaden"), str(err))
            return
        answer = QMessageBox.question(
            self,
            _("Lås månaden"),
            _("Lås {m} för {b}? Uppgifterna blir skrivskyddade i alla formulär och importer.").format(
                m=period.label(), b=self.tree[board].label
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            from contextlib import nullcontext

            from socdesk.store.backup import backup_for

            folder = self.ctx.backups  # a backup before every period close
            with backup_for(self.ctx.store, folder, "periodlas") if folder is not None else nullcontext():
                self.ctx.store.lock_period(board, period)
            self._update_lock_state()
            self.register.refresh()

    def reopen_month(self) -> None:
        board, month = self._board(), self.period.current_month()
        if board is None:
            return
        try:
            require(self.role, self.role.may_lock, _("öppna låsta perioder"))
        except NotAllowedError as err:
            QMessageBox.warning(self, _("Öppna månaden igen"), str(err))
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
            self, _("Öppna perioden igen"), _("Varför öppnas {m} igen?").format(m=period.label())
        )
        if not ok:
            return
        try:
            self.ctx.store.reopen_period(board, period, reason)
        except SocdeskError as err:
            QMessageBox.warning(self, _("Öppna månaden igen"), str(err))
            return
        self._update_lock_state()
        self.register.refresh()

    def _update_lock_state(self) -> None:
        if self._unit is None:
            return
        month = self.period.current_month()
        locked = self.ctx.store.locked(self._unit, Period(month, month))
        self.period.lock_label.setText(_("🔒 Låst månad") if locked else "")
        self.period.lock_label.setToolTip(
            _("Månaden är stängd: uppgifterna kan inte ändras eller importeras.") if locked else ""
        )
        may = self.role.may_lock and not self.ctx.readonly
        why = actions.READONLY if self.ctx.readonly else actions.CONTROLLER_ONLY
        if may:
            why = _("Månaden är redan låst; öppna den igen först.") if locked else ""
        actions.enable(self.lock_action, may and not locked, why)
        actions.enable(self.lock_tertial_action, may and not locked, why)
        reopen_why = why if not may else _("Månaden är inte låst.")
        actions.enable(self.reopen_action, may and locked, reopen_why)

    def show_history(self) -> None:
        from socdesk.gui.history_dialog import HistoryDialog

        if self.tabs.currentWidget() is self.register:
            self.register.entry.request_history()  # the current cell of the grid
            return
        row = self.economy._selected_row()
        if row is None:
            return
        month = self.period.current_month()
        keys = [
            f.key
            for f in self.ctx.store.facts(units=[row.unit.code], measure="netto")
            if f.key.period.start.year == month.year and not f.key.gender and not f.key.group
        ]
        dialog = HistoryDialog(
            self.ctx.store,
            keys,
            f"{row.unit.label} {month.year}",
            readonly=self.ctx.readonly,
            scale=self.ctx.scale,
            parent=self,
        )
        dialog.exec()
        self._refresh_views()

    def show_cell_history(self, key) -> None:
        from socdesk.gui.history_dialog import HistoryDialog

        title = f"{self.tree[key.unit].label}, {key.measure} {key.period.label()}"
        HistoryDialog(
            self.ctx.store, [key], title, readonly=self.ctx.readonly, scale=self.ctx.scale, parent=self
        ).exec()
        if not (self.register.entry.model and self.register.entry.model.dirty):
            self.register.refresh()
        self._refresh_views()

    def _figures_saved(self) -> None:
        self._schedule_deviations()

    def offer_drafts(self) -> None:
        """Typing left unsaved by a crash or a power cut: offered back at start."""
        if self.ctx.readonly or not self.isVisible():  # read-only, or closed before we got here
            return
        drafts = self.ctx.store.drafts()
        if not drafts:
            return
        key = drafts[0]
        answer = QMessageBox.question(
            self,
            _("Osparade ändringar"),
            _(
                "Förra gången avslutades programmet med osparade ändringar i {n} formulär "
                "(t.ex. {k}). Vill du öppna formuläret och ta tillbaka dem?"
            ).format(n=len(drafts), k=key.replace(":", " ")),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.open_draft(key)

    def open_draft(self, key: str) -> None:
        """Show the form of a kept draft with the draft in it (without asking again)."""
        kind, *rest = key.split(":")
        if kind == "arsvy":  # the year grid: arsvy:KIND:UNIT:YEAR[:VERSION]
            if len(rest) >= 3 and rest[1] in self.tree and rest[2].isdigit():
                self.select_unit(rest[1])
                self.period.set_month(Month(int(rest[2]), self.period.current_month().month))
                self.tabs.setCurrentWidget(self.register)
                self.register.open_year_draft(key)
            return
        self.register.entry._session_drafts.add(key)
        unit, month = self._draft_target(kind, rest)
        if unit is None or unit not in self.tree:
            return
        self.select_unit(unit)
        if month is not None:
            self.period.set_month(month)
        self.register.kind.setCurrentIndex(self.register.kind.findData(Kind(kind)))
        if kind == Kind.ACTUAL.value:
            self.register.part.setCurrentIndex(self.register.part.findData(rest[0]))
        self.tabs.setCurrentWidget(self.register)

    @staticmethod
    def _draft_target(kind: str, rest: list[str]) -> tuple[str | None, Month | None]:
        try:
            if kind == "utfall":
                return rest[1], parse_period(rest[2]).start
            if kind == "prognos":
                return rest[0], parse_period(rest[1]).start
            if kind == "budget":
                return rest[0], None
        except (IndexError, SocdeskError):
            pass
        return None, None

    def edit_threshold(self) -> None:
        """The smallest count printed in statistics tables (smaller ones, and what would reveal
        them, are shown as *)."""
        from socdesk.core.disclosure import DEFAULT_THRESHOLD

        current = int(self.ctx.store.setting("disclosure_threshold") or DEFAULT_THRESHOLD)
        value, ok = QInputDialog.getInt(
            self,
            _("Röjandekontroll"),
            _("Antal under detta visas som * i statistiktabeller (och det som skulle röja dem):"),
            current,
            2,
            50,
        )
        if ok:
            self.ctx.store.set_setting("disclosure_threshold", str(value))

    def edit_measures(self) -> None:
        """Inställningar → Mått: the dialog, window-modal; the views follow a saved change."""
        from socdesk.gui.measures_dialog import MeasuresDialog

        self.measures_dialog = MeasuresDialog(self.ctx.store, readonly=self.ctx.readonly, parent=self)
        self.measures_dialog.measures_changed.connect(self._refresh_views)
        self.measures_dialog.open()

    def edit_flag_rules(self) -> None:
        """Inställningar → Flaggregler: the dialog, window-modal; OK stores the rules and the
        views and the deviation list follow."""
        self.flag_rules_dialog = dialog = FlagRulesDialog(flag_rules(self.ctx.store), self)
        dialog.accepted.connect(lambda: self._flag_rules_accepted(dialog))
        dialog.open()

    def _flag_rules_accepted(self, dialog: FlagRulesDialog) -> None:
        save_flag_rules(self.ctx.store, dialog.rules())
        self._refresh_views()
        self._schedule_deviations()

    # --- reactions ----------------------------------------------------------------------
    def _unit_chosen(self, code: str) -> None:
        if code != self._unit:
            self.unit_selected.emit(code)

    def _show_unit(self, code: str) -> None:
        previous_root = self.tree.path(self._unit)[0].code if self._unit in self.tree else None
        self._unit = code
        self.ctx.settings.setValue("workspace/unit", code)
        self.breadcrumb.setText(" › ".join(u.label for u in self.tree.path(code)))
        self._update_lock_state()
        root = self.tree.path(code)[0].code
        if root != previous_root:
            last = self.ctx.store.last_month_with("netto", Scenario.ACTUAL, root)
            if last is not None and last != self.period.current_month():
                self.period.set_month(last)  # a new organisation: show its latest month
                return  # period_changed refreshed the views and the deviations
            self._schedule_deviations()
        self._refresh_views()

    def _period_changed(self, _month: Month, _mode: ViewMode) -> None:
        self._update_lock_state()
        self._refresh_views()
        self._schedule_deviations()

    def _schedule_deviations(self) -> None:
        """After the views are painted: the deviation list is background work."""
        self._deviation_timer.start()

    def _scale_changed(self, scale: Scale) -> None:
        self.ctx.scale = scale
        self.economy.model.set_scale(scale)
        self._refresh_views()

    def _comment_saved(self, _code: str) -> None:
        self._refresh_views()
        self._schedule_deviations()

    def _refresh_views(self) -> None:
        if self._unit is None:
            return
        month, mode = self.period.current_month(), self.period.current_mode()
        index = self.tabs.currentIndex()
        if index == 1:
            self.chart  # noqa: B018 (builds the tab on first use)
        elif index == 2:
            self.statistics  # noqa: B018
        current = self.tabs.currentWidget()
        if current is self.register:
            self.register.show_for(self._unit, month, self.tree, self.figures)
        elif current is self.economy:
            self.economy.show_table(
                economy_table(self.ctx.store, self._unit, month, mode, tree=self.tree, figures=self.figures)
            )
        elif current is self.chart:
            series = monthly_series(self.ctx.store, self._unit, month, tree=self.tree, figures=self.figures)
            self.chart.set_series(series, self.ctx.scale, self.tree[self._unit].label)
        else:
            self.statistics.set_table(
                statistics_table(self.ctx.store, self._unit, tree=self.tree, figures=self.figures)
            )
        self.views_updated.emit(self._unit)

    def _refresh_deviations(self) -> None:
        if self._unit is None:
            return
        month = self.period.current_month()
        root = self.tree.path(self._unit)[0].code
        self.deviations.summary.setText(_("Beräknar avvikelser …"))

        def work(store, signals):
            rows = deviations(store, month, root, flagged_only=True, check=signals.check)
            return rows, Period.year_to_date(month.year, month.month)

        self.deviation_runner.start(work)

    def _deviations_ready(self, result) -> None:
        rows, period = result
        self.deviations.set_rows(rows, period.label())
        self.deviations_updated.emit()

    def _deviations_failed(self, message: str) -> None:
        """Never left on "Beräknar …": say what went wrong (a storage fault, say)."""
        self.deviations.summary.setText(_("Avvikelserna kunde inte beräknas: {e}").format(e=message))
        self.deviations_updated.emit()

    # --- window state -------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event) -> None:
        if not self.register.may_leave():
            event.ignore()
            return
        self.register.keep_draft()  # settles the draft now, not on a timer after the close
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("workspace/scale", self.ctx.scale.label)
        self.deviation_runner.shutdown()
        super().closeEvent(event)
