"""The follow-up table: a unit's children with Utfall, Budget, Avvikelse and Årsbudget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socdesk.core.facts import Scenario
from socdesk.core.measures import Measure
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.variance import variance, variance_pct
from socdesk.store.db import Store

NET = "netto"


@dataclass(frozen=True, slots=True)
class FollowupRow:
    unit: Unit
    actual: Decimal | None
    budget: Decimal | None
    annual_budget: Decimal | None
    variance: Decimal | None
    variance_pct: Decimal | None
    is_total: bool = False


@dataclass(frozen=True, slots=True)
class FollowupTable:
    unit: Unit
    period: Period
    rows: list[FollowupRow]  # the children, then the unit itself as the total row

    @property
    def is_empty(self) -> bool:
        return all(r.actual is None and r.budget is None for r in self.rows)


def _row(store: Store, unit: Unit, measure: Measure, period: Period, tree, total: bool) -> FollowupRow:
    def get(scenario: Scenario, p: Period) -> Decimal | None:
        v = store.value(unit.code, measure, scenario, p, tree=tree)
        return v.number if v.is_number else None

    actual = get(Scenario.ACTUAL, period)
    budget = get(Scenario.BUDGET, period)
    annual = get(Scenario.BUDGET, Period.year(period.end.year))
    var = None
    pct = None
    if actual is not None and budget is not None:
        var = variance(actual, budget, higher_is_better=measure.higher_is_better)
        pct = variance_pct(var, budget)
    return FollowupRow(unit, actual, budget, annual, var, pct, total)


def followup_table(store: Store, unit_code: str, period: Period) -> FollowupTable:
    """Rows for the unit's children (or the unit alone if it has none) and a total row."""
    tree = store.unit_tree()
    measure = store.measures()[NET]
    unit = tree[unit_code]
    rows = [_row(store, c, measure, period, tree, False) for c in tree.children(unit_code)]
    rows.append(_row(store, unit, measure, period, tree, True))
    return FollowupTable(unit, period, rows)


def latest_actual_month(store: Store, unit_code: str) -> Period | None:
    """The year to date up to the last month with a stated utfall for the unit itself, or
    else anywhere in its subtree."""
    last = store.last_month_with(NET, Scenario.ACTUAL, [unit_code])
    if last is None:
        tree = store.unit_tree()
        last = store.last_month_with(NET, Scenario.ACTUAL, [u.code for u in tree.descendants(unit_code)])
    return Period.year_to_date(last.year, last.month) if last else None
