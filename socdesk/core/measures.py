"""Measures and their metadata, read from the measures file (``seeds/matt.csv``).

Columns (``;``-separated, UTF-8): ``nyckel;namn;enhet;additiv_tid;additiv_enheter;
additiv_uppdelning;högre_bättre;formel``. ``enhet`` is the unit of measure (kr, antal, dygn,
timmar, personer, %, …). ``additiv_uppdelning`` says whether a breakdown (kön, åldersgrupp)
adds up to its total: true for counts of unique persons, which add over kön but neither over
time nor over units. ``formel`` gives derived figures, alternatives separated by ``|`` (see
``socdesk.core.formula``).

A kommun declares its own measures the same way: a ``mått.csv`` beside an imported file, a
sheet named *Mått* in a workbook, or Inställningar → Mått. ``measure_from_row`` is the one
reading of a declared row, ``validate`` the one rule for a declaration, and ``conflict`` says
when a declaration contradicts a stored measure (another unit of measure or additivity).
A measure whose unit is ``invånare`` is a population: formulas use it for rates
(``netto / invanare``, ``placeringar / invanare * 10000``; see ``socdesk.core.rates``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from socdesk.core.errors import ParseError, clip
from socdesk.core.formula import PERIOD_VARIABLES, Formula, alternatives
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
    "invånare",
    "kr/invånare",
    "index",
)
POPULATION = "invånare"  # the unit of measure of a population (folkmängd)
# Whole numbers of these are exact counts, not rounded figures.
EXACT_COUNTS = ("antal", "personer", "dygn", "resor", POPULATION)
MONEY = "kr"
# A share or a rate adds up over neither units nor a breakdown (15 % + 20 % is no 35 %).
RATE_UNITS = ("%", "kr/invånare")
KEY_PATTERN = re.compile(r"^[A-Za-zåäöÅÄÖ][A-Za-zåäöÅÄÖ0-9_]{0,59}$")


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

    @property
    def is_population(self) -> bool:
        return self.unit == POPULATION

    def conflict(self, other: Measure) -> str:
        """What makes ``other`` (a declaration of the same key) another measure than this one:
        the unit of measure or an additivity; ``""`` when it is the same measure (a new name,
        higher-is-better or formula only changes its description)."""
        yes, no = _("ja"), _("nej")
        for column, mine, theirs in (
            ("enhet", self.unit, other.unit),
            ("additiv_tid", self.additive_time, other.additive_time),
            ("additiv_enheter", self.additive_units, other.additive_units),
            ("additiv_uppdelning", self.additive_breakdown, other.additive_breakdown),
        ):
            if mine != theirs:
                shown = [(yes if v else no) if isinstance(v, bool) else f"”{v}”" for v in (mine, theirs)]
                return _(
                    "kolumn {c}: måttet {k} finns redan med {a}, inte {b}; ett mått byter inte enhet "
                    "eller additivitet (då blir lagrade uppgifter fel). Ge det nya måttet en egen nyckel."
                ).format(c=column, k=self.key, a=shown[0], b=shown[1])
        return ""


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


_ALIASES = {"hogre_battre": "högre_bättre", "högre_battre": "högre_bättre", "formula": "formel"}


def header_columns(header: Iterable[str]) -> list[str]:
    """The declaration columns a header names (lower case, ``hogre_battre`` for ``högre_bättre``)."""
    out = []
    for h in header:
        n = str(h).strip().lower()
        out.append(_ALIASES.get(n, n))
    return out


def missing_columns(columns: Iterable[str]) -> list[str]:
    present = set(columns)
    return [c for c in COLUMNS[:7] if c not in present]


def measure_from_row(row: dict[str, str], where: Callable[[str], str]) -> Measure:
    """One declared measure from its row (column → text); ``where(column)`` names the file, row
    and column for a message. Checks the key, the unit of measure and the yes/no columns."""
    key = row.get("nyckel", "").strip()
    if not KEY_PATTERN.match(key):
        raise ParseError(
            _(
                "{w}: nyckeln ”{k}” ska vara bokstäver, siffror och _ och börja med en bokstav "
                "(t.ex. kostnad_per_invanare)."
            ).format(w=where("nyckel"), k=clip(key))
            if key
            else _("{w}: nyckel saknas.").format(w=where("nyckel"))
        )
    unit = row.get("enhet", "").strip()
    if unit not in UNITS_OF_MEASURE:
        raise ParseError(
            _("{w}: okänd måttenhet ”{u}” (kända: {k}).").format(
                w=where("enhet"), u=clip(unit), k=", ".join(UNITS_OF_MEASURE)
            )
        )
    return Measure(
        key=key,
        name=row.get("namn", "").strip(),
        unit=unit,
        additive_time=_bool(row.get("additiv_tid", ""), where("additiv_tid")),
        additive_units=_bool(row.get("additiv_enheter", ""), where("additiv_enheter")),
        additive_breakdown=_bool(row.get("additiv_uppdelning", ""), where("additiv_uppdelning")),
        higher_is_better=_bool(row.get("högre_bättre", ""), where("högre_bättre")),
        formula=row.get("formel", "").strip(),
    )


def validate(measure: Measure, known: dict[str, Measure], where: Callable[[str], str]) -> None:
    """The rule for a declared measure, given the measures it may refer to (``known``, the
    stored ones and those declared with it): a key (``KEY_PATTERN``, not ``dagar``/``manader``),
    a name, a known unit of measure, and a formula that reads and names only known measures,
    not itself; a rate (a formula that divides by a measure, or a unit of measure ``%``,
    ``kr/invånare`` or ``per …``) is not additive over units or in a breakdown. Raises
    ``ParseError`` naming ``where(column)``."""
    if not KEY_PATTERN.match(measure.key) or measure.key in PERIOD_VARIABLES:
        raise ParseError(
            _(
                "{w}: nyckeln ”{k}” ska vara bokstäver, siffror och _ och börja med en bokstav "
                "(inte dagar eller manader)."
            ).format(w=where("nyckel"), k=clip(measure.key))
        )
    if not measure.name.strip():
        raise ParseError(_("{w}: måttet {k} behöver ett namn.").format(w=where("namn"), k=measure.key))
    if measure.unit not in UNITS_OF_MEASURE:
        raise ParseError(_("{w}: okänd måttenhet ”{u}”.").format(w=where("enhet"), u=clip(measure.unit)))
    try:
        formulas: list[Formula] = alternatives(measure.formula) if measure.formula else []
    except ParseError as err:
        raise ParseError(f"{where('formel')}: {err}") from err
    rate = measure.unit in RATE_UNITS or measure.unit.startswith("per ")
    reason = (
        _("måttenheten är {u}").format(u=measure.unit)
        if rate
        else _("formeln ”{f}” delar med ett mått").format(f=clip(measure.formula))
        if any(f.divides_by_measure for f in formulas)
        else ""
    )
    for column, additive in (
        ("additiv_enheter", measure.additive_units),
        ("additiv_uppdelning", measure.additive_breakdown),
    ):
        if reason and additive:
            raise ParseError(
                _(
                    "{w}: måttet {k} är en andel eller ett tal per något ({r}) och kan inte "
                    "summeras över enheter eller i en uppdelning; sätt additiv_enheter och "
                    "additiv_uppdelning till nej."
                ).format(w=where(column), k=measure.key, r=reason)
            )
    for formula in formulas:
        if measure.key in formula.inputs:
            raise ParseError(
                _("{w}: formeln för {k} räknar med måttet självt.").format(w=where("formel"), k=measure.key)
            )
        unknown = sorted(formula.inputs - set(known))
        if unknown:
            raise ParseError(
                _("{w}: formeln ”{f}” nämner okända mått: {m}.").format(
                    w=where("formel"), f=clip(formula.text), m=", ".join(clip(u) for u in unknown[:5])
                )
            )


def parse_measures(text: str, filename: str = "matt.csv") -> list[Measure]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    header = header_columns(reader.fieldnames or [])
    missing = missing_columns(header)
    if missing:
        raise ParseError(_("{f}: kolumner saknas: {cols}.").format(f=filename, cols=", ".join(missing)))
    out: list[Measure] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(reader, start=2):
        row = {c: (v or "").strip() for c, v in zip(header, raw.values(), strict=False) if c}
        where = f"{filename}, rad {lineno}"
        m = measure_from_row(row, lambda column, where=where: f"{where}, kolumn {column}")
        if m.key in seen:
            raise ParseError(_("{where}: måttet {k} finns redan.").format(where=where, k=m.key))
        seen.add(m.key)
        out.append(m)
    return out
