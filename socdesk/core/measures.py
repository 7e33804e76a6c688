"""Measures and their metadata, read from the measures file (``seeds/matt.csv``).

Columns (``;``-separated, UTF-8): ``nyckel;namn;enhet;additiv_tid;additiv_enheter;
additiv_uppdelning;högre_bättre;formel``. ``enhet`` is the unit of measure (kr, antal, dygn,
timmar, personer, %, …). ``additiv_uppdelning`` says whether a breakdown (kön, åldersgrupp)
adds up to its total: true for counts of unique persons, which add over kön but neither over
time nor over units. ``formel`` gives derived figures, alternatives separated by ``|`` (see
``socdesk.core.formula``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from socdesk.core.errors import ParseError
from socdesk.core.i18n import _

UNITS_OF_MEASURE = (
    "kr",
    "antal",
    "personer",
    "dygn",
    "timmar",
    "%",
    "årsplaceringar",
    "kr/dygn",
    "kr/årsplacering",
    "timmar/månad",
    "timmar/år",
    "per 10 000",
    "resor",
    "resor/kund",
    "medeltal",
)
# Whole numbers of these are exact counts, not rounded figures.
EXACT_COUNTS = ("antal", "personer", "dygn", "resor")
MONEY = "kr"


@dataclass(frozen=True, slots=True)
class Measure:
    key: str
    name: str
    unit: str
    additive_time: bool
    additive_units: bool
    additive_breakdown: bool
    higher_is_better: bool
    formula: str = ""

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY

    @property
    def is_exact_count(self) -> bool:
        """A whole number of this measure is exact (a count), not a rounded figure."""
        return self.unit in EXACT_COUNTS


_TRUE = {"ja", "j", "true", "1", "x", "sant"}
_FALSE = {"nej", "n", "false", "0", "", "falskt"}
COLUMNS = (
    "nyckel",
    "namn",
    "enhet",
    "additiv_tid",
    "additiv_enheter",
    "additiv_uppdelning",
    "högre_bättre",
    "formel",
)


def _bool(text: str, where: str) -> bool:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ParseError(_("{where}: ”{t}” är inte ja eller nej.").format(where=where, t=text))


def parse_measures(text: str, filename: str = "matt.csv") -> list[Measure]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS[:7] if c not in header]
    if missing:
        raise ParseError(_("{f}: kolumner saknas: {cols}.").format(f=filename, cols=", ".join(missing)))
    out: list[Measure] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        where = f"{filename}, rad {lineno}"
        key = row["nyckel"]
        if not key:
            raise ParseError(_("{where}: nyckel saknas.").format(where=where))
        if key in seen:
            raise ParseError(_("{where}: måttet {k} finns redan.").format(where=where, k=key))
        if row["enhet"] not in UNITS_OF_MEASURE:
            raise ParseError(
                _("{where}, kolumn enhet: okänd måttenhet ”{u}”.").format(where=where, u=row["enhet"])
            )
        seen.add(key)
        out.append(
            Measure(
                key=key,
                name=row["namn"],
                unit=row["enhet"],
                additive_time=_bool(row["additiv_tid"], where + ", kolumn additiv_tid"),
                additive_units=_bool(row["additiv_enheter"], where + ", kolumn additiv_enheter"),
                additive_breakdown=_bool(row["additiv_uppdelning"], where + ", kolumn additiv_uppdelning"),
                higher_is_better=_bool(row["högre_bättre"], where + ", kolumn högre_bättre"),
                formula=row.get("formel", ""),
            )
        )
    return out
