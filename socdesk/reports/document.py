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
        elif isinstance(block, PageBreak):
            parts.append("<div style='page-break-after: always'></div>")
        elif isinstance(block, Chart):
            if for_print:  # Qt's rich text shows SVG as an image resource (render.paint_report)
                tall = chart_width * 260 // 640
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
    marks: list[tuple[str, str]] = []  # (mark, footnote) in the order of the rows
    for r in range(len(t.rows)):
        cells = []
        for c, col in enumerate(t.columns):
            align = "left" if col.kind == "text" else "right"
            raw = t.text(r, c)
            text = html.escape(raw).replace(" ", "&nbsp;") if col.kind != "text" else html.escape(raw)
            if c == 0 and t.notes.get(r):
                numbers = []
                for note in t.notes[r]:
                    marks.append((_superscript(len(marks) + 1), note))
                    numbers.append(marks[-1][0])
                text += "&nbsp;" + "&nbsp;".join(numbers)
            cells.append(f"<td align='{align}'{_as_text(raw)}>{text}</td>")
        style = " style='font-weight:bold'" if r in t.bold else ""
        rows.append(f"<tr{style}>{''.join(cells)}</tr>")
    legend = f"<p class='legend'>{html.escape(t.legend)}</p>" if t.legend else ""
    legend += "".join(f"<p class='legend'>{m} {html.escape(note)}</p>" for m, note in marks)
    title = f"<h3>{html.escape(t.title)}</h3>" if t.title else ""
    return (
        f"{title}<table width='100%' cellspacing='0' cellpadding='2' border='1'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{legend}"
    )


def _superscript(n: int) -> str:
    """A footnote mark: ¹, ², … ¹⁰."""
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


@dataclass
class Chart:
    """A small chart drawn as SVG (the same picture in HTML, PDF and print)."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[Decimal | None]]]
    kind: str = "line"  # line, bar (grouped), stacked (stacked bars)
    unit: str = ""
    key: str = ""  # the template's id of the chart
    number: str = ""  # "Diagram 2" as printed; "" prints none
    values: bool = False  # print each bar's value on it, as the seeds do

    def svg(self, scale: float = 1.0) -> str:
        return chart_svg(self, scale)


COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7f6000")


def chart_svg(chart: Chart, scale: float = 1.0) -> str:
    """Axes, gridlines with Swedish numbers, the series, a legend. ``scale`` enlarges the
    canvas for print (the drawing is the same)."""
    w, h = 640, 260
    left, right, top, bottom = 70, 20, 30, 45
    values = [v for _n, vs in chart.series for v in vs if v is not None]
    if not values:
        values = [Decimal(0)]
    low = min(Decimal(0), min(values))
    high = max(values)
    if high == low:
        high = low + 1
    step = _nice_step((high - low) / 4)
    top_value = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    bottom_value = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    span = top_value - bottom_value or Decimal(1)
    plot_w, plot_h = w - left - right, h - top - bottom

    def y(v: Decimal) -> float:
        return top + float((top_value - v) / span) * plot_h

    n = max(1, len(chart.categories))
    slot = plot_w / n

    def x(i: int) -> float:
        return left + slot * (i + 0.5)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w * scale:.0f}" height="{h * scale:.0f}" '
        f'viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="18" font-size="13" font-weight="bold">{html.escape(chart.title)}</text>',
    ]
    g = bottom_value
    while g <= top_value:
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(g):.1f}" y2="{y(g):.1f}" stroke="#dddddd"/>')
        label = html.escape(format_number(g, 0))
        parts.append(f'<text x="{left - 6}" y="{y(g) + 4:.1f}" text-anchor="end" fill="#444">{label}</text>')
        g += step
    zero = y(Decimal(0))
    parts.append(f'<line x1="{left}" x2="{w - right}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#888"/>')
    every = max(1, n // 12)
    for i, c in enumerate(chart.categories):
        if i % every == 0:
            label = html.escape(c)
            parts.append(
                f'<text x="{x(i):.1f}" y="{h - bottom + 16}" text-anchor="middle" fill="#444">{label}</text>'
            )
    bars = len(chart.series) if chart.kind == "bar" else 0
    for s, (name, vs) in enumerate(chart.series):
        colour = COLOURS[s % len(COLOURS)]
        if chart.kind == "bar":
            bw = slot * 0.8 / max(1, bars)
            for i, v in enumerate(vs):
                if v is None:
                    continue
                x0 = left + slot * i + slot * 0.1 + bw * s
                y0, y1 = sorted((y(v), y(Decimal(0))))
                tall = max(0.5, y1 - y0)
                parts.append(
                    f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{bw:.1f}" height="{tall:.1f}" fill="{colour}"/>'
                )
        else:
            points = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vs) if v is not None]
            if points:
                dash = ' stroke-dasharray="6 4"' if s else ""
                line = " ".join(points)
                parts.append(
                    f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
                )
                for point in points:  # a lone point (utfall so far) is seen too
                    cx, cy = point.split(",")
                    parts.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="{colour}"/>')
        lx = left + 10 + s * 170
        parts.append(f'<rect x="{lx}" y="{h - 16}" width="14" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 20}" y="{h - 8}" fill="#222">{html.escape(name)}</text>')
    if chart.unit:
        parts.append(
            f'<text x="{w - right}" y="18" text-anchor="end" fill="#444">{html.escape(chart.unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _nice_step(raw: Decimal) -> Decimal:
    if raw <= 0:
        return Decimal(1)
    exponent = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal("0.1")
    for f in (1, 2, 5, 10):
        if raw <= f * exponent:
            return f * exponent
    return 10 * exponent
