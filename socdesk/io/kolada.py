"""Kolada benchmarks (RKA's open database of municipal key figures): API v2 and v3 response
files saved by the user, and a simple CSV ``kpi;municipality;period;gender;value;status``.

Each KPI becomes a benchmark measure ``kolada_<KPI>`` (source "Källa: Kolada"), each kommun a
unit under "KOLADA Jämförelser (Kolada)"; gender T is the total, K and M the breakdown.
"""

from __future__ import annotations

import json
from decimal import Decimal

from socdesk.core.errors import ParseError, clip
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.measures import POPULATION, Measure
from socdesk.core.periods import Period, parse_period
from socdesk.core.values import Status, Value, exact_amount, parse_value
from socdesk.io.sheets import Sheet
from socdesk.io.tables import Record, TableError
from socdesk.io.text import MAX_COUNTED

ROOT = "KOLADA"
ROOT_NAME = _("Jämförelser (Kolada)")
SOURCE = _("Källa: Kolada")
GENDERS = {"T": "", "K": "K", "M": "M"}
KOLADA_CSV_HEADER = ["kpi", "municipality", "period", "gender", "value", "status"]


def unit_code(municipality: str) -> str:
    return f"K{municipality}"


def measure_key(kpi: str) -> str:
    return f"kolada_{kpi}"


POPULATION_KPIS = frozenset({"N01951"})  # Invånare totalt, antal: a population (core.rates)


def kolada_measure(kpi: str) -> Measure:
    """A benchmark measure: not added over units or time (a key figure per kommun and year).
    Kolada's population (``N01951``) is in invånare, so formulas take it as a population."""
    unit = POPULATION if kpi in POPULATION_KPIS else ""
    return Measure(measure_key(kpi), _("{k} (Kolada)").format(k=kpi), unit, False, False, True, False)


def looks_like_kolada(data: bytes) -> bool:
    head = data[:2000].lstrip()
    return head.startswith(b"{") and b'"values"' in data[:100_000] and (b'"kpi"' in data[:100_000])


class _Object(dict):
    """A JSON object, with the keys it had more than once (a second value would be dropped)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> _Object:
    out = _Object(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        out.duplicates = tuple(dict.fromkeys(k for k, _v in pairs if k in seen or seen.add(k)))
    return out


def _duplicates(node: object) -> tuple[str, ...]:
    """Keys given twice anywhere in a record (records are a few levels deep)."""
    if isinstance(node, _Object):
        return node.duplicates + tuple(k for v in node.values() for k in _duplicates(v))
    if isinstance(node, list):
        return tuple(k for v in node for k in _duplicates(v))
    return ()


def _load(data: bytes, file_name: str) -> object:
    """The JSON document, numbers as exact ``Decimal`` (``1e400`` and 5 000-digit integers
    included; NaN and Infinity as Decimal too), so the bound judges them, not float."""
    try:
        return json.loads(
            data.decode("utf-8-sig"),
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=_object,
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise TableError([_("{f}: filen är inte giltig JSON ({e}).").format(f=file_name, e=err)]) from err
    except RecursionError as err:
        raise TableError(
            [
                _(
                    "{f}: JSON-filen är nästlad för djupt (tusentals nivåer); ett svar från Koladas "
                    "API har fyra."
                ).format(f=file_name)
            ]
        ) from err


def parse_kolada_json(data: bytes, file_name: str) -> list[Record]:
    doc = _load(data, file_name)
    if isinstance(doc, _Object) and doc.duplicates:
        raise TableError(
            [
                _("{f}: nyckeln ”{k}” finns två gånger i filens yttersta objekt.").format(
                    f=file_name, k=clip(doc.duplicates[0])
                )
            ]
        )
    rows = doc.get("values") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        raise TableError(
            [_("{f}: ingen lista ”values” – är det ett svar från Koladas API?").format(f=file_name)]
        )
    records: list[Record] = []
    errors: list[str] = []
    for i, row in enumerate(rows, start=1):
        if len(errors) >= MAX_COUNTED:
            break
        where = _("{f}, post {i}").format(f=file_name, i=i)
        twice = _duplicates(row)
        if twice:
            errors.append(
                _(
                    "{w}: nyckeln ”{k}” finns två gånger i samma objekt; det går inte att veta "
                    "vilket värde som gäller."
                ).format(w=where, k=clip(twice[0]))
            )
            continue
        try:
            kpi, municipality, period = str(row["kpi"]), str(row["municipality"]), _year(row["period"])
            for j, v in enumerate(row.get("values", []), start=1):
                gender = GENDERS.get(str(v.get("gender", "T")).upper())
                if gender is None:
                    raise ParseError(_("kön ”{g}” är inte T, K eller M.").format(g=v.get("gender")))
                value = _number(v.get("value"), v.get("status"))
                records.append(_record(kpi, municipality, period, gender, value, f"{where}, värde {j}"))
        except (KeyError, TypeError, AttributeError):
            errors.append(_("{w}: posten saknar kpi, municipality, period eller values.").format(w=where))
        except ParseError as err:
            errors.append(f"{where}: {err}")
    if errors:
        raise TableError(errors)
    return records


def parse_kolada_csv(sheet: Sheet) -> list[Record]:
    index = {h.strip().lower(): i for i, h in enumerate(sheet.header)}
    missing = [h for h in KOLADA_CSV_HEADER if h not in index]
    if missing:
        raise TableError([_("{w}: kolumner saknas: {c}.").format(w=sheet.where(1), c=", ".join(missing))])
    records: list[Record] = []
    errors: list[str] = []
    for line, cells in sheet.rows:

        def cell(name: str, cells=cells) -> str:
            i = index[name]
            return str(cells[i]).strip() if i < len(cells) else ""

        column = "period"
        try:
            period = _year(cell("period"))
            column = "gender"
            gender = GENDERS.get(cell("gender").upper() or "T")
            if gender is None:
                raise ParseError(_("”{g}” är inte T, K eller M.").format(g=cell("gender")))
            column = "value"
            value = _number(cell("value") or None, cell("status"))
            records.append(
                _record(cell("kpi"), cell("municipality"), period, gender, value, sheet.where(line))
            )
        except ParseError as err:
            errors.append(f"{sheet.where(line, column)}: {err}")
    if errors:
        raise TableError(errors)
    return records


def _year(period: object) -> Period:
    p = parse_period(str(period))
    return p


def _number(value: object, status: object) -> Value:
    if value is None or value == "":
        return Value.status_only(Status.NOT_COMPUTABLE if str(status or "").strip() else Status.NO_DATA)
    if isinstance(value, Decimal):  # a JSON number, exactly as written (JSON's own grammar)
        return Value.of(exact_amount(value, str(value)))
    if isinstance(value, bool) or not isinstance(value, str):
        raise ParseError(_("”{v}” är inget tal.").format(v=clip(value)))
    return parse_value(value)


def _record(kpi: str, municipality: str, period: Period, gender: str, value: Value, where: str) -> Record:
    if not kpi or not municipality:
        raise ParseError(_("kpi och kommun (municipality) måste anges."))
    return Record(
        unit_code(municipality),
        measure_key(kpi),
        Scenario.ACTUAL,
        period,
        value,
        where,
        _("Kommun {m}").format(m=municipality),
        gender=gender,
    )
