"""Reading text files the way Swedish offices write them: UTF-8 (with or without BOM) or
Windows-1252, separated by ``;``, ``,`` or tab.

Hostile or broken files are refused before they cost much: a file over ``MAX_FILE_BYTES`` is
not read, a line over ``MAX_LINE_BYTES`` is refused before anything is decoded, and a file
that mixes encodings (UTF-8 on some lines, Windows-1252 on others) or carries text that was
already garbled by a wrong decoding (``HemtjÃ¤nst``) is refused naming the line, never stored
as mojibake."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from socdesk.core.errors import SocdeskError, clip
from socdesk.core.i18n import _
from socdesk.core.numbers import format_number

MAX_FILE_BYTES = 256 * 1024 * 1024  # about six million ledger rows
MAX_LINE_BYTES = 128 * 1024  # as long as a CSV field may be (csv.field_size_limit)
MAX_FIELD_CHARS = csv.field_size_limit()
MAX_ERRORS = 20  # the errors a refused file lists
MAX_COUNTED = 10_000  # the errors a reader counts past those before it says "minst"
_KIND = re.compile(r", kolumn ([^:,]+):|\((#[A-Z]+)\):")  # a column, or a SIE record


def error_list(errors: list[str], total: int | None = None, unlisted: tuple[str, ...] = ()) -> str:
    """The first ``MAX_ERRORS`` errors, then ``… och 80 fel till (samma slag: kolumn belopp)``.

    ``total`` is every error the reader found (default ``len(errors)``); a reader that stopped
    counting at ``MAX_COUNTED`` is told as ``minst``. The kind is the columns of the errors not
    shown: those the listed ones name and ``unlisted``, the columns of errors counted only."""
    total = len(errors) if total is None else total
    shown = errors[:MAX_ERRORS]
    hidden = total - len(shown)
    if hidden <= 0:
        return "\n".join(shown)
    found = [m for e in errors[MAX_ERRORS:] if (m := _KIND.search(e))]
    named = [_("kolumn {c}").format(c=m.group(1)) if m.group(1) else m.group(2) for m in found]
    kinds = list(dict.fromkeys([*named, *(_("kolumn {c}").format(c=c) for c in unlisted)]))
    kind = _(" (samma slag: {k})").format(k=", ".join(kinds[:5])) if kinds else ""
    more = (
        _("… och minst {n} fel till{k}").format(n=format_number(hidden), k=kind)
        if total >= MAX_COUNTED
        else _("… och {n} fel till{k}").format(n=format_number(hidden), k=kind)
    )
    return "\n".join([*shown, more])


# A well-formed UTF-8 sequence of two or more bytes. In Windows-1252 text such pairs are rare
# (an uppercase accented letter followed by a typographic character), so one of them in a file
# that is not UTF-8 means lines in both encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# UTF-8 bytes once decoded as Windows-1252 (or Latin-1) and saved again: "ä" becomes "Ã¤",
# a no-break space "Â ". The second character is one whose single byte is 0x80–0xBF.
_CONTINUATION_CHARS = "".join(
    sorted(
        {bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xC0)} - {""}
        | {chr(b) for b in range(0x80, 0xC0)}
    )
)
_MOJIBAKE = re.compile("[ÂÃ][" + re.escape(_CONTINUATION_CHARS) + "]")


class FileFormatError(SocdeskError):
    pass


def read_file(path: str | Path) -> bytes:
    """The bytes of a file to import; a file over ``MAX_FILE_BYTES`` is refused unread."""
    path = Path(path)
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        data = f.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        raise FileFormatError(
            _(
                "{f}: filen är {s} MB; socdesk läser högst {m} MB per fil. Dela upp den "
                "(t.ex. per år eller per nämnd)."
            ).format(f=path.name, s=max(size, len(data)) // 2**20, m=MAX_FILE_BYTES // 2**20)
        )
    return data


def line_number(data: bytes | str, offset: int) -> int:
    """The 1-based line of ``offset``."""
    if isinstance(data, bytes):
        return data.count(b"\n", 0, offset) + 1
    return data.count("\n", 0, offset) + 1


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_lines(data: bytes, file_name: str, limit: int = MAX_LINE_BYTES) -> None:
    """Refuse a line longer than ``limit`` bytes, before anything is decoded. Jumps a window
    at a time (a few hundred steps for a large file), never splits the file into lines."""
    pos, n = 0, len(data)
    while n - pos > limit:
        end = pos + limit + 1
        newline = max(data.rfind(b"\n", pos, end), data.rfind(b"\r", pos, end))
        if newline < 0:
            raise FileFormatError(
                _(
                    "{f}, rad {r}: raden är längre än {m} tecken; filen är trasig eller ingen "
                    "textfil med en uppgift per rad."
                ).format(f=file_name, r=line_number(data, pos), m=f"{limit:,}".replace(",", " "))
            )
        pos = newline + 1


def decode(data: bytes, file_name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise FileFormatError(
            _(
                "{f}: filen är inte text i UTF-8 eller Windows-1252 (den ser ut att vara UTF-16 "
                "eller binär, t.ex. en Excel-fil). Spara den som CSV (UTF-8)."
            ).format(f=file_name)
        )
    check_lines(data, file_name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        not_utf8 = err.start
    else:
        _refuse_mojibake(text, file_name)
        return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:  # the byte that is wrong in both, not the first non-UTF-8 one
        raise FileFormatError(
            _(
                "{f}, rad {line}: byte 0x{b:02X} är varken giltig UTF-8 eller Windows-1252. "
                "Kontrollera filens teckenkodning."
            ).format(f=file_name, line=line_number(data, err.start), b=data[err.start])
        ) from None
    sequence = _UTF8_SEQUENCE.search(data)
    if sequence is not None:
        raise FileFormatError(
            _(
                "{f}: filen blandar teckenkodningar: rad {a} är UTF-8 men rad {b} är inte det "
                "(byte 0x{x:02X}), så å, ä och ö skulle bli fel på någon av dem. Spara hela filen "
                "i en kodning (CSV UTF-8) och försök igen."
            ).format(
                f=file_name,
                a=line_number(data, sequence.start()),
                b=line_number(data, not_utf8),
                x=data[not_utf8],
            )
        )
    return text


def _refuse_mojibake(text: str, file_name: str) -> None:
    found = _MOJIBAKE.search(text)
    if found is None:
        return
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.start())
    line = text[start : end if end >= 0 else len(text)]
    at = found.start() - start
    shown = clip(line[max(0, at - 15) :], 40)
    raise FileFormatError(
        _(
            "{f}, rad {r}: ”{t}” ser ut att vara felkodad text (”{m}” där det troligen ska stå "
            "”{o}”: UTF-8 som lästs som Windows-1252 och sparats igen). Rätta texten i källan "
            "eller exportera filen på nytt."
        ).format(
            f=file_name,
            r=line_number(text, found.start()),
            t=shown,
            m=found.group(),
            o=found.group().encode("cp1252", errors="replace").decode("utf-8", errors="replace"),
        )
    )


def sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] else ";"


def duplicate_column(header: list[str]) -> tuple[str, int, int] | None:
    """The first header named twice (case and spacing aside; empty headers may repeat):
    (name, first index, second index)."""
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        key = " ".join(str(h).split()).lower()
        if not key:
            continue
        if key in seen:
            return str(h).strip(), seen[key], i
        seen[key] = i
    return None


def read_rows(text: str, file_name: str = "") -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(line number, cells)`` for every non-blank row. Refuses (naming the row and
    column) a quoted field that never ends, text after a closing quote, a field over
    ``MAX_FIELD_CHARS``, a byte-order mark inside a field and a column named twice."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    newline = text.find("\n")
    first = text[: newline if newline >= 0 else len(text)]
    reader = csv.reader(io.StringIO(text), delimiter=sniff_separator(first), strict=True)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    last_line = 0

    def fail(message: str) -> FileFormatError:
        return FileFormatError(f"{file_name}, {message}" if file_name else message)

    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise fail(_csv_problem(str(err), last_line + 1, reader.line_num)) from None
        for c, cell in enumerate(cells):
            if "\ufeff" in cell:
                name = header[c] if c < len(header) and header[c] else column_letter(c)
                raise fail(
                    _(
                        "rad {r}, kolumn {c}: fältet innehåller ett BOM-tecken (U+FEFF), som när "
                        "två filer slagits ihop; ta bort det och försök igen."
                    ).format(r=reader.line_num, c=clip(name))
                )
        last_line = reader.line_num
        if not header:
            header = [c.strip() for c in cells]
            twice = duplicate_column(header)
            if twice:
                raise fail(_("rad {r}: {m}").format(r=reader.line_num, m=duplicate_message(twice)))
            continue
        if any(c.strip() for c in cells):
            rows.append((reader.line_num, cells))
    return header, rows


def duplicate_message(twice: tuple[str, int, int]) -> str:
    name, a, b = twice
    return _(
        "kolumnen ”{n}” finns två gånger (kolumn {a} och {b}); det går inte att veta "
        "vilken som gäller. Byt namn på eller ta bort den ena."
    ).format(n=clip(name), a=column_letter(a), b=column_letter(b))


def _csv_problem(error: str, start: int, line: int) -> str:
    if "end of data" in error:
        return _(
            'rad {r}: ett citattecken (") öppnar ett fält som aldrig stängs; filen slutar inne i '
            "fältet (är den avkortad?)."
        ).format(r=start)
    if "field larger" in error:
        return _("rad {r}: ett fält är längre än {m} tecken (ett citattecken som inte stängs?).").format(
            r=start, m=f"{MAX_FIELD_CHARS:,}".replace(",", " ")
        )
    if "expected after" in error:
        return _(
            'rad {r}: text efter ett avslutande citattecken; citattecken i ett fält skrivs dubbla ("").'
        ).format(r=line)
    return _("rad {r}: raden kan inte läsas som CSV ({e}).").format(r=line, e=clip(error, 60))
