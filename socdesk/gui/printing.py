"""Print preview and print show the PDF itself: the report's PDF (``reports.render.pdf_bytes``,
made on a worker) is rasterized page by page with PDFium at the printer's resolution and painted
on the whole sheet, the PDF's own margins, running header and page numbers included (an A4 page
on another paper size is scaled to fit, never stretched). A landscape page of the PDF is printed
on a landscape sheet. (PySide6-Essentials has no QtPdf; pypdfium2 ships PDFium as a wheel on
every platform.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from socdesk.gui import file_dialogs
from socdesk.reports.document import Report

PRINT_DPI = 300  # sharp on paper; a page is ~35 MB while it is drawn, the preview keeps every page


def report_printer() -> QPrinter:
    """A printer set up for a report: A4, the whole sheet (the PDF has its margins), 300 dpi."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setResolution(PRINT_DPI)
    return printer


def paint_pdf(data: bytes, printer: QPrinter, progress: Callable[[int, int], None] | None = None) -> int:
    """Paint every page of the PDF ``data`` on ``printer``; the number of pages painted."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    painter = QPainter()
    try:
        pages = len(pdf)
        for i in range(pages):
            page = pdf[i]
            width, height = page.get_size()  # points
            printer.setPageOrientation(
                QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
            )
            if i == 0:
                if not painter.begin(printer):
                    return 0
            else:
                printer.newPage()
            sheet = printer.pageLayout().fullRectPixels(printer.resolution())
            scale = min(sheet.width() / width, sheet.height() / height)  # the sheet's pixels per point
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(
                bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
            ).copy()  # owns its pixels: the preview keeps the page after PDFium's bitmap is gone
            del bitmap
            painter.drawImage(QRectF(0, 0, width * scale, height * scale), image)
            page.close()
            if progress is not None:
                progress(i + 1, pages)
        return pages
    finally:
        if painter.isActive():
            painter.end()
        pdf.close()


def preview_report(report: Report, parent: Any, database: Path | None, pdf: bytes | None = None) -> None:
    """The print preview of ``report``: the pages of its PDF. ``pdf``: made already (the Rapporter
    dialog makes it on its worker); without it the PDF is made here, with a busy cursor."""
    data = pdf if pdf is not None else _made(report)
    file_dialogs.preview_document(
        report_printer(), parent, database, lambda p: paint_pdf(data, p), report.title
    )


def print_report(report: Report, parent: Any, database: Path | None, pdf: bytes | None = None) -> bool:
    """The print dialog, then the PDF's pages on the chosen printer; False if not printed."""
    data = pdf if pdf is not None else _made(report)
    return file_dialogs.print_document(report_printer(), parent, database, lambda p: paint_pdf(data, p))


def _made(report: Report) -> bytes:
    from socdesk.reports.render import pdf_bytes

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return pdf_bytes(report)
    finally:
        QGuiApplication.restoreOverrideCursor()
