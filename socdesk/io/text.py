"""Reading text files the way Swedish offices write them: UTF-8 (with or without BOM) or
Windows-1252, separated by ``;``, ``,`` or tab."""

from __future__ import annotations

import csv
import io

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _


class FileFormatError(SocdeskError):
    pass


def decode(data: bytes, file_name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise FileFormatError(
            _(
                "{f}: filen är inte text i UTF-8 eller Windows-1252 (den ser ut att vara UTF-16 "
                "eller binär, t.ex. en Excel-fil). Spara den som CSV (UTF-8)."
            ).format(f=file_name)
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise FileFormatError(
            _(
                "{f}, rad {line}: byte 0x{b:02X} är varken giltig UTF-8 eller Windows-1252. "
                "Kontrollera filens teckenkodning."
            ).format(f=file_name, line=line, b=data[utf8_error.start])
        ) from None


def sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] else ";"


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(line number, cells)`` for every non-blank row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=sniff_separator(first))
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if not header:
            header = [c.strip() for c in cells]
            continue
        if any(c.strip() for c in cells):
            rows.append((reader.line_num, cells))
    return header, rows
