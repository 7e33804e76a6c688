"""Writing Excel workbooks: numbers as numbers with Swedish-looking formats, a title row naming
unit, period and scale, a frozen header and column widths that fit. No cell is ever written so
that a spreadsheet would run it as a formula (``socdesk.io.cells``: text starting with ``=``,
``+``, ``-``, ``@``, tab or CR is a text cell with a quote prefix). Workbooks are written whole
or not at all (``socdesk.files``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from socdesk.core.cells import Column
from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.numbers import parse_number, round_half_up
from socdesk.files import atomic_open
from socdesk.io.cells import formula_like
from socdesk.store.db import Store

if TYPE_CHECKING:
    from socdesk.reports.document import Report, Table

MAX_EXACT_DIGITS = 15  # what a spreadsheet's binary floating point keeps exactly


NUMBER_FORMATS = {
    "money": "#,##0;-#,##0",
    "money1": "#,##0.0;-#,##0.0",
    "pct": "0.0%",
    "pct0": "0%",
    "number": "General",
}
# A percentage column holds per cent (−5,65… for −5,65 %) and is written as a real percentage
# cell: the fraction, rounded half up to the decimals shown (−0,057 shown as −5,7 %).
PERCENT_DECIMALS = {"pct": 1, "pct0": 0}


def safe_text(cell, text: str) -> None:
    """Text stays text: a formula-like text (``cells.formula_like``) is never read as one."""
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
        cell.quotePrefix = True


def _number(cell, value: Decimal, decimals: int | None = None) -> None:
    digits = len(value.normalize().as_tuple().digits)
    if digits > MAX_EXACT_DIGITS:
        safe_text(cell, f"{value:f}".replace(".", ","))  # kept exact, as text
        return
    cell.value = value
    if decimals is not None and decimals > 0:
        cell.number_format = "0." + "0" * decimals  # how many decimals were stated


def write_table(
    path: str | Path,
    sheets: Sequence[tuple[str, str, list[Column], list[list[object]]]],
) -> None:
    """``sheets``: (sheet name, title row, columns, rows); cells are Decimal/int for numbers,
    str for text, None for empty."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, title, columns, rows in sheets:
        ws = book.create_sheet(sheet_name(name, taken))
        safe_text(ws.cell(1, 1), title)
        ws.cell(1, 1).font = Font(bold=True, size=13)
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(3, c)
            safe_text(cell, col.title)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="left" if col.kind == "text" else "right", wrap_text=True)
        for r, row in enumerate(rows, start=4):
            for c, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
                cell = ws.cell(r, c)
                if value is None:
                    continue
                if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
                    if col.kind in PERCENT_DECIMALS:
                        value = round_half_up(Decimal(value), PERCENT_DECIMALS[col.kind]) / 100
                    _number(cell, Decimal(value))
                    if cell.data_type == "n":
                        cell.number_format = NUMBER_FORMATS.get(col.kind, "General")
                else:
                    safe_text(cell, str(value))
        ws.freeze_panes = "B4"
        for c, col in enumerate(columns, start=1):
            texts = [col.title] + [_shown(row[c - 1], col.kind) for row in rows]
            width = col.width or min(60, max(8, max(len(t) for t in texts) + 2))
            ws.column_dimensions[get_column_letter(c)].width = width
    with atomic_open(path) as f:
        book.save(f)


def _shown(value: object, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int) and kind in ("money", "money1"):
        return f"{value:,.0f}" + (" " if value < 0 else "")
    return str(value)


# --- a report as a workbook (reports/output.py's .xlsx) ------------------------------------------
SHEET_NAME_MAX = 31  # Excel's limit
SHEET_FORBIDDEN = "[]:*?/\\"
REPORT_SHEET = "Rapport"  # translated where written
REMAINING_SHEET = "Kvar att göra"
PRINT_WIDE = 110  # characters of column width: wider tables are printed landscape
PERCENT_SCALES = ("%", "procent")


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet name Excel takes: the forbidden characters ``[]:*?/\\`` replaced (``9:1`` →
    ``9.1``), at most 31 characters (cut at a word, ``…`` marking the cut), no leading or
    trailing space or apostrophe, and unique in ``taken`` (compared as Excel does, without
    regard to case: `` (2)``, `` (3)`` … added). The name is added to ``taken``."""
    cleaned = " ".join(
        "".join("." if ch == ":" else " " if ch in SHEET_FORBIDDEN else ch for ch in text).split()
    ).strip(" '")
    cleaned = cleaned or _("Blad")

    def shorten(name: str, room: int) -> str:
        if len(name) <= room:
            return name
        bare = " ".join(re.sub(r"\([^()]*\)", " ", name).split())  # "(mnkr)" goes first
        if bare and len(bare) <= room:
            return bare
        name = bare or name
        cut = name[: room - 1]
        if " " in cut[room // 2 :]:
            cut = cut[: cut.rindex(" ")]
        return cut.rstrip(" '.,–-") + "…"

    name = shorten(cleaned, SHEET_NAME_MAX)
    n = 1
    while name.casefold() in {t.casefold() for t in taken}:
        n += 1
        suffix = f" ({n})"
        name = shorten(cleaned, SHEET_NAME_MAX - len(suffix)) + suffix
    taken.add(name)
    return name


def table_heading(table: Table) -> str:
    """A table's title as printed: ``Tabell 9:1 <title>`` when it has a number."""
    title = table.title or table.key
    return f"{_('Tabell')} {table.number} {title}".strip() if table.number else title


def number_format(decimals: int, percent: bool = False) -> str:
    """``#,##0``, ``#,##0.0`` … (Excel shows its own thousands separator: a space in Swedish);
    ``0%``, ``0.0%`` for a percentage."""
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return f"0{fraction}%" if percent else f"#,##0{fraction}"


def _shown_decimals(table: Table, r: int, c: int, value: Decimal) -> tuple[int, bool]:
    """(decimals, is a percentage) of a cell as the report prints it (``Table.text``)."""
    kind = table.columns[c].kind
    percent = kind in PERCENT_DECIMALS or table.scales.get(c, "").strip().lower() in PERCENT_SCALES
    if (r, c) in table.cell_decimals:
        return table.cell_decimals[(r, c)], percent
    if kind in PERCENT_DECIMALS:
        return PERCENT_DECIMALS[kind], True
    if kind == "money":
        return 0, percent
    if kind == "money1":
        return 1, percent
    if kind == "auto":
        exponent = value.normalize().as_tuple().exponent
        return (min(2, max(0, -exponent)) if isinstance(exponent, int) else 0), percent
    return table.decimals.get(c, 0), percent


def write_report_xlsx(report: Report, path: str | Path) -> None:
    """The whole report as a workbook a controller can keep working in: a first sheet
    «Rapport» with the title page facts and the report's headings, texts and charts' figures in
    order; one sheet per table (name from its number and title, the title in A1, the column
    groups merged above the header, numbers as printed with their formats, totals bold,
    footnotes under it, A4 print set-up with the header rows repeated); and, for a draft, the
    remaining work on the sheet «Kvar att göra»."""
    from openpyxl import Workbook

    tables = report.tables()
    if not tables:
        raise SocdeskError(_("Rapporten har inga tabeller att skriva till Excel."))
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    front = book.create_sheet(sheet_name(_(REPORT_SHEET), taken))
    remaining = book.create_sheet(sheet_name(_(REMAINING_SHEET), taken)) if report.draft else None
    names = {}
    for table in tables:
        title = (table.title or table.key).replace(":", ",")  # "9:1" is "9.1", a colon in a title a comma
        names[id(table)] = sheet_name(f"{table.number} {title}" if table.number else title, taken)
    _front_sheet(front, report, names)
    for table in tables:
        _table_sheet(book.create_sheet(names[id(table)]), table, report)
    if remaining is not None:
        _remaining_sheet(remaining, report)
    with atomic_open(path) as f:
        book.save(f)


def _print_setup(ws, report: Report, *, landscape: bool, title_rows: str | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.left.text = report.title.replace("&", "&&")
    ws.oddHeader.right.text = f"{report.board}, {report.period}".replace("&", "&&")
    ws.oddFooter.left.text = _("UTKAST") if report.draft else ""
    ws.oddFooter.right.text = _("Sida &P av &N")


def _front_sheet(ws, report: Report, names: dict[int, str]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    from socdesk.reports.document import Chart, Heading, Paragraph, Table

    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1

    def put(text: str, *, bold: bool = False, size: float | None = None, italic: bool = False, col: int = 1):
        cell = ws.cell(row, col)
        safe_text(cell, text)
        cell.font = Font(bold=bold, italic=italic, size=size)
        cell.alignment = wrap
        return cell

    page = report.title_page
    put(page.title if page else report.title, bold=True, size=14)
    row += 2
    facts = [
        (_("Nämnd"), page.board if page else report.board),
        (_("Period"), page.period if page else report.period),
    ]
    if page:
        facts += [(_("Diarienummer"), page.diarienummer), (_("Sammanträdesdatum"), page.meeting)]
    facts += [(_("Utskriven"), report.made_on), (_("Dataversion"), report.data_version)]
    if report.template:
        facts.append((_("Rapportmall"), report.template))
    facts += list(report.properties.items())
    for key, value in dict(facts).items():
        if value:
            put(key, bold=True)
            put(str(value), col=2)
            row += 1
    for note in page.notes if page else []:
        put(note, italic=True, col=2)
        row += 1
    if report.draft:
        put(
            _("UTKAST – inte klar för nämnden: se bladet «{s}».").format(s=_(REMAINING_SHEET)),
            bold=True,
            col=2,
        )
        ws.cell(row, 2).font = Font(bold=True, color="B00020")
        row += 1
    row += 1
    for block in report.blocks:  # column A says what each row is, column B holds it
        if isinstance(block, Heading):
            row += 1
            put(_("Rubrik"), italic=True)
            put(block.text, bold=True, size={1: 13, 2: 12}.get(block.level, 11), col=2)
        elif isinstance(block, Paragraph):
            put(_("Analys") if block.style == "analysis" else _("Text"), italic=True)
            put(block.text, italic=block.italic, col=2)
            lines = sum(len(p) // 100 + 1 for p in block.text.split("\n"))
            ws.row_dimensions[row].height = 15 * max(1, lines)
        elif isinstance(block, Table):
            put(_("Tabell"), italic=True)
            cell = put(table_heading(block), col=2)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{names[id(block)]}'!A1")
            cell.font = Font(underline="single", color="1F4E79")
            put(_("bladet «{s}»").format(s=names[id(block)]), italic=True, col=3)
        elif isinstance(block, Chart):
            from socdesk.reports.charts import caption

            put(_("Diagram"), italic=True)
            put(caption(block) + (f" ({block.unit})" if block.unit else ""), bold=True, col=2)
            row += 1
            for c, category in enumerate(block.categories, start=3):
                put(category, bold=True, col=c).alignment = Alignment(horizontal="right")
            for name, values in block.series:
                row += 1
                put(name, col=2)
                for c, v in enumerate(values[: len(block.categories)], start=3):
                    if v is not None:
                        cell = ws.cell(row, c)
                        _number(cell, Decimal(v))
                        if cell.data_type == "n":
                            cell.number_format = number_format(_chart_decimals(block))
        else:
            continue
        row += 1
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    _print_setup(ws, report, landscape=False)


def _chart_decimals(chart) -> int:
    from socdesk.core.chart_style import value_decimals

    return value_decimals([v for _n, vs in chart.series for v in vs if v is not None])


def _remaining_sheet(ws, report: Report) -> None:
    from openpyxl.styles import Alignment, Font

    safe_text(ws.cell(1, 1), _("Kvar att göra innan rapporten är klar för nämnden"))
    ws.cell(1, 1).font = Font(bold=True, size=13)
    safe_text(ws.cell(2, 1), f"{report.title} – {report.board}, {report.period}")
    ws.cell(2, 1).font = Font(italic=True)
    for i, reason in enumerate(report.draft_reasons, start=1):
        ws.cell(3 + i, 1).value = i
        safe_text(ws.cell(3 + i, 2), reason)
        ws.cell(3 + i, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 110
    _print_setup(ws, report, landscape=False)


def _table_sheet(ws, table: Table, report: Report) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from socdesk.reports.document import LANDSCAPE_COLUMNS

    columns = table.columns
    safe_text(ws.cell(1, 1), table_heading(table))
    ws.cell(1, 1).font = Font(bold=True, size=13)
    subtitle = f"{report.title} – {report.board}, {report.period}" + (_(" – UTKAST") if report.draft else "")
    safe_text(ws.cell(2, 1), subtitle)
    ws.cell(2, 1).font = Font(italic=True, color="444444")
    line = Side(style="thin", color="9AA5B1")
    header = 3
    if table.column_groups:
        c = 1
        for text, span in table.column_groups:
            if text:
                cell = ws.cell(header, c)
                safe_text(cell, text)
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", wrap_text=True)
                cell.border = Border(bottom=line)
                if span > 1:
                    ws.merge_cells(start_row=header, end_row=header, start_column=c, end_column=c + span - 1)
            c += max(1, span)
        header += 1
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(header, c)
        safe_text(cell, col.title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="left" if col.kind == "text" else "right", wrap_text=True)
        cell.border = Border(bottom=line)
    first = header + 1
    widths = [len(col.title) for col in columns]
    for r, row in enumerate(table.rows):
        strong = r in table.bold or r in table.totals
        for c, value in enumerate(row):
            cell = ws.cell(first + r, c + 1)
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                decimals, percent = _shown_decimals(table, r, c, Decimal(value))
                shown = round_half_up(Decimal(value), decimals)  # the figure as printed
                _number(cell, shown / 100 if percent else shown)
                if cell.data_type == "n":
                    cell.number_format = number_format(decimals, percent)
            elif value is not None:
                safe_text(cell, str(value))
                if columns[c].kind != "text":
                    cell.alignment = Alignment(horizontal="right")
            widths[c] = max(widths[c], len(table.text(r, c)) + (1 if strong else 0))
            italic = (r, c) in table.computed
            if strong or italic:
                cell.font = Font(bold=strong, italic=italic)
            if r in table.totals:
                cell.border = Border(top=line)
        if table.notes.get(r):
            ws.cell(first + r, 1).comment = Comment("\n".join(table.notes[r]), "socdesk")
    below = first + len(table.rows) + 1
    lines = [table.legend] if table.legend else []
    for r in sorted(table.notes):
        label = table.rows[r][0] if table.rows[r] else ""
        lines += [f"{label}: {note}" if label else note for note in table.notes[r]]
    for k, text in enumerate(lines):
        cell = ws.cell(below + k, 1)
        safe_text(cell, text)
        cell.font = Font(size=9, italic=True)
    ws.freeze_panes = ws.cell(first, 2).coordinate
    for c, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = col.width or min(60, max(8, widths[c - 1] + 2))
    total_width = sum(min(60, max(8, w + 2)) for w in widths)
    wide = len(columns) > LANDSCAPE_COLUMNS or total_width > PRINT_WIDE
    _print_setup(ws, report, landscape=wide, title_rows=f"{3}:{header}")


def scaled_columns(rows: list[list[str]]) -> list[list[str]]:
    """The long rows with ``värde`` and ``skala`` split into ``värde`` (figures that are not
    amounts, and statuses) and one column per scale, ``värde (kr)``, ``värde (tkr)`` and
    ``värde (mnkr)``: a column of a workbook never mixes kr, tkr and mnkr (the long import
    reads the scale from the header)."""
    from socdesk.io.longcsv import SCALED_VALUE_COLUMNS

    value, scale = rows[0].index("värde"), rows[0].index("skala")
    by_label = {s.label: i for i, s in enumerate(SCALED_VALUE_COLUMNS.values())}
    out = []
    for r, row in enumerate(rows):
        rest = [cell for c, cell in enumerate(row) if c not in (value, scale)]
        if r == 0:
            cells = ["värde", *SCALED_VALUE_COLUMNS]
        else:
            cells = [""] * (1 + len(by_label))
            if row[value]:
                cells[1 + by_label[row[scale]] if row[scale] else 0] = row[value]
        out.append(rest[:value] + cells + rest[value:])
    return out


def export_long_xlsx(store: Store, path: str | Path, rows: list[list[str]] | None = None, **kwargs) -> None:
    """The long layout in a workbook: the same rows as the long CSV export (``rows`` from
    ``longcsv.export_rows``, else made here), values as numbers showing the decimals they were
    stated with (so the resolution survives a round trip), text exactly as stored."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from socdesk.io.longcsv import export_rows

    if rows is None:
        rows = export_rows(store, **kwargs)
    rows = scaled_columns(rows)
    book = Workbook()
    ws = book.active
    ws.title = _("Uppgifter")
    value_cols = {i for i, title in enumerate(rows[0]) if title.startswith("värde")}
    for r, row in enumerate(rows, start=1):
        for c, text_cell in enumerate(row, start=1):
            cell = ws.cell(r, c)
            if r > 1 and c - 1 in value_cols and text_cell and text_cell not in ("*", ".", "-"):
                number = parse_number(text_cell)  # the export's own text, read by the one grammar
                decimals = len(text_cell.split(",")[1]) if "," in text_cell else 0
                _number(cell, number, decimals)
            elif text_cell:
                safe_text(cell, text_cell)
        if r == 1:
            for c in range(1, len(row) + 1):
                ws.cell(1, c).font = Font(bold=True)
    ws.freeze_panes = "A2"
    for c, title in enumerate(rows[0], start=1):
        width = (
            max(len(title), *(len(row[c - 1]) for row in rows[1:] if c - 1 < len(row)))
            if len(rows) > 1
            else len(title)
        )
        ws.column_dimensions[ws.cell(1, c).column_letter].width = min(50, width + 2)
    with atomic_open(path) as f:
        book.save(f)
