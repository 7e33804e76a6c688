"""Writing Excel workbooks: numbers as numbers with Swedish-looking formats, a title row naming
unit, period and scale, a frozen header and column widths that fit. No cell is ever written so
that a spreadsheet would run it as a formula (``socdesk.io.cells``: text starting with ``=``,
``+``, ``-``, ``@``, tab or CR is a text cell with a quote prefix). Workbooks are written whole
or not at all (``socdesk.files``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from socdesk.core.cells import Column
from socdesk.core.i18n import _
from socdesk.core.numbers import parse_number, round_half_up
from socdesk.files import atomic_open
from socdesk.io.cells import formula_like
from socdesk.store.db import Store

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
    for name, title, columns, rows in sheets:
        ws = book.create_sheet(_sheet_name(name))
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


def _sheet_name(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\")
    return cleaned[:31].strip("'") or _("Blad")  # Excel refuses a name that begins or ends with '


def export_long_xlsx(store: Store, path: str | Path, rows: list[list[str]] | None = None, **kwargs) -> None:
    """The long layout in a workbook: the same rows as the long CSV export (``rows`` from
    ``longcsv.export_rows``, else made here), values as numbers showing the decimals they were
    stated with (so the resolution survives a round trip), text exactly as stored."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from socdesk.io.longcsv import export_rows

    if rows is None:
        rows = export_rows(store, **kwargs)
    book = Workbook()
    ws = book.active
    ws.title = _("Uppgifter")
    value_col = rows[0].index("värde")
    for r, row in enumerate(rows, start=1):
        for c, text_cell in enumerate(row, start=1):
            cell = ws.cell(r, c)
            if r > 1 and c - 1 == value_col and text_cell and text_cell not in ("*", ".", "-"):
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
