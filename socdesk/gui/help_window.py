"""Hjälp: the user guide (Swedish, from resources/help, offline), the keyboard shortcuts (read
from the window's own actions, so the list is never out of date, and the grid's keys), and Om
socdesk (version, data folder, database, logs, licences)."""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
)

from socdesk import __version__
from socdesk.core.i18n import _
from socdesk.gui.context import AppContext
from socdesk.paths import data_dir
from socdesk.resources import resource

GUIDE = "help/anvandarguide.md"
# Keys of the entry grid and the tables that are not menu actions (docs/entry.md).
GRID_KEYS = [
    (_("Registrera"), "Tab / Skift+Tab", _("nästa / föregående cell att skriva i")),
    (_("Registrera"), "Enter", _("spara cellen och gå nedåt")),
    (_("Registrera"), "F2", _("redigera cellen")),
    (_("Registrera"), "Delete", _("töm markerade celler")),
    (_("Registrera"), "Ctrl+V", _("klistra in ett block från Excel")),
    (_("Registrera"), "Ctrl+Z / Ctrl+Y", _("ångra / gör om")),
    (_("Registrera"), "Ctrl+S", _("spara formuläret")),
    (_("Ekonomi"), "Enter / dubbelklick", _("gå ner i enheten")),
    (_("Ekonomi"), "Backspace", _("gå upp en nivå")),
    (_("Träd"), _("pilar"), _("flytta mellan enheter")),
]
LICENCES = [
    ("socdesk", _("proprietär, för kommunens eget bruk")),
    ("Qt / PySide6", "LGPL-3.0"),
    ("pyqtgraph", "MIT"),
    ("pandas", "BSD-3-Clause"),
    ("numpy", "BSD-3-Clause"),
    ("WeasyPrint", "BSD-3-Clause"),
    ("pypdfium2 / PDFium", "Apache-2.0 / BSD-3-Clause"),
    ("openpyxl", "MIT"),
    ("python-calamine", "MIT"),
    ("defusedxml", "PSF-2.0"),
    ("sqlite-utils", "Apache-2.0"),
    ("platformdirs", "MIT"),
    ("SQLite", _("allmän egendom (public domain)")),
]


def shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, keys, what) for every menu action with a shortcut, then the grid's keys."""
    out = []
    for menu in window.menuBar().findChildren(QMenu):
        title = menu.title().replace("&", "")
        for action in menu.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys and isinstance(action, QAction):
                out.append((title, keys, action.text().replace("&", "").rstrip(" …")))
    return out + GRID_KEYS


def about_lines(ctx: AppContext) -> list[tuple[str, str]]:
    log = ctx.log_path
    return [
        (_("Version"), __version__),
        (_("Databas"), str(ctx.database_path) + (_(" (skrivskyddad)") if ctx.readonly else "")),
        (_("Datamapp"), str(data_dir(str(ctx.basedir) if ctx.basedir else None))),
        (_("Säkerhetskopior"), str(ctx.backups) if ctx.backups else _("(tas inte för denna databas)")),
        (_("Loggar"), str(Path(log).parent) if log else _("(ingen logg i denna körning)")),
        (_("Python, Qt"), f"{platform.python_version()}, Qt {qVersion()} (PySide6 {pyside_version})"),
    ]


def _table(rows: list[tuple[str, ...]], headers: list[str]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class HelpWindow(QDialog):
    """The three pages of Hjälp in one window; ``show_page(i)`` opens one of them."""

    GUIDE, KEYS, ABOUT = range(3)

    def __init__(self, ctx: AppContext, window: QMainWindow, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Hjälp – socdesk"))
        self.resize(820, 640)
        self.tabs = QTabWidget()
        self.guide = QTextBrowser()
        self.guide.setOpenExternalLinks(False)
        self.guide.setMarkdown(resource(GUIDE).read_text(encoding="utf-8"))
        self.tabs.addTab(self.guide, _("Användarguide"))
        self.keys = _table(shortcuts(window), [_("Var"), _("Tangenter"), _("Gör")])
        self.tabs.addTab(self.keys, _("Kortkommandon"))
        about = about_lines(ctx) + [(_("Licens: {n}").format(n=name), lic) for name, lic in LICENCES]
        self.about = _table(about, [_("Vad"), _("Värde")])
        self.tabs.addTab(self.about, _("Om socdesk"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def show_page(self, page: int) -> None:
        self.tabs.setCurrentIndex(page)
        self.show()
        self.raise_()
