"""SIE 4 (the Swedish accounting interchange format, 4B/4E): period balances, budgets and
vouchers per cost centre, aggregated to units and months.

Read: ``#RAR`` (the years: index 0 this year, −1 last year …), ``#DIM`` and ``#OBJEKT`` (the
cost-centre dimension, by default 1 "Kostnadsställe", becomes units), ``#KONTO``,
``#PSALDO``/``#PBUDGET`` (per period and object: utfall and budget) and ``#VER``/``#TRANS``
(vouchers, used when the file has no period balances per object). Files are in codepage 437
(``#FORMAT PC8``) as the standard says; amounts have a decimal point and debit is positive, so
costs are positive and income negative, as in socdesk. Errors name the file, line and record.
Broken files are refused: a line over ``MAX_LINE_BYTES``, a quote or ``{`` that is not closed
on its line, a voucher whose ``}`` never comes (a file cut short), amounts beyond the bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from socdesk.core.errors import ParseError, clip
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import Month, Period
from socdesk.core.values import Value, exact_amount
from socdesk.io.tables import DEFAULT_KONTO_RULES, KontoRule, Record, TableError, konto_measure
from socdesk.io.text import MAX_COUNTED, FileFormatError, check_lines

# A quoted field, an object list in braces, or a bare field. Possessive: each character is
# looked at once, so a line full of unclosed quotes or braces costs linear time; an unclosed
# one matches to the end of the line with an empty closing group (and is refused).
_TOKEN = re.compile(r'"((?:[^"\\]++|\\.)*+)("?)|(\{[^}]*+)(\}?)|(\S+)')
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class SieFile:
    records: list[Record] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # object code → name
    years: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (start, end) YYYYMMDD
    accounts: dict[str, str] = field(default_factory=dict)
    left_out: int = 0  # amounts on accounts no rule covers, or without a cost centre
    vouchers_used: bool = False


def decode_sie(data: bytes, file_name: str) -> str:
    """CP437 as the standard says. Every byte decodes in CP437, so what we can check is that the
    file is not something else: UTF-16, binary, or UTF-8 (å, ä, ö would come out garbled)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise TableError(
            [_("{f}: filen är ingen SIE-fil (den ser ut att vara UTF-16 eller binär).").format(f=file_name)]
        )
    try:
        check_lines(data, file_name)
    except FileFormatError as err:
        raise TableError([str(err)]) from err
    if not data.lstrip().startswith(b"#"):
        raise TableError(
            [_("{f}, rad 1: en SIE-fil börjar med en post som #FLAGGA eller #SIETYP.").format(f=file_name)]
        )
    if any(b >= 0x80 for b in data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass  # as expected: CP437's å, ä, ö are not UTF-8
        else:
            raise TableError(
                [
                    _(
                        "{f}: filen är sparad som UTF-8, men SIE ska vara i teckentabell 437 (PC8); "
                        "å, ä och ö skulle bli fel. Exportera filen igen från ekonomisystemet."
                    ).format(f=file_name)
                ]
            )
    return data.decode("cp437")


def dimensions(data: bytes, file_name: str) -> dict[str, str]:
    """The file's object dimensions (#DIM): number → name, e.g. {"1": "Kostnadsställe"}."""
    out = {}
    for line in decode_sie(data, file_name).splitlines():
        try:
            fields = _tokens(line.strip())
        except ParseError:
            continue  # parse_sie names it
        if len(fields) >= 3 and fields[0].upper() == "#DIM":
            out[fields[1]] = fields[2]
    return out


def _tokens(line: str) -> list[str]:
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


def _objects(text: str) -> dict[str, str]:
    if not (text.startswith("{") and text.endswith("}")):
        raise ParseError(
            _('”{o}” är ingen objektlista (skrivs {{1 "100"}} eller {{}}).').format(o=clip(text))
        )
    inner = _tokens(text.strip()[1:-1])
    if len(inner) % 2:
        raise ParseError(_("objektlistan {o} har ett udda antal fält.").format(o=text))
    return {inner[i]: inner[i + 1] for i in range(0, len(inner), 2)}


def _not_a_number(text: str, what: str) -> ParseError:
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


def _number(text: str, what: str) -> None:
    """An SIE number (``-1234.50``: a point, no spaces); else a ``ParseError`` naming the field."""
    if not _AMOUNT.match(text):
        raise _not_a_number(text, what)


def _optional_fields(fields: list[str], kinds: tuple[str, ...]) -> None:
    """The fields after a record's amount, each of its kind: ``"kvantitet"`` an SIE number,
    ``"datum"`` ÅÅÅÅMMDD, ``"text"`` anything; an empty field (``""``) is left out. A field
    beyond them is refused: ``1 234,50`` read as two fields would be 1 kr."""
    if len(fields) > len(kinds):
        raise _not_a_number(" ".join(fields), _("fälten efter beloppet,"))
    for text, kind in zip(fields, kinds, strict=False):
        if not text or kind == "text":
            continue
        if kind == "datum" and not re.fullmatch(r"\d{8}", text):
            if "," in text or "." in text:
                raise _not_a_number(text, _("transaktionsdatumet"))
            raise ParseError(_("transaktionsdatumet ”{t}” ska skrivas ÅÅÅÅMMDD.").format(t=clip(text)))
        if kind == "kvantitet":
            _number(text, _("kvantiteten"))
            if re.match(r"-?0\d", text):  # "-1 000": a thousands group, not a quantity
                raise _not_a_number(text, _("kvantiteten"))


def _amount(text: str) -> Decimal:
    if not _AMOUNT.match(text):
        raise _not_a_number(text, _("beloppet"))
    try:
        return exact_amount(Decimal(text), text)  # the bound, and no more decimals than the store keeps
    except InvalidOperation as err:  # pragma: no cover - the pattern admits only numbers
        raise ParseError(str(err)) from err


def parse_sie(
    data: bytes,
    file_name: str,
    *,
    dimension: str = "1",
    konto_rules: tuple[KontoRule, ...] = DEFAULT_KONTO_RULES,
) -> SieFile:
    text = decode_sie(data, file_name)
    out = SieFile()
    errors: list[str] = []
    sums: dict[tuple[str, str, Scenario, str], Decimal] = {}
    first: dict[tuple[str, str, Scenario, str], str] = {}
    vouchers: dict[tuple[str, str, Scenario, str], Decimal] = {}
    voucher_first: dict[tuple[str, str, Scenario, str], str] = {}
    balances_with_objects = False
    left = {False: 0, True: 0}  # amounts left out: of the balances, of the vouchers
    in_voucher: tuple[int, Month] | None = None
    block: int | None = None  # the line of the open voucher's "{"

    def where(line: int, label: str) -> str:
        return _("{f}, rad {r} ({p})").format(f=file_name, r=line, p=label)

    def add(
        target, firsts, unit: str, konto: str, scenario: Scenario, month: Month, amount: Decimal, w: str
    ) -> None:
        measure = konto_measure(konto, konto_rules)
        if measure is None:
            left[target is vouchers] += 1
            return
        for m in (measure, "netto"):
            key = (unit, m, scenario, str(month))
            target[key] = target.get(key, Decimal(0)) + amount
            firsts.setdefault(key, w)

    def year_of(line: int, label: str, index: str) -> tuple[str, str]:
        try:
            return out.years[int(index)]
        except (ValueError, KeyError):
            raise ParseError(_("årsnummer {i} finns inte bland filens #RAR.").format(i=index)) from None

    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if len(errors) >= MAX_COUNTED:
            break
        line = raw.strip()
        if not line:
            continue
        if line == "{":
            if in_voucher is None or block is not None:
                errors.append(_("{w}: ”{{” utan #VER före.").format(w=where(number, "{")))
            block = number
            continue
        if line == "}":
            if block is None:
                errors.append(_("{w}: ”}}” utan ”{{” före.").format(w=where(number, "}")))
            in_voucher = block = None
            continue
        if not line.startswith("#"):
            errors.append(_("{w}: raden är ingen SIE-post.").format(w=where(number, clip(line, 20))))
            continue
        label = clip(line.split(maxsplit=1)[0].upper(), 20)
        try:
            fields = _tokens(line)
            if label == "#RAR":
                out.years[int(fields[1])] = (fields[2], fields[3])
            elif label == "#KONTO":
                out.accounts[fields[1]] = fields[2] if len(fields) > 2 else ""
            elif label == "#OBJEKT" and fields[1] == dimension:
                out.names[fields[2]] = fields[3] if len(fields) > 3 else ""
            elif label in ("#PSALDO", "#PBUDGET"):
                index, period, konto, objects, amount = fields[1], fields[2], fields[3], fields[4], fields[5]
                _optional_fields(fields[6:], ("kvantitet",))
                start, end = year_of(number, label, index)
                if not re.fullmatch(r"\d{6}", period) or not (start[:6] <= period <= end[:6]):
                    raise ParseError(
                        _("perioden {p} ligger inte i räkenskapsår {i} ({s}–{e}).").format(
                            p=period, i=index, s=start, e=end
                        )
                    )
                unit = _objects(objects).get(dimension)
                if unit is None:
                    continue  # the account's total over all objects: the objects' rows are used
                balances_with_objects = True
                scenario = Scenario.ACTUAL if label == "#PSALDO" else Scenario.BUDGET
                month = Month(int(period[:4]), int(period[4:]))
                add(sums, first, unit, konto, scenario, month, _amount(amount), where(number, label))
            elif label in ("#IB", "#UB", "#RES", "#OIB", "#OUB"):  # not read, but a misread number is refused
                at = 4 if label in ("#OIB", "#OUB") else 3
                _number(fields[at], _("beloppet"))
                _optional_fields(fields[at + 1 :], ("kvantitet",))
            elif label == "#VER":
                if block is not None:
                    raise ParseError(_("verifikationen från rad {r} stängs aldrig med ”}}”.").format(r=block))
                date = fields[3]
                if not re.fullmatch(r"\d{8}", date):
                    raise ParseError(_("verifikationsdatumet ”{d}” ska skrivas ÅÅÅÅMMDD.").format(d=date))
                in_voucher = (number, Month(int(date[:4]), int(date[4:6])))
            elif label == "#TRANS":
                if in_voucher is None:
                    raise ParseError(_("#TRANS utanför en #VER."))
                konto, objects, amount = fields[1], fields[2], fields[3]
                _optional_fields(fields[4:], ("datum", "text", "kvantitet", "text"))
                unit = _objects(objects).get(dimension)
                if unit is None:
                    left[True] += 1
                    continue
                add(
                    vouchers,
                    voucher_first,
                    unit,
                    konto,
                    Scenario.ACTUAL,
                    in_voucher[1],
                    _amount(amount),
                    where(number, label),
                )
        except (ParseError, IndexError, ValueError) as err:
            message = (
                str(err) if isinstance(err, ParseError) else _("posten saknar fält eller har fel format.")
            )
            errors.append(f"{where(number, label)}: {message}")
    if block is not None and len(errors) < MAX_COUNTED:
        errors.append(
            _("{w}: filen slutar inne i en verifikation (”}}” saknas); är den avkortad?").format(
                w=where(block, "{")
            )
        )
    if errors:
        raise TableError(errors)
    if not balances_with_objects and vouchers:
        sums, first, out.vouchers_used = vouchers, voucher_first, True
    out.left_out = left[out.vouchers_used]
    for (unit, measure, scenario, month), amount in sorted(
        sums.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2].value, kv[0][3])
    ):
        m = Month(int(month[:4]), int(month[5:]))
        w = first[(unit, measure, scenario, month)]
        try:
            value = Value.of(amount)
        except ParseError as err:
            errors.append(
                _("{w}: summan för {u} {m} {p}: {e}").format(w=w, u=unit, m=measure, p=month, e=err)
            )
            continue
        out.records.append(Record(unit, measure, scenario, Period(m, m), value, w, out.names.get(unit, "")))
    if errors:
        raise TableError(errors)
    return out
