"""``socdesk --selftest``: proves an installation (source tree, wheel or frozen build) does what
users do, offscreen, through the same code paths they take:

1. builds the demo database from the bundled seeds (``socdesk demo``);
2. imports one bundled file of every format (``resources/selftest/``: long CSV, wide CSV, ledger
   CSV, ledger XLSX, a wide .ods with formulas, SIE, Kolada JSON) through
   ``importer.import_path`` – what ``socdesk import`` and the import wizard run – and checks a
   figure of each;
3. builds every kind of report (``reports.board.Kind``) as the Rapporter dialog makes it
   (``board.build``, a template's report through ``compose``) and writes it as tagged PDF
   (``render.report_pdf``, WeasyPrint); prints one to a file through PDFium, as Skriv ut does;
4. opens the main window on the database and checks 771's total.

Exits 0 with ``selftest ok``, or 1 with the reason on stderr."""

from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from socdesk.core.periods import Month, Period

# (file, unit, measure, period, the figure the file gives) – the files are in resources/selftest
IMPORTS: tuple[tuple[str, str, str, Period, Decimal], ...] = (
    ("lang.csv", "7762", "netto", Period.month(2024, 7), Decimal("3400000")),
    ("bred.csv", "7764", "netto", Period.month(2024, 9), Decimal("122000")),
    ("huvudbok.csv", "7762", "netto", Period.month(2024, 10), Decimal("999650.25")),
    ("huvudbok.xlsx", "7762", "netto", Period.month(2024, 11), Decimal("1700.25")),
    # LibreOffice's .ods (python-calamine), feb and mar as formulas with their saved values
    ("bred_formler.ods", "7762", "netto", Period.month(2022, 3), Decimal("2200")),
    ("sjalvtest.se", "7762", "netto", Period.month(2024, 12), Decimal("209999.50")),
)
KOLADA_FILE, KOLADA_MEASURE, KOLADA_VALUE = "kolada.json", "kolada_N00945", Decimal("12.5")
REPORTS = (  # every kind, on the demo's boards
    ("manad", "SN", Month(2024, 5)),
    ("tertial", "N", Month(2023, 4)),
    ("nyckeltal", "N", Month(2023, 12)),
    ("statistik", "STH", Month(2024, 12)),
)
UNIT_771_MAY = 58_611_000


class SelftestError(Exception):
    """A step of the selftest failed; the message says which and why."""


def selftest() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def quiet(kind: QtMsgType, _context: object, message: str) -> None:  # offscreen chatter
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    from socdesk.gui.app import install_swedish

    if not install_swedish(app):  # the build must carry Qt's Swedish texts
        print("selftest: Qt:s svenska översättning (qtbase_sv.qm) saknas", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run(app, Path(tmp))
    except SelftestError as err:
        print(f"selftest: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # every failure, a missing module too, is the selftest's answer
        print(f"selftest: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print("selftest ok")
    return 0


def run(app, folder: Path) -> None:
    from socdesk.io.seeds import build_demo, open_database

    db = folder / "demo.db"
    build_demo(db)
    store = open_database(db)
    try:
        import_every_format(store)
        print_every_report(store, folder)
        open_main_window(app, store, folder)
    finally:
        store.close()


def import_every_format(store) -> None:
    from socdesk.core.errors import SocdeskError
    from socdesk.core.facts import Scenario
    from socdesk.io.importer import import_path
    from socdesk.resources import resource

    files = resource("selftest")
    for name, unit, measure, period, expected in IMPORTS:
        try:
            result = import_path(store, files / name)
        except SocdeskError as err:
            raise SelftestError(f"{name} lästes inte in: {err}") from err
        except Exception as err:  # a module missing from the build: name the file it broke
            raise SelftestError(f"{name} lästes inte in: {type(err).__name__}: {err}") from err
        got = store.value(unit, store.measures()[measure], Scenario.ACTUAL, period)
        if not got.is_number or got.number != expected:
            raise SelftestError(f"{name}: {unit} {measure} {period} blev {got}, inte {expected}")
        print(f"selftest: {name} inläst ({result.summary.figures} uppgifter)")
    result = import_path(store, files / KOLADA_FILE)
    values = [f.value.number for f in store.facts(measure=KOLADA_MEASURE) if not f.key.gender]
    if values != [KOLADA_VALUE]:
        raise SelftestError(f"{KOLADA_FILE}: {KOLADA_MEASURE} blev {values}, inte {KOLADA_VALUE}")
    print(f"selftest: {KOLADA_FILE} inläst ({result.summary.figures} uppgifter)")


def print_every_report(store, folder: Path) -> None:
    from socdesk.gui.printing import paint_pdf, report_printer
    from socdesk.reports.board import Kind, build
    from socdesk.reports.render import pdf_bytes, report_pdf

    if {kind for kind, _unit, _month in REPORTS} != {k.value for k in Kind}:
        raise SelftestError("självtestet gör inte varje slags rapport")
    for kind, unit, month in REPORTS:
        report = build(store, Kind(kind), unit, month)
        target = folder / f"{kind}.pdf"
        rendered = report_pdf(report, target)
        if not target.read_bytes().startswith(b"%PDF") or rendered.pages < 1:
            raise SelftestError(f"{kind}: PDF-filen blev inte hel")
        print(f"selftest: {Kind(kind).label} {unit} {month}: {rendered.pages} sidor")
    # … and PDFium rasterizes the PDF for the printer (here a PDF file), as Skriv ut does
    printer = report_printer()
    printer.setOutputFileName(str(folder / "utskrift.pdf"))
    if paint_pdf(pdf_bytes(report), printer) != rendered.pages:
        raise SelftestError("utskriften fick inte rapportens sidor")


def open_main_window(app, store, folder: Path) -> None:
    from PySide6.QtCore import QSettings

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    window = MainWindow(AppContext(store, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)))
    try:
        window.show()
        app.processEvents()
        window.select_unit("771")
        app.processEvents()
        total = window.economy.model.row(window.economy.model.rowCount() - 1)
        if total.actual != UNIT_771_MAY:
            raise SelftestError(f"fel utfall för 771 i huvudfönstret: {total.actual}")
    finally:
        window.close()
