"""Screenshots for the README and docs, of the real windows on a real X server.

Run under Xvfb (``Xvfb :99 -screen 0 1600x1000x24 & DISPLAY=:99 python build_scripts/screenshots.py``);
uses ImageMagick's ``import`` (else Qt's screen grab). Builds the demo database in a temporary
folder, so it changes nothing of yours. Writes docs/screenshot.png (the workspace, for the README),
docs/screenshot-registrera.png (the utfall grid with a pasted block
holding bad cells, one of them selected with its reason shown), screenshot-budget.png (an
annual budget periodised as typed), screenshot-prognos.png (suggestions accepted) and
screenshot-import.png (the import wizard's unknown units, the unit picker open) and
screenshot-rapporter.png (the report dialog with what is left before the report is final).
Names given as arguments write only those (``… screenshots.py screenshot-import.png``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from socdesk.core.periods import Month
from socdesk.core.roles import Role
from socdesk.gui.app import install_swedish
from socdesk.gui.context import AppContext
from socdesk.gui.main_window import MainWindow
from socdesk.io.seeds import build_demo, open_database

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> int:
    only = set(sys.argv[1:])  # names of the screenshots to write (none named: all of them)
    app = QApplication(sys.argv[:1])
    install_swedish(app)
    folder = Path(tempfile.mkdtemp())
    build_demo(folder / "demo.db")
    store = open_database(folder / "demo.db")
    w = MainWindow(AppContext(store, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)))
    w.resize(1500, 900)
    w.move(0, 0)
    w.show()
    w.set_role(Role.CONTROLLER)
    w.select_unit("771")
    w.period.set_month(Month(2024, 5))
    w.economy.table.selectRow(w.economy.model.row_of("7762"))
    entry = w.register.entry
    rows: dict[str, int] = {}

    def workspace() -> None:
        grab("screenshot.png")
        w.period.set_month(Month(2024, 6))
        w.tabs.setCurrentWidget(w.register)
        model = entry.model
        rows.update({u.code: i for i, u in enumerate(model.form.units)})
        model.setData(model.index(rows["7762"], 0), "3 412,5")
        entry.table.setCurrentIndex(model.index(rows["7711"], 0))
        entry.paste("1 712\nabc\n1,2,3\n−2 006\n")
        entry.table.setCurrentIndex(model.index(rows["7718"], 0))
        entry.table.setFocus()
        QTimer.singleShot(800, budget)

    def grab(name: str) -> None:
        if only and name not in only:
            return
        target = DOCS / name
        if shutil.which("import") is None:  # no ImageMagick: the screen through Qt (popups too)
            screen = app.primaryScreen()
            size = screen.size()
            screen.grabWindow(0, 0, 0, min(1500, size.width()), min(900, size.height())).save(str(target))
        else:
            subprocess.run(["import", "-window", "root", "-crop", "1500x900+0+0", str(target)], check=True)
        print(target)

    def budget() -> None:
        grab("screenshot-registrera.png")
        entry.model.mark_saved()  # nothing to ask about on close
        w.period.set_month(Month(2024, 5))
        reg = w.register
        reg.kind.setCurrentIndex(reg.kind.findData("budget"))
        m = reg.entry.model
        m.setData(m.index(rows["7762"], m.form.inputs[0]), "36 000")
        QTimer.singleShot(800, forecast)

    def forecast() -> None:
        grab("screenshot-budget.png")
        reg = w.register
        reg.entry.model.mark_saved()
        reg.kind.setCurrentIndex(reg.kind.findData("prognos"))
        reg.use_budget.click()
        QTimer.singleShot(800, wizard)

    def wizard() -> None:
        grab("screenshot-prognos.png")
        w.register.entry.model.mark_saved()
        ledger = folder / "huvudbok juni.csv"
        ledger.write_text(
            "Ansvar;Ansvarsnamn;Konto;Bokföringsdatum;Belopp\n"
            "7762;Hemtjänst;4010;2024-06-03;412\u00a0000,50\n"
            "7762;Hemtjänst;3010;2024-06-12;-58\u00a0200,00\n"
            "7764;Trygghetslarm;5410;2024-06-28;12\u00a0900,00\n"
            "77620;Hemtjänst natt;4010;2024-06-30;96\u00a0300,00\n"
            "7769;Larmcentral;5410;2024-06-30;8\u00a0400,00\n"
            "9950;Projekt sommarjobb;4010;2024-06-30;30\u00a0000,00\n",
            encoding="utf-8",
        )
        w.import_file()
        w.wizard.move(150, 40)
        w.wizard.file_page.path.setText(str(ledger))
        w.wizard.next()  # the preview and columns
        w.wizard.next()  # the check, on a worker
        QTimer.singleShot(1500, unknown_units)

    def unknown_units() -> None:
        wizard = w.wizard
        wizard.next()  # the unknown units: one mapped, one under its siblings' parent, one being chosen
        page = wizard.units_page
        model = page.model
        rows = {r.code: i for i, r in enumerate(model.rows)}
        model.setData(model.index(rows["77620"], model.ACTION), "map")
        index = model.index(rows["9950"], model.UNIT)
        page.table.setCurrentIndex(index)
        page.table.edit(index)
        picker = page.table.indexWidget(index)
        picker.setText("hem")  # the picker filters the units by code or name as one types
        picker.completer().setCompletionPrefix("hem")
        picker.completer().complete()
        QTimer.singleShot(800, reports)

    def reports() -> None:
        grab("screenshot-import.png")
        w.wizard.reject()
        w.tabs.setCurrentWidget(w.economy)
        w.show_reports()
        w.report_dialog.move(260, 120)
        QTimer.singleShot(4000, done)

    def done() -> None:
        grab("screenshot-rapporter.png")
        w.report_dialog.reject()
        w.close()
        app.quit()

    QTimer.singleShot(1500, workspace)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
