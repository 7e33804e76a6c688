"""Kolada benchmarks (RKA's open database of municipal key figures): API v2 and v3 response
files saved by the user, and a simple CSV ``kpi;municipality;period;gender;value;status``.

Each KPI becomes a benchmark measure ``kolada_<KPI>`` (source "Källa: Kolada"), each kommun,
region, municipality group (``G…``) or organisational unit (``/oudata/``: ``"ou"``) a unit under
"KOLADA Jämförelser (Kolada)", named from the kommun list (``0180 Stockholm``); gender T is the
total, K and M the breakdown. A group's value is an unweighted mean: the fact's comment says so
(with ``count``), and keeps Kolada's ``status``. A page of a paginated response says so; several
pages import as one (``combine_pages``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from socdesk.core.errors import ParseError, clip
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _, n_
from socdesk.core.measures import POPULATION, Measure
from socdesk.core.periods import Period, parse_period
from socdesk.core.values import Status, Value, exact_amount, parse_value
from socdesk.io.sheets import Sheet
from socdesk.io.tables import Record, TableError
from socdesk.io.text import MAX_COUNTED
from socdesk.resources import resource

ROOT = "KOLADA"
ROOT_NAME = _("Jämförelser (Kolada)")
SOURCE = _("Källa: Kolada")
GENDERS = {"T": "", "K": "K", "M": "M"}
STATUS_NOTE = _("Koladas status: {s}")
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


@dataclass(frozen=True)
class Page:
    """Where a page of a paginated Kolada response stands: the query (its URL without the page
    parameter), its number and whether the API has a page after it."""

    query: str
    number: int
    next_url: str = ""


@dataclass
class KoladaFile:
    records: list[Record] = field(default_factory=list)
    page: Page | None = None  # None: the whole response in one file


def parse_kolada_json(data: bytes, file_name: str) -> list[Record]:
    return read_kolada_json(data, file_name).records


def read_kolada_json(data: bytes, file_name: str) -> KoladaFile:
    """A saved response of ``/v2/data/…``, ``/v2/oudata/…`` or v3's ``/data/…`` (their shapes
    are one: ``values`` of records with ``kpi``, ``municipality`` or ``ou``, ``period`` and
    ``values`` per gender with ``value``, ``status`` and ``count``)."""
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
            if "municipality" in row and "ou" in row:
                raise ParseError(_("posten anger både municipality och ou; en post gäller en av dem."))
            ou = "ou" in row
            area = str(row["ou"] if ou else row["municipality"])
            kpi, period = str(row["kpi"]), _year(row["period"])
            title = row.get("ou_title" if ou else "municipality_title") or row.get("title") or ""
            name = unit_name(area, ou=ou, title=str(title))
            for j, v in enumerate(row.get("values", []), start=1):
                gender = GENDERS.get(str(v.get("gender", "T")).upper())
                if gender is None:
                    raise ParseError(_("kön ”{g}” är inte T, K eller M.").format(g=v.get("gender")))
                value = _number(v.get("value"), v.get("status"))
                comment = value_note(area, v.get("status"), v.get("count"), ou=ou)
                at = f"{where}, värde {j}"
                records.append(_record(kpi, area, period, gender, value, at, name, comment, ou=ou))
        except (KeyError, TypeError, AttributeError):
            errors.append(
                _("{w}: posten saknar kpi, municipality (eller ou), period eller values.").format(w=where)
            )
        except ParseError as err:
            errors.append(f"{where}: {err}")
    if errors:
        raise TableError(errors)
    return KoladaFile(records, _page(doc))


def _page(doc: dict) -> Page | None:
    """v2 writes ``next_page``/``previous_page``, v3 ``next_url``/``previous_url``."""
    next_url = str(doc.get("next_page") or doc.get("next_url") or "")
    previous = str(doc.get("previous_page") or doc.get("previous_url") or "")
    if not next_url and not previous:
        return None
    if next_url:
        query, number = _split_page(next_url)
        return Page(query, number - 1, next_url)
    query, number = _split_page(previous)
    return Page(query, number + 1)


def _split_page(url: str) -> tuple[str, int]:
    """The query without its ``page`` parameter, and the page number (1 when not given)."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    page = next((v for k, v in params if k == "page"), "1")
    rest = urlencode([(k, v) for k, v in params if k != "page"])
    number = int(page) if page.isdigit() else 1
    return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")), number


def combine_pages(files: list[tuple[str, KoladaFile]]) -> tuple[list[Record], list[str]]:
    """Several page files of one response, read as one import: their records, and notes on the
    pages that are not among them. Files of another query, or the same page twice, are refused."""
    paged = [(name, f.page) for name, f in files if f.page is not None]
    if len(paged) != len(files):
        whole = next(name for name, f in files if f.page is None)
        raise TableError(
            [
                _(
                    "{f} är ett helt svar från Kolada, inte en sida av ett svar i flera sidor; "
                    "läs in den för sig."
                ).format(f=whole)
            ]
        )
    first_name, first = paged[0]
    errors: list[str] = []
    seen: dict[int, str] = {}
    for name, page in paged:
        assert page is not None
        if page.query != first.query:  # type: ignore[union-attr]
            errors.append(
                _("{f} är en sida av ett annat svar från Kolada än {g} ({q}).").format(
                    f=name, g=first_name, q=page.query
                )
            )
        elif page.number in seen:
            errors.append(
                _("{f} och {g} är samma sida ({n}) av svaret från Kolada.").format(
                    f=seen[page.number], g=name, n=page.number
                )
            )
        seen.setdefault(page.number, name)
    if errors:
        raise TableError(errors)
    return [r for _n, f in files for r in f.records], pages_note(paged)


def pages_note(paged: list[tuple[str, Page | None]]) -> list[str]:
    """Notes naming the pages of a paginated response the import does not have."""
    pages = {p.number: (name, p) for name, p in paged if p is not None}
    if not pages:
        return []
    notes: list[str] = []
    last = max(pages)
    missing = [n for n in range(1, last) if n not in pages]
    if missing:
        notes.append(
            n_(
                "Sidan {s} av svaret från Kolada finns inte bland filerna; dess uppgifter saknas.",
                "Sidorna {s} av svaret från Kolada finns inte bland filerna; deras uppgifter saknas.",
                len(missing),
            ).format(s=", ".join(str(n) for n in missing))
        )
    name, page = pages[last]
    if page.next_url:
        notes.append(
            _(
                "{f} är sida {n} av ett svar från Kolada med fler sidor (nästa: {u}). Hämta resten "
                "och läs in alla sidor i samma import (socdesk import sida1.json sida2.json …)."
            ).format(f=name, n=page.number, u=page.next_url)
        )
    return notes


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
            area = cell("municipality")
            note = value_note(area, cell("status"), None)
            records.append(
                _record(cell("kpi"), area, period, gender, value, sheet.where(line), unit_name(area), note)
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


def _record(
    kpi: str,
    area: str,
    period: Period,
    gender: str,
    value: Value,
    where: str,
    name: str,
    comment: str = "",
    *,
    ou: bool = False,
) -> Record:
    if not kpi or not area:
        raise ParseError(_("kpi och kommun (municipality) måste anges."))
    return Record(
        unit_code(area),
        measure_key(kpi),
        Scenario.ACTUAL,
        period,
        value,
        where,
        name,
        gender=gender,
        comment=comment,
    )


def is_group(area: str) -> bool:
    """Kolada's municipality groups (``G…``: its own and the user's, e.g. "Liknande kommuner")."""
    return area[:1].upper() == "G"


def unit_name(area: str, *, ou: bool = False, title: str = "") -> str:
    """``0180 Stockholm`` (the kommun list), ``0001 Region Stockholm``, ``0000 Riket``; a group or
    an organisational unit by the title in the file, else ``Kommungrupp G…`` / ``Organisationsenhet …``."""
    if ou:
        return title.strip() or _("Organisationsenhet {o}").format(o=area)
    if is_group(area):
        return title.strip() or _("Kommungrupp {g}").format(g=area)
    known = area_names()
    if area in known:
        return f"{area} {known[area]}"
    return f"{area} {title.strip()}" if title.strip() else _("Kommun {m}").format(m=area)


def summary_notes(records: list[Record]) -> list[str]:
    """What the import summary says of group means and Kolada statuses kept."""
    means = sum(1 for r in records if r.unit.startswith(unit_code("G")) and r.value.is_number)
    statuses = sum(1 for r in records if STATUS_NOTE.partition("{")[0] in r.comment)
    notes = []
    if means:
        notes.append(
            n_(
                "{n} värde för en kommungrupp är ett ovägt medelvärde av gruppens kommuner; det står "
                "i uppgiftens anmärkning (med antalet kommuner).",
                "{n} värden för kommungrupper är ovägda medelvärden av gruppens kommuner; det står "
                "i uppgifternas anmärkning (med antalet kommuner).",
                means,
            ).format(n=means)
        )
    if statuses:
        notes.append(
            n_(
                "{n} värde har en status från Kolada; den sparas som uppgiftens anmärkning.",
                "{n} värden har en status från Kolada; den sparas som uppgiftens anmärkning.",
                statuses,
            ).format(n=statuses)
        )
    return notes


def value_note(area: str, status: object, count: object, *, ou: bool = False) -> str:
    """The note kept with a figure: a group's value is an unweighted mean of its kommuner
    (``count`` of them), and Kolada's ``status`` of the value."""
    notes = []
    if not ou and is_group(area):
        if isinstance(count, Decimal) and count == count.to_integral_value() and count > 0:
            notes.append(_("Ovägt medelvärde av {n} kommuner (Kolada)").format(n=int(count)))
        else:
            notes.append(_("Ovägt medelvärde av kommunerna i gruppen (Kolada)"))
    text = str(status).strip() if status is not None else ""
    if text:
        notes.append(STATUS_NOTE.format(s=clip(text)))
    return "; ".join(notes)


@cache
def area_names() -> dict[str, str]:
    """Kolada's codes for Sweden's 290 kommuner, 21 regioner (00 + länskod) and the country,
    from ``resources/kommuner.csv`` (SCB's codes)."""
    names = {"0000": _("Riket")}
    for code, name, kind in kommuner():
        names["00" + code if kind == "region" else code] = name
    return names


@cache
def kommuner() -> tuple[tuple[str, str, str], ...]:
    """(SCB code, name, ``kommun`` | ``region``), as the resource lists them."""
    text = resource("kommuner.csv").read_text(encoding="utf-8")
    rows = [line.split(";") for line in text.splitlines() if line and not line.startswith("#")]
    return tuple((r[0], r[1], r[2]) for r in rows[1:])
