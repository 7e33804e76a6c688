"""The workspace: units on the left, the selected unit's views in tabs, deviations below.

All wiring between the widgets lives in ``_connect``; signals are named for what happened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSignalBlocker, Qt, QTimer, Signal
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
from socdesk.core.periods import Month, Period
from socdesk.gui import actions
from socdesk.gui.context import AppContext
from socdesk.gui.deviations_panel import DeviationsPanel
from socdesk.gui.draft_offer import DraftOffer
from socdesk.gui.economy_view import EconomyView
from socdesk.gui.flag_rules_dialog import FlagRulesDialog
from socdesk.gui.period_bar import PeriodBar
from socdesk.gui.period_locks import PeriodLocks
from socdesk.gui.register_view import RegisterView
from socdesk.gui.unit_dialogs import UnitEditing
from socdesk.gui.unit_tree_panel import UnitTreePanel
from socdesk.gui.window_menus import build_menus
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
        self.current_unit: str | None = None
        self.tree = ctx.store.unit_tree()
        self.figures = Figures(ctx.store, self.tree)

        self.units = UnitTreePanel(self.tree, ctx.settings)
        self.unit_editing = UnitEditing(self.units, ctx, lambda: self.locks.role, lambda: self.tree)
        self.unit_editing.changed.connect(self._units_changed)
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
        self.locks = PeriodLocks(self)
        self.drafts = DraftOffer(self)
        self.register = RegisterView(ctx, lambda: self.locks.role)
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
        self.splitter.setSizes([260, 1020])  # at 1280 px the Ekonomi table needs the width
        self.setCentralWidget(self.splitter)
        dock = QDockWidget(_("Avvikelser"), self)
        dock.setObjectName("avvikelser")
        dock.setWidget(self.deviations)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        build_menus(self)
        if ctx.readonly:
            actions.enable(self.rules_action, False, actions.READONLY)
            self.economy.save_comment.setEnabled(False)
            self.economy.save_comment.setToolTip(actions.READONLY)
            self.economy.comment.setReadOnly(True)
        screen = self.screen().availableGeometry()  # a 1280×800 laptop: the whole window on it
        self.resize(min(1280, screen.width()), min(860, screen.height()))
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

            self._statistics = statistics_view.StatisticsView(database=self.ctx.database_path)
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

    def _connect(self) -> None:
        self.units.unit_selected.connect(self._unit_chosen)
        self.unit_selected.connect(self._show_unit)
        self.period.period_changed.connect(self._period_changed)
        self.period.scale_changed.connect(self._scale_changed)
        self.period.organisation_changed.connect(lambda _then: self.reload_tree())
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
        if self.current_unit is not None:
            parent = self.tree.parent(self.current_unit)
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

        wizard = ImportWizard(self.ctx, self, unit=self.current_unit)
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

        if self.current_unit is None:
            return
        root = self.tree.path(self.current_unit)[0].code
        dialog = NewYearDialog(self.ctx, root, self.period.current_month().year, self)
        dialog.accepted.connect(self._refresh_views)
        self.new_year_dialog = dialog
        dialog.open()

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

    def show_reports(self) -> None:
        from socdesk.gui.report_dialog import ReportDialog

        if self.current_unit is None:
            return
        dialog = ReportDialog(self.ctx, self.current_unit, self.period.current_month(), self)
        dialog.unit_requested.connect(self._open_reported_unit)  # not modal: the unit opens here
        self.economy.comment_saved.connect(dialog.analysis_saved)
        dialog.finished.connect(  # once: a dialog closed twice (reject after a close) emits it again
            lambda _r: self.economy.comment_saved.disconnect(dialog.analysis_saved),
            Qt.ConnectionType.SingleShotConnection,
        )
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

        self.templates_dialog = TemplatesDialog(
            self.ctx, self.current_unit, self.period.current_month(), self
        )
        self.templates_dialog.open()

    def show_batches(self) -> None:
        from socdesk.gui.batches_dialog import BatchesDialog

        dialog = BatchesDialog(self.ctx.store, readonly=self.ctx.readonly, parent=self)
        dialog.exec()
        if dialog.undone:
            self.reload_tree()

    def _unit_tree(self):
        """The tree as it is, or as it was in january of the shown year ("som den var")."""
        then = self.period.then()
        return self.ctx.store.unit_tree(as_of=f"{self.period.current_month().year:04d}-01" if then else None)

    def reload_tree(self) -> None:
        """After an import: new units, new figures."""
        self.tree = self._unit_tree()
        self.figures = Figures(self.ctx.store, self.tree)
        self.units.set_tree(self.tree)
        self.register.refresh()
        self._refresh_views()
        self._schedule_deviations()

    def _units_changed(self, code: str) -> None:
        """After a change of the tree from its context menu: the new tree, the unit shown."""
        self.reload_tree()
        if code in self.tree:
            self.select_unit(code)

    def export_table(self, path: str | None = None) -> None:
        """The table on screen (Ekonomi, with the columns chosen to compare with, or Statistik)
        to an Excel workbook."""
        from socdesk.files import refuse_database
        from socdesk.gui import file_dialogs
        from socdesk.io.xlsx import write_table
        from socdesk.reports.sheets import economy_sheet, statistics_sheet

        if self.current_unit is None:
            return
        month, mode = self.period.current_month(), self.period.current_mode()
        if self.tabs.currentWidget() is self._statistics:
            sheet = statistics_sheet(
                statistics_table(self.ctx.store, self.current_unit, tree=self.tree, figures=self.figures)
            )
        else:
            table = economy_table(
                self.ctx.store, self.current_unit, month, mode, tree=self.tree, figures=self.figures
            )
            sheet = economy_sheet(table, self.ctx.scale, self.economy.columns)  # the columns chosen
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

    def show_history(self) -> None:
        from socdesk.gui.history_dialog import HistoryDialog

        if self.tabs.currentWidget() is self.register:
            self.register.entry.request_history()  # the current cell of the grid
            return
        row = self.economy.selected_row()
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
        if code != self.current_unit:
            self.unit_selected.emit(code)

    def _show_unit(self, code: str) -> None:
        previous_root = self.tree.path(self.current_unit)[0].code if self.current_unit in self.tree else None
        self.current_unit = code
        self.ctx.settings.setValue("workspace/unit", code)
        self.breadcrumb.setText(" › ".join(u.label for u in self.tree.path(code)))
        self.locks.update_state()
        root = self.tree.path(code)[0].code
        if root != previous_root:
            last = self.ctx.store.last_month_with("netto", Scenario.ACTUAL, root)
            if last is not None and last != self.period.current_month():
                self.period.set_month(last)  # a new organisation: show its latest month
                return  # period_changed refreshed the views and the deviations
            self._schedule_deviations()
        self._refresh_views()

    def _period_changed(self, month: Month, _mode: ViewMode) -> None:
        if self.period.then() and self.tree.as_of != f"{month.year:04d}-01":
            self.reload_tree()  # "som den var": the tree of the new year
            return
        self.locks.update_state()
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
        if self.current_unit is None:
            return
        month, mode = self.period.current_month(), self.period.current_mode()
        index = self.tabs.currentIndex()
        if index == 1:
            self.chart  # noqa: B018 (builds the tab on first use)
        elif index == 2:
            self.statistics  # noqa: B018
        current = self.tabs.currentWidget()
        if current is self.register:
            self.register.show_for(self.current_unit, month, self.tree, self.figures)
        elif current is self.economy:
            self.economy.show_table(
                economy_table(
                    self.ctx.store, self.current_unit, month, mode, tree=self.tree, figures=self.figures
                )
            )
        elif current is self.chart:
            series = monthly_series(
                self.ctx.store, self.current_unit, month, tree=self.tree, figures=self.figures
            )
            self.chart.set_series(series, self.ctx.scale, self.tree[self.current_unit].label)
        else:
            self.statistics.set_table(
                statistics_table(self.ctx.store, self.current_unit, tree=self.tree, figures=self.figures),
                self.tree[self.current_unit].label,
            )
        self.views_updated.emit(self.current_unit)

    def _refresh_deviations(self) -> None:
        if self.current_unit is None:
            return
        month = self.period.current_month()
        root = self.tree.path(self.current_unit)[0].code
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
