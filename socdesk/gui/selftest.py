"""``socdesk --selftest``: proves an installation (frozen or not) works end to end, offscreen:
builds the demo database from the bundled seeds, opens the main window on it, writes a
report as tagged PDF (WeasyPrint), prints it to a file through PDFium, and exits 0 (or 1 with
the reason)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def selftest() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from socdesk.core.periods import Month
    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow
    from socdesk.gui.printing import paint_pdf, report_printer
    from socdesk.io.seeds import build_demo, open_database
    from socdesk.reports.board import Kind, build
    from socdesk.reports.render import pdf_bytes, report_pdf

    def quiet(kind: QtMsgType, _context: object, message: str) -> None:  # offscreen chatter
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    from socdesk.gui.app import install_swedish

    if not install_swedish(app):  # the build must carry Qt's Swedish texts
        print("selftest: Qt:s svenska översättning (qtbase_sv.qm) saknas", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "demo.db"
        build_demo(db)
        store = open_database(db)
        try:
            window = MainWindow(
                AppContext(store, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
            )
            window.show()
            app.processEvents()
            window.select_unit("771")
            app.processEvents()
            total = window.economy.model.row(window.economy.model.rowCount() - 1)
            if total.actual != 58_611_000:
                print(f"selftest: fel utfall för 771: {total.actual}", file=sys.stderr)
                return 1
            # WeasyPrint (Pango and its DLLs in the Windows build) writes the tagged PDF …
            report = build(store, Kind.MONTHLY, "SN", Month(2024, 5), draft_check=False)
            rendered = report_pdf(report, folder / "rapport.pdf")
            data = (folder / "rapport.pdf").read_bytes()
            if not data.startswith(b"%PDF") or rendered.pages < 1:
                print("selftest: PDF-filen blev inte hel", file=sys.stderr)
                return 1
            # … and PDFium rasterizes it for the printer (here a PDF file)
            printer = report_printer()
            printer.setOutputFileName(str(folder / "utskrift.pdf"))
            if paint_pdf(pdf_bytes(report), printer) != rendered.pages:
                print("selftest: utskriften fick inte rapportens sidor", file=sys.stderr)
                return 1
            window.close()
        finally:
            store.close()
    print("selftest ok")
    return 0
