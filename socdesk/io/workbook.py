"""What a workbook says about its cells beyond their values, and the readers for .ods and .xls.

XLSX: openpyxl (``socdesk.io.sheets``) reads the values (formulas as their cached values) and
number formats; ``xlsx_marks`` reads, in one streaming expat pass over a sheet's XML, what
openpyxl's read-only mode does not give: hidden rows and columns, merged ranges, which cells are
formulas and whether each has a cached value. A sheet whose XML has none of these is not parsed
a second time (one byte search).

ODS and XLS: python-calamine reads the values. For ODS, ``ods_marks`` streams ``content.xml``
first: hidden rows and columns, merged ranges, formulas, percentage cells, and the number of
cells with content – counted with their repeat attributes before calamine expands anything,
so a few bytes that repeat a cell a billion times are refused. An XLS (OLE2/BIFF) file is bounded
by its size and by each sheet's cell count before its cells become Python objects; calamine does
not tell hidden rows or columns or formulas of an .xls, which ``sheets`` says in a note.

Every XML parser here refuses a DTD or entity declaration (as defusedxml does)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from socdesk.core.i18n import _

MAX_XLS_BYTES = 128 * 1024 * 1024  # an .xls (at most 65 536 rows × 256 columns) is far smaller
_TRUE = ("1", "true")
_MARKS = re.compile(rb"hidden=|<(?:\w+:)?mergeCell\b|<(?:\w+:)?f[\s>/]")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
MAX_COLUMNS = 16_384  # Excel's own limit


class ForbiddenXml(ValueError):
    """An XML part with a DTD or entity declaration."""


@dataclass
class Marks:
    """One sheet's marks; rows are file row numbers (1-based), columns 0-based."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    uncached: list[tuple[int, int]] = field(default_factory=list)  # formulas without a saved value
    percent: set[tuple[int, int]] = field(default_factory=set)  # ODS: cells of type percentage
    cells: int = 0  # ODS: cells with content, repeats counted
    rows: int = 0  # ODS: the last row with content
    first: tuple[int, int] = (0, 0)  # ODS: the first row and column with content (0: none yet)
    columns: int = 0  # ODS: one past the last column with content

    def extent(self) -> int:
        """The cells of the rectangle from the first to the last cell with content: what a
        reader that holds the sheet as one grid (calamine) allocates."""
        if not self.cells:
            return 0
        return (self.rows - self.first[0] + 1) * (self.columns - self.first[1])


def _parser() -> expat.XMLParserType:
    p = expat.ParserCreate()

    def refuse(*_args: object) -> None:
        raise ForbiddenXml("DTD")

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.buffer_text = True
    return p


def cell_ref(ref: str) -> tuple[int, int] | None:
    """``C5`` → (5, 2): file row, 0-based column."""
    m = _REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col - 1


def xlsx_marks(xml: bytes) -> Marks:
    """Hidden rows/columns, merged ranges and formulas of one worksheet's XML."""
    marks = Marks()
    if not _MARKS.search(xml):
        return marks
    state = {"row": 0, "col": -1, "t": "n", "f": None, "v": None, "in": "", "si": "", "shared": False}
    shared: dict[str, str] = {}
    text: list[str] = []

    def local(name: str) -> str:
        return name[name.find(":") + 1 :]

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            where = cell_ref(attrs.get("r", ""))
            if where:
                state["row"], state["col"] = where
            else:
                state["col"] += 1
            state["t"], state["f"], state["v"] = attrs.get("t", "n"), None, None
        elif tag == "row":
            r = attrs.get("r", "")
            state["row"] = int(r) if r.isdigit() else state["row"] + 1
            state["col"] = -1
            if attrs.get("hidden", "") in _TRUE:
                marks.hidden_rows.add(state["row"])
        elif tag in ("f", "v"):
            state["in"] = tag
            text.clear()
            if tag == "f":
                state["shared"], state["si"] = attrs.get("t") == "shared", attrs.get("si", "")
        elif tag == "col" and attrs.get("hidden", "") in _TRUE:
            first, last = attrs.get("min", ""), attrs.get("max", "")
            if first.isdigit() and last.isdigit():
                marks.hidden_columns.update(range(int(first) - 1, min(int(last), MAX_COLUMNS)))
        elif tag == "mergeCell":
            a, _sep, b = attrs.get("ref", "").partition(":")
            first, last = cell_ref(a), cell_ref(b or a)
            if first and last:
                marks.merged.append((first[0], first[1], last[0], last[1]))

    def end(name: str) -> None:
        tag = local(name)
        if tag == "f":
            formula = "".join(text)
            if state["shared"]:
                if formula:
                    shared[str(state["si"])] = formula
                formula = formula or shared.get(str(state["si"]), "")  # the master's text, as written
            state["f"], state["in"] = formula, ""
        elif tag == "v":
            state["v"], state["in"] = "".join(text), ""
        elif tag == "c" and state["f"] is not None:
            where = (int(state["row"]), int(state["col"]))
            marks.formulas[where] = "=" + str(state["f"])
            value = state["v"]
            if not (value or (value is not None and state["t"] in ("str", "inlineStr"))):
                marks.uncached.append(where)

    def chars(data: str) -> None:
        if state["in"]:
            text.append(data)

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.Parse(xml, True)
    return marks


# --- ODS -----------------------------------------------------------------------------------
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_T = _TABLE + "}"  # expat's names with namespace_separator "}": "uri}local"
_O = _OFFICE + "}"
_S = _STYLE + "}"


@dataclass
class OdsBook:
    sheets: list[tuple[str, Marks]] = field(default_factory=list)  # in the file's order
    hidden_tables: set[str] = field(default_factory=set)  # table styles with display false


def ods_marks(xml_file: io.BufferedIOBase, max_cells: int, max_rows: int) -> OdsBook:
    """Stream an ODS ``content.xml``: each table's name and marks. Stops (``OverflowError``)
    as soon as the cells with content exceed ``max_cells`` or a table ``max_rows``. The
    handlers are kept lean: this pass sees every cell of the workbook."""
    book = OdsBook()
    hidden_styles: set[str] = set()
    table_style: dict[str, str] = {}
    hidden_spans: list[tuple[int, int]] = []  # (first row, count) hidden rows, repeats not expanded
    cell, covered, row_tag = _T + "table-cell", _T + "covered-table-cell", _T + "table-row"
    value_type, formula_at = _O + "value-type", _T + "formula"
    cols_repeated, rows_repeated = _T + "number-columns-repeated", _T + "number-rows-repeated"
    rows_spanned, cols_spanned = _T + "number-rows-spanned", _T + "number-columns-spanned"
    visibility = _T + "visibility"
    row = col = rows_rep = total = column = 0
    style = ""
    m = Marks()

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, col, rows_rep, total, column, style, m
        if name in (cell, covered):
            n = max(int(attrs.get(cols_repeated, 1)), 1)  # a repeat below 1 is no cell fewer
            kind = attrs.get(value_type)
            formula = attrs.get(formula_at)
            if kind or formula is not None:
                count = n * rows_rep
                m.cells += count
                total += count
                if total > max_cells:
                    raise OverflowError("cells")
                last_row = row + rows_rep - 1
                if last_row > max_rows:
                    raise OverflowError("rows")
                if last_row > m.rows:
                    m.rows = last_row
                if not m.first[0]:
                    m.first = (row, col)
                elif col < m.first[1]:
                    m.first = (m.first[0], col)
                if col + n > m.columns:
                    m.columns = col + n
                if m.extent() > max_cells:  # a cell far away from the others
                    raise OverflowError("cells")
                if formula is not None or kind == "percentage":
                    for r in range(row, row + min(rows_rep, 1000)):
                        for c in range(col, col + min(n, MAX_COLUMNS)):
                            if formula is not None:
                                m.formulas[(r, c)] = formula.split(":", 1)[-1]
                                if not kind:
                                    m.uncached.append((r, c))
                            if kind == "percentage":
                                m.percent.add((r, c))
            if name == cell and (rows_spanned in attrs or cols_spanned in attrs):
                spans = (max(int(attrs.get(rows_spanned, 1)), 1), max(int(attrs.get(cols_spanned, 1)), 1))
                if spans != (1, 1):
                    m.merged.append((row, col, row + spans[0] - 1, col + spans[1] - 1))
            col += n
        elif name == row_tag:
            row += 1
            rows_rep, col = max(int(attrs.get(rows_repeated, 1)), 1), 0
            if attrs.get(visibility, "visible") != "visible":
                hidden_spans.append((row, rows_rep))
        elif name == _T + "table-column":
            n = min(max(int(attrs.get(cols_repeated, 1)), 1), MAX_COLUMNS)
            if attrs.get(visibility, "visible") != "visible":
                m.hidden_columns.update(range(column, min(column + n, MAX_COLUMNS)))
            column += n
        elif name == _T + "table":
            m, row, column = Marks(), 0, 0
            table = attrs.get(_T + "name", "")
            table_style[table] = attrs.get(_T + "style-name", "")
            hidden_spans.clear()
            book.sheets.append((table, m))
        elif name == _S + "style":
            style = attrs.get(_S + "name", "")
        elif name == _S + "table-properties" and attrs.get(_T + "display") == "false":
            hidden_styles.add(style)

    def end(name: str) -> None:
        nonlocal row, rows_rep
        if name == row_tag:
            row += rows_rep - 1
            rows_rep = 1
        elif name == _T + "table":
            for first, n in hidden_spans:  # only rows that can hold content
                m.hidden_rows.update(range(first, min(first + n, m.rows + 1)))

    p = expat.ParserCreate(namespace_separator="}")
    p.StartDoctypeDeclHandler = lambda *a: _forbid()
    p.EntityDeclHandler = lambda *a: _forbid()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.ParseFile(xml_file)
    book.hidden_tables = {t for t, s in table_style.items() if s in hidden_styles}
    return book


def _forbid() -> None:
    raise ForbiddenXml("DTD")


def read_ods_marks(data: bytes, max_cells: int, max_rows: int) -> OdsBook:
    with zipfile.ZipFile(io.BytesIO(data)) as z, z.open("content.xml") as f:
        return ods_marks(f, max_cells, max_rows)  # type: ignore[arg-type]


def xls_too_large(data: bytes) -> str:
    """Why an .xls file is not read at all (its size), or ''."""
    if len(data) > MAX_XLS_BYTES:
        return _("filen är {s} MB; en .xls-fil läses upp till {m} MB. Spara den som .xlsx.").format(
            s=len(data) // 2**20, m=MAX_XLS_BYTES // 2**20
        )
    return ""


# --- reading .ods and .xls with python-calamine ----------------------------------------------
def read_calamine(data: bytes, file_name: str, kind: str) -> list:
    """Every non-empty sheet of an .ods or .xls workbook as ``sheets.Sheet``s (values only;
    a number at full precision, a percentage cell of an .ods in per cent, a date as a date)."""
    from socdesk.io.sheets import MAX_CELLS, MAX_ROWS, SheetError, _check_archive

    ods: OdsBook | None = None
    if kind == "ods":
        _check_archive(data, file_name)
        try:
            ods = read_ods_marks(data, MAX_CELLS, MAX_ROWS)
        except OverflowError as err:
            raise SheetError([_too_many(file_name, str(err))]) from err
        except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile, expat.ExpatError) as err:
            raise SheetError([_unreadable_ods(file_name, err)]) from err
    else:
        problem = xls_too_large(data)
        if problem:
            raise SheetError([_("{f}: arbetsboken läses inte: {p}").format(f=file_name, p=problem)])
        try:  # calamine sizes memory by these records: a wrong one would end the process
            problem = xls_records_problem(workbook_stream(data), MAX_CELLS)
        except BrokenXls as err:
            problem = str(err)
        if problem == "cells":
            raise SheetError([_too_many(file_name, "cells")])
        if problem:
            raise SheetError([_unreadable_xls(file_name, BrokenXls(problem))])
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as err:  # a Rust panic arrives as BaseException
        if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        text = _unreadable_ods(file_name, err) if kind == "ods" else _unreadable_xls(file_name, err)
        raise SheetError([text]) from err
    sheets = []
    errors: list[str] = []
    budget = [MAX_CELLS]
    by_name = dict(ods.sheets) if ods else {}
    for meta in book.sheets_metadata:
        if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue
        seen = str(meta.visible).rsplit(".", 1)[-1]
        state = {"Visible": "visible", "Hidden": "hidden"}.get(seen, "veryHidden")
        if ods and meta.name in ods.hidden_tables:
            state = "hidden"
        try:
            ws = book.get_sheet_by_name(meta.name)
            size = (ws.end[0] + 1) * (ws.end[1] + 1) if ws.end else 0
            if ws.end and ws.end[0] + 1 > MAX_ROWS:
                raise SheetError([_too_many(file_name, "rows", meta.name)])
            budget[0] -= size
            if budget[0] < 0:
                raise SheetError([_too_many(file_name, "cells", meta.name)])
            grid = ws.to_python(skip_empty_area=False) if size else []
        except SheetError:
            raise
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
                raise
            text = _unreadable_ods(file_name, err) if kind == "ods" else _unreadable_xls(file_name, err)
            raise SheetError([text]) from err
        sheet = _grid_sheet(file_name, meta.name, grid, by_name.get(meta.name), errors)
        sheet.state = state
        if sheet.header:
            sheets.append(sheet)
    if errors:
        raise SheetError(errors)
    if not sheets:
        raise SheetError([_("{f}: arbetsboken har inga blad med innehåll.").format(f=file_name)])
    return sheets


def _grid_sheet(file_name: str, name: str, grid: list, marks: Marks | None, errors: list[str]):
    from socdesk.io.sheets import Percent, Sheet, SheetError, _cell, _cell_problem
    from socdesk.io.text import MAX_COUNTED, duplicate_column, duplicate_message

    sheet = Sheet(file_name, name, [], [])
    for r, row in enumerate(grid, start=1):
        last = max((c for c, v in enumerate(row) if v not in ("", None)), default=-1)
        cells: list = [""] * (last + 1)
        for c in range(last + 1):
            v = row[c]
            if v in ("", None):
                continue
            problem = _cell_problem(v, "s")
            if problem:
                if len(errors) < MAX_COUNTED:
                    errors.append(f"{sheet.where(r, c)}: {problem}")
                continue
            if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
                v = int(v)  # calamine gives every number as a float
            if marks and (r, c) in marks.percent and isinstance(v, int | float):
                cells[c] = Percent(_cell(v).scaleb(2))  # type: ignore[union-attr]
            elif hasattr(v, "isoformat") and not hasattr(v, "year"):
                cells[c] = str(v)  # a time of day
            else:
                cells[c] = _cell(v)
        if not sheet.header:
            if any(str(x).strip() for x in cells):
                sheet.header = [str(x).strip() for x in cells]
                sheet.header_row = r
                twice = duplicate_column(sheet.header)
                if twice:
                    raise SheetError([f"{sheet.where(r)}: {duplicate_message(twice)}"])
        elif any(str(x).strip() for x in cells):
            sheet.rows.append((r, cells))
    if marks:
        sheet.hidden_rows = frozenset(marks.hidden_rows)
        sheet.hidden_columns = frozenset(marks.hidden_columns)
        sheet.merged = tuple(marks.merged)
        sheet.formulas = dict(marks.formulas)
        for row, col in sorted(marks.uncached)[: max(MAX_COUNTED - len(errors), 0)]:
            errors.append(
                _(
                    "{w}: cellen innehåller en formel utan sparat värde; öppna filen i LibreOffice "
                    "eller Excel och spara den, så sparas värdena, och läs in den igen."
                ).format(w=sheet.where(row, col))
            )
    return sheet


def _too_many(file_name: str, what: str, sheet: str = "") -> str:
    from socdesk.io.sheets import MAX_CELLS, MAX_ROWS

    where = _("{f}, blad {s}").format(f=file_name, s=sheet) if sheet else file_name
    limit = (
        _("bladet har fler rader än Excel tillåter ({n})").format(n=MAX_ROWS)
        if what == "rows"
        else _("arbetsboken har fler än {n} celler").format(n=f"{MAX_CELLS:,}".replace(",", " "))
    )
    return _("{w}: {l}; dela upp den eller spara som CSV.").format(w=where, l=limit)


def _unreadable_ods(file_name: str, err: BaseException) -> str:
    if isinstance(err, ForbiddenXml):
        return _(
            "{f}: arbetsboken läses inte: dess XML har en DTD eller egna entiteter, som LibreOffice "
            "aldrig skriver; filen kan vara skadlig."
        ).format(f=file_name)
    return _(
        "{f}: filen är ingen läsbar OpenDocument-arbetsbok (ods); den kan vara trasig eller avkortad "
        "({e}). Öppna och spara den i LibreOffice igen, eller spara som .xlsx eller CSV."
    ).format(f=file_name, e=type(err).__name__)


def _unreadable_xls(file_name: str, err: BaseException) -> str:
    return _(
        "{f}: filen är ingen läsbar Excel 97–2003-arbetsbok (xls); den kan vara trasig, avkortad "
        "eller lösenordsskyddad ({e}). Öppna den i Excel eller LibreOffice och spara som .xlsx."
    ).format(f=file_name, e=type(err).__name__)


# --- .xls: the OLE2 container and the BIFF records calamine trusts -------------------------
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_DIMENSIONS, _SST = 0x0200, 0x00FC


class BrokenXls(ValueError):
    """An .xls file whose container or records do not hold together."""


def _u16(b: bytes, at: int) -> int:
    return int.from_bytes(b[at : at + 2], "little")


def _u32(b: bytes, at: int) -> int:
    return int.from_bytes(b[at : at + 4], "little")


def workbook_stream(data: bytes) -> bytes:
    """The ``Workbook`` (or ``Book``) stream of an OLE2 compound file, every sector chain
    checked (in the file, no cycle) and every size bounded by the file's: what calamine would
    otherwise trust."""
    if len(data) < 512 or _u16(data, 0x1C) != 0xFFFE:
        raise BrokenXls("header")
    shift = _u16(data, 0x1E)
    if shift not in (9, 12) or _u16(data, 0x20) != 6:
        raise BrokenXls("sector size")
    size = 1 << shift
    sectors = (len(data) - size) // size if len(data) > size else 0

    def sector(i: int) -> bytes:
        if i >= sectors:
            raise BrokenXls("sector")
        return data[(i + 1) * size : (i + 2) * size]

    difat = [_u32(data, 0x4C + 4 * k) for k in range(109)]
    nxt, seen = _u32(data, 0x44), 0
    while nxt not in (_END_OF_CHAIN, _FREE) and seen <= sectors:
        block = sector(nxt)
        difat += [_u32(block, 4 * k) for k in range(size // 4 - 1)]
        nxt, seen = _u32(block, size - 4), seen + 1
    fat_count = _u32(data, 0x2C)
    if fat_count > sectors:
        raise BrokenXls("FAT")
    fat: list[int] = []
    for i in difat[:fat_count]:
        block = sector(i)
        fat += [_u32(block, 4 * k) for k in range(size // 4)]

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out: list[int] = []
        while start != _END_OF_CHAIN:
            if start >= len(table) or len(out) > limit:
                raise BrokenXls("chain")
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(i) for i in chain(_u32(data, 0x30), fat, sectors))
    entries = [directory[k : k + 128] for k in range(0, len(directory) - 127, 128)]
    if not entries:
        raise BrokenXls("directory")
    names = {}
    for e in entries:
        length = min(_u16(e, 64), 64)
        names[e[: max(length - 2, 0)].decode("utf-16-le", "replace")] = e
    entry = names.get("Workbook") or names.get("Book")
    if entry is None:
        raise BrokenXls("no Workbook stream")
    start, length = _u32(entry, 116), _u32(entry, 120)
    if length > len(data):
        raise BrokenXls("stream size")
    if length >= _u32(data, 0x38):  # a regular stream
        stream = b"".join(sector(i) for i in chain(start, fat, sectors))
    else:  # in the mini stream, 64-byte sectors
        root = entries[0]
        mini = b"".join(sector(i) for i in chain(_u32(root, 116), fat, sectors))
        minifat_sectors = chain(_u32(data, 0x3C), fat, sectors) if _u32(data, 0x40) else []
        minifat = [_u32(sector(i), 4 * k) for i in minifat_sectors for k in range(size // 4)]
        stream = b"".join(mini[i * 64 : i * 64 + 64] for i in chain(start, minifat, len(mini) // 64))
    if len(stream) < length:
        raise BrokenXls("stream short")
    return stream[:length]


def xls_records_problem(stream: bytes, max_cells: int) -> str:
    """'' when the BIFF records calamine sizes its memory by hold together: each sheet's
    DIMENSIONS within the format's 65 536 rows × 256 columns and ``max_cells``, the shared
    string table's count within what the stream can hold."""
    pos = 0
    while pos + 4 <= len(stream):
        kind, length = _u16(stream, pos), _u16(stream, pos + 2)
        body = stream[pos + 4 : pos + 4 + length]
        if len(body) < length:
            return "record cut short"
        if kind == _DIMENSIONS and length >= 14:  # BIFF8: rows as 32 bits
            first_row, last_row, first_col, last_col = (
                _u32(body, 0),
                _u32(body, 4),
                _u16(body, 8),
                _u16(body, 10),
            )
            if not (first_row <= last_row <= 65_536 and first_col <= last_col <= 256):
                return "dimensions"
            if (last_row - first_row) * (last_col - first_col) > max_cells:
                return "cells"
        elif kind == _SST and length >= 8 and _u32(body, 4) > len(stream):
            return "shared strings"
        pos += 4 + length
    return ""
