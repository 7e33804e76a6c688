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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum

from socdesk.core.errors import ParseError, SocdeskError, clip
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, check_bound
from socdesk.core.periods import MONTH_ABBR, MONTH_NAMES, Period, parse_period
from socdesk.core.values import Value, parse_value
from socdesk.io.sheets import Cell, Sheet
from socdesk.io.text import duplicate_column

MAX_ERRORS = 20


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


class TableError(SocdeskError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors[:MAX_ERRORS]
        more = (
            ""
            if len(errors) <= MAX_ERRORS
            else "\n" + _("(och {n} fel till)").format(n=len(errors) - MAX_ERRORS)
        )
        super().__init__("\n".join(self.errors) + more)


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower())


def header_period(header: str, year: int | None) -> Period | None:
    """A column header that names a period: ``2024-05``, ``maj 2024``, ``202405``, ``jan`` (with
    the profile's year) …"""
    h = _norm(header).rstrip(".")
    if not h:
        return None
    try:
        p = parse_period(h)
    except ParseError:
        p = None
    if p is not None and p.kind != "year":
        return p
    if year is not None and (h in MONTH_ABBR or h in MONTH_NAMES):
        i = (MONTH_ABBR.index(h) if h in MONTH_ABBR else MONTH_NAMES.index(h)) + 1
        return Period.month(year, i)
    return None


def detect(sheet: Sheet, year: int | None = None) -> Profile:
    """A profile guessed from the headers (the user can change it)."""
    normalised = [_norm(h) for h in sheet.header]
    if LONG_HEADERS & set(normalised) >= {"enhet", "period"} and ({"mått", "matt"} & set(normalised)):
        return Profile(layout=Layout.LONG)
    columns = {h: HEADER_ROLES.get(n, Role.IGNORE) for h, n in zip(sheet.header, normalised, strict=True)}
    periods = [h for h in sheet.header if header_period(h, year) is not None]
    scenario = SCENARIO_HEADERS.get(_norm(sheet.name), Scenario.ACTUAL)  # a sheet named "Budget"
    for h, n in zip(sheet.header, normalised, strict=True):
        if n in SCENARIO_HEADERS and columns.get(h) is Role.AMOUNT:
            scenario = SCENARIO_HEADERS[n]
    if len(periods) >= 2:
        for h in periods:
            columns[h] = Role.IGNORE  # the period columns are read by their headers
        _first_only(columns, Role.UNIT)
        return Profile(layout=Layout.WIDE, columns=columns, scenario=scenario, year=year)
    _first_only(columns, Role.UNIT)
    _first_only(columns, Role.AMOUNT)
    return Profile(layout=Layout.LEDGER, columns=columns, scenario=scenario)


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
        return f"{cell.normalize():f}" if cell == cell.to_integral_value() else f"{cell:f}".replace(".", ",")
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
        raise TableError(
            [_("{w}: ange vilken kolumn som är enhet (ansvar/verksamhet).").format(w=sheet.where(1))]
        )
    periods = {i: p for i, h in enumerate(sheet.header) if (p := header_period(h, profile.year)) is not None}
    if not periods:
        raise TableError(
            [
                _(
                    "{w}: inga kolumner med perioder (t.ex. 2024-01, jan 2024 eller jan med ett år angivet)."
                ).format(w=sheet.where(1))
            ]
        )
    records: list[Record] = []
    for line, cells in sheet.rows:
        if len(errors) > MAX_ERRORS:
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
                    profile.scenario,
                    period,
                    value,
                    sheet.where(line, sheet.header[i]),
                    name,
                    profile.version,
                )
            )
    if errors:
        raise TableError(errors)
    return records


# --- ledger transactions: fast, exact, with pandas ----------------------------------------
_AMOUNT = re.compile(r"^(-?)(\d+)(?:[.,](\d{1,4}))?$")
_INT64_DIGITS = 14  # whole kronor that fit in int64 as ten-thousandths
_EXACT_SUM_LIMIT = 2**62  # a total of |amounts| (ten-thousandths) above this is summed exactly


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
        raise TableError(
            [
                _("{w}: ange vilken kolumn som är {r}.").format(
                    w=sheet.where(1), r=", ".join(r.value for r in missing)
                )
            ]
        )
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
    unit = frame["enhet"].astype(str).str.strip()
    bad = unit == ""
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
    # amounts: Swedish or plain, exact
    amount = (
        frame["belopp"]
        .astype(str)
        .str.replace(r"[\s\u00a0\u202f]", "", regex=True)
        .str.replace("\u2212", "-", regex=False)
    )
    parts = amount.str.extract(_AMOUNT)
    ok = parts[1].notna()
    # a point followed by exactly three digits is ambiguous (tusental or decimals?) unless it is a comma
    ambiguous = ok & amount.str.contains(r"^\-?\d+\.\d{3}$", regex=True)
    for line, t in zip(
        frame["line"][~ok | ambiguous].head(MAX_ERRORS),
        frame["belopp"][~ok | ambiguous].head(MAX_ERRORS),
        strict=True,
    ):
        errors.append(
            _("{w}: ”{t}” är inget belopp (skriv t.ex. 1 234,50 eller −2006).").format(
                w=where(int(line), headers[Role.AMOUNT]), t=clip(t)
            )
        )
    if errors:
        raise TableError(errors)
    long = parts[1].str.len() > _INT64_DIGITS
    whole = parts[1].where(~long, "0").astype(np.int64)
    frac = parts[2].fillna("").str.ljust(4, "0").replace("", "0").astype(np.int64)
    e4 = whole * 10_000 + frac
    e4 = e4.where(parts[0] != "-", -e4)
    _check_bound_rows(long | (e4.abs() >= _store_limit()), amount, frame["line"], headers, where)
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
                ]
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


def _store_limit() -> int:
    """Ten-thousandths at and over which ``check_bound`` refuses an amount (read at call time:
    the bound has one definition, in ``socdesk.core.numbers``)."""
    from socdesk.core.numbers import MAX_MAGNITUDE

    return int(MAX_MAGNITUDE) * 10_000


def _check_bound_rows(candidates, texts, lines, headers: dict[Role, str], where) -> None:
    """The rows a vectorised path found at or over the bound, each judged (and its message
    written) by ``check_bound``."""
    errors = []
    for line, t in zip(lines[candidates].head(MAX_ERRORS), texts[candidates].head(MAX_ERRORS), strict=True):
        try:
            check_bound(Decimal(t.replace(",", ".")), t)
        except ParseError as err:
            errors.append(f"{where(int(line), headers[Role.AMOUNT])}: {err}")
    if errors:
        raise TableError(errors)


def _summable(e4):
    """int64 ten-thousandths, or exact Python integers when a sum could pass 64 bits (numpy
    would wrap around silently)."""
    import numpy as np

    if float(np.abs(e4.to_numpy(dtype="float64")).sum()) >= _EXACT_SUM_LIMIT:
        return e4.astype(object)
    return e4


# --- the fast path for ledger CSV files -------------------------------------------------------
FAST_LIMIT_KR = 10_000_000_000  # below this a binary float holds any amount in öre exactly


def fast_ledger_csv(
    text: str,
    separator: str,
    header: list[str],
    profile: Profile,
    file_name: str,
    check: Callable[[], None] | None = None,
) -> LedgerResult | None:
    """The common case at C speed: pandas' parser with decimal comma and space thousands
    (the no-break spaces Excel writes in sv-SE made plain first), every amount proven exact to
    the ten-thousandth. Returns None when anything is unusual (quotes, blank lines, a point as
    decimal sign, a bad cell …): the exact row-by-row path then reads the file and names the
    rows."""
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

    plain = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")
    dtypes = {h: object for h in header}
    dtypes[cols[Role.AMOUNT]] = "float64"
    try:
        frame = pd.read_csv(
            io.StringIO(plain),
            sep=separator,
            dtype=dtypes,
            decimal=",",
            thousands=" ",
            keep_default_na=False,
            na_filter=False,
            engine="c",
            skip_blank_lines=False,
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if check:
        check()
    amount = frame[cols[Role.AMOUNT]].to_numpy(dtype="float64")
    scaled = amount * 10_000
    e4 = np.rint(scaled)
    if (
        np.isnan(amount).any()
        or (np.abs(amount) >= min(FAST_LIMIT_KR, _store_limit() // 10_000)).any()
        or (np.abs(scaled - e4) > 1e-3).any()
        or float(np.abs(e4).sum()) >= _EXACT_SUM_LIMIT
    ):
        return None  # more than four decimals, a huge figure or sum, an empty cell: the exact path says which
    e4 = e4.astype(np.int64)
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
    if "" in unit_codes or None in month_of:
        return None
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
