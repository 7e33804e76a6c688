"""Tabular files as sheets of cells: CSV (any of our encodings and separators) and workbooks
(.xlsx/.xlsm, .ods, .xls; every sheet). Cells are text, or ``Decimal`` where the workbook holds a
number; every cell knows its file, sheet, row and column for the error messages.

A workbook is a zip of XML (or, for .xls, an OLE2 file) from anyone: before any reader sees it, a
zip's members are checked (total uncompressed size, compression ratio, no DTD or entity
declarations, no empty sheet XML) and an .xls file's size is bounded; openpyxl parses through
defusedxml; while reading, rows, cells and text length are capped (Excel's own limits), and a
sheet's stated dimensions are never trusted. XLSX is read by openpyxl (values as Excel shows
them, by their number format; a formula as its saved value) with ``socdesk.io.workbook`` for
hidden rows and columns, merged ranges and formulas; .ods and .xls by python-calamine.

``shown_sheets`` is the one step that leaves out hidden sheets, rows and columns (unless chosen)
and says so, and says which cells were formulas."""

from __future__ import annotations

import dataclasses
import io
import math
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from xml.parsers import expat

from socdesk.core.errors import SocdeskError, clip
from socdesk.core.i18n import _
from socdesk.core.numbers import format_number, round_half_up
from socdesk.core.values import from_binary
from socdesk.io.numfmt import shown
from socdesk.io.text import (
    MAX_COUNTED,
    FileFormatError,
    column_letter,
    decode,
    duplicate_column,
    duplicate_message,
    error_list,
    location,
    read_rows,
)

MAX_UNCOMPRESSED = 256 * 1024 * 1024  # bytes, all members of a workbook together
MAX_RATIO = 200  # uncompressed ÷ compressed for a member over 1 MiB (real sheets: 5–50)
MAX_MEMBERS = 10_000
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELLS = 10_000_000  # cells read over all sheets (a ledger of two million rows)
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell
ROUNDED_KEPT = 200  # rounded cells remembered by place for the summary (the rest counted)
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    OSError,
    EOFError,
    ValueError,  # also defusedxml's refusals (DTDForbidden, EntitiesForbidden …)
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,  # xml.etree.ElementTree.ParseError
)

Cell = str | Decimal


class SheetError(SocdeskError):
    """A file that cannot be read as a table; ``errors`` names file, row and column."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(error_list(errors))


@dataclass
class Sheet:
    file_name: str
    name: str  # the workbook sheet ('' for CSV)
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number in the file, cells)
    # What a workbook says about its cells beyond their values (issue 14; CSV leaves the defaults).
    # Rows are file row numbers (1-based), columns 0-based indexes, as in ``where``.
    header_row: int = 1  # the file row the header was read from
    merged: tuple[
        tuple[int, int, int, int], ...
    ] = ()  # (first row, first col, last row, last col), inclusive
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    formulas: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # (row, col) → formula; the cell holds its cached value
    state: str = "visible"  # the sheet itself: "visible", "hidden" or "veryHidden"
    # number cells whose format shows fewer decimals than they hold: (row, col) → (held, read as shown)
    rounded: dict[tuple[int, int], tuple[Decimal, Decimal]] = field(
        default_factory=dict
    )  # the first ROUNDED_KEPT
    rounded_more: int = 0  # and how many more
    # The file column of each position once hidden columns are left out (``visible``); empty:
    # position and file column are the same. Messages name the file's column letters.
    columns: tuple[int, ...] = ()
    # The texts of the rows above the header, when the header was read from a lower row (title
    # rows such as "Utfall per ansvar, tkr"): what the file says about its figures.
    titles: tuple[str, ...] = ()

    def file_column(self, index: int) -> int:
        return self.columns[index] if 0 <= index < len(self.columns) else index

    def where(self, row: int, column: str | int | None = None) -> str:
        """``location`` of a row, or of a cell: ``column`` is its header or its index."""
        if column is None:
            return location(self.file_name, row, self.name)
        if isinstance(column, int):
            index = column
            name = self.header[index] if index < len(self.header) else ""
        else:
            name = column
            wanted = column.strip().lower()
            index = next((i for i, h in enumerate(self.header) if h.strip().lower() == wanted), -1)
        letter = column_letter(self.file_column(index)) if index >= 0 and (self.name or not name) else ""
        return location(self.file_name, row, self.name, name, letter)


def workbook_kind(data: bytes, file_name: str) -> str:
    """ "xlsx", "ods" or "xls" for a workbook (by its first bytes, else its name); "" for text."""
    name = file_name.lower()
    if data[:8] == _OLE or (name.endswith(".xls") and data[:4] != b"PK\x03\x04"):
        return "xls"
    if data[:4] == b"PK\x03\x04":
        if data[30:38] == b"mimetype" and b"opendocument.spreadsheet" in data[38:120]:
            return "ods"
        return "ods" if name.endswith(".ods") else "xlsx"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "ods" if name.endswith(".ods") else ""


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_sheets(data: bytes, file_name: str) -> list[Sheet]:
    """Every non-empty sheet of a workbook (.xlsx/.xlsm, .ods, .xls), or the one table of a CSV
    file. Hidden sheets, rows and columns are read and marked (``shown_sheets`` leaves them out)."""
    kind = workbook_kind(data, file_name)
    if kind == "xlsx":
        return _read_xlsx(data, file_name)
    if kind:
        from socdesk.io.workbook import read_calamine

        return read_calamine(data, file_name, kind)
    try:
        text = decode(data, file_name)
    except FileFormatError as err:
        raise SheetError([str(err)]) from err
    try:
        header, rows = read_rows(text, file_name)
    except FileFormatError as err:
        raise SheetError([str(err)]) from err
    if not header:
        raise SheetError([_("{f}: filen är tom.").format(f=file_name)])
    return [Sheet(file_name, "", header, [(line, list(cells)) for line, cells in rows])]


def _check_archive(data: bytes, file_name: str) -> None:
    """Refuse a zip bomb, a DTD or an empty sheet before openpyxl reads anything."""

    def refuse(reason: str) -> SheetError:
        return SheetError([_("{f}: arbetsboken läses inte: {r}").format(f=file_name, r=reason)])

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS:
                raise refuse(_("den har {n} delar (en Excel-fil har några tiotal).").format(n=len(members)))
            total = sum(m.file_size for m in members)
            if total > MAX_UNCOMPRESSED:
                raise refuse(
                    _("uppackad blir den {s} MB (högst {m} MB); är det en zip-bomb?").format(
                        s=total // 2**20, m=MAX_UNCOMPRESSED // 2**20
                    )
                )
            for m in members:
                if m.file_size > 2**20 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise refuse(
                        _(
                            "delen {p} packas upp {r} gånger större än den är packad; är det en zip-bomb?"
                        ).format(p=clip(m.filename), r=m.file_size // max(m.compress_size, 1))
                    )
                if (
                    m.filename.startswith("xl/worksheets/")
                    and m.filename.endswith(".xml")
                    and not m.file_size
                ):
                    raise refuse(
                        _("bladet {p} är tomt (0 byte); filen är trasig.").format(p=clip(m.filename))
                    )
                if m.filename.endswith((".xml", ".rels", ".vml")):
                    with z.open(m) as f:
                        head = f.read(65536).replace(b"\x00", b"")
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise refuse(
                            _(
                                "delen {p} innehåller en DTD eller egna entiteter (<!DOCTYPE/<!ENTITY), "
                                "som Excel aldrig skriver; filen kan vara skadlig."
                            ).format(p=clip(m.filename))
                        )
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,  # a damaged offset (negative seek), a member name flagged UTF-8 that is not
    ) as err:
        raise SheetError([_unreadable(file_name, err)]) from err


def _unreadable(file_name: str, err: BaseException) -> str:
    from defusedxml import DefusedXmlException

    from socdesk.io.workbook import ForbiddenXml

    cause = err
    while cause.__cause__ is not None:  # openpyxl wraps what the XML parser said
        cause = cause.__cause__
    if isinstance(cause, DefusedXmlException | ForbiddenXml):
        return _(
            "{f}: arbetsboken läses inte: dess XML har en DTD eller egna entiteter, som Excel "
            "aldrig skriver; filen kan vara skadlig ({e})."
        ).format(f=file_name, e=type(cause).__name__)
    return _(
        "{f}: filen är ingen läsbar Excel-arbetsbok (xlsx); den kan vara trasig eller "
        "avkortad ({e}). Öppna och spara den i Excel igen, eller spara som CSV."
    ).format(f=file_name, e=type(cause).__name__)


def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    import openpyxl  # imported on first use: it is slow to import

    _check_archive(data, file_name)
    try:
        # data_only: a formula cell gives the value the program that saved the file calculated
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _BROKEN as err:
        raise SheetError([_unreadable(file_name, err)]) from err
    sheets: list[Sheet] = []
    errors: list[str] = []
    budget = [MAX_CELLS]  # cells left to read, over all sheets
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for ws in book.worksheets:
                sheet = _read_worksheet(data, file_name, ws, errors, budget)
                _mark(sheet, z, ws, errors)
                if sheet.header:
                    sheets.append(sheet)
    finally:
        book.close()
    if errors:
        raise SheetError(errors)
    if not sheets:
        raise SheetError([_("{f}: arbetsboken har inga blad med innehåll.").format(f=file_name)])
    return sheets


def _mark(sheet: Sheet, z: zipfile.ZipFile, ws, errors: list[str]) -> None:
    """What openpyxl's read-only mode does not say: the sheet's state, hidden rows and columns,
    merged ranges and formulas (``workbook.xlsx_marks``); a formula without a saved value is
    refused by its cell."""
    from socdesk.io.workbook import xlsx_marks

    sheet.state = getattr(ws, "sheet_state", "visible") or "visible"
    path = getattr(ws, "_worksheet_path", None)
    try:
        marks = xlsx_marks(z.read(path)) if path else None
    except (*_BROKEN, expat.ExpatError) as err:
        raise SheetError([_unreadable(sheet.file_name, err)]) from err
    if marks is None:
        return
    sheet.hidden_rows = frozenset(marks.hidden_rows)
    sheet.hidden_columns = frozenset(marks.hidden_columns)
    sheet.merged = tuple(marks.merged)
    sheet.formulas = marks.formulas
    for row, col in sorted(marks.uncached)[: max(MAX_COUNTED - len(errors), 0)]:
        errors.append(
            _(
                "{w}: cellen innehåller en formel ({v}) utan sparat värde: filen sparades av ett "
                "program som inte räknar ut formler. Öppna den i Excel eller LibreOffice och spara "
                "den, så sparas värdena, och läs in den igen."
            ).format(w=sheet.where(row, col), v=clip(marks.formulas[(row, col)]))
        )


def _read_worksheet(data: bytes, file_name: str, ws, errors: list[str], budget: list[int]) -> Sheet:
    """One sheet's header and rows; a problem with a cell goes to ``errors`` (as many as 20),
    one that stops reading raises."""
    from openpyxl.cell.read_only import EMPTY_CELL

    sheet = Sheet(file_name, ws.title, [], [])

    def where(row: int, col: int | None = None) -> str:
        return sheet.where(row, col)

    ws.reset_dimensions()  # a stated dimension (A1:XFD1048576) is never trusted
    r = 0
    try:
        for r, row in enumerate(ws.iter_rows(), start=1):
            budget[0] -= len(row) + 1
            if r > MAX_ROWS or budget[0] < 0:
                limit = (
                    _("bladet har fler rader än Excel tillåter ({n})").format(n=MAX_ROWS)
                    if r > MAX_ROWS
                    else _("arbetsboken har fler än {n} celler").format(n=f"{MAX_CELLS:,}".replace(",", " "))
                )
                raise SheetError(
                    [_("{w}: {l}; dela upp den eller spara som CSV.").format(w=where(r), l=limit)]
                )
            present = [(c, x) for c, x in enumerate(row) if x is not EMPTY_CELL and x.value is not None]
            cells: list[Cell] = [""] * (present[-1][0] + 1 if present else 0)
            for c, cell in present:
                problem = _cell_problem(cell.value, getattr(cell, "data_type", "f"))
                if problem:
                    errors.append(f"{where(r, c)}: {problem}")
                else:
                    cells[c] = _cell(cell.value, getattr(cell, "number_format", None))
                    _note_rounding(sheet, r, c, cell.value, cells[c])
            if len(errors) >= MAX_COUNTED:
                break
            if not sheet.header:
                if any(str(c).strip() for c in cells):
                    sheet.header = [str(c).strip() for c in cells]
                    sheet.header_row = r
                    twice = duplicate_column(sheet.header)
                    if twice:
                        raise SheetError([f"{where(r)}: {duplicate_message(twice)}"])
            elif any(str(c).strip() for c in cells):
                sheet.rows.append((r, cells))
    except _BROKEN as err:
        raise SheetError([_bad_cell(data, ws, r, where, err)]) from err
    return sheet


def _cell_problem(v: object, data_type: str = "f") -> str:
    """Why a cell cannot be read; a text cell (``data_type`` s) that starts with = is text, not a formula."""
    if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
        return _("cellen har {n} tecken (Excel tillåter {m}).").format(n=len(v), m=MAX_CELL_CHARS)
    if isinstance(v, float) and not math.isfinite(v):
        return _("cellen är inget ändligt tal ({v}).").format(v=v)
    if isinstance(v, str) and v.startswith("=") and data_type == "f":
        return _(
            "cellen innehåller en formel ({v}); socdesk läser bara värden. "
            "Kopiera och klistra in som värden i Excel."
        ).format(v=clip(v))
    return ""


def _bad_cell(data: bytes, ws, after: int, where, err: BaseException) -> str:
    """What openpyxl could not read, as exactly as it can be found: the first number cell
    after row ``after`` whose text is no number (NaN, INF, 5 000 digits …), else the row."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from openpyxl.worksheet._reader import _cast_number

    path = getattr(ws, "_worksheet_path", None)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z, z.open(path) as f:
            for _event, el in iterparse(f):
                if el.tag.endswith("}c") and el.get("t", "n") == "n":
                    ref = el.get("r") or ""
                    v = next((ch.text for ch in el if ch.tag.endswith("}v")), None)
                    letters, row = coordinate_from_string(ref)
                    if row > after and v is not None:
                        try:
                            _cast_number(v)
                        except ValueError:
                            col = column_index_from_string(letters) - 1
                            return _("{w}: ”{v}” är inget tal.").format(w=where(row, col), v=clip(v))
                elif el.tag.endswith("}row"):
                    el.clear()  # the row's cells are seen: memory stays flat
    except _BROKEN:
        pass
    return _("{w}: bladet kan inte läsas härifrån ({e}: {m}); filen är trasig.").format(
        w=where(after + 1), e=type(err).__name__, m=clip(err, 60)
    )


class Percent(Decimal):
    """A number cell whose format shows it as a percentage: the percentage shown (0,125
    formatted ``0.0%`` is ``Percent("12.5")``). Only a measure in % takes it."""

    __slots__ = ()


def _note_rounding(sheet: Sheet, row: int, col: int, held: object, read: Cell) -> None:
    """Remember a number read as its format shows it when that is not what the cell holds."""
    if isinstance(held, bool) or not isinstance(held, int | float) or isinstance(read, Percent):
        return
    full = from_binary(held)
    if isinstance(read, Decimal) and full.is_finite() and read != full:
        if len(sheet.rounded) < ROUNDED_KEPT:
            sheet.rounded[(row, col)] = (full, read)
        else:
            sheet.rounded_more += 1


def rounding_notes(sheet: Sheet, include_hidden: bool = False) -> list[str]:
    """``Bok.xlsx, blad Data: 2 celler lästes som de visas, avrundade: B4 (101 234,5 → 101 235) …``:
    the format is how precisely the figure was stated (``numfmt``), and the summary says so."""
    cells = [
        (r, c, held, read)
        for (r, c), (held, read) in sorted(sheet.rounded.items())
        if include_hidden or (r not in sheet.hidden_rows and c not in sheet.hidden_columns)
    ]
    if not cells:
        return []
    n = len(cells) + sheet.rounded_more

    def sv(d: Decimal) -> str:
        exponent = d.as_tuple().exponent
        return format_number(d, -exponent if isinstance(exponent, int) and exponent < 0 else 0)

    shown = [f"{column_letter(c)}{r} ({sv(held)} → {sv(read)})" for r, c, held, read in cells]
    text = (
        _("{w}: 1 cell lästes som den visas, avrundad efter sitt talformat: {c}.")
        if n == 1
        else _("{w}: {n} celler lästes som de visas, avrundade efter sina talformat: {c}.")
    )
    return [text.format(w=_in_sheet(sheet), n=n, c=_listed(shown, 5, sheet.rounded_more))]


def _cell(v: object, number_format: str | None = None) -> Cell:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        # read as Excel shows it: that is how precisely it was stated (socdesk.io.numfmt)
        exact = from_binary(v)
        if not exact.is_finite():
            return exact
        how = shown(number_format, exact)
        if how.percent:  # the fraction rounded as shown, then in per cent
            fraction = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
            percent = exact if how.decimals is None else round_half_up(fraction, how.decimals)
            return Percent(from_binary(percent.scaleb(2)))
        return exact if how.decimals is None else from_binary(v, how.decimals)
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


# --- hidden cells and formulas: what is read, and the notes that say so ---------------------
def include_hidden_label() -> str:
    """The wizard's option that reads hidden rows and columns (the CLI's --include-hidden)."""
    return _("Ta med dolda rader och kolumner")


def _choose() -> str:
    """How a user reads hidden cells: the wizard's option, or the CLI's flag."""
    return _("välj ”{o}” (socdesk import --include-hidden)").format(o=include_hidden_label())


def _spans(numbers: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _listed(parts: list[str], most: int = 8, more: int = 0) -> str:
    """The first ``most`` of ``parts``, and how many more (``more`` beyond ``parts`` too)."""
    left = len(parts) - most + more if len(parts) > most else more
    if not left:
        return ", ".join(parts)
    return _("{l} och {n} till").format(l=", ".join(parts[:most]), n=left)


def _in_sheet(sheet: Sheet) -> str:
    return _("{f}, blad {s}").format(f=sheet.file_name, s=sheet.name) if sheet.name else sheet.file_name


def _hidden_cells(sheet: Sheet) -> tuple[list[int], list[int]]:
    """The hidden rows that hold cells, and the hidden columns that hold a header or a cell."""
    rows = [r for r, _cells in sheet.rows if r in sheet.hidden_rows]
    width = max([len(sheet.header)] + [len(cells) for _r, cells in sheet.rows])
    columns = [
        c
        for c in sorted(sheet.hidden_columns)
        if c < width
        and (
            (c < len(sheet.header) and sheet.header[c])
            or any(c < len(cells) and str(cells[c]).strip() for _r, cells in sheet.rows)
        )
    ]
    return rows, columns


def _hidden_text(sheet: Sheet, rows: list[int], columns: list[int]) -> str:
    parts = []
    if columns:
        named = [
            column_letter(sheet.file_column(c))
            + (f" ({sheet.header[c]})" if c < len(sheet.header) and sheet.header[c] else "")
            for c in columns
        ]
        parts.append((_("kolumn {c}") if len(columns) == 1 else _("kolumnerna {c}")).format(c=_listed(named)))
    if rows:
        spans = [f"{a}" if a == b else f"{a}–{b}" for a, b in _spans(rows)]
        parts.append((_("rad {r}") if len(rows) == 1 else _("raderna {r}")).format(r=_listed(spans)))
    return _(" och ").join(parts)


def visible(sheet: Sheet) -> tuple[Sheet, list[str]]:
    """The sheet without its hidden rows and columns, and Swedish notes naming what was left
    out (``Bok.xlsx, blad Data: kolumn D (2023-12) är dold och lästes inte; …``). Cells keep
    their file rows and column letters in every message."""
    rows, columns = _hidden_cells(sheet)
    if not rows and not columns:
        return sheet, []
    many = len(rows) + len(columns) > 1
    note = (
        _("{w}: {what} är dolda och lästes inte; {o} för att läsa dem.")
        if many
        else _("{w}: {what} är dold och lästes inte; {o} för att läsa den.")
    ).format(w=_in_sheet(sheet), what=_hidden_text(sheet, rows, columns), o=_choose())
    gone_rows, gone = set(rows), set(columns)
    width = max([len(sheet.header)] + [len(cells) for _r, cells in sheet.rows])
    keep = [c for c in range(width) if c not in gone]
    position = {c: i for i, c in enumerate(keep)}

    def kept(cells: list) -> list:
        return [cells[c] for c in keep if c < len(cells)]

    merged = []
    for r1, c1, r2, c2 in sheet.merged:
        inside = [position[c] for c in range(c1, c2 + 1) if c in position]
        if inside:
            merged.append((r1, inside[0], r2, inside[-1]))
    shown = dataclasses.replace(
        sheet,
        header=kept(sheet.header),
        rows=[(r, kept(cells)) for r, cells in sheet.rows if r not in gone_rows],
        merged=tuple(merged),
        hidden_rows=frozenset(),
        hidden_columns=frozenset(),
        formulas={
            (r, position[c]): f
            for (r, c), f in sheet.formulas.items()
            if c in position and r not in gone_rows
        },
        columns=tuple(sheet.file_column(c) for c in keep),
    )
    return shown, [note]


def formula_notes(sheet: Sheet) -> list[str]:
    """``Bok.xlsx, blad Data: 12 celler är formler; deras sparade värden lästes: C5–C16.``"""
    read = {r for r, _cells in sheet.rows} | {sheet.header_row}
    cells = [(c, r) for r, c in sheet.formulas if r in read]
    if not cells:
        return []
    by_column: dict[int, list[int]] = {}
    for c, r in cells:
        by_column.setdefault(c, []).append(r)
    ranges = []
    for c in sorted(by_column):
        letter = column_letter(sheet.file_column(c))
        ranges += [f"{letter}{a}" if a == b else f"{letter}{a}–{letter}{b}" for a, b in _spans(by_column[c])]
    text = (
        _("{w}: 1 cell är en formel; dess sparade värde lästes: {r}.")
        if len(cells) == 1
        else _("{w}: {n} celler är formler; deras sparade värden lästes: {r}.")
    )
    return [text.format(w=_in_sheet(sheet), n=len(cells), r=_listed(ranges))]


def shown_sheets(sheets: list[Sheet], include_hidden: bool = False) -> tuple[list[Sheet], list[str]]:
    """The sheets as the importer reads them, and the notes for the summary: hidden sheets,
    rows and columns are left out (``visible``) unless ``include_hidden``, and said either way;
    formula cells are named. Refuses a workbook whose every sheet with figures is hidden."""
    out: list[Sheet] = []
    notes: list[str] = []
    if sheets and sheets[0].file_name.lower().endswith(".xls"):  # calamine does not tell them
        notes.append(
            _(
                "{f}: i en Excel 97–2003-fil (.xls) syns inte vilka rader och kolumner som är dolda "
                "eller vilka celler som är formler: alla celler lästes (formler med sina sparade "
                "värden). Spara filen som .xlsx för att dolda rader och kolumner ska lämnas."
            ).format(f=sheets[0].file_name)
        )
    for sheet in sheets:
        hidden_sheet = sheet.state != "visible"
        if not hidden_sheet or include_hidden:
            notes += rounding_notes(sheet, include_hidden)
        if hidden_sheet and not include_hidden:
            notes.append(
                _("{f}: bladet {s} är dolt och lästes inte; {o} för att läsa det.").format(
                    f=sheet.file_name, s=sheet.name, o=_choose()
                )
            )
            continue
        if include_hidden:
            rows, columns = _hidden_cells(sheet)
            if rows or columns or hidden_sheet:
                what = _hidden_text(sheet, rows, columns) if rows or columns else _("bladet")
                notes.append(
                    _("{w}: dolda celler lästes, som valt: {what}.").format(w=_in_sheet(sheet), what=what)
                )
        else:
            sheet, hidden = visible(sheet)
            notes += hidden
        notes += formula_notes(sheet)
        out.append(sheet)
    if sheets and not out:
        raise SheetError(
            [
                _("{f}: alla blad med innehåll är dolda; {o} för att läsa dem.").format(
                    f=sheets[0].file_name, o=_choose()
                )
            ]
        )
    return out, notes
