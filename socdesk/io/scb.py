"""Population (folkmängd) from SCB's Statistikdatabasen, saved as CSV ("Kommaavgränsad med
rubrik" or without it): an optional title line, then a header whose first column is
``region``, optionally ``ålder`` and ``kön``, and either a column ``år`` with the figures in the
last column (``"region","ålder","år","Folkmängd"``), or one column per year (``"2023"``,
``"Folkmängd 2023"``). Footnotes after the table are left out.

Each row becomes the population measure ``invanare`` for a year: the region ``0180
Stockholm`` is the unit code ``0180`` named Stockholm (mapped to the kommun's own unit in the
wizard or by a remembered mapping), ``kön`` män/kvinnor is M/K (totalt is the total), an
``ålder`` other than totalt is the grupp (``0-17 år``). SCB's ``..`` is a figure not available.
Where a table gives only män and kvinnor, the total is formed as their sum
(``population_totals``) and the import summary says so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from socdesk.core.errors import ParseError, clip
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.measures import POPULATION, Measure
from socdesk.core.periods import Period
from socdesk.core.values import Status, Value, parse_value
from socdesk.io.tables import Record, TableError
from socdesk.io.text import MAX_COUNTED, FileFormatError, location, read_rows

MEASURE = "invanare"
TOTAL_NOTE = _("totalt beräknat som kvinnor + män")
SOURCE = _("Källa: SCB")
_TITLE_LINES = 3  # lines before the header that a title may take
_YEAR = re.compile(r"^(?:(.*\S)\s+)?(\d{4})$")
_TOTAL = ("totalt", "totalt ålder", "samtliga", "totalt, samtliga män och kvinnor", "män och kvinnor")
_GENDERS = {"män": "M", "man": "M", "kvinnor": "K", "kvinna": "K"}


def population_measure() -> Measure:
    """The population measure (as in ``seeds/matt.csv``), for a database without it."""
    return Measure(MEASURE, _("Folkmängd (invånare)"), POPULATION, False, True, True, False)


_SEPARATOR = re.compile(r'[;,\t](?=(?:[^"]*"[^"]*")*[^"]*$)')  # a separator outside quotes


def _fields(line: str) -> list[str]:
    return [f.strip().strip('"').strip().lower() for f in _SEPARATOR.split(line)]


def looks_like_scb(data: bytes) -> bool:
    """Whether the first lines of a file are an SCB population table's (UTF-8 or Windows-1252)."""
    head = data[:4096]
    head = head[: head.rfind(b"\n") + 1] or head
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("cp1252", "replace")
    return header_line(text) is not None


def header_line(text: str) -> int | None:
    """The 0-based line of an SCB population table's header, or None for any other file."""
    lines = text.split("\n", _TITLE_LINES + 1)[: _TITLE_LINES + 1]
    for i, line in enumerate(lines):
        fields = _fields(line.rstrip("\r"))
        if not fields or fields[0] != "region":
            continue
        years = [f for f in fields if _YEAR.match(f)]
        about_population = any("folkmängd" in f for f in fields) or any(
            "folkmängd" in line.lower() for line in lines[:i]
        )
        if ("år" in fields or years) and about_population:
            return i
    return None


def parse_scb_csv(text: str, file_name: str, header_at: int) -> list[Record]:
    """The population figures of the table whose header is line ``header_at`` (0-based)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        header, rows = read_rows("\n".join(lines[header_at:]), file_name)
    except FileFormatError as err:
        raise TableError([str(err)]) from err
    offset = header_at  # read_rows counts from the header
    names = [h.strip().lower() for h in header]
    column = {n: i for i, n in enumerate(names)}
    year_columns = {i: int(m[2]) for i, n in enumerate(names) if (m := _YEAR.match(n))}
    if "år" in column:
        year_columns = {}
        value_at = len(names) - 1
    elif not year_columns:
        raise TableError([_("{f}, rad {r}: inga kolumner med år.").format(f=file_name, r=offset + 1)])
    records: list[Record] = []
    errors: list[str] = []

    def where(line: int, c: int) -> str:
        return location(file_name, line + offset, column=header[c])

    for line, cells in rows:
        if len(errors) >= MAX_COUNTED:
            break
        if len([c for c in cells if c.strip()]) <= 1 and len(cells) < len(names):
            continue  # a footnote under the table
        cell = [c.strip() for c in cells] + [""] * (len(names) - len(cells))
        region = cell[0]
        code, _sep, name = region.partition(" ")
        if not code:
            errors.append(_("{w}: regionen saknas.").format(w=where(line, 0)))
            continue
        try:
            gender = ""
            if "kön" in column:
                g = cell[column["kön"]].lower()
                if g not in _GENDERS and g not in _TOTAL:
                    raise ParseError(_("”{g}” är inte män, kvinnor eller totalt.").format(g=clip(g)))
                gender = _GENDERS.get(g, "")
            group = ""
            if "ålder" in column:
                age = cell[column["ålder"]]
                group = "" if age.lower() in _TOTAL else age
        except ParseError as err:
            errors.append(f"{where(line, column['kön'])}: {err}")
            continue
        by_year = [(column["år"], value_at)] if "år" in column else [(i, i) for i in year_columns]
        for year_at, at in by_year:
            bad = year_at
            try:
                year_text = cell[year_at] if "år" in column else str(year_columns[at])
                if not re.fullmatch(r"\d{4}", year_text):
                    raise ParseError(_("”{t}” är inget år.").format(t=clip(year_text)))
                bad, raw = at, cell[at]
                value = Value.status_only(Status.NOT_COMPUTABLE) if raw in ("..", "…") else parse_value(raw)
            except ParseError as err:
                errors.append(f"{where(line, bad)}: {err}")
                continue
            records.append(
                Record(
                    code,
                    MEASURE,
                    Scenario.ACTUAL,
                    Period.year(int(year_text)),
                    value,
                    where(line, at),
                    name.strip(),
                    gender=gender,
                    group=group,
                )
            )
    if errors:
        raise TableError(errors)
    if not records:
        raise TableError([_("{f}: tabellen har ingen folkmängd.").format(f=file_name)])
    return records + population_totals(records)


def population_totals(records: list[Record]) -> list[Record]:
    """The total population where a table states only män and kvinnor (SCB's folkmängd often
    does): for each unit, year and grupp with both K and M stated as numbers and no total, a
    total that is their sum, its ``where`` naming both rows and ``TOTAL_NOTE``. The rates
    (``core.rates``) then find the total as if it were stated; ``socdesk check`` compares a
    stated total with K + M as for any breakdown."""
    by_key: dict[tuple, dict[str, Record]] = {}
    for r in records:
        by_key.setdefault((r.unit, r.period, r.group), {})[r.gender] = r
    out = []
    for genders in by_key.values():
        k, m = genders.get("K"), genders.get("M")
        if "" in genders or k is None or m is None or not (k.value.is_number and m.value.is_number):
            continue
        total = (k.value.number or 0) + (m.value.number or 0)
        where = _("{k} + {m}, {n}").format(k=k.where, m=m.where, n=TOTAL_NOTE)
        out.append(replace(k, value=Value.of(total), where=where, gender=""))
    return out
