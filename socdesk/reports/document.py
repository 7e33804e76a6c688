"""A report as plain data (title page facts, headings, text, tables with their legends) and its
HTML; PDF and print are in ``socdesk.reports.render``, XLSX in ``socdesk.io.xlsx``.

Cells are exact ``Decimal``s already in the table's scale, text (``*``, ``.``, names) or None;
each column says how it is shown, so every output formats the same figure the same way."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal

from socdesk.core.i18n import _
from socdesk.core.numbers import format_number
from socdesk.io.xlsx import Column

DASH = "–"
LANDSCAPE_COLUMNS = 8  # wider tables are printed on landscape pages


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[object]]
    bold: set[int] = field(default_factory=set)  # rows shown in bold (subtotals, totals)
    legend: str = ""
    decimals: dict[int, int] = field(default_factory=dict)  # column → decimals for "number"
    cell_decimals: dict[tuple[int, int], int] = field(default_factory=dict)  # as stated, per cell

    def text(self, r: int, c: int) -> str:
        if (r, c) in self.cell_decimals:
            return cell_text(self.rows[r][c], "number", self.cell_decimals[(r, c)])
        return cell_text(self.rows[r][c], self.columns[c].kind, self.decimals.get(c, 0))


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Paragraph:
    text: str
    italic: bool = False


Block = Heading | Paragraph | Table


@dataclass
class Report:
    kind: str  # manad, tertial, nyckeltal, statistik
    title: str
    board: str
    period: str
    made_on: str
    data_version: str
    blocks: list[Block] = field(default_factory=list)
    draft_reasons: list[str] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return bool(self.draft_reasons)

    @property
    def landscape(self) -> bool:
        return any(isinstance(b, Table) and len(b.columns) > LANDSCAPE_COLUMNS for b in self.blocks)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def cell_text(value: object, kind: str, decimals: int = 0) -> str:
    if value is None:
        return DASH
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        v = Decimal(value)
        if kind == "money":
            return format_number(v, 0)
        if kind == "money1":
            return format_number(v, 1)
        if kind == "pct":
            return format_number(v, 1, percent=True)
        if kind == "auto":  # as precisely as it was stated, at most two decimals
            exponent = v.normalize().as_tuple().exponent
            return format_number(v, min(2, max(0, -exponent)) if isinstance(exponent, int) else 0)
        return format_number(v, decimals)
    return str(value)


def report_html(report: Report, *, for_print: bool = False) -> str:
    """The whole report as HTML (also the body of the PDF: Qt's rich text subset)."""
    css = (
        "body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9pt; }"
        "h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 14px; } h3 { font-size: 10pt; }"
        "table { border-collapse: collapse; } th { background: #e8ecf0; font-weight: bold; }"
        "td, th { padding: 2px 4px; border: 1px solid #9aa5b1; }"
        ".legend { font-size: 8pt; color: #444; } .draft { color: #b00020; font-weight: bold; }"
    )
    parts = [f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>"]
    parts.append(f"<h1>{html.escape(report.title)}</h1>")
    facts = [
        (_("Nämnd"), report.board),
        (_("Period"), report.period),
        (_("Utskriven"), report.made_on),
        (_("Dataversion"), report.data_version),
    ]
    parts.append("<p>" + "<br>".join(f"<b>{html.escape(k)}:</b> {html.escape(v)}" for k, v in facts) + "</p>")
    if report.draft:
        parts.append(
            "<p class='draft'>"
            + html.escape(_("UTKAST – inte klar för nämnden:"))
            + "</p><ul>"
            + "".join(f"<li>{html.escape(r)}</li>" for r in report.draft_reasons)
            + "</ul>"
        )
    for block in report.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            text = html.escape(block.text).replace("\n", "<br>")
            parts.append(f"<p><i>{text}</i></p>" if block.italic else f"<p>{text}</p>")
        else:
            parts.append(_table_html(block))
    parts.append("</body></html>")
    return "".join(parts)


def _table_html(t: Table) -> str:
    head = "".join(
        f"<th align='{'left' if c.kind == 'text' else 'right'}'>{html.escape(c.title)}</th>"
        for c in t.columns
    )
    rows = []
    for r in range(len(t.rows)):
        cells = []
        for c, col in enumerate(t.columns):
            align = "left" if col.kind == "text" else "right"
            text = (
                html.escape(t.text(r, c)).replace(" ", "&nbsp;")
                if col.kind != "text"
                else html.escape(t.text(r, c))
            )
            cells.append(f"<td align='{align}'>{text}</td>")
        style = " style='font-weight:bold'" if r in t.bold else ""
        rows.append(f"<tr{style}>{''.join(cells)}</tr>")
    legend = f"<p class='legend'>{html.escape(t.legend)}</p>" if t.legend else ""
    title = f"<h3>{html.escape(t.title)}</h3>" if t.title else ""
    return (
        f"{title}<table width='100%' cellspacing='0' cellpadding='2' border='1'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{legend}"
    )
