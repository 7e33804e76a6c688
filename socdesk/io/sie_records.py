"""Reading a SIE file once: its bytes decoded (the encoding the file really has), its lines
turned into records (years, accounts, objects, period balances, vouchers, #RES, #KSUMMA),
each field checked, every error naming the file, line and record. What the records mean
(which source is used, the checks across records) is ``sie`` and ``sie_checks``."""

from __future__ import annotations

import datetime
import functools
import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _
from socdesk.core.values import exact_amount
from socdesk.io.tables import TableError
from socdesk.io.text import MAX_COUNTED, FileFormatError, check_lines, line_number

# A quoted field, an object list in braces, or a bare field. Possessive: each character is
# looked at once, so a line full of unclosed quotes or braces costs linear time; an unclosed
# one matches to the end of the line with an empty closing group (and is refused).
_TOKEN = re.compile(r'"((?:[^"\\]++|\\.)*+)("?)|(\{[^}]*+)(\}?)|(\S+)')
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
# å ä ö Å Ä Ö in the two encodings real programs write (the bytes decide which one a file is in)
_CP437_LETTERS = tuple(bytes([b]) for b in b"\x86\x84\x94\x8f\x8e\x99")
_LATIN_LETTERS = tuple(bytes([b]) for b in b"\xe5\xe4\xf6\xc5\xc4\xd6")

Objects = tuple[tuple[str, str], ...]  # (dimension, object) pairs, sorted


@dataclass(frozen=True, slots=True)
class Balance:
    """A ``#PSALDO`` or ``#PBUDGET``: one account's balance for a period (and objects)."""

    line: int
    label: str
    index: str  # the year index as written
    period: str  # ÅÅÅÅMM
    konto: str
    objects: Objects
    amount: Decimal
    text: str  # the amount as written


@dataclass(frozen=True, slots=True)
class Trans:
    line: int
    konto: str
    objects: Objects
    amount: Decimal


@dataclass
class Voucher:
    line: int
    series: str
    number: str
    date: str  # ÅÅÅÅMMDD
    trans: list[Trans] = field(default_factory=list)

    def label(self) -> str:
        return " ".join(filter(None, ["#VER", self.series, self.number])) or "#VER"


@dataclass
class SieRecords:
    """Everything the importer uses of a file, read once."""

    encoding: str = "cp437"
    encoding_note: str = ""
    sietyp: str = ""
    company: str = ""
    years: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (start, end) ÅÅÅÅMMDD
    accounts: dict[str, str] = field(default_factory=dict)
    dims: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)  # (dimension, code) → name
    balances: list[Balance] = field(default_factory=list)
    no_object_list: list[int] = field(default_factory=list)  # lines of balances written without {}
    vouchers: list[Voucher] = field(default_factory=list)
    results: dict[tuple[str, str], tuple[Decimal, int]] = field(default_factory=dict)  # (index, konto)
    empty_amounts: list[int] = field(default_factory=list)  # lines of #IB/#UB/#RES … with "" as amount
    ksumma: tuple[int, int] | None = None  # (line, the sum stated)
    ksumma_computed: int | None = None
    errors: list[str] = field(default_factory=list)  # every record refused, for the one message


def _refuse(message: str) -> TableError:
    return TableError([message])


def decode_sie(data: bytes, file_name: str) -> tuple[str, str, str]:
    """The text, the encoding it was read in, and a note when that is not the standard's
    codepage 437. Valid UTF-8 (with or without BOM) is read as UTF-8; other 8-bit files are
    CP437 or ISO-8859-15 by which of them the bytes of å, ä, ö, Å, Ä, Ö belong to. A file whose
    letters were replaced by U+FFFD before it was saved is refused: the names are lost."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise _refuse(
            _("{f}: filen är ingen SIE-fil (den ser ut att vara UTF-16 eller binär).").format(f=file_name)
        )
    try:
        check_lines(data, file_name)
    except FileFormatError as err:
        raise TableError([str(err)]) from err
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    if not body.lstrip().startswith(b"#"):
        raise _refuse(
            _("{f}, rad 1: en SIE-fil börjar med en post som #FLAGGA eller #SIETYP.").format(f=file_name)
        )
    if body.isascii():
        return body.decode("ascii"), "ascii", ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        lost = text.find("\ufffd")
        if lost >= 0:
            start = text.rfind("\n", 0, lost) + 1
            end = text.find("\n", lost)
            shown = clip(text[start : end if end >= 0 else len(text)].strip(), 50)
            raise _refuse(
                _(
                    "{f}, rad {r}: ”{t}”: bokstäverna (å, ä, ö …) är redan ersatta med tecknet � "
                    "(U+FFFD, {n} gånger i filen); namnen gick förlorade innan filen sparades och "
                    "kan inte läsas tillbaka. Exportera filen igen från ekonomisystemet."
                ).format(f=file_name, r=line_number(text, lost), t=shown, n=text.count("\ufffd"))
            )
        how = _("UTF-8 med BOM") if bom else _("UTF-8")
        return (
            text,
            "utf-8",
            _(
                "{f}: filen är sparad som {e}, inte i teckentabell 437 (PC8) som SIE-standarden säger; "
                "den lästes som {e}. Kontrollera att å, ä och ö i namnen blev rätt."
            ).format(f=file_name, e=how),
        )
    if bom:
        raise _refuse(
            _(
                "{f}: filen börjar med en UTF-8-BOM men är inte giltig UTF-8 (rad {r}); den kan inte "
                "läsas säkert. Exportera filen igen från ekonomisystemet."
            ).format(f=file_name, r=line_number(body, _first_bad_utf8(body)) + 0)
        )
    cp437 = sum(body.count(b) for b in _CP437_LETTERS)
    latin = sum(body.count(b) for b in _LATIN_LETTERS)
    if latin <= cp437:
        return body.decode("cp437"), "cp437", ""
    encoding = "cp1252" if any(0x80 <= b <= 0x9F for b in body) else "iso-8859-15"
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as err:
        raise _refuse(
            _(
                "{f}, rad {r}: byte 0x{b:02X} finns varken i teckentabell 437, UTF-8 eller "
                "Windows-1252; filen kan inte avkodas. Exportera filen igen från ekonomisystemet."
            ).format(f=file_name, r=line_number(body, err.start), b=body[err.start])
        ) from None
    name = "Windows-1252" if encoding == "cp1252" else "ISO-8859-15 (Latin-9)"
    return (
        text,
        encoding,
        _(
            "{f}: filen är sparad i {e}, inte i teckentabell 437 (PC8) som SIE-standarden säger "
            "(det visar bokstäverna å, ä och ö); den lästes som {e}."
        ).format(f=file_name, e=name),
    )


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return 0  # pragma: no cover - called only for data that is not UTF-8


def tokens(line: str) -> list[str]:
    """The fields of a record; an unclosed quote or brace is a ``ParseError``."""
    out = []
    for m in _TOKEN.finditer(line):
        quoted, quote_end, braces, brace_end, bare = m.groups()
        if bare is not None:
            out.append(bare)
        elif braces is not None:
            if not brace_end:
                raise ParseError(_("objektlistan {o} stängs inte med }} på raden.").format(o=clip(braces)))
            out.append(braces + brace_end)
        else:
            if not quote_end:
                raise ParseError(_("citattecknet före ”{t}” stängs inte på raden.").format(t=clip(quoted)))
            out.append(quoted.replace('\\"', '"'))
    return out


def _ksumma_parts(line: str) -> list[str]:
    """What of a record goes into #KSUMMA: the label and the fields' contents, without the
    separators, the quotes and the braces of object lists (SIE 4, #KSUMMA)."""
    out = []
    for m in _TOKEN.finditer(line):
        quoted, _q, braces, _b, bare = m.groups()
        if bare is not None:
            out.append(bare)
        elif braces is not None:
            out.extend(tokens(braces[1:]))
        else:
            out.append(quoted.replace('\\"', '"'))
    return out


@functools.lru_cache(maxsize=4096)  # a file repeats a few object lists many times
def objects(text: str) -> Objects:
    if not (text.startswith("{") and text.endswith("}")):
        raise ParseError(
            _('”{o}” är ingen objektlista (skrivs {{1 "100"}} eller {{}}).').format(o=clip(text))
        )
    inner = tokens(text.strip()[1:-1])
    if len(inner) % 2:
        raise ParseError(_("objektlistan {o} har ett udda antal fält.").format(o=clip(text)))
    return tuple(sorted({inner[i]: inner[i + 1] for i in range(0, len(inner), 2)}.items()))


def not_a_number(text: str, what: str) -> ParseError:
    if re.fullmatch(r"-?[\d ]*\d,\d+", text) or re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        return ParseError(
            _(
                "{w} ”{t}” är inget SIE-tal: SIE skriver belopp med punkt och utan mellanslag "
                "(1234.50, inte 1 234,50)."
            ).format(w=what, t=clip(text))
        )
    return ParseError(
        _("{w} ”{t}” är inget SIE-tal (SIE skriver t.ex. -1234.50).").format(w=what, t=clip(text))
    )


def number(text: str, what: str) -> None:
    """An SIE number (``-1234.50``: a point, no spaces); else a ``ParseError`` naming the field."""
    if not _AMOUNT.match(text):
        raise not_a_number(text, what)


def optional_fields(fields: list[str], kinds: tuple[str, ...]) -> None:
    """The fields after a record's amount, each of its kind: ``"kvantitet"`` an SIE number,
    ``"datum"`` ÅÅÅÅMMDD, ``"text"`` anything; an empty field (``""``) is left out. A field
    beyond them is refused: ``1 234,50`` read as two fields would be 1 kr."""
    if len(fields) > len(kinds):
        raise not_a_number(" ".join(fields), _("fälten efter beloppet,"))
    for text, kind in zip(fields, kinds, strict=False):
        if not text or kind == "text":
            continue
        if kind == "datum" and not re.fullmatch(r"\d{8}", text):
            if "," in text or "." in text:
                raise not_a_number(text, _("transaktionsdatumet"))
            raise ParseError(_("transaktionsdatumet ”{t}” ska skrivas ÅÅÅÅMMDD.").format(t=clip(text)))
        if kind == "kvantitet":
            number(text, _("kvantiteten"))
            if re.match(r"-?0\d", text):  # "-1 000": a thousands group, not a quantity
                raise not_a_number(text, _("kvantiteten"))


def amount(text: str) -> Decimal:
    if not _AMOUNT.match(text):
        raise not_a_number(text, _("beloppet"))
    try:
        return exact_amount(Decimal(text), text)  # the bound, and no more decimals than the store keeps
    except InvalidOperation as err:  # pragma: no cover - the pattern admits only numbers
        raise ParseError(str(err)) from err


def _date(text: str, what: str) -> str:
    if not re.fullmatch(r"\d{8}", text):
        raise ParseError(_("{w} ”{d}” ska skrivas ÅÅÅÅMMDD.").format(w=what, d=clip(text)))
    try:
        datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ParseError(_("{w} {d} finns inte i almanackan.").format(w=what, d=text)) from None
    return text


def _konto(text: str) -> str:
    if not text.strip():
        raise ParseError(_("kontonumret saknas."))
    if not re.fullmatch(r"\d+", text):
        raise ParseError(
            _("”{k}” är inget kontonummer (SIE skriver kontot med siffror).").format(k=clip(text))
        )
    return text


def read_records(data: bytes, file_name: str) -> SieRecords:
    """Decode and read every line; every refused record (file, line, record) is in ``errors``,
    so that the checks across records add theirs to one message with the right count."""
    text, encoding, note = decode_sie(data, file_name)
    out = SieRecords(encoding=encoding, encoding_note=note)
    errors: list[str] = []
    voucher: Voucher | None = None
    block: int | None = None  # the line of the open voucher's "{"
    crc: int | None = None  # the running #KSUMMA once the first #KSUMMA is seen
    codec = "cp437" if encoding == "ascii" else encoding

    def where(line: int, label: str) -> str:
        return _("{f}, rad {r} ({p})").format(f=file_name, r=line, p=label)

    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if len(errors) >= MAX_COUNTED:
            break
        line = raw.strip()
        if not line:
            continue
        if line == "{":
            if voucher is None or block is not None:
                errors.append(_("{w}: ”{{” utan #VER före.").format(w=where(n, "{")))
            block = n
            continue
        if line == "}":
            if block is None:
                errors.append(_("{w}: ”}}” utan ”{{” före.").format(w=where(n, "}")))
            voucher = block = None
            continue
        if not line.startswith("#"):
            errors.append(_("{w}: raden är ingen SIE-post.").format(w=where(n, clip(line, 20))))
            continue
        label = clip(line.split(maxsplit=1)[0].upper(), 20)
        try:
            fields = tokens(line)
            if crc is not None and label != "#KSUMMA":
                crc = zlib.crc32("".join(_ksumma_parts(line)).encode(codec, errors="replace"), crc)
            if label == "#KSUMMA":
                if len(fields) == 1:
                    crc = 0
                else:
                    out.ksumma = (n, int(fields[1]))
                    out.ksumma_computed = crc
            elif label == "#SIETYP":
                out.sietyp = fields[1]
            elif label == "#FNAMN":
                out.company = fields[1] if len(fields) > 1 else ""
            elif label == "#RAR":
                out.years[int(fields[1])] = (
                    _date(fields[2], _("årets första dag")),
                    _date(fields[3], _("årets sista dag")),
                )
            elif label == "#KONTO":
                out.accounts[fields[1]] = fields[2] if len(fields) > 2 else ""
            elif label == "#DIM":
                out.dims[fields[1]] = fields[2] if len(fields) > 2 else ""
            elif label == "#OBJEKT":
                out.objects[(fields[1], fields[2])] = fields[3] if len(fields) > 3 else ""
            elif label in ("#PSALDO", "#PBUDGET"):
                out.balances.append(_balance(fields, n, label, out))
            elif label in ("#IB", "#UB", "#RES", "#OIB", "#OUB"):  # a misread number is refused
                at = 4 if label in ("#OIB", "#OUB") else 3
                if fields[at] == "":  # not imported: an empty one is said, not refused
                    out.empty_amounts.append(n)
                    continue
                number(fields[at], _("beloppet"))
                optional_fields(fields[at + 1 :], ("kvantitet",))
                if label == "#RES":
                    out.results[(fields[1], fields[2])] = (Decimal(fields[3]), n)
            elif label == "#VER":
                if block is not None:
                    raise ParseError(_("verifikationen från rad {r} stängs aldrig med ”}}”.").format(r=block))
                series, ver_number = ([*fields, "", ""])[1:3]
                voucher = Voucher(
                    n, series, ver_number, ""
                )  # open even if refused: its block is not named again
                if len(fields) < 4:
                    raise ParseError(_("verifikationsdatumet saknas (fälten är serie, nummer, datum)."))
                try:
                    voucher.date = _date(fields[3], _("verifikationsdatumet"))
                except ParseError as err:
                    raise ParseError(_("{e} (Fälten är serie, nummer, datum.)").format(e=err)) from None
                out.vouchers.append(voucher)
            elif label == "#TRANS":
                if voucher is None:
                    raise ParseError(_("#TRANS utanför en #VER."))
                konto, objs, amt = _konto(fields[1]), objects(fields[2]), amount(fields[3])
                optional_fields(fields[4:], ("datum", "text", "kvantitet", "text"))
                voucher.trans.append(Trans(n, konto, objs, amt))
        except (ParseError, IndexError, ValueError) as err:
            message = (
                str(err) if isinstance(err, ParseError) else _("posten saknar fält eller har fel format.")
            )
            errors.append(f"{where(n, label)}: {message}")
    if block is not None and len(errors) < MAX_COUNTED:
        errors.append(
            _("{w}: filen slutar inne i en verifikation (”}}” saknas); är den avkortad?").format(
                w=where(block, "{")
            )
        )
    out.errors = errors
    return out


def _balance(fields: list[str], line: int, label: str, out: SieRecords) -> Balance:
    index, period, konto = fields[1], fields[2], fields[3]
    if not re.fullmatch(r"-?\d+", index):
        raise ParseError(_("årsnumret ”{i}” är inget tal (0 är i år, -1 förra året).").format(i=clip(index)))
    if not re.fullmatch(r"\d{4}(0[1-9]|1[0-2])", period):
        raise ParseError(
            _(
                "perioden ”{p}” ska skrivas ÅÅÅÅMM (fälten är årsnummer, period, konto, objektlista, belopp)."
            ).format(p=clip(period))
        )
    konto = _konto(konto)
    if fields[4].startswith("{"):
        objs, rest = objects(fields[4]), fields[5:]
    else:  # written without an object list (some programs do): the account's total, as {}
        objs, rest = (), fields[4:]
        out.no_object_list.append(line)
    value = amount(rest[0])
    optional_fields(rest[1:], ("kvantitet",))
    return Balance(line, label, index, period, konto, objs, value, rest[0])
