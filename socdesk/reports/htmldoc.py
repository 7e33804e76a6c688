"""A report as one HTML5 document: the web page (``.html``) and, laid out by WeasyPrint, the PDF
and the printed pages (``socdesk.reports.render``). Everything a nämnd secretary checks is decided
here, once: the title page, headings kept with their table, numbered tables with footnotes at
their rows, the legend printed once, UTKAST on every page of a draft, the data version in the
document properties (not on the pages), landscape pages for wide tables.

The markup is plain and semantic (``h1``–``h3``, ``p``, ``table``/``caption``/``thead``/``th``/
``td``, ``figure``) so that WeasyPrint's PDF/UA-1 output gets a structure tree a screen reader can
follow; ``lang`` and ``<title>`` give the PDF its /Lang and title."""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path

from socdesk.core.cells import formula_like
from socdesk.core.i18n import _
from socdesk.reports.document import (
    LANDSCAPE_COLUMNS,  # a table wider than this is printed on a landscape page
    Chart,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
    TitlePage,
)

EXCEL_TEXT = """ style='mso-number-format:"\\@"'"""  # Excel's text format: a formula shown, not run
SMALL_TYPE_COLUMNS = 11  # from this many columns a table is set in smaller type …
TINY_TYPE_COLUMNS = 14  # … and from this many in the smallest (also every wide table, ``tight``)
# The table types, largest first: (class, font size pt, horizontal cell padding pt), as in CSS.
# A table gets the largest one (from its column count's) in which its words fit the page.
TYPES = (("", 9.0, 4.0), ("snug", 8.0, 3.0), ("small", 7.5, 2.5), ("tiny", 6.5, 1.8))
PAGE_MM = {False: 210.0 - 2 * 15.0, True: 297.0 - 2 * 15.0}  # text width, portrait and landscape
BORDER_PT = 0.5
KEEP_WHOLE_ROWS = 12  # a table this short is never split over two pages
COMPUTED_NOTE = _("Kursiva värden är beräknade.")
# What WeasyPrint writes into the PDF's document properties (Title comes from <title>).
META_NAMES = ("author", "description", "keywords", "generator", "dcterms.created", "dcterms.modified")

KEYWORD_LABELS = {
    "data_version": _("dataversion"),
    "template": _("mall"),
    "template_hash": _("mallens sha256"),
    "period": _("period"),
    "unit": _("enhet"),
}

CSS = """
html { font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif; font-size: 9pt; color: #111; }
body { margin: 0; line-height: 1.3; }
h1 { font-size: 16pt; margin: 0 0 6pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; }
h3 { font-size: 10.5pt; margin: 10pt 0 3pt; }
h4 { font-size: 9.5pt; margin: 8pt 0 2pt; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; break-inside: avoid; }
p { margin: 0 0 5pt; orphans: 2; widows: 2; }
.facts { color: #333; }
.draft-notice { color: #b00020; font-weight: bold; margin-top: 8pt; }
ul.draft-reasons { margin-top: 0; }
p.analysis { margin-left: 8pt; padding-left: 6pt; border-left: 2pt solid #9aa5b1; }
p.note { font-size: 7.5pt; color: #333; }
.keep { break-inside: auto; }
table.report-table { border-collapse: collapse; width: 100%; margin: 2pt 0 4pt; }
table.report-table caption { caption-side: top; text-align: left; font-weight: bold;
  font-size: 10pt; padding: 0 0 3pt; break-after: avoid; }
table.report-table th, table.report-table td { padding: 1.5pt 4pt; border: 0.5pt solid #9aa5b1;
  vertical-align: top; }
table.report-table th { background: #e8ecf0; font-weight: bold; text-align: left;
  hyphens: manual; word-break: normal; overflow-wrap: normal; }
table.report-table .num { text-align: right; }
table.report-table td.num { white-space: nowrap; }  /* a figure is never broken; a header wraps at spaces */
table.report-table thead { display: table-header-group; }
table.report-table tr { break-inside: avoid; }
table.report-table tbody tr:first-child { break-after: avoid; }
table.report-table tbody tr:last-child, table.report-table tr.total { break-before: avoid; }
table.report-table tr.bold td { font-weight: bold; }
table.report-table tr.total td { border-top: 1.2pt solid #333; }
table.report-table td.computed { font-style: italic; }
table.report-table.whole { break-inside: avoid; }
table.report-table.snug { font-size: 8pt; }
table.report-table.snug th, table.report-table.snug td { padding: 1.5pt 3pt; }
table.report-table.small { font-size: 7.5pt; }
table.report-table.small th, table.report-table.small td { padding: 1pt 2.5pt; }
table.report-table.tiny { font-size: 6.5pt; }
table.report-table.tiny th, table.report-table.tiny td { padding: 0.8pt 1.8pt; }
span.note-ref { font-weight: normal; }
.notes p, p.legend { font-size: 7.5pt; color: #333; margin: 0 0 2pt; }
.notes { margin-bottom: 6pt; }
figure.chart { margin: 6pt 0 8pt; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; }
figure.chart figcaption { font-size: 8pt; color: #333; }
.page-break { break-before: page; height: 0; }
section.title-page { break-after: page; padding-top: 60mm; }
section.title-page .board { font-size: 13pt; margin-bottom: 18pt; }
section.title-page h1 { font-size: 22pt; margin-bottom: 10pt; }
section.title-page .period { font-size: 13pt; margin-bottom: 24pt; }
section.title-page .fact { font-size: 10pt; margin-bottom: 3pt; }
section.title-page img.logo { max-width: 60mm; max-height: 30mm; margin-bottom: 20mm; }
section.title-page .title-note { margin-top: 16pt; font-style: italic; }
@media screen {
  body { max-width: 62em; margin: 1em auto; padding: 0 1em; }
  figure.chart svg { max-width: CHART_WIDTHpx; }
}
"""

PAGE_CSS = """
@page {
  size: A4 portrait;
  margin: 18mm 15mm 16mm 15mm;  /* the side margins are PAGE_MM's */
  @top-left { content: %(title)s; font-size: 7.5pt; color: #555; }
  @top-right { content: %(where)s; font-size: 7.5pt; color: #555; }
  @bottom-right { content: "%(page)s " counter(page) " %(of)s " counter(pages); font-size: 7.5pt;
    color: #555; }
  %(draft)s
}
@page landscape { size: A4 landscape; }
section.landscape { page: landscape; }
"""

DRAFT_CSS = """@top-center { content: "%(mark)s"; color: #b00020; font-weight: bold; font-size: 11pt; }
  @bottom-center { content: "%(mark)s"; color: #b00020; font-weight: bold; font-size: 11pt; }"""


def report_html(
    report: Report, *, for_print: bool = False, chart_width: int = 640, tight: bool = False
) -> str:
    """The whole report as an HTML5 document. ``for_print``: the document WeasyPrint lays out
    (A4 pages with the report's name and the page number in the margins, UTKAST at the top and
    bottom of every page of a draft); without it, a web page (no page rules). Charts are inline
    SVG, at most ``chart_width`` CSS pixels wide on screen. ``tight``: every wide table in the
    smallest type (``render`` asks for it when a table did not fit its page)."""
    css = CSS.replace("CHART_WIDTH", str(int(chart_width)))
    if for_print:
        css += _page_css(report)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(report.lang or "sv")}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(report.title)}</title>",
        *(
            f'<meta name="{name}" content="{html.escape(value)}">'
            for name, value in document_properties(report).items()
        ),
        f"<style>{css}</style>",
        "</head>",
        "<body>",
    ]
    parts = head + _front(report) + _body(report, tight) + ["</body>", "</html>"]
    return "\n".join(parts)


def document_properties(report: Report) -> dict[str, str]:
    """The PDF's document properties (``<meta>`` names WeasyPrint reads): the data version and
    the template belong here, not on the pages. ``Report.properties`` (data_version, template,
    template_hash, period, unit …) go into the keywords as "name value"; one named as a
    ``<meta>`` WeasyPrint reads (author, description …) sets that property."""
    facts = dict(report.properties)
    for name, value in (
        ("data_version", report.data_version),
        ("template", report.template),
        ("template_hash", report.template_hash),
    ):
        facts.setdefault(name, value)
    keywords = [f"{KEYWORD_LABELS.get(k, k)} {v}" for k, v in facts.items() if v and k not in META_NAMES]
    description = ", ".join(x for x in (report.board, report.period) if x)
    if report.data_version:
        description += ". " + _("Dataversion {v}.").format(v=report.data_version)
    props = {"description": description, "generator": "socdesk", "dcterms.created": report.made_on}
    props |= {k: v for k, v in facts.items() if k in META_NAMES}
    props["keywords"] = ", ".join(keywords)
    return {k: v for k, v in props.items() if v}


def _page_css(report: Report) -> str:
    draft = DRAFT_CSS % {"mark": _css_text(_("UTKAST"))} if report.draft else ""
    where = ", ".join(x for x in (report.board, report.period) if x)
    return PAGE_CSS % {
        "title": _css_string(report.title),
        "where": _css_string(where),
        "page": _css_text(_("Sida")),
        "of": _css_text(_("av")),
        "draft": draft,
    }


def _css_text(text: str) -> str:
    """Text inside a CSS string: backslash, quotes and line breaks escaped."""
    return "".join(c if c.isalnum() or c in " .,:;–-()/åäöÅÄÖ" else f"\\{ord(c):06x}" for c in text)


def _css_string(text: str) -> str:
    return f'"{_css_text(text)}"'


# --- the first page -----------------------------------------------------------------------------
def _front(report: Report) -> list[str]:
    parts = [_title_page(report.title_page)] if report.title_page else [_heading_facts(report)]
    if report.draft:
        parts.append(f'<p class="draft-notice">{html.escape(_("UTKAST – inte klar för nämnden:"))}</p>')
        parts.append(
            '<ul class="draft-reasons">'
            + "".join(f"<li>{html.escape(r)}</li>" for r in report.draft_reasons)
            + "</ul>"
        )
    return parts


def _heading_facts(report: Report) -> str:
    facts = [(_("Nämnd"), report.board), (_("Period"), report.period), (_("Utskriven"), report.made_on)]
    shown = "<br>".join(f"<b>{html.escape(k)}:</b> {html.escape(v)}" for k, v in facts if v)
    return f"<h1{_as_text(report.title)}>{html.escape(report.title)}</h1><p class='facts'>{shown}</p>"


def _title_page(page: TitlePage) -> str:
    parts = ['<section class="title-page">']
    logo = _logo(page.logo)
    if logo:
        parts.append(logo)
    parts.append(f'<p class="board"{_as_text(page.board)}>{html.escape(page.board)}</p>')
    parts.append(f"<h1{_as_text(page.title)}>{html.escape(page.title)}</h1>")
    parts.append(f'<p class="period">{html.escape(page.period)}</p>')
    facts = [(_("Diarienummer"), page.diarienummer), (_("Sammanträdesdatum"), page.meeting)]
    parts += [f'<p class="fact"><b>{html.escape(k)}:</b> {html.escape(v)}</p>' for k, v in facts if v]
    parts += [f'<p class="title-note">{html.escape(n)}</p>' for n in page.notes]
    parts.append("</section>")
    return "".join(parts)


def _logo(path: str) -> str:
    """The logo embedded in the document (the HTML file stands alone); a missing or unreadable
    file prints no logo rather than no report."""
    if not path:
        return ""
    file = Path(path)
    kind = mimetypes.guess_type(file.name)[0]
    if kind not in ("image/png", "image/jpeg", "image/svg+xml", "image/gif"):
        return ""
    try:
        data = base64.b64encode(file.read_bytes()).decode("ascii")
    except OSError:
        return ""
    return f'<img class="logo" src="data:{kind};base64,{data}" alt="{html.escape(_("Logotyp"))}">'


# --- the blocks ---------------------------------------------------------------------------------
def _body(report: Report, tight: bool) -> list[str]:
    parts: list[str] = []
    printed: set[str] = set()  # legends already printed: each once, under the first table needing it
    waiting: list[Heading] = []  # headings directly above the next table go with it
    for block in report.blocks:
        if isinstance(block, Heading):
            waiting.append(block)
            continue
        if isinstance(block, Table):
            parts.append(_table_section(block, waiting, printed, tight))
            waiting = []
            continue
        parts += [_heading(h) for h in waiting]
        waiting = []
        if isinstance(block, Paragraph):
            parts.append(_paragraph(block))
        elif isinstance(block, Chart):
            parts.append(_chart(block))
        elif isinstance(block, PageBreak):
            parts.append('<div class="page-break"></div>')
    parts += [_heading(h) for h in waiting]
    return parts


def _heading(h: Heading) -> str:
    """A template's chapter (level 1) is an ``h2``: the report's title is the document's one ``h1``."""
    level = min(max(h.level, 1), 5) + 1
    return f"<h{level}{_as_text(h.text)}>{html.escape(h.text)}</h{level}>"


def _paragraph(p: Paragraph) -> str:
    text = html.escape(p.text).replace("\n", "<br>")
    if p.italic:
        text = f"<i>{text}</i>"
    style = f' class="{html.escape(p.style)}"' if p.style else ""
    attr = _as_text(p.text)
    return f"<p{style}{attr}>{text}</p>"


def _chart(chart: Chart) -> str:
    """Inline SVG (vector in the PDF too) with a <title> – the figure's alternative text in the
    PDF's structure tree (WeasyPrint reads it), the SVG's own aria-label on a web page."""
    from socdesk.reports.charts import caption

    svg = chart.svg()
    alt = caption(chart) or _("Diagram")
    if "<title>" not in svg:
        end = svg.index(">") + 1
        svg = f"{svg[:end]}<title>{html.escape(alt)}</title>{svg[end:]}"
    number = (
        f"<figcaption>{html.escape(caption(chart).removesuffix(chart.title).strip())}</figcaption>"
        if chart.number
        else ""
    )
    return f'<figure class="chart">{svg}{number}</figure>'


def _as_text(text: str) -> str:
    """Text is escaped everywhere; a formula-like one (``core.cells.formula_like``) also gets Excel's
    text format, for a report opened in Excel (browsers and WeasyPrint ignore it)."""
    return EXCEL_TEXT if formula_like(text) else ""


def _table_section(t: Table, headings: list[Heading], printed: set[str], tight: bool) -> str:
    """The headings above a table, the table and its notes, kept together: a wide table on a
    landscape page with its headings."""
    inner = "".join(_heading(h) for h in headings) + _table_html(t, printed, tight)
    if len(t.columns) > LANDSCAPE_COLUMNS:
        return f'<section class="landscape">{inner}</section>'
    return f'<div class="keep">{inner}</div>'


def _table_html(t: Table, printed: set[str], tight: bool = False) -> str:
    classes = ["report-table"]
    kind = table_type(t, tight)
    if kind:
        classes.append(kind)
    if len(t.rows) <= KEEP_WHOLE_ROWS:
        classes.append("whole")
    caption = " ".join(x for x in (_("Tabell {n}").format(n=t.number) if t.number else "", t.title) if x)
    out = [f'<table class="{" ".join(classes)}"' + (f' id="{html.escape(t.key)}"' if t.key else "") + ">"]
    if caption:
        out.append(f"<caption{_as_text(t.title)}>{html.escape(caption)}</caption>")
    out.append("<thead>")
    if t.column_groups:
        out.append(
            "<tr>"
            + "".join(
                '<th scope="colgroup"'
                + (f' colspan="{span}"' if span > 1 else "")
                + f">{html.escape(text)}</th>"
                for text, span in t.column_groups
            )
            + "</tr>"
        )
    out.append("<tr>" + "".join(_header_cell(t, c) for c in range(len(t.columns))) + "</tr>")
    out.append("</thead><tbody>")
    numbers: dict[str, int] = {}  # footnote text → its number in this table
    for r in range(len(t.rows)):
        refs = list(dict.fromkeys(numbers.setdefault(n, len(numbers) + 1) for n in t.notes.get(r, [])))
        cells = [_cell(t, r, c, refs if c == 0 else []) for c in range(len(t.columns))]
        kind = [k for k, on in (("bold", r in t.bold or r in t.totals), ("total", r in t.totals)) if on]
        cls = f' class="{" ".join(kind)}"' if kind else ""
        out.append(f"<tr{cls}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    notes = [f"<p>{note_mark(n)} {html.escape(text)}</p>" for text, n in numbers.items()]
    legends = [t.legend] if t.legend else []
    if t.computed:
        legends.append(COMPUTED_NOTE)
    for legend in legends:
        if legend not in printed:
            printed.add(legend)
            notes.append(f'<p class="legend">{html.escape(legend)}</p>')
    if notes:
        out.append(f'<div class="notes">{"".join(notes)}</div>')
    return "".join(out)


def table_type(t: Table, tight: bool = False) -> str:
    """The table's type (a CSS class of ``TYPES``): the largest, from the one its column count
    asks for, in which its narrowest possible layout (``min_width``) fits the page's text width,
    so that WeasyPrint lays the report out once. ``tight``: a wide table in the smallest."""
    wide = len(t.columns) > LANDSCAPE_COLUMNS
    if len(t.columns) >= TINY_TYPE_COLUMNS or (tight and wide):
        return "tiny"
    first = 2 if len(t.columns) >= SMALL_TYPE_COLUMNS else 0
    room = PAGE_MM[wide] / 25.4 * 72  # pt
    for kind, size, pad in TYPES[first:-1]:
        if min_width(t, size, pad) <= room:
            return kind
    return TYPES[-1][0]


def min_width(t: Table, size: float, pad: float) -> float:
    """The table's narrowest layout in pt at font size ``size`` and cell padding ``pad`` (pt):
    each column as wide as its widest unbreakable piece – a header word (bold), a figure (never
    broken), a word of a text cell (bold in a bold or total row) – measured with DejaVu Sans's
    advance widths (``chart_style.text_width``, the font the CSS names first; Arial, the
    fallback, is narrower)."""
    from socdesk.core.chart_style import text_width

    strong = t.bold | set(t.totals)
    total = BORDER_PT
    for c, col in enumerate(t.columns):
        scale = t.scales.get(c, "")
        pieces = [(w, True) for w in _breakable(f"{col.title} {scale}")]
        for r in range(len(t.rows)):
            text = t.text(r, c)
            bold = r in strong
            pieces += [(text, bold)] if col.kind != "text" else [(w, bold) for w in _breakable(text)]
        widest = max((text_width(w, size, bold) for w, bold in pieces), default=0.0)
        total += widest + 2 * pad + BORDER_PT
    return total


def _breakable(text: str) -> list[str]:
    """The pieces a line may break between: at spaces, and after a hyphen or dash
    ("Enskede-|Årsta-|Vantör")."""
    return re.sub(r"([-–])(?=\w)", r"\1 ", text).split()


def _header_cell(t: Table, c: int) -> str:
    col = t.columns[c]
    title = html.escape(col.title)
    scale = t.scales.get(c, "")
    if scale and scale not in col.title and f"({scale})" not in t.title:  # said once is enough
        title += f"<br>{html.escape(scale)}"
    cls = "" if col.kind == "text" else ' class="num"'
    return f'<th scope="col"{cls}{_as_text(col.title)}>{title}</th>'


def note_mark(n: int) -> str:
    """A footnote's mark at its row and before its text: ¹, ², … ¹⁰."""
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _cell(t: Table, r: int, c: int, refs: list[int]) -> str:
    col = t.columns[c]
    raw = t.text(r, c)
    classes = [] if col.kind == "text" else ["num"]
    if (r, c) in t.computed:
        classes.append("computed")
    cls = f' class="{" ".join(classes)}"' if classes else ""
    mark = "".join(f'<span class="note-ref">\u00a0{note_mark(n)}</span>' for n in refs)
    return f"<td{cls}{_as_text(raw)}>{html.escape(raw)}{mark}</td>"
