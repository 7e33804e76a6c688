"""What the ekonomisystem and Excel give us, as stated figures: column mapping (detected from
common Swedish headers, saved as named profiles), the *wide* layout (a row per unit, a column
per month or period) and *ledger transactions* (a row per booking: period or date, ansvar,
konto, belopp) aggregated to units and months with a konto → measure mapping.

Everything here is pure (no Qt, no SQL): sheets in, ``Record``s out; errors name file, sheet,
row and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum

from socdesk.core.errors import ParseError, SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.numbers import MAX_NUMBER_TEXT, NINES, Scale, bound_scaled, check_bound, digit_layout
from socdesk.core.periods import MONTH_ABBR, MONTH_NAMES, Period, parse_period
from socdesk.core.values import STORE_DECIMALS, Value, amount_e4, format_stated, parse_value
from socdesk.io.numfmt import percent_refusal
from socdesk.io.sheets import Cell, Percent, Sheet
from socdesk.io.text import MAX_COUNTED, MAX_ERRORS, duplicate_column, error_list


class Layout(StrEnum):
    LONG = "lång"
    WIDE = "bred"
    LEDGER = "transaktioner"

    @property
    def label(self) -> str:
        return {
            Layout.LONG: _("Lång (en uppgift per rad)"),
            Layout.WIDE: _("Bred (en rad per enhet, månader som kolumner)"),
            Layout.LEDGER: _("Transaktioner (en rad per bokning)"),
        }[self]


class Role(StrEnum):
    """What a column of the file is."""

    UNIT = "enhet"
    NAME = "namn"
    ACCOUNT = "konto"
    PERIOD = "period"
    AMOUNT = "belopp"
    IGNORE = ""


# Headers as ekonomisystem (Raindance, Unit4/Agresso, Visma …) and Excel sheets write them.
HEADER_ROLES: dict[str, Role] = {
    "ansvar": Role.UNIT,
    "ansvarskod": Role.UNIT,
    "ansvarsenhet": Role.UNIT,
    "verksamhet": Role.UNIT,
    "verksamhetskod": Role.UNIT,
    "vht": Role.UNIT,
    "enhet": Role.UNIT,
    "kostnadsställe": Role.UNIT,
    "kst": Role.UNIT,
    "resultatenhet": Role.UNIT,
    "benämning": Role.NAME,
    "namn": Role.NAME,
    "ansvarsnamn": Role.NAME,
    "verksamhetsnamn": Role.NAME,
    "text": Role.NAME,
    "konto": Role.ACCOUNT,
    "kontonr": Role.ACCOUNT,
    "kto": Role.ACCOUNT,
    "period": Role.PERIOD,
    "månad": Role.PERIOD,
    "datum": Role.PERIOD,
    "bokföringsdatum": Role.PERIOD,
    "verifikationsdatum": Role.PERIOD,
    "belopp": Role.AMOUNT,
    "utfall": Role.AMOUNT,
    "budget": Role.AMOUNT,
    "summa": Role.AMOUNT,
    "värde": Role.AMOUNT,
}
SCENARIO_HEADERS = {"utfall": Scenario.ACTUAL, "budget": Scenario.BUDGET, "prognos": Scenario.FORECAST}
LONG_HEADERS = {"enhet", "period", "mått", "matt", "scenario", "värde", "varde"}


@dataclass(frozen=True)
class KontoRule:
    first: int
    last: int
    measure: str  # "" drops the rows (balance accounts, say)


DEFAULT_KONTO_RULES = (
    KontoRule(3000, 3999, "intakter"),
    KontoRule(4000, 7999, "kostnader"),
)


@dataclass
class Profile:
    """How to read a file: its layout, what each column is, and the figures it states.
    Saved by name and reused (``socdesk import --profile NAME``)."""

    name: str = ""
    layout: Layout = Layout.LONG
    columns: dict[str, Role] = field(default_factory=dict)  # header → role
    scenario: Scenario = Scenario.ACTUAL
    measure: str = "netto"
    scale: Scale = Scale.KR
    year: int | None = None  # for wide sheets whose month columns have no year ("jan", "feb" …)
    negate: bool = False  # amounts with costs negative (credit positive): turn them round
    konto_rules: tuple[KontoRule, ...] = DEFAULT_KONTO_RULES
    version: str = ""
    dimension: str = "1"  # SIE: the object dimension whose objects are the units (1 kostnadsställe)
    as_unit: str = ""  # SIE without objects in that dimension: the one unit the whole file is
    # Workbooks (issue 14): which sheets hold the figures (empty: every data sheet), which file rows
    # form the header (empty: detected; two rows for a two-row or merged header), and whether hidden
    # rows and columns are read (they are left out, and reported, unless chosen).
    sheets: tuple[str, ...] = ()
    header_rows: tuple[int, ...] = ()
    include_hidden: bool = False

    def to_json(self) -> str:
        d = asdict(self)
        d["layout"] = self.layout.value
        d["scenario"] = self.scenario.value
        d["scale"] = self.scale.label
        d["columns"] = {k: v.value for k, v in self.columns.items()}
        return json.dumps(d, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Profile:
        d = json.loads(text)
        return cls(
            name=d.get("name", ""),
            layout=Layout(d.get("layout", Layout.LONG.value)),
            columns={k: Role(v) for k, v in d.get("columns", {}).items()},
            scenario=Scenario(d.get("scenario", "utfall")),
            measure=d.get("measure", "netto"),
            scale=Scale.parse(d.get("scale", "kr")),
            year=d.get("year"),
            negate=bool(d.get("negate", False)),
            konto_rules=tuple(
                KontoRule(**r) for r in d.get("konto_rules", [asdict(r) for r in DEFAULT_KONTO_RULES])
            ),
            version=d.get("version", ""),
            dimension=str(d.get("dimension", "1")),
            as_unit=str(d.get("as_unit", "")),
            sheets=tuple(d.get("sheets", ())),
            header_rows=tuple(int(r) for r in d.get("header_rows", ())),
            include_hidden=bool(d.get("include_hidden", False)),
        )


@dataclass(frozen=True, slots=True)
class Record:
    """One stated figure from a file, with where it came from."""

    unit: str
    measure: str
    scenario: Scenario
    period: Period
    value: Value
    where: str
    unit_name: str = ""
    version: str = ""
    gender: str = ""
    group: str = ""
    percent: bool = False  # a cell formatted as a percentage (the value is the percentage shown)
    comment: str = ""  # a note kept with the figure (Kolada's status, an unweighted mean …)


class TableError(SocdeskError):
    """A refused table: the errors shown (``MAX_ERRORS``) and how many there are (``error_list``)."""

    def __init__(self, errors: list[str], total: int | None = None, unlisted: tuple[str, ...] = ()) -> None:
        self.errors = errors[:MAX_ERRORS]
        self.total = len(errors) if total is None else total
        super().__init__(error_list(errors, total, unlisted))


class ColumnsError(TableError):
    """The columns a layout needs are not found in the header: a wrong header row is a likely
    cause (``socdesk.io.layout.header_hint`` adds the option that fixes it)."""


_TOTAL = re.compile(r"(summa|totalt?|s:a|sum|delsumma|totalsumma)\b.*", re.IGNORECASE)


def is_total_label(text: object) -> bool:
    """A row label that says the row is a total: Summa, Totalt, Total, S:a, Delsumma …
    (``socdesk.io.layout.drop_totals`` checks such rows; no reader takes one as a unit)."""
    return isinstance(text, str) and _TOTAL.fullmatch(text.strip()) is not None


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower())


_SCALE_SUFFIX = re.compile(
    r"[\s,:]*[(\[]?\s*(?:i\s+)?(?:tkr|tusen kronor|mnkr|mkr|miljoner kronor|kr|kronor)\s*[)\]]?$"
)


def header_role(normalised: str) -> Role:
    """The role a (normalised) header names; a scale after it is not part of the name:
    ``belopp (tkr)``, ``belopp, kr`` and ``belopp i tkr`` are the amount column."""
    role = HEADER_ROLES.get(normalised)
    if role is None:
        role = HEADER_ROLES.get(_SCALE_SUFFIX.sub("", normalised), Role.IGNORE)
    return role


# Month headers as Excel sv-SE, LibreOffice and ekonomisystem write them: ``jan-24`` (Excel's
# mmm-åå), ``jan 24``, ``jan. 2024``, ``2024 jan`` (a year merged over months), ``2024M01`` (SCB),
# ``januari 2024``; English ``may``/``oct`` from an English Excel. A date cell (``2024-01-31``)
# is its month (parse_period).
_ENGLISH_MONTHS = {"may": 5, "oct": 10}
_RE_MONTH_YEAR = re.compile(r"([a-zåäö]+)\.?[ -]+(\d{2}|\d{4})")
_RE_YEAR_MONTH = re.compile(r"(\d{4})[ -]+([a-zåäö]+)\.?")
_RE_SCB_MONTH = re.compile(r"(\d{4})m(\d{1,2})")


def _month_number(name: str) -> int | None:
    name = name.rstrip(".")
    if name in MONTH_ABBR:
        return MONTH_ABBR.index(name) + 1
    if name in MONTH_NAMES:
        return MONTH_NAMES.index(name) + 1
    return _ENGLISH_MONTHS.get(name)


def header_scenario(header: str) -> Scenario | None:
    """The scenario a column header names beside its period: ``Budget jan-24`` (a two-row
    header "Budget"/"Utfall" over the months), or None."""
    words = _norm(header).split(" ")
    found = {SCENARIO_HEADERS[w] for w in words if w in SCENARIO_HEADERS}
    return found.pop() if len(found) == 1 and len(words) > 1 else None


def header_period(header: str, year: int | None) -> Period | None:
    """A column header that names a period: ``2024-05``, ``maj 2024``, ``202405``, ``jan-24``,
    ``2024M01``, ``2024 jan``, a date, ``jan`` (with the profile's year) …; a scenario word
    beside it (``Budget jan-24``) is read by ``header_scenario``. The one reading of a period
    header: detection, the wide reader and the wizard all call it."""
    h = _norm(header).rstrip(".")
    words = [w for w in h.split(" ") if w not in SCENARIO_HEADERS]
    if len(words) < len(h.split(" ")):
        h = " ".join(words)
    if not h:
        return None
    try:
        p = parse_period(h)
    except ParseError:
        p = None
    if p is not None and p.kind != "year":
        return p
    try:
        if m := _RE_MONTH_YEAR.fullmatch(h):
            month, y = _month_number(m[1]), int(m[2])
            if month is not None:
                return Period.month(y + 2000 if y < 100 else y, month)
        elif m := _RE_YEAR_MONTH.fullmatch(h):
            month = _month_number(m[2])
            if month is not None:
                return Period.month(int(m[1]), month)
        elif m := _RE_SCB_MONTH.fullmatch(h):
            return Period.month(int(m[1]), int(m[2]))
    except ParseError:
        return None  # 2024M13, or a year out of range: no period
    if year is not None and (i := _month_number(h)) is not None:
        return Period.month(year, i)
    return None


_SCALE_WORDS = re.compile(
    r"(?<![\wåäöÅÄÖ])(tkr|tusen kronor|mnkr|mkr|miljoner kronor)(?![\wåäöÅÄÖ])", re.IGNORECASE
)


def stated_scale(texts: Iterable[str]) -> tuple[Scale, str] | None:
    """The scale the file states for its amounts in its headers, sheet name or title rows
    ("Utfall (tkr)", "Belopp i tusen kronor"), with the text that states it; None where it
    states none, or more than one."""
    found: dict[Scale, str] = {}
    for t in texts:
        for m in _SCALE_WORDS.finditer(t or ""):
            found.setdefault(Scale.parse(m.group(1)), t)
    return next(iter(found.items())) if len(found) == 1 else None


def sheet_scale(sheet: Sheet) -> tuple[Scale, str] | None:
    """``stated_scale`` of a sheet: its header, its name and the title rows above the header."""
    return stated_scale([*sheet.header, sheet.name, *sheet.titles])


def detect(sheet: Sheet, year: int | None = None) -> Profile:
    """A profile guessed from the headers (the user can change it); amounts in the scale the
    file states (``stated_scale``), else kronor."""
    normalised = [_norm(h) for h in sheet.header]
    if LONG_HEADERS & set(normalised) >= {"enhet", "period"} and ({"mått", "matt"} & set(normalised)):
        return Profile(layout=Layout.LONG)
    columns = {h: header_role(n) for h, n in zip(sheet.header, normalised, strict=True)}
    periods = [h for h in sheet.header if header_period(h, year) is not None]
    scenario = SCENARIO_HEADERS.get(_norm(sheet.name), Scenario.ACTUAL)  # a sheet named "Budget"
    for h, n in zip(sheet.header, normalised, strict=True):
        if n in SCENARIO_HEADERS and columns.get(h) is Role.AMOUNT:
            scenario = SCENARIO_HEADERS[n]
    stated = sheet_scale(sheet)
    scale = stated[0] if stated else Scale.KR
    if len(periods) >= 2:
        for h in periods:
            columns[h] = Role.IGNORE  # the period columns are read by their headers
        _first_only(columns, Role.UNIT)
        return Profile(layout=Layout.WIDE, columns=columns, scenario=scenario, scale=scale, year=year)
    _first_only(columns, Role.UNIT)
    _first_only(columns, Role.AMOUNT)
    return Profile(layout=Layout.LEDGER, columns=columns, scenario=scenario, scale=scale)


def _first_only(columns: dict[str, Role], role: Role) -> None:
    seen = False
    for h, r in columns.items():
        if r is role:
            if seen:
                columns[h] = Role.IGNORE
            seen = True


def format_konto_rules(rules: tuple[KontoRule, ...]) -> str:
    """``3000-3999=intakter; 4000-7999=kostnader`` (as typed in the wizard)."""
    return "; ".join(f"{r.first}-{r.last}={r.measure}" for r in rules)


def parse_konto_rules(text: str, measures: set[str]) -> tuple[KontoRule, ...]:
    rules = []
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})\s*=\s*(\w*)", part)
        if not m:
            raise ParseError(
                _(
                    "Kontoregeln ”{p}” ska skrivas som 4000-7999=kostnader "
                    "(utan mått efter = tas raderna inte med)."
                ).format(p=part)
            )
        first, last, measure = int(m[1]), int(m[2]), m[3]
        if first > last:
            raise ParseError(_("Kontoregeln ”{p}”: första kontot är större än det sista.").format(p=part))
        if measure and measure not in measures:
            raise ParseError(_("Kontoregeln ”{p}”: måttet {m} finns inte.").format(p=part, m=measure))
        rules.append(KontoRule(first, last, measure))
    if not rules:
        raise ParseError(_("Ange minst en kontoregel, t.ex. 4000-7999=kostnader."))
    return tuple(rules)


def konto_measure(konto: str, rules: tuple[KontoRule, ...]) -> str | None:
    """The measure of a konto by the rules; None if no rule covers it (the row is left out).
    A konto may have more than four digits (underkonto): its first four decide."""
    digits = re.sub(r"\D", "", konto)
    if not digits:
        raise ParseError(_("”{k}” är inget kontonummer.").format(k=konto))
    number = int(digits[:4].ljust(4, "0"))
    for rule in rules:
        if rule.first <= number <= rule.last:
            return rule.measure or None
    return None


def _text(cell: Cell) -> str:
    if isinstance(cell, Decimal):
        text = f"{cell.normalize():f}" if cell == cell.to_integral_value() else f"{cell:f}".replace(".", ",")
        return text + " %" if isinstance(cell, Percent) else text
    return cell.strip()


def _value(cell: Cell, scale: Scale) -> Value:
    if isinstance(cell, Decimal):
        return Value.of(check_bound(cell * scale.factor, _text(cell), scale))
    return parse_value(cell, scale)


def _role_columns(sheet: Sheet, profile: Profile) -> dict[Role, int]:
    out: dict[Role, int] = {}
    for i, h in enumerate(sheet.header):
        role = profile.columns.get(h, Role.IGNORE)
        if role is not Role.IGNORE and role not in out:
            out[role] = i
    return out


def wide_records(sheet: Sheet, profile: Profile) -> list[Record]:
    """A row per unit (and optionally konto), a column per period."""
    cols = _role_columns(sheet, profile)
    errors: list[str] = []
    if Role.UNIT not in cols:
        raise ColumnsError(
            [
                _("{w}: ange vilken kolumn som är enhet (ansvar/verksamhet).").format(
                    w=sheet.where(sheet.header_row)
                )
            ]
        )
    periods = {i: p for i, h in enumerate(sheet.header) if (p := header_period(h, profile.year)) is not None}
    if not periods:
        raise ColumnsError(
            [
                _(
                    "{w}: inga kolumner med perioder (t.ex. 2024-01, jan 2024 eller jan med ett år angivet)."
                ).format(w=sheet.where(sheet.header_row))
            ]
        )
    scenarios = {i: header_scenario(sheet.header[i]) or profile.scenario for i in periods}
    records: list[Record] = []
    for line, cells in sheet.rows:
        if len(errors) >= MAX_COUNTED:
            break

        def cell(i: int, cells: list[Cell] = cells) -> Cell:
            return cells[i] if i < len(cells) else ""

        unit = _text(cell(cols[Role.UNIT]))
        if not unit:
            errors.append(
                _("{w}: enhetskod saknas.").format(w=sheet.where(line, sheet.header[cols[Role.UNIT]]))
            )
            continue
        name = _text(cell(cols[Role.NAME])) if Role.NAME in cols else ""
        measure = profile.measure
        if Role.ACCOUNT in cols:
            try:
                measure = konto_measure(_text(cell(cols[Role.ACCOUNT])), profile.konto_rules) or ""
            except ParseError as err:
                errors.append(f"{sheet.where(line, sheet.header[cols[Role.ACCOUNT]])}: {err}")
                continue
            if not measure:
                continue
        for i, period in periods.items():
            raw = cell(i)
            if raw == "" or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                value = _value(raw, profile.scale)
            except ParseError as err:
                errors.append(f"{sheet.where(line, sheet.header[i])}: {err}")
                continue
            if profile.negate and value.is_number:
                value = Value(-value.number, value.status, value.resolution)  # type: ignore[operator]
            records.append(
                Record(
                    unit,
                    measure,
                    scenarios[i],
                    period,
                    value,
                    sheet.where(line, sheet.header[i]),
                    name,
                    profile.version,
                    percent=isinstance(raw, Percent) or (isinstance(raw, str) and raw.rstrip().endswith("%")),
                )
            )
    if errors:
        raise TableError(errors)
    return records


# --- ledger transactions: fast, exact, with pandas ----------------------------------------
_INT64_DIGITS = 14  # whole kronor that fit in int64 as ten-thousandths


@dataclass
class LedgerResult:
    """Sums per (unit, measure, month) in exact ten-thousandths of a krona."""

    sums: dict[tuple[str, str, str], int]  # (unit, measure, period text) → amount × 10 000
    names: dict[str, str]
    rows: int
    left_out: int  # rows whose konto no rule covers
    first_row: dict[tuple[str, str, str], str]  # where each sum's first row is, for messages


def ledger_frame(sheet: Sheet, profile: Profile):
    """The ledger rows as a pandas DataFrame of text columns (unit, name, konto, period, amount, line)."""
    import pandas as pd

    cols = _role_columns(sheet, profile)
    missing = [r for r in (Role.UNIT, Role.PERIOD, Role.AMOUNT) if r not in cols]
    if missing:
        raise ColumnsError(
            [
                _("{w}: ange vilken kolumn som är {r}.").format(
                    w=sheet.where(sheet.header_row), r=", ".join(r.value for r in missing)
                )
            ]
        )
    amount = cols[Role.AMOUNT]
    percent = [
        f"{sheet.where(line, amount)}: "
        + percent_refusal(format_stated(Value.of(c[amount]), "%"), _("beloppet"), "kr")
        for line, c in sheet.rows
        if amount < len(c) and isinstance(c[amount], Percent)
    ]
    if percent:
        raise TableError(percent[:MAX_ERRORS])
    data = {
        role.value: [_text(c[i]) if i < len(c) else "" for _line, c in sheet.rows] for role, i in cols.items()
    }
    data["line"] = [line for line, _c in sheet.rows]
    return pd.DataFrame(data), {role: sheet.header[i] for role, i in cols.items()}


def aggregate_ledger(
    frame,
    headers: dict[Role, str],
    profile: Profile,
    where: Callable[[int, str], str],
    check: Callable[[], None] | None = None,
) -> LedgerResult:
    """Parse and sum the ledger rows (vectorised: a million rows in about a second).

    Amounts are parsed exactly into integers (ten-thousandths); a konto outside every rule is
    left out and counted; periods and dates are read once per distinct text."""
    import numpy as np
    import pandas as pd

    errors: list[str] = []
    counts: dict[str, int] = {}  # every bad cell per column; MAX_ERRORS of each are listed
    unit = frame["enhet"].astype(str).str.strip()
    bad = unit == ""
    counts[headers[Role.UNIT]] = int(bad.sum())
    for line in frame["line"][bad].head(MAX_ERRORS):
        errors.append(_("{w}: enhetskod saknas.").format(w=where(int(line), headers[Role.UNIT])))
    # periods: each distinct text parsed once
    period_text = frame["period"].astype(str).str.strip()
    months: dict[str, str | None] = {}
    for t in period_text.unique():
        try:
            p = parse_period(t)
            months[t] = str(p.start) if p.kind == "month" else None
        except ParseError:
            months[t] = None
    month = period_text.map(months)
    counts[headers[Role.PERIOD]] = int(month.isna().sum())
    for line, t in zip(
        frame["line"][month.isna()].head(MAX_ERRORS), period_text[month.isna()].head(MAX_ERRORS), strict=True
    ):
        errors.append(
            _(
                "{w}: ”{t}” är ingen månad eller dag "
                "(skriv t.ex. 2024-05, 2024-05-31, 202405 eller maj 2024)."
            ).format(w=where(int(line), headers[Role.PERIOD]), t=t)
        )
    if check:
        check()
    # amounts: the grammar of parse_number, each distinct text read once
    texts = frame["belopp"].astype(str)
    read: dict[str, int] = {}
    refused: dict[str, str] = {}
    for t in texts.unique():
        try:
            read[t] = amount_e4(t)
        except ParseError as err:
            refused[t] = str(err)
    if refused:
        bad_amount = texts.isin(refused.keys())
        counts[headers[Role.AMOUNT]] = int(bad_amount.sum())
        for line, t in zip(
            frame["line"][bad_amount].head(MAX_ERRORS), texts[bad_amount].head(MAX_ERRORS), strict=True
        ):
            errors.append(f"{where(int(line), headers[Role.AMOUNT])}: {refused[t]}")
    if errors:
        unlisted = tuple(c for c, n in counts.items() if n > MAX_ERRORS)
        raise TableError(errors, sum(counts.values()), unlisted)
    e4 = texts.map(read).astype(np.int64)  # check_bound keeps each well inside int64
    if profile.negate:
        e4 = -e4
    if check:
        check()
    # konto → measure, once per distinct konto
    if "konto" in frame:
        konto = frame["konto"].astype(str).str.strip()
        measures: dict[str, str | None] = {}
        for k in konto.unique():
            try:
                measures[k] = konto_measure(k, profile.konto_rules)
            except ParseError:
                measures[k] = "!"
        measure = konto.map(measures)
        bad_konto = measure == "!"
        if bad_konto.any():
            raise TableError(
                [
                    _("{w}: ”{k}” är inget kontonummer.").format(
                        w=where(int(line), headers[Role.ACCOUNT]), k=k
                    )
                    for line, k in zip(
                        frame["line"][bad_konto].head(MAX_ERRORS),
                        konto[bad_konto].head(MAX_ERRORS),
                        strict=True,
                    )
                ],
                int(bad_konto.sum()),
                (headers[Role.ACCOUNT],),
            )
    else:
        measure = pd.Series(profile.measure, index=frame.index)
    kept = measure.notna()
    table = pd.DataFrame(
        {
            "unit": unit[kept],
            "measure": measure[kept],
            "month": month[kept],
            "e4": _summable(e4[kept]),
            "line": frame["line"][kept],
        }
    )
    grouped = table.groupby(["unit", "measure", "month"], sort=True).agg(
        e4=("e4", "sum"), line=("line", "min")
    )
    sums = {key: int(v) for key, v in grouped["e4"].items()}
    first = {key: where(int(v), "") for key, v in grouped["line"].items()}
    names: dict[str, str] = {}
    if "namn" in frame:
        named = frame.loc[frame["namn"].astype(str).str.strip() != "", ["enhet", "namn"]].drop_duplicates(
            "enhet"
        )
        names = dict(
            zip(named["enhet"].astype(str).str.strip(), named["namn"].astype(str).str.strip(), strict=True)
        )
    return LedgerResult(sums, names, len(frame), int((~kept).sum()), first)


def _summable(e4):
    """int64 ten-thousandths, or exact Python integers when a sum could pass 64 bits (numpy
    would wrap around silently)."""
    if not _sums_fit_int64(e4.to_numpy()):
        return e4.astype(object)
    return e4


def _sums_fit_int64(e4) -> bool:
    """Whether every sum of some of these int64 amounts fits in int64: the sum of their sizes
    does (summed in uint64, which cannot wrap while the largest × their number < 2**64)."""
    import numpy as np

    if not len(e4):
        return True
    size = np.abs(e4)  # inside the bound (check_bound): no int64 minimum to overflow
    worst = int(size.max()) * len(size)
    if worst < 2**63:
        return True
    return worst < 2**64 and int(size.sum(dtype=np.uint64)) < 2**63


def amounts_e4(texts: list[str]):
    """A column of amount cells as int64 ten-thousandths, by ``parse_number``'s grammar at C
    speed, or None if any cell is not taken exactly as written (outside the grammar, more
    decimals than the store keeps, at or over the bound, more than 14 whole digits): the
    row-by-row path then reads the column with ``amount_e4`` and names each refused cell."""
    import numpy as np

    try:
        joined = "\n".join(texts)
        data = joined.encode("utf-8")
    except (TypeError, UnicodeEncodeError):
        return None  # not text, or a lone surrogate: the row-by-row path says what it is
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == ord("\n"))
    if len(newlines) != len(texts) - 1:
        return None  # a cell with a line break
    at = np.concatenate(([0], newlines + 1))
    return _amounts_e4(buf, at, np.concatenate((newlines, [len(buf)])) - at)


def _amounts_e4(buf, at, lengths):
    """``amounts_e4`` of the cells ``buf[at : at + lengths]`` (UTF-8 bytes).

    No float ever holds an amount. A cell's bytes with every digit made 9 are its *shape*
    (``socdesk.core.numbers.shape_of``); each distinct shape is matched once by the grammar's
    compiled pattern (``digit_layout``), which also says at which offsets the integer digits
    and decimals are; those digit bytes are then read as integers for all the rows of that
    shape together. The shapes are told apart by a hash of their bytes, and every row is then
    compared byte for byte with the shape it was grouped under."""
    import numpy as np
    import pandas as pd

    n = len(at)
    if not n:
        return np.zeros(0, dtype=np.int64)
    width = int(lengths.max())
    if width > 4 * MAX_NUMBER_TEXT:
        return None  # longer than any number the grammar takes (perhaps white space round one)
    nines = np.frombuffer(NINES, dtype=np.uint8)
    last = len(buf) - 1
    shapes = np.zeros((width, n), dtype=np.uint8)
    key = lengths.astype(np.uint64)
    for j in range(width):
        shapes[j] = np.where(j < lengths, nines[buf[np.minimum(at + j, last)]], 0)
        key = key * np.uint64(1_000_003) + shapes[j]
    codes, keys = pd.factorize(key)
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=len(keys)))))
    first = order[bounds[:-1]]  # the first row of each shape
    if (lengths[first[codes]] != lengths).any() or (shapes[:, first[codes]] != shapes).any():
        return None  # two shapes with one hash: never seen, but then the row-by-row path reads it
    e4 = np.zeros(n, dtype=np.int64)
    for k, row in enumerate(first):
        shape = shapes[: lengths[row], row].tobytes().decode("utf-8")
        layout = digit_layout(shape)
        if layout is None or len(layout.whole) > _INT64_DIGITS:
            return None
        rows = order[bounds[k] : bounds[k + 1]]
        cells = at[rows]

        def digit(offset: int, cells=cells, shape=shape) -> np.ndarray:
            return buf[cells + len(shape[:offset].encode("utf-8"))].astype(np.int64) - ord("0")

        value = np.zeros(len(rows), dtype=np.int64)
        for offset in layout.whole:
            value = value * 10 + digit(offset)
        kept, extra = layout.frac[:STORE_DECIMALS], layout.frac[STORE_DECIMALS:]
        for offset in kept:
            value = value * 10 + digit(offset)
        value *= 10 ** (STORE_DECIMALS - len(kept))
        if any((digit(offset) != 0).any() for offset in extra):
            return None  # 1,00000001 kr: more decimals than the store keeps
        e4[rows] = -value if layout.negative else value
    if int(np.abs(e4).max()) >= bound_scaled(STORE_DECIMALS):
        return None  # check_bound refuses it, naming the row
    return e4


def _column_cells(text: str, separator: str, header: list[str], column: str, rows: int):
    """(bytes, starts, lengths) of one column's cells in an unquoted CSV text, found with
    numpy (pandas would make a million distinct Python strings of them, which costs it
    seconds); None unless each of the ``rows`` data lines has the header's number of fields."""
    import numpy as np

    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone carriage return ends a line for pandas
    buf = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    newlines = np.flatnonzero(buf == ord("\n"))
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(buf)]))
    if starts[-1] == len(buf):  # the file ends with a line break
        starts, ends = starts[:-1], ends[:-1]
    starts, ends = starts[1:], ends[1:]  # the header
    if len(starts) != rows:
        return None
    ends = ends - (buf[np.maximum(ends - 1, 0)] == ord("\r"))  # CRLF
    seps = np.flatnonzero(buf == ord(separator))
    first, last = np.searchsorted(seps, starts), np.searchsorted(seps, ends)
    if ((last - first) != len(header) - 1).any():
        return None
    k = header.index(column)
    cell_start = starts if k == 0 else seps[first + k - 1] + 1
    cell_end = ends if k == len(header) - 1 else seps[first + k]
    return buf, cell_start, cell_end - cell_start


# --- the fast path for ledger CSV files -------------------------------------------------------
def fast_ledger_csv(
    text: str,
    separator: str,
    header: list[str],
    profile: Profile,
    file_name: str,
    check: Callable[[], None] | None = None,
) -> LedgerResult | None:
    """The common case at C speed: pandas' parser reads every column as text, the amounts go
    through ``amounts_e4`` (the grammar of ``parse_number``, exact to the ten-thousandth).
    Returns None when anything is unusual (quotes, blank lines, a cell the grammar refuses or
    cannot take exactly …): the row-by-row path then reads the file, with the same grammar, and
    names the rows."""
    cols = {
        role: header[i]
        for i, h in enumerate(header)
        if (role := profile.columns.get(h, Role.IGNORE)) is not Role.IGNORE
    }
    if (
        not {Role.UNIT, Role.PERIOD, Role.AMOUNT} <= set(cols)
        or '"' in text
        or "\ufeff" in text
        or "\n\n" in text.replace("\r\n", "\n").strip("\n")
    ):
        return None
    if duplicate_column(header):
        return None  # the exact path names the column
    import io

    import numpy as np
    import pandas as pd

    amount_at = header.index(cols[Role.AMOUNT])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=object,  # text: never a float
            usecols=[i for i in range(len(header)) if i != amount_at],  # the amounts: _column_cells
            keep_default_na=False,
            na_filter=False,
            engine="c",
            skip_blank_lines=False,
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if len(frame.columns) != len(header) - 1:
        return None
    # the headers stripped, as the row-by-row path names them
    frame.columns = [h for i, h in enumerate(header) if i != amount_at]
    if check:
        check()
    amounts = _column_cells(text, separator, header, cols[Role.AMOUNT], len(frame))
    e4 = None if amounts is None else _amounts_e4(*amounts)
    if e4 is None or not _sums_fit_int64(e4):
        return None  # a cell the row-by-row path names, or sums that need exact integers
    if profile.negate:
        e4 = -e4
    units, unit_values = pd.factorize(frame[cols[Role.UNIT]])
    unit_codes = [str(u).strip() for u in unit_values]
    periods, period_values = pd.factorize(frame[cols[Role.PERIOD]])
    month_of: list[str | None] = []
    for t in period_values:
        try:
            p = parse_period(str(t))
            month_of.append(str(p.start) if p.kind == "month" else None)
        except ParseError:
            month_of.append(None)
    if "" in unit_codes or None in month_of or any(is_total_label(u) for u in unit_codes):
        return None  # the row-by-row path names them, or reads the total rows as a check
    if Role.ACCOUNT in cols:
        kontos, konto_values = pd.factorize(frame[cols[Role.ACCOUNT]])
        measure_of: list[str | None] = []
        for k in konto_values:
            try:
                measure_of.append(konto_measure(str(k), profile.konto_rules))
            except ParseError:
                return None
    else:
        kontos = np.zeros(len(frame), dtype=np.int64)
        measure_of = [profile.measure]
    measure_names = sorted({m for m in measure_of if m})
    measure_index = np.array([measure_names.index(m) if m else -1 for m in measure_of], dtype=np.int64)
    row_measure = measure_index[kontos] if len(measure_of) else np.full(len(frame), -1)
    kept = row_measure >= 0
    if check:
        check()
    table = pd.DataFrame(
        {
            "u": units[kept],
            "m": row_measure[kept],
            "p": periods[kept],
            "e4": e4[kept],
            "line": np.nonzero(kept)[0] + 2,
        }
    )
    grouped = table.groupby(["u", "m", "p"], sort=False).agg(e4=("e4", "sum"), line=("line", "min"))
    sums: dict[tuple[str, str, str], int] = {}
    first: dict[tuple[str, str, str], str] = {}
    for (u, m, p), e4_sum, line in zip(grouped.index, grouped["e4"], grouped["line"], strict=True):
        key = (unit_codes[u], measure_names[m], month_of[p])
        sums[key] = sums.get(key, 0) + int(e4_sum)  # two date texts of one month
        first[key] = min(first.get(key, f"{file_name}, rad {line}"), f"{file_name}, rad {line}")
    names: dict[str, str] = {}
    if Role.NAME in cols:
        named = frame[[cols[Role.UNIT], cols[Role.NAME]]].drop_duplicates(cols[Role.UNIT])
        names = {
            str(a).strip(): str(b).strip()
            for a, b in zip(named.iloc[:, 0], named.iloc[:, 1], strict=True)
            if str(b).strip()
        }
    return LedgerResult(sums, names, len(frame), int((~kept).sum()), first)
