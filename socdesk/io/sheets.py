"""Tabular files as sheets of cells: CSV (any of our encodings and separators) and XLSX
(every sheet). Cells are text, or ``Decimal`` where the workbook holds a number; every cell
knows its file, sheet, row and column for the error messages."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.io.text import FileFormatError, decode, read_rows

Cell = str | Decimal


class SheetError(SocdeskError):
    """A file that cannot be read as a table; ``errors`` names file, row and column."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Sheet:
    file_name: str
    name: str  # the workbook sheet ('' for CSV)
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number in the file, cells)

    def where(self, row: int, column: str | None = None) -> str:
        sheet = _(", blad {s}").format(s=self.name) if self.name else ""
        col = _(", kolumn {c}").format(c=column) if column else ""
        return _("{f}{s}, rad {r}{c}").format(f=self.file_name, s=sheet, r=row, c=col)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_sheets(data: bytes, file_name: str) -> list[Sheet]:
    """Every non-empty sheet of an XLSX workbook, or the one table of a CSV file."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, file_name)
    try:
        text = decode(data, file_name)
    except FileFormatError as err:
        raise SheetError([str(err)]) from err
    header, rows = read_rows(text)
    if not header:
        raise SheetError([_("{f}: filen är tom.").format(f=file_name)])
    return [Sheet(file_name, "", header, [(line, list(cells)) for line, cells in rows])]


def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    import openpyxl  # imported on first use: it is slow to import

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise SheetError(
            [
                _(
                    "{f}: filen är ingen läsbar Excel-arbetsbok (xlsx); den kan vara trasig eller "
                    "avkortad ({e}). Öppna och spara den i Excel igen, eller spara som CSV."
                ).format(f=file_name, e=type(err).__name__)
            ]
        ) from err
    sheets: list[Sheet] = []
    errors: list[str] = []
    try:
        for ws in book.worksheets:
            header: list[str] = []
            rows: list[tuple[int, list[Cell]]] = []
            for r, row in enumerate(ws.iter_rows(), start=1):
                values = [getattr(c, "value", None) for c in row]
                cells = [
                    _cell(v, getattr(c, "number_format", None)) for v, c in zip(values, row, strict=True)
                ]
                for c, v in enumerate(values):
                    if isinstance(v, str) and v.startswith("=") and getattr(row[c], "data_type", "f") == "f":
                        where = Sheet(file_name, ws.title, [], []).where(r, column_letter(c))
                        errors.append(
                            _(
                                "{w}: cellen innehåller en formel ({v}); socdesk läser bara värden. "
                                "Kopiera och klistra in som värden i Excel."
                            ).format(w=where, v=v[:40])
                        )
                if not header:
                    if any(str(c).strip() for c in cells):
                        header = [str(c).strip() for c in cells]
                    continue
                if any(str(c).strip() for c in cells):
                    rows.append((r, cells))
            if header:
                sheets.append(Sheet(file_name, ws.title, header, rows))
    finally:
        book.close()
    if errors:
        raise SheetError(errors[:20])
    if not sheets:
        raise SheetError([_("{f}: arbetsboken har inga blad med innehåll.").format(f=file_name)])
    return sheets


_FIXED = re.compile(r"^[#,]*0\.(0+)(?:;.*)?$")


def _cell(v: object, number_format: str | None = None) -> Cell:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        d = Decimal(v) if isinstance(v, int) else Decimal(repr(v))
        m = _FIXED.match(number_format or "")
        if m:  # shown with a fixed number of decimals: that is how precisely it was stated
            d = d.quantize(Decimal(1).scaleb(-len(m[1])))
        return d
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)
