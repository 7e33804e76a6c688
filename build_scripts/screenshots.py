"""Screenshots for the README and docs, of the real windows on a real X server.

Run under Xvfb (``Xvfb :99 -screen 0 1600x1000x24 & DISPLAY=:99 python build_scripts/screenshots.py``);
needs ImageMagick's ``import``. Builds the demo database in a temporary folder, so it changes
nothing of yours. Writes docs/screenshot.png (the workspace, for the README),
docs/screenshot-registrera.png (the utfall grid with a pasted block
holding bad cells, one of them selected with its reason shown), screenshot-budget.png (an
annual budget periodised as typed), screenshot-prognos.png (suggestions accepted) and
screenshot-import.png (the import wizard's column mapping) and screenshot-rapporter.png (the
report dialog with what is left before the report is final), screenshot-arsvy.png and
screenshot-arsvy-1600.png (Registrera › Årsvy at 1280×800 and 1600×1000: a block of five units ×
twelve months pasted, two bad cells, the Summa row). ``--arsvy`` makes only the last two.
"""

from __future__ import annotations

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


ARSVY_BLOCK = "\r\n".join(
    "\t".join(
        {(1, 2): "12,3,4", (3, 9): "abc"}.get((i, j), f"{1 + i}\u00a0{200 + 37 * j + 11 * i},{j % 10}")
        for j in range(12)
    )
    for i in range(5)
)


def main() -> int:
    only_grid = "--arsvy" in sys.argv
    app = QApplication(sys.argv)
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
        target = DOCS / name
        subprocess.run(["import", "-window", "root", "-crop", "1500x900+0+0", str(target)], check=True)
        print(target)

    def grab_window(name: str) -> None:
        """The main window alone, at its size (needs no ImageMagick)."""
        target = DOCS / name
        w.grab().save(str(target))
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
            "77620;Hemtjänst natt;4010;2024-06-30;96\u00a0300,00\n",
            encoding="utf-8",
        )
        w.import_file()
        w.wizard.move(180, 60)
        w.wizard.file_page.path.setText(str(ledger))
        w.wizard.next()
        QTimer.singleShot(800, reports)

    def reports() -> None:
        grab("screenshot-import.png")
        w.wizard.reject()
        w.tabs.setCurrentWidget(w.economy)
        w.show_reports()
        w.report_dialog.move(260, 120)
        QTimer.singleShot(4000, year_grid)

    def year_grid() -> None:
        if not only_grid:
            grab("screenshot-rapporter.png")
            w.report_dialog.reject()
        w.resize(1280, 800)
        w.period.set_month(Month(2024, 6))
        w.tabs.setCurrentWidget(w.register)
        reg = w.register
        reg.kind.setCurrentIndex(reg.kind.findData("utfall"))
        reg.year_mode.setChecked(True)
        grid = reg.year
        model = grid.model
        first = next(i for i, u in enumerate(model.form.units) if u.code == "7711")
        grid.table.setCurrentIndex(model.index(first, 0))
        grid.paste(ARSVY_BLOCK)
        grid.table.setCurrentIndex(model.index(first + 1, 2))  # a bad cell: its reason below
        grid.table.setFocus()
        QTimer.singleShot(800, year_grid_large)

    def year_grid_large() -> None:
        grab_window("screenshot-arsvy.png")
        w.resize(1600, 1000)
        QTimer.singleShot(800, done)

    def done() -> None:
        grab_window("screenshot-arsvy-1600.png")
        w.register.year.model.mark_saved()  # nothing to ask about on close
        w.close()
        app.quit()

    QTimer.singleShot(1500, year_grid if only_grid else workspace)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
