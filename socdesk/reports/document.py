"""A report as plain data (title page facts, headings, text, tables with their legends); its HTML
is in ``socdesk.reports.htmldoc``, PDF and print in ``socdesk.reports.render``, XLSX in
``socdesk.io.xlsx``.

Cells are exact ``Decimal``s already in the table's scale, text (``*``, ``.``, names) or None;
each column says how it is shown, so every output formats the same figure the same way."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal

from socdesk.core.cells import Column
from socdesk.core.numbers import format_number

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
    """The whole report as an HTML5 document (``socdesk.reports.htmldoc``); ``for_print``: the
    document WeasyPrint lays out as the PDF and the printed pages."""
    from socdesk.reports.htmldoc import report_html as html_document

    return html_document(report, for_print=for_print, chart_width=chart_width)


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
