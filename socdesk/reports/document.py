"""A report as plain data (title page facts, headings, text, tables with their legends); its HTML
is in ``socdesk.reports.htmldoc``, PDF and print in ``socdesk.reports.render``, XLSX in
``socdesk.io.xlsx``.

Cells are exact ``Decimal``s already in the table's scale, text (``*``, ``.``, names) or None;
each column says how it is shown, so every output formats the same figure the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from socdesk.core.cells import Column
from socdesk.core.numbers import format_number
from socdesk.reports.charts import chart_size, chart_svg

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
