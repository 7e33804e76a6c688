"""Render report content to PDF with Qt's text and print classes (QtGui only, no widgets),
offscreen, so the CLI and the self-test can print as well as the GUI. A PDF is written to a
temporary file and replaces the target only when complete (``socdesk.files``)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, format_number
from socdesk.files import atomic_path
from socdesk.reports.document import Report, report_html
from socdesk.reports.economy import EconomyTable


def _money(value, scale: Scale) -> str:
    return "–" if value is None else format_number(value, 1 if scale is Scale.MNKR else 0, scale)


def economy_html(table: EconomyTable, scale: Scale = Scale.TKR) -> str:
    head = [_("Enhet"), _("Utfall"), _("Budget"), _("Avvikelse"), _("Avv. %"), _("Årsbudget"), _("Flagga")]
    rows = []
    for r in table.rows:
        pct = "–" if r.variance_pct is None else format_number(r.variance_pct, 1, percent=True)
        cells = [
            html.escape(r.unit.label),
            _money(r.actual, scale),
            _money(r.budget, scale),
            _money(r.variance, scale),
            pct,
            _money(r.annual_budget, scale),
            f"{r.flag.level.symbol} {r.flag.level.label}",
        ]
        style = ' style="font-weight:bold"' if r.is_total else ""
        tds = "".join(
            f'<td align="{"left" if i in (0, 6) else "right"}">{c}</td>' for i, c in enumerate(cells)
        )
        rows.append(f"<tr{style}>{tds}</tr>")
    notes = dict.fromkeys(
        f"{html.escape(r.unit.label)}: {html.escape(r.variance_pct_note)}"
        for r in table.rows
        if r.variance_pct is None and r.variance_pct_note
    )
    if any(r.budget_reconstructed for r in table.rows):
        rebuilt = _("Budget räknad ur den periodiserade budgeten (fördelad från de angivna delarna).")
        notes[html.escape(rebuilt)] = None
    footnote = "".join(f"<p><small>{_('Not')}: {n}</small></p>" for n in notes)
    ths = "".join(f"<th>{h}</th>" for h in head)
    title = html.escape(
        _("Uppföljning {u}, {p} ({s})").format(u=table.unit.label, p=table.period.label(), s=scale.label)
    )
    return (
        f"<h2>{title}</h2><p>{_('Utskrivet')} {date.today():%Y-%m-%d}. "
        f"{_('Avvikelse: + är bättre än budget.')}</p>"
        f'<table border="1" cellspacing="0" cellpadding="3" width="100%">'
        f"<thead><tr>{ths}</tr></thead>{''.join(rows)}</table>{footnote}"
    )


def render_pdf(html_text: str, path: Path, *, landscape: bool = False) -> Path:
    with atomic_path(path) as temp:
        writer = QPdfWriter(str(temp))
        try:
            layout = QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
                QPageLayout.Unit.Millimeter,
            )
            writer.setPageLayout(layout)
            writer.setResolution(300)
            doc = QTextDocument()
            doc.setHtml(html_text)
            rect = writer.pageLayout().paintRectPixels(writer.resolution())
            doc.setPageSize(QSizeF(rect.width(), rect.height()))
            doc.print_(writer)
        finally:
            del writer  # the file is complete (and closed) when the writer is gone
    return path


# --- reports: pages with a header, page numbers, repeated table headers, a draft mark ---------
@dataclass(frozen=True)
class Rendered:
    pages: int
    fits: bool  # no table wider than the page: nothing cut off


def paint_report(report: Report, device: QPagedPaintDevice, progress=None) -> Rendered:
    """Lay the report out on ``device`` (a QPdfWriter, or the GUI's QPrinter) page by page."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QPainter

    dpi = device.resolution()
    page = device.pageLayout().paintRectPixels(dpi)
    band = int(dpi * 0.32)  # header and footer, about 8 mm each
    body_height = page.height() - 2 * band
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    font = QFont()
    font.setFamilies(["DejaVu Sans", "Arial", "Helvetica"])
    font.setPointSizeF(9)
    doc.setDefaultFont(font)
    pixels = int(page.width() * 0.8)  # the chart drawn at print resolution …
    for i, chart in enumerate(report.charts()):
        image = QImage.fromData(chart.svg(scale=pixels / 640).encode("utf-8"), "SVG")
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart{i}.svg"), image)
    # … and placed at 80 % of the text width (rich text sizes images in 96-dpi pixels)
    doc.setHtml(report_html(report, for_print=True, chart_width=int(pixels * 96 / dpi)))
    doc.setPageSize(QSizeF(page.width(), body_height))
    fits = doc.idealWidth() <= page.width() + 1
    pages = doc.pageCount()
    small = QFont(font)
    small.setPointSizeF(7.5)
    painter = QPainter(device)
    try:
        for i in range(pages):
            if i:
                device.newPage()
            painter.setFont(small)
            painter.setPen(QColor(80, 80, 80))
            top = QRectF(0, 0, page.width(), band * 0.8)
            painter.drawText(
                top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), report.title
            )
            painter.drawText(
                top,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{report.board}, {report.period}",
            )
            bottom = QRectF(0, page.height() - band * 0.8, page.width(), band * 0.8)
            painter.drawText(
                bottom,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                _("Dataversion {v}").format(v=report.data_version),
            )
            painter.drawText(
                bottom,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                _("Sida {i} av {n}").format(i=i + 1, n=pages),
            )
            if report.draft:
                mark = QFont(font)
                mark.setPointSizeF(11)
                mark.setBold(True)
                painter.setFont(mark)
                painter.setPen(QColor(176, 0, 32))
                painter.drawText(top, int(Qt.AlignmentFlag.AlignCenter), _("UTKAST"))
                painter.drawText(bottom, int(Qt.AlignmentFlag.AlignCenter), _("UTKAST"))
            painter.save()
            painter.translate(0, band - i * body_height)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, i * body_height, page.width(), body_height)
            painter.setClipRect(context.clip)
            doc.documentLayout().draw(painter, context)
            painter.restore()
            if progress is not None:
                progress(i + 1, pages)
    finally:
        painter.end()
    return Rendered(pages, fits)


def page_layout(landscape: bool) -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(15, 12, 15, 12),
        QPageLayout.Unit.Millimeter,
    )


def report_pdf(report: Report, path: Path, progress=None) -> Rendered:
    with atomic_path(path) as temp:
        writer = QPdfWriter(str(temp))
        try:
            writer.setPageLayout(page_layout(report.landscape))
            writer.setResolution(300)
            writer.setTitle(report.title)
            writer.setCreator("socdesk")
            rendered = paint_report(report, writer, progress)
        finally:
            del writer  # the file is complete (and closed) when the writer is gone
    return rendered
