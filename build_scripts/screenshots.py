"""Screenshots for the README and docs, of the real windows on a real X server.

Run under Xvfb (``Xvfb :99 -screen 0 1920x1200x24 & DISPLAY=:99 QT_QPA_PLATFORM=xcb python
build_scripts/screenshots.py [--size 1280x800] [--shots ekonomi,manad,statistik]``). Builds the
demo database in a temporary folder, so it changes nothing of yours. The window is the size
given (1500×900 if none) at the screen's top left, and each shot is that part of the screen
(dialogs over the window included). With ``--size`` every file name gets the width as a suffix
(``screenshot-ekonomi-1280.png``): the layout checked at a common laptop's 1280×800 and at
1600×1000 (docs/workspace.md).

The shots (``--shots`` picks some, by the names in brackets):
- docs/screenshot.png [workspace]: the workspace, for the README;
- screenshot-ekonomi.png [ekonomi]: 003's largest program (781) in the Ekonomi table, the
  Summa row pinned under its rows;
- screenshot-kolumner.png [kolumner]: Nacka's T1 2023 (004) with Intäkter and Kostnader
  beside the net Utfall and the budget as adopted, the column menu open;
- screenshot-manad.png [manad]: Månad för månad of 771;
- screenshot-statistik.png [statistik]: Statistik of Familjehem vuxna (001) with the trend of
  its computed cost per dygn;
- screenshot-registrera.png [registrera]: the utfall grid with a pasted block holding bad
  cells, one of them selected with its reason shown;
- screenshot-budget.png [budget]: an annual budget periodised as typed;
- screenshot-prognos.png [prognos]: suggestions accepted;
- screenshot-import.png [import]: the import wizard's unknown units, one code mapped, one
  under its siblings' parent, the unit picker open;
- screenshot-rapporter.png [rapporter]: the report dialog with what is left before the
  report is final;
- screenshot-arsvy.png [arsvy]: Registrera › Årsvy with a block of five units × twelve months
  pasted, two bad cells, the Summa row;
- screenshot-hjalp.png [hjalp]: Hjälp → Användarguide, the user guide shown in the program.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from socdesk.core.periods import Month
from socdesk.core.roles import Role
from socdesk.gui.app import install_swedish
from socdesk.gui.context import AppContext
from socdesk.gui.main_window import MainWindow
from socdesk.gui.settings import ECONOMY_COLUMNS
from socdesk.io.seeds import build_demo, open_database
from socdesk.reports.economy import ViewMode

DOCS = Path(__file__).resolve().parent.parent / "docs"
DEFAULT_SIZE = (1500, 900)
ARSVY_BLOCK = "\r\n".join(  # five units × twelve months as Excel copies them, two bad cells
    "\t".join(
        {(1, 2): "12,3,4", (3, 9): "abc"}.get((i, j), f"{1 + i}\u00a0{200 + 37 * j + 11 * i},{j % 10}")
        for j in range(12)
    )
    for i in range(5)
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", help="fönstrets storlek, t.ex. 1280x800 (filerna får bredden som suffix)")
    parser.add_argument("--shots", help="bara dessa bilder, t.ex. ekonomi,manad,statistik")
    parser.add_argument("--out", type=Path, default=DOCS, help="mappen bilderna skrivs i (docs/)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    width, height = (int(n) for n in args.size.lower().split("x")) if args.size else DEFAULT_SIZE
    suffix = f"-{width}" if args.size else ""
    app = QApplication(sys.argv[:1])
    install_swedish(app)
    folder = Path(tempfile.mkdtemp())
    build_demo(folder / "demo.db")
    store = open_database(folder / "demo.db")
    w = MainWindow(AppContext(store, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)))
    w.resize(width, height)
    w.move(0, 0)
    w.show()
    w.locks.set_role(Role.CONTROLLER)
    entry = w.register.entry
    rows: dict[str, int] = {}

    def grab(name: str) -> None:
        stem, dot, ext = name.rpartition(".")
        target = args.out / f"{stem}{suffix}{dot}{ext}"
        # the screen's top left, where the window is: dialogs over it are in the picture too
        QGuiApplication.primaryScreen().grabWindow(0, 0, 0, width, height).save(str(target), "PNG")
        print(target)

    def workspace() -> None:
        w.tabs.setCurrentWidget(w.economy)
        w.select_unit("771")
        w.period.set_month(Month(2024, 5))
        w.economy.table.selectRow(w.economy.model.row_of("7762"))

    def ekonomi() -> None:
        w.tabs.setCurrentWidget(w.economy)
        w.select_unit("781")  # the program of 003 with the most verksamheter
        w.period.set_month(Month(2024, 5))

    def kolumner() -> None:
        w.tabs.setCurrentWidget(w.economy)
        w.select_unit("N")
        w.period.set_month(Month(2023, 4))
        economy = w.economy
        economy.set_columns([*economy.columns, "revenue", "cost", "original_budget"])
        button = economy.columns_button  # the menu opened from Kolumner …, clear of the table
        menu = economy.columns_menu
        menu.popup(button.mapToGlobal(button.rect().topRight()) - QPoint(menu.sizeHint().width(), 0))

    def manad() -> None:
        w.economy.columns_menu.hide()
        w.economy.set_columns(ECONOMY_COLUMNS.default)
        w.period.mode.setCurrentIndex(w.period.mode.findData(ViewMode.YTD))
        w.select_unit("771")
        w.period.set_month(Month(2024, 5))
        w.tabs.setCurrentWidget(w.chart)

    def statistik() -> None:
        w.tabs.setCurrentIndex(2)
        w.select_unit("N-VUX-FH")
        view = w.statistics
        m = view.model
        r = next(r for r in range(m.rowCount()) if m.index(r, 0).data().startswith("Nettokostnad per dygn"))
        view.table.selectRow(r)

    def registrera() -> None:
        w.tabs.setCurrentWidget(w.economy)
        w.select_unit("771")
        w.period.set_month(Month(2024, 6))
        w.tabs.setCurrentWidget(w.register)
        model = entry.model
        rows.update({u.code: i for i, u in enumerate(model.form.units)})
        model.setData(model.index(rows["7762"], 0), "3 412,5")
        entry.table.setCurrentIndex(model.index(rows["7711"], 0))
        entry.paste("1 712\nabc\n1,2,3\n−2 006\n")
        entry.table.setCurrentIndex(model.index(rows["7718"], 0))
        entry.table.setFocus()

    def budget() -> None:
        if entry.model is not None:
            entry.model.mark_saved()  # nothing to ask about on close
        w.select_unit("771")
        w.period.set_month(Month(2024, 5))
        w.tabs.setCurrentWidget(w.register)
        reg = w.register
        reg.kind.setCurrentIndex(reg.kind.findData("budget"))
        m = reg.entry.model
        units = {u.code: i for i, u in enumerate(m.form.units)}
        m.setData(m.index(units["7762"], m.form.inputs[0]), "36 000")

    def prognos() -> None:
        reg = w.register
        if reg.entry.model is not None:
            reg.entry.model.mark_saved()
        w.select_unit("771")
        w.tabs.setCurrentWidget(reg)
        reg.kind.setCurrentIndex(reg.kind.findData("prognos"))
        reg.use_budget.click()

    def wizard() -> None:
        if w.register.entry.model is not None:
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

    def year_grid() -> None:
        if getattr(w, "report_dialog", None) is not None:
            w.report_dialog.reject()
        w.select_unit("771")
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

    def reports() -> None:
        if getattr(w, "wizard", None) is not None:
            w.wizard.reject()
        w.tabs.setCurrentWidget(w.economy)
        w.select_unit("771")
        w.show_reports()
        w.report_dialog.move(260, 120)

    def hjalp() -> None:
        for view in (w.register.entry, w.register.year):
            if view.model is not None:
                view.model.mark_saved()
        w.tabs.setCurrentWidget(w.economy)
        w.show_help(0)  # Hjälp → Användarguide, over the window
        w.help_window.move(120, 40)

    shots: list[tuple[str, str, Callable[[], None], int]] = [  # (name, file, prepare, wait ms)
        ("workspace", "screenshot.png", workspace, 1500),
        ("ekonomi", "screenshot-ekonomi.png", ekonomi, 1000),
        ("kolumner", "screenshot-kolumner.png", kolumner, 1000),
        ("manad", "screenshot-manad.png", manad, 1500),
        ("statistik", "screenshot-statistik.png", statistik, 1500),
        ("registrera", "screenshot-registrera.png", registrera, 800),
        ("budget", "screenshot-budget.png", budget, 800),
        ("prognos", "screenshot-prognos.png", prognos, 800),
        ("import", "screenshot-import.png", wizard, 2500),
        ("rapporter", "screenshot-rapporter.png", reports, 4000),
        ("arsvy", "screenshot-arsvy.png", year_grid, 800),
        ("hjalp", "screenshot-hjalp.png", hjalp, 1000),
    ]
    if args.shots:
        wanted = set(args.shots.split(","))
        unknown = wanted - {name for name, *_rest in shots}
        if unknown:
            raise SystemExit(f"okända bilder: {', '.join(sorted(unknown))}")
        shots = [s for s in shots if s[0] in wanted]

    def step(i: int) -> None:
        if i == len(shots):
            for dialog in ("report_dialog", "help_window"):
                if getattr(w, dialog, None) is not None:
                    getattr(w, dialog).reject()
            for view in (w.register.entry, w.register.year):
                if view.model is not None:
                    view.model.mark_saved()  # nothing to ask about on close
            w.close()
            app.quit()
            return
        _name, file, prepare, wait = shots[i]
        prepare()
        QTimer.singleShot(wait, lambda: (grab(file), step(i + 1)))

    QTimer.singleShot(1500, lambda: step(0))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
