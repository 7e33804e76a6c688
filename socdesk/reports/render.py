"""Render report content to PDF with Qt's text and print classes (QtGui only, no widgets),
offscreen, so the CLI and the self-test can print as well as the GUI."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, format_number
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
    ths = "".join(f"<th>{h}</th>" for h in head)
    title = html.escape(
        _("Uppföljning {u}, {p} ({s})").format(u=table.unit.label, p=table.period.label(), s=scale.label)
    )
    return (
        f"<h2>{title}</h2><p>{_('Utskrivet')} {date.today():%Y-%m-%d}. "
        f"{_('Avvikelse: + är bättre än budget.')}</p>"
        f'<table border="1" cellspacing="0" cellpadding="3" width="100%">'
        f"<thead><tr>{ths}</tr></thead>{''.join(rows)}</table>"
    )


def render_pdf(html_text: str, path: Path, *, landscape: bool = False) -> Path:
    writer = QPdfWriter(str(path))
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
    del writer  # the file is complete when the writer is gone
    return path
