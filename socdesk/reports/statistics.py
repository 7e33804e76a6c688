"""Verksamhetsstatistik for one unit: volume measures over the periods they were stated for,
and key figures computed by the core. Non-additive measures are never summed."""

from __future__ import annotations

from dataclasses import dataclass

from socdesk.core import rates
from socdesk.core.facts import FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.keyfigures import cost_per_day, cost_per_placement_year, days_basis
from socdesk.core.measures import Measure
from socdesk.core.numbers import round_half_up
from socdesk.core.periods import Period
from socdesk.core.units import UnitTree
from socdesk.core.values import Status, Value
from socdesk.store.db import Store
from socdesk.store.figures import Figures

DERIVED = {
    "nettokostnad_per_dygn_beraknad": "Nettokostnad per dygn (beräknad)",
    "nettokostnad_per_arsplacering_beraknad": "Nettokostnad per årsplacering (beräknad)",
}


@dataclass(frozen=True, slots=True)
class StatRow:
    key: str
    name: str
    unit_of_measure: str
    values: list[Value]  # one per period
    computed: bool = False
    decimals: int | None = None  # shown with exactly these (computed rates), else as stated
    note: str = ""  # how a computed row is computed
    value_notes: tuple[str, ...] = ()  # per period: the note stored with the figure ("" none)


@dataclass(frozen=True, slots=True)
class StatisticsTable:
    unit: str
    periods: list[Period]
    rows: list[StatRow]
    sources: tuple[str, ...] = ()  # named sources of benchmark figures ("Källa: Kolada")


def statistics_table(
    store: Store, unit: str, *, tree: UnitTree | None = None, figures: Figures | None = None
) -> StatisticsTable:
    tree = tree or store.unit_tree()
    figures = figures or Figures(store, tree)
    measures = store.measures()
    # What the unit states itself, and what its subtree adds up to (the rollup): a handful of
    # indexed rows even for a large board, instead of a scan of every descendant's facts.
    found = store.stated_periods(unit, Scenario.ACTUAL)
    volume: dict[str, Measure] = {}
    periods: set[Period] = set()
    for key, p in found:
        m = measures.get(key)
        if m is None or m.is_money or m.unit == "%":
            continue
        if p.kind not in ("year", "quarter"):
            continue
        volume[key] = m
        periods.add(p)
    ordered = sorted(periods, key=lambda p: (p.kind != "year", p.start))
    rows: list[StatRow] = []
    notes = store.value_notes(unit) if volume else {}  # Kolada's status, a group's mean …
    for key in sorted(volume, key=lambda k: list(measures).index(k)):
        m = volume[key]
        values = [figures.values([unit], m, Scenario.ACTUAL, p)[unit] for p in ordered]
        if any(v.is_number or v.status is not Status.NO_DATA for v in values):
            stated = tuple(notes.get((key, p), "") for p in ordered)
            rows.append(StatRow(key, m.name, m.unit, values, value_notes=stated if any(stated) else ()))
    # key figures from net cost and care days where both are known
    net = measures.get("netto")
    days = measures.get("varddygn")
    if net is not None and days is not None:
        # days as the measure declares them (its formula's dagar or dagar365), never assumed
        per_year_measure = measures.get("nettokostnad_per_arsplacering")
        basis = days_basis(per_year_measure.formula if per_year_measure is not None else "")
        per_day, per_year = [], []
        for p in ordered:
            cost = figures.values([unit], net, Scenario.ACTUAL, p)[unit]
            d = figures.values([unit], days, Scenario.ACTUAL, p)[unit]
            if cost.is_number and d.is_number and d.number:
                per_day.append(Value.of(round_half_up(cost_per_day(cost.number, d.number))))  # type: ignore[union-attr,arg-type]
                per_year.append(
                    Value.of(round_half_up(cost_per_placement_year(cost.number, d.number, p, basis)))
                )  # type: ignore[union-attr,arg-type]
            else:
                per_day.append(Value.status_only(Status.NO_DATA))
                per_year.append(Value.status_only(Status.NO_DATA))
        if any(v.is_number for v in per_day):
            rows.append(
                StatRow(
                    "nettokostnad_per_dygn_beraknad",
                    DERIVED["nettokostnad_per_dygn_beraknad"],
                    "kr/dygn",
                    per_day,
                    True,
                )
            )
            rows.append(
                StatRow(
                    "nettokostnad_per_arsplacering_beraknad",
                    DERIVED["nettokostnad_per_arsplacering_beraknad"],
                    "kr/årsplacering",
                    per_year,
                    True,
                )
            )
    rows += rate_rows(unit, ordered, measures, figures)
    sources = tuple(store.sources(unit, "Källa:"))
    return StatisticsTable(unit, ordered, rows, sources)


def rate_rows(
    unit: str, periods: list[Period], measures: dict[str, Measure], figures: Figures
) -> list[StatRow]:
    """Measures whose formula reads a population (kr per invånare, per 10 000 invånare),
    computed by ``core.rates`` for each period where the inputs are stated."""

    def lookup(key: FactKey) -> Value | None:
        m = measures.get(key.measure)
        if m is None or key.gender or key.group or key.version:
            return None
        return figures.values([key.unit], m, key.scenario, key.period)[key.unit]

    rows = []
    for m in measures.values():
        if not rates.uses_population(m, measures):
            continue
        values = []
        for p in periods:
            number = rates.compute(m, FactKey(unit, m.key, Scenario.ACTUAL, p), measures, lookup)
            values.append(rates.shown(number, m) if number is not None else Value.status_only(Status.NO_DATA))
        if any(v.is_number for v in values):
            name = _("{n} (beräknad)").format(n=m.name)
            note = _("Beräknat av socdesk: {f} (folkmängden för året)").format(f=m.formula)
            decimals = rates.DISPLAY_DECIMALS.get(m.unit, 0)
            rows.append(StatRow(f"{m.key}_beraknad", name, m.unit, values, True, decimals, note))
    return rows
