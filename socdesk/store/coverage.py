"""Which units state utfall for which months, and which have a budget: what
``socdesk.reports.economy.UtfallCoverage`` needs to tell a complete total from one that rests on
units that have not reported yet. Two queries per measure and year, for every unit at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from socdesk.core.facts import Scenario
from socdesk.core.periods import Month
from socdesk.store.db import Store


@dataclass(frozen=True, slots=True)
class StatedUtfall:
    """A year of one measure: each unit's own stated utfall periods (totals over kön and grupp,
    figures only) and the units with any budget stated for the year (any version)."""

    year: int
    utfall: dict[str, list[tuple[Month, Month]]] = field(default_factory=dict)
    budgeted: frozenset[str] = frozenset()


def _month(text: str) -> Month:
    year, month = text.split("-")
    return Month(int(year), int(month))


def stated_utfall(store: Store, measure: str, year: int) -> StatedUtfall:
    start, end = f"{year}-01", f"{year}-12"
    utfall: dict[str, list[tuple[Month, Month]]] = {}
    for row in store._dicts(
        "SELECT DISTINCT u.code, f.period_start, f.period_end FROM facts f "
        "JOIN units u ON u.id = f.unit_id "
        "WHERE f.measure = ? AND f.scenario = ? AND f.version = '' AND f.period_start >= ? "
        "AND f.period_end <= ? AND f.gender = '' AND f.grp = '' AND f.status = 'value'",
        (measure, Scenario.ACTUAL.value, start, end),
    ):
        utfall.setdefault(row["code"], []).append((_month(row["period_start"]), _month(row["period_end"])))
    budgeted = frozenset(
        row["code"]
        for row in store._dicts(
            "SELECT DISTINCT u.code FROM facts f JOIN units u ON u.id = f.unit_id "
            "WHERE f.measure = ? AND f.scenario = ? AND f.period_start >= ? AND f.period_end <= ? "
            "AND f.gender = '' AND f.grp = '' AND f.status = 'value'",
            (measure, Scenario.BUDGET.value, start, end),
        )
    )
    return StatedUtfall(year, utfall, budgeted)
