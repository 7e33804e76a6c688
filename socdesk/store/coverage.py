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


def stated_utfall(store: Store, measure: str, year: int, units: list[str] | None = None) -> StatedUtfall:
    """For every unit, or only for ``units`` (a subtree: each query then walks those units'
    facts by the covering index instead of the year's facts of every unit)."""
    start, end = f"{year}-01", f"{year}-12"
    utfall: dict[str, list[tuple[Month, Month]]] = {}
    budgeted: set[str] = set()
    batches: list[list[str] | None] = (
        [None] if units is None else [units[i : i + 500] for i in range(0, len(units), 500)]
    )
    for batch in batches:
        where = "" if batch is None else f"u.code IN ({','.join('?' * len(batch))}) AND "
        codes = tuple(batch or ())
        for row in store._dicts(
            "SELECT DISTINCT u.code, f.period_start, f.period_end FROM units u "
            "CROSS JOIN facts f ON f.unit_id = u.id "
            f"WHERE {where}f.measure = ? AND f.scenario = ? AND f.gender = '' AND f.grp = '' "
            "AND f.version = '' AND f.period_start >= ? AND f.period_end <= ? AND f.status = 'value'",
            (*codes, measure, Scenario.ACTUAL.value, start, end),
        ):
            utfall.setdefault(row["code"], []).append(
                (_month(row["period_start"]), _month(row["period_end"]))
            )
        budgeted.update(
            row["code"]
            for row in store._dicts(
                "SELECT DISTINCT u.code FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
                f"WHERE {where}f.measure = ? AND f.scenario = ? AND f.gender = '' AND f.grp = '' "
                "AND f.period_start >= ? AND f.period_end <= ? AND f.status = 'value'",
                (*codes, measure, Scenario.BUDGET.value, start, end),
            )
        )
    return StatedUtfall(year, utfall, frozenset(budgeted))
