"""A report as plain data (title page facts, headings, text, tables with their legends) and its
HTML; PDF and print are in ``socdesk.reports.render``, XLSX in ``socdesk.io.xlsx``.

Cells are exact ``Decimal``s already in the table's scale, text (``*``, ``.``, names) or None;
each column says how it is shown, so every output formats the same figure the same way."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal

from socdesk.core.cells import Column, formula_like
from socdesk.core.i18n import _
from socdesk.core.numbers import format_number
from socdesk.reports.charts import chart_size, chart_svg

DASH = "–"
EXCEL_TEXT = """ style='mso-number-format:"\\@"'"""  # Excel's text format: a formula shown, not run
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
    # --- from report templates (issue 13) ---
    number: str = ""  # "9:1" is printed "Tabell 9:1 <title>"; "" prints no number
    key: str = ""  # the template's id of the table: stable, unique in the report (tests, sheet names)
    column_groups: list[tuple[str, int]] = field(default_factory=list)  # header row above: (text, span)
    row_keys: list[str] = field(default_factory=list)  # per row what it shows, e.g. "N-BOU" (may be "")
    totals: set[int] = field(default_factory=set)  # rows that are totals (also in bold)
    notes: dict[int, list[str]] = field(default_factory=dict)  # row → its footnotes, in order
    computed: set[tuple[int, int]] = field(default_factory=set)  # cells marked as computed in print
    scales: dict[int, str] = field(default_factory=dict)  # column → "tkr", "mnkr", "%" … as printed

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
    style: str = ""  # "" body text; "analysis" an avvikelseanalys; "note" small print


@dataclass
class PageBreak:
    """The next block starts on a new page."""


@dataclass
class TitlePage:
    """The first page: what a nämnd secretary files the document by (report settings)."""

    board: str  # the nämnd as printed
    title: str
    period: str  # as printed: "Tertial 1 2023", "jan–maj 2024"
    diarienummer: str = ""
    meeting: str = ""  # sammanträdesdatum, as typed in the report settings
    logo: str = ""  # path of an image file; "" prints none
    notes: list[str] = field(default_factory=list)  # e.g. that the tertial is not yet complete


@dataclass
class Report:
    kind: str  # manad, tertial, nyckeltal, statistik
    title: str
    board: str
    period: str
    made_on: str
    data_version: str
    blocks: list[Heading | Paragraph | Table | Chart | PageBreak] = field(default_factory=list)
    draft_reasons: list[str] = field(default_factory=list)
    # --- from report templates (issue 13) ---
    template: str = ""  # the template's name
    template_hash: str = ""  # sha256 of its text, kept with the database (report_templates)
    title_page: TitlePage | None = None
    properties: dict[str, str] = field(default_factory=dict)  # document properties (data version …)
    lang: str = "sv"

    @property
    def draft(self) -> bool:
        return bool(self.draft_reasons)

    @property
    def landscape(self) -> bool:
        return any(isinstance(b, Table) and len(b.columns) > LANDSCAPE_COLUMNS for b in self.blocks)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]


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
        if kind == "pct0":
            return format_number(v, 0, percent=True)
        if kind == "auto":  # as precisely as it was stated, at most two decimals
            exponent = v.normalize().as_tuple().exponent
            return format_number(v, min(2, max(0, -exponent)) if isinstance(exponent, int) else 0)
        return format_number(v, decimals)
    return str(value)


def report_html(report: Report, *, for_print: bool = False, chart_width: int = 640) -> str:
    """The whole report as HTML (also the body of the PDF: Qt's rich text subset; charts are
    then images ``chartN.svg`` of ``chart_width`` pixels)."""
    charts = 0
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
            parts.append(f"<h{block.level}{_as_text(block.text)}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            text = html.escape(block.text).replace("\n", "<br>")
            p = f"<p{_as_text(block.text)}>"
            parts.append(f"{p}<i>{text}</i></p>" if block.italic else f"{p}{text}</p>")
        elif isinstance(block, Chart):
            if for_print:  # Qt's rich text shows SVG as an image resource (render.paint_report)
                w, h = block.size()
                tall = round(chart_width * h / w)
                parts.append(f"<p><img src='chart{charts}.svg' width='{chart_width}' height='{tall}'></p>")
            else:
                parts.append(f"<p>{block.svg()}</p>")
            charts += 1
        else:
            parts.append(_table_html(block))
    parts.append("</body></html>")
    return "".join(parts)


def _as_text(text: str) -> str:
    """Text is escaped everywhere; a formula-like one (``core.cells.formula_like``) also gets Excel's
    text format, for a report opened in Excel (browsers and Qt ignore it)."""
    return EXCEL_TEXT if formula_like(text) else ""


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
            raw = t.text(r, c)
            text = html.escape(raw).replace(" ", "&nbsp;") if col.kind != "text" else html.escape(raw)
            cells.append(f"<td align='{align}'{_as_text(raw)}>{text}</td>")
        style = " style='font-weight:bold'" if r in t.bold else ""
        rows.append(f"<tr{style}>{''.join(cells)}</tr>")
    legend = f"<p class='legend'>{html.escape(t.legend)}</p>" if t.legend else ""
    title = f"<h3>{html.escape(t.title)}</h3>" if t.title else ""
    return (
        f"{title}<table width='100%' cellspacing='0' cellpadding='2' border='1'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{legend}"
    )


@dataclass
class Chart:
    """A chart drawn as SVG by ``socdesk.reports.charts`` (the same picture in HTML, PDF and print)."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[Decimal | None]]]
    kind: str = "line"  # line, bar (grouped), stacked (stacked bars), cumulative (utfall vs budget)
    unit: str = ""
    key: str = ""  # the template's id of the chart
    number: str = ""  # "Diagram 2" as printed; "" prints none
    values: bool = False  # print each bar's value on it, as the seeds do

    def svg(self, scale: float = 1.0) -> str:
        return chart_svg(self, scale)

    def size(self) -> tuple[float, float]:
        """Width and height of the drawing (its aspect ratio), ``socdesk.reports.charts``."""
        return chart_size(self)
