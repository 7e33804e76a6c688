"""What the marks of the Ekonomi table need from the store: which units state utfall for which
months and which have a budget (``socdesk.reports.economy.UtfallCoverage`` tells a complete
total from one resting on units that have not reported), which units state figures of their
own, and the figures of one scenario that units state for exactly a period. Each is one
aggregate query for many units, walking the facts by a covering index."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period
from socdesk.core.values import from_store_int
from socdesk.store.db import Store

_BATCH = 500  # codes per ``IN (…)``


@dataclass(frozen=True, slots=True)
class StatedUtfall:
    """A year of one measure, per unit code: the months its own stated utfall covers (bit
    m − 1 for month m; totals over kön and grupp, figures only, the original version), the
    first month of its stated utfall, and the units with any budget for the year (any version)."""

    year: int
    months: dict[str, int] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)
    budgeted: frozenset[str] = frozenset()
    # What ``UtfallCoverage`` derived from these figures (valid as long as they are: a cached
    # ``StatedUtfall`` is read again after the next write, a new unit included).
    derived: dict = field(default_factory=dict)


def _batches(units: list[str] | None) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(the WHERE clause's start, its parameters) for every unit at once or for batches of them."""
    if units is None:
        yield "", ()
        return
    for i in range(0, len(units), _BATCH):
        batch = tuple(units[i : i + _BATCH])
        yield f"u.code IN ({','.join('?' * len(batch))}) AND ", batch


def stated_utfall(store: Store, measure: str, year: int, units: list[str] | None = None) -> StatedUtfall:
    """For every unit, or only for ``units`` (a subtree: the queries then walk those units'
    facts instead of the year's facts of every unit)."""
    start, end = f"{year}-01", f"{year}-12"
    covers = " + ".join(
        f"max(CASE WHEN f.period_start <= '{year}-{m:02d}' AND f.period_end >= '{year}-{m:02d}' "
        f"THEN {1 << (m - 1)} ELSE 0 END)"
        for m in range(1, 13)
    )
    versions = ["", *(v["version"] for v in store.budget_versions(year))]
    in_versions = ",".join("?" * len(versions))
    months: dict[str, int] = {}
    first: dict[str, int] = {}
    budgeted: set[str] = set()
    for where, codes in _batches(units):
        for code, first_start, bits in store.conn.execute(
            f"SELECT u.code, min(f.period_start), {covers} FROM units u CROSS JOIN facts f "
            f"ON f.unit_id = u.id WHERE {where}f.measure = ? AND f.scenario = ? AND f.gender = '' "
            "AND f.grp = '' AND f.version = '' AND f.period_start >= ? AND f.period_end <= ? "
            "AND f.status = 'value' GROUP BY u.id",
            (*codes, measure, Scenario.ACTUAL.value, start, end),
        ):
            months[code] = bits
            first[code] = int(first_start[5:7])
        budgeted.update(
            code
            for (code,) in store.conn.execute(
                f"SELECT u.code FROM units u WHERE {where}EXISTS (SELECT 1 FROM facts f "
                "WHERE f.unit_id = u.id AND f.measure = ? AND f.scenario = ? AND f.gender = '' "
                f"AND f.grp = '' AND f.version IN ({in_versions}) AND f.period_start >= ? "
                "AND f.period_end <= ? AND f.status = 'value')",
                (*codes, measure, Scenario.BUDGET.value, *versions, start, end),
            )
        )
    return StatedUtfall(year, months, first, frozenset(budgeted))


class StatedUtfallCache:
    """``stated_utfall`` of the whole tree, kept while the database is unchanged: its
    generation (every committed write, by any program) says when to read it again."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, int], tuple[int, StatedUtfall]] = {}

    def get(self, store: Store, measure: str, year: int) -> StatedUtfall:
        generation = store.generation
        kept = self._kept.get((measure, year))
        if kept is not None and kept[0] == generation:
            return kept[1]
        stated = stated_utfall(store, measure, year)
        self._kept[(measure, year)] = (generation, stated)
        return stated


def units_stating(store: Store, units: list[str], measure: str, within: Period) -> set[str]:
    """Those of ``units`` that state any figure of the measure inside the period themselves."""
    out: set[str] = set()
    for where, codes in _batches(units):
        out.update(
            code
            for (code,) in store.conn.execute(
                f"SELECT DISTINCT u.code FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
                f"WHERE {where}f.measure = ? AND f.period_start >= ? AND f.period_end <= ?",
                (*codes, measure, str(within.start), str(within.end)),
            )
        )
    return out


def stated_exactly(
    store: Store, units: list[str], measure: str, scenario: Scenario, period: Period
) -> dict[tuple[str, str], Decimal]:
    """The figures these units state themselves for exactly the period in the scenario (totals
    over kön and grupp), by (unit, version)."""
    out: dict[tuple[str, str], Decimal] = {}
    for where, codes in _batches(units):
        for code, version, value in store.conn.execute(
            f"SELECT u.code, f.version, f.value FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
            f"WHERE {where}f.measure = ? AND f.scenario = ? AND f.gender = '' AND f.grp = '' "
            "AND f.period_start = ? AND f.period_end = ? AND f.status = 'value'",
            (*codes, measure, scenario.value, str(period.start), str(period.end)),
        ):
            out[(code, version)] = from_store_int(value)
    return out
