"""The long CSV interchange format (``docs/long-csv.md``): one stated figure per row.

Reading is all-or-nothing: every row is validated before anything is written, and errors name
the file, the row and the column. Writing is deterministic, so export → import → export gives
the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from socdesk.core.errors import ParseError, SocdeskError, clip
from socdesk.core.facts import GENDERS, Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale, round_half_up
from socdesk.core.periods import Period, parse_period
from socdesk.core.units import Unit, UnitTree, month_label
from socdesk.core.values import STORE_DECIMALS, Status, Value, format_stated, parse_value
from socdesk.files import atomic_open, reading_reason
from socdesk.io.cells import CSV_ESCAPED, csv_text, csv_untext
from socdesk.io.numfmt import percent_refusal
from socdesk.io.text import (
    MAX_COUNTED,
    FileFormatError,
    column_letter,
    decode,
    duplicate_column,
    duplicate_message,
    error_list,
    location,
    read_file,
    read_rows,
    sniff_separator,
)
from socdesk.store.db import PeriodLockedError, Store
from socdesk.store.db import _value as stored_value
from socdesk.store.errors import UnitClosedError
from socdesk.store.facts import fact_row

COLUMNS = (
    "enhet",
    "namn",
    "överordnad",
    "period",
    "mått",
    "scenario",
    "värde",
    "skala",
    "version",
    "kön",
    "grupp",
    "kommentar",
    "källa",
    "därav",
)
# A column per scale (the long XLSX export): "värde (tkr)" holds amounts in tkr, so one column
# never mixes kr, tkr and mnkr; on a row, the value column it fills gives its skala.
SCALED_VALUE_COLUMNS = {f"värde ({s.label})": s for s in Scale}
_ALIASES = {
    "overordnad": "överordnad",
    "förälder": "överordnad",
    "matt": "mått",
    "varde": "värde",
    "kon": "kön",
    "kalla": "källa",
    "darav": "därav",
    "varav": "därav",
}
_YES, _NO = ("ja", "j", "x", "därav", "varav"), ("nej", "n")


class ImportFileError(SocdeskError):
    """A file that cannot be imported; ``errors`` lists every problem found (up to
    ``MAX_COUNTED``); the message shows ``MAX_ERRORS`` and says how many more (``error_list``)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(error_list(errors))


@dataclass
class ParsedFile:
    file_name: str
    sha256: str
    new_units: list[Unit] = field(default_factory=list)
    fact_rows: list[tuple] = field(default_factory=list)  # the figures as logical rows (FACT_ROW)
    lines: list[int] = field(default_factory=list)  # the file row of each fact
    rows: int = 0

    @property
    def facts(self) -> list[Fact]:
        return facts_of_rows(self.fact_rows)


def facts_of_rows(rows: Iterable[tuple]) -> list[Fact]:
    """Logical rows (``FACT_ROW``, as ``Store.write_fact_rows`` takes them) as ``Fact``s."""
    periods: dict[str, Period] = {}
    out = []
    for r in rows:
        period = periods.get(r[4]) or periods.setdefault(r[4], parse_period(r[4]))
        key = FactKey(r[0], r[1], Scenario(r[2]), period, r[3], r[7], r[8])
        out.append(Fact(key, stored_value(r[9], r[10], r[11]), r[12], r[13]))
    return out


def consistent(a: Value, b: Value) -> bool:
    """Two statements of one figure agree: equal, or the same number at different roundings."""
    if a == b:
        return True
    if not (a.is_number and b.is_number):
        return a.status is b.status and not a.is_number
    return abs(a.number - b.number) < a.half_width + b.half_width  # type: ignore[operator]


def _normalise_header(name: str) -> str:
    n = name.strip().lower()
    return _ALIASES.get(n, n)


def parse_long_csv(
    data: bytes,
    file_name: str,
    tree: UnitTree,
    measures: dict[str, Measure],
    *,
    costs_negative: bool = False,
    sheet: str = "",
) -> ParsedFile:
    """Validate a whole file against the existing units and measures; raise on any error.
    ``sheet``: the workbook sheet the rows come from (as CSV text), for the messages."""
    try:
        text = decode(data, file_name)
    except FileFormatError as e:
        raise ImportFileError([str(e)]) from e
    sha = hashlib.sha256(data).hexdigest()
    if not sheet:  # a CSV file: a clean one at C speed (longfast), anything else row by row
        from socdesk.io.longfast import fast_long_rows

        separator = sniff_separator(text.split("\n", 1)[0].rstrip("\r"))
        fast = fast_long_rows(text, separator, file_name, sha, tree, measures, costs_negative=costs_negative)
        if fast is not None:
            return fast
    try:
        header, rows = read_rows(text, file_name)
    except FileFormatError as e:
        raise ImportFileError([str(e)]) from e
    return parse_long_rows(
        header, rows, file_name, sha, tree, measures, costs_negative=costs_negative, sheet=sheet
    )


def parse_long_rows(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    file_name: str,
    sha256: str,
    tree: UnitTree,
    measures: dict[str, Measure],
    *,
    costs_negative: bool = False,
    sheet: str = "",
) -> ParsedFile:
    """``parse_long_csv`` on a file already read into its header and ``(row, cells)`` (as
    ``text.read_rows`` gives them): the one check of the long layout, whichever reader read
    the bytes, so a CSV is decoded and parsed once."""
    columns = [_normalise_header(h) for h in header]
    known = (*COLUMNS, *SCALED_VALUE_COLUMNS)
    unknown = [clip(h) for h, c in zip(header, columns, strict=True) if c not in known]
    errors: list[str] = []
    if unknown:
        more = _(" och {n} till").format(n=len(unknown) - 10) if len(unknown) > 10 else ""
        errors.append(
            _("{w}: okända kolumner: {c}{m}.").format(
                w=location(file_name, 1, sheet), c=", ".join(unknown[:10]), m=more
            )
        )
    twice = duplicate_column(columns)
    if twice:
        errors.append(_("{w}: {m}").format(w=location(file_name, 1, sheet), m=duplicate_message(twice)))
    if "enhet" not in columns:
        errors.append(_("{w}: kolumnen enhet saknas.").format(w=location(file_name, 1, sheet)))
    if errors:
        raise ImportFileError(errors)

    parsed = ParsedFile(file_name, sha256)
    facts: list[Fact] = []
    new_units: dict[str, Unit] = {}
    seen: dict[tuple, tuple[int, int]] = {}  # a fact's key as plain texts → its row, its index
    # each distinct text parsed once (a million rows, a few hundred texts); a period also gets a
    # number, the same for two texts of one period, so a row's key hashes as plain values
    periods: dict[str, tuple[Period, int]] = {}
    numbered: dict[Period, int] = {}

    def numbered_period(text: str) -> tuple[Period, int]:
        found = parse_period(text)
        return found, numbered.setdefault(found, len(numbered))

    scenarios: dict[str, Scenario] = {}
    scales: dict[str, Scale] = {}

    def err(line: int, column: str, message: str) -> None:
        letter = column_letter(columns.index(column)) if sheet and column in columns else ""
        errors.append(_("{w}: {m}").format(w=location(file_name, line, sheet, column, letter), m=message))

    for line, cells in rows:
        if len(errors) >= MAX_COUNTED:
            break
        if len(cells) > len(columns):
            err(
                line,
                "–",
                _("raden har {n} fält men rubriken {h}.").format(n=len(cells), h=len(columns)),
            )
            continue
        # a cell the row lacks reads as empty (row.get); csv_untext only where an apostrophe leads
        row = dict(
            zip(columns, [csv_untext(c) if c[:1] == "'" else c for c in map(str.strip, cells)], strict=False)
        )
        code = row.get("enhet", "")
        if not code:
            err(line, "enhet", _("enhetskod saknas."))
            continue
        unit_cells = (row.get(c, "") for c in ("namn", "överordnad", "därav"))
        refused = unit_row(code, *unit_cells, tree, new_units)
        if refused is not None:
            err(line, *refused)
            continue
        scaled = [c for c in SCALED_VALUE_COLUMNS if row.get(c, "")]
        value_column = scaled[0] if len(scaled) == 1 and not row.get("värde", "") else "värde"
        if scaled and value_column == "värde":
            filled = ", ".join(c for c in ("värde", *SCALED_VALUE_COLUMNS) if row.get(c, ""))
            err(line, scaled[0], _("raden har värden i flera kolumner ({c}); ange ett.").format(c=filled))
            continue
        if value_column != "värde":
            stated = SCALED_VALUE_COLUMNS[value_column]
            try:
                named = Scale.parse(row["skala"]) if row.get("skala", "") else stated
            except ParseError as e:
                err(line, "skala", str(e))
                continue
            if named is not stated:
                contradicts = _("skalan {s} motsäger kolumnen {c}.")
                err(line, "skala", contradicts.format(s=named.label, c=value_column))
                continue
            row["värde"], row["skala"] = row[value_column], stated.label
        fact_cells = [row.get(c, "") for c in ("period", "mått", "scenario", "värde")]
        if not any(fact_cells):
            continue  # a row that only defines a unit
        parsed.rows += 1
        try:
            period, period_number = _once(periods, numbered_period, row.get("period", ""))
        except ParseError as e:
            err(line, "period", str(e))
            continue
        measure = measures.get(row.get("mått", ""))
        if measure is None:
            unknown = _(
                "okänt mått ”{m}” (deklarera det i en mått.csv bredvid filen, ett blad Mått eller under "
                "Inställningar → Mått)."
            )
            err(line, "mått", unknown.format(m=clip(row.get("mått", ""))))
            continue
        try:
            scenario = _once(scenarios, Scenario.parse, row.get("scenario", ""))
        except ParseError as e:
            err(line, "scenario", str(e))
            continue
        try:
            scale = _once(scales, Scale.parse, row.get("skala", ""))
        except ParseError as e:
            err(line, "skala", str(e))
            continue
        if scale is not Scale.KR and not measure.is_money:
            err(
                line,
                "skala" if value_column == "värde" else value_column,
                _("skalan {s} gäller bara belopp, inte {m}.").format(s=scale.label, m=measure.key),
            )
            continue
        try:
            value = parse_value(row.get("värde", ""), scale)
        except ParseError as e:
            err(line, value_column, str(e))
            continue
        if value.is_number and row.get("värde", "").rstrip().endswith("%") and measure.unit != "%":
            err(
                line,
                "värde",
                percent_refusal(format_stated(parse_value(row["värde"]), "%"), measure.key, measure.unit),
            )
            continue
        gender = row.get("kön", "").upper()
        if gender not in GENDERS:
            err(line, "kön", _("”{g}” är inte K, M eller tomt.").format(g=clip(row.get("kön", ""))))
            continue
        if costs_negative and measure.is_money and not scenario.is_stated_check and value.is_number:
            value = Value(-value.number, Status.VALUE, value.resolution)  # type: ignore[operator]
        key = FactKey(
            code,
            measure.key,
            scenario,
            period,
            row.get("version", ""),
            gender,
            row.get("grupp", ""),
        )
        fact = Fact(key, value, row.get("kommentar", ""), row.get("källa", ""))
        plain = (code, measure.key, scenario, period_number, key.version, gender, key.group)
        if plain in seen:
            first_line, index = seen[plain]
            first = facts[index].value
            if not consistent(first, value):
                err(
                    line,
                    "värde",
                    _("samma uppgift som rad {r} men ett annat värde ({a} och {b}).").format(
                        r=first_line,
                        a=format_stated(value, measure.unit),
                        b=format_stated(first, measure.unit),
                    ),
                )
            elif (value.resolution or 0) < (first.resolution or 0):
                facts[index] = fact  # the same figure, stated more precisely here
            continue
        seen[plain] = (line, len(facts))
        facts.append(fact)
        parsed.lines.append(line)
    if errors:
        raise ImportFileError(errors)
    parsed.new_units = list(new_units.values())
    parsed.fact_rows = [fact_row(f) for f in facts]
    return parsed


def unit_row(
    code: str, name: str, parent_text: str, part_cell: str, tree: UnitTree, new_units: dict[str, Unit]
) -> tuple[str, str] | None:
    """The unit columns of one row (enhet given): a unit the file defines is added to
    ``new_units`` (the order of the rows matters: a parent on an earlier row); a row that
    contradicts the tree gives (column, message). Both readers of the long CSV call it."""
    parent = parent_text or None
    part_text = part_cell.lower()
    if part_text and part_text not in _YES + _NO:
        return "därav", _("”{v}” är inte ja, nej eller tomt.").format(v=clip(part_cell))
    part = part_text in _YES if part_text else None  # None: not stated on this row
    if code not in tree and code not in new_units:
        if not name:
            return "namn", _("enheten {u} är ny och behöver ett namn.").format(u=code)
        if parent is not None and parent not in tree and parent not in new_units:
            return "överordnad", _("överordnad enhet {p} finns inte (ange den på en tidigare rad).").format(
                p=parent
            )
        if part and parent is None:
            alone = _("enheten {u} har ingen överordnad och kan inte vara en del (därav) av en.")
            return "därav", alone.format(u=code)
        new_units[code] = Unit(code, name, parent, bool(part))
        return None
    existing = tree.get(code) or new_units[code]
    if parent is not None and existing.parent != parent:
        return "överordnad", _("enheten {u} ligger redan under {e}, inte {p}.").format(
            u=code, e=existing.parent or _("toppnivån"), p=parent
        )
    if part is not None and existing.part != part:
        return "därav", (
            _("enheten {u} är redan en del (därav) av {p}, inte en del av dess summa.")
            if existing.part
            else _("enheten {u} är redan en del av summan för {p}, inte en därav-rad.")
        ).format(u=code, p=existing.parent)
    return None


def _once(cache: dict, parse, text: str):
    """``parse(text)``, remembered per distinct text (a text it refuses is asked again, to raise)."""
    found = cache.get(text)
    if found is None:
        found = cache[text] = parse(text)
    return found


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    file_name: str
    rows: int
    changed: int
    new_units: int


def import_long_csv(store: Store, path: str | Path, *, costs_negative: bool = False) -> ImportResult:
    """Import one file in one transaction; on any error nothing is written."""
    path = Path(path)
    try:
        data = read_file(path)
    except OSError as e:
        raise ImportFileError(
            [_("{f}: filen kan inte läsas ({e}).").format(f=path, e=reading_reason(e))]
        ) from e
    except FileFormatError as e:
        raise ImportFileError([str(e)]) from e
    parsed = parse_long_csv(
        data, path.name, store.unit_tree(), store.measures(), costs_negative=costs_negative
    )
    try:
        with store.transaction():
            store.add_units(parsed.new_units)
            batch = store.add_batch(path.name, parsed.sha256, parsed.rows, costs_negative=costs_negative)
            changed = store.write_fact_rows(parsed.fact_rows, source="import", batch_id=batch)
    except PeriodLockedError as err:
        raise ImportFileError(
            [
                _("{f}, rad {r}, kolumn period: {u} {p} är låst; filen lästes inte in.").format(
                    f=path.name, r=parsed.lines[i], u=unit, p=parse_period(period).label()
                )
                for i, (unit, period) in zip(err.indexes, err.cells, strict=True)
            ]
        ) from err
    except UnitClosedError as err:
        raise ImportFileError(
            [
                _(
                    "{f}, rad {r}, kolumn period: {u} är stängd fr.o.m. {m} ({p}); filen lästes inte in."
                ).format(
                    f=path.name,
                    r=parsed.lines[i],
                    u=unit,
                    m=month_label(month),
                    p=parse_period(period).label(),
                )
                for i, (unit, period, month) in zip(err.indexes, err.cells, strict=True)
            ]
        ) from err
    return ImportResult(batch, path.name, parsed.rows, changed, len(parsed.new_units))


# --- export ---------------------------------------------------------------------------------
def _export_value(value: Value, is_money: bool) -> tuple[str, str]:
    """Text and skala that keep both the exact figure and the resolution it was stated at."""
    if not value.is_number:
        return ("" if value.status is Status.NO_DATA else value.status.value), ""
    number = value.number
    assert number is not None
    res = value.resolution or Decimal(1)
    if number % res:  # not stated at that resolution: write it exactly in kronor
        res = Decimal(1).scaleb(min(0, _exponent(number)))
    scale = Scale.KR
    if is_money and res >= Scale.MNKR.factor / 10:
        scale = Scale.MNKR
    elif is_money and res >= Scale.TKR.factor:
        scale = Scale.TKR
    decimals = max(0, -_exponent(res / scale.factor))
    scaled = round_half_up(number / scale.factor, decimals)
    text = f"{scaled:f}".replace(".", ",")
    return text, (scale.label if is_money else "")


_UNIT = 10**STORE_DECIMALS  # one krona in the store's integers
_SCALES = ((Scale.MNKR, 10**9), (Scale.TKR, 10**7))  # a scale, and the resolution it needs


def _export_stored(number: int, resolution: int | None, is_money: bool) -> tuple[str, str]:
    """``_export_value`` of a stored figure, on its integers (the export's path over every fact;
    a test holds the two equal): the resolution it was stated at, or the decimals it needs
    (at most whole kronor), then the scale that resolution allows and the exact digits."""
    res = resolution or _UNIT
    if number % res:
        res = 1
        while res < _UNIT and number % (res * 10) == 0:
            res *= 10
    plan = _PLANS.get((res, is_money))
    if plan is None:
        plan = _PLANS[(res, is_money)] = _export_plan(res, is_money)
    factor, decimals, label = plan
    if not decimals:  # res is a multiple of factor, and so is the number: exact
        return str(number // factor), label
    whole, part = divmod(abs(number) * 10**decimals // factor, 10**decimals)
    sign = "-" if number < 0 else ""
    return f"{sign}{whole},{part:0{decimals}d}", label


_PLANS: dict[tuple[int, bool], tuple[int, int, str]] = {}  # (resolution, money) → _export_plan


def _export_plan(res: int, is_money: bool) -> tuple[int, int, str]:
    """For figures of a resolution: the store's integers per unit of the scale written, the
    decimals that resolution needs at that scale, and the scale's label (none but for money)."""
    scale, factor = Scale.KR, _UNIT
    if is_money:
        for candidate, needs in _SCALES:
            if res >= needs:
                scale, factor = candidate, _UNIT * int(candidate.factor)
                break
    decimals = 0
    while res * 10**decimals % factor:  # the decimals res needs at that scale
        decimals += 1
    return factor, decimals, (scale.label if is_money else "")


def _exponent(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    assert isinstance(exp, int)
    return exp


def export_rows(
    store: Store, units: list[str] | None = None, *, period: Period | None = None
) -> list[list[str]]:
    """The rows of the long layout, header first, as plain text (nothing escaped): every unit
    and fact (or those of ``units``, and facts inside ``period``), in a deterministic order."""
    return list(iter_export_rows(store, units, period=period))


def iter_export_rows(
    store: Store, units: list[str] | None = None, *, period: Period | None = None
) -> Iterator[list[str]]:
    """``export_rows`` one row at a time: the units, then each unit's facts in tree order, read
    as rows from a cursor (``Store.fact_rows``), so memory does not grow with the facts."""
    tree = store.unit_tree()
    money = {key: m.is_money for key, m in store.measures().items()}
    chosen = list(tree) if units is None else [tree[c] for c in units]
    yield list(COLUMNS)
    for u in chosen:
        yield [u.code, u.name, u.parent or ""] + [""] * (len(COLUMNS) - 4) + ["ja" if u.part else ""]
    position = {u.code: i for i, u in enumerate(tree)}
    for u in sorted(chosen, key=lambda u: position[u.code]):
        # one unit at a time: its facts come from the index in the export's order (measure,
        # scenario, period start and end, version, grupp, kön)
        for (
            code,
            measure,
            scenario,
            version,
            text_period,
            gender,
            grp,
            value,
            status,
            res,
            comment,
            source,
        ) in store.fact_rows(units=[u.code], within=period):
            if status == "value":
                text, scale = _export_stored(value, res, money[measure])
            else:
                text, scale = _export_value(stored_value(value, status, res), money[measure])
            yield [
                code,
                "",
                "",
                text_period,
                measure,
                scenario,
                text,
                scale,
                version,
                gender,
                grp,
                comment,
                source,
                "",
            ]


VALUE_COLUMN = COLUMNS.index("värde")


def long_csv(rows: Iterable[list[str]]) -> str:
    """``export_rows`` as CSV text (``write_long_csv``)."""
    out = io.StringIO()
    write_long_csv(rows, out)
    return out.getvalue()


def write_long_csv(rows: Iterable[list[str]], out: TextIO) -> None:
    """Write ``export_rows`` as CSV to ``out``. Every text cell that a spreadsheet would run as a
    formula gets a leading ``'`` (``cells.csv_text``); the value column holds numbers and
    statuses only."""
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    escaped = frozenset(c[0] for c in CSV_ESCAPED)
    for row in rows:
        w.writerow(
            [
                csv_text(cell) if cell and cell[0] in escaped and c != VALUE_COLUMN else cell
                for c, cell in enumerate(row)
            ]
        )


ENCODINGS = {"utf-8": "utf-8-sig", "cp1252": "cp1252"}  # the export's choices; UTF-8 with a BOM


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    """``long_csv`` as the file's bytes: UTF-8 with a BOM (Excel reads a BOM-less UTF-8 file as
    ANSI and breaks å, ä and ö), or Windows-1252 (``cp1252``), where a character that encoding
    lacks is refused naming the row, unit and column (nothing is written)."""
    text = long_csv(rows)
    if encoding not in ENCODINGS:
        raise SocdeskError(
            _("Okänd teckenkodning ”{e}”: välj {c}.").format(e=clip(encoding), c=" eller ".join(ENCODINGS))
        )
    if ENCODINGS[encoding] != "cp1252":
        return text.encode(ENCODINGS[encoding])
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass  # find every cell that cannot be written, for the message
    errors = []
    for line, row in enumerate(rows, start=1):
        for column, cell in zip(rows[0], row, strict=False):
            bad = next((ch for ch in cell if not _in_cp1252(ch)), None)
            if bad is not None:
                errors.append(
                    _("rad {r} (enhet {u}), kolumn {c}: tecknet ”{ch}” (U+{x:04X})").format(
                        r=line, u=clip(row[0]), c=column, ch=bad, x=ord(bad)
                    )
                )
    if errors:
        more = _(" och {n} till").format(n=len(errors) - 10) if len(errors) > 10 else ""
        raise SocdeskError(
            _(
                "Exporten kan inte skrivas i Windows-1252: {e}{m} finns inte i den kodningen. "
                "Exportera som UTF-8 (standard, --encoding utf-8) i stället; inget skrevs."
            ).format(e="; ".join(errors[:10]), m=more)
        )
    raise AssertionError("cp1252 refused the text but no cell")  # pragma: no cover


def write_export_csv(
    target: str | Path, rows: Callable[[], Iterable[list[str]]], encoding: str = "utf-8"
) -> None:
    """Write the export's CSV to ``target`` as ``csv_bytes`` encodes it, streamed (whole or not
    at all, ``files.atomic_open``). ``rows`` makes the rows; where a cell cannot be written in
    Windows-1252 nothing is written and they are made again to name every such cell."""
    if encoding not in ENCODINGS:
        raise SocdeskError(
            _("Okänd teckenkodning ”{e}”: välj {c}.").format(e=clip(encoding), c=" eller ".join(ENCODINGS))
        )
    made = rows()
    try:
        with atomic_open(target) as raw:
            out = io.TextIOWrapper(raw, encoding=ENCODINGS[encoding], newline="", write_through=False)
            write_long_csv(made, out)
            out.flush()
            out.detach()
    except UnicodeEncodeError:
        csv_bytes(list(rows()), encoding)  # raises, naming the cells
        raise
    finally:  # a failed write (a full disk) ends the database's cursor while it is still open
        close = getattr(made, "close", None)
        if close is not None:
            close()


def _in_cp1252(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def export_long_csv(store: Store, units: list[str] | None = None, *, period: Period | None = None) -> str:
    """Every unit and fact (or those of ``units``, and facts inside ``period``), deterministic."""
    return long_csv(export_rows(store, units, period=period))
